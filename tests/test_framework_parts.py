"""The four parts as the writer is told about them: a part carried inside a sentence of another part."""

from __future__ import annotations

from tests.conftest import analyse_text

GROWTH = ("For Step 2 CK I did forty timed questions every morning and reviewed each mistake in a notebook. "
          "I passed Step 2 CK on my first attempt with a 238. "
          "As an internal medicine resident I will bring the same habit of checking my work early.")


def _missing(report) -> set[str]:
    return {f.rule for f in report.findings if f.rule.startswith("framework.missing")}


def test_an_opening_that_tells_the_result_and_owns_it_carries_the_context(analyzer):
    text = ("My Step 1 score of 209 reflects a study method that I chose myself, and that choice was my mistake. "
            + GROWTH)
    report = analyse_text(analyzer, text, "explanation")
    assert report.doc.sentences[0].role == "responsibility"
    assert "framework.missing-context" not in _missing(report)
    context = report.framework["parts"]["context"]
    assert context == {"present": True, "sentences": [0], "expected": [1, 2], "status": "ok"}
    assert report.framework["parts"]["responsibility"]["sentences"] == [0]


def test_an_opening_that_owns_without_saying_what_happened_leaves_context_missing(analyzer):
    text = "I take full responsibility for how I prepared, because I studied alone and never tested myself. " + GROWTH
    report = analyse_text(analyzer, text, "explanation")
    assert report.doc.sentences[0].role == "responsibility"
    assert "framework.missing-context" in _missing(report)
    assert report.framework["parts"]["context"]["status"] == "missing"
