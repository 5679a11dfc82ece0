"""Whose draft is this? The applicant key each draft of a batch is grouped by, for the cross-draft checks.

Advisors keep a cohort either as a folder per applicant (`priya/explanation.txt`, `priya/statement.docx`)
or sorted by kind (`explanations/`, `statements/`, `emails/`, each holding many people's drafts). Grouping
by folder alone takes a folder of the second kind for one applicant and floods the report with false
"this draft says ...; that one says ..." findings, so each draft's key is chosen, in this order, from:

1. `applicants file`: a CSV given with `--applicants` mapping a file (its path relative to the batch root,
   or a glob, in any case) to an applicant's name. It wins whenever it names the file.
2. `folder`: the folder that holds the draft (the deepest one: `2025/cohortA/patel_raj`), when that folder
   looks like one applicant's set: at most one explanation, one personal statement and one interview answer
   (any number of emails; versions of one draft, `explanation_v1` and `explanation_v2_final`, count as
   one), at least one draft that is not an email (an `emails/` folder's notes are told apart by their
   signatures), and no two different signature names.
   With `--group-by folder` every folder that holds drafts is one applicant.
3. `signature`: the name a draft is signed with — the line after a sign-off ("Sincerely,") or a bare name on
   the last line. Conservative: two to four capitalised words, no word that names a place, program or exam.
   The patterns and word lists are the `applicant_key` section of rubrics/consistency.yaml.
4. `file name`: for an unsigned draft, the two name-like words its file name starts with
   (`Garcia_Maria_explanation.txt`, `garcia maria - PS final.txt`), only when other drafts in its folder
   start with the same words and together they look like one applicant's set (as for a folder).
5. `none`: no reliable key; the draft gets no cross-draft findings.

Names are one key however they are written: accents, case, a title or credentials, "GARCIA, Maria"
(`name_key`).

Pure: entries (with their reports and texts) in, `applicant` and `grouped_by` set on each.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from ..errors import CoachError, RubricError
from ..rubric import load_rubric
from ..yamlio import line_of

if TYPE_CHECKING:
    from .model import Entry

# What the report says grouped each draft.
BY_FILE, BY_FOLDER, BY_SIGNATURE, BY_FILE_NAME, BY_NONE = \
    "applicants file", "folder", "signature", "file name", "none"
GROUP_BY = ("applicant", "folder", "none")  # --group-by: the keys above in order; folders only; no grouping
ONE_PER_APPLICANT = ("explanation", "personal_statement", "interview")  # kinds an applicant writes once

SECTION = "applicant_key"  # the rubrics/*.yaml key (rubrics/consistency.yaml) holding the signature's patterns


class Listed(NamedTuple):
    """One row of an --applicants CSV."""

    pattern: str  # a path under the batch folder, or a glob
    applicant: str
    line: int
    source: str  # the CSV's path


@dataclass(frozen=True)
class SignatureRules:
    """The `applicant_key` section of the rubric, checked and compiled."""

    sign_off: re.Pattern[str]
    contact: re.Pattern[str]
    title: re.Pattern[str]
    credentials: re.Pattern[str]
    particles: frozenset[str]
    credential_words: frozenset[str]
    not_name: frozenset[str]
    bare_name_after_words: int
    bare_name_max_words: int
    version_marks: re.Pattern[str]
    latest_marks: re.Pattern[str]
    kind_folders: frozenset[str]


def signature_rules(rubric_dir: str | Path | None = None) -> SignatureRules:
    """The shipped `applicant_key` settings with `rubric_dir` laid over them; a problem is one RubricError."""
    return _rules(str(rubric_dir) if rubric_dir else None)


@lru_cache(maxsize=8)
def _rules(rubric_dir: str | None) -> SignatureRules:
    rubric = load_rubric(rubric_dir)
    section = rubric.settings.get(SECTION)
    where = next((f for f in reversed(rubric.files) if Path(f).name == "consistency.yaml"),
                 rubric.files[-1] if rubric.files else "rubrics")

    def fail(key: str, problem: str) -> RubricError:
        return RubricError(where, line_of(section, key) if isinstance(section, dict) else None,
                           f"{SECTION}.{key}" if key else SECTION, problem)

    if not isinstance(section, dict):
        raise fail("", "is missing or is not a mapping")
    missing = sorted({f.name for f in fields(SignatureRules)} - set(section))
    if missing:
        raise fail(missing[0], "is required")

    def regex(key: str) -> re.Pattern[str]:
        value = section[key]
        value = "".join(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
        if not isinstance(value, str) or not value:
            raise fail(key, "must be a regular expression (or a list of strings joined together)")
        try:
            return re.compile(value)
        except re.error as exc:
            raise fail(key, f"is not a valid regular expression ({exc})") from None

    def words(key: str) -> frozenset[str]:
        value = section[key]
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise fail(key, "must be a list of lower-case words")
        return frozenset(w.lower() for w in value)

    def number(key: str) -> int:
        value = section[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise fail(key, "must be a whole number of at least 1")
        return value

    return SignatureRules(sign_off=regex("sign_off"), contact=regex("contact"), title=regex("title"),
                          credentials=regex("credentials"), particles=words("particles"),
                          credential_words=words("credential_words"),
                          not_name=words("not_name"), bare_name_after_words=number("bare_name_after_words"),
                          bare_name_max_words=number("bare_name_max_words"),
                          version_marks=regex("version_marks"), latest_marks=regex("latest_marks"),
                          kind_folders=words("kind_folders"))


def signature_name(text: str, rules: SignatureRules | None = None) -> str | None:
    """The name a draft is signed with, as written (credentials and title left out), or None."""
    rules = rules or signature_rules()
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    tail = lines[-6:]
    while tail and rules.contact.search(tail[-1]) and not rules.sign_off.match(tail[-1]):
        tail.pop()  # contact lines under the name
    if len(tail) < 2:
        return None
    for i in range(len(tail) - 2, -1, -1):
        if rules.sign_off.match(tail[i]):
            name = _name(tail[i + 1], rules)
            return name if name and i + 2 == len(tail) else None
    last, before = tail[-1], tail[-2]
    if before.endswith((".", "!", "?", "\u201d", '"')) and len(before.split()) >= rules.bare_name_after_words:
        name = _name(last, rules)
        if name and len(name.split()) <= rules.bare_name_max_words:
            return name
    return None


def _name(line: str, rules: SignatureRules) -> str | None:
    line = rules.title.sub("", line.strip().rstrip(","))
    line = rules.credentials.sub("", _given_name_first(line, rules)).strip()
    words = line.split()
    while words and _credential(words[-1], rules):  # "Maria Garcia MD", with no comma
        words.pop()
    line = " ".join(words)
    if not 3 <= len(line) <= 50:
        return None
    if not 2 <= len(words) <= 4 or not all(_name_word(w, rules.particles) for w in words) \
            or all(_capitals(w) for w in words):  # a heading in capitals, not a name
        return None
    if sum(1 for w in words if len(w) > 2 and w[0].isupper()) < 2:  # at least a given name and a family name
        return None
    if any(w.lower().strip(".") in rules.not_name for w in words):
        return None
    return line


def _given_name_first(line: str, rules: SignatureRules) -> str:
    """"GARCIA, Maria" (family name, comma, given name) as "Maria GARCIA"; any other line as it is. What
    follows a comma is a given name only when it reads as one: capitalised words, no credential."""
    family, *rest = [part.strip() for part in line.split(",")]
    if not rest or not 1 <= len(family.split()) <= 2:
        return line
    given = rest[0].split()
    if not 1 <= len(given) <= 2 or any(_capitals(w) or _credential(w, rules) or w.lower() in rules.not_name
                                       or not _name_word(w, rules.particles) for w in given):
        return line
    return ", ".join([f"{rest[0]} {family}", *rest[1:]])


def _name_word(word: str, particles: frozenset[str]) -> bool:
    """A capitalised word of letters (hyphens and apostrophes inside; all capitals too, as in "GARCIA"), an
    initial, or a particle (van, de)."""
    if word in particles or (len(word) == 2 and word[0].isupper() and word[1] == "."):
        return True
    letters = word.replace("-", "").replace("'", "").replace("\u2019", "")
    return bool(letters) and letters.isalpha() and word[0].isupper()


def _capitals(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _credential(word: str, rules: SignatureRules) -> bool:
    return re.sub(r"[^a-z]", "", word.lower()) in rules.credential_words


def name_key(name: str) -> str:
    """The same person however the name is cased, accented, punctuated or ordered ("María García",
    "GARCIA, Maria" and "Garcia_Maria" are one key)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    return " ".join(sorted(re.findall(r"[^\W\d_]+", folded)))


