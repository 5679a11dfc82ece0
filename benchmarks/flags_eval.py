"""Flags recognised by meaning: thresholds by cross-validation, and the figures on the blind set.

    python benchmarks/flags_eval.py --choose [--write]   # thresholds, measured on writers held out
    python benchmarks/flags_eval.py [--blind DIR]        # the blind set: rules alone vs rules + heads

--choose measures each flag head out of sample and prints precision and recall at the lowest threshold
whose measured precision reaches the flag's target_precision (rubrics/flags.yaml), raised where needed above
the shipped head's highest score on any sentence of the good samples (GOOD_SAMPLES: a draft written to show
what works gains no finding); --write puts those thresholds in rubrics/flags.yaml. A flag labelled on the
whole explanations is measured writer by writer: each file of explanations the encoder never learnt from
(one writer's drafts; coach/roles/weights/finetuned.sources.txt lists those it did) is held out in turn, the
head fit on everything else, and the held-out drafts read as a user's would be. That is coach's real case,
a draft by someone whose wording it has never met, which folds that put one writer's drafts on both sides
do not measure. The NRMP flags are measured the same way on the whole labelled emails (emails_*.yaml, one
writer per file), and the error's threshold also keeps the share of compliant emails given an error under
its `false_drafts` (the issue counts false alarms by email). A flag with fewer than three such writers uses
5-fold cross-validation over its sentences, measured on the fifth the encoder never saw.

The default run reads the blind development set (benchmarks/blind/, written by someone who never saw the
rubric or the examples; never used for training or tuning): each draft is checked by coach as a user would,
findings are mapped to the labelled sentences, and per flag it prints precision, recall and F1 for the
phrase rules alone (findings whose source is rule or both) and for rules + heads, the emails' NRMP figures,
the exemplar drafts with no flag labelled that gain one, the good drafts of benchmarks/good_unseen/ (written
by someone who never saw the rubric) that gain a flag finding, and the time the heads add per explanation.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from coach.analysis.session import make_analyzer  # noqa: E402
from coach.document import Document, encoder_text  # noqa: E402
from coach.roles.encoder import FINETUNED_SOURCES, load_encoder  # noqa: E402
from coach.roles.heads import alone_features, context_features, make_head, neighbour_features  # noqa: E402
from coach.roles.training import held_out, load_training, read_with_words  # noqa: E402
from coach.rubric import load_rubric  # noqa: E402
from coach.settings import settings_of  # noqa: E402

BLIND = ROOT / "benchmarks" / "blind"
GOOD_UNSEEN = ROOT / "benchmarks" / "good_unseen" / "good_drafts.yaml"
FLAG_CATEGORIES = {"blame", "excuse", "oversharing", "growth", "nrmp"}
GOOD_SAMPLES = ("explanation-good.txt", "email-good.txt", "interview-good.txt", "statement-strong.txt")
FLAGS_YAML = ROOT / "rubrics" / "flags.yaml"
GROUPS = {  # what the blind set labels -> the finding categories that count as catching it
    "blame+excuse": ({"blame", "excuse"}, {"blame", "excuse"}),
    "oversharing": ({"oversharing"}, {"oversharing"}),
    "vague growth": ({"vague_growth"}, {"growth"}),
}


# ---- thresholds by cross-validation -----------------------------------------------------------------

def cv_scores(labelled, vectors_of, l2: float, neighbours: bool, folds: int = 5, hidden: int = 0,
              roles: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Out-of-fold probabilities for every labelled row of a flag (coach.roles.training.Labelled), their
    labels, and which rows are sentences of whole drafts: examples (positives, then negatives) split by
    index and read on their own, drafts split whole and read in context when the head reads `neighbours`,
    as coach.roles.training.flag_features gives them (a draft's sentences never sit on both sides); the head
    learns only from the drafts' sentences of `roles` (any when empty)."""
    alone, read_in_draft = (alone_features, neighbour_features) if neighbours else (np.asarray, np.asarray)
    texts = sorted(labelled.examples, key=lambda t: -labelled.examples[t])  # stable: positives first
    features = alone(vectors_of(texts)) if texts else np.zeros((0, 0), np.float32)
    examples = [(t, labelled.examples[t], False, x) for t, x in zip(texts, features)]
    drafts = [list(zip(sentences, ys, [True] * len(ys), read_in_draft(vectors_of(sentences))))
              for sentences, ys in labelled.drafts]
    learnt = iter(labelled.learnt(roles)[len(texts):])
    learnt_rows = [[r for r in draft if next(learnt)] for draft in drafts]
    scores, gold, in_draft, rows = [], [], [], []
    for k in range(folds):
        train = [r for i, r in enumerate(examples) if i % folds != k]
        test = [r for i, r in enumerate(examples) if i % folds == k]
        for i, draft in enumerate(drafts):
            if i % folds == k:
                test.extend(draft)
            else:
                train.extend(learnt_rows[i])
        head = make_head(l2, hidden).fit(np.stack([r[3] for r in train]), np.array([r[1] for r in train]), 2)
        scores.append(head.predict_proba(np.stack([r[3] for r in test]))[:, 1])
        gold.append(np.array([r[1] for r in test]))
        in_draft.append(np.array([r[2] for r in test], dtype=bool))
        rows += [r[0] for r in test]
    return np.concatenate(scores), np.concatenate(gold), np.concatenate(in_draft), rows


