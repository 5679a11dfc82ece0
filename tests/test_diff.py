"""coach diff old new: findings fixed, new and remaining; how the framework changed."""

from __future__ import annotations

import json

from coach.render.diff import diff_reports, render_diff_text
from tests.conftest import SAMPLES, analyse_text, run_cli, run_coach


def _finding(rule: str, start: int, excerpt: str, severity: str = "warning") -> dict:
    return {"rule": rule, "category": rule.split(".")[0], "severity": severity, "message": f"{rule} message",
            "suggestion": "", "start": start, "end": start + len(excerpt), "line": 1, "column": start + 1,
            "excerpt": excerpt}


def _report(file: str, findings: list[dict], statuses: dict[str, str] | None = None) -> dict:
    parts = {name: {"present": status != "missing", "sentences": [] if status == "missing" else [0],
                    "expected": [1, 2], "status": status} for name, status in (statuses or {}).items()}
    return {"file": file, "kind": "explanation", "findings": findings,
            "summary": {"errors": 0, "warnings": len(findings), "suggestions": 0, "words": 10, "sentences": 1},
            "framework": {"parts": parts, "order_ok": True} if statuses else None}


def test_pairs_by_rule_and_words_then_by_rule():
    old = _report("v1.txt", [_finding("blame.exam-unfair", 10, "the exam was unfair"),
                             _finding("excuse.beyond-control", 40, "beyond my control"),
                             _finding("growth.vague", 80, "I learned a lot")],
                  {"growth": "missing", "connection": "ok"})
    new = _report("v2.txt", [_finding("excuse.beyond-control", 5, "Beyond  my control"),  # same words, moved
                             _finding("growth.vague", 60, "I learned so much"),  # same rule, new words
                             _finding("length.words", 0, "", "suggestion")],
                  {"growth": "ok", "connection": "missing"})
    result = diff_reports(old, new)
    assert [f["rule"] for f in result["fixed"]] == ["blame.exam-unfair"]
    assert [f["rule"] for f in result["new_findings"]] == ["length.words"]
    assert sorted(p["new"]["rule"] for p in result["remaining"]) == ["excuse.beyond-control", "growth.vague"]
    parts = result["framework"]["parts"]
    assert (parts["growth"]["old"], parts["growth"]["new"]) == ("missing", "ok")
    assert (parts["connection"]["old"], parts["connection"]["new"]) == ("ok", "missing")
    text = render_diff_text(result, colour=False)
    assert "Fixed (1)" in text and "New (1)" in text and "Still there (2)" in text
    assert "missing (0) → ok (1)" in text


