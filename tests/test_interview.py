"""The interview answer (issue 16, items 1 and 2): delivery checks, kind detection, and the practice sheet
`coach interview` builds only from the applicant's own sentences and the rubric's prompts."""

from __future__ import annotations

import json
import re

import pytest

from coach.checks.interview import shorten
from coach.rubric import load_rubric
from coach.settings import settings_of
from tests.conftest import SAMPLES, analyse_text, run_cli

CFG = settings_of(load_rubric()).interview
QUESTION = "Q: Can you tell us about your USMLE performance?\n\n"
OWN = ("I failed Step 1 on my first attempt in 2022. Looking back, the failure was mine, because I never did "
       "timed practice questions. After that I did forty UWorld questions a day and kept an error log. "
       "I met a mentor every week, and she showed me the pattern in my wrong answers. I kept a notebook of "
       "those patterns and reviewed it every Sunday. My NBME scores rose from 198 to 231. "
       "I passed Step 2 CK on my first attempt with a 241. "
       "Today I plan every week and ask for feedback early, and I will do the same as an intern.")


def _rules(report) -> set[str]:
    return {f.rule for f in report.findings}


def test_speaking_time_at_the_rubrics_pace(analyzer):
    report = analyse_text(analyzer, QUESTION + OWN, kind="interview")
    words = len(re.findall(r"[^\W_][\w'’-]*", OWN))
    assert CFG.speaking["words_per_minute"] == 140
    assert report.metrics["speaking_seconds"] == round(words * 60 / 140)  # the question is not said


def test_too_short_long_and_too_long(analyzer):
    short = analyse_text(analyzer, "I failed Step 1 once. I passed Step 2 CK first time. I will keep "
                                   "working hard as a resident.", kind="interview")
    assert "delivery.too-short" in _rules(short)
    ok = analyse_text(analyzer, OWN, kind="interview")
    assert not {"delivery.too-short", "delivery.long", "delivery.too-long"} & _rules(ok)
    more = " My mentor and I still talk every month, and she reminds me to plan the week before it starts."
    long = analyse_text(analyzer, OWN + " " + OWN + more, kind="interview")  # about 2 x 45 s and a bit
    assert "delivery.long" in _rules(long) and "delivery.too-long" not in _rules(long)
    very_long = analyse_text(analyzer, " ".join([OWN] * 3), kind="interview")
    found = [f for f in very_long.findings if f.rule == "delivery.too-long"]
    assert found and found[0].severity == "warning"


def test_a_sentence_too_long_for_one_breath(analyzer):
    breathless = ("Once the result came, my mentor, who had guided many students from my school before me, "
                  "went through every section of the score report with me, which showed weak areas in renal "
                  "physiology and cardiology that I had ignored for months.")
    report = analyse_text(analyzer, OWN + " " + breathless + " I will bring that habit to your wards.",
                          kind="interview")
    flagged = [f for f in report.findings if f.rule == "delivery.breath"]
    assert len(flagged) == 1 and flagged[0].excerpt == breathless
    assert CFG.breath_words == 28


@pytest.mark.parametrize("sentence", [
    "To be honest, I did not prepare well.",
    "Honestly, the first attempt was a shock.",
    "I guess I did not use enough practice questions.",
    "I kind of rushed the last month.",
    "Basically, I ran out of time on the exam.",
    "It was, you know, a hard year.",
])
def test_fillers_and_hedges_are_flagged(analyzer, sentence):
    report = analyse_text(analyzer, sentence, kind="interview")
    assert any(f.category == "delivery" and f.rule.startswith("delivery.filler") for f in report.findings)


@pytest.mark.parametrize("sentence", [
    "I was honest with my mentor about my weak areas.",
    "This kind of patient needs a plan before discharge.",
    "I know that feedback early matters on a busy ward.",
    "I would like to train in internal medicine.",
    "I did well, and then I passed Step 2 CK.",
])
def test_ordinary_sentences_are_not_fillers(analyzer, sentence):
    report = analyse_text(analyzer, sentence, kind="interview")
    assert not [f.rule for f in report.findings if f.rule.startswith("delivery.filler")]


