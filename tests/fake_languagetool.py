"""A stand-in that speaks LanguageTool's HTTP API (`/v2/languages`, `/v2/check`) on 127.0.0.1.

It is not LanguageTool: it answers a few fixed rules in LanguageTool's documented JSON form, with
offsets and lengths in UTF-16 code units as the Java server counts them. Tests use it to exercise
coach's adapter through language-tool-python's real client code. Run as a script it mimics the
server's command line (`... org.languagetool.server.HTTPServer -p PORT`), so a fake `java` can start it.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

LANGUAGES = [{"name": "English (US)", "code": "en", "longCode": "en-US"},
             {"name": "English (GB)", "code": "en", "longCode": "en-GB"}]

# (pattern, rule id, issue type, category, message, replacements)
RULES: list[tuple[str, str, str, str, str, list[str]]] = [
    (r"\b(?:recieve|experiance|ECFMG|dyspnea|colour)\b", "MORFOLOGIK_RULE_EN_US", "misspelling", "TYPOS",
     "Possible spelling mistake found.", []),
    (r"\ba(?= [aeiou])", "EN_A_VS_AN", "misspelling", "MISC",
     "Use <suggestion>an</suggestion> instead of ‘a’ if the following word starts with a vowel sound, "
     "e.g. ‘an article’, ‘an hour’.", ["an"]),
    (r"\bhe go\b", "HE_VERB_AGR", "grammar", "GRAMMAR",
     "The pronoun ‘he’ is usually used with a third-person or a past tense verb.", ["he goes", "he went"]),
    (r"so \S+ happy", "SO_EMOJI_HAPPY", "style", "STYLE", "Consider a more precise word.", []),
    (r"  +", "WHITESPACE_RULE", "whitespace", "TYPOGRAPHY", "Possible typo: you repeated a whitespace",
     [" "]),
]
SPELLING = {"recieve": ["receive", "relieve"], "experiance": ["experience"], "ECFMG": ["ECFM"],
            "dyspnea": ["dyspnoea"], "colour": ["color", "colon"]}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Behaviour:
    delay: float = 0.0  # seconds to wait before answering /v2/check
    error: bool = False  # answer /v2/check with HTTP 500 and a plain-text body
    honour_disabled: bool = True  # leave out matches of disabledRules, as LanguageTool does
    requests: list[dict[str, str]] = field(default_factory=list)


def matches_for(text: str, disabled: set[str]) -> list[dict[str, Any]]:
    out = []
    for pattern, rule_id, issue, category, message, replacements in RULES:
        if rule_id in disabled:
            continue
        for m in re.finditer(pattern, text):
            values = SPELLING.get(m.group(), replacements) if issue == "misspelling" else replacements
            out.append(_match(text, m.start(), m.end(), rule_id, issue, category, message, values))
    return sorted(out, key=lambda m: m["offset"])


def _match(text: str, start: int, end: int, rule_id: str, issue: str, category: str, message: str,
           replacements: list[str]) -> dict[str, Any]:
    offset, length = utf16_len(text[:start]), utf16_len(text[start:end])
    return {
        "message": message, "shortMessage": "",
        "replacements": [{"value": v} for v in replacements],
        "offset": offset, "length": length,
        "context": {"text": text, "offset": offset, "length": length},
        "sentence": text,
        "type": {"typeName": "Other"},
        "rule": {"id": rule_id, "description": message, "issueType": issue,
                 "category": {"id": category, "name": category.title()}},
        "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
    }


def make_handler(behaviour: Behaviour) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path.startswith("/v2/languages"):
                self._send(200, json.dumps(LANGUAGES).encode())
            elif self.path.startswith("/v2/healthcheck"):
                self._send(200, b"OK", "text/plain")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:  # noqa: N802
            if not self.path.startswith("/v2/check"):
                self._send(404, b"not found", "text/plain")
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
            behaviour.requests.append(form)
            if behaviour.delay:
                time.sleep(behaviour.delay)
            if behaviour.error:
                self._send(500, b"Error: internal error while checking the text", "text/plain")
                return
            asked = set(filter(None, form.get("disabledRules", "").split(",")))
            disabled = asked if behaviour.honour_disabled else set()
            body = {"software": {"name": "FakeLanguageTool", "version": "6.8", "apiVersion": 1},
                    "language": {"name": "English (US)", "code": form.get("language", "en-US")},
                    "matches": matches_for(form.get("text", ""), disabled)}
            self._send(200, json.dumps(body).encode())

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (a test of coach's time bound) is not an error here


class FakeLanguageTool:
    """A fake server in a background thread: `url`, `behaviour`, `stop()`."""

    def __init__(self, port: int = 0) -> None:
        self.behaviour = Behaviour()
        self.server = _QuietServer(("127.0.0.1", port), make_handler(self.behaviour))
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main(argv: list[str]) -> None:
    port = int(argv[argv.index("-p") + 1]) if "-p" in argv else 8081
    server = _QuietServer(("127.0.0.1", port), make_handler(Behaviour()))
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
