"""`coach check --rubrics DIR`: a malformed or incomplete rubric file is one line naming the file, the line and
the key, and exit 2; a well-formed folder overrides shipped rules by id, adds new rules and changes settings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli

RULE = """\
rules:
  - id: blame.weather
    severity: error
    message: "This blames the weather."
    suggestion: "Say what you would do differently."
    patterns: ["weather be bad|terrible"]
    examples:
      flag: ["The weather was bad.", "The weather was terrible."]
      pass: ["I studied.", "I passed."]
"""

BROKEN: dict[str, tuple[str | bytes, int, str, str]] = {
    # name: (file content, line, key, words of the problem)
    "indentation": (RULE.replace('    suggestion:', '     suggestion:'), 5, "suggestion (syntax)", "expected"),
    "unclosed quote": (RULE.replace('"This blames the weather."', '"This blames the weather.'), 5,
                       "suggestion (syntax)", "expected"),
    "tab": (RULE.replace("    severity", "\tseverity"), 3, "severity (syntax)", "tab"),
    "missing suggestion": (RULE.replace('    suggestion: "Say what you would do differently."\n', ""), 2,
                           "rules[blame.weather].suggestion", "is required"),
    "missing examples": (RULE.split("    examples:")[0], 2, "rules[blame.weather].examples", "is required"),
    "one pass example": (RULE.replace('pass: ["I studied.", "I passed."]', 'pass: ["I studied."]'), 9,
                         "rules[blame.weather].examples.pass", "at least two"),
    "bad severity": (RULE.replace("severity: error", "severity: fatal"), 3, "rules[blame.weather].severity",
                     "must be one of error, warning, suggestion"),
    "unknown key": (RULE.replace("    patterns:", "    colour: red\n    patterns:"), 6,
                    "rules[blame.weather].colour", "is not a rule key"),
    "unknown category": (RULE.replace("blame.weather", "weather.bad"), 2, "rules[weather.bad].id",
                         "category.name"),
    "empty patterns": (RULE.replace('["weather be bad|terrible"]', "[]"), 6, "rules[blame.weather].patterns",
                       "non-empty list"),
    "pattern starting with a gap": (RULE.replace('"weather be bad|terrible"', '"*3 weather"'), 6,
                                    "rules[blame.weather].patterns", "must not start or end with a gap"),
    "tag after a word": (RULE.replace('"weather be bad|terrible"', '"weather be terrible|@ADJ"'), 6,
                         "rules[blame.weather].patterns", "mixes words and a part of speech"),
    "word after a tag": (RULE.replace('"weather be bad|terrible"', '"weather be @ADJ|terrible"'), 6,
                         "rules[blame.weather].patterns", "a part of speech is one of ADJ"),
    "exact form of a phrase": (RULE.replace('"weather be bad|terrible"', '"weather =bad-ish"'), 6,
                               "rules[blame.weather].patterns", "write whole words after ="),
    "rules not a list": ("rules:\n  id: blame.weather\n", 1, "rules", "must be a list of rules"),
    "top level a list": ("- rules\n- sets\n", 1, "(top level)", "must be a mapping"),
    "duplicate key": (RULE.replace("    severity: error\n", "    severity: error\n    severity: warning\n"), 4,
                      "severity (syntax)", "appears twice"),
    "not UTF-8": (RULE.encode("utf-8").replace(b"weather.\"", b"m\xe9t\xe9o.\"", 1), 4, "(file)", "not UTF-8"),
    "set not a list": ("sets:\n  evidence: just one pattern\n", 2, "sets.evidence", "list of pattern strings"),
    "bad kinds": (RULE.replace("    patterns:", "    kinds: [essay]\n    patterns:"), 6, "kinds",
                  "must be a list among"),
    "setting of the wrong type": ("framework:\n  parts: 7\n", 2, "framework.parts", "must be a mapping"),
    "threshold as words": ("framework:\n  overall:\n    sentences: twelve\n", 3, "framework.overall.sentences",
                           "must be a number"),
    "expected counts as text": ("framework:\n  parts:\n    growth: {expected: [two, three]}\n", 3,
                                "framework.parts.growth.expected", "list of numbers"),
    "list key": ("? [a, b]\n: c\n", 1, "(syntax)", "plain word or number"),
    "misspelt set in a condition": (RULE.replace("    patterns:", "    unless_nearby:\n      sets: [ownd_in_sentence]\n"
                                                  "      window: 0\n    patterns:"), 7,
                                    "rules[blame.weather].unless_nearby.sets", "'ownd_in_sentence', which no rubric"),
    "misspelt set in a setting": ("framework:\n  carried_by:\n    context: [exam_named, exam_resullt]\n", 3,
                                  "framework.carried_by.context", "'exam_resullt', which no rubric"),
    "misspelt cue set": ("personal_statement:\n  paragraphs:\n    cues:\n"
                         "      future_vision: {statement_cue_vison: 2}\n", 4,
                         "personal_statement.paragraphs.cues.future_vision.statement_cue_vison",
                         "'statement_cue_vison', which no rubric"),
    "bad regular expression": ("interview:\n  question_line: '(q'\n", 2, "interview.question_line",
                               "not a valid regular expression"),
    "bad regular expression in a list": ("interview:\n  practice:\n    fillers: ['(um']\n", 3,
                                         "interview.practice.fillers", "not a valid regular expression"),
    "once as a number": (RULE.replace("    patterns:", "    once: 2\n    patterns:"), 6, "rules[blame.weather].once",
                         "true (once a draft) or sentence"),
}


def _folder(tmp_path: Path, content: str | bytes, name: str = "mine.yaml") -> Path:
    folder = tmp_path / "rubrics"
    folder.mkdir(exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_rubric_is_one_line_with_file_line_and_key(tmp_path: Path, case: str):
    content, line, key, words = BROKEN[case]
    folder = _folder(tmp_path, content)
    done = run_cli("check", "--rubrics", str(folder), str(SAMPLES / "explanation-good.txt"))
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert done.stdout == b"" and err.count("\n") == 1 and "Traceback" not in err, err
    expected = f"coach: {folder / 'mine.yaml'}:{line}: {key}: "
    assert err.startswith(expected), f"{err!r} does not start with {expected!r}"
    assert re.search(re.escape(words), err, re.I), err


def test_a_missing_rubric_folder_is_one_line(tmp_path: Path):
    done = run_cli("check", "--rubrics", str(tmp_path / "nowhere"), str(SAMPLES / "explanation-good.txt"))
    err = done.stderr.decode()
    assert done.returncode == 2 and err.count("\n") == 1 and "nowhere" in err, err


def test_an_empty_or_comment_only_file_is_ignored(tmp_path: Path):
    folder = _folder(tmp_path, "# nothing yet\n")
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    done = run_cli("check", "--format", "json", "--rubrics", str(folder), str(SAMPLES / "explanation-good.txt"))
    assert done.returncode in (0, 1), done.stderr.decode()


def _rules(done) -> dict[str, dict]:
    return {f["rule"]: f for f in json.loads(done.stdout)["findings"]}


def test_a_user_folder_overrides_by_id_extends_and_changes_a_setting(tmp_path: Path):
    """One folder: blame.school gets the advisor's own message and becomes a warning, blame.weather is new,
    and the framework's sentence limit changes while the rest of the framework section stays shipped."""
    override = """\
rules:
  - id: blame.school
    severity: warning
    message: "Our programme's own note: leave your school out of it."
    suggestion: "Say what you did, not what the school did."
    patterns: ["school *4 not|never prepare|teach"]
    examples:
      flag: ["My school did not prepare us.", "The school never taught us this."]
      pass: ["I prepared badly.", "I did not use practice questions."]
"""
    folder = _folder(tmp_path, override, "overrides.yaml")
    (folder / "extends.yaml").write_text(RULE + "framework:\n  overall:\n    sentences: 3\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("I failed Step 1, and my school did not prepare us. The weather was terrible that day. I relied "
                     "on rereading notes and never timed myself. I now do practice questions daily.\n",
                     encoding="utf-8")
    shipped = _rules(run_cli("check", "--format", "json", str(draft)))
    mine = _rules(run_cli("check", "--format", "json", "--rubrics", str(folder), str(draft)))
    assert shipped["blame.school"]["severity"] == "error" and "blame.weather" not in shipped
    assert mine["blame.school"]["severity"] == "warning"
    assert mine["blame.school"]["message"].startswith("Our programme's own note")
    assert mine["blame.weather"]["excerpt"] == "weather was terrible"
    assert "framework.too-long" in mine and "framework.too-long" not in shipped
    assert {"framework.missing-connection"} <= set(mine)  # the rest of the framework settings still apply


