"""Configuration, both kinds, as frozen objects:

- `Options`: the options of one run, shared by `check`, `batch` (and the coming `serve`), passed with each
  call and carried on the analysis Context. The command line builds it in coach.cli.options.
- `Settings`: the rubric's thresholds, typed. Every default lives in the shipped YAML only: these
  dataclasses have no defaults, and building them from a rubric that lacks a key is a RubricError naming
  the file and the key (tests/test_settings.py builds them from the shipped rubric). A user's --rubrics
  folder cannot drop a key or change a type: rubric.py checks every value against the shipped one.
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import RubricError
from .rubric import Rubric
from .yamlio import line_of, read_yaml

PROGRAM_TYPES = ("county", "academic", "community")
FIELDS = ("statement", "experience", "meaningful")
GRAMMAR_CHOICES = ("auto", "languagetool", "speller", "off")


@dataclass(frozen=True)
class Options:
    """`kind` forces the kind of every draft (else detected); `program_type` weighs a personal statement's
    fit (None: the rubric's default); `field` is the ERAS field whose limits apply (an Experiences or Most
    Meaningful entry is read as a personal statement); `grammar` is auto|languagetool|speller|off (None:
    the offline speller); `languagetool_url` is the only server drafts may go to; `rubric_dir` is a folder
    of rubric YAML laid over the shipped one; `ignore` lists rule ids whose findings are dismissed for the run."""

    kind: str | None = None
    program_type: str | None = None
    field: str = "statement"
    grammar: str | None = None
    languagetool_url: str | None = None
    rubric_dir: str | None = None
    ignore: tuple[str, ...] = ()  # rule ids dismissed for this run (--ignore); checked in coach.cli.options

    def kind_for(self, kind: str | None = None) -> str | None:
        """The kind to analyse as: the caller's, else the forced one, else a personal statement for an
        Experiences or Most Meaningful entry, else None (detect it)."""
        if kind or self.kind:
            return kind or self.kind
        return "personal_statement" if self.field != "statement" else None


# ---- the rubric's settings, typed ---------------------------------------------------------------------------

@dataclass(frozen=True)
class KindDetection:
    """common.yaml `kind_detection`: telling an email, a personal statement and an explanation apart."""

    email_salutation: str
    email_words: tuple[str, ...]
    email_max_words: int
    statement_min_words: int
    statement_min_paragraphs: int
    statement_min_words_with_paragraphs: int
    exam_words: str
    exam_focus_per_100_words: float
    long_explanation_min_exam_per_100_words: float
    explanation_max_paragraphs: int
    first_person_min_ratio: float
    narrative_min_words: int
    narrative_min_paragraphs: int


@dataclass(frozen=True)
class Readability:
    """common.yaml `readability`."""

    long_sentence_words: int
    hard_grade: float
    min_words_for_grade: int
    messages: dict[str, Any]


@dataclass(frozen=True)
class CueSettings:
    """roles.yaml `confidence`: cue scores to a role and a confidence."""

    base: float
    step: float
    cap: float
    tie_penalty: float
    min_confidence: float


@dataclass(frozen=True)
class EncoderSettings:
    """roles.yaml `encoder`: the encoder head for sentence roles."""

    kinds: tuple[str, ...]
    l2: float
    min_confidence: float
    certain_cue_score: float
    order_prior: float
    hidden: int


@dataclass(frozen=True)
class ParagraphSettings:
    """personal_statement.yaml `personal_statement.paragraphs`: the part each paragraph plays."""

    head: str
    l2: float
    min_confidence: float
    position_bonus: dict[str, Any]
    cue_scale: float
    cues: dict[str, Any]
    cue_min_weight: float
    cues_when_unsure: bool


@dataclass(frozen=True)
class EmailLimits:
    words: int
    body_paragraphs: int
    body_paragraph_words: int


@dataclass(frozen=True)
class EmailSettings:
    """email.yaml `email`: the checks a phrase cannot make."""

    limits: EmailLimits
    detail_set: str
    detail_min_words: int
    messages: dict[str, Any]


@dataclass(frozen=True)
class StatementSections:
    """personal_statement.yaml `personal_statement`: the sections its checks read (each a mapping)."""

    paragraphs: dict[str, Any]
    structure: dict[str, Any]
    score_passage: dict[str, Any]
    mission: dict[str, Any]
    specificity: dict[str, Any]
    length: dict[str, Any]
    excerpt: dict[str, Any]


@dataclass(frozen=True)
class InterviewDetection:
    """interview.yaml `interview.detection`: recognising an answer written to be said aloud."""

    min_points: int
    question_prefix: str
    question_prefix_points: int
    question_points: int
    contractions: str
    contractions_per_100_words: float
    you: str
    you_per_100_words: float
    openers: str
    max_words: int


@dataclass(frozen=True)
class InterviewSettings:
    """interview.yaml `interview`: the spoken answer's delivery checks and the practice sheet."""

    question_line: str
    missing: dict[str, Any]
    speaking: dict[str, Any]
    breath_words: int
    ending: dict[str, Any]
    messages: dict[str, Any]
    detection: InterviewDetection
    practice: dict[str, Any]


