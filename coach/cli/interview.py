"""`coach interview`: a practice sheet for the interview from a checked score explanation."""

from __future__ import annotations

import json
import sys

import click

from ..document import KINDS
from ..errors import InputError
from ..settings import Options
from .options import EXIT_OK, rubrics_option


@click.command()
@click.argument("explanation", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(KINDS), help="What the draft is (detected when not given).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@rubrics_option
def interview(explanation: str, kind: str | None, fmt: str, rubric_dir: str | None) -> None:
    """Print a practice sheet from a score explanation (or a personal statement's score passage, or the
    answer you plan to give): the questions interviewers ask, each with an outline of your own sentences
    (context, responsibility, growth, connection) and the parts to prepare."""
    from ..analysis.session import make_analyzer
    from ..checks.interview import practice_sheet
    from ..document import load
    from ..render.practice import render_practice

    doc = load(explanation)  # read before the models load: a bad path fails fast
    analyzer = make_analyzer(Options(rubric_dir=rubric_dir))
    report = analyzer.analyse(doc, kind)
    for notice in analyzer.notices():
        click.echo(f"coach: {notice}", err=True)
    practice = analyzer.settings.interview.practice
    refusal = _no_score_story(report.doc.kind, report.framework, practice)
    if refusal:
        raise InputError(explanation, refusal)
    sheet = practice_sheet(report, analyzer.settings.interview)
    sheet["summary"] = {"errors": report.count("error"), "warnings": report.count("warning"),
                        "suggestions": report.count("suggestion")}
    if fmt == "json":
        click.echo(json.dumps(sheet, ensure_ascii=False, indent=2))
    else:
        click.echo(render_practice(sheet, practice, sys.stdout.isatty()))
    sys.exit(EXIT_OK)


def _no_score_story(kind: str, framework: dict | None, practice: dict) -> str | None:
    """Why there is nothing to practise for the score questions, or None: an email, or a personal
    statement that never addresses a score (its framework is that of its score passage, or None)."""
    if kind == "email" or (kind == "personal_statement" and not framework):
        return practice["not_a_score_story"][kind]
    return None
