"""The offline speller: Hunspell's en_US and en_GB dictionaries and an English medical dictionary, read
from the system through pyenchant, with coach's vocabulary and British spellings.

It flags words it does not know over the spaCy tokens of `analysis_text`, so offsets are the text's own.
Names, places, acronyms, numbers, URLs and email addresses are never flagged. The top correction is the
known word fewest edits away (one, then two), the most frequent of those (pyspellchecker's frequency
list); Hunspell's own suggestions are used when nothing is within two edits.

When the Hunspell dictionaries or libenchant are not on this machine, pyspellchecker's word list decides
what is known, as before, and the run says so once (`notices.no_dictionaries` in grammar.yaml).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..document import Document
from ..errors import CoachError
from ..report import Finding, make_finding
from ..resources import cache_dir
from .settings import GrammarSettings
from .slips import REPEAT_RULE, find_slips
from .wordcounts import WordCounts, english_word_counts

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
_LINKS = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:com|org|edu|net|gov|io|info)\b\S*",
                    re.I)
_SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
             ("d", ""))

#: Overrides grammar.speller.dictionaries.paths: folders (os.pathsep-separated) holding the .dic/.aff files.
PATH_VARIABLE = "COACH_DICTIONARY_PATH"


# ---- the dictionaries --------------------------------------------------------------------------------

class Lexicon:
    """Which words exist. `source` names it for -v; `notice` says why it is the fallback, if it is."""

    source = ""
    notice: str | None = None

    def __contains__(self, word: object) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


class WordListLexicon(Lexicon):
    """pyspellchecker's English word list (lower case): the speller coach had before Hunspell."""

    source = "pyspellchecker's English word list"

    def __init__(self, words: WordCounts, notice: str | None = None) -> None:
        self.words = words
        self.notice = notice

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.lower() in self.words


class HunspellLexicon(Lexicon):
    """Hunspell dictionaries through pyenchant: a word is known when any of them accepts it as written
    (Hunspell accepts "Receive" at a sentence start and rejects "london")."""

    def __init__(self, dicts: list[Any], names: list[str]) -> None:
        self.dicts = dicts
        self.source = "Hunspell " + ", ".join(names)
        self._seen: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        known = self._seen.get(word)
        if known is None:
            known = self._seen[word] = any(d.check(word) for d in self.dicts)
        return known

    def suggestions(self, word: str) -> list[str]:
        out: list[str] = []
        for d in self.dicts[:1]:
            out += [s for s in d.suggest(word) if s.isalpha() and s not in out]
        return out


def find_dictionaries(settings: GrammarSettings) -> tuple[dict[str, Path], dict[str, Path]]:
    """The general and medical dictionaries found in the search path: name -> .dic file. A general
    dictionary needs its .aff beside it; a medical one borrows en_US's affix rules when it has none."""
    env = os.environ.get(PATH_VARIABLE)
    folders = [Path(p).expanduser() for p in (env.split(os.pathsep) if env is not None else settings.dictionary_paths)
               if p]
    general: dict[str, Path] = {}
    medical: dict[str, Path] = {}
    for names, found, need_aff in ((settings.dictionaries, general, True),
                                   (settings.medical_dictionaries, medical, False)):
        for name in names:
            for folder in folders:
                dic = folder / f"{name}.dic"
                if dic.is_file() and (not need_aff or dic.with_suffix(".aff").is_file()):
                    found.setdefault(name, dic)
                    break
    return general, medical


def load_lexicon(settings: GrammarSettings) -> Lexicon:
    """Hunspell when libenchant and at least one general dictionary are here; the word list otherwise."""
    general, medical = find_dictionaries(settings)
    searched = os.environ.get(PATH_VARIABLE) or ", ".join(settings.dictionary_paths)
    if not general:
        why = f"no Hunspell dictionary ({', '.join(settings.dictionaries)}) in {searched}"
        return WordListLexicon(_english_words(), settings.text("notices", "no_dictionaries", reason=why))
    try:
        return _enchant_lexicon(general, medical)
    except (ImportError, OSError, ValueError) as exc:  # libenchant missing, or a dictionary it cannot read
        why = f"pyenchant/libenchant cannot read them ({exc})"
        return WordListLexicon(_english_words(), settings.text("notices", "no_dictionaries", reason=why))


