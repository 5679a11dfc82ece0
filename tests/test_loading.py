"""Reading drafts as users save them, and refusing bad input with one line and exit 2."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from coach.document import load, mask_markdown
from coach.errors import InputError
from tests.conftest import odt_bytes, run_cli, run_coach

TEXT = "I failed Step 1 in 2021 – my “plan” relied on reading. I take full responsibility for that.\n"


def _docx_bytes(paragraphs: list[str]) -> bytes:
    from docx import Document

    d = Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_text_encodings_read_back_the_same_words(tmp_path, encoding):
    path = tmp_path / "explanation.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert load(str(path)).text == TEXT


def test_utf16_without_bom_is_recognised(tmp_path):
    path = tmp_path / "explanation.txt"
    path.write_bytes(TEXT.encode("utf-16-le"))
    assert load(str(path)).text == TEXT


def test_docx_paragraphs_in_order(tmp_path):
    path = tmp_path / "statement.docx"
    path.write_bytes(_docx_bytes(["First paragraph here.", "", "Second paragraph here."]))
    doc = load(str(path))
    assert doc.text == "First paragraph here.\n\nSecond paragraph here."


def test_markdown_markup_is_blanked_but_offsets_kept():
    text = "# My story\n\nI **failed** Step 1, see [my notes](http://x.org/a_b).\n"
    masked = mask_markdown(text)
    assert len(masked) == len(text)
    assert "#" not in masked and "**" not in masked and "http" not in masked
    assert "my notes" in masked and "failed" in masked


def test_markdown_markup_produces_no_findings(tmp_path):
    path = tmp_path / "explanation.md"
    path.write_text("## Step 1\n\n* I take **full responsibility** for my result.\n", encoding="utf-8")
    result = run_cli("check", "--format", "json", str(path))
    report = json.loads(result.stdout)
    assert report["findings"], "the draft has no growth; the framework should say so"
    for f in report["findings"]:
        assert f["excerpt"].strip("#* ") and f["excerpt"][0] not in "#*" and f["excerpt"][-1] not in "#*", f
    for s in report["sentences"]:
        assert s["text"][0] not in "#*", s


def test_stdin(tmp_path):
    result = run_cli("check", "--format", "json", "-", stdin=TEXT.encode("utf-8"))
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["file"] == "-"


def test_a_word_file_piped_in_is_read_for_its_words():
    # `cat statement.docx | coach check -` was refused as "a binary file ... save your draft as .txt or .docx"
    result = run_cli("check", "--format", "json", "--grammar", "off", "-", stdin=_docx_bytes([TEXT.strip()]))
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["file"] == "-" and report["summary"]["words"] == len(TEXT.split()) - 1  # "–" is no word
    assert [s["text"] for s in report["sentences"]] == [TEXT.split(". ")[0] + ".", TEXT.split(". ")[1].strip()]


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "coach: standard input: is empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "coach: standard input: is an old Word .doc"),
])
def test_a_problem_with_standard_input_names_it_in_words(data, expected):
    result = run_cli("check", "-", stdin=data)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == result.stderr.decode().strip().splitlines()[0]
    assert result.stderr.decode().startswith(expected), result.stderr


def test_the_text_report_of_standard_input_names_it_in_words():
    result = run_cli("check", "--grammar", "off", "-", stdin=TEXT.encode("utf-8"))
    assert result.stdout.decode().startswith("standard input  (")


EXPLANATION = ["I failed Step 1 in 2021 while working nights, and I take full responsibility for how I prepared.",
               "I rebuilt my plan around timed question blocks and weekly feedback from my mentor.",
               "I passed Step 2 CK on my first attempt with a 243."]


def _docx_with_table(rows: list[list[str]]) -> bytes:
    from docx import Document

    d = Document()
    d.add_paragraph(EXPLANATION[0])
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    for p in EXPLANATION[1:]:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_table_of_scores_is_left_out_of_the_sentences_with_one_notice(tmp_path):
    # each cell ("Exam", "Score", "Step 2 CK", "243") was a sentence, and "243" a growth sentence
    path = tmp_path / "explanation.docx"
    path.write_bytes(_docx_with_table([["Exam", "Score"], ["Step 2 CK", "243"]]))
    result = run_cli("check", "--format", "json", "--grammar", "off", str(path))
    report = json.loads(result.stdout)
    assert [s["text"] for s in report["sentences"]] == EXPLANATION
    assert "coach: a table (2 rows) was left out" in result.stderr.decode()
    assert result.stderr.decode().count("left out") == 1  # said once


def test_prose_in_a_one_column_table_is_still_read(tmp_path):
    path = tmp_path / "template.docx"
    path.write_bytes(_docx_with_table([["My explanation, as the template asks."], [""]]))
    assert load(str(path)).text.split("\n\n")[1] == "My explanation, as the template asks."


def test_a_draft_that_is_only_a_table_of_data_is_one_line(tmp_path):
    from docx import Document

    d = Document()
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Step 2 CK", "243"
    d.save(str(tmp_path / "scores.docx"))
    with pytest.raises(InputError, match=r"has its words only in a table \(1 row\); .* write it as paragraphs"):
        load(str(tmp_path / "scores.docx"))


def _odt_row(cells: list[str]) -> str:
    return "<table:table-row>" + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>"
                                         for c in cells) + "</table:table-row>"


def test_an_odt_table_of_scores_is_left_out_like_a_word_one(tmp_path):
    path = tmp_path / "explanation.odt"
    rows = "".join(_odt_row(r) for r in (["Exam", "Score"], ["Step 2 CK", "243"], ["A note in one cell", ""]))
    path.write_bytes(odt_bytes(f"<text:p>{EXPLANATION[0]}</text:p><table:table>{rows}</table:table>"
                               + "".join(f"<text:p>{p}</text:p>" for p in EXPLANATION[1:])))
    doc = load(str(path))
    assert doc.text.split("\n\n") == [EXPLANATION[0], "A note in one cell", *EXPLANATION[1:]]
    assert doc.notices and doc.notices[0].startswith("a table (2 rows) was left out")


def _bad_inputs(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "bad-utf16.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8" * 4)  # lone surrogates
    (tmp_path / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    (tmp_path / "zip-of-else.docx").write_bytes(buf.getvalue())
    good = _docx_bytes(["A paragraph."])
    (tmp_path / "truncated.docx").write_bytes(good[: len(good) // 2])
    (tmp_path / "huge.txt").write_bytes(b"I studied every day. " * 250_000)  # about 5 MB
    return {
        "missing.txt": "no such file", "folder": "is a folder", "empty.txt": "is empty", "blank.txt": "is empty",
        "binary.txt": "binary", "bad-utf16.txt": "not valid", "corrupt.docx": "Word file",
        "zip-of-else.docx": "Word file", "truncated.docx": "Word file", "huge.txt": "MB",
    }


def test_bad_inputs_give_one_line_and_exit_2(tmp_path):
    expected = _bad_inputs(tmp_path)
    for name, words in expected.items():
        path = tmp_path / name
        before = path.read_bytes() if path.is_file() else None
        result = run_cli("check", str(path))
        err = result.stderr.decode()
        assert result.returncode == 2, (name, err)
        assert err.count("\n") == 1 and str(path) in err and words in err, (name, err)
        assert "Traceback" not in err
        if before is not None:
            assert path.read_bytes() == before


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    result = run_cli("check", "--format", "json", str(tmp_path / "missing.txt"), str(good))
    assert result.returncode == 2
    reports = json.loads(result.stdout)
    assert [r["file"] for r in reports] == [str(good)]
    assert "missing.txt: no such file" in result.stderr.decode()


def test_loader_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match="nope.txt: no such file"):
        load(str(tmp_path / "nope.txt"))


def test_bad_inputs_end_to_end_in_a_fresh_process(tmp_path):
    """The real command, in its own process: one line per bad file, exit 2, never a traceback."""
    expected = _bad_inputs(tmp_path)
    paths = [str(tmp_path / name) for name in expected]
    result = run_coach("check", *paths)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == len(paths), err
