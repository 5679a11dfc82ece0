"""coach batch: discovery, per-file errors, the outputs, interrupting and resuming."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

import coach.batch.run as batch
from coach.batch.model import Entry
from coach.batch.run import discover, execute
from coach.document import load
from coach.settings import Options
from tests.conftest import SAMPLES, odt_bytes, run_cli, run_coach

CONTRACT_KEYS = {"schema", "coach_version", "file", "kind", "summary", "framework", "sentences", "findings",
                 "metrics"}


def make_cohort(root: Path) -> Path:
    """Three applicants, one corrupt .docx, one file that is not a draft, one hidden file."""
    for name in ("alice", "bob", "carol"):
        (root / name).mkdir(parents=True)
    shutil.copy(SAMPLES / "explanation-good.txt", root / "alice" / "explanation.txt")
    shutil.copy(SAMPLES / "email-good.txt", root / "alice" / "thanks-mesa-valley.txt")
    shutil.copy(SAMPLES / "explanation-blames.txt", root / "bob" / "explanation.txt")
    (root / "bob" / "statement.docx").write_bytes(b"PK\x03\x04 this is not really a Word file")
    shutil.copy(SAMPLES / "explanation-no-growth.txt", root / "carol" / "explanation.md")
    (root / "carol" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (root / "carol" / ".hidden.txt").write_text("secret", encoding="utf-8")
    return root


class CountingAnalyzer:
    """The session's Analyzer, counting the drafts it is asked to analyse."""

    def __init__(self, inner) -> None:
        self.inner, self.calls = inner, []

    def analyse(self, doc, kind=None, options=None):
        self.calls.append(doc.file)
        return self.inner.analyse(doc, kind, options)

    def notices(self):
        return self.inner.notices()


@pytest.fixture
def counting(analyzer, monkeypatch):
    wrapper = CountingAnalyzer(analyzer)
    monkeypatch.setattr(batch, "build_analyzer", lambda options: wrapper)
    return wrapper


def test_discovery_groups_by_first_folder_and_lists_skipped(tmp_path):
    root = make_cohort(tmp_path / "drafts")
    (root / "README.md").write_text("# how to use this folder", encoding="utf-8")
    (root / "loose.txt").write_text("A draft with no applicant folder.", encoding="utf-8")
    (root / "alice" / "~$explanation.docx").write_bytes(b"lock")
    (root / "carol" / "thanks.rtf").write_bytes(b"{\\rtf1\\ansi Dear Dr. Lee,\\par Thank you for the interview.}")
    (root / "carol" / "statement.odt").write_bytes(odt_bytes("<text:p>My statement.</text:p>"))
    (root / "carol" / "statement.pdf").write_bytes(b"%PDF-1.7")
    entries, skipped = discover([str(root)])
    found = {Path(e.file).relative_to(root).as_posix(): e.applicant for e in entries}
    assert found == {"alice/explanation.txt": "alice", "alice/thanks-mesa-valley.txt": "alice",
                     "bob/explanation.txt": "bob", "bob/statement.docx": "bob", "carol/explanation.md": "carol",
                     "carol/thanks.rtf": "carol", "carol/statement.odt": "carol", "loose.txt": ""}
    reasons = {Path(f).name: r for f, r in skipped}
    assert set(reasons) == {"photo.jpg", "README.md", "~$explanation.docx", "statement.pdf"}
    assert "is a PDF; check the Word or text file it was made from" in reasons["statement.pdf"]
    assert "Word lock file" in reasons["~$explanation.docx"]
    assert [e.file for e in entries] == sorted(e.file for e in entries)


def test_discovery_without_grouping_and_excluding_the_output_folder(tmp_path):
    root = make_cohort(tmp_path / "drafts")
    out = root / "review"
    out.mkdir()
    (out / "old.txt").write_text("an earlier output", encoding="utf-8")
    entries, _ = discover([str(root)], group_by="none", exclude=out)
    assert all(e.applicant == "" for e in entries)
    assert not any("review" in e.file for e in entries)


