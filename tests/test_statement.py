"""Personal statements end to end on the samples, and each statement rule with a "should flag" and a
"should not flag" case (the cliché phrase rules' own examples run in test_rubric_examples.py)."""

from __future__ import annotations

import pytest

from coach.settings import Options
from tests.conftest import SAMPLES, analyse_text

OURS = {"framework", "blame", "excuse", "oversharing", "growth", "mission", "specificity", "style", "length"}
CATEGORIES = OURS | {"nrmp", "grammar", "spelling", "readability", "consistency"}


def _text(name: str) -> str:
    return (SAMPLES / f"statement-{name}.txt").read_text(encoding="utf-8")


def _paragraphs(name: str) -> list[str]:
    return [p for p in _text(name).split("\n\n") if p.strip()]


def _join(paragraphs: list[str]) -> str:
    return "\n\n".join(p.strip() for p in paragraphs) + "\n"


def _analyse(analyzer, text: str, kind: str | None = None, **options):
    """A draft analysed with these options (coach.settings.Options), passed with the call."""
    return analyse_text(analyzer, text, kind, options=Options(**options))


def _rules(report) -> set[str]:
    return {f.rule for f in report.findings}


@pytest.fixture(scope="module")
def samples(analyzer):
    return {name: analyse_text(analyzer, _text(name), name=f"statement-{name}.txt")
            for name in ("strong", "generic", "no-scores")}


# ── The samples ────────────────────────────────────────────────────────────────────────────────────

def test_samples_are_detected_as_statements(samples):
    assert all(r.doc.kind == "personal_statement" for r in samples.values())


def test_strong_statement_gets_few_mild_findings(samples):
    report = samples["strong"]
    ours = [f for f in report.findings if f.category in OURS]
    assert all(f.severity == "suggestion" for f in ours), [(f.rule, f.severity) for f in ours]
    assert len(ours) <= 2, [f.rule for f in ours]
    assert not {f.category for f in ours} & {"mission", "specificity", "style", "length", "blame", "excuse"}


def test_strong_statement_framework_describes_the_score_paragraph(samples):
    report = samples["strong"]
    fw = report.to_json()["framework"]
    assert fw is not None and set(fw["parts"]) == {"context", "responsibility", "growth", "connection"}
    passage = _text("strong").index("I did not pass Step 1")
    indices = {i for part in fw["parts"].values() for i in part["sentences"]}
    assert indices and all(report.doc.sentences[i].start >= passage for i in indices)
    assert fw["parts"]["responsibility"]["present"] and fw["parts"]["growth"]["present"]


def test_generic_statement_gets_structure_specificity_and_fit_findings(samples):
    rules = _rules(samples["generic"])
    assert {"style.opening-childhood", "style.opening-quotation", "style.structure-no-future-vision"} <= rules
    assert {"specificity.abstract-paragraph", "specificity.no-outcomes", "specificity.no-named-settings",
            "specificity.passionate", "specificity.help-people"} <= rules
    assert {"mission.lacks-underserved", "mission.lacks-settings", "mission.lacks-languages"} <= rules
    assert "framework.score-passage-share" in rules
    assert {"blame.exam-unfair", "blame.system"} <= rules
    assert samples["generic"].framework is not None


def test_statement_without_scores_has_no_framework(samples):
    report = samples["no-scores"]
    assert report.framework is None and report.to_json()["framework"] is None
    assert not [f for f in report.findings if f.category in {"framework", "blame", "excuse", "oversharing",
                                                             "growth"}]
    assert not [f for f in report.findings if f.category in {"mission", "style", "length"}]
    assert not [f for f in report.findings if f.severity != "suggestion" and f.category in OURS]


@pytest.mark.parametrize("name", ["strong", "generic", "no-scores"])
def test_findings_keep_to_the_contract(samples, name):
    data = samples[name].to_json()
    text = _text(name)
    assert data["kind"] == "personal_statement"
    for f in data["findings"]:
        assert text[f["start"]:f["end"]] == f["excerpt"]
        assert f["category"] in CATEGORIES and f["severity"] in {"error", "warning", "suggestion"}
        assert f["message"] and f["suggestion"]
        assert "{" not in f["message"] + f["suggestion"], f["rule"]


# ── The score passage ──────────────────────────────────────────────────────────────────────────────

