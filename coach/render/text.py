"""The terminal view: the framework as a small table, then findings by line, plain when not a TTY."""

from __future__ import annotations

import re
import textwrap

import click

from ..document import KIND_NAMES, STDIN_NAME
from ..report import Finding, Report, parts_present
from .counts import counted

_COLOURS = {"error": "red", "warning": "yellow", "suggestion": "cyan"}
_STATUS = {"ok": "ok", "missing": "missing", "too_long": "too long", "too_short": "too short"}


def render_text(report: Report, colour: bool, explain_roles: bool = False) -> str:
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if colour else text

    doc = report.doc
    size = f"{counted(doc.words, 'word')}, {counted(len(doc.sentences), 'sentence')}"
    name = STDIN_NAME if doc.file == "-" else doc.file
    lines = [style(name, bold=True) + f"  ({KIND_NAMES.get(doc.kind, doc.kind)}, {size})"]
    lines += [f"  note: {n}" for n in report.notices]
    if "speaking_seconds" in report.metrics:  # a spoken answer
        seconds = report.metrics["speaking_seconds"]
        lines.append(f"  speaking time: about {seconds // 60}:{seconds % 60:02d} ({seconds} s) at an even pace")
    if report.framework:
        lines += ["", _framework_table(report, style)]
    if explain_roles:
        lines += ["", _roles_view(report)]
    lines.append("")
    if not report.findings:
        lines.append(style("No findings. This draft does what the rubric asks.", fg="green"))
    for f in report.findings:
        lines += _finding(f, style)
        if explain_roles and f.source:
            lines += _flag_source(f)
    e, w, s = report.count("error"), report.count("warning"), report.count("suggestion")
    lines += ["", f"{counted(e, 'error')}, {counted(w, 'warning')}, {counted(s, 'suggestion')}. "
              + _reading_ease(report)]
    if report.dismissed:
        n = len(report.dismissed)
        lines.append(f"{counted(n, 'finding')} dismissed (coach ignore --list)")
    return "\n".join(lines)


def _reading_ease(report: Report) -> str:
    if report.metrics.get("readability_reliable") is False:
        return "Too short for a reading-ease figure."
    return (f"Reading ease {report.metrics.get('flesch_reading_ease')}, grade "
            f"{report.metrics.get('flesch_kincaid_grade')}.")


def _framework_table(report: Report, style) -> str:
    fw = report.framework or {}
    rows = ["  part             sentences  expected  status"]
    for name, part in fw.get("parts", {}).items():
        count = len(part["sentences"])
        low, high = part["expected"]
        status = _STATUS.get(part["status"], part["status"])
        colour = "green" if part["status"] == "ok" else ("red" if part["status"] == "missing" else "yellow")
        rows.append(f"  {name:<16} {count:>9}  {low}–{high:<6}  " + style(status, fg=colour))
    rows.append("  order            " + _order(fw, style))
    return "Framework (context → responsibility → growth → connection)\n" + "\n".join(rows)


def _order(fw: dict, style) -> str:
    if parts_present(fw) < 2:
        return "— (fewer than two parts to put in order)"
    return "as expected" if fw.get("order_ok") else style("out of order", fg="yellow")


def _roles_view(report: Report) -> str:
    rows = ["Sentence roles"]
    for s in report.doc.sentences:
        rows.append(f"  [{s.index}] {s.role:<14} {s.confidence:.2f} ({s.role_source})  {_clip(s.text, 70)}")
        if s.nearest_example:
            rows.append(f"        closest example: {_clip(s.nearest_example, 70)}")
    return "\n".join(rows)


def _flag_source(f: Finding) -> list[str]:
    """--explain: whether a phrase rule, the flag head (coach.roles.flags) or both found it, and why."""
    said = {"rule": "a phrase rule", "model": "the flag model", "both": "a phrase rule and the flag model"}[f.source]
    confidence = f" (confidence {f.confidence:.2f})" if f.confidence is not None else ""
    out = [f"    found by {said}{confidence}"]
    if f.nearest_example:
        out.append(f"    closest labelled example: {_clip(f.nearest_example, 80)}")
    return out


def _finding(f: Finding, style) -> list[str]:
    head = style(f"{f.severity:<10}", fg=_COLOURS[f.severity], bold=True)
    out = [f"{f.line}:{f.column}  {head} {f.rule}", f"    \"{_clip(f.excerpt, 90)}\""]
    out += textwrap.wrap(f.message, 96, initial_indent="    ", subsequent_indent="    ")
    out += textwrap.wrap("Try: " + f.suggestion, 96, initial_indent="    ", subsequent_indent="         ")
    return out


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # ESC and friends: a draft must not drive the terminal
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # overrides would reorder the rest of the line


def _clip(text: str, width: int) -> str:
    text = " ".join(_BIDI.sub("", _CONTROL.sub("\ufffd", text)).split())
    return text if len(text) <= width else text[: width - 1] + "…"
