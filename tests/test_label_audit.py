"""tools/label_audit.py: a training label changes only when both adjudicators read the sentence the other
way, the line keeps its text and role, and an email stays compliant exactly when it has no error sentence."""

from __future__ import annotations

import yaml

from tests.tool_loading import load_tool


def _tool():
    return load_tool("label_audit")


def test_a_label_changes_only_when_both_adjudicators_disagree_with_it():
    tool = _tool()
    assert tool.changes(label=False, first=True, second=True)
    assert not tool.changes(label=False, first=True, second=False)
    assert not tool.changes(label=True, first=True, second=False)
    assert tool.changes(label=True, first=False, second=False)


def test_a_flag_is_read_from_an_explanation_or_an_email_label():
    tool = _tool()
    assert tool.positive({"excuse"}, ("blame", "excuse"))
    assert not tool.positive({"oversharing"}, ("blame", "excuse"))
    assert tool.positive(tool._labels_of({"nrmp": "error"}), ("nrmp_error",))
    assert not tool.positive(tool._labels_of({"nrmp": "warning"}), ("nrmp_error",))


def test_an_explanation_sentence_gains_the_flag_both_adjudicators_gave_and_keeps_its_text():
    tool = _tool()
    line = '      - {role: context, flags: [], text: "Then the centre moved my exam to another city, [sic]."}\n'
    first, second = frozenset({"blame"}), frozenset({"blame", "oversharing"})
    out = tool.relabelled(line, [(("blame", "excuse"), "unflagged_high", first, second)])
    assert yaml.safe_load(out.strip()[2:]) == {"role": "context", "flags": ["blame"],
                                               "text": "Then the centre moved my exam to another city, [sic]."}


def test_a_flag_both_adjudicators_found_absent_is_removed_and_the_others_stay():
    tool = _tool()
    line = '      - {role: context, flags: [excuse, oversharing], text: "I slept three hours a night."}\n'
    both = frozenset({"oversharing"})
    out = tool.relabelled(line, [(("blame", "excuse"), "flagged_low", both, both)])
    assert yaml.safe_load(out.strip()[2:])["flags"] == ["oversharing"]


def test_an_email_that_loses_its_only_error_becomes_compliant():
    tool = _tool()
    text = ("emails:\n  - id: m1\n    compliant: false\n    sentences:\n"
            "      - {nrmp: none, text: \"Dear Dr. Ruiz,\"}\n"
            "      - {nrmp: error, text: \"Could you tell me how I compare with the others?\"}\n"
            "  - id: m2\n    compliant: true\n    sentences:\n"
            "      - {nrmp: error, text: \"Please let me know where I stand.\"}\n")
    lines = text.splitlines(keepends=True)
    lines[5] = tool.relabelled(lines[5], [(("nrmp_error",), "flagged_low", frozenset(), frozenset({"nrmp_warning"}))])
    emails = yaml.safe_load(tool.compliant_kept("".join(lines)))["emails"]
    assert emails[0]["sentences"][1]["nrmp"] == "none"
    assert [e["compliant"] for e in emails] == [True, False]


def test_every_change_the_recorded_audit_decided_is_in_the_exemplars():
    """benchmarks/label_audit/ holds the audit of 2026-11-29: read against the exemplars as shipped, it finds
    nothing left to change (a label it overturned and put back would show here)."""
    tool = _tool()
    assert tool.decisions(tool.ROOT / "benchmarks" / "label_audit") == []
