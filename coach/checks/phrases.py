"""Phrase rules from the rubric (blame, excuse, oversharing, vague growth, and later NRMP and style),
with negation, quotation and the rules' conditions applied."""

from __future__ import annotations

from typing import Any

from ..document import Document, Sentence
from ..matching.index import sentence_of
from ..report import Finding, make_finding
from ..rubric import Rule

_QUOTES = {'"': '"', "“": "”", "«": "»"}


def check_phrases(doc: Document, rules: list[Rule], spans: dict[str, list], negation: dict[str, Any],
                  sentences: list[Sentence] | None = None) -> list[Finding]:
    """Findings for every rule match that survives negation, quotation and the rule's conditions.
    `sentences` limits the check to a passage (a statement's score paragraph)."""
    bounds = [(s.start, s.end) for s in doc.sentences]
    allowed = {s.index for s in sentences} if sentences is not None else None
    out: list[Finding] = []
    for rule in rules:
        said: set[int] = set()  # sentences this rule has a finding in
        for span in spans.get(f"rule:{rule.id}", []):
            i = sentence_of(span.start_char, bounds)
            if i is None or (allowed is not None and i not in allowed):
                continue
            if rule.once == "sentence" and i in said:
                continue
            if _draft_has(doc, i, rule.unless_draft_has, spans):
                continue
            if rule.negatable and is_negated(span, negation):
                continue
            if rule.skip_quoted and _in_quotes(doc.sentences[i], span.start_char):
                continue
            if _nearby(doc, i, rule.unless_nearby, spans, bounds):
                continue
            out.append(make_finding(doc, rule.id, rule.severity, rule.message, rule.suggestion,
                                    span.start_char, span.end_char))
            said.add(i)
            if rule.once == "draft":
                break
    return out


def is_negated(span, negation: dict[str, Any]) -> bool:
    inside = {t.i for t in span}
    for token in span:
        if any(c.dep_ == "neg" and c.i not in inside for c in token.children):
            return True
    head = span.root.head
    head_negated = head.i not in inside and any(c.dep_ == "neg" for c in head.children)
    if head_negated and (head.lemma_.lower() in negation["reporting_verbs"]
                         or span.root.dep_ in ("nsubj", "nsubjpass")):  # "bad luck was not the reason"
        return True
    if _attributed_to_others(span, negation) or _listed_beside_negated(span):
        return True
    return _negated_just_before(span, negation)


_LIST_SLOTS = ("dobj", "pobj", "attr", "agent", "prep", "nsubj", "nsubjpass")


def _listed_beside_negated(span) -> bool:
    """"I do not blame my school, the exam or bad luck": the match is a later item of a list whose first
    item the negated verb governs; the comma cuts it off from the "not" the word window reads."""
    token = span.root
    if token.dep_ != "conj":
        return False
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    for _ in range(3):
        if token.dep_ not in _LIST_SLOTS or token.head is token:
            return False
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return any(c.dep_ == "neg" for c in token.children)
    return False


def _negated_just_before(span, negation: dict[str, Any]) -> bool:
    """A negation among the few words before the match, in its own clause (common.yaml `negation`)."""
    before = list(span.doc[max(span.sent.start, span.start - int(negation["window"])):span.start])
    clause = max((k + 1 for k, t in enumerate(before) if t.text in negation["clause_breaks"]), default=0)
    words = " " + " ".join(t.lower_ for t in before[clause:]) + " "
    return any(f" {cue} " in words for cue in negation["preceding"])


def _attributed_to_others(span, negation: dict[str, Any]) -> bool:
    """"Some classmates said the exam was unfair": the match sits in what someone other than the writer
    said or thought (a clausal complement of a verb of saying whose subject is not "I", "we" or "you")."""
    verbs = negation["attribution_verbs"]
    token = span.root
    for _ in range(4):
        if token.head is token:
            return False
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in verbs:
            subjects = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            return bool(subjects) and all(s.lower_ not in ("i", "we", "you") for s in subjects)
        token = token.head
    return False


def _in_quotes(sentence: Sentence, offset: int) -> bool:
    before = sentence.text[: offset - sentence.start]
    if before.count('"') % 2 == 1:
        return True
    return any(before.count(o) > before.count(c) for o, c in _QUOTES.items() if o != c)


def _draft_has(doc: Document, i: int, cond: dict, spans: dict[str, list]) -> bool:
    """Whether the draft elsewhere has what the condition names. The matched sentence's own role does not
    count: an excuse is easily mistaken for the ownership it lacks."""
    if not cond:
        return False
    roles = set(cond.get("roles", []))
    if any(s.role in roles for s in doc.sentences if s.index != i):
        return True
    return any(spans.get(f"set:{name}") for name in cond.get("sets", []))


def _nearby(doc: Document, i: int, cond: dict, spans: dict[str, list], bounds) -> bool:
    if not cond:
        return False
    window = int(cond.get("window", 1))
    near = range(max(0, i - window), min(len(doc.sentences), i + window + 1))
    roles = set(cond.get("roles", []))
    if any(doc.sentences[j].role in roles for j in near):
        return True
    for name in cond.get("sets", []):
        for span in spans.get(f"set:{name}", []):
            j = sentence_of(span.start_char, bounds)
            if j is not None and j in near:
                return True
    return False


def sentences_with(doc: Document, spans: dict[str, list], set_name: str) -> set[int]:
    bounds = [(s.start, s.end) for s in doc.sentences]
    found = (sentence_of(span.start_char, bounds) for span in spans.get(f"set:{set_name}", []))
    return {i for i in found if i is not None}
