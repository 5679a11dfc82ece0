"""Personal-statement paragraphs and the part each plays: opening_story, key_experiences,
addressing_growth, future_vision or other.

With the sentence encoder installed, a paragraph's vector is the mean of its sentences' vectors (the
vectors the role step stored on the sentences, so they are encoded once), and a
head fit from the labelled paragraphs in rubrics/exemplars/paragraphs.yaml labels it. Their vectors ship
in rubrics/exemplars/paragraphs.vectors.npz (rebuilt with `python -m coach.roles.paragraphs`). Without the
encoder, the cue sets named in personal_statement.yaml decide. Nothing loads until a statement needs it.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..document import WORD, Document, Sentence
from ..settings import ParagraphSettings

PARTS = ("opening_story", "key_experiences", "addressing_growth", "future_vision", "other")
EXEMPLARS = "paragraphs.yaml"
SHIPPED_VECTORS = "paragraphs.vectors.npz"


@dataclass
class Paragraph:
    index: int
    start: int
    end: int
    sentences: list[Sentence]
    words: int
    part: str = "other"
    confidence: float = 0.0
    source: str = "none"  # "encoder", "cue", "uncertain" or "score mention"
    scores: dict[str, float] = field(default_factory=dict)

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def paragraph_spans(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of each paragraph. A draft with no blank lines but one paragraph per line is split at
    its line breaks."""
    spans = doc.paragraphs()
    if len(spans) == 1:
        start, end = spans[0]
        lines = [(m.start() + start, m.end() + start)
                 for m in re.finditer(r"\S(?:[^\n]*\S)?", doc.analysis_text[start:end])]
        spans = lines if len(lines) > 1 else spans
    return spans


def statement_paragraphs(doc: Document) -> list[Paragraph]:
    """The statement's paragraphs with their sentences."""
    out: list[Paragraph] = []
    for start, end in paragraph_spans(doc):
        sentences = [s for s in doc.sentences if start <= s.start < end]
        if sentences:
            words = len(WORD.findall(doc.analysis_text[start:end]))
            out.append(Paragraph(len(out), start, end, sentences, words))
    return out


def spans_in(spans: dict[str, list], key: str, paragraph: Paragraph) -> list:
    return [s for s in spans.get(key, []) if paragraph.contains(s.start_char)]


class MeanOfSentences:
    """Encodes a paragraph as the normalised mean of its sentence vectors (used for the exemplars)."""

    name = "mean of sentence vectors"

    def __init__(self, encoder: Any, split) -> None:
        self.encoder = encoder
        self.split = split
        self.identity = encoder.identity

    def encode(self, texts: list[str]) -> np.ndarray:
        pieces = [self.split(t) or [t] for t in texts]
        vectors = self.encoder.encode([s for p in pieces for s in p])
        out, i = [], 0
        for p in pieces:
            out.append(_unit(vectors[i:i + len(p)].mean(0)))
            i += len(p)
        return np.array(out, dtype=np.float32)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


def _spacy_split(text: str) -> list[str]:
    from ..nlp import get_nlp

    return [s.text.strip() for s in get_nlp()(text).sents if s.text.strip()]


