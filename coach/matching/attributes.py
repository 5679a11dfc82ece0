"""spaCy's attribute_ruler (en_core_web_sm's tag map and its exceptions: POS, MORPH and LEMMA set from TAG,
LOWER and DEP) applied through dictionaries instead of its Matcher. The Matcher tried all 179 patterns at
every token, 7 ms of a warm explanation and 9 % of a batch worker's time; here each token tries only the
patterns filed under its own word or tag. The result is the ruler's, token for token
(tests/test_attribute_rules.py compares the two on every sample and exemplar), and a ruler with a pattern
this cannot read is left to spaCy (`readable` says so).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[dict[str, list[Any]], int], bool]
READ = {"LOWER": "lower_", "TAG": "tag_", "DEP": "dep_", "IS_SPACE": "is_space"}


class FastAttributeRuler:
    """A spaCy pipeline component: the wrapped AttributeRuler's patterns, matched by lookup."""

    def __init__(self, ruler: Any) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        self.ruler, self._set = ruler, set_token_attrs
        self.by_lower: dict[str, list[tuple[int, list[Predicate]]]] = {}
        self.by_tag: dict[str, list[tuple[int, list[Predicate]]]] = {}
        self.anywhere: list[tuple[int, list[Predicate]]] = []
        for attr_id, entry in enumerate(ruler.patterns):  # entry i holds the ruler's attrs[i]
            for pattern in entry["patterns"]:
                _file(self, attr_id, pattern)

    def __call__(self, doc):
        matches = sorted(self.matches(doc))  # the ruler's order: a later pattern overrides an earlier one
        for attr_id, start, end in matches:
            position = range(start, end)[self.ruler.indices[attr_id]]
            self._set(doc[position], self.ruler.attrs[attr_id])
        return doc

    def matches(self, doc) -> list[tuple[int, int, int]]:
        """(pattern number, start, end) of every match, read before any attribute is set, as the Matcher does."""
        values = {attr: [getattr(t, name) for t in doc] for attr, name in READ.items()}
        found = []
        for i, (lower, tag) in enumerate(zip(values["LOWER"], values["TAG"])):
            for attr_id, preds in (*self.by_lower.get(lower, ()), *self.by_tag.get(tag, ()), *self.anywhere):
                end = i + len(preds)
                if end <= len(doc) and all(p(values, i + k) for k, p in enumerate(preds)):
                    found.append((attr_id, i, end))
        return found


def readable(ruler: Any) -> bool:
    """Whether every pattern of the ruler uses only what FastAttributeRuler reads: LOWER, TAG, DEP and IS_SPACE,
    each equal to a value, IN or NOT_IN a list, or matching a REGEX (no operators)."""
    return all(_readable(spec) for entry in ruler.patterns for pattern in entry["patterns"] for spec in pattern)


def _readable(spec: dict) -> bool:
    return all(attr in READ and _kind(value) is not None for attr, value in spec.items())


def _kind(value: Any) -> str | None:
    if isinstance(value, (str, bool)):
        return "equal"
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) or op == "REGEX" and isinstance(arg, str):
            return op
    return None


def _file(ruler: FastAttributeRuler, attr_id: int, pattern: list[dict]) -> None:
    """Files the pattern under the first token's exact word, else its words, else its tags, else anywhere."""
    entry = (attr_id, [_predicate(spec) for spec in pattern])
    first = pattern[0]
    for attr, index in (("LOWER", ruler.by_lower), ("TAG", ruler.by_tag)):
        keys = _exact_values(first.get(attr))
        if keys:
            for key in keys:
                index.setdefault(key, []).append(entry)
            return
    ruler.anywhere.append(entry)


def _exact_values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and isinstance(value.get("IN"), list):
        return list(value["IN"])
    return []


def _predicate(spec: dict) -> Predicate:
    tests = [(attr, _test(value)) for attr, value in spec.items()]
    return lambda values, i: all(test(values[attr][i]) for attr, test in tests)


def _test(value: Any) -> Callable[[Any], bool]:
    kind = _kind(value)
    if kind == "equal":
        return lambda v: v == value
    arg = value[kind]
    if kind == "IN":
        members = set(arg)
        return lambda v: v in members
    if kind == "NOT_IN":
        members = set(arg)
        return lambda v: v not in members
    regex = re.compile(arg)
    return lambda v: bool(regex.search(v))
