"""Picks the role classifier on first use: the encoder when its model is installed, else the cue patterns
(with one notice saying so). Nothing loads until a document needs roles."""

from __future__ import annotations

from ..rubric import Rubric
from ..settings import settings_of
from .cues import CueClassifier, RoleDecision


class LazyRoleClassifier:
    def __init__(self, rubric: Rubric, use_encoder: bool = True) -> None:
        self.rubric = rubric
        self.use_encoder = use_encoder
        self.notices: list[str] = []
        self._impl = None

    @property
    def impl(self):
        if self._impl is None:
            self._impl = self._build()
        return self._impl

    @property
    def name(self) -> str:
        return self.impl.name

    def _build(self):
        settings = settings_of(self.rubric)
        cue = CueClassifier(settings.confidence)
        if not self.use_encoder:
            return cue
        from .encoder import EncoderUnavailable, load_encoder
        from .model import EncoderClassifier

        try:
            encoder = load_encoder()
            if encoder.notice:
                self.notices.append(encoder.notice)
            classifier = EncoderClassifier(encoder, settings.encoder, cue, settings.flags)
            self.notices += classifier.notices
            return classifier
        except EncoderUnavailable as exc:
            self.notices.append(f"sentence roles: {exc}; using the cue patterns only")
            return cue

    def classify(self, texts: list[str], cue_scores: list[dict[str, float]]) -> list[RoleDecision]:
        return self.impl.classify(texts, cue_scores)
