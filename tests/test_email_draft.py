"""`coach email`: drafts from the shipped templates for the sample interviews, values printed as typed,
send-by windows, missing values, history, and the check every draft passes before it is shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coach.email.drafts import DraftRequest, available_templates, make_drafts
from coach.errors import CoachError
from coach.resources import template_dir
from tests.conftest import SAMPLES, run_cli, run_coach

INTERVIEWS = sorted((SAMPLES / "interviews").glob("*.*"))
COUNTY = str(SAMPLES / "interviews" / "county-im.yaml")
TEMPLATES = available_templates([str(template_dir() / "email")])
BASE = {"recipient": "Dr. Chen", "role": "faculty", "program": "Harbor County Hospital",
        "applicant": "Ana Lima", "interview_date": "2024-10-15",
        "appreciated": ["the continuity clinic at the county FQHC"]}


def _draft(cue_analyzer, **kw):
    kw.setdefault("today", dt.date(2024, 10, 15))
    return make_drafts(DraftRequest(**kw), cue_analyzer)


def test_the_four_templates_ship():
    assert {"program_director", "faculty", "resident", "update"} <= set(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("interview", INTERVIEWS, ids=[p.name for p in INTERVIEWS])
def test_every_template_renders_for_every_sample_and_passes_the_check(cue_analyzer, interview, template):
    drafts = _draft(cue_analyzer, interview_file=str(interview), template=template)
    assert drafts
    for draft in drafts:
        assert draft.text.startswith("Dear Dr. ")
        assert "{{" not in draft.text and "{%" not in draft.text
        assert not [f for f in draft.report.findings if f.category == "nrmp"], draft.report.findings
        assert not [f for f in draft.report.findings if f.severity in ("error", "warning")], \
            [(f.rule, f.excerpt) for f in draft.report.findings]
        assert draft.report.doc.kind == "email"
        assert draft.report.doc.words <= 200


def test_each_recipient_gets_the_template_for_their_role(cue_analyzer):
    drafts = _draft(cue_analyzer, interview_file=COUNTY)
    assert [(d.recipient, d.template) for d in drafts] == [
        ("Dr. Reyes", "program_director.j2"), ("Dr. Okafor", "faculty.j2"), ("Dr. Nair", "resident.j2")]
    reyes, okafor, nair = drafts
    assert "county's diabetes clinic" in reyes.text and "interpreters" in okafor.text
    assert "Saturday clinic" in nair.text and "4+1" not in nair.text  # the recipient's own values win


def test_send_by_window_depends_on_the_role(cue_analyzer):
    reyes, _, nair = _draft(cue_analyzer, interview_file=COUNTY)
    assert "Wednesday, October 16, 2024" in reyes.timing[0] and "1 day" in reyes.timing[0]
    assert "Thursday, October 17, 2024" in nair.timing[0] and "2 days" in nair.timing[0]
    late = _draft(cue_analyzer, interview_file=COUNTY, to="Reyes", today=dt.date(2024, 10, 30))[0]
    assert len(late.timing) == 2 and "passed" in late.timing[1]


def test_update_letter_goes_to_the_program_director_with_the_news(cue_analyzer):
    drafts = _draft(cue_analyzer, interview_file=COUNTY, template="update")
    assert [d.recipient for d in drafts] == ["Dr. Reyes"]
    assert "Step 2 CK" in drafts[0].text and "once" in drafts[0].timing[0]


def test_options_alone_make_a_draft_and_win_over_the_file(cue_analyzer):
    draft = _draft(cue_analyzer, options=dict(BASE))[0]
    assert draft.text.startswith("Dear Dr. Chen,") and "Harbor County Hospital" in draft.text
    over = _draft(cue_analyzer, interview_file=COUNTY, to="Okafor",
                  options={"program": "Lakeside General"})[0]
    assert "Lakeside General" in over.text and "Mesa Valley" not in over.text


@pytest.mark.parametrize("value", ["{{ 7*7 }}", "{{ ''.__class__ }}", "{% for x in range(3) %}x{% endfor %}",
                                   "{{ cycler.__init__.__globals__ }}", "{# note #} {{"])
def test_values_with_template_syntax_are_printed_as_typed(cue_analyzer, value):
    draft = _draft(cue_analyzer, options={**BASE, "conversation": value})[0]
    assert f"conversation about {value}" in draft.text
    assert "49" not in draft.text


@pytest.mark.parametrize(("options", "named"), [
    ({k: v for k, v in BASE.items() if k != "appreciated"}, "appreciated"),
    ({k: v for k, v in BASE.items() if k != "interview_date"}, "interview_date"),
    ({k: v for k, v in BASE.items() if k != "role"}, "role"),
])
def test_a_missing_value_is_named(cue_analyzer, options, named):
    with pytest.raises(CoachError) as caught:
        _draft(cue_analyzer, options=options)
    message = str(caught.value)
    assert named in message and "\n" not in message


def test_missing_value_on_the_command_line_is_one_line_and_exit_2():
    done = run_coach("email", "--recipient", "Dr. Chen", "--role", "faculty", "--program", "Harbor County",
                     "--date", "2024-10-15", "--applicant", "Ana Lima")
    err = done.stderr.decode()
    assert done.returncode == 2
    assert err.count("\n") == 1 and "appreciated" in err and "--appreciated" in err
    assert "Traceback" not in err and done.stdout == b""


def test_injection_values_are_printed_as_typed_by_the_command():
    done = run_cli("email", "--recipient", "Dr. Chen", "--role", "pd", "--program", "Harbor County",
                     "--date", "2024-10-15", "--applicant", "{{ ''.__class__ }}", "--appreciated",
                     "the HIV clinic", "--conversation", "{{ 7*7 }}", "--today", "2024-10-15")
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert "Our conversation about {{ 7*7 }} has stayed" in out and "{{ ''.__class__ }}" in out
    assert "Send by Wednesday, October 16, 2024" in out and "Reminder:" in out and "Check:" in out


def test_an_nrmp_error_from_a_value_is_refused_with_one_line(cue_analyzer):
    with pytest.raises(CoachError) as caught:
        _draft(cue_analyzer, options={**BASE, "conversation": "where I will be ranked"})
    assert "conversation" in str(caught.value) and "nrmp.ask-rank" in str(caught.value)


def test_an_nrmp_error_from_a_template_is_a_bug(cue_analyzer, tmp_path: Path):
    (tmp_path / "pushy.j2").write_text("Dear {{ recipient }},\n\nThank you for the tour of the clinic. "
                                       "Where am I on your rank list?\n\nSincerely,\n{{ applicant }}\n")
    with pytest.raises(CoachError) as caught:
        _draft(cue_analyzer, options=BASE, template="pushy", template_dir=str(tmp_path))
    assert "pushy.j2" in str(caught.value) and "bug" in str(caught.value)


def test_a_missing_role_is_named_with_every_other_value_missing(cue_analyzer):
    with pytest.raises(CoachError) as caught:
        _draft(cue_analyzer, options={"recipient": "Dr. Chen"})
    message = str(caught.value)
    for named in ("role", "applicant", "program", "interview_date", "appreciated", "--date"):
        assert named in message, message
    assert "recipient" not in message.split(";")[0]


def test_a_phrase_typed_as_a_sentence_reads_mid_sentence(cue_analyzer):
    text = _draft(cue_analyzer, options={**BASE, "appreciated": "The resident-run HIV clinic."})[0].text
    assert "appreciated the resident-run HIV clinic" in text
    text = _draft(cue_analyzer, options={**BASE, "appreciated": "Harbor County's street medicine team"})[0].text
    assert "Harbor County's street medicine team" in text


def test_a_misspelt_value_in_a_user_template_is_named_with_the_likely_one(cue_analyzer, tmp_path: Path):
    (tmp_path / "typo.j2").write_text("Dear {{ recipent }},\n\nThank you.\n\n{{ applicant }}\n")
    with pytest.raises(CoachError) as caught:
        _draft(cue_analyzer, options=BASE, template="typo", template_dir=str(tmp_path))
    message = str(caught.value)
    assert "typo.j2" in message and "recipent" in message and "did you mean recipient?" in message


def test_a_user_template_folder_overrides_by_name_and_falls_back(cue_analyzer, tmp_path: Path):
    (tmp_path / "faculty.j2").write_text("Dear {{ recipient }},\n\nThank you for showing me "
                                         "{{ appreciated | and_list }}.\n\n{% include '_signature.j2' %}")
    draft = _draft(cue_analyzer, options=BASE, template_dir=str(tmp_path))[0]
    assert draft.text.startswith("Dear Dr. Chen,\n\nThank you for showing me the continuity clinic")
    assert "Sincerely,\nAna Lima" in draft.text


def test_history_warns_about_a_second_note_to_the_same_person(cue_analyzer, tmp_path: Path):
    history = tmp_path / "sent.yaml"
    history.write_text("sent:\n  - to: Dr. Ana Reyes\n    date: 2024-10-16\n"
                       "  - to: Dr. Nair\n    date: 2024-09-01\n")
    drafts = _draft(cue_analyzer, interview_file=COUNTY, history_file=str(history))
    warned = {d.recipient: [w["rule"] for w in d.history_warnings] for d in drafts}
    assert warned == {"Dr. Reyes": ["style.repeat-follow-up"], "Dr. Okafor": [], "Dr. Nair": []}


def test_unknown_recipient_and_role_are_one_line(cue_analyzer):
    with pytest.raises(CoachError, match="Dr. Reyes, Dr. Okafor, Dr. Nair"):
        _draft(cue_analyzer, interview_file=COUNTY, to="Zed")
    with pytest.raises(CoachError, match="program_director"):
        _draft(cue_analyzer, options={**BASE, "role": "janitor"})


@pytest.mark.parametrize(("content", "problem"), [
    ("interview_date: next week\n", "2024-10-15"),
    ("appreciated: {a: 1}\n", "text"),
    ("conversation: [a, b]\n", "not a list"),
    ("- just\n- a list\n", "mapping"),
    ("recipient: 'x\n", "line"),
    (f"conversation: {'x' * 500}\n", "under 400"),
])
def test_bad_interview_files_are_one_line(cue_analyzer, tmp_path: Path, content, problem):
    path = tmp_path / "interview.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CoachError) as caught:
        _draft(cue_analyzer, interview_file=str(path), options={"recipient": "Dr. Chen"})
    assert problem in str(caught.value) and "\n" not in str(caught.value)
