"""Flags recognised by meaning (rubrics/flags.yaml), merged with the phrase rules' findings.

A rule finding keeps its precise excerpt and message; when the head of the same category flags the same
sentence, that finding is marked `source: both` with the head's confidence. A head alone marks the whole
sentence with the flag's own message (`source: model`). A rule alone is marked `source: rule` where a head
of that category exists, so a reader can tell the two apart."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..document import Sentence, encoder_text
from ..report import Finding, make_finding
from ..rubric import SEVERITY_RANK

if TYPE_CHECKING:
    from ..analysis.context import Context
    from ..roles.flags import FlagScore
    from ..settings import FlagHead


def with_meaning_flags(ctx: Context, sentences: list[Sentence], findings: list[Finding],
                       kind: str | None = None) -> list[Finding]:
    """`findings` (the rules') with the flag heads of `kind` (default: the document's) merged in."""
    heads = ctx.settings.flags.for_kind(kind or ctx.doc.kind)
    if not heads or ctx.flag_model is None or not sentences:
        return findings
    categories = {h.rule.split(".", 1)[0] for h in heads.values()}
    out = [replace(f, source="rule") if f.category in categories and not f.source else f for f in findings]
    texts = [encoder_text(ctx.doc, s) for s in sentences]
    scores = ctx.flag_model.flagged(kind or ctx.doc.kind, _vectors(ctx, sentences, texts), texts)
    for i, (sentence, flags) in enumerate(zip(sentences, scores)):
        if _quoted(sentence.text):
            continue  # someone else's words, as the phrase rules read them
        after = list(zip(sentences[i + 1:i + 2], scores[i + 1:i + 2]))
        for score in flags:
            head = heads[score.flag]
            if _plays(sentence, head) and not _opens(score, head, after):
                out = _merge(ctx, sentence, score, head, out)
    return out


def _plays(sentence: Sentence, head: FlagHead) -> bool:
    return not head.roles or sentence.role in head.roles


def _opens(score: FlagScore, head: FlagHead, after: list[tuple[Sentence, list[FlagScore]]]) -> bool:
    """A sentence the head is unsure of (under `opener_below`) that is followed by one of the same part the
    head does not flag: an opener to the specifics ("That failure changed how I prepare." then the plan),
    not a claim left bare."""
    if score.probability >= head.opener_below or not after:
        return False
    following, flags = after[0]
    return _plays(following, head) and all(s.flag != score.flag for s in flags)


def _merge(ctx: Context, sentence: Sentence, score: FlagScore, head: FlagHead,
           findings: list[Finding]) -> list[Finding]:
    """A rule of the same category in the sentence, or of any category decided together with it (a group's
    head found "blame or excuse"; the rule says which), takes the model's finding in."""
    flags = ctx.settings.flags
    group = flags.group_of(score.flag)
    members = flags.groups[group].members if group else (score.flag,)
    categories = {flags.heads[m].rule.split(".", 1)[0] for m in members if m in flags.heads}
    inside = [f for f in findings if f.category in categories and sentence.start <= f.start < sentence.end]
    if any(SEVERITY_RANK[f.severity] < SEVERITY_RANK[head.severity] for f in inside):
        return findings  # a rule already says something stronger about this sentence
    same = [f for f in inside if f.severity == head.severity]
    if same:
        both = {id(f) for f in same}
        return [replace(f, source="both", confidence=score.probability, nearest_example=score.nearest_example)
                if id(f) in both else f for f in findings]
    model = make_finding(ctx.doc, head.rule, head.severity, head.message, head.suggestion, sentence.start,
                         sentence.end)
    return [*findings, replace(model, source="model", confidence=score.probability,
                               nearest_example=score.nearest_example)]


_OPENING, _CLOSING = "\"“‘«„'", "\"”’»'"


def _quoted(text: str) -> bool:
    """A sentence that is all one quotation ("“It was not my fault,” my classmate said" is not)."""
    body = text.strip().rstrip(".!?,;:")
    return len(body) > 2 and body[0] in _OPENING and body[-1] in _CLOSING and body.count(body[0]) <= 2


def _vectors(ctx: Context, sentences: list[Sentence], texts: list[str]) -> np.ndarray:
    """The vectors the role step stored, encoding (from `texts`) only the sentences it did not label (an
    email's)."""
    missing = [t for s, t in zip(sentences, texts) if s.vector is None]
    fresh = iter(ctx.encoder.encode(missing)) if missing else iter(())
    return np.vstack([s.vector if s.vector is not None else next(fresh) for s in sentences])
