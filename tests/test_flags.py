"""Flags recognised by meaning: the heads catch what no phrase rule names, merge with the rules, keep good
drafts clean, say what found them, and are fit again when the labelled examples change."""

from __future__ import annotations

import dataclasses
import json
import shutil

import numpy as np
import pytest

from coach.errors import RubricError
from coach.resources import rubric_dir
from coach.roles.heads import neighbour_features
from coach.roles.training import SHIPPED_HEADS, HeadSettings, fit_heads, heads_digest, load_heads, load_training
from tests.conftest import SAMPLES, analyse_text, run_cli


@pytest.fixture(scope="module")
def impl(encoder_classifier):
    return encoder_classifier


def _model(report, category: str) -> list:
    return [f for f in report.findings if f.category == category and f.source in ("model", "both")]


# Written for these tests (none is in rubrics/exemplars/ or benchmarks/blind/); no phrase rule names them.
OVERSHARING = ("In the weeks before the exam I stopped eating properly, lost nine kilograms and spent most "
               "nights awake, shaking and crying on the bathroom floor.")
VAGUE = "Since then I have become a completely different and much stronger person."
CONDITIONAL = ("Should I hear that I am being seriously considered, I would happily make your program the "
               "only one I list.")


def test_oversharing_with_no_rule_word_is_flagged_by_the_model(analyzer, impl):
    text = f"I failed Step 1 in 2022. {OVERSHARING} I passed on my second attempt with 231."
    found = _model(analyse_text(analyzer, text, "explanation"), "oversharing")
    assert found and found[0].source == "model" and 0 < found[0].confidence <= 1
    assert found[0].excerpt == OVERSHARING
    assert found[0].rule == "oversharing.model"


def test_vague_growth_is_flagged_and_concrete_growth_is_not(analyzer, impl):
    vague = analyse_text(analyzer, f"I failed Step 2 CK once. {VAGUE}", "explanation")
    assert _model(vague, "growth")
    concrete = ("I failed Step 2 CK once. I then completed every UWorld block in timed mode and took four NBME "
                "forms, and my scores rose from 201 to 238.")
    assert not _model(analyse_text(analyzer, concrete, "explanation"), "growth")


def test_a_growth_opener_followed_by_the_specifics_is_not_called_vague(analyzer, impl, monkeypatch):
    """A sentence that opens the growth part ("Since then, my preparation looks very different.") and is
    followed by the plan itself is not told it names no change; with flags.yaml's opener_below at 0 it would
    be, and a plain vague claim before the same specifics still is."""
    draft = ("My Step 1 score is 209. I studied from notes alone and did not test myself under time, which is on "
             "me. {growth} I now keep a written schedule, do forty timed questions every morning, and passed Step 3 "
             "with a 231 in 2023. I hope to bring this habit to your program.")
    opener = draft.format(growth="Since then, my preparation looks very different.")
    assert not _model(analyse_text(analyzer, opener, "explanation"), "growth")
    assert _model(analyse_text(analyzer, draft.format(growth="The failure made me a better learner."),
                               "explanation"), "growth")
    flags = analyzer.settings.flags
    heads = {**flags.heads, "vague_growth": dataclasses.replace(flags.heads["vague_growth"], opener_below=0.0)}
    monkeypatch.setattr(analyzer, "settings", dataclasses.replace(
        analyzer.settings, flags=dataclasses.replace(flags, heads=heads)))
    assert _model(analyse_text(analyzer, opener, "explanation"), "growth")


def test_growth_told_as_a_later_pass_and_work_done_is_not_called_effort_without_evidence(analyzer, impl):
    """Growth shown by results (a pass with its score, a year of work) rather than by a named resource is
    concrete: the draft is not told its growth gives no concrete change; growth with none is told so."""
    draft = ("I failed Step 1 in 2021. I studied alone and never sat a timed practice test, and that was my "
             "mistake. I passed on my second attempt with a 228. Since then I have worked for a year as a medical "
             "officer in a district hospital in Kisumu. I will bring the same steadiness to residency.")
    report = analyse_text(analyzer, draft, "explanation")
    assert [s.role for s in report.doc.sentences][2:4] == ["growth", "growth"]
    assert not [f for f in report.findings if f.category == "growth"]
    effort = draft.replace("I passed on my second attempt with a 228.", "After that I tried much harder.").replace(
        "Since then I have worked for a year as a medical officer in a district hospital in Kisumu.",
        "Since then I have tried to do better in everything.")
    assert [f for f in analyse_text(analyzer, effort, "explanation").findings if f.category == "growth"]


