"""The LanguageTool adapter: protocol tests against a LanguageTool-compatible stand-in on 127.0.0.1
(tests/fake_languagetool.py, not LanguageTool itself) through language-tool-python's real client, the
"not available" path, a server that dies or hangs mid-run, and starting a local install with a bound."""

from __future__ import annotations

import dataclasses
import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from coach.document import Document
from coach.errors import CoachError
from coach.grammar import GrammarChecker, build_grammar, load_settings
from coach.grammar.languagetool import (
    LanguageToolEngine,
    LocalInstall,
    Unavailable,
    is_loopback,
    normalise_url,
)
from coach.grammar.matches import python_index, utf16_index
from coach.rubric import load_rubric
from tests.conftest import ROOT, analyse_text
from tests.fake_languagetool import FakeLanguageTool

RUBRIC = load_rubric()
SETTINGS = load_settings(RUBRIC)

# Non-BMP characters (two UTF-16 units each) before and inside the spans, a zero-width space and a
# no-break space (blanked in analysis_text, same length), and words coach accepts but the server flags.
TEXT = ("I 🙂 want to recieve\u200b a apple.  Then he go home, so 😀 happy!\n"
        "My ECFMG colour dyspnea\u00a0experiance 🎉 in Lagos.")


@pytest.fixture()
def fake() -> Iterator[FakeLanguageTool]:
    server = FakeLanguageTool()
    yield server
    server.stop()


@pytest.fixture()
def no_local_languagetool(tmp_path, monkeypatch) -> Path:
    """Nothing installed: an empty LTP_PATH and no LTP_JAR_DIR_PATH."""
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    return tmp_path


@contextmanager
def grammar_on(analyzer, checker: GrammarChecker | None):
    old = analyzer.grammar
    analyzer.grammar = checker
    try:
        yield analyzer
    finally:
        analyzer.grammar = old


def by_excerpt(findings) -> dict[str, object]:
    return {f.excerpt: f for f in findings}


# ---- protocol: offsets, messages, suggestions --------------------------------------------------------

def test_languagetool_protocol_findings_at_text_offsets(fake):
    checker = build_grammar("auto", fake.url, RUBRIC)
    assert checker.engine is not None
    assert "named with --languagetool-url; on this machine" in checker.description
    doc = Document(file="d.txt", text=TEXT)
    findings, notices = checker.check(doc)
    assert notices == []
    for f in findings:
        assert doc.text[f.start:f.end] == f.excerpt
        assert (f.line, f.column) == doc.line_col(f.start)
    got = by_excerpt(findings)
    assert set(got) == {"recieve", "a", "he go", "so 😀 happy", "experiance"}
    assert got["recieve"].rule == "spelling.misspelled" and got["recieve"].suggestion == "“receive”"
    assert got["recieve"].start == TEXT.index("recieve")
    assert got["a"].rule == "grammar.en-a-vs-an" and got["a"].suggestion == "“an”"
    assert "<suggestion>" not in got["a"].message and "an" in got["a"].message
    assert got["he go"].suggestion == "“he goes” or “he went”"
    assert got["he go"].severity == "warning" and got["so 😀 happy"].severity == "suggestion"
    assert got["experiance"].start == TEXT.index("experiance") and got["experiance"].line == 2


def test_languagetool_protocol_sends_analysis_text_language_and_disabled_rules(fake):
    checker = build_grammar("auto", fake.url, RUBRIC)
    doc = Document(file="d.txt", text=TEXT)
    checker.check(doc)
    sent = fake.behaviour.requests[-1]
    assert sent["text"] == doc.analysis_text and len(sent["text"]) == len(TEXT)
    assert sent["language"] == "en-US"
    assert set(sent["disabledRules"].split(",")) == set(SETTINGS.disabled_rules)


def test_languagetool_protocol_disabled_rules_dropped_even_if_server_returns_them(fake):
    fake.behaviour.honour_disabled = False
    checker = build_grammar("auto", fake.url, RUBRIC)
    findings, _ = checker.check(Document(file="d.txt", text=TEXT))
    assert not [f for f in findings if f.rule == "grammar.whitespace-rule"]


