"""summary.csv: one row per draft, for a spreadsheet. The caller writes it as UTF-8 with a BOM (so Excel
reads the accents right); cells that a spreadsheet would run as a formula are defused with a quote."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..batch.model import BatchResult, Entry

HEADER = ["applicant", "file", "kind", "status", "words", "errors", "warnings", "suggestions",
          "consistency findings", "missing framework parts", "finding 1", "finding 2", "finding 3",
          "applicant key", "dismissed"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_csv(result: BatchResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)  # text quoted, numbers bare
    writer.writerow(HEADER)
    for entry in result.entries:
        writer.writerow([safe_cell(v) for v in row(entry)])
    return out.getvalue()


def row(entry: Entry) -> list[Any]:
    report = entry.report or {}
    summary = report.get("summary", {})
    top = [describe(f) for f in entry.ranked_findings()[:3]]
    status = {"ok": "ok", "error": f"error: {entry.error}", "not analysed": "not analysed (run interrupted)"}
    return [entry.applicant, entry.file, report.get("kind", ""), status[entry.status],
            summary.get("words", ""), entry.count("error") if report else "",
            entry.count("warning") if report else "", entry.count("suggestion") if report else "",
            len(entry.consistency) if report else "", "; ".join(entry.missing_parts()),
            *(top + [""] * (3 - len(top))), entry.grouped_by,
            len(report.get("dismissed", [])) if report else ""]


def describe(finding: dict[str, Any]) -> str:
    excerpt = " ".join(finding.get("excerpt", "").split())
    if len(excerpt) > 80:
        excerpt = excerpt[:79] + "…"
    where = f" (line {finding['line']}: “{excerpt}”)" if excerpt else ""
    return f"{finding['severity']}: {finding['message']}{where}"


def safe_cell(value: Any) -> Any:
    """Text that starts like a formula (= + - @, or a tab/CR that some programs skip) gets a leading
    apostrophe, so the spreadsheet shows it instead of running it."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
