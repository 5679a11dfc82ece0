"""`coach serve`'s JSON API through Starlette's TestClient: the report contract, errors (400/413/415),
Host and Origin refusal, and the security headers. The page's own endpoints (/ui/...) render the batch
report's annotated view."""

from __future__ import annotations

import io

import pytest

from tests.conftest import SAMPLES, odt_bytes

BASE = "http://127.0.0.1:8765"
CONTRACT_KEYS = {"schema", "coach_version", "file", "kind", "summary", "framework", "sentences", "findings",
                 "metrics"}
EMAIL = {"recipient": "Dr. Reyes", "role": "faculty", "program": "Harbor County Internal Medicine",
         "interview_date": "2024-10-15", "applicant": "Ana Lima", "appreciated": ["the resident-run HIV clinic"],
         "conversation": "caring for patients who arrive late in their illness", "languages": ["Spanish"]}


@pytest.fixture(scope="module")
def engine(analyzer):
    from coach.settings import Options
    from coach.web.engine import Engine

    return Engine(Options(), analyzer=analyzer)


@pytest.fixture(scope="module")
def client(engine):
    from starlette.testclient import TestClient

    from coach.web.app import allowed_hosts, create_app

    with TestClient(create_app(engine, allowed_hosts("127.0.0.1", 8765)), base_url=BASE) as c:
        yield c


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph.strip())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_check_returns_exactly_the_report_contract(client):
    text = (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8")
    r = client.post("/api/check", json={"text": text})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    report = r.json()
    assert set(report) == CONTRACT_KEYS
    assert report["schema"] == 1 and report["kind"] == "explanation"
    assert set(report["framework"]["parts"]) == {"context", "responsibility", "growth", "connection"}
    for f in report["findings"]:
        assert text[f["start"]:f["end"]] == f["excerpt"]
    for s in report["sentences"]:
        assert text[s["start"]:s["end"]] == s["text"] and s["role"] in {"context", "responsibility", "growth",
                                                                          "connection", "other"}
    assert any(f["rule"] == "framework.missing-growth" for f in report["findings"])


def test_check_takes_kind_program_type_and_field(client):
    text = (SAMPLES / "statement-strong.txt").read_text(encoding="utf-8")
    r = client.post("/api/check", json={"text": text, "kind": "personal_statement", "field": "experience",
                                        "program_type": "academic"})
    assert r.status_code == 200
    report = r.json()
    assert report["kind"] == "personal_statement"
    assert any(f["category"] == "length" for f in report["findings"])  # 750 characters for an Experience
    view = client.post("/ui/check", json={"text": text, "kind": "personal_statement", "field": "meaningful"})
    assert "judged in the personal statement field only" in view.json()["html"]  # not "does not discuss scores"
    chars = f"{len(text.strip()):,} of"
    assert chars in view.json()["html"]  # the same count as the length finding's
    assert any(f"{len(text.strip()):,} characters" in f["message"] for f in report["findings"])


def test_check_reads_uploads_in_memory(client):
    text = (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8")
    rtf = "{\\rtf1\\ansi " + text.replace("\n", "\\par\n") + "}"
    uploads = (("draft.txt", text.encode()), ("draft.md", text.encode()), ("draft.docx", _docx(text)),
               ("draft.rtf", rtf.encode()), ("draft.odt", odt_bytes(f"<text:p>{text}</text:p>")))
    for name, data in uploads:
        r = client.post("/api/check", files={"file": (name, data)}, data={"kind": "explanation"})
        assert r.status_code == 200, r.text
        assert r.json()["kind"] == "explanation" and r.json()["file"] == name
        assert r.json()["summary"]["words"] == len(text.split()), name


@pytest.mark.parametrize(("kwargs", "status", "words"), [
    ({"json": {"text": ""}}, 400, "empty"),
    ({"json": {"words": "no text"}}, 400, "text"),
    ({"json": ["a list"]}, 400, "object"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "JSON"),
    ({"json": {"text": "I failed Step 1.", "kind": "poem"}}, 400, "kind must be one of"),
    ({"json": {"text": "I failed Step 1.", "field": "essay"}}, 400, "field must be one of"),
    ({"content": b"x" * 1_200_000, "headers": {"content-type": "application/json"}}, 413, "too large"),
    ({"files": {"file": ("big.txt", b"word " * 250_000)}}, 413, "too large"),
    ({"json": {"text": "I passed. " * 20_001}}, 413, "too long"),
    ({"files": {"file": ("scan.pdf", b"%PDF-1.4")}}, 415, ".txt, .md, .docx, .rtf or .odt"),
    ({"content": b"I failed Step 1.", "headers": {"content-type": "text/plain"}}, 415, "JSON"),
])
def test_errors_are_one_json_message_with_the_right_status(client, kwargs, status, words):
    r = client.post("/api/check", **kwargs)
    assert r.status_code == status
    body = r.json()
    assert list(body) == ["error"] and words.lower() in body["error"].lower()


def test_a_broken_docx_is_a_400_not_a_crash(client):
    r = client.post("/api/check", files={"file": ("draft.docx", b"PK\x03\x04 not a zip")})
    assert r.status_code == 400 and list(r.json()) == ["error"]


def test_email_returns_the_draft_and_its_check(client):
    r = client.post("/api/email", json=EMAIL)
    assert r.status_code == 200, r.text
    body = r.json()
    (draft,) = body["drafts"]
    assert "Dear Dr. Reyes" in draft["text"] and "HIV clinic" in draft["text"]
    assert set(draft["check"]) == CONTRACT_KEYS and draft["check"]["kind"] == "email"
    assert not [f for f in draft["check"]["findings"] if f["category"] == "nrmp"]
    assert any("October" in line for line in draft["send_by"])


def test_email_errors(client):
    r = client.post("/api/email", json={"recipient": "Dr. Reyes"})
    assert r.status_code == 400 and "role" in r.json()["error"]
    r = client.post("/api/email", json={**EMAIL, "password": "x"})
    assert r.status_code == 400 and "password" in r.json()["error"]
    r = client.post("/api/email", json={**EMAIL, "interview_date": "someday"})
    assert r.status_code == 400
    r = client.post("/api/email", content=b"recipient=x", headers={"content-type": "text/plain"})
    assert r.status_code == 415


def test_page_errors_speak_of_the_page_not_the_command_line(client):
    r = client.post("/api/email", json={"recipient": "Dr. Reyes", "role": "faculty"})
    message = r.json()["error"]
    assert r.status_code == 400 and "--" not in message and "Interview date" in message, message
    r = client.post("/api/check", json={"text": "  "})
    assert r.json()["error"].startswith("Your draft is empty"), r.text
    r = client.post("/api/check", files={"file": ("fake.docx", b"%PDF-1.4 not a docx")})
    assert r.json()["error"].startswith("fake.docx: "), r.text


def test_health_names_the_engines(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and {"spacy", "roles", "grammar"} <= set(body["engines"])


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "localhost", "attacker.test"])
def test_requests_for_another_host_are_refused(client, host):
    for method, path in (("get", "/"), ("get", "/api/health"), ("post", "/api/check")):
        extra = {"json": {"text": "x"}} if method == "post" else {}
        r = getattr(client, method)(path, headers={"host": host}, **extra)
        assert r.status_code == 403 and "error" in r.json()


def test_requests_from_another_origin_are_refused(client):
    text = {"text": "I failed Step 1 and I own it."}
    assert client.post("/api/check", json=text, headers={"origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/check", json=text, headers={"origin": "null"}).status_code == 403
    assert client.post("/api/check", json=text, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.post("/api/check", json=text, headers={"origin": BASE}).status_code == 200
    assert client.post("/api/check", json=text, headers={"host": "localhost:8765",
                                                         "origin": "http://localhost:8765"}).status_code == 200


def test_every_response_carries_the_csp_and_the_page_loads_nothing_from_elsewhere(client):
    for path in ("/", "/static/serve.js", "/static/serve.css", "/static/report.css", "/api/health", "/nowhere"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["cache-control"] == "no-store"
    page = client.get("/").text
    assert "<script>" not in page and "style=" not in page
    assert "http://" not in page and "https://" not in page
    assert client.get("/static/../../pyproject.toml").status_code == 404


def test_the_page_view_is_the_batch_reports_annotated_view_and_escapes_the_draft(client):
    text = "I failed Step 1 because the exam was unfair <script>alert(1)</script>. I own it now."
    r = client.post("/ui/check", json={"text": text, "kind": "explanation"})
    html = r.json()["html"]
    assert '<div class="doc-grid">' in html and 'class="framework"' in html and 'data-tip="' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Length:" in html and "28,000" in html


def test_the_batch_report_still_draws_the_same_macro(tmp_path):
    from coach.resources import template_dir

    report = (template_dir() / "report" / "report.html.j2").read_text(encoding="utf-8")
    assert '{% from "_draft.j2" import annotated' in report and "annotated(d)" in report


def test_serve_warns_before_listening_beyond_this_computer():
    from click.testing import CliRunner

    from coach.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--host", "203.0.113.9", "--port", "1", "--no-browser"])
    assert "drafts" in result.output and "network" in result.output
    assert result.exit_code != 0  # nothing listens: the address is not this machine's


def test_an_internal_error_is_json_and_says_nothing_of_the_draft(engine, monkeypatch):
    from starlette.testclient import TestClient

    from coach.web.app import allowed_hosts, create_app

    def broken(*args):
        raise RuntimeError("secret draft text")

    monkeypatch.setattr(engine, "check", broken)
    with TestClient(create_app(engine, allowed_hosts("127.0.0.1", 8765)), base_url=BASE,
                    raise_server_exceptions=False) as c:
        r = c.post("/api/check", json={"text": "secret draft text"})
    assert r.status_code == 500 and list(r.json()) == ["error"] and "secret" not in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_a_spoken_answer_shows_its_speaking_time_not_an_eras_fields_characters(client):
    from tests.conftest import SAMPLES

    text = (SAMPLES / "interview-rambles.txt").read_text(encoding="utf-8")
    html = client.post("/ui/check", json={"text": text, "kind": "interview"}).json()["html"]
    assert "Speaking time: about 2:" in html and "aim for 45–90 seconds" in html
    assert "characters (ERAS" not in html
