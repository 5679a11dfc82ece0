"""report.html and summary.csv: self-contained, escaped, and built only from the reports."""

from __future__ import annotations

import csv
import io
import re

from coach.batch.model import BatchResult, Entry
from coach.render.csv import render_csv, safe_cell
from coach.render.html import render_html, segments

EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
TEXT = f"I failed Step 1. The questions were unfair. {EVIL}\n\nI now keep an error log."


def finding(rule: str, severity: str, start: int, end: int, message: str = "A message.") -> dict:
    return {"rule": rule, "category": rule.split(".")[0], "severity": severity, "message": message,
            "suggestion": "Do this instead.", "start": start, "end": end, "line": 1, "column": start + 1,
            "excerpt": TEXT[start:end]}


def report(file: str) -> dict:
    unfair = TEXT.index("The questions were unfair")
    sentences = [(0, 16, "context"), (17, 43, "responsibility"), (44, 44 + len(EVIL), "other"),
                 (len(TEXT) - 24, len(TEXT), "growth")]
    return {
        "schema": 1, "coach_version": "0.1.0", "file": file, "kind": "explanation",
        "summary": {"errors": 1, "warnings": 1, "suggestions": 0, "words": 30, "characters": len(TEXT),
                    "sentences": 4},
        "framework": {"parts": {
            "context": {"present": True, "sentences": [0], "expected": [1, 2], "status": "ok"},
            "responsibility": {"present": True, "sentences": [1], "expected": [1, 2], "status": "ok"},
            "growth": {"present": True, "sentences": [3], "expected": [2, 3], "status": "too_short"},
            "connection": {"present": False, "sentences": [], "expected": [1, 2], "status": "missing"}},
            "order_ok": True},
        "sentences": [{"index": i, "start": s, "end": e, "text": TEXT[s:e], "role": r, "confidence": 0.9}
                      for i, (s, e, r) in enumerate(sentences)],
        "findings": [finding("blame.exam-unfair", "error", unfair + 4, unfair + 25, f"Blames the exam {EVIL}"),
                     finding("framework.missing-connection", "warning", 0, 16)],
        "metrics": {"flesch_reading_ease": 60.0, "flesch_kincaid_grade": 9.0},
    }


def cohort() -> BatchResult:
    evil_file = f"drafts/{EVIL}/explanation.txt"
    return BatchResult([
        Entry(file=evil_file, applicant=EVIL, sha256="x", report=report(evil_file), text=TEXT),
        Entry(file="drafts/ben/=HYPERLINK(1).docx", applicant="ben", sha256="y", error="is a corrupt Word file"),
        Entry(file="drafts/cid/explanation.txt", applicant="cid", sha256="z"),  # interrupted: not analysed
    ], skipped=[("drafts/ben/photo.jpg", "not a draft")], complete=False)


def test_a_finding_over_several_sentences_names_them_all_and_one_outside_any_names_its_line():
    r = report("drafts/ann/explanation.txt")
    r["findings"] = [finding("framework.too-long", "warning", 0, 43), finding("length.field", "warning", 16, 17)]
    entry = Entry(file=r["file"], applicant="ann", sha256="a", report=r, text=TEXT)
    page = render_html(BatchResult([entry], skipped=[]))
    assert "<small>sentences 1–2</small>" in page and "<small>line 1</small>" in page


def test_page_is_self_contained_and_escapes_every_draft_string():
    page = render_html(cohort())
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # only the page's own inline script
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # nothing fetched
    assert "<link" not in page and "@import" not in page


def test_page_has_cohort_table_chart_annotations_and_framework():
    page = render_html(cohort())
    assert 'id="cohort"' in page and page.count("<tr class=\"status-") == 3
    assert "<svg" in page and "blame.exam-unfair" in page
    assert "<small>sentence 2</small>" in page  # the findings list numbers sentences, not lines
    labels = re.findall(r'<text x="270"[^>]*class="label">([^<]*)</text>', page)
    assert "Blame: exam unfair" in labels and not [x for x in labels if "." in x]  # plain words, not rule ids
    assert 'class="u sev-error' in page and 'data-tip="error · blame.exam-unfair: Blames the exam &lt;script' in page
    assert "role-context" in page and "role-growth" in page
    assert 'class="st-missing">missing' in page and "too short" in page
    assert "is a corrupt Word file" in page and "photo.jpg" in page
    assert "--resume" in page  # the interrupted run says how to finish
    rows = re.findall(r'<tr class="status-([\w-]+)">', page)
    assert rows[0] == "error"  # an unreadable draft needs the advisor first


def test_segments_cover_the_text_exactly_with_roles_and_findings():
    rep = report("a.txt")
    pieces = segments(TEXT, rep["sentences"], rep["findings"])
    assert "".join(p.text for p in pieces) == TEXT
    unfair = next(p for p in pieces if p.severity == "error")
    assert unfair.text == "questions were unfair" and unfair.role == "responsibility"
    assert any(p.role == "context" and p.severity == "warning" for p in pieces)
    pinned = segments(TEXT, rep["sentences"], [finding("framework.missing-growth", "warning", 5, 5)])
    assert [p for p in pinned if p.tips and not p.text]  # a zero-width finding still shows


def test_csv_rows_errors_and_formula_guard():
    text = render_csv(cohort())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["status"] for r in rows] == ["ok", "error: is a corrupt Word file", "not analysed (run interrupted)"]
    first = rows[0]
    assert first["errors"] == "1" and first["warnings"] == "1" and first["missing framework parts"] == "connection"
    assert first["finding 1"].startswith("error: Blames the exam")
    assert first["finding 2"].startswith("warning:") and first["finding 3"] == ""
    assert rows[1]["file"] == "drafts/ben/=HYPERLINK(1).docx"  # not at the start of the cell: harmless
    for raw in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(raw) == "'" + raw
    assert safe_cell("ok") == "ok" and safe_cell(3) == 3


def test_csv_guards_formulas_from_draft_controlled_cells():
    result = cohort()
    result.entries[0].applicant = "=cmd|' /C calc'!A0"
    rows = list(csv.reader(io.StringIO(render_csv(result))))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"


def test_a_draft_too_short_for_reading_ease_says_so_and_a_long_enough_one_gives_the_figures():
    page = render_html(cohort())
    assert "Reading ease 60.0, grade 9.0." in page
    short = cohort()
    short.entries[0].report["metrics"]["readability_reliable"] = False
    page = render_html(short)
    assert "Too short for a reading-ease figure." in page and "Reading ease 60.0" not in page