@dataclass(frozen=True)
class FlagHead:
    """flags.yaml `flags.heads.<name>`: one flag recognised by meaning."""

    kinds: tuple[str, ...]
    roles: tuple[str, ...]  # the sentence roles the flag applies to; empty: any
    rule: str
    severity: str
    target_precision: float
    false_drafts: float  # the share of drafts with no such sentence that may gain the flag (1.0: no limit)
    threshold: float
    neighbours: bool  # the head reads the sentences before and after, not the sentence alone
    hidden: int  # units in the head's hidden layer; 0: a logistic head
    words: float  # the weight of the sentence's own words beside its vector (roles/words.py); 0: none
    opener_below: float  # under this, a sentence is not flagged when the next plays its role unflagged; 0: off
    message: str
    suggestion: str


@dataclass(frozen=True)
class FlagGroup:
    """flags.yaml `flags.groups.<name>`: flags decided together by one head learnt from all their examples;
    the finding takes whichever member's own head is likelier."""

    members: tuple[str, ...]
    target_precision: float
    false_drafts: float
    threshold: float
    neighbours: bool
    hidden: int
    words: float


@dataclass(frozen=True)
class FlagSettings:
    """flags.yaml `flags`: the flag heads' penalty, each flag, and the flags decided together."""

    l2_flags: float
    heads: dict[str, FlagHead]
    groups: dict[str, FlagGroup]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.heads)

    @property
    def group_members(self) -> dict[str, tuple[str, ...]]:
        return {name: group.members for name, group in self.groups.items()}

    @property
    def with_neighbours(self) -> tuple[str, ...]:
        """The flags and groups whose heads read a sentence with the ones before and after it."""
        return tuple(name for name, h in (*self.heads.items(), *self.groups.items()) if h.neighbours)

    @property
    def roles(self) -> dict[str, tuple[str, ...]]:
        """The flags that apply only to some sentence roles, and those roles."""
        return {name: h.roles for name, h in self.heads.items() if h.roles}

    @property
    def hidden(self) -> dict[str, int]:
        """The flags and groups whose heads have a hidden layer, and its size."""
        return {name: h.hidden for name, h in (*self.heads.items(), *self.groups.items()) if h.hidden}

    @property
    def words(self) -> dict[str, float]:
        """The flags and groups whose heads read the sentence's words beside its vector, and their weight."""
        return {name: h.words for name, h in (*self.heads.items(), *self.groups.items()) if h.words}

    def group_of(self, flag: str) -> str | None:
        return next((name for name, group in self.groups.items() if flag in group.members), None)

    def for_kind(self, kind: str) -> dict[str, FlagHead]:
        return {name: head for name, head in self.heads.items() if kind in head.kinds}


@dataclass(frozen=True)
class Settings:
    statement: StatementSections
    kind_detection: KindDetection
    readability: Readability
    confidence: CueSettings
    encoder: EncoderSettings
    paragraphs: ParagraphSettings
    email: EmailSettings
    interview: InterviewSettings
    flags: FlagSettings


_PATHS = {"paragraphs": ("personal_statement", "paragraphs"), "statement": ("personal_statement",)}
_TEMPLATE_KEYS = ("message", "suggestion", "no_suggestion")


def settings_of(rubric: Rubric) -> Settings:
    """The rubric's typed settings, built (and so validated) once per rubric."""
    found = getattr(rubric, "_typed", None)
    if found is None:
        found = _build(Settings, rubric, (), rubric.settings)
        _check_templates(rubric, rubric.settings, _shipped().settings, ())
        _check_patterns(rubric, rubric.settings, ())
        object.__setattr__(rubric, "_typed", found)
    return found


@functools.lru_cache(maxsize=1)
def _shipped() -> Rubric:
    from .rubric import load_rubric

    return load_rubric()


