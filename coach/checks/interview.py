"""The interview answer, said aloud: the explanation's four-part framework and its blame, excuse,
oversharing and growth rules (the same checks, not copies), plus delivery (category `delivery`): speaking
time, sentences too long for one breath, fillers and hedges (phrase rules in interview.yaml), a word said
twice as a false start ("I, I made"), and an answer that ends on the past. Also the practice sheet
`coach interview` prints from a checked explanation."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..document import WORD, Document, Sentence
from ..report import PARTS, Finding, Report, make_finding
from ..settings import InterviewSettings
from .explanation import framework_findings
from .phrases import check_phrases

if TYPE_CHECKING:
    from ..analysis.context import Context

KIND = "interview"


def check_interview(ctx: Context) -> list[Finding]:
    """Sets ctx.framework (over the answer, without a question typed above it) and the speaking time."""
    cfg = ctx.settings.interview
    answer = answer_sentences(ctx.doc, cfg)
    ctx.framework, findings = framework_findings(ctx, answer, cfg.missing)
    findings += check_phrases(ctx.doc, ctx.rubric.rules_for(KIND), ctx.spans, ctx.rubric.section("negation"), answer)
    seconds = speaking_seconds(ctx.doc, answer, cfg)
    ctx.metrics["speaking_seconds"] = seconds
    findings += _speaking_time(ctx.doc, answer, seconds, cfg)
    findings += _breath(ctx.doc, answer, cfg)
    findings += _false_starts(ctx.doc, answer, cfg)
    findings += _ends_on_past(ctx.doc, answer, cfg)
    return findings


def answer_sentences(doc: Document, cfg: InterviewSettings) -> list[Sentence]:
    """The sentences said aloud: all but a question typed on the first line ("Q: Can you tell us ...?")."""
    text = doc.analysis_text
    start = len(text) - len(text.lstrip())
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    first_line = text[start:line_end]
    if line_end < len(text) and re.match(cfg.question_line, first_line, re.I):
        return [s for s in doc.sentences if s.start >= line_end]
    return list(doc.sentences)


def words_in(doc: Document, sentence: Sentence) -> int:
    return len(WORD.findall(doc.analysis_text[sentence.start:sentence.end]))


def speaking_seconds(doc: Document, sentences: list[Sentence], cfg: InterviewSettings) -> int:
    words = sum(words_in(doc, s) for s in sentences)
    return round(words * 60 / float(cfg.speaking["words_per_minute"]))


def _finding(doc: Document, text: dict[str, Any], values: dict[str, Any], start: int, end: int) -> Finding:
    return make_finding(doc, text["id"], text["severity"], text["message"].format(**values),
                        text["suggestion"].format(**values), start, end)


def _speaking_time(doc: Document, answer: list[Sentence], seconds: int, cfg: InterviewSettings) -> list[Finding]:
    if not answer:
        return []
    low, high = (int(v) for v in cfg.speaking["target_seconds"])
    most = int(cfg.speaking["max_seconds"])
    values = {"seconds": seconds, "low": low, "high": high, "max": most}
    if low <= seconds <= high:
        return []
    if seconds < low:
        return [_finding(doc, cfg.messages["too-short"], values, answer[0].start, answer[0].end)]
    key, limit = ("too-long", most) if seconds > most else ("long", high)
    crossing = _sentence_past(doc, answer, limit * float(cfg.speaking["words_per_minute"]) / 60)
    return [_finding(doc, cfg.messages[key], values, crossing.start, crossing.end)]


def _sentence_past(doc: Document, answer: list[Sentence], words: float) -> Sentence:
    """The sentence during which the speaker passes `words` words."""
    total = 0
    for s in answer:
        total += words_in(doc, s)
        if total > words:
            return s
    return answer[-1]


def _breath(doc: Document, answer: list[Sentence], cfg: InterviewSettings) -> list[Finding]:
    limit = int(cfg.breath_words)
    out = []
    for s in answer:
        words = words_in(doc, s)
        if words > limit:
            out.append(_finding(doc, cfg.messages["long-sentence"], {"words": words, "limit": limit}, s.start, s.end))
    return out


# A word said again after a comma or a dash: "I, I made a schedule", "for, for help". A doubled word with only
# a space between is the speller's (grammar.english-word-repeat-rule), not said twice here.
_GAP = "\ue000"  # where the practice outline dropped a filler: "for, um, for help" is a false start too
_SAID_TWICE = re.compile(rf"\b(\w+)\s*(?:,|--?|[–—]|\.\.\.|…|{_GAP})\s*\1\b", re.I)


def _false_starts(doc: Document, answer: list[Sentence], cfg: InterviewSettings) -> list[Finding]:
    text = cfg.messages["false-start"]
    return [_finding(doc, text, {"word": m.group(1)}, m.start(), m.end())
            for s in answer for m in _said_twice(doc.analysis_text, s.start, s.end, text)]


def _said_twice(text: str, start: int, end: int, rule: dict[str, Any]) -> list[re.Match[str]]:
    """The false starts in text[start:end]: a short word said twice, not one said twice for emphasis ("very,
    very", the rule's `allowed`) nor a longer one that list items share ("medicine, medicine ward")."""
    allowed = {str(w).lower() for w in rule.get("allowed", [])}
    longest = int(rule.get("max_letters", 4))
    return [m for m in _SAID_TWICE.finditer(text, start, end)
            if m.group(1).isalpha() and m.group(1).lower() not in allowed and len(m.group(1)) <= longest]


def _ends_on_past(doc: Document, answer: list[Sentence], cfg: InterviewSettings) -> list[Finding]:
    """The last sentence's verbs (spaCy morphology) are all in the past: no present, no future, no modal."""
    if len(answer) < 2 or doc.spacy_doc is None:
        return []
    last = answer[-1]
    tokens = [t for t in doc.spacy_doc if last.start <= t.idx < last.end]
    verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX")]
    if not verbs or any(t.tag_ == "MD" for t in verbs):
        return []
    tenses = {tense for t in verbs for tense in t.morph.get("Tense")}
    if tenses != {cfg.ending["past"]}:
        return []
    return [_finding(doc, cfg.messages["ends-on-past"], {}, last.start, last.end)]


# ---- the practice sheet ------------------------------------------------------------------------------------

# Where a sentence may be cut: a comma or semicolon before a space, a colon, a dash, an opening bracket.
_CLAUSE_BREAK = re.compile(r"\s*(?:[;:—–(]|,(?=\s)|\s-\s)\s*")
_DEFAULT_FACTS = (r"\d",)  # without the rubric: a number is a fact


def shorten(sentence: str, max_words: int, cfg: InterviewSettings | None = None) -> str:
    """The sentence shortened by dropping clauses and words, never by adding any. The first clause stays, and
    every clause that carries a fact (practice `facts`: a number, a score, passed or failed, which attempt);
    the other clauses follow in order while the line fits in `max_words`, or in practice
    `max_words_with_facts` when it carries a fact. "…" marks where clauses were dropped; a first clause too
    long on its own is cut to `max_words` words. With `cfg`, the sounds and fillers of a transcribed answer
    (practice `fillers`) and its false starts ("I, I made") go first."""
    text = " ".join(sentence.split())
    text = re.sub(r"\s*\([^)]*\)", "", text)  # asides in brackets
    if cfg is not None:
        text = _unfilled(text, cfg)
    if len(text.split()) <= max_words:
        return text
    facts = [re.compile(p, re.I) for p in (cfg.practice.get("facts") if cfg else None) or _DEFAULT_FACTS]
    clauses = _clauses(text)
    sizes = [len(c.split()) for c in clauses]
    with_fact = [any(f.search(c) for f in facts) for c in clauses]
    budget = int(cfg.practice.get("max_words_with_facts", max_words)) if cfg and any(with_fact) else max_words
    keep = _kept(sizes, with_fact, budget)
    if not keep:
        return " ".join(text.split()[:max_words]).rstrip(",;:") + "…"
    line = ""
    for i in keep:
        gap = i > 0 and i - 1 not in keep
        line = (line.rstrip(",;: ") + "… " + clauses[i].lstrip(",;: ")) if gap else line + clauses[i]
    return line.rstrip(",;: ") + "…" if keep[-1] < len(clauses) - 1 else line


def _kept(sizes: list[int], with_fact: list[bool], budget: int) -> list[int]:
    """Which clauses an outline line keeps: the first and those with a fact while they fit in `budget`,
    then the others in order where they still fit. Empty when the first clause alone is too long."""
    if sizes[0] > budget:
        return []
    keep, total = [0], sizes[0]
    for i in range(1, len(sizes)):
        if with_fact[i] and total + sizes[i] <= budget:
            keep.append(i)
            total += sizes[i]
    for i in range(1, len(sizes)):
        if i not in keep and total + sizes[i] <= budget:
            keep.append(i)
            total += sizes[i]
    return sorted(keep)


def _clauses(text: str) -> list[str]:
    """The text cut before each clause break; each piece keeps its leading punctuation, so they join back.
    A piece of under four words joins its neighbour ("The planning, self-assessment and feedback habits")."""
    cuts = [m.start() for m in _CLAUSE_BREAK.finditer(text) if m.start() > 0]
    bounds = [0, *cuts, len(text)]
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]
    out: list[str] = []
    for piece in pieces:
        if out and (len(out[-1].split()) < 4 or len(piece.split()) < 4):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def without_flagged_hedges(sentence: Sentence, findings: list[Finding], cfg: InterviewSettings) -> str:
    """The sentence without the hedges and fillers `check` flagged in it (practice `drop_rules`): only the
    hedge words themselves (practice `hedges`), not the word a rule matched after them ("kind of tired")."""
    hedges = re.compile(r"\b(?:" + "|".join(cfg.practice.get("hedges") or ()) + r")\b", re.I)
    drop = set(cfg.practice.get("drop_rules") or ())
    text = sentence.text
    spans = sorted(((f.start - sentence.start, f.end - sentence.start) for f in findings
                    if f.rule in drop and sentence.start <= f.start and f.end <= sentence.end), reverse=True)
    for start, end in spans:
        text = text[:start] + hedges.sub(_GAP, text[start:end]) + text[end:]
    return text


