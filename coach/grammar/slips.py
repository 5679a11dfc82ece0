"""Two slips the offline speller also finds when LanguageTool is not there: a word typed twice ("the the")
and the wrong indefinite article ("a exam", "an big change", "a MRI", "a 8-hour shift").

Both read the spaCy tokens of `analysis_text`, so offsets are the text's own. They aim to be quiet rather
than thorough. The article is judged by the next word's first sound where its letters tell it: a known
word ("a university", "an hour"), a number ("an 8-hour", "a 240"), a single letter before a hyphen ("an
X-ray", "a J-1"), or an acronym in the rubric's list ("an MRI", "a USMLE"). A name, an unknown word or
another acronym is never judged ("a FAST exam" is said as a word). The findings carry the ids of
LanguageTool's own rules for these slips, so a dismissal holds whichever engine checked the draft.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

_LETTER_CODE = re.compile(r"[A-Z]-\w")  # "J-1", "F-1" read as one word

REPEAT_RULE = "grammar.english-word-repeat-rule"  # LanguageTool's ENGLISH_WORD_REPEAT_RULE
ARTICLE_RULE = "grammar.en-a-vs-an"  # LanguageTool's EN_A_VS_AN


@dataclass(frozen=True)
class SlipSettings:
    """grammar.speller.slips in grammar.yaml."""

    repeats_allowed: frozenset[str]  # words that may stand twice: "I had had no sleep"
    an_before: tuple[str, ...]  # beginnings that take "an" though they start with a consonant: hour
    a_before: tuple[str, ...]  # beginnings that take "a" though they start with a vowel: university
    either: tuple[str, ...]  # beginnings writers pair with either article: herb, historic
    acronyms: dict[str, bool]  # acronym -> whether it takes "an": MRI True, USMLE False
    letters_an: str = ""  # capital letters whose name starts with a vowel sound: "an X-ray", "a J-1"
    letters_either: str = ""  # letters said two ways: "an H-1B" (aitch) and "a H-1B" (haitch)


@dataclass(frozen=True)
class Slip:
    rule: str
    start: int
    end: int
    values: dict[str, str]  # for the message: word, or article, right and word


def find_slips(tokens: Iterable[Any], settings: SlipSettings, known: Callable[[str], bool]) -> Iterator[Slip]:
    """Every doubled word and wrong article among the tokens, in order. `known`: whether a word is in the
    dictionary; an article is judged only before a known word (not before "nbme" typed in lower case)."""
    words = [t for t in tokens if not t.is_space]
    for first, second in zip(words, words[1:]):
        slip = _repeat(first, second, settings) or _article(first, second, settings, known)
        if slip is not None:
            yield slip


def _repeat(first: Any, second: Any, settings: SlipSettings) -> Slip | None:
    word = first.lower_
    if word != second.lower_ or not first.is_alpha or word in settings.repeats_allowed:
        return None
    if "\n\n" in _between(first, second) or _between(first, second).strip():
        return None
    if first.pos_ == "PROPN" or first.text[0].isupper() and not first.is_sent_start and first.text != "I":
        return None  # a name: "Walla Walla"
    return Slip(REPEAT_RULE, first.idx, second.idx + len(second.text), {"word": first.text})


def _article(first: Any, second: Any, settings: SlipSettings, known: Callable[[str], bool]) -> Slip | None:
    article = first.lower_
    if article not in ("a", "an") or not (first.text.islower() or first.is_sent_start):
        return None
    if _between(first, second).strip():
        return None
    wants_an = _wants_an(second, settings, known)
    if wants_an is None or wants_an == (article == "an"):
        return None
    right = "an" if wants_an else "a"
    if first.text[0].isupper():
        right = right.capitalize()
    return Slip(ARTICLE_RULE, first.idx, second.idx + len(second.text),
                {"article": first.text, "right": right, "word": second.text})


def _wants_an(word: Any, settings: SlipSettings, known: Callable[[str], bool]) -> bool | None:
    """True when the word starts with a vowel sound, False with a consonant sound, None when coach cannot
    tell: a name, or an acronym that is not in the rubric's list."""
    text = word.text
    if text in settings.acronyms:
        return settings.acronyms[text]
    if text[0].isdigit():
        return _number_wants_an(text)
    if _LETTER_CODE.match(text) or len(text) == 1 and text.isupper() and _next_is_hyphen(word):
        return None if text[0] in settings.letters_either else text[0] in settings.letters_an
    if not word.is_alpha or not (text.islower() or text.istitle()) or not known(text):
        return None
    return _letters_want_an(text.lower(), settings)


def _letters_want_an(word: str, settings: SlipSettings) -> bool | None:
    if word.startswith(settings.either) or len(word) == 1:
        return None
    if word.startswith(settings.an_before):
        return True
    if word.startswith(settings.a_before):
        return False
    return word[0] in "aeiou"


def _number_wants_an(text: str) -> bool:
    """Eight, eighty, eight hundred, eleven and eighteen start with a vowel sound; 110 ("a hundred and ten")
    and 1,800 do not."""
    return text.startswith("8") or bool(re.match(r"1[18](?![\d,.])", text))


def _next_is_hyphen(word: Any) -> bool:
    return word.i + 1 < len(word.doc) and word.doc[word.i + 1].text == "-"


def _between(first: Any, second: Any) -> str:
    return first.doc.text[first.idx + len(first.text):second.idx]
