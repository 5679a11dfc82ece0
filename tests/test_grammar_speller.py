"""The offline speller: real misspellings are found with a correction; the vocabulary of these drafts,
names, acronyms, numbers, links and British spellings are not flagged; the rubric settings validate."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coach.document import Document
from coach.errors import RubricError
from coach.grammar import build_grammar
from coach.rubric import load_rubric
from tests.conftest import ROOT, SAMPLES

RUBRIC = load_rubric()
CHECKER = build_grammar("speller", None, RUBRIC)


def flagged(text: str) -> list[tuple[str, str]]:
    doc = Document(file="draft.txt", text=text)
    findings, notices = CHECKER.check(doc)
    assert notices == []
    for f in findings:
        assert f.rule == "spelling.misspelled" and f.category == "spelling" and f.severity == "warning"
        assert doc.text[f.start:f.end] == f.excerpt
    return [(f.excerpt, f.suggestion) for f in findings]


def test_real_misspellings_are_found_with_the_top_correction():
    text = ("I was grateful to recieve the oppurtunity to gain clinical experiance. I definately "
            "stoped relying on videos and was begining to acomodate a schedule untill the exam.")
    assert flagged(text) == [
        ("recieve", "“receive”"), ("oppurtunity", "“opportunity”"), ("experiance", "“experience”"),
        ("definately", "“definitely”"), ("stoped", "“stopped”"), ("begining", "“beginning”"),
        ("acomodate", "“accommodate”"), ("untill", "“until”"),
    ]


def test_a_misspelling_opening_a_sentence_is_found_and_keeps_its_capital():
    assert flagged("Oppurtunity came late. Recieve it.") == [("Oppurtunity", "“Opportunity”"),
                                                            ("Recieve", "“Receive”")]


@pytest.mark.parametrize("text", [
    "The patient had dyspnea, tachycardia and sepsis, and his hemoglobin was low.",
    "Her comorbidities included COPD, HIV, CKD and diabetes mellitus; she was intubated in the ICU.",
    "I passed USMLE Step 1, Step 2 CK and the OET, and I am ECFMG certified.",
    "Scores: COMLEX Level 2-CE, NBME 212, UWSA 2; resources: UWorld, Amboss and Pathoma.",
    "I applied through ERAS and the NRMP Match as one of many IMGs with three LORs and USCE.",
    "I need a J-1 or H-1B visa for my PGY-1 year.",
    "I completed a sub-internship, an externship at an FQHC and two observerships.",
    "Our hospitalist and the nephrologist taught me; I will precept mentees as an internist.",
    "I grew up in Lagos and trained at Obafemi Awolowo University before moving to Tumaco.",
    "Dr. Okafor and Dr. Adeyemi supervised me at Mesquite Valley County Medical Center.",
    "My counselling work and organised practise in paediatrics at the centre changed my behaviour.",
    "I analysed the programme's licence rules, travelled often and learnt a great deal about colour.",
    "Visit https://example.org/my-page or write to dr.someone@example.com for my CV.",
    "I scored 241 on 3/14/2023 at 8am and saw 25-30 patients a day, 40% of them uninsured.",
    "I didn't give up, I can't stop, and I won't; they're here and it's o'clock somewhere.",
    "I worked in telepsychiatry and neurocritical care, where sepsis is often underdiagnosed.",
])
def test_domain_vocabulary_names_and_british_spellings_are_not_flagged(text):
    assert flagged(text) == []


def test_every_sample_draft_is_free_of_false_alarms():
    """The shipped samples use the vocabulary this speller must know (files written to show
    misspellings, with 'typo' or 'spelling' in their names, are left out)."""
    paths = [p for p in sorted(SAMPLES.rglob("*")) if p.suffix in (".txt", ".md")
             and p.name != "README.md" and not any(w in p.name for w in ("typo", "spelling", "misspell"))]
    assert paths
    alarms = {p.name: flagged(p.read_text(encoding="utf-8")) for p in paths}
    assert {name: words for name, words in alarms.items() if words} == {}


def test_findings_per_draft_are_capped():
    text = " ".join(["qwzx"] * 100)
    assert len(CHECKER.check(Document(file="d.txt", text=text))[0]) == CHECKER.settings.max_findings


def test_unknown_word_without_a_close_correction_says_what_to_do():
    [(word, suggestion)] = flagged("We studied the zqxjkvwp together.")
    assert word == "zqxjkvwp" and "rubrics/vocabulary.yaml" in suggestion


# ---- rubric data ------------------------------------------------------------------------------------

def _overlay(tmp_path: Path, name: str, data: dict) -> Path:
    (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_user_vocabulary_adds_words(tmp_path):
    rubric = load_rubric(_overlay(tmp_path, "mine.yaml", {"user_vocabulary": {"local": ["zorbitis"]}}))
    checker = build_grammar("speller", None, rubric)
    findings, _ = checker.check(Document(file="d.txt", text="It was zorbitis."))
    assert findings == []
    assert [word for word, _ in flagged("It was zorbitis.")] == ["zorbitis"]  # not in the shipped rubric


def test_a_disabled_rule_without_a_reason_names_file_and_key(tmp_path):
    shipped = yaml.safe_load((ROOT / "rubrics" / "grammar.yaml").read_text(encoding="utf-8"))
    shipped["grammar"]["disabled_rules"]["EN_QUOTES"] = ""
    rubric = load_rubric(_overlay(tmp_path, "grammar.yaml", shipped))
    expected = r"grammar\.yaml:\d+: grammar\.disabled_rules\.EN_QUOTES: needs a one-line reason"
    with pytest.raises(RubricError, match=expected):
        build_grammar("speller", None, rubric)


def test_shipped_disabled_rules_each_have_a_reason():
    rules = CHECKER.settings.disabled_rules
    assert "WHITESPACE_RULE" in rules and all(len(reason) > 20 for reason in rules.values())
