"""One spaCy Matcher for every pattern in the rubric: rule patterns, pattern sets and role cues.

spaCy's Matcher tests a `NORM IN [...]` word in Python for every token and pattern, which made matching
most of a warm analysis. A pattern that is a plain phrase (no gap, optional word, number or tag) goes to a
PhraseMatcher on NORM instead, each combination of forms spelled out (in C); the rest stay in the Matcher.
Overlaps are then filtered per key exactly as spaCy's greedy="LONGEST" does, over both matchers' matches.

A document is matched once; checks read the spans they need by key ("rule:blame.luck", "set:evidence",
"role:growth").

Compiling the rubric's ~500 patterns (every form of every word, through spaCy's lemmatizer) is most of the
matcher's cold start, so the compiled patterns are kept in the user cache as JSON, named by a digest of
everything they depend on (the rubric's patterns, patterns.py, spaCy's and its model's versions and
pipeline): a later run only adds them to a Matcher.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
from collections import defaultdict
from pathlib import Path

from ..errors import RubricError
from ..resources import cache_dir
from ..rubric import Rubric
from .patterns import PatternError, compile_pattern


class PhraseIndex:
    def __init__(self, nlp, rubric: Rubric) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.matcher = Matcher(nlp.vocab)  # patterns with gaps, optional words, numbers or tags
        self.phrases = PhraseMatcher(nlp.vocab, attr="NORM")  # plain phrases: each form spelled out
        self.role_weights: dict[str, float] = {}
        entries = []  # (key, patterns, source, line, where), in the order they are added
        for rule in rubric.rules:
            entries.append((f"rule:{rule.id}", rule.patterns, rule.source, rule.line, f"rules[{rule.id}].patterns"))
        for name, patterns in rubric.sets.items():
            entries.append((f"set:{name}", patterns, "rubric sets", None, f"sets.{name}"))
        for role, cues in (rubric.section("roles") or {}).items():
            for i, cue in enumerate(cues or []):
                if not isinstance(cue, dict) or not isinstance(cue.get("pattern"), str):
                    raise RubricError("roles.yaml", None, f"roles.{role}[{i}]", "each cue needs a `pattern` string")
                key = f"role:{role}:{i}"
                self.role_weights[key] = float(cue.get("weight", 1))
                entries.append((key, [cue["pattern"]], "roles.yaml", None, f"roles.{role}[{i}].pattern"))
        cache = _cache_file(nlp, [(e[0], list(e[1])) for e in entries])
        compiled = _read_cache(cache)
        if compiled is None or len(compiled) != len(entries):
            compiled = [self._compile(nlp, *entry) for entry in entries]
            _write_cache(cache, compiled)
        for (key, _, source, line, where), patterns in zip(entries, compiled):
            plain = [p for p in patterns if _phrases(p) is not None]
            rest = [p for p in patterns if _phrases(p) is None]
            try:
                if rest:
                    self.matcher.add(key, [fast for p in rest for fast in _c_level(p)])
            except ValueError as exc:
                raise RubricError(source, line, where, f"invalid pattern ({str(exc).splitlines()[0]})") from None
            if plain:
                self.phrases.add(key, [_phrase_doc(nlp.vocab, words) for p in plain for words in _phrases(p)])

    @staticmethod
    def _compile(nlp, key: str, patterns: list[str], source: str, line, where: str) -> list[list[dict]]:
        compiled = []
        for pattern in patterns:
            try:
                compiled.extend(compile_pattern(pattern, nlp))
            except PatternError as exc:
                raise RubricError(source, line, where, str(exc)) from None
        return compiled

    def match(self, sdoc) -> dict[str, list]:
        """Spans by key; for role cues, by role ("role:growth") with the cue's weight kept in `weights`."""
        spans: dict[str, list] = defaultdict(list)
        vocab = sdoc.vocab.strings
        found: dict[int, list[tuple[int, int]]] = {}
        for match_id, start, end in [*self.matcher(sdoc), *self.phrases(sdoc)]:
            found.setdefault(match_id, []).append((start, end))
        kept = []
        for match_id, pairs in found.items():  # spaCy's greedy="LONGEST", over both matchers' matches
            taken = bytearray(len(sdoc))
            for start, end in sorted(pairs, key=lambda x: (x[1] - x[0], -x[0]), reverse=True):
                if not any(taken[start:end]):
                    kept.append((match_id, start, end))
                    taken[start:end] = b"\x01" * (end - start)
        for match_id, start, end in sorted(kept, key=lambda m: (m[1], m[2])):
            key = vocab[match_id]
            spans[key].append(sdoc[start:end])
        return spans

    def role_scores(self, spans: dict[str, list], sentence_bounds: list[tuple[int, int]]) -> list[dict[str, float]]:
        """For each sentence (start_char, end_char), the summed cue weight per role."""
        scores: list[dict[str, float]] = [defaultdict(float) for _ in sentence_bounds]
        for key, found in spans.items():
            if not key.startswith("role:"):
                continue
            role = key.split(":")[1]
            for span in found:
                i = sentence_of(span.start_char, sentence_bounds)
                if i is not None:
                    scores[i][role] += self.role_weights[key]
        return [dict(s) for s in scores]


