"""Loading and validating rubrics/*.yaml: phrase rules, pattern sets, thresholds and messages.

Errors name the file, the line and the key. A user rubric directory (--rubrics DIR) is laid over the
shipped one: its rules replace shipped rules with the same id, its settings are merged key by key into the
shipped settings (a value replaces the shipped value of the same type at the same place), and anything new
is added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import KINDS
from .errors import RubricError
from .resources import rubric_dir
from .yamlio import LineDict, line_of, read_yaml

CATEGORIES = ("framework", "blame", "excuse", "oversharing", "growth", "length", "nrmp", "specificity",
              "mission", "grammar", "spelling", "readability", "style", "consistency", "delivery")
SEVERITIES = ("error", "warning", "suggestion")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}  # most serious first
_RULE_KEYS = {"id", "severity", "message", "suggestion", "patterns", "examples", "negatable", "quoted",
              "unless_draft_has", "unless_nearby", "kinds", "scope", "note", "once"}


@dataclass
class Rule:
    id: str
    severity: str
    message: str
    suggestion: str
    patterns: list[str]
    kinds: tuple[str, ...]
    flag_examples: list[str]
    pass_examples: list[str]
    negatable: bool = True
    skip_quoted: bool = True
    unless_draft_has: dict = field(default_factory=dict)
    unless_nearby: dict = field(default_factory=dict)
    scope: str = "all"  # "all", or "score_passage" for statement rules that only apply there
    once: str = ""  # "draft": report only the first match in a draft; "sentence": the first in each sentence
    source: str = ""
    line: int | None = None  # line of the rule's patterns in its file, for pattern errors

    @property
    def category(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass
class Rubric:
    rules: list[Rule]
    sets: dict[str, list[str]]
    settings: dict[str, Any]  # every other top-level key of every file, by name
    files: list[str]

    def section(self, name: str) -> Any:
        return self.settings.get(name, {})

    def rules_for(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if kind in r.kinds]


def load_rubric(user_dir: str | Path | None = None) -> Rubric:
    rubric = Rubric(rules=[], sets={}, settings={}, files=[])
    for directory in [rubric_dir()] + ([Path(user_dir)] if user_dir else []):
        directory = Path(directory)
        if not directory.is_dir():
            raise RubricError(str(directory), None, "(directory)", "is not a folder of rubric YAML files")
        for path in sorted(directory.glob("*.yaml")):
            _merge_file(rubric, path)
    _check_set_names(rubric)
    return rubric


def _check_set_names(rubric: Rubric) -> None:
    """Every set a rule's condition or a setting names is defined somewhere: a misspelt name would match
    nothing and quietly switch the condition or the check off."""
    for rule in rubric.rules:
        for key in ("unless_draft_has", "unless_nearby"):
            condition = getattr(rule, key)
            names = (condition.get("sets") or []) if isinstance(condition, dict) else []
            for name in (names if isinstance(names, list) else [names]):
                if str(name) not in rubric.sets:
                    raise RubricError(rule.source, line_of(condition, "sets") or rule.line,
                                      f"rules[{rule.id}].{key}.sets", _undefined(name))
    for path, name in _setting_set_names(rubric.settings, ()):
        if name not in rubric.sets:
            raise RubricError(*_defined_at(rubric, path), ".".join(path), _undefined(name))


def _undefined(name: Any) -> str:
    return f"names the set '{name}', which no rubric file defines under `sets:`; check its spelling or add the set"


# The settings keys whose values name sets (under `cues`, the keys of each part's weights do).
_SET_KEYS = ("set", "sets", "detail_set", "marker_sets", "carried_by", "covered_by", "context_mixed_by",
             "responsibility_claimed_by", "relabel")


def _setting_set_names(data: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    """(where, name) for every set name the settings hold."""
    if not isinstance(data, dict):
        return []
    found = []
    for key, value in data.items():
        where = (*path, str(key))
        if key in _SET_KEYS:
            found += _named(value, where)
        elif key == "cues" and isinstance(value, dict):
            found += [((*where, str(part), str(name)), str(name)) for part, weights in value.items()
                      if isinstance(weights, dict) for name in weights]
        else:
            found += _setting_set_names(value, where)
    return found


def _named(value: Any, where: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _named(item, (*where, str(key)))]
    return [found for item in value for found in _named(item, where)] if isinstance(value, list) else []


def _defined_at(rubric: Rubric, path: tuple[str, ...]) -> tuple[str, int | None]:
    """The last rubric file that sets `path` (where it took its value from), and the line there."""
    for name in reversed(rubric.files):
        parent, data = None, read_yaml(Path(name))
        for key in path:
            parent, data = data, data.get(key) if isinstance(data, dict) else None
        if data is not None:
            return name, line_of(parent, path[-1])
    return (rubric.files[-1] if rubric.files else "rubrics/"), None


def _merge_file(rubric: Rubric, path: Path) -> None:
    data = read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict):
        raise RubricError(str(path), 1, "(top level)", "must be a mapping of sections")
    rubric.files.append(str(path))
    default_kinds = _kinds(data, "kinds", path, ("explanation",))
    for key, value in data.items():
        if key == "rules":
            _merge_rules(rubric, value, path, default_kinds, line_of(data, key))
        elif key == "sets":
            _merge_sets(rubric, value, path, line_of(data, key))
        elif key != "kinds":
            rubric.settings[key] = _overlay(rubric.settings.get(key), value, str(path), data, key, key)


def _overlay(before: Any, value: Any, f: str, parent: Any, key: str, where: str) -> Any:
    """A setting from a later file (a --rubrics folder) laid over the one already read: mappings merge key by
    key, anything else replaces; the new value must have the type of the one it replaces, so a typo is one
    error naming the file, line and key rather than a failure in the middle of an analysis."""
    if before is None:
        return value
    line = line_of(parent, key)
    if isinstance(before, dict):
        if not isinstance(value, dict):
            raise RubricError(f, line, where, "must be a mapping (key: value lines), as in the shipped rubric")
        merged = LineDict(before)
        merged.lines = {**getattr(before, "lines", {}), **getattr(value, "lines", {})}
        merged.line = getattr(value, "line", getattr(before, "line", 1))
        for k, v in value.items():
            merged[k] = _overlay(before.get(k), v, f, value, str(k), f"{where}.{k}")
        return merged
    if isinstance(before, list):
        if not isinstance(value, list):
            raise RubricError(f, line, where, "must be a list, as in the shipped rubric")
        types = {_type(item) for item in before}
        if len(types) == 1 and (expected := types.pop()) in _TYPE_NAMES:
            for item in value:
                if _type(item) != expected:
                    raise RubricError(f, line, where, f"must be a list of {_TYPE_NAMES[expected]}s, "
                                                      "as in the shipped rubric")
        return value
    expected = _type(before)
    if expected in _TYPE_NAMES and _type(value) != expected:
        raise RubricError(f, line, where, f"must be a {_TYPE_NAMES[expected]}, as in the shipped rubric")
    return value


_TYPE_NAMES = {"number": "number", "str": "text", "bool": "true or false", "dict": "mapping"}


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _merge_sets(rubric: Rubric, value: Any, path: Path, line: int | None) -> None:
    if not isinstance(value, dict):
        raise RubricError(str(path), line, "sets", "must map a set name to a list of patterns")
    for name, patterns in value.items():
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise RubricError(str(path), line_of(value, name), f"sets.{name}", "must be a list of pattern strings")
        rubric.sets[name] = patterns


def _merge_rules(rubric: Rubric, value: Any, path: Path, kinds: tuple[str, ...], line: int | None) -> None:
    if not isinstance(value, list):
        raise RubricError(str(path), line, "rules", "must be a list of rules")
    by_id = {r.id: i for i, r in enumerate(rubric.rules)}
    for raw in value:
        rule = _parse_rule(raw, path, kinds)
        if rule.id in by_id:
            rubric.rules[by_id[rule.id]] = rule
        else:
            by_id[rule.id] = len(rubric.rules)
            rubric.rules.append(rule)


def _parse_rule(raw: Any, path: Path, kinds: tuple[str, ...]) -> Rule:
    f = str(path)
    if not isinstance(raw, dict):
        raise RubricError(f, None, "rules[]", "each rule must be a mapping with id, severity, message ...")
    rid = raw.get("id")
    where = f"rules[{rid}]" if rid else "rules[]"
    for key in ("id", "severity", "message", "suggestion", "patterns", "examples"):
        if key not in raw:
            raise RubricError(f, line_of(raw, "id"), f"{where}.{key}", "is required")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise RubricError(f, line_of(raw, key), f"{where}.{key}", "is not a rule key")
    if not isinstance(rid, str) or "." not in rid or rid.split(".")[0] not in CATEGORIES:
        raise RubricError(f, line_of(raw, "id"), f"{where}.id",
                          f"must look like category.name with a category among: {', '.join(CATEGORIES)}")
    if raw["severity"] not in SEVERITIES:
        raise RubricError(f, line_of(raw, "severity"), f"{where}.severity", f"must be one of {', '.join(SEVERITIES)}")
    for key in ("message", "suggestion"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise RubricError(f, line_of(raw, key), f"{where}.{key}", "must be a non-empty string")
    patterns = raw["patterns"]
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) and p.strip() for p in patterns):
        raise RubricError(f, line_of(raw, "patterns"), f"{where}.patterns", "must be a non-empty list of strings")
    examples = raw["examples"]
    flag, passing = _examples(examples, f, where, line_of(raw, "examples"))
    return Rule(
        id=rid, severity=raw["severity"], message=raw["message"].strip(), suggestion=raw["suggestion"].strip(),
        patterns=patterns, kinds=_kinds(raw, "kinds", path, kinds), flag_examples=flag, pass_examples=passing,
        negatable=bool(raw.get("negatable", True)), skip_quoted=bool(raw.get("quoted", "skip") == "skip"),
        unless_draft_has=raw.get("unless_draft_has") or {}, unless_nearby=raw.get("unless_nearby") or {},
        scope=raw.get("scope", "all"), once=_once(raw.get("once", False), f, where, line_of(raw, "once")), source=f,
        line=line_of(raw, "patterns"),
    )


def _once(value: Any, f: str, where: str, line: int | None) -> str:
    """`once: true` (the first match in a draft), `once: sentence` (the first in each sentence), or unset."""
    if value in (False, None):
        return ""
    if value is True or value == "draft":
        return "draft"
    if value == "sentence":
        return "sentence"
    raise RubricError(f, line, f"{where}.once", "must be true (once a draft) or sentence (once a sentence)")


def _examples(examples: Any, f: str, where: str, line: int | None) -> tuple[list[str], list[str]]:
    if not isinstance(examples, dict):
        raise RubricError(f, line, f"{where}.examples", "must have `flag` and `pass` lists")
    out = []
    for key in ("flag", "pass"):
        items = examples.get(key)
        if not isinstance(items, list) or len(items) < 2 or not all(isinstance(s, str) for s in items):
            raise RubricError(f, line_of(examples, key) or line, f"{where}.examples.{key}",
                              "needs at least two example sentences")
        out.append(items)
    return out[0], out[1]


def _kinds(raw: Any, key: str, path: Path, default: tuple[str, ...]) -> tuple[str, ...]:
    value = raw.get(key) if isinstance(raw, dict) else None
    if value is None:
        return default
    allowed = KINDS
    if not isinstance(value, list) or not all(v in allowed for v in value):
        raise RubricError(str(path), line_of(raw, key), key, f"must be a list among {', '.join(allowed)}")
    return tuple(value)
