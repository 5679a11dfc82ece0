"""Builds the Analyzer for a command from its options: rubric, role classifier, grammar."""

from __future__ import annotations

import click

from .analyse import Analyzer


def make_analyzer(rubric_dir: str | None = None, verbose: bool = False, grammar: str = "speller",
                  languagetool_url: str | None = None) -> Analyzer:
    """`grammar` is auto|languagetool|speller|off (see coach.grammar); the default is the offline speller,
    so nothing starts or connects unless a command asks for it."""
    from .grammar import build_grammar

    analyzer = Analyzer(rubric_dir=rubric_dir)
    if verbose:
        click.echo(f"coach: sentence roles from {analyzer.classifier.name}", err=True)
    analyzer.grammar = build_grammar(grammar, languagetool_url, analyzer.rubric)
    if verbose:
        line = analyzer.grammar.description if analyzer.grammar else "grammar: off (--grammar off)"
        click.echo(f"coach: {line}", err=True)
    return analyzer
