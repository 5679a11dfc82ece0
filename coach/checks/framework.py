"""The four-part framework: each part present, its length against the rubric, the order, the total."""

from __future__ import annotations

from typing import Any

from ..document import Document, Sentence
from ..report import Finding, make_finding


def check_framework(doc: Document, sentences: list[Sentence], settings: dict[str, Any],
                    carried: dict[str, Sentence] | None = None,
                    told_on: dict[str, tuple[Sentence, str]] | None = None) -> tuple[dict[str, Any], list[Finding]]:
    """`sentences` is the passage the framework applies to: a whole explanation, or a statement's
    score paragraph. `carried`: the sentence of another part that also carries a part (carried_parts); a
    part no sentence plays is then present, in that sentence, and never out of order or too long.
    `told_on`: a missing part told on a sentence that half says it, with a message of its own (part ->
    (sentence, key under messages.missing)): an opening that names the exam but plays another part
    (`context_mixed`), a claim of responsibility that owns nothing (`responsibility_claimed`)."""
    order: list[str] = settings["order"]
    expected = {p: settings["parts"][p]["expected"] for p in order}
    by_part = {p: [s for s in sentences if s.role == p] for p in order}
    carried = carried or {}
    present = {p: by_part[p] or ([carried[p]] if p in carried else []) for p in order}
    parts = {p: {"present": bool(present[p]), "sentences": [s.index for s in present[p]],
                 "expected": list(expected[p]), "status": _status(len(present[p]), expected[p])} for p in order}
    opening = next((s for s in sentences if s.role != "other"), None)
    violations = _order_violations(by_part, order, {p: s for p, s in carried.items() if s is opening})
    findings = []
    findings += _missing(doc, sentences, present, order, settings, told_on or {})
    findings += _length(doc, by_part, expected, settings)
    findings += _out_of_order(doc, violations, settings)
    findings += _overall(doc, sentences, settings)
    return {"parts": parts, "order_ok": not violations}, findings


def mixed_opening(sentences: list[Sentence], hits: set[int]) -> Sentence | None:
    """The passage's first sentence that plays a part, when it names the exam (`hits`: framework
    `context_mixed_by`) but plays another part than context."""
    first = next((s for s in sentences if s.role != "other"), None)
    return first if first is not None and first.index in hits and first.role != "context" else None


def carried_parts(sentences: list[Sentence], first_hits: dict[str, set[int]],
                  any_hits: dict[str, set[int]]) -> dict[str, Sentence]:
    """The sentence that carries each part beside its own, for check_framework (which uses it only where
    no sentence plays the part). `first_hits` (framework `carried_by`): the sentences where all the part's
    cue sets match, counted only in the passage's first sentence that plays a part or matches, so a
    greeting before it does not count: "My Step 1 score of 208 reflects my own study method" owns the
    result and also tells what happened. `any_hits` (framework `covered_by`): any sentence where its set
    matches (a statement's "I did not pass Step 1 on my first attempt, and that was my responsibility")."""
    out = {}
    for part, hits in first_hits.items():
        first = next((s for s in sentences if s.role != "other" or s.index in hits), None)
        if first is not None and first.index in hits:
            out[part] = first
    for part, hits in any_hits.items():
        carrier = next((s for s in sentences if s.index in hits), None)
        if carrier is not None:
            out.setdefault(part, carrier)
    return out


def growth_without_evidence(doc: Document, sentences: list[Sentence], settings: dict[str, Any],
                            evidence_sentences: set[int]) -> list[Finding]:
    growth = [s for s in sentences if s.role == "growth"]
    cfg = settings.get("growth_evidence")
    if not growth or not cfg or any(s.index in evidence_sentences for s in growth):
        return []
    first = growth[0]
    return [make_finding(doc, cfg["rule"], cfg["severity"], cfg["message"], cfg["suggestion"], first.start, first.end)]


def _status(count: int, expected: list[int]) -> str:
    low, high = expected
    if count == 0:
        return "missing"
    if count > high:
        return "too_long"
    if count < low:
        return "too_short"
    return "ok"


