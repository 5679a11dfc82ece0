"""How much of the usage an American reader trips on coach names (rubrics/usage.yaml), and how often it names
correct English. Prints figures; asserts nothing.

    python benchmarks/usage_eval.py [--show]

benchmarks/data/grammar/usage_heldout.yaml: 100 sentences with one usage slip each and 100 correct ones
(near-misses among them: "the patient passed out"), written by a helper who never saw the rubric, from a
description of the kind of slip alone; it chose 61 kinds of slip, most of which no rule here names, so
recall measures how much of that wider field the rubric covers. Kept apart: looked at once per change of
the rubric's design, never to add a phrase. A slip counts as found when a usage finding overlaps it.

Measured (2026-11-29), once, on the rubric as first written (e0b7053): found 23 of 100 slips (the rule's own
kinds: uncountable plurals, "since" with a length, "discuss about", "passed out", "revert", "do the needful",
"prepone", "batchmates", "cousin brother", "native place", "out of station"); correct sentences flagged 0
of 100. Before the rubric: 0 and 0.

`--data benchmarks/data/grammar/usage_heldout2.yaml`: 80 slips of 80 kinds, by another helper, written after
the second group of rules (the same as a pronoun, letter phrases, house job and casualty, "did a mistake",
"look forward to hear", "despite of", "explain me", "till date", "a small doubt"). Looked at once: the rubric
of e0b7053 found 12 of 80, the rubric with the second group 22 of 80; correct sentences flagged 0 of 80 by
both. The first set with the second group: 46 of 100, 0 of 100 flagged, but the second group was written
after its helper's list of kinds had been read, so that figure is not a held-out one.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from coach.analysis.analyzer import Analyzer  # noqa: E402
from coach.document import Document  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "grammar" / "usage_heldout.yaml"
USAGE = ROOT / "rubrics" / "usage.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each slip found and each false alarm")
    parser.add_argument("--data", type=Path, default=DATA, help="a file of sentences in the same format")
    args = parser.parse_args()
    show, path = args.show, args.data
    rules = {r["id"] for r in yaml.safe_load(USAGE.read_text(encoding="utf-8"))["rules"]}
    analyzer = Analyzer(use_encoder=False)

    def usage(text: str) -> list:
        report = analyzer.analyse(Document(file="sentence.txt", text=text), "personal_statement")
        return [f for f in report.findings if f.rule in rules]

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = 0
    for item in data["wrong"]:
        at = item["sentence"].index(item["slip"])
        hits = [f for f in usage(item["sentence"]) if f.start < at + len(item["slip"]) and f.end > at]
        found += bool(hits)
        if hits and show:
            print(f"  found {hits[0].rule}: {item['slip']!r}")
    alarms = 0
    for sentence in data["right"]:
        hits = usage(sentence)
        alarms += bool(hits)
        if hits and show:
            print(f"  false alarm {hits[0].rule}: {sentence}")
    print(f"== {path}: slips found {found} of {len(data['wrong'])}; "
          f"correct sentences flagged {alarms} of {len(data['right'])}")


if __name__ == "__main__":
    main()
