"""Heads over sentence vectors (logistic, or with one hidden layer), and the features that let a head read a
sentence in its place."""

from __future__ import annotations

import numpy as np


def context_features(vectors: np.ndarray) -> np.ndarray:
    """Each sentence's vector beside the mean of its neighbours' (the one before and the one after; zeros
    where there is none) and the mean of the whole draft. Neither mean says which sentence came first, so the
    head learns what a sentence's surroundings are about, not the framework's usual order: a draft
    written out of order is still read for what each sentence does (benchmarks/roles_eval.py measures
    both). The draft's mean tells a long draft's parts apart: on the writers held out in turn, role
    accuracy 0.969 -> 0.972 (drafts of ten sentences or more 0.926 -> 0.933), all four parts right 0.959 ->
    0.967."""
    prev, nxt = _neighbours(vectors)
    return np.hstack([vectors, (prev + nxt) / 2, _draft_mean(vectors)]).astype(np.float32)


def _draft_mean(vectors: np.ndarray) -> np.ndarray:
    """The mean of the whole draft beside each sentence (zeros for a sentence alone, as the labelled single
    sentences are learnt)."""
    return _mean_on_each_row(vectors) if len(vectors) > 1 else np.zeros_like(vectors)


def _mean_on_each_row(vectors: np.ndarray) -> np.ndarray:
    return np.repeat(vectors.mean(axis=0, keepdims=True), len(vectors), axis=0)


def _neighbours(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's previous and next sentence vectors (zeros where there is none)."""
    n, dim = vectors.shape
    zero = np.zeros((1, dim), dtype=np.float32)
    prev = np.vstack([zero, vectors[:-1]])[:n]
    nxt = np.vstack([vectors[1:], zero])[-n:] if n else prev
    return prev, nxt


def isolated_features(vectors: np.ndarray) -> np.ndarray:
    """Features of sentences met on their own (labelled examples): no neighbours, no draft."""
    return np.hstack([vectors, np.zeros_like(vectors), np.zeros_like(vectors)]).astype(np.float32)


def neighbour_features(vectors: np.ndarray) -> np.ndarray:
    """For the flag heads: each sentence's vector, then the one before it, then the one after it (zeros where
    there is none), then the mean of the whole draft. Unlike the roles' mean, the neighbours keep their
    direction: a hardship followed by ownership is context, the same hardship followed by nothing of the
    writer's is an excuse. The draft's mean says what the rest of it does: a detail in a draft that dwells
    on detail, or a circumstance in a draft that never owns the result."""
    prev, nxt = _neighbours(vectors)
    return np.hstack([vectors, prev, nxt, _mean_on_each_row(vectors)]).astype(np.float32)


def alone_features(vectors: np.ndarray) -> np.ndarray:
    """neighbour_features of sentences met on their own (labelled examples): no neighbours, and the sentence
    is its whole draft."""
    return np.hstack([vectors, np.zeros_like(vectors), np.zeros_like(vectors), vectors]).astype(np.float32)


class LogisticHead:
    """Multinomial logistic regression with balanced class weights and an L2 penalty, fit by full-batch
    gradient descent with Nesterov momentum from zeros: deterministic, numpy only."""

    def __init__(self, l2: float, steps: int = 400, rate: float = 2.0) -> None:
        self.l2, self.steps, self.rate = l2, steps, rate
        self.w = np.zeros((0, 0), dtype=np.float32)
        self.b = np.zeros(0, dtype=np.float32)

    def fit(self, x: np.ndarray, y: np.ndarray, classes: int) -> LogisticHead:
        weight, onehot = _balanced(y, classes)
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

    @property
    def inputs(self) -> int:
        return self.w.shape[0]

    def arrays(self) -> dict[str, np.ndarray]:
        return {"w": self.w, "b": self.b}


class HiddenLayerHead:
    """A softmax over one hidden layer of ReLU units, with balanced class weights and an L2 penalty, fit by
    full-batch Adam from a seeded start: deterministic, numpy only. For a flag a line cannot separate (a
    question about documents from a question about one's standing, both polite requests to the program)."""

    def __init__(self, l2: float, hidden: int, steps: int = 300, rate: float = 0.01, seed: int = 7) -> None:
        self.l2, self.hidden, self.steps, self.rate, self.seed = l2, hidden, steps, rate, seed
        self.params: list[np.ndarray] = []

    def fit(self, x: np.ndarray, y: np.ndarray, classes: int) -> HiddenLayerHead:
        rng = np.random.default_rng(self.seed)
        weight, onehot = _balanced(y, classes)
        d, h = x.shape[1], self.hidden
        params = [rng.normal(0, np.sqrt(2 / d), (d, h)).astype(np.float32), np.zeros(h, np.float32),
                  rng.normal(0, np.sqrt(1 / h), (h, classes)).astype(np.float32), np.zeros(classes, np.float32)]
        first, second = [np.zeros_like(a) for a in params], [np.zeros_like(a) for a in params]
        for step in range(1, self.steps + 1):
            pre = x @ params[0] + params[1]
            act = np.maximum(pre, 0)
            grad = (softmax(act @ params[2] + params[3]) - onehot) * weight
            back = (grad @ params[2].T) * (pre > 0)
            grads = (x.T @ back + self.l2 * params[0], back.sum(0), act.T @ grad + self.l2 * params[2], grad.sum(0))
            for i, g in enumerate(grads):
                first[i] = 0.9 * first[i] + 0.1 * g
                second[i] = 0.999 * second[i] + 0.001 * g * g
                mean, scale = first[i] / (1 - 0.9 ** step), np.sqrt(second[i] / (1 - 0.999 ** step))
                params[i] -= self.rate * mean / (scale + 1e-8)
        self.params = params
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        w1, b1, w2, b2 = self.params
        return softmax(np.maximum(x @ w1 + b1, 0) @ w2 + b2)

    @property
    def inputs(self) -> int:
        return self.params[0].shape[0]

    def arrays(self) -> dict[str, np.ndarray]:
        return dict(zip(("w1", "b1", "w2", "b2"), self.params))


def make_head(l2: float, hidden: int = 0) -> LogisticHead | HiddenLayerHead:
    """A flag's head: logistic, or with a hidden layer of `hidden` units (flags.yaml `hidden`)."""
    return HiddenLayerHead(l2, hidden) if hidden else LogisticHead(l2)


def head_from(arrays: dict[str, np.ndarray], l2: float) -> LogisticHead | HiddenLayerHead:
    """A head read back from the arrays its `arrays()` gave."""
    if "w1" in arrays:
        head = HiddenLayerHead(l2, arrays["w1"].shape[1])
        head.params = [arrays[k].astype(np.float32) for k in ("w1", "b1", "w2", "b2")]
        return head
    head = LogisticHead(l2)
    head.w, head.b = arrays["w"].astype(np.float32), arrays["b"].astype(np.float32)
    return head


def _balanced(y: np.ndarray, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's weight (every class weighs the same in all, the whole summing to one) and its one-hot label."""
    counts = np.bincount(y, minlength=classes).astype(np.float32)
    weight = (len(y) / (classes * np.maximum(counts, 1)))[y][:, None] / len(y)
    return weight, np.eye(classes, dtype=np.float32)[y]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
