"""The encoder role classifier: sentence vectors, a small head fit from rubrics/exemplars/roles.yaml,
and the cue patterns where they are certain.

The exemplars' vectors are computed once and kept: the wheel ships rubrics/exemplars/roles.vectors.npz
(rebuilt with `python -m coach.roles.model`), and when an advisor edits the exemplars, new vectors are
computed on first use and cached in ~/.cache/coach.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from ..report import ROLES
from ..resources import cache_dir, rubric_dir
from ..settings import EncoderSettings, FlagSettings
from .cues import CueClassifier, RoleDecision
from .heads import context_features
from .training import HeadSettings, load_exemplars, load_heads

SHIPPED_VECTORS = "roles.vectors.npz"


def exemplar_digest(texts: list[str], model_name: str) -> str:
    return hashlib.sha256(json.dumps([model_name, texts]).encode()).hexdigest()[:16]


def exemplar_vectors(encoder, texts: list[str], directory: Path | None = None,
                     shipped_name: str = SHIPPED_VECTORS, cache_prefix: str = "roles") -> np.ndarray:
    """The exemplars' vectors: the shipped file when its digest matches, else the user cache, else computed
    (and cached)."""
    digest = exemplar_digest(texts, encoder.identity)
    shipped = (directory or rubric_dir()) / "exemplars" / shipped_name
    cache = cache_dir() / f"{cache_prefix}-{digest}.npy"
    for path in (shipped, cache):
        vectors = _read_vectors(path, digest)
        if vectors is not None:
            return vectors
    vectors = encoder.encode(texts)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp.npy")
        np.save(tmp, vectors.astype(np.float16))
        tmp.replace(cache)
    except OSError:
        pass  # a read-only home only costs the time to recompute
    return vectors


def _read_vectors(path: Path, digest: str) -> np.ndarray | None:
    try:
        if path.suffix == ".npz":
            with np.load(path) as data:
                return data["vectors"].astype(np.float32) if str(data["digest"]) == digest else None
        return np.load(path).astype(np.float32) if path.is_file() else None
    except (OSError, ValueError, KeyError):
        return None


def write_shipped_vectors(encoder, directory: Path | None = None, texts: list[str] | None = None,
                          shipped_name: str = SHIPPED_VECTORS) -> Path:
    """Compute and write the shipped vectors (the role exemplars unless `texts` is given)."""
    if texts is None:
        texts, _ = load_exemplars(directory)
    vectors = encoder.encode(texts)
    path = (directory or rubric_dir()) / "exemplars" / shipped_name
    digest = exemplar_digest(texts, encoder.identity)
    np.savez_compressed(path, vectors=vectors.astype(np.float16), digest=digest)
    return path


class SoftmaxHead:
    """Multinomial logistic regression on unit vectors, fit by full-batch gradient descent (deterministic)."""

    def __init__(self, l2: float = 1e-4, steps: int = 1000, rate: float = 4.0) -> None:
        self.l2, self.steps, self.rate = l2, steps, rate

    def fit(self, x: np.ndarray, y: np.ndarray, classes: int) -> SoftmaxHead:
        w = np.zeros((x.shape[1], classes), dtype=np.float32)
        b = np.zeros(classes, dtype=np.float32)
        onehot = np.eye(classes, dtype=np.float32)[y]
        for _ in range(self.steps):
            p = _softmax(x @ w + b)
            grad = (p - onehot) / len(x)
            w -= self.rate * (x.T @ grad + self.l2 * w)
            b -= self.rate * grad.sum(0)
        self.w, self.b = w, b
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return _softmax(x @ self.w + self.b)


class CentroidHead:
    """Nearest centroid by cosine, with a softmax over similarities as the confidence."""

    def __init__(self, temperature: float = 0.05) -> None:
        self.temperature = temperature

    def fit(self, x: np.ndarray, y: np.ndarray, classes: int) -> CentroidHead:
        c = np.stack([x[y == k].mean(0) for k in range(classes)])
        self.centroids = c / np.linalg.norm(c, axis=1, keepdims=True)
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return _softmax((x @ self.centroids.T) / self.temperature)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def make_head(kind: str, l2: float = 1e-4):
    return CentroidHead() if kind == "centroid" else SoftmaxHead(l2=l2)


class EncoderClassifier:
    """Sentence roles read in context: each sentence's vector beside its neighbours' and its position, through
    the role head fit on whole labelled explanations (coach.roles.training). Cue patterns overrule only where
    they are overwhelming; a sentence the head is unsure of is "other" (uncertain). It also carries the flag
    heads, fit from the same data and read by coach.checks.flags."""

    def __init__(self, encoder, settings: EncoderSettings, cue: CueClassifier, flags: FlagSettings,
                 directory: Path | None = None) -> None:
        from .flags import FlagModel

        self.encoder = encoder
        self.cue = cue
        self.name = f"encoder {encoder.name} read in context + cue patterns"
        self.min_confidence = settings.min_confidence
        self.certain_cue = settings.certain_cue_score
        heads, notice = load_heads(encoder, HeadSettings.of(settings, flags), directory)
        self.notices = [notice] if notice else []
        self.head = heads.role
        self.flag_model = FlagModel(heads, flags)
        self.texts, _ = load_exemplars(directory)  # the closest labelled example, for --explain
        self.vectors = exemplar_vectors(encoder, self.texts, directory)

    def classify(self, texts: list[str], cue_scores: list[dict[str, float]]) -> list[RoleDecision]:
        if not texts:
            return []
        vectors = self.encoder.encode(texts)
        probs = self.head.predict_proba(context_features(vectors))
        nearest = (vectors @ self.vectors.T).argmax(axis=1)
        rows = zip(probs, cue_scores, nearest, vectors, strict=True)
        return [self._decide(p, scores, self.texts[n], v) for p, scores, n, v in rows]

    def _decide(self, p: np.ndarray, scores: dict[str, float], nearest: str,
                vector: np.ndarray | None = None) -> RoleDecision:
        probs = tuple(round(float(v), 4) for v in p)
        ranked = sorted(scores.values(), reverse=True) + [0.0, 0.0]
        if ranked[0] >= self.certain_cue and ranked[0] - ranked[1] >= 2:
            cue = self.cue.decide(scores)
            role = cue.role
            agree = ROLES[int(p.argmax())] == role
            confidence = max(float(p[ROLES.index(role)]), cue.confidence)
            return RoleDecision(role, round(confidence, 3), "cue+encoder" if agree else "cue", nearest, probs,
                                vector)
        best = int(p.argmax())
        if p[best] < self.min_confidence:
            return RoleDecision("other", round(float(1 - p[best]), 3), "uncertain", nearest, probs, vector)
        return RoleDecision(ROLES[best], round(float(p[best]), 3), "encoder", nearest, probs, vector)


if __name__ == "__main__":
    from .encoder import load_encoder

    print(write_shipped_vectors(load_encoder()))