def test_a_conditional_offer_without_rank_words_is_an_nrmp_error(analyzer, impl):
    email = (f"Dear Dr. Osei,\n\nThank you for the interview on Monday and the tour of the county clinic. "
             f"{CONDITIONAL}\n\nSincerely,\nAmaka Eze\n")
    found = [f for f in _model(analyse_text(analyzer, email, "email"), "nrmp") if f.severity == "error"]
    assert found and "only one I list" in found[0].excerpt


def test_a_question_about_the_programs_size_is_not_a_question_about_ones_standing(analyzer, impl):
    """Asking how many places a program fills is allowed; asking how many applicants it will list is not."""
    thanks = "Dear Dr. Alvarez,\n\nThank you for Tuesday's interview and the walk through the county wards."
    allowed = "One practical question: how many first-year residents does the program take in July?"
    barred = "One practical question: how many of the applicants you met will make it onto your list?"
    errors = {}
    for name, question in (("allowed", allowed), ("barred", barred)):
        email = f"{thanks} {question}\n\nSincerely,\nNadia Haddad\n"
        errors[name] = [f for f in analyse_text(analyzer, email, "email").findings
                        if f.category == "nrmp" and f.severity == "error"]
    assert not errors["allowed"]
    assert errors["barred"] and "onto your list" in errors["barred"][0].excerpt


def test_the_nrmp_heads_read_each_sentences_words_as_they_were_fit(analyzer, impl):
    """flags.yaml `words`: the finding's confidence is the head's own reading of the vector and the words."""
    from coach.document import encoder_text
    from coach.roles.words import BUCKETS, with_words

    weight = analyzer.settings.flags.words["nrmp_error"]
    head = impl.flag_model.heads.flags["nrmp_error"]
    assert weight > 0 and head.inputs == impl.encoder.size + BUCKETS
    email = f"Dear Dr. Osei,\n\nThank you for the interview on Monday.\n\n{CONDITIONAL}\n\nSincerely,\nAmaka Eze\n"
    report = analyse_text(analyzer, email, "email")
    texts = [encoder_text(report.doc, s) for s in report.doc.sentences]
    i = next(n for n, t in enumerate(texts) if "only one I list" in t)
    expected = head.predict_proba(with_words(impl.encoder.encode(texts), texts, weight))[i, 1]
    found = [f for f in _model(report, "nrmp") if f.severity == "error"]
    assert found and found[0].confidence == round(float(expected), 3)


HARDSHIP = "My father was admitted to intensive care three weeks before my exam."
OPENING, CLOSING = ("I scored 208 on Step 2 CK.", "Since then I have set a rule to reschedule when my practice "
                    "scores drop. I will bring that honesty about readiness to residency.")


def test_the_same_hardship_reads_as_an_excuse_only_when_nothing_of_the_writers_follows(analyzer, impl):
    """The flag heads read a sentence with its neighbours: the hardship followed by ownership is context."""
    owned = f"{OPENING} {HARDSHIP} Even so, I chose not to postpone, and that decision was mine. {CLOSING}"
    excused = f"{OPENING} {HARDSHIP} That is why my score does not show what I know. {CLOSING}"
    probability, found = {}, {}
    for name, text in (("owned", owned), ("excused", excused)):
        report = analyse_text(analyzer, text, "explanation")
        i = [s.text for s in report.doc.sentences].index(HARDSHIP)
        hardship = report.doc.sentences[i]
        found[name] = [f for f in report.findings if f.category in ("blame", "excuse")
                       and hardship.start <= f.start < hardship.end]
        features = neighbour_features(np.vstack([s.vector for s in report.doc.sentences]))
        probability[name] = impl.flag_model.heads.flags["blame_or_excuse"].predict_proba(features)[i, 1]
    assert not found["owned"]
    assert probability["excused"] > probability["owned"] + 0.15, probability


