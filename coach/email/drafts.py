"""Thank-you and update emails drafted from templates/email/*.j2 (or a user folder), then checked.

Values come from an interview file and options (coach.email_inputs); templates render in a sandboxed
child process (coach.email_sandbox); every draft is checked with the real Analyzer as kind `email` before
anyone sees it. A draft with an `nrmp` error is never shown: the template (or the value) is at fault.
Nothing here prints; the command in coach.email_cli does.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..document import Document
from ..errors import CoachError, InputError
from ..report import Report
from ..resources import template_dir
from .inputs import (
    Interview,
    long_date,
    previous_notes,
    read_history,
    read_interview,
    same_person,
    tidy_values,
)
from .sandbox import TEMPLATE_SUFFIX, RenderRequest, TemplateProblem, render_isolated

# Values the templates see that coach derives from another value; a missing one is reported by its source.
_DERIVED = {"interview_day": "interview_date", "interview_weekday": "interview_date", "role_label": "role"}


@dataclass
class DraftRequest:
    interview_file: str | None = None
    options: dict[str, Any] = field(default_factory=dict)  # only the options actually given
    to: str | None = None
    template: str | None = None
    template_dir: str | None = None
    history_file: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    on_page: bool = False  # asked from coach serve's page: a missing value is named by its field


@dataclass
class Draft:
    recipient: str
    role_label: str
    program: str
    template: str
    text: str
    report: Report
    timing: list[str]                  # the send-by window, and a note when it has passed
    history_warnings: list[dict[str, str]] = field(default_factory=list)  # rule, severity, message ...


def make_drafts(request: DraftRequest, analyzer: Any) -> list[Draft]:
    """One checked draft per recipient. Raises CoachError (one line) for anything the user must fix."""
    cfg: dict[str, Any] = analyzer.rubric.section("email_drafting")
    if request.on_page:  # name the page's fields, not the command's options
        cfg = {**cfg, "options": cfg["fields"],
               "messages": {**cfg["messages"], "missing": cfg["messages"]["missing_on_page"]}}
    messages = cfg["messages"]
    limits = cfg["limits"]
    dirs = _template_dirs(request.template_dir)
    history = read_history(request.history_file, int(limits["file_bytes"])) \
        if request.history_file else []
    drafts = []
    for values in _recipients(request, cfg):
        template, role_label, send_days = _template_for(values, request.template, cfg)
        context = _context(values, role_label, cfg)
        text = _render(dirs, template, context, cfg).strip()
        if not text:
            raise CoachError(f"template {template}{TEMPLATE_SUFFIX} produced an empty draft")
        text += "\n"
        recipient = str(values.get("recipient", ""))
        report = analyzer.analyse(Document(file=f"draft to {recipient or template}", text=text), "email")
        _refuse_nrmp_errors(report, template, values, messages)
        date = values.get("interview_date")
        drafts.append(Draft(
            recipient=recipient, role_label=role_label, program=str(values.get("program", "")),
            template=template + TEMPLATE_SUFFIX, text=text, report=report,
            timing=_timing(date, template, role_label, send_days, request.today, cfg),
            history_warnings=_history_warnings(history, recipient, date, analyzer.rubric.section("email"))))
    return drafts


def reminder(analyzer: Any) -> str:
    return str(analyzer.rubric.section("email_drafting")["messages"]["reminder"])


def _template_dirs(user_dir: str | None) -> list[str]:
    dirs = []
    if user_dir:
        if not Path(user_dir).is_dir():
            raise InputError(user_dir, "is not a folder of .j2 templates")
        dirs.append(str(Path(user_dir).resolve()))
    dirs.append(str(template_dir() / "email"))
    return dirs


def _recipients(request: DraftRequest, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The values for each note: interview values, then the recipient's own, then the options."""
    messages = cfg["messages"]
    file_bytes = int(cfg["limits"]["file_bytes"])
    interview = read_interview(request.interview_file, file_bytes) if request.interview_file \
        else Interview("command line")
    where = interview.source
    shared = tidy_values(interview.shared, cfg, where)
    options = tidy_values(request.options, cfg, "command line")
    if not request.interview_file and not options:
        raise CoachError(messages["no_input"])
    if "recipient" in options:
        entries: list[dict[str, Any]] = [{}]
    elif not interview.recipients:
        entries = [{}] if not request.to else [{} for _ in _select([shared], request, cfg, where)]
    else:
        entries = [tidy_values(r, cfg, f"{where}: recipients[{i}]")
                   for i, r in enumerate(interview.recipients, 1)]
        entries = _select(entries, request, cfg, where)
    return [{**shared, **entry, **options} for entry in entries]


