"""The `coach` command line. Argument handling only: loading, analysis and rendering live elsewhere."""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .document import KINDS
from .errors import CoachError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


class _Group(click.Group):
    """Every user-facing problem is one line on stderr and exit 2; never a traceback."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Abort:
            click.echo("coach: interrupted", err=True)
            sys.exit(130)
        except click.ClickException as exc:
            click.echo(f"coach: {exc.format_message()}", err=True)
            sys.exit(EXIT_INPUT)
        except CoachError as exc:
            click.echo(f"coach: {exc}", err=True)
            sys.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("coach: interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="coach")
def cli() -> None:
    """A writing coach for residency applications. Everything runs on this machine."""


def _fail_threshold(fail_on: str) -> tuple[str, ...]:
    return ("error",) if fail_on == "error" else ("error", "warning")


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("--kind", type=click.Choice(KINDS), help="What the draft is (detected when not given).")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error",
              help="Exit 1 when findings of this severity (or worse) are found.")
@click.option("--no-color", is_flag=True, help="Plain output without colours.")
@click.option("--explain", is_flag=True, help="Show each sentence's role, confidence and closest example.")
@click.option("--rubrics", "rubric_dir", type=click.Path(file_okay=False),
              help="A folder of rubric YAML laid over the shipped one.")
@click.option("--verbose", "-v", is_flag=True, help="Say which models and services are used.")
@click.option("--program-type", "program_type", type=click.Choice(["county", "academic", "community"]),
              help="Personal statements: the programs you target; weighs the fit (mission) findings. "
                   "Default: county.")
@click.option("--field", type=click.Choice(["statement", "experience", "meaningful"]), default="statement",
              help="The ERAS field whose limits apply: personal statement (28,000 characters), Experiences "
                   "description (750) or Most Meaningful Experience entry (300).")
@click.option("--grammar", type=click.Choice(["auto", "languagetool", "speller", "off"]), default="auto",
              help="Grammar and spelling: LanguageTool if available, else the offline speller (auto); "
                   "LanguageTool or fail; the offline speller only; or none.")
@click.option("--languagetool-url", "languagetool_url", metavar="URL", envvar="COACH_LANGUAGETOOL_URL",
              help="A LanguageTool server to use, e.g. http://localhost:8081. "
                   "Drafts go only to a server named here.")
@click.option("--annotate", metavar="OUT.docx", help="Also write a copy of the .docx draft with each finding "
              "as a Word comment (the draft itself is not changed).")
def check(files: tuple[str, ...], fmt: str, kind: str | None, fail_on: str, no_color: bool, explain: bool,
          rubric_dir: str | None, verbose: bool, grammar: str, languagetool_url: str | None,
          annotate: str | None,
          program_type: str | None = None, field: str = "statement") -> None:
    """Check one or more drafts (.txt, .md, .docx, or - for standard input)."""
    if annotate and len(files) != 1:
        raise click.UsageError("--annotate takes exactly one .docx draft")
    from .document import load
    from .render.json import render_json
    from .render.text import render_text
    from .session import make_analyzer

    analyzer = make_analyzer(rubric_dir=rubric_dir, verbose=verbose, grammar=grammar,
                             languagetool_url=languagetool_url,
                             options={"program_type": program_type, "field": field})
    if kind is None and field != "statement":
        kind = "personal_statement"  # an ERAS Experiences or Most Meaningful entry
    reports, input_errors = [], 0
    for path in files:
        try:
            doc = load(path)
            reports.append(analyzer.analyse(doc, kind))
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
        from .annotate import annotate_docx

        added = annotate_docx(files[0], reports[0].to_json(), annotate)
        click.echo(f"coach: wrote {annotate} with {added} comment{'s' * (added != 1)}", err=True)
    failing = _fail_threshold(fail_on)
    sys.exit(EXIT_FINDINGS if any(f.severity in failing for r in reports for f in r.findings) else EXIT_OK)


from .email_cli import email as _email_cmd  # noqa: E402

cli.add_command(_email_cmd)
from .batch_cli import batch as _batch_cmd, diff as _diff_cmd  # noqa: E402, I001

cli.add_command(_batch_cmd)
cli.add_command(_diff_cmd)


def main() -> None:
    cli.main(prog_name="coach")


if __name__ == "__main__":
    main()
