"""The words a head reads beside the sentence vector (flags.yaml `words`): the same on every machine, and
part of what the shipped heads are keyed by."""

from __future__ import annotations

import numpy as np

from coach.roles.training import HeadSettings
from coach.roles.words import BUCKETS, with_words, word_features


def test_the_same_words_give_the_same_row_whatever_their_case_and_the_row_has_the_weight_as_length():
    rows = word_features(["May I ask how many positions you offer?", "MAY I ASK HOW MANY POSITIONS YOU OFFER"],
                         0.5)
    assert rows.shape == (2, BUCKETS) and np.array_equal(rows[0], rows[1])
    assert np.isclose(np.linalg.norm(rows[0]), 0.5)


def test_one_word_changed_changes_the_row_and_a_text_without_words_reads_as_nothing():
    offer, rank, empty = word_features(["How many applicants will you offer?", "How many applicants will you rank?",
                                        "2024 - 231"], 1.0)
    assert not np.array_equal(offer, rank) and offer @ rank > 0.5  # most words (and pairs) are shared
    assert not empty.any()


def test_a_head_without_words_reads_the_vectors_unchanged():
    vectors = np.ones((2, 3), dtype=np.float32)
    assert with_words(vectors, ["a", "b"], 0.0) is vectors
    assert with_words(vectors, ["a", "b"], 1.0).shape == (2, 3 + BUCKETS)


def test_heads_are_fit_again_when_a_head_starts_or_stops_reading_words():
    plain = HeadSettings(("nrmp_error",))
    assert plain.key("x") != HeadSettings(("nrmp_error",), words={"nrmp_error": 1.0}).key("x")
    assert HeadSettings(("nrmp_error",), words={"nrmp_error": 1.0}).key("x") != \
        HeadSettings(("nrmp_error",), words={"nrmp_error": 0.5}).key("x")
