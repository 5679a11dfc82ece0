"""`coach check` with grammar: the notice once per run, the verbose engine line, and a named server's
matches in the JSON report (a protocol test against tests/fake_languagetool.py, not LanguageTool)."""

from __future__ import annotations

import json

from tests.conftest import run_coach
from tests.fake_languagetool import FakeLanguageTool

DRAFT_A = "I failed Step 1 on my first attempt. I did not recieve enough feedback from practice exams.\n"
DRAFT_B = "My experiance with dyspnea and sepsis at the FQHC in Lagos taught me to ask for help early.\n"


def test_check_without_languagetool_says_so_once_and_spells_offline(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(DRAFT_A, encoding="utf-8")
    b.write_text(DRAFT_B, encoding="utf-8")
    env = {"LTP_PATH": str(tmp_path / "none"), "LTP_JAR_DIR_PATH": "", "COACH_LANGUAGETOOL_URL": ""}
    result = run_coach("check", "--no-color", "-v", str(a), str(b), env=env)
    out, err = result.stdout.decode(), result.stderr.decode()
    assert "Traceback" not in out + err
    assert out.count("needs LanguageTool, which is not available here") == 1
    assert "coach: grammar: the offline speller" in err and "because LanguageTool is not available" in err
    assert "“recieve” may be misspelled." in out and "“experiance” may be misspelled." in out
    assert out.count("spelling.misspelled") == 2  # not dyspnea, sepsis, FQHC or Lagos


def test_check_with_named_server_reports_its_matches_in_json(tmp_path):
    fake = FakeLanguageTool()
    try:
        draft = tmp_path / "d.txt"
        draft.write_text("Thank you 🙏 — then he go home and I recieve it.\n", encoding="utf-8")
        result = run_coach("check", "--format", "json", "--languagetool-url", fake.url, "-v", str(draft))
    finally:
        fake.stop()
    err = result.stderr.decode()
    assert "Traceback" not in err and f"LanguageTool at {fake.url}/ (named with --languagetool-url" in err
    report = json.loads(result.stdout)
    text = draft.read_text(encoding="utf-8")
    found = {f["excerpt"]: f for f in report["findings"] if f["category"] in ("grammar", "spelling")}
    assert set(found) == {"he go", "recieve"}
    for f in found.values():
        assert text[f["start"]:f["end"]] == f["excerpt"]
    assert found["he go"]["rule"] == "grammar.he-verb-agr"
    assert found["recieve"]["rule"] == "spelling.misspelled"


SPANISH = ("Reprobé el examen USMLE Step 1 en mi primer intento. Asumo toda la responsabilidad: estudié sin un plan y "
           "no hice suficientes preguntas de práctica. Después trabajé con una mentora cada semana y aprobé el Step 2 "
           "CK con 243 puntos. Llevaré estos hábitos a mi residencia.\n")
NAMES = ("I failed Step 1 in Enugu in 2021 while Dr. Chukwuemeka Okonkwo-Adeyemi and Dr. Oluwaseun Babatunde "
         "supervised my nights at Nnamdi Azikiwe University Teaching Hospital in Nnewi. I take full responsibility: "
         "I studied alone. With Ngozi, Adaeze and Obinna I then did timed UWorld blocks and passed Step 2 CK.\n")


def test_a_draft_not_in_english_is_one_line_not_a_report(tmp_path):
    # the speller turned "trabajé" and "preguntas" into English words ("trabajaba" -> "tetrabasic"), and the
    # framework said nothing took responsibility beside "Asumo toda la responsabilidad"
    path = tmp_path / "spanish.txt"
    path.write_text(SPANISH, encoding="utf-8")
    done = run_coach("check", "--grammar", "speller", str(path))
    assert done.returncode == 2 and done.stdout == b"", done.stdout
    err = done.stderr.decode()
    assert err.count("\n") == 1 and err.startswith(f"coach: {path}: looks written in another language"), err
    assert "coach reads English drafts only" in err


def test_an_english_draft_full_of_names_is_spelled_as_english(tmp_path):
    (tmp_path / "names.txt").write_text(NAMES + "I studdied every morning.\n", encoding="utf-8")
    done = run_coach("check", "--format", "json", "--grammar", "speller", str(tmp_path / "names.txt"))
    assert "English drafts only" not in done.stderr.decode()
    assert [f["excerpt"] for f in json.loads(done.stdout)["findings"] if f["category"] == "spelling"] == ["studdied"]
