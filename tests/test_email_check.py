"""The email checks beyond single phrases: length, paragraphs, program detail; and how `coach check` reads
an email file."""

from __future__ import annotations

from tests.conftest import analyse_text, run_cli

GREETING, SIGN_OFF = "Dear Dr. Reyes,\n\n", "\n\nSincerely,\nAna Lima\n"
SPECIFIC = "Thank you for showing me the continuity clinic and the 4+1 schedule on Tuesday."


def _rules(cue_analyzer, text: str) -> list[str]:
    return [f.rule for f in analyse_text(cue_analyzer, text, kind="email").findings]


def test_more_than_about_200_words_is_a_length_warning(cue_analyzer):
    filler = " ".join(["The residents were kind and the teaching on rounds was clear."] * 20)
    text = GREETING + SPECIFIC + " " + filler + SIGN_OFF
    report = analyse_text(cue_analyzer, text, kind="email")
    found = [f for f in report.findings if f.rule == "length.email-words"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert str(report.doc.words) in found[0].message
    assert text[found[0].start:found[0].end] == found[0].excerpt


def test_a_short_note_has_no_length_finding(cue_analyzer):
    assert "length.email-words" not in _rules(cue_analyzer, GREETING + SPECIFIC + SIGN_OFF)


def test_more_than_about_two_short_paragraphs_is_flagged(cue_analyzer):
    para = "The residents explained how the continuity clinic works and how they cover each other."
    text = GREETING + "\n\n".join([para] * 4) + SIGN_OFF
    assert "length.email-paragraphs" in _rules(cue_analyzer, text)
    two = GREETING + "\n\n".join([para] * 2) + SIGN_OFF
    assert "length.email-paragraphs" not in _rules(cue_analyzer, two)


def test_paragraphs_one_per_line_are_counted_too(cue_analyzer):
    para = "The residents explained how the continuity clinic works and how they cover each other."
    text = "Dear Dr. Reyes,\n" + "\n".join([para] * 5) + "\nSincerely,\nAna Lima\n"
    assert "length.email-paragraphs" in _rules(cue_analyzer, text)


def test_a_note_with_nothing_specific_is_flagged_and_a_specific_one_is_not(cue_analyzer):
    generic = (GREETING + "Thank you for the opportunity to interview with your program. I enjoyed meeting "
               "everyone and learning more about the program. I believe I would be a great fit and I look "
               "forward to hearing from you." + SIGN_OFF)
    report = analyse_text(cue_analyzer, generic, kind="email")
    found = [f for f in report.findings if f.rule == "specificity.email-no-detail"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].excerpt.startswith("Thank you for the opportunity")
    specific = (GREETING + SPECIFIC + " I enjoyed our conversation about the county's diabetes program and "
                "the way residents teach students on the wards." + SIGN_OFF)
    assert "specificity.email-no-detail" not in _rules(cue_analyzer, specific)


def test_generic_greeting_attachment_and_other_interviews(cue_analyzer):
    text = ("To whom it may concern,\n\nThank you for the interview. Of all the programs I interviewed at, "
            "yours had the friendliest residents. Please find attached my updated CV." + SIGN_OFF)
    rules = _rules(cue_analyzer, text)
    assert {"style.generic-salutation", "style.other-interviews", "style.attachment"} <= set(rules)


def test_categories_are_from_the_contract(cue_analyzer):
    text = ("Dear Interviewer,\n\nWhere am I on your rank list? " + " ".join(["Thanks again."] * 120)
            + SIGN_OFF)
    report = analyse_text(cue_analyzer, text, kind="email")
    allowed = {"nrmp", "style", "length", "specificity", "readability", "grammar", "spelling"}
    assert report.findings and {f.category for f in report.findings} <= allowed
    assert report.framework is None


def test_check_detects_an_email_and_a_clean_one_exits_0(tmp_path):
    path = tmp_path / "thanks.txt"
    path.write_text(GREETING + SPECIFIC + " I would be honored to train here." + SIGN_OFF, encoding="utf-8")
    done = run_cli("check", str(path))
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert b"(email," in done.stdout
