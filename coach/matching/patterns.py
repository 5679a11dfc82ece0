"""The rubric pattern syntax, compiled to spaCy Matcher patterns.

    blame|fault     any of these words, in any form: each word and its lemmas are matched against the
                    token's lemma (kept lower-case in NORM by coach.nlp), so "blame" matches "blamed"
    =advices        these words exactly as written (any case), not their other forms: "=advices" does not
                    match "advice"
    word?           optional word
    *3              up to three words of anything
    #num            a number (also as one of the alternatives: "#num|several")
    @PROPN          a part-of-speech tag
A hyphenated or multi-piece word ("self-assessment", "can't") matches its pieces in sequence.
"""

from __future__ import annotations

import functools
import itertools
import re

_GAP = re.compile(r"^\*(\d+)$")
_POS_TAGS = frozenset({"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
                       "PUNCT", "SCONJ", "SYM", "VERB", "X"})


class PatternError(ValueError):
    pass


def compile_pattern(source: str, nlp) -> list[list[dict]]:
    """One rubric pattern as one or more Matcher patterns (multi-piece alternatives expand)."""
    parts = source.split()
    if not parts:
        raise PatternError("empty pattern")
    variants_per_part = [_compile_part(part, nlp) for part in parts]
    out = []
    for combo in itertools.product(*variants_per_part):
        tokens = [spec for variant in combo for spec in variant]
        _validate(source, tokens)
        out.append(tokens)
    return out


def _validate(source: str, tokens: list[dict]) -> None:
    if all("OP" in t for t in tokens):
        raise PatternError(f"pattern {source!r} must contain at least one required word")
    if _is_gap(tokens[0]) or _is_gap(tokens[-1]):
        raise PatternError(f"pattern {source!r} must not start or end with a gap like *3")


def _is_gap(spec: dict) -> bool:
    return "OP" in spec and len(spec) == 1


def _compile_part(part: str, nlp) -> list[list[dict]]:
    optional = part.endswith("?") and len(part) > 1
    word = part[:-1] if optional else part
    variants = _compile_word(word, nlp)
    if optional:
        variants = [[{**spec, "OP": "?"} for spec in v] for v in variants]
    return variants


def _compile_word(word: str, nlp) -> list[list[dict]]:
    gap = _GAP.match(word)
    if gap:
        return [[{"OP": f"{{0,{int(gap.group(1))}}}"}]]
    if word == "#num":
        return [[{"LIKE_NUM": True}]]
    if word.startswith("@") and len(word) > 1:
        tags = word[1:].split("|")
        if not set(tags) <= _POS_TAGS:
            raise PatternError(f"{word!r}: a part of speech is one of {', '.join(sorted(_POS_TAGS))} (spaCy's "
                               "universal tags, in capitals); write words without the @")
        return [[{"POS": {"IN": tags}}]]
    if word.startswith("=") and len(word) > 1:
        exact = [w for w in word[1:].lower().split("|") if w]
        if any(not re.fullmatch(r"[\w'-]+", w) or "-" in w or "#" in w for w in exact):
            raise PatternError(f"{word!r}: write whole words after =, e.g. =advices|feedbacks")
        return [[{"LOWER": {"IN": exact}}]]
    alternatives = [w for w in word.lower().split("|") if w]
    if not alternatives:
        raise PatternError(f"empty word in {word!r}")
    if any(alt.startswith("@") for alt in alternatives):
        raise PatternError(f"{word!r} mixes words and a part of speech; write the tags alone, e.g. @PROPN|NOUN")
    numeric = "#num" in alternatives  # "#num|several|many": a number or one of the words
    alternatives = [alt for alt in alternatives if alt != "#num"]
    single, multi = [], []
    for alt in alternatives:
        pieces = [t.text for t in nlp.tokenizer(alt)]
        (single if len(pieces) == 1 else multi).append(pieces)
    variants = [[{"NORM": {"IN": _forms(nlp, [p[0] for p in single])}}]] if single else []
    variants += [[{"NORM": {"IN": _forms(nlp, [piece])}} for piece in pieces] for pieces in multi]
    return variants + [[{"LIKE_NUM": True}]] if numeric else variants


_POS_FOR_FORMS = ("VERB", "NOUN")  # adjectives and adverbs are matched as written (coach.nlp)


def _forms(nlp, words: list[str]) -> list[str]:
    """The words and every lemma each could have, so that a pattern word matches a token's lemma."""
    return sorted(set().union(*(_word_forms(nlp, word) for word in words)))


@functools.lru_cache(maxsize=8192)
def _word_forms(nlp, word: str) -> frozenset[str]:
    from spacy.tokens import Doc

    out = {word, "not"} if word == "n't" else {word}
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset(out)
    lemmatizer = nlp.get_pipe("lemmatizer")
    for pos in _POS_FOR_FORMS:
        doc = Doc(nlp.vocab, words=[word])
        doc[0].pos_ = pos
        lemmas = {lemma.lower() for lemma in lemmatizer.rule_lemmatize(doc[0])}
        if word in nlp.Defaults.stop_words:  # "others" is "other", but "as" is not "a" nor "us" "u"
            lemmas = {lemma for lemma in lemmas if len(lemma) > 2 or lemma in ("be", "do")}
        out.update(lemmas)
    return frozenset(out)
