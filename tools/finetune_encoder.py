"""Fine-tune the top layers of all-MiniLM-L6-v2 on coach's labelled sentences (roles and flags at once).

    .venv/bin/python tools/finetune_encoder.py [--epochs 4] [--layers 6] [--unseen FILE ...]

Multi-task: a role classifier (context, responsibility, growth, connection, other) over the whole
explanations' sentences and the single role examples, and one yes/no output per flag over the flag
examples and the flags on the whole explanations and emails (each flag on the kinds of draft flags.yaml
gives it), plus one per group of flags decided together
(flags.yaml `groups`, labelled as the group's head learns it), on mean-pooled, normalised vectors — the
vectors coach uses. The top TRAINED_LAYERS transformer layers learn (all six by default); the embedding
table stays as shipped, so the file of replacement tensors (coach/roles/weights/finetuned.safetensors,
fp16) is 21 MB. The classifier layers used here are thrown away: coach fits its own heads on the new
vectors (python -m coach.roles.training).

Half the writers of whole drafts (UNSEEN) are never read, so that benchmarks/flags_eval.py --choose
measures the thresholds writer by writer on drafts the encoder never saw; of the rest, one fifth of the
labelled sentences (coach.roles.training.held_out) is kept out as well, for a flag with too few unseen
writers. Fixed seed; torch, transformers and the model package come with setup.sh.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from safetensors.numpy import save_file  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

from coach.report import ROLES  # noqa: E402
from coach.resources import rubric_dir  # noqa: E402
from coach.roles.encoder import FINETUNED, FINETUNED_SOURCES, model_path  # noqa: E402
from coach.roles.training import EXAMPLE_FILES, held_out, load_training  # noqa: E402
from coach.rubric import load_rubric  # noqa: E402
from coach.settings import FlagSettings, settings_of  # noqa: E402

SEED = 13
# All six layers learn: held-out blame-or-excuse recall at precision 0.95 was 0.63 with 2, 0.75 with 4, 0.81 with 6.
TRAINED_LAYERS = 6
BATCH = 32
# Half the writers of whole drafts, alternately by file, are never read by the fine-tuning: the thresholds
# are measured writer by writer on them (benchmarks/flags_eval.py --choose), as on a new applicant's draft.
UNSEEN = [*(f"explanations_{c}.yaml" for c in ("g", "i", "k", "m", "o", "q", "s", "u", "w", "y", "zb", "zd", "zf",
                                                 "zh", "zj", "zl", "zn", "zp")),
          *(f"emails_{c}.yaml" for c in (*"bdfhjlnprtvxz", "zb", "zd"))]
Row = tuple[str, str | None, dict[str, int]]  # a sentence, its role (or None), and its label per flag or group


def rows(settings: FlagSettings, unseen: frozenset[str] = frozenset()) -> list[Row]:
    """(text, role or None, {flag or group: 0/1}) for every labelled sentence not held out and not in a file
    of `unseen` (whole writers kept out, so thresholds can be measured on writers the encoder never read). A
    group (flags decided together, rubrics/flags.yaml) is one more output, labelled as its head learns it."""
    data, groups = load_training(settings.names), settings.group_members
    out = [(t, r, {}) for t, r in data.role_examples]
    on_explanations, on_emails = settings.for_kind("explanation"), settings.for_kind("email")
    for e in (e for e in data.explanations if e.source not in unseen):
        out += [(t, r, {f: int(f in marks) for f in on_explanations}) for t, r, marks in zip(e.texts, e.roles, e.flags)]
    for e in (e for e in data.emails if e.source not in unseen):
        out += [(t, None, {f: int(f in marks) for f in on_emails}) for t, marks in zip(e.texts, e.flags)]
    for flag, (pos, neg) in data.flag_examples.items():
        out += [(t, None, {flag: 1}) for t in pos] + [(t, None, {flag: 0}) for t in neg]
    for name, members in groups.items():
        label = dict(zip(*data.labelled(name, groups).rows()))
        for text, _, marks in out:
            if text in label and any(m in marks for m in members):
                marks[name] = int(label[text])
    return [r for r in out if not held_out(r[0])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--layers", type=int, default=TRAINED_LAYERS, help="top transformer layers that learn")
    parser.add_argument("--unseen", nargs="*", default=UNSEEN, help="draft files (writers) kept out entirely")
    parser.add_argument("--seed", type=int, default=SEED, help="another seed measures how much a run varies")
    args = parser.parse_args()
    torch.set_num_threads(2)
    settings = settings_of(load_rubric()).flags
    unseen = frozenset(args.unseen)
    folder = rubric_dir() / "exemplars"
    # Listed before the run: a file written while it trains was not read by it.
    sources = sorted(p.name for pattern in EXAMPLE_FILES for p in folder.glob(pattern) if p.name not in unseen)
    data = rows(settings, unseen)
    t0 = time.time()
    state = _fine_tune(data, (*settings.names, *settings.groups), args.layers, args.epochs, args.seed)
    FINETUNED.parent.mkdir(parents=True, exist_ok=True)
    save_file(state, str(FINETUNED))
    FINETUNED_SOURCES.write_text("".join(f"{name}\n" for name in sources), encoding="utf-8")
    print(f"wrote {FINETUNED} ({FINETUNED.stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.0f}s")


def _fine_tune(data: list[Row], flags: tuple[str, ...], layers_trained: int, epochs: int,
               seed: int) -> dict[str, np.ndarray]:
    """One run from the packaged weights: the trained layers' tensors (fp16) after `epochs` over `data`."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    path = model_path()
    tok = AutoTokenizer.from_pretrained(str(path))
    model = AutoModel.from_pretrained(str(path))
    layers = model.config.num_hidden_layers
    trained = {f"encoder.layer.{i}." for i in range(layers - layers_trained, layers)}
    for name, p in model.named_parameters():
        p.requires_grad = any(name.startswith(t) for t in trained)
    size = model.config.hidden_size
    role_out, flag_out = torch.nn.Linear(size, len(ROLES)), torch.nn.Linear(size, len(flags))
    params = [p for p in model.parameters() if p.requires_grad]
    params += list(role_out.parameters()) + list(flag_out.parameters())
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
    steps = epochs * ((len(data) + BATCH - 1) // BATCH)

    def warm_then_decay(s: int) -> float:
        return min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps)

    sched = torch.optim.lr_scheduler.LambdaLR(opt, warm_then_decay)
    print(f"seed {seed}: {len(data)} sentences, {steps} steps, layers {sorted(trained)}", flush=True)
    t0, step = time.time(), 0
    for epoch in range(epochs):
        random.shuffle(data)
        model.train()
        for i in range(0, len(data), BATCH):
            loss = _loss(model, tok, data[i:i + BATCH], role_out, flag_out, flags)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 25 == 0:
                print(f"seed {seed} epoch {epoch} step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s",
                      flush=True)
    return {k: v.detach().to(torch.float16).numpy() for k, v in model.state_dict().items()
            if any(k.startswith(t) for t in trained)}


def _loss(model, tok, batch, role_out, flag_out, flags):
    enc = tok([t for t, _, _ in batch], padding=True, truncation=True, max_length=128, return_tensors="pt")
    hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    vectors = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1) * 20.0
    loss = torch.zeros(())
    with_role = [j for j, (_, r, _) in enumerate(batch) if r]
    if with_role:
        target = torch.tensor([ROLES.index(batch[j][1]) for j in with_role])
        loss = loss + torch.nn.functional.cross_entropy(role_out(vectors[with_role]), target)
    known = torch.zeros(len(batch), len(flags))
    target = torch.zeros(len(batch), len(flags))
    for j, (_, _, marks) in enumerate(batch):
        for flag, value in marks.items():
            known[j, flags.index(flag)] = 1.0
            target[j, flags.index(flag)] = float(value)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(flag_out(vectors), target, reduction="none")
    # Each flag output weighs the same in the batch, whatever its share of the labels: averaged over all
    # labels, the explanations' four flags per sentence drowned the NRMP outputs (few, email-only examples).
    counts = known.sum(0)
    present = counts > 0
    if present.any():
        loss = loss + ((bce * known).sum(0)[present] / counts[present]).mean()
    return loss


if __name__ == "__main__":
    main()
