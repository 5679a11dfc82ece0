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
    in order of position (the rule still fires, on edited words). Then a finding the model made and one a
    rule made (or the other way round) of the same category on the same unchanged sentence are one problem
    still there. Unpaired old ones were fixed; unpaired new ones are new. Each finding gets `sentence`, the
    1-based number of its sentence in its own version.

    A finding on an unchanged sentence that one version's `coach ignore` dismisses and the other's does not
    is neither fixed nor new (the writing did not change, only the dismissal): it goes to `dismissed_in_new`
    (active before, dismissed now) or `no_longer_dismissed` (dismissed before, active now), each a pair of
    the old and the new finding, the dismissed one with its `reason`."""
    old_findings = [_numbered(f, old) for f in old["findings"]]
    new_findings = [_numbered(f, new) for f in new["findings"]]
    old_dismissed = [_numbered(f, old) for f in old.get("dismissed", [])]
    new_dismissed = [_numbered(f, new) for f in new.get("dismissed", [])]
    fixed, added, remaining, dismissed_now, undismissed = [], [], [], [], []
    rules = {f["rule"] for f in old_findings} | {f["rule"] for f in new_findings}
    for rule in sorted(rules):
        before = [f for f in old_findings if f["rule"] == rule]
        after = [f for f in new_findings if f["rule"] == rule]
        _pair_off(before, after, lambda f, g: _words(g) == _words(f), remaining)
        now, back = _dismissed_between(before, after, (old, old_dismissed), (new, new_dismissed), _same_rule)
        dismissed_now, undismissed = dismissed_now + now, undismissed + back
        for f, g in zip(before, after, strict=False):
            remaining.append({"old": f, "new": g})
        fixed += before[len(after):]
        added += after[len(before):]
    _pair_off(fixed, added, lambda f, g: _same_problem(f, g, old, new), remaining)
    now, back = _dismissed_between(fixed, added, (old, old_dismissed), (new, new_dismissed), _same_problem)
    dismissed_now, undismissed = dismissed_now + now, undismissed + back
    by_position = lambda f: (f["start"], f["rule"])  # noqa: E731
    return {
        "old": old["file"], "new": new["file"], "kind": new["kind"], "old_kind": old["kind"],
        "summary": {key: {"old": old["summary"][key], "new": new["summary"][key]}
                    for key in ("errors", "warnings", "suggestions", "words", "sentences")},
        "fixed": sorted(fixed, key=by_position),
        "new_findings": sorted(added, key=by_position),
        "remaining": sorted(remaining, key=lambda p: by_position(p["new"])),
        "framework": framework_change(old.get("framework"), new.get("framework")),
        "reread": reread(old, new),
        "dismissed": {"old": len(old.get("dismissed", [])), "new": len(new.get("dismissed", []))},
        "dismissed_in_new": sorted(dismissed_now, key=lambda p: by_position(p["new"])),
        "no_longer_dismissed": sorted(undismissed, key=lambda p: by_position(p["new"])),
    }


def _pair_off(gone: list, came: list, same: Any, remaining: list) -> None:
    """Moves each finding of `gone` with a twin in `came` (`same(f, g)`) into `remaining` as an old/new pair."""
    for f in list(gone):
        twin = next((g for g in came if same(f, g)), None)
        if twin is not None:
            remaining.append({"old": f, "new": twin})
            gone.remove(f)
            came.remove(twin)


def _dismissed_between(gone: list, came: list, old: tuple, new: tuple, same) -> tuple[list, list]:
    """(dismissed in the new version, no longer dismissed): findings gone from, or come into, the list on
    unchanged sentences because the other version dismisses them. `old`/`new`: (report, its dismissed)."""
    now = _dismissal_pairs(gone, new[1], old[0], new[0], same)
    back = [{"old": p["new"], "new": p["old"]} for p in _dismissal_pairs(came, old[1], new[0], old[0], same)]
    return now, back


def _dismissal_pairs(findings: list[dict[str, Any]], dismissed: list[dict[str, Any]], own: dict[str, Any],
                     other: dict[str, Any], same: Any) -> list[dict[str, Any]]:
    """Takes from `findings` (active in the report `own`) each one that the `other` report dismissed on the
    same unchanged sentence (`same(f, g, own, other)`), same words first; the pair leaves both lists."""
    pairs = []
    for f in list(findings):
        candidates = [g for g in dismissed if same(f, g, own, other)]
        twin = next((g for g in candidates if _words(g) == _words(f)), candidates[0] if candidates else None)
        if twin is not None:
            pairs.append({"old": f, "new": twin})
            findings.remove(f)
            dismissed.remove(twin)
    return pairs


def _same_rule(f: dict[str, Any], g: dict[str, Any], a_report: dict[str, Any], b_report: dict[str, Any]) -> bool:
    """The same rule on the same unchanged sentence."""
    if f["rule"] != g["rule"]:
        return False
    a, b = _sentence_at(a_report, f["start"]), _sentence_at(b_report, g["start"])
    return a is not None and b is not None and _plain(a["text"]) == _plain(b["text"])


def _sentence_at(report: dict[str, Any], offset: int) -> dict[str, Any] | None:
    return next((s for s in report.get("sentences") or () if s["start"] <= offset < s["end"]), None)


def _numbered(finding: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    """A copy of the finding with the 1-based number of its sentence (None when it lies in none)."""
    sentence = _sentence_at(report, finding["start"])
    return {**finding, "sentence": sentence["index"] + 1 if sentence else None}


def _same_problem(f: dict[str, Any], g: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> bool:
    """The same category on the same unchanged sentence, told once by the model and once by a rule."""
    if f["category"] != g["category"] or not {f.get("source"), g.get("source")} & {"model", "both"}:
        return False
    a, b = _sentence_at(old, f["start"]), _sentence_at(new, g["start"])
    return a is not None and b is not None and _plain(a["text"]) == _plain(b["text"])


def reread(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Sentences left unchanged whose framework part was read differently: the roles are read with the
    sentences around them, so editing a neighbour can change how an untouched sentence reads."""
    before = {_plain(s["text"]): s.get("role") for s in old.get("sentences") or ()}
    out = []
    for s in new.get("sentences") or ():
        was = before.get(_plain(s["text"]))
        if was is not None and s.get("role") is not None and was != s["role"]:
            out.append({"sentence": s["index"] + 1, "text": s["text"], "old_role": was, "new_role": s["role"]})
    return out


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


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
    dismissed = result.get("dismissed") or {}
    if dismissed.get("old") or dismissed.get("new"):
        borrowed = "; the new version has no .coach.yaml, so the old version's dismissals apply to it" \
            if result.get("dismissals_from_old") else ""
        lines.insert(2, f"dismissed {dismissed['old']} → {dismissed['new']} (coach ignore --list){borrowed}")
    if result["old_kind"] != result["kind"]:
        lines.insert(1, f"note: these read as two kinds of draft, {_kind(result['old_kind'])} then "
                        f"{_kind(result['kind'])}; each is checked as its own kind (--kind to check both as one)")
    sections = [("Fixed", result["fixed"], "✓", "green", "old "), ("New", result["new_findings"], "+", "red", "")]
    for title, findings, mark, fg, version in sections:
        lines.append(style(f"{title} ({len(findings)})", bold=True))
        lines += [line for f in findings for line in _finding(f, style(mark, fg=fg), style, version)] or ["  none"]
        lines.append("")
    lines.append(style(f"Still there ({len(result['remaining'])})", bold=True))
    lines += [line for p in result["remaining"] for line in _finding(p["new"], "•", style)] or ["  none"]
    lines += _dismissal_changes(result, style)
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
    for r in result.get("reread") or ():
        note = (f"note: sentence {r['sentence']}, \"{_clip(r['text'], 60)}\", is unchanged but now reads as "
                f"{_role(r['new_role'])} (before: {_role(r['old_role'])}); coach reads each sentence with its "
                "neighbours, so this change comes from the sentences you edited around it.")
        lines += textwrap.wrap(note, 96, initial_indent="  ", subsequent_indent="    ")
    return "\n".join(lines)


