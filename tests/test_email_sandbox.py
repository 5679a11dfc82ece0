"""User templates (`coach email --templates DIR`) are untrusted: they render inside Jinja's sandbox, in a
limited child process, and every escape attempt or runaway template ends in one clear error, never a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from coach.email.sandbox import RenderRequest, TemplateProblem, and_list, render_isolated
from tests.conftest import run_cli

CONTEXT = {"recipient": "Dr. Chen", "applicant": "Ana Lima"}

ATTACKS = {
    "mro": ("{{ ''.__class__.__mro__ }}", "unsafe"),
    "globals": ("{{ cycler.__init__.__globals__ }}", "unsafe"),
    "subclasses": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    "self": ("{{ self.__init__.__globals__ }}", "unsafe"),
    "format": ("{{ '{0.__class__}'.format(1) }}", "unsafe"),
    "percent": ("{{ '%999999999d' % 1 }}", "unsafe"),
    "range": ("{% for x in range(10**9) %}{{ x }}{% endfor %}", "limit"),
    "nested_range": ("{% for x in range(5000) %}{% for y in range(5000) %}{% endfor %}{% endfor %}", "limit"),
    "power": ("{{ 10**10**10 }}", "limit"),
    "repeat": ("{{ 'x' * 10**9 }}", "limit"),
    "list_repeat": ("{{ [1] * 10**9 }}", "limit"),
    "recursion": ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "limit"),
    "output": ("{% for x in range(9000) %}word word {% endfor %}", "limit"),
    "slow": ("{% for a in 'ab' * 40000 %}{% for b in 'ab' * 40000 %}{% endfor %}{% endfor %}", "limit"),
    "doubling": ("{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
                 "{% endfor %}{{ ns.s | length }}", "limit"),
    "mutation": ("{% set l = [] %}{{ l.append(1) }}", "unsafe"),
    "escape_folder": ("{% include '../../../etc/passwd' %}", "not_found"),
    "lipsum": ("{{ lipsum(100000) }}", "missing"),
    "syntax": ("{{ recipient }", "syntax"),
}


def _render(tmp_path: Path, source: str, context=None, limits=None) -> str:
    (tmp_path / "t.j2").write_text("Dear {{ recipient }},\n" + source + "\n", encoding="utf-8")
    return render_isolated(RenderRequest(dirs=[str(tmp_path)], template="t", context=context or CONTEXT,
                                         limits=limits or {}, order=[]))


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attacks_end_in_an_error_quickly(tmp_path: Path, name: str):
    source, kind = ATTACKS[name]
    started = time.monotonic()
    with pytest.raises(TemplateProblem) as caught:
        _render(tmp_path, source)
    assert caught.value.kind == kind, caught.value.message
    assert "\n" not in caught.value.message
    assert time.monotonic() - started < 20


def test_values_are_data_even_inside_a_user_template(tmp_path: Path):
    text = _render(tmp_path, "{{ note }}", {**CONTEXT, "note": "{{ 7*7 }} {% if 1 %}yes{% endif %}"})
    assert "{{ 7*7 }} {% if 1 %}yes{% endif %}" in text


def test_ordinary_template_features_still_work(tmp_path: Path):
    source = ("{% for item in items %}- {{ item | upper }}\n{% endfor %}{{ items | and_list }}; "
              "{{ items | length }}; {% set ns = namespace(n=0) %}{% for i in range(3) %}"
              "{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}")
    text = _render(tmp_path, source, {**CONTEXT, "items": ["clinic", "rounds", "teaching"]})
    assert "- CLINIC\n- ROUNDS\n- TEACHING\n" in text and "clinic, rounds, and teaching; 3; 3" in text


def test_missing_values_are_all_named(tmp_path: Path):
    with pytest.raises(TemplateProblem) as caught:
        _render(tmp_path, "{{ program }} {{ conversation }}", {"applicant": "x"},)
    assert caught.value.kind == "missing"
    assert caught.value.names == ["conversation", "program", "recipient"]


def test_and_list():
    assert and_list(["a"]) == "a" and and_list(["a", "b"]) == "a and b"
    assert and_list(["a", "b", "c"]) == "a, b, and c"
    assert and_list("one thing") == "one thing"


@pytest.mark.parametrize("source", ["{{ ''.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}",
                                    "{% for x in range(10**9) %}{{ x }}{% endfor %}"])
def test_the_command_reports_a_sandboxed_template_in_one_line(tmp_path: Path, source: str):
    (tmp_path / "mine.j2").write_text("Dear {{ recipient }},\n" + source + "\n", encoding="utf-8")
    done = run_cli("email", "--templates", str(tmp_path), "--template", "mine", "--recipient", "Dr. Chen",
                   "--applicant", "Ana Lima")
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.startswith("coach: template mine.j2") and err.count("\n") == 1 and "Traceback" not in err
    assert done.stdout == b""