WORD_TYPED = ("I failed Step 1 in 2022. I didn't tell anyone how bad it was, I couldn't eat, I'd lost nine kilos "
              'and I cried before every "practice" block. Since then I\'ve passed Step 2 CK with 231.')


def test_a_draft_typed_in_word_gets_the_same_flags_as_the_same_draft_typed_plainly(analyzer, impl):
    """Word curls apostrophes and quotes; the encoder and the heads learnt from plain ones."""
    curly = WORD_TYPED.replace("'", "\u2019").replace(' "', " \u201c").replace('" ', "\u201d ")
    plain, word = (analyse_text(analyzer, t, "explanation") for t in (WORD_TYPED, curly))
    assert _model(plain, "oversharing")
    assert [(f.rule, f.source, f.confidence, f.start) for f in word.findings if f.source] == \
        [(f.rule, f.source, f.confidence, f.start) for f in plain.findings if f.source]
    assert [s.role for s in word.doc.sentences] == [s.role for s in plain.doc.sentences]


def test_good_samples_gain_no_model_finding(analyzer, impl):
    for name in ("explanation-good.txt", "email-good.txt", "interview-good.txt", "statement-strong.txt"):
        text = (SAMPLES / name).read_text(encoding="utf-8")
        report = analyse_text(analyzer, text, name=name)
        assert not [f for f in report.findings if f.source in ("model", "both")], name


def test_rule_and_model_on_one_sentence_make_one_finding(analyzer, impl):
    text = ("I failed Step 1. I was so anxious I could barely function, cried every night and could not eat "
            "for weeks before the exam. I passed on my second attempt.")
    report = analyse_text(analyzer, text, "explanation")
    sentence = report.doc.sentences[1]
    inside = [f for f in report.findings if f.category == "oversharing" and sentence.start <= f.start < sentence.end]
    assert inside and {f.source for f in inside} <= {"rule", "both"}
    assert any(f.source == "both" and f.confidence for f in inside)


def test_json_carries_source_and_confidence(tmp_path, impl):
    draft = tmp_path / "draft.txt"
    draft.write_text(f"I failed Step 1 in 2022. {OVERSHARING} I passed on my second attempt.\n", encoding="utf-8")
    report = json.loads(run_cli("check", "--format", "json", str(draft)).stdout)
    model = [f for f in report["findings"] if f.get("source") == "model"]
    assert model and all(0 <= f["confidence"] <= 1 for f in model)
    rules = [f for f in report["findings"] if f["category"] in ("framework", "readability")]
    assert all("source" not in f for f in rules)  # only flags a head also reads carry a source


def test_explain_says_what_found_each_flag(tmp_path, impl):
    draft = tmp_path / "draft.txt"
    draft.write_text(f"I failed Step 1 in 2022. {OVERSHARING} I passed on my second attempt.\n", encoding="utf-8")
    out = run_cli("check", "--explain", "--no-color", str(draft)).stdout.decode()
    assert "found by the flag model (confidence" in out
    assert "closest labelled example:" in out


def test_the_shipped_heads_match_the_shipped_examples(impl):
    from coach.settings import settings_of

    settings = settings_of(__import__("coach.rubric", fromlist=["load_rubric"]).load_rubric())
    head_settings = HeadSettings.of(settings.encoder, settings.flags)
    heads, notice = load_heads(impl.encoder, head_settings)
    assert notice is None, "rubrics/exemplars/heads.npz is stale: run python -m coach.roles.training"
    assert heads.digest == heads_digest(load_training(head_settings.flags), impl.encoder.identity, head_settings)
    assert set(settings.flags.groups) <= set(heads.flags)  # the group heads ship too


def _one_draft(tmp_path, sentences: list[tuple[str, str, str]]):
    """A rubric folder whose only labelled draft is `sentences` ((role, flag or "", text) each), beside the
    shipped role examples; returns its exemplars folder."""
    folder = tmp_path / "rubrics" / "exemplars"
    folder.mkdir(parents=True)
    shutil.copy(rubric_dir() / "exemplars" / "roles.yaml", folder)
    lines = "".join(f"      - {{role: {role}, flags: [{flag}], text: \"{text}\"}}\n" for role, flag, text in sentences)
    (folder / "explanations_x.yaml").write_text(f"explanations:\n  - id: x1\n    sentences:\n{lines}", encoding="utf-8")
    return folder


