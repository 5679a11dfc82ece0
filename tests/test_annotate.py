"""coach check draft.docx --annotate out.docx: one Word comment per finding, anchored at its words."""

from __future__ import annotations

import hashlib

import docx
import pytest

from coach.document import load
from coach.errors import CoachError
from coach.render.annotate import annotate_docx
from tests.conftest import SAMPLES, run_cli, run_coach

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def make_draft(path) -> None:
    """explanation-blames.txt as Word would hold it: formatting splits sentences into several runs, one
    paragraph is a table cell."""
    text = (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8").strip()
    sentences = text.split(". ")
    document = docx.Document()
    paragraph = document.add_paragraph()
    for i, sentence in enumerate(sentences[:4]):
        run = paragraph.add_run(sentence + ". ")
        run.bold = i % 2 == 1
    words = (". ".join(sentences[4:])).split(" ")
    middle = len(words) // 2
    second = document.add_paragraph(" ".join(words[:middle]) + " ")
    second.add_run(" ".join(words[middle:])).italic = True
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].add_run("I blame the proctor, who was rude and unfair to everyone.")
    document.save(str(path))


def anchored_texts(path) -> dict[str, str]:
    """Comment id → the text between its commentRangeStart and commentRangeEnd, in document order."""
    body = docx.Document(str(path)).element.body
    open_ids: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for el in body.iter():
        if el.tag == W + "commentRangeStart":
            open_ids[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            cid = el.get(W + "id")
            done[cid] = "".join(open_ids.pop(cid))
        elif el.tag == W + "t":
            for parts in open_ids.values():
                parts.append(el.text or "")
    return done


def test_each_finding_becomes_a_comment_on_its_words(tmp_path, analyzer):
    draft, out = tmp_path / "draft.docx", tmp_path / "draft-annotated.docx"
    make_draft(draft)
    original = hashlib.sha256(draft.read_bytes()).hexdigest()
    report = analyzer.analyse(load(str(draft))).to_json()
    assert len(report["findings"]) >= 5
    added = annotate_docx(str(draft), report, str(out))
    assert added == len(report["findings"])
    assert hashlib.sha256(draft.read_bytes()).hexdigest() == original  # the draft is untouched
    annotated = docx.Document(str(out))
    comments = list(annotated.comments)
    assert len(comments) == added
    assert {c.author for c in comments} == {"coach"}
    texts = [c.text for c in comments]
    for f in report["findings"]:
        assert any(f["message"] in t for t in texts)
    anchors = sorted(anchored_texts(out).values())
    assert anchors == sorted(f["excerpt"].replace("\n\n", "") for f in report["findings"])
    # cutting runs kept every word and its formatting
    assert load(str(out)).text == load(str(draft)).text
    bold = [r.text for r in annotated.paragraphs[0].runs if r.bold]
    assert "".join(bold) == "".join(r.text for r in docx.Document(str(draft)).paragraphs[0].runs if r.bold)


def test_refuses_to_overwrite_or_annotate_text(tmp_path):
    draft = tmp_path / "draft.docx"
    make_draft(draft)
    with pytest.raises(CoachError, match="overwrite"):
        annotate_docx(str(draft), {"findings": []}, str(draft))
    with pytest.raises(CoachError, match="needs a Word .docx"):
        annotate_docx(str(SAMPLES / "explanation-good.txt"), {"findings": []}, str(tmp_path / "x.docx"))


def test_check_annotate_from_the_command_line(tmp_path):
    draft, out = tmp_path / "draft.docx", tmp_path / "out.docx"
    make_draft(draft)
    result = run_coach("check", str(draft), "--annotate", str(out), "--grammar", "off")
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr  # findings at error level, as without --annotate
    assert f"wrote {out} with" in stderr and "Traceback" not in stderr
    assert len(list(docx.Document(str(out)).comments)) > 0
    bad = run_coach("check", str(SAMPLES / "explanation-good.txt"), "--annotate", str(tmp_path / "x.docx"))
    assert bad.returncode == 2 and bad.stderr.decode().count("\n") == 1


def test_a_bad_annotate_target_is_refused_before_the_report(tmp_path):
    """The mistake is said first, not after a whole report the user then has to run again."""
    draft = tmp_path / "draft.docx"
    make_draft(draft)
    link = tmp_path / "link.docx"
    link.hardlink_to(draft)
    for target in (draft, link, tmp_path / "missing" / "out.docx", tmp_path / "out.txt"):
        before = draft.read_bytes()
        result = run_cli("check", str(draft), "--annotate", str(target), "--grammar", "off")
        assert result.returncode == 2 and result.stdout == b"", target
        assert result.stderr.decode().count("\n") == 1 and str(target) in result.stderr.decode()
        assert draft.read_bytes() == before


def _tracked(element: str, run_text: str, tag: str = "w:t") -> object:
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return parse_xml(f'<{element} {ns} w:id="9" w:author="Advisor" w:date="2026-01-05T00:00:00Z">'
                     f'<w:r><{tag} xml:space="preserve">{run_text}</{tag}></w:r></{element}>')


def test_unaccepted_tracked_changes_read_as_the_draft_now_stands_and_are_annotated_there(tmp_path, analyzer):
    """An advisor's edits left as tracked changes: the inserted words are the draft, the deleted ones are not."""
    draft, out = tmp_path / "tracked.docx", tmp_path / "tracked-annotated.docx"
    document = docx.Document()
    paragraph = document.add_paragraph("I failed Step 1 in 2021 ")
    paragraph._p.append(_tracked("w:del", "because I had no time to study", "w:delText"))
    paragraph._p.append(_tracked("w:ins", "because the questions were unfair"))
    paragraph.add_run(".")
    document.save(str(draft))
    assert load(str(draft)).text == "I failed Step 1 in 2021 because the questions were unfair."
    report = analyzer.analyse(load(str(draft))).to_json()
    blame = [f for f in report["findings"] if f["category"] == "blame"]
    assert blame, report["findings"]
    annotate_docx(str(draft), {"findings": blame}, str(out))
    assert any("unfair" in anchor for anchor in anchored_texts(out).values())
    assert load(str(out)).text == load(str(draft)).text


def test_merged_cells_are_read_once_and_content_controls_are_read(tmp_path, analyzer):
    """A table cell merged across two columns is one cell, not the same sentence twice; a template's
    content control (a "click here to enter text" box) holds the applicant's words."""
    from docx.oxml import parse_xml

    draft, out = tmp_path / "template.docx", tmp_path / "template-annotated.docx"
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.paragraphs[0].add_run("I failed Step 1 in 2021 because the questions were unfair.")
    table.cell(1, 0).paragraphs[0].add_run("Step 2 CK")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document.element.body.insert(0, parse_xml(
        f'<w:sdt {ns}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>My explanation, as the template asks.</w:t></w:r>'
        "</w:p></w:sdtContent></w:sdt>"))
    document.save(str(draft))
    text = load(str(draft)).text
    assert text == ("My explanation, as the template asks.\n\n"
                    "I failed Step 1 in 2021 because the questions were unfair.\n\nStep 2 CK")
    report = analyzer.analyse(load(str(draft))).to_json()
    blame = [f for f in report["findings"] if f["category"] == "blame"]
    annotate_docx(str(draft), {"findings": blame}, str(out))
    assert any("unfair" in anchor for anchor in anchored_texts(out).values())
