"""Builds the Analyzer for a command from its options: rubric, role classifier, grammar."""

from __future__ import annotations

from typing import Any

import click

from .analyse import Analyzer


def make_analyzer(rubric_dir: str | None = None, verbose: bool = False, grammar: str = "speller",
                  languagetool_url: str | None = None, options: dict[str, Any] | None = None) -> Analyzer:
    """`grammar` is auto|languagetool|speller|off (see coach.grammar); the default is the offline speller,
    so nothing starts or connects unless a command asks for it. `options` go to the checks
    (program_type, field for personal statements)."""
    from .grammar import build_grammar

    analyzer = Analyzer(rubric_dir=rubric_dir)
    analyzer.options.update({k: v for k, v in (options or {}).items() if v is not None})
    if verbose:
        click.echo(f"coach: sentence roles from {analyzer.classifier.name}", err=True)
    analyzer.grammar = build_grammar(grammar, languagetool_url, analyzer.rubric)
    if verbose:
        line = analyzer.grammar.description if analyzer.grammar else "grammar: off (--grammar off)"
        click.echo(f"coach: {line}", err=True)
    return analyzer
