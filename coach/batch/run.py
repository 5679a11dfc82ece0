"""Many drafts at once: discovery, grouping by applicant, a worker pool, a resumable journal, outputs.

Flow (`execute`): `discover` lists the drafts (and what it skipped) → `run_batch` analyses what the journal
does not already hold, in a process pool whose initializer builds one Analyzer per worker (in-process for
one job), appending each outcome to the journal as it arrives → the consistency checks run over all the
reports → `write_outputs` writes results.jsonl, summary.csv, report.html, consistency.jsonl and batch.json,
each atomically.

A file that cannot be read or analysed becomes an error entry; the run goes on. Ctrl-C stops the pool and
writes what is done; `--resume` reuses every journal entry whose content hash and options still match.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import __version__
from ..analysis.dismissals import apply_to_entries
from ..analysis.session import make_analyzer
from ..document import DRAFT_SUFFIXES, DRAFT_TYPES, EXPORT_FIRST, load
from ..errors import CoachError
from ..resources import rubric_dir
from ..settings import Options
from .applicants import Listed, assign_applicants
from .consistency import add_consistency
from .model import BatchResult, Entry
from .outputs import prepare_out, write_outputs

_NOT_DRAFTS = {"README", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING"}
JOURNAL = ".coach-journal.jsonl"
UNREADABLE_FOLDER = "a folder that cannot be read; its drafts were not reviewed"
OUTPUTS = ("results.jsonl", "summary.csv", "report.html", "consistency.jsonl", "batch.json")


# ---- discovery ----------------------------------------------------------------------------------------

def discover(paths: Iterable[str], group_by: str = "folder", exclude: Path | None = None
             ) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Drafts under the given paths in a stable order, each with its folder (the folder that holds it, as a
    path under the path it was found in; also its applicant until `assign_applicants` decides), and the
    files passed over with the reason."""
    found: list[Entry] = []
    skipped: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise CoachError(f"{given}: no such file or folder")
        candidates = [root] if root.is_file() else _walk(root, exclude, skipped)
        for path in candidates:
            try:
                real = path.resolve()
            except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a link that loops back
                skipped.append((str(path), "a link that loops back on itself"))
                continue
            if real in seen:
                continue
            seen.add(real)
            reason = _skip_reason(path)
            if reason:
                skipped.append((str(path), reason))
                continue
            folder = _applicant(root, path) if group_by != "none" else ""
            relpath = path.relative_to(root).as_posix() if root.is_dir() else path.name
            found.append(Entry(file=str(path), applicant=folder, sha256="", folder=folder, relpath=relpath))
    return found, skipped


def _walk(root: Path, exclude: Path | None, skipped: list[tuple[str, str]]) -> list[Path]:
    """Every file under root, hidden files and folders and the output folder left out, in path order; a
    folder that cannot be listed goes to `skipped`."""
    out: list[Path] = []
    excluded = exclude.resolve() if exclude else None

    def unreadable(exc: OSError) -> None:
        skipped.append((str(exc.filename or root), f"{UNREADABLE_FOLDER} ({exc.strerror or exc})"))

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".") and (here / d).resolve() != excluded]
        out += [here / name for name in files if not name.startswith(".") and not name.endswith(".coach.yaml")]
    return sorted(out)


def _skip_reason(path: Path) -> str | None:
    if path.name.startswith("~$"):
        return "a Word lock file (the draft is open in Word)"
    if path.stem.upper() in _NOT_DRAFTS:
        return "a README or licence, not a draft"
    if path.suffix.lower() in EXPORT_FIRST:
        return f"not read: it {EXPORT_FIRST[path.suffix.lower()]}"
    if path.suffix.lower() not in DRAFT_SUFFIXES:
        return f"not a draft ({path.suffix or 'no extension'}; coach reads {DRAFT_TYPES})"
    if not path.is_file():
        return "not a regular file"
    return None


def _applicant(root: Path, path: Path) -> str:
    """The folder holding the draft, under root (`2025/cohortA/patel_raj`): in a tree of cohorts and
    years, the applicant is the deepest folder, not the first one."""
    if root.is_file():
        return ""
    parent = path.relative_to(root).parent.as_posix()
    return "" if parent == "." else parent


