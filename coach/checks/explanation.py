"""The score explanation: the four-part framework (context, responsibility, growth, connection) and the
explanation phrase rules, over a whole explanation or over a personal statement's score passage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..document import Document, Sentence
from ..report import Finding
from .flags import with_meaning_flags
from .framework import carried_parts, check_framework, growth_without_evidence, mixed_opening
from .phrases import check_phrases, sentences_with

if TYPE_CHECKING:
    from ..analysis.context import Context


def check_explanation(ctx: Context) -> list[Finding]:
    """A whole explanation: sets ctx.framework."""
    ctx.framework, findings = framework_findings(ctx, ctx.doc.sentences)
    return findings


def framework_findings(ctx: Context, sentences: list[Sentence],
                       missing: dict | None = None) -> tuple[dict, list[Finding]]:
    """The four-part framework and the explanation phrase rules over a passage. `missing` replaces the
    missing-part messages (an interview answer is said, not written)."""
    settings = dict(ctx.rubric.section("framework"))
    if missing:
        messages = dict(settings["messages"])
        messages["missing"] = {**messages["missing"], **missing}
        settings["messages"] = messages
    settings["growth_evidence"] = ctx.rubric.section("growth_evidence")
    rules = ctx.rubric.rules_for("explanation")
    phrase_findings = check_phrases(ctx.doc, rules, ctx.spans, ctx.rubric.section("negation"), sentences)
    phrase_findings = with_meaning_flags(ctx, sentences, phrase_findings)
    _no_ownership_in_blame(ctx.doc, phrase_findings, settings["not_responsibility"])
    framework, findings = check_framework(ctx.doc, sentences, settings, _carried(ctx, sentences, settings),
                                          _told_on(ctx, sentences, settings))
    findings += phrase_findings
    if not any(f.category == "growth" for f in findings):  # a rule or the head already said it
        evidence = {i for name in settings["growth_evidence"]["sets"] for i in sentences_with(ctx.doc, ctx.spans, name)}
        findings += growth_without_evidence(ctx.doc, sentences, settings, evidence)
    return framework, findings


def _carried(ctx: Context, sentences: list[Sentence], settings: dict) -> dict[str, Sentence]:
    return carried_parts(sentences, {part: _hits(ctx, n) for part, n in settings.get("carried_by", {}).items()},
                         {part: _hits(ctx, n) for part, n in settings.get("covered_by", {}).items()})


def _told_on(ctx: Context, sentences: list[Sentence], settings: dict) -> dict[str, tuple[Sentence, str]]:
    """Where a missing part is half said, and the message that says so (framework.check_framework)."""
    out = {}
    opening = mixed_opening(sentences, _hits(ctx, settings.get("context_mixed_by", [])))
    if opening is not None:
        out["context"] = (opening, "context_mixed")
    claimed = _hits(ctx, settings.get("responsibility_claimed_by", []))
    claim = next((s for s in sentences if s.index in claimed), None)
    if claim is not None:
        out["responsibility"] = (claim, "responsibility_claimed")
    return out


def _hits(ctx: Context, names: list[str] | str) -> set[int]:
    """The sentences where every one of these cue sets matches (none when no set is named)."""
    names = [names] if isinstance(names, str) else names
    if not names:
        return set()
    return set.intersection(*(sentences_with(ctx.doc, ctx.spans, name) for name in names))


def _no_ownership_in_blame(doc: Document, findings: list[Finding], categories: list[str]) -> None:
    """A sentence a phrase rule finds blaming or excusing explains the failure without owning it: whatever
    the encoder thought, it is context, not responsibility. A flag head's finding alone does not demote it:
    two models then disagree, and the role head's reading of ownership decided the development set better
    (responsibility present right 0.909 -> 0.939); the warning still shows."""
    for f in findings:
        if f.category not in categories or f.source == "model":
            continue
        for s in doc.sentences:
            if s.start <= f.start < s.end and s.role == "responsibility":
                s.role, s.role_source = "context", f"{s.role_source}; {f.category} is not ownership"
