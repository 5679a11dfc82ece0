"""`coach diff`: two versions of a draft, compared."""

from __future__ import annotations

import sys

import click

from ..document import KINDS
from ..settings import Options
from .options import rubrics_option


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(KINDS), help="What the drafts are (detected when not given).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@rubrics_option
def diff(old: str, new: str, kind: str | None, fmt: str, rubric_dir: str | None) -> None:
    """Compare two versions of a draft: findings fixed, findings new, and how the framework changed."""
    import json

    from ..analysis.session import make_analyzer
    from ..document import load
    from ..render.diff import diff_reports, render_diff_text

    old_doc, new_doc = load(old), load(new)  # both read before the models load: a bad path fails fast
    analyzer = make_analyzer(Options(rubric_dir=rubric_dir))
    old_report = analyzer.analyse(old_doc, kind).to_json()
    new_report = analyzer.analyse(new_doc, kind or old_report["kind"]).to_json()
    for notice in analyzer.notices():
        click.echo(f"coach: {notice}", err=True)
    result = diff_reports(old_report, new_report)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        colour = sys.stdout.isatty()
        click.echo(render_diff_text(result, colour))
