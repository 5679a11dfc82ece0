"""Settings: every default lives in the shipped YAML. The typed settings have no defaults of their own, so
code that reads a key the shipped rubric lacks fails here; a --rubrics folder's message template that is
malformed or names a value its check does not give is one error at load time."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from coach import settings as module
from coach.errors import RubricError
from coach.rubric import load_rubric
from coach.settings import Settings, settings_of
from tests.conftest import SAMPLES

CLASSES = [c for c in vars(module).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
           and c.__module__ == module.__name__ and c is not module.Options]


def test_every_settings_class_builds_from_the_shipped_rubric():
    built = settings_of(load_rubric())
    assert isinstance(built, Settings)
    seen = set()

    def walk(value):
        if dataclasses.is_dataclass(value):
            seen.add(type(value))
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(built)
    assert seen == set(CLASSES), "a settings class is not reachable from Settings"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_settings_classes_have_no_defaults(cls):
    for f in dataclasses.fields(cls):
        assert f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING, \
            f"{cls.__name__}.{f.name} has a default in code; put it in the shipped YAML"


def test_a_key_the_rubric_lacks_is_a_rubric_error_naming_it():
    rubric = load_rubric()
    settings = dict(rubric.settings)
    settings["encoder"] = {k: v for k, v in settings["encoder"].items() if k != "certain_cue_score"}
    broken = dataclasses.replace(rubric, settings=settings)
    with pytest.raises(RubricError, match=r"encoder\.certain_cue_score.*is missing"):
        settings_of(broken)


def test_the_encoder_thresholds_come_from_roles_yaml():
    encoder = settings_of(load_rubric()).encoder
    assert (encoder.min_confidence, encoder.certain_cue_score, encoder.order_prior) == (0.5, float("inf"), 1.0)


def test_kind_detection_reads_exam_words_from_common_yaml():
    import coach.analysis.kinds as kinds

    assert not hasattr(kinds, "_EXAM_WORDS")
    assert "usmle" in settings_of(load_rubric()).kind_detection.exam_words


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ('personal_statement:\n  score_passage:\n    messages:\n      too_long:\n        message: "{wrods} words"\n',
     "mine.yaml:5: personal_statement.score_passage.messages.too_long.message: uses {wrods}"),
    ('readability:\n  messages:\n    long-sentence:\n      message: "oops {words"\n',
     "mine.yaml:4: readability.messages.long-sentence.message: is not a valid message template"),
])
def test_a_broken_message_template_is_one_line_at_load(tmp_path, yaml_text, expected):
    (tmp_path / "mine.yaml").write_text(yaml_text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "coach.cli", "check", "--grammar", "off", "--rubrics",
                           str(tmp_path), str(SAMPLES / "statement-strong.txt")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], done.stderr
