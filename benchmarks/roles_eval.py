"""Sentence roles and framework parts: the blind set, next to the previous version, and cross-validation.

    python benchmarks/roles_eval.py [--baseline c08ff2c] [--no-baseline]

1. The blind development set (benchmarks/blind/explanations.yaml: written by someone who never saw the
   rubric or the examples; never used for training or tuning), checked by coach as a user would: accuracy,
   per-role precision/recall/F1, macro-F1, the confusion matrix, part presence per part and the share of
   explanations with all four parts right. Beside it, the same figures for the previous version of coach
   (`--baseline`, a git revision, run from a temporary copy of that revision on the same drafts), and for
   the blind drafts with their parts in reverse order (a draft out of order must still be read for what
   each sentence does).
2. 5-fold cross-validation over the whole training explanations (folds by draft): the role head reading
   each sentence beside its neighbours, against the same head reading sentences alone, on drafts as written
   and with their parts reordered. Then writer by writer: each writer of explanations the encoder never read
   held out in turn, the shipped head's design fit on the rest (a new applicant's case).
3. The paragraph parts of personal statements: leave-one-out accuracy over rubrics/exemplars/paragraphs.yaml.
4. The older development set (benchmarks/data/dev_explanations.yaml).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from coach.analysis.session import make_analyzer  # noqa: E402
from coach.document import Document  # noqa: E402
from coach.report import PARTS, ROLES  # noqa: E402
from coach.roles.heads import LogisticHead, context_features, isolated_features  # noqa: E402
from coach.roles.training import TrainingData, _reordered, fit_role_head, load_training  # noqa: E402

BLIND = ROOT / "benchmarks" / "blind" / "explanations.yaml"
DEV = ROOT / "benchmarks" / "data" / "dev_explanations.yaml"
BLIND_PARAGRAPHS = ROOT / "benchmarks" / "blind" / "paragraphs.yaml"


# ---- scoring --------------------------------------------------------------------------------------------

def scores(gold: list[str], pred: list[str]) -> dict:
    per = {}
    for role in ROLES:
        tp = sum(g == p == role for g, p in zip(gold, pred))
        fp = sum(p == role != g for g, p in zip(gold, pred))
        fn = sum(g == role != p for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[role] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0, gold.count(role))
    return {"per": per, "macro": float(np.mean([v[2] for v in per.values()])),
            "accuracy": sum(g == p for g, p in zip(gold, pred)) / max(1, len(gold)),
            "confusion": [[sum(a == g and b == p for a, b in zip(gold, pred)) for p in ROLES] for g in ROLES]}


def parts(drafts: list[dict], present: list[dict[str, bool]]) -> dict:
    per_part = {p: 0 for p in PARTS}
    exact = 0
    for d, got in zip(drafts, present):
        want = {p: any(s["role"] == p for s in d["sentences"]) for p in PARTS}
        for p in PARTS:
            per_part[p] += want[p] == got[p]
        exact += all(want[p] == got[p] for p in PARTS)
    n = len(drafts)
    return {"per_part": {p: v / n for p, v in per_part.items()}, "pairs": sum(per_part.values()) / (4 * n),
            "all_four": exact / n}


def print_side_by_side(title: str, columns: dict[str, tuple[dict, dict]]) -> None:
    names = list(columns)
    print(f"\n== {title}")
    print(f"  {'':<24}" + "".join(f"{n:>26}" for n in names))
    rows = [("accuracy", lambda s, p: f"{s['accuracy']:.3f}"), ("macro-F1", lambda s, p: f"{s['macro']:.3f}")]
    rows += [(f"{r} P/R/F1", lambda s, p, r=r: "{:.2f}/{:.2f}/{:.2f}".format(*s["per"][r][:3])) for r in ROLES]
    rows += [(f"part presence: {q}", lambda s, p, q=q: f"{p['per_part'][q]:.3f}") for q in PARTS]
    rows += [("part presence, all pairs", lambda s, p: f"{p['pairs']:.3f}"),
             ("all four parts right", lambda s, p: f"{p['all_four']:.3f}")]
    for label, cell in rows:
        print(f"  {label:<24}" + "".join(f"{cell(*columns[n]):>26}" for n in names))
    for n in names:
        print(f"  confusion, {n} (rows gold, columns predicted: {' '.join(r[:5] for r in ROLES)})")
        for r, row in zip(ROLES, columns[n][0]["confusion"]):
            print(f"    {r:<15}" + "".join(f"{v:>6}" for v in row))


# ---- the blind set, checked as a user would --------------------------------------------------------------

def joined(sentences: list[str]) -> tuple[str, list[int]]:
    text, starts = "", []
    for s in sentences:
        text += " " if text else ""
        starts.append(len(text))
        text += s
    return text, starts


def reversed_parts(d: dict) -> dict:
    runs: list[list[dict]] = []
    for s in d["sentences"]:
        if runs and runs[-1][0]["role"] == s["role"]:
            runs[-1].append(s)
        else:
            runs.append([s])
    return {**d, "sentences": [s for run in reversed(runs) for s in run]}


def evaluate(analyzer, drafts: list[dict]) -> tuple[dict, dict]:
    gold, pred, present = [], [], []
    for d in drafts:
        text, starts = joined([s["text"] for s in d["sentences"]])
        report = analyzer.analyse(Document(file=d["id"], text=text), "explanation")
        for s, start in zip(d["sentences"], starts):
            match = next((x for x in report.doc.sentences if x.start <= start < x.end), None)
            gold.append(s["role"])
            pred.append(match.role if match else "other")
        present.append({p: report.framework["parts"][p]["present"] for p in PARTS})
    return scores(gold, pred), parts(drafts, present)


_PREVIOUS = r"""
import json, sys
from coach.analyse import Analyzer
from coach.document import Document
drafts = json.load(sys.stdin)
an = Analyzer()
out = []
for d in drafts:
    text = " ".join(d["texts"])
    r = an.analyse(Document(file="x", text=text), "explanation")
    roles, pos = [], 0
    for t in d["texts"]:
        m = next((x for x in r.doc.sentences if x.start <= pos < x.end), None)
        roles.append(m.role if m else "other")
        pos += len(t) + 1
    out.append({"roles": roles, "present": {p: r.framework["parts"][p]["present"] for p in
                ("context", "responsibility", "growth", "connection")}})