def _check_templates(rubric: Rubric, data: Any, shipped: Any, path: tuple[str, ...]) -> None:
    """Every message template parses and names only the values its check gives (those the shipped template
    at the same place names), so a typo in a --rubrics folder is one error at load time, not mid-analysis."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        where = (*path, str(key))
        known = shipped.get(key) if isinstance(shipped, dict) else None
        if isinstance(value, dict):
            _check_templates(rubric, value, known, where)
        elif key in _TEMPLATE_KEYS and isinstance(value, str) and isinstance(known, str):
            used, allowed = _fields(rubric, value, data, str(key), where), _fields(rubric, known, {}, "", where)
            unknown = sorted(used - allowed)
            if unknown:
                can = ", ".join("{" + name + "}" for name in sorted(allowed)) or "no {values}"
                raise RubricError(_file(rubric, where), line_of(data, str(key)), ".".join(where),
                                  f"uses {{{unknown[0]}}}, which this message does not have (it can use {can})")


# Settings that are regular expressions (the consistency check and applicant_key compile and check their own).
_PATTERN_KEYS = frozenset({"email_salutation", "exam_words", "question_line", "question_prefix", "contractions",
                           "you", "openers", "fillers"})


def _check_patterns(rubric: Rubric, data: Any, path: tuple[str, ...]) -> None:
    """Every regular expression among the settings compiles, so a typo in a --rubrics folder is one error
    naming its file and line, not a traceback mid-analysis."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        where = (*path, str(key))
        if isinstance(value, dict):
            _check_patterns(rubric, value, where)
        elif key in _PATTERN_KEYS:
            for pattern in value if isinstance(value, list) else [value]:
                try:
                    re.compile(str(pattern))
                except re.error as exc:
                    raise RubricError(_file(rubric, where), line_of(data, str(key)), ".".join(where),
                                      f"is not a valid regular expression ({exc})") from None


def _fields(rubric: Rubric, template: str, parent: Any, key: str, where: tuple[str, ...]) -> set[str]:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise RubricError(_file(rubric, where), line_of(parent, key) if key else None, ".".join(where),
                          f"is not a valid message template ({exc}); write {{{{ and }}}} for a literal brace") from None
    return {name.split(".")[0].split("[")[0] for name in names}


def _build(cls: type, rubric: Rubric, path: tuple[str, ...], data: Any) -> Any:
    where = ".".join(path) or "(top level)"
    if not isinstance(data, dict):
        raise RubricError(_file(rubric, path), None, where, "is missing or is not a mapping")
    values = {}
    for f in fields(cls):
        keys = _PATHS.get(f.name, (f.name,)) if cls is Settings else (f.name,)
        sub = path + keys
        raw: Any = data
        for key in keys:
            raw = raw.get(key) if isinstance(raw, dict) else None
        if raw is None:
            raise RubricError(_file(rubric, sub), None, ".".join(sub),
                              "is missing (coach reads it; the shipped rubric defines it)")
        values[f.name] = _convert(f.type, raw, rubric, sub)
    return cls(**values)


_CLASSES = {c.__name__: c for c in (StatementSections, KindDetection, Readability, CueSettings, EncoderSettings,
                                    ParagraphSettings, EmailLimits, EmailSettings, InterviewDetection,
                                    InterviewSettings, FlagSettings)}


def _convert(kind: str, raw: Any, rubric: Rubric, path: tuple[str, ...]) -> Any:
    if kind in _CLASSES:
        return _build(_CLASSES[kind], rubric, path, raw)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            if not isinstance(raw, bool):
                raise ValueError
            return raw
        if kind == "str":
            if not isinstance(raw, str):
                raise ValueError
            return raw
        if kind.startswith("tuple"):
            if not isinstance(raw, list):
                raise ValueError
            return tuple(str(item) for item in raw)
        if kind.startswith("dict"):
            if not isinstance(raw, dict):
                raise ValueError
            if kind in ("dict[str, FlagHead]", "dict[str, FlagGroup]"):
                cls = FlagHead if kind.endswith("FlagHead]") else FlagGroup
                return {str(k): _build(cls, rubric, (*path, str(k)), v) for k, v in raw.items()}
            return raw
    except (TypeError, ValueError):
        raise RubricError(_file(rubric, path), None, ".".join(path), f"must be a {kind}") from None
    raise TypeError(f"settings field type {kind} is not handled")  # a bug in this module, not in a rubric


def _file(rubric: Rubric, path: tuple[str, ...]) -> str:
    """The last rubric file that sets the section (where the user would look), else the shipped folder."""
    for name in reversed(rubric.files):
        if path and path[0] in _sections_in(name):
            return name
    return rubric.files[-1] if rubric.files else "rubrics/"


@functools.lru_cache(maxsize=64)
def _sections_in(name: str) -> frozenset[str]:
    data = read_yaml(Path(name))
    return frozenset(data) if isinstance(data, dict) else frozenset()
