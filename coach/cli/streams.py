"""Output that never fails on a character the terminal or file cannot hold.

Python writes a redirected report (`coach check draft.docx > advice.txt` on Windows) in the locale's code
page, cp1252 or cp437, which has no arrow, tick or bullet: one such character used to end the report in a
traceback. coach writes a plain stand-in instead ("->" for "→"); a stream that can hold everything (UTF-8)
is left as it is."""

from __future__ import annotations

import codecs
import contextlib
import sys
import unicodedata

ERRORS = "coach-plain"
_STAND_INS = {
    "→": "->", "←": "<-", "✓": "+", "✗": "x", "•": "*", "·": "-", "…": "...", "—": "--", "–": "-",
    "“": '"', "”": '"', "‘": "'", "’": "'", "≥": ">=", "≤": "<=", "×": "x", "\u00a0": " ",
}


def _plain(char: str) -> str:
    if char in _STAND_INS:
        return _STAND_INS[char]
    decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return decomposed or "?"


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(_plain(c) for c in error.object[error.start:error.end]), error.end


def tolerant_output() -> None:
    """Standard output and error write a stand-in for any character their encoding lacks."""
    codecs.register_error(ERRORS, _stand_in)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors=ERRORS)
