"""The ASGI app of `coach serve` (Starlette): the page, its static files and the JSON API.

Safety: every response carries a Content-Security-Policy that allows nothing but this origin's own scripts,
styles and fetches; a request whose Host is not the server's own address, or whose Origin is another site,
is refused before any handler runs (DNS rebinding, cross-site reads); bodies are capped at MAX_UPLOAD bytes;
drafts are never logged or written (the access log is off, and uploads are parsed in memory)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..document import DRAFT_SUFFIXES, DRAFT_TYPES
from ..errors import CoachError, InputError
from ..nlp import MAX_CHARS
from ..resources import template_dir
from .engine import BadInput, Engine

MAX_UPLOAD = 1_000_000  # bytes: a long personal statement as .docx is ~50 KB
LIMIT_MESSAGE = (f"That file is too large: coach takes drafts up to {MAX_UPLOAD // 1_000_000} MB "
                 f"(an ERAS personal statement is about 30 KB). Paste the text, or save it as .txt or .docx.")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
    "x-frame-options": "DENY", "cache-control": "no-store", "cross-origin-resource-policy": "same-origin",
}
STATIC = {"report.css": ("report", "text/css"), "serve.css": ("web", "text/css"),
          "serve.js": ("web", "text/javascript")}


class TooLarge(Exception):
    pass


class Unsupported(Exception):
    pass


def error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """The Host headers the server answers to: its own loopback names, or the --host given (None: any host,
    when bound to every interface; the Origin must then still match the Host)."""
    if host in ("0.0.0.0", "::", ""):
        return None
    names = {"127.0.0.1", "localhost", "[::1]"} if host in ("127.0.0.1", "localhost", "::1") else set()
    names.add(f"[{host}]" if ":" in host else host)
    return {f"{name}:{port}" for name in names} | ({host} if port == 80 else set())


class Guard:
    """Refuses requests from elsewhere and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, hosts: set[str] | None) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "").lower()
        origin = headers.get("origin")
        problem = None
        if self.hosts is not None and host not in self.hosts:
            problem = "this server answers only to its own address (Host header refused)"
        elif origin is not None and origin.lower() != f"http://{host}":
            problem = "requests from other sites are refused (Origin header)"
        elif headers.get("sec-fetch-site") == "cross-site":
            problem = "requests from other sites are refused"

        async def send_secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                raw = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                raw += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": raw}
            await send(message)

        if problem:
            await error(problem, 403)(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)


