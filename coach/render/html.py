"""report.html: one self-contained page for an advisor (no network: CSS and JS inline, a CSP that forbids
fetching anything). The cohort table, a chart of the most common problems, shared passages, and one
annotated view per draft. Every piece of draft text goes through Jinja's autoescaping; drafts are untrusted.
Renderers never analyse: everything here comes from the reports and the batch's consistency findings."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import __version__
from ..document import KIND_NAMES
from ..report import ROLES, parts_present, spans_under
from ..resources import template_dir
from ..rubric import SEVERITY_RANK as _RANK

if TYPE_CHECKING:
    from ..batch.model import BatchResult, Entry

OPEN_ALL_UP_TO = 12  # smaller cohorts show every draft opened; larger ones open a draft when it is chosen


@dataclass
class Segment:
    text: str
    role: str | None
    severity: str | None = None
    tips: list[str] = field(default_factory=list)


def render_html(result: BatchResult) -> str:
    folder = template_dir() / "report"
    env = environment()
    docs = [_doc_view(i, e) for i, e in enumerate(result.entries)]
    base = _common_folder([e.file for e in result.entries])
    for doc in docs:
        doc["name"] = doc["file"][len(base):].lstrip("/\\") if base else doc["file"]
    applicants = {e.applicant for e in result.entries if e.applicant}
    return env.get_template("report.html.j2").render(
        css=Markup((folder / "report.css").read_text(encoding="utf-8")),
        js=Markup((folder / "report.js").read_text(encoding="utf-8")),
        version=__version__, docs=docs, rows=sorted(docs, key=_attention),
        applicants=len(applicants), complete=result.complete, chart=_chart(result.entries),
        passages=_passages(result, {e.file: d["id"] for e, d in zip(result.entries, docs, strict=False)}),
        skipped=result.skipped, notices=result.notices, roles=ROLES, open_all=len(docs) <= OPEN_ALL_UP_TO,
        totals={s: sum(d["counts"][s] for d in docs) for s in _RANK},
        failed=sum(1 for d in docs if d["status"] != "ok"))


def environment(*extra: str) -> Any:
    """The Jinja environment of the report's templates (templates/report: the page and the per-draft
    annotated view in _draft.j2), autoescaping everything; `extra` template folders (under templates/) are
    searched first. `coach serve` renders its page from the same macros."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    folders = [str(template_dir() / name) for name in (*extra, "report")]
    return Environment(loader=FileSystemLoader(folders), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


def draft_view(report: dict[str, Any], text: str, entry_id: str = "doc-0") -> dict[str, Any]:
    """The annotated view of one draft (what _draft.j2's `annotated` macro draws) from its report."""
    from ..batch.model import Entry

    view = _doc_view(0, Entry(file=report.get("file", ""), applicant="", sha256="", report=report, text=text))
    view["id"] = view["name"] = entry_id
    return view


def _common_folder(files: list[str]) -> str:
    """The folder every draft is under, left out of the names shown (the full path is in the tooltip)."""
    folders = [os.path.dirname(f) for f in files]
    try:
        return os.path.commonpath(folders) if folders and all(folders) else ""
    except ValueError:  # absolute and relative paths mixed
        return ""


def _attention(doc: dict[str, Any]) -> tuple:
    """Unreadable drafts first (the advisor must ask for a new file), then by errors and warnings."""
    return (doc["status"] == "ok", -doc["counts"]["error"], -doc["counts"]["warning"], doc["file"])


def _doc_view(index: int, entry: Entry) -> dict[str, Any]:
    report = entry.report or {}
    summary = report.get("summary", {})
    framework = report.get("framework") or {}
    findings = entry.ranked_findings()
    return {
        "id": f"doc-{index}", "file": entry.file, "applicant": entry.applicant, "status": entry.status,
        "grouped_by": entry.grouped_by,
        "error": entry.error, "kind": KIND_NAMES.get(report.get("kind", ""), report.get("kind", "")),
        "words": summary.get("words", ""), "sentences": summary.get("sentences", ""),
        "counts": {s: entry.count(s) for s in _RANK}, "consistency": len(entry.consistency),
        "missing": entry.missing_parts(), "framework": _framework_rows(framework),
        "order_ok": framework.get("order_ok", True), "has_framework": bool(framework),
        "parts_present": parts_present(framework),
        "segments": segments(entry.text or "", report.get("sentences", []), findings) if entry.text else [],
        "findings": [{**f, "where": _where(f, report.get("sentences", []))}
                     for f in sorted(findings, key=lambda f: (f["start"], _RANK.get(f["severity"], 9)))],
        "metrics": report.get("metrics", {}), "length": None,
        "starts": {s["start"]: s.get("role", "other") for s in report.get("sentences", [])},
    }


def _where(finding: dict[str, Any], sentences: list[dict[str, Any]]) -> str:
    """Where a finding is, for the list beside the draft: its sentence's number (a pasted paragraph is all
    "line 1"), or its line when it lies in no sentence (a whole-draft finding)."""
    inside = spans_under(finding["start"], finding["end"], [(s["start"], s["end"]) for s in sentences])
    if not inside:
        return f"line {finding['line']}"
    first, last = inside[0] + 1, inside[-1] + 1
    return f"sentence {first}" if first == last else f"sentences {first}–{last}"


def _framework_rows(framework: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, part in framework.get("parts", {}).items():
        low, high = part.get("expected", ["", ""])
        rows.append({"name": name, "count": len(part.get("sentences", [])), "expected": f"{low}–{high}",
                     "status": part.get("status", ""), "sentences": part.get("sentences", [])})
    return rows


def segments(text: str, sentences: list[dict[str, Any]], findings: list[dict[str, Any]]) -> list[Segment]:
    """The text cut at every sentence and finding boundary; each piece knows its sentence's role and the
    findings over it (the most serious one decides its underline). Zero-width findings become pins."""
    cuts = {0, len(text)}
    for item in [*sentences, *findings]:
        cuts.update((max(0, min(len(text), item["start"])), max(0, min(len(text), item["end"]))))
    points = sorted(cuts)
    pins: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        if f["end"] <= f["start"]:
            pins[f["start"]].append(f)
    out: list[Segment] = []
    roles = sorted((s["start"], s["end"], s.get("role", "other")) for s in sentences)
    for a, b in zip(points, points[1:], strict=False):
        for f in pins.pop(a, []):
            out.append(Segment("", None, f["severity"], [_tip(f)]))
        role = next((r for s, e, r in roles if s <= a < e), None)
        over = [f for f in findings if f["start"] <= a and b <= f["end"] and f["start"] < f["end"]]
        over.sort(key=lambda f: _RANK.get(f["severity"], 9))
        seg = Segment(text[a:b], role, over[0]["severity"] if over else None, [_tip(f) for f in over])
        if out and out[-1].role == seg.role and out[-1].tips == seg.tips and out[-1].text:
            out[-1].text += seg.text
        else:
            out.append(seg)
    for at in sorted(pins):
        out += [Segment("", None, f["severity"], [_tip(f)]) for f in pins[at]]
    return out


def _tip(finding: dict[str, Any]) -> str:
    tip = f"{finding['severity']} · {finding['rule']}: {finding['message']}"
    return f"{tip}\nTry: {finding['suggestion']}" if finding.get("suggestion") else tip


def _chart(entries: list[Entry], top: int = 12) -> list[dict[str, Any]]:
    """The rules that fire in the most drafts, with a bar width for each (the page draws them as SVG)."""
    drafts: Counter[str] = Counter()
    severity: dict[str, str] = {}
    example: dict[str, str] = {}
    for entry in entries:
        for f in entry.ranked_findings():
            if f["rule"] not in severity or _RANK[f["severity"]] < _RANK[severity[f["rule"]]]:
                severity[f["rule"]] = f["severity"]
            example.setdefault(f["rule"], f["message"])
        drafts.update({f["rule"] for f in entry.ranked_findings()})
    ranked = sorted(drafts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    most = ranked[0][1] if ranked else 1
    return [{"rule": rule, "category": rule.split(".")[0], "detail": _detail(rule), "drafts": n,
             "severity": severity[rule], "example": example[rule], "width": round(300 * n / most, 1), "y": 26 * i}
            for i, (rule, n) in enumerate(ranked)]


def _detail(rule: str) -> str:
    """The rest of a rule id in words ("blame.exam-unfair" -> "exam unfair"); the page puts its category's
    plain name before it. A trained head's id ("blame.model") names no detail of its own."""
    rest = rule.partition(".")[2]
    return "" if rest.startswith("model") else rest.replace("-", " ")


def _passages(result: BatchResult, ids: dict[str, str]) -> list[dict[str, Any]]:
    """The shared passages, each place labelled with its draft's real path under the batch folder."""
    paths = {e.file: e.relpath or e.file for e in result.entries}
    return [{**p, "places": [{**place, "id": ids.get(place["file"], ""), "label": paths.get(place["file"],
                                                                                       place["file"])}
                             for place in p["places"]]}
            for p in result.shared_passages]
