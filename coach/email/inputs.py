"""The values an email draft is made from: an interview file (YAML or TOML) and command-line options,
checked and tidied, and the history of emails already sent. Every problem is an InputError of one line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y")
_TITLES = {"dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "mx", "miss"}


@dataclass
class SentEmail:
    to: str
    date: dt.date | None


@dataclass
class Interview:
    source: str
    shared: dict[str, Any] = field(default_factory=dict)
    recipients: list[dict[str, Any]] = field(default_factory=list)


def read_interview(path: str, max_bytes: int) -> Interview:
    """The interview file: shared values, and `recipients` (a list of mappings) when there are several."""
    data = _read_mapping(path, max_bytes)
    recipients = data.pop("recipients", None)
    if recipients is None:
        return Interview(path, data, [])
    if not isinstance(recipients, list) or not all(isinstance(r, dict) for r in recipients) or not recipients:
        raise InputError(path, "`recipients` must be a list of entries, each with `recipient:` and `role:`")
    return Interview(path, data, [dict(r) for r in recipients])


def _read_mapping(path: str, max_bytes: int) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise InputError(path, "no such file" if not p.exists() else "is not a file")
    if p.stat().st_size > max_bytes:
        raise InputError(path, f"is larger than {max_bytes:,} bytes; an interview file is a few lines")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as UTF-8 text ({exc.__class__.__name__})") from None
    data = _parse_toml(path, text) if p.suffix.lower() == ".toml" else _parse_yaml(path, text)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(path, "must be a list of `name: value` lines (a mapping)")
    return dict(data)


def _parse_yaml(path: str, text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise InputError(path, f"line {line}: {exc.problem or 'is not valid YAML'}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"is not valid YAML ({str(exc).splitlines()[0]})") from None


def _parse_toml(path: str, text: str) -> Any:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        raise InputError(path, "TOML needs Python 3.11 or later; write the file as YAML instead") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"is not valid TOML ({exc})") from None


def tidy_values(raw: dict[str, Any], cfg: dict[str, Any], where: str) -> dict[str, Any]:
    """Check and tidy values: names are identifiers; values are text or lists of text within the limits;
    whitespace is collapsed; phrases lose a trailing full stop and sentences gain one."""
    limits = cfg["limits"]
    max_chars, max_items = int(limits["value_chars"]), int(limits["list_items"])
    lists = set(cfg["lists"])
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise InputError(where, f"{name!r} is not a value name; use letters, digits and _")
        if name == "interview_date":
            out[name] = parse_date(value, where)
            continue
        if value is None or value == "" or value == []:
            continue
        if name in lists:
            items = value if isinstance(value, list) else [value]
            if len(items) > max_items:
                raise InputError(where, f"{name} has {len(items)} items; give at most {max_items}")
            tidied = [_text(name, item, max_chars, where, cfg) for item in items]
            out[name] = [t for t in tidied if t]
        else:
            if isinstance(value, (list, dict)):
                raise InputError(where, f"{name} should be one piece of text, not a list")
            out[name] = _text(name, value, max_chars, where, cfg)
    return {k: v for k, v in out.items() if v not in ("", [])}


def _text(name: str, value: Any, max_chars: int, where: str, cfg: dict[str, Any]) -> str:
    if isinstance(value, (dict, list)) or value is None:
        raise InputError(where, f"each item of {name} should be text")
    if isinstance(value, bool):
        raise InputError(where, f"{name} should be text, not {str(value).lower()}")
    text = " ".join(str(value).split())
    if len(text) > max_chars:
        raise InputError(where, f"{name} is {len(text)} characters; keep each value under {max_chars}")
    if name in cfg["phrases"]:
        text = _mid_sentence(text.rstrip(" .;,"), cfg.get("phrase_lowercase_first", []))
    if name in cfg["sentences"] and text and text[-1] not in ".!?\"”')":
        text += "."
    return text


def _mid_sentence(text: str, lowercase_first: list[str]) -> str:
    """A phrase typed as a sentence ("The resident-run HIV clinic") goes mid-sentence in the template: its
    first word loses its capital when it is a common word of the rubric's list, never a name."""
    first, _, rest = text.partition(" ")
    if first.lower() in lowercase_first and first[:1].isupper() and first[1:].islower():
        return f"{first.lower()} {rest}".rstrip()
    return text


def parse_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value).split())
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError(where, f"interview_date {text!r} is not a date coach can read; write it as 2024-10-15")


def long_date(day: dt.date, weekday: bool = True, year: bool = True) -> str:
    text = f"{day:%B} {day.day}"
    if weekday:
        text = f"{day:%A}, {text}"
    return f"{text}, {day.year}" if year else text


def read_history(path: str, max_bytes: int) -> list[SentEmail]:
    """A YAML or TOML file listing emails already sent: `sent:` (or the top level) is a list of entries
    with `to:` (who it went to) and optionally `date:`."""
    p = Path(path)
    if p.suffix.lower() == ".toml":
        data: Any = _read_mapping(path, max_bytes)
    else:
        if not p.is_file():
            raise InputError(path, "no such file" if not p.exists() else "is not a file")
        if p.stat().st_size > max_bytes:
            raise InputError(path, f"is larger than {max_bytes:,} bytes")
        try:
            data = _parse_yaml(path, p.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot be read as UTF-8 text ({exc.__class__.__name__})") from None
    entries = data.get("sent", []) if isinstance(data, dict) else (data or [])
    if not isinstance(entries, list):
        raise InputError(path, "should list the emails you sent, each with `to:` and `date:`")
    out = []
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not str(entry.get("to") or "").strip():
            raise InputError(path, f"entry {i} needs `to:` (who the email went to)")
        date = parse_date(entry["date"], path) if entry.get("date") else None
        out.append(SentEmail(" ".join(str(entry["to"]).split()), date))
    return out


def same_person(a: str, b: str) -> bool:
    """"Dr. Reyes", "dr reyes" and "Ana Reyes" are the same person; "Dr. Reyes" and "Dr. Nair" are not."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    return wa[-1] == wb[-1] and (len(wa) == 1 or len(wb) == 1 or wa[0] == wb[0])


def _name_words(name: str) -> list[str]:
    name = name.split("<")[0]  # "Ana Reyes <areyes@example.org>"
    words = re.findall(r"[^\W\d_][\w'-]*", name.lower())
    return [w for w in words if w not in _TITLES]


def previous_notes(history: list[SentEmail], recipient: str, since: dt.date | None) -> list[SentEmail]:
    """Emails already sent to this person on or after the interview (any date when either is unknown)."""
    return [e for e in history if same_person(e.to, recipient)
            and (since is None or e.date is None or e.date >= since)]