def test_languagetool_protocol_bypasses_proxy_for_loopback(fake, monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    findings, notices = build_grammar("auto", fake.url, RUBRIC).check(Document(file="d.txt", text=TEXT))
    assert notices == [] and any(f.rule == "grammar.he-verb-agr" for f in findings)


def test_languagetool_protocol_through_the_analyzer(fake, analyzer):
    text = ("I failed Step 1 because the questions were unfair and I recieve no help. "
            "Then he go to the library every day.")
    with grammar_on(analyzer, build_grammar("auto", fake.url + "/v2/", RUBRIC)):
        report = analyse_text(analyzer, text, kind="explanation")
    rules = {f.rule for f in report.findings}
    assert {"spelling.misspelled", "grammar.he-verb-agr"} <= rules
    assert any(r.startswith(("framework.", "blame.")) for r in rules)  # the other checks still ran


# ---- a server that dies, hangs or errors mid-run -------------------------------------------------------

def test_languagetool_protocol_dead_server_mid_run_is_reported_once(fake):
    checker = build_grammar("auto", fake.url, RUBRIC)
    first, notices = checker.check(Document(file="a.txt", text=TEXT))
    assert notices == [] and any(f.rule.startswith("grammar.") for f in first)
    fake.stop()
    began = time.monotonic()
    second, notices = checker.check(Document(file="b.txt", text="I will recieve he go the results."))
    assert len(notices) == 1 and notices[0].startswith("grammar: LanguageTool stopped (connection refused)")
    assert [f.excerpt for f in second] == ["recieve"]  # the speller took over
    third, notices = checker.check(Document(file="c.txt", text="My experiance was good."))
    assert notices == [] and [f.excerpt for f in third] == ["experiance"]
    assert checker.engine is None and time.monotonic() - began < 5


def test_languagetool_protocol_hung_server_is_bounded(fake):
    fake.behaviour.delay = 3
    settings = dataclasses.replace(SETTINGS, check_seconds=0.5)
    engine = LanguageToolEngine.connect(fake.url, "en-US", set(), settings.check_seconds)
    checker = GrammarChecker(settings, engine, "test")
    began = time.monotonic()
    findings, notices = checker.check(Document(file="a.txt", text="I recieve it."))
    assert time.monotonic() - began < 2
    assert notices == ["grammar: LanguageTool stopped (no answer within 0.5 s); the rest of this run checks "
                       "spelling, doubled words and “a”/“an” offline, the rest of grammar is not"]
    assert [f.excerpt for f in findings] == ["recieve"]


def test_languagetool_protocol_error_answer_skips_only_that_document(fake):
    checker = build_grammar("auto", fake.url, RUBRIC)
    fake.behaviour.error = True
    findings, notices = checker.check(Document(file="a.txt", text="I recieve it and he go."))
    assert len(notices) == 1 and notices[0].startswith("grammar: LanguageTool could not check a.txt")
    assert [f.excerpt for f in findings] == ["recieve"]
    fake.behaviour.error = False
    findings, notices = checker.check(Document(file="b.txt", text="Then he go home."))
    assert notices == [] and [f.rule for f in findings] == ["grammar.he-verb-agr"]


# ---- not available --------------------------------------------------------------------------------

def test_not_available_gives_one_notice_and_the_speller(no_local_languagetool, analyzer):
    began = time.monotonic()
    checker = build_grammar("auto", None, RUBRIC)
    assert time.monotonic() - began < 1.5 and checker.engine is None
    text = "I failed Step 1 because the questions were unfair, and I did not recieve any help."
    with grammar_on(analyzer, checker):
        first = analyse_text(analyzer, text, kind="explanation")
        second = analyse_text(analyzer, "My experiance in the clinic was good.", kind="explanation")
    assert len(first.notices) == 1
    assert first.notices[0].startswith("grammar: spelling, doubled words and “a”/“an” are checked; the rest "
                                       "of grammar needs LanguageTool, which is not available here "
                                       "(no local LanguageTool in")
    assert second.notices == []
    assert [f.excerpt for f in first.findings if f.category == "spelling"] == ["recieve"]
    assert any(f.category in ("framework", "blame") for f in first.findings)
    assert [f.excerpt for f in second.findings if f.category == "spelling"] == ["experiance"]


def test_unreachable_named_server_falls_back_with_notice(no_local_languagetool):
    checker = build_grammar("auto", "http://127.0.0.1:9", RUBRIC)
    _, notices = checker.check(Document(file="a.txt", text="Fine text."))
    assert notices == ["grammar: spelling, doubled words and “a”/“an” are checked; the rest of grammar needs "
                       "LanguageTool, which is not available here (http://127.0.0.1:9/: connection refused)"]


def test_languagetool_required_but_missing_is_one_clear_error(no_local_languagetool):
    with pytest.raises(CoachError, match="LanguageTool is not available .*use --grammar auto"):
        build_grammar("languagetool", None, RUBRIC)


def test_speller_and_off_modes():
    speller = build_grammar("speller", "http://127.0.0.1:9", RUBRIC)  # the URL is not used
    assert speller.engine is None and "chosen with --grammar speller" in speller.description
    assert speller.check(Document(file="a.txt", text="Fine text."))[1] == []
    assert build_grammar("off", None, RUBRIC) is None


def test_default_analyzer_uses_the_speller_without_notice(analyzer):
    report = analyse_text(analyzer, "I was glad to recieve the letter.", kind="explanation")
    assert analyzer.grammar is not None and analyzer.grammar.engine is None
    assert [f.excerpt for f in report.findings if f.category == "spelling"] == ["recieve"]
    assert report.notices == []


# ---- a local install, started by coach --------------------------------------------------------------

def _fake_install(tmp_path: Path, monkeypatch, java_body: str) -> LocalInstall:
    home = tmp_path / "lt"
    (home / "LanguageTool-6.8").mkdir(parents=True)
    (home / "LanguageTool-6.8" / "languagetool-server.jar").write_bytes(b"")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    java = bin_dir / "java"
    java.write_text("#!/bin/sh\n" + java_body)
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("LTP_PATH", str(home))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    jar = home / "LanguageTool-6.8" / "languagetool-server.jar"
    return LocalInstall(jar=jar, java=str(java), version="6.8")


def test_local_install_is_started_used_and_shut_down(tmp_path, monkeypatch):
    runs_fake = f'cd "{ROOT}"\nexec "{sys.executable}" -m tests.fake_languagetool "$@"\n'
    _fake_install(tmp_path, monkeypatch, runs_fake)
    checker = build_grammar("auto", None, RUBRIC)
    try:
        assert checker.engine is not None and checker.engine.process is not None
        assert "local LanguageTool 6.8" in checker.description and "127.0.0.1" in checker.description
        findings, notices = checker.check(Document(file="a.txt", text="Then he go home."))
        assert notices == [] and [f.rule for f in findings] == ["grammar.he-verb-agr"]
        process = checker.engine.process
    finally:
        checker.close()
    assert process.poll() is not None


def test_local_install_that_exits_at_start_is_reported(tmp_path, monkeypatch):
    install = _fake_install(tmp_path, monkeypatch, "exit 3\n")
    with pytest.raises(Unavailable, match="exited at start-up with code 3"):
        LanguageToolEngine.start_local(install, "en-US", set(), 10, 5)


def test_local_install_that_never_answers_is_bounded(tmp_path, monkeypatch):
    install = _fake_install(tmp_path, monkeypatch, "exec sleep 30\n")
    began = time.monotonic()
    with pytest.raises(Unavailable, match="did not start within 1 s"):
        LanguageToolEngine.start_local(install, "en-US", set(), 1, 5)
    assert time.monotonic() - began < 5


def test_no_java_is_named_in_the_reason(tmp_path, monkeypatch):
    _fake_install(tmp_path, monkeypatch, "exit 0\n")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    checker = build_grammar("auto", None, RUBRIC)
    _, notices = checker.check(Document(file="a.txt", text="Fine text."))
    assert "which is not available here (no Java to run " in notices[0]


# ---- small pieces ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("given", "base"), [
    ("localhost:8081", "http://localhost:8081/"),
    ("http://127.0.0.1:8081/v2/", "http://127.0.0.1:8081/"),
    ("https://lt.example.org/api", "https://lt.example.org/api/"),
])
def test_normalise_url(given, base):
    assert normalise_url(given) == base


def test_bad_url_is_a_clear_error():
    with pytest.raises(CoachError, match="not an http"):
        normalise_url("ftp://example.org")


def test_loopback_hosts():
    assert is_loopback("localhost") and is_loopback("127.0.0.1") and is_loopback("::1")
    assert not is_loopback("languagetool.org") and not is_loopback("10.0.0.2")


def test_utf16_offsets_round_trip():
    text = "a🙂b😀😀c"
    for i in range(len(text) + 1):
        assert python_index(text, utf16_index(text, i)) == i
    assert utf16_index(text, 2) == 3 and utf16_index(text, len(text)) == len(text.encode("utf-16-le")) // 2
