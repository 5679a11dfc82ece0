"""`coach serve` in a real browser: Debian's chromium (/usr/bin/chromium) driven by Playwright, against a
server on a free loopback port. One server and one browser for the session. Each test saves a screenshot
under its tmp_path and copies it to /tmp/coach-screens/ for people to look at."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

CHROMIUM = Path("/usr/bin/chromium")
SCREENS = Path("/tmp/coach-screens")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="no Chromium at /usr/bin/chromium (apt-get install -y chromium; .ci/run does)")


@pytest.fixture(scope="session")
def server_url(analyzer):
    import uvicorn

    from coach.settings import Options
    from coach.web.app import allowed_hosts, create_app
    from coach.web.engine import Engine

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(Engine(Options(), analyzer=analyzer), allowed_hosts("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install .[dev])")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    expected = ("status of 400", "status of 413", "status of 415")  # answers the tests ask for
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not any(
        e in m.text for e in expected) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server_url + "/")
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"  # a CSP violation shows up here too


def _shoot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SCREENS.mkdir(exist_ok=True)
    shutil.copy(path, SCREENS / path.name)


def _paste(page, text: str) -> None:
    page.fill("#draft", text)  # the input event: the page checks after a pause in typing


def test_paste_an_explanation_without_growth(page, tmp_path):
    _paste(page, (SAMPLES / "explanation-overshares.txt").read_text(encoding="utf-8"))
    page.wait_for_selector("#check-result .doc-grid")
    findings = page.locator("#check-result .findings")
    assert "framework.missing-growth" in findings.inner_text()
    framework = page.locator("#check-result table.framework").inner_text()
    assert "growth" in framework and "missing" in framework
    labels = page.locator("#check-result .text .starts").evaluate_all("els => els.map(e => e.dataset.label)")
    assert "context" in labels  # every sentence says its role in words, not only in colour
    page.locator("#check-result mark.u").first.focus()  # the message and suggestion show on keyboard focus
    _shoot(page, tmp_path, "1-explanation-annotated")


def test_recheck_as_the_applicant_types_and_on_the_button(page, tmp_path):
    from playwright.sync_api import expect  # the page's CSP forbids eval, so no wait_for_function

    page.fill("#draft", "I failed Step 1 because the exam was unfair.")
    page.wait_for_selector("#check-result .findings")
    assert "blame" in page.locator("#check-result .findings").inner_text()
    page.locator("#draft").press("End")
    page.keyboard.type(" I take full responsibility.")
    expect(page.locator("#check-result .text")).to_contain_text("take full responsibility")
    page.select_option("#kind", "personal_statement")
    page.click("#check-now")
    expect(page.locator("#check-result .result-title")).to_contain_text("personal statement")


def test_upload_a_docx(page, tmp_path):
    import docx

    document = docx.Document()
    for paragraph in (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8").split("\n\n"):
        document.add_paragraph(paragraph.strip())
    path = tmp_path / "my explanation.docx"
    document.save(str(path))
    page.set_input_files("#upload", str(path))
    page.wait_for_selector("#check-result .doc-grid")
    assert "Step 2 CK" in page.input_value("#draft")  # the text lands in the editor, to go on editing
    assert "No findings" in page.locator("#check-result aside").inner_text()
    assert "my explanation.docx" in page.inner_text("#check-status")
    _shoot(page, tmp_path, "2-docx-upload")


def test_too_large_an_upload_shows_the_limit(page, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"I studied. " * 150_000)
    page.set_input_files("#upload", str(path))
    error = page.locator("#check-error")
    error.wait_for(state="visible")
    assert "too large" in error.inner_text() and "1 MB" in error.inner_text()
    _shoot(page, tmp_path, "3-too-large")


def test_an_email_that_asks_about_rank_shows_the_error(page, tmp_path):
    _paste(page, (SAMPLES / "email-asks-rank.txt").read_text(encoding="utf-8"))
    page.wait_for_selector("#check-result .findings")
    text = page.locator("#check-result .findings").inner_text()
    assert "nrmp.ask-rank" in text and "error" in text
    _shoot(page, tmp_path, "4-email-asks-rank")


def test_draft_a_thank_you_email_with_the_keyboard(page, tmp_path):
    page.focus("#tab-check")
    page.keyboard.press("ArrowRight")  # tabs are real buttons that arrow keys move between
    assert page.get_attribute("#tab-email", "aria-selected") == "true"
    page.fill("#e-recipient", "Dr. Reyes")
    page.select_option("#e-role", "faculty")
    page.fill("#e-program", "Harbor County Internal Medicine")
    page.fill("#e-date", "2024-10-15")
    page.fill("#e-applicant", "Ana Lima")
    page.fill("#e-appreciated", "the resident-run HIV clinic\nthe morning report on social history")
    page.fill("#e-conversation", "caring for patients who arrive late in their illness")
    page.fill("#e-languages", "Spanish, Portuguese")
    page.keyboard.press("Enter")
    page.wait_for_selector("#email-result .email-draft")
    result = page.locator("#email-result").inner_text()
    assert "NRMP check passed" in result and "Send by" in result
    assert "Dear Dr. Reyes" in page.input_value("#email-text-1")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("button.copy")
    page.wait_for_selector("text=Copied.")
    _shoot(page, tmp_path, "5-email")


def _checked_at(browser, server_url: str, width: int, height: int, sample: str):
    """(context, page, how far the page scrolls sideways) with a sample checked in a window of this size at
    twice the pixel density (200 % zoom, or a phone)."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=2)
    page = context.new_page()
    page.goto(server_url + "/")
    _paste(page, (SAMPLES / sample).read_text(encoding="utf-8"))
    page.wait_for_selector("#check-result table.framework")
    return context, page, page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_readable_at_200_percent_zoom(browser, server_url, tmp_path):
    context, page, overflow = _checked_at(browser, server_url, 640, 900, "explanation-no-growth.txt")
    assert overflow <= 1, "the page scrolls sideways at 200 % zoom"
    _shoot(page, tmp_path, "6-zoom-200")
    context.close()