print(json.dumps(out))
"""


def previous_version(rev: str, drafts: list[dict]) -> tuple[dict, dict] | None:
    """The same drafts through coach as it was at `rev` (its own code, rubric and examples)."""
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"  (previous version {rev} not available: {exc})")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        payload = json.dumps([{"texts": [s["text"] for s in d["sentences"]]} for d in drafts])
        env = {**os.environ, "PYTHONPATH": tmp, "COACH_ENCODER_BACKEND": "numpy"}
        run = subprocess.run([sys.executable, "-c", _PREVIOUS], input=payload, capture_output=True, text=True,
                             cwd=tmp, env=env)
    if run.returncode != 0:
        print(f"  (previous version {rev} failed: {run.stderr.strip().splitlines()[-1:]})")
        return None
    results = json.loads(run.stdout)
    gold = [s["role"] for d in drafts for s in d["sentences"]]
    pred = [r for res in results for r in res["roles"]]
    return scores(gold, pred), parts(drafts, [res["present"] for res in results])


# ---- cross-validation over the training explanations ---------------------------------------------------

def training_vectors(analyzer) -> tuple[TrainingData, Callable[[list[str]], np.ndarray]]:
    """The labelled training data, and a lookup of its sentences' vectors (each encoded once)."""
    data = load_training(analyzer.settings.flags.names)
    texts = data.all_texts()
    index = {t: i for i, t in enumerate(texts)}
    vectors = analyzer.classifier.impl.encoder.encode(texts)

    def vectors_of(ts: list[str]) -> np.ndarray:
        return vectors[[index[t] for t in ts]]

    return data, vectors_of


