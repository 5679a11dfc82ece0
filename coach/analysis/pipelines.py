"""Each kind's pipeline: the checks run, in order, over a document of that kind. Every check has one
signature, `check(ctx) -> list[Finding]`; adding a check is one function and one line here (plus its
YAML section in rubrics/)."""

from __future__ import annotations

from collections.abc import Callable

from ..checks.email import check_email
from ..checks.explanation import check_explanation
from ..checks.interview import check_interview
from ..checks.readability import readability
from ..checks.statement import check_statement
from ..document import KINDS
from ..report import Finding
from .context import Context

Check = Callable[[Context], list[Finding]]

PIPELINES: dict[str, list[Check]] = {
    "explanation": [check_explanation, readability],
    "personal_statement": [check_statement, readability],
    "email": [check_email, readability],
    "interview": [check_interview],  # delivery has its own, shorter sentence limit (a breath)
}
assert set(PIPELINES) == set(KINDS)


def run_pipeline(ctx: Context) -> list[Finding]:
    return [finding for check in PIPELINES[ctx.doc.kind] for finding in check(ctx)]