def test_a_good_score_alone_is_not_a_score_passage(analyzer):
    paragraphs = _paragraphs("no-scores")
    paragraphs[1] += " I passed Step 2 CK with a score of 251."
    report = analyse_text(analyzer, _join(paragraphs))
    assert report.framework is None
    assert not [f for f in report.findings if f.category == "framework"]


def test_score_passage_past_its_share_is_flagged(samples):
    share = [f for f in samples["generic"].findings if f.rule == "framework.score-passage-share"]
    assert share and share[0].severity == "warning"
    assert "199" in share[0].message and "20%" in share[0].message
    assert "framework.score-passage-share" not in _rules(samples["strong"])


def test_score_passage_where_growth_is_the_smaller_half_is_flagged(analyzer, samples):
    paragraphs = _paragraphs("strong")
    paragraphs[4] = (
        "I did not pass Step 1 on my first attempt. During my preparation my grandmother was ill, and I "
        "travelled home every weekend to care for her while my classmates were studying for the exam. "
        "The hospital was four hours away by bus, and I often studied at night in the waiting room. "
        "Looking back, I take full responsibility: I relied on reading notes and never planned my time "
        "or asked my teachers for help. I passed on my second attempt.")
    report = analyse_text(analyzer, _join(paragraphs))
    assert "framework.score-passage-growth" in _rules(report)
    assert "framework.score-passage-growth" not in _rules(samples["strong"])


def test_score_passage_gets_the_explanation_rules(samples):
    generic = samples["generic"]
    passage_start = generic.doc.text.index("I would like to address")
    blame = [f for f in generic.findings if f.category == "blame"]
    assert blame and all(f.start >= passage_start for f in blame)


# ── Structure ──────────────────────────────────────────────────────────────────────────────────────

def _moved(name: str, index: int, to: int) -> str:
    paragraphs = _paragraphs(name)
    paragraphs.insert(to, paragraphs.pop(index))
    return _join(paragraphs)


@pytest.mark.parametrize(("rule", "flag_text"), [
    ("style.structure-opens-with-scores", lambda: _moved("strong", 4, 0)),
    ("style.structure-ends-with-scores", lambda: _moved("strong", 4, 5)),
    ("style.structure-vision-too-early", lambda: _moved("strong", 5, 1)),
    ("style.structure-story-buried", lambda: _moved("strong", 0, 2)),
    ("style.structure-no-opening-story", lambda: _join(_paragraphs("strong")[1:])),
    ("style.structure-no-future-vision", lambda: _join(_paragraphs("strong")[:5])),
    ("style.structure-no-key-experiences", lambda: _join(_paragraphs("generic"))),
])
def test_structure_rules_flag_and_pass(analyzer, samples, rule, flag_text):
    assert rule in _rules(analyse_text(analyzer, flag_text())), rule
    assert rule not in _rules(samples["strong"])
    assert rule not in _rules(samples["no-scores"])


OPENINGS = {
    "style.opening-quotation": (
        "\"The good physician treats the disease; the great physician treats the patient who has the "
        "disease.\" These words of Sir William Osler have guided me since my first year of medical school, "
        "and they are the reason I chose internal medicine over every other path I considered."),
    "style.opening-definition": (
        "Internal medicine is the branch of medicine that deals with the prevention, diagnosis and "
        "treatment of diseases in adults. To me it is much more than this definition, and it is the "
        "specialty where I hope to spend my career caring for complex patients."),
    "style.opening-childhood": (
        "Ever since I was a child, my dream has been to become a doctor like my uncle. I used to play with "
        "a toy stethoscope and examine my dolls, and everyone in my family said that I was born for "
        "medicine."),
}


@pytest.mark.parametrize("rule", sorted(OPENINGS))
def test_cliche_openings_flag_and_story_openings_pass(analyzer, samples, rule):
    paragraphs = _paragraphs("strong")
    report = analyse_text(analyzer, _join([OPENINGS[rule]] + paragraphs[1:]))
    assert rule in _rules(report)
    assert not _rules(samples["strong"]) & set(OPENINGS)


def test_a_patient_quoted_in_the_opening_story_is_not_a_quotation_opening(analyzer):
    paragraphs = _paragraphs("strong")
    paragraphs[0] = "\"Will I see my grandchildren again?\" " + paragraphs[0]
    assert "style.opening-quotation" not in _rules(analyse_text(analyzer, _join(paragraphs)))


