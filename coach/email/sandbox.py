"""Rendering email templates safely: Jinja2's sandbox with StrictUndefined, in a separate, limited process.

Templates may come from the user (`--templates DIR`), so they are treated as untrusted code:

* Jinja2's `ImmutableSandboxedEnvironment` refuses private attributes (`''.__class__`, `cycler.__init__`),
  unsafe callables and mutation of lists and dicts;
* operators and filters that can build huge strings (`*`, `**`, `+`, `%`, `center`, `format` ...) are checked
  or removed, `range()` has a budget for the whole render, and the output has a size limit;
* the render runs in a child Python process (`python -m coach.email.sandbox`) with a memory limit, a CPU limit
  and a wall-clock timer, so nothing a template does can hang or exhaust the `coach` process.

Values are passed to templates as data and are never rendered themselves: "{{ 7*7 }}" typed as a value
prints as typed. The child speaks JSON on stdin/stdout; problems come back as a kind and a message.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEMPLATE_SUFFIX = ".j2"
_REMOVED_FILTERS = ("center", "format", "indent", "pprint", "batch", "wordwrap", "xmlattr", "urlize",
                    "filesizeformat")
_AMPLIFYING_STR_METHODS = frozenset({"format", "format_map", "center", "ljust", "rjust", "zfill",
                                     "expandtabs", "replace", "join", "encode", "translate"})
_DEFAULT_LIMITS = {"file_bytes": 100_000, "output_chars": 6000, "render_seconds": 3, "range_items": 10_000,
                   "sequence_items": 100_000, "memory_mb": 512}


class TemplateProblem(Exception):
    """A template could not be rendered. `kind`: missing, not_found, syntax, unsafe, limit or error."""

    def __init__(self, kind: str, message: str, names: list[str] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.names = names or []


@dataclass
class RenderRequest:
    dirs: list[str]          # template folders, first match wins (a user folder before the shipped one)
    template: str            # a name such as "faculty" or "faculty.j2"
    context: dict[str, Any]  # strings and lists of strings only
    limits: dict[str, Any]
    order: list[str]         # preferred order of value names, for the "missing values" message


# ---- the parent side ---------------------------------------------------------------------------------------

def render_isolated(request: RenderRequest) -> str:
    """Render in a child process; returns the text or raises TemplateProblem."""
    limits = {**_DEFAULT_LIMITS, **request.limits}
    payload = json.dumps({"dirs": request.dirs, "template": request.template, "context": request.context,
                          "limits": limits, "order": request.order})
    package_root = str(Path(__file__).resolve().parents[2])  # the folder holding coach/
    paths = [package_root, os.environ.get("PYTHONPATH")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    wall = float(limits["render_seconds"]) + 30  # the child times itself; this only catches a stuck child
    try:
        done = subprocess.run([sys.executable, "-m", "coach.email.sandbox"], input=payload.encode("utf-8"),
                              capture_output=True, timeout=wall, env=env)
    except subprocess.TimeoutExpired:
        raise TemplateProblem("limit", _too_slow(limits)) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        if done.returncode < 0 or done.returncode in (137, 152):  # killed: memory or CPU limit
            raise TemplateProblem("limit", "used too much memory or time to render") from None
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        last = detail[-1][:200] if detail else "no output"
        raise TemplateProblem("error", f"could not be rendered ({last})") from None
    if "text" in answer:
        return str(answer["text"])
    raise TemplateProblem(answer.get("kind", "error"), answer.get("message", "could not be rendered"),
                          answer.get("names"))


# ---- the child side ----------------------------------------------------------------------------------------

def render_here(request: RenderRequest) -> str:
    """Render in this process (the child calls this). Raises TemplateProblem."""
    import jinja2
    from jinja2 import meta

    limits = {**_DEFAULT_LIMITS, **request.limits}
    env = make_environment(request.dirs, limits)
    name = request.template.removesuffix(TEMPLATE_SUFFIX) + TEMPLATE_SUFFIX
    try:
        missing = _missing_values(env, name, set(request.context), meta)
        if missing:
            order = {n: i for i, n in enumerate(request.order)}
            missing.sort(key=lambda n: (order.get(n, len(order)), n))
            raise TemplateProblem("missing", "missing values", missing)
        template = env.get_template(name)
        return _collect(template.generate(request.context), int(limits["output_chars"]))
    except TemplateProblem:
        raise
    except jinja2.TemplateNotFound as exc:
        missing = exc.name or name
        raise TemplateProblem("not_found", f"template {missing!r} was not found", [missing]) from None
    except jinja2.TemplateSyntaxError as exc:
        where = f"line {exc.lineno}" if exc.name in (None, name) else f"{exc.name}, line {exc.lineno}"
        raise TemplateProblem("syntax", f"{where}: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        found = re.match(r"'([^']+)' is undefined", str(exc))
        if found:
            raise TemplateProblem("missing", "missing values", [found.group(1)]) from None
        raise TemplateProblem("unsafe" if _is_security(exc) else "error", _one_line(exc)) from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateProblem("unsafe", f"uses something templates may not use ({_one_line(exc)})") from None
    except (OverflowError, MemoryError, RecursionError) as exc:
        why = _one_line(exc) or type(exc).__name__
        raise TemplateProblem("limit", f"is too large or too deep to render ({why})") from None
    except _Timeout:
        raise TemplateProblem("limit", _too_slow(limits)) from None
    except Exception as exc:  # a template can raise almost anything (TypeError, ZeroDivisionError ...)
        why = f"{type(exc).__name__}: {_one_line(exc)}"
        raise TemplateProblem("error", f"failed while rendering ({why})") from None


def _too_slow(limits: dict[str, Any]) -> str:
    return f"took longer than {limits['render_seconds']} seconds to render"


def _is_security(exc: Exception) -> bool:
    return "unsafe" in str(exc)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else ""


def _collect(chunks, limit: int) -> str:
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise TemplateProblem("limit", f"produced more than {limit:,} characters; a thank-you note is "
                                           "a few short paragraphs")
        out.append(chunk)
    return "".join(out)


def _missing_values(env, name: str, given: set[str], meta) -> list[str]:
    """Names the template (and what it includes) reads but nobody gave, excluding Jinja's globals."""
    seen: set[str] = set()
    wanted: set[str] = set()
    todo = [name]
    while todo and len(seen) < 50:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        source, _, _ = env.loader.get_source(env, current)
        ast = env.parse(source, current)
        wanted |= meta.find_undeclared_variables(ast)
        todo += [t for t in meta.find_referenced_templates(ast) if isinstance(t, str)]
    return sorted(wanted - given - set(env.globals))


