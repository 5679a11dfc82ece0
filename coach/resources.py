"""Where the shipped rubrics and templates live, from a checkout or from an installed wheel."""

from __future__ import annotations

import importlib.util
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
