"""Known Jinja sandbox-escape payloads that tests/test_email_sandbox.py does not already try: the ways around
a plain `.__attr__` block (the `attr` filter, subscripts, escaped underscores, `map`, `getattr` look-alikes),
other globals and the template reference, and reading files through include/import/extends. Each must end in
a TemplateProblem, or render nothing from Python's internals or the machine."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from coach.email.sandbox import RenderRequest, TemplateProblem, render_isolated

CONTEXT = {"recipient": "Dr. Chen", "applicant": "Ana Lima"}

PAYLOADS = {
    "attr_filter": "{{ ''|attr('__class__') }}",
    "attr_filter_chain": "{{ (''|attr('__class__')|attr('__mro__'))[1]|attr('__subclasses__')() }}",
    "subscript": "{{ ''['__class__'] }}",
    "subscript_globals": "{{ cycler['__init__']['__globals__'] }}",
    "escaped_underscores": "{{ ''['\\x5f\\x5fclass\\x5f\\x5f'] }}",
    "attr_escaped": "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "map_attr": "{{ ['a']|map(attribute='__class__')|list }}",
    "getattribute": "{{ ''.__getattribute__('__class__') }}",
    "namespace_globals": "{{ namespace.__init__.__globals__ }}",
    "joiner_globals": "{{ joiner.__init__.__globals__ }}",
    "template_context": "{{ self._TemplateReference__context }}",
    "loop_class": "{% for x in [1] %}{{ loop.__class__.__init__.__globals__ }}{% endfor %}",
    "dict_class": "{{ {}.__class__.__base__.__subclasses__() }}",
    "func_code": "{{ and_list.__code__ }}",
    "include_absolute": "{% include '/etc/passwd' %}",
    "import_absolute": "{% import '/etc/hostname' as h %}{{ h }}",
    "extends_parent": "{% extends '../../../../etc/passwd' %}",
    "config": "{{ config.items() }}",
}


def _render(tmp_path: Path, source: str) -> str:
    (tmp_path / "t.j2").write_text("Dear {{ recipient }},\n" + source + "\n", encoding="utf-8")
    return render_isolated(RenderRequest(dirs=[str(tmp_path)], template="t", context=CONTEXT, limits={},
                                         order=[]))


LEAKS = ("<class", "<module", "<function", "<built-in", "__name__", "__builtins__", "root:", "/bin/", "localhost")


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_escape_payload_is_refused_or_harmless(tmp_path: Path, name: str):
    """Refused with one line, or (where the sandbox answers an unsafe attribute with Undefined inside a list)
    rendered without anything from Python's internals or the machine."""
    started = time.monotonic()
    try:
        shown = _render(tmp_path, PAYLOADS[name])
    except TemplateProblem as problem:
        assert problem.kind in {"unsafe", "not_found", "missing", "syntax", "error"}, problem.kind
        assert "\n" not in problem.message
        shown = problem.message
    assert not any(leak in shown for leak in LEAKS), shown
    assert time.monotonic() - started < 20
