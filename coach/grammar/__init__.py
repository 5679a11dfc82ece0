"""Grammar and spelling: LanguageTool when it is there, the offline speller when it is not.

`build_grammar(mode, url, rubric)` chooses the engine once per run; the Analyzer calls
`checker.check(doc)` for every document and gets `(findings, notices)`. A notice is one line for the
user, given once per run: that LanguageTool is not available, or that it stopped mid-run.
"""

from __future__ import annotations

import contextlib
import threading

from ..document import STDIN_NAME, Document
from ..errors import CoachError, InputError
from ..report import Finding
from ..rubric import Rubric
from .languagetool import DocumentRejected, EngineStopped, LanguageToolEngine, Unavailable, find_local_install
from .matches import findings_from_matches
from .settings import GrammarSettings, load_settings
from .speller import OfflineSpeller, Vocabulary, unknown_share

MODES = ("auto", "languagetool", "speller", "off")
_OFFLINE = "doubled words and “a”/“an” are checked, the rest of grammar is not"

__all__ = ["MODES", "GrammarChecker", "build_grammar", "load_settings"]


class GrammarChecker:
    """Runs LanguageTool while it answers, the offline speller otherwise; reports each change once."""

    def __init__(self, settings: GrammarSettings, engine: LanguageToolEngine | None = None,
                 description: str = "", notice: str | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.vocabulary = Vocabulary(settings)
        self.description = description or f"grammar: {OfflineSpeller.name}; {_OFFLINE}"
        self._pending: list[str] = [notice] if notice else []
        self._speller: OfflineSpeller | None = None
        self._told_dictionaries = False  # the notice that the Hunspell dictionaries are missing, once

    @property
    def speller(self) -> OfflineSpeller:
        if self._speller is None:
            self._speller = OfflineSpeller(self.settings, self.vocabulary)
        return self._speller

    def load_in_background(self) -> None:
        """Read the speller's dictionaries on a thread while the first draft is parsed: libenchant reads
        them outside the GIL. Not for LanguageTool, which needs no dictionary."""
        if self.engine is None:
            threading.Thread(target=self._load_quietly, name="coach-dictionaries").start()

    def _load_quietly(self) -> None:
        with contextlib.suppress(Exception):  # met again, and reported, when the first draft needs it
            _ = self.vocabulary.lexicon

    def refuse_other_languages(self, doc: Document) -> None:
        """A draft mostly in words no English dictionary knows (Spanish, Portuguese) is one line naming it: a
        report in English rules would only mislead ("nothing here takes responsibility" beside "Asumo toda
        la responsabilidad")."""
        words, share = unknown_share(doc, self.vocabulary)
        if words >= self.settings.not_english_min_words and share > self.settings.not_english_share:
            raise InputError(_name(doc), self.settings.text("notices", "not_english", share=share))

    def check(self, doc: Document) -> tuple[list[Finding], list[str]]:
        notices, self._pending = self._pending, []
        if self.engine is not None:
            try:
                matches = self.engine.check(doc.analysis_text)
            except EngineStopped as exc:
                notices.append(self.settings.text("notices", "stopped", reason=str(exc)))
                self.close()
            except DocumentRejected as exc:
                notices.append(self.settings.text("notices", "rejected", file=doc.file, reason=str(exc)))
            else:
                return findings_from_matches(doc, matches, self.settings, self.vocabulary), notices
        speller = self.speller
        findings = speller.check(doc)
        if speller.notice and not self._told_dictionaries:
            self._told_dictionaries = True
            notices.append(speller.notice)
        return findings, notices

    def close(self) -> None:
        """Shut a local LanguageTool down; later documents are checked by the speller."""
        if self.engine is not None:
            self.engine.close()
            self.engine = None


def build_grammar(mode: str, url: str | None, rubric: Rubric) -> GrammarChecker | None:
    """The checker for a run, or None for `off`. `languagetool` fails loudly when it cannot be had;
    `auto` falls back to the speller with a one-line notice."""
    if mode not in MODES:
        raise CoachError(f"--grammar must be one of {', '.join(MODES)}")
    if mode == "off":
        return None
    settings = load_settings(rubric)
    if mode == "speller":
        return GrammarChecker(settings, description=f"grammar: {OfflineSpeller.name} (chosen with --grammar "
                                                    f"speller); {_OFFLINE}")
    try:
        engine = _languagetool(url, settings)
    except Unavailable as exc:
        if mode == "languagetool":
            raise CoachError(f"grammar: LanguageTool is not available ({exc}); "
                             "use --grammar auto to fall back to the offline speller") from None
        notice = settings.text("notices", "unavailable", reason=str(exc))
        why = f"grammar: {OfflineSpeller.name}, because LanguageTool is not available: {exc}"
        return GrammarChecker(settings, description=why, notice=notice)
    return GrammarChecker(settings, engine, f"grammar: {engine.description}")


def _languagetool(url: str | None, settings: GrammarSettings) -> LanguageToolEngine:
    disabled = set(settings.disabled_rules)
    if url:
        return LanguageToolEngine.connect(url, settings.language, disabled, settings.check_seconds)
    install = find_local_install()
    return LanguageToolEngine.start_local(install, settings.language, disabled, settings.start_seconds,
                                          settings.check_seconds)


def _name(doc: Document) -> str:
    return STDIN_NAME if doc.file == "-" else doc.file
