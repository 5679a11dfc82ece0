"""Where coach cuts a draft into sentences: every role and flag is given to one sentence, so a long spoken or
second-language sentence cut in two loses the half that owns the result or tells the detail."""

from __future__ import annotations

import pytest

from tests.conftest import analyse_text

SPOKEN = ("So, yeah, I failed Step 1 in 2022. I was working nights in the emergency ward in Lagos, my practice "
          "scores were borderline and I sat the exam anyway. And in emergency medicine it is always loud, so, "
          "yeah, I think I can handle it now.")
LONG = ("In March of that year my family and I left Kharkiv and moved to Krakow. Six weeks before the exam my "
        "father had a stroke, and as the eldest son I was the one managing his care.")


def _sentences(analyzer, text: str, kind: str = "explanation") -> list[str]:
    return [s.text for s in analyse_text(analyzer, text, kind).doc.sentences]


@pytest.mark.parametrize("text", [SPOKEN, LONG])
def test_a_sentence_is_never_cut_before_and_or_after_a_comma(analyzer, text):
    # spaCy's small model cut these five sentences into ten ("my family" | "and I left Kharkiv…")
    got = _sentences(analyzer, text, "interview" if text is SPOKEN else "explanation")
    assert len(got) == text.count(". ") + 1
    assert all(s.endswith(".") for s in got)
    assert "and I sat the exam anyway." not in got


def test_a_line_break_still_ends_a_sentence(analyzer):
    text = "Dear Program Director,\nI failed Step 1 in 2021 and passed it in 2022\nThank you for reading."
    assert _sentences(analyzer, text) == ["Dear Program Director,", "I failed Step 1 in 2021 and passed it in 2022",
                                          "Thank you for reading."]


def test_full_stops_still_end_sentences_where_the_parser_says(analyzer):
    text = ('Dr. Okafor, my mentor, said "keep going." I passed Step 2 CK in 2023 with a 241! '
            "Did it change how I work? It did.")
    assert _sentences(analyzer, text) == ['Dr. Okafor, my mentor, said "keep going."',
                                          "I passed Step 2 CK in 2023 with a 241!", "Did it change how I work?",
                                          "It did."]
