"""The JSON contract (schema 1): one object per document, an array for several."""

from __future__ import annotations

import json

from ..report import Report


def render_json(reports: list[Report], as_array: bool) -> str:
    data = [r.to_json() for r in reports]
    return json.dumps(data if as_array else data[0], ensure_ascii=False, indent=2)