def test_a_role_head_with_a_hidden_layer_is_written_and_read_back_whole(tmp_path, impl):
    from coach.roles.training import _read, write_heads

    folder = _one_draft(tmp_path, [("context", "", "I failed Step 1 in May."),
                                   ("responsibility", "", "I never took a practice exam."),
                                   ("growth", "", "I now do forty timed questions every morning."),
                                   ("connection", "", "I will bring that care to my patients.")])
    settings = HeadSettings(("vague_growth",), role_hidden=8)
    assert settings.key("x") != HeadSettings(("vague_growth",)).key("x")  # fit again when the size changes
    fitted = fit_heads(impl.encoder, load_training(settings.flags, folder.parent), settings)
    back = _read(write_heads(fitted, tmp_path / "heads.npz"), "digest", fitted.digest, settings)
    x = np.random.default_rng(0).normal(size=(3, fitted.role.inputs)).astype(np.float32)
    assert back is not None and back.role.arrays().keys() == {"w1", "b1", "w2", "b2"}
    assert np.allclose(back.role.predict_proba(x), fitted.role.predict_proba(x))


def test_edited_examples_are_fit_again_once_and_cached(tmp_path, monkeypatch, impl):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = _one_draft(tmp_path, [("context", "", "I failed Step 1 in May."),
                                   ("responsibility", "", "I never took a practice exam."),
                                   ("growth", "vague_growth", "I grew so much as a person."),
                                   ("connection", "", "I will bring that care to my patients.")])
    (folder / "flags_x.yaml").write_text(
        "flags:\n  blame:\n    positive: [\"The exam was written to fail people like me.\"]\n"
        "    negative: [\"My preparation was too passive.\"]\n", encoding="utf-8")
    names = ("blame", "vague_growth")
    first, notice = load_heads(impl.encoder, HeadSettings(names), tmp_path / "rubrics")
    assert notice and "fit again" in notice
    assert set(first.flags) == {"blame", "vague_growth"}
    import coach.roles.training as training

    monkeypatch.setattr(training, "load_training", lambda *a, **k: pytest.fail("parsed the example files"))
    again, notice = load_heads(impl.encoder, HeadSettings(names), tmp_path / "rubrics")
    assert notice is None and again.digest == first.digest  # from the cache, without parsing the examples
    assert again.flag_texts == first.flag_texts
    assert (tmp_path / "cache" / "coach" / f"heads-{first.files}.npz").is_file()
    assert not (folder / SHIPPED_HEADS).exists()  # the shipped file is only written by the training module


def test_implicit_blame_is_flagged_as_blame_by_the_group_head(analyzer, impl):
    """Blame and excuse are decided together (flags.yaml groups); the finding names the likelier one."""
    text = ("I failed Step 1 in 2023. Only the students whose families could pay for the private review course "
            "passed that year. I passed on my second attempt with a new schedule.")
    found = [f for f in analyse_text(analyzer, text, "explanation").findings if f.category in ("blame", "excuse")]
    assert [(f.rule, f.source) for f in found] == [("blame.model", "model")]
    assert found[0].excerpt.startswith("Only the students")


def test_owned_hardship_is_not_an_excuse(analyzer, impl):
    text = ("I failed Step 1 in 2023. I was working night shifts that month, and I should have moved my exam date "
            "instead of sitting it tired. I passed on my second attempt with a fixed daily schedule.")
    found = [f for f in analyse_text(analyzer, text, "explanation").findings if f.category in ("blame", "excuse")]
    assert found == []