def unseen_writers(encoder, data) -> list[str]:
    """The files of whole drafts (explanations, emails) the encoder never learnt from (all of them when it is
    not fine-tuned)."""
    seen = set()
    if "finetuned" in encoder.identity and FINETUNED_SOURCES.is_file():
        seen = set(FINETUNED_SOURCES.read_text(encoding="utf-8").split())
    return sorted({e.source for e in data.drafts} - seen)


def writer_scores(labelled, sources: list[str], writers: list[str], vectors_of, l2: float, neighbours: bool,
                  hidden: int = 0, roles: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Out-of-sample probabilities and labels for the drafts of each writer in `writers`, and each row's
    draft number (in `labelled.drafts` order): the head fit on every example and every other writer's
    drafts (`sources`: each draft's file, in the same order), learning, as the shipped head does, only from
    their sentences of `roles` (any when empty)."""
    alone, read_in_draft = (alone_features, neighbour_features) if neighbours else (np.asarray, np.asarray)
    examples = list(labelled.examples)
    x_examples = [alone(vectors_of(examples))] if examples else []
    y_examples = [np.array([labelled.examples[t] for t in examples], dtype=np.int64)] if examples else []
    learnt = labelled.learnt(roles)[len(examples):]
    bounds = np.cumsum([0, *(len(ys) for _, ys in labelled.drafts)])
    drafts = [(source, read_in_draft(vectors_of(sentences)), np.array(ys, dtype=np.int64), learnt[a:b])
              for source, (sentences, ys), a, b in zip(sources, labelled.drafts, bounds, bounds[1:])]
    scores, gold, which = [], [], []
    for writer in writers:
        train = [(x[keep], y[keep]) for source, x, y, keep in drafts if source != writer]
        test = [(n, x, y) for n, (source, x, y, _) in enumerate(drafts) if source == writer]
        head = make_head(l2, hidden).fit(np.vstack([*x_examples, *(x for x, _ in train)]),
                                    np.concatenate([*y_examples, *(y for _, y in train)]), 2)
        scores.append(head.predict_proba(np.vstack([x for _, x, _ in test]))[:, 1])
        gold.append(np.concatenate([y for _, _, y in test]))
        which.append(np.concatenate([np.full(len(y), n) for n, _, y in test]))
    return np.concatenate(scores), np.concatenate(gold), np.concatenate(which)


def good_sample_floors(settings) -> dict[str, float]:
    """Each flag's (or group's) highest probability on a sentence of the good samples where its finding
    would be new: the samples checked as a user would with that one threshold at zero and the others off,
    so the head reads exactly the sentences it reads in use (kinds, roles, passages, quotations)."""
    analyzer = make_analyzer()
    impl = analyzer.classifier.impl
    texts = {name: (ROOT / "samples" / name).read_text(encoding="utf-8") for name in GOOD_SAMPLES}
    floors: dict[str, float] = {}
    try:
        for scored in [*(f for f in settings.heads if settings.group_of(f) is None), *settings.groups]:
            only = _only(settings, scored)
            analyzer.settings = replace(analyzer.settings, flags=only)
            impl.flag_model.settings = only
            for name, text in texts.items():
                for f in analyzer.analyse(Document(file=name, text=text)).findings:
                    if f.source == "model":
                        floors[scored] = max(floors.get(scored, 0.0), float(f.confidence))
    finally:
        analyzer.settings = replace(analyzer.settings, flags=settings)
        impl.flag_model.settings = settings
    return floors


def _only(settings, scored: str):
    """The flag settings with `scored` (a flag or a group) at threshold zero and every other head off."""
    def at(name: str) -> float:
        return 0.0 if name == scored else 1.01

    return replace(settings, heads={k: replace(h, threshold=at(k)) for k, h in settings.heads.items()},
                   groups={k: replace(g, threshold=at(k)) for k, g in settings.groups.items()})


def average_precision(scores: np.ndarray, gold: np.ndarray) -> float:
    """Precision averaged over the ranks of the positives, highest score first: 1.0 when every positive
    outranks every negative."""
    order = np.argsort(-scores, kind="stable")
    hits = gold[order] == 1
    if not hits.any():
        return float("nan")
    return float((np.cumsum(hits) / np.arange(1, len(hits) + 1))[hits].mean())


MIN_WRITERS = 3  # fewer unseen writers than this: thresholds from 5-fold cross-validation instead


def _fifths(labelled, vectors_of, l2: float, neighbours: bool, encoder, hidden: int = 0, roles: tuple[str, ...] = ()):
    """5-fold cross-validation over a flag's rows, measured where the flag meets ordinary sentences."""
    scores, gold, in_draft, rows = cv_scores(labelled, vectors_of, l2, neighbours, hidden=hidden, roles=roles)
    ap_drafts = average_precision(scores[in_draft], gold[in_draft]) if in_draft.any() else float("nan")
    if "finetuned" in encoder.identity:
        # A fine-tuned encoder has seen four fifths of these sentences with their labels: measure on the
        # fifth it never saw (coach.roles.training.held_out; tools/finetune_encoder.py leaves it out).
        unseen = np.array([held_out(t) for t in rows])
        return scores[unseen], gold[unseen], "all, unseen", ap_drafts
    if in_draft.any():
        # The whole drafts' sentences meet the flag at its usual rate; the examples' hard negatives (written
        # to confuse) would make every threshold look worse than it reads on a real draft.
        return scores[in_draft], gold[in_draft], "drafts", ap_drafts
    return scores, gold, "examples", ap_drafts


def choose(write: bool) -> None:
    settings = settings_of(load_rubric()).flags
    data = load_training(settings.names)
    encoder = load_encoder()
    texts = data.all_texts()
    index = {t: i for i, t in enumerate(texts)}
    vectors = encoder.encode(texts)

    def vectors_of(ts):
        return vectors[[index[t] for t in ts]]

    floors = good_sample_floors(settings)
    chosen = {}
    targets = {**{f: h.target_precision for f, h in settings.heads.items()},
               **{g: grp.target_precision for g, grp in settings.groups.items()}}
    print(f"{'flag':<16}{'measured on':<22}{'target P':>9}{'threshold':>10}{'P':>7}{'R':>7}{'n+':>6}{'n-':>6}"
          f"{'good max':>10}{'AP':>6}{'AP drafts':>10}")
    unseen = unseen_writers(encoder, data)
    new_writers: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for flag, target in targets.items():
        labelled = data.labelled(flag, settings.group_members)
        neighbours, roles = flag in settings.with_neighbours, settings.roles.get(flag, ())
        read = read_with_words(vectors_of, settings.words.get(flag, 0.0))
        sources = [data.drafts[n].source for n in labelled.which]
        writers = [w for w in unseen if w in sources]
        which = None
        if len(writers) >= MIN_WRITERS:
            scores, gold, local = writer_scores(labelled, sources, writers, read, settings.l2_flags,
                                                neighbours, settings.hidden.get(flag, 0), roles)
            which = np.array(labelled.which)[local]  # each row's draft, in data.drafts
            # measured where the flag applies: only the sentences of the roles it reads (labelled roles)
            if roles:
                labelled_roles = np.array([r for n in dict.fromkeys(which.tolist()) for r in data.drafts[n].roles])
                keep = np.isin(labelled_roles, roles)
                scores, gold, which = scores[keep], gold[keep], which[keep]
            pool, ap_drafts = f"{len(writers)} new writers", float("nan")
            new_writers[flag] = (scores, gold, which)
        else:
            scores, gold, pool, ap_drafts = _fifths(labelled, read, settings.l2_flags, neighbours, encoder,
                                                    settings.hidden.get(flag, 0), roles)
        limit = (settings.heads.get(flag) or settings.groups[flag]).false_drafts
        threshold, p, r = 0.99, 0.0, 0.0
        for t in np.arange(0.30, 0.991, 0.01):
            hit = scores >= t
            if hit.any() and gold[hit].mean() >= target and _few_false_drafts(hit, gold, which, limit):
                threshold, p, r = round(float(t), 2), gold[hit].mean(), (hit & (gold == 1)).sum() / gold.sum()
                break
        if threshold <= floors.get(flag, 0.0):
            threshold = min(0.99, np.ceil(floors[flag] * 100 + 1e-9) / 100 + 0.01)
            hit = scores >= threshold
            p = gold[hit].mean() if hit.any() else 0.0
            r = (hit & (gold == 1)).sum() / gold.sum()
        chosen[flag] = round(float(threshold), 2)
        print(f"{flag:<16}{pool:<22}{target:>9.2f}{threshold:>10.2f}{p:>7.2f}{r:>7.2f}"
              f"{int(gold.sum()):>6}{int((gold == 0).sum()):>6}{floors.get(flag, 0.0):>10.2f}"
              f"{average_precision(scores, gold):>6.3f}{ap_drafts:>10.3f}")
        if limit < 1 and which is not None:
            gained, clean = _false_drafts(scores >= threshold, gold, which)
            print(f"{'':<16}drafts with no {flag} labelled that gain one, out of sample: {gained} of {clean}")
    if new_writers:
        good_drafts_of_new_writers(data, settings, new_writers, chosen)
    if write:
        text = FLAGS_YAML.read_text(encoding="utf-8")
        for flag, t in chosen.items():
            text = re.sub(rf"(\n    {flag}:\n(?:      .*\n)*?      threshold: )[0-9.]+", rf"\g<1>{t}", text)
        FLAGS_YAML.write_text(text, encoding="utf-8")
        print(f"thresholds written to {FLAGS_YAML}")


def _false_drafts(hit: np.ndarray, gold: np.ndarray, which: np.ndarray) -> tuple[int, int]:
    """How many of the drafts with no positive sentence have a sentence hit, and how many such drafts."""
    clean = set(which.tolist()) - set(which[gold == 1].tolist())
    return len(clean & set(which[hit].tolist())), len(clean)


def _few_false_drafts(hit: np.ndarray, gold: np.ndarray, which: np.ndarray | None, limit: float) -> bool:
    """Whether at most `limit` of the drafts with no positive sentence are hit (the issue counts NRMP false
    alarms by email: a compliant email given an error)."""
    if which is None:
        return True
    gained, clean = _false_drafts(hit, gold, which)
    return gained <= limit * clean


def good_drafts_of_new_writers(data, settings, new_writers: dict, chosen: dict[str, float]) -> None:
    """The issue's "no good draft gains a finding", measured out of sample: of the new writers' drafts with
    no flag labelled, how many have a sentence that a head deciding for explanations (a group's, or a flag's
    of its own) scores at or above its chosen threshold, read as in the writer-by-writer measure above."""
    deciding = [f for f in new_writers if f in settings.groups or settings.group_of(f) is None]
    good = {n for n in set().union(*(set(w.tolist()) for _, _, w in new_writers.values()))
            if not any(data.drafts[n].flags)}
    gained: dict[int, list[str]] = {}
    for flag in deciding:
        scores, _, which = new_writers[flag]
        for n in set(which[scores >= chosen[flag]].tolist()) & good:
            gained.setdefault(n, []).append(flag)
    by_flag = {f: sum(f in v for v in gained.values()) for f in deciding}
    print(f"\ngood drafts of new writers (no flag labelled) that gain a finding, out of sample: "
          f"{len(gained)} of {len(good)} ({', '.join(f'{f} {k}' for f, k in by_flag.items())})")


# ---- the blind set ------------------------------------------------------------------------------------

def joined(sentences: list[str]) -> tuple[str, list[tuple[int, int]]]:
    text, spans = "", []
    for s in sentences:
        if text:
            text += "" if text.endswith("\n") else " "
        spans.append((len(text), len(text) + len(s)))
        text += s
    return text, spans


def check(analyzer, sentences: list[str], kind: str):
    text, spans = joined(sentences)
    report = analyzer.analyse(Document(file="blind.txt", text=text), kind)
    per = [[] for _ in sentences]
    for f in report.findings:
        for i, (s, e) in enumerate(spans):
            if s <= f.start < e:
                per[i].append(f)
                break
    return per


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.2f}  R {r:.2f}  F1 {f1:.2f}  (tp {tp}, fp {fp}, fn {fn})"


