"""Shared fixtures: one Analyzer per test session (spaCy loads once), and a CLI runner."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def analyzer():
    from coach.analysis.session import make_analyzer

    return make_analyzer()


@pytest.fixture(scope="session")
def encoder_classifier(analyzer):
    """The analyzer's role classifier when it is the encoder's (it also carries the flag heads)."""
    impl = analyzer.classifier.impl
    if "encoder" not in impl.name:
        pytest.skip("the encoder model package is not installed")
    return impl


@pytest.fixture(scope="session")
def cue_analyzer():
    """The analyzer with the cue-pattern role classifier only (no encoder)."""
    from coach.analysis.analyzer import Analyzer

    return Analyzer(use_encoder=False)


def analyse_text(analyzer, text: str, kind: str | None = None, name: str = "draft.txt", options=None):
    from coach.document import Document

    return analyzer.analyse(Document(file=name, text=text), kind, options)


def run_coach(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real `coach` command in a subprocess, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "coach.cli", *args], input=stdin, capture_output=True,
                          cwd=cwd or ROOT, env=full_env, timeout=timeout)


class CliResult:
    def __init__(self, returncode: int, stdout: bytes, stderr: bytes) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_cli(*args: str, stdin: bytes | None = None) -> CliResult:
    """The real `coach` command run in this process (models already loaded), for speed. Behaves like
    run_coach: exit code, stdout and stderr as bytes. End-to-end tests that need a fresh process
    (tracebacks, start-up) use run_coach."""
    from click.testing import CliRunner

    from coach.cli import cli

    result = CliRunner().invoke(cli, list(args), input=stdin, prog_name="coach")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return CliResult(result.exit_code, result.stdout_bytes, result.stderr_bytes or b"")


def odt_bytes(paragraphs_xml: str, mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    """A minimal OpenDocument file as LibreOffice lays it out: the mimetype first and stored, a manifest,
    and the body in content.xml."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3">'
        f"<office:body><office:text>{paragraphs_xml}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return buf.getvalue()
