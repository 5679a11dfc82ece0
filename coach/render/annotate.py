"""`coach check draft.docx --annotate out.docx`: a copy of the Word file with each finding as a Word comment
anchored at its words, the way advisors already return feedback. The original is only read.

Offsets in a report refer to the text document.formats.read_docx builds (body paragraphs and table cells in order,
joined by blank lines); this module walks the same paragraphs in the same order to map an offset back to a
run, splitting a run where a finding starts or ends inside it so the comment covers just those words."""

from __future__ import annotations

import copy
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..document.formats import docx_paragraphs, paragraph_text, visible_runs
from ..errors import CoachError

AUTHOR, INITIALS = "coach", "C"
_SPLITTABLE = {"rPr", "t", "tab", "br", "cr"}  # a run holding only these can be cut in two safely


@dataclass
class _Block:
    paragraph: Any  # docx.text.paragraph.Paragraph
    start: int  # offset of its first kept character in the analysed text
    lead: int  # characters of the paragraph text dropped at its start ("\n" stripped by read_docx)
    length: int


def annotate_docx(source: str, report: dict[str, Any], out: str) -> int:
    """Write `out`: the Word file `source` with one comment per finding. Returns the number of comments."""
    from docx import Document as open_docx

    from .files import write_atomic

    check_target(source, out)
    src, dst = Path(source), Path(out)
    try:
        document = open_docx(io.BytesIO(src.read_bytes()))
    except Exception:  # load() already read this file, so this is unexpected; keep it to one line
        raise CoachError(f"{source}: could not be opened again to annotate it") from None
    blocks = _blocks(document)
    added = 0
    for finding in report.get("findings", []):
        runs = _anchor(blocks, finding["start"], max(finding["end"], finding["start"] + 1))
        if runs is None:
            continue
        comment = document.add_comment(runs, text=f"{finding['severity'].capitalize()}: {finding['message']}",
                                       author=AUTHOR, initials=INITIALS)
        if finding.get("suggestion"):
            comment.add_paragraph(f"Try: {finding['suggestion']}")
        added += 1
    buffer = io.BytesIO()
    document.save(buffer)
    try:
        write_atomic(dst, buffer.getvalue())
    except OSError as exc:
        raise CoachError(f"{out}: cannot write the annotated copy ({exc.strerror or exc})") from None
    return added


def check_target(source: str, out: str) -> None:
    """Refuse, before any work, an annotated copy that cannot be written or would replace the draft (also
    when the names differ only by case, as on Windows and macOS, or the copy is a link to the draft)."""
    src, dst = Path(source), Path(out)
    if src.suffix.lower() != ".docx":
        raise CoachError(f"--annotate needs a Word .docx draft; {source} is not one")
    if dst.suffix.lower() != ".docx":
        raise CoachError(f"{out}: the annotated copy must be a .docx file")
    if dst.exists() and src.exists() and os.path.samefile(dst, src):
        raise CoachError(f"{out}: --annotate would overwrite the draft; give the copy another name")
    if not dst.parent.is_dir():
        raise CoachError(f"{out}: the folder {dst.parent} does not exist; create it or choose another place")


def _blocks(document: Any) -> list[_Block]:
    """The paragraphs read_docx reads, with where each one's text starts in the analysed text."""
    out, position = [], 0
    for paragraph in docx_paragraphs(document):
        text = paragraph_text(paragraph)
        if not text.strip():
            continue
        kept = text.strip("\n")
        if out:
            position += 2  # the blank line read_docx puts between blocks
        out.append(_Block(paragraph, position, len(text) - len(text.lstrip("\n")), len(kept)))
        position += len(kept)
    return out


def _anchor(blocks: list[_Block], start: int, end: int) -> list[Any] | None:
    """The first and last run covering [start, end), cut at those offsets when a run allows it."""
    first = next((b for b in blocks if b.start <= start < b.start + b.length), None)
    last = next((b for b in reversed(blocks) if b.start < end <= b.start + b.length), None)
    if first is None:
        first = next((b for b in blocks if b.start >= start), None)
    if last is None:
        last = next((b for b in reversed(blocks) if b.start + b.length <= end), None)
    if first is None or last is None:
        return None
    # cut at the end first: cutting there keeps the run holding the start in place, while cutting at the
    # start first would leave the end's run behind the start's
    tail = _run_at(last, min(last.length, end - last.start), cut_before=False)
    head = _run_at(first, max(0, start - first.start), cut_before=True)
    if head is None or tail is None:
        return None
    return [head, tail]


def _run_at(block: _Block, offset: int, cut_before: bool) -> Any:
    """The run starting at `offset` (cut_before) or ending at it, splitting the run that straddles it."""
    from docx.text.run import Run

    position = block.lead + offset
    runs = visible_runs(block.paragraph)
    cursor = 0
    for r in runs:
        length = len(r.text)
        if cursor <= position <= cursor + length and length:
            inside = position - cursor
            if cut_before and inside == length:
                cursor += length
                continue
            if not cut_before and inside == 0:
                cursor += length
                continue
            if 0 < inside < length and _splittable(r):
                left = _split(r, inside)
                return Run(r if cut_before else left, block.paragraph)
            return Run(r, block.paragraph)
        cursor += length
    nonempty = [r for r in runs if r.text]
    if not nonempty:
        return None
    return Run(nonempty[0] if cut_before else nonempty[-1], block.paragraph)





def _splittable(r: Any) -> bool:
    return all(child.tag.rsplit("}", 1)[-1] in _SPLITTABLE for child in r)


def _split(r: Any, at: int) -> Any:
    """Cut run `r` so that it keeps its text from `at` on; a copy with the same formatting, inserted before
    it, takes the text before `at`. Returns the copy (the left part)."""
    text = r.text
    left = copy.deepcopy(r)
    left.text = text[:at]
    r.text = text[at:]
    r.addprevious(left)
    return left