# Enchant finds dictionaries through an environment variable, which every thread shares: two lexicons loaded
# at once must not read each other's folders.
_ENCHANT_CONFIG = threading.Lock()


def _enchant_lexicon(general: dict[str, Path], medical: dict[str, Path]) -> HunspellLexicon:
    """Enchant's Hunspell provider reads `<config dir>/hunspell/<tag>.dic`. coach links the dictionaries
    it found into a folder of its own under tags of its own, so the search path is the one it chose and a
    medical word list without affix rules gets en_US's."""
    import enchant  # ImportError without libenchant: the caller falls back

    affix_for_medical = general.get("en_US", next(iter(general.values()))).with_suffix(".aff")
    links: dict[str, Path] = {}
    tags = []
    for i, (name, dic) in enumerate([*general.items(), *medical.items()]):
        tag = f"en_X{'ABCDEFGHIJ'[i]}"  # a tag of coach's own, so no system dictionary of that name interferes
        aff = dic.with_suffix(".aff")
        links[f"{tag}.dic"], links[f"{tag}.aff"] = dic, aff if aff.is_file() else affix_for_medical
        tags.append((tag, name))
    folder = _linked_folder(links)
    with _ENCHANT_CONFIG:
        before = os.environ.get("ENCHANT_CONFIG_DIR")
        os.environ["ENCHANT_CONFIG_DIR"] = str(folder)
        try:
            broker = enchant.Broker()
            dicts = [broker.request_dict(tag) for tag, _ in tags]
        except enchant.errors.Error as exc:
            raise ValueError(str(exc)) from None
        finally:
            if before is None:
                os.environ.pop("ENCHANT_CONFIG_DIR", None)
            else:
                os.environ["ENCHANT_CONFIG_DIR"] = before
    lexicon = HunspellLexicon(dicts, [name for _, name in tags])
    lexicon.broker = broker  # type: ignore[attr-defined]  # the dictionaries live as long as their broker
    return lexicon


def _linked_folder(links: dict[str, Path]) -> Path:
    """A folder in the user cache, named by what it links, whose `hunspell/` links each name to its file.
    Kept and reused rather than made in the temporary folder each run: a run stopped while loading (Ctrl-C,
    a closed window) would leave its temporary folder behind."""
    targets = {name: target.resolve() for name, target in links.items()}
    key = hashlib.sha256(json.dumps(sorted((k, str(v)) for k, v in targets.items())).encode()).hexdigest()[:16]
    folder = cache_dir() / "hunspell" / key
    (folder / "hunspell").mkdir(parents=True, exist_ok=True)
    for name, target in targets.items():
        link = folder / "hunspell" / name
        if not _current(link, target):
            _link(link, target)
    return folder


def _current(link: Path, target: Path) -> bool:
    """Whether `link` already gives `target`: a symlink to it, or (where symlinks cannot be made) a copy
    with its size and modification time, which `_link` keeps."""
    if link.is_symlink():
        return link.resolve() == target
    if not link.is_file():
        return False
    mine, theirs = link.stat(), target.stat()
    return (mine.st_size, mine.st_mtime_ns) == (theirs.st_size, theirs.st_mtime_ns)


def _link(link: Path, target: Path) -> None:
    """`link` made (or replaced) at once, so another process never reads half of it."""
    part = link.with_name(f".{link.name}.{os.getpid()}.{threading.get_ident()}")
    part.unlink(missing_ok=True)
    try:
        part.symlink_to(target)
    except OSError:
        shutil.copy2(target, part)
    os.replace(part, link)


@functools.lru_cache(maxsize=1)
def _english_words() -> WordCounts:
    """pyspellchecker's English frequency list: word -> count."""
    return english_word_counts()


# ---- what is known -----------------------------------------------------------------------------------

