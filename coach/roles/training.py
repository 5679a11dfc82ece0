"""The labelled data the role and flag heads learn from, and the heads fit from it.

- Whole explanations labelled sentence by sentence (rubrics/exemplars/explanations_*.yaml) teach the role
  head to read a sentence in its place: its vector beside its neighbours' and its position.
- Labelled sentences per flag (rubrics/exemplars/flags_*.yaml: positives and hard negatives), read on
  their own, plus the flags on the whole explanations' sentences, read with the sentences before and after
  them, teach one head per flag.
- Whole thank-you emails labelled sentence by sentence (rubrics/exemplars/emails_*.yaml: nrmp none,
  warning or error) teach the NRMP heads the sentences they meet around a violation, and let the thresholds
  be measured on whole emails, as the issue counts them.

Fitting takes seconds, so the fitted heads ship in rubrics/exemplars/heads.npz with a digest of everything
they were fit from (the texts, the labels, the encoder's weights, the head settings). When an advisor edits
the examples the digest no longer matches: the heads are fit again on first use and kept in ~/.cache/coach,
named by the digest of the example files' bytes, so later starts find them without parsing the examples.
`python -m coach.roles.training` rewrites the shipped file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import RubricError
from ..report import ROLES
from ..resources import cache_dir, rubric_dir
from ..yamlio import read_yaml
from .heads import (
    HiddenLayerHead,
    LogisticHead,
    alone_features,
    context_features,
    head_from,
    isolated_features,
    make_head,
    neighbour_features,
)
from .words import BUCKETS, with_words

if TYPE_CHECKING:
    from ..settings import EncoderSettings, FlagSettings

SHIPPED_HEADS = "heads.npz"
EXAMPLE_FILES = ("explanations_*.yaml", "flags_*.yaml", "emails_*.yaml", "roles.yaml")  # what load_training reads
FEATURES_VERSION = "context-draft-mean-v7"  # bump when context_features, the reordering or the flag rows change
REORDERED_COPIES = 2  # each whole explanation is also learnt with its parts in shuffled order
SEED = 7  # the order of each explanation's shuffled copies (FEATURES_VERSION, not this, marks new features)


@dataclass(frozen=True)
class Explanation:
    id: str
    texts: tuple[str, ...]
    roles: tuple[str, ...]
    flags: tuple[frozenset[str], ...]
    source: str = ""  # the file it came from: one writer's explanations


@dataclass(frozen=True)
class Labelled:
    """One flag's (or group's) labelled sentences: the examples, met on their own, and the whole drafts'
    sentences in order (explanations, emails: only the kinds the flag is labelled on)."""

    examples: dict[str, int]  # text -> 1 (positive) or 0
    drafts: list[tuple[tuple[str, ...], list[int]]]  # each draft's sentences and their labels
    which: tuple[int, ...] = ()  # each draft's place in TrainingData.drafts
    roles: tuple[tuple[str, ...], ...] = ()  # each draft's labelled sentence roles

    def learnt(self, roles: tuple[str, ...]) -> np.ndarray:
        """Which rows (in `rows()` order) a head reading only `roles` learns from: every example, and the
        drafts' sentences of those roles (all of them when `roles` is empty)."""
        if not roles:
            return np.ones(len(self.examples) + sum(len(ys) for _, ys in self.drafts), dtype=bool)
        in_drafts = [r in roles for draft in self.roles for r in draft]
        return np.array([True] * len(self.examples) + in_drafts, dtype=bool)

    def rows(self) -> tuple[list[str], np.ndarray]:
        texts = [*self.examples, *(t for sentences, _ in self.drafts for t in sentences)]
        labels = [*self.examples.values(), *(y for _, ys in self.drafts for y in ys)]
        return texts, np.array(labels, dtype=np.int64)

    def positives(self) -> list[str]:
        return [t for t, y in zip(*self.rows()) if y == 1]


