"""Kind detection never invents a score explanation (issue 16, item 5): a draft that never mentions an exam,
a score, an attempt or failing is a personal statement (a short one, an excerpt) unless --kind says
otherwise. The paragraphs are our own, written in several applicants' voices, 65–100 words each."""

from __future__ import annotations

import re

import pytest

from coach.analysis.kinds import detect_kind
from coach.document import Document
from coach.settings import Options
from tests.conftest import analyse_text, run_cli

PARAGRAPHS = {
    # An opening clinical story, an Indian applicant.
    "opening-story-india": (
        "It was past midnight in the casualty ward of our district hospital in Nagpur when Ramesh, a "
        "forty-year-old farmer, was carried in by his brothers, breathless and drenched in sweat. The ECG "
        "showed an inferior wall infarction, and the nearest cath lab was four hours away by road. I started "
        "thrombolysis under my senior's guidance and sat beside him until dawn, counting his breaths and "
        "explaining each step to his wife in Marathi. He walked out of the ward on the sixth day."),
    # A "why internal medicine" paragraph, a Nigerian applicant.
    "why-im-nigeria": (
        "Internal medicine drew me in during my house job at the University College Hospital in Ibadan, "
        "where one admission could hold diabetes, kidney disease and sickle cell crisis in the same patient. "
        "I enjoyed the detective work of a long ward round, and I loved sitting with families to agree on "
        "a plan they could afford. Medicine lets me care for the whole person over years, and I want to "
        "bring that patience to the underserved communities your program serves."),
    # An ERAS Experiences entry, a Filipino applicant.
    "experiences-philippines": (
        "Municipal Health Officer, Rural Health Unit of Guiuan, Eastern Samar, 2019–2021. I led a team of "
        "two nurses and eleven barangay health workers serving a town of 24,000 people. I ran a weekly "
        "hypertension and diabetes clinic that grew from 40 to 160 enrolled patients, organised "
        "vaccination drives after Typhoon Ursula, and taught the midwives to recognise pre-eclampsia early. "
        "I also wrote the monthly disease surveillance report for the provincial health office."),
    # An opening story, a Latin American applicant.
    "opening-story-colombia": (
        "Doña Marleny came to our health post in Tumaco every Tuesday, always with a plastic bag of "
        "papayas for the nurses and always without her insulin. It took me three months of visits to learn "
        "that the refrigerator in her house had broken after the floods and that she was too proud to say "
        "so. We found a clay pot that kept the vials cool, and her sugars came down within weeks. She "
        "taught me that listening is part of the treatment."),
    # A "why internal medicine" paragraph, a Mexican applicant.
    "why-im-mexico": (
        "During my social service year in a clinic outside Oaxaca, I saw how chronic disease shapes an "
        "entire family. A father with uncontrolled hypertension could not work, and his daughter left "
        "school to care for him. Internal medicine is the specialty where I can prevent that story, through "
        "careful follow-up, clear explanations in Spanish and English, and teamwork with social workers. I "
        "want to train where continuity clinic and inpatient care teach each other."),
}


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_][\w'’-]*", text))


@pytest.fixture(scope="module")
def cfg():
    from coach.rubric import load_rubric
    from coach.settings import settings_of

    return settings_of(load_rubric())


def _detect(cfg, text: str) -> str:
    return detect_kind(Document(file="x.txt", text=text), cfg.kind_detection, cfg.interview.detection,
                       cfg.interview.question_line)


@pytest.mark.parametrize("name", sorted(PARAGRAPHS))
def test_paragraphs_are_65_to_100_words_and_never_mention_exams(cfg, name):
    text = PARAGRAPHS[name]
    assert 65 <= _words(text) <= 100, _words(text)
    assert not re.search(cfg.kind_detection.exam_words, text, re.I)


@pytest.mark.parametrize("name", sorted(PARAGRAPHS))
def test_a_paragraph_without_exams_is_never_an_explanation(cfg, name):
    assert _detect(cfg, PARAGRAPHS[name]) == "personal_statement"


@pytest.mark.parametrize("name", sorted(PARAGRAPHS))
def test_a_short_paragraph_is_checked_as_a_statement_excerpt(analyzer, name):
    report = analyse_text(analyzer, PARAGRAPHS[name])
    assert report.doc.kind == "personal_statement"
    categories = {f.category for f in report.findings}
    rules = {f.rule for f in report.findings}
    assert not categories & {"framework", "blame", "excuse", "oversharing", "growth"}, rules
    assert not any(r.startswith(("length.", "structure.")) for r in rules), rules
    # "The statement names no hospital" is about a whole statement; a paragraph cannot be told it
    assert not any(r.startswith("specificity.no-") for r in rules), rules
    assert report.framework is None
    excerpt = [n for n in report.notices if "excerpt" in n]
    assert len(excerpt) == 1 and "length, structure and the details a whole statement" in excerpt[0]


def test_the_excerpt_still_gets_specificity_and_cliches(analyzer):
    generic = ("Ever since I was a child I have wanted to be a doctor. I am passionate about medicine and I "
               "want to help people. I am a hard-working team player who always gives one hundred percent, "
               "and I believe that internal medicine is the perfect specialty for someone like me. My family "
               "and my teachers have always supported my dream, and I am ready for the next step of my "
               "journey.")
    report = analyse_text(analyzer, generic)
    assert report.doc.kind == "personal_statement"
    assert "specificity" in {f.category for f in report.findings}


def test_kind_explanation_still_wins(analyzer):
    report = analyse_text(analyzer, PARAGRAPHS["why-im-nigeria"], kind="explanation")
    assert report.doc.kind == "explanation"
    assert "framework.missing-growth" in {f.rule for f in report.findings}


def test_a_short_draft_about_a_failed_attempt_is_still_an_explanation(cfg):
    text = ("I failed Step 1 on my first attempt in 2021 while caring for my father after his surgery. "
            "The result was my responsibility: I studied by rereading notes instead of doing questions. "
            "I then completed UWorld twice, kept an error log and passed Step 2 CK with a 238. These habits "
            "will help me on busy wards.")
    assert _detect(cfg, text) == "explanation"


def test_field_experience_judges_the_field_limit_not_an_excerpt(analyzer):
    report = analyse_text(analyzer, PARAGRAPHS["experiences-philippines"] * 3,
                          options=Options(field="meaningful"))
    assert "length.over-field-limit" in {f.rule for f in report.findings}
    assert not any("excerpt" in n for n in report.notices)


def test_the_text_view_says_it_was_read_as_an_excerpt(tmp_path):
    path = tmp_path / "why-im.txt"
    path.write_text(PARAGRAPHS["why-im-mexico"], encoding="utf-8")
    result = run_cli("check", "--grammar", "off", str(path))
    out = result.stdout.decode()
    assert "excerpt" in out and "length, structure and the details a whole statement should give" in out
