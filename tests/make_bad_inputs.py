"""Builds the bad-input corpus that is too large, too odd or too binary to commit (see tests/bad_inputs/README.md).

`generate(folder)` writes every generated input into `folder` and returns their names. The small inputs are
committed in tests/bad_inputs/; `python -m tests.make_bad_inputs OUT` writes the generated ones for a look.
Nothing here needs the network or a model: files are built from bytes, zip archives and python-docx.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zipfile
import zlib
from pathlib import Path

SENTENCE = ("I failed Step 1 on my first attempt because I relied on passive reading, and I take full "
            "responsibility for that result. ")
GOOD_TEXT = (
    "During my preparation for Step 1, I relied on reading notes and did too few practice questions. "
    "I take full responsibility for failing on my first attempt. "
    "I changed how I study: I did 3,200 practice questions, met a tutor every week and took six timed "
    "practice exams. "
    "I passed Step 2 CK with a score of 241, and these habits will help me care for patients as a resident.\n"
)


def docx_bytes(paragraphs: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def macro_enabled(docx: bytes) -> bytes:
    """The same document as Word saves it with macros: the .docm main content type and a vbaProject part."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
                data = data.replace(b"</Types>", b'<Default Extension="bin" '
                                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            dst.writestr(item, data)
        # a macro project Word would run (coach never does): an opaque OLE blob
        dst.writestr("word/vbaProject.bin", ole_bytes())
    return out.getvalue()


def ole_bytes(size: int = 4096) -> bytes:
    """An OLE compound file header, as Word writes for an encrypted (password-protected) .docx or an old .doc."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9)
    return (header + b"\0" * (512 - len(header)) + b"\xff" * (size - 512))[:size]


def zip_bomb_docx(inflated: int = 1 << 30) -> bytes:
    """A real .docx whose word/document.xml is followed by `inflated` spaces (allowed after the root element),
    deflated to about 1/1000 of that. Built from one compressed block repeated (a full flush resets the
    compressor), so it takes a moment instead of compressing a gigabyte."""
    chunk = 1 << 20
    members = _members(docx_bytes([SENTENCE]))
    out = io.BytesIO()
    central = []
    for name, data in members:
        method, size, crc = 0, len(data), zlib.crc32(data)
        if name == "word/document.xml":
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            head = packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)
            block = packer.compress(b" " * chunk) + packer.flush(zlib.Z_FULL_FLUSH)
            count = inflated // chunk
            spaces = b" " * chunk
            for _ in range(count):
                crc = zlib.crc32(spaces, crc)
            method, size, data = 8, size + count * chunk, head + block * count + b"\x03\x00"
        offset = out.tell()
        raw = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size,
                              len(raw), 0) + raw + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc,
                                   len(data), size, len(raw), 0, 0, 0, 0, 0, offset) + raw)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _members(archive: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return [(info.filename, z.read(info.filename)) for info in z.infolist()]


def workbook_bytes() -> bytes:
    """An Office Open XML package whose main part is an Excel workbook: a .xlsx renamed .docx."""
    return zip_of({
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
                               b'.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                               b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                               b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
                               b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
                       b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                       b'.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                       b'</Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
                           b'org/spreadsheetml/2006/main"><sheets/></workbook>',
    })


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue()


def enormous_sentence(chars: int = 150_000) -> str:
    """One sentence of at least `chars` characters: clause after clause, no punctuation anywhere."""
    clause = ("i studied every evening after my shifts at the clinic and i kept going over the same "
              "chapters without testing myself and i did not ask anyone for help ")
    return (clause * (chars // len(clause) + 1)).strip()


def generate(folder: Path, sentence_chars: int = 150_000) -> list[str]:
    """Write every generated input into `folder`; return the names written. The enormous sentence has
    `sentence_chars` characters (the default test run uses a whole ERAS field's worth)."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "huge-5mb.txt": SENTENCE.encode() * (5_000_000 // len(SENTENCE) + 1),
        "enormous-sentence.txt": enormous_sentence(sentence_chars).encode(),
        "over-200k-characters.txt": (SENTENCE * (210_000 // len(SENTENCE) + 1)).encode(),
        "good.docx": docx_bytes(GOOD_TEXT.strip().split("\n")),
        "zip-of-something-else.docx": zip_of({"photos/IMG_0001.jpg": b"\xff\xd8\xff\xe0" + b"\0" * 64,
                                               "notes.txt": b"not a word document"}),
        "truncated.docx": docx_bytes(GOOD_TEXT.strip().split("\n"))[:6000],
        "password-protected.docx": ole_bytes(),
        "old-word.doc": ole_bytes(),
        "macro-enabled.docm": macro_enabled(docx_bytes(GOOD_TEXT.strip().split("\n"))),
        "docm-named-docx.docx": macro_enabled(docx_bytes(GOOD_TEXT.strip().split("\n"))),
        "workbook-named-docx.docx": workbook_bytes(),
        "zip-bomb.docx": zip_bomb_docx(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    names = list(files)
    names += special_files(folder)
    return names


def special_files(folder: Path) -> list[str]:
    """A symlink loop, a dangling link, a named pipe, a folder named like a draft and an unreadable file."""
    made = []
    loop = folder / "symlink-loop.txt"
    if not loop.is_symlink():
        os.symlink(loop.name, loop)  # points at itself
    made.append(loop.name)
    dangling = folder / "dangling-link.txt"
    if not dangling.is_symlink():
        os.symlink("no-such-draft.txt", dangling)
    made.append(dangling.name)
    if hasattr(os, "mkfifo"):
        fifo = folder / "named-pipe.txt"
        if not fifo.exists():
            os.mkfifo(fifo)
        made.append(fifo.name)
    (folder / "folder-named.txt").mkdir(exist_ok=True)
    made.append("folder-named.txt")
    unreadable = folder / "unreadable.txt"
    unreadable.write_text(GOOD_TEXT, encoding="utf-8")
    unreadable.chmod(0)
    made.append(unreadable.name)
    return made


def permissions_apply(path: Path) -> bool:
    """False when this process reads files whatever their mode (root, or CAP_DAC_OVERRIDE)."""
    try:
        with open(path, "rb"):
            return False
    except PermissionError:
        return True


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-inputs-generated")
    print("\n".join(generate(target)))
