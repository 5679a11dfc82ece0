"""spaCy's attribute_ruler (en_core_web_sm's tag map and its exceptions: POS, MORPH and LEMMA set from TAG,
LOWER and DEP) applied through dictionaries instead of its Matcher. The Matcher tried all 179 patterns at
every token (4.6 ms for a 230-token draft); here each token tries only the patterns filed under its own
word, tag or dependency, read as spaCy stores them (1.1 ms). The result is the ruler's, token for token
(tests/test_attribute_rules.py compares the two on every sample and exemplar), and a ruler with a pattern
this cannot read is left to spaCy (`readable` says so).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Row = list[int]  # one token's LOWER, TAG, DEP and IS_SPACE, as spaCy stores them (Doc.to_array)
Predicate = Callable[[Row], bool]
COLUMNS = ("LOWER", "TAG", "DEP", "IS_SPACE")
Entry = tuple[int, int, list[Predicate]]  # the ruler's pattern number, the filed token's offset, one test a token


class FastAttributeRuler:
    """A spaCy pipeline component: the wrapped AttributeRuler's patterns, matched by lookup."""

    def __init__(self, ruler: Any) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        self.ruler, self._set, self.strings = ruler, set_token_attrs, ruler.vocab.strings
        self.filed: list[dict[int, list[Entry]]] = [{} for _ in COLUMNS]  # per column: value -> patterns
        self.anywhere: list[Entry] = []
        for attr_id, entry in enumerate(ruler.patterns):  # entry i holds the ruler's attrs[i]
            for pattern in entry["patterns"]:
                self._file(attr_id, pattern)

    def __call__(self, doc):
        matches = sorted(self.matches(doc))  # the ruler's order: a later pattern overrides an earlier one
        for attr_id, start, end in matches:
            position = range(start, end)[self.ruler.indices[attr_id]]
            self._set(doc[position], self.ruler.attrs[attr_id])
        return doc

    def matches(self, doc) -> list[tuple[int, int, int]]:
        """(pattern number, start, end) of every match, read before any attribute is set, as the Matcher does."""
        rows = doc.to_array(list(COLUMNS)).tolist() if len(doc) else []
        found = []
        for i, row in enumerate(rows):
            candidates = [e for column, filed in enumerate(self.filed) for e in filed.get(row[column], ())]
            for attr_id, offset, preds in (*candidates, *self.anywhere):
                start = i - offset
                end = start + len(preds)
                if start >= 0 and end <= len(rows) and all(p(rows[start + k]) for k, p in enumerate(preds)):
                    found.append((attr_id, start, end))
        return found

    def _file(self, attr_id: int, pattern: list[dict]) -> None:
        """Files the pattern under the values one of its tokens must have (a word, else a tag, a dependency
        or whitespace), with that token's offset; a pattern with none is tried everywhere."""
        preds = [self._predicate(spec) for spec in pattern]
        for column, attr in enumerate(COLUMNS):
            for offset, spec in enumerate(pattern):
                values = _exact_values(spec.get(attr))
                if values:
                    for value in values:
                        self.filed[column].setdefault(self._id(value), []).append((attr_id, offset, preds))
                    return
        self.anywhere.append((attr_id, 0, preds))

    def _id(self, value: str | bool) -> int:
        return int(value) if isinstance(value, bool) else self.strings[value]

    def _predicate(self, spec: dict) -> Predicate:
        tests = [(COLUMNS.index(attr), self._test(value)) for attr, value in spec.items()]
        return lambda row: all(test(row[column]) for column, test in tests)

    def _test(self, value: Any) -> Callable[[int], bool]:
        kind = _kind(value)
        if kind == "equal":
            wanted = self._id(value)
            return lambda v: v == wanted
        arg = value[kind]
        if kind == "REGEX":
            regex, strings = re.compile(arg), self.strings
            return lambda v: bool(regex.search(strings[v]))
        members = {self._id(a) for a in arg}
        return (lambda v: v in members) if kind == "IN" else (lambda v: v not in members)


def readable(ruler: Any) -> bool:
    """Whether every pattern of the ruler uses only what FastAttributeRuler reads: LOWER, TAG, DEP and IS_SPACE,
    each equal to a value, IN or NOT_IN a list, or matching a REGEX (no operators)."""
    return all(_readable(spec) for entry in ruler.patterns for pattern in entry["patterns"] for spec in pattern)


def _readable(spec: dict) -> bool:
    return all(attr in COLUMNS and _kind(value) is not None for attr, value in spec.items())


def _kind(value: Any) -> str | None:
    if isinstance(value, (str, bool)):
        return "equal"
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) or op == "REGEX" and isinstance(arg, str):
            return op
    return None


def _exact_values(value: Any) -> list[str | bool]:
    if isinstance(value, (str, bool)):
        return [value]
    if isinstance(value, dict) and isinstance(value.get("IN"), list):
        return list(value["IN"])
    return []
