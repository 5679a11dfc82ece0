"""Every phrase rule's own "should flag" and "should not flag" examples, run through the real analysis."""

from __future__ import annotations

import pytest

from coach.rubric import load_rubric
from tests.conftest import analyse_text

RUBRIC = load_rubric()
CASES = [(rule.id, kind, text, expect)
         for rule in RUBRIC.rules
         for expect, texts in ((True, rule.flag_examples), (False, rule.pass_examples))
         for text in texts
         for kind in rule.kinds[:1]]


@pytest.mark.parametrize(("rule_id", "kind", "text", "expect"), CASES,
                         ids=[f"{c[0]}-{'flag' if c[3] else 'pass'}-{i}" for i, c in enumerate(CASES)])
def test_rule_example(analyzer, rule_id, kind, text, expect):
    report = analyse_text(analyzer, text, kind=kind)
    fired = [f for f in report.findings if f.rule == rule_id]
    if expect:
        assert fired, f"{rule_id} should flag: {text!r}"
    else:
        assert not fired, f"{rule_id} should not flag {text!r}, but flagged {[f.excerpt for f in fired]}"
