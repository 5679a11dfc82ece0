"""Without LanguageTool the offline speller also finds a word typed twice and a wrong "a"/"an", and stays
quiet where the letters do not tell the sound (names, acronyms, numbers) or the doubling is English."""

from __future__ import annotations

import pytest
import yaml

from coach.document import Document
from coach.errors import RubricError
from coach.grammar import build_grammar
from coach.rubric import load_rubric
from tests.conftest import ROOT, SAMPLES, run_cli

CHECKER = build_grammar("speller", None, load_rubric())
SLIP_RULES = ("grammar.english-word-repeat-rule", "grammar.en-a-vs-an")


def slips(text: str) -> list[tuple[str, str, str]]:
    doc = Document(file="draft.txt", text=text)
    findings, _ = CHECKER.check(doc)
    out = []
    for f in findings:
        if f.rule in SLIP_RULES:
            assert doc.text[f.start:f.end] == f.excerpt and f.category == "grammar" and f.severity == "warning"
            out.append((f.rule, f.excerpt, f.suggestion))
    return out


@pytest.mark.parametrize(("text", "excerpt", "suggestion"), [
    ("I failed the the exam in 2022.", "the the", "Delete one “the”."),
    ("After that I I changed my schedule.", "I I", "Delete one “I”."),
    ("My mentor asked me to to take a practice test every week.", "to to", "Delete one “to”."),
    ("It was a important lesson for me.", "a important", "“an important”"),
    ("A observership in Chicago changed how I present patients.", "A observership", "“An observership”"),
    ("That was an big change in how I studied.", "an big", "“a big”"),
    ("I studied at an university hospital in Lahore.", "an university", "“a university”"),
    ("I spent a hour every evening on missed questions.", "a hour", "“an hour”"),
    ("The resident asked me to read a MRI of the spine.", "a MRI", "“an MRI”"),
    ("I took an USMLE review course in Cairo.", "an USMLE", "“a USMLE”"),
    ("I worked a 8-hour shift before each study session.", "a 8", "“an 8”"),
    ("As a Indian graduate, I learnt the US system from scratch.", "a Indian", "“an Indian”"),
    ("I read a X-ray of a child's forearm on my first day.", "a X", "“an X”"),
])
def test_a_doubled_word_or_a_wrong_article_is_found_with_its_correction(text, excerpt, suggestion):
    found = slips(text)
    assert [(e, s) for _, e, s in found] == [(excerpt, suggestion)]


@pytest.mark.parametrize("text", [
    "I spent an hour a day on a one-year plan at a university hospital.",
    "She was an honest mentor and a unique teacher.",
    "I cared for an uninsured patient with a urinary infection.",
    "I passed a USMLE step after an MRI rotation and an ECG course.",
    "An x-ray showed an 8-hour delay in a 240-bed hospital.",
    "I had had no sleep, and I knew that that plan would fail.",
    "I trained in Walla Walla before moving to Ohio.",
    "It was an historic hospital and a historic day.",
    "Growth\n\nGrowth came from a new plan, not from an easy year.",
    "I got an A in physiology and vitamin A levels were my project.",
    "Thank you, thank you for the interview.",
    "I learnt a FAST exam in the emergency department and a SOAP note on day one.",
    "I applied for an H-1B visa, and a H-1B is what most programs sponsor.",
    "I scored a 218, worked an 11-hour day in a 110-bed hospital, and chose an 18-month plan.",
    "I met Dr. An Nguyen and a Dr. Okafor at an Ahmed family clinic.",
])
def test_correct_english_is_not_flagged(text):
    assert slips(text) == []


def test_the_shipped_samples_have_no_slips():
    for path in sorted(SAMPLES.glob("*.txt")):
        assert slips(path.read_text(encoding="utf-8")) == [], path.name


def test_a_slip_is_reported_by_check_and_can_be_dismissed_like_languagetool_s_rule(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("I failed Step 1 in 2022. It was a important lesson, and I changed the the way I study.\n")
    shown = run_cli("check", str(draft), "--kind", "explanation", "--grammar", "speller").stdout.decode()
    assert "grammar.en-a-vs-an" in shown and "“an important”" in shown
    assert "grammar.english-word-repeat-rule" in shown
    quiet = run_cli("check", str(draft), "--kind", "explanation", "--grammar", "speller",
                    "--ignore", "grammar.en-a-vs-an").stdout.decode()
    assert "grammar.en-a-vs-an" not in quiet and "grammar.english-word-repeat-rule" in quiet


def test_a_slips_list_that_is_not_a_list_of_words_names_file_and_key(tmp_path):
    shipped = yaml.safe_load((ROOT / "rubrics" / "grammar.yaml").read_text(encoding="utf-8"))
    shipped["grammar"]["speller"]["slips"]["a_before"] = ["uni-"]
    (tmp_path / "grammar.yaml").write_text(yaml.safe_dump(shipped, allow_unicode=True), encoding="utf-8")
    expected = r"grammar\.yaml:\d+: grammar\.speller\.slips\.a_before: must be a list of words"
    with pytest.raises(RubricError, match=expected):
        build_grammar("speller", None, load_rubric(tmp_path))
