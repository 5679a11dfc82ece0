"""The `coach` group: every command attached in one place, and one line on stderr for every user-facing
problem."""

from __future__ import annotations

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
    cli.main(prog_name="coach")
