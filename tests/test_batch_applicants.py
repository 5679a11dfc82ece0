"""coach batch tells applicants apart: a cohort sorted by kind raises no cross-draft findings, a folder per
applicant still does, signatures and an --applicants CSV group drafts, the exit codes, and
`coach email --format json`."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

import coach.batch.run as batch
from coach.batch.applicants import signature_name
from coach.batch.run import execute
from coach.settings import Options
from tests.conftest import SAMPLES, run_cli

# Six explanations by six different people: different exams, scores, reasons and specialties, and no long
# run of words in common (a shared passage is a true finding, and not what these tests are about).
EXPLANATIONS = {
    "adeyemi.txt": (
        "While preparing for USMLE Step 1 I was also caring for my mother after her stroke, and I studied "
        "without a schedule. I take responsibility for failing that first attempt. I built a daily plan, "
        "finished UWorld twice in timed blocks and met a tutor every Friday. I passed Step 1 on my second "
        "attempt and scored 251 on Step 2 CK. I bring that discipline to a pediatrics residency, where "
        "children and parents need a steady, prepared pediatrician."),
    "banerjee.txt": (
        "My Step 2 CK score of 219 does not reflect how I practise medicine. I underestimated the exam and "
        "relied on rereading notes instead of questions. Since then I have kept an error log, reviewed every "
        "missed question with a study partner, and taught a weekly case conference at my hospital. These "
        "habits carry into psychiatry, where careful listening and patient follow-up decide how my patients "
        "do."),
    "castillo.txt": (
        "In 2021 I failed COMLEX Level 1 because I was working full-time to pay my tuition and slept too "
        "little. The failure was mine: I never told my dean I needed help. I reduced my shifts, joined a "
        "structured review course and passed on my second try with a score of 540. Emergency medicine "
        "rewards exactly that kind of honest triage of my own limits."),
    "dlamini.txt": (
        "I did not pass USMLE Step 1 the first time. Anxiety before the exam was real, but I had also chosen "
        "resources poorly and skipped full practice tests. Counselling helped with the anxiety, and a "
        "rebuilt plan with three self-assessments helped with the content; I passed on my second attempt "
        "and then earned 238 on Step 2 CK. I hope to bring this resilience to a general surgery program."),
    "eriksen.txt": (
        "A visa delay meant I sat Step 2 CK after months away from clinical work, and my score of 214 shows "
        "it. I should have postponed the exam rather than hope for the best. Since then I completed twelve "
        "weeks of observership in neurology, presented two posters, and my attending letters describe my "
        "clinical reasoning. Neurology residency is where I want to keep growing."),
    "fofanah.txt": (
        "Step 1 took me two attempts. During the first I had dengue fever six weeks before the test date and "
        "decided to sit it anyway, which was my mistake. For the second attempt I rebuilt my schedule around "
        "active recall, used spaced repetition daily, and passed comfortably; my Step 2 CK score was 247. "
        "Family medicine, with its long relationships and prevention work, is where I belong."),
}
STATEMENTS = {
    "gupta.txt": (
        "The night our rural clinic lost power, I held a flashlight while my senior sutured a farmer's hand. "
        "That patient came back every month for his diabetes, and I learned that continuity is a kind of "
        "care. In internal medicine I want to follow patients across years, not visits, and to build the "
        "clinics that keep them out of the emergency room.\n\nDuring my observership in Chicago I saw "
        "internists manage ten problems in one appointment with patience I hope to learn."),
    "haddad.txt": (
        "Children are honest patients. A six-year-old with asthma told me exactly which inhaler tasted "
        "worse, and her mother told me which one they could afford. Pediatrics taught me that adherence "
        "begins with listening to both.\n\nI volunteered in a school-based clinic for three years and led a "
        "program teaching spacer technique to teachers; I want to train where that community work is part "
        "of residency."),
    "ito.txt": (
        "My grandfather's delirium after a hip fracture frightened our family more than the fracture. The "
        "psychiatrist who calmed him, and us, explained every step in plain words. Psychiatry draws me "
        "because it treats the person and the family together.\n\nAs a research assistant I screened "
        "inpatients for depression and learned how often it hides behind a physical complaint."),
}
EMAILS = {
    "thanks-lakeside.txt": (
        "Dear Dr. Morgan,\n\nThank you for meeting with me on Monday at Lakeside Medical Center. I especially "
        "appreciated hearing how your residents run the refugee health clinic, and our conversation about "
        "interpreter access has stayed with me.\n\nSincerely,\nKwame Adeyemi, MD\n"),
    "thanks-riverside.txt": (
        "Dear Dr. Patel,\n\nThank you for the interview on Thursday. The family medicine continuity clinic "
        "you described, with its own pharmacist and behavioral health team, is the model of care I hope to "
        "practise.\n\nBest regards,\nMariama Fofanah\n"),
    "thanks-harbor.txt": (
        "Dear Dr. Lee,\n\nI enjoyed learning about the neurology stroke service at Harbor County Hospital, "
        "especially the telestroke rotation for residents. Thank you for your time and for the tour of the "
        "new neuro ICU.\n\nKind regards,\nLars Eriksen\n"),
}


@pytest.fixture
def in_process(analyzer, monkeypatch):
    """The batch analyses with the session's Analyzer, in this process."""
    monkeypatch.setattr(batch, "build_analyzer", lambda options: analyzer)


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def rows(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))


