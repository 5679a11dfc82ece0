"""Speed and memory of `coach check`: cold (a whole new process), split into its steps, and warm.

    python benchmarks/check_speed.py [--runs 3]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "explanation-good.txt"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}

STEPS = r"""
import time, sys
t0 = time.perf_counter(); marks = []
def mark(name):
    marks.append((name, time.perf_counter()))
import coach.cli, coach.analysis.analyzer, coach.document; mark("imports (click, coach)")
from coach.nlp import get_nlp; get_nlp(); mark("spaCy import + load")
from coach.analysis.session import make_analyzer; a = make_analyzer(); mark("rubric + matcher + speller")
a.classifier.impl; mark("encoder load + role head fit")
from coach.document import load; r = a.analyse(load(sys.argv[1])); mark("analysis (first document)")
prev = t0
for name, t in marks:
    print(f"  {name:<32} {t - prev:6.2f} s"); prev = t
print(f"  {'total':<32} {prev - t0:6.2f} s")
"""


def cold_runs(runs: int) -> None:
    times, rss = [], []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "coach.cli", "check", "--no-color", str(SAMPLE)], env=ENV, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
        rss.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    print(f"cold `coach check {SAMPLE.name}` (whole process): median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s over {runs} runs; peak memory {max(rss):.0f} MB")


def steps() -> None:
    print("cold start split into steps (one new process):")
    out = subprocess.run([sys.executable, "-c", STEPS, str(SAMPLE)], env=ENV, cwd=ROOT, capture_output=True, text=True)
    print(out.stdout.rstrip() or out.stderr[-400:])


def warm(rounds: int = 20) -> None:
    sys.path.insert(0, str(ROOT))
    from coach.analysis.session import make_analyzer
    from coach.document import load

    analyzer = make_analyzer()
    docs = [load(str(p)) for p in sorted((ROOT / "samples").glob("explanation-*.txt"))]
    analyzer.analyse(docs[0])
    start = time.perf_counter()
    for i in range(rounds):
        analyzer.analyse(docs[i % len(docs)])
    per_doc = (time.perf_counter() - start) / rounds
    print(f"warm analysis: {per_doc * 1000:.0f} ms per explanation (mean over {rounds}, {len(docs)} samples); "
          f"this process's peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    cold_runs(args.runs)
    steps()
    warm()


if __name__ == "__main__":
    main()
