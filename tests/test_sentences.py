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


def test_full_stops_still_end_sentences_where_the_parser_says(analyzer):
    text = ('Dr. Okafor, my mentor, said "keep going." I passed Step 2 CK in 2023 with a 241! '
            "Did it change how I work? It did.")
    assert _sentences(analyzer, text) == ['Dr. Okafor, my mentor, said "keep going."',
                                          "I passed Step 2 CK in 2023 with a 241!", "Did it change how I work?",
                                          "It did."]


WRAPPED = ("I failed Step 1 in 2021 on my first attempt, and looking back the result\n"
           "was mine: I studied alone from notes and never tested myself under time. I\n"
           "joined a study group and did forty timed questions a day, and I passed Step 2\n"
           "CK with 241.\n\n"
           "In internal medicine I will keep asking for feedback early.")


def test_a_hard_wrapped_text_file_is_read_as_the_same_sentences(analyzer):
    """A plain-text email or .txt file breaks long lines in mid-sentence; only a blank line or a full stop
    ends a sentence there."""
    got = analyse_text(analyzer, WRAPPED, "explanation").doc.sentences
    unwrapped = [" ".join(s.text.split()) for s in got]
    assert unwrapped == [" ".join(s.split()) for s in
                         ("I failed Step 1 in 2021 on my first attempt, and looking back the result was mine: I "
                          "studied alone from notes and never tested myself under time.",
                          "I joined a study group and did forty timed questions a day, and I passed Step 2 CK "
                          "with 241.", "In internal medicine I will keep asking for feedback early.")]
    assert [s.role for s in got] == ["responsibility", "growth", "connection"]


def test_short_lines_and_list_items_keep_their_own_lines(analyzer):
    text = ("Dear Dr. Okafor,\nThank you for the interview on Tuesday and for the tour of the county clinic with "
            "your residents.\nMy plan had three parts:\n- timed blocks every morning\n- an error log\n"
            "Best regards,\nAmina Yusuf")
    assert _sentences(analyzer, text, "email") == text.split("\n")


def test_a_quote_opening_a_line_starts_one_sentence_with_its_words(analyzer):
    text = 'I failed Step 1 in 2021.\n"Keep practising under time," my mentor told me, and I did.'
    assert _sentences(analyzer, text) == ["I failed Step 1 in 2021.",
                                          '"Keep practising under time," my mentor told me, and I did.']


@pytest.mark.parametrize("text", [
    # a Spanish title: spaCy knew "Dr." but cut after "Dra.", and the framework then counted four sentences
    "I then met weekly with la Dra. María José Peña, my mentor in Bogotá, and we reviewed every block together.",
    # a line break after a title in a .txt (a short line, so not a wrap): it ended the sentence there
    "Every Tuesday I met my mentor, Dr.\nOkafor, and she reviewed my timed blocks with me.",
    "In Lima I trained under PROF. Ruiz and Sra. Quispe, who ran the night clinic.",
])
def test_a_title_before_a_name_never_ends_a_sentence(analyzer, text):
    assert _sentences(analyzer, text) == [text]


def test_a_title_does_not_join_a_salutation_to_the_next_line(analyzer):
    text = "Dear Dr. Okafor,\nThank you for the interview on Tuesday."
    assert _sentences(analyzer, text, "email") == text.split("\n")
