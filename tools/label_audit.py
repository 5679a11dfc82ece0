"""Audit the training labels: sentences whose out-of-fold score contradicts their label are judged again by
two adjudicators who see neither the labels nor the scores, mixed with as many random controls; a label
changes only when both adjudicators disagree with it as the model does (three readings against one).

    .venv/bin/python tools/label_audit.py disputes DIR   # 5-fold scores by draft -> DIR/disputes.json
    .venv/bin/python tools/label_audit.py packet DIR     # disputes + controls -> DIR/packet.yaml, DIR/key.json
    # two adjudicators, from a description of the domain, write DIR/a/labels.yaml and DIR/b/labels.yaml:
    #   labels: [{case: c001, sentence: 3, flags: [excuse]}, {case: c002, sentence: 2, nrmp: error}, ...]
    .venv/bin/python tools/label_audit.py apply DIR [--write]   # agreement on controls, the changes

A disputed sentence of a whole draft gets the adjudicators' flag (or loses it); a disputed single example
(exemplars/flags_*.yaml) is dropped. Emails keep `compliant` true to their sentences. Fixed seed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

EXEMPLARS = ROOT / "rubrics" / "exemplars"
AUDITED = ("blame_or_excuse", "oversharing", "vague_growth", "nrmp_error")  # heads or groups of flags.yaml
# disputed: a negative the out-of-fold head scores HIGH or more (0.9 unless given), a positive LOW or less
HIGH, LOW = {"vague_growth": 0.8}, 0.1
CONTROLS = {"explanation flagged": 55, "explanation unflagged": 55, "email error": 12, "email none": 13, "single": 25}


def _training():
    from coach.roles.training import load_training
    from coach.rubric import load_rubric
    from coach.settings import settings_of
    settings = settings_of(load_rubric()).flags
    return settings, load_training(settings.names)


def disputes(folder: Path) -> None:
    import flags_eval

    from coach.roles.encoder import load_encoder
    from coach.roles.training import read_with_words
    settings, data = _training()
    texts = data.all_texts()
    index = {t: i for i, t in enumerate(texts)}
    vectors = load_encoder().encode(texts)
    where = {}
    for e in data.drafts:
        for i, t in enumerate(e.texts):
            where.setdefault(t, (e.id, i, e.roles[i]))
    out = []
    for flag in AUDITED:
        labelled = data.labelled(flag, settings.group_members)
        read = read_with_words(lambda ts: vectors[[index[t] for t in ts]], settings.words.get(flag, 0.0))
        roles = settings.roles.get(flag, ())
        scores, gold, in_draft, rows = flags_eval.cv_scores(
            labelled, read, settings.l2_flags, flag in settings.with_neighbours, 5, settings.hidden.get(flag, 0), roles)
        for score, label, drafted, text in zip(scores, gold, in_draft, rows):
            kind = _disputed(float(score), int(label), HIGH.get(flag, 0.9))
            place = where.get(text) if drafted else None
            if kind and not (roles and place and place[2] not in roles):
                out.append({"flag": flag, "kind": kind, "score": round(float(score), 3), "text": text,
                            "where": list(place[:2]) if place else None})
    (folder / "disputes.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(Counter((x["flag"], x["kind"]) for x in out))


def _disputed(score: float, label: int, high: float) -> str | None:
    if label == 0 and score >= high:
        return "unflagged_high"
    if label == 1 and score <= LOW:
        return "flagged_low"
    return None


def packet(folder: Path) -> None:
    rng = random.Random(36)
    _, data = _training()
    found = json.loads((folder / "disputes.json").read_text(encoding="utf-8"))
    judged: dict[str, set[int]] = {}
    singles = {x["text"] for x in found if not x["where"]}
    for x in found:
        if x["where"]:
            judged.setdefault(x["where"][0], set()).add(x["where"][1])
    for draft, i in _controls(data, judged, rng):
        judged.setdefault(draft, set()).add(i)
    examples = sorted({t for pos, neg in data.flag_examples.values() for t in (*pos, *neg)} - singles)
    singles |= set(rng.sample(examples, CONTROLS["single"]))
    items = [("draft", d) for d in judged] + [("single", t) for t in sorted(singles)]
    rng.shuffle(items)
    drafts, emails = {e.id: e for e in data.drafts}, {e.id for e in data.emails}
    nrmp = {t for f, (pos, neg) in data.flag_examples.items() if f.startswith("nrmp") for t in (*pos, *neg)}
    cases, key = [], {}
    for n, (what, x) in enumerate(items, 1):
        case = f"c{n:03d}"
        if what == "draft":
            kind, texts, judge = ("email" if x in emails else "explanation"), drafts[x].texts, sorted(judged[x])
        else:
            kind, texts, judge = f"{'email' if x in nrmp else 'explanation'} sentence, judged alone", (x,), [0]
        cases.append({"case": case, "kind": kind, "sentences": [f"{i + 1}. {t}" for i, t in enumerate(texts)],
                      "judge": [i + 1 for i in judge]})
        key[case] = {what: x}
    (folder / "packet.yaml").write_text(yaml.safe_dump({"cases": cases}, allow_unicode=True, sort_keys=False,
                                                       width=1000), encoding="utf-8")
    (folder / "key.json").write_text(json.dumps(key, indent=1), encoding="utf-8")
    print(f"{len(cases)} cases, {sum(len(c['judge']) for c in cases)} sentences to judge")


def _controls(data, judged: dict[str, set[int]], rng: random.Random) -> list[tuple[str, int]]:
    """Random sentences of whole drafts, flagged and not, that are not disputed."""
    def pick(drafts, keep, n):
        rows = [(e.id, i) for e in drafts for i, f in enumerate(e.flags)
                if keep(i, f) and i not in judged.get(e.id, ())]
        return rng.sample(rows, n)
    return [*pick(data.explanations, lambda i, f: bool(f), CONTROLS["explanation flagged"]),
            *pick(data.explanations, lambda i, f: not f, CONTROLS["explanation unflagged"]),
            *pick(data.emails, lambda i, f: "nrmp_error" in f, CONTROLS["email error"]),
            *pick(data.emails, lambda i, f: not f and i > 0, CONTROLS["email none"])]


def positive(labels: frozenset[str] | set[str], members: tuple[str, ...]) -> bool:
    """Whether a sentence's flags carry one of an audited head's (or group's) flags."""
    return bool(set(labels) & set(members))


def changes(label: bool, first: bool, second: bool) -> bool:
    """A disputed label changes only when both adjudicators disagree with it (the model already does)."""
    return first != label and second != label


def apply(folder: Path, write: bool) -> None:
    chosen = decisions(folder)
    if write:
        _write(chosen)


def decisions(folder: Path) -> list[tuple]:
    """The labels the audit in `folder` changes in the exemplars as they stand (printing the adjudicators'
    agreement on the controls): (place, flags, kind, first reading, second reading)."""
    settings, data = _training()
    key = json.loads((folder / "key.json").read_text(encoding="utf-8"))
    cases = {c["case"]: c for c in yaml.safe_load((folder / "packet.yaml").read_text(encoding="utf-8"))["cases"]}
    a, b = _labels(folder / "a" / "labels.yaml"), _labels(folder / "b" / "labels.yaml")
    at = {_place(key[c], j): (c, j) for c in cases for j in cases[c]["judge"]}
    found = json.loads((folder / "disputes.json").read_text(encoding="utf-8"))
    disputed: dict[tuple, list[dict]] = {}
    for x in found:
        item = {"draft": x["where"][0]} if x["where"] else {"single": x["text"]}
        disputed.setdefault(_place(item, x["where"][1] + 1 if x["where"] else 1), []).append(x)
    original = {(e.id, i): flags for e in data.drafts for i, flags in enumerate(e.flags)}
    for flag, (pos, _) in data.flag_examples.items():  # a single example: the flags it is a positive of
        for text in pos:
            original[("single", text)] = original.get(("single", text), frozenset()) | {flag}
    members = {flag: settings.group_members.get(flag, (flag,)) for flag in AUDITED}
    controls = {k: v for k, v in at.items() if k not in disputed and k[0] != "single"}
    _agreement(controls, original, (a, b), members, {e.id for e in data.emails})
    examples = {t for pos, neg in data.flag_examples.values() for t in (*pos, *neg)}
    chosen = []
    for place, xs in disputed.items():
        if place[0] == "single" and place[1] not in examples:
            continue  # an example already dropped
        first, second = a.get(at[place]), b.get(at[place])
        for x in xs:
            flag = members[x["flag"]]
            if first is not None and second is not None and changes(
                    positive(original.get(place, frozenset()), flag), positive(first, flag), positive(second, flag)):
                chosen.append((place, flag, x["kind"], first, second))
    print("changed", Counter((f, k) for _, f, k, _, _ in chosen), "of", Counter((x["flag"], x["kind"]) for x in found))
    return chosen


def _place(item: dict, sentence: int) -> tuple:
    return (item["draft"], sentence - 1) if "draft" in item else ("single", item["single"])


def _labels(path: Path) -> dict[tuple[str, int], frozenset[str]]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["labels"]
    return {(r["case"], int(r["sentence"])): _labels_of(r) for r in rows}


def _labels_of(row: dict) -> frozenset[str]:
    """An adjudicator's label as flags: an explanation sentence's list, or an email's nrmp (error: nrmp_error)."""
    from coach.roles.training import NRMP_LABELS
    return frozenset(row["flags"] or []) if "flags" in row else NRMP_LABELS[row["nrmp"]]


def _agreement(controls: dict, original: dict, adjudicators: tuple[dict, dict], members: dict[str, tuple[str, ...]],
               emails: set[str]) -> None:
    """How often each adjudicator, and the two together, agree with the labels on the random controls."""
    agree, total = Counter(), Counter()
    a, b = adjudicators
    for place, case in controls.items():
        email = place[0] in emails
        for name, flag in members.items():
            if (name == "nrmp_error") != email:
                continue
            pairs = {"a": (a[case], original[place]), "b": (b[case], original[place]), "a-b": (a[case], b[case])}
            for who, (x, y) in pairs.items():
                total[(who, name)] += 1
                agree[(who, name)] += positive(x, flag) == positive(y, flag)
    for k in sorted(total):
        print(f"controls, {k[0]} agrees on {k[1]}: {agree[k]} of {total[k]}")


def _write(chosen: list) -> None:
    by_place: dict[tuple, list] = {}
    for place, flag, kind, first, second in chosen:
        by_place.setdefault(place, []).append((flag, kind, first, second))
    for path in sorted(EXEMPLARS.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        new = _rewrite(text, by_place, path.name.startswith("flags_"))
        if new != text:
            if path.name.startswith("emails_"):
                new = compliant_kept(new)
            yaml.safe_load(new)
            path.write_text(new, encoding="utf-8")
            print("rewrote", path.name)


def _rewrite(text: str, by_place: dict, examples: bool) -> str:
    out, draft, n = [], None, -1
    for line in text.splitlines(keepends=True):
        if m := re.match(r'\s*- id: "?([^"\s]+)"?\s*$', line):
            draft, n = m.group(1), -1
        if examples and (m := re.match(r"\s*- (\".*\"|'.*'|[^{].*)\s*$", line)):
            if ("single", str(yaml.safe_load(m.group(1))).strip()) in by_place:
                continue
        elif not examples and re.match(r"\s*- \{", line):
            n += 1
            if (draft, n) in by_place:
                line = relabelled(line, by_place[(draft, n)])
        out.append(line)
    return "".join(out)


def relabelled(line: str, decided: list) -> str:
    """A sentence's line with the audit's decisions on it: flags added or removed, or an email's nrmp."""
    from coach.roles.training import NRMP_LABELS
    sentence = yaml.safe_load(line.strip()[2:])
    if "nrmp" in sentence:
        _, kind, first, second = decided[0]
        both_warn = first == second == NRMP_LABELS["warning"]
        nrmp = "error" if kind == "unflagged_high" else ("warning" if both_warn else "none")
        return re.sub(r"nrmp: \w+", f"nrmp: {nrmp}", line, count=1)
    flags = set(sentence.get("flags") or [])
    for members, kind, first, second in decided:
        if kind == "flagged_low":
            flags -= set(members)
        else:
            flags |= (first & second & set(members)) or ((first | second) & set(members))
    return re.sub(r"flags: \[[^\]]*\]", f"flags: [{', '.join(sorted(flags))}]", line, count=1)


def compliant_kept(text: str) -> str:
    """Each email's `compliant` set true to its sentences (no error sentence)."""
    ok = {str(e["id"]): all(s["nrmp"] != "error" for s in e["sentences"]) for e in yaml.safe_load(text)["emails"]}
    out, draft = [], None
    for line in text.splitlines(keepends=True):
        if m := re.match(r'\s*- id: "?([^"\s]+)"?\s*$', line):
            draft = m.group(1)
        out.append(re.sub(r"compliant: \w+", f"compliant: {str(ok[draft]).lower()}", line)
                   if re.match(r"\s*compliant: ", line) else line)
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["disputes", "packet", "apply"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--write", action="store_true", help="apply: edit rubrics/exemplars")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    if args.step == "apply":
        apply(args.folder, args.write)
    else:
        {"disputes": disputes, "packet": packet}[args.step](args.folder)


if __name__ == "__main__":
    main()
