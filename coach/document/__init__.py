"""Reading drafts: decoding, Markdown, the word processors' files (formats.py), and the Document every check
works on.

`text` is the draft exactly as read (after decoding); every offset coach reports refers to it.
`analysis_text` has the same length, with markup and invisible characters blanked so that they never
produce findings and offsets never drift.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .formats import OLE_MAGIC, read_docx, read_odt, read_rtf, zip_kind

DRAFT_SUFFIXES = (".txt", ".md", ".docx", ".rtf", ".odt")  # what `batch` finds in a folder and the page uploads
DRAFT_TYPES = f"{', '.join(DRAFT_SUFFIXES[:-1])} or {DRAFT_SUFFIXES[-1]}"  # the same, for messages
STDIN_NAME = "standard input"  # how messages name the draft read from '-'
MAX_BYTES = 2_000_000  # far beyond any ERAS field (28,000 characters); keeps a stray file from hanging a run
KINDS = ("explanation", "personal_statement", "email", "interview")
KIND_NAMES = {"explanation": "score explanation", "personal_statement": "personal statement", "email": "email",
              "interview": "interview answer"}
WORD = re.compile(r"[^\W_][\w'’-]*")  # a word, as every count and limit in coach counts them


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    role: str = "other"
    confidence: float = 0.0
    role_source: str = "none"
    nearest_example: str | None = None
    vector: Any = field(default=None, repr=False, compare=False)  # the encoder's, set by the role step


@dataclass
class Document:
    file: str
    text: str
    source_format: str = "txt"
    analysis_text: str = ""
    kind: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    spacy_doc: object = None
    notices: list[str] = field(default_factory=list)  # what reading left out, one line each

    def __post_init__(self) -> None:
        if not self.analysis_text:
            self.analysis_text = blank_invisibles(self.text)

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) within the text, without the blanks around it; a word whose invisible characters
        blank_invisibles moved to its end keeps its last letters."""
        text, blanked = self.text, self.analysis_text
        start, end = max(0, start), min(len(text), end)
        while start < end and blanked[start].isspace():
            start += 1
        while end > start and blanked[end - 1].isspace():
            end -= 1
        while start < end < len(text) and blanked[end] == " " and text[end].isalnum():
            end += 1
        return start, end

    def line_col(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        last_nl = self.text.rfind("\n", 0, offset)
        return line, offset - last_nl

    @property
    def words(self) -> int:
        return len(WORD.findall(self.analysis_text))

    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) of each paragraph, trimmed; paragraphs are separated by blank lines or, in
        .docx, by Word's paragraph marks (joined with a blank line when read)."""
        spans = []
        for m in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", self.analysis_text, re.S):
            spans.append((m.start(), m.end()))
        return spans


_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u00ad\r\t\f\v\u00a0]")
_FORMAT = "\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"  # invisible, not a word break
_SPLIT_WORD = re.compile(f"\\w+(?:[{_FORMAT}]+\\w+)+")
_FORMAT_CHAR = re.compile(f"[{_FORMAT}]")


def encoder_text(doc: Document, sentence: Sentence) -> str:
    """What the sentence encoder reads: the sentence as analysed (soft hyphens and zero-width characters
    taken out of words, markup blanked, quotes plain) with its white space folded."""
    return " ".join(doc.analysis_text[sentence.start:sentence.end].split())


_PLAIN_QUOTES = str.maketrans({"’": "'", "‘": "'", "‛": "'", "ʼ": "'", "′": "'",
                               "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def blank_invisibles(text: str) -> str:
    """Same-length copy with zero-width, bidirectional and odd whitespace characters made plain spaces, and
    curly quotes and apostrophes made plain. Word types "didn’t" and “unfair”; the encoder, the heads and
    spaCy's lemmas ("I'd" is "I would") learnt from "didn't" and "unfair". Excerpts keep the writer's own.

    Inside a word (a soft hyphen or zero-width space pasted from a PDF or Word: "respon\u00adsibility") the
    invisible characters are taken out and as many spaces added after the word, so the word stays whole
    for the checks; Document.trim gives such a word its last letters back in excerpts."""
    if _SPLIT_WORD.search(text):
        text = _SPLIT_WORD.sub(lambda m: _joined(m.group(0)), text)
    return _INVISIBLE.sub(" ", text).translate(_PLAIN_QUOTES)


def _joined(word: str) -> str:
    letters = _FORMAT_CHAR.sub("", word)
    return letters + " " * (len(word) - len(letters))


_HTML_TAG = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>",
                       re.S | re.I)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HTML_ELEMENT = re.compile(r"</?(?:html|head|body|p|div|span|br|b|i|u|em|strong|a|font|ul|ol|li|table|tr|td|"
                           r"h[1-6]|o:p|meta|style|script)\b[^<>]*>", re.I)


def looks_like_html(text: str) -> bool:
    """Text pasted from a web page or an email's source: at least two HTML elements."""
    return len(_HTML_ELEMENT.findall(text, 0, 20_000)) >= 2


def mask_html(text: str) -> str:
    """Blank HTML tags, comments, scripts, styles and entities with spaces, keeping every offset."""
    chars = list(text)
    for pattern in (_HTML_TAG, _HTML_ENTITY):
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                if chars[i] != "\n":
                    chars[i] = " "
    return "".join(chars)


def load(path: str, stdin_bytes: bytes | None = None) -> Document:
    """Read a draft from a path, or from standard input when path is '-': a Word, OpenDocument or rich-text
    file piped in is known by its bytes and read as its own kind."""
    if path == "-":
        data = stdin_bytes if stdin_bytes is not None else sys.stdin.buffer.read()
        doc = read_bytes(STDIN_NAME, data)
        doc.file = "-"  # the report's "file", as the user typed it
        return doc
    p = Path(path)
    if not p.exists():
        if p.is_symlink():
            raise InputError(path, "is a link to a file that does not exist (or a link that loops back on itself)")
        raise InputError(path, "no such file")
    if p.is_dir():
        raise InputError(path, "is a folder; give a file, or use `coach batch` for a folder")
    if not p.is_file():  # a named pipe, socket or device: reading it could wait forever
        raise InputError(path, "is not a regular file (a pipe, socket or device); save your draft as a file")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"is {size / 1e6:.1f} MB; coach reads drafts up to {MAX_BYTES // 1_000_000} MB")
        data = p.read_bytes()
    except PermissionError:
        raise InputError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    return read_bytes(path, data)


