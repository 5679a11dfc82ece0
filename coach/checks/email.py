"""Checks for a post-interview email: the phrase rules of rubrics/email.yaml (NRMP, greeting, attachments,
other interviews ...) and the checks a single phrase cannot make: length, paragraphs, and whether the
note says anything specific about the program. Every number and message comes from the `email` section."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..document import WORD, Document, Sentence
from ..report import Finding, make_finding
from .flags import with_meaning_flags
from .phrases import check_phrases

if TYPE_CHECKING:
    from ..analysis.context import Context

def check_email(ctx: Context) -> list[Finding]:
    """All email findings for a document of kind `email`."""
    doc = ctx.doc
    findings = check_phrases(doc, ctx.rubric.rules_for("email"), ctx.spans, ctx.rubric.section("negation"))
    findings = with_meaning_flags(ctx, doc.sentences, findings)
    cfg = ctx.settings.email
    if not doc.sentences:
        return findings
    limits, messages = cfg.limits, cfg.messages
    body = body_paragraphs(doc, limits.body_paragraph_words)
    findings += _too_long(doc, limits.words, messages.get("too-long"))
    findings += _too_many_paragraphs(doc, body, limits.body_paragraphs, messages.get("too-many-paragraphs"))
    detail = ctx.spans.get(f"set:{cfg.detail_set}")
    if not detail and doc.words >= cfg.detail_min_words:
        findings += _finding(doc, messages.get("no-detail"), _first_body_sentence(doc, body), {})
    return findings


def body_paragraphs(doc: Document, min_words: int) -> list[tuple[int, int]]:
    """(start, end) of the paragraphs that carry the message: not the greeting, sign-off or signature.
    Paragraphs are separated by blank lines; a note written one paragraph per line is read by lines."""
    blocks = doc.paragraphs()
    if len(blocks) <= 1:
        blocks = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", doc.analysis_text)]
    return [(s, e) for s, e in blocks if len(WORD.findall(doc.analysis_text[s:e])) >= min_words]


def _too_long(doc: Document, limit: int, text: dict | None) -> list[Finding]:
    if doc.words <= limit:
        return []
    seen = 0
    crossing = doc.sentences[-1]
    for sentence in doc.sentences:
        seen += len(WORD.findall(doc.analysis_text[sentence.start:sentence.end]))
        if seen > limit:
            crossing = sentence
            break
    return _finding(doc, text, crossing, {"words": doc.words, "limit": limit})


def _too_many_paragraphs(doc: Document, body: list[tuple[int, int]], limit: int,
                         text: dict | None) -> list[Finding]:
    if len(body) <= limit:
        return []
    start, _ = body[limit]
    anchor = next((s for s in doc.sentences if s.start >= start), doc.sentences[-1])
    return _finding(doc, text, anchor, {"count": len(body), "limit": limit})


def _first_body_sentence(doc: Document, body: list[tuple[int, int]]) -> Sentence:
    if body:
        start = body[0][0]
        found = next((s for s in doc.sentences if s.start >= start), None)
        if found is not None:
            return found
    return doc.sentences[0]


def _finding(doc: Document, text: dict | None, anchor: Sentence, values: dict[str, Any]) -> list[Finding]:
    if not text:
        return []
    return [make_finding(doc, text["rule"], text["severity"], text["message"].format(**values),
                         text["suggestion"].format(**values), anchor.start, anchor.end)]
