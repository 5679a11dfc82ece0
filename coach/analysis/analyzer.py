"""Runs the checks for a document's kind. Pure: a Document in, a Report out; nothing here prints."""

from __future__ import annotations

import functools
import re
from typing import Any

from ..checks.readability import metrics
from ..document import Document, Sentence, encoder_text
from ..errors import InputError
from ..matching.index import PhraseIndex
from ..nlp import MAX_CHARS, get_nlp
from ..report import Report
from ..roles.cues import RoleClassifier, apply_order_prior
from ..roles.lazy import LazyRoleClassifier
from ..rubric import Rubric, load_rubric
from ..settings import Options, settings_of
from .context import Context
from .kinds import detect_kind
from .pipelines import run_pipeline


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
        self.settings = settings_of(self.rubric)  # built, and so checked, when the rubric is loaded

    def notices(self) -> list[str]:
        """One-line notices for the whole run (a missing model, a fallback), said once."""
        return list(getattr(self.classifier, "notices", []))

    def analyse(self, doc: Document, kind: str | None = None, options: Options | None = None) -> Report:
        """`kind` (else `options.kind`, else detected) picks the pipeline; `options` are the run's options."""
        options = options or Options()
        if len(doc.text) > MAX_CHARS:
            raise InputError(doc.file, f"has {len(doc.text):,} characters; coach analyses drafts up to "
                                       f"{MAX_CHARS:,} (the longest ERAS field holds 28,000)")
        spoken = self.settings.interview
        doc.kind = options.kind_for(kind) or detect_kind(doc, self.settings.kind_detection, spoken.detection,
                                                         spoken.question_line)
        sdoc = self.nlp(doc.analysis_text)
        doc.spacy_doc = sdoc
        if self.grammar is not None:
            self.grammar.refuse_other_languages(doc)
        doc.sentences = _sentences(doc, sdoc)
        spans = self.index.match(sdoc)
        labelled = self._label_roles(doc, spans)
        reads_meaning = labelled or bool(self.settings.flags.for_kind(doc.kind))
        encoder = self._encoder() if reads_meaning else None
        ctx = Context(doc, self.rubric, self.settings, spans, options, encoder=encoder,
                      flag_model=self._flag_model() if encoder is not None else None,
                      metrics=metrics(doc, self.settings.readability))
        findings = run_pipeline(ctx)
        notices: list[str] = doc.notices + list(ctx.notices)
        if self.grammar is not None:
            grammar_findings, grammar_notices = self.grammar.check(doc)
            findings += grammar_findings
            notices += grammar_notices
        return Report(doc, findings, ctx.framework, ctx.metrics, notices, own_notices=len(ctx.notices))

    def _encoder(self) -> Any:
        """The encoder the role classifier uses, or None (cue patterns only)."""
        return getattr(getattr(self.classifier, "impl", self.classifier), "encoder", None)

    def _flag_model(self) -> Any:
        return getattr(getattr(self.classifier, "impl", self.classifier), "flag_model", None)

    def _label_roles(self, doc: Document, spans: dict[str, list]) -> bool:
        """Sets each sentence's role (and, with the encoder, its vector). False when the kind has no roles."""
        if not doc.sentences:
            return False
        if doc.kind not in self.settings.encoder.kinds:
            for sentence in doc.sentences:  # an email has no framework: nothing to label, nothing to load
                sentence.role, sentence.confidence, sentence.role_source = "other", 1.0, "not applicable"
            return False
        bounds = [(s.start, s.end) for s in doc.sentences]
        scores = self.index.role_scores(spans, bounds)
        decisions = self.classifier.classify([encoder_text(doc, s) for s in doc.sentences], scores)
        prior = self.settings.encoder
        if doc.kind in ("explanation", "interview"):  # read as a whole, in the framework's order
            decisions = apply_order_prior(decisions, prior.order_prior, prior.min_confidence)
        for sentence, decision in zip(doc.sentences, decisions):
            sentence.role, sentence.confidence = decision.role, decision.confidence
            sentence.role_source, sentence.nearest_example = decision.source, decision.nearest_example
            sentence.vector = decision.vector
        return True


@functools.lru_cache(maxsize=4)
def _shared_parts(rubric_dir: str | None, use_encoder: bool) -> tuple[Rubric, PhraseIndex, LazyRoleClassifier]:
    """Rubric, matcher and role classifier, built once per process for each rubric folder: every Analyzer
    of a run (a command, a batch worker, a test session) shares them."""
    rubric = load_rubric(rubric_dir)
    classifier = LazyRoleClassifier(rubric, use_encoder)
    classifier.load_in_background()  # while spaCy and the matcher load here
    return rubric, PhraseIndex(get_nlp(), rubric), classifier


def _sentences(doc: Document, sdoc) -> list[Sentence]:
    out = []
    for sent in sdoc.sents:
        start, end = doc.trim(sent.start_char, sent.end_char)
        if not re.search(r"\w", doc.analysis_text[start:end]):
            continue
        out.append(Sentence(index=len(out), start=start, end=end, text=doc.text[start:end]))
    return out
