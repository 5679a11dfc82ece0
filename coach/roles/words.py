"""The words of a sentence, for the heads that read them beside its vector (flags.yaml `words`).

A sentence vector blurs the one word that decides some flags: "how many positions will you offer" and "how
many applicants will you rank" are close in meaning, and only the second asks about the Match. Each
sentence's words and pairs of adjacent words are hashed into a fixed number of buckets (no vocabulary file,
the same buckets on every machine), marked present or absent, and the whole scaled to the head's weight
(flags.yaml `words`).
"""

from __future__ import annotations

import re
import zlib

import numpy as np

BUCKETS = 1024
_WORD = re.compile(r"[a-z']+")


def word_features(texts: list[str] | tuple[str, ...], weight: float) -> np.ndarray:
    """One row per text: its hashed words and word pairs, of length `weight` (zeros for a text with none)."""
    out = np.zeros((len(texts), BUCKETS), dtype=np.float32)
    for row, text in zip(out, texts):
        words = _WORD.findall(text.lower())
        for gram in [*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))]:
            row[zlib.crc32(gram.encode("utf-8")) % BUCKETS] = 1.0
        norm = float(np.linalg.norm(row))
        if norm:
            row *= weight / norm
    return out


def with_words(vectors: np.ndarray, texts: list[str] | tuple[str, ...], weight: float) -> np.ndarray:
    """The sentence vectors, each followed by its text's word features (unchanged when `weight` is 0)."""
    if not weight:
        return vectors
    return np.hstack([vectors, word_features(texts, weight)]).astype(np.float32)