def read_applicants_file(path: str) -> list[Listed]:
    """(file path or glob, applicant) rows of an --applicants CSV; a first row of `file,applicant` (or
    `path,...`) is a header. A problem is one CoachError naming the file and line."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise CoachError(f"{path}: cannot read the applicants file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise CoachError(f"{path}: the applicants file is not UTF-8 text") from None
    except csv.Error as exc:
        raise CoachError(f"{path}: not a CSV file ({exc})") from None
    out = []
    for number, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower() in ("file", "path", "files", "paths", "draft"):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise CoachError(f"{path}: line {number}: give a file (or a glob) and an applicant's name, "
                             "separated by a comma")
        out.append(Listed(cells[0].replace("\\", "/"), cells[1], number, path))
    if not out:
        raise CoachError(f"{path}: the applicants file names no drafts")
    return out


def _listed(entry: Entry, rows: list[Listed], used: set[int]) -> str | None:
    """The applicant the first row naming this draft gives (paths and globs in any case); `used` collects
    the lines of the rows that named a draft."""
    rel = (entry.relpath or Path(entry.file).as_posix()).lower()
    full = Path(entry.file).as_posix().lower()
    for row in rows:
        pattern = row.pattern.removeprefix("./").lower()
        if pattern in (rel, full) or fnmatchcase(rel, pattern) or fnmatchcase(full, pattern):
            used.add(row.line)
            return row.applicant
    return None


def assign_applicants(entries: list[Entry], group_by: str = "applicant", listed: list[Listed] | None = None,
                      rubric_dir: str | Path | None = None) -> list[Listed]:
    """Set each entry's `applicant` and `grouped_by` (see the module's docstring); signatures are read with
    the `applicant_key` settings of the shipped rubrics with `rubric_dir` laid over them. Returns the rows
    of `listed` that named no draft."""
    rules = signature_rules(rubric_dir) if group_by != "none" else None
    signs = group_by == "applicant"
    names = {id(e): signature_name(e.text, rules) if rules and signs and e.text else None for e in entries}
    folders: dict[str, list[Entry]] = defaultdict(list)
    held_by = {id(e): applicant_folder(e.folder, rules) if signs else e.folder for e in entries}
    for entry in entries:
        if held_by[id(entry)]:
            folders[held_by[id(entry)]].append(entry)
    accepted = {folder for folder, members in folders.items()
                if group_by == "folder" or (group_by == "applicant" and _one_applicant(members, names, rules))}
    display: dict[str, str] = {}
    for name in sorted(filter(None, names.values()), key=lambda n: any(_capitals(w) for w in n.split())):
        display.setdefault(name_key(name), name)  # "María García" rather than "Maria GARCIA"
    named_files = _file_name_people(entries, names, rules) if rules and signs else {}
    used: set[int] = set()
    for entry in entries:
        applicant = _listed(entry, listed, used) if listed else None
        if applicant:
            entry.applicant, entry.grouped_by = applicant, BY_FILE
        elif group_by != "none" and held_by[id(entry)] in accepted:
            entry.applicant, entry.grouped_by = held_by[id(entry)], BY_FOLDER
        elif group_by == "applicant" and names[id(entry)]:
            entry.applicant, entry.grouped_by = display[name_key(names[id(entry)] or "")], BY_SIGNATURE
        elif id(entry) in named_files:
            person = named_files[id(entry)]
            entry.applicant, entry.grouped_by = display.setdefault(name_key(person), person), BY_FILE_NAME
        else:
            entry.applicant, entry.grouped_by = "", BY_NONE
    if rules:
        _mark_versions(entries, rules)
    return [row for row in listed or [] if row.line not in used]


def applicant_folder(folder: str, rules: SignatureRules | None) -> str:
    """The folder that is an applicant's: the one holding the draft, or, when that folder is named for a kind
    of draft (`lopez_ana/explanation/`, `lopez_ana/emails/`), the one above it ("" at the batch folder)."""
    path = PurePosixPath(folder)
    while rules is not None and path.parts and path.name.lower() in rules.kind_folders:
        path = path.parent
    return "" if str(path) == "." else str(path)


def _file_name_people(entries: list[Entry], names: dict[int, str | None],
                      rules: SignatureRules) -> dict[int, str]:
    """id(entry) → the person its file name starts with, for unsigned drafts whose folder holds other
    drafts starting with the same two name-like words (`Garcia_Maria_explanation.txt`, `garcia maria - PS
    final.txt`) that together look like one applicant's set (as for a folder)."""
    people: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        person = file_name_person(entry, rules)
        if person:
            people[(str(Path(entry.file).parent), name_key(person))].append(entry)
    out: dict[int, str] = {}
    for members in people.values():
        if len(members) > 1 and _one_applicant(members, names, rules):
            person = file_name_person(members[0], rules) or ""
            out.update({id(e): person.title() for e in members if not names[id(e)]})
    return out


