"""Builds the Analyzer for a run from its options: rubric, role classifier, grammar."""

from __future__ import annotations

import click

from ..settings import Options
from .analyzer import Analyzer


def make_analyzer(options: Options | None = None, verbose: bool = False) -> Analyzer:
    """`options.grammar` is auto|languagetool|speller|off (see coach.grammar); None is the offline speller,
    so nothing starts or connects unless a command asks for it. The per-document options (program type,
    ERAS field, kind) are passed with each `analyse` call."""
    from ..grammar import build_grammar  # loaded when a run starts, not when the command line is parsed

    options = options or Options()
    analyzer = Analyzer(rubric_dir=options.rubric_dir)
    if verbose:
        click.echo(f"coach: sentence roles from {analyzer.classifier.name}", err=True)
    analyzer.grammar = build_grammar(options.grammar or "speller", options.languagetool_url, analyzer.rubric)
    if analyzer.grammar is not None:
        analyzer.grammar.load_in_background()
    if verbose:
        line = analyzer.grammar.description if analyzer.grammar else "grammar: off (--grammar off)"
        click.echo(f"coach: {line}", err=True)
    return analyzer
