"""Speed and memory of `coach check`: cold (a whole new process) side by side with proselint on the same
sample and their ratio, the cold start split into its steps with each step's share, and warm analysis.

    python benchmarks/check_speed.py [--runs 5] [--code DIR]

--code runs another copy of coach (e.g. an export of an older commit, for before/after figures) with the
same interpreter. Cold runs of coach and proselint alternate; medians are printed with the load average.
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
PROSELINT = Path(sys.executable).parent / "proselint"  # in the dev extra

STEPS = r"""
import time, sys
t0 = time.perf_counter(); marks = []
def mark(name):
    marks.append((name, time.perf_counter()))
import coach.cli, coach.analysis.analyzer, coach.document; mark("imports (click, coach)")
from coach.analysis.session import make_analyzer; a = make_analyzer(); mark("rubric, spaCy, matcher; encoder: thread")
a.classifier.impl; mark("waiting for the encoder thread")
from coach.document import load; r = a.analyse(load(sys.argv[1])); mark("analysis (first document)")
prev = t0
total = marks[-1][1] - t0
for name, t in marks:
    print(f"  {name:<48} {t - prev:6.2f} s {100 * (t - prev) / total:5.1f} %"); prev = t
print(f"  {'total':<48} {total:6.2f} s")
"""


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def cold_runs(runs: int) -> None:
    coach_cmd = [sys.executable, "-m", "coach.cli", "check", "--no-color", str(SAMPLE)]
    prose_cmd = [str(PROSELINT), "check", str(SAMPLE)]
    coach, prose, loads = [], [], []
    for _ in range(runs):
        loads.append(os.getloadavg()[0])
        coach.append(_timed(coach_cmd))
        if PROSELINT.exists():
            prose.append(_timed(prose_cmd))
    wall = statistics.median(t for t, _ in coach)
    print(f"cold `coach check {SAMPLE.name}` (whole process): median {wall:.2f} s, "
          f"min {min(t for t, _ in coach):.2f} s over {runs} runs; "
          f"peak memory {max(m for _, m in coach):.0f} MiB (load average {statistics.median(loads):.1f})")
    if prose:
        p_wall = statistics.median(t for t, _ in prose)
        print(f"cold `proselint check {SAMPLE.name}`: median {p_wall:.2f} s; peak memory "
              f"{max(m for _, m in prose):.0f} MiB")
        print(f"ratio coach/proselint (cold wall): {wall / p_wall:.1f}x")
    else:
        print("proselint is not installed (pip install proselint): no side-by-side figure")


def steps() -> None:
    print("cold start split into steps (one new process):")
    out = subprocess.run([sys.executable, "-c", STEPS, str(SAMPLE)], env=ENV, cwd=ROOT, capture_output=True, text=True)
    print(out.stdout.rstrip() or out.stderr[-400:])


def warm(rounds: int = 20) -> None:
    """Warm analysis of the explanation samples in turn, first as new text (the encoder's cache of sentence
    vectors emptied before each draft, as for a draft the process has not seen), then as re-checked text
    (the web page checks a draft again after each edit; its unchanged sentences are not encoded again)."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(ENV)
    from coach.analysis.session import make_analyzer
    from coach.document import load

    analyzer = make_analyzer()
    docs = [load(str(p)) for p in sorted((ROOT / "samples").glob("explanation-*.txt"))]
    analyzer.analyse(docs[0])
    seen = getattr(getattr(analyzer.classifier.impl, "encoder", None), "_seen", {})
    for label, forget in (("new text", True), ("re-checked text", False)):
        total = 0.0
        for i in range(rounds):
            if forget:
                seen.clear()
            start = time.perf_counter()
            analyzer.analyse(docs[i % len(docs)])
            total += time.perf_counter() - start
        print(f"warm analysis, {label}: {total / rounds * 1000:.0f} ms per explanation (mean over {rounds}, "
              f"{len(docs)} samples)")
    print(f"this process's peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def compile_bytecode(root: Path) -> None:
    """The checkout's bytecode, as pip writes it for an installed coach: without it (PYTHONDONTWRITEBYTECODE,
    a read-only checkout) every run would compile coach's modules again, which no user's run does."""
    import compileall

    compileall.compile_dir(str(root / "coach"), quiet=1)


def main() -> None:
    global ROOT
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT, help="the coach checkout to measure")
    args = parser.parse_args()
    ROOT = args.code.resolve()
    ENV["PYTHONPATH"] = str(ROOT)
    compile_bytecode(ROOT)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    cold_runs(args.runs)
    steps()
    warm()


if __name__ == "__main__":
    main()