def _select(entries: list[dict[str, Any]], request: DraftRequest, cfg: dict[str, Any],
            where: str) -> list[dict[str, Any]]:
    if request.to:
        wanted = request.to.lower()
        chosen = [e for e in entries if same_person(str(e.get("recipient", "")), request.to)
                  or wanted in str(e.get("recipient", "")).lower()]
        if not chosen:
            names = ", ".join(str(e.get("recipient", "?")) for e in entries)
            raise CoachError(cfg["messages"]["no_recipient"].format(file=where, to=request.to, names=names))
        return chosen
    update = cfg["update"]
    if request.template and request.template.removesuffix(TEMPLATE_SUFFIX) == update.get("template"):
        roles = set(update["default_roles"])
        chosen = [e for e in entries if _role(e.get("role"), cfg) in roles]
        return chosen or entries
    return entries


def _role(raw: Any, cfg: dict[str, Any]) -> str | None:
    if raw is None:
        return None
    key = str(raw).strip().lower().replace(" ", "_")
    aliases = cfg["role_aliases"]
    return aliases.get(key, aliases.get(key.replace("_", "-"), key))


def _template_for(values: dict[str, Any], chosen: str | None,
                  cfg: dict[str, Any]) -> tuple[str, str, int | None]:
    """(template name without .j2, the recipient's role as words, days to send within or None)."""
    roles = cfg["roles"]
    role = _role(values.get("role"), cfg)
    info = roles.get(role) if role else None
    explicit = chosen or values.get("template")
    if explicit:
        name = str(explicit).removesuffix(TEMPLATE_SUFFIX)
        label = info["label"] if info else (str(values["role"]) if values.get("role") else "")
        return name, label, int(info["send_within_days"]) if info else None
    if role is None:  # every value the thank-you templates all need, named at once
        needed = [n for n in cfg["needed_by_every_template"] if n not in values]
        raise CoachError(_missing_message(["role", *needed], "thank-you", cfg))
    if info is None:
        raise CoachError(cfg["messages"]["unknown_role"].format(role=str(values.get("role")),
                                                                roles=", ".join(roles)))
    return str(info["template"]), str(info["label"]), int(info["send_within_days"])


def _context(values: dict[str, Any], role_label: str, cfg: dict[str, Any]) -> dict[str, Any]:
    """What the template sees: the values as text, the optional ones defaulted, and the derived ones."""
    context: dict[str, Any] = {k: (list(v) if isinstance(v, list) else v)
                               for k, v in values.items() if k not in ("template",)}
    for name, default in (cfg.get("optional") or {}).items():
        context.setdefault(name, default)
    date = values.get("interview_date")
    if isinstance(date, dt.date):
        context["interview_date"] = long_date(date, weekday=False)
        context["interview_day"] = long_date(date, year=False)
        context["interview_weekday"] = f"{date:%A}"
    if role_label:
        context["role_label"] = role_label
    return context


def _render(dirs: list[str], template: str, context: dict[str, Any], cfg: dict[str, Any]) -> str:
    order = list((cfg.get("options") or {}).keys())
    try:
        return render_isolated(RenderRequest(dirs=dirs, template=template, context=context,
                                             limits=dict(cfg.get("limits") or {}), order=order))
    except TemplateProblem as problem:
        name = template + TEMPLATE_SUFFIX
        if problem.kind == "missing":
            names = list(dict.fromkeys(_DERIVED.get(n, n) for n in problem.names))
            names.sort(key=lambda n: (order.index(n) if n in order else len(order), n))
            raise CoachError(_missing_message(names, template, cfg)) from None
        if problem.kind == "not_found" and (not problem.names or problem.names[0] == name):
            raise CoachError(f"there is no template {name} in {' or '.join(dirs)}; the templates there are: "
                             f"{', '.join(available_templates(dirs))}") from None
        if problem.kind == "not_found":
            raise CoachError(f"template {name} uses {problem.names[0]!r}, which is not in "
                             f"{' or '.join(dirs)}") from None
        if problem.kind == "syntax":
            raise CoachError(f"template {name}, {problem.message}") from None
        raise CoachError(f"template {name}: {problem.message}") from None


