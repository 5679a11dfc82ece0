"""Picks the role classifier on first use: the encoder when its model is installed, else the cue patterns
(with one notice saying so). Nothing loads until a document needs roles, or until `load_in_background`."""

from __future__ import annotations

import contextlib
import threading

from ..rubric import Rubric
from ..settings import settings_of
from .cues import CueClassifier, RoleDecision


class LazyRoleClassifier:
    def __init__(self, rubric: Rubric, use_encoder: bool = True) -> None:
        self.rubric = rubric
        self.use_encoder = use_encoder
        self.notices: list[str] = []
        self._impl = None
        self._lock = threading.Lock()
        self._loading: threading.Thread | None = None

    @property
    def impl(self):
        with self._lock:  # waits for a build already under way on the loading thread
            if self._impl is None:
                self._impl = self._build()
        return self._impl

    def load_in_background(self) -> None:
        """Start building the classifier on a thread, for a caller about to load spaCy: onnxruntime and the
        tokenizer load largely outside the GIL, so on two cores the two cold starts overlap. A failure there
        is left for `impl` to meet again and report on the caller's thread. Only when the ONNX export
        exists: making one imports torch, which must not race spaCy's import (coach.nlp hides torch)."""
        if not self.use_encoder or self._impl is not None or self._loading is not None:
            return
        from .encoder import EncoderUnavailable, find_onnx

        try:
            if find_onnx() is None:
                return
        except EncoderUnavailable:  # the model package is missing: `impl` says so, on the caller's thread
            return
        self._loading = threading.Thread(target=self._build_quietly, name="coach-encoder-load")
        self._loading.start()

    def _build_quietly(self) -> None:
        with self._lock:
            if self._impl is None:
                with contextlib.suppress(Exception):  # raised again, and reported, when `impl` retries
                    self._impl = self._build()

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
