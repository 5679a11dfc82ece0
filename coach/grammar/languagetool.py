"""LanguageTool through language-tool-python: a server the user names, or a local install coach starts.

language-tool-python 3.4 facts this module is built on (see its server.py and download_lt.py):
- `LanguageTool(remote_server=URL)` talks to anything that answers `/v2/languages` and `/v2/check`;
- a local install is looked up as `$LTP_PATH/LanguageTool-<version>/languagetool-server.jar`
  (LTP_PATH defaults to ~/.cache/language_tool_python); `LTP_JAR_DIR_PATH` only skips the download;
- left to itself, `LanguageTool('en-US')` downloads LanguageTool when it is missing, and with a broken
  jar it tries port after port for minutes; so coach finds the jar, starts the server on a loopback
  port and waits for it with its own time bound, then uses the library as a client of that server;
- LanguageTool counts offsets in UTF-16 code units; the library moves `offset` to Python's code points
  but not `errorLength`, so the end is recomputed here.
"""

from __future__ import annotations

import atexit
import contextlib
import ipaddress
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from ..errors import CoachError

T = TypeVar("T")
_NO_PROXY: dict[str, Any] = {"http": None, "https": None, "all": None}  # loopback never goes via a proxy
_JAR_NAMES = ("languagetool-server.jar", "LanguageTool.jar", "languagetool.jar")


class Unavailable(Exception):
    """LanguageTool cannot be used; the message says why, in a few words for the user."""


class EngineStopped(Exception):
    """LanguageTool stopped answering during a run (connection refused, process died, time bound)."""


class DocumentRejected(Exception):
    """LanguageTool answered, but with an error for this one document (e.g. the text is too long)."""


@dataclass
class LocalInstall:
    jar: Path
    java: str
    version: str


