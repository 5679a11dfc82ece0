"""The NRMP Match communication rules in rubrics/email.yaml: what they are, and how they read whole emails.

Each rule's own flag/pass examples run in tests/test_rubric_examples.py; here: the rule set itself, and
realistic emails where offsets, severities and the exit code matter.
"""

from __future__ import annotations

import json

import pytest

from coach.rubric import load_rubric
from tests.conftest import SAMPLES, analyse_text, run_cli

RUBRIC = load_rubric()
NRMP = {r.id: r for r in RUBRIC.rules if r.category == "nrmp"}


def test_every_nrmp_rule_is_for_email_with_examples_both_ways():
    assert set(NRMP) >= {"nrmp.ask-rank", "nrmp.conditional-rank", "nrmp.commitment",
                         "nrmp.ask-other-programs", "nrmp.volunteer-rank", "nrmp.rank-highly-form-letter"}
    for rule in NRMP.values():
        assert rule.kinds[0] == "email"
        assert len(rule.flag_examples) >= 2 and len(rule.pass_examples) >= 2, rule.id


@pytest.mark.parametrize("rule_id", ["nrmp.ask-rank", "nrmp.conditional-rank", "nrmp.commitment",
                                     "nrmp.ask-other-programs"])
def test_forbidden_communication_is_an_error(rule_id):
    assert NRMP[rule_id].severity == "error"


@pytest.mark.parametrize("rule_id", ["nrmp.volunteer-rank", "nrmp.rank-highly-form-letter"])
def test_allowed_but_risky_statements_are_warnings(rule_id):
    assert NRMP[rule_id].severity == "warning"


def test_volunteered_rank_message_says_it_is_not_binding_and_only_honest_once():
    message = NRMP["nrmp.volunteer-rank"].message.lower()
    assert "bind" in message and "one program" in message


def test_every_email_rule_says_what_to_do_instead():
    for rule in RUBRIC.rules_for("email"):
        assert rule.message.endswith((".", "!")) and len(rule.suggestion.split()) >= 6, rule.id


ISSUE_EXAMPLES = [
    ("Where am I on your rank list?", "nrmp.ask-rank"),
    ("Will I be ranked to match?", "nrmp.ask-rank"),
    ("Am I in your top five?", "nrmp.ask-rank"),
    ("If you rank me highly, I will rank you first.", "nrmp.conditional-rank"),
    ("I expect our mutual interest to be reflected in our rank lists.", "nrmp.commitment"),
    ("I commit to coming if you rank me.", "nrmp.commitment"),
    ("Which other programs would you prefer I rank above yours?", "nrmp.ask-other-programs"),
    ("I will rank you #1.", "nrmp.volunteer-rank"),
    ("You are my first choice.", "nrmp.volunteer-rank"),
]


@pytest.mark.parametrize(("sentence", "rule_id"), ISSUE_EXAMPLES)
def test_issue_examples_inside_a_whole_email(cue_analyzer, sentence, rule_id):
    text = ("Dear Dr. Reyes,\n\nThank you for the interview on Tuesday and for showing me the continuity "
            f"clinic. {sentence}\n\nSincerely,\nAna Lima\n")
    report = analyse_text(cue_analyzer, text, kind="email")
    hits = [f for f in report.findings if f.rule == rule_id]
    assert hits, [f.rule for f in report.findings]
    for f in hits:
        assert text[f.start:f.end] == f.excerpt
        assert f.excerpt in sentence


@pytest.mark.parametrize("sentence", ["I hope to match with you.", "I would be honored to train here.",
                                      "I remain very interested in your program.",
                                      "I know the Match rules mean you cannot tell me where I stand."])
def test_compliant_interest_is_not_an_nrmp_finding(cue_analyzer, sentence):
    text = f"Dear Dr. Reyes,\n\nThank you for showing me the continuity clinic. {sentence}\n\nBest,\nAna\n"
    report = analyse_text(cue_analyzer, text, kind="email")
    assert not [f for f in report.findings if f.category == "nrmp"]


def test_rank_highly_is_a_warning_only_in_a_form_letter(cue_analyzer):
    form = "Dear Dr. Reyes,\n\nThank you for the interview. I will rank your program highly.\n\nBest,\nAna\n"
    specific = ("Dear Dr. Reyes,\n\nThank you for the interview. The resident-run clinic at the shelter "
                "stood out, and I will rank your program highly.\n\nBest,\nAna\n")

    def fired(text: str) -> list:
        return [f for f in analyse_text(cue_analyzer, text, "email").findings
                if f.rule == "nrmp.rank-highly-form-letter"]

    assert fired(form) and not fired(specific)


def test_where_will_i_be_ranked_exits_1_with_an_nrmp_error_at_the_right_offsets(tmp_path):
    text = ("Dear Dr. Okafor,\n\nThank you for meeting with me on Monday; I enjoyed hearing about the night "
            "float teaching.\nCould you tell me where I will be ranked?\n\nBest regards,\nAna Lima\n")
    path = tmp_path / "email.txt"
    path.write_text(text, encoding="utf-8")
    done = run_cli("check", "--kind", "email", "--format", "json", str(path))
    assert done.returncode == 1, done.stderr.decode()
    report = json.loads(done.stdout)
    errors = [f for f in report["findings"] if f["category"] == "nrmp" and f["severity"] == "error"]
    assert errors
    for f in errors:
        assert text[f["start"]:f["end"]] == f["excerpt"]
    assert any("where I will be ranked" in f["excerpt"] for f in errors)
    assert report["framework"] is None and report["kind"] == "email"


def test_sample_email_that_asks_about_rank(cue_analyzer):
    text = (SAMPLES / "email-asks-rank.txt").read_text(encoding="utf-8")
    report = analyse_text(cue_analyzer, text, kind="email")
    rules = {f.rule for f in report.findings}
    assert {"nrmp.ask-rank", "nrmp.conditional-rank", "style.generic-salutation", "style.other-interviews",
            "style.attachment", "specificity.email-no-detail"} <= rules
    for f in report.findings:
        assert text[f.start:f.end] == f.excerpt


def test_sample_good_email_has_no_findings(cue_analyzer):
    text = (SAMPLES / "email-good.txt").read_text(encoding="utf-8")
    report = analyse_text(cue_analyzer, text)
    assert report.doc.kind == "email"
    assert [f.rule for f in report.findings] == []
