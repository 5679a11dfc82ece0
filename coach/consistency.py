"""Does each applicant tell one story? And which long passages do different applicants share?

Per applicant (drafts grouped by folder), facts are read from every analysed draft — statement,
explanation, interview notes — and compared across drafts: which exam was failed, how many attempts it
took, the scores, the reasons given, and the target specialty. An email whose file name names one program
(`thanks-county-general.txt`) but whose text names another is flagged. Across the cohort, runs of at least
MIN_SHARED_WORDS words that appear in drafts of different applicants (a template, a writing service) are
listed. Findings use the contract's Finding shape with category `consistency`, plus `file`, `applicant`
and `related` (the other files involved).

Pure: texts in, findings out. The patterns below are deliberately narrow; a missed fact costs a finding,
a wrong one costs the advisor's trust.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .document import Document
from .report import make_finding

if TYPE_CHECKING:
    from .batch import BatchResult, Entry

MIN_SHARED_WORDS = 20
SHINGLE = 8

_EXAMS = [  # "Step" in any case; roman numerals only in capitals ("step I took" is not an exam)
    ("Step 1", r"\b(?:(?i:usmle)\s+)?(?i:step)\s*(?:1|I)\b"),
    ("Step 2 CK", r"\b(?:(?i:usmle)\s+)?(?i:step)\s*(?:2|II)(?:\s*[-–]?\s*(?i:ck))?\b(?![-\s]*(?i:cs))"),
    ("Step 3", r"\b(?:(?i:usmle)\s+)?(?i:step)\s*(?:3|III)\b"),
    ("COMLEX Level 1", r"\bCOMLEX(?:-USA)?\s*(?:Level\s*)?(?:1|I)\b"),
    ("COMLEX Level 2", r"\bCOMLEX(?:-USA)?\s*(?:Level\s*)?(?:2|II)(?:\s*[-–]?\s*(?:CE|PE))?\b"),
    ("COMLEX Level 3", r"\bCOMLEX(?:-USA)?\s*(?:Level\s*)?(?:3|III)\b"),
]
_EXAM_RE = [(name, re.compile(p)) for name, p in _EXAMS]
_SCORE = re.compile(r"\b(1\d\d|2\d\d|300)\b")
_NOT_A_SCORE = re.compile(r"nbme|uwsa|practice|self[- ]?assess|cbssa|free\s*120|percent|%|patients|hours"
                          r"|weeks|days|months|→|->|\bto\b|\bfrom\b", re.I)
_FAIL = re.compile(r"\b(?:fail(?:ed|ing|ure)?|did not pass|didn't pass|unsuccessful)\b", re.I)
_PASS = re.compile(r"\bpass(?:ed|ing)?\b(?! away)", re.I)
_ORDINAL = re.compile(r"\b(?:(first|1st|second|2nd|third|3rd|fourth|4th)\s+(?:attempt|try|time)"
                      r"|on (?:my|the) (first|second|third|fourth)\b)", re.I)
_TIMES = re.compile(r"\b(twice|two times|three times|thrice|(?:two|three|2|3) attempts)\b", re.I)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_COUNTS = {"twice": 2, "two times": 2, "three times": 3, "thrice": 3, "two attempts": 2, "2 attempts": 2,
           "three attempts": 3, "3 attempts": 3}
_SCORE_BEFORE = re.compile(r"\b(1\d\d|2\d\d|300)\s+(?:on|in)\s+(?:the\s+|my\s+)?$")

_SPECIALTIES = {
    "internal medicine": r"\binternal medicine\b|\binternists?\b",
    "family medicine": r"\bfamily (?:medicine|physicians?|practice)\b",
    "pediatrics": r"\bpa?ediatrics?\b|\bpa?ediatricians?\b",
    "general surgery": r"\bgeneral surgery\b|\bsurgical residency\b",
    "psychiatry": r"\bpsychiatry\b|\bpsychiatrists?\b",
    "emergency medicine": r"\bemergency medicine\b",
    "neurology": r"\bneurology\b|\bneurologists?\b",
    "obstetrics and gynecology": r"\bob[/-]?gyn\b|\bobstetrics and gyn(?:a)?ecology\b",
    "anesthesiology": r"\ban(?:a)?esthesiology\b|\ban(?:a)?esthesiologists?\b",
    "radiology": r"\bradiology\b|\bradiologists?\b",
    "pathology": r"\bpathology residency\b|\bpathologists?\b",
    "neurosurgery": r"\bneurosurgery\b",
}
_SPECIALTY_RE = {name: re.compile(p, re.I) for name, p in _SPECIALTIES.items()}

_REASONS = {
    "a family member's illness or death":
        r"\b(?:father|mother|parent|dad|mom|brother|sister|grand(?:mother|father)|wife|husband|son|daughter"
        r"|family)(?:'s)?\b[^.]{0,80}\b(?:ill|illness|sick|surgery|cancer|stroke|diagnos\w+|hospitali[sz]ed"
        r"|died|passed away|death)",
    "their own illness":
        r"\bI (?:was|became|fell) (?:ill|sick|hospitali[sz]ed)|\bmy (?:own )?(?:illness|diagnosis|surgery"
        r"|injury)\b|\b(?:dengue|pneumonia|covid)\b",
    "anxiety or depression": r"\b(?:anxiety|anxious|depression|depressed|panic attacks?|burn-?out)\b",
    "money or work": r"\b(?:financial|money|tuition|debt|loans?|full-time job|part-time job|work(?:ed|ing) "
                     r"(?:full|part)[- ]time)\b",
    "visa or relocation": r"\b(?:visa|immigration|relocat\w+|moved to (?:the )?(?:US|United States))\b",
    "how they prepared": r"\b(?:without a (?:plan|schedule)|no (?:study )?plan|passive (?:reading|studying)"
                         r"|reread\w*|too few (?:practice )?questions|poor (?:preparation|planning)"
                         r"|time management|underestimated)\b",
}
_REASON_RE = {name: re.compile(p, re.I) for name, p in _REASONS.items()}

_NOTE_WORD = r"(?:thanks?(?:[-_ ]?you)?|ty|follow[-_ ]?up|loi|letter[-_ ]of[-_ ]intent)"
_PROGRAM_FILE = re.compile(rf"^{_NOTE_WORD}[-_ ]+(.+)$|^(.+?)[-_ ]+{_NOTE_WORD}$", re.I)
_PROGRAM_NAME = re.compile(
    r"\b(?:(?:[A-Z][\w'&.-]*\s+){1,5}"
    r"(?:Hospital|Medical Cent(?:er|re)|Health(?:care| System)?|Clinic|Program)"
    r"|University of(?:\s+[A-Z][\w'&.-]*){1,4}|(?:[A-Z][\w'&.-]*\s+){1,3}University)\b")
_NAME_STOP = {"the", "of", "and", "at", "for", "in", "program", "residency", "hospital", "medical", "center",
              "centre", "health", "im", "fm", "interview", "email", "note", "draft", "final"}


@dataclass
class _Facts:
    """What one draft says about its applicant, each fact with the span that says it."""

    attempts: dict[str, tuple[int, int | None, int, int]] = field(default_factory=dict)  # exam → lo, hi, span
    scores: dict[str, dict[int, tuple[int, int]]] = field(default_factory=dict)  # exam → score → span
    specialty: tuple[str, int, int] | None = None  # the one named most often, and its first mention
    mentioned: set[str] = field(default_factory=set)  # every specialty named at all
    reasons: dict[str, tuple[int, int]] = field(default_factory=dict)
    unclear: set[str] = field(default_factory=set)  # exams whose attempt count the draft contradicts


def add_consistency(result: BatchResult) -> None:
    """Fill each entry's `consistency` findings and the cohort's `shared_passages`."""
    entries = [e for e in result.entries if e.report is not None and e.text is not None]
    docs = {e.file: Document(file=e.file, text=e.text or "") for e in entries}
    by_applicant: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        entry.consistency = []
        if entry.applicant:
            by_applicant[entry.applicant].append(entry)
        entry.consistency += _email_program(entry, docs[entry.file])
    for group in by_applicant.values():
        facts = {e.file: read_facts(docs[e.file], e.report or {}) for e in group}
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                for file, finding in _compare(docs[a.file], facts[a.file], docs[b.file], facts[b.file]):
                    owner = a if file == a.file else b
                    owner.consistency.append({**finding, "applicant": owner.applicant})
    result.shared_passages = _shared_passages(entries, docs)
    for entry in entries:
        entry.consistency.sort(key=lambda f: (f["start"], f["rule"]))


def read_facts(doc: Document, report: dict[str, Any]) -> _Facts:
    """Exams, attempts, scores and reasons from the paragraphs that mention an exam; the specialty from
    the whole draft. Sentences are the report's, so facts are read where the analysis split them."""
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
                           for name, rx in _EXAM_RE for m in rx.finditer(sentence))
            _read_attempts(facts, sentence, start, exams, carried)
            _read_scores(facts, text, exams, start, end)
            exam_paragraph = exam_paragraph or bool(exams)
            carried = exams[-1][2] if exams else carried
        if exam_paragraph:
            for reason, rx in _REASON_RE.items():
                m = rx.search(text, p_start, p_end)
                if m and reason not in facts.reasons:
                    facts.reasons[reason] = (m.start(), m.end())
    for name, rx in _SPECIALTY_RE.items():
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
                   carried: str | None) -> None:
    failed = _FAIL.search(sentence)
    for m in _ORDINAL.finditer(sentence):
        n = _ORDINALS[(m.group(1) or m.group(2)).lower()]
        exam = _nearest_exam(exams, m.start() + offset, carried)
        clause = sentence[max(0, m.start() - 70):m.start()]
        if _PASS.search(clause) and not _FAIL.search(clause[-30:]):
            claim: tuple[int, int | None] = (n - 1, n - 1)
        elif failed:
            claim = (n, None)
        else:
            continue
        _add_attempt(facts, exam, claim, m.start() + offset, m.end() + offset)
    times = _TIMES.search(sentence)
    if (failed or times) and not _ORDINAL.search(sentence):
        count = _COUNTS.get(" ".join(times.group(1).lower().split()), 1) if times else 1
        if times and "attempt" in times.group(1) and _PASS.search(sentence):  # "two attempts to pass"
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
                 sentence_end: int) -> None:
    """The first number right after an exam's name ("Step 2 CK ... with a score of 243") or right before it
    ("243 on Step 2 CK"), unless what lies between says it is a practice score, a count or a range."""
    for start, end, name in exams:
        window = text[end:min(sentence_end, end + 50)]
        m = _SCORE.search(window)
        if m and not _NOT_A_SCORE.search(window[:m.start()]):
            facts.scores.setdefault(name, {}).setdefault(int(m.group()), (end + m.start(), end + m.end()))
        before = _SCORE_BEFORE.search(text, max(sentence_start, start - 20), start)
        if before:
            facts.scores.setdefault(name, {}).setdefault(int(before.group(1)), before.span(1))


