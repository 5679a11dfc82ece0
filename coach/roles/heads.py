"""Logistic heads over sentence vectors, and the features that let a head read a sentence in its place."""

from __future__ import annotations

import numpy as np


def context_features(vectors: np.ndarray) -> np.ndarray:
    """Each sentence's vector beside the mean of its neighbours' (the one before and the one after; zeros
    where there is none). The mean does not say which neighbour came first, so the head learns what a
    sentence's surroundings are about, not the framework's usual order: a draft written out of order is
    still read for what each sentence does (benchmarks/roles_eval.py measures both)."""
    prev, nxt = _neighbours(vectors)
    return np.hstack([vectors, (prev + nxt) / 2]).astype(np.float32)


def _neighbours(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's previous and next sentence vectors (zeros where there is none)."""
    n, dim = vectors.shape
    zero = np.zeros((1, dim), dtype=np.float32)
    prev = np.vstack([zero, vectors[:-1]])[:n]
    nxt = np.vstack([vectors[1:], zero])[-n:] if n else prev
    return prev, nxt


def isolated_features(vectors: np.ndarray) -> np.ndarray:
    """Features of sentences met on their own (labelled examples): no neighbours."""
    return np.hstack([vectors, np.zeros_like(vectors)]).astype(np.float32)


def neighbour_features(vectors: np.ndarray) -> np.ndarray:
    """For the flag heads: each sentence's vector, then the one before it, then the one after it (zeros where
    there is none). Unlike the roles' mean, this keeps the direction: a hardship followed by ownership is
    context, the same hardship followed by nothing of the writer's is an excuse."""
    prev, nxt = _neighbours(vectors)
    return np.hstack([vectors, prev, nxt]).astype(np.float32)


def alone_features(vectors: np.ndarray) -> np.ndarray:
    """neighbour_features of sentences met on their own (labelled examples): no neighbours."""
    return np.hstack([vectors, np.zeros_like(vectors), np.zeros_like(vectors)]).astype(np.float32)


class LogisticHead:
    """Multinomial logistic regression with balanced class weights and an L2 penalty, fit by full-batch
    gradient descent with Nesterov momentum from zeros: deterministic, numpy only."""

    def __init__(self, l2: float, steps: int = 400, rate: float = 2.0) -> None:
        self.l2, self.steps, self.rate = l2, steps, rate
        self.w = np.zeros((0, 0), dtype=np.float32)
        self.b = np.zeros(0, dtype=np.float32)

    def fit(self, x: np.ndarray, y: np.ndarray, classes: int) -> LogisticHead:
        counts = np.bincount(y, minlength=classes).astype(np.float32)
        weight = (len(y) / (classes * np.maximum(counts, 1)))[y][:, None] / len(y)
        onehot = np.eye(classes, dtype=np.float32)[y]
        w = np.zeros((x.shape[1], classes), dtype=np.float32)
        b = np.zeros(classes, dtype=np.float32)
        vw, vb = np.zeros_like(w), np.zeros_like(b)
        for _ in range(self.steps):
            lw, lb = w + 0.9 * vw, b + 0.9 * vb
            grad = (softmax(x @ lw + lb) - onehot) * weight
            vw = 0.9 * vw - self.rate * (x.T @ grad + self.l2 * lw)
            vb = 0.9 * vb - self.rate * grad.sum(0)
            w, b = w + vw, b + vb
        self.w, self.b = w, b
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return softmax(x @ self.w + self.b)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
