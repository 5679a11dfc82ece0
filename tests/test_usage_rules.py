"""Usage an American reader trips on (rubrics/usage.yaml) is named in every kind of draft, with the American
word to use, and the same words in their ordinary sense are left alone."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

DRAFTS = {
    "explanation": ("I passed out of Dow Medical College in 2019. Half of my batch failed Step 1 that year, and "
                    "I have been working in a rural clinic since two years. During my house job I did a mistake "
                    "in how I planned my study.",
                    {"style.passed-out", "style.batch", "grammar.since-duration", "style.clinical-word",
                     "grammar.make-a-mistake"}),
    "email": ("Dear Dr. Patel,\n\nThank you for the interview and for all the informations about the "
              "refugee clinic. Kindly revert if any other document is needed.\n\nSincerely,\nAyesha",
              {"grammar.uncountable-plural", "style.revert"}),
    "personal_statement": ("During my surgery posting in Kano I learnt to close a wound under a torch. " * 3,
                           {"style.posting"}),
    "email (letter English)": ("Respected Sir,\n\nThank you for the interview. I have attached my updated CV; "
                               "kindly find the same. I look forward to hear from you.\n\nAyesha",
                               {"style.letter-phrases", "style.the-same", "grammar.look-forward-to"}),
    "interview": ("We discussed about my first attempt with my mentor, and I preponed my retake by a month.",
                  {"grammar.verb-about", "style.prepone"}),
}


@pytest.mark.parametrize("kind", sorted(DRAFTS))
def test_usage_is_named_in_every_kind_of_draft(tmp_path, kind):
    text, expected = DRAFTS[kind]
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    as_kind = kind.split()[0]
    report = json.loads(run_cli("check", str(draft), "--kind", as_kind, "--format", "json", "--grammar", "off").stdout)
    usage = {f["rule"]: f for f in report["findings"] if f["rule"] in expected}
    assert set(usage) == expected
    assert all(f["suggestion"] and f["category"] in ("style", "grammar") for f in usage.values())


def test_the_same_words_in_their_ordinary_sense_are_not_flagged(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("I failed Step 1 in 2022. The patient passed out in the waiting room, and I ran a batch of "
                     "samples. I graduated in 2019 and have worked in a rural clinic for two years. My mentor "
                     "gave me advice and feedback, and we discussed the case.", encoding="utf-8")
    report = json.loads(run_cli("check", str(draft), "--kind", "explanation", "--format", "json",
                                "--grammar", "off").stdout)
    assert [f["rule"] for f in report["findings"] if f["category"] in ("style", "grammar")] == []
