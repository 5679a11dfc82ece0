"""LanguageTool matches -> coach findings at the same offsets in the text as read."""

from __future__ import annotations

import re
from typing import Any

from ..document import Document
from ..report import Finding, make_finding
from .settings import GrammarSettings
from .speller import Vocabulary, checkable, spacy_tokens


def utf16_index(text: str, index: int) -> int:
    """The UTF-16 offset of Python offset `index`: characters beyond U+FFFF count twice."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def python_index(text: str, utf16: int) -> int:
    """The Python offset of a UTF-16 offset (inverse of utf16_index; never inside a character)."""
    units = 0
    for i, ch in enumerate(text):
        if units >= utf16:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def span_of(text: str, match: Any) -> tuple[int, int]:
    """Start and end in Python offsets. language-tool-python already moved `offset` to code points;
    `error_length` is still in UTF-16 units."""
    start = max(0, min(int(match.offset), len(text)))
    end = python_index(text, utf16_index(text, start) + int(match.error_length))
    return start, end


def findings_from_matches(doc: Document, matches: list[Any], settings: GrammarSettings,
                          vocabulary: Vocabulary) -> list[Finding]:
    out = []
    for match in matches:
        finding = _finding(doc, match, settings, vocabulary)
        if finding is not None:
            out.append(finding)
    return out


def _finding(doc: Document, match: Any, settings: GrammarSettings, vocabulary: Vocabulary) -> Finding | None:
    rule_id = str(getattr(match, "rule_id", "") or "UNKNOWN")
    if rule_id in settings.disabled_rules:
        return None
    start, end = span_of(doc.analysis_text, match)
    if not doc.analysis_text[start:end].strip():
        return None
    issue = str(getattr(match, "rule_issue_type", "") or "")
    replacements = [str(r) for r in (getattr(match, "replacements", None) or [])][:3]
    if is_spelling(rule_id, issue, str(getattr(match, "category", "") or "")):
        return _spelling(doc, start, end, replacements, settings, vocabulary)
    suggestion = (settings.text("grammar", "suggestion", replacements=_quoted(replacements)) if replacements
                  else settings.text("grammar", "no_suggestion"))
    return make_finding(doc, f"grammar.{_slug(rule_id)}", settings.severity_for(issue),
                        plain(str(getattr(match, "message", ""))) or "LanguageTool flags this.",
                        suggestion, start, end)


def is_spelling(rule_id: str, issue: str, category: str) -> bool:
    """A dictionary look-up (LanguageTool's TYPOS category, Morfologik/Hunspell rules). Rules such as
    EN_A_VS_AN also carry the `misspelling` issue type but are grammar to a reader, and stay grammar."""
    return issue == "misspelling" and (category == "TYPOS" or rule_id.startswith(("MORFOLOGIK", "HUNSPELL")))


def _spelling(doc: Document, start: int, end: int, replacements: list[str], settings: GrammarSettings,
              vocabulary: Vocabulary) -> Finding | None:
    """LanguageTool's misspellings, less the words coach accepts: names, acronyms, the rubric vocabulary,
    and British spellings (LanguageTool's en-US suggests the American form)."""
    word = doc.text[start:end]
    if _accepted(doc, start, end, vocabulary):
        return None
    if {r.lower() for r in replacements} & vocabulary.american_forms(word):
        return None
    suggestion = (settings.text("spelling", "suggestion", replacement=replacements[0]) if replacements
                  else settings.text("spelling", "no_suggestion", word=word))
    return make_finding(doc, "spelling.misspelled", settings.severity_for("misspelling"),
                        settings.text("spelling", "message", word=word), suggestion, start, end)


def _accepted(doc: Document, start: int, end: int, vocabulary: Vocabulary) -> bool:
    tokens = [t for t in spacy_tokens(doc) if t.idx < end and t.idx + len(t.text) > start and not t.is_punct]
    if not tokens:
        return False
    for token in tokens:
        word = token.text.replace("’", "'")
        if checkable(token, word) and not vocabulary.in_vocabulary(word, token.lemma_):
            return False
    return True


def _quoted(replacements: list[str]) -> str:
    shown = [f"“{r}”" if r.strip() else "remove it" for r in replacements]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _slug(rule_id: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", rule_id.lower()).strip("-") or "unknown"


def plain(message: str) -> str:
    """LanguageTool's message without markup, on one line."""
    return " ".join(re.sub(r"</?[a-z]+>", "", message).split())