def blind_explanations(analyzer, folder: Path = BLIND) -> None:
    drafts = yaml.safe_load((folder / "explanations.yaml").read_text(encoding="utf-8"))["explanations"]
    counts = {g: {"rules": [0, 0, 0], "both": [0, 0, 0]} for g in GROUPS}
    for d in drafts:
        per = check(analyzer, [s["text"] for s in d["sentences"]], "explanation")
        for s, found in zip(d["sentences"], per):
            for group, (labels, categories) in GROUPS.items():
                gold = bool(set(s.get("flags") or []) & labels)
                mine = [f for f in found if f.category in categories]
                for name, hit in (("rules", any(f.source != "model" for f in mine)), ("both", bool(mine))):
                    c = counts[group][name]
                    c[0] += hit and gold
                    c[1] += hit and not gold
                    c[2] += gold and not hit
    print(f"\n== blind explanations ({len(drafts)} drafts, "
          f"{sum(len(d['sentences']) for d in drafts)} sentences)")
    for group, c in counts.items():
        print(f"  {group:<14} rules alone    {prf(*c['rules'])}")
        print(f"  {'':<14} rules + heads  {prf(*c['both'])}")


def blind_emails(analyzer, folder: Path = BLIND) -> None:
    emails = yaml.safe_load((folder / "emails.yaml").read_text(encoding="utf-8"))["emails"]
    for name, counted in (("rules alone", lambda f: f.source != "model"), ("rules + heads", lambda f: True)):
        tp = fp = fn = caught = false = 0
        wtp = wfp = wfn = 0
        for e in emails:
            per = check(analyzer, [s["text"] for s in e["sentences"]], "email")
            any_error = False
            for s, found in zip(e["sentences"], per):
                err = any(f.category == "nrmp" and f.severity == "error" and counted(f) for f in found)
                warn = any(f.category == "nrmp" and f.severity == "warning" and counted(f) for f in found) and not err
                any_error |= err
                tp += err and s["nrmp"] == "error"
                fp += err and s["nrmp"] != "error"
                fn += not err and s["nrmp"] == "error"
                wtp += warn and s["nrmp"] == "warning"
                wfp += warn and s["nrmp"] != "warning"
                wfn += not warn and s["nrmp"] == "warning"
            caught += any_error and not e["compliant"]
            false += any_error and e["compliant"]
        bad = sum(not e["compliant"] for e in emails)
        print(f"\n== blind emails, {name} ({len(emails)} emails, {bad} break the NRMP rules)")
        print(f"  NRMP error sentences    {prf(tp, fp, fn)}")
        print(f"  NRMP warning sentences  {prf(wtp, wfp, wfn)}")
        print(f"  emails caught {caught}/{bad} (recall {caught / bad:.2f}); "
              f"compliant emails given an error {false}/{len(emails) - bad}")


