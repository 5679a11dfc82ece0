"""The flag heads at run time: for each sentence vector, the probability that it blames, excuses, overshares,
claims growth vaguely, or breaks the NRMP rules, and the closest labelled example of that flag."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..settings import FlagSettings
from .heads import neighbour_features
from .training import FittedHeads
from .words import with_words


@dataclass(frozen=True)
class FlagScore:
    flag: str
    probability: float
    nearest_example: str


class FlagModel:
    def __init__(self, heads: FittedHeads, settings: FlagSettings) -> None:
        self.heads = heads
        self.settings = settings

    def flagged(self, kind: str, vectors: np.ndarray, texts: list[str]) -> list[list[FlagScore]]:
        """For each sentence (`vectors` and the `texts` they were made from, in the draft's order), the
        flags (of this kind) whose head reaches its threshold. A head that reads neighbours (flags.yaml)
        reads each sentence with the ones before and after it, and one that reads words reads the sentence's
        words beside its vector. Flags decided together (flags.yaml `groups`) are flagged by their group's
        head, as whichever member's own head is likelier."""
        out: list[list[FlagScore]] = [[] for _ in range(len(vectors))]
        if not len(vectors):
            return out
        features = _Features(vectors, texts, self.settings)
        flags = self.settings.for_kind(kind)
        for flag, head_settings in flags.items():
            if self.settings.group_of(flag) is None:
                for i, p in self._reaching(flag, features, head_settings.threshold):
                    out[i].append(FlagScore(flag, p, self._nearest(flag, vectors[i])))
        for name, group in self.settings.groups.items():
            members = [m for m in group.members if m in flags and m in self.heads.flags]
            hits = self._reaching(name, features, group.threshold) if members else []
            if not hits:
                continue
            own = np.stack([self._probabilities(m, features) for m in members])
            for i, p in hits:
                out[i].append(FlagScore(members[int(own[:, i].argmax())], p, self._nearest(name, vectors[i])))
        return out

    def _probabilities(self, name: str, features: _Features) -> np.ndarray:
        return self.heads.flags[name].predict_proba(features.of(name))[:, 1]

    def _reaching(self, name: str, features: _Features, threshold: float) -> list[tuple[int, float]]:
        if name not in self.heads.flags:
            return []
        probs = self._probabilities(name, features)
        return [(int(i), round(float(probs[i]), 3)) for i in np.flatnonzero(probs >= threshold)]

    def _nearest(self, flag: str, vector: np.ndarray) -> str:
        texts = (self.heads.flag_texts or {}).get(flag, [])
        vectors = self.heads.flag_vectors.get(flag)
        if vectors is None or len(texts) != len(vectors) or not texts:
            return ""
        return texts[int((vectors @ vector).argmax())]


class _Features:
    """A draft's sentences as each head reads them (flags.yaml `neighbours` and `words`), each way made once."""

    def __init__(self, vectors: np.ndarray, texts: list[str], settings: FlagSettings) -> None:
        self.vectors, self.texts, self.settings = vectors, texts, settings
        self._made: dict[tuple[bool, float], np.ndarray] = {}

    def of(self, name: str) -> np.ndarray:
        way = (name in self.settings.with_neighbours, self.settings.words.get(name, 0.0))
        if way not in self._made:
            read = with_words(self.vectors, self.texts, way[1])
            self._made[way] = neighbour_features(read) if way[0] else read
        return self._made[way]
