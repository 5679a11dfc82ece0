"""Two versions of a draft: which findings were fixed, which are new, which remain, and how the framework
changed. Works on two reports in the JSON contract; analyses nothing itself."""

from __future__ import annotations

import textwrap
from typing import Any

import click

from ..document import KIND_NAMES

_COLOURS = {"error": "red", "warning": "yellow", "suggestion": "cyan"}


def diff_reports(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Findings are paired by rule: first those whose words are the same, then the rest of the same rule
    in order of position (the rule still fires, on edited words). Unpaired old ones were fixed; unpaired
    new ones are new."""
    fixed, added, remaining = [], [], []
    rules = {f["rule"] for f in old["findings"]} | {f["rule"] for f in new["findings"]}
    for rule in sorted(rules):
        before = [f for f in old["findings"] if f["rule"] == rule]
        after = [f for f in new["findings"] if f["rule"] == rule]
        for f in list(before):
            twin = next((g for g in after if _words(g) == _words(f)), None)
            if twin is not None:
                remaining.append({"old": f, "new": twin})
                before.remove(f)
                after.remove(twin)
        for f, g in zip(before, after, strict=False):
            remaining.append({"old": f, "new": g})
        fixed += before[len(after):]
        added += after[len(before):]
    by_position = lambda f: (f["start"], f["rule"])  # noqa: E731
    return {
        "old": old["file"], "new": new["file"], "kind": new["kind"], "old_kind": old["kind"],
        "summary": {key: {"old": old["summary"][key], "new": new["summary"][key]}
                    for key in ("errors", "warnings", "suggestions", "words", "sentences")},
        "fixed": sorted(fixed, key=by_position),
        "new_findings": sorted(added, key=by_position),
        "remaining": sorted(remaining, key=lambda p: by_position(p["new"])),
        "framework": framework_change(old.get("framework"), new.get("framework")),
    }


def _words(finding: dict[str, Any]) -> str:
    return " ".join(finding.get("excerpt", "").lower().split())


def framework_change(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any] | None:
    if not old and not new:
        return None
    parts_old, parts_new = (old or {}).get("parts", {}), (new or {}).get("parts", {})
    parts = {}
    for name in list(dict.fromkeys([*parts_old, *parts_new])):
        a, b = parts_old.get(name), parts_new.get(name)
        parts[name] = {"old": a["status"] if a else None, "new": b["status"] if b else None,
                       "old_sentences": len(a["sentences"]) if a else 0,
                       "new_sentences": len(b["sentences"]) if b else 0}
    order = {"old": (old or {}).get("order_ok"), "new": (new or {}).get("order_ok")}
    return {"parts": parts, "order_ok": order}


def render_diff_text(result: dict[str, Any], colour: bool) -> str:
    def style(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if colour else text

    s = result["summary"]
    kind = KIND_NAMES.get(result["kind"], result["kind"])
    counts = ("errors", "warnings", "suggestions", "words")
    lines = [style(f"{result['old']} → {result['new']}", bold=True) + f"  ({kind})",
             "  ".join(f"{key} {s[key]['old']} → {s[key]['new']}" for key in counts), ""]
    if result["old_kind"] != result["kind"]:
        lines.insert(1, f"note: the old version reads as a {KIND_NAMES.get(result['old_kind'])}")
    sections = [("Fixed", result["fixed"], "✓", "green"), ("New", result["new_findings"], "+", "red")]
    for title, findings, mark, fg in sections:
        lines.append(style(f"{title} ({len(findings)})", bold=True))
        lines += [line for f in findings for line in _finding(f, style(mark, fg=fg), style)] or ["  none"]
        lines.append("")
    lines.append(style(f"Still there ({len(result['remaining'])})", bold=True))
    lines += [line for p in result["remaining"] for line in _finding(p["new"], "•", style)] or ["  none"]
    if result["framework"]:
        lines += ["", style("Framework", bold=True)]
        for name, part in result["framework"]["parts"].items():
            change = f"{_status(part['old'], part['old_sentences'])} → " \
                     f"{_status(part['new'], part['new_sentences'])}"
            better = part["new"] == "ok" and part["old"] != "ok"
            worse = part["old"] == "ok" and part["new"] != "ok"
            lines.append(f"  {name:<16} " + (style(change, fg="green") if better else
                                              style(change, fg="red") if worse else change))
        order = result["framework"]["order_ok"]
        lines.append(f"  {'order':<16} {_order(order['old'])} → {_order(order['new'])}")
    return "\n".join(lines)


def _finding(f: dict[str, Any], mark: str, style: Any) -> list[str]:
    excerpt = " ".join(f["excerpt"].split())
    excerpt = excerpt if len(excerpt) <= 80 else excerpt[:79] + "…"
    head = f"  {mark} {style(f['severity'], fg=_COLOURS.get(f['severity']))} {f['rule']}  line {f['line']}"
    body = textwrap.wrap(f["message"], 96, initial_indent="      ", subsequent_indent="      ")
    return [head, f"      \"{excerpt}\"", *body]


def _status(status: str | None, sentences: int) -> str:
    if status is None:
        return "—"
    return f"{status.replace('_', ' ')} ({sentences})"


def _order(ok: bool | None) -> str:
    return "—" if ok is None else ("as expected" if ok else "out of order")
