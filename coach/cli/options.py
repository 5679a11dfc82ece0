"""What every command shares: exit codes and the one set of click options that build coach.settings.Options
(`check`, `batch` and the coming `serve` take them all, with the same names and meanings)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from ..document import KINDS
from ..settings import FIELDS, GRAMMAR_CHOICES, PROGRAM_TYPES, Options

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130

_NAMES = ("kind", "program_type", "field", "grammar", "languagetool_url", "rubric_dir")


def rubrics_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--rubrics", "rubric_dir", type=click.Path(file_okay=False),
                        help="A folder of rubric YAML laid over the shipped one.")(fn)


def analysis_options(fn: Callable[..., Any] | None = None, *, one_off_ignore: bool = True) -> Any:
    """Adds the analysis options to a command and passes them as one `options: Options` argument.
    `one_off_ignore=False` leaves out --ignore (for `coach ignore`, which records dismissals instead)."""
    if fn is None:
        return functools.partial(analysis_options, one_off_ignore=one_off_ignore)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _NAMES}
        ignore = tuple(dict.fromkeys(kwargs.pop("ignore", ()) or ()))
        if ignore:
            check_rule_ids(ignore, values["rubric_dir"], "--ignore")
        return fn(*args, options=Options(**values, ignore=ignore), **kwargs)

    decorators = [
        click.option("--kind", type=click.Choice(KINDS),
                     help="What the drafts are (detected from each draft's text when not given)."),
        click.option("--program-type", "program_type", type=click.Choice(PROGRAM_TYPES),
                     help="Personal statements: the programs you target; weighs the fit (mission) findings. "
                          "Default: county."),
        click.option("--field", type=click.Choice(FIELDS), default="statement",
                     help="The ERAS field whose limits apply: personal statement (28,000 characters), "
                          "Experiences description (750) or Most Meaningful Experience entry (300)."),
        click.option("--grammar", type=click.Choice(GRAMMAR_CHOICES),
                     help="Grammar and spelling: LanguageTool if available, else the offline speller (auto); "
                          "LanguageTool or fail; the offline speller only; or none. "
                          "Default: auto for `check`, the offline speller for `batch`."),
        click.option("--languagetool-url", "languagetool_url", metavar="URL", envvar="COACH_LANGUAGETOOL_URL",
                     help="A LanguageTool server to use, e.g. http://localhost:8081. "
                          "Drafts go only to a server named here."),
        rubrics_option,
    ]
    if one_off_ignore:
        decorators.append(click.option(
            "--ignore", "ignore", multiple=True, metavar="RULE",
            help="Dismiss every finding of this rule id (e.g. blame.luck) for this run; repeatable. "
                 "`coach ignore` records a dismissal for good."))
    for decorate in reversed(decorators):
        wrapper = decorate(wrapper)
    return wrapper


def check_rule_ids(rules: tuple[str, ...], rubric_dir: str | None, option: str) -> None:
    """A usage error (exit 2) naming the closest ids when a rule id is not one a finding can carry."""
    from ..analysis.rule_ids import is_known, known_rule_ids, unknown_message
    from ..rubric import load_rubric

    known = known_rule_ids(load_rubric(rubric_dir))
    for rule in rules:
        if not is_known(rule, known):
            raise click.UsageError(f"{option}: {unknown_message(rule, known)}")