class LanguageToolEngine:
    """One LanguageTool client for the whole run; `check` returns language-tool-python Match objects."""

    def __init__(self, client: Any, description: str, check_seconds: float,
                 process: subprocess.Popen | None = None) -> None:
        self.client = client
        self.description = description
        self.check_seconds = check_seconds
        self.process = process

    @classmethod
    def connect(cls, url: str, language: str, disabled: set[str], check_seconds: float) -> LanguageToolEngine:
        """A server the user named. Only that host is ever contacted."""
        base = normalise_url(url)
        host = urlsplit(base).hostname or ""
        proxies = _NO_PROXY if is_loopback(host) else None
        client = _make_client(base, language, disabled, check_seconds, proxies)
        where = "on this machine" if is_loopback(host) else f"drafts are sent to {host}"
        return cls(client, f"LanguageTool at {base} (named with --languagetool-url; {where})", check_seconds)

    @classmethod
    def start_local(cls, install: LocalInstall, language: str, disabled: set[str], start_seconds: float,
                    check_seconds: float) -> LanguageToolEngine:
        """Start `java -cp <jar> org.languagetool.server.HTTPServer` on a free loopback port; wait for it."""
        began = time.monotonic()
        port = _free_port()
        process = _spawn(install, port)
        try:
            base = f"http://127.0.0.1:{port}/"
            _wait_until_ready(process, base, start_seconds)
            client = _make_client(base, language, disabled, check_seconds, _NO_PROXY)
        except BaseException:
            _stop(process)
            raise
        took = time.monotonic() - began
        description = (f"local LanguageTool {install.version} ({install.jar}), started on 127.0.0.1:{port} "
                       f"in {took:.1f} s")
        return cls(client, description, check_seconds, process)

    def check(self, text: str) -> list[Any]:
        """LanguageTool's matches within the time bound; raises EngineStopped or DocumentRejected."""
        if self.process is not None and self.process.poll() is not None:
            raise EngineStopped(f"the local server exited with code {self.process.returncode}")
        try:
            return bounded(lambda: self.client.check(text), self.check_seconds)
        except TimeoutError:
            raise EngineStopped(f"no answer within {self.check_seconds:g} s") from None
        except Exception as exc:
            raise _classify(exc) from None

    def close(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None


def _classify(exc: Exception) -> Exception:
    """A connection problem stops LanguageTool for the run; an error answer only skips this document."""
    from language_tool_python.exceptions import LanguageToolError

    cause = exc.__cause__ or exc
    if isinstance(exc, LanguageToolError) and isinstance(cause, ValueError):  # an answer, but not JSON
        return DocumentRejected(_short(exc))
    if isinstance(cause, OSError):  # requests' ConnectionError and Timeout are OSErrors
        return EngineStopped(_network_reason(cause))
    if isinstance(exc, LanguageToolError):
        return DocumentRejected(_short(exc))
    return EngineStopped(f"an unexpected answer ({type(exc).__name__}: {_short(exc)})")


def _make_client(base: str, language: str, disabled: set[str], seconds: float, proxies: dict | None) -> Any:
    """language-tool-python's client for a server; its constructor asks for /v2/languages."""
    import language_tool_python

    def build() -> Any:
        client = language_tool_python.LanguageTool(language, remote_server=base, proxies=proxies)
        client._TIMEOUT = seconds  # the library waits 300 s per request by default
        client.disabled_rules = set(disabled)
        return client

    try:
        return bounded(build, seconds)
    except TimeoutError:
        raise Unavailable(f"{base}: no answer within {seconds:g} s") from None
    except Exception as exc:
        cause = exc.__cause__ or exc
        reason = (_network_reason(cause) if isinstance(cause, OSError)
                  else f"it did not answer as a LanguageTool server does: {_short(exc)}")
        raise Unavailable(f"{base}: {reason}") from None


def bounded(fn: Callable[[], T], seconds: float) -> T:
    """Run fn in a daemon thread and wait at most `seconds`; a call that overruns is abandoned."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name="coach-languagetool", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]


def normalise_url(url: str) -> str:
    """`host:8081`, `http://host:8081/v2/` or `https://host/api` -> a base URL ending in '/'."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CoachError(f"--languagetool-url {url!r} is not an http(s) address such as http://localhost:8081")
    path = re.sub(r"/v2/?$", "", parts.path.rstrip("/"))
    return urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def find_local_install() -> LocalInstall:
    """The jar language-tool-python would use, without downloading anything; raises Unavailable."""
    java = shutil.which("java")
    jar, version = _find_jar()
    if java is None:
        raise Unavailable("no Java" + (f" to run {jar}" if jar else ""))
    if jar is None:
        raise Unavailable(version)  # the reason nothing was found
    return LocalInstall(jar=jar, java=java, version=version)


def _find_jar() -> tuple[Path | None, str]:
    named = os.environ.get("LTP_JAR_DIR_PATH")
    if named:
        for name in _JAR_NAMES:
            if (Path(named) / name).is_file():
                return Path(named) / name, Path(named).name.removeprefix("LanguageTool-")
    home = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    installs = sorted(_installs(home), key=lambda item: _version_key(item[1]), reverse=True)
    if installs:
        return installs[0]
    where = f"LTP_JAR_DIR_PATH={named} or {home}" if named else str(home).replace(str(Path.home()), "~", 1)
    return None, f"no local LanguageTool in {where} and no --languagetool-url"


def _installs(home: Path) -> list[tuple[Path, str]]:
    found = []
    with contextlib.suppress(OSError):
        for folder in home.glob("LanguageTool-*"):
            jar = next((folder / n for n in _JAR_NAMES if (folder / n).is_file()), None)
            if jar is not None:
                found.append((jar, folder.name.removeprefix("LanguageTool-")))
    return found


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)) or (0,)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spawn(install: LocalInstall, port: int) -> subprocess.Popen:
    """LanguageTool's HTTP server; without --public it accepts connections from this machine only."""
    cmd = [install.java, "-cp", str(install.jar), "org.languagetool.server.HTTPServer", "-p", str(port)]
    try:
        process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise Unavailable(f"Java could not be started ({_short(exc)})") from None
    atexit.register(_stop, process)
    return process


def _wait_until_ready(process: subprocess.Popen, base: str, seconds: float) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"the local LanguageTool exited at start-up with code {process.returncode}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(base + "v2/languages", timeout=2, proxies=_NO_PROXY).ok:
                return
        time.sleep(0.2)
    raise Unavailable(f"the local LanguageTool did not start within {seconds:g} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)


def _network_reason(exc: OSError) -> str:
    import requests

    if isinstance(exc, requests.Timeout):
        return "it did not answer in time"
    text = str(exc)
    for needle, reason in (("refused", "connection refused"), ("Name or service", "unknown host"),
                           ("reset", "connection reset"), ("aborted", "connection lost")):
        if needle in text:
            return reason
    return "it could not be reached"


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = re.sub(r"<[^>]+>", "", text)
    return text if len(text) <= 120 else text[:119] + "…"
