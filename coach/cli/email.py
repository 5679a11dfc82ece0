"""`coach email`: draft a thank-you or update email from a template, checked before it is shown."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from typing import Any

import click

from ..render.counts import counted
from ..report import Finding
from ..settings import Options
from .options import rubrics_option

_RULE = "-" * 72


@click.command("email")
@click.argument("interview_file", required=False, type=click.Path(dir_okay=False))
@click.option("--to", help="Draft only for the recipient(s) in the file whose name matches, e.g. \"Reyes\".")
@click.option("--recipient", help="Who the note is to, as in the greeting, e.g. \"Dr. Reyes\".")
@click.option("--role", help="The recipient's role: program_director, faculty, resident or chief_resident.")
@click.option("--program", help="The program's name.")
@click.option("--date", "interview_date", help="The interview date, e.g. 2024-10-15.")
@click.option("--applicant", help="Your name, as you sign.")
@click.option("--appreciated", multiple=True,
              help="Something specific you valued, finishing \"I especially appreciated ...\" (repeatable).")
@click.option("--conversation", help="What you talked about, finishing \"Our conversation about ...\".")
@click.option("--safety-net", "safety_net", help="A sentence on your link to county or safety-net medicine.")
@click.option("--language", "languages", multiple=True,
              help="A language you can care for patients in (repeatable).")
@click.option("--update", "updates", multiple=True,
              help="News since the interview, for the update letter (repeatable).")
@click.option("--template",
              help="A template by name: program_director, faculty, resident, update, or one of yours.")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False),
              help="A folder of your own .j2 templates, used before the shipped ones (sandboxed).")
@click.option("--history", "history_file", type=click.Path(dir_okay=False),
              help="A YAML file of emails already sent (`sent:` entries with `to:` and `date:`).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: {\"draft\", \"recipient\", \"send_by\", \"report\"} per draft, the report in the "
                   "JSON contract (an array for several recipients).")
@rubrics_option
@click.option("--today", hidden=True, help="Pretend today is this date (for tests).")
def email(interview_file: str | None, to: str | None, template: str | None, template_dir: str | None,
          history_file: str | None, fmt: str, rubric_dir: str | None, today: str | None,
          **values: Any) -> None:
    """Draft a short, specific thank-you (or update) email after an interview.

    Values come from INTERVIEW_FILE (YAML or TOML; see samples/interviews/) and from the options, which
    win. Each draft is checked against the NRMP Match rules and the email rubric before it is shown.

    \b
    Examples:
      coach email samples/interviews/county-im.yaml
      coach email samples/interviews/county-im.yaml --to Reyes --template update
      coach email --recipient "Dr. Chen" --role faculty --program "Harbor County" --date 2024-10-15 \\
                  --applicant "Ana Lima" --appreciated "the resident-run HIV clinic"
    """
    from ..analysis.session import make_analyzer
    from ..email.drafts import DraftRequest, make_drafts, reminder
    from ..email.inputs import parse_date

    options = {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items() if v not in (None, ())}
    request = DraftRequest(interview_file=interview_file, options=options, to=to, template=template,
                           template_dir=template_dir, history_file=history_file,
                           today=parse_date(today, "--today") if today else dt.date.today())
    analyzer = make_analyzer(Options(rubric_dir=rubric_dir))
    drafts = make_drafts(request, analyzer)
    if fmt == "json":
        data = [_as_json(d) for d in drafts]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
        return
    out = [_wrap(f"Reminder: {reminder(analyzer)}")]
    for draft in drafts:
        out += ["", _RULE, *_header(draft), _RULE, draft.text.rstrip("\n"), _RULE, *_check(draft)]
    click.echo("\n".join(out))


def _as_json(draft: Any) -> dict[str, Any]:
    """One draft for scripts and the web page: its text, recipient, send-by window (the lines `Timing:`
    shows) and its check report in the JSON contract."""
    return {"draft": draft.text, "recipient": draft.recipient, "send_by": list(draft.timing),
            "report": draft.report.to_json()}


def _header(draft: Any) -> list[str]:
    who = draft.recipient + (f" ({draft.role_label})" if draft.role_label else "")
    lines = [f"To:       {who}" + (f", {draft.program}" if draft.program else ""),
             f"Template: {draft.template}"]
    lines += [_wrap(line, "Timing:   " if i == 0 else " " * 10) for i, line in enumerate(draft.timing)]
    return lines


def _check(draft: Any) -> list[str]:
    findings: list[Finding] = draft.report.findings
    extra = draft.history_warnings
    if not findings and not extra:
        return ["Check: no findings. The draft follows the NRMP rules and the email rubric."]
    count = len(findings) + len(extra)
    lines = [f"Check: {counted(count, 'thing')} to look at before you send it:"]
    for f in findings:
        lines += [f"  {f.severity:<10} {f.rule}  \"{f.excerpt}\"", _wrap(f.message, " " * 4),
                  _wrap(f"Try: {f.suggestion}", " " * 4)]
    for w in extra:
        lines += [f"  {w['severity']:<10} {w['rule']}", _wrap(w["message"], " " * 4),
                  _wrap(f"Try: {w['suggestion']}", " " * 4)]
    return lines


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=100, initial_indent=indent,
                         subsequent_indent=" " * len(indent) if indent.strip() else indent)