def _compare(a: Document, fa: _Facts, b: Document, fb: _Facts) -> list[tuple[str, dict[str, Any]]]:
    """Findings for both drafts wherever the two disagree; messages name the other draft."""
    out: list[tuple[str, dict[str, Any]]] = []

    def both(rule: str, severity: str, spans: tuple[tuple[int, int], tuple[int, int]],
             values: tuple[str, str], message: str, suggestion: str) -> None:
        sides = ((a, spans[0], values[0], b, values[1]), (b, spans[1], values[1], a, values[0]))
        for doc, span, mine, other, theirs in sides:
            text = message.format(other=Path(other.file).name, mine=mine, theirs=theirs)
            finding = make_finding(doc, rule, severity, text, suggestion, *span).to_json()
            out.append((doc.file, {**finding, "file": doc.file, "related": [other.file]}))

    failed_a = sorted(x for x, v in fa.attempts.items() if v[0] >= 1)
    failed_b = sorted(x for x, v in fb.attempts.items() if v[0] >= 1)
    if failed_a and failed_b and not set(failed_a) & set(failed_b):
        ea, eb = failed_a[0], failed_b[0]
        both("consistency.exam", "warning", (fa.attempts[ea][2:], fb.attempts[eb][2:]), (ea, eb),
             "This draft says the failed exam was {mine}; {other} says {theirs}.",
             "Name the same exam in every document; programs compare them with your transcript.")
    for exam in sorted(set(fa.attempts) & set(fb.attempts)):
        (lo_a, hi_a, *sa), (lo_b, hi_b, *sb) = fa.attempts[exam], fb.attempts[exam]
        if (hi_a is not None and lo_b > hi_a) or (hi_b is not None and lo_a > hi_b):
            both("consistency.attempts", "error", ((sa[0], sa[1]), (sb[0], sb[1])),
                 (_attempts_text(lo_a, hi_a), _attempts_text(lo_b, hi_b)),
                 f"This draft says {exam} took {{mine}}; {{other}} says {{theirs}}.",
                 "Give the same attempt count everywhere; a mismatch reads as hiding something.")
    for exam in sorted(set(fa.scores) & set(fb.scores)):
        if not set(fa.scores[exam]) & set(fb.scores[exam]):
            sa_, sb_ = min(fa.scores[exam]), min(fb.scores[exam])
            both("consistency.score", "error", (fa.scores[exam][sa_], fb.scores[exam][sb_]),
                 (str(sa_), str(sb_)),
                 f"This draft gives {exam} as {{mine}}; {{other}} gives {{theirs}}.",
                 "Use the score on your transcript in every document.")
    if fa.reasons and fb.reasons and not set(fa.reasons) & set(fb.reasons):
        ra, rb = sorted(fa.reasons)[0], sorted(fb.reasons)[0]
        both("consistency.reasons", "warning", (fa.reasons[ra], fb.reasons[rb]), (ra, rb),
             "This draft puts the result down to {mine}; {other} to {theirs}.",
             "Tell one story: the same circumstances and the same change, in every document.")
    if fa.specialty and fb.specialty and fa.specialty[0] != fb.specialty[0] \
            and fa.specialty[0] not in fb.mentioned and fb.specialty[0] not in fa.mentioned:
        both("consistency.specialty", "warning", (fa.specialty[1:], fb.specialty[1:]),
             (fa.specialty[0], fb.specialty[0]),
             "This draft aims at {mine}; {other} at {theirs}.",
             "Make every document point at the specialty you are applying to.")
    return out


