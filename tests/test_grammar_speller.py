"""The offline speller: real misspellings are found with a correction; the vocabulary of these drafts,
names, acronyms, numbers, links and British spellings are not flagged; the rubric settings validate;
without the Hunspell dictionaries the run says so once and still checks spelling."""

from __future__ import annotations

import marshal
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from coach.document import Document
from coach.errors import RubricError
from coach.grammar import build_grammar, load_settings
from coach.grammar.speller import PATH_VARIABLE, HunspellLexicon, load_lexicon
from coach.rubric import load_rubric
from tests.conftest import ROOT, SAMPLES

RUBRIC = load_rubric()
CHECKER = build_grammar("speller", None, RUBRIC)
HUNSPELL = isinstance(load_lexicon(load_settings(RUBRIC)), HunspellLexicon)
needs_hunspell = pytest.mark.skipif(not HUNSPELL, reason="the Hunspell dictionaries or libenchant are not "
                                                         "installed here (setup.sh installs them as root)")


def flagged(text: str) -> list[tuple[str, str]]:
    doc = Document(file="draft.txt", text=text)
    findings, notices = CHECKER.check(doc)
    assert all(n.startswith("spelling: no Hunspell") for n in notices) if not HUNSPELL else notices == []
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
    text = " ".join(["we saw the qwzx"] * 100)  # English around it: a draft of nothing but "qwzx" is not English
    assert len(CHECKER.check(Document(file="d.txt", text=text))[0]) == CHECKER.settings.max_findings


def test_unknown_word_without_a_close_correction_says_what_to_do():
    [(word, suggestion)] = flagged("We studied the zqxjkvwp together.")
    assert word == "zqxjkvwp" and "rubrics/vocabulary.yaml" in suggestion


@pytest.mark.parametrize(("wrong", "meant"), [
    ("recieve", "receive"), ("definately", "definitely"), ("occured", "occurred"), ("untill", "until"),
    ("responsability", "responsibility"), ("experiance", "experience"), ("oportunity", "opportunity"),
    ("sucessful", "successful"), ("enviroment", "environment"), ("comittee", "committee"),
    ("carefuly", "carefully"), ("currenty", "currently"), ("hopefull", "hopeful"), ("collegues", "colleagues"),
    ("prevelance", "prevalence"), ("patiens", "patients"), ("accomodation", "accommodation"),
])
def test_common_misspellings_of_second_language_writers_get_the_intended_word_first(wrong, meant):
    assert flagged(f"I wrote {wrong} in my draft.") == [(wrong, f"“{meant}”")]


@needs_hunspell
@pytest.mark.parametrize("text", [
    # the false alarms of issue 18: medicine, everyday words, British and Indian/Nigerian medical English
    "Chlorpyrifos exposure, snakebite envenomation and oral rehydration were daily work.",
    "Our workflow had workarounds for the broken monitor in the neighbourhood clinic.",
    "During my housemanship as a house officer I reported to the registrar.",
    "I hold an MBBS and passed the FCPS Part 1; my intern year and PGY-1 come next.",
    "I did an observership and an externship, gained USCE, and will enter the Match or SOAP.",
    "I did my house job in medicine, then my NYSC year at a primary health centre in Kwara.",
    "My clinical postings included casualty, the OPD and ward rounds with the senior house officer.",
    "We treated organophosphate poisoning, thrombocytopenia, neurocysticercosis and decompensated cirrhosis.",
    "She had pancytopenia, hepatosplenomegaly and a pericardial effusion on echocardiography.",
    "Clozapine monitoring, neutropenic fever, mesenteric ischaemia and prehospital care.",
    "The barangay health worker and the lady health workers counselled mothers about immunisation.",
    "I organised the programme, analysed the data and learnt to prioritise the haemoglobin results.",
])
def test_medical_words_and_the_englishes_of_applicants_are_not_flagged(text):
    assert flagged(text) == []


@needs_hunspell
def test_a_lower_case_unknown_word_is_flagged_even_when_spacy_calls_it_a_name():
    assert [w for w, _ in flagged("I realy enjoyed it and finaly passed.")] == ["realy", "finaly"]


def test_without_the_dictionaries_the_run_says_so_once_and_still_checks_spelling(tmp_path, monkeypatch):
    monkeypatch.setenv(PATH_VARIABLE, str(tmp_path))  # a folder with no dictionaries in it
    checker = build_grammar("speller", None, load_rubric())
    first, notices = checker.check(Document(file="a.txt", text="I was glad to recieve it."))
    assert [f.excerpt for f in first] == ["recieve"] and first[0].suggestion == "“receive”"
    [notice] = notices
    assert notice.startswith("spelling: no Hunspell dictionary") and str(tmp_path) in notice
    assert "\n" not in notice and "hunspell-en-us" in notice
    assert checker.check(Document(file="b.txt", text="Another draft."))[1] == []


