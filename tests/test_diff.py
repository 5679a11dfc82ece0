"""coach diff old new: findings fixed, new and remaining; how the framework changed."""

from __future__ import annotations

import json

from coach.render.diff import diff_reports, render_diff_text
from tests.conftest import SAMPLES, analyse_text, run_coach


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
