"""The practice sheet of `coach interview`, for the terminal: questions, outlines of the applicant's own
sentences, and the gaps to prepare."""

from __future__ import annotations

import textwrap
from typing import Any

import click

from .counts import counted


def render_practice(sheet: dict[str, Any], practice: dict[str, Any], colour: bool) -> str:
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if colour else text

    lines = [style(f"{practice['title']}: {sheet['file']}", bold=True),
             *textwrap.wrap(practice["intro"], 96),
             *textwrap.wrap(_checked_as(sheet, practice), 96)]
    for number, q in enumerate(sheet["questions"], 1):
        lines += ["", style(f"{number}. {q['question']}", bold=True)]
        for part in q["outline"]:
            lines.append(f"   {part['label']}:")
            for text in part["lines"]:
                lines += textwrap.wrap(text, 92, initial_indent="     - ", subsequent_indent="       ")
            if part["gap"]:
                lines.append("     " + style(practice["gap"], fg="yellow", bold=True))
                lines += textwrap.wrap(part["gap"], 92, initial_indent="       ", subsequent_indent="       ")
    if sheet["left_out"]:
        lines += ["", style(practice["left_out_title"], bold=True)]
        for item in sheet["left_out"]:
            lines += textwrap.wrap(f"{item['text']} ({item['category']})", 92, initial_indent="   - ",
                                   subsequent_indent="     ")
    return "\n".join(lines)


def _checked_as(sheet: dict[str, Any], practice: dict[str, Any]) -> str:
    """What the sheet was built from and how the draft was checked, e.g. a statement's score passage."""
    summary = sheet["summary"]
    counts = (f"{counted(summary['errors'], 'error')}, {counted(summary['warnings'], 'warning')}, "
              f"{counted(summary['suggestions'], 'suggestion')}")
    template = practice["checked_as"].get(sheet["kind"], practice["checked_as"]["explanation"])
    first, last = sheet.get("score_passage") or (0, 0)
    return template.format(counts=counts, first=first, last=last)