def test_a_draft_that_owns_its_result_is_not_told_it_blames_or_overshares(analyzer, impl):
    """Words the phrase rules once read out of place: a schedule that "fell apart", "my weak subjects" a few
    words after "school", "I could study" said of a plan the writer owns. The same school blamed is found."""
    owned = ("I failed Step 1 in 2022 on my first attempt. My study schedule fell apart in March, and I accept "
             "that I should have postponed the exam rather than sit it unprepared. I thought I could study during "
             "my surgery rotation, and I did not protect enough time for it. After the result I asked two teachers "
             "at my school to review my weak subjects with me, and we built a ten-week plan around timed UWorld "
             "blocks. I took four NBME self-assessments, and my scores rose from 188 to 226. I passed on my second "
             "attempt with a 231. I now plan my weeks the same way on the wards, and I will bring that habit to "
             "internal medicine residency.")
    assert analyse_text(analyzer, owned, "explanation").findings == []
    blamed = owned.replace("After the result I asked two teachers at my school to review my weak subjects with "
                           "me, and", "The teachers at my school were weak and never prepared us, so after the "
                           "result")
    found = [f for f in analyse_text(analyzer, blamed, "explanation").findings if f.category == "blame"]
    assert found and found[0].rule == "blame.school"


def test_a_sentence_with_several_private_details_is_told_once(analyzer, impl):
    """Three matches of one rule in one sentence are one finding, not the same message three times; the
    next sentence with its own detail has its own."""
    text = ("I failed Step 1 in 2022. By then I had lost nine kilograms, I was on sertraline, and most nights I "
            "cried until two in the morning. Later I drank wine every night to sleep. I should have postponed "
            "the exam. I passed on my second attempt with a 229 after four NBME forms.")
    found = [f for f in analyse_text(analyzer, text, "explanation").findings if f.rule == "oversharing.detail"]
    assert [f.excerpt for f in found] == ["I had lost nine kilograms", "I drank wine every night to sleep"]


def test_a_group_head_joins_the_rule_of_either_member(analyzer, impl):
    """The group head finds "blame or excuse"; a blame rule in the same sentence is that finding, not a
    second one named excuse beside it (and dismissing the rule's finding leaves nothing behind)."""
    luck = "It was simply bad luck that the power failed twice at the test centre during my exam."
    text = f"I failed Step 1 in 2023. {luck} I passed on my second attempt with a new schedule."
    found = [f for f in analyse_text(analyzer, text, "explanation").findings if f.category in ("blame", "excuse")]
    assert [(f.rule, f.source) for f in found] == [("blame.luck", "both")]
    assert analyzer.settings.flags.groups["blame_or_excuse"].threshold <= found[0].confidence <= 1


def _write_emails(folder, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "emails_x.yaml").write_text(body, encoding="utf-8")


def test_whole_emails_teach_only_the_nrmp_flags(tmp_path):
    folder = tmp_path / "rubrics" / "exemplars"
    _write_emails(folder, "emails:\n  - id: x1\n    compliant: false\n    sentences:\n"
                          "      - {nrmp: none, text: \"Thank you for the tour of the county clinic.\"}\n"
                          "      - {nrmp: error, text: \"Could you tell me whether I should stay hopeful?\"}\n"
                          "      - {nrmp: warning, text: \"Your program is my first choice.\"}\n")
    shutil.copy(rubric_dir() / "exemplars" / "roles.yaml", folder)
    (folder / "explanations_x.yaml").write_text(
        "explanations:\n  - id: e1\n    sentences:\n"
        "      - {role: context, flags: [blame], text: \"The exam was built for other graduates.\"}\n",
        encoding="utf-8")
    data = load_training(("blame", "nrmp_error", "nrmp_warning"), tmp_path / "rubrics")
    error = data.labelled("nrmp_error")
    assert error.drafts == [(("Thank you for the tour of the county clinic.",
                              "Could you tell me whether I should stay hopeful?",
                              "Your program is my first choice."), [0, 1, 0])]
    assert data.labelled("nrmp_warning").drafts[0][1] == [0, 0, 1]
    assert [d for d, _ in data.labelled("blame").drafts] == [("The exam was built for other graduates.",)]
    assert data.drafts[error.which[0]].source == "emails_x.yaml"


def test_a_broken_email_exemplar_names_its_file_and_place(tmp_path):
    folder = tmp_path / "rubrics" / "exemplars"
    _write_emails(folder, "emails:\n  - id: x1\n    sentences:\n      - {nrmp: maybe, text: \"Hello.\"}\n")
    shutil.copy(rubric_dir() / "exemplars" / "roles.yaml", folder)
    with pytest.raises(RubricError, match=r"emails_x\.yaml.*emails\[0\]\.sentences\[0\].*none, warning, error"):
        load_training(("nrmp_error",), tmp_path / "rubrics")


