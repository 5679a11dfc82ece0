"""Does each applicant tell one story? And which long passages do different applicants share?

Per applicant (drafts grouped by the key coach/batch/applicants.py chose; a draft with none is compared with
nothing), facts are read from every analysed draft — statement, explanation, interview answer — and
compared across drafts: which exam was failed, how many attempts it
took, the scores, the reasons given, and the target specialty. An email whose file name names one program
(`thanks-county-general.txt`) but whose text names another is flagged. Across the cohort, runs of at least
`min_shared_words` words that appear in drafts of different applicants (a template, a writing service) are
listed. Findings use the contract's Finding shape with category `consistency`, plus `file`, `applicant`
and `related` (the other files involved).

Pure: texts in, findings out. Every pattern, word list, number and message comes from the `consistency`
section of rubrics/consistency.yaml, checked and compiled once per rubric (`settings`). The patterns are
deliberately narrow; a missed fact costs a finding, a wrong one costs the advisor's trust.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document import Document
from ..errors import RubricError
from ..report import make_finding
from ..rubric import SEVERITIES, Rubric, load_rubric
from ..yamlio import line_of, read_yaml

if TYPE_CHECKING:
    from .model import BatchResult, Entry

SECTION = "consistency"  # the rubrics/*.yaml key holding every pattern, number and message used here
_PATTERN = re.Pattern[str]
# Each finding's wording, and the placeholders its message may use.
_MESSAGE_FIELDS = {
    "exam": {"mine", "theirs", "other", "exam"}, "attempts": {"mine", "theirs", "other", "exam"},
    "score": {"mine", "theirs", "other", "exam"}, "reasons": {"mine", "theirs", "other", "exam"},
    "specialty": {"mine", "theirs", "other", "exam"}, "email-program": {"wanted", "name"},
    "shared-passage": {"words", "others", "s", "drafts"},
}
_KEYS = {"min_shared_words", "shingle", "named_drafts", "more_drafts", "exams", "score", "score_before",
         "not_a_score", "fail", "pass", "ordinal", "times", "ordinals", "counts", "specialties", "reasons",
         "note_word", "program_file", "program_name", "name_stop", "attempts_text", "messages"}


@dataclass(frozen=True)
class Wording:
    severity: str
    message: str
    suggestion: str


@dataclass
class Settings:
    """The `consistency` section of the rubric, checked and with every pattern compiled."""

    min_shared_words: int
    shingle: int
    named_drafts: int  # a shared passage's message names at most this many other drafts
    more_drafts: str  # then says how many more: "and {n} more"
    exams: list[tuple[str, _PATTERN]]
    score: _PATTERN
    score_before: _PATTERN
    not_a_score: _PATTERN
    fail: _PATTERN
    passed: _PATTERN
    ordinal: _PATTERN
    times: _PATTERN
    ordinals: dict[str, int]
    counts: dict[str, int]
    specialties: dict[str, _PATTERN]
    reasons: dict[str, _PATTERN]
    program_file: _PATTERN
    program_name: _PATTERN
    name_stop: frozenset[str]
    attempts_open: str
    attempts_exact: str
    messages: dict[str, Wording]


_BUILT: dict[int, tuple[Any, Settings]] = {}  # id(section) → (section, settings): built once per rubric


def settings(rubric: Rubric | None = None, rubric_dir: str | Path | None = None) -> Settings:
    """The consistency settings of `rubric`, or of the shipped rubrics with `rubric_dir` laid over them."""
    if rubric is None:
        rubric = _rubric(str(rubric_dir) if rubric_dir else None)
    section = rubric.settings.get(SECTION)
    hit = _BUILT.get(id(section))
    if hit is not None and hit[0] is section:
        return hit[1]
    built = _Reader(rubric, section).settings()
    _BUILT[id(section)] = (section, built)
    return built


@lru_cache(maxsize=8)
def _rubric(rubric_dir: str | None) -> Rubric:
    return load_rubric(rubric_dir)


class _Reader:
    """Checks the section; every problem is a RubricError naming the file, line and key."""

    def __init__(self, rubric: Rubric, section: Any) -> None:
        self.rubric = rubric
        self.section = section

    def fail(self, mapping: Any, key: str, where: str, problem: str) -> RubricError:
        return RubricError(self._file(), line_of(mapping, key), where, problem)

    def _file(self) -> str:
        """The last rubric file that defines the section (the one whose section is in use)."""
        for f in reversed(self.rubric.files):
            try:
                data = read_yaml(Path(f))
            except RubricError:
                continue
            if isinstance(data, dict) and SECTION in data:
                return f
        return self.rubric.files[-1] if self.rubric.files else "rubrics"

    def settings(self) -> Settings:
        s = self.section
        if not isinstance(s, dict):
            problem = "is missing" if s is None else "must be a mapping of settings"
            raise RubricError(self._file(), None, SECTION, problem)
        unknown = sorted(str(k) for k in s if k not in _KEYS)
        if unknown:
            raise self.fail(s, unknown[0], f"{SECTION}.{unknown[0]}", "is not a consistency setting")
        missing = sorted(_KEYS - set(s))
        if missing:
            raise RubricError(self._file(), getattr(s, "line", None), f"{SECTION}.{missing[0]}", "is required")
        min_words, shingle = self.number(s, "min_shared_words"), self.number(s, "shingle")
        if shingle > min_words:
            raise self.fail(s, "shingle", f"{SECTION}.shingle", "must not exceed min_shared_words")
        note_word = self.text(s, "note_word")
        attempts = self.mapping(s, "attempts_text")
        return Settings(
            min_shared_words=min_words, shingle=shingle, named_drafts=self.number(s, "named_drafts"),
            more_drafts=self.template(s, "more_drafts", f"{SECTION}.more_drafts", {"n"}),
            exams=list(self.patterns(s, "exams").items()),
            score=self.regex(s, "score"), score_before=self.regex(s, "score_before", groups=1),
            not_a_score=self.regex(s, "not_a_score"), fail=self.regex(s, "fail"), passed=self.regex(s, "pass"),
            ordinal=self.regex(s, "ordinal", groups=2), times=self.regex(s, "times", groups=1),
            ordinals=self.counts(s, "ordinals"), counts=self.counts(s, "counts"),
            specialties=self.patterns(s, "specialties"), reasons=self.patterns(s, "reasons"),
            program_file=self.regex(s, "program_file", groups=2,
                                    template=lambda p: p.replace("{note_word}", note_word)),
            program_name=self.regex(s, "program_name"),
            name_stop=frozenset(self.words(s, "name_stop")),
            attempts_open=self.template(attempts, "open", f"{SECTION}.attempts_text.open", {"n", "s"}),
            attempts_exact=self.template(attempts, "exact", f"{SECTION}.attempts_text.exact", {"n", "s"}),
            messages=self.messages(s),
        )

    def number(self, s: Any, key: str) -> int:
        value = s[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.fail(s, key, f"{SECTION}.{key}", "must be a whole number of at least 1")
        return value

    def mapping(self, s: Any, key: str, where: str | None = None) -> dict:
        value = s[key]
        if not isinstance(value, dict) or not value:
            raise self.fail(s, key, where or f"{SECTION}.{key}", "must be a non-empty mapping")
        return value

    def text(self, s: Any, key: str, where: str | None = None) -> str:
        value = s[key]
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = "".join(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(s, key, where or f"{SECTION}.{key}",
                            "must be a non-empty string (or a list of strings joined together)")
        return value

    def regex(self, s: Any, key: str, where: str | None = None, groups: int = 0,
              template: Any = None) -> _PATTERN:
        where = where or f"{SECTION}.{key}"
        pattern = self.text(s, key, where)
        if template is not None:
            pattern = template(pattern)
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise self.fail(s, key, where, f"is not a valid regular expression ({exc})") from None
        if compiled.groups < groups:
            raise self.fail(s, key, where, f"needs at least {groups} capturing group{'s' * (groups != 1)}")
        return compiled

    def patterns(self, s: Any, key: str) -> dict[str, _PATTERN]:
        value = self.mapping(s, key)
        return {str(name): self.regex(value, name, f"{SECTION}.{key}.{name}") for name in value}

    def counts(self, s: Any, key: str) -> dict[str, int]:
        value = self.mapping(s, key)
        for name, n in value.items():
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                raise self.fail(value, name, f"{SECTION}.{key}.{name}", "must be a whole number of at least 1")
        return {str(name): n for name, n in value.items()}

    def words(self, s: Any, key: str) -> list[str]:
        value = s[key]
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise self.fail(s, key, f"{SECTION}.{key}", "must be a list of lower-case words")
        return value

    def template(self, s: Any, key: str, where: str, fields: set[str]) -> str:
        if key not in s:
            raise self.fail(s, key, where, "is required")
        value = s[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(s, key, where, "must be a non-empty string")
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            raise self.fail(s, key, where, f"has a malformed {{placeholder}} ({exc})") from None
        bad = sorted(used - fields)
        if bad:
            raise self.fail(s, key, where, f"uses {{{bad[0]}}}; it may use only "
                            + ", ".join(f"{{{f}}}" for f in sorted(fields)))
        return value

    def messages(self, s: Any) -> dict[str, Wording]:
        value = self.mapping(s, "messages")
        unknown = sorted(str(k) for k in value if k not in _MESSAGE_FIELDS)
        if unknown:
            raise self.fail(value, unknown[0], f"{SECTION}.messages.{unknown[0]}",
                            f"is not a consistency finding (known: {', '.join(_MESSAGE_FIELDS)})")
        out = {}
        for rule, fields in _MESSAGE_FIELDS.items():
            where = f"{SECTION}.messages.{rule}"
            raw = value.get(rule)
            if not isinstance(raw, dict):
                raise self.fail(value, rule, where, "must give severity, message and suggestion")
            if raw.get("severity") not in SEVERITIES:
                raise self.fail(raw, "severity", f"{where}.severity", f"must be one of {', '.join(SEVERITIES)}")
            out[rule] = Wording(raw["severity"], self.template(raw, "message", f"{where}.message", fields),
                                self.template(raw, "suggestion", f"{where}.suggestion", set()))
        return out


@dataclass
class _Facts:
    """What one draft says about its applicant, each fact with the span that says it."""

    attempts: dict[str, tuple[int, int | None, int, int]] = field(default_factory=dict)  # exam → lo, hi, span
    scores: dict[str, dict[int, tuple[int, int]]] = field(default_factory=dict)  # exam → score → span
    specialty: tuple[str, int, int] | None = None  # the one named most often, and its first mention
    mentioned: set[str] = field(default_factory=set)  # every specialty named at all
    reasons: dict[str, tuple[int, int]] = field(default_factory=dict)
    unclear: set[str] = field(default_factory=set)  # exams whose attempt count the draft contradicts


def add_consistency(result: BatchResult, rubric: Rubric | None = None,
                    rubric_dir: str | Path | None = None) -> None:
    """Fill each entry's `consistency` findings and the cohort's `shared_passages`, with the patterns and
    wording of `rubric` (by default the shipped rubrics, with `rubric_dir` laid over them)."""
    cfg = settings(rubric, rubric_dir)
    entries = [e for e in result.entries if e.report is not None and e.text is not None]
    docs = {e.file: Document(file=e.file, text=e.text or "") for e in entries}
    by_applicant: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        entry.consistency = []
        if entry.applicant:
            by_applicant[entry.applicant].append(entry)
        entry.consistency += _email_program(entry, docs[entry.file], cfg)
    labels = {e.file: label(e) for e in entries}
    for everyone in by_applicant.values():
        group = [e for e in everyone if not e.superseded_by]  # earlier versions are not the story told
        facts = {e.file: read_facts(docs[e.file], e.report or {}, cfg) for e in group}
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                for file, finding in _compare(docs[a.file], facts[a.file], docs[b.file], facts[b.file], cfg,
                                              labels):
                    owner = a if file == a.file else b
                    owner.consistency.append({**finding, "applicant": owner.applicant})
    result.shared_passages = _shared_passages(entries, docs, cfg)
    for entry in entries:
        entry.consistency.sort(key=lambda f: (f["start"], f["rule"]))


def read_facts(doc: Document, report: dict[str, Any], cfg: Settings | None = None) -> _Facts:
    """Exams, attempts, scores and reasons from the paragraphs that mention an exam; the specialty from
    the whole draft. Sentences are the report's, so facts are read where the analysis split them."""
    cfg = cfg or settings()
    facts = _Facts()
    text = doc.analysis_text
    sentences = [(s["start"], s["end"]) for s in report.get("sentences", [])] or [(0, len(text))]
    specialty_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for p_start, p_end in doc.paragraphs() or [(0, len(text))]:
        carried: str | None = None
        exam_paragraph = False
        for start, end in ((s, e) for s, e in sentences if p_start <= s < p_end):
            sentence = text[start:end]
            exams = sorted((m.start() + start, m.end() + start, name)
                           for name, rx in cfg.exams for m in rx.finditer(sentence))
            _read_attempts(facts, sentence, start, exams, carried, cfg)
            _read_scores(facts, text, exams, start, end, cfg)
            exam_paragraph = exam_paragraph or bool(exams)
            carried = exams[-1][2] if exams else carried
        if exam_paragraph:
            for reason, rx in cfg.reasons.items():
                m = rx.search(text, p_start, p_end)
                if m and reason not in facts.reasons:
                    facts.reasons[reason] = (m.start(), m.end())
    for name, rx in cfg.specialties.items():
        specialty_spans[name] = [(m.start(), m.end()) for m in rx.finditer(text)]
    ranked = sorted(((len(v), k) for k, v in specialty_spans.items() if v), reverse=True)
    facts.mentioned = {k for _, k in ranked}
    if ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
        name = ranked[0][1]
        facts.specialty = (name, *specialty_spans[name][0])
    return facts


