"""How much time grammar and spelling add per document. Prints figures; asserts nothing.

    python benchmarks/grammar_speed.py [--grammar auto|languagetool|speller] [--languagetool-url URL]

Each document (samples/, the development explanations, the paragraph exemplars) is analysed once with
grammar off; then the grammar step alone runs on the same parsed document, which is exactly what
`Analyzer.analyse` adds when grammar is on. The role-exemplar sentences, too short to be documents,
are grouped ten to a document and timed through the speller only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analysis.analyzer import Analyzer  # noqa: E402
from coach.document import Document, load  # noqa: E402
from coach.errors import CoachError  # noqa: E402
from coach.grammar import GrammarChecker, build_grammar  # noqa: E402


def documents() -> dict[str, list[Document]]:
    samples = [load(str(p)) for p in sorted((ROOT / "samples").rglob("*"))
               if p.suffix in (".txt", ".md", ".docx") and p.name != "README.md"]
    dev = yaml.safe_load((ROOT / "benchmarks" / "data" / "dev_explanations.yaml").read_text(encoding="utf-8"))
    explanations = [Document(file=e["id"], text=" ".join(s["text"] for s in e["sentences"]))
                    for e in dev["explanations"]]
    paragraphs = _yaml_texts(ROOT / "rubrics" / "exemplars" / "paragraphs.yaml", "paragraphs")
    exemplars = [Document(file=f"paragraph-{i}", text=t) for i, t in enumerate(paragraphs)]
    return {"samples": samples, "dev explanations": explanations, "exemplar paragraphs": exemplars}


def sentence_groups() -> list[Document]:
    sentences = _yaml_texts(ROOT / "rubrics" / "exemplars" / "roles.yaml", "roles")
    return [Document(file=f"sentences-{i}", text=" ".join(sentences[i:i + 10]))
            for i in range(0, len(sentences), 10)]


def with_misspellings(doc: Document, every: int = 15) -> Document:
    """The same draft with every n-th longer word misspelled (two inner letters swapped)."""
    words = doc.text.split(" ")
    for i in range(every - 1, len(words), every):
        w = words[i]
        if len(w) >= 6 and w.isalpha():
            words[i] = w[0] + w[2] + w[1] + w[3:]
    return Document(file=doc.file + " (misspelled)", text=" ".join(words))


def _yaml_texts(path: Path, key: str) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))[key]
    return [t for texts in data.values() for t in texts if isinstance(t, str)]


def timed(fn: Callable[[], object], out: list | None = None) -> float:
    began = time.perf_counter()
    result = fn()
    took = time.perf_counter() - began
    if out is not None:
        out.append(result)
    return took


def describe(label: str, seconds: Iterable[float]) -> str:
    values = sorted(seconds)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    mean, median = statistics.mean(values) * 1000, statistics.median(values) * 1000
    return (f"{label}: mean {mean:.1f} ms, median {median:.1f} ms, p95 {p95 * 1000:.1f} ms, "
            f"max {values[-1] * 1000:.1f} ms per document (n={len(values)})")


def run(checker: GrammarChecker, analyzer: Analyzer) -> None:
    groups = documents()
    warm = Document(file="warm-up", text="I was happy to recieve the letter.")
    analyzer.analyse(warm, "explanation")
    answers: list[tuple[list, list]] = []
    first = timed(lambda: checker.check(warm), answers)
    for notice in answers[0][1]:
        print(f"notice: {notice}")
    print(f"first document also pays, once per run (the word list, or the first request): {first:.2f} s")
    analysis: list[float] = []
    extra: list[float] = []
    results: list[tuple[list, list]] = []
    for name, docs in groups.items():
        added = []
        for doc in docs:
            analysis.append(timed(lambda doc=doc: analyzer.analyse(doc)))
            added.append(timed(lambda doc=doc: checker.check(doc), results))
        extra += added
        print("  " + describe(f"{name:<22} grammar adds", added))
    seeded, flagged = [], []
    for doc in map(with_misspellings, groups["samples"]):
        analyzer.analyse(doc)
        seeded.append(timed(lambda doc=doc: checker.check(doc), flagged))
    print("  " + describe("samples, misspelled*", seeded))
    print(f"  * a misspelling every 15 words: {sum(len(r[0]) for r in flagged)} findings, "
          "each with a correction searched by edit distance")
    print(describe("analysis with grammar off", analysis))
    print(describe("grammar adds", extra))
    print(f"that is {100 * sum(extra) / sum(analysis):.1f}% of the analysis time; "
          f"{sum(len(r[0]) for r in results)} grammar/spelling findings over {len(extra)} documents")
    if checker.engine is None:
        nlp = analyzer.nlp
        short = []
        for doc in sentence_groups():
            doc.spacy_doc = nlp(doc.analysis_text)
            short.append(timed(lambda doc=doc: checker.check(doc)))
        print(describe("role-exemplar sentences, ten per document, speller", short))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grammar", choices=("auto", "languagetool", "speller"), default="auto")
    parser.add_argument("--languagetool-url", default=None)
    args = parser.parse_args()
    analyzer = Analyzer()
    try:
        checker = build_grammar(args.grammar, args.languagetool_url, analyzer.rubric)
    except CoachError as exc:
        sys.exit(f"grammar_speed: {exc}")
    assert checker is not None
    print(f"engine: {checker.description}")
    try:
        run(checker, analyzer)
    finally:
        checker.close()


if __name__ == "__main__":
    main()