def test_a_number_can_be_one_of_the_alternatives():
    """"#num|several medication change" matches "three medication changes" and "several medication
    changes"; before, a #num among words silently matched nothing."""
    from spacy.matcher import Matcher

    from coach.matching.patterns import compile_pattern
    from coach.nlp import get_nlp

    nlp = get_nlp()
    matcher = Matcher(nlp.vocab)
    matcher.add("p", compile_pattern("#num|several medication change", nlp))
    found = {text: bool(matcher(nlp(text))) for text in (
        "I went through three medication changes.", "There were several medication changes.",
        "There were 4 medication changes.", "There was one more change of plan.")}
    assert found == {"I went through three medication changes.": True, "There were several medication changes.": True,
                     "There were 4 medication changes.": True, "There was one more change of plan.": False}


def test_a_word_after_an_equals_sign_matches_only_as_written():
    """"=advices" matches the plural an applicant wrote, not "advice" (a plain pattern word matches every
    form of itself)."""
    from spacy.matcher import Matcher

    from coach.matching.patterns import compile_pattern
    from coach.nlp import get_nlp

    nlp = get_nlp()
    exact, plain = Matcher(nlp.vocab), Matcher(nlp.vocab)
    exact.add("p", compile_pattern("=advices|feedbacks", nlp))
    plain.add("p", compile_pattern("advices|feedbacks", nlp))
    texts = ("Thank you for your Advices.", "Thank you for the feedbacks.", "Thank you for your advice.")
    assert [bool(exact(nlp(t))) for t in texts] == [True, True, False]
    assert [bool(plain(nlp(t))) for t in texts] == [True, True, True]