class Vocabulary:
    """Decides whether a word is known: the dictionaries, the rubric vocabulary, British spellings."""

    def __init__(self, settings: GrammarSettings, lexicon: Lexicon | None = None) -> None:
        self.settings = settings
        self.terms = settings.vocabulary
        self.british = settings.british
        self.prefixes = settings.prefixes  # "tele" + "neurology", "under" + "diagnosed"
        self._lexicon = lexicon
        self._loading = threading.Lock()  # GrammarChecker.load_in_background may be reading it

    @property
    def lexicon(self) -> Lexicon:
        """Loaded on first use: LanguageTool runs never need it."""
        with self._loading:
            if self._lexicon is None:
                self._lexicon = load_lexicon(self.settings)
        return self._lexicon

    @property
    def frequencies(self) -> WordCounts:
        """Word counts that rank suggestions; loaded on the first misspelling."""
        return _english_words()

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
    def common_count(self) -> int:
        """The count a rubric term missing from the frequency list ranks with: a fairly common word's."""
        return self.frequencies.top // 10_000 or 1

    def bucket(self, first: str, length: int) -> list[str]:
        """The words of the frequency list and the rubric terms that start with `first` and have `length`
        characters, for the two-edit search."""
        return [*self.frequencies.bucket(first, length), *self._extra_terms.get((first, length), [])]

    @functools.cached_property
    def _extra_terms(self) -> dict[tuple[str, int], list[str]]:
        words = self.frequencies
        out: dict[tuple[str, int], list[str]] = {}
        for term in sorted(t for t in self.terms if t and t not in words):
            out.setdefault((term[:1], len(term)), []).append(term)
        return out

    def known(self, word: str, lemma: str = "") -> bool:
        if word.lower() in self.settings.not_words:
            return False
        if word in self.lexicon or self.in_vocabulary(word, lemma):
            return True
        lower = word.lower()
        if lower != word and self._plain_known(lower, lemma):
            return True
        if any(self._plain_known(form) for form in self.american_forms(lower)):
            return True
        return any(lower.startswith(p) and len(lower) - len(p) >= 4 and self._plain_known(lower[len(p):])
                   for p in self.prefixes)

    def is_word(self, word: str) -> bool:
        """A suggestion must be a word the dictionaries or the vocabulary know."""
        return word not in self.settings.not_words and (word in self.lexicon or word in self.terms)

    def _plain_known(self, lower: str, lemma: str = "") -> bool:
        if lower in self.lexicon or self.in_vocabulary(lower, lemma):
            return True
        if isinstance(self.lexicon, HunspellLexicon):
            return False  # Hunspell knows its plurals
        # A plural the word list lacks ("podcasts"); other endings are not stripped for the word list,
        # so "stoped" and "begining" are still caught.
        return len(lower) >= 6 and lower.endswith("s") and lower[:-1] in self.lexicon


