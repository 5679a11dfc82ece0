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

_CUT_AT = re.compile(r"\s*(?:[;:—–(]|,\s+(?:and|but|which|who|because|so|while|although|after|before|when|"
                     r"as|since|where|including)\b|\s-\s)")


def shorten(sentence: str, max_words: int, cfg: InterviewSettings | None = None) -> str:
    """The sentence shortened by dropping trailing clauses and words, never by adding any: the first clause
    that is long enough, else the first `max_words` words with an ellipsis. With `cfg`, the sounds and
    fillers of a transcribed answer (practice `fillers`) and its false starts ("I, I made") go first."""
    text = " ".join(sentence.split())
    text = re.sub(r"\s*\([^)]*\)", "", text)  # asides in brackets
    if cfg is not None:
        text = _unfilled(text, cfg)
    words = text.split()
    if len(words) <= max_words:
        return text
    for m in _CUT_AT.finditer(text):
        head = text[:m.start()].rstrip(",")
        if 4 <= len(head.split()) <= max_words:
            return head + "…"
    return " ".join(words[:max_words]).rstrip(",;:") + "…"


def _unfilled(text: str, cfg: InterviewSettings) -> str:
    cleaned = text
    for pattern in cfg.practice.get("fillers") or ():
        cleaned = re.sub(pattern, f" {_GAP} ", cleaned, flags=re.I)
    for m in reversed(_said_twice(cleaned, 0, len(cleaned), cfg.messages["false-start"])):
        cleaned = cleaned[:m.start()] + cleaned[m.end() - len(m.group(1)):]  # "I, I made" -> "I made"
    cleaned = " ".join(cleaned.replace(_GAP, " ").split())
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
                            "lines": [shorten(s.text, max_words, cfg) for s in found],
                            "sentences": [s.index for s in found],
                            "gap": None if found else practice["prompts"][part]})
        questions.append({"question": q["question"], "outline": outline})
    missing = [p for p in PARTS if not by_part[p]]
    left_out = [{"sentence": i, "category": c, "text": shorten(sentences[i].text, max_words)}
                for i, c in sorted(flagged.items())]
    return {"file": report.doc.file, "kind": report.doc.kind, "questions": questions, "gaps": missing,
            "left_out": left_out, "score_passage": _passage_numbers(report, scope)}


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
