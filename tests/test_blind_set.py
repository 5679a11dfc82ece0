"""The blind development sets (benchmarks/blind*/) stay apart from everything coach learns from: no sentence
of them shares a run of twelve words with a labelled example, a training explanation or a rubric rule, but
for the odd formulaic one. Independent writers meet on result sentences: a run made only of exam, attempt
and year words ("I did not pass Step 2 CK on my first attempt in 2022.") is not wording learnt from
anyone, so it does not count; of the rest, at most one sentence in a hundred of each set may share a run."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RUN = 12
RESULT_WORDS = {"i", "did", "not", "pass", "passed", "fail", "failed", "step", "ck", "on", "my", "first", "second",
                "third", "attempt", "in", "and", "with", "a", "score", "of"}


def _grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def _formulaic(run: tuple[str, ...]) -> bool:
    return all(word in RESULT_WORDS or word.isdigit() for word in run)


def _blind_sets() -> dict[str, list[str]]:
    """Every sentence of each blind set: benchmarks/blind, and blind8 to blind16 written later by other hands."""
    sets = {}
    for folder in sorted((ROOT / "benchmarks").glob("blind*")):
        drafts = yaml.safe_load((folder / "explanations.yaml").read_text(encoding="utf-8"))["explanations"]
        emails = yaml.safe_load((folder / "emails.yaml").read_text(encoding="utf-8"))["emails"]
        sentences = [s["text"] for d in [*drafts, *emails] for s in d["sentences"]]
        if (folder / "paragraphs.yaml").is_file():
            paragraphs = yaml.safe_load((folder / "paragraphs.yaml").read_text(encoding="utf-8"))["paragraphs"]
            sentences += [s for texts in paragraphs.values() for p in texts for s in _sentences(p)]
        sets[folder.name] = sentences
    return sets


def _learnt() -> set[tuple[str, ...]]:
    """Every run of words in the rubric and its exemplars: what coach learns from."""
    learnt: set[tuple[str, ...]] = set()
    for path in sorted((ROOT / "rubrics").rglob("*.yaml")):
        learnt |= _grams(path.read_text(encoding="utf-8"))
    return learnt


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text.strip())


def test_the_blind_set_shares_no_wording_with_what_coach_learns_from():
    learnt = _learnt()
    sets = _blind_sets()
    assert len(sets) >= 6
    for name, sentences in sets.items():
        shared = [s for s in sentences if any(not _formulaic(run) for run in _grams(s) & learnt)]
        assert len(shared) <= len(sentences) // 100, (name, shared)


def test_a_result_sentence_alone_is_formulaic_but_a_reason_is_not():
    assert _formulaic(_grams("I did not pass Step 2 CK on my first attempt in 2022.").pop())
    assert not _formulaic(_grams("I did not pass Step 2 CK because my school never taught it.").pop())


def test_each_blind_set_is_big_enough_to_measure():
    for folder in sorted((ROOT / "benchmarks").glob("blind*")):
        drafts = yaml.safe_load((folder / "explanations.yaml").read_text(encoding="utf-8"))
        emails = yaml.safe_load((folder / "emails.yaml").read_text(encoding="utf-8"))
        assert len(drafts["explanations"]) >= 40 and len(emails["emails"]) >= 30, folder.name


def test_the_good_drafts_of_an_unseen_writer_share_little_wording_with_what_coach_learns_from():
    """benchmarks/good_unseen/ measures whether good writing by someone who never saw the rubric gains a
    finding; copying its wording into the exemplars would make that measure easy. Written apart, it met the
    exemplars on eight stock sentences ("thank you so much for hosting the virtual social the night before my
    interview"), 1.3 in a hundred, so the bar is two in a hundred rather than the blind sets' one."""
    learnt = _learnt()
    data = yaml.safe_load((ROOT / "benchmarks" / "good_unseen" / "good_drafts.yaml").read_text(encoding="utf-8"))
    texts = [d["text"] for key in ("explanations", "emails") for d in data[key]]
    sentences = [s for text in texts for s in _sentences(text)]
    assert len(texts) >= 70
    shared = [s for s in sentences if any(not _formulaic(run) for run in _grams(s) & learnt)]
    assert len(shared) <= 2 * len(sentences) // 100, shared


def test_every_labelled_email_says_compliant_exactly_when_no_sentence_is_an_nrmp_error():
    """flags_eval counts caught and falsely flagged emails by `compliant`; a sentence dropped for sharing
    wording with a blind set must not leave an email called non-compliant with no error left in it."""
    files = [*(ROOT / "rubrics" / "exemplars").glob("emails_*.yaml"), *(ROOT / "benchmarks").glob("blind*/emails.yaml")]
    wrong = [e["id"] for path in files for e in yaml.safe_load(path.read_text(encoding="utf-8"))["emails"]
             if "compliant" in e and e["compliant"] == any(s["nrmp"] == "error" for s in e["sentences"])]
    assert len(files) > 20 and not wrong