class OfflineSpeller:
    """Spelling findings from the spaCy tokens of a document; no network, no Java."""

    name = ("the offline speller (Hunspell en_US, en_GB and medical dictionaries, or pyspellchecker's word "
            "list without them, and coach's vocabulary)")

    def __init__(self, settings: GrammarSettings, vocabulary: Vocabulary | None = None) -> None:
        self.settings = settings
        self.vocabulary = vocabulary or Vocabulary(settings)

    @property
    def notice(self) -> str | None:
        """One line for the user when the Hunspell dictionaries are missing."""
        return self.vocabulary.lexicon.notice

    def check(self, doc: Document) -> list[Finding]:
        findings = []
        for start, end, word in self.misspellings(doc):
            findings.append(self._finding(doc, start, end, word))
            if len(findings) >= self.settings.max_findings:
                break
        return (findings + self.slips(doc))[:self.settings.max_findings]

    def slips(self, doc: Document) -> list[Finding]:
        """Words typed twice and wrong articles (coach/grammar/slips.py)."""
        s = self.settings
        out = []
        for slip in find_slips(spacy_tokens(doc), s.slips, self.vocabulary.known):
            group, issue = ("repeated", "duplication") if slip.rule == REPEAT_RULE else ("article", "grammar")
            out.append(make_finding(doc, slip.rule, s.severity_for(issue), s.text(group, "message", **slip.values),
                                    s.text(group, "suggestion", **slip.values), slip.start, slip.end))
        return out

    def misspellings(self, doc: Document) -> Iterator[tuple[int, int, str]]:
        known = functools.lru_cache(maxsize=None)(self.vocabulary.known)  # a word is looked up once per draft
        skipped = [m.span() for m in _LINKS.finditer(doc.analysis_text)] + self._foreign_sentences(doc, known)
        for token in spacy_tokens(doc):
            word = token.text.replace("’", "'")
            if not checkable(token, word, self.settings.min_length) or _inside(token.idx, skipped):
                continue
            if not known(word, token.lemma_):
                yield token.idx, token.idx + len(token.text), token.text

    def _foreign_sentences(self, doc: Document, known: Callable[[str, str], bool]) -> list[tuple[int, int]]:
        """The spans of sentences, or of quotations inside one, written in another language (a patient's words
        quoted in Spanish): their words are not English misspellings, and "fixes" for them would be nonsense."""
        s = self.settings
        words = [(t.idx, not known(t.text, t.lemma_)) for t in spacy_tokens(doc)
                 if t.is_alpha and len(t.text) >= 2 and t.text[0].islower()]
        quotes = [m.span(1) for m in _QUOTED.finditer(doc.analysis_text)]  # a quote inside an English sentence
        sentences = ([(x.start, x.end) for x in doc.sentences]
                     or [m.span() for m in _ROUGH_SENTENCE.finditer(doc.analysis_text)])  # before the analysis
        spans = []
        for start, end in sentences + quotes:
            inside = [is_unknown for at, is_unknown in words if start <= at < end]
            unknown = sum(inside)
            if unknown >= s.foreign_sentence_min_unknown and unknown > s.foreign_sentence_share * len(inside):
                spans.append((start, end))
        return spans

    def suggest(self, word: str) -> str | None:
        return _suggest(self.vocabulary, word)

    def _finding(self, doc: Document, start: int, end: int, word: str) -> Finding:
        s = self.settings
        replacement = self.suggest(word)
        suggestion = (s.text("spelling", "suggestion", replacement=replacement) if replacement
                      else s.text("spelling", "no_suggestion", word=word))
        return make_finding(doc, "spelling.misspelled", s.severity_for("misspelling"),
                            s.text("spelling", "message", word=word), suggestion, start, end)


def unknown_share(doc: Document, vocabulary: Vocabulary) -> tuple[int, float]:
    """How many lower-case words the draft has (names and places left out), and the share of them no English
    dictionary coach reads knows: a draft in Spanish or Portuguese is mostly unknown words."""
    words = [t for t in spacy_tokens(doc) if t.is_alpha and len(t.text) >= 2 and t.text[0].islower()]
    if not words:
        return 0, 0.0
    unknown = sum(not vocabulary.known(t.text, t.lemma_) for t in words)
    return len(words), unknown / len(words)


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
    if token.like_url or token.like_email or token.like_num:
        return False
    if token.pos_ == "PROPN" and word[0].isupper():  # spaCy calls unknown lower-case words PROPN too
        return False
    if sum(c.isupper() for c in word) >= 2:  # ECFMG, IMGs, UWorld, McDonald
        return False
    return not (word[0].isupper() and not token.is_sent_start)  # a name or a place in mid-sentence


_ROUGH_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_QUOTED = re.compile(r'["“«„]([^"”»“\n]{8,}?)["”»“]')


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


