"""Property tests: for any Unicode text, coach's report keeps the JSON contract, every offset pair slices the
text to its excerpt or sentence, and the analysis is deterministic.

The drafts mix arbitrary Unicode with real sentences (the samples and the rubric's flag examples, so that
findings happen) and the characters that move offsets: zero-width and bidirectional marks, soft hyphens,
CR/LF mixtures, emoji sequences, combining marks, ligatures, Markdown and HTML markup, escape sequences.
The default run tries 100 drafts; `pytest -m slow` tries 10,000.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tests.test_contract import validate

ODD = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u200e", "\u200f", "\u202e", "\u202c", "\u2066", "\u2069",
       "\ufeff", "\u2060", "\r\n", "\r", "\n", "\n\n", "\t", "\u00a0", "\u2028", "\u2029", "\x0c", "\x1b[31m",
       "👩🏽‍⚕️", "🇺🇸", "❤️", "e\u0301", "é", "ﬁ", "ﬂ", "“", "”", "’", "—", "…", "‘quoted’", "\"",
       "<p>", "</p>", "<b>", "&nbsp;", "&amp;", "<!-- x -->", "**", "_", "`", "# ", "> ", "- ", "1. ",
       "[link](http://example.org)", "יעל כהן", "فاطمة", "Step 1", "Step 2 CK", "241", "USMLE", "COMLEX",
       "Dear Dr. Reyes,\n\n", "Thank you for the interview.", "Sincerely,\nAna", " ", "  ", "-", "re-\n"]


@functools.lru_cache(maxsize=1)
def _fragments() -> list[str]:
    """Sentences from the samples and the rubric's own flag examples."""
    from coach.rubric import load_rubric

    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        out += re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))
    for rule in load_rubric().rules:
        out += rule.flag_examples
    return [s for s in out if s.strip()]


def _pieces() -> st.SearchStrategy[str]:
    fragment = st.sampled_from(_fragments())
    return st.one_of(fragment, fragment.map(lambda s: s + " "), st.sampled_from(ODD), st.text(max_size=12))


DRAFTS = st.one_of(
    st.text(max_size=400),  # any Unicode
    st.lists(_pieces(), min_size=1, max_size=30).map("".join),  # real sentences among odd characters
    st.lists(_pieces(), min_size=1, max_size=30).map("".join),
    st.lists(st.sampled_from(ODD), min_size=1, max_size=40).map("".join),
)
SUFFIXES = st.sampled_from([".txt", ".md"])
KINDS = st.sampled_from([None, None, "explanation", "personal_statement", "email"])


def check_draft(analyzer, text: str, suffix: str, kind: str | None) -> None:
    from coach.document import load
    from coach.errors import InputError

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"draft{suffix}"
        data = text.encode("utf-8")
        path.write_bytes(data)
        try:
            doc = load(str(path))
        except InputError as exc:  # refused only for a reason that holds, in one line
            problem = exc.problem
            assert "\n" not in str(exc)
            if problem.startswith("is empty"):
                assert not text.removeprefix("\ufeff").strip()
            elif problem.startswith(("looks like a binary file", "is not valid UTF-16")):
                assert "\0" in text
            else:
                assert problem == "has no words to read", problem
                assert not re.search(r"[^\W\d_]", text) or suffix == ".md" or "<" in text
            return
        if "\0" not in text:
            assert doc.text == text.removeprefix("\ufeff")  # decoded exactly as written
        assert len(doc.analysis_text) == len(doc.text)
        first = analyzer.analyse(doc, kind).to_json()
        validate(first, doc.text)
        assert json.loads(json.dumps(first, ensure_ascii=False)) == first
        again = analyzer.analyse(load(str(path)), kind).to_json()
        assert again == first  # deterministic


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=DRAFTS, suffix=SUFFIXES, kind=KINDS)
def test_any_text_gives_a_valid_deterministic_report(analyzer, text: str, suffix: str, kind: str | None):
    check_draft(analyzer, text, suffix, kind)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=DRAFTS, suffix=SUFFIXES, kind=KINDS)
def test_any_text_gives_a_valid_deterministic_report_10k(analyzer, text: str, suffix: str, kind: str | None):
    check_draft(analyzer, text, suffix, kind)


@settings(max_examples=400, deadline=None)
@given(text=DRAFTS)
def test_masks_keep_every_offset(text: str):
    from coach.document import Document, blank_invisibles, mask_html, mask_markdown

    for masked in (blank_invisibles(text), mask_markdown(text), mask_html(text)):
        assert len(masked) == len(text)
        assert [i for i, c in enumerate(masked) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]
    doc = Document(file="x", text=text)
    for start in range(0, len(text) + 1, 7):
        for end in (start, start + 5, len(text)):
            s, e = doc.trim(start, end)
            assert 0 <= s <= e <= len(text)
