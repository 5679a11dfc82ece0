"""The flag heads at run time: for each sentence vector, the probability that it blames, excuses, overshares,
claims growth vaguely, or breaks the NRMP rules, and the closest labelled example of that flag."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..settings import FlagSettings
from .heads import NEIGHBOUR_PARTS, neighbour_features
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
        """For each sentence (`vectors` in the draft's order), the flags (of this kind) whose head reaches
        its threshold. A head fit on neighbours (its width says so) reads each sentence with the ones before
        and after it. Flags decided together (flags.yaml
        `groups`) are flagged by their group's head, as whichever member's own head is likelier."""
        out: list[list[FlagScore]] = [[] for _ in range(len(vectors))]
        if not len(vectors):
            return out
        features = {len(vectors[0]): vectors, NEIGHBOUR_PARTS * len(vectors[0]): neighbour_features(vectors)}
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
            own = np.stack([self.heads.flags[m].predict_proba(features[self.heads.flags[m].inputs])[:, 1]
                            for m in members])
            for i, p in hits:
                out[i].append(FlagScore(members[int(own[:, i].argmax())], p, self._nearest(name, vectors[i])))
        return out

    def _reaching(self, name: str, features: dict[int, np.ndarray], threshold: float) -> list[tuple[int, float]]:
        head = self.heads.flags.get(name)
        if head is None:
            return []
        probs = head.predict_proba(features[head.inputs])[:, 1]
        return [(int(i), round(float(probs[i]), 3)) for i in np.flatnonzero(probs >= threshold)]

    def _nearest(self, flag: str, vector: np.ndarray) -> str:
        texts = (self.heads.flag_texts or {}).get(flag, [])
        vectors = self.heads.flag_vectors.get(flag)
        if vectors is None or len(texts) != len(vectors) or not texts:
            return ""
        return texts[int((vectors @ vector).argmax())]