def test_a_missing_path_is_one_line_error(tmp_path):
    result = run_coach("batch", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.decode().strip().count("\n") == 0 and "no such file" in result.stderr.decode()


def test_outputs_follow_the_contract_and_a_corrupt_docx_is_one_error_row(tmp_path, counting, analyzer):
    root = make_cohort(tmp_path / "drafts")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    out = tmp_path / "review"
    result = execute([str(root)], out, Options(), jobs=1)
    assert result.complete
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    reports = [json.loads(line) for line in lines]
    assert len(reports) == 4  # five drafts, one unreadable
    for report in reports:
        assert set(report) == CONTRACT_KEYS
        assert report == analyzer.analyse(load(report["file"])).to_json()  # exactly what `check` reports
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert (out / "summary.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(rows) == 5
    bad = [r for r in rows if r["status"] != "ok"]
    assert len(bad) == 1 and bad[0]["file"].endswith("statement.docx") and bad[0]["status"].startswith("error:")
    blames = next(r for r in rows if r["file"].endswith("bob/explanation.txt"))
    assert int(blames["errors"]) >= 1 and blames["finding 1"].startswith("error:")
    assert "growth" in blames["missing framework parts"]
    manifest = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert [f["status"] for f in manifest["files"]].count("error") == 1
    assert {Path(s["file"]).name for s in manifest["skipped"]} == {"photo.jpg"}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "statement.docx" in html and "corrupt" in html
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before  # inputs untouched
    assert not list(out.glob(".*.tmp"))  # no temporary files left behind


def test_interrupt_then_resume_equals_one_uninterrupted_run(tmp_path, counting, monkeypatch):
    monkeypatch.setattr(batch, "options_key", lambda options: repr(options))  # rubric edits elsewhere: ignored
    root = make_cohort(tmp_path / "drafts")
    whole, parted = tmp_path / "whole", tmp_path / "parted"
    execute([str(root)], whole, Options(), jobs=1)
    counting.calls.clear()

    def interrupt_after_two(entry: Entry) -> None:
        if len(counting.calls) == 2:
            raise KeyboardInterrupt

    first = execute([str(root)], parted, Options(), jobs=1, on_done=interrupt_after_two)
    done_first = list(counting.calls)
    assert not first.complete
    assert len((parted / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert "interrupted" in (parted / "report.html").read_text(encoding="utf-8")
    counting.calls.clear()
    second = execute([str(root)], parted, Options(), jobs=1, resume=True)
    assert second.complete
    # the two done before the interruption are reused; of the other three, the corrupt .docx fails to load
    assert len(counting.calls) == 2 and not set(counting.calls) & set(done_first)
    for name in batch.OUTPUTS:
        assert (parted / name).read_bytes() == (whole / name).read_bytes(), name


def test_resume_reanalyses_only_changed_files_and_options(tmp_path, counting, monkeypatch):
    monkeypatch.setattr(batch, "options_key", lambda options: repr(options))  # rubric edits elsewhere: ignored
    root = make_cohort(tmp_path / "drafts")
    out = tmp_path / "review"
    execute([str(root)], out, Options(), jobs=1)
    changed = root / "carol" / "explanation.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nI now keep a weekly error log.\n", "utf-8")
    counting.calls.clear()
    execute([str(root)], out, Options(), jobs=1, resume=True)
    assert counting.calls == [str(changed)]
    counting.calls.clear()
    execute([str(root)], out, Options(kind="explanation"), jobs=1, resume=True)
    assert len(counting.calls) == 4  # another --kind changes every report: nothing is reused


def test_the_resume_key_follows_options_and_rubric_files(tmp_path):
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    (rubrics / "mine.yaml").write_text("sets: {}\n", encoding="utf-8")
    key = batch.options_key(Options(rubric_dir=str(rubrics)))
    assert batch.options_key(Options(rubric_dir=str(rubrics))) == key
    assert batch.options_key(Options(rubric_dir=str(rubrics), kind="email")) != key
    (rubrics / "mine.yaml").write_text("sets: {mine: [x]}\n", encoding="utf-8")
    assert batch.options_key(Options(rubric_dir=str(rubrics))) != key


def test_a_failing_analysis_is_recorded_and_the_batch_goes_on(tmp_path, analyzer, monkeypatch):
    class Flaky(CountingAnalyzer):
        def analyse(self, doc, kind=None, options=None):
            if doc.file.endswith("bob/explanation.txt"):
                raise RuntimeError("boom")
            return super().analyse(doc, kind)

    monkeypatch.setattr(batch, "build_analyzer", lambda options: Flaky(analyzer))
    result = execute([str(make_cohort(tmp_path / "drafts"))], tmp_path / "out", Options(), jobs=1)
    errors = {Path(e.file).name: e.error for e in result.entries if e.error}
    assert errors["explanation.txt"] == "could not be analysed (RuntimeError: boom)"
    assert sum(e.report is not None for e in result.entries) == 3


def test_batch_command_end_to_end_with_a_worker_pool(tmp_path):
    root = make_cohort(tmp_path / "drafts")
    out = tmp_path / "review"
    result = run_coach("batch", str(root), "--out", str(out), "--jobs", "2", "--grammar", "off", timeout=300)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr  # a draft could not be read: 2, as `coach check` (outputs written)
    assert "Traceback" not in stderr
    assert "4 drafts analysed, 1 could not be analysed" in stderr
    assert "\r" not in stderr  # no progress bar when stderr is not a terminal
    assert len((out / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 4
    assert (out / "report.html").stat().st_size > 0


def crashing_init(options, beacons):
    """A worker initializer (run in the spawned workers) whose analyzer kills its process on one draft."""
    import os
    import types

    class Crashy:
        def analyse(self, doc, kind=None, options=None):
            if "crash" in doc.file:
                os._exit(3)  # like a segfault or the kernel's OOM killer: no exception, the process is gone
            return types.SimpleNamespace(to_json=lambda: {"file": doc.file}, notices=[])

        def notices(self):
            return []

    batch._BEACON = Path(beacons) / str(os.getpid())
    batch._ANALYZER = Crashy()


def test_a_draft_that_kills_its_worker_is_one_error_and_the_rest_go_on(tmp_path):
    names = ["a.txt", "b.txt", "c.txt", "crash.txt", "d.txt", "e.txt", "f.txt"]
    for name in names:
        (tmp_path / name).write_text(f"The draft called {name}.", encoding="utf-8")
    entries, _ = discover([str(tmp_path)])
    calls: list[tuple[str, tuple]] = []
    batch._run_pool(entries, Options(), 2, lambda e, o: calls.append((Path(e.file).name, o)),
                    initializer=crashing_init)
    assert sorted(name for name, _ in calls) == names  # each draft exactly once
    outcomes = dict(calls)
    assert outcomes["crash.txt"][:3] == (None, None, batch.CRASHED)
    for name in set(names) - {"crash.txt"}:
        assert outcomes[name][0] == {"file": str(tmp_path / name)} and outcomes[name][2] is None


def test_a_broken_rubric_stops_the_pool_with_one_line(tmp_path):
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    (rubrics / "mine.yaml").write_text("rules:\n  - id: blame.mine\n", encoding="utf-8")
    result = run_coach("batch", str(make_cohort(tmp_path / "drafts")), "--out", str(tmp_path / "out"),
                       "--jobs", "2", "--rubrics", str(rubrics), timeout=300)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert stderr.count("\n") == 1 and "mine.yaml" in stderr and "Traceback" not in stderr


@pytest.mark.slow
def test_ctrl_c_then_resume_with_the_real_command(tmp_path):
    """SIGINT to a running `coach batch -j 2`, then --resume: the same outputs as one uninterrupted run."""
    import os
    import signal
    import subprocess
    import sys
    import time

    root = tmp_path / "drafts"
    samples = sorted(SAMPLES.glob("*.txt"))  # distinct contents: a copy would be reused by its hash
    for i, sample in enumerate(samples):
        folder = root / f"applicant{i:02d}"
        folder.mkdir(parents=True)
        shutil.copy(sample, folder / sample.name)
    total = len(samples)
    whole, parted = tmp_path / "whole", tmp_path / "parted"
    args = ["batch", str(root), "-j", "2", "--grammar", "off"]
    assert run_coach(*args, "--out", str(whole), timeout=600).returncode in (0, 1)  # 1: drafts with errors
    process = subprocess.Popen([sys.executable, "-m", "coach.cli", *args, "--out", str(parted)],
                               stderr=subprocess.PIPE, cwd=SAMPLES.parent, env=os.environ.copy())
    journal = parted / batch.JOURNAL
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) >= 3:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err.decode()
    assert "--resume" in err.decode() and "Traceback" not in err.decode()
    done = len((parted / "results.jsonl").read_text(encoding="utf-8").splitlines())
    assert 3 <= done < total
    resumed = run_coach(*args, "--out", str(parted), "--resume", timeout=600)
    assert resumed.returncode in (0, 1), resumed.stderr.decode()
    left = total - done
    assert f"{left} draft{'s' * (left != 1)} analysed, {done} reused" in resumed.stderr.decode()
    for name in batch.OUTPUTS:
        assert (parted / name).read_bytes() == (whole / name).read_bytes(), name


def test_batch_takes_the_check_options_and_they_change_a_statement_as_in_check(tmp_path):
    """`coach batch --program-type academic --field experience` analyses a personal statement exactly as
    `coach check` does with the same options, and differently from the defaults."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(SAMPLES / "statement-no-scores.txt", drafts / "statement.txt")
    chosen = ("--program-type", "academic", "--field", "experience", "--grammar", "off")

    def batch_findings(out: Path, *options: str) -> list[dict]:
        result = run_coach("batch", str(drafts), "--out", str(out), "-j", "1", *options, timeout=300)
        assert result.returncode in (0, 1), result.stderr.decode()
        reports = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
        assert len(reports) == 1
        return reports[0]["findings"]

    def check_findings(*options: str) -> list[dict]:
        result = run_coach("check", str(drafts / "statement.txt"), "--format", "json", *options, timeout=300)
        assert result.returncode in (0, 1), result.stderr.decode()
        return json.loads(result.stdout)["findings"]

    in_batch = batch_findings(tmp_path / "chosen", *chosen)
    assert in_batch == check_findings(*chosen)
    default = batch_findings(tmp_path / "default", "--grammar", "off")
    assert default == check_findings("--grammar", "off")
    assert in_batch != default
    assert any(f["rule"] == "length.over-field-limit" for f in in_batch)
    help_text = run_coach("batch", "--help").stdout.decode()
    assert "--program-type" in help_text and "--field" in help_text


def test_stopping_a_pool_waits_for_its_manager_thread():
    """Left running, the manager thread can be cut off by the exit mid-clean-up; multiprocessing's resource
    tracker then prints warnings after coach's one-line error (seen once in CI)."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    assert pool.submit(os.getpid).result(timeout=60) > 0
    manager = pool._executor_manager_thread
    batch._stop(pool)
    assert manager is not None and not manager.is_alive()


def test_a_batch_worker_encodes_on_one_thread(tmp_path, monkeypatch):
    """The pool already spreads drafts over the cores: a worker running two encoder threads of its own would
    fight the other workers for them (coach check, alone on the machine, uses two)."""
    import signal

    from coach.roles.encoder import encoder_threads

    monkeypatch.delenv("COACH_ENCODER_THREADS", raising=False)  # and restored afterwards
    for name in ("_ANALYZER", "_BEACON", "_OPTIONS"):  # the worker's globals, restored afterwards
        monkeypatch.setattr(batch, name, None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # the initializer ignores Ctrl-C; not here
    monkeypatch.setattr(batch, "build_analyzer", lambda options: encoder_threads())
    batch._init_worker(Options(), str(tmp_path))
    assert batch._ANALYZER == 1


def test_a_folder_that_cannot_be_read_is_named_and_the_exit_code_says_so(tmp_path, counting, monkeypatch):
    import os

    root = tmp_path / "drafts"
    (root / "locked").mkdir(parents=True)
    shutil.copy(SAMPLES / "statement-strong.txt", root / "ok.txt")
    shutil.copy(SAMPLES / "explanation-good.txt", root / "locked" / "x.txt")
    listing = os.scandir

    def scandir(path="."):  # as for a folder of mode 000 (the tests may run as root, who reads anything)
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "out"
    result = run_cli("batch", str(root), "--out", str(out), "-j", "1", "--grammar", "off")
    assert result.returncode == 2
    [line] = [x for x in result.stderr.decode().splitlines() if "locked" in x]
    assert line.startswith("coach: locked: a folder that cannot be read") and "Permission denied" in line
    manifest = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert any(Path(s["file"]).name == "locked" for s in manifest["skipped"])


def test_the_terminal_names_each_draft_it_has_something_to_say_about(tmp_path, counting):
    root = tmp_path / "drafts"
    (root / "broken").mkdir(parents=True)
    (root / "broken" / "junk.docx").write_bytes(b"\x00\x01 not a Word file at all" * 50)
    (root / "notes").mkdir()
    (root / "notes" / "short.txt").write_text("I want to care for patients in rural clinics.", encoding="utf-8")
    out = tmp_path / "out"
    args = ("batch", str(root), "--out", str(out), "-j", "1", "--grammar", "off", "--kind", "personal_statement")
    first = run_cli(*args).stderr.decode().splitlines()
    assert any(x.startswith("coach: broken/junk.docx: is not a Word .docx file") for x in first)
    assert any(x.startswith("coach: notes/short.txt: read as an excerpt of a personal statement") for x in first)
    again = run_cli(*args, "--resume").stderr.decode().splitlines()[-1]
    assert "0 drafts analysed, 1 reused from the last run" in again and "drafts/s" not in again
