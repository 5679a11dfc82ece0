"""Sentence roles in the four-part framework: context, responsibility, growth, connection, other.

A classifier takes each sentence's text and its cue scores (summed weights of the rubric's role cues)
and returns a RoleDecision. The cue classifier is always available; the encoder classifier
(coach.roles.model) replaces the decision when the model is installed, behind the same interface.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ..report import PARTS, ROLES
from ..settings import CueSettings


@dataclass(frozen=True)
class RoleDecision:
    role: str
    confidence: float
    source: str  # "cue", "encoder", "cue+encoder", "uncertain" or "none"
    nearest_example: str | None = None
    probs: tuple[float, ...] | None = None  # per role in ROLES order, when a model gave them
    vector: Any = field(default=None, repr=False, compare=False)  # the sentence's encoder vector


class RoleClassifier(Protocol):
    name: str

    def classify(self, texts: list[str], cue_scores: list[dict[str, float]]) -> list[RoleDecision]: ...


class CueClassifier:
    """The first version: the role whose cues weigh most, when they weigh enough."""

    name = "cue patterns"

    def __init__(self, settings: CueSettings) -> None:
        self.base, self.step, self.cap = settings.base, settings.step, settings.cap
        self.tie_penalty, self.min_confidence = settings.tie_penalty, settings.min_confidence

    def decide(self, scores: dict[str, float]) -> RoleDecision:
        ranked = sorted(((v, k) for k, v in scores.items() if v > 0), reverse=True)
        if not ranked:
            return RoleDecision("other", 0.5, "none")
        best, role = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        confidence = min(self.cap, self.base + self.step * (best - runner_up) + 0.05 * best)
        if runner_up == best:
            confidence -= self.tie_penalty
        if confidence < self.min_confidence:
            return RoleDecision("other", round(1 - confidence, 3), "none")
        return RoleDecision(role, round(confidence, 3), "cue")

    def classify(self, texts: list[str], cue_scores: list[dict[str, float]]) -> list[RoleDecision]:
        return [self.decide(s) for s in cue_scores]


def apply_order_prior(decisions: list[RoleDecision], backward: float, min_confidence: float) -> list[RoleDecision]:
    """Re-read a whole explanation with the framework's order as a prior (Viterbi over the sentences).

    A step back in the order (growth, then context) is `backward` times as likely as staying or moving on;
    "other" may come anywhere. Sentences whose role stands out keep it, so a draft that really is out of
    order is still reported; an ambiguous sentence ("I received a score of 209") takes the role its place
    suggests. Decisions without probabilities (cue-only) are returned unchanged.
    """
    if len(decisions) < 2 or any(d.probs is None for d in decisions) or backward >= 1:
        return decisions
    n = len(ROLES)
    log_t = [[0.0] * n for _ in range(n)]
    for a in range(len(PARTS)):
        for b in range(a):
            log_t[a][b] = math.log(backward)
    emissions = [[math.log(max(p, 1e-9)) for p in d.probs] for d in decisions]  # type: ignore[union-attr]
    score, back = emissions[0][:], []
    for row in emissions[1:]:
        step = [max(range(n), key=lambda a, b=b: score[a] + log_t[a][b]) for b in range(n)]
        score = [score[step[b]] + log_t[step[b]][b] + row[b] for b in range(n)]
        back.append(step)
    path = [max(range(n), key=lambda s: score[s])]
    for step in reversed(back):
        path.append(step[path[-1]])
    path.reverse()
    return [_with_role(d, ROLES[s], min_confidence) for d, s in zip(decisions, path)]


def _with_role(d: RoleDecision, role: str, min_confidence: float) -> RoleDecision:
    if role == d.role or d.source.startswith("cue"):
        return d
    p = d.probs[ROLES.index(role)] if d.probs else d.confidence
    if p < min_confidence:
        return d
    return replace(d, role=role, confidence=round(p, 3), source="encoder+order")
