"""Every rule id a finding can carry, in one place: what `--ignore` and `coach ignore` accept.

Rule ids come from three places, and this module collects all three:
- the rubric's phrase rules (`rules:` in rubrics/*.yaml);
- the rubric's settings: every `id:` or `rule:` value that looks like `category.name` (the structure,
  specificity, length, email and growth-evidence checks take their ids from the YAML);
- ids the checks form in code, listed here (`CODE_IDS`, the framework parts, the mission themes) and kept
  honest by tests/test_dismissals.py, which reads every `make_finding(…, "id"` in coach/ and checks it is
  here.
LanguageTool's own rules become `grammar.<its rule id, slugged>` (coach/grammar/matches.py); there are
thousands, so any well-formed `grammar.…` id is accepted. Consistency findings belong to a batch's
cross-draft check, not to one draft, and cannot be dismissed.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..report import PARTS
from ..rubric import CATEGORIES, Rubric

CODE_IDS = frozenset({
    "framework.too-long", "framework.too-short", "framework.out-of-order",  # checks/framework.py
    "readability.long-sentence", "readability.hard-to-read",                 # checks/readability.py
    "spelling.misspelled",                                                    # grammar/matches.py, speller.py
})
FORMED = ("framework.missing-{part}", "mission.lacks-{theme}", "grammar.{languagetool-rule}")
GRAMMAR_ID = re.compile(r"grammar\.[a-z0-9]+(?:-[a-z0-9]+)*")
_ID = re.compile(r"([a-z]+)\.[a-z0-9][a-z0-9-]*")
_NOT_DISMISSABLE = ("consistency",)


def known_rule_ids(rubric: Rubric) -> set[str]:
    """Every rule id a finding of one draft can carry with this rubric (grammar.* apart: see `is_known`)."""
    ids = {rule.id for rule in rubric.rules}
    ids |= {i for i in _ids_in(rubric.settings) if i.split(".")[0] not in _NOT_DISMISSABLE}
    ids |= CODE_IDS
    ids |= {f"framework.missing-{part}" for part in PARTS}
    mission = (rubric.settings.get("personal_statement") or {}).get("mission") or {}
    ids |= {f"mission.lacks-{theme}" for theme in (mission.get("themes") or {})}
    return ids


def is_known(rule: str, known: set[str]) -> bool:
    return rule in known or bool(GRAMMAR_ID.fullmatch(rule))


def closest(rule: str, known: set[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(rule, sorted(known), n=n, cutoff=0.5)


def unknown_message(rule: str, known: set[str]) -> str:
    near = closest(rule, known)
    hint = f"the closest: {', '.join(near)}" if near else \
        f"rule ids look like {', '.join(sorted(known)[:3])} (see a finding's `rule` in --format json)"
    return f"{rule!r} is not a rule id; {hint}"


def _ids_in(data: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("id", "rule") and isinstance(value, str):
                match = _ID.fullmatch(value)
                if match and match.group(1) in CATEGORIES:
                    found.add(value)
            else:
                found |= _ids_in(value)
    elif isinstance(data, list):
        for item in data:
            found |= _ids_in(item)
    return found
