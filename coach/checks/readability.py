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
    formulas swing wildly on a few words: grade -2 for one short sentence)."""
    ts = textstat_offline()
    text = doc.analysis_text
    return {"flesch_reading_ease": round(float(ts.flesch_reading_ease(text)), 1),
            "flesch_kincaid_grade": round(float(ts.flesch_kincaid_grade(text)), 1),
            "readability_reliable": doc.words >= settings.min_words_for_grade}


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
