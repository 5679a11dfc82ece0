"""What the server does with a draft, without HTTP: one Analyzer for the server's life (the models load once,
at start), a lock so one analysis runs at a time (spaCy and the encoder are shared), and the annotated view
rendered from the batch report's own macros. Drafts stay in memory: nothing here writes or logs them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from typing import Any

from ..document import KIND_NAMES, KINDS, read_bytes
from ..errors import CoachError
from ..render.html import draft_view, environment
from ..report import ROLES
from ..settings import FIELDS, PROGRAM_TYPES, Options

EMAIL_VALUES = ("recipient", "role", "program", "interview_date", "applicant", "appreciated", "conversation",
                "safety_net", "languages", "updates")


class BadInput(CoachError):
    """The request is wrong (400)."""


class Engine:
    def __init__(self, options: Options, analyzer: Any = None) -> None:
        from ..analysis.session import make_analyzer

        self.options = options
        self.analyzer = analyzer or make_analyzer(options)
        self.lock = threading.Lock()
        self.env = environment("web")
        with self.lock:  # warm every model now, so the first applicant does not wait for them
            self._analyse_text("warm-up.txt", "I failed Step 1 on my first attempt. I now study daily and "
                                              "I passed Step 2 CK with a strong score.", None, {})

    # ---- checks ------------------------------------------------------------------------------------------
    def check(self, name: str, data: bytes, values: dict[str, Any]) -> tuple[dict[str, Any], str, list[str]]:
        """(the report contract, the text as read, the notes `coach check` prints about it) for a draft's
        bytes. The notes are not in the contract; the page shows them above the findings."""
        kind = _choice(values.get("kind"), KINDS, "kind")
        options = self._options(values)
        dismissals = _dismissals(values.get("dismissals"), options)
        with self.lock:
            return self._analyse_bytes(name, data, kind, options, dismissals)

    def _analyse_text(self, name: str, text: str, kind: str | None, values: dict[str, Any]) -> dict[str, Any]:
        return self._analyse_bytes(name, text.encode("utf-8"), kind, self._options(values))[0]

    def _analyse_bytes(self, name: str, data: bytes, kind: str | None, options: Options,
                       dismissals: list[Any] | None = None) -> tuple[dict[str, Any], str, list[str]]:
        from ..analysis.dismissals import apply

        doc = read_bytes(name, data)
        report = apply(self.analyzer.analyse(doc, kind, options), dismissals or [])
        return report.to_json(), doc.text, list(dict.fromkeys(report.notices))

    def _options(self, values: dict[str, Any]) -> Options:
        program_type = _choice(values.get("program_type"), PROGRAM_TYPES, "program_type")
        field = _choice(values.get("field"), FIELDS, "field") or self.options.field
        return dataclasses.replace(self.options, program_type=program_type or self.options.program_type,
                                   field=field)

    def view(self, report: dict[str, Any], text: str, field: str | None, notices: list[str] | None = None) -> str:
        """The annotated view (HTML) of a checked draft: the batch report's `annotated` macro."""
        report = {**report, "findings": _dismiss_keys(report["findings"], report.get("sentences", []))}
        d = draft_view(report, text)
        d["dismissed"] = len(report.get("dismissed", []))
        d["length"] = self._length(report, text, field or self.options.field)
        if report["kind"] == "personal_statement" and (field or self.options.field or "statement") != "statement":
            d["short_field"] = True  # an Experiences or Most Meaningful entry: no score framework by design
        return self.env.get_template("check.html.j2").render(d=d, kind_name=KIND_NAMES.get(report["kind"], ""),
                                                             notices=notices or [])

    def _length(self, report: dict[str, Any], text: str, field: str) -> dict[str, Any] | None:
        from ..checks.length import eras_count

        if "speaking_seconds" in report.get("metrics", {}):  # a spoken answer: time, not an ERAS field's size
            low, high = self.analyzer.settings.interview.speaking["target_seconds"]
            return {"words": report["summary"]["words"], "seconds": report["metrics"]["speaking_seconds"],
                    "target": [low, high]}
        limits = self.analyzer.settings.statement.length.get("fields", {}).get(field)
        if not limits or report["kind"] == "email":
            return None
        return {"words": report["summary"]["words"], "chars": eras_count(text),  # as the length finding counts
                "max_chars": int(limits["max_chars"]), "label": limits["label"]}

    # ---- thank-you emails ----------------------------------------------------------------------------------
    def email(self, values: dict[str, Any], today: dt.date | None = None) -> dict[str, Any]:
        from ..email.drafts import DraftRequest, make_drafts, reminder

        unknown = sorted(set(values) - set(EMAIL_VALUES) - {"template"})
        if unknown:
            raise BadInput(f"unknown value {unknown[0]!r}; the values are: {', '.join(EMAIL_VALUES)}")
        given = {k: v for k, v in values.items() if k != "template" and v not in (None, "", [])}
        template = values.get("template") or None
        if template is not None and not isinstance(template, str):
            raise BadInput("template should be a template's name")
        request = DraftRequest(options=given, template=template, today=today or dt.date.today(), on_page=True)
        with self.lock:
            drafts = make_drafts(request, self.analyzer)
            note = reminder(self.analyzer)
        return {"reminder": note, "drafts": [{
            "recipient": d.recipient, "role": d.role_label, "program": d.program, "template": d.template,
            "text": d.text, "send_by": d.timing, "history_warnings": d.history_warnings,
            "check": d.report.to_json()} for d in drafts]}

    def email_view(self, result: dict[str, Any]) -> str:
        drafts = []
        for d in result["drafts"]:
            view = draft_view(d["check"], d["text"])
            drafts.append({**d, "view": view})
        return self.env.get_template("email.html.j2").render(result=result, drafts=drafts)

    def page(self) -> str:
        return self.env.get_template("page.html.j2").render(
            roles=ROLES, kinds=[(k, KIND_NAMES[k]) for k in KINDS], program_types=PROGRAM_TYPES,
            fields=self._field_labels(), options=self.options)

    def _field_labels(self) -> list[tuple[str, str]]:
        fields = self.analyzer.settings.statement.length.get("fields", {})
        return [(f, f"{fields[f]['label']} ({int(fields[f]['max_chars']):,} characters)" if f in fields else f)
                for f in FIELDS]

    def health(self) -> dict[str, Any]:
        classifier = self.analyzer.classifier
        grammar = self.analyzer.grammar
        return {"status": "ok", "engines": {
            "spacy": getattr(self.analyzer.nlp, "meta", {}).get("name", "loaded"),
            "roles": getattr(classifier, "name", type(classifier).__name__),
            "grammar": grammar.description if grammar is not None else "off"},
            "notices": self.analyzer.notices()}