@dataclass(frozen=True)
class TrainingData:
    explanations: tuple[Explanation, ...]
    flag_examples: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # flag -> (positives, negatives)
    role_examples: tuple[tuple[str, str], ...] = ()  # (text, role): single sentences from exemplars/roles.yaml
    emails: tuple[Explanation, ...] = ()  # whole emails (role "other" throughout), from exemplars/emails_*.yaml

    @property
    def drafts(self) -> tuple[Explanation, ...]:
        return (*self.explanations, *self.emails)

    def labelled(self, name: str, groups: dict[str, tuple[str, ...]] | None = None) -> Labelled:
        """A flag's labels, or a group's (flags decided together: a sentence is positive when it is positive
        for any member, so one member's positive is never another's negative)."""
        order = (groups or {}).get(name, (name,))
        members = set(order)
        examples: dict[str, int] = {}
        for flag in order:
            pos, neg = self.flag_examples.get(flag, ((), ()))
            examples.update(dict.fromkeys(pos, 1))
            for text in neg:
                examples.setdefault(text, 0)
        which: list[int] = []  # a kind of draft (explanations, emails) joins only when the flag is labelled on it
        start = 0
        for kind in (self.explanations, self.emails):
            if any(f & members for e in kind for f in e.flags):
                which += range(start, start + len(kind))
            start += len(kind)
        drafts = [(self.drafts[n].texts, [int(bool(f & members)) for f in self.drafts[n].flags]) for n in which]
        return Labelled(examples, drafts, tuple(which), tuple(self.drafts[n].roles for n in which))

    def all_texts(self) -> list[str]:
        seen = dict.fromkeys(t for e in self.drafts for t in e.texts)
        seen.update(dict.fromkeys(t for t, _ in self.role_examples))
        for pos, neg in self.flag_examples.values():
            seen.update(dict.fromkeys([*pos, *neg]))
        return list(seen)


def held_out(text: str) -> bool:
    """One labelled sentence in five, chosen by its text: kept out of the encoder's fine-tuning
    (tools/finetune_encoder.py), so thresholds can be measured on sentences the encoder never saw."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 5 == 0


def load_training(flags: tuple[str, ...], directory: Path | None = None) -> TrainingData:
    folder = (directory or rubric_dir()) / "exemplars"
    explanations = tuple(e for path in sorted(folder.glob("explanations_*.yaml")) for e in _explanations(path, flags))
    examples: dict[str, tuple[list[str], list[str]]] = {}
    for path in sorted(folder.glob("flags_*.yaml")):
        for flag, (pos, neg) in _flag_examples(path, flags).items():
            have = examples.setdefault(flag, ([], []))
            have[0].extend(pos)
            have[1].extend(neg)
    texts, roles = load_exemplars(directory)
    emails = tuple(e for path in sorted(folder.glob("emails_*.yaml")) for e in _emails(path, flags))
    return TrainingData(explanations, {k: (tuple(p), tuple(n)) for k, (p, n) in examples.items()},
                        tuple(zip(texts, roles)), emails)


def _explanations(path: Path, flags: tuple[str, ...]) -> list[Explanation]:
    def read(s, where: str) -> tuple[str, frozenset[str]]:
        if s.get("role") not in ROLES:
            raise RubricError(str(path), None, where, f"needs a text and a role ({', '.join(ROLES)})")
        unknown = set(s.get("flags") or []) - set(flags)
        if unknown:
            raise RubricError(str(path), None, where, f"has unknown flags {sorted(unknown)} ({', '.join(flags)})")
        return s["role"], frozenset(s.get("flags") or [])

    return _drafts(path, "explanations", read)


NRMP_LABELS = {"none": frozenset(), "warning": frozenset({"nrmp_warning"}), "error": frozenset({"nrmp_error"})}


def _emails(path: Path, flags: tuple[str, ...]) -> list[Explanation]:
    """Whole emails: every sentence plays role "other"; its nrmp label gives its flags."""
    def read(s, where: str) -> tuple[str, frozenset[str]]:
        if s.get("nrmp") not in NRMP_LABELS:
            raise RubricError(str(path), None, where, f"needs a text and an nrmp label ({', '.join(NRMP_LABELS)})")
        return "other", NRMP_LABELS[s["nrmp"]] & set(flags)

    return _drafts(path, "emails", read)


def _drafts(path: Path, key: str, read) -> list[Explanation]:
    """The drafts listed under `key`, each sentence's role and flags given by `read(sentence, where)`."""
    data = read_yaml(path)
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise RubricError(str(path), 1, key, f"must be a list of labelled {key}")
    out = []
    for n, item in enumerate(items):
        sentences = item.get("sentences") if isinstance(item, dict) else None
        if not isinstance(sentences, list) or not sentences:
            raise RubricError(str(path), None, f"{key}[{n}].sentences", "must be a list of sentences")
        texts, roles, marks = [], [], []
        for m, s in enumerate(sentences):
            where = f"{key}[{n}].sentences[{m}]"
            if not isinstance(s, dict) or not isinstance(s.get("text"), str):
                raise RubricError(str(path), None, where, "needs a text")
            role, flags = read(s, where)
            texts.append(s["text"].strip())
            roles.append(role)
            marks.append(flags)
        out.append(Explanation(str(item.get("id", n)), tuple(texts), tuple(roles), tuple(marks), path.name))
    return out


