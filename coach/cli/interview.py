"""`coach interview`: a practice sheet for the interview from a checked score explanation."""

from __future__ import annotations

import json
import sys

import click

from ..settings import Options
from .options import EXIT_OK, rubrics_option


@click.command()
@click.argument("explanation", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@rubrics_option
def interview(explanation: str, fmt: str, rubric_dir: str | None) -> None:
    """Print a practice sheet from a score explanation: the questions interviewers ask, each with an outline
    of your own sentences (context, responsibility, growth, connection) and the parts to prepare."""
    from ..analysis.session import make_analyzer
    from ..checks.interview import practice_sheet
    from ..document import load
    from ..render.practice import render_practice

    doc = load(explanation)  # read before the models load: a bad path fails fast
    analyzer = make_analyzer(Options(rubric_dir=rubric_dir))
    report = analyzer.analyse(doc, "explanation")
    for notice in analyzer.notices():
        click.echo(f"coach: {notice}", err=True)
    sheet = practice_sheet(report, analyzer.settings.interview)
    sheet["summary"] = {"errors": report.count("error"), "warnings": report.count("warning"),
                        "suggestions": report.count("suggestion")}
    if fmt == "json":
        click.echo(json.dumps(sheet, ensure_ascii=False, indent=2))
    else:
        click.echo(render_practice(sheet, analyzer.settings.interview.practice, sys.stdout.isatty()))
    sys.exit(EXIT_OK)
