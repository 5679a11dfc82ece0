"""The four parts as the writer is told about them: a part carried inside a sentence of another part."""

from __future__ import annotations

import json

from tests.conftest import SAMPLES, analyse_text, run_cli

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
    told = next(f for f in report.findings if f.rule == "framework.missing-context")
    assert told.message.startswith("There is no brief context")


def test_an_opening_that_names_the_exam_but_mixes_in_the_writers_part_is_told_so_on_that_sentence():
    """The sample's first sentence tells the circumstance of Step 1 and the writer's missing routine; the
    reader does learn something of what happened, so coach does not say the draft never tells it."""
    report = json.loads(run_cli("check", str(SAMPLES / "explanation-no-growth.txt"), "--format", "json").stdout)
    assert report["framework"]["parts"]["context"]["status"] == "missing"
    told = next(f for f in report["findings"] if f["rule"] == "framework.missing-context")
    assert told["start"] == 0 and told["excerpt"].startswith("During my Step 1 preparation")
    assert told["message"].startswith("This opening mixes the circumstance with your own part")
    assert "then own your part" in told["suggestion"]


def test_a_connection_said_inside_a_growth_sentence_is_not_missing(analyzer):
    text = ("I failed Step 1 on my first attempt. I take full responsibility: I relied on passive reading and did "
            "too few practice questions. I rebuilt my plan around timed UWorld blocks, and my NBME scores rose from "
            "212 to 241. I passed Step 2 CK with a 243, and I will bring these habits to residency.")
    report = analyse_text(analyzer, text, "explanation")
    assert "framework.missing-connection" not in _missing(report)
    assert report.framework["parts"]["connection"]["present"] is True


def test_a_plea_to_the_program_is_not_taken_for_a_connection(analyzer):
    text = ("I failed Step 1 on my first attempt. I relied on passive reading and did too few practice questions. "
            "I rebuilt my plan around timed UWorld blocks, and my NBME scores rose from 212 to 241. "
            "I passed Step 2 CK with a 243. I hope the program will consider my whole application.")
    report = analyse_text(analyzer, text, "explanation")
    assert report.framework["parts"]["connection"]["sentences"] != [4]


def test_responsibility_claimed_but_nothing_owned_is_told_on_the_claim(analyzer):
    """Writers label a bare "I take full responsibility" as context: it owns nothing in particular. The
    writer is not told that nothing here takes responsibility, beside the sentence that says it does."""
    text = ("I failed USMLE Step 1 on my first attempt in 2021, and I take full responsibility for it. " + GROWTH)
    report = analyse_text(analyzer, text, "explanation")
    told = next(f for f in report.findings if f.rule == "framework.missing-responsibility")
    assert told.message.startswith("You say you take responsibility, but no sentence says what your own part was")
    assert told.excerpt.startswith("I failed USMLE Step 1") and told.severity == "error"


def test_an_opening_that_tells_the_result_and_owns_it_is_not_out_of_order(analyzer):
    """The opening carries the context; a later sentence of circumstance does not make the writer's
    ownership, which came first, out of order."""
    text = ("I failed Step 1 on my first attempt because I took the exam before I was ready, and that decision "
            "was mine. I was lucky to have a mentor, Dr. Okafor, who reviewed my practice blocks every Sunday, "
            "and I was fortunate that my family supported me. " + GROWTH)
    report = analyse_text(analyzer, text, "explanation")
    assert report.doc.sentences[0].role == "responsibility"
    assert report.framework["order_ok"] is True
    assert "framework.out-of-order" not in {f.rule for f in report.findings}


def test_order_is_not_called_as_expected_with_one_part_present():
    """The blaming sample plays only context: its order is not "as expected" while three parts are missing."""
    out = run_cli("check", "--no-color", "--grammar", "off", str(SAMPLES / "explanation-blames.txt")).stdout.decode()
    assert "order            — (fewer than two parts to put in order)" in out
    assert "as expected" not in out