def _messages(settings: dict[str, Any]) -> dict[str, Any]:
    return settings["messages"]


def _missing(doc: Document, sentences: list[Sentence], by_part: dict, order: list[str],
             settings: dict[str, Any], told_on: dict[str, tuple[Sentence, str]]) -> list[Finding]:
    out = []
    for i, part in enumerate(order):
        if by_part[part] or not sentences:
            continue
        earlier = [s for p in order[:i] for s in by_part[p]]
        anchor = max(earlier, key=lambda s: s.index) if earlier else sentences[0]
        text = _messages(settings)["missing"][part]
        if part in told_on and told_on[part][1] in _messages(settings)["missing"]:
            anchor, text = told_on[part][0], _messages(settings)["missing"][told_on[part][1]]
        severity = settings["parts"][part]["missing_severity"]
        out.append(make_finding(doc, f"framework.missing-{part}", severity, text["message"], text["suggestion"],
                                anchor.start, anchor.end))
    return out


def _length(doc: Document, by_part: dict, expected: dict, settings: dict[str, Any]) -> list[Finding]:
    out = []
    for part, found in by_part.items():
        low, high = expected[part]
        values = {"part": part, "count": len(found), "low": low, "high": high}
        if len(found) > high:
            key, extra = "too_long", found[high:]
            anchor_start, anchor_end = extra[0].start, extra[-1].end if _contiguous(extra) else extra[0].end
        elif 0 < len(found) < low:
            key, anchor_start, anchor_end = "too_short", found[-1].start, found[-1].end
        else:
            continue
        text = _messages(settings)[key]
        out.append(make_finding(doc, f"framework.{key.replace('_', '-')}", settings["severities"][key],
                                text["message"].format(**values), text["suggestion"].format(**values),
                                anchor_start, anchor_end))
    return out


def _contiguous(sentences: list[Sentence]) -> bool:
    return all(b.index == a.index + 1 for a, b in zip(sentences, sentences[1:]))


def _order_violations(by_part: dict, order: list[str],
                      opening: dict[str, Sentence]) -> list[tuple[Sentence, str]]:
    """(first sentence of a part, the earlier part that only appears after it). A part the opening sentence
    carries (`opening`: framework carried_by) starts there: "I failed Step 1 ..., and that decision was
    mine." tells the context before a later sentence of circumstance, so the responsibility is in order."""
    first = {p: s[0] for p, s in by_part.items() if s}
    for part, sentence in opening.items():
        if part in first and sentence.index < first[part].index:
            first[part] = sentence
    out = []
    for i, part in enumerate(order):
        if part not in first:
            continue
        later_earlier = [p for p in order[:i] if p in first and first[p].index > first[part].index]
        if later_earlier:
            out.append((first[part], later_earlier[0]))
    return out


def _out_of_order(doc: Document, violations: list, settings: dict[str, Any]) -> list[Finding]:
    text = _messages(settings)["out_of_order"]
    out = []
    for sentence, earlier in violations:
        values = {"part": sentence.role, "earlier": earlier}
        out.append(make_finding(doc, "framework.out-of-order", settings["severities"]["out_of_order"],
                                text["message"].format(**values), text["suggestion"].format(**values),
                                sentence.start, sentence.end))
    return out


def _overall(doc: Document, sentences: list[Sentence], settings: dict[str, Any]) -> list[Finding]:
    limits = settings["overall"]
    max_sentences, max_words = limits["sentences"], limits["words"]
    words = 0
    crossing = None
    for i, s in enumerate(sentences):
        words += len(s.text.split())
        if crossing is None and (i + 1 > max_sentences or words > max_words):
            crossing = s
    if crossing is None:
        return []
    values = {"sentences": len(sentences), "words": words, "max_sentences": max_sentences, "max_words": max_words}
    text = _messages(settings)["overall_long"]
    return [make_finding(doc, "framework.too-long", settings["severities"]["overall_long"],
                         text["message"].format(**values), text["suggestion"].format(**values),
                         crossing.start, crossing.end)]
