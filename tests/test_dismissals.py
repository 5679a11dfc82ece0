"""Dismissing a finding (issue 17): `coach ignore`, the DRAFT.coach.yaml sidecar read by check, batch and the
web API, dismissals that follow their sentence, `--ignore` for one run, and the rule-id registry."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, run_cli

LUCK = "On the day itself I was also simply unlucky with my exam form. "
OTHER = "I take full responsibility"


def _draft(folder: Path, text: str | None = None, name: str = "explanation.txt") -> Path:
    """The good sample with one sentence that blames luck (its only finding: a warning)."""
    if text is None:
        good = (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8")
        i = good.index(OTHER)
        text = good[:i] + LUCK + good[i:]
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _check(path: Path, *more: str):
    return run_cli("check", str(path), "--grammar", "off", "--fail-on", "warning", *more)


def _json(path: Path, *more: str) -> tuple[int, dict]:
    r = _check(path, "--format", "json", *more)
    return r.returncode, json.loads(r.stdout)


def _rules(report: dict) -> list[str]:
    return [f["rule"] for f in report["findings"]]


@pytest.fixture()
def draft(tmp_path):
    return _draft(tmp_path)


def test_dismissing_blame_luck_removes_it_from_the_count_and_the_exit_code(draft):
    code, report = _json(draft)
    assert code == 1 and "blame.luck" in _rules(report) and "dismissed" not in report
    before = draft.read_bytes()
    r = run_cli("ignore", str(draft), "blame.luck", "--text", "SIMPLY, unlucky!", "--reason", "advisor agreed")
    assert r.returncode == 0, r.stderr
    sidecar = draft.with_name("explanation.txt.coach.yaml")
    assert sidecar.is_file() and draft.read_bytes() == before  # only the sidecar is written
    saved = sidecar.read_text(encoding="utf-8")
    assert "rule: blame.luck" in saved and "sentence: on the day itself i was also simply unlucky" in saved
    assert "reason: advisor agreed" in saved and "by:" in saved and re.search(r"at: '\d{4}-\d\d-\d\dT", saved)

    code, report = _json(draft)
    assert code == 0 and "blame.luck" not in _rules(report)
    assert report["summary"]["warnings"] == 0 and report["schema"] == 1
    [gone] = report["dismissed"]
    assert gone["rule"] == "blame.luck" and gone["reason"] == "advisor agreed" and gone["excerpt"] == "unlucky"
    assert draft.read_text(encoding="utf-8")[gone["start"]:gone["end"]] == "unlucky"
    text = _check(draft)
    assert text.returncode == 0
    assert text.stdout.decode().rstrip().endswith("1 finding dismissed (coach ignore --list)")
    assert draft.read_bytes() == before


def test_the_dismissal_follows_its_sentence(draft):
    assert run_cli("ignore", str(draft), "blame.luck", "--text", "unlucky").returncode == 0
    text = draft.read_text(encoding="utf-8")
    # another sentence edited, and the dismissed one moved to the end (its case and spacing changed too)
    edited = text.replace("working evenings", "working long night shifts").replace(LUCK, "")
    edited = edited.rstrip() + "  on the day itself I was ALSO simply unlucky with my exam form.\n"
    draft.write_text(edited, encoding="utf-8")
    code, report = _json(draft)
    assert "blame.luck" not in _rules(report) and [f["rule"] for f in report["dismissed"]] == ["blame.luck"]

    draft.write_text(edited.replace("simply unlucky with my exam form", "simply unlucky with the exam form"),
                     encoding="utf-8")
    code, report = _json(draft)
    assert code == 1 and "blame.luck" in _rules(report) and "dismissed" not in report


def test_without_text_every_finding_of_the_rule_is_dismissed(tmp_path):
    path = _draft(tmp_path, (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8"))
    code, report = _json(path)
    schools = _rules(report).count("blame.school")
    assert schools == 2
    assert run_cli("ignore", str(path), "blame.school").returncode == 0
    code, after = _json(path)
    assert "blame.school" not in _rules(after) and len(after["dismissed"]) == schools
    assert after["summary"]["errors"] == report["summary"]["errors"] - schools


def test_text_that_matches_no_finding_writes_nothing(draft):
    r = run_cli("ignore", str(draft), "blame.luck", "--text", "the proctor kept interrupting")
    assert r.returncode == 2 and b"nothing written" in r.stderr
    assert not draft.with_name("explanation.txt.coach.yaml").exists()


def test_ignore_for_one_run_on_check(draft):
    code, report = _json(draft, "--ignore", "blame.luck", "--ignore", "blame.luck")
    assert code == 0 and [f["reason"] for f in report["dismissed"]] == ["--ignore for this run"]
    assert not draft.with_name("explanation.txt.coach.yaml").exists()
    assert _json(draft)[0] == 1  # one run only


def test_ignore_for_one_run_on_batch_and_the_sidecar_in_batch(tmp_path):
    inputs = tmp_path / "in"
    (inputs / "ana").mkdir(parents=True)
    path = _draft(inputs / "ana")
    blames = _draft(inputs / "ana", (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8"), "other.txt")
    assert run_cli("ignore", str(blames), "blame.system", "--reason", "context").returncode == 0
    r = run_cli("batch", str(inputs), "--out", str(tmp_path / "out"), "--jobs", "1", "--ignore", "blame.luck")
    assert r.returncode in (0, 1), r.stderr
    reports = {Path(d["file"]).name: d for d in
               map(json.loads, (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines())}
    assert "blame.luck" not in _rules(reports["explanation.txt"])
    assert [f["rule"] for f in reports["explanation.txt"]["dismissed"]] == ["blame.luck"]
    assert reports["explanation.txt"]["summary"]["warnings"] == 0
    assert {f["rule"] for f in reports["other.txt"]["dismissed"]} >= {"blame.system", "blame.luck"}
    assert [f["reason"] for f in reports["other.txt"]["dismissed"] if f["rule"] == "blame.system"] == ["context"]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig"))))
    by_name = {Path(row["file"]).name: row for row in rows}
    assert list(rows[0])[-1] == "dismissed"
    assert by_name["explanation.txt"]["dismissed"] == "1" and by_name["explanation.txt"]["warnings"] == "0"
    manifest = json.loads((tmp_path / "out" / "batch.json").read_text(encoding="utf-8"))
    assert not any(s["file"].endswith(".coach.yaml") for s in manifest["skipped"])  # a sidecar is not a draft
    assert path.read_text(encoding="utf-8").count(LUCK) == 1


def test_an_unknown_rule_id_is_a_usage_error_naming_the_closest(draft):
    r = _check(draft, "--ignore", "blame.luk")
    assert r.returncode == 2 and b"blame.luck" in r.stderr and len(r.stderr.splitlines()) == 1
    r = run_cli("ignore", str(draft), "blame.lcuk")
    assert r.returncode == 2 and b"blame.luck" in r.stderr
    assert not draft.with_name("explanation.txt.coach.yaml").exists()
    assert _check(draft, "--ignore", "grammar.morfologik-wrong-spelling").returncode == 1  # LanguageTool's ids


@pytest.mark.parametrize("content, line, key", [
    ("dismissals:\n  - rule: blame.luck\n    colour: red\n", 3, "colour"),
    ("dismissals:\n  - rule: [blame.luck]\n", 2, "rule"),
    ("dismissals:\n  - rule: blame.luck\n   reason: : x\n", 3, "reason"),
    ("dismisals: []\n", 1, "dismisals"),
])
def test_a_broken_sidecar_is_one_line_and_the_check_still_runs(draft, content, line, key):
    sidecar = draft.with_name("explanation.txt.coach.yaml")
    sidecar.write_text(content, encoding="utf-8")
    r = _check(draft, "--format", "json")
    lines = r.stderr.decode().splitlines()
    assert len(lines) == 1 and str(sidecar) in lines[0] and f":{line}:" in lines[0] and key in lines[0], lines
    assert r.returncode == 1 and "blame.luck" in _rules(json.loads(r.stdout))
    assert sidecar.read_text(encoding="utf-8") == content  # never rewritten by a check
    r = run_cli("ignore", str(draft), "blame.luck")  # nor by `coach ignore`: the user must fix it first
    assert r.returncode == 2 and sidecar.read_text(encoding="utf-8") == content


def test_list_and_undo(tmp_path):
    path = _draft(tmp_path, (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8"))
    sidecar = path.with_name("explanation.txt.coach.yaml")
    assert run_cli("ignore", str(path), "--list").stdout.decode().startswith("No dismissals")
    assert run_cli("ignore", str(path), "blame.luck", "--text", "unlucky", "--reason", "r1").returncode == 0
    assert run_cli("ignore", str(path), "blame.school", "--text", "professors never taught").returncode == 0
    assert run_cli("ignore", str(path), "blame.system").returncode == 0
    shown = run_cli("ignore", str(path), "--list").stdout.decode()
    assert re.search(r"1\s+blame\.luck", shown) and "reason: r1" in shown
    assert re.search(r"2\s+blame\.school", shown) and re.search(r"3\s+blame\.system\s+\(every finding", shown)
    code, report = _json(path)
    assert "blame.school" not in _rules(report)  # both of its findings are in the sentence named
    assert [f["rule"] for f in report["dismissed"]].count("blame.school") == 2
    assert run_cli("ignore", str(path), "--undo", "2").returncode == 0
    assert "blame.school" not in run_cli("ignore", str(path), "--list").stdout.decode()
    assert run_cli("ignore", str(path), "--undo", "7").returncode == 2
    assert run_cli("ignore", str(path), "--undo", "blame.luck", "--text", "unlucky").returncode == 0
    assert run_cli("ignore", str(path), "--undo", "blame.system").returncode == 0
    assert not sidecar.exists()
    code, after = _json(path)
    assert "dismissed" not in after and after["summary"] == report["summary"] | {
        "errors": report["summary"]["errors"] + 3, "warnings": report["summary"]["warnings"] + 1}


def test_the_web_api_takes_dismissals(analyzer):
    from starlette.testclient import TestClient

    from coach.settings import Options
    from coach.web.app import allowed_hosts, create_app
    from coach.web.engine import Engine

    engine = Engine(Options(), analyzer=analyzer)
    text = (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8")
    with TestClient(create_app(engine, allowed_hosts("127.0.0.1", 8765)), base_url="http://127.0.0.1:8765") as c:
        sentence = "I was also simply unlucky, because the form I received was much harder than the ones my " \
                   "friends described."
        r = c.post("/api/check", json={"text": text, "dismissals": [
            {"rule": "blame.luck", "sentence": sentence, "reason": "advisor"}]})
        report = r.json()
        assert r.status_code == 200 and "blame.luck" not in _rules(report)
        assert [(f["rule"], f["reason"]) for f in report["dismissed"]] == [("blame.luck", "advisor")]
        bad = c.post("/api/check", json={"text": text, "dismissals": [{"rule": "blame.luck", "colour": "x"}]})
        assert bad.status_code == 400 and "colour" in bad.json()["error"]
        page = c.post("/ui/check", json={"text": text, "dismissals": [{"rule": "blame.school"}]}).json()
        assert "2 findings dismissed" in page["html"] and 'data-rule="blame.luck"' in page["html"]
        assert 'data-sentence="i was also simply unlucky because' in page["html"]


def test_every_rule_id_a_check_forms_is_in_the_registry(analyzer):
    """The registry is honest: each literal id passed to make_finding in coach/, and every id the samples
    produce, is one `--ignore` accepts."""
    from coach.analysis.rule_ids import FORMED, is_known, known_rule_ids

    known = known_rule_ids(analyzer.rubric)
    literal = re.compile(r"make_finding\(\s*\w+(?:\.\w+)?,\s*f?\"([a-z]+\.[^\"]*)\"")
    for path in (ROOT / "coach").rglob("*.py"):
        for rule in literal.findall(path.read_text(encoding="utf-8")):
            if "{" in rule:
                # an id formed in code: one of the forms rule_ids.py knows (framework.{too-long|too-short} are
                # in CODE_IDS); a new form must be added there
                prefix = rule.split("{")[0]
                assert prefix in {*(f.split("{")[0] for f in FORMED), "framework.", "consistency."}, (path, rule)
            else:
                assert rule in known or rule.startswith("consistency."), (path, rule)
    from tests.conftest import analyse_text

    for sample in SAMPLES.glob("*.txt"):
        report = analyse_text(analyzer, sample.read_text(encoding="utf-8"), name=sample.name)
        for finding in report.findings:
            assert is_known(finding.rule, known), (sample.name, finding.rule)


def test_text_that_picks_one_of_two_findings_in_a_sentence_dismisses_only_that_one(tmp_path):
    good = (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8")
    i = good.index(OTHER)
    path = _draft(tmp_path, good[:i] + "I did not recieve my scores until Dr. Mbeki definately told me. " + good[i:])
    run = ("--grammar", "auto")
    code, report = _json(path, *run)
    assert {"recieve", "definately"} <= {f["excerpt"] for f in report["findings"] if f["rule"] == "spelling.misspelled"}
    assert run_cli("ignore", str(path), "spelling.misspelled", "--text", "definately").returncode == 0
    assert "excerpt: definately" in path.with_name("explanation.txt.coach.yaml").read_text(encoding="utf-8")
    code, after = _json(path, *run)
    left = [f["excerpt"] for f in after["findings"] if f["rule"] == "spelling.misspelled"]
    assert "recieve" in left and "definately" not in left  # the other misspelling in that sentence stays
    assert [f["excerpt"] for f in after["dismissed"]] == ["definately"]
    listed = run_cli("ignore", str(path), "--list").stdout.decode()
    assert "“definately” in “i did not recieve" in listed



def test_the_page_dismisses_one_misspelling_of_two_in_a_sentence(analyzer):
    from starlette.testclient import TestClient

    from coach.settings import Options
    from coach.web.app import allowed_hosts, create_app
    from coach.web.engine import Engine

    good = (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8")
    i = good.index(OTHER)
    text = good[:i] + "I did not recieve my scores until Dr. Mbeki definately told me. " + good[i:]
    engine = Engine(Options(grammar="auto"), analyzer=analyzer)
    with TestClient(create_app(engine, allowed_hosts("127.0.0.1", 8765)), base_url="http://127.0.0.1:8765") as c:
        page = c.post("/ui/check", json={"text": text}).json()["html"]
        offered = re.search(r'data-rule="spelling.misspelled" data-sentence="([^"]+)" data-excerpt="definately"', page)
        assert offered and 'data-excerpt="recieve"' in page  # each Dismiss names its own word
        entry = {"rule": "spelling.misspelled", "sentence": offered.group(1), "excerpt": "definately"}
        report = c.post("/api/check", json={"text": text, "dismissals": [entry]}).json()
    left = [f["excerpt"] for f in report["findings"] if f["rule"] == "spelling.misspelled"]
    assert "recieve" in left and "definately" not in left
    assert [f["excerpt"] for f in report["dismissed"]] == ["definately"]
