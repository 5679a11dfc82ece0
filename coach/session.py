"""Builds the Analyzer for a command from its options: rubric, role classifier, grammar."""

from __future__ import annotations

import click

from .analyse import Analyzer


def make_analyzer(rubric_dir: str | None = None, verbose: bool = False) -> Analyzer:
    analyzer = Analyzer(rubric_dir=rubric_dir)
    if verbose:
        click.echo(f"coach: sentence roles from {analyzer.classifier.name}", err=True)
    return analyzer