def test_ending_on_the_past_is_flagged_and_on_the_present_is_not(analyzer):
    past = OWN.rsplit("Today", 1)[0].strip()  # ends on "I passed Step 2 CK ... with a 241."
    assert "delivery.ends-on-past" in _rules(analyse_text(analyzer, past, kind="interview"))
    assert "delivery.ends-on-past" not in _rules(analyse_text(analyzer, OWN, kind="interview"))
    now = past + " Now I review my own errors every week on the wards."
    assert "delivery.ends-on-past" not in _rules(analyse_text(analyzer, now, kind="interview"))


def test_the_explanations_checks_apply(analyzer):
    blames = ("The exam was unfair and many questions were poorly written. I was simply unlucky on exam day. "
              "I passed later.")
    rules = _rules(analyse_text(analyzer, blames, kind="interview"))
    assert {"blame.exam-unfair", "blame.luck", "framework.missing-responsibility"} <= rules
    missing = [f for f in analyse_text(analyzer, blames, kind="interview").findings
               if f.rule == "framework.missing-responsibility"]
    assert missing[0].message == CFG.missing["responsibility"]["message"]  # said, not written
    report = analyse_text(analyzer, QUESTION + OWN, kind="interview")
    assert set(report.framework["parts"]) == {"context", "responsibility", "growth", "connection"}


def test_kind_detection_recognises_a_spoken_answer(analyzer):
    assert analyse_text(analyzer, QUESTION + OWN).doc.kind == "interview"
    spoken = ("So, I'll be straight with you: I didn't pass Step 1 the first time. I'd studied alone, and "
              "that's on me. Since then I've done UWorld daily with a mentor, and I passed Step 2 CK with a 241. "
              "You'll see that habit on your wards.")
    assert analyse_text(analyzer, spoken).doc.kind == "interview"
    for sample in ("explanation-good.txt", "explanation-blames.txt", "statement-strong.txt", "email-good.txt"):
        text = (SAMPLES / sample).read_text(encoding="utf-8")
        assert analyse_text(analyzer, text).doc.kind != "interview", sample


