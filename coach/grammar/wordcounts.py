"""pyspellchecker's English frequency list (160,000 words and their counts), kept compact.

As a Python dict it takes 26 MiB, which every batch worker paid on its first misspelling. Here the words
sit in buckets by first letter and length, each bucket one string of its words end to end in sorted order
(every word of a bucket has the same length, so the k-th word starts at k * length) beside an array of
their counts: under 2 MiB, looked up by binary search. The buckets are made once from the package's file
and kept in the user cache, so a process never holds the whole dict."""

from __future__ import annotations

import contextlib
import gzip
import json
import marshal
import os
from array import array
from pathlib import Path

from ..errors import CoachError
from ..resources import cache_dir

Bucket = tuple[str, array]  # the words end to end, sorted; their counts in the same order


class WordCounts:
    """word -> count, read only: `in`, `get`, `top` and the words of one bucket."""

    def __init__(self, buckets: dict[tuple[str, int], Bucket]) -> None:
        self._buckets = buckets
        self.top = max((max(counts) for _, counts in buckets.values() if counts), default=1)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) is not None

    def get(self, word: str, default: int = 0) -> int:
        found = self._find(word)
        return default if found is None else found

    def bucket(self, first: str, length: int) -> list[str]:
        """The words that start with `first` and have `length` characters."""
        words, _ = self._buckets.get((first, length), ("", array("I")))
        return [words[i:i + length] for i in range(0, len(words), length)] if length > 0 else []

    def __len__(self) -> int:
        return sum(len(counts) for _, counts in self._buckets.values())

    def _find(self, word: str) -> int | None:
        n = len(word)
        if not n:
            return None
        words, counts = self._buckets.get((word[0], n), ("", array("I")))
        lo, hi = 0, len(counts)
        while lo < hi:
            mid = (lo + hi) // 2
            here = words[mid * n:(mid + 1) * n]
            if here < word:
                lo = mid + 1
            elif here > word:
                hi = mid
            else:
                return counts[mid]
        return None


def english_word_counts() -> WordCounts:
    """The list from the user cache, made from pyspellchecker's file the first time."""
    source = _source()
    stat = source.stat()
    cache = cache_dir() / f"wordcounts-{stat.st_size}-{stat.st_mtime_ns}-m{marshal.version}.bin"
    try:
        stored = marshal.loads(cache.read_bytes())
        return WordCounts({key: (words, array("I", counts)) for key, (words, counts) in stored.items()})
    except (OSError, ValueError, EOFError, TypeError, AttributeError):  # none yet, or damaged: made again
        pass
    buckets = make_buckets(_read(source))
    with contextlib.suppress(OSError):  # a read-only home only costs making them again next time
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps({key: (words, counts.tobytes()) for key, (words, counts) in buckets.items()}))
        tmp.replace(cache)
    return WordCounts(buckets)


def make_buckets(counts: dict[str, int]) -> dict[tuple[str, int], Bucket]:
    grouped: dict[tuple[str, int], list[str]] = {}
    for word in counts:
        if word:
            grouped.setdefault((word[0], len(word)), []).append(word)
    out = {}
    for key, words in grouped.items():
        words.sort()
        out[key] = ("".join(words), array("I", (min(int(counts[w]), 2**32 - 1) for w in words)))
    return out


def _source() -> Path:
    try:
        import spellchecker
    except ImportError:
        raise CoachError("the offline speller's word list is missing; install it with: "
                         "pip install pyspellchecker") from None
    return Path(spellchecker.__file__).parent / "resources" / "en.json.gz"


def _read(source: Path) -> dict[str, int]:
    try:
        with gzip.open(source, "rt", encoding="utf-8") as fh:
            return json.load(fh)  # four times faster than through pyspellchecker
    except (OSError, ValueError):
        import spellchecker

        return dict(spellchecker.SpellChecker(language="en", distance=1).word_frequency.dictionary)
