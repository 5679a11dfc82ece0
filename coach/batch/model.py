"""The batch's data: one Entry per draft (its report in the JSON contract, or the error that stopped it) and
the BatchResult the outputs are written from. Imports nothing that runs an analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..rubric import SEVERITY_RANK


@dataclass
class Entry:
    """One draft of the batch: its report (the JSON contract) and text, or the error that stopped it."""

    file: str
    applicant: str
    sha256: str
    report: dict[str, Any] | None = None
    text: str | None = None
    error: str | None = None
    consistency: list[dict[str, Any]] = field(default_factory=list)
    folder: str = ""  # the folder holding it, as a path under the batch root ("" for the root itself)
    relpath: str = ""  # its path relative to that root, with / (for --applicants)
    grouped_by: str = "none"  # which key set `applicant`: applicants file, folder, signature, file name, none
    superseded_by: str = ""  # the relpath of a later version of this draft in the applicant's set, if any

    @property
    def status(self) -> str:
        if self.report is not None:
            return "ok"
        return "error" if self.error else "not analysed"

    def count(self, severity: str) -> int:
        """Findings of this severity in the report (the contract's summary) plus consistency findings."""
        own = (self.report or {}).get("summary", {}).get(f"{severity}s", 0)
        return own + sum(1 for f in self.consistency if f["severity"] == severity)

    def ranked_findings(self) -> list[dict[str, Any]]:
        """Every finding, the report's and the consistency ones, most serious first, then by position."""
        found = list((self.report or {}).get("findings", [])) + self.consistency
        return sorted(found, key=lambda f: (SEVERITY_RANK.get(f["severity"], 9), f["start"], f["rule"]))

    def contract_report(self) -> dict[str, Any] | None:
        """The report as results.jsonl holds it: the draft's own findings and its consistency findings
        (category `consistency`, a contract category) in the contract's order, the summary counting both."""
        if self.report is None or not self.consistency:
            return self.report
        findings = sorted([*self.report.get("findings", []), *self.consistency],
                          key=lambda f: (f["start"], SEVERITY_RANK.get(f["severity"], 9)))
        summary = {**self.report.get("summary", {}), **{f"{s}s": self.count(s) for s in SEVERITY_RANK}}
        return {**self.report, "summary": summary, "findings": findings}

    def missing_parts(self) -> list[str]:
        framework = (self.report or {}).get("framework") or {}
        return [name for name, part in framework.get("parts", {}).items() if part.get("status") == "missing"]


@dataclass
class BatchResult:
    entries: list[Entry]
    skipped: list[tuple[str, str]]
    shared_passages: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = True
    notices: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # inputs (folders) that could not be read at all