def test_a_hidden_layer_separates_what_a_line_cannot_and_ships_as_it_was_fit(tmp_path):
    from coach.roles.heads import HiddenLayerHead, LogisticHead, head_from

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2)).astype(np.float32)
    y = ((x[:, 0] > 0) == (x[:, 1] > 0)).astype(np.int64)  # two opposite quadrants: no line splits them
    line = LogisticHead(1e-3).fit(x, y, 2)
    layer = HiddenLayerHead(1e-3, 16).fit(x, y, 2)
    assert ((line.predict_proba(x)[:, 1] > 0.5) == y).mean() < 0.7
    assert ((layer.predict_proba(x)[:, 1] > 0.5) == y).mean() > 0.9
    np.savez(tmp_path / "h.npz", **layer.arrays())
    with np.load(tmp_path / "h.npz") as saved:
        again = head_from(dict(saved), 1e-3)
    assert np.allclose(again.predict_proba(x), layer.predict_proba(x))
    assert HiddenLayerHead(1e-3, 16).fit(x, y, 2).arrays()["w1"].tobytes() == layer.arrays()["w1"].tobytes()


def _settings() -> HeadSettings:
    from coach.rubric import load_rubric
    from coach.settings import settings_of

    settings = settings_of(load_rubric())
    return HeadSettings.of(settings.encoder, settings.flags)


def test_a_start_with_the_shipped_examples_parses_none_of_them(impl, monkeypatch):
    import coach.roles.training as training

    monkeypatch.setattr(training, "load_training", lambda *a, **k: pytest.fail("parsed the example files"))
    heads, notice = load_heads(impl.encoder, _settings())
    assert notice is None
    assert "Could you let me know whether the committee came away with a favourable impression of my interview?" \
        in heads.flag_texts["nrmp_error"]  # the closest-example texts ship with the heads


def test_an_edit_that_changes_no_example_keeps_the_shipped_heads(impl, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copytree(rubric_dir() / "exemplars", tmp_path / "rubrics" / "exemplars")
    roles = tmp_path / "rubrics" / "exemplars" / "roles.yaml"
    roles.write_text(roles.read_text(encoding="utf-8") + "\n# an advisor's comment\n", encoding="utf-8")
    heads, notice = load_heads(impl.encoder, _settings(), tmp_path / "rubrics")
    assert notice is None  # read through the examples' content, not fit again
    shipped, _ = load_heads(impl.encoder, _settings())
    assert heads.digest == shipped.digest and heads.flag_texts == shipped.flag_texts


def test_a_flag_that_applies_to_some_roles_learns_only_from_their_sentences():
    from dataclasses import replace

    from coach.rubric import load_rubric
    from coach.settings import settings_of

    flags = settings_of(load_rubric()).flags
    assert flags.roles == {"vague_growth": ("growth",)}
    labelled = load_training(flags.names).labelled("vague_growth", flags.group_members)
    learnt = labelled.learnt(flags.roles["vague_growth"])
    examples = len(labelled.examples)
    draft_roles = [r for draft in labelled.roles for r in draft]
    assert learnt.shape == (examples + len(draft_roles),) and learnt[:examples].all()
    assert {r for r, kept in zip(draft_roles, learnt[examples:]) if kept} == {"growth"}
    assert "context" in draft_roles and labelled.learnt(()).all()  # a flag for any role learns from every sentence
    settings = HeadSettings(flags.names, roles=flags.roles)
    assert settings.key("x") != replace(settings, roles={}).key("x")  # the heads are fit again when it changes


def test_a_label_outside_the_flags_roles_teaches_its_head_nothing(tmp_path, impl):
    _one_draft(tmp_path, [("context", "", "I failed Step 1 in May."),
                          ("growth", "", "I now take a timed block every morning."),
                          ("connection", "vague_growth", "I grew so much as a person.")])
    data = load_training(("vague_growth",), tmp_path / "rubrics")
    every_role = fit_heads(impl.encoder, data, HeadSettings(("vague_growth",)))
    growth_only = fit_heads(impl.encoder, data, HeadSettings(("vague_growth",), roles={"vague_growth": ("growth",)}))
    assert "vague_growth" in every_role.flags and "vague_growth" not in growth_only.flags