def _unfilled(text: str, cfg: InterviewSettings) -> str:
    cleaned = text
    for pattern in cfg.practice.get("fillers") or ():
        cleaned = re.sub(pattern, f" {_GAP} ", cleaned, flags=re.I)
    for m in reversed(_said_twice(cleaned, 0, len(cleaned), cfg.messages["false-start"])):
        cleaned = cleaned[:m.start()] + cleaned[m.end() - len(m.group(1)):]  # "I, I made" -> "I made"
    # a dropped word takes its commas with it: "I was basically, you know, kind of not ready" -> "I was not ready"
    cleaned = re.sub(rf",?\s*{_GAP}(?:\s*,?\s*{_GAP})*\s*,?", " ", cleaned)
    cleaned = " ".join(cleaned.split())
    cleaned = re.sub(r"\s+([,.;:?!])", r"\1", " ".join(cleaned.split())).lstrip(",;: ")
    if not cleaned:
        return text
    return cleaned[0].upper() + cleaned[1:] if text[:1].isupper() else cleaned


def practice_sheet(report: Report, cfg: InterviewSettings) -> dict[str, Any]:
    """For each question in the rubric, an outline of the applicant's own sentences by framework part, with
    the parts the explanation lacks marked as gaps carrying the rubric's prompt. Nothing else is written.
    The parts are the framework's, as `coach check` reports them: for a personal statement, those of its
    score passage only; for a spoken answer, without the question typed above it."""
    practice = cfg.practice
    max_words = int(practice["max_words"])
    sentences = report.doc.sentences
    chosen = _framework_sentences(report)
    scope = _scope(report, chosen)
    flagged: dict[int, str] = {}  # a sentence that blames, excuses or overshares is not practised aloud
    for f in report.findings:
        if f.category in practice["leave_out"]:
            for s in sentences:
                if s.start <= f.start < s.end and s.index in scope:
                    flagged.setdefault(s.index, f.category)
    by_part = {p: [sentences[i] for i in chosen.get(p, []) if i not in flagged] for p in PARTS}
    questions = []
    for q in practice["questions"]:
        outline = []
        for part in q["parts"]:
            found = by_part.get(part, [])
            outline.append({"part": part, "label": practice["part_names"][part],
                            "lines": [shorten(without_flagged_hedges(s, report.findings, cfg), max_words, cfg)
                                      for s in found],
                            "sentences": [s.index for s in found],
                            "gap": None if found else _prompt(q, part, practice)})
        questions.append({"question": q["question"], "outline": outline})
    missing = [p for p in PARTS if not by_part[p]]
    left_out = [{"sentence": i, "category": c, "text": shorten(sentences[i].text, max_words)}
                for i, c in sorted(flagged.items())]
    return {"file": report.doc.file, "kind": report.doc.kind, "questions": questions, "gaps": missing,
            "left_out": left_out, "score_passage": _passage_numbers(report, scope)}


def _prompt(question: dict[str, Any], part: str, practice: dict[str, Any]) -> str:
    """What to prepare for a part the draft lacks, in the terms of the question asked."""
    return (question.get("prompts") or {}).get(part) or practice["prompts"][part]


def _passage_numbers(report: Report, scope: set[int]) -> list[int] | None:
    """A statement's score passage as 1-based sentence numbers [first, last], as the text view counts."""
    if report.doc.kind != "personal_statement" or not scope:
        return None
    return [min(scope) + 1, max(scope) + 1]


def _framework_sentences(report: Report) -> dict[str, list[int]]:
    parts = (report.framework or {}).get("parts", {})
    return {p: list(parts[p]["sentences"]) for p in PARTS if p in parts}


def _scope(report: Report, chosen: dict[str, list[int]]) -> set[int]:
    """The sentences the sheet is drawn from: a personal statement's score passage (from its first framework
    sentence to its last), else the whole draft."""
    if report.doc.kind != "personal_statement":
        return {s.index for s in report.doc.sentences}
    used = [i for indices in chosen.values() for i in indices]
    return set(range(min(used), max(used) + 1)) if used else set()
