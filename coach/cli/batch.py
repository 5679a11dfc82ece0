"""`coach batch`: argument handling and the terminal's progress line only."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import TextIO

import click

from ..render.counts import counted
from ..settings import Options
from .options import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERRUPTED, analysis_options


class Progress:
    """One self-rewriting line on stderr (files done, rate, time left), only when stderr is a terminal."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self.total = self.done = self.failed = 0
        self.started = self.first = time.monotonic()
        self._drawn = 0.0

    def start(self, total: int) -> None:
        self.total, self.started = total, time.monotonic()
        self._draw("loading the models…" if total else "", force=True)

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if self.done == 1:  # the rate is measured from the first result, after the models have loaded
            self.first = now
        elapsed = now - self.first
        rate = (self.done - 1) / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        errors = f" · {self.failed} not readable" if self.failed else ""
        width = 24
        filled = int(width * self.done / max(1, self.total))
        pace = f" · {rate:.1f}/s · {_clock(left)} left" if rate else ""
        self._draw(f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} drafts{pace}{errors}",
                   force=self.done == self.total)

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _draw(self, line: str, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._drawn < 0.1):
            return
        self._drawn = now
        columns = shutil.get_terminal_size((80, 20)).columns
        self.stream.write("\r\033[K" + line[: columns - 1])
        self.stream.flush()


def _relative(path: str, roots: tuple[str, ...]) -> str:
    """A path as the advisor gave it: under the batch folder it was found in."""
    for root in roots:
        try:
            return Path(path).relative_to(root).as_posix() or path
        except ValueError:
            continue
    return path


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for results.jsonl, summary.csv, report.html, consistency.jsonl and batch.json.")
@click.option("--group-by", type=click.Choice(["applicant", "folder", "none"]), default="applicant",
              show_default=True,
              help="Which drafts are checked together as one applicant's. applicant: a folder that looks like "
                   "one applicant's set (at most one explanation, statement and interview answer, versions "
                   "counting as one), else the name the draft is signed with, else none; folder: every folder "
                   "under PATH that holds drafts; "
                   "none: no cross-draft checks.")
@click.option("--applicants", "applicants_file", type=click.Path(dir_okay=False),
              help="A CSV of file (relative to PATH, or a glob) and applicant name; it wins for the files it "
                   "names.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
              help="Worker processes (0: one per CPU core; 1: no pool).")
@click.option("--resume", is_flag=True, help="Skip drafts whose content already has a result in --out.")
@analysis_options
@click.option("--quiet", "-q", is_flag=True, help="No summary line at the end.")
def batch(paths: tuple[str, ...], out_dir: str, group_by: str, applicants_file: str | None, jobs: int,
          resume: bool, quiet: bool, options: Options) -> None:
    """Review a folder of drafts: a report an advisor can act on.

    Finds .txt, .md, .docx, .rtf and .odt files under each PATH (recursively), analyses them in parallel,
    checks that each applicant's drafts tell one story, and writes results.jsonl (one JSON report per draft),
    summary.csv (one row per draft) and report.html (open it in a browser) to --out. A draft that cannot be
    read is one error row; the rest go on. Ctrl-C keeps what is done; run again with --resume to finish.

    Exit status, as for `check` (every output is written first): 0 no draft has errors, 1 a draft has
    errors, 2 a draft or a folder could not be read (or nothing could be run), 130 interrupted.
    """
    from ..batch.applicants import read_applicants_file
    from ..batch.run import default_jobs, execute

    out = Path(out_dir)
    workers = jobs or default_jobs()
    progress = Progress(sys.stderr, sys.stderr.isatty())
    begun = time.monotonic()
    try:
        result = execute(list(paths), out, options, workers, resume, group_by, on_start=progress.start,
                         on_done=lambda e: progress.advance(e.report is None),
                         applicants=read_applicants_file(applicants_file) if applicants_file else None)
    finally:
        progress.close()
    seconds = time.monotonic() - begun
    for notice in result.notices:
        click.echo(f"coach: {notice}", err=True)
    for entry in result.entries:
        if entry.error:
            click.echo(f"coach: {entry.relpath or entry.file}: {entry.error}", err=True)
    for folder in result.unreadable:
        reason = dict(result.skipped)[folder]
        click.echo(f"coach: {_relative(folder, paths)}: {reason}", err=True)
    done = sum(1 for e in result.entries if e.report is not None)
    failed = sum(1 for e in result.entries if e.error)
    reused = done - (progress.done - progress.failed)
    if not result.complete:
        click.echo(f"coach: interrupted; {done} of {len(result.entries)} drafts are in {out}. "
                   f"Run the same command with --resume to finish.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if not quiet:
        analysed = done - reused
        parts = [f"{counted(analysed, 'draft')} analysed"]
        if reused:
            parts.append(f"{reused} reused from the last run")
        if failed:
            parts.append(f"{failed} could not be analysed (listed above and in the report)")
        if result.skipped:
            parts.append(f"{counted(len(result.skipped), 'other file')} skipped")
        rate = f" ({progress.done / seconds:.1f} drafts/s)" if analysed and seconds else ""
        click.echo(f"coach: {', '.join(parts)} in {seconds:.1f} s{rate}. Open {out / 'report.html'}", err=True)
    if failed or result.unreadable:
        sys.exit(EXIT_INPUT)
    if any(e.count("error") for e in result.entries if e.report is not None):
        sys.exit(EXIT_FINDINGS)