def sentence_of(offset: int, bounds: list[tuple[int, int]]) -> int | None:
    import bisect

    i = bisect.bisect_right([b[0] for b in bounds], offset) - 1
    if i >= 0 and offset < bounds[i][1]:
        return i
    return None


def _cache_file(nlp, entries: list) -> Path | None:
    import spacy

    from . import patterns as patterns_module

    try:
        code = Path(patterns_module.__file__).read_bytes()
    except OSError:
        return None
    meta = nlp.meta
    key = json.dumps([spacy.__version__, meta.get("name"), meta.get("version"), nlp.pipe_names, entries])
    digest = hashlib.sha256(code + key.encode()).hexdigest()[:16]
    return cache_dir() / f"matcher-{digest}.json"


def _read_cache(path: Path | None) -> list | None:
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_cache(path: Path | None, compiled: list) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(compiled), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home only costs the compile next time


MAX_PHRASES = 256  # a plain pattern with more combinations of forms than this stays in the Matcher


def _phrases(pattern: list[dict]) -> list[tuple[str, ...]] | None:
    """Every word sequence a plain pattern matches (each token a `NORM IN` set), or None."""
    sets = []
    for spec in pattern:
        if list(spec) != ["NORM"] or not isinstance(spec["NORM"], dict) or list(spec["NORM"]) != ["IN"]:
            return None
        sets.append(spec["NORM"]["IN"])
    if math.prod(len(s) for s in sets) > MAX_PHRASES:
        return None
    return list(itertools.product(*sets))


MAX_SPLIT = 12  # a first word with more forms than this stays one `IN` set


def _c_level(pattern: list[dict]) -> list[list[dict]]:
    """The same matches, with fewer `IN` tests: spaCy's Matcher tests an `IN` set in Python for every token
    it reaches but an equal value in C, and tries every pattern's first token at every token of the draft.
    So a one-word set becomes that word, and a first token's set of forms becomes one pattern per form
    (overlaps are filtered per key in `match`, so duplicates change nothing)."""
    pattern = [_equal_if_single(spec) for spec in pattern]
    first = pattern[0].get("NORM")
    if isinstance(first, dict) and list(first) == ["IN"] and len(first["IN"]) <= MAX_SPLIT and "OP" not in pattern[0]:
        return [[{**pattern[0], "NORM": form}, *pattern[1:]] for form in first["IN"]]
    return [pattern]


def _equal_if_single(spec: dict) -> dict:
    value = spec.get("NORM")
    if isinstance(value, dict) and list(value) == ["IN"] and len(value["IN"]) == 1:
        return {**spec, "NORM": value["IN"][0]}
    return spec


def _phrase_doc(vocab, words: tuple[str, ...]):
    from spacy.tokens import Doc

    # The PhraseMatcher compares NORM only, and a token's own NORM overrides its word's: so every token is
    # the same placeholder word, which saves spaCy making a vocabulary entry for each of ~3,000 word forms.
    doc = Doc(vocab, words=[_PLACEHOLDER] * len(words))
    for token, word in zip(doc, words):
        token.norm_ = word  # compared as written, like the Matcher's NORM IN (no norm exceptions)
    return doc


_PLACEHOLDER = "x"
