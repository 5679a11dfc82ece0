"""Statement structure: the opening (a story, not a definition, a quotation or a childhood dream), the
parts a statement needs (never the score paragraph), and orders that fight the reader."""

from __future__ import annotations

from typing import Any

from ..document import Document
from ..report import Finding, make_finding
from ..roles.paragraphs import Paragraph, spans_in


def check_structure(doc: Document, paragraphs: list[Paragraph], spans: dict[str, list],
                    cfg: dict[str, Any]) -> list[Finding]:
    if not paragraphs or doc.words < int(cfg["min_words"]):
        return []
    opening = _opening(doc, paragraphs, spans, cfg)
    findings = list(opening)
    findings += _missing(doc, paragraphs, cfg["required"], skip_story=bool(opening))
    findings += _order(doc, paragraphs, cfg["order"])
    return findings


def _opening(doc: Document, paragraphs: list[Paragraph], spans: dict[str, list],
             cfg: dict[str, Any]) -> list[Finding]:
    """A cliché opening (childhood, quotation, definition) in the first paragraph; otherwise, when a story
    exists but not first, a suggestion to open with it."""
    first = paragraphs[0]
    out = []
    for kind in cfg["openings"].values():
        found = spans_in(spans, f"set:{kind['set']}", first)
        if found:
            sentence = next(s for s in first.sentences if s.start <= found[0].start_char < s.end)
            out.append(_finding(doc, kind, sentence.start, sentence.end))
    stories = [p for p in paragraphs if p.part == "opening_story"]
    if not out and first.part != "opening_story" and stories:
        out.append(_finding(doc, cfg["not_story"], first.sentences[0].start, first.sentences[0].end))
    return out


def _missing(doc: Document, paragraphs: list[Paragraph], required: dict[str, Any],
             skip_story: bool) -> list[Finding]:
    present = {p.part for p in paragraphs}
    out = []
    for part, text in required.items():
        if part in present or (part == "opening_story" and skip_story):
            continue
        anchor = paragraphs[-1] if part == "future_vision" else paragraphs[0]
        sentence = anchor.sentences[-1] if part == "future_vision" else anchor.sentences[0]
        out.append(_finding(doc, text, sentence.start, sentence.end))
    return out


def _order(doc: Document, paragraphs: list[Paragraph], rules: list[dict[str, Any]]) -> list[Finding]:
    out = []
    for rule in rules:
        anchor = _violates(paragraphs, rule.get("when", {}))
        if anchor is not None:
            sentence = anchor.sentences[0]
            out.append(_finding(doc, rule, sentence.start, sentence.end))
    return out


def _violates(paragraphs: list[Paragraph], when: dict[str, Any]) -> Paragraph | None:
    """The paragraph that breaks the condition, or None."""
    if "first" in when and len(paragraphs) > 1 and paragraphs[0].part == when["first"]:
        return paragraphs[0]
    if "last" in when and len(paragraphs) > 1 and paragraphs[-1].part == when["last"]:
        return paragraphs[-1]
    if "before" in when:
        early, late = when["before"]
        first_early = next((p for p in paragraphs if p.part == early), None)
        first_late = next((p for p in paragraphs if p.part == late), None)
        if first_early and first_late and first_early.index < first_late.index:
            return first_early
    return None


def _finding(doc: Document, text: dict[str, Any], start: int, end: int) -> Finding:
    return make_finding(doc, text["id"], text["severity"], text["message"], text["suggestion"], start, end)
