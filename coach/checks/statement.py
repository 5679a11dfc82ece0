"""The personal statement: paragraph parts, the score passage (the four-part framework, kept short and
ending on growth), structure, fit with the target programs, specificity and length.

Options (coach.settings.Options, on the Context): `program_type` (county|academic|community) weighs fit; `field`
(statement|experience|meaningful) picks the ERAS field whose limits apply. An Experiences or Most
Meaningful entry gets the length limit and the phrase rules only.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..document import Sentence
from ..report import Finding, make_finding
from ..roles.paragraphs import Paragraph, paragraph_classifier, spans_in, statement_paragraphs
from .explanation import framework_findings
from .length import check_length
from .mission import check_mission
from .phrases import check_phrases
from .specificity import check_specificity
from .structure import check_structure

if TYPE_CHECKING:
    from ..analysis.context import Context

KIND = "personal_statement"


def check_statement(ctx: Context) -> list[Finding]:
    """Every statement check; sets ctx.framework to the score passage's framework (or None). The sections
    and message templates it reads were checked when the rubric was loaded (coach.settings)."""
    ctx.framework, findings = _check(ctx, ctx.rubric.section(KIND))
    return findings


def _check(ctx: Context, cfg: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Finding]]:
    options = ctx.options
    field = options.field or "statement"
    field = field if field in cfg["length"]["fields"] else "statement"
    findings = check_length(ctx.doc, cfg["length"], field)
    if field != "statement":
        return None, findings + _phrase_findings(ctx, None)
    excerpt = ctx.doc.words < int(cfg["excerpt"]["max_words"])
    if excerpt:  # a paragraph, not a whole statement: its length and structure say nothing
        findings = []
        ctx.notices.append(cfg["excerpt"]["notice"].format(words=ctx.doc.words, s="" if ctx.doc.words == 1 else "s"))
    paragraphs = statement_paragraphs(ctx.doc)
    paragraph_classifier(ctx.encoder, ctx.settings.paragraphs).classify(paragraphs, ctx.spans)
    passage = score_passage(paragraphs, ctx.spans, cfg["score_passage"])
    framework = None
    if passage:
        framework, passage_findings = check_score_passage(ctx, passage, cfg["score_passage"])
        findings += passage_findings
    findings += _phrase_findings(ctx, passage)
    if not excerpt:
        findings += check_structure(ctx.doc, paragraphs, ctx.spans, cfg["structure"])
    findings += check_mission(ctx.doc, paragraphs, ctx.spans, cfg["mission"], options.program_type)
    findings += check_specificity(ctx.doc, paragraphs, ctx.spans, cfg["specificity"], whole=not excerpt)
    return framework, findings


def _phrase_findings(ctx: Context, passage: list[Paragraph] | None) -> list[Finding]:
    """The statement's phrase rules; rules scoped to the score passage only run there."""
    rules = ctx.rubric.rules_for(KIND)
    negation = ctx.rubric.section("negation")
    everywhere = [r for r in rules if r.scope != "score_passage"]
    findings = check_phrases(ctx.doc, everywhere, ctx.spans, negation)
    scoped = [r for r in rules if r.scope == "score_passage"]
    if scoped and passage:
        findings += check_phrases(ctx.doc, scoped, ctx.spans, negation, _sentences(passage))
    return findings


def score_passage(paragraphs: list[Paragraph], spans: dict[str, list],
                  cfg: dict[str, Any]) -> list[Paragraph]:
    """The paragraphs that address scores or attempts: an exam, score or attempt is named, and either a
    difficulty is too or the paragraph reads as addressing growth. They are labelled addressing_growth."""
    sets = cfg["sets"]
    out = []
    for p in paragraphs:
        if not spans_in(spans, f"set:{sets['topic']}", p):
            continue
        if spans_in(spans, f"set:{sets['trouble']}", p) or p.part == "addressing_growth":
            if p.part != "addressing_growth":
                p.part, p.source = "addressing_growth", "score mention"
            out.append(p)
    return out


def check_score_passage(ctx: Context, passage: list[Paragraph],
                        cfg: dict[str, Any]) -> tuple[dict[str, Any], list[Finding]]:
    """The four-part framework over the passage (explanation.yaml's settings with the statement's laid
    over them), then its share of the statement and the weight of growth within it."""
    sentences = _sentences(passage)
    _relabel(sentences, ctx.spans, cfg["relabel"])
    settings = _deep_merge(ctx.rubric.section("framework"), cfg["framework"])
    overlaid = dataclasses.replace(ctx.rubric, settings={**ctx.rubric.settings, "framework": settings})
    framework, findings = framework_findings(dataclasses.replace(ctx, rubric=overlaid), sentences)
    findings += _share(ctx, passage, cfg)
    findings += _growth_share(ctx, sentences, cfg)
    return framework, findings


def _sentences(passage: list[Paragraph]) -> list[Sentence]:
    return [s for p in passage for s in p.sentences]


def _relabel(sentences: list[Sentence], spans: dict[str, list], relabel: dict[str, str]) -> None:
    """A part nobody was labelled with, taken by the first passage sentence that has its cue set."""
    for role, set_name in relabel.items():
        if any(s.role == role for s in sentences):
            continue
        for span in spans.get(f"set:{set_name}", []):
            hit = next((s for s in sentences if s.start <= span.start_char < s.end), None)
            if hit is not None:
                hit.role, hit.role_source = role, "cue"
                break


def _share(ctx: Context, passage: list[Paragraph], cfg: dict[str, Any]) -> list[Finding]:
    words, total = sum(p.words for p in passage), max(1, ctx.doc.words)
    max_share = float(cfg["max_share"])
    if words / total <= max_share:
        return []
    text = cfg["messages"]["too_long"]
    values = {"words": words, "total": total, "share": words / total, "max_share": max_share,
              "target": int(round(total * max_share, -1))}
    return [_finding(ctx, text, values, passage[0].start, passage[0].end)]


def _growth_share(ctx: Context, sentences: list[Sentence], cfg: dict[str, Any]) -> list[Finding]:
    forward = [s for s in sentences if s.role in cfg["growth_roles"]]
    past = [s for s in sentences if s.role in cfg["past_roles"]]
    growth_words, past_words = _words(ctx, forward), _words(ctx, past)
    counted = growth_words + past_words
    if not past or counted == 0:
        return []
    share = growth_words / counted
    if share > float(cfg["min_growth_share"]):
        return []
    values = {"growth_share": share, "growth_words": growth_words, "counted_words": counted}
    end = past[-1].end if past[-1].index - past[0].index == len(past) - 1 else past[0].end
    return [_finding(ctx, cfg["messages"]["growth_small"], values, past[0].start, end)]


def _words(ctx: Context, sentences: list[Sentence]) -> int:
    return sum(len(ctx.doc.analysis_text[s.start:s.end].split()) for s in sentences)


def _finding(ctx: Context, text: dict[str, Any], values: dict[str, Any], start: int, end: int) -> Finding:
    return make_finding(ctx.doc, text["id"], text["severity"], text["message"].format(**values),
                        text["suggestion"].format(**values), start, end)


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        nested = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _deep_merge(out[key], value) if nested else value
    return out

