"""The flag heads at run time: for each sentence vector, the probability that it blames, excuses, overshares,
claims growth vaguely, or breaks the NRMP rules, and the closest labelled example of that flag."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..settings import FlagSettings
from .training import FittedHeads


@dataclass(frozen=True)
class FlagScore:
    flag: str
    probability: float
    nearest_example: str


class FlagModel:
    def __init__(self, heads: FittedHeads, settings: FlagSettings) -> None:
        self.heads = heads
        self.settings = settings

    def flagged(self, kind: str, vectors: np.ndarray) -> list[list[FlagScore]]:
        """For each sentence, the flags (of this kind) whose head reaches its threshold."""
        out: list[list[FlagScore]] = [[] for _ in range(len(vectors))]
        if not len(vectors):
            return out
        for flag, head_settings in self.settings.for_kind(kind).items():
            head = self.heads.flags.get(flag)
            if head is None:
                continue
            probs = head.predict_proba(vectors)[:, 1]
            for i in np.flatnonzero(probs >= head_settings.threshold):
                out[i].append(FlagScore(flag, round(float(probs[i]), 3), self._nearest(flag, vectors[i])))
        return out

    def _nearest(self, flag: str, vector: np.ndarray) -> str:
        texts = (self.heads.flag_texts or {}).get(flag, [])
        vectors = self.heads.flag_vectors.get(flag)
        if vectors is None or len(texts) != len(vectors) or not texts:
            return ""
        return texts[int((vectors @ vector).argmax())]