def _flag_examples(path: Path, flags: tuple[str, ...]) -> dict[str, tuple[list[str], list[str]]]:
    data = read_yaml(path)
    by_flag = data.get("flags") if isinstance(data, dict) else None
    if not isinstance(by_flag, dict):
        raise RubricError(str(path), 1, "flags", "must map each flag to its positive and negative examples")
    out = {}
    for flag, sides in by_flag.items():
        if flag not in flags or not isinstance(sides, dict):
            raise RubricError(str(path), None, f"flags.{flag}", f"must be one of {', '.join(flags)}, "
                                                                 "with `positive` and `negative` lists")
        pos, neg = sides.get("positive"), sides.get("negative")
        if not isinstance(pos, list) or not isinstance(neg, list):
            raise RubricError(str(path), None, f"flags.{flag}", "needs `positive` and `negative` lists")
        out[flag] = ([str(t).strip() for t in pos], [str(t).strip() for t in neg])
    return out


def load_exemplars(directory: Path | None = None, name: str = "roles.yaml", key: str = "roles",
                   labels: tuple[str, ...] = ROLES) -> tuple[list[str], list[str]]:
    """Labelled example texts from rubrics/exemplars/<name>: `key` maps each label to a list of texts."""
    path = (directory or rubric_dir()) / "exemplars" / name
    data = read_yaml(path)
    by_label = data.get(key) if isinstance(data, dict) else None
    if not isinstance(by_label, dict):
        raise RubricError(str(path), 1, key, "must map each label to a list of examples")
    texts, out = [], []
    for label, items in by_label.items():
        if label not in labels or not isinstance(items, list):
            raise RubricError(str(path), None, f"{key}.{label}",
                              f"must be one of {', '.join(labels)} with a list")
        for text in items:
            texts.append(str(text).strip())
            out.append(label)
    return texts, out



# ---- fitting ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HeadSettings:
    """What the heads are fit with besides the examples: the flags, the L2 penalties, the groups of flags
    decided together, the heads that read a sentence's neighbours, the heads' hidden-layer sizes and the
    roles a flag applies to (its head learns only from the drafts' sentences of those roles)."""

    flags: tuple[str, ...]
    l2_roles: float = 1e-3
    role_hidden: int = 0
    l2_flags: float = 1e-3
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    neighbours: tuple[str, ...] = ()
    hidden: dict[str, int] = field(default_factory=dict)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    words: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, encoder: EncoderSettings, flags: FlagSettings) -> HeadSettings:
        return cls(flags.names, encoder.l2, encoder.hidden, flags.l2_flags, flags.group_members,
                   flags.with_neighbours, flags.hidden, flags.roles, flags.words)

    @property
    def heads(self) -> tuple[str, ...]:
        """Every flag head's name: the flags, then the groups."""
        return (*self.flags, *self.groups)

    def key(self, identity: str) -> list:
        """What the heads depend on besides the examples: the encoder, the features and these settings."""
        return [identity, FEATURES_VERSION, self.l2_roles, self.l2_flags,
                sorted((k, list(v)) for k, v in self.groups.items()), sorted(self.neighbours),
                sorted((k, v) for k, v in self.hidden.items() if v),
                *([sorted((k, list(v)) for k, v in self.roles.items())] if self.roles else []),
                *([["role_hidden", self.role_hidden]] if self.role_hidden else []),
                *([["words", BUCKETS, sorted(self.words.items())]] if self.words else [])]


@dataclass
class FittedHeads:
    role: LogisticHead | HiddenLayerHead
    flags: dict[str, LogisticHead | HiddenLayerHead]
    flag_vectors: dict[str, np.ndarray]  # each flag's positive examples, for "closest example"
    digest: str
    flag_texts: dict[str, list[str]] | None = None  # the texts of those examples, same order
    files: str = ""  # files_digest of what they were fit from: the shipped heads load without parsing it