def content_hash(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def options_key(options: Options) -> str:
    """Everything besides the content that a report depends on: version, options and the rubric files."""
    digest = hashlib.sha256(json.dumps([__version__, asdict(options)]).encode())
    for folder in filter(None, [str(rubric_dir()), options.rubric_dir]):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.suffix in (".yaml", ".yml", ".npz"):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# ---- analysing ------------------------------------------------------------------------------------------

_ANALYZER: Any = None
_OPTIONS = Options()  # this worker's options
_BEACON: Path | None = None  # this worker's file naming the draft it is analysing ("" between drafts)
Outcome = tuple[dict[str, Any] | None, str | None, str | None, list[str]]  # report, text, error, notices
CRASHED = "the analysis crashed on this draft (its worker process died); the other drafts were analysed"


def build_analyzer(options: Options) -> Any:
    """One Analyzer for this process, built from the run's options."""
    return make_analyzer(options)


def _init_worker(options: Options, beacons: str) -> None:
    """Pool initializer: Ctrl-C is the parent's to handle; numpy uses one thread per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ["COACH_ENCODER_THREADS"] = "1"  # the pool already spreads the documents over the cores
    global _ANALYZER, _BEACON, _OPTIONS
    _OPTIONS = options
    _BEACON = Path(beacons) / str(os.getpid())
    try:
        _ANALYZER = build_analyzer(options)
    except Exception as exc:  # raised by _work, in the parent, as one line for the user
        _ANALYZER = exc


def _work(path: str) -> Outcome:
    if isinstance(_ANALYZER, Exception):  # e.g. a broken --rubrics file: the whole run stops, as with --jobs 1
        failed = _ANALYZER
        message = str(failed) if isinstance(failed, CoachError) else \
            f"the analysis could not start ({type(failed).__name__}: {str(failed).strip()[:160]})"
        raise CoachError(message)  # a plain CoachError: it pickles back to the parent whatever the subclass
    if _BEACON is not None:
        _BEACON.write_text(path, encoding="utf-8")
    try:
        return analyse_file(_ANALYZER, path, _OPTIONS)
    finally:
        if _BEACON is not None:
            _BEACON.write_text("", encoding="utf-8")


def analyse_file(analyzer: Any, path: str, options: Options) -> Outcome:
    """The report (the JSON contract) and text of one draft, or why it could not be analysed; never raises
    for a bad draft."""
    try:
        doc = load(path)
        report = analyzer.analyse(doc, options.kind, options)
        own = getattr(report, "own_notices", 0)
        notices = [f"{path}: {n}" if i < own else str(n) for i, n in enumerate(getattr(report, "notices", None) or [])]
        notices += list(analyzer.notices())
        return report.to_json(), doc.text, None, notices
    except Exception as exc:  # a bad draft, a bug or a library failure on one draft must not stop the batch
        return None, None, _describe(exc), list(analyzer.notices())


def _describe(exc: BaseException) -> str:
    if isinstance(exc, CoachError):
        return str(getattr(exc, "problem", exc))
    if isinstance(exc, MemoryError):
        return "ran out of memory while analysing this draft"
    text = str(exc).strip()
    message = text.splitlines()[0][:160] if text else ""
    return f"could not be analysed ({type(exc).__name__}{': ' + message if message else ''})"


# ---- the journal ----------------------------------------------------------------------------------------

def read_journal(path: Path, key: str) -> dict[str, dict[str, Any]]:
    """Content hash → the stored outcome, for entries analysed with the same options; a torn last line
    (the run was killed mid-write) is ignored."""
    done: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return done
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and record.get("key") == key and record.get("report"):
                done[record["sha256"]] = record
    return done


class Journal:
    """Append-only record of finished documents, flushed per line so a killed run can resume."""

    def __init__(self, path: Path, key: str, keep: bool) -> None:
        self.path, self.key = path, key
        self.fh = open(path, "a" if keep else "w", encoding="utf-8")  # noqa: SIM115 (closed in close())

    def add(self, entry: Entry) -> None:
        if entry.report is None:
            return
        record = {"key": self.key, "sha256": entry.sha256, "file": entry.file, "report": entry.report,
                  "text": entry.text}
        self.fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


# ---- running --------------------------------------------------------------------------------------------

def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def execute(paths: list[str], out: Path, options: Options, jobs: int, resume: bool = False,
            group_by: str = "applicant", on_start: Callable[[int], None] | None = None,
            on_done: Callable[[Entry], None] | None = None,
            applicants: list[Listed] | None = None) -> BatchResult:
    """The whole batch: discover, reuse the journal (with `resume`), analyse the rest, tell the applicants
    apart (`applicants`: the --applicants rows), check each one's drafts together, write the outputs."""
    prepare_out(out)
    prestart_workers(options, jobs)  # they load spaCy, the rubric and the encoder while discovery runs
    try:
        return _execute(paths, out, options, jobs, resume, group_by, on_start, on_done, applicants)
    finally:
        _discard_prestarted()


def _execute(paths: list[str], out: Path, options: Options, jobs: int, resume: bool, group_by: str,
             on_start: Callable[[int], None] | None, on_done: Callable[[Entry], None] | None,
             applicants: list[Listed] | None) -> BatchResult:
    entries, skipped = discover(paths, group_by, exclude=out)
    if not entries:
        raise CoachError(f"no drafts ({DRAFT_TYPES}) found in {', '.join(paths)}")
    key = options_key(options)
    stored = read_journal(out / JOURNAL, key) if resume else {}
    todo: list[Entry] = []
    for entry in entries:
        try:
            entry.sha256 = content_hash(entry.file)
        except OSError as exc:
            entry.error = f"cannot be read ({exc.strerror or exc})"
            continue
        record = stored.get(entry.sha256)
        if record:
            entry.report, entry.text = {**record["report"], "file": entry.file}, record["text"]
        else:
            todo.append(entry)
    if on_start:
        on_start(len(todo))
    result = BatchResult(entries, skipped)
    result.unreadable = [f for f, reason in skipped if reason.startswith(UNREADABLE_FOLDER)]
    journal = Journal(out / JOURNAL, key, keep=resume)
    try:
        result.complete = run_batch(todo, options, jobs, journal, on_done or (lambda e: None), result.notices)
    finally:
        journal.close()
    apply_to_entries(entries, options.ignore, result.notices)  # the journal keeps reports undismissed
    for row in assign_applicants(entries, group_by, applicants, rubric_dir=options.rubric_dir):
        result.notices.append(f"{row.source}: line {row.line}: \"{row.pattern}\" names no draft in "
                              f"{', '.join(paths)}; check the path (it is relative to that folder)")
    add_consistency(result, rubric_dir=options.rubric_dir)
    write_outputs(result, out, list(paths))
    return result


def run_batch(entries: list[Entry], options: Options, jobs: int, journal: Journal,
              on_done: Callable[[Entry], None], notices: list[str]) -> bool:
    """Analyse every entry in place; True when all finished, False when interrupted (Ctrl-C, SIGTERM)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    old_term = signal.signal(signal.SIGTERM, _raise_interrupt)

    def done(entry: Entry, outcome: Outcome) -> None:
        entry.report, entry.text, entry.error, more = outcome
        more = [_relabel(n, entry) for n in more]
        journal.add(entry)
        notices.extend(n for n in dict.fromkeys(more) if n not in notices)
        on_done(entry)

    try:
        if jobs <= 1 or len(entries) <= 1:
            if entries:
                analyzer = build_analyzer(options)
                for entry in entries:
                    done(entry, analyse_file(analyzer, entry.file, options))
        else:
            _run_pool(entries, options, jobs, done)
        return True
    except KeyboardInterrupt:
        return False
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, old_term)


def _relabel(notice: str, entry: Entry) -> str:
    """A notice about one draft names it by its path under the batch folder, as `coach check` would."""
    prefix = f"{entry.file}: "
    return f"{entry.relpath or entry.file}: {notice[len(prefix):]}" if notice.startswith(prefix) else notice


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _run_pool(entries: list[Entry], options: Options, jobs: int, done: Callable[[Entry, Outcome], None],
              initializer: Callable[[Options, str], None] = _init_worker) -> None:
    """Spawn-based worker processes; the initializer builds each worker's Analyzer once. A draft that kills
    its worker (a crash, not an exception, which analyse_file catches) is found from the workers' beacon
    files: the drafts in flight at the crash are rerun one at a time, the one that crashes again is recorded
    as an error, and a new pool takes the rest."""
    remaining = list(entries)
    warm = _PRESTARTED.pop("pool", None) if initializer is _init_worker and _PRESTARTED.get("options") is options \
        else None
    with tempfile.TemporaryDirectory(prefix="coach-batch-") as beacons:
        if warm is not None:
            beacons = _PRESTARTED["beacons"]
        while remaining:
            before = len(remaining)
            suspects = _pool_pass(remaining, options, jobs, done, Path(beacons), initializer, warm)
            warm = None
            if suspects is None:
                return
            for entry in suspects:
                if _pool_pass([entry], options, 1, done, Path(beacons), initializer) is not None:
                    done(entry, (None, None, CRASHED, []))
                remaining.remove(entry)
            if not suspects and len(remaining) == before:
                raise CoachError("the worker processes stopped before analysing any draft; "
                                 "try --jobs 1 to see why")


def _pool_pass(items: list[Entry], options: Options, jobs: int, done: Callable[[Entry, Outcome], None],
               beacons: Path, initializer: Callable[[Options, str], None], warm: Any = None) -> list[Entry] | None:
    """Analyse `items` in one pool, removing each finished one from the list. None when all finished;
    when a worker died, the drafts that were being analysed at that moment."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    for stale in beacons.iterdir():
        stale.unlink()
    # workers start with Ctrl-C ignored (inherited), so one pressed while they boot prints no traceback
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = warm or ProcessPoolExecutor(min(jobs, len(items)), initializer=initializer, initargs=(options, str(
            beacons)), mp_context=multiprocessing.get_context("spawn"))
        futures = {pool.submit(_work, e.file): e for e in items}
    finally:
        signal.signal(signal.SIGINT, handler)
    try:
        for future in as_completed(futures):
            entry = futures[future]
            try:
                outcome = future.result()
            except (BrokenProcessPool, CoachError):
                raise
            except Exception as exc:  # e.g. a result that could not be sent back
                outcome = None, None, _describe(exc), []
            items.remove(entry)
            done(entry, outcome)
        return None
    except BrokenProcessPool:
        in_flight = {p.read_text(encoding="utf-8") for p in beacons.iterdir()}
        return [e for e in items if e.file in in_flight]
    except (KeyboardInterrupt, CoachError):
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_PRESTARTED: dict[str, Any] = {}


def prestart_workers(options: Options, jobs: int) -> None:
    """Start the pool's workers now (each builds its Analyzer, a few seconds) so that they are ready when
    discovery and hashing are done; _run_pool takes this pool for its first pass."""
    if jobs <= 1:
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    beacons = tempfile.mkdtemp(prefix="coach-batch-")
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(options, beacons),
                                   mp_context=multiprocessing.get_context("spawn"))
        for _ in range(jobs):
            pool.submit(os.getpid)  # each submit starts one worker
    finally:
        signal.signal(signal.SIGINT, handler)
    _PRESTARTED.update(pool=pool, beacons=beacons, options=options)


def _discard_prestarted() -> None:
    import shutil

    pool = _PRESTARTED.pop("pool", None)
    if pool is not None:  # never used (nothing to analyse, or an error first)
        pool.shutdown(wait=True, cancel_futures=True)
    if "beacons" in _PRESTARTED:
        shutil.rmtree(_PRESTARTED.pop("beacons"), ignore_errors=True)
    _PRESTARTED.clear()


def _stop(pool: Any) -> None:
    """Stop now: pending work is cancelled and running workers end (their drafts are redone on resume)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    # shutdown(wait=False) forgets the manager thread, so a later shutdown(wait=True) does not wait for it.
    # Left running, it can be between unlinking a semaphore and telling the resource tracker when the
    # process exits, and the tracker then prints warnings after coach's one-line error.
    if manager is not None:
        manager.join(timeout=10)