def file_name_person(entry: Entry, rules: SignatureRules) -> str | None:
    """The two name-like words a file name starts with, followed by what the draft is
    (`Garcia_Maria_explanation` → `Garcia Maria`), or None (`thanks-lakeside`, `explanation_v2`)."""
    words = [w for w in re.split(r"[\W_]+", Path(entry.file).stem) if w]
    if len(words) < 3:
        return None
    first = words[:2]
    if any(not w.isalpha() or len(w) < 2 or w.lower() in rules.not_name or _credential(w, rules)
           or rules.version_marks.fullmatch(w) for w in first):
        return None
    return " ".join(first)


def _one_applicant(members: list[Entry], names: dict[int, str | None], rules: SignatureRules | None) -> bool:
    """Does this folder hold one applicant's set of drafts? Versions of one draft (`explanation_v1`,
    `explanation_v2_final`) count as one draft."""
    kinds = Counter(kind for kind, _ in {(e.report.get("kind", ""), draft_name(e, rules) if rules else e.file)
                                         for e in members if e.report is not None})
    if any(kinds[k] > 1 for k in ONE_PER_APPLICANT):
        return False
    signed = {name_key(n) for e in members if (n := names[id(e)])}
    if len(signed) > 1:
        return False
    return any(k != "email" for k in kinds)  # a folder of emails only: their signatures tell


