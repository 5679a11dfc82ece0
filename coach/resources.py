"""Where the shipped rubrics and templates live, from a checkout or from an installed wheel; and the user
cache, where coach keeps what it computed once (matcher patterns, exemplar vectors, heads, the ONNX file)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _data_dir(package: str, checkout_name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return _CHECKOUT / checkout_name


def rubric_dir() -> Path:
    return _data_dir("coach._rubrics", "rubrics")


def template_dir() -> Path:
    return _data_dir("coach._templates", "templates")


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/coach, else ~/.cache/coach (an empty XDG_CACHE_HOME counts as unset)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coach"