def read_bytes(path: str, data: bytes) -> Document:
    """A draft already in memory (an upload to `coach serve`), read as `load` reads a file named `path`."""
    if len(data) > MAX_BYTES:
        raise InputError(path, f"is {len(data) / 1e6:.1f} MB; coach reads drafts up to {MAX_BYTES // 1_000_000} MB")
    suffix = Path(path).suffix.lower()
    if suffix in EXPORT_FIRST:
        raise InputError(path, EXPORT_FIRST[suffix])
    packed = zip_kind(data)  # a Word or OpenDocument file under another name ("draft.txt")
    if suffix in (".docx", ".docm", ".doc") or packed == "docx" or data.startswith(OLE_MAGIC):
        text, notices = read_docx(path, data)
        doc = _from_text(path, text, "docx")
        doc.notices = notices
        return doc
    if suffix == ".rtf" or data.lstrip()[:5] == b"{\\rtf":  # TextEdit's default, whatever the name
        return _from_text(path, read_rtf(path, data), "rtf")
    if suffix == ".odt" or packed == "odt":
        text, notices = read_odt(path, data)
        doc = _from_text(path, text, "odt")
        doc.notices = notices
        return doc
    text = decode(path, data)
    if suffix in (".md", ".markdown"):
        return _from_text(path, text, "md", mask_markdown(text))
    return _plain(path, text)


# Files that hold no draft coach can read as it was written: each says how to get one it can.
EXPORT_FIRST = {
    ".pdf": "is a PDF; check the Word or text file it was made from, or copy its text into a .txt file",
    ".pages": "is an Apple Pages document; in Pages choose File > Export To > Word, and check the .docx",
    ".gdoc": "is a Google Docs shortcut, not the document; in Google Docs choose File > Download > "
             "Microsoft Word (.docx), and check that file",
}


def _plain(path: str, text: str) -> Document:
    if looks_like_html(text):  # pasted from a web page or an email's source: the markup is not the draft
        return _from_text(path, text, "txt", mask_html(text))
    return _from_text(path, text, "txt")


def _from_text(path: str, text: str, fmt: str, analysis: str = "") -> Document:
    if not text.strip():
        raise InputError(path, "is empty; write or paste your draft into it first")
    doc = Document(file=path, text=text, source_format=fmt, analysis_text=analysis)
    if analysis:
        doc.analysis_text = blank_invisibles(analysis)
    if not re.search(r"[^\W\d_]", doc.analysis_text):
        raise InputError(path, "has no words to read")
    return doc


def decode(path: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM, or without when the zero bytes say so), and
    Windows-1252 from Word's "save as text"."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(path, data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(path, data, "utf-16")
    if _looks_utf16(data):
        return _strict(path, data, "utf-16-le" if data[1:2] == b"\0" else "utf-16-be")
    if b"\0" in data:
        raise InputError(path, "looks like a binary file, not text; save your draft as .txt or .docx")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(path, "is not valid UTF-8 or Windows-1252 text; save it again as UTF-8") from None
    if _mostly_control(text):
        raise InputError(path, "looks like a binary file, not text; save your draft as .txt or .docx")
    return text


def _strict(path: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(path, f"is not valid {encoding.upper()} text; save it again as UTF-8") from None


def _looks_utf16(data: bytes) -> bool:
    sample = data[:400]
    if len(sample) < 4 or len(sample) % 2:
        return False
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    return max(even_zero, odd_zero) > 0.4 and min(even_zero, odd_zero) < 0.05


def _mostly_control(text: str) -> bool:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t\f")
    return controls > max(2, len(text) // 100)


_MD_RULES = [
    (re.compile(r"^```.*?^```[^\n]*$", re.M | re.S), None),  # code fences: blank entirely
    (re.compile(r"^\s{0,3}#{1,6}(?=\s)", re.M), None),  # heading marks
    (re.compile(r"^\s{0,3}>+", re.M), None),  # block quotes
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])(?=\s)", re.M), None),  # list markers
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M), None),  # horizontal rules
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), 1),  # links and images: keep the link text
    (re.compile(r"<[^>\n]+>"), None),  # inline HTML tags
    (re.compile(r"(\*\*|__|\*|_|`)(?=\S)|(?<=\S)(\*\*|__|\*|_|`)"), None),  # emphasis and code marks
]


def mask_markdown(text: str) -> str:
    """Blank Markdown markup with spaces, keeping every offset where it was."""
    chars = list(text)
    for pattern, keep_group in _MD_RULES:
        for m in pattern.finditer(text):
            keep = range(m.start(keep_group), m.end(keep_group)) if keep_group else range(0)
            for i in range(m.start(), m.end()):
                if i not in keep and chars[i] != "\n":
                    chars[i] = " "
    return "".join(chars)
