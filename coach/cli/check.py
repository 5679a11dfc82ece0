"""`coach check`: one or more drafts, a report each, on the terminal or as JSON."""

from __future__ import annotations

import dataclasses
import os
import sys

import click

from ..errors import CoachError
from ..render.counts import counted
from ..settings import Options
from .options import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, analysis_options


def _fail_threshold(fail_on: str) -> tuple[str, ...]:
    return ("error",) if fail_on == "error" else ("error", "warning")


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error",
              help="Exit 1 when findings of this severity (or worse) are found.")
@click.option("--no-color", is_flag=True, help="Plain output without colours.")
@click.option("--explain", is_flag=True, help="Show each sentence's role, confidence and closest example.")
@click.option("--verbose", "-v", is_flag=True, help="Say which models and services are used.")
@analysis_options
@click.option("--annotate", metavar="OUT.docx", help="Also write a copy of the .docx draft with each finding "
              "as a Word comment (the draft itself is not changed).")
def check(files: tuple[str, ...], fmt: str, fail_on: str, no_color: bool, explain: bool, verbose: bool,
          annotate: str | None, options: Options) -> None:
    """Check drafts sentence by sentence and say what to change.

    FILES are .txt, .md, .docx, .rtf or .odt drafts, or - for standard input."""
    if annotate and len(files) != 1:
        raise click.UsageError("--annotate takes exactly one .docx draft")
    if annotate and files[0] == "-":
        raise click.UsageError("--annotate writes a copy of a .docx file; give the draft's path, not - "
                               "(standard input)")
    if annotate:
        from ..render.annotate import check_target

        check_target(files[0], annotate)
    from ..analysis.dismissals import apply, for_draft
    from ..analysis.session import make_analyzer
    from ..document import load
    from ..render.json import render_json
    from ..render.text import render_text

    options = dataclasses.replace(options, grammar=options.grammar or "auto")
    analyzer = make_analyzer(options, verbose=verbose)
    reports, input_errors = [], 0
    for path in files:
        try:
            doc = load(path)
            report = analyzer.analyse(doc, None, options)
            dismissals, problem = for_draft(path, options.ignore)
            if problem:
                click.echo(f"coach: {problem}", err=True)
            reports.append(apply(report, dismissals))
        except CoachError as exc:
            click.echo(f"coach: {exc}", err=True)
            input_errors += 1
    notices = analyzer.notices()
    if fmt == "json":  # the text view shows each report's notes itself; JSON has no place for them
        notices += [n for r in reports for n in r.notices]
    for notice in dict.fromkeys(notices):
        click.echo(f"coach: {notice}", err=True)
    colour = not no_color and fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    if reports:
        if fmt == "json":
            click.echo(render_json(reports, as_array=len(files) > 1))
        else:
            click.echo("\n\n".join(render_text(r, colour, explain) for r in reports))
    if input_errors:
        sys.exit(EXIT_INPUT)
    if annotate:
        from ..render.annotate import annotate_docx

        added = annotate_docx(files[0], reports[0].to_json(), annotate)
        click.echo(f"coach: wrote {annotate} with {counted(added, 'comment')}", err=True)
    failing = _fail_threshold(fail_on)
    sys.exit(EXIT_FINDINGS if any(f.severity in failing for r in reports for f in r.findings) else EXIT_OK)