class _Timeout(BaseException):
    """Raised by the wall-clock timer; a BaseException, so no `except Exception` on the way swallows it."""


def make_environment(dirs: list[str], limits: dict[str, Any]):
    """The sandboxed Jinja environment with coach's limits."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    max_items = int(limits["sequence_items"])
    range_budget = [int(limits["range_items"])]

    class _Loader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            if len(source) > int(limits["file_bytes"]):
                size = f"{limits['file_bytes']:,}"
                raise TemplateProblem("limit", f"template {template!r} is larger than {size} bytes")
            return source, filename, uptodate

    class _Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+", "%"})

        def call_binop(self, context, operator, left, right):
            if operator == "**":
                if isinstance(right, (int, float)) and abs(right) > 64 or \
                        isinstance(left, (int, float)) and abs(left) > 10 ** 6 and abs(right) > 4:
                    raise OverflowError("a power this large is not allowed in templates")
            elif operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) \
                            and len(seq) * n > max_items:
                        raise OverflowError(f"a repeated text or list over {max_items:,} is not allowed")
            elif operator == "%" and isinstance(left, str):
                raise jinja2.exceptions.SecurityError("%-formatting of text is not allowed in templates")
            result = super().call_binop(context, operator, left, right)
            if isinstance(result, (str, list, tuple)) and len(result) > max_items:
                raise OverflowError(f"a text or list longer than {max_items:,} is not allowed")
            return result

        def is_safe_attribute(self, obj, attr, value):
            if isinstance(obj, str) and attr in _AMPLIFYING_STR_METHODS:
                return False
            return super().is_safe_attribute(obj, attr, value)

        def wrap_str_format(self, value):
            return None  # str.format is refused by is_safe_attribute instead

    def budget_range(*args: int) -> range:
        r = range(*args)
        range_budget[0] -= len(r)
        if range_budget[0] < 0:
            raise OverflowError(f"range() may give at most {limits['range_items']:,} numbers in one template")
        return r

    env = _Sandbox(loader=jinja2.ChoiceLoader([_Loader(d) for d in dirs]), undefined=jinja2.StrictUndefined,
                   autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    kept = {name: env.globals[name] for name in ("namespace", "cycler", "joiner", "dict")}
    env.globals = {"range": budget_range, **kept}
    for name in _REMOVED_FILTERS:
        env.filters.pop(name, None)
    env.filters["and_list"] = and_list
    return env


def and_list(items: Any) -> str:
    """"a", "a and b", "a, b, and c"."""
    if isinstance(items, str):
        return items
    words = [str(i) for i in items]
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + ", and " + words[-1]


def _limit_resources(limits: dict[str, Any]) -> None:
    """Memory and CPU limits for this (child) process, where the platform has them."""
    try:
        import resource
    except ImportError:  # Windows: the parent's timeout still applies
        return
    extra = int(limits["memory_mb"]) * 1024 * 1024
    try:
        with open("/proc/self/statm") as f:
            current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (current + extra, current + extra))
    except (OSError, ValueError, AttributeError):
        pass
    seconds = int(limits["render_seconds"]) + 2
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _start_timer(seconds: float) -> None:
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        def _alarm(signum, frame):
            raise _Timeout()

        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)


def main() -> None:
    """The child: one JSON request on stdin, one JSON answer on stdout."""
    raw = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    request = RenderRequest(dirs=raw["dirs"], template=raw["template"], context=raw["context"],
                            limits=raw["limits"], order=raw.get("order", []))
    _limit_resources(request.limits)
    _start_timer(float(request.limits["render_seconds"]))
    try:
        answer: dict[str, Any] = {"text": render_here(request)}
    except TemplateProblem as exc:
        answer = {"kind": exc.kind, "message": exc.message, "names": exc.names}
    except _Timeout:
        answer = {"kind": "limit", "message": _too_slow(request.limits)}
    except MemoryError:
        answer = {"kind": "limit", "message": "used too much memory to render"}
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