def available_templates(dirs: list[str]) -> list[str]:
    """Template names (without .j2) in the folders; names starting with _ are parts, not emails."""
    names = {p.name.removesuffix(TEMPLATE_SUFFIX) for d in dirs for p in Path(d).glob("*" + TEMPLATE_SUFFIX)
             if not p.name.startswith("_")}
    return sorted(names)


def _missing_message(names: list[str], template: str, cfg: dict[str, Any]) -> str:
    options = cfg.get("options") or {}
    known = [*options, *(cfg.get("optional") or {}), *_DERIVED]
    unknown = [n for n in names if n not in known]
    if unknown:  # most likely a typo in the user's own template ("recipent")
        close = [m for n in unknown for m in difflib.get_close_matches(n, known, n=1)]
        several = len(unknown) > 1
        return cfg["messages"]["unknown_value"].format(
            template=template + TEMPLATE_SUFFIX, names=_and(unknown), a_value="values" if several else "a value",
            them="them" if several else "the value",
            close=cfg["messages"]["did_you_mean"].format(names=_or(close)) if close else "")
    hints = [options[n] for n in names if n in options]
    plural = len(names) > 1
    key = "missing" if hints else "missing_no_option"
    return cfg["messages"][key].format(s="s" if plural else "", template=template, names=", ".join(names),
                                       hints=_and(hints), them="them" if plural else "it")


def _and(words: list[str], last: str = "and") -> str:
    return ", ".join(words) if len(words) < 2 else ", ".join(words[:-1]) + f" {last} " + words[-1]


def _or(words: list[str]) -> str:
    return _and(words, "or")


def _refuse_nrmp_errors(report: Report, template: str, values: dict[str, Any],
                        messages: dict[str, str]) -> None:
    """A draft coach wrote must never break the Match rules. Blame the value when the words came from it.
    A flag from the model alone (no phrase rule) stays in the draft's check for the writer to read: a
    model's guess about a sentence that mixes the template with their values is no proof of a bug."""
    for finding in report.findings:
        if finding.category != "nrmp" or finding.severity != "error" or finding.source == "model":
            continue
        name = _value_containing(values, finding.excerpt)
        about = {"rule": finding.rule, "excerpt": finding.excerpt, "message": finding.message,
                 "suggestion": finding.suggestion, "template": template + TEMPLATE_SUFFIX, "name": name}
        raise CoachError(messages["nrmp_value" if name else "nrmp_template"].format(**about))


def _value_containing(values: dict[str, Any], excerpt: str) -> str | None:
    needle = " ".join(excerpt.lower().split())
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        if any(needle in " ".join(str(item).lower().split()) for item in items):
            return name
    return None


def _timing(date: Any, template: str, role_label: str, send_days: int | None, today: dt.date,
            cfg: dict[str, Any]) -> list[str]:
    messages = cfg["messages"]
    if template == cfg["update"]["template"]:
        return [messages["update_send_by"]]
    if not isinstance(date, dt.date):
        return []
    days = send_days if send_days is not None else int(cfg["default_send_within_days"])
    deadline = date + dt.timedelta(days=days)
    lines = [messages["send_by"].format(deadline=long_date(deadline), days=f"{days} day{'s' * (days != 1)}",
                                        interview=long_date(date), label=role_label or "interviewer")]
    if today > deadline:
        lines.append(messages["late"])
    return lines


def _history_warnings(history: list, recipient: str, date: Any,
                      check_cfg: dict[str, Any]) -> list[dict[str, str]]:
    if not history or not recipient:
        return []
    earlier = previous_notes(history, recipient, date if isinstance(date, dt.date) else None)
    text = (check_cfg.get("messages") or {}).get("repeat-follow-up")
    if not earlier or not text:
        return []
    dates = ", ".join(e.date.isoformat() if e.date else "an earlier date" for e in earlier)
    values = {"recipient": recipient, "dates": dates}
    return [{"rule": text["rule"], "severity": text["severity"], "message": text["message"].format(**values),
             "suggestion": text["suggestion"].format(**values)}]