def _attempts_text(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"more than {lo} attempt{'s' * (lo != 1)}"
    return f"{lo + 1} attempt{'s' * (lo != 0)}"


def _email_program(entry: Entry, doc: Document) -> list[dict[str, Any]]:
    """A thank-you note whose file name names one program while the text names a different one."""
    if (entry.report or {}).get("kind") != "email":
        return []
    m = _PROGRAM_FILE.match(Path(entry.file).stem)
    if not m:
        return []
    named = (m.group(1) or m.group(2)).lower()
    wanted = [w for w in re.split(r"[-_ .]+", named) if w and w not in _NAME_STOP]
    if not wanted:
        return []
    names = list(_PROGRAM_NAME.finditer(doc.text))
    if not names or any(_names_program(n.group(), wanted) for n in names):
        return []
    words = set(re.findall(r"[a-z0-9]+", doc.text.lower()))
    if all(w in words for w in wanted):
        return []
    first = names[0]
    finding = make_finding(doc, "consistency.email-program", "error",
                           f"The file name says this note is for \"{' '.join(wanted)}\", but it names "
                           f"{first.group()}.",
                           "Check the program name before sending; a note naming another program is "
                           "worse than none.", first.start(), first.end()).to_json()
    return [{**finding, "file": entry.file, "applicant": entry.applicant, "related": []}]


def _names_program(name: str, wanted: list[str]) -> bool:
    words = re.findall(r"[A-Za-z0-9]+", name)
    lowered = {w.lower() for w in words}
    initials = "".join(w[0] for w in words if w[0].isupper()).lower()
    return all(w in lowered for w in wanted) or any(w == initials for w in wanted)


# ---- passages shared across applicants -------------------------------------------------------------------

def _shared_passages(entries: list[Entry], docs: dict[str, Document]) -> list[dict[str, Any]]:
    """Runs of at least MIN_SHARED_WORDS words found in drafts of different applicants (a file with no
    applicant folder counts as its own applicant). Runs that share any stretch are one passage."""
    words = {e.file: [(m.start(), m.end(), m.group().lower())
                      for m in re.finditer(r"[A-Za-z0-9]+(?:'[a-z]+)?", docs[e.file].analysis_text)]
             for e in entries}
    owner = {e.file: e.applicant or f"file:{e.file}" for e in entries}
    shingles = {f: [hash(tuple(w[2] for w in ws[i:i + SHINGLE])) for i in range(len(ws) - SHINGLE + 1)]
                for f, ws in words.items()}
    holders: dict[int, set[str]] = defaultdict(set)
    for f, hs in shingles.items():
        for h in hs:
            holders[h].add(owner[f])
    runs: list[tuple[str, int, int]] = []  # file, first word, last word (inclusive)
    for f, hs in shingles.items():
        i = 0
        while i < len(hs):
            if len(holders[hs[i]]) < 2:
                i += 1
                continue
            j = i
            while j + 1 < len(hs) and len(holders[hs[j + 1]]) >= 2:
                j += 1
            if j - i + SHINGLE >= MIN_SHARED_WORDS:
                runs.append((f, i, j + SHINGLE - 1))
            i = j + 1
    parent = list(range(len(runs)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_run: dict[int, int] = {}
    for r, (f, i, j) in enumerate(runs):
        for h in shingles[f][i:j - SHINGLE + 2]:
            if h in first_run:
                parent[root(r)] = root(first_run[h])
            else:
                first_run[h] = r
    groups: dict[int, list[int]] = defaultdict(list)
    for r in range(len(runs)):
        groups[root(r)].append(r)
    passages = []
    by_file = {e.file: e for e in entries}
    for members in groups.values():
        applicants = {owner[runs[r][0]] for r in members}
        if len(applicants) < 2:
            continue
        longest = max(members, key=lambda r: runs[r][2] - runs[r][1])
        f, i, j = runs[longest]
        ws = words[f]
        places = []
        for r in sorted(members, key=lambda r: runs[r][0]):
            rf, ri, rj = runs[r]
            start, end = words[rf][ri][0], words[rf][rj][1]
            places.append({"file": rf, "applicant": by_file[rf].applicant, "start": start, "end": end})
            _mark_shared(by_file[rf], docs[rf], start, end, rj - ri + 1, len(applicants) - 1)
        passages.append({"words": j - i + 1, "applicants": len(applicants),
                         "text": docs[f].text[ws[i][0]:ws[j][1]], "places": places})
    passages.sort(key=lambda p: (-p["applicants"], -p["words"], p["text"]))
    return passages


def _mark_shared(entry: Entry, doc: Document, start: int, end: int, words: int, others: int) -> None:
    finding = make_finding(doc, "consistency.shared-passage", "warning",
                           f"These {words} words also appear in drafts by {others} other "
                           f"applicant{'s' * (others != 1)}.",
                           "Programs notice template text; rewrite this passage in your own words.",
                           start, end).to_json()
    entry.consistency.append({**finding, "file": entry.file, "applicant": entry.applicant, "related": []})
