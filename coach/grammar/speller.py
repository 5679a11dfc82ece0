"""The offline speller: pyspellchecker's English word list, coach's vocabulary and British spellings.

It flags words it does not know over the spaCy tokens of `analysis_text`, so offsets are the text's own.
Names, places, acronyms, numbers, URLs and email addresses are never flagged; the top correction is
found by edit distance (rapidfuzz) over the word list, ranked by word frequency.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..document import Document
from ..errors import CoachError
from ..report import Finding, make_finding
from .settings import GrammarSettings

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
_LINKS = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:com|org|edu|net|gov|io|info)\b\S*",
                    re.I)
_SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
             ("d", ""))


class Vocabulary:
    """Decides whether a word is known: the English word list, the rubric vocabulary, British spellings."""

    def __init__(self, settings: GrammarSettings, dictionary: dict[str, int] | None = None) -> None:
        self.terms = settings.vocabulary
        self.british = settings.british
        self.prefixes = settings.prefixes  # "tele" + "neurology", "under" + "diagnosed"
        self._dictionary = dictionary

    @property
    def dictionary(self) -> dict[str, int]:
        if self._dictionary is None:
            self._dictionary = _english_words()
        return self._dictionary

    def in_vocabulary(self, word: str, lemma: str = "") -> bool:
        """A rubric term, or an inflected form of one ("externships", "intubating")."""
        word = word.lower()
        if word in self.terms or lemma.lower() in self.terms:
            return True
        return any(word.endswith(end) and word[: len(word) - len(end)] + add in self.terms
                   for end, add in _SUFFIXES if len(word) - len(end) >= 3)

    def american_forms(self, word: str) -> set[str]:
        """The spellings the British rewrite rules give, applied once and twice."""
        forms: set[str] = set()
        current = {word.lower()}
        for _ in range(2):
            current = {rule.sub(repl, w, count=1) for w in current for rule, repl in self.british} - current
            forms |= current
        return forms

    @functools.cached_property
    def buckets(self) -> dict[tuple[str, int], list[str]]:
        """The word list and the rubric terms by first letter and length, for the two-edit search."""
        buckets: dict[tuple[str, int], list[str]] = {}
        for word in [*self.dictionary, *sorted(self.terms - self.dictionary.keys())]:
            buckets.setdefault((word[:1], len(word)), []).append(word)
        return buckets

    def known(self, word: str, lemma: str = "") -> bool:
        lower = word.lower()
        if self._plain_known(lower, lemma):
            return True
        if any(self._plain_known(form) for form in self.american_forms(lower)):
            return True
        return any(lower.startswith(p) and len(lower) - len(p) >= 4 and self._plain_known(lower[len(p):])
                   for p in self.prefixes)

    def _plain_known(self, lower: str, lemma: str = "") -> bool:
        if lower in self.dictionary or self.in_vocabulary(lower, lemma):
            return True
        # A plural the word list lacks ("podcasts"); other endings are not stripped for the word list,
        # so "stoped" and "begining" are still caught.
        return len(lower) >= 6 and lower.endswith("s") and lower[:-1] in self.dictionary


@functools.lru_cache(maxsize=1)
def _english_words() -> dict[str, int]:
    try:
        from spellchecker import SpellChecker
    except ImportError:
        raise CoachError("the offline speller's word list is missing; install it with: "
                         "pip install pyspellchecker") from None
    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


class OfflineSpeller:
    """Spelling findings from the spaCy tokens of a document; no network, no Java."""

    name = "the offline speller (pyspellchecker's English word list and coach's vocabulary)"

    def __init__(self, settings: GrammarSettings, vocabulary: Vocabulary | None = None) -> None:
        self.settings = settings
        self.vocabulary = vocabulary or Vocabulary(settings)

    def check(self, doc: Document) -> list[Finding]:
        findings = []
        for start, end, word in self.misspellings(doc):
            findings.append(self._finding(doc, start, end, word))
            if len(findings) >= self.settings.max_findings:
                break
        return findings

    def misspellings(self, doc: Document) -> Iterator[tuple[int, int, str]]:
        links = [m.span() for m in _LINKS.finditer(doc.analysis_text)]
        for token in spacy_tokens(doc):
            word = token.text.replace("’", "'")
            if not checkable(token, word, self.settings.min_length) or _inside(token.idx, links):
                continue
            if not self.vocabulary.known(word, token.lemma_):
                yield token.idx, token.idx + len(token.text), token.text

    def suggest(self, word: str) -> str | None:
        return _suggest(self.vocabulary, word)

    def _finding(self, doc: Document, start: int, end: int, word: str) -> Finding:
        s = self.settings
        replacement = self.suggest(word)
        suggestion = (s.text("spelling", "suggestion", replacement=replacement) if replacement
                      else s.text("spelling", "no_suggestion", word=word))
        return make_finding(doc, "spelling.misspelled", s.severity_for("misspelling"),
                            s.text("spelling", "message", word=word), suggestion, start, end)


def spacy_tokens(doc: Document) -> Iterable[Any]:
    """The tokens of the document's parse; parses analysis_text when the analysis has not."""
    if doc.spacy_doc is None:
        from ..nlp import get_nlp

        doc.spacy_doc = get_nlp()(doc.analysis_text)
    return doc.spacy_doc  # type: ignore[return-value]


def checkable(token: Any, word: str, min_length: int = 2) -> bool:
    """A plain lower-case word, or a capitalised one at the start of a sentence that is not a name."""
    if len(word) < min_length or not _WORD.fullmatch(word) or word.lower() == "n't":
        return False
    if token.like_url or token.like_email or token.like_num or token.pos_ == "PROPN":
        return False
    if sum(c.isupper() for c in word) >= 2:  # ECFMG, IMGs, UWorld, McDonald
        return False
    return not (word[0].isupper() and not token.is_sent_start)  # a name or a place in mid-sentence


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


_LETTERS = "abcdefghijklmnopqrstuvwxyz'"


def _edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away (Norvig)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


@functools.lru_cache(maxsize=4096)
def _cached_suggestion(vocabulary: Vocabulary, lower: str) -> str | None:
    """The most frequent known word one edit away; failing that, two edits away (by rapidfuzz, whose
    C++ search over the words of similar length is far faster than generating every double edit)."""
    words = vocabulary.dictionary
    common = max(words.values(), default=1) // 10_000 or 1  # rubric terms rank like a fairly common word
    near = [w for w in _edits1(lower) if w in words or w in vocabulary.terms]
    if not near:
        near = _two_edits(vocabulary, lower)
    return min(near, key=lambda w: (-words.get(w, common), w)) if near else None


def _two_edits(vocabulary: Vocabulary, lower: str) -> list[str]:
    try:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA
    except ImportError:
        raise CoachError("the offline speller needs rapidfuzz; pip install rapidfuzz") from None
    # Two slips rarely include the first letter; searching words that share it is twenty times faster.
    buckets = vocabulary.buckets
    choices = [w for n in range(len(lower) - 2, len(lower) + 3) for w in buckets.get((lower[:1], n), [])]
    return [m[0] for m in process.extract(lower, choices, scorer=OSA.distance, score_cutoff=2, limit=None)]


def _suggest(vocabulary: Vocabulary, word: str) -> str | None:
    best = _cached_suggestion(vocabulary, word.lower())
    if best is None:
        return None
    if word.isupper():
        return best.upper()
    return best[0].upper() + best[1:] if word[0].isupper() else best
