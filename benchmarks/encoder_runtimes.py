"""Which runtime should run the sentence encoder? The same sentences, the same weights, five contenders:

- the hand-written numpy forward pass coach used before issue 15 (kept here only as a contender),
- onnxruntime fp32 over coach's export before quantisation (export_onnx(quantise=False)),
- onnxruntime int8, every weight quantised per tensor (quantize_dynamic's defaults),
- onnxruntime int8 as coach ships it: weights only, in blocks (MatMulNBits), and the embedding table,
- torch (transformers' BertModel with coach's state dict),

each at 1 and 2 threads, each sentence run on its own as coach runs it (onnxruntime: two sentences at once
with 2 threads). Prints sentences/s and the parity with the reference (transformers' AutoTokenizer +
AutoModel, mean-pooled, in padded batches): max abs diff, and the lowest cosine per sentence. The bar: max
abs diff ≤ 1e-4 for fp32; cosine ≥ 0.99 per sentence for int8. Prints; asserts nothing.

    python benchmarks/encoder_runtimes.py [--sentences 364] [--runs 3]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.roles import encoder as enc  # noqa: E402


def sentences(limit: int) -> list[str]:
    """Sentences of the samples and the labelled development explanations (spaCy's split)."""
    import yaml

    from coach.nlp import get_nlp

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    dev = yaml.safe_load((ROOT / "benchmarks" / "data" / "dev_explanations.yaml").read_text(encoding="utf-8"))
    out = [s["text"] for item in dev["explanations"] for s in item["sentences"]]
    out += [s.text.strip() for doc in get_nlp().pipe(texts) for s in doc.sents if s.text.strip()]
    return out[:limit]


class NumpyPass(enc._Encoder):
    """The pre-issue-15 numpy BERT (coach/roles/encoder.py at that time)."""

    name = "numpy pass (before)"

    def __init__(self) -> None:
        super().__init__()
        w = enc.load_state_dict()
        for k in [k for k in w if k.endswith(".weight") and w[k].ndim == 2 and "embeddings" not in k]:
            w[k] = np.ascontiguousarray(w[k].T)
        self.w, self.heads, self.eps = w, 12, 1e-12

    def _hidden(self, ids, mask):
        w = self.w
        h = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
        h = self._norm(h + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        bias = (1.0 - mask.astype(np.float32))[:, None, None, :] * np.finfo(np.float32).min
        for i in range(6):
            h = self._layer(h, bias, f"encoder.layer.{i}.")
        return h

    def _layer(self, h, bias, p):
        b, n, d = h.shape
        hd = d // self.heads

        def split(x):
            return x.reshape(b, n, self.heads, hd).transpose(0, 2, 1, 3)

        q, k, v = (split(self._dense(h, p + f"attention.self.{x}")) for x in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        ctx = ((scores / scores.sum(-1, keepdims=True)) @ v).transpose(0, 2, 1, 3).reshape(b, n, d)
        h = self._norm(self._dense(ctx, p + "attention.output.dense") + h, p + "attention.output.LayerNorm")
        x = self._dense(h, p + "intermediate.dense")
        inner = _gelu(x)
        return self._norm(self._dense(inner, p + "output.dense") + h, p + "output.LayerNorm")

    def _dense(self, x, name):
        weight = self.w[name + ".weight"]
        return (x.reshape(-1, x.shape[-1]) @ weight + self.w[name + ".bias"]).reshape(*x.shape[:-1], weight.shape[1])

    def _norm(self, x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]


def _gelu(x):
    z = x / math.sqrt(2.0)
    s, a = np.sign(z), np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return (0.5 * x * (1.0 + s * (1.0 - poly * np.exp(-a * a)))).astype(np.float32)


def reference(texts: list[str]) -> np.ndarray:
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = str(enc.model_path())
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in enc.load_state_dict().items()
                           if "position_ids" not in k}, strict=False)
    out = []
    with torch.inference_mode():
        for i in range(0, len(texts), 16):
            batch = tokenizer(texts[i:i + 16], padding=True, truncation=True, max_length=128, return_tensors="pt")
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (model(**batch).last_hidden_state * mask).sum(1) / mask.sum(1)
            out.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.vstack(out)


def contenders(threads: int, files: dict[str, Path]):
    os.environ["COACH_ENCODER_THREADS"] = str(threads)  # read by coach.roles.encoder.encoder_threads()
    import torch

    torch.set_num_threads(threads)
    yield "numpy pass (before)", NumpyPass()
    for name, path in files.items():
        yield name, enc.OnnxEncoder(path)
    yield "torch fp32", enc.TransformersEncoder()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=364)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    texts = sentences(args.sentences)
    ref = reference(texts)
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = Path(tempfile.mkdtemp(prefix="coach-int8-"))
    fp32 = enc.export_onnx(tmp, quantise=False)
    naive = tmp / "minilm-int8-per-tensor.onnx"
    import onnx

    quantize_dynamic(str(fp32), str(naive), weight_type=QuantType.QInt8,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})  # the graph is ORT-optimised
    files = {"onnxruntime fp32": fp32, "onnxruntime int8 per tensor": naive,
             "onnxruntime int8 (coach)": enc.find_onnx() or enc.export_onnx()}
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; {len(texts)} sentences, "
          f"one sentence per run; median of {args.runs} runs")
    for name, path in files.items():
        print(f"  {name}: {path.stat().st_size / 2**20:.0f} MiB")
    print(f"{'runtime':<28} {'threads':>7} {'sent/s':>8} {'max |diff|':>11} {'min cosine':>11}")
    for threads in (1, 2):
        for name, encoder in contenders(threads, files):
            rates = []
            for _ in range(args.runs):
                encoder._seen.clear()  # measure the model, not the LRU
                start = time.perf_counter()
                vectors = encoder.encode(texts)
                rates.append(len(texts) / (time.perf_counter() - start))
            cosine = float((vectors * ref).sum(1).min())
            print(f"{name:<28} {threads:>7} {statistics.median(rates):>8.0f} {np.abs(vectors - ref).max():>11.2e} "
                  f"{cosine:>11.4f}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
