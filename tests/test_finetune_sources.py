"""The fine-tuned encoder never read the writers its thresholds are measured on (issue 12: thresholds are
chosen writer by writer on drafts the encoder never saw, as a new applicant's draft is)."""

from __future__ import annotations

import pytest

from coach.resources import rubric_dir
from coach.roles.encoder import FINETUNED, FINETUNED_SOURCES
from coach.roles.training import load_training
from coach.rubric import load_rubric
from coach.settings import settings_of
from tests.tool_loading import load_tool


def _tool():
    pytest.importorskip("torch")
    return load_tool("finetune_encoder")


def test_the_shipped_encoder_learnt_from_none_of_the_unseen_writers():
    tool = _tool()
    assert FINETUNED.is_file()
    learnt = set(FINETUNED_SOURCES.read_text(encoding="utf-8").split())
    folder = rubric_dir() / "exemplars"
    assert all((folder / name).is_file() for name in [*learnt, *tool.UNSEEN])
    assert not learnt & set(tool.UNSEEN)
    unseen = set(tool.UNSEEN)
    assert sum(n.startswith("explanations_") for n in unseen) >= 3  # flags_eval measures on at least 3 writers
    assert sum(n.startswith("emails_") for n in unseen) >= 3


def test_the_fine_tuning_rows_leave_out_every_sentence_of_an_unseen_writer():
    tool = _tool()
    settings = settings_of(load_rubric()).flags
    data = load_training(settings.names)
    kept_out = "explanations_g.yaml"
    theirs = {t for e in data.drafts if e.source == kept_out for t in e.texts}
    elsewhere = {t for e in data.drafts if e.source != kept_out for t in e.texts}
    elsewhere |= {t for t, _ in data.role_examples}
    elsewhere |= {t for pos, neg in data.flag_examples.values() for t in (*pos, *neg)}
    only_theirs = theirs - elsewhere
    assert only_theirs
    with_them = {t for t, _, _ in tool.rows(settings, frozenset())}
    rows = tool.rows(settings, frozenset({kept_out}))
    assert only_theirs & with_them
    assert not only_theirs & {t for t, _, _ in rows}
    email_texts = {t for e in data.emails for t in e.texts}
    assert any("nrmp_error" in marks for t, _, marks in rows if t in email_texts)  # whole emails teach NRMP too
