"""The batch's outputs in --out: results.jsonl, consistency.jsonl, summary.csv, report.html and batch.json,
each written atomically. results.jsonl holds each draft's report with its consistency findings among its
findings (a contract category); consistency.jsonl still lists them alone, for scripts written before."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import __version__
from ..errors import CoachError
from ..render.csv import render_csv
from ..render.files import write_atomic
from ..render.html import render_html
from .model import BatchResult


def write_outputs(result: BatchResult, out: Path, inputs: list[str]) -> None:
    ok = [e for e in result.entries if e.report is not None]
    write_atomic(out / "results.jsonl", "".join(json.dumps(e.contract_report(), ensure_ascii=False) + "\n"
                                                      for e in ok))
    write_atomic(out / "consistency.jsonl",
                 "".join(json.dumps(f, ensure_ascii=False) + "\n" for e in ok for f in e.consistency))
    write_atomic(out / "summary.csv", render_csv(result), encoding="utf-8-sig")
    write_atomic(out / "report.html", render_html(result))
    manifest = {
        "schema": 1, "coach_version": __version__, "inputs": inputs, "complete": result.complete,
        "files": [{"file": e.file, "applicant": e.applicant, "grouped_by": e.grouped_by, "sha256": e.sha256,
                   "status": "ok" if e.report is not None else ("error" if e.error else "not analysed"),
                   **({"error": e.error} if e.error else {}),
                   **({"superseded_by": e.superseded_by} if e.superseded_by else {})} for e in result.entries],
        "skipped": [{"file": f, "reason": r} for f, r in result.skipped],
        "shared_passages": result.shared_passages,
        "notices": result.notices,
    }
    write_atomic(out / "batch.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def prepare_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise CoachError(f"{out}: exists and is not a folder; give --out a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CoachError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    if not os.access(out, os.W_OK):
        raise CoachError(f"{out}: the output folder is not writable")