def heads_digest(data: TrainingData, identity: str, settings: HeadSettings) -> str:
    payload = [*settings.key(identity),
               [[e.texts, e.roles, [sorted(f) for f in e.flags]] for e in data.explanations],
               *([[[e.texts, [sorted(f) for f in e.flags]] for e in data.emails]] if data.emails else []),
               sorted((k, list(p), list(n)) for k, (p, n) in data.flag_examples.items()),
               [list(pair) for pair in data.role_examples]]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:16]


def fit_heads(encoder, data: TrainingData, settings: HeadSettings) -> FittedHeads:
    """The role head, one head per flag, and one per group of flags decided together (named by the group);
    the heads named in `settings.neighbours` read each sentence with the ones before and after it, and those
    given a size in `settings.hidden` have a hidden layer of that many units."""
    texts = data.all_texts()
    index = {t: i for i, t in enumerate(texts)}
    vectors = encoder.encode(texts)

    def vectors_of(ts: list[str] | tuple[str, ...]) -> np.ndarray:
        return vectors[[index[t] for t in ts]]

    role = fit_role_head(data, vectors_of, settings.l2_roles, settings.role_hidden)
    heads, positives, texts_of = {}, {}, {}
    for flag in settings.heads:
        labelled = data.labelled(flag, settings.groups)
        x, labels = flag_features(labelled, read_with_words(vectors_of, settings.words.get(flag, 0.0)),
                                  flag in settings.neighbours)
        learnt = labelled.learnt(settings.roles.get(flag, ()))
        x, labels = x[learnt], labels[learnt]
        if labels.sum() == 0:
            continue
        heads[flag] = make_head(settings.l2_flags, settings.hidden.get(flag, 0)).fit(x, labels, 2)
        texts_of[flag] = labelled.positives()
        positives[flag] = vectors_of(texts_of[flag])
    digest = heads_digest(data, encoder.identity, settings)
    return FittedHeads(role, heads, positives, digest, texts_of)


def read_with_words(vectors_of, weight: float):
    """`vectors_of`, each vector followed by its text's words when the head reads them (flags.yaml `words`)."""
    if not weight:
        return vectors_of
    return lambda texts: with_words(vectors_of(texts), texts, weight)