def draft_name(entry: Entry, rules: SignatureRules) -> str:
    """The draft a file is a version of: its name without version marks (`explanation_v3_final` →
    `explanation`), in lower case; the whole name when nothing else is left (`1.txt`, `draft.txt`)."""
    stem = Path(entry.file).stem.lower()
    name = " ".join(re.findall(r"[^\W\d_]+", rules.version_marks.sub(" ", stem)))
    return name or stem


def _version_rank(entry: Entry, rules: SignatureRules) -> tuple[bool, int, str]:
    """Later versions rank higher: one marked final (or latest), then the highest version number."""
    stem = Path(entry.file).stem.lower()
    marks = " ".join(m.group() for m in rules.version_marks.finditer(stem))
    numbers = [int(n) for n in re.findall(r"\d+", marks)]
    return bool(rules.latest_marks.search(marks)), max(numbers, default=0), entry.relpath or entry.file


def _mark_versions(entries: list[Entry], rules: SignatureRules) -> None:
    """Within each applicant, every version of a draft but the latest gets `superseded_by`: the applicant's
    story is checked on the latest explanation, statement and interview answer. Versions are side by side
    in one folder (`statements/a.txt` and `explanations/a.txt` are two drafts)."""
    versions: dict[tuple[str, str, str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        kind = (entry.report or {}).get("kind", "")
        if entry.applicant and kind in ONE_PER_APPLICANT:
            place = str(Path(entry.file).parent)
            versions[(entry.applicant, place, kind, draft_name(entry, rules))].append(entry)
    for group in versions.values():
        latest = max(group, key=lambda e: _version_rank(e, rules))
        for entry in group:
            entry.superseded_by = "" if entry is latest else (latest.relpath or latest.file)
