"""Readability: Flesch reading ease and Flesch–Kincaid grade from textstat, and over-long sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..document import Document
from ..report import Finding, make_finding
from ..settings import Readability
from .syllables import textstat_offline

if TYPE_CHECKING:
    from ..analysis.context import Context


def metrics(doc: Document, settings: Readability) -> dict[str, Any]:
    """The contract's two figures, and whether the draft is long enough for them to mean anything (the
    formulas swing wildly on a few words: grade -2 for one short sentence).

    textstat's formulas, words and syllables, over coach's own sentences: textstat ends a sentence at every
    full stop, so "St. Luke's", "the U.S." and "9 p.m." made three sentences of one, and a draft full of
    abbreviations read as easy as a primer."""
    ts = textstat_offline()
    text = doc.analysis_text
    words = ts.lexicon_count(text)
    syllables_per_word = ts.syllable_count(text) / words if words else 0.0
    words_per_sentence = words / _sentence_count(doc) if words else 0.0
    ease = grade = 0.0
    if words and syllables_per_word:  # as textstat: 0 for a text with no words
        ease = _FRE_BASE - _FRE_SENTENCE * words_per_sentence - _FRE_SYLLABLE * syllables_per_word
        grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59  # textstat's Flesch–Kincaid
    return {"flesch_reading_ease": round(ease, 1), "flesch_kincaid_grade": round(grade, 1),
            "readability_reliable": doc.words >= settings.min_words_for_grade}


_FRE_BASE, _FRE_SENTENCE, _FRE_SYLLABLE = 206.835, 1.015, 84.6  # textstat's Flesch reading ease for English


def _sentence_count(doc: Document) -> int:
    """Sentences as textstat counts them, but cut where coach cuts them: one of two words or fewer (a
    heading, "Dear Dr. Reyes,") is not counted."""
    ts = textstat_offline()
    return max(1, sum(ts.lexicon_count(doc.analysis_text[s.start:s.end]) > 2 for s in doc.sentences))


def check_readability(doc: Document, values: dict[str, Any], settings: Readability) -> list[Finding]:
    limit = settings.long_sentence_words
    texts = settings.messages
    out = []
    for s in doc.sentences:
        words = len(s.text.split())
        if words > limit:
            t = texts["long-sentence"]
            out.append(make_finding(doc, "readability.long-sentence", t["severity"],
                                    t["message"].format(words=words, limit=limit),
                                    t["suggestion"].format(words=words, limit=limit), s.start, s.end))
    grade = values.get("flesch_kincaid_grade", 0)
    if values.get("readability_reliable") and grade > settings.hard_grade:
        hardest = max(doc.sentences, key=lambda s: len(s.text.split()))
        t = texts["hard-to-read"]
        out.append(make_finding(doc, "readability.hard-to-read", t["severity"], t["message"].format(grade=grade),
                                t["suggestion"].format(grade=grade), hardest.start, hardest.end))
    return out


def readability(ctx: Context) -> list[Finding]:
    """Every kind's readability findings, from the metrics the analyzer computed."""
    return check_readability(ctx.doc, ctx.metrics, ctx.settings.readability)
