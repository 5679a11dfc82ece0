"""What a check reads: the document with its sentences (roles and vectors set), the rubric, every phrase
match, the run's options and the readability metrics. A check writes only `framework` (the four-part
framework's summary, for the kinds that have one) and `notices` (one line each, shown with the report)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..document import Document
from ..rubric import Rubric
from ..settings import Options, Settings


@dataclass
class Context:
    doc: Document
    rubric: Rubric
    settings: Settings  # the rubric's typed settings
    spans: dict[str, list]
    options: Options = field(default_factory=Options)
    encoder: Any = None  # the sentence encoder the role step used, or None when roles came from cue patterns
    flag_model: Any = None  # the flag heads (coach.roles.flags.FlagModel), or None without the encoder
    metrics: dict[str, Any] = field(default_factory=dict)
    framework: dict[str, Any] | None = None
    notices: list[str] = field(default_factory=list)  # one line each, e.g. "length was not judged on an excerpt"
