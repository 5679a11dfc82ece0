"""Sentence roles in the four-part framework: context, responsibility, growth, connection, other.

A classifier takes each sentence's text and its cue scores (summed weights of the rubric's role cues)
and returns a RoleDecision. The cue classifier is always available; the encoder classifier
(coach.encoder) replaces the decision when the model is installed, behind the same interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

ROLES = ("context", "responsibility", "growth", "connection", "other")
PARTS = ROLES[:4]


@dataclass(frozen=True)
class RoleDecision:
    role: str
    confidence: float
    source: str  # "cue", "encoder", "cue+encoder" or "none"
    nearest_example: str | None = None


class RoleClassifier(Protocol):
    name: str

    def classify(self, texts: list[str], cue_scores: list[dict[str, float]]) -> list[RoleDecision]: ...


class CueClassifier:
    """The first version: the role whose cues weigh most, when they weigh enough."""

    name = "cue patterns"

    def __init__(self, settings: dict) -> None:
        self.base = float(settings.get("base", 0.45))
        self.step = float(settings.get("step", 0.15))
        self.cap = float(settings.get("cap", 0.9))
        self.tie_penalty = float(settings.get("tie_penalty", 0.2))
        self.min_confidence = float(settings.get("min_confidence", 0.55))

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