def flag_features(labelled: Labelled, vectors_of, neighbours: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A flag's rows as its head reads them, in the order of `labelled.rows()`. With `neighbours` a draft's
    sentence is read with the ones before and after it (an example has none), so the head can learn that a
    hardship followed by ownership is context, not an excuse."""
    alone, in_draft = (alone_features, neighbour_features) if neighbours else (np.asarray, np.asarray)
    parts = [alone(vectors_of(list(labelled.examples)))] if labelled.examples else []
    parts += [in_draft(vectors_of(sentences)) for sentences, _ in labelled.drafts]
    _, labels = labelled.rows()
    return (np.vstack(parts) if parts else np.zeros((0, 0), dtype=np.float32)), labels


def fit_role_head(data: TrainingData, vectors_of, l2: float, hidden: int = 0) -> LogisticHead | HiddenLayerHead:
    """Whole explanations read in context, and the single labelled sentences read on their own. Each
    explanation is also learnt with its parts (runs of one role) in shuffled order, so that the head cannot
    lean on the framework's usual order: a draft out of order must still be read for what it says."""
    rng = random.Random(SEED)
    drafts = [e for e in data.explanations for e in (e, *(_reordered(e, rng) for _ in range(REORDERED_COPIES)))]
    parts = [context_features(vectors_of(e.texts)) for e in drafts]
    labels = [r for e in drafts for r in e.roles]
    if data.role_examples:
        parts.append(isolated_features(vectors_of([t for t, _ in data.role_examples])))
        labels += [r for _, r in data.role_examples]
    return make_head(l2, hidden).fit(np.vstack(parts), np.array([ROLES.index(r) for r in labels]), len(ROLES))


def _reordered(e: Explanation, rng: random.Random) -> Explanation:
    runs: list[list[int]] = []
    for i, role in enumerate(e.roles):
        if runs and e.roles[runs[-1][0]] == role:
            runs[-1].append(i)
        else:
            runs.append([i])
    rng.shuffle(runs)
    order = [i for run in runs for i in run]
    return Explanation(e.id, tuple(e.texts[i] for i in order), tuple(e.roles[i] for i in order),
                       tuple(e.flags[i] for i in order), e.source)


# ---- the shipped file and the user cache ------------------------------------------------------------

def load_heads(encoder, settings: HeadSettings, directory: Path | None = None) -> tuple[FittedHeads, str | None]:
    """The fitted heads for the current examples and encoder, and a notice when they had to be fit now.
    Heads are found by the example files' bytes first (no YAML parsed: the shipped file, or the user cache
    after an advisor's edit), then by their content (an edit that changed no example keeps the shipped ones)."""
    shipped = (directory or rubric_dir()) / "exemplars" / SHIPPED_HEADS
    files = files_digest(directory, encoder.identity, settings)
    cache = cache_dir() / f"heads-{files}.npz"
    for path in (shipped, cache):
        heads = _read(path, "files", files, settings)
        if heads is not None and heads.flag_texts is not None:
            return heads, None
    data = load_training(settings.flags, directory)
    heads, notice = _read(shipped, "digest", heads_digest(data, encoder.identity, settings), settings), None
    if heads is None:
        heads = fit_heads(encoder, data, settings)
        notice = "the labelled examples differ from the shipped ones: the role and flag heads were fit again"
    heads.flag_texts = {flag: data.labelled(flag, settings.groups).positives() for flag in heads.flags}
    heads.files = files
    with contextlib.suppress(OSError):  # a read-only home only costs reading the examples again next time
        write_heads(heads, cache)
    return heads, notice


def files_digest(directory: Path | None, identity: str, settings: HeadSettings) -> str:
    """A digest of the example files' bytes and the head settings: reading it costs no YAML parsing (a
    quarter of a second at every start), and any edit to the files changes it."""
    folder = (directory or rubric_dir()) / "exemplars"
    sha = hashlib.sha256(json.dumps(settings.key(identity)).encode())
    for pattern in EXAMPLE_FILES:
        for path in sorted(folder.glob(pattern)):
            sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()[:16]


def write_heads(heads: FittedHeads, path: Path) -> Path:
    arrays = {"digest": np.array(heads.digest), "files": np.array(heads.files),
              **{f"role_{k}": a for k, a in heads.role.arrays().items()}}
    for flag, head in heads.flags.items():
        arrays.update({f"flag_{flag}_{k}": a for k, a in head.arrays().items()})
        arrays[f"flag_{flag}_pos"] = heads.flag_vectors[flag].astype(np.float16)
        if heads.flag_texts and flag in heads.flag_texts:
            arrays[f"flag_{flag}_texts"] = np.array(heads.flag_texts[flag], dtype=str)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)
    return path


def _read(path: Path, key: str, value: str, settings: HeadSettings) -> FittedHeads | None:
    """The heads in `path` when its `key` (digest or files) is `value`; with the example texts it carries."""
    try:
        with np.load(path) as data:
            if key not in data.files or str(data[key]) != value:
                return None
            role = head_from({k[5:]: data[k] for k in data.files if k.startswith("role_")}, settings.l2_roles)
            heads = {f: head_from({k[len(f"flag_{f}_"):]: data[k] for k in data.files if k.startswith(f"flag_{f}_")
                                   and not k.endswith(("_pos", "_texts"))}, settings.l2_flags)
                     for f in settings.heads if f"flag_{f}_pos" in data}
            positives = {f: data[f"flag_{f}_pos"].astype(np.float32) for f in heads}
            texts = ({f: data[f"flag_{f}_texts"].tolist() for f in heads}
                     if all(f"flag_{f}_texts" in data for f in heads) else None)
            return FittedHeads(role, heads, positives, str(data["digest"]), texts, value if key == "files" else "")
    except (OSError, ValueError, KeyError):
        return None


if __name__ == "__main__":
    from ..rubric import load_rubric
    from ..settings import settings_of
    from .encoder import load_encoder

    settings = settings_of(load_rubric())
    head_settings = HeadSettings.of(settings.encoder, settings.flags)
    enc = load_encoder()
    fitted = fit_heads(enc, load_training(head_settings.flags), head_settings)
    fitted.files = files_digest(None, enc.identity, head_settings)
    print(write_heads(fitted, rubric_dir() / "exemplars" / SHIPPED_HEADS))