def _nearest_exam(exams: list[tuple[int, int, str]], pos: int, carried: str | None) -> str | None:
    before = [e for e in exams if e[1] <= pos]
    if before:
        return before[-1][2]
    return exams[0][2] if exams else carried


def _read_attempts(facts: _Facts, sentence: str, offset: int, exams: list[tuple[int, int, str]],
                   carried: str | None, cfg: Settings) -> None:
    failed = cfg.fail.search(sentence)
    for m in cfg.ordinal.finditer(sentence):
        n = cfg.ordinals.get((m.group(1) or m.group(2) or "").lower())
        if n is None:  # a rubric pattern matched a word `ordinals` does not number
            continue
        exam = _nearest_exam(exams, m.start() + offset, carried)
        clause = sentence[max(0, m.start() - 70):m.start()]
        if cfg.passed.search(clause) and not cfg.fail.search(clause[-30:]):
            claim: tuple[int, int | None] = (n - 1, n - 1)
        elif failed:
            claim = (n, None)
        else:
            continue
        _add_attempt(facts, exam, claim, m.start() + offset, m.end() + offset)
    times = cfg.times.search(sentence)
    if (failed or times) and not cfg.ordinal.search(sentence):
        count = cfg.counts.get(" ".join(times.group(1).lower().split()), 1) if times else 1
        if times and "attempt" in times.group(1) and cfg.passed.search(sentence):  # "two attempts to pass"
            claim = (count - 1, count - 1)
        elif failed:  # "failed Step 1", "failed it twice": at least that many
            claim = (count, None)
        else:
            return
        anchor = failed or times
        exam = _nearest_exam(exams, anchor.start() + offset, carried)
        _add_attempt(facts, exam, claim, anchor.start() + offset, anchor.end() + offset)


