"""`coach diff`: two versions of a draft, compared."""

from __future__ import annotations

import sys
from typing import Any

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
    new_report = analyzer.analyse(new_doc, kind).to_json()  # its own kind: the diff says when they differ
    for notice in analyzer.notices():
        click.echo(f"coach: {notice}", err=True)
    old_report, new_report, borrowed = _dismissed(old, new, old_report, new_report)
    result = diff_reports(old_report, new_report)
    result["dismissals_from_old"] = borrowed
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        colour = sys.stdout.isatty()
        click.echo(render_diff_text(result, colour))


def _dismissed(old: str, new: str, old_report: dict[str, Any],
               new_report: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """Each version with its own `coach ignore` dismissals applied, as `check` applies them. A new version
    with no .coach.yaml of its own (a revision saved as e_v2.txt) takes the old version's: they follow
    sentence words, so they apply only where the dismissed sentences are unchanged. True when it did."""
    from ..analysis.dismissals import apply_json, for_draft, sidecar_path

    old_dismissals, problem = for_draft(old)
    new_dismissals, new_problem = for_draft(new)
    for line in dict.fromkeys(p for p in (problem, new_problem) if p):
        click.echo(f"coach: {line}", err=True)
    borrowed = new != "-" and not sidecar_path(new).exists() and bool(old_dismissals)
    if borrowed:
        new_dismissals = old_dismissals
    return apply_json(old_report, old_dismissals), apply_json(new_report, new_dismissals), borrowed
