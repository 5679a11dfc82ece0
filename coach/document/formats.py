"""Word-processor files read as plain text: Word (.docx, and .docm/.dotx read for their text only), rich
text (.rtf, what macOS TextEdit and WordPad save) and OpenDocument (.odt, LibreOffice). Each gives the
draft's paragraphs in order, joined by blank lines, as coach's paragraphs are; every offset coach reports
refers to that text."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from ..errors import InputError
from ..render.counts import counted

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old Word .doc, or any Office file saved with a password
MAX_UNZIPPED_BYTES = 100_000_000  # a .docx within MAX_BYTES unzips to a few MB; more is a zip bomb


def zip_kind(data: bytes) -> str | None:
    """"docx" or "odt" when `data` is a Word or OpenDocument text file, whatever its name; else None."""
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            names = set(packed.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "content.xml" in names and "mimetype" in names and _is_odf_text(packed.read("mimetype")):
                return "odt"
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, zlib.error):
        return None
    return None


def joined(blocks: list[str]) -> str:
    """Paragraphs as coach reads them: each trimmed of line breaks, empty ones dropped, a blank line between."""
    return "\n\n".join(b.strip("\n") for b in blocks if b.strip())


def read_docx(path: str, data: bytes) -> tuple[str, list[str]]:
    """Paragraphs in document order (body paragraphs and the prose in tables), joined by blank lines; and
    a notice when a table of data (rows with text in two or more cells) was left out."""
    from docx import Document as DocxDocument
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(b"PK"):
        if data.startswith(OLE_MAGIC):
            raise InputError(path, "is an old Word .doc or a password-protected file; "
                                   "open it in Word and save as .docx (without a password)")
        raise InputError(path, "is not a Word .docx file (it may be corrupt or renamed)")
    data = _without_macros(path, data)
    try:
        docx = DocxDocument(io.BytesIO(data))
    except KeyError as exc:
        if "[Content_Types].xml" in str(exc):
            raise InputError(path, "is a zip archive, not a Word file; open it in Word and save as .docx") \
                from None
        raise InputError(path, f"is a corrupt or incomplete Word file ({_short(exc)})") from None
    except ValueError as exc:
        if "content type is" in str(exc):  # python-docx: the package is a workbook, a slide deck ...
            found = str(exc).rsplit("content type is", 1)[1].strip(" '")
            what = next((name for key, name in _OFFICE_KINDS if key in found), found[:80])
            raise InputError(path, f"is not a Word file (it is {what}); save your draft as .docx") from None
        raise InputError(path, f"is a corrupt or incomplete Word file ({_short(exc)})") from None
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise InputError(path, f"is a corrupt or incomplete Word file ({_short(exc)})") from None
    except Exception as exc:  # python-docx raises many types on malformed XML inside the zip
        raise InputError(path, f"could not be read as a Word file ({_short(exc)})") from None
    text, rows = joined([paragraph_text(p) for p in docx_paragraphs(docx)]), data_rows(docx)
    if rows and not text.strip():
        raise InputError(path, f"has its words only in a table ({counted(rows, 'row')}); coach reads a draft "
                               "written in sentences, so write it as paragraphs")
    return text, [table_notice(rows)] if rows else []


def table_notice(rows: int) -> str:
    return (f"a table ({counted(rows, 'row')}) was left out: coach reads sentences, not a table's cells, and an "
            "ERAS field takes plain text only; give those facts in a sentence if they matter")


# Body paragraphs and tables in order, also inside block-level content controls (a template's "click here
# to enter text" boxes), which python-docx's iter_inner_content passes over.
_BLOCKS = "./w:p | ./w:tbl | ./w:sdt/w:sdtContent/w:p | ./w:sdt/w:sdtContent/w:tbl"


def docx_paragraphs(document: Any) -> list[Any]:
    """A Word document's paragraphs as coach reads them: the body's in order, and a table's cell by cell,
    row by row, each cell once (python-docx's row.cells repeats a merged cell for every column it spans).
    A row of data (text in two or more cells: "Step 2 CK", "243") is left out; a row with one cell of
    text is a template's or a layout's box around prose, and is read."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document._body
    out: list[Any] = []
    for element in body._element.xpath(_BLOCKS):
        if element.tag == qn("w:p"):
            out.append(Paragraph(element, body))
            continue
        for cells in _table_rows(element, body):
            if len([c for c in cells if _cell_text(c)]) < 2:
                out += [p for cell in cells for p in cell.paragraphs]
    return out


def data_rows(document: Any) -> int:
    """How many table rows docx_paragraphs leaves out as data."""
    body = document._body
    return sum(len([c for c in cells if _cell_text(c)]) >= 2
               for element in body._element.xpath(_BLOCKS) if element.tag.endswith("}tbl")
               for cells in _table_rows(element, body))


def _table_rows(element: Any, body: Any) -> list[list[Any]]:
    from docx.table import Table, _Cell

    table = Table(element, body)
    return [[_Cell(tc, table) for tc in row._tr.tc_lst] for row in table.rows]


def _cell_text(cell: Any) -> str:
    return "".join(paragraph_text(p) for p in cell.paragraphs).strip()


# The runs a reader sees: plain, in links, fields, content controls and smart tags, and tracked insertions;
# not tracked deletions or the old place of moved text (python-docx's Paragraph.text keeps only the first two,
# so an advisor's unaccepted edits vanished from the draft coach read).
_VISIBLE_RUNS = ("./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:ins/w:hyperlink/w:r | ./w:moveTo/w:r"
                 " | ./w:fldSimple/w:r | ./w:smartTag/w:r | ./w:sdt/w:sdtContent/w:r")


def visible_runs(paragraph: Any) -> list[Any]:
    """The w:r elements of a Word paragraph whose text a reader sees, in order."""
    return paragraph._p.xpath(_VISIBLE_RUNS)


def paragraph_text(paragraph: Any) -> str:
    from docx.text.run import Run

    return "".join(Run(r, paragraph).text for r in visible_runs(paragraph))


_OFFICE_KINDS = (("spreadsheetml", "an Excel workbook"), ("ms-excel", "an Excel workbook"),
                 ("presentationml", "a PowerPoint presentation"), ("ms-powerpoint", "a PowerPoint presentation"))
_MACRO_TYPES = (b"application/vnd.ms-word.document.macroEnabled.main+xml",
                b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")
_DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _without_macros(path: str, data: bytes) -> bytes:
    """A macro-enabled document (.docm) or a template (.dotx, .dotm) as python-docx reads it: the same zip
    with the main part's content type made a plain document's. Only the text is read; nothing is run.
    Refuses a zip that would unzip to more than MAX_UNZIPPED_BYTES."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            unzipped = sum(item.file_size for item in src.infolist())
            if unzipped > MAX_UNZIPPED_BYTES:  # a zip bomb, or not a draft: python-docx would read it all
                raise InputError(path, f"unzips to {unzipped / 1e6:,.0f} MB; coach reads Word files up to "
                                       f"{MAX_UNZIPPED_BYTES // 1_000_000} MB unzipped")
            types = src.read("[Content_Types].xml")
            if not any(t in types for t in _MACRO_TYPES):
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for item in src.infolist():
                    if item.filename == "[Content_Types].xml":
                        for t in _MACRO_TYPES:
                            types = types.replace(t, _DOCX_TYPE)
                        dst.writestr(item, types)
                    else:
                        dst.writestr(item, src.read(item.filename))
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error):
        return data  # python-docx reports what is wrong with it


def _short(exc: Exception) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]


def read_rtf(path: str, data: bytes) -> str:
    """Rich text: its paragraphs (\\par, or TextEdit's backslash at a line end), without the markup."""
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError(path, "is not a rich-text (.rtf) file (it may be corrupt or renamed)")
    unclosed = unclosed_groups(data)
    if unclosed:
        raise InputError(path, f"is a corrupt or incomplete rich-text file ({unclosed}); "
                               "open it in Word or TextEdit and save it again")
    try:
        # RTF is 7-bit: other characters are escapes (\\'e1, \\u225), decoded with the file's own code page
        text = rtf_to_text(data.decode("latin-1"), errors="replace")
    except Exception as exc:  # striprtf raises on malformed groups and unknown code pages
        raise InputError(path, f"could not be read as a rich-text file ({_short(exc)})") from None
    return joined([line.replace("\t", " ") for line in text.replace("\r", "\n").split("\n")])


_RTF_TOKEN = re.compile(rb"\\bin(\d+) ?|\\.|[{}]", re.S)


def unclosed_groups(data: bytes) -> str:
    """What is wrong with a rich-text file's braces, or "" when every group it opens it closes. A file
    cut short (a failed download or copy) leaves groups open; striprtf reads it anyway, as the words
    before the cut, so coach would advise on a draft that is not all there."""
    depth, at = 0, 0
    while (m := _RTF_TOKEN.search(data, at)) is not None:
        at = m.end()
        if m.group(1) is not None:  # \binN: N raw bytes, which may hold braces
            at += int(m.group(1))
        elif m.group(0) == b"{":
            depth += 1
        elif m.group(0) == b"}":
            depth -= 1
            if depth == 0 and data[at:].strip(b"\0 \r\n\t"):
                return "it goes on after its last closing brace"
    if depth > 0:
        return "it stops part-way: it may have been cut short when it was copied or downloaded"
    return ""


_ODF = "urn:oasis:names:tc:opendocument:xmlns:"
_TEXT, _OFFICE = f"{{{_ODF}text:1.0}}", f"{{{_ODF}office:1.0}}"
_PARAGRAPHS = {f"{_TEXT}p", f"{_TEXT}h"}
_TABLE_ROW, _TABLE_CELL = f"{{{_ODF}table:1.0}}table-row", f"{{{_ODF}table:1.0}}table-cell"
_SKIPPED = {f"{_TEXT}note", f"{_OFFICE}annotation", f"{_TEXT}tracked-changes", f"{_TEXT}bookmark-ref"}
_OTHER_ODF = (("spreadsheet", "a spreadsheet"), ("presentation", "a presentation"), ("graphics", "a drawing"))


def read_odt(path: str, data: bytes) -> tuple[str, list[str]]:
    """OpenDocument text: paragraphs and headings in order (lists and the prose in tables included),
    without footnotes, comments or the deleted text of tracked changes; and a notice when a table of data
    (rows with text in two or more cells) was left out, as for a Word file."""
    content = _odt_content(path, data)
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise InputError(path, f"is a corrupt OpenDocument file ({_short(exc)})") from None
    body = root.find(f"{_OFFICE}body")
    blocks: list[str] = []
    rows = _collect(body if body is not None else root, blocks)
    text = joined(blocks)
    if rows and not text.strip():
        raise InputError(path, f"has its words only in a table ({counted(rows, 'row')}); coach reads a draft "
                               "written in sentences, so write it as paragraphs")
    return text, [table_notice(rows)] if rows else []


def _odt_content(path: str, data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as odt:
            names = set(odt.namelist())
            kind = odt.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
            if kind and not _is_odf_text(kind.encode()):
                what = next((name for key, name in _OTHER_ODF if key in kind), kind[:80])
                raise InputError(path, f"is not a text document (it is {what}); save your draft as .odt or .docx")
            if "content.xml" not in names:
                raise InputError(path, "is a zip archive, not an OpenDocument text; save your draft as .odt or .docx")
            if odt.getinfo("content.xml").file_size > MAX_UNZIPPED_BYTES:
                raise InputError(path, f"unzips to more than {MAX_UNZIPPED_BYTES // 1_000_000} MB; "
                                       "coach reads documents up to that size")
            return odt.read("content.xml")
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise InputError(path, f"is not an OpenDocument (.odt) file, or it is corrupt ({_short(exc)})") from None


def _is_odf_text(mimetype: bytes) -> bool:
    return mimetype.strip() == b"application/vnd.oasis.opendocument.text"


def _collect(element: ElementTree.Element, blocks: list[str]) -> int:
    """Adds the element's paragraphs to `blocks`; returns how many table rows of data it left out."""
    rows = 0
    for child in element:
        if child.tag in _SKIPPED:
            continue
        if child.tag in _PARAGRAPHS:
            blocks.append("".join(_inline(child)))
        elif child.tag == _TABLE_ROW and _cells_with_text(child) >= 2:
            rows += 1
        else:
            rows += _collect(child, blocks)
    return rows


def _cells_with_text(row: ElementTree.Element) -> int:
    return sum(1 for cell in row if cell.tag == _TABLE_CELL and "".join(cell.itertext()).strip())


def _inline(element: ElementTree.Element) -> Iterator[str]:
    """A paragraph's text: its runs, with the spaces, tabs and line breaks ODF writes as elements."""
    yield element.text or ""
    for child in element:
        if child.tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            yield " " * (min(int(count), 1000) if count.isdigit() else 1)
        elif child.tag == f"{_TEXT}tab":
            yield " "
        elif child.tag == f"{_TEXT}line-break":
            yield "\n"
        elif child.tag not in _SKIPPED:
            yield from _inline(child)
        yield child.tail or ""
