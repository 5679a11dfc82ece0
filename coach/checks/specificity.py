"""Specificity: paragraphs that stay abstract, and concrete elements (outcomes with numbers, named
settings, durations, roles) the statement never gives. Clichés are phrase rules in the rubric."""

from __future__ import annotations

from typing import Any

from ..document import Document
from ..report import Finding, make_finding
from ..roles.paragraphs import Paragraph, spans_in


def concrete_markers(doc: Document, paragraph: Paragraph, spans: dict[str, list], cfg: dict[str, Any]) -> int:
    """Distinct concrete details in a paragraph, counted once per starting position: each run of proper
    nouns (a named person or place), each number, and each match of the marker cue sets."""
    pos = set(cfg["marker_pos"])
    starts = set(_token_markers(doc, paragraph, pos, bool(cfg["count_numbers"])))
    for name in cfg["marker_sets"]:
        starts.update(s.start_char for s in spans_in(spans, f"set:{name}", paragraph))
    return len(starts)


def _token_markers(doc: Document, paragraph: Paragraph, pos: set[str], numbers: bool) -> list[int]:
    sdoc = doc.spacy_doc
    if sdoc is None:
        return []
    out, previous_named = [], False
    for token in sdoc.char_span(paragraph.start, paragraph.end, alignment_mode="expand") or ():
        named = token.pos_ in pos and not token.is_sent_start
        if (named and not previous_named) or (numbers and token.like_num):
            out.append(token.idx)
        previous_named = named
    return out


def check_specificity(doc: Document, paragraphs: list[Paragraph], spans: dict[str, list],
                      cfg: dict[str, Any], whole: bool = True) -> list[Finding]:
    """Abstract paragraphs, and (for a `whole` statement, not an excerpt) the elements it never gives."""
    if not paragraphs:
        return []
    missing = _missing_elements(doc, paragraphs, spans, cfg) if whole else []
    return _abstract_paragraphs(doc, paragraphs, spans, cfg) + missing


def _abstract_paragraphs(doc: Document, paragraphs: list[Paragraph], spans: dict[str, list],
                         cfg: dict[str, Any]) -> list[Finding]:
    text = cfg["abstract"]
    skip = set(cfg["skip_parts"])
    floors: dict[str, float] = cfg["min_markers_per_100_words"]
    out = []
    for p in paragraphs:
        if p.part in skip or p.words < int(cfg["min_words"]):
            continue
        markers = concrete_markers(doc, p, spans, cfg)
        if markers * 100 / p.words >= float(floors.get(p.part, floors["default"])):
            continue
        prompt = text["by_part"].get(p.part) or text["by_part"]["other"]
        message = text["message"].format(words=p.words, markers=markers)
        out.append(make_finding(doc, text["id"], prompt["severity"], message, prompt["suggestion"],
                                p.start, p.end))
    return out


def _missing_elements(doc: Document, paragraphs: list[Paragraph], spans: dict[str, list],
                      cfg: dict[str, Any]) -> list[Finding]:
    anchor = next((p for p in paragraphs if p.part == "key_experiences"), paragraphs[0]).sentences[0]
    out = []
    for element in cfg["elements"].values():
        if _has(spans, element):
            continue
        out.append(make_finding(doc, element["id"], element["severity"], element["message"],
                                element["suggestion"], anchor.start, anchor.end))
    return out


def _has(spans: dict[str, list], element: dict[str, Any]) -> bool:
    return bool(spans.get(f"set:{element['set']}"))