def cross_validate(analyzer, data: TrainingData, vectors_of, folds: int = 5) -> None:
    l2 = analyzer.settings.encoder.l2
    rng = random.Random(11)
    results: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
    for k in range(folds):
        train = [e for i, e in enumerate(data.explanations) if i % folds != k]
        test = [e for i, e in enumerate(data.explanations) if i % folds == k]
        subset = replace(data, explanations=tuple(train))
        in_context = fit_role_head(subset, vectors_of, l2, analyzer.settings.encoder.hidden)
        alone = _alone_head(subset, vectors_of, l2)
        for order, drafts in (("as written", test), ("parts reordered", [_reordered(e, rng) for e in test])):
            for name, head, feats in (("in context", in_context, context_features),
                                      ("sentence alone", alone, isolated_features)):
                gold, pred = results.setdefault(f"{name}, {order}", {}).setdefault("x", ([], []))
                for e in drafts:
                    probs = head.predict_proba(feats(vectors_of(list(e.texts))))
                    gold += list(e.roles)
                    pred += [ROLES[i] for i in probs.argmax(1)]
    print(f"\n== {folds}-fold cross-validation over {len(data.explanations)} training explanations (folds by draft)")
    for name, d in results.items():
        s = scores(*d["x"])
        print(f"  {name:<34} macro-F1 {s['macro']:.3f}  accuracy {s['accuracy']:.3f}")


def by_writer(analyzer, data: TrainingData, vectors_of) -> None:
    """Each writer of explanations the encoder never read held out in turn: the role head fit on everything
    else, the writer's drafts read as coach reads them (a sentence the head is unsure of is "other"), as
    written and with their parts reordered. Folds by draft put one writer's habits on both sides; this is a
    new applicant's case."""
    from flags_eval import unseen_writers

    writers = [w for w in unseen_writers(analyzer.classifier.impl.encoder, data) if w.startswith("explanations")]
    rng = random.Random(11)
    results: dict[str, tuple[list[str], list[str], list[bool]]] = {}
    by_length: dict[str, tuple[list[str], list[str], list[bool]]] = {}  # drafts as written, by sentences
    for writer in writers:
        subset = replace(data, explanations=tuple(e for e in data.explanations if e.source != writer))
        head = fit_role_head(subset, vectors_of, analyzer.settings.encoder.l2, analyzer.settings.encoder.hidden)
        test = [e for e in data.explanations if e.source == writer]
        for order, drafts in (("as written", test), ("parts reordered", [_reordered(e, rng) for e in test])):
            gold, pred, right = results.setdefault(order, ([], [], []))
            for e in drafts:
                roles = read_roles(head, vectors_of(list(e.texts)), analyzer.settings.encoder.min_confidence)
                gold += e.roles
                pred += roles
                right.append(all((p in e.roles) == (p in roles) for p in PARTS))
                if order == "as written":
                    lg, lp, lr = by_length.setdefault(_length_band(len(e.texts)), ([], [], []))
                    lg += e.roles
                    lp += roles
                    lr.append(right[-1])
    drafts = sum(1 for e in data.explanations if e.source in writers)
    print(f"\n== writer by writer: {len(writers)} writers of explanations the encoder never read, each held out "
          f"in turn ({drafts} drafts)")
    for order, (gold, pred, right) in results.items():
        s = scores(gold, pred)
        print(f"  {order:<16} accuracy {s['accuracy']:.3f}  macro-F1 {s['macro']:.3f}  "
              f"all four parts right {np.mean(right):.3f}")
    for band in sorted(by_length, key=lambda b: int(b.split()[0].split("-")[0])):
        gold, pred, right = by_length[band]
        print(f"  as written, {band:<14} accuracy {scores(gold, pred)['accuracy']:.3f}  "
              f"all four parts right {np.mean(right):.3f}  ({len(right)} drafts)")


def _length_band(sentences: int) -> str:
    """Long explanations are where roles slip: bands of a draft's length in sentences."""
    return "1-6 sentences" if sentences <= 6 else "7-9 sentences" if sentences <= 9 else "10+ sentences"


