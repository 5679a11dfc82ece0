"""The JSON report keeps to shared/contracts/report-json.md, and every offset slices to its excerpt."""

from __future__ import annotations

import io
import json

import pytest

from tests.conftest import SAMPLES, run_cli

CATEGORIES = {"framework", "blame", "excuse", "oversharing", "growth", "length", "nrmp", "specificity", "mission",
              "grammar", "spelling", "readability", "style", "consistency", "delivery"}
ROLES = {"context", "responsibility", "growth", "connection", "other"}


def validate(report: dict, text: str) -> None:
    assert report["schema"] == 1
    assert isinstance(report["coach_version"], str)
    assert report["kind"] in {"explanation", "personal_statement", "email", "interview"}
    summary = report["summary"]
    assert set(summary) >= {"errors", "warnings", "suggestions", "words", "characters", "sentences"}
    assert summary["characters"] == len(text)
    assert summary["sentences"] == len(report["sentences"])
    for key, severity in (("errors", "error"), ("warnings", "warning"), ("suggestions", "suggestion")):
        assert summary[key] == sum(1 for f in report["findings"] if f["severity"] == severity)
    for s in report["sentences"]:
        assert text[s["start"]:s["end"]] == s["text"]
        assert s["role"] in ROLES and 0 <= s["confidence"] <= 1
    fw = report["framework"]
    if report["kind"] == "email":
        assert fw is None
    if report["kind"] in ("explanation", "interview"):
        assert set(fw["parts"]) == {"context", "responsibility", "growth", "connection"}
    if fw is not None:
        assert isinstance(fw["order_ok"], bool)
        for part in fw["parts"].values():
            assert part["status"] in {"ok", "missing", "too_long", "too_short"}
            assert part["present"] == bool(part["sentences"])
            assert len(part["expected"]) == 2
    previous = (-1, -1)
    rank = {"error": 0, "warning": 1, "suggestion": 2}
    for f in report["findings"]:
        assert f["category"] == f["rule"].split(".")[0] and f["category"] in CATEGORIES
        assert f["severity"] in rank
        assert text[f["start"]:f["end"]] == f["excerpt"]
        line, column = text.count("\n", 0, f["start"]) + 1, f["start"] - text.rfind("\n", 0, f["start"])
        assert (f["line"], f["column"]) == (line, column)
        assert f["message"] and f["suggestion"]
        key = (f["start"], rank[f["severity"]])
        assert key >= previous
        previous = key


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_samples_validate_against_the_contract(sample):
    path = SAMPLES / sample
    result = run_cli("check", "--format", "json", str(path))
    assert result.returncode in (0, 1), result.stderr.decode()
    validate(json.loads(result.stdout), path.read_text(encoding="utf-8"))


def test_docx_and_cp1252_offsets(tmp_path):
    from docx import Document

    text = (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8")
    d = Document()
    for para in text.split("\n\n"):
        d.add_paragraph(para.strip())
    buf = io.BytesIO()
    d.save(buf)
    docx_path = tmp_path / "blames.docx"
    docx_path.write_bytes(buf.getvalue())
    cp_path = tmp_path / "blames-cp1252.txt"
    cp_text = text.replace("\u2019", "\u2019")  # keep Word's curly apostrophes: cp1252 has them
    cp_path.write_bytes(cp_text.encode("cp1252", errors="replace"))
    result = run_cli("check", "--format", "json", str(docx_path), str(cp_path))
    reports = json.loads(result.stdout)
    from coach.document import load

    for report, path in zip(reports, (docx_path, cp_path)):
        validate(report, load(str(path)).text)
        assert any(f["category"] == "blame" for f in report["findings"])


def test_several_files_give_an_array():
    files = [str(SAMPLES / "explanation-good.txt"), str(SAMPLES / "explanation-blames.txt")]
    reports = json.loads(run_cli("check", "--format", "json", *files).stdout)
    assert [r["file"] for r in reports] == files
