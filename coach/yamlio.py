"""YAML reading that remembers the line of every key, so rubric errors can name file, line and key."""

from __future__ import annotations

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
            result[key] = self.construct_object(value_node, deep=deep)
            result.lines[str(key)] = key_node.start_mark.line + 1
        return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(str(path), None, "(file)", f"cannot be read ({exc})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise RubricError(str(path), line, "(syntax)", str(exc.problem or exc)) from None
    except yaml.YAMLError as exc:
        raise RubricError(str(path), None, "(syntax)", str(exc)) from None


def line_of(mapping: Any, key: str) -> int | None:
    if isinstance(mapping, LineDict):
        return mapping.lines.get(key, mapping.line)
    return None
