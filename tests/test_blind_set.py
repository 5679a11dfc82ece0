"""The blind development set (benchmarks/blind/) stays apart from everything coach learns from: no sentence
of it shares a run of twelve words with a labelled example, a training explanation or a rubric rule, but
for the odd formulaic one: independent writers do meet on result sentences ("I passed Step 1 in 2020 and
Step 2 CK in 2021." stands in both), so at most one blind sentence in a hundred may share such a run."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RUN = 12


def _grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def _blind_sentences() -> list[str]:
    """Every sentence of the blind sets: benchmarks/blind and the second one written later, blind2."""
    sentences = []
    for folder in sorted((ROOT / "benchmarks").glob("blind*")):
        drafts = yaml.safe_load((folder / "explanations.yaml").read_text(encoding="utf-8"))["explanations"]
        emails = yaml.safe_load((folder / "emails.yaml").read_text(encoding="utf-8"))["emails"]
        sentences += [s["text"] for d in [*drafts, *emails] for s in d["sentences"]]
        if (folder / "paragraphs.yaml").is_file():
            paragraphs = yaml.safe_load((folder / "paragraphs.yaml").read_text(encoding="utf-8"))["paragraphs"]
            sentences += [s for texts in paragraphs.values() for p in texts for s in re.split(r"(?<=[.!?])\s+", p)]
    return sentences


def test_the_blind_set_shares_no_wording_with_what_coach_learns_from():
    learnt: set[tuple[str, ...]] = set()
    for path in sorted((ROOT / "rubrics").rglob("*.yaml")):
        learnt |= _grams(path.read_text(encoding="utf-8"))
    sentences = _blind_sentences()
    shared = [s for s in sentences if _grams(s) & learnt]
    assert len(shared) <= len(sentences) // 100, shared


def test_the_blind_set_is_big_enough_to_measure():
    drafts = yaml.safe_load((ROOT / "benchmarks" / "blind" / "explanations.yaml").read_text(encoding="utf-8"))
    emails = yaml.safe_load((ROOT / "benchmarks" / "blind" / "emails.yaml").read_text(encoding="utf-8"))
    assert len(drafts["explanations"]) >= 40 and len(emails["emails"]) >= 30
