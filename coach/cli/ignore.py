"""`coach ignore`: record, list and undo dismissed findings in the draft's sidecar (DRAFT.coach.yaml)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
from pathlib import Path

import click

from ..errors import CoachError
from ..render.counts import counted
from ..settings import Options
from .options import analysis_options, check_rule_ids


@click.command()
@click.argument("draft")
@click.argument("rule", required=False)
@click.option("--text", metavar="WORDS",
              help="Only the finding whose excerpt or sentence has these words (case, punctuation and spacing "
                   "do not matter); without it, every finding of RULE in the draft.")
@click.option("--reason", default="", help="Why it does not apply (kept in the file, shown with --list).")
@click.option("--list", "show", is_flag=True, help="Show the draft's dismissals, numbered.")
@click.option("--undo", metavar="N|RULE", help="Remove dismissal N (from --list), or the one of that rule "
              "(with --text: whose sentence has those words).")
@analysis_options(one_off_ignore=False)
def ignore(draft: str, rule: str | None, text: str | None, reason: str, show: bool, undo: str | None,
           options: Options) -> None:
    """Dismiss a finding in DRAFT that you and your advisor decided does not apply.

    Writes DRAFT.coach.yaml beside the draft (the draft is never changed); `coach check` and `coach batch`
    then list the finding as dismissed instead of counting it (the web page takes the same entries). A
    dismissal follows its sentence: editing other sentences keeps it, rewriting that sentence ends it.

    \b
      coach ignore explanation.txt blame.luck --text "simply unlucky" --reason "advisor: fine here"
      coach ignore explanation.txt --list
      coach ignore explanation.txt --undo 1
    """
    from ..analysis.dismissals import read_sidecar, sidecar_path

    if draft == "-":
        raise click.UsageError("coach ignore needs a draft file (its dismissals are kept beside it), "
                               "not - (standard input)")
    if not Path(draft).is_file():
        raise CoachError(f"{draft}: no such file")
    path = sidecar_path(draft)
    current = read_sidecar(path)  # a broken file is one error line: never overwrite what the user wrote
    if show:
        _list(draft, current)
        return
    if undo is not None:
        _undo(draft, path, current, undo, text)
        return
    if not rule:
        raise click.UsageError("give a RULE to dismiss (e.g. blame.luck), or --list, or --undo N")
    check_rule_ids((rule,), options.rubric_dir, "RULE")
    places = _sentences(draft, rule, text, options) if text is not None else [(None, None)]
    _add(draft, path, current, rule, places, reason)


def _sentences(draft: str, rule: str, text: str, options: Options) -> list[tuple[str, str | None]]:
    """The normalised words of each sentence with a finding of `rule` whose excerpt or sentence has `text`,
    each with the excerpt meant when the words pick out one of that sentence's several spelling or grammar
    findings of the rule (one of two misspellings); None when they mean the whole sentence's."""
    from ..analysis.dismissals import WORD_LEVEL, contains, normalise, sentence_key, word_level_choices
    from ..analysis.session import make_analyzer
    from ..document import load

    needle = normalise(text)
    if not needle:
        raise click.UsageError("--text needs some words of the finding's sentence")
    grammar = options.grammar or ("auto" if rule.split(".")[0] in WORD_LEVEL else "off")
    options = dataclasses.replace(options, grammar=grammar)
    analyzer = make_analyzer(options)
    report = analyzer.analyse(load(draft), None, options)
    keys = [sentence_key(f, report.doc.sentences) for f in report.findings]
    choices = word_level_choices(report.findings, keys)
    found: list[tuple[str, str | None]] = []
    for finding, key in zip(report.findings, keys):
        if finding.rule != rule:
            continue
        excerpt = normalise(finding.excerpt)
        if any(contains(x, needle) for x in choices.get((rule, key), ())):  # the words pick one of its misspellings
            place = (key, excerpt) if contains(excerpt, needle) else None
        else:
            place = (key, None) if contains(excerpt, needle) or contains(key, needle) else None
        if place is not None and place not in found:
            found.append(place)
    if not found:
        raise CoachError(f"{draft}: no {rule} finding whose excerpt or sentence has the words “{text}”; "
                         "nothing written")
    return found


def _add(draft: str, path: Path, current: list, rule: str, places: list[tuple[str | None, str | None]],
         reason: str) -> None:
    from ..analysis.dismissals import Dismissal

    now = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    entries = list(current)
    for sentence, excerpt in places:
        new = Dismissal(rule, sentence, reason.strip(), _user(), now, excerpt)
        same = [i for i, d in enumerate(entries)
                if d.rule == rule and d.sentence == sentence and d.excerpt == excerpt]
        if same:
            entries[same[0]] = new
        else:
            entries.append(new)
        what = f"in the sentence “{_clip(sentence)}”" if sentence else "everywhere in the draft"
        what = f"“{excerpt}” {what}" if excerpt else what
        click.echo(f"coach: {'updated' if same else 'dismissed'} {rule} {what} ({path})")
    _write(path, entries, draft)


def _list(draft: str, current: list) -> None:
    if not current:
        click.echo(f"No dismissals for {draft}.")
        return
    for i, d in enumerate(current, 1):
        where = f"“{_clip(d.sentence)}”" if d.sentence else "(every finding of the rule)"
        where = f"“{d.excerpt}” in {where}" if d.excerpt else where
        click.echo(f"{i:>3}  {d.rule}  {where}")
        details = [d.reason and f"reason: {d.reason}", d.by and f"by {d.by}", d.at and f"on {d.at}"]
        if any(details):
            click.echo("     " + "; ".join(x for x in details if x))


def _undo(draft: str, path: Path, current: list, undo: str, text: str | None) -> None:
    from ..analysis.dismissals import contains, normalise

    if undo.isdigit():
        n = int(undo)
        if not 1 <= n <= len(current):
            raise click.UsageError(f"--undo {n}: {draft} has {counted(len(current), 'dismissal')} "
                                   f"(see coach ignore {draft} --list)")
        index = n - 1
    else:
        needle = normalise(text or "")
        hits = [i for i, d in enumerate(current) if d.rule == undo and
                (not needle or contains(d.sentence or "", needle))]
        if not hits:
            raise click.UsageError(f"--undo {undo}: no such dismissal for {draft} (see coach ignore {draft} --list)")
        if len(hits) > 1:
            raise click.UsageError(f"--undo {undo}: {len(hits)} dismissals match (numbers "
                                   f"{', '.join(str(i + 1) for i in hits)}); give the number, or --text")
        index = hits[0]
    removed = current[index]
    rest = current[:index] + current[index + 1:]
    if rest:
        _write(path, rest, draft)
    else:
        path.unlink()
    click.echo(f"coach: removed the dismissal of {removed.rule}"
               + (f" in “{_clip(removed.sentence)}”" if removed.sentence else "") + f" ({path})")


def _write(path: Path, entries: list, draft: str) -> None:
    from ..analysis.dismissals import dump
    from ..render.files import write_atomic

    try:
        write_atomic(path, dump(entries, Path(draft).name))
    except OSError as exc:
        raise CoachError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return ""


def _clip(text: str | None, width: int = 70) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"
