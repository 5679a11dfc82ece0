"""Dismissed findings: the `DRAFT.coach.yaml` sidecar beside a draft, and splitting a report's findings into
the active ones and the dismissed ones.

A dismissal names a rule and, optionally, the normalised words of the sentence it applies to (lower case,
punctuation and spacing dropped) and, for a word-level rule, of the one finding's excerpt where that sentence
has other findings of the rule that stay (two misspellings in one sentence). It follows that sentence, not an
offset: edits elsewhere in the draft, or moving the sentence, keep it; rewriting the sentence itself ends it.
Without a sentence it applies to every finding of the rule in the draft. `--ignore RULE` on the command line
is a dismissal of the second kind for one run.

The sidecar is read with the rubric's care (a broken one is a RubricError naming file, line and key, which the
commands report in one line and then run without dismissals); it is written only by `coach ignore`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import RubricError
from ..report import Report, spans_under
from ..rubric import SEVERITY_RANK
from ..yamlio import line_of, read_yaml

SUFFIX = ".coach.yaml"
KEYS = ("rule", "sentence", "excerpt", "reason", "by", "at")
ONE_OFF = "--ignore for this run"
_WORD = re.compile(r"[^\W_]+")
# Categories whose findings are about one word each: a sentence's other findings of the rule are other
# mistakes, kept when one is dismissed. The others (blame, style…) judge the sentence, dismissed whole.
WORD_LEVEL = ("spelling", "grammar")


@dataclass(frozen=True)
class Dismissal:
    rule: str
    sentence: str | None = None  # normalised words; None: every finding of the rule
    reason: str = ""
    by: str = ""
    at: str = ""
    excerpt: str | None = None  # normalised words of the one finding meant; None: every one in the sentence

    def to_yaml(self) -> dict[str, str]:
        out = {"rule": self.rule}
        if self.sentence is not None:
            out["sentence"] = self.sentence
        if self.excerpt is not None:
            out["excerpt"] = self.excerpt
        out.update({"reason": self.reason, "by": self.by, "at": self.at})
        return out


def normalise(text: str) -> str:
    """Words only: case, punctuation and whitespace do not matter."""
    return " ".join(_WORD.findall(text.casefold()))


def contains(haystack: str, needle: str) -> bool:
    """Whether the normalised words `needle` appear, as whole words, in the normalised `haystack`."""
    return bool(needle) and f" {needle} " in f" {haystack} "


def sidecar_path(draft: str | Path) -> Path:
    path = Path(draft)
    return path.with_name(path.name + SUFFIX)


# ---- reading and writing the sidecar -----------------------------------------------------------------------

def read_sidecar(path: Path) -> list[Dismissal]:
    """The dismissals in a sidecar ([] when there is none); RubricError naming file, line and key when broken."""
    if not path.is_file():
        return []
    data = read_yaml(path)
    if data is None:
        return []
    return parse(data, str(path))


def parse(data: Any, file: str) -> list[Dismissal]:
    """Dismissals from the sidecar's mapping (or from the web API's list, under the same rules)."""
    if isinstance(data, dict):
        unknown = sorted(str(k) for k in data if k != "dismissals")
        if unknown:
            raise RubricError(file, line_of(data, unknown[0]), unknown[0], "is not a key here (the file holds "
                                                                           "`dismissals:`, a list)")
        items = data.get("dismissals")
        if items is None:
            return []
        where_line = line_of(data, "dismissals")
    else:
        items, where_line = data, 1
    if not isinstance(items, list):
        raise RubricError(file, where_line, "dismissals", "must be a list of dismissals (- rule: …)")
    out = []
    for i, raw in enumerate(items, 1):
        where = f"dismissals[{i}]"
        if not isinstance(raw, dict):
            raise RubricError(file, where_line, where, "must be a mapping with rule, sentence, reason, by, at")
        unknown = sorted(str(k) for k in raw if k not in KEYS)
        if unknown:
            raise RubricError(file, line_of(raw, unknown[0]), f"{where}.{unknown[0]}",
                              f"is not a dismissal key (the keys are {', '.join(KEYS)})")
        values: dict[str, Any] = {}
        for key in KEYS:
            value = raw.get(key)
            if value is None:
                if key == "rule":
                    raise RubricError(file, line_of(raw, key), f"{where}.rule", "is required")
                continue
            if key == "at" and not isinstance(value, str):  # YAML reads an unquoted date-time as a datetime
                value = value.isoformat() if hasattr(value, "isoformat") else value
            if not isinstance(value, str) or (key == "rule" and not value.strip()):
                raise RubricError(file, line_of(raw, key), f"{where}.{key}", "must be text")
            values[key] = value.strip()
        for key in ("sentence", "excerpt"):
            if key in values:
                values[key] = normalise(values[key]) or None
        out.append(Dismissal(**values))
    return out


def dump(dismissals: list[Dismissal], draft_name: str) -> str:
    head = (f"# Findings dismissed for {draft_name}, written by `coach ignore` (see `coach ignore {draft_name} "
            "--list`).\n# Each applies to the findings of its rule in the sentence with these words (all of "
            "them when there is no\n# sentence); rewriting that sentence ends it.\n")
    body = yaml.safe_dump({"dismissals": [d.to_yaml() for d in dismissals]}, sort_keys=False, allow_unicode=True,
                          width=10_000, default_flow_style=False)
    return head + body


def for_draft(draft: str, ignore: tuple[str, ...] = ()) -> tuple[list[Dismissal], str | None]:
    """The dismissals for a draft on disk (its sidecar, plus the run's --ignore ids), and the one-line problem
    with a broken sidecar (its dismissals are then left out; the check runs)."""
    one_off = [Dismissal(rule, reason=ONE_OFF) for rule in ignore]
    if draft == "-":
        return one_off, None
    try:
        return read_sidecar(sidecar_path(draft)) + one_off, None
    except RubricError as exc:
        return one_off, f"{exc} (the dismissals in it are not applied)"


# ---- matching ----------------------------------------------------------------------------------------------

def _get(item: Any, name: str) -> Any:
    return item[name] if isinstance(item, dict) else getattr(item, name)


def sentence_key(finding: Any, sentences: list[Any]) -> str:
    """The normalised words of the sentence(s) a finding lies in; its excerpt's when it lies in none."""
    start, end = _get(finding, "start"), _get(finding, "end")
    spans = [(_get(s, "start"), _get(s, "end")) for s in sentences]
    inside = [sentences[i] for i in spans_under(start, end, spans)]
    return normalise(" ".join(_get(s, "text") for s in inside) if inside else _get(finding, "excerpt"))


def word_level_choices(findings: list[Any], keys: list[str]) -> dict[tuple[str, str], set[str]]:
    """(rule, sentence key) -> the normalised excerpts of a WORD_LEVEL rule's findings in that sentence, where
    there are two or more: dismissing one of them must name its excerpt, or the others would go too. `keys`:
    each finding's sentence_key."""
    out: dict[tuple[str, str], set[str]] = {}
    for f, key in zip(findings, keys):
        if _get(f, "rule").split(".")[0] in WORD_LEVEL:
            out.setdefault((_get(f, "rule"), key), set()).add(normalise(_get(f, "excerpt")))
    return {where: excerpts for where, excerpts in out.items() if len(excerpts) > 1}


def matching(dismissals: list[Dismissal], finding: Any, sentences: list[Any]) -> Dismissal | None:
    rule = _get(finding, "rule")
    key = None
    for d in dismissals:
        if d.rule != rule:
            continue
        if d.sentence is None:
            return d
        key = key if key is not None else sentence_key(finding, sentences)
        if d.sentence == key and (d.excerpt is None or d.excerpt == normalise(_get(finding, "excerpt"))):
            return d
    return None


def apply(report: Report, dismissals: list[Dismissal]) -> Report:
    """Moves the report's dismissed findings, with their reason, to `report.dismissed`."""
    if not dismissals:
        return report
    keep = []
    for finding in report.findings:
        found = matching(dismissals, finding, report.doc.sentences)
        if found is None:
            keep.append(finding)
        else:
            report.dismissed.append((finding, found.reason))
    report.findings = keep
    return report


def apply_json(report: dict[str, Any], dismissals: list[Dismissal]) -> dict[str, Any]:
    """The same for a report in the JSON contract (a batch's results): findings split, the summary recounted."""
    if not dismissals:
        return report
    keep, dismissed = [], list(report.get("dismissed", []))
    for finding in report["findings"]:
        found = matching(dismissals, finding, report.get("sentences", []))
        if found is None:
            keep.append(finding)
        else:
            dismissed.append({**finding, "reason": found.reason})
    summary = dict(report["summary"])
    for severity in SEVERITY_RANK:
        summary[f"{severity}s"] = sum(1 for f in keep if f["severity"] == severity)
    return {**report, "summary": summary, "findings": keep, **({"dismissed": dismissed} if dismissed else {})}


def apply_to_entries(entries: list[Any], ignore: tuple[str, ...], notices: list[str]) -> None:
    """A batch: each analysed draft's report (the JSON contract, on `entry.report`) with its sidecar's
    dismissals and the run's --ignore ids applied; a broken sidecar is one notice and no dismissals."""
    for entry in entries:
        if entry.report is None:
            continue
        dismissals, problem = for_draft(entry.file, ignore)
        if problem and problem not in notices:
            notices.append(problem)
        entry.report = apply_json(entry.report, dismissals)