def _add_attempt(facts: _Facts, exam: str | None, claim: tuple[int, int | None], start: int,
                 end: int) -> None:
    if exam is None:
        return
    lo, hi = claim
    if exam in facts.unclear:
        return
    if exam in facts.attempts:  # several claims in one draft narrow each other
        old_lo, old_hi, start, end = facts.attempts[exam]
        lo = max(lo, old_lo)
        hi = old_hi if hi is None else (hi if old_hi is None else min(hi, old_hi))
    if hi is not None and lo > hi:  # the draft contradicts itself (or was misread): compare nothing on it
        facts.attempts.pop(exam, None)
        facts.unclear.add(exam)
        return
    facts.attempts[exam] = (lo, hi, start, end)


def _read_scores(facts: _Facts, text: str, exams: list[tuple[int, int, str]], sentence_start: int,
                 sentence_end: int, cfg: Settings) -> None:
    """The first number right after an exam's name ("Step 2 CK ... with a score of 243") or right before it
    ("243 on Step 2 CK"), unless what lies between says it is a practice score, a count or a range."""
    for start, end, name in exams:
        window = text[end:min(sentence_end, end + 50)]
        m = cfg.score.search(window)
        if m and not cfg.not_a_score.search(window[:m.start()]):
            facts.scores.setdefault(name, {}).setdefault(int(m.group()), (end + m.start(), end + m.end()))
        before = cfg.score_before.search(text, max(sentence_start, start - 20), start)
        if before:
            facts.scores.setdefault(name, {}).setdefault(int(before.group(1)), before.span(1))