class ParagraphClassifier:
    """Labels paragraphs with the encoder head when an encoder is given, else with the cue sets."""

    def __init__(self, settings: ParagraphSettings, encoder: Any = None, directory: Path | None = None) -> None:
        self.settings = settings
        self.encoder = encoder
        self.head = None
        self.name = "cue patterns"
        if encoder is not None:
            self._fit(directory)

    def _fit(self, directory: Path | None) -> None:
        from .model import exemplar_vectors, load_exemplars, make_head

        texts, labels = load_exemplars(directory, EXEMPLARS, "paragraphs", PARTS)
        vectors = exemplar_vectors(MeanOfSentences(self.encoder, _spacy_split), texts, directory,
                                   SHIPPED_VECTORS, "paragraphs")
        y = np.array([PARTS.index(label) for label in labels])
        self.head = make_head(self.settings.head, self.settings.l2).fit(vectors, y, len(PARTS))
        self.name = f"encoder {self.encoder.name} + paragraph exemplars"

    def classify(self, paragraphs: list[Paragraph], spans: dict[str, list]) -> None:
        """Sets part, confidence, source and scores on each paragraph."""
        if not paragraphs:
            return
        if self.head is None:
            self._classify_cues(paragraphs, spans)
            return
        self._classify_encoder(paragraphs)
        if self.settings.cues_when_unsure:
            self._cues_where_unsure(paragraphs, spans)

    def _cues_where_unsure(self, paragraphs: list[Paragraph], spans: dict[str, list]) -> None:
        """A paragraph the head is unsure of takes the part its cue sets give it, when they are sure."""
        unsure = [p for p in paragraphs if p.source == "uncertain"]
        if not unsure:
            return
        kept = {p.index: (p.part, p.confidence, p.source, p.scores) for p in unsure}
        self._classify_cues(unsure, spans, len(paragraphs))
        for p in unsure:
            if p.source != "cue":
                p.part, p.confidence, p.source, p.scores = kept[p.index]

    def _classify_encoder(self, paragraphs: list[Paragraph]) -> None:
        vectors = self._sentence_vectors([s for p in paragraphs for s in p.sentences])
        means, i = [], 0
        for p in paragraphs:
            means.append(_unit(vectors[i:i + len(p.sentences)].mean(0)))
            i += len(p.sentences)
        probs = self.head.predict_proba(np.array(means, dtype=np.float32))
        floor = float(self.settings.min_confidence)
        for p, row in zip(paragraphs, probs, strict=True):
            scores = {part: float(row[k]) for k, part in enumerate(PARTS)}
            self._add_position(scores, p, len(paragraphs), 1.0)
            best = max(scores, key=lambda k: scores[k])
            confident = scores[best] >= floor
            p.part = best if confident else "other"
            p.confidence = round(min(1.0, scores[best]), 3)
            p.source = "encoder" if confident else "uncertain"
            p.scores = {k: round(v, 3) for k, v in scores.items()}

    def _sentence_vectors(self, sentences: list[Sentence]) -> np.ndarray:
        """The vectors the role step stored on the sentences (encoded here only when it did not)."""
        if all(s.vector is not None for s in sentences):
            return np.stack([s.vector for s in sentences])
        return self.encoder.encode([s.text for s in sentences])

    def _classify_cues(self, paragraphs: list[Paragraph], spans: dict[str, list], count: int | None = None) -> None:
        cues: dict[str, dict[str, float]] = self.settings.cues
        scale = float(self.settings.cue_scale)
        floor = float(self.settings.cue_min_weight)
        for p in paragraphs:
            scores = {part: 0.0 for part in PARTS}
            for part, sets in cues.items():
                for name, weight in sets.items():
                    scores[part] += float(weight) * len(spans_in(spans, f"set:{name}", p))
            self._add_position(scores, p, count or len(paragraphs), scale)
            best = max(scores, key=lambda k: scores[k])
            confident = scores[best] >= floor
            p.part = best if confident else "other"
            total = sum(scores.values()) or 1.0
            p.confidence = round(scores[best] / total, 3) if confident else 0.5
            p.source = "cue" if confident else "uncertain"
            p.scores = {k: round(v, 3) for k, v in scores.items()}

    def _add_position(self, scores: dict[str, float], p: Paragraph, count: int, scale: float) -> None:
        bonus = self.settings.position_bonus
        places = ["first"] if p.index == 0 else []
        places += ["last"] if p.index == count - 1 and count > 1 else []
        for place in places:
            for part, value in (bonus.get(place) or {}).items():
                scores[part] = scores.get(part, 0.0) + float(value) * scale


_CLASSIFIERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def paragraph_classifier(encoder: Any, settings: ParagraphSettings) -> ParagraphClassifier:
    """The classifier for these settings, built on first use and kept per encoder. It uses the encoder
    exactly when the sentence-role step did (`encoder` None: the cue sets)."""
    if encoder is None:
        return ParagraphClassifier(settings)
    key = repr(settings)
    found = _CLASSIFIERS.setdefault(encoder, {})
    if key not in found:
        found[key] = ParagraphClassifier(settings, encoder)
    return found[key]


def write_shipped_vectors(encoder: Any, directory: Path | None = None) -> Path:
    from .model import load_exemplars
    from .model import write_shipped_vectors as write

    texts, _ = load_exemplars(directory, EXEMPLARS, "paragraphs", PARTS)
    return write(MeanOfSentences(encoder, _spacy_split), directory, texts, SHIPPED_VECTORS)


if __name__ == "__main__":
    from .encoder import load_encoder

    print(write_shipped_vectors(load_encoder()))