@needs_hunspell
def test_dictionaries_are_found_in_the_folder_named_by_the_environment(tmp_path, monkeypatch):
    system = Path("/usr/share/hunspell")
    if not (system / "en_US.aff").is_file():
        pytest.skip("en_US is installed elsewhere")
    for name in ("en_US.dic", "en_US.aff"):
        (tmp_path / name).symlink_to(system / name)
    monkeypatch.setenv(PATH_VARIABLE, os.pathsep.join([str(tmp_path / "missing"), str(tmp_path)]))
    lexicon = load_lexicon(load_settings(RUBRIC))
    assert isinstance(lexicon, HunspellLexicon) and lexicon.source == "Hunspell en_US"
    assert "receive" in lexicon and "recieve" not in lexicon and "neighbourhood" not in lexicon



@needs_hunspell
def test_lexicons_loaded_at_once_each_read_every_dictionary_and_leave_nothing_behind(tmp_path, monkeypatch):
    """The web page and batch threads may load the speller together; each gets whole dictionaries, and
    the links Enchant reads sit in one folder of the user cache, reused, never in the temporary folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    settings = load_settings(RUBRIC)
    with ThreadPoolExecutor(8) as pool:
        lexicons = list(pool.map(lambda _: load_lexicon(settings), range(16)))
    sources = {lexicon.source for lexicon in lexicons}
    assert len(sources) == 1 and all("tachycardia" in lexicon for lexicon in lexicons)
    assert list((tmp_path / "tmp").iterdir()) == []
    assert len(list((tmp_path / "cache" / "coach" / "hunspell").iterdir())) == 1


@needs_hunspell
def test_where_links_cannot_be_made_the_dictionaries_are_copied_once_and_reused(tmp_path, monkeypatch):
    """Some filesystems (a Windows share, some sync folders) refuse symlinks: the speller copies the
    dictionaries into the user cache instead, and the next load finds the copies rather than copying again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def refuse(self, target, target_is_directory=False):
        raise OSError("symlinks are not supported here")

    monkeypatch.setattr(Path, "symlink_to", refuse)
    copies = []
    real_copy = shutil.copy2
    monkeypatch.setattr(shutil, "copy2", lambda src, dst: copies.append(src) or real_copy(src, dst))
    settings = load_settings(RUBRIC)
    first = load_lexicon(settings)
    made = len(copies)
    second = load_lexicon(settings)
    assert made > 0 and len(copies) == made
    assert first.source == second.source and "tachycardia" in second and "recieve" not in second
    folder = next((tmp_path / "cache" / "coach" / "hunspell").iterdir()) / "hunspell"
    assert all(not f.is_symlink() for f in folder.iterdir())


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


def test_the_compact_word_counts_answer_as_the_frequency_list_does(tmp_path, monkeypatch):
    """The 160,000-word list is kept as sorted buckets (2 MiB, not a 26 MiB dict in every batch worker):
    every word, its count and each two-edit search bucket are the list's own, first made and then read
    back from the user cache."""
    import gzip
    import json

    from coach.grammar import wordcounts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with gzip.open(wordcounts._source(), "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    made = wordcounts.english_word_counts()
    assert list((tmp_path / "coach").glob("wordcounts-*.bin"))
    read = wordcounts.english_word_counts()
    for counts in (made, read):
        assert len(counts) == len(raw) and counts.top == max(raw.values())
        assert all(counts.get(w) == c and w in counts for w, c in list(raw.items())[::97])
        assert "recieve" not in counts and counts.get("definately", -1) == -1 and "" not in counts
        assert counts.bucket("p", 9) == sorted(w for w in raw if w[:1] == "p" and len(w) == 9)
        assert counts.bucket("h", 0) == counts.bucket("h", -1) == []  # the two-edit search of a 2-letter word


def test_a_damaged_word_count_cache_is_made_again(tmp_path, monkeypatch):
    from coach.grammar import wordcounts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = wordcounts.english_word_counts()
    for damage in (b"\x00garbage", marshal.dumps([1, 2, 3])):
        for cached in (tmp_path / "coach").glob("wordcounts-*.bin"):
            cached.write_bytes(damage)
        again = wordcounts.english_word_counts()
        assert len(again) == len(first) and again.get("physician") == first.get("physician") > 0


def test_a_patients_words_quoted_in_spanish_are_not_english_misspellings():
    text = ("On my rotation in Guadalajara an old woman held my hand and said: \u201cDoctora, no me deje sola esta "
            "noche, tengo mucho miedo.\u201d I stayed with her, and I recieved a lesson about presence. "
            "Me quedé con ella toda la noche y aprendí mucho.")
    assert [word for word, _ in flagged(text)] == ["recieved"]  # the quote and the Spanish sentence are left out