def read_roles(head, vectors: np.ndarray, min_confidence: float) -> list[str]:
    """Each sentence's role as the role head alone gives it in coach.roles.model: its best, or "other" below
    min_confidence (the cue patterns and the order prior, which coach adds, are left out)."""
    probs = head.predict_proba(context_features(vectors))
    return [ROLES[i] if p[i] >= min_confidence else "other" for p, i in zip(probs, probs.argmax(1))]


def _alone_head(data: TrainingData, vectors_of, l2: float) -> LogisticHead:
    texts = [t for e in data.explanations for t in e.texts] + [t for t, _ in data.role_examples]
    labels = [r for e in data.explanations for r in e.roles] + [r for _, r in data.role_examples]
    x = isolated_features(vectors_of(texts))
    return LogisticHead(l2).fit(x, np.array([ROLES.index(r) for r in labels]), len(ROLES))


def paragraphs(analyzer) -> None:
    from coach.roles.model import exemplar_vectors, make_head
    from coach.roles.paragraphs import EXEMPLARS, MeanOfSentences, _spacy_split
    from coach.roles.paragraphs import PARTS as PARAGRAPH_PARTS
    from coach.roles.training import load_exemplars

    impl = analyzer.classifier.impl
    texts, labels = load_exemplars(None, EXEMPLARS, "paragraphs", PARAGRAPH_PARTS)
    x = exemplar_vectors(MeanOfSentences(impl.encoder, _spacy_split), texts, None, "paragraphs.vectors.npz",
                         "paragraphs")
    y = np.array([PARAGRAPH_PARTS.index(label) for label in labels])
    kind, right, folds = analyzer.settings.paragraphs.head, 0, 10
    for k in range(folds):
        test = np.arange(len(y)) % folds == k
        head = make_head(kind, analyzer.settings.paragraphs.l2).fit(x[~test], y[~test], len(PARAGRAPH_PARTS))
        right += int((head.predict_proba(x[test]).argmax(1) == y[test]).sum())
    print(f"\n== personal statements' paragraph parts: {folds}-fold accuracy {right / len(y):.3f} "
          f"over {len(y)} labelled paragraphs ({kind} head, {impl.encoder.identity})")
    blind = yaml.safe_load(BLIND_PARAGRAPHS.read_text(encoding="utf-8"))["paragraphs"]
    texts_b = [t for part, items in blind.items() for t in items]
    y_b = np.array([PARAGRAPH_PARTS.index(part) for part, items in blind.items() for _ in items])
    head = make_head(kind, analyzer.settings.paragraphs.l2).fit(x, y, len(PARAGRAPH_PARTS))
    x_b = MeanOfSentences(impl.encoder, _spacy_split).encode(texts_b)
    print(f"   blind paragraphs ({BLIND_PARAGRAPHS.name}, written independently): accuracy "
          f"{(head.predict_proba(x_b).argmax(1) == y_b).mean():.3f} over {len(y_b)}, the head alone (no position)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="c08ff2c", help="the previous version, a git revision")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--blind", type=Path, default=BLIND.parent,
                        help="the blind set's folder (blind8 to blind16 under benchmarks/: later, other hands)")
    args = parser.parse_args()
    analyzer = make_analyzer()
    blind = yaml.safe_load((args.blind / BLIND.name).read_text(encoding="utf-8"))["explanations"]
    columns = {"this version": evaluate(analyzer, blind)}
    if not args.no_baseline:
        previous = previous_version(args.baseline, blind)
        if previous:
            columns[f"previous ({args.baseline})"] = previous
    columns["this, parts reversed"] = evaluate(analyzer, [reversed_parts(d) for d in blind])
    print_side_by_side(f"blind set: {len(blind)} explanations, {sum(len(d['sentences']) for d in blind)} sentences",
                       columns)
    data, vectors_of = training_vectors(analyzer)
    cross_validate(analyzer, data, vectors_of)
    by_writer(analyzer, data, vectors_of)
    paragraphs(analyzer)
    dev = yaml.safe_load(DEV.read_text(encoding="utf-8"))["explanations"]
    print_side_by_side(f"older development set: {len(dev)} explanations", {"this version": evaluate(analyzer, dev)})


if __name__ == "__main__":
    main()
