"""One story per applicant, program names in thank-you notes, and passages shared across applicants."""

from __future__ import annotations

import pytest

from coach.batch.consistency import add_consistency
from coach.batch.model import BatchResult, Entry
from tests.conftest import SAMPLES, analyse_text

GOOD = (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8")
STRONG = (SAMPLES / "statement-strong.txt").read_text(encoding="utf-8")
EMAIL = (SAMPLES / "email-good.txt").read_text(encoding="utf-8")
TEMPLATE = ("Throughout my clinical rotations I have developed a deep appreciation for the way that careful "
            "listening, honest communication and steady follow-up allow physicians to earn the trust of patients "
            "who have every reason to doubt the health system.")


def cohort(analyzer, *drafts: tuple[str, str, str]) -> BatchResult:
    """(applicant, file, text) → a BatchResult with real reports, run through the consistency checks."""
    entries = []
    for applicant, file, text in drafts:
        report = analyse_text(analyzer, text, name=file).to_json()
        entries.append(Entry(file=file, applicant=applicant, sha256="", report=report, text=text))
    result = BatchResult(entries, [])
    add_consistency(result)
    return result


def rules(result: BatchResult, file: str) -> list[str]:
    entry = next(e for e in result.entries if e.file == file)
    return [f["rule"] for f in entry.consistency]


def test_one_story_raises_nothing(analyzer):
    statement = STRONG.replace("with a score of 239", "with a score of 243")
    result = cohort(analyzer, ("ana", "ana/explanation.txt", GOOD), ("ana", "ana/statement.txt", statement))
    assert rules(result, "ana/explanation.txt") == []
    assert rules(result, "ana/statement.txt") == []


def test_different_scores_are_flagged_in_both_drafts_at_the_numbers(analyzer):
    result = cohort(analyzer, ("ana", "ana/explanation.txt", GOOD), ("ana", "ana/statement.txt", STRONG))
    for file, number, other in (("ana/explanation.txt", "243", "ana/statement.txt"),
                                ("ana/statement.txt", "239", "ana/explanation.txt")):
        entry = next(e for e in result.entries if e.file == file)
        [finding] = [f for f in entry.consistency if f["rule"] == "consistency.score"]
        assert finding["excerpt"] == number == entry.text[finding["start"]:finding["end"]]
        assert finding["severity"] == "error" and finding["category"] == "consistency"
        assert other.split("/")[1] in finding["message"] and finding["related"] == [other]


def test_practice_scores_are_not_exam_scores(analyzer):
    other = GOOD.replace("212 to 228 to 241", "200 to 210 to 220")
    result = cohort(analyzer, ("ana", "ana/a.txt", GOOD), ("ana", "ana/b.txt", other))
    assert "consistency.score" not in rules(result, "ana/a.txt")


def test_attempts_exam_specialty_and_reasons(analyzer):
    explanation = GOOD
    statement = ("I passed Step 1 on my first attempt, but I failed Step 2 CK because I was working full-time "
                 "to pay my tuition. I rebuilt my preparation and passed it on my second attempt. I want to "
                 "train in family medicine, and family medicine is where my patients are. As a family physician "
                 "I will keep learning.")
    result = cohort(analyzer, ("ana", "ana/explanation.txt", explanation), ("ana", "ana/statement.txt", statement))
    found = rules(result, "ana/statement.txt")
    assert "consistency.attempts" in found  # Step 1: failed once vs passed on the first attempt
    assert "consistency.exam" in found  # Step 1 failed vs Step 2 CK failed
    assert "consistency.specialty" in found  # internal medicine vs family medicine
    assert "consistency.reasons" in found  # a father's surgery vs money or work
    assert sorted(found) == sorted(rules(result, "ana/explanation.txt"))


def test_drafts_of_different_applicants_are_not_compared(analyzer):
    result = cohort(analyzer, ("ana", "ana/explanation.txt", GOOD), ("ben", "ben/statement.txt", STRONG))
    assert not any(f["rule"] == "consistency.score" for e in result.entries for f in e.consistency)


@pytest.mark.parametrize(("file", "flagged"), [
    ("ana/thanks-county-general.txt", True),
    ("ana/thanks-mesa-valley.txt", False),
    ("ana/mesa-valley-thank-you.txt", False),
    ("ana/email-good.txt", False),  # no program in the file name: nothing to compare
])
def test_email_naming_another_program_than_its_file(analyzer, file, flagged):
    result = cohort(analyzer, ("ana", file, EMAIL))
    found = [f for f in result.entries[0].consistency if f["rule"] == "consistency.email-program"]
    assert bool(found) == flagged
    if flagged:
        assert found[0]["excerpt"] == "Mesa Valley County Medical Center"


def test_long_passages_shared_by_different_applicants_are_listed(analyzer):
    a = "I grew up in a small town.\n\n" + TEMPLATE + "\n\nI want to serve patients in rural clinics."
    b = "My mother is a nurse.\n\n" + TEMPLATE + " That is why I chose medicine."
    c = "Medicine is a calling for me.\n\n" + TEMPLATE
    result = cohort(analyzer, ("ana", "ana/statement.txt", a), ("ben", "ben/statement.txt", b),
                    ("ana", "ana/notes.txt", c))
    [passage] = result.shared_passages
    assert passage["applicants"] == 2
    assert passage["text"].startswith("Throughout my clinical rotations")
    assert passage["words"] >= 30
    assert {p["file"] for p in passage["places"]} == {"ana/statement.txt", "ben/statement.txt", "ana/notes.txt"}
    ben = next(e for e in result.entries if e.applicant == "ben")
    [finding] = [f for f in ben.consistency if f["rule"] == "consistency.shared-passage"]
    assert ben.text[finding["start"]:finding["end"]] == finding["excerpt"]
    assert finding["excerpt"].startswith("Throughout") and finding["excerpt"].endswith("health system")


def test_short_stock_phrases_and_one_applicants_own_copies_are_not_listed(analyzer):
    stock = "I passed Step 2 CK on my first attempt with a score of 240."
    result = cohort(analyzer, ("ana", "ana/a.txt", "First draft. " + stock), ("ben", "ben/b.txt", stock + " Yes."),
                    ("cid", "cid/one.txt", TEMPLATE), ("cid", "cid/two.txt", TEMPLATE))
    assert result.shared_passages == []


@pytest.mark.parametrize(("text", "attempts", "scores"), [
    ("I passed Step 1 on my second attempt and Step 2 CK on my first, with a score of 239.",
     {"Step 1": (1, 1), "Step 2 CK": (0, 0)}, {"Step 2 CK": {239}}),
    ("It took me two attempts to pass Step 1. I scored 245 on Step 2 CK.", {"Step 1": (1, 1)}, {"Step 2 CK": {245}}),
    ("I failed Step 2 CK twice before I passed it.", {"Step 2 CK": (2, None)}, {}),
    ("My NBME practice scores for Step 2 CK rose from 212 to 241.", {}, {}),
    ("I passed Step 1 on my first attempt. Later I failed Step 1 again.", {}, {}),  # self-contradictory: skipped
    ("I did not pass COMLEX Level 1 on my first attempt.", {"COMLEX Level 1": (1, None)}, {}),
])
def test_facts_read_from_common_phrasings(analyzer, text, attempts, scores):
    from coach.batch.consistency import read_facts
    from coach.document import Document

    report = analyse_text(analyzer, text, "explanation").to_json()
    facts = read_facts(Document(file="x.txt", text=text), report)
    assert {exam: v[:2] for exam, v in facts.attempts.items()} == attempts
    assert {exam: set(v) for exam, v in facts.scores.items()} == scores


def test_a_stock_phrase_does_not_join_two_different_shared_passages(analyzer):
    p = ("During my second year my father fell ill and I worked nights at the family shop, and I later passed "
         "Step 2 CK on my first attempt with a score that showed real progress in my clinical knowledge.")
    q = ("After I changed my methods completely and practiced timed question blocks every single morning for "
         "four months, I passed Step 2 CK on my first attempt with the discipline I now bring to every patient.")
    result = cohort(analyzer, ("", "a.txt", "Alpha line one about me.\n\n" + p),
                    ("", "b.txt", "Different opening sentence here.\n\n" + p),
                    ("", "c.txt", "Another unrelated opener.\n\n" + q), ("", "d.txt", "Yet another start.\n\n" + q))
    assert sorted(sorted(pl["file"] for pl in x["places"]) for x in result.shared_passages) == \
        [["a.txt", "b.txt"], ["c.txt", "d.txt"]]
    assert all(x["applicants"] == 2 for x in result.shared_passages)
    for file, other in (("a.txt", "b.txt"), ("b.txt", "a.txt"), ("c.txt", "d.txt"), ("d.txt", "c.txt")):
        entry = next(e for e in result.entries if e.file == file)
        [finding] = [f for f in entry.consistency if f["rule"] == "consistency.shared-passage"]
        assert "by 1 other applicant" in finding["message"] and other in finding["message"]
        assert finding["related"] == [other]


def test_a_passage_many_applicants_share_names_a_few_and_counts_the_rest(analyzer):
    p = ("During my second year my father fell ill and I worked nights at the family shop, and I later passed "
         "Step 2 CK on my first attempt with a score that showed real progress in my clinical knowledge.")
    drafts = [("", f"{name}.txt", f"Opening line by {name}.\n\n" + p) for name in "abcdefg"]
    result = cohort(analyzer, *drafts)
    entry = next(e for e in result.entries if e.file == "a.txt")
    [finding] = [f for f in entry.consistency if f["rule"] == "consistency.shared-passage"]
    assert "by 6 other applicants: b.txt, c.txt, d.txt and 3 more." in finding["message"], finding["message"]
    assert finding["related"] == ["b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt"]