def _dismissals(value: Any, options: Options) -> list[Any]:
    """The page's dismissals (`dismissals`: a list of {rule, sentence, reason}, or that list as JSON text in
    a form), read as a sidecar is, plus `coach serve --ignore`."""
    from ..analysis.dismissals import Dismissal, parse
    from ..errors import RubricError

    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else None
        except json.JSONDecodeError:
            raise BadInput("dismissals must be a JSON list") from None
    try:
        given = parse(value, "dismissals") if value is not None else []
    except RubricError as exc:
        raise BadInput(str(exc)) from None
    return given + [Dismissal(rule, reason="--ignore for this run") for rule in options.ignore]


def _choice(value: Any, allowed: tuple[str, ...], name: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or value not in allowed:
        raise BadInput(f"{name} must be one of {', '.join(allowed)}")
    return value


def _dismiss_keys(findings: list[dict[str, Any]], sentences: list[Any]) -> list[dict[str, Any]]:
    """Each finding with the words of its sentence, for the page's "Dismiss", and the words of its excerpt
    where its sentence has other findings of the same rule that must stay (two misspellings in one sentence)."""
    from ..analysis.dismissals import normalise, sentence_key, word_level_choices

    keys = [sentence_key(f, sentences) for f in findings]
    choices = word_level_choices(findings, keys)
    keyed = [{**f, "dismiss_key": key} for f, key in zip(findings, keys)]
    return [{**f, "dismiss_excerpt": normalise(f["excerpt"])} if (f["rule"], f["dismiss_key"]) in choices else f
            for f in keyed]