def test_an_opening_that_is_not_a_story_gets_a_suggestion(analyzer):
    thesis = ("I am applying to internal medicine residency because I want to care for adults with complex "
              "chronic illness, and because the work of a general internist combines diagnosis, teaching "
              "and long relationships with the patients I serve.")
    report = analyse_text(analyzer, _join([thesis] + _paragraphs("strong")))
    found = [f for f in report.findings if f.rule == "style.opening-not-story"]
    assert found and found[0].severity == "suggestion"
    assert "style.opening-not-story" not in _rules(analyse_text(analyzer, _text("strong")))


# ── Mission ────────────────────────────────────────────────────────────────────────────────────────

def test_mission_findings_are_suggestions_that_say_what_is_shown(samples):
    mission = [f for f in samples["generic"].findings if f.category == "mission"]
    assert mission and all(f.severity == "suggestion" for f in mission)
    assert all("It already shows" in f.message for f in mission)
    assert not [f for f in samples["strong"].findings if f.category == "mission"]


@pytest.mark.parametrize(("theme", "program_type"), [
    ("underserved", "county"), ("settings", "county"), ("determinants", "county"), ("languages", "county"),
    ("bridging", "county"), ("continuity", "community")])
def test_each_mission_theme_flags_and_passes(analyzer, theme, program_type):
    rule = f"mission.lacks-{theme}"
    assert rule in _rules(_analyse(analyzer, _text("generic"), program_type=program_type))
    assert rule not in _rules(_analyse(analyzer, _text("no-scores"), program_type=program_type))


def test_program_type_weighs_the_fit(analyzer):
    text = _text("no-scores").replace("precept students and residents and to mentor", "work alongside")
    text = text.replace("supervised 3 nurses", "worked with 3 nurses")
    academic = _analyse(analyzer, text, program_type="academic")
    county = _analyse(analyzer, text, program_type="county")
    assert "mission.lacks-scholarship" in _rules(academic)
    assert "mission.lacks-scholarship" not in _rules(county)
    assert "mission.lacks-scholarship" not in _rules(analyse_text(analyzer, _text("no-scores")))


def test_languages_theme_flags_and_passes(analyzer):
    paragraphs = _paragraphs("no-scores")
    spoken = ("I speak Tagalog, Waray and English, and on many Saturdays I am the only volunteer who can "
              "talk with our Filipino patients in their own language. ")
    paragraphs[3] = paragraphs[3].replace(spoken, "")
    flagged = analyse_text(analyzer, _join(paragraphs))
    assert "mission.lacks-languages" in _rules(flagged)
    assert "mission.lacks-languages" not in _rules(analyse_text(analyzer, _text("no-scores")))


# ── Specificity ────────────────────────────────────────────────────────────────────────────────────

def test_abstract_paragraphs_flag_with_a_prompt_for_their_part(samples):
    abstract = [f for f in samples["generic"].findings if f.rule == "specificity.abstract-paragraph"]
    assert len(abstract) >= 3
    assert all("concrete detail" in f.message for f in abstract)
    for name in ("strong", "no-scores"):
        assert "specificity.abstract-paragraph" not in _rules(samples[name])


@pytest.mark.parametrize("rule", ["specificity.no-outcomes", "specificity.no-named-settings",
                                  "specificity.no-durations", "specificity.no-roles"])
def test_missing_concrete_elements_flag_and_pass(samples, rule):
    assert rule in _rules(samples["generic"])
    assert rule not in _rules(samples["strong"])
    assert rule not in _rules(samples["no-scores"])


# ── Length ─────────────────────────────────────────────────────────────────────────────────────────

def test_word_range_shows_both_numbers(samples):
    short = [f for f in samples["generic"].findings if f.rule == "length.statement-too-short"]
    assert short and short[0].severity == "warning"
    assert "578" in short[0].message and "650" in short[0].message and "850" in short[0].message
    assert not [f for f in samples["strong"].findings if f.category == "length"]


def test_long_statement_gets_a_word_warning_at_the_crossing(analyzer):
    paragraphs = _paragraphs("strong")
    report = analyse_text(analyzer, _join(paragraphs + paragraphs[1:3]))
    found = [f for f in report.findings if f.rule == "length.statement-too-long"]
    assert found and found[0].severity == "warning" and "850" in found[0].message


