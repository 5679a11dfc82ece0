"""Drafts saved by the word processors applicants use besides Word: rich text (.rtf, what macOS TextEdit
saves by default, and WordPad) and OpenDocument (.odt, LibreOffice). Each is read for its words alone, in
order, with the markup, footnotes, comments and deleted text left out, and a broken one is one line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from coach.document import load
from coach.errors import InputError
from tests.conftest import odt_bytes

# As TextEdit writes it: a header of tables, a backslash at a line's end for each paragraph mark, and
# accented letters as \'xx escapes in the file's code page.
TEXTEDIT_RTF = (
    "{\\rtf1\\ansi\\ansicpg1252\\cocoartf2761\n"
    "\\cocoatextscaling0\\cocoaplatform0{\\fonttbl\\f0\\fswiss\\fcharset0 Helvetica;}\n"
    "{\\colortbl;\\red255\\green255\\blue255;}\n"
    "{\\*\\expandedcolortbl;;}\n"
    "\\paperw11900\\paperh16840\\margl1440\\margr1440\\vieww11520\\viewh8400\\viewkind0\n"
    "\\pard\\tx566\\tx1133\\pardirnatural\\partightenfactor0\n\n"
    "\\f0\\fs24 \\cf0 I failed Step 1 in 2021 while I worked nights at a clinic in Bogot\\'e1.\\\n"
    "\\\n"
    "I relied on re-reading notes and did not practise timed questions, and that was my decision.}"
)
# As Word and WordPad write it: \par for paragraph marks and \uN? for letters outside the code page.
WORD_RTF = (
    "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}"
    "{\\info{\\author Priya}{\\title Draft}}"
    "\\pard\\f0\\fs24 I passed Step 2 CK with 241 after a twelve-week plan in \\u321?\\'f3d\\u378?.\\par\n"
    "{\\*\\annotation A comment the advisor left.}"
    "I now keep an error log by topic.\\par}"
)


ODT_BODY = (
    '<text:h text:outline-level="1">Additional information</text:h>'
    "<text:p>I failed Step 1 in 2021.<text:s text:c=\"2\"/>I relied on re-reading notes"
    "<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>"
    "<text:note-body><text:p>A footnote the reader never sees.</text:p></text:note-body></text:note>"
    ", and that was my decision.</text:p>"
    "<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion>"
    "<text:p>The exam was unfair to me.</text:p></text:deletion></text:changed-region></text:tracked-changes>"
    "<text:p><office:annotation><dc:creator>Advisor</dc:creator><text:p>Say more here.</text:p>"
    "</office:annotation>I now do forty timed questions<text:tab/>each morning.</text:p>"
    "<text:list><text:list-item><text:p>I passed Step 2 CK with 238.</text:p></text:list-item></text:list>"
    "<table:table><table:table-row><table:table-cell><text:p>Family medicine</text:p></table:table-cell>"
    "</table:table-row></table:table>"
    "<text:p/>"
)


def test_textedit_rtf_is_read_as_its_words_in_paragraphs(tmp_path):
    path = tmp_path / "explanation.rtf"
    path.write_bytes(TEXTEDIT_RTF.encode("ascii"))
    doc = load(str(path))
    assert doc.text == ("I failed Step 1 in 2021 while I worked nights at a clinic in Bogotá.\n\n"
                        "I relied on re-reading notes and did not practise timed questions, and that was my decision.")
    assert doc.source_format == "rtf"


def test_word_rtf_keeps_unicode_letters_and_leaves_out_comments_and_document_info(tmp_path):
    path = tmp_path / "growth.rtf"
    path.write_bytes(WORD_RTF.encode("ascii"))
    text = load(str(path)).text
    assert "Łódź" in text
    assert text.endswith("I now keep an error log by topic.")
    for hidden in ("comment the advisor", "Priya", "Times New Roman", "\\", "{"):
        assert hidden not in text


def test_rich_text_saved_under_a_txt_name_is_still_read_as_rich_text(tmp_path):
    path = tmp_path / "explanation.txt"  # TextEdit's "Save as" keeps rich text unless told otherwise
    path.write_bytes(TEXTEDIT_RTF.encode("ascii"))
    assert load(str(path)).text.startswith("I failed Step 1 in 2021 while I worked nights")


def test_odt_reads_headings_lists_and_tables_but_not_notes_comments_or_deleted_text(tmp_path):
    path = tmp_path / "statement.odt"
    path.write_bytes(odt_bytes(ODT_BODY))
    doc = load(str(path))
    assert doc.text == ("Additional information\n\n"
                        "I failed Step 1 in 2021.  I relied on re-reading notes, and that was my decision.\n\n"
                        "I now do forty timed questions each morning.\n\n"
                        "I passed Step 2 CK with 238.\n\n"
                        "Family medicine")
    assert doc.source_format == "odt"


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("not-rich.rtf", b"just words, not rich text", "not a rich-text (.rtf) file"),
    # cut short in a copy or download: striprtf reads the words before the cut, a draft that is not all there
    ("cut.rtf", TEXTEDIT_RTF.encode("ascii")[:400], "corrupt or incomplete rich-text file (it stops part-way"),
    ("unclosed.rtf", b"{\\rtf1 unclosed {{{ \\par", "open it in Word or TextEdit and save it again"),
    ("extra.rtf", TEXTEDIT_RTF.encode("ascii") + b"} and more words", "goes on after its last closing brace"),
    ("broken.odt", b"PK\x03\x04 not really a zip", "not an OpenDocument (.odt) file"),
    ("sheet.odt", odt_bytes("<text:p>x</text:p>", "application/vnd.oasis.opendocument.spreadsheet"),
     "is not a text document (it is a spreadsheet)"),
    ("empty.odt", odt_bytes("<text:p/>"), "is empty"),
    # files to export first: each says how rather than being read
    ("statement.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "copy its text into a .txt file"),
    ("statement.pages", b"PK\x03\x04 Index/Document.iwa", "File > Export To > Word"),
    ("statement.gdoc", b'{"url": "https://docs.google.com/document/d/x/edit", "doc_id": "x"}', "File > Download"),
])
def test_a_broken_or_unreadable_file_is_one_line_naming_it(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        load(str(path))
    assert str(path) in str(caught.value) and expected in str(caught.value)
    assert path.read_bytes() == data  # never modified


def test_an_rtf_draft_is_checked_end_to_end_with_offsets_into_the_text_read(tmp_path):
    path = tmp_path / "explanation.rtf"
    path.write_bytes(TEXTEDIT_RTF.encode("ascii"))
    run = subprocess.run([sys.executable, "-m", "coach.cli", "check", str(path), "--format", "json"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(run.stdout)
    assert report["kind"] == "explanation" and report["summary"]["sentences"] == 2
    text = load(str(path)).text
    assert [s["text"] for s in report["sentences"]] == [text[s["start"]:s["end"]] for s in report["sentences"]]
    assert not any(f["category"] == "spelling" for f in report["findings"]), report["findings"]


def test_a_word_or_opendocument_file_under_a_txt_name_is_read_for_its_words(tmp_path):
    import docx

    word = docx.Document()
    word.add_paragraph("I failed Step 1 in 2021 and I own that decision.")
    buffer = tmp_path / "saved.docx"
    word.save(str(buffer))
    (tmp_path / "explanation.txt").write_bytes(buffer.read_bytes())
    (tmp_path / "statement.txt").write_bytes(odt_bytes("<text:p>I trained in Lagos.</text:p>"))
    assert load(str(tmp_path / "explanation.txt")).text == "I failed Step 1 in 2021 and I own that decision."
    assert load(str(tmp_path / "statement.txt")).text == "I trained in Lagos."
