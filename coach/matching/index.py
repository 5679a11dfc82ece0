"""One spaCy Matcher for every pattern in the rubric: rule patterns, pattern sets and role cues.

A document is matched once; checks read the spans they need by key ("rule:blame.luck", "set:evidence",
"role:growth").
"""

from __future__ import annotations

from collections import defaultdict

from ..errors import RubricError
from ..rubric import Rubric
from .patterns import PatternError, compile_pattern


class PhraseIndex:
    def __init__(self, nlp, rubric: Rubric) -> None:
        from spacy.matcher import Matcher

        self.matcher = Matcher(nlp.vocab)
        self.role_weights: dict[str, float] = {}
        for rule in rubric.rules:
            self._add(nlp, f"rule:{rule.id}", rule.patterns, rule.source, rule.line, f"rules[{rule.id}].patterns")
        for name, patterns in rubric.sets.items():
            self._add(nlp, f"set:{name}", patterns, "rubric sets", None, f"sets.{name}")
        for role, cues in (rubric.section("roles") or {}).items():
            for i, cue in enumerate(cues or []):
                if not isinstance(cue, dict) or not isinstance(cue.get("pattern"), str):
                    raise RubricError("roles.yaml", None, f"roles.{role}[{i}]", "each cue needs a `pattern` string")
                key = f"role:{role}:{i}"
                self.role_weights[key] = float(cue.get("weight", 1))
                self._add(nlp, key, [cue["pattern"]], "roles.yaml", None, f"roles.{role}[{i}].pattern")

    def _add(self, nlp, key: str, patterns: list[str], source: str, line, where: str) -> None:
        compiled = []
        for pattern in patterns:
            try:
                compiled.extend(compile_pattern(pattern, nlp))
            except PatternError as exc:
                raise RubricError(source, line, where, str(exc)) from None
        try:
            self.matcher.add(key, compiled, greedy="LONGEST")
        except ValueError as exc:
            raise RubricError(source, line, where, f"invalid pattern ({str(exc).splitlines()[0]})") from None

    def match(self, sdoc) -> dict[str, list]:
        """Spans by key; for role cues, by role ("role:growth") with the cue's weight kept in `weights`."""
        spans: dict[str, list] = defaultdict(list)
        vocab = sdoc.vocab.strings
        for match_id, start, end in sorted(self.matcher(sdoc), key=lambda m: (m[1], m[2])):
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
