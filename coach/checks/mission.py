"""Fit with the target programs: what the statement shows and what it lacks (commitment to underserved
patients, safety-net settings, social determinants, languages, cultural bridging, ...), weighed by the
program type (--program-type county|academic|community). Suggestions only."""

from __future__ import annotations

from typing import Any

from ..document import Document
from ..report import Finding, make_finding
from ..roles.paragraphs import Paragraph


def mission_profile(spans: dict[str, list], cfg: dict[str, Any]) -> dict[str, bool]:
    """Whether the statement shows each theme."""
    return {name: bool(spans.get(f"set:{theme['set']}")) for name, theme in cfg["themes"].items()}


def check_mission(doc: Document, paragraphs: list[Paragraph], spans: dict[str, list], cfg: dict[str, Any],
                  program_type: str | None) -> list[Finding]:
    if not paragraphs or doc.words < int(cfg["min_words"]):
        return []
    types = cfg["program_types"]
    program = types.get(program_type or "") or types[cfg["default_program_type"]]
    weights: dict[str, float] = program["weights"]
    shown = mission_profile(spans, cfg)
    floor = float(cfg["report_min_weight"])
    shows = [cfg["themes"][name]["label"] for name, ok in shown.items() if ok and weights.get(name, 0) > 0]
    shows_text = ", ".join(shows) if shows else cfg["nothing_shown"]
    out = []
    lacking = sorted((name for name, ok in shown.items() if not ok and weights.get(name, 0.0) >= floor),
                     key=lambda name: -weights[name])
    for name in lacking:
        theme = cfg["themes"][name]
        start, end = _anchor(paragraphs, theme["anchor"])
        message = cfg["message"].format(program=program["label"], what=theme["what"], shows=shows_text)
        out.append(make_finding(doc, f"mission.lacks-{name}", cfg["severity"], message,
                                theme["suggestion"], start, end))
    return out


def _anchor(paragraphs: list[Paragraph], part: str) -> tuple[int, int]:
    """The first sentence of the first paragraph of that part; else of the last paragraph for the future
    vision, of the first paragraph otherwise."""
    found = next((p for p in paragraphs if p.part == part), None)
    if found is None:
        found = paragraphs[-1] if part == "future_vision" else paragraphs[0]
    sentence = found.sentences[0]
    return sentence.start, sentence.end
