"""Runs the checks for a document's kind. Pure: a Document in, a Report out; nothing here prints."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from .checks.framework import check_framework, growth_without_evidence
from .checks.phrases import check_phrases, sentences_with
from .checks.readability import check_readability, metrics
from .document import KINDS, Document, Sentence
from .errors import InputError
from .lazy_roles import LazyRoleClassifier
from .matching import PhraseIndex
from .nlp import MAX_CHARS, get_nlp
from .report import Finding, Report
from .roles import RoleClassifier, apply_order_prior
from .rubric import Rubric, load_rubric


@dataclass
class Context:
    """What a check may read: the document, its parse, the rubric and every phrase match."""

    doc: Document
    rubric: Rubric
    spans: dict[str, list]
    analyzer: Analyzer
    extra: dict[str, Any] = field(default_factory=dict)


class Analyzer:
    """Holds the heavy things (rubric, spaCy, matcher, role classifier) and reuses them per document."""

    def __init__(self, rubric: Rubric | None = None, rubric_dir: str | None = None,
                 classifier: RoleClassifier | None = None, grammar: Any = None, use_encoder: bool = True) -> None:
        if rubric is None:
            self.rubric, self.index, shared_classifier = _shared_parts(rubric_dir, use_encoder)
        else:
            self.rubric, self.index, shared_classifier = rubric, PhraseIndex(get_nlp(), rubric), None
        self.nlp = get_nlp()
        self.classifier = classifier or shared_classifier or LazyRoleClassifier(self.rubric, use_encoder)
        self.grammar = grammar
        self.options: dict[str, Any] = {}

    def notices(self) -> list[str]:
        """One-line notices for the whole run (a missing model, a fallback), said once."""
        return list(getattr(self.classifier, "notices", []))

    def analyse(self, doc: Document, kind: str | None = None) -> Report:
        if len(doc.text) > MAX_CHARS:
            raise InputError(doc.file, f"has {len(doc.text):,} characters; coach analyses drafts up to "
                                       f"{MAX_CHARS:,} (the longest ERAS field holds 28,000)")
        doc.kind = kind or detect_kind(doc, self.rubric.section("kind_detection"))
        sdoc = self.nlp(doc.analysis_text)
        doc.spacy_doc = sdoc
        doc.sentences = _sentences(doc, sdoc)
        spans = self.index.match(sdoc)
        self._label_roles(doc, spans)
        ctx = Context(doc, self.rubric, spans, self)
        framework, findings = _KIND_CHECKS[doc.kind](ctx)
        values = metrics(doc)
        findings += check_readability(doc, values, self.rubric.section("readability"))
        notices: list[str] = []
        if self.grammar is not None:
            grammar_findings, grammar_notices = self.grammar.check(doc)
            findings += grammar_findings
            notices += grammar_notices
        return Report(doc, findings, framework, values, notices)

    def _label_roles(self, doc: Document, spans: dict[str, list]) -> None:
        if not doc.sentences:
            return
        if doc.kind not in self.rubric.section("encoder").get("kinds", KINDS):
            for sentence in doc.sentences:  # an email has no framework: nothing to label, nothing to load
                sentence.role, sentence.confidence, sentence.role_source = "other", 1.0, "not applicable"
            return
        bounds = [(s.start, s.end) for s in doc.sentences]
        scores = self.index.role_scores(spans, bounds)
        decisions = self.classifier.classify([s.text for s in doc.sentences], scores)
        prior = self.rubric.section("encoder")
        if doc.kind == "explanation" and "order_prior" in prior:
            decisions = apply_order_prior(decisions, float(prior["order_prior"]), float(prior["min_confidence"]))
        for sentence, decision in zip(doc.sentences, decisions):
            sentence.role, sentence.confidence = decision.role, decision.confidence
            sentence.role_source, sentence.nearest_example = decision.source, decision.nearest_example


@functools.lru_cache(maxsize=4)
def _shared_parts(rubric_dir: str | None, use_encoder: bool) -> tuple[Rubric, PhraseIndex, LazyRoleClassifier]:
    """Rubric, matcher and role classifier, built once per process for each rubric folder: every Analyzer
    of a run (a command, a batch worker, a test session) shares them."""
    rubric = load_rubric(rubric_dir)
    return rubric, PhraseIndex(get_nlp(), rubric), LazyRoleClassifier(rubric, use_encoder)


def _sentences(doc: Document, sdoc) -> list[Sentence]:
    out = []
    for sent in sdoc.sents:
        start, end = doc.trim(sent.start_char, sent.end_char)
        if not re.search(r"\w", doc.analysis_text[start:end]):
            continue
        out.append(Sentence(index=len(out), start=start, end=end, text=doc.text[start:end]))
    return out


def detect_kind(doc: Document, cfg: dict[str, Any]) -> str:
    text = doc.analysis_text
    head = text.lstrip()[:200].lower()
    if re.match(cfg.get("email_salutation", r"^\s*dear\b"), head, re.I) \
            and _words_after_greeting(text) <= cfg.get("email_max_words", 400) \
            and any(w in text.lower() for w in cfg.get("email_words", ["thank"])):
        return "email"
    from .checks.statement import looks_like_statement

    return "personal_statement" if looks_like_statement(doc, cfg) else "explanation"


def _words_after_greeting(text: str) -> int:
    """Words after the greeting line: "Dear Dr. Reyes, Dr. Chen and the whole selection committee," is not
    what makes an email long."""
    body = text.lstrip()
    line_end = body.find("\n")
    body = body[line_end:] if line_end > 0 else body
    return len(re.findall(r"[^\W_][\w'’-]*", body))


def _phrase_findings(ctx: Context, sentences: list[Sentence] | None = None, kind: str | None = None) -> list[Finding]:
    rules = ctx.rubric.rules_for(kind or ctx.doc.kind)
    return check_phrases(ctx.doc, rules, ctx.spans, ctx.rubric.section("negation"), sentences)


def framework_findings(ctx: Context, sentences: list[Sentence]) -> tuple[dict, list[Finding]]:
    """The four-part framework and the explanation phrase rules over a passage."""
    settings = dict(ctx.rubric.section("framework"))
    settings["growth_evidence"] = ctx.rubric.section("growth_evidence")
    phrase_findings = _phrase_findings(ctx, sentences, kind="explanation")
    _no_ownership_in_blame(ctx.doc, phrase_findings, settings.get("not_responsibility", []))
    framework, findings = check_framework(ctx.doc, sentences, settings)
    findings += phrase_findings
    if not any(f.rule == "growth.vague" for f in findings):
        evidence = sentences_with(ctx.doc, ctx.spans, settings["growth_evidence"].get("set", "evidence"))
        findings += growth_without_evidence(ctx.doc, sentences, settings, evidence)
    return framework, findings


def _no_ownership_in_blame(doc: Document, findings: list[Finding], categories: list[str]) -> None:
    """A sentence that blames or excuses explains the failure without owning it: whatever the encoder
    thought, it is context, not responsibility."""
    for f in findings:
        if f.category not in categories:
            continue
        for s in doc.sentences:
            if s.start <= f.start < s.end and s.role == "responsibility":
                s.role, s.role_source = "context", f"{s.role_source}; {f.category} is not ownership"


def _explanation(ctx: Context) -> tuple[dict | None, list[Finding]]:
    return framework_findings(ctx, ctx.doc.sentences)


def _statement(ctx: Context) -> tuple[dict | None, list[Finding]]:
    from .checks.statement import check_statement

    return check_statement(ctx)


def _email(ctx: Context) -> tuple[dict | None, list[Finding]]:
    from .checks.email import check_email

    return None, check_email(ctx)


_KIND_CHECKS = {"explanation": _explanation, "personal_statement": _statement, "email": _email}
assert set(_KIND_CHECKS) == set(KINDS)