def test_revising_a_blaming_explanation_fixes_its_blame(analyzer):
    old = analyse_text(analyzer, (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8"),
                       "explanation", "v1.txt").to_json()
    new = analyse_text(analyzer, (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8"),
                       "explanation", "v2.txt").to_json()
    result = diff_reports(old, new)
    assert any(f["category"] == "blame" for f in result["fixed"])
    assert not any(f["category"] == "blame" for f in result["new_findings"])
    assert len(result["fixed"]) + len(result["remaining"]) == len(old["findings"])
    assert len(result["new_findings"]) + len(result["remaining"]) == len(new["findings"])
    assert result["framework"]["parts"]["growth"] == {"old": "missing", "new": "ok", "old_sentences": 0,
                                                      "new_sentences": 3}


def test_diff_command(tmp_path):
    result = run_coach("diff", str(SAMPLES / "explanation-blames.txt"), str(SAMPLES / "explanation-good.txt"),
                       "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["fixed"] and data["framework"]["parts"]["growth"]["new"] == "ok"
    missing = run_coach("diff", str(tmp_path / "nope.txt"), str(SAMPLES / "explanation-good.txt"))
    assert missing.returncode == 2 and missing.stderr.decode().count("\n") == 1


COVID = "Due to the COVID-19 pandemic, my exam was rescheduled three times."
OWNS = "The failure was mine."


def _with_sentences(report: dict, texts: list[str], roles: list[str]) -> dict:
    sentences, start = [], 0
    for i, (text, role) in enumerate(zip(texts, roles, strict=True)):
        sentences.append({"index": i, "start": start, "end": start + len(text), "text": text, "role": role})
        start += len(text) + 1
    return {**report, "sentences": sentences}


def test_a_model_finding_that_a_rule_now_makes_on_the_same_sentence_is_still_there():
    model = {**_finding("excuse.model", 22, COVID), "source": "model"}
    rule = {**_finding("excuse.no-ownership", 0, "Due to the COVID-19 pandemic"), "source": "both"}
    old = _with_sentences(_report("v1.txt", [model]), [OWNS, COVID], ["responsibility", "context"])
    new = _with_sentences(_report("v2.txt", [rule]), [COVID, "I passed."], ["context", "growth"])
    result = diff_reports(old, new)
    assert not result["fixed"] and not result["new_findings"]
    assert [(p["old"]["rule"], p["new"]["rule"]) for p in result["remaining"]] == \
        [("excuse.model", "excuse.no-ownership")]
    text = render_diff_text(result, colour=False)
    assert "Still there (1)" in text and "excuse.no-ownership  sentence 1" in text and "line 1" not in text


def test_a_finding_is_placed_by_its_sentence_and_an_unchanged_sentence_read_differently_is_explained():
    old = _with_sentences(_report("v1.txt", [_finding("growth.vague", 22, "learned a lot")]),
                          [OWNS, "I have learned a lot."], ["responsibility", "growth"])
    new = _with_sentences(_report("v2.txt", [], {"responsibility": "missing"}),
                          ["I was unlucky.", OWNS], ["context", "context"])
    result = diff_reports(old, new)
    text = render_diff_text(result, colour=False)
    assert "growth.vague  old sentence 2" in text
    assert result["reread"] == [{"sentence": 2, "text": OWNS, "old_role": "responsibility", "new_role": "context"}]
    flat = " ".join(text.split())
    assert '"The failure was mine."' in flat and "now reads as context (before: responsibility)" in flat


def test_diff_applies_each_versions_dismissals_and_a_revision_without_its_own_takes_the_old_ones(tmp_path):
    draft = tmp_path / "e.txt"
    draft.write_text((SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "e.txt.coach.yaml").write_text("dismissals:\n- rule: blame.luck\n  reason: advisor\n",
                                               encoding="utf-8")
    revision = tmp_path / "e_v2.txt"
    revision.write_text(draft.read_text(encoding="utf-8"), encoding="utf-8")
    check = json.loads(run_cli("check", "--grammar", "off", "--format", "json", str(draft)).stdout)
    assert [f["rule"] for f in check["dismissed"]] == ["blame.luck"]
    for new in (draft, revision):
        data = json.loads(run_cli("diff", str(draft), str(new), "--format", "json").stdout)
        listed = data["fixed"] + data["new_findings"] + [p["new"] for p in data["remaining"]]
        assert "blame.luck" not in {f["rule"] for f in listed}
        assert data["dismissed"] == {"old": 1, "new": 1}
        assert data["summary"]["errors"]["new"] == check["summary"]["errors"]
    text = " ".join(run_cli("diff", str(draft), str(revision)).stdout.decode().split())
    assert "dismissed 1 → 1" in text and "the old version's dismissals apply to it" in text


def test_two_kinds_of_draft_are_each_checked_as_their_own_kind_and_the_diff_says_so():
    email, explanation = str(SAMPLES / "email-good.txt"), str(SAMPLES / "explanation-good.txt")
    alone = json.loads(run_cli("check", "--grammar", "off", "--format", "json", explanation).stdout)
    data = json.loads(run_cli("diff", email, explanation, "--format", "json").stdout)
    assert (data["old_kind"], data["kind"]) == ("email", "explanation")
    assert data["summary"]["errors"]["new"] == alone["summary"]["errors"]
    text = run_cli("diff", email, explanation).stdout.decode()
    assert "note: these read as two kinds of draft, an email then a score explanation" in text


def test_a_finding_on_an_unchanged_sentence_dismissed_in_one_version_only_is_neither_fixed_nor_new(tmp_path):
    """QA: v1 dismisses blame.school and blame.test-conditions, v2's own .coach.yaml only blame.system; the
    sentences carrying them are unchanged, so none of them is fixed or new: only the dismissal changed."""
    text = (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8")
    old, new = tmp_path / "v1.txt", tmp_path / "v2.txt"
    old.write_text(text, encoding="utf-8")
    new.write_text(text.replace("Many of the questions were unfair and poorly written, testing obscure details that "
                                "no practicing doctor would ever need.", "I relied on passive reading and did too "
                                "few timed practice questions, and that was my decision.")
                   .replace("I was also simply unlucky, because the form I received was much harder than the ones "
                            "my friends described.", "I rebuilt my plan around 80 UWorld questions a day and a "
                            "weekly meeting with my mentor."), encoding="utf-8")
    (tmp_path / "v1.txt.coach.yaml").write_text(
        "dismissals:\n- rule: blame.test-conditions\n  sentence: on exam day the testing centre was noisy and the "
        "proctor kept interrupting me which made it impossible to concentrate\n  reason: advisor ok\n"
        "- rule: blame.school\n  reason: context\n", encoding="utf-8")
    (tmp_path / "v2.txt.coach.yaml").write_text("dismissals:\n- rule: blame.system\n  reason: x\n", encoding="utf-8")
    data = json.loads(run_cli("diff", str(old), str(new), "--format", "json").stdout)
    dismissal_rules = {"blame.school", "blame.test-conditions", "blame.system"}
    assert not dismissal_rules & {f["rule"] for f in data["fixed"] + data["new_findings"]}
    assert {f["rule"] for f in data["fixed"]} >= {"blame.exam-unfair", "blame.luck"}  # the rewritten sentences
    assert [(p["old"]["rule"], p["new"]["sentence"], p["new"]["reason"]) for p in data["dismissed_in_new"]] == \
        [("blame.system", 6, "x")]
    assert [(p["new"]["rule"], p["new"]["sentence"], p["old"]["reason"]) for p in data["no_longer_dismissed"]] == \
        [("blame.school", 3, "context")] * 2 + [("blame.test-conditions", 4, "advisor ok")] * 2
    assert data["dismissed"] == {"old": 4, "new": 1}
    text = run_cli("diff", str(old), str(new)).stdout.decode()
    assert "Dismissed in the new version (1): on unchanged sentences, so not fixed" in text
    assert "  – error blame.system  sentence 6" in text
    assert "No longer dismissed (4): on unchanged sentences, so not new" in text
    assert "✓ error blame.system" not in text and "+ error blame.school" not in text


def test_the_dismissal_changes_pair_only_unchanged_sentences():
    sentences = [OWNS, "My school never taught it."]
    school = _finding("blame.school", 22, "school never taught", "error")
    old = {**_with_sentences(_report("v1.txt", []), sentences, ["responsibility", "context"]),
           "dismissed": [{**school, "reason": "context"}]}
    same = _with_sentences(_report("v2.txt", [school]), sentences, ["responsibility", "context"])
    result = diff_reports(old, same)
    assert not result["new_findings"] and len(result["no_longer_dismissed"]) == 1
    rewritten = _with_sentences(_report("v2.txt", [school]), [OWNS, "My school never taught it well."],
                                ["responsibility", "context"])  # the writing changed: it is new
    result = diff_reports(old, rewritten)
    assert [f["rule"] for f in result["new_findings"]] == ["blame.school"] and not result["no_longer_dismissed"]
    back = diff_reports({**same, "file": "v1.txt"}, {**old, "file": "v2.txt"})
    assert not back["fixed"] and [p["new"]["reason"] for p in back["dismissed_in_new"]] == ["context"]
    assert "Dismissed in the new version (1)" in render_diff_text(back, colour=False)