def good_exemplars(analyzer) -> None:
    """The issue's "no exemplar of a good draft gains a finding": the whole labelled explanations with no
    flag on any sentence, and the whole emails with no NRMP label, checked as a user would; which of them
    gain a finding from a head alone."""
    folder = ROOT / "rubrics" / "exemplars"
    for kind, pattern, key, label in (("explanation", "explanations_*.yaml", "explanations", "flags"),
                                      ("email", "emails_*.yaml", "emails", "nrmp")):
        gained, good = [], 0
        for path in sorted(folder.glob(pattern)):
            for e in yaml.safe_load(path.read_text(encoding="utf-8"))[key]:
                if any(s.get(label) not in (None, [], "none") for s in e["sentences"]):
                    continue
                good += 1
                per = check(analyzer, [s["text"] for s in e["sentences"]], kind)
                gained += [(e["id"], f.category, s["text"]) for s, found in zip(e["sentences"], per)
                           for f in found if f.source == "model"]
        print(f"\n== exemplar {key} with no flag labelled: {len({g[0] for g in gained})} of {good} "
              "gain a finding from a head alone")
        for draft, category, text in gained:
            print(f"  {draft} [{category}] {text[:110]}")


def unseen_good_drafts(analyzer, path: Path = GOOD_UNSEEN) -> None:
    """Good drafts by a writer who never saw the rubric (benchmarks/good_unseen/): how many gain a flag
    finding, from the phrase rules and from the heads, as a user would see them."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, default in (("explanations", "explanation"), ("emails", "email")):
        by_rules, by_heads = [], []
        for d in data[key]:
            kind = d.get("kind", default)
            report = analyzer.analyse(Document(file=f"{d['id']}.txt", text=d["text"].strip()), kind)
            found = [f for f in report.findings if f.category in FLAG_CATEGORIES]
            if any(f.source != "model" for f in found):
                by_rules.append(d["id"])
            if any(f.source == "model" for f in found):
                by_heads.append(d["id"])
        gained = sorted({*by_rules, *by_heads})
        print(f"\n== good {key} by an unseen writer ({path.parent.name}/): {len(gained)} of {len(data[key])} gain "
              f"a flag finding (rules {len(by_rules)}, heads alone or with a rule {len(by_heads)}): "
              f"{', '.join(gained) or 'none'}")


def head_time(analyzer) -> None:
    """Milliseconds the heads add to one explanation after warm-up (the role head over the sentences in
    context and every flag head, on vectors already computed), and to one email (its flag heads, the NRMP
    heads reading each sentence's words too)."""
    impl = analyzer.classifier.impl
    for sample, kind in (("explanation-good.txt", "explanation"), ("email-good.txt", "email")):
        text = (ROOT / "samples" / sample).read_text(encoding="utf-8")
        report = analyzer.analyse(Document(file="x.txt", text=text), kind)
        texts = [encoder_text(report.doc, s) for s in report.doc.sentences]
        vectors = impl.encoder.encode(texts)
        runs = []
        for _ in range(200):
            t0 = time.perf_counter()
            if kind == "explanation":
                impl.head.predict_proba(context_features(vectors))
            impl.flag_model.flagged(kind, vectors, texts)
            runs.append(time.perf_counter() - t0)
        print(f"\n== heads' time per {kind} ({len(vectors)} sentences, after warm-up): median "
              f"{1000 * float(np.median(runs)):.2f} ms, p95 {1000 * float(np.percentile(runs, 95)):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--choose", action="store_true", help="choose thresholds by cross-validation")
    parser.add_argument("--write", action="store_true", help="with --choose: write them to rubrics/flags.yaml")
    parser.add_argument("--blind", type=Path, default=BLIND,
                        help="the blind set's folder (blind8 to blind16 under benchmarks/: later, other hands)")
    args = parser.parse_args()
    if args.choose:
        choose(args.write)
        return
    analyzer = make_analyzer()
    print(f"blind set: {args.blind}")
    blind_explanations(analyzer, args.blind)
    blind_emails(analyzer, args.blind)
    good_exemplars(analyzer)
    unseen_good_drafts(analyzer)
    head_time(analyzer)


if __name__ == "__main__":
    main()
