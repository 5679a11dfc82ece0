"""YAML reading that remembers the line of every key, so rubric errors can name file, line and key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import RubricError


class LineDict(dict):
    """A mapping that also knows the 1-based line of each of its keys."""

    lines: dict[str, int]
    line: int


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: 5x faster


class _LineLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        self.flatten_mapping(node)
        result = LineDict()
        result.lines = {}
        result.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in result
            except TypeError:  # a list or mapping used as a key
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain word or number",
                                                        key_node.start_mark) from None
            if duplicate:  # YAML would keep the last silently; the writer meant one of them
                raise yaml.constructor.ConstructorError(None, None, "appears twice in the same mapping; keep one",
                                                        key_node.start_mark)
            result[key] = self.construct_object(value_node, deep=deep)
            result.lines[str(key)] = key_node.start_mark.line + 1
        return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


def read_yaml(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RubricError(str(path), None, "(file)", f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RubricError(str(path), line, "(file)", f"is not UTF-8 (byte 0x{data[exc.start]:02x} here); "
                                                     "save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RubricError(str(path), line, _key_on_line(text, line), str(exc.problem or exc)) from None
    except yaml.YAMLError as exc:
        raise RubricError(str(path), None, "(syntax)", str(exc)) from None


def _key_on_line(text: str, line: int | None) -> str:
    """The key written on a line with a syntax error, as the error's key; "(syntax)" when there is none."""
    lines = text.splitlines()
    if line and 0 < line <= len(lines):
        found = re.match(r"\s*(?:-\s+)?([\w.-]+)\s*:", lines[line - 1])
        if found:
            return f"{found.group(1)} (syntax)"
    return "(syntax)"


def line_of(mapping: Any, key: str) -> int | None:
    if isinstance(mapping, LineDict):
        return mapping.lines.get(key, mapping.line)
    return None
