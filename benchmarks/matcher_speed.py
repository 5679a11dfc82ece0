"""The phrase Matcher, per rule family: compile time (the rubric pattern syntax to Matcher patterns, every
form of every word through spaCy's lemmatizer), Matcher.add time, and match time over the samples, with a
separate Matcher per family (rules by the id's prefix, e.g. "blame"; the pattern sets; the role cues).
Then the cold build of coach's PhraseIndex with and without its compiled-pattern cache. Prints only.

    python benchmarks/matcher_speed.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from spacy.matcher import Matcher

    from coach.matching import patterns
    from coach.matching.index import PhraseIndex
    from coach.nlp import get_nlp
    from coach.rubric import load_rubric

    nlp, rubric = get_nlp(), load_rubric()
    docs = list(nlp.pipe([p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]))
    families: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for rule in rubric.rules:
        families[f"rules: {rule.id.split('.')[0]}"].append((f"rule:{rule.id}", rule.patterns))
    for name, pats in rubric.sets.items():
        families["sets"].append((f"set:{name}", pats))
    for role, cues in (rubric.section("roles") or {}).items():
        families["role cues"].extend((f"role:{role}:{i}", [c["pattern"]]) for i, c in enumerate(cues or []))
    print(f"load average {os.getloadavg()[0]:.1f}; {len(docs)} sample documents, "
          f"{sum(len(d) for d in docs)} tokens; times in ms")
    print(f"{'family':<28} {'keys':>5} {'patterns':>8} {'compile':>8} {'add':>7} {'match':>7}")
    totals = [0.0, 0.0, 0.0]
    for family, keys in sorted(families.items()):
        patterns._word_forms.cache_clear()
        t0 = time.perf_counter()
        compiled = [(k, [p for src in pats for p in patterns.compile_pattern(src, nlp)]) for k, pats in keys]
        t1 = time.perf_counter()
        matcher = Matcher(nlp.vocab)
        for k, pats in compiled:
            matcher.add(k, pats, greedy="LONGEST")
        t2 = time.perf_counter()
        for doc in docs:
            matcher(doc)
        t3 = time.perf_counter()
        row = [(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000]
        totals = [a + b for a, b in zip(totals, row)]
        print(f"{family:<28} {len(keys):>5} {sum(len(p) for _, p in compiled):>8} "
              f"{row[0]:>8.1f} {row[1]:>7.1f} {row[2]:>7.1f}")
    print(f"{'all families':<28} {'':>5} {'':>8} {totals[0]:>8.1f} {totals[1]:>7.1f} {totals[2]:>7.1f}")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache
        for label in ("PhraseIndex, no cache (compiles, writes the cache)", "PhraseIndex, cached patterns"):
            patterns._word_forms.cache_clear()
            t0 = time.perf_counter()
            index = PhraseIndex(nlp, rubric)
            print(f"{label}: {(time.perf_counter() - t0) * 1000:.0f} ms")
        t0 = time.perf_counter()
        for doc in docs:
            index.match(doc)
        print(f"PhraseIndex.match over the samples (one Matcher): {(time.perf_counter() - t0) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