def test_on_a_phone_nothing_runs_off_the_screen(browser, server_url, tmp_path):
    context, page, overflow = _checked_at(browser, server_url, 375, 740, "explanation-blames.txt")
    assert overflow <= 1, f"the page scrolls sideways on a phone ({overflow} px)"
    stops = page.locator("#check-result mark.u[tabindex='0']").evaluate_all("els => els.map(e => e.textContent)")
    assert stops and all(text.strip() for text in stops), stops  # Tab never stops on a lone space
    marks = page.locator("#check-result mark.u")
    marks.nth(marks.count() - 1).focus()  # the last finding: nearest the right edge
    tip = page.evaluate("""() => { const m = document.activeElement, s = getComputedStyle(m, '::after');
        return {position: s.position, left: s.left, right: s.right}; }""")
    assert tip["position"] == "fixed", tip  # along the bottom of the screen, inside it
    _shoot(page, tmp_path, "7-phone")
    context.close()


def test_an_error_clears_the_last_report_and_the_notes_show(page, tmp_path):
    import docx

    _paste(page, (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8"))
    page.wait_for_selector("#check-result .doc-grid")
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 scanned")
    page.set_input_files("#upload", str(path))
    page.locator("#check-error").wait_for(state="visible")
    assert page.locator("#check-result .doc-grid").count() == 0  # no old report under the new error
    document = docx.Document()
    document.add_paragraph("I failed Step 1 on my first attempt, and I rebuilt how I study.")
    table = document.add_table(rows=2, cols=2)
    for r, (a, b) in enumerate((("Exam", "Score"), ("Step 2 CK", "243"))):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    table_path = tmp_path / "with table.docx"
    document.save(str(table_path))
    page.set_input_files("#upload", str(table_path))
    page.wait_for_selector("#check-result .notice")
    assert "table" in page.locator("#check-result .notice").first.inner_text()  # what `coach check` prints
    page.fill("#draft", "")
    page.click("#check-now")
    assert "Paste or type your draft" in page.locator("#check-error").inner_text()
    _shoot(page, tmp_path, "8-error-and-notes")