def _dismissal_changes(result: dict[str, Any], style: Any) -> list[str]:
    """Findings on unchanged sentences whose dismissal changed: neither fixed nor new. Shown only when any."""
    lines = []
    now = result.get("dismissed_in_new") or []
    if now:
        lines += ["", style(f"Dismissed in the new version ({len(now)})", bold=True) +
                  ": on unchanged sentences, so not fixed"]
        for p in now:
            f = p["new"]
            where = f"sentence {f['sentence']}" if f.get("sentence") else f"line {f['line']}"
            reason = f" (reason: {f['reason']})" if f.get("reason") else ""
            lines.append(f"  – {f['severity']} {f['rule']}  {where}  \"{_clip(f['excerpt'], 50)}\"{reason}")
    back = result.get("no_longer_dismissed") or []
    if back:
        lines += ["", style(f"No longer dismissed ({len(back)})", bold=True) +
                  ": on unchanged sentences, so not new; dismissed in the old version only"]
        lines += [line for p in back for line in _finding(p["new"], "•", style)]
    return lines


def _finding(f: dict[str, Any], mark: str, style: Any, version: str = "") -> list[str]:
    """`version`: "old " for a fixed finding, whose sentence number is the old version's."""
    excerpt = _clip(f["excerpt"], 80)
    where = f"{version}sentence {f['sentence']}" if f.get("sentence") else f"line {f['line']}"
    head = f"  {mark} {style(f['severity'], fg=_COLOURS.get(f['severity']))} {f['rule']}  {where}"
    body = textwrap.wrap(f["message"], 96, initial_indent="      ", subsequent_indent="      ")
    return [head, f"      \"{excerpt}\"", *body]


def _kind(kind: str) -> str:
    name = KIND_NAMES.get(kind, kind)
    return ("an " if name[:1] in "aeiou" else "a ") + name


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _role(role: str) -> str:
    return "not a framework part" if role == "other" else role


def _status(status: str | None, sentences: int) -> str:
    if status is None:
        return "—"
    return f"{status.replace('_', ' ')} ({sentences})"


def _order(ok: bool | None) -> str:
    return "—" if ok is None else ("as expected" if ok else "out of order")