# ---- suggestions -------------------------------------------------------------------------------------

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
    """The known word at the smallest weighted edit distance (`slip_cost`), one or two edits away,
    the more frequent word winning between close costs; Hunspell's own first suggestion when nothing
    is that close."""
    words = vocabulary.frequencies
    common = vocabulary.common_count
    near = {w for w in _edits1(lower) if (w in words or w in vocabulary.terms)}
    near |= set(_two_edits(vocabulary, lower))
    if lower.endswith("ys") and len(lower) > 4:  # "studys": the -y plural is a slip of grammar, not typing
        near.add(lower[:-2] + "ies")
    near = {w for w in near if w != lower and ("'" in w) <= ("'" in lower) and vocabulary.is_word(w)}
    lexicon = vocabulary.lexicon
    if not near and isinstance(lexicon, HunspellLexicon):
        near = {s for s in lexicon.suggestions(lower) if " " not in s and "-" not in s}
    if not near:
        return None
    return min(near, key=lambda w: (slip_cost(lower, w.lower()) - _FREQUENCY_WEIGHT * math.log10(words.get(w, common)),
                                    w))


_VOWELS = frozenset("aeiouy")
_SOUND_ALIKE = {frozenset(p) for p in ("cs", "ck", "sz", "iy", "ae", "ei", "ao", "vw", "td", "bp", "gj", "mn")}
_FREQUENCY_WEIGHT = 0.12  # a word ten times more frequent may be 0.12 of an edit further away


def slip_cost(wrong: str, word: str) -> float:
    """A weighted optimal-string-alignment distance from the misspelling to a candidate, with the slips
    writers of English as a second language make cheaper: a left-out letter of a double ("comittee",
    "untill"), a vowel for a vowel ("definately", "experiance"), sound-alike letters, swapped
    neighbours ("recieve"). A letter added at the very end ("carefuly" is not "careful") and a wrong
    first letter are dearer."""
    n, m = len(wrong), len(word)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + _extra_letter(wrong, i - 1)
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + _missing_letter(word, j - 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            a, b = wrong[i - 1], word[j - 1]
            best = min(d[i - 1][j] + _extra_letter(wrong, i - 1),
                       d[i][j - 1] + _missing_letter(word, j - 1),
                       d[i - 1][j - 1] + (0.0 if a == b else _substitution(a, b, i - 1)))
            if i > 1 and j > 1 and a == word[j - 2] and wrong[i - 2] == b and a != b:
                best = min(best, d[i - 2][j - 2] + 0.8)
            d[i][j] = best
    return d[n][m]


def _extra_letter(wrong: str, i: int) -> float:
    """The writer typed wrong[i] where the word has nothing."""
    if (i > 0 and wrong[i - 1] == wrong[i]) or (i + 1 < len(wrong) and wrong[i + 1] == wrong[i]):
        return 0.6  # a doubled letter: "untill", "proffesion"
    return 1.4 if i == len(wrong) - 1 else 1.0


def _missing_letter(word: str, j: int) -> float:
    """The writer left out word[j]."""
    if (j > 0 and word[j - 1] == word[j]) or (j + 1 < len(word) and word[j + 1] == word[j]):
        return 0.6  # one letter of a double: "comittee", "sucessful"
    return 0.9


def _substitution(a: str, b: str, i: int) -> float:
    cost = 0.7 if (a in _VOWELS and b in _VOWELS) or frozenset((a, b)) in _SOUND_ALIKE else 1.0
    return cost + (0.3 if i == 0 else 0.0)


def _two_edits(vocabulary: Vocabulary, lower: str) -> list[str]:
    try:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA
    except ImportError:
        raise CoachError("the offline speller needs rapidfuzz; pip install rapidfuzz") from None
    # Two slips rarely include the first letter; searching words that share it is twenty times faster.
    choices = [w for n in range(len(lower) - 2, len(lower) + 3) for w in vocabulary.bucket(lower[:1], n)]
    return [m[0] for m in process.extract(lower, choices, scorer=OSA.distance, score_cutoff=2, limit=None)]


def _suggest(vocabulary: Vocabulary, word: str) -> str | None:
    best = _cached_suggestion(vocabulary, word.lower())
    if best is None:
        return None
    if word.isupper():
        return best.upper()
    return best[0].upper() + best[1:] if word[0].isupper() else best
