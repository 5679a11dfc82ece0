"""Finding and Report: the one shape every check produces, and its JSON form (schema 1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .document import Document
from .rubric import SEVERITY_RANK

SCHEMA = 1
ROLES = ("context", "responsibility", "growth", "connection", "other")  # a sentence's role in the contract
PARTS = ROLES[:4]  # the four-part framework


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    suggestion: str
    start: int
    end: int
    line: int
    column: int
    excerpt: str
    source: str | None = None  # "rule", "model" or "both" for the flags a trained head also reads
    confidence: float | None = None  # the head's probability, with source "model" or "both"
    nearest_example: str = field(default="", compare=False)  # the closest labelled example (--explain only)

    @property
    def category(self) -> str:
        return self.rule.split(".", 1)[0]

    def to_json(self) -> dict[str, Any]:
        out = {"rule": self.rule, "category": self.category, "severity": self.severity,
               "message": self.message, "suggestion": self.suggestion, "start": self.start, "end": self.end,
               "line": self.line, "column": self.column, "excerpt": self.excerpt}
        if self.source:
            out["source"] = self.source
        if self.confidence is not None:
            out["confidence"] = self.confidence
        return out


def make_finding(doc: Document, rule: str, severity: str, message: str, suggestion: str,
                 start: int, end: int) -> Finding:
    """A finding over doc.text[start:end], trimmed of surrounding whitespace."""
    start, end = doc.trim(start, end)
    line, column = doc.line_col(start)
    return Finding(rule, severity, message, suggestion, start, end, line, column, doc.text[start:end])


def spans_under(start: int, end: int, spans: list[tuple[int, int]]) -> list[int]:
    """Indices of the spans (sentences) that [start, end) begins in or runs over."""
    return [i for i, (s, e) in enumerate(spans) if s <= start < e or start < s < end]


def parts_present(framework: dict[str, Any]) -> int:
    """How many of the framework's parts a draft has."""
    return sum(bool(p.get("present")) for p in framework.get("parts", {}).values())


@dataclass
class Report:
    doc: Document
    findings: list[Finding]
    framework: dict[str, Any] | None
    metrics: dict[str, Any]
    notices: list[str] = field(default_factory=list)  # e.g. "grammar: LanguageTool not available"
    dismissed: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, reason): `coach ignore`
    own_notices: int = 0  # how many of `notices`, from the first, are about this draft (not the whole run)

    def __post_init__(self) -> None:
        self.findings = sorted(set(self.findings), key=lambda f: (f.start, SEVERITY_RANK[f.severity], f.end, f.rule))

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def to_json(self) -> dict[str, Any]:
        doc = self.doc
        return {
            "schema": SCHEMA,
            "coach_version": __version__,
            "file": doc.file,
            "kind": doc.kind,
            "summary": {"errors": self.count("error"), "warnings": self.count("warning"),
                        "suggestions": self.count("suggestion"), "words": doc.words,
                        "characters": len(doc.text), "sentences": len(doc.sentences)},
            "framework": self.framework,
            "sentences": [{"index": s.index, "start": s.start, "end": s.end, "text": s.text, "role": s.role,
                           "confidence": round(s.confidence, 3)} for s in doc.sentences],
            "findings": [f.to_json() for f in self.findings],
            "metrics": self.metrics,
            # findings dismissed with `coach ignore` or --ignore, each with its reason; only when there are any
            **({"dismissed": [{**f.to_json(), "reason": reason} for f, reason in self.dismissed]}
               if self.dismissed else {}),
        }
