"""coach works with no network at all: `check`, `batch` and `email` run inside a network namespace with no
interfaces (`unshare -n`, which needs root or CAP_SYS_ADMIN), and the encoder and spaCy load with the model
hub switched off. An audit hook also records every socket the command opens, connects or resolves; there
must be none, so the test shows coach never even tries, not only that it copes when it cannot.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

RUNNER = r"""
import socket, sys
LOCAL = ("::1", "127.0.0.1", "localhost")
def watch(event, args):
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        sock = args[0]
        if sock.family == socket.AF_UNIX:
            return
        if event == "socket.bind" and isinstance(args[1], tuple) and args[1][0] in LOCAL:
            return  # urllib3 binds ::1 at import to learn whether IPv6 exists; nothing leaves the machine
    elif event not in ("socket.getaddrinfo", "socket.gethostbyname", "http.client.connect", "urllib.Request"):
        return
    sys.stderr.write(f"NETWORK-USE {event} {args!r}\n")
sys.addaudithook(watch)
sys.argv = ["coach", *sys.argv[1:]]
from coach.cli import main
main()
"""

OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
               "NO_PROXY": "", "HTTP_PROXY": "http://192.0.2.1:9", "HTTPS_PROXY": "http://192.0.2.1:9"}


@functools.lru_cache(maxsize=1)
def namespace_refused() -> str | None:
    """Why `unshare -n` cannot be used here, or None when it can."""
    if not shutil.which("unshare"):
        return "`unshare` (util-linux) is not installed"
    try:
        done = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"`unshare -n` could not run ({exc})"
    if done.returncode != 0:
        return f"the kernel refused a network namespace: {done.stderr.decode(errors='replace').strip()}"
    return None


def offline(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`coach ARGS` in a network namespace with no interfaces (not even loopback)."""
    reason = namespace_refused()
    if reason:
        pytest.skip(reason)
    return subprocess.run(["unshare", "-n", sys.executable, "-c", RUNNER, *args], capture_output=True, cwd=ROOT,
                          env={**os.environ, **OFFLINE_ENV}, timeout=timeout)


def _no_network_use(done: subprocess.CompletedProcess) -> str:
    err = done.stderr.decode(errors="replace")
    assert "NETWORK-USE" not in err, err
    assert "Traceback" not in err, err
    return err


def test_the_namespace_really_has_no_network():
    reason = namespace_refused()
    if reason:
        pytest.skip(reason)
    probe = "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9), timeout=2)\nexcept OSError as e:\n" \
            "    print(e.errno)\n"
    done = subprocess.run(["unshare", "-n", sys.executable, "-c", probe], capture_output=True, timeout=30)
    assert done.stdout.strip() == b"101", done  # ENETUNREACH: not even loopback is up


def test_check_offline():
    done = offline("check", "--format", "json", str(SAMPLES / "explanation-blames.txt"))
    err = _no_network_use(done)
    assert done.returncode == 1, err  # the draft has errors
    report = json.loads(done.stdout)
    assert any(f["category"] == "blame" for f in report["findings"])
    assert "needs LanguageTool, which is not available here" in err  # --grammar auto fell back offline


def test_batch_offline(tmp_path: Path):
    drafts = tmp_path / "drafts"
    (drafts / "ana").mkdir(parents=True)
    shutil.copy(SAMPLES / "explanation-good.txt", drafts / "ana" / "explanation.txt")
    shutil.copy(SAMPLES / "email-good.txt", drafts / "ana" / "thanks.txt")
    done = offline("batch", str(drafts), "--out", str(tmp_path / "out"), "--jobs", "1")
    err = _no_network_use(done)
    assert done.returncode == 0, err
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and (tmp_path / "out" / "report.html").is_file()


def test_email_offline():
    done = offline("email", str(SAMPLES / "interviews" / "county-im.yaml"), "--to", "Reyes", "--today", "2024-10-16")
    err = _no_network_use(done)
    assert done.returncode == 0, err
    assert "Dear Dr. Reyes" in done.stdout.decode()


def test_models_load_with_the_hub_disabled():
    """spaCy and both encoder backends load from the installed packages, offline and without the hub."""
    reason = namespace_refused()
    if reason:
        pytest.skip(reason)
    probe = """
import importlib.util, json, sys
from coach.nlp import get_nlp
from coach.roles.encoder import load_encoder
out = {"spacy": len(get_nlp()("I passed Step 2 CK.")), "numpy": list(load_encoder("numpy").encode(["I passed."]).shape)}
if importlib.util.find_spec("torch") and importlib.util.find_spec("transformers"):
    out["transformers"] = list(load_encoder("transformers").encode(["I passed."]).shape)
print(json.dumps(out))
"""
    done = subprocess.run(["unshare", "-n", sys.executable, "-c", RUNNER.split("sys.argv")[0] + probe],
                          capture_output=True, cwd=ROOT, env={**os.environ, **OFFLINE_ENV}, timeout=300)
    _no_network_use(done)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    loaded = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert loaded["spacy"] > 3 and loaded["numpy"] == [1, 384]
    if "transformers" in loaded:
        assert loaded["transformers"] == [1, 384]


def test_the_watch_sees_a_server_the_user_names():
    """The audit hook is not blind: naming a LanguageTool server (an unroutable documentation address) shows
    up as network use of that host only, and the check still finishes with the offline speller."""
    reason = namespace_refused()
    if reason:
        pytest.skip(reason)
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    done = subprocess.run(["unshare", "-n", sys.executable, "-c", RUNNER, "check", "--format", "json",
                           "--languagetool-url", "http://192.0.2.1:8081", str(SAMPLES / "explanation-good.txt")],
                          capture_output=True, cwd=ROOT, env={**env, "HF_HUB_OFFLINE": "1"}, timeout=300)
    err = done.stderr.decode(errors="replace")
    used = [line for line in err.splitlines() if line.startswith("NETWORK-USE")]
    assert used and all("192.0.2.1" in line or "'localhost'" in line for line in used), err
    assert done.returncode in (0, 1) and "Traceback" not in err, err
    json.loads(done.stdout)
