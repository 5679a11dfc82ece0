"""Kind detection: an email, an interview answer, a personal statement or a score explanation, from the text
alone. Thresholds come from common.yaml `kind_detection` and interview.yaml `interview.detection`.

A draft that never mentions an exam, a score, an attempt or failing is never read as a score explanation
(only `--kind explanation` makes it one)."""

from __future__ import annotations

import re

from ..document import WORD, Document
from ..roles.paragraphs import paragraph_spans
from ..settings import InterviewDetection, KindDetection

_FIRST_PERSON = re.compile(r"\b(?:i|my|me|mine|myself)\b", re.I)


def detect_kind(doc: Document, cfg: KindDetection, spoken: InterviewDetection | None = None,
                question_line: str | None = None) -> str:
    text = doc.analysis_text
    head = text.lstrip()[:200].lower()
    if re.match(cfg.email_salutation, head, re.I) \
            and _words_after_greeting(text) <= cfg.email_max_words \
            and any(w in text.lower() for w in cfg.email_words):
        return "email"
    if spoken is not None and looks_spoken(doc, spoken, question_line):
        return "interview"
    if not re.search(cfg.exam_words, text, re.I):  # no exam, score, attempt or failure: not an explanation
        return "personal_statement"
    return "personal_statement" if looks_like_statement(doc, cfg) else "explanation"


def looks_spoken(doc: Document, cfg: InterviewDetection, question_line: str | None) -> bool:
    """An answer written to be said aloud: a question typed at the top, contractions, talking to "you",
    spoken openers ("So,", "Well,"). Points against the rubric's threshold; never a long draft."""
    words = max(1, doc.words)
    if words > cfg.max_words:
        return False
    text = doc.analysis_text
    first_line = text.lstrip().split("\n", 1)[0]
    if re.match(cfg.question_prefix, first_line, re.I):
        points = cfg.question_prefix_points
    else:
        points = cfg.question_points if question_line and re.match(question_line, first_line, re.I) else 0
    points += len(re.findall(cfg.contractions, text, re.I)) * 100 / words >= cfg.contractions_per_100_words
    points += len(re.findall(cfg.you, text, re.I)) * 100 / words >= cfg.you_per_100_words
    points += bool(re.search(cfg.openers, text.lstrip(), re.I | re.M))
    return points >= cfg.min_points


def _words_after_greeting(text: str) -> int:
    """Words after the greeting line: "Dear Dr. Reyes, Dr. Chen and the whole selection committee," is not
    what makes an email long."""
    body = text.lstrip()
    line_end = body.find("\n")
    body = body[line_end:] if line_end > 0 else body
    return len(WORD.findall(body))


def looks_like_statement(doc: Document, cfg: KindDetection) -> bool:
    """Kind detection between a personal statement and a score explanation (emails are told apart
    first): a statement is long, or has several paragraphs of first-person narrative that is not about
    exams; an explanation is short and about exams."""
    words = max(1, doc.words)
    paragraphs = len(paragraph_spans(doc))
    exam = len(re.findall(cfg.exam_words, doc.analysis_text, re.I)) * 100 / words
    exam_focused = exam >= (cfg.exam_focus_per_100_words)
    if words >= cfg.statement_min_words:  # long: a statement, unless one block about exams
        about_exams = exam >= (cfg.long_explanation_min_exam_per_100_words)
        return not (about_exams and paragraphs <= cfg.explanation_max_paragraphs)
    if paragraphs >= cfg.statement_min_paragraphs \
            and words >= cfg.statement_min_words_with_paragraphs:
        return True
    first_person = len(_FIRST_PERSON.findall(doc.analysis_text)) / words
    narrative = first_person >= (cfg.first_person_min_ratio)
    if not narrative or words < cfg.narrative_min_words:
        return False
    return exam == 0 or (not exam_focused and paragraphs >= cfg.narrative_min_paragraphs)
