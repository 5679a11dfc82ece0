"""Time to check an 850-word personal statement, cold (a new process: imports, models, first check) and
warm (the same Analyzer, a statement whose sentences it has not seen). Prints figures; asserts nothing.

    python benchmarks/statement_speed.py [--runs 3] [--grammar speller|off]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT / "samples"
WORDS = 850


def _paragraphs(name: str) -> list[str]:
    return [p for p in (SAMPLES / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]


def statement(words: int = WORDS) -> str:
    """An 850-word statement from the samples: the strong one, topped up with paragraphs of another."""
    strong, extra = _paragraphs("statement-strong.txt"), _paragraphs("statement-no-scores.txt")
    paragraphs = strong[:5] + extra[1:3] + strong[5:]
    out, count = [], 0
    for p in paragraphs:
        taken = p.split()[: words - count]
        count += len(taken)
        if taken:
            out.append(" ".join(taken).rstrip(".,;:") + ("" if taken[-1].endswith((".", "!", "?")) else "."))
    return "\n\n".join(out) + "\n"


_COLD = """
import time, sys
t0 = time.perf_counter()
from coach.analysis.session import make_analyzer
from coach.settings import Options
from coach.document import Document
analyzer = make_analyzer(Options(grammar=sys.argv[2]))
t1 = time.perf_counter()
report = analyzer.analyse(Document(file="s.txt", text=open(sys.argv[1], encoding="utf-8").read()), None)
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {report.doc.words} {report.doc.kind} {len(report.findings)}")
"""


def cold(text: str, grammar: str) -> tuple[float, float, float, str]:
    path = Path("/tmp") / "coach-bench-statement.txt"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _COLD, str(path), grammar], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    wall = time.perf_counter() - start
    setup, first, words, kind, findings = result.stdout.split()
    return wall, float(setup), float(first), f"{words} words, {kind}, {findings} findings"


def warm(text: str, grammar: str, runs: int) -> tuple[list[float], list[float], list[float]]:
    from coach.analysis.session import make_analyzer
    from coach.checks import statement as module
    from coach.document import Document
    from coach.settings import Options

    analyzer = make_analyzer(Options(grammar=grammar))
    analyzer.analyse(Document(file="w.txt", text=statement(300)), None)  # load everything once
    timed: list[float] = []
    original = module.check_statement

    def timed_check(ctx):
        start = time.perf_counter()
        try:
            return original(ctx)
        finally:
            timed.append(time.perf_counter() - start)

    module.check_statement = timed_check
    new, same = [], []
    try:
        for i in range(runs):
            fresh = _fresh(text, i)
            start = time.perf_counter()
            analyzer.analyse(Document(file="w.txt", text=fresh), None)
            new.append(time.perf_counter() - start)
            start = time.perf_counter()
            analyzer.analyse(Document(file="w.txt", text=fresh), None)
            same.append(time.perf_counter() - start)
    finally:
        module.check_statement = original
    return new, same, timed[0::2]


def _fresh(text: str, i: int) -> str:
    """The text with one word added to every sentence, so the encoder sees new sentences."""
    marker = ["Indeed,", "Truly,", "Plainly,", "Clearly,", "Honestly,", "Simply,"][i % 6]
    return re.sub(r"(^|(?<=[.!?] )|(?<=\n\n))([A-Z])", lambda m: f"{marker} {m.group(2).lower()}", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--grammar", choices=["speller", "off"], default="speller")
    args = parser.parse_args()
    text = statement()
    print(f"statement: {len(text.split())} words, {len(text):,} characters; grammar: {args.grammar}")
    wall, setup, first, what = cold(text, args.grammar)
    print(f"cold: {wall:.2f} s wall for a new process ({setup:.2f} s imports and analyzer, "
          f"{first:.2f} s first check: models, exemplar heads, analysis) [{what}]")
    new, same, statement_only = warm(text, args.grammar, args.runs)
    print(f"warm: {statistics.median(new):.2f} s median per check of a statement not seen before "
          f"(runs: {', '.join(f'{t:.2f}' for t in new)})")
    print(f"warm: {statistics.median(same):.2f} s median for the same statement again")
    print(f"      of which statement checks (paragraphs, score passage, structure, fit, specificity, length): "
          f"{statistics.median(statement_only):.3f} s (paragraphs reuse the role classifier's sentence vectors)")


if __name__ == "__main__":
    main()