def consistency(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "consistency.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_cohort_sorted_by_kind_raises_no_consistency_findings(tmp_path, in_process):
    root = tmp_path / "cohort"
    write(root / "explanations", EXPLANATIONS)
    write(root / "statements", STATEMENTS)
    write(root / "emails", EMAILS)
    out = tmp_path / "review"
    result = execute([str(root)], out, Options(grammar="off"), jobs=1)
    assert all(e.report is not None for e in result.entries)
    kinds = {Path(e.file).parent.name: set() for e in result.entries}
    for e in result.entries:
        kinds[Path(e.file).parent.name].add(e.report["kind"])
    assert "explanation" in kinds["explanations"]
    assert consistency(out) == []
    assert all(e.consistency == [] for e in result.entries)
    keys = {Path(r["file"]).name: (r["applicant"], r["applicant key"]) for r in rows(out)}
    assert keys["adeyemi.txt"] == ("", "none")  # a folder of many explanations is nobody's set
    assert keys["thanks-lakeside.txt"] == ("Kwame Adeyemi", "signature")
    assert keys["thanks-harbor.txt"] == ("Lars Eriksen", "signature")
    header = list(rows(out)[0])
    assert header.index("applicant key") > header.index("finding 3")  # a new column, at the end
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "(signature)" in html and "(none)" in html


def test_a_folder_per_applicant_still_finds_a_changed_score(tmp_path, in_process):
    root = tmp_path / "cohort"
    statement = (SAMPLES / "statement-strong.txt").read_text(encoding="utf-8")  # Step 2 CK: 239
    write(root / "adeyemi", {"explanation.txt": EXPLANATIONS["adeyemi.txt"], "statement.txt": statement,
                             "thanks-lakeside.txt": EMAILS["thanks-lakeside.txt"]})
    write(root / "banerjee", {"explanation.txt": EXPLANATIONS["banerjee.txt"]})
    out = tmp_path / "review"
    result = execute([str(root)], out, Options(grammar="off"), jobs=1)
    by_name = {Path(e.file).relative_to(root).as_posix(): e for e in result.entries}
    assert {f: (e.applicant, e.grouped_by) for f, e in by_name.items()} == {
        "adeyemi/explanation.txt": ("adeyemi", "folder"), "adeyemi/statement.txt": ("adeyemi", "folder"),
        "adeyemi/thanks-lakeside.txt": ("adeyemi", "folder"), "banerjee/explanation.txt": ("banerjee", "folder")}
    found = [f for f in consistency(out) if f["rule"] == "consistency.score"]
    assert {Path(f["file"]).name for f in found} == {"explanation.txt", "statement.txt"}
    assert {f["excerpt"] for f in found} == {"251", "239"}
    # results.jsonl now carries the consistency findings among each draft's findings, counted in its summary
    reports = {Path(r["file"]).relative_to(root).as_posix(): r
               for r in map(json.loads, (out / "results.jsonl").read_text(encoding="utf-8").splitlines())}
    explanation = reports["adeyemi/explanation.txt"]
    assert any(f["rule"] == "consistency.score" and f["category"] == "consistency"
               for f in explanation["findings"])
    assert explanation["summary"]["errors"] == sum(f["severity"] == "error" for f in explanation["findings"])
    starts = [f["start"] for f in explanation["findings"]]
    assert starts == sorted(starts)


def test_signatures_group_two_drafts_of_a_flat_folder(tmp_path, in_process):
    root = tmp_path / "flat"
    signed = EXPLANATIONS["dlamini.txt"].replace("238", "241") + "\n\nThandi Dlamini\n"
    write(root, {"dlamini-explanation.txt": signed, "thanks-harbor.txt": EMAILS["thanks-harbor.txt"],
                 "thanks-riverside.txt": EMAILS["thanks-riverside.txt"],
                 "dlamini-statement.txt": EXPLANATIONS["dlamini.txt"] + "\n\nSincerely,\nDr. Thandi Dlamini\n"})
    out = tmp_path / "review"
    result = execute([str(root)], out, Options(grammar="off"), jobs=1)
    keys = {Path(e.file).name: (e.applicant, e.grouped_by) for e in result.entries}
    assert keys["dlamini-explanation.txt"] == keys["dlamini-statement.txt"] == ("Thandi Dlamini", "signature")
    assert keys["thanks-riverside.txt"] == ("Mariama Fofanah", "signature")
    found = {(Path(f["file"]).name, f["excerpt"]) for f in consistency(out) if f["rule"] == "consistency.score"}
    assert found == {("dlamini-explanation.txt", "241"), ("dlamini-statement.txt", "238")}


def test_the_applicants_file_wins_and_takes_globs(tmp_path, in_process):
    root = tmp_path / "cohort"
    write(root / "explanations", {"a.txt": EXPLANATIONS["dlamini.txt"]})
    write(root / "statements", {"a.txt": EXPLANATIONS["dlamini.txt"].replace("238", "236")})
    write(root / "emails", {"thanks-harbor.txt": EMAILS["thanks-harbor.txt"]})
    listing = tmp_path / "applicants.csv"
    listing.write_text("file,applicant\nexplanations/a.txt,Thandi Dlamini\nstatements/*.txt,Thandi Dlamini\n",
                       encoding="utf-8")
    out = tmp_path / "review"
    result = run_cli("batch", str(root), "--out", str(out), "--jobs", "1", "--grammar", "off",
                     "--applicants", str(listing))
    assert result.returncode == 1, result.stderr.decode()  # the changed score is an error
    keys = {r["file"].split("cohort/")[1]: (r["applicant"], r["applicant key"]) for r in rows(out)}
    assert keys == {"explanations/a.txt": ("Thandi Dlamini", "applicants file"),
                    "statements/a.txt": ("Thandi Dlamini", "applicants file"),
                    "emails/thanks-harbor.txt": ("Lars Eriksen", "signature")}
    assert {f["excerpt"] for f in consistency(out) if f["rule"] == "consistency.score"} == {"238", "236"}
    manifest = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert {f["grouped_by"] for f in manifest["files"]} == {"applicants file", "signature"}


def test_a_bad_applicants_file_is_one_line(tmp_path):
    listing = tmp_path / "applicants.csv"
    listing.write_text("file,applicant\njust-a-file.txt\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text(EXPLANATIONS["eriksen.txt"], encoding="utf-8")
    result = run_cli("batch", str(tmp_path / "d.txt"), "--out", str(tmp_path / "out"),
                     "--applicants", str(listing))
    assert result.returncode == 2
    assert "line 2" in result.stderr.decode() and result.stderr.decode().count("\n") == 1


def test_group_by_none_and_folder_still_work(tmp_path, in_process):
    root = tmp_path / "cohort"
    write(root / "explanations", {"a.txt": EXPLANATIONS["dlamini.txt"],
                                  "b.txt": EXPLANATIONS["dlamini.txt"].replace("238", "236")})
    none = execute([str(root)], tmp_path / "none", Options(grammar="off"), jobs=1, group_by="none")
    assert {(e.applicant, e.grouped_by) for e in none.entries} == {("", "none")}
    forced = execute([str(root)], tmp_path / "folder", Options(grammar="off"), jobs=1, group_by="folder")
    assert {(e.applicant, e.grouped_by) for e in forced.entries} == {("explanations", "folder")}
    assert any(f["rule"] == "consistency.score" for e in forced.entries for f in e.consistency)


def test_batch_exit_codes(tmp_path, in_process):
    clean, errors, unreadable = tmp_path / "clean", tmp_path / "errors", tmp_path / "unreadable"
    write(clean, {"statement.txt": STATEMENTS["haddad.txt"]})
    write(errors, {"blames.txt": (SAMPLES / "explanation-blames.txt").read_text(encoding="utf-8")})
    shutil.copytree(errors, unreadable)
    (unreadable / "broken.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    codes = {}
    for folder in (clean, errors, unreadable):
        out = tmp_path / f"out-{folder.name}"
        codes[folder.name] = run_cli("batch", str(folder), "--out", str(out), "-j", "1", "--grammar", "off",
                                     "-q").returncode
        assert (out / "report.html").is_file() and (out / "summary.csv").is_file()  # written every time
    assert codes == {"clean": 0, "errors": 1, "unreadable": 2}


@pytest.mark.parametrize(("text", "name"), [
    ("Thank you.\n\nSincerely,\nMaria Fernanda Lozano, MD\nAAMC ID 14820357\n", "Maria Fernanda Lozano"),
    ("I learned to plan every week of study.\n\nPriya Raman\n", "Priya Raman"),
    ("Best regards,\nDr. José Núñez-O'Brien\njose@example.org\n", "José Núñez-O'Brien"),
    ("I hope to train in a program like yours.\nInternal Medicine Residency\n", None),
    ("Thanks,\nPriya\n", None),  # a first name alone is not a reliable key
    ("I failed Step 1.\nI passed Step 2 CK.\n", None),
    ("Sincerely,\nPriya Raman\nPGY-1 applicant in Internal Medicine\n", None),  # not the last line: unsure
])
def test_signature_names_are_read_conservatively(text, name):
    assert signature_name(text) == name


def test_email_format_json_gives_the_draft_recipient_window_and_report():
    result = run_cli("email", str(SAMPLES / "interviews" / "county-im.yaml"), "--to", "Reyes",
                     "--today", "2024-10-16", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert set(data) == {"draft", "recipient", "send_by", "report"}
    assert data["recipient"] == "Dr. Reyes" and data["draft"].startswith("Dear Dr. Reyes")
    assert isinstance(data["send_by"], list) and data["send_by"][0].startswith("Send by")
    report = data["report"]
    assert report["schema"] == 1 and report["kind"] == "email" and report["framework"] is None
    assert {"summary", "sentences", "findings", "metrics"} <= set(report)
    several = json.loads(run_cli("email", str(SAMPLES / "interviews" / "county-im.yaml"), "--today",
                                 "2024-10-16", "--format", "json").stdout)
    assert isinstance(several, list) and len(several) > 1
    assert all(set(d) == {"draft", "recipient", "send_by", "report"} for d in several)


def test_one_story_compares_the_interview_answer_with_the_explanation(tmp_path, in_process):
    """A folder per applicant: the interview answer (detected from its text) gives Step 2 CK as 241, the
    explanation as 243; both drafts are flagged at the numbers. Two interview answers are not one set."""
    root = tmp_path / "cohort"
    write(root / "okafor", {"explanation.txt": (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8"),
                            "interview.txt": (SAMPLES / "interview-good.txt").read_text(encoding="utf-8")})
    write(root / "answers", {"a.txt": (SAMPLES / "interview-good.txt").read_text(encoding="utf-8"),
                             "b.txt": (SAMPLES / "interview-rambles.txt").read_text(encoding="utf-8")})
    out = tmp_path / "review"
    result = execute([str(root)], out, Options(grammar="off"), jobs=1)
    entries = {Path(e.file).relative_to(root).as_posix(): e for e in result.entries}
    assert entries["okafor/interview.txt"].report["kind"] == "interview"
    assert entries["okafor/explanation.txt"].report["kind"] == "explanation"
    assert entries["okafor/interview.txt"].grouped_by == "folder"
    assert {e.grouped_by for f, e in entries.items() if f.startswith("answers/")} == {"none"}
    found = {(Path(f["file"]).name, f["excerpt"]) for f in consistency(out) if f["rule"] == "consistency.score"}
    assert found == {("explanation.txt", "243"), ("interview.txt", "241")}
    assert not any(f["file"].startswith(str(root / "answers")) for f in consistency(out)
                   if f["rule"] != "consistency.shared-passage")  # a.txt is a copy of okafor's answer


def test_a_broken_signature_pattern_in_the_rubrics_is_one_line(tmp_path, in_process):
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    (rubrics / "consistency.yaml").write_text("applicant_key:\n  contact: '(unclosed'\n", encoding="utf-8")
    write(tmp_path / "drafts", {"a.txt": STATEMENTS["ito.txt"]})
    result = run_cli("batch", str(tmp_path / "drafts"), "--out", str(tmp_path / "out"), "-j", "1",
                     "--rubrics", str(rubrics))
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1, err
    assert "applicant_key.contact" in err and "consistency.yaml" in err


def test_versions_of_a_draft_in_one_applicants_folder_are_that_applicants(tmp_path, in_process):
    root = tmp_path / "cohort"
    good = (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8")  # Step 2 CK: 243
    statement = (SAMPLES / "statement-strong.txt").read_text(encoding="utf-8")  # Step 2 CK: 239
    write(root / "Santos_Ana", {"explanation_v1.txt": (SAMPLES / "explanation-blames.txt").read_text("utf-8"),
                                "explanation_v2.txt": good, "explanation_v3_final.txt": good,
                                "PS.txt": statement})
    out = tmp_path / "review"
    result = execute([str(root)], out, Options(grammar="off"), jobs=1)
    assert {(e.applicant, e.grouped_by) for e in result.entries} == {("Santos_Ana", "folder")}
    assert result.shared_passages == []  # v2 and v3 are one applicant's, not copied from another
    found = {(Path(f["file"]).name, f["message"]) for f in consistency(out)}
    assert found == {("PS.txt", "This draft gives Step 2 CK as 239; Santos_Ana/explanation_v3_final.txt gives 243."),
                     ("explanation_v3_final.txt", "This draft gives Step 2 CK as 243; Santos_Ana/PS.txt gives 239.")}
    manifest = {Path(f["file"]).name: f for f in json.loads((out / "batch.json").read_text("utf-8"))["files"]}
    assert manifest["explanation_v1.txt"]["superseded_by"] == "Santos_Ana/explanation_v3_final.txt"
    assert "superseded_by" not in manifest["PS.txt"]


@pytest.mark.parametrize("group_by", ["applicant", "folder"])
def test_the_applicant_is_the_folder_that_holds_the_drafts(tmp_path, in_process, group_by):
    root = tmp_path / "cohorts"
    patel, khan = root / "2025" / "cohortA" / "patel_raj", root / "2025" / "cohortA" / "khan_ayesha"
    write(patel, {"expl.txt": EXPLANATIONS["adeyemi.txt"], "ps.txt": STATEMENTS["haddad.txt"]})
    write(khan, {"expl.txt": EXPLANATIONS["dlamini.txt"],
                 "ps.txt": (SAMPLES / "statement-strong.txt").read_text(encoding="utf-8")})  # 239
    out = tmp_path / "review"
    result = execute([str(root)], out, Options(grammar="off"), jobs=1, group_by=group_by)
    keys = {Path(e.file).relative_to(root).as_posix(): e.applicant for e in result.entries}
    assert keys == {"2025/cohortA/patel_raj/expl.txt": "2025/cohortA/patel_raj",
                    "2025/cohortA/patel_raj/ps.txt": "2025/cohortA/patel_raj",
                    "2025/cohortA/khan_ayesha/expl.txt": "2025/cohortA/khan_ayesha",
                    "2025/cohortA/khan_ayesha/ps.txt": "2025/cohortA/khan_ayesha"}
    scores = [f for f in consistency(out) if f["rule"] == "consistency.score"]
    assert {f["message"] for f in scores} == {
        "This draft gives Step 2 CK as 238; 2025/cohortA/khan_ayesha/ps.txt gives 239.",
        "This draft gives Step 2 CK as 239; 2025/cohortA/khan_ayesha/expl.txt gives 238."}


def test_folders_named_for_a_kind_of_draft_belong_to_the_applicant_above_them(tmp_path, in_process):
    root = tmp_path / "cohort"
    khan = root / "khan_ayesha"
    write(khan / "explanation", {"expl.txt": EXPLANATIONS["dlamini.txt"]})  # 238
    write(khan / "Personal Statement", {"ps.txt": (SAMPLES / "statement-strong.txt").read_text(encoding="utf-8")})
    out = tmp_path / "review"
    result = execute([str(root)], out, Options(grammar="off"), jobs=1)
    assert {e.applicant for e in result.entries} == {"khan_ayesha"}
    scores = [f for f in consistency(out) if f["rule"] == "consistency.score"]
    assert {f["message"] for f in scores} == {
        "This draft gives Step 2 CK as 238; khan_ayesha/Personal Statement/ps.txt gives 239.",
        "This draft gives Step 2 CK as 239; khan_ayesha/explanation/expl.txt gives 238."}


@pytest.mark.parametrize("signed", ["Maria Garcia", "María García, MD", "GARCIA, Maria", "Dr. Maria Garcia, MD",
                                    "Maria Garcia MD", "Garcia, Maria, MD, MPH"])
def test_one_person_however_the_name_is_written_is_one_key(signed):
    from coach.batch.applicants import name_key

    name = signature_name(f"Thank you for your time.\n\nSincerely,\n{signed}\n")
    assert name is not None and name_key(name) == name_key("Maria Garcia") == name_key("Garcia_Maria")


def test_file_names_group_an_unsigned_draft_with_the_same_persons(tmp_path, in_process):
    root = tmp_path / "flat"
    good = (SAMPLES / "explanation-good.txt").read_text(encoding="utf-8")  # Step 2 CK: 243
    statement = (SAMPLES / "statement-strong.txt").read_text(encoding="utf-8")  # Step 2 CK: 239
    write(root, {"Garcia_Maria_explanation.txt": good + "\n\nSincerely,\nMaría García, MD\n",
                 "garcia maria - PS final.txt": statement,  # unsigned: its file name tells
                 "GARCIA_MARIA_thanks.txt": EMAILS["thanks-harbor.txt"].replace("Lars Eriksen", "GARCIA, Maria"),
                 "patel rajesh expl v2.txt": EXPLANATIONS["banerjee.txt"],  # another person: never grouped
                 "Patel_Raj_statement.txt": STATEMENTS["ito.txt"]})
    out = tmp_path / "review"
    result = execute([str(root)], out, Options(grammar="off"), jobs=1)
    keys = {Path(e.file).name: (e.applicant, e.grouped_by) for e in result.entries}
    assert keys["Garcia_Maria_explanation.txt"] == keys["GARCIA_MARIA_thanks.txt"] == ("María García", "signature")
    assert keys["garcia maria - PS final.txt"] == ("María García", "file name")
    assert keys["patel rajesh expl v2.txt"] == keys["Patel_Raj_statement.txt"] == ("", "none")
    found = {(Path(f["file"]).name, f["excerpt"]) for f in consistency(out) if f["rule"] == "consistency.score"}
    assert found == {("Garcia_Maria_explanation.txt", "243"), ("garcia maria - PS final.txt", "239")}


def test_the_applicants_file_matches_in_any_case_and_names_a_row_that_matches_nothing(tmp_path, in_process):
    root = tmp_path / "cohort"
    write(root / "Explanations", {"Dlamini.TXT": EXPLANATIONS["dlamini.txt"]})
    write(root / "statements", {"dlamini.txt": EXPLANATIONS["dlamini.txt"].replace("238", "236")})
    listing = tmp_path / "applicants.csv"
    listing.write_text("file,applicant\nexplanations/dlamini.txt,Thandi Dlamini\nSTATEMENTS/*,Thandi Dlamini\n"
                       "statments/okafor.txt,Chidi Okafor\n", encoding="utf-8")
    out = tmp_path / "review"
    result = run_cli("batch", str(root), "--out", str(out), "--jobs", "1", "--grammar", "off", "-q",
                     "--applicants", str(listing))
    assert {(r["applicant"], r["applicant key"]) for r in rows(out)} == {("Thandi Dlamini", "applicants file")}
    assert {f["excerpt"] for f in consistency(out) if f["rule"] == "consistency.score"} == {"238", "236"}
    [warning] = [line for line in result.stderr.decode().splitlines() if "okafor" in line]
    assert f"{listing}: line 4:" in warning and "statments/okafor.txt" in warning


def test_the_report_lists_a_shared_passage_at_the_drafts_real_paths(tmp_path, in_process):
    template = ("Throughout my clinical rotations I have developed a deep appreciation for the way that careful "
                "listening, honest communication and steady follow-up allow physicians to earn the trust of "
                "patients who have every reason to doubt the health system.")
    root = tmp_path / "flat"
    write(root / "inbox", {"first.txt": f"I grew up in a small town.\n\n{template}\n\nSincerely,\nAna Lopez\n",
                           "second.txt": f"My mother is a nurse.\n\n{template}\n\nSincerely,\nBen Osei\n"})
    out = tmp_path / "review"
    execute([str(root)], out, Options(grammar="off"), jobs=1)
    page = (out / "report.html").read_text(encoding="utf-8")
    section = page[page.index("Passages shared"):]
    assert ">inbox/first.txt</a>" in section and ">inbox/second.txt</a>" in section
    assert "Ana Lopez/first.txt" not in page
