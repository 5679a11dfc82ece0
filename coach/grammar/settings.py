"""The grammar and spelling settings from rubrics/grammar.yaml and rubrics/vocabulary.yaml, validated.

Errors name the rubric file, the line and the key, like every other rubric error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RubricError
from ..rubric import SEVERITIES, Rubric
from ..yamlio import line_of
from .slips import SlipSettings

_MESSAGE_KEYS = {
    "spelling": ("message", "suggestion", "no_suggestion"),
    "repeated": ("message", "suggestion"),
    "article": ("message", "suggestion"),
    "grammar": ("suggestion", "no_suggestion"),
    "notices": ("unavailable", "stopped", "rejected", "no_dictionaries", "not_english"),
}


@dataclass(frozen=True)
class GrammarSettings:
    language: str
    start_seconds: float
    check_seconds: float
    severity: dict[str, str]
    disabled_rules: dict[str, str]  # LanguageTool rule id -> why it is off for this genre
    messages: dict[str, dict[str, str]]
    min_length: int
    max_findings: int
    british: list[tuple[re.Pattern[str], str]]
    prefixes: tuple[str, ...] = ()
    vocabulary: frozenset[str] = field(default_factory=frozenset)
    # Hunspell dictionaries: the folders searched, the general dictionaries (.dic + .aff) and the
    # medical word lists (a .dic; en_US's affix rules when it has no .aff), by file name.
    dictionary_paths: tuple[str, ...] = ("/usr/share/hunspell",)
    dictionaries: tuple[str, ...] = ("en_US", "en_GB")
    medical_dictionaries: tuple[str, ...] = ()
    not_words: frozenset[str] = field(default_factory=frozenset)  # dictionary entries that are misspellings
    not_english_share: float = 1.0  # past this share of unknown words a draft is not in English
    not_english_min_words: int = 8
    foreign_sentence_share: float = 1.0  # past this share of unknown words a sentence is in another language
    foreign_sentence_min_unknown: int = 4
    slips: SlipSettings = field(default_factory=lambda: SlipSettings(frozenset(), (), (), (), {}))

    def severity_for(self, issue_type: str) -> str:
        return self.severity.get(issue_type, self.severity["default"])

    def text(self, group: str, key: str, **values: Any) -> str:
        return self.messages[group][key].format(**values)


def load_settings(rubric: Rubric) -> GrammarSettings:
    """Read the `grammar` section and every word list of `vocabulary` and `user_vocabulary`."""
    raw = rubric.section("grammar")
    where = _Where(rubric, "grammar")
    where.require_mapping(raw, "grammar")
    bounds = where.mapping(raw, "time_bounds")
    speller = where.mapping(raw, "speller")
    return GrammarSettings(
        language=where.string(raw, "language"),
        start_seconds=where.number(bounds, "start_seconds", "grammar.time_bounds"),
        check_seconds=where.number(bounds, "check_seconds", "grammar.time_bounds"),
        severity=_severities(where, raw),
        disabled_rules=_disabled_rules(where, raw),
        messages=_messages(where, raw),
        min_length=int(where.number(speller, "min_length", "grammar.speller")),
        max_findings=int(where.number(speller, "max_findings", "grammar.speller")),
        british=_british(where, speller),
        prefixes=_prefixes(where, speller),
        slips=_slips(where, speller),
        **_not_english(where, speller),
        vocabulary=frozenset(_vocabulary(rubric, "vocabulary") | _vocabulary(rubric, "user_vocabulary")),
        **_dictionaries(where, speller),
    )


def _not_english(where: _Where, speller: dict[str, Any]) -> dict[str, Any]:
    raw = where.mapping(speller, "not_english", "grammar.speller")
    return {"not_english_share": where.number(raw, "unknown_share", "grammar.speller.not_english"),
            "not_english_min_words": int(where.number(raw, "min_words", "grammar.speller.not_english")),
            "foreign_sentence_share": where.number(raw, "sentence_share", "grammar.speller.not_english"),
            "foreign_sentence_min_unknown": int(where.number(raw, "sentence_min_unknown",
                                                             "grammar.speller.not_english"))}


class _Where:
    """Raises RubricError naming the file that defines a section, the line and the key."""

    def __init__(self, rubric: Rubric, section: str) -> None:
        self.file = _file_defining(rubric, section)

    def fail(self, mapping: Any, key: str, path: str, problem: str) -> RubricError:
        return RubricError(self.file, line_of(mapping, key), path, problem)

    def require_mapping(self, value: Any, path: str) -> None:
        if not isinstance(value, dict) or not value:
            raise RubricError(self.file, None, path, "is missing or is not a mapping")

    def mapping(self, parent: dict, key: str, prefix: str = "grammar") -> dict:
        value = parent.get(key)
        if not isinstance(value, dict):
            raise self.fail(parent, key, f"{prefix}.{key}", "must be a mapping")
        return value

    def string(self, parent: dict, key: str, prefix: str = "grammar") -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(parent, key, f"{prefix}.{key}", "must be a non-empty string")
        return value

    def number(self, parent: dict, key: str, prefix: str) -> float:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise self.fail(parent, key, f"{prefix}.{key}", "must be a positive number")
        return float(value)


def _severities(where: _Where, raw: dict) -> dict[str, str]:
    table = where.mapping(raw, "severity")
    for issue, severity in table.items():
        if severity not in SEVERITIES:
            raise where.fail(table, issue, f"grammar.severity.{issue}",
                             f"must be one of {', '.join(SEVERITIES)}")
    if "default" not in table:
        raise where.fail(raw, "severity", "grammar.severity.default", "is required")
    return {str(k): str(v) for k, v in table.items()}


def _disabled_rules(where: _Where, raw: dict) -> dict[str, str]:
    table = where.mapping(raw, "disabled_rules")
    for rule_id, reason in table.items():
        if not re.fullmatch(r"[A-Z0-9_]+", str(rule_id)):
            raise where.fail(table, rule_id, f"grammar.disabled_rules.{rule_id}",
                             "must be a LanguageTool rule id such as WHITESPACE_RULE")
        if not isinstance(reason, str) or not reason.strip():
            raise where.fail(table, rule_id, f"grammar.disabled_rules.{rule_id}",
                             "needs a one-line reason why the rule is off")
    return {str(k): str(v) for k, v in table.items()}


def _messages(where: _Where, raw: dict) -> dict[str, dict[str, str]]:
    messages = where.mapping(raw, "messages")
    out: dict[str, dict[str, str]] = {}
    for group, keys in _MESSAGE_KEYS.items():
        table = where.mapping(messages, group, "grammar.messages")
        out[group] = {key: where.string(table, key, f"grammar.messages.{group}") for key in keys}
    return out


def _british(where: _Where, speller: dict) -> list[tuple[re.Pattern[str], str]]:
    rules = speller.get("british", [])
    out = []
    for i, pair in enumerate(rules if isinstance(rules, list) else [None]):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise where.fail(speller, "british", f"grammar.speller.british[{i}]",
                             "must be a list of [pattern, replacement] pairs")
        try:
            out.append((re.compile(pair[0]), pair[1]))
        except re.error as exc:
            raise where.fail(speller, "british", f"grammar.speller.british[{i}]",
                             f"is not a valid pattern ({exc})") from None
    return out


def _prefixes(where: _Where, speller: dict) -> tuple[str, ...]:
    items = speller.get("prefixes", [])
    if not isinstance(items, list) or not all(isinstance(p, str) and p.isalpha() for p in items):
        raise where.fail(speller, "prefixes", "grammar.speller.prefixes",
                         "must be a list of letters-only prefixes")
    return tuple(sorted({p.lower() for p in items}, key=len, reverse=True))


def _slips(where: _Where, speller: dict) -> SlipSettings:
    table = speller.get("slips")
    if not isinstance(table, dict):
        raise where.fail(speller, "slips", "grammar.speller.slips", "must be a mapping")
    lists = {}
    for key in ("repeats_allowed", "an_before", "a_before", "either"):
        items = table.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip().isalpha() for i in items):
            raise where.fail(table, key, f"grammar.speller.slips.{key}", "must be a list of words or word beginnings")
        lists[key] = tuple(i.strip().lower() for i in items)
    letters = {}
    for key in ("letters_an", "letters_either"):
        value = table.get(key, "")
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]*", value):
            raise where.fail(table, key, f"grammar.speller.slips.{key}", "must be capital letters, e.g. AEF")
        letters[key] = value
    return SlipSettings(frozenset(lists["repeats_allowed"]), lists["an_before"], lists["a_before"], lists["either"],
                        _acronyms(where, table), **letters)


def _acronyms(where: _Where, slips: dict) -> dict[str, bool]:
    table = slips.get("acronyms", {})
    if not isinstance(table, dict) or set(table) - {"a", "an"}:
        raise where.fail(slips, "acronyms", "grammar.speller.slips.acronyms", "must map a: and an: to lists")
    out = {}
    for article, items in table.items():
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            raise where.fail(table, article, f"grammar.speller.slips.acronyms.{article}", "must be a list")
        out.update({i.strip(): article == "an" for i in items})
    return out


def _dictionaries(where: _Where, speller: dict) -> dict[str, Any]:
    table = speller.get("dictionaries")
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise where.fail(speller, "dictionaries", "grammar.speller.dictionaries", "must be a mapping")
    out: dict[str, Any] = {}
    not_words = table.get("not_words", [])
    if not isinstance(not_words, list) or not all(isinstance(i, str) and i.strip() for i in not_words):
        raise where.fail(table, "not_words", "grammar.speller.dictionaries.not_words", "must be a list of words")
    out["not_words"] = frozenset(w.strip().lower() for w in not_words)
    for key, field_name in (("paths", "dictionary_paths"), ("general", "dictionaries"),
                            ("medical", "medical_dictionaries")):
        items = table.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            raise where.fail(table, key, f"grammar.speller.dictionaries.{key}", "must be a list of strings")
        out[field_name] = tuple(i.strip() for i in items)
    return out


def _vocabulary(rubric: Rubric, section: str) -> set[str]:
    """Every word of every list in the section, lower-cased; hyphenated terms also give their parts."""
    raw = rubric.section(section)
    if not raw:
        return set()
    where = _Where(rubric, section)
    where.require_mapping(raw, section)
    words: set[str] = set()
    for group, items in raw.items():
        if not isinstance(items, list) or not all(isinstance(w, str) and w.strip() for w in items):
            raise where.fail(raw, group, f"{section}.{group}", "must be a list of words")
        for item in items:
            term = item.strip().lower().replace("’", "'")
            words.add(term)
            words.update(p for p in re.split(r"[-\s/]+", term) if p)
    return words


def _file_defining(rubric: Rubric, section: str) -> str:
    """The last rubric file with this top-level key (a user's --rubrics folder is read last)."""
    pattern = re.compile(rf"^{re.escape(section)}\s*:", re.M)
    found = "rubrics"
    for name in rubric.files:
        try:
            if pattern.search(Path(name).read_text(encoding="utf-8")):
                found = name
        except OSError:
            continue
    return found
