"""The `coach` group: every command attached in one place, and one line on stderr for every user-facing
problem."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

import click

from .. import __version__
from ..errors import CoachError
from .batch import batch
from .check import check
from .diff import diff
from .email import email
from .ignore import ignore
from .interview import interview
from .options import EXIT_INPUT
from .serve import serve
from .streams import tolerant_output


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


for _command in (check, email, batch, diff, interview, serve, ignore):
    cli.add_command(_command)


def main() -> None:
    tolerant_output()
    try:
        cli.main(prog_name="coach")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    _exit_now(code)


def _exit_now(code: int) -> None:
    """End the process without Python's teardown, which frees every object of spaCy's and the encoder's
    one by one: a tenth of a second of a cold `coach check`, for a process that is ending anyway. The
    output is flushed and the exit handlers (a LanguageTool server coach started) run first. A process that
    ran worker processes exits normally: Python then waits for the pool's manager thread, which must finish
    telling multiprocessing's resource tracker what it cleaned up, or the tracker prints warnings."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`coach check … | head`) takes no more
            stream.flush()
    if "concurrent.futures.process" in sys.modules:  # a batch's pool: its threads need the normal exit
        sys.exit(code)
    atexit._run_exitfuncs()
    os._exit(code)
