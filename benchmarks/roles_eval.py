"""Sentence-role accuracy: k-fold cross-validation over the exemplars, and the separate development set.

    python benchmarks/roles_eval.py [--folds 5]

Prints per-role precision/recall/F1, macro-F1 and the confusion matrix for (a) stratified k-fold CV over
rubrics/exemplars/roles.yaml with each head and the cue patterns, and (b) the development set in
benchmarks/data/dev_explanations.yaml (never used for training), plus part-presence accuracy on those
whole explanations, sentences per second, and the encoder's cold load time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from coach.analysis.analyzer import Analyzer  # noqa: E402
from coach.document import Document  # noqa: E402
from coach.report import PARTS, ROLES  # noqa: E402
from coach.roles.cues import CueClassifier  # noqa: E402
from coach.roles.encoder import load_encoder  # noqa: E402
from coach.roles.model import EncoderClassifier, exemplar_vectors, load_exemplars, make_head  # noqa: E402

DEV = ROOT / "benchmarks" / "data" / "dev_explanations.yaml"


def scores_table(gold: list[str], pred: list[str], title: str) -> float:
    print(f"\n== {title} ({len(gold)} sentences)")
    print(f"  {'role':<15}{'precision':>10}{'recall':>10}{'F1':>8}{'n':>6}")
    f1s = []
    for role in ROLES:
        tp = sum(g == p == role for g, p in zip(gold, pred))
        fp = sum(p == role != g for g, p in zip(gold, pred))
        fn = sum(g == role != p for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        f1s.append(f1)
        print(f"  {role:<15}{prec:>10.2f}{rec:>10.2f}{f1:>8.2f}{gold.count(role):>6}")
    macro = float(np.mean(f1s))
    accuracy = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    print(f"  macro-F1 {macro:.3f}   accuracy {accuracy:.3f}")
    print("  confusion (rows gold, columns predicted): " + " ".join(r[:5] for r in ROLES))
    for g in ROLES:
        print(f"  {g:<15}" + " ".join(f"{sum(a == g and b == p for a, b in zip(gold, pred)):>5}" for p in ROLES))
    return macro


def stratified_folds(labels: np.ndarray, k: int) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    folds: list[list[int]] = [[] for _ in range(k)]
    for label in np.unique(labels):
        idx = np.flatnonzero(labels == label)
        rng.shuffle(idx)
        for i, j in enumerate(idx):
            folds[i % k].append(int(j))
    return [np.array(sorted(f)) for f in folds]


def cue_scores_for(analyzer: Analyzer, texts: list[str]) -> list[dict[str, float]]:
    out = []
    for doc in analyzer.nlp.pipe(texts, batch_size=64):
        spans = analyzer.index.match(doc)
        out.append(analyzer.index.role_scores(spans, [(0, len(doc.text))])[0])
    return out


def cross_validate(analyzer: Analyzer, encoder, k: int) -> None:
    texts, labels = load_exemplars()
    y = np.array([ROLES.index(label) for label in labels])
    x = exemplar_vectors(encoder, texts)
    cues = cue_scores_for(analyzer, texts)
    settings = analyzer.settings.encoder
    cue = CueClassifier(analyzer.settings.confidence)
    gold = [ROLES[i] for i in y]
    print(f"\n#### {k}-fold stratified cross-validation over {len(texts)} exemplars")
    scores_table(gold, [cue.decide(c).role for c in cues], "cue patterns only")
    for head_kind in ("centroid", "logistic"):
        pred_head, pred_combined = [""] * len(y), [""] * len(y)
        for fold in stratified_folds(y, k):
            train = np.setdiff1d(np.arange(len(y)), fold)
            clf = _classifier_from(encoder, settings, cue, [texts[i] for i in train], x[train], y[train], head_kind)
            probs = clf.head.predict_proba(x[fold])
            for j, i in enumerate(fold):
                pred_head[i] = ROLES[int(probs[j].argmax())]
                pred_combined[i] = clf._decide(probs[j], cues[i], "").role
        scores_table(gold, pred_head, f"encoder + {head_kind} head")
        scores_table(gold, pred_combined, f"encoder + {head_kind} head + certain cues + 'other' when unsure")


def _classifier_from(encoder, settings, cue, texts, vectors, labels, head_kind) -> EncoderClassifier:
    clf = EncoderClassifier.__new__(EncoderClassifier)
    clf.encoder, clf.cue, clf.texts, clf.labels, clf.vectors = encoder, cue, texts, labels, vectors
    clf.min_confidence = settings.min_confidence
    clf.certain_cue = settings.certain_cue_score
    clf.head = make_head(head_kind).fit(vectors, labels, len(ROLES))
    return clf


def development_set(analyzer: Analyzer, cue_analyzer: Analyzer) -> None:
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))["explanations"]
    print(f"\n#### development set: {len(data)} whole explanations (never used for training)")
    for name, an in (("cue patterns only", cue_analyzer), ("encoder + cues (shipped)", analyzer)):
        gold, pred, part_hits, part_total, exact = [], [], 0, 0, 0
        for item in data:
            sentences = item["sentences"]
            text = " ".join(s["text"] for s in sentences)
            report = an.analyse(Document(file=item["id"], text=text), "explanation")
            labelled = {s["text"].strip(): s["role"] for s in sentences}
            for s in report.doc.sentences:
                if s.text in labelled:
                    gold.append(labelled[s.text])
                    pred.append(s.role)
            want = {p: any(s["role"] == p for s in sentences) for p in PARTS}
            got = {p: report.framework["parts"][p]["present"] for p in PARTS}
            part_hits += sum(want[p] == got[p] for p in PARTS)
            part_total += len(PARTS)
            exact += want == got
        scores_table(gold, pred, f"dev set, {name}")
        print(f"  part presence: {part_hits}/{part_total} = {part_hits / part_total:.3f} of parts right; "
              f"{exact}/{len(data)} explanations with all four right")


def speed(encoder) -> None:
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))["explanations"]
    texts = [s["text"] for item in data for s in item["sentences"]]
    encoder.encode(texts[:8])
    start = time.perf_counter()
    encoder.encode(texts)
    took = time.perf_counter() - start
    print(f"\n#### speed\n  encoding: {len(texts) / took:.0f} sentences/s ({len(texts)} sentences, {encoder.name})")
    code = ("import time; t=time.perf_counter(); from coach.roles.encoder import load_encoder; e=load_encoder(); "
            "e.encode(['warm up']); print(time.perf_counter()-t)")
    for backend in ("onnx", "transformers"):
        env = {**os.environ, "COACH_ENCODER_BACKEND": backend, "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
        value = out.stdout.strip().splitlines()[-1] if out.returncode == 0 else "unavailable"
        print(f"  cold encoder load ({backend} backend, fresh process, incl. imports): {value} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    encoder = load_encoder()
    analyzer = Analyzer()
    cue_analyzer = Analyzer(use_encoder=False)
    cross_validate(analyzer, encoder, args.folds)
    development_set(analyzer, cue_analyzer)
    speed(encoder)


if __name__ == "__main__":
    main()
