"""coach's dictionary-driven attribute rules give every token exactly what spaCy's attribute_ruler gives it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# The ruler's exceptions, each written to fire: contractions, "gonna", "y'all", pronoun cases, expletive
# "there", auxiliaries, a "but" used as an adverb, whitespace tokens and a line break.
EXCEPTIONS = (
    "I ain't gonna pretend it wasn't hard, and y'all know we gotta keep going.  Let's c'mon and see.\n\n"
    "There were two attempts; there is one result. It gets better and it got better for me and you. "
    "Did I have to? I did, and I had done it. They gave it to me, and I told you it was done. "
    "All but one passed. Whatever happened, which was mine, that is what I changed.\tThe end."
)

CHUNKS = 3  # runs of 40 labelled sentences read from each file of examples


def _texts() -> list[str]:
    texts = [EXCEPTIONS]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").rglob("*.txt"))]
    for path in sorted((ROOT / "rubrics" / "exemplars").glob("*.yaml")):
        lines = [line for line in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))]
        # every writer's voice, but a fixed share of each: the test's time must not grow with the examples
        texts += [" ".join(lines[i:i + 40]) for i in range(0, min(len(lines), CHUNKS * 40), 40)]
    return texts


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node] if " " in node else []
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.norm_, t.is_sent_start) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    from coach.nlp import MODEL, _import_spacy_without_torch, get_nlp

    coach_nlp = get_nlp()
    stock = _import_spacy_without_torch().load(MODEL, exclude=["ner"])  # spaCy's own attribute_ruler
    stock.add_pipe("coach_sentence_starts", before="parser")
    stock.add_pipe("coach_lemma_norms", last=True)
    return coach_nlp, stock


def test_coach_uses_its_own_attribute_rules(pipelines):
    coach_nlp, stock = pipelines
    assert "coach_attributes" in coach_nlp.pipe_names and "attribute_ruler" not in coach_nlp.pipe_names
    assert "attribute_ruler" in stock.pipe_names


def test_every_token_gets_what_spacys_attribute_ruler_gives_it(pipelines):
    coach_nlp, stock = pipelines
    texts = _texts()
    assert len(texts) > 100
    tokens = 0
    for ours, theirs in zip(coach_nlp.pipe(texts), stock.pipe(texts)):
        assert _annotations(ours) == _annotations(theirs)
        tokens += len(ours)
    assert tokens > 50_000


def test_the_exceptions_fire(pipelines):
    """The comparison above would pass if neither pipeline applied the exceptions: check some do."""
    doc = pipelines[0](EXCEPTIONS)
    lemma = {t.text: t.lemma_ for t in doc}
    assert lemma["gon"] == "go" and lemma["ai"] == "be" and lemma["y'"] == "you"
    assert [t.pos_ for t in doc if t.text == "There"] == ["PRON"]


def test_a_ruler_with_a_pattern_it_cannot_read_is_left_to_spacy():
    from coach.matching.attributes import readable

    class Ruler:
        def __init__(self, spec):
            self.patterns = [{"patterns": [[spec]], "attrs": {"POS": "X"}, "index": 0}]

    assert readable(Ruler({"LOWER": "gon", "TAG": {"IN": ["VB"]}}))
    assert not readable(Ruler({"LOWER": "gon", "OP": "?"}))
    assert not readable(Ruler({"SHAPE": "xx"}))
    assert not readable(Ruler({"LENGTH": {">=": 2}}))
