"""Every sample produces the findings it was written to show (samples/README.md), and not the others."""

from __future__ import annotations

import re

import pytest

from coach.document import load
from tests.conftest import SAMPLES

SCORE_CATEGORIES = {"blame", "excuse", "oversharing", "growth", "framework"}

# sample: (kind, categories or rule ids that must appear, categories that must not appear)
EXPECTED = {
    "explanation-good.txt": ("explanation", set(), SCORE_CATEGORIES),
    "explanation-blames.txt": ("explanation",
                               {"blame.exam-unfair", "blame.school", "blame.test-conditions", "blame.luck",
                                "blame.system", "framework.missing-responsibility"},
                               {"oversharing"}),
    "explanation-no-growth.txt": ("explanation", {"growth.vague"}, {"blame", "oversharing"}),
    # its long story of a mother's illness is no blame a phrase rule names (the flag model may read an excuse)
    "explanation-too-long.txt": ("explanation", {"framework.too-long"},
                                 {"blame.exam-unfair", "blame.school", "blame.test-conditions", "blame.luck",
                                  "blame.system", "blame.others"}),
    # its closing "my result does not reflect my intelligence" is no blame a phrase rule names (the flag model
    # may read it as deflecting, which it is)
    "explanation-overshares.txt": ("explanation", {"oversharing.distress", "framework.missing-growth"},
                                   {"blame.exam-unfair", "blame.school", "blame.test-conditions", "blame.luck",
                                    "blame.system", "blame.others"}),
    "explanation-out-of-order.txt": ("explanation", {"framework.out-of-order"},
                                     {"blame", "excuse", "growth", "framework.missing-growth",
                                      "framework.missing-responsibility"}),
    "statement-strong.txt": ("personal_statement", set(), {"blame", "excuse", "specificity", "mission"}),
    "statement-generic.txt": ("personal_statement", {"blame", "specificity", "mission", "style"}, set()),
    "statement-no-scores.txt": ("personal_statement", set(), SCORE_CATEGORIES),
    "email-good.txt": ("email", set(), {"nrmp"}),
    "email-asks-rank.txt": ("email", {"nrmp"}, set()),
    "interview-good.txt": ("interview", set(), SCORE_CATEGORIES | {"delivery"}),
    "interview-rambles.txt": ("interview",
                              {"blame.exam-unfair", "blame.test-conditions", "blame.luck", "delivery.too-long",
                               "delivery.breath", "delivery.filler-honest", "delivery.filler-hedge",
                               "delivery.filler-word", "delivery.ends-on-past", "framework.missing-connection",
                               "growth"},
                              set()),
}


def _keys(report) -> set[str]:
    return {f.rule for f in report.findings} | {f.category for f in report.findings}


def test_every_sample_is_listed():
    assert {p.name for p in SAMPLES.glob("*.txt")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_shows_what_it_was_written_to_show(analyzer, name):
    kind, must, must_not = EXPECTED[name]
    report = analyzer.analyse(load(str(SAMPLES / name)))
    assert report.doc.kind == kind, "kind detection"
    keys = _keys(report)
    assert must <= keys, f"missing {must - keys}"
    assert not must_not & keys, f"unexpected {must_not & keys}: " + "; ".join(
        f"{f.rule}: {f.excerpt[:60]}" for f in report.findings if {f.rule, f.category} & must_not)


def test_good_explanation_has_no_errors_or_warnings(analyzer):
    report = analyzer.analyse(load(str(SAMPLES / "explanation-good.txt")))
    assert [f.rule for f in report.findings if f.severity != "suggestion"] == []
    assert all(p["status"] == "ok" for p in report.framework["parts"].values()) and report.framework["order_ok"]


def test_statement_without_scores_has_no_framework(analyzer):
    report = analyzer.analyse(load(str(SAMPLES / "statement-no-scores.txt")))
    assert report.framework is None


def test_interview_samples_speaking_time(analyzer):
    good = analyzer.analyse(load(str(SAMPLES / "interview-good.txt")))
    rambles = analyzer.analyse(load(str(SAMPLES / "interview-rambles.txt")))
    assert 60 <= good.metrics["speaking_seconds"] <= 80
    assert rambles.metrics["speaking_seconds"] > 120
    assert all(p["status"] == "ok" for p in good.framework["parts"].values()) and good.framework["order_ok"]


def test_the_heading_counts_one_word_or_sentence_in_the_singular(analyzer):
    from coach.render.text import render_text
    from tests.conftest import analyse_text

    one = render_text(analyse_text(analyzer, "I failed Step 1 in 2021.", "explanation"), colour=False)
    assert one.splitlines()[0].endswith("(score explanation, 6 words, 1 sentence)"), one.splitlines()[0]
    two = render_text(analyse_text(analyzer, "I failed Step 1. I passed later.", "explanation"), colour=False)
    assert two.splitlines()[0].endswith("words, 2 sentences)"), two.splitlines()[0]


def test_a_short_draft_gets_no_reading_ease_figure_but_a_whole_one_does(analyzer):
    from coach.render.text import render_text
    from tests.conftest import analyse_text

    short_report = analyse_text(analyzer, "I failed Step 1 in 2021.", "explanation")
    assert short_report.metrics["readability_reliable"] is False
    short = render_text(short_report, colour=False)
    assert short.splitlines()[-1].endswith("Too short for a reading-ease figure."), short.splitlines()[-1]
    whole = render_text(analyse_text(analyzer, (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8"),
                                     "explanation"), colour=False)
    assert re.search(r"Reading ease -?\d+\.\d, grade -?\d+\.\d\.$", whole.splitlines()[-1]), whole.splitlines()[-1]


def test_an_excerpt_of_one_word_is_counted_in_the_singular(analyzer):
    from tests.conftest import analyse_text

    report = analyse_text(analyzer, "Cardiology", "personal_statement")
    assert any("excerpt of a personal statement (1 word)" in n for n in report.notices), report.notices


ABBREVIATED = ("I failed Step 1 in 2021 while working at St. Luke's Hospital in the U.S. as an observer. I take full "
               "responsibility: I studied from 9 p.m. to 2 a.m. after long shifts and did few questions, e.g. fewer "
               "than 500. I then met weekly with Prof. Gómez and Dra. Peña at Mt. Sinai, completed UWorld in timed "
               "blocks, and passed Step 2 CK with a 243. I now apply the same feedback habits on the wards, and I "
               "will bring them to residency.")
SPELLED_OUT = ("I failed Step 1 in 2021 while working at Saint Luke's Hospital in the United States as an observer. I "
               "take full responsibility: I studied from 9 pm to 2 am after long shifts and did few questions, for "
               "example fewer than 500. I then met weekly with Professor Gómez and Doctor Peña at Mount Sinai, "
               "completed UWorld in timed blocks, and passed Step 2 CK with a 243. I now apply the same feedback "
               "habits on the wards, and I will bring them to residency.")


def test_abbreviations_do_not_make_a_draft_read_as_easier(analyzer):
    # textstat ended a sentence at every full stop: 93.0 / grade 2.0 here, against 72.9 / grade 8.4 spelled out
    from tests.conftest import analyse_text

    short, long = (analyse_text(analyzer, text, "explanation") for text in (ABBREVIATED, SPELLED_OUT))
    assert len(short.doc.sentences) == len(long.doc.sentences) == 4
    assert abs(short.metrics["flesch_kincaid_grade"] - long.metrics["flesch_kincaid_grade"]) < 1.5, \
        (short.metrics, long.metrics)
    assert short.metrics["flesch_kincaid_grade"] > 6