def _length_findings(text: str, field: str) -> list:
    """The length check alone, on a document with naive sentences (no parse needed)."""
    import re

    from coach.checks.length import check_length
    from coach.document import Document, Sentence
    from coach.rubric import load_rubric

    doc = Document(file="x.txt", text=text)
    doc.sentences = [Sentence(i, m.start(), m.end(), m.group()) for i, m in
                     enumerate(re.finditer(r"[^.!?\s][^.!?]*[.!?]?", text))]
    return check_length(doc, load_rubric().section("personal_statement")["length"], field)


def test_statement_past_the_eras_field_is_an_error():
    text = ("I saw twelve patients a day at the county clinic. " * 600).strip()
    found = _length_findings(text, "statement")
    assert [f.rule for f in found] == ["length.over-field-limit"]
    assert found[0].severity == "error"
    assert "28,000" in found[0].message and f"{len(text):,}" in found[0].message
    assert "length.over-field-limit" not in {f.rule for f in _length_findings(text[:27_990], "statement")}


@pytest.mark.parametrize(("field", "limit"), [("experience", 750), ("meaningful", 300)])
def test_eras_entry_limits(field, limit):
    sentence = "I coordinated the Saturday clinic for uninsured adults. "
    over = (sentence * (limit // len(sentence) + 2)).strip()
    under = (sentence * (limit // len(sentence) - 1)).strip()
    found = _length_findings(over, field)
    assert [f.rule for f in found] == ["length.over-field-limit"] and f"{limit:,}" in found[0].message
    assert _length_findings(under, field) == []


def test_field_option_applies_entry_limits_only(analyzer):
    entry = ("For 14 months I volunteered every Saturday at St. Brigid Free Clinic, which serves uninsured "
             "adults. I started an evening session on blood pressure that now draws 15 to 20 people a month. "
             "Many of them are caregivers who rarely see a doctor themselves, so we scheduled the sessions "
             "after their shifts end.")
    assert len(entry) > 300
    report = _analyse(analyzer, entry, kind="personal_statement", field="meaningful")
    assert _rules(report) & {"length.over-field-limit"}
    assert report.framework is None
    assert not [f for f in report.findings if f.category in {"mission", "style"}]


# ── Kind detection ─────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_kind_detection_on_the_samples(path):
    from coach.analysis.kinds import detect_kind
    from coach.document import load
    from coach.rubric import load_rubric
    from coach.settings import settings_of

    expected = {"statement": "personal_statement", "explanation": "explanation", "email": "email",
                "interview": "interview"}
    want = expected[path.stem.split("-")[0]]
    settings = settings_of(load_rubric())
    spoken = settings.interview
    assert detect_kind(load(str(path)), settings.kind_detection, spoken.detection, spoken.question_line) == want


def test_kind_detection_short_statement_and_one_line_per_paragraph():
    from coach.analysis.kinds import detect_kind
    from coach.document import Document
    from coach.rubric import load_rubric
    from coach.settings import settings_of

    cfg = settings_of(load_rubric()).kind_detection
    three = _join(_paragraphs("no-scores")[:2])
    assert detect_kind(Document(file="x", text=three), cfg) == "personal_statement"
    one_per_line = "\n".join(_paragraphs("strong"))
    assert detect_kind(Document(file="x", text=one_per_line), cfg) == "personal_statement"


def test_kind_detection_long_explanation_stays_an_explanation():
    from coach.analysis.kinds import detect_kind
    from coach.document import Document
    from coach.rubric import load_rubric
    from coach.settings import settings_of

    text = (SAMPLES / "explanation-too-long.txt").read_text(encoding="utf-8").strip()
    doubled = text + " " + text
    assert detect_kind(Document(file="x", text=doubled), settings_of(load_rubric()).kind_detection) == "explanation"


def test_kind_option_wins(analyzer):
    report = analyse_text(analyzer, _text("no-scores"), kind="explanation")
    assert report.doc.kind == "explanation" and report.framework is not None


def test_statement_with_one_paragraph_per_line_is_split(analyzer):
    from coach.roles.paragraphs import statement_paragraphs

    report = analyse_text(analyzer, "\n".join(_paragraphs("strong")), kind="personal_statement")
    assert len(statement_paragraphs(report.doc)) == 6
    assert "style.structure-no-opening-story" not in _rules(report)


def test_a_part_carried_in_the_score_passage_is_reported_present_as_well_as_not_missing(analyzer):
    """The batch's "missing parts" column reads each part's status: it must agree with the findings."""
    paragraphs = _paragraphs("strong")
    at = next(i for i, p in enumerate(paragraphs) if "Step" in p)
    paragraphs[at] = ("I take full responsibility for how I prepared for my licensing exams. Studying alone from "
                      "notes, I did not pass Step 1 on my first attempt. I rebuilt my preparation around forty timed "
                      "questions a day and a weekly review with a mentor, and I passed Step 2 CK on my first attempt "
                      "with a 241.")
    report = analyse_text(analyzer, _join(paragraphs), "personal_statement")
    failed = next(s for s in report.doc.sentences if "did not pass Step 1" in s.text)
    assert failed.role != "context"
    assert "framework.missing-context" not in _rules(report)
    assert report.framework["parts"]["context"] == {"present": True, "sentences": [failed.index],
                                                    "expected": [0, 2], "status": "ok"}


STORY_FIRST = "\n\n".join([
    ('At 2 a.m. during my internship in Lima, a 58-year-old man with a crushing chest pain arrived at our '
     'small emergency room, and we had no cath lab within three hours. I remember starting the '
     "thrombolytic under my attending's guidance and watching his ST elevations resolve over the next "
     'hour. That night taught me what it means to practice medicine where resources are thin and every '
     'decision counts.'),
    ('After graduation I spent a year in a rural health post in Cajamarca, where I was the only physician '
     'for 4,000 people. I started a diabetes registry that grew to 310 patients and, with two nurses, cut '
     'missed follow-up visits from 45% to 18% in nine months. I learned to explain insulin to patients who'
     ' could not read, and to work with community health workers who knew every family by name.'),
    ('My path to residency has not been straight. I failed Step 1 on my first attempt because I studied '
     'passively and did not measure my readiness. I rebuilt my preparation around timed practice and '
     'weekly feedback from a mentor, passed on my second attempt, and scored 244 on Step 2 CK. That '
     'process made me far more deliberate about how I learn, and I now seek feedback early rather than '
     'waiting for a result.'),
    ('During my observership at a county hospital in Texas, I saw residents care for uninsured patients '
     'with the same rigor I had tried to bring to Cajamarca. I want to train in internal medicine at a '
     'program that serves patients like these, and to use my Spanish and my rural experience to care for '
     'the communities who need it most. In the long term, I hope to practice primary care in an '
     'underserved area and teach the next generation of residents.'),
])


def test_an_opening_story_the_encoder_is_unsure_of_is_read_by_its_cues(analyzer):
    """"At 2 a.m. ... a 58-year-old man ... arrived": the head, reading a reflective last sentence too, is
    unsure; the cue sets are not, and the statement is not told it lacks an opening story. "My Spanish"
    shows the languages a county program looks for."""
    report = analyse_text(analyzer, STORY_FIRST, "personal_statement")
    rules = {f.rule for f in report.findings}
    assert "style.structure-no-opening-story" not in rules
    assert "mission.lacks-languages" not in rules


def test_serving_spanish_speaking_patients_is_not_speaking_a_language(analyzer):
    """"Spanish-speaking patients" and "through an interpreter" say whom the writer served, not what they
    speak: the county program still hears nothing of the writer's languages."""
    paragraphs = _paragraphs("no-scores")
    spoken = ("I speak Tagalog, Waray and English, and on many Saturdays I am the only volunteer who can "
              "talk with our Filipino patients in their own language. ")
    served = "On many Saturdays I saw Spanish-speaking patients through an interpreter at the free clinic. "
    paragraphs[3] = paragraphs[3].replace(spoken, served)
    assert "mission.lacks-languages" in _rules(analyse_text(analyzer, _join(paragraphs)))
    paragraphs[3] = paragraphs[3].replace(served, "I speak Spanish with the patients of our Saturday clinic. ")
    assert "mission.lacks-languages" not in _rules(analyse_text(analyzer, _join(paragraphs)))