def _compare(a: Document, fa: _Facts, b: Document, fb: _Facts, cfg: Settings,
             labels: dict[str, str] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Findings for both drafts wherever the two disagree; messages name the other draft."""
    out: list[tuple[str, dict[str, Any]]] = []

    def both(rule: str, spans: tuple[tuple[int, int], tuple[int, int]], values: tuple[str, str],
             exam: str = "") -> None:
        wording = cfg.messages[rule]
        sides = ((a, spans[0], values[0], b, values[1]), (b, spans[1], values[1], a, values[0]))
        for doc, span, mine, other, theirs in sides:
            name = (labels or {}).get(other.file, other.file)
            text = wording.message.format(other=name, mine=mine, theirs=theirs, exam=exam)
            finding = make_finding(doc, f"consistency.{rule}", wording.severity, text, wording.suggestion,
                                   *span).to_json()
            out.append((doc.file, {**finding, "file": doc.file, "related": [other.file]}))

    failed_a = sorted(x for x, v in fa.attempts.items() if v[0] >= 1)
    failed_b = sorted(x for x, v in fb.attempts.items() if v[0] >= 1)
    if failed_a and failed_b and not set(failed_a) & set(failed_b):
        ea, eb = failed_a[0], failed_b[0]
        both("exam", (fa.attempts[ea][2:], fb.attempts[eb][2:]), (ea, eb))
    for exam in sorted(set(fa.attempts) & set(fb.attempts)):
        (lo_a, hi_a, *sa), (lo_b, hi_b, *sb) = fa.attempts[exam], fb.attempts[exam]
        if (hi_a is not None and lo_b > hi_a) or (hi_b is not None and lo_a > hi_b):
            both("attempts", ((sa[0], sa[1]), (sb[0], sb[1])),
                 (_attempts_text(lo_a, hi_a, cfg), _attempts_text(lo_b, hi_b, cfg)), exam)
    for exam in sorted(set(fa.scores) & set(fb.scores)):
        if not set(fa.scores[exam]) & set(fb.scores[exam]):
            sa_, sb_ = min(fa.scores[exam]), min(fb.scores[exam])
            both("score", (fa.scores[exam][sa_], fb.scores[exam][sb_]), (str(sa_), str(sb_)), exam)
    if fa.reasons and fb.reasons and not set(fa.reasons) & set(fb.reasons):
        ra, rb = sorted(fa.reasons)[0], sorted(fb.reasons)[0]
        both("reasons", (fa.reasons[ra], fb.reasons[rb]), (ra, rb))
    if fa.specialty and fb.specialty and fa.specialty[0] != fb.specialty[0] \
            and fa.specialty[0] not in fb.mentioned and fb.specialty[0] not in fa.mentioned:
        both("specialty", (fa.specialty[1:], fb.specialty[1:]), (fa.specialty[0], fb.specialty[0]))
    return out


def _attempts_text(lo: int, hi: int | None, cfg: Settings) -> str:
    if hi is None:
        return cfg.attempts_open.format(n=lo, s="s" * (lo != 1))
    return cfg.attempts_exact.format(n=lo + 1, s="s" * (lo != 0))


def _email_program(entry: Entry, doc: Document, cfg: Settings) -> list[dict[str, Any]]:
    """A thank-you note whose file name names one program while the text names a different one."""
    if (entry.report or {}).get("kind") != "email":
        return []
    m = cfg.program_file.match(Path(entry.file).stem)
    if not m:
        return []
    named = (m.group(1) or m.group(2)).lower()
    wanted = [w for w in re.split(r"[-_ .]+", named) if w and w not in cfg.name_stop]
    if not wanted:
        return []
    names = list(cfg.program_name.finditer(doc.text))
    if not names or any(_names_program(n.group(), wanted) for n in names):
        return []
    words = set(re.findall(r"[a-z0-9]+", doc.text.lower()))
    if all(w in words for w in wanted):
        return []
    first = names[0]
    wording = cfg.messages["email-program"]
    finding = make_finding(doc, "consistency.email-program", wording.severity,
                           wording.message.format(wanted=" ".join(wanted), name=first.group()),
                           wording.suggestion, first.start(), first.end()).to_json()
    return [{**finding, "file": entry.file, "applicant": entry.applicant, "related": []}]


def _names_program(name: str, wanted: list[str]) -> bool:
    words = re.findall(r"[A-Za-z0-9]+", name)
    lowered = {w.lower() for w in words}
    initials = "".join(w[0] for w in words if w[0].isupper()).lower()
    return all(w in lowered for w in wanted) or any(w == initials for w in wanted)


# ---- passages shared across applicants -------------------------------------------------------------------

_Span = tuple[str, int, int]  # file, first word, last word (inclusive)


def _shared_passages(entries: list[Entry], docs: dict[str, Document],
                     cfg: Settings) -> list[dict[str, Any]]:
    """Runs of at least `min_shared_words` words found in drafts of different applicants (a draft with no
    applicant counts as its own applicant). Each match is between two drafts; matches in one draft are one
    passage only when they overlap by `min_shared_words` words themselves, so a stock phrase shorter than
    that ("passed Step 2 CK on my first attempt with") never joins two different passages."""
    words = {e.file: [(m.start(), m.end(), m.group().lower())
                      for m in re.finditer(r"[A-Za-z0-9]+(?:'[a-z]+)?", docs[e.file].analysis_text)]
             for e in entries}
    owner = {e.file: e.applicant or f"file:{e.file}" for e in entries}
    spans = _pairwise_matches(words, owner, cfg.shingle, cfg.min_shared_words)
    by_file = {e.file: e for e in entries}
    passages = []
    for group in _passages(spans, cfg.min_shared_words):
        places = _places(group)
        applicants = {owner[f] for f in places}
        if len(applicants) < 2:
            continue
        f, i, j = max(((f, i, j) for f, (i, j) in places.items()), key=lambda s: (s[2] - s[1], s[0]))
        out_places = []
        for rf, (ri, rj) in sorted(places.items()):
            start, end = words[rf][ri][0], words[rf][rj][1]
            out_places.append({"file": rf, "applicant": by_file[rf].applicant, "start": start, "end": end})
            others = sorted(g for g in places if owner[g] != owner[rf])
            _mark_shared(by_file[rf], docs[rf], start, end, rj - ri + 1,
                         len({owner[g] for g in others}), [by_file[g] for g in others], cfg)
        passages.append({"words": j - i + 1, "applicants": len(applicants),
                         "text": docs[f].text[words[f][i][0]:words[f][j][1]], "places": out_places})
    passages.sort(key=lambda p: (-p["applicants"], -p["words"], p["text"]))
    return passages


def _pairwise_matches(words: dict[str, list[tuple[int, int, str]]], owner: dict[str, str], shingle: int,
                      min_words: int) -> list[tuple[_Span, _Span]]:
    """Every run of at least `min_words` words that two drafts of different applicants have in common."""
    where: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for f, ws in words.items():
        for i in range(len(ws) - shingle + 1):
            where[hash(tuple(w[2] for w in ws[i:i + shingle]))].append((f, i))
    diagonals: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for holders in where.values():
        for x, (f, i) in enumerate(holders):
            for g, j in holders[x + 1:]:
                if owner[f] == owner[g]:
                    continue
                (f1, i1), (g1, j1) = sorted(((f, i), (g, j)))
                diagonals[(f1, g1, j1 - i1)].append(i1)
    matches = []
    for (f, g, offset), starts in diagonals.items():
        starts = sorted(set(starts))
        first = prev = starts[0]
        for i in [*starts[1:], None]:
            if i is not None and i == prev + 1:
                prev = i
                continue
            if prev - first + shingle >= min_words:
                last = prev + shingle - 1
                matches.append(((f, first, last), (g, first + offset, last + offset)))
            if i is not None:
                first = prev = i
    return matches


def _passages(matches: list[tuple[_Span, _Span]], min_words: int) -> list[list[_Span]]:
    """The matches' spans joined into passages: the two sides of a match, and spans of one draft that
    overlap by at least `min_words` words."""
    spans = sorted({s for pair in matches for s in pair})
    index = {s: n for n, s in enumerate(spans)}
    parent = list(range(len(spans)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in matches:
        parent[root(index[a])] = root(index[b])
    for n, (f, _, j) in enumerate(spans):
        for m in range(n + 1, len(spans)):
            g, k, last = spans[m]
            if g != f or k > j:
                break
            if min(j, last) - k + 1 >= min_words:
                parent[root(n)] = root(m)
    groups: dict[int, list[_Span]] = defaultdict(list)
    for n, span in enumerate(spans):
        groups[root(n)].append(span)
    return list(groups.values())


def _places(group: list[_Span]) -> dict[str, tuple[int, int]]:
    """Each draft's stretch of the passage: from its first matched word to its last."""
    places: dict[str, tuple[int, int]] = {}
    for f, i, j in group:
        lo, hi = places.get(f, (i, j))
        places[f] = (min(lo, i), max(hi, j))
    return places


def _mark_shared(entry: Entry, doc: Document, start: int, end: int, words: int, others: int,
                 related: list[Entry], cfg: Settings) -> None:
    wording = cfg.messages["shared-passage"]
    named = [label(e) for e in related[:cfg.named_drafts]]
    more = len(related) - len(named)
    drafts = ", ".join(named) + (" " + cfg.more_drafts.format(n=more) if more else "")
    finding = make_finding(doc, "consistency.shared-passage", wording.severity,
                           wording.message.format(words=words, others=others, s="s" * (others != 1),
                                                  drafts=drafts),
                           wording.suggestion, start, end).to_json()
    entry.consistency.append({**finding, "file": entry.file, "applicant": entry.applicant,
                              "related": [e.file for e in related]})


def label(entry: Entry) -> str:
    """How a message names a draft: its path under the batch folder (a base name alone can be ambiguous)."""
    return entry.relpath or entry.file
