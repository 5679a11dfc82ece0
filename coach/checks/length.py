"""ERAS field limits (characters) and the recommended length of a personal statement (words).

ERAS counts every character: letters, digits, spaces and punctuation; a line break counts once.
"""

from __future__ import annotations

from typing import Any

from ..document import WORD, Document, Sentence
from ..report import Finding, make_finding


def eras_characters(doc: Document) -> int:
    return eras_count(doc.text)


def eras_count(text: str) -> int:
    """Characters as the ERAS field counts them: the text trimmed, a Windows line break as one."""
    return len(text.strip().replace("\r\n", "\n"))


def check_length(doc: Document, cfg: dict[str, Any], field: str) -> list[Finding]:
    limits = cfg["fields"][field]
    findings = _over_chars(doc, limits, cfg["messages"]["over_chars"])
    if "words" in limits and not findings:
        findings += _word_range(doc, limits["words"], cfg["messages"])
    return findings


def _over_chars(doc: Document, limits: dict[str, Any], text: dict[str, Any]) -> list[Finding]:
    chars, max_chars = eras_characters(doc), int(limits["max_chars"])
    if chars <= max_chars:
        return []
    over = chars - max_chars
    values = {"chars": chars, "max_chars": max_chars, "label": limits["label"], "over": over,
              "over_words": max(1, round(over / 6))}
    limit_offset = len(doc.text) - len(doc.text.lstrip()) + max_chars
    start, end = _sentence_at(doc, limit_offset) or (limit_offset, len(doc.text))
    return [_finding(doc, text, values, start, end)]


def _word_range(doc: Document, bounds: list[int], messages: dict[str, Any]) -> list[Finding]:
    low, high = int(bounds[0]), int(bounds[1])
    words = doc.words
    values = {"words": words, "low": low, "high": high, "over": words - high, "under": low - words}
    if words > high:
        crossing = _sentence_crossing(doc, high)
        start, end = (crossing.start, crossing.end) if crossing else (0, len(doc.text))
        return [_finding(doc, messages["over_words"], values, start, end)]
    if words < low and doc.sentences:
        first = doc.sentences[0]
        return [_finding(doc, messages["under_words"], values, first.start, first.end)]
    return []


def _finding(doc: Document, text: dict[str, Any], values: dict[str, Any], start: int, end: int) -> Finding:
    return make_finding(doc, text["id"], text["severity"], text["message"].format(**values),
                        text["suggestion"].format(**values), start, end)


def _sentence_at(doc: Document, offset: int) -> tuple[int, int] | None:
    for s in doc.sentences:
        if s.end > offset:
            return s.start, s.end
    return None


def _sentence_crossing(doc: Document, limit: int) -> Sentence | None:
    total = 0
    for s in doc.sentences:
        total += len(WORD.findall(doc.analysis_text[s.start:s.end]))
        if total > limit:
            return s
    return None
