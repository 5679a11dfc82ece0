"""Readability's syllables: offline, and the same from Pyphen's parsed patterns kept in the user cache as
from Pyphen parsing its own file."""

from __future__ import annotations

import marshal
import subprocess
import sys

from tests.conftest import ROOT

WORDS = "physician responsibility hypothyroidism anaesthesiology preparation understanding the a medicine"
SCRIPT = f"""
import sys
from coach.checks.syllables import textstat_offline
ts = textstat_offline()
print([ts.syllable_count(w) for w in {WORDS.split()!r}], ts.flesch_reading_ease("I passed Step 1 in 2022."))
"""


def _counts(cache_home) -> str:
    env = {"XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, env=env, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def test_cached_hyphenation_patterns_count_the_same_syllables(tmp_path):
    first = _counts(tmp_path)  # Pyphen parses its file; the patterns are written to the cache
    assert list((tmp_path / "coach").glob("pyphen-hyph_en_US-*.bin"))
    assert _counts(tmp_path) == first  # read back from the cache
    assert first.startswith("[2, 6, 3, 6, 3, 4, 1, 1,")  # "responsibility" has more than "physician"


def test_a_damaged_cache_file_is_parsed_again(tmp_path):
    first = _counts(tmp_path)
    for cached in (tmp_path / "coach").glob("pyphen-*.bin"):
        cached.write_bytes(b"{not marshal")
    assert _counts(tmp_path) == first


def test_the_counts_come_from_the_cache_when_it_is_there(tmp_path):
    """A cache file that says "no word has a hyphenation point" makes every word one syllable: proof that a
    second run reads the cache rather than Pyphen's own file."""
    _counts(tmp_path)
    [cached] = (tmp_path / "coach").glob("pyphen-hyph_en_US-*.bin")
    cached.write_bytes(marshal.dumps({".zzz": (0, (1,))}))
    assert _counts(tmp_path).startswith("[1, 1, 1, 1, 1, 1, 1, 1, 1]")