async def _body(request: Request) -> bytes:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_UPLOAD:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def read_draft(request: Request) -> tuple[str, bytes, dict[str, Any]]:
    """(a name, the draft's bytes, the other values) from JSON {"text", ...} or a multipart `file`."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _body(request)
    if ctype == "application/json":
        values = _json_object(body)
        text = values.pop("text", None)
        if not isinstance(text, str):
            raise BadInput('send the draft as "text" (a string), or upload it as a multipart "file"')
        if len(text) > MAX_CHARS:
            raise TooLarge(f"That draft is too long: coach checks up to {MAX_CHARS:,} characters "
                           f"(the longest ERAS field holds 28,000).")
        return "pasted draft", text.encode("utf-8"), values
    if ctype == "multipart/form-data":
        try:
            form = await MultiPartParser(request.headers, _once(body), max_files=1, max_fields=10,
                                         max_part_size=MAX_UPLOAD).parse()
        except MultiPartException as exc:
            raise BadInput(f"the upload could not be read ({exc.message})") from None
        upload = form.get("file")
        values = {k: v for k, v in form.items() if k != "file" and isinstance(v, str)}
        if isinstance(upload, UploadFile):
            name = Path(upload.filename or "draft.txt").name
            if Path(name).suffix.lower() not in DRAFT_SUFFIXES:
                raise Unsupported(f"{name}: coach reads {DRAFT_TYPES} drafts; save it as one of those")
            data = await upload.read()
            await upload.close()
            return name, data, values
        if isinstance(form.get("text"), str):
            return "pasted draft", str(form["text"]).encode("utf-8"), {k: v for k, v in values.items() if k != "text"}
        raise BadInput(f'upload the draft as a multipart "file" ({DRAFT_TYPES})')
    raise Unsupported('send JSON ({"text": ...}) or a multipart form with a "file"')


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        values = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadInput("the request body is not valid JSON") from None
    if not isinstance(values, dict):
        raise BadInput("send a JSON object")
    return values


def _message(exc: CoachError) -> str:
    """The error as the page shows it: a pasted draft is "Your draft", an uploaded file keeps its own name
    as typed (never capitalised: "fake.docx" is not "Fake.docx")."""
    if isinstance(exc, InputError) and exc.file == "pasted draft":
        return f"Your draft {exc.problem}"
    if isinstance(exc, InputError) and exc.file != "command line":
        return str(exc)
    text = exc.problem if isinstance(exc, InputError) else str(exc)
    return text[:1].upper() + text[1:]


def create_app(engine: Engine, hosts: set[str] | None) -> ASGIApp:
    async def guarded(call: Any, *args: Any) -> Any:
        try:
            return await run_in_threadpool(call, *args)
        except (BadInput, InputError) as exc:
            return error(_message(exc), 400)
        except CoachError as exc:
            return error(_message(exc), 400)

    async def handle_check(request: Request, html: bool) -> Response:
        try:
            name, data, values = await read_draft(request)
        except TooLarge as exc:
            return error(str(exc) or LIMIT_MESSAGE, 413)
        except Unsupported as exc:
            return error(str(exc), 415)
        except BadInput as exc:
            return error(str(exc), 400)
        result = await guarded(engine.check, name, data, values)
        if isinstance(result, Response):
            return result
        report, text, notices = result
        if not html:
            return JSONResponse(report)
        view = await run_in_threadpool(engine.view, report, text, values.get("field"), notices)
        return JSONResponse({"html": view, "text": text if name != "pasted draft" else None,
                             "kind": report["kind"], "summary": report["summary"]})

    async def handle_email(request: Request, html: bool) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return error('send the values as JSON, e.g. {"recipient": "Dr. Reyes", "role": "faculty", ...}', 415)
        try:
            values = _json_object(await _body(request))
        except TooLarge:
            return error(LIMIT_MESSAGE, 413)
        except BadInput as exc:
            return error(str(exc), 400)
        result = await guarded(engine.email, values)
        if isinstance(result, Response) or not html:
            return result if isinstance(result, Response) else JSONResponse(result)
        return JSONResponse({"html": await run_in_threadpool(engine.email_view, result),
                             "texts": [d["text"] for d in result["drafts"]]})

    async def api_check(request: Request) -> Response:
        return await handle_check(request, html=False)

    async def ui_check(request: Request) -> Response:
        return await handle_check(request, html=True)

    async def api_email(request: Request) -> Response:
        return await handle_email(request, html=False)

    async def ui_email(request: Request) -> Response:
        return await handle_email(request, html=True)

    async def health(request: Request) -> Response:
        return JSONResponse(engine.health())

    async def page(request: Request) -> Response:
        return HTMLResponse(engine.page())

    async def static(request: Request) -> Response:
        found = STATIC.get(request.path_params["name"])
        if not found:
            return error("not found", 404)
        folder, media = found
        body = (template_dir() / folder / request.path_params["name"]).read_bytes()
        return Response(body, media_type=media)

    async def not_found(request: Request, exc: Exception) -> Response:
        return error("not found", 404)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return error("method not allowed", 405)

    async def failed(request: Request, exc: Exception) -> Response:  # the traceback goes to the log, no draft
        return error("coach could not check this draft: an internal error. Please report it (without your "
                     "draft) at the project's issue tracker.", 500)

    routes: Iterable[Route] = [
        Route("/", page, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/api/health", health, methods=["GET"]),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/email", api_email, methods=["POST"]),
        Route("/ui/check", ui_check, methods=["POST"]),
        Route("/ui/email", ui_email, methods=["POST"]),
    ]
    app = Starlette(routes=list(routes), exception_handlers={404: not_found, 405: not_allowed,
                                                                  Exception: failed})
    return Guard(app, hosts)