def test_kind_always_wins(analyzer):
    assert analyse_text(analyzer, QUESTION + OWN, kind="explanation").doc.kind == "explanation"
    written = (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8")
    assert analyse_text(analyzer, written, kind="interview").doc.kind == "interview"
    result = run_cli("check", "--grammar", "off", "--kind", "interview", "--format", "json",
                     str(SAMPLES / "explanation-good.txt"))
    assert json.loads(result.stdout)["kind"] == "interview"


def test_the_text_view_shows_the_speaking_time_and_framework():
    result = run_cli("check", "--grammar", "off", str(SAMPLES / "interview-good.txt"))
    out = result.stdout.decode()
    assert "interview answer" in out and "speaking time: about 1:" in out and "Framework" in out
    assert result.returncode == 0


def test_interview_json_keeps_to_the_contract():
    from tests.test_contract import validate

    for name in ("interview-good.txt", "interview-rambles.txt"):
        path = SAMPLES / name
        result = run_cli("check", "--grammar", "off", "--format", "json", str(path))
        report = json.loads(result.stdout)
        validate(report, path.read_text(encoding="utf-8"))
        assert report["kind"] == "interview" and report["framework"] is not None


# ---- the practice sheet ------------------------------------------------------------------------------------

def _subsequence(line: str, source: str) -> bool:
    """Every word of the outline line appears in the source sentence, in order (only cuts, no additions)."""
    words = [w.strip(",.;:…") for w in line.split() if w != "…"]  # "…" marks a cut
    src = [w.strip(",.;:") for w in source.split()]
    i = 0
    for w in words:
        while i < len(src) and src[i] != w:
            i += 1
        if i == len(src):
            return False
        i += 1
    return True


def test_shorten_only_cuts():
    sentence = ("I rebuilt my approach around a fixed eight-hour daily schedule, completed the full UWorld "
                "question bank twice, and kept an error log (in a notebook) of every question I missed.")
    short = shorten(sentence, 16)
    assert len(short.rstrip("…").split()) <= 16 and _subsequence(short, sentence)
    assert shorten("I passed.", 16) == "I passed."


def _sheet(path) -> dict:
    result = run_cli("interview", "--format", "json", str(path))
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_practice_sheet_from_the_good_explanation_uses_only_the_applicants_sentences():
    path = SAMPLES / "explanation-good.txt"
    text = " ".join(path.read_text(encoding="utf-8").split())
    sheet = _sheet(path)
    questions = [q["question"] for q in sheet["questions"]]
    assert questions == [q["question"] for q in CFG.practice["questions"]]
    assert {"Can you tell us about your USMLE performance?", "Is there anything you would like to explain?",
            "What did you learn from that experience?", "Why this program?", "Why should we choose you?"} \
        == set(questions)
    prompts = set(CFG.practice["prompts"].values())
    lines = 0
    for q in CFG.practice["questions"]:
        prompts |= set(q.get("prompts", {}).values())
    for q in sheet["questions"]:
        for part in q["outline"]:
            for line in part["lines"]:
                lines += 1
                assert _subsequence(line, text), line
            assert part["gap"] is None or part["gap"] in prompts | set(q.get("prompts", {}).values())
    assert lines and sheet["gaps"] == []


def test_practice_sheet_marks_the_missing_parts_as_gaps():
    path = SAMPLES / "explanation-blames.txt"
    sheet = _sheet(path)
    assert {"responsibility", "growth"} <= set(sheet["gaps"])
    first = sheet["questions"][0]["outline"]
    gaps = {p["part"]: p["gap"] for p in first}
    assert gaps["growth"] == CFG.practice["prompts"]["growth"]
    left_out = " ".join(item["text"] for item in sheet["left_out"])
    assert "unlucky" in left_out  # blaming sentences are not practised aloud
    assert all("unlucky" not in line for q in sheet["questions"] for p in q["outline"] for line in p["lines"])


def test_practice_sheet_text_view():
    result = run_cli("interview", str(SAMPLES / "explanation-blames.txt"))
    out = result.stdout.decode()
    assert "1. Can you tell us about your USMLE performance?" in out
    assert "5. Why should we choose you?" in out
    assert CFG.practice["gap"] in out and CFG.practice["prompts"]["responsibility"] in out


def test_an_outline_from_a_transcribed_answer_leaves_out_its_ums_fillers_and_words_said_twice(tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text("Um, so, I failed Step 1 the first time, in 2022. Uh, I was, like, working nights and I didn't "
                      "really, you know, manage my time. I mean, that's on me. So after that I, I made a schedule "
                      "of forty questions a day and passed with a 231. I, um, notice early now when I am behind.",
                      encoding="utf-8")
    sheet = _sheet(answer)
    lines = [line for part in sheet["questions"][0]["outline"] for line in part["lines"]]
    assert "I was working nights and I didn't really manage my time." in lines
    spoken = re.compile(r"\b(?:um|uh|like|you know|I mean)\b|\bI, I\b", re.I)
    assert lines and not [line for line in lines if spoken.search(line)]


def test_a_word_said_twice_in_a_transcribed_answer_is_a_false_start_but_emphasis_and_lists_are_not(analyzer):
    text = ("I failed Step 1 in 2022, and I, I did not ask for help. I think that, that is what I changed: "
            "I ask early now, very, very early. I rotated through internal medicine, medicine wards and clinics.")
    report = analyse_text(analyzer, text, "interview")
    said_twice = [f.excerpt for f in report.findings if f.rule == "delivery.false-start"]
    assert said_twice == ["I, I", "that, that"]


def test_an_outline_line_drops_fillers_and_false_starts_but_keeps_emphasis():
    cfg = settings_of(load_rubric()).interview
    assert shorten("Uh, I should have asked for, um, for help earlier.", 16, cfg) == \
        "I should have asked for help earlier."
    assert shorten("I, I ask early now, very, very early.", 16, cfg) == "I ask early now, very, very early."
    assert shorten("I had had no sleep.", 16, cfg) == "I had had no sleep."


def test_a_personal_statement_gives_the_sheet_only_its_score_passage():
    path = SAMPLES / "statement-strong.txt"
    check = json.loads(run_cli("check", "--grammar", "off", "--format", "json", str(path)).stdout)
    passage = {i for part in check["framework"]["parts"].values() for i in part["sentences"]}
    sheet = _sheet(path)
    used = {i for q in sheet["questions"] for p in q["outline"] for i in p["sentences"]}
    assert used and used <= passage and 0 not in used  # not the statement's opening story
    assert sheet["kind"] == "personal_statement" and sheet["score_passage"] == [min(passage) + 1, max(passage) + 1]
    out = run_cli("interview", str(path)).stdout.decode()
    assert "score passage" in out and "checked as a score explanation" not in out


@pytest.mark.parametrize("name, says", [("statement-no-scores.txt", "does not mention a score"),
                                        ("email-good.txt", "not an explanation of a score")])
def test_a_draft_with_no_score_story_gets_one_line_not_a_sheet(name, says):
    result = run_cli("interview", str(SAMPLES / name))
    err = result.stderr.decode()
    assert result.returncode == 2 and not result.stdout
    assert err.count("\n") == 1 and says in err and name in err


OWNED = ("In 2022 I failed USMLE Step 1 on my first attempt. The failure was mine: I booked the exam date before I "
         "was ready, studied mostly by rereading notes, and ignored two practice scores that told me I was not "
         "prepared. Afterwards I asked a senior colleague to review my study plan each Sunday, switched to timed "
         "question blocks, and tracked every weak topic in a spreadsheet. My practice scores climbed steadily, "
         "and I passed Step 1 on my second attempt and Step 2 CK on my first, with a 239. On the wards in Bogota "
         "I now ask for feedback after every admission rather than waiting for the end of a rotation. I will "
         "bring that habit of checking my readiness honestly to my intern year.")


def _lines(sheet: dict, part: str, question: int = 0) -> list[str]:
    return [line for p in sheet["questions"][question]["outline"] if p["part"] == part for line in p["lines"]]


def test_an_outline_line_keeps_what_was_owned_and_the_scores(tmp_path):
    path = tmp_path / "explanation.txt"
    path.write_text(OWNED, encoding="utf-8")
    sheet = _sheet(path)
    owned = " ".join(_lines(sheet, "responsibility"))
    assert "I booked the exam date before I was ready" in owned and "two practice scores" in owned
    changed = " ".join(_lines(sheet, "growth"))
    assert "with a 239" in changed and "second attempt" in changed
    assert "honestly" in " ".join(_lines(sheet, "connection"))  # not a filler here: `check` flags nothing


def test_an_outline_line_from_a_transcript_drops_the_hedges_check_flags(analyzer, tmp_path):
    answer = ("Can you tell us about your USMLE performance?\n\nSo, um, yeah, I, I failed Step 1 the first time. "
              "Like, honestly, I was basically, you know, kind of not ready, and I guess I took it too early. So "
              "after that I, I got a mentor and I did UWorld, like, twice, and my NBMEs went up from 205 to 238.")
    report = analyse_text(analyzer, answer)
    assert report.doc.kind == "interview"
    flagged = " | ".join(f.excerpt for f in report.findings if f.category == "delivery")
    assert "honestly" in flagged and "kind of not" in flagged and "I guess" in flagged
    path = tmp_path / "answer.txt"
    path.write_text(answer, encoding="utf-8")
    lines = [line for p in _sheet(path)["questions"][0]["outline"] for line in p["lines"]]
    said = " ".join(lines)
    assert "I was not ready" in said and "from 205 to 238" in said
    assert not re.search(r"\b(?:honestly|kind of|I guess|basically|you know|like|um)\b|^So\b", said, re.I)


def test_why_choose_you_asks_for_what_the_question_wants(tmp_path):
    sheet = _sheet(SAMPLES / "explanation-blames.txt")
    choose = next(q for q in sheet["questions"] if q["question"] == "Why should we choose you?")
    assert [p["part"] for p in choose["outline"]] == ["growth", "connection"]  # no call to own the failure
    rubric = next(q for q in CFG.practice["questions"] if q["question"] == "Why should we choose you?")
    assert [p["gap"] for p in choose["outline"]] == [rubric["prompts"]["growth"], rubric["prompts"]["connection"]]
