"""Throughput of `coach batch` on a cohort of ≥500 drafts, against proselint on the same plain-text files.

Builds a corpus of explanations, personal statements and thank-you emails (from samples/ and the labelled
exemplars in rubrics/exemplars/, recombined and varied with a fixed seed) in applicant folders, runs
`coach batch` on it with grammar off, and prints documents per second and the peak memory of the whole
process tree. Then installs proselint into its own virtualenv under /tmp (pip install proselint), runs it
on the same files, and prints the ratio of the two rates measured in this run. Prints; asserts nothing.

    python benchmarks/batch.py [--drafts 520] [--jobs 0] [--work /tmp/coach-bench-batch]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EXEMPLARS = ROOT / "rubrics" / "exemplars"
PROGRAMS = ["Mesa Valley County Medical Center", "Harlan Bay County Hospital", "Riverbend Community Health Center",
            "Del Monte County Medical Center", "Cumberland County Medical Center", "Alameda Valley County Hospital",
            "Bayfront County General", "Palo Seco County Hospital", "Greenfield Regional Medical Center",
            "Northgate Community Health Center"]
PEOPLE = ["Reyes", "Okafor", "Brennan", "Nguyen", "Haddad", "Kowalski", "Mensah", "Ferreira", "Iyer", "Lindqvist"]
DETAILS = [
    "I especially appreciated how the residents described their continuity clinic and the time it is protected.",
    "Our conversation about the county's diabetes clinic for uninsured patients has stayed with me.",
    "The morning report I joined showed me how carefully your residents present and question each other.",
    "Hearing how the program built its night float schedule around resident wellness was reassuring.",
    "I was struck by the interpreter services on every ward and how naturally the team used them.",
    "The quality improvement project on readmissions that your chief resident described is work I want to join.",
]


# ---- the corpus ---------------------------------------------------------------------------------------------

def _vary(text: str, rng: random.Random, programs: bool = True) -> str:
    """Numbers nudged, names and programs swapped: the same kind of draft, never the same text twice."""
    def number(m: re.Match[str]) -> str:
        value = int(m.group())
        if value < 10 or 1900 < value < 2100:
            return m.group()
        return str(max(1, value + rng.randint(-3, 3)))

    text = re.sub(r"\b\d+\b", number, text)
    text = re.sub(r"\bDr\. [A-Z][a-z]+", lambda m: f"Dr. {rng.choice(PEOPLE)}", text)
    for program in PROGRAMS if programs else []:
        if program in text:
            text = text.replace(program, rng.choice(PROGRAMS))
    return text


def _explanation(roles: dict[str, list[str]], rng: random.Random) -> str:
    parts = [rng.sample(roles["context"], rng.randint(1, 2)), rng.sample(roles["responsibility"], rng.randint(1, 2)),
             rng.sample(roles["growth"], rng.randint(2, 3)), rng.sample(roles["connection"], rng.randint(1, 2))]
    sentences = [s for part in parts for s in part]
    if rng.random() < 0.15:  # some drafts out of order
        rng.shuffle(sentences)
    return " ".join(sentences) + "\n"


def _statement(paragraphs: dict[str, list[str]], rng: random.Random) -> str:
    chosen = [rng.choice(paragraphs["opening_story"]), *rng.sample(paragraphs["key_experiences"], 2)]
    if rng.random() < 0.7:
        chosen.append(rng.choice(paragraphs["addressing_growth"]))
    chosen.append(rng.choice(paragraphs["future_vision"]))
    return "\n\n".join(chosen) + "\n"


def _email(rng: random.Random) -> tuple[str, str]:
    program, person = rng.choice(PROGRAMS), rng.choice(PEOPLE)
    body = (f"Dear Dr. {person},\n\nThank you for meeting with me on {rng.choice(['Monday', 'Tuesday', 'Thursday'])} "
            f"and for showing me the internal medicine program at {program}. {rng.choice(DETAILS)}\n\n"
            f"{rng.choice(DETAILS)} I would be glad to bring my experience, and my Spanish, to your patients.\n\n"
            f"Sincerely,\n{rng.choice(['Maria Lozano', 'Samuel Osei', 'Priya Raman', 'Tomasz Wrona'])}\n")
    return program, body


def build_corpus(dest: Path, drafts: int, seed: int = 7) -> dict[str, int]:
    """`drafts` files in applicant folders (statement, explanation, thank-you notes); returns counts by kind."""
    rng = random.Random(seed)
    roles = yaml.safe_load((EXEMPLARS / "roles.yaml").read_text(encoding="utf-8"))["roles"]
    paragraphs = yaml.safe_load((EXEMPLARS / "paragraphs.yaml").read_text(encoding="utf-8"))["paragraphs"]
    samples = {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}
    if dest.exists():
        shutil.rmtree(dest)
    counts = {"explanation": 0, "personal_statement": 0, "email": 0}
    for i in range(drafts):
        folder = dest / f"applicant{i // 3:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        slot = i % 3
        if slot == 0:
            kind, name = "explanation", "explanation.txt"
            text = _explanation(roles, rng) if rng.random() < 0.8 else \
                samples[rng.choice([n for n in samples if n.startswith("explanation")])]
        elif slot == 1:
            kind, name = "personal_statement", "statement.txt"
            text = _statement(paragraphs, rng) if rng.random() < 0.8 else \
                samples[rng.choice([n for n in samples if n.startswith("statement")])]
        else:
            kind = "email"
            program, text = _email(rng)
            name = "thanks-" + re.sub(r"[^a-z]+", "-", program.lower()).strip("-") + ".txt"
        (folder / name).write_text(_vary(text, rng, programs=kind != "email"), encoding="utf-8")
        counts[kind] += 1
    return counts


# ---- measuring ----------------------------------------------------------------------------------------------

def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(cmd: list[str], env: dict[str, str] | None = None,
                 cwd: Path = ROOT) -> tuple[float, float, int, int, int]:
    """Wall seconds, CPU seconds of the process tree, peak summed RSS of the tree (bytes), exit code, peak RSS
    of its largest single process (a worker; bytes). CPU
    time says what the work costs when other programs share the cores; wall time is what a user waits."""
    try:
        import psutil
    except ImportError:
        psutil = None
    cpu_before = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    peak = single = 0
    stderr: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr.append(process.stderr.read()), daemon=True)
    reader.start()
    if psutil is not None:
        root = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                sizes = [p.memory_info().rss for p in tree if p.is_running()]
                peak, single = max(peak, sum(sizes)), max(single, *sizes)
            except psutil.Error:
                pass
            time.sleep(0.05)
    code = process.wait()
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    reader.join()
    if code not in (0, 1):
        sys.stderr.write(b"".join(stderr).decode(errors="replace"))
    if psutil is None:  # the largest single process only
        import resource

        peak = single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return seconds, cpu, peak, code, single


def proselint_command(home: Path) -> list[str]:
    """proselint from this environment (the dev extra), else its own virtualenv (filled with pip on first use)."""
    exe = Path(sys.executable).parent / "proselint"
    if exe.exists():
        return [str(exe)]
    exe = home / "bin" / "proselint"
    if not exe.exists():
        print(f"installing proselint into {home} …", flush=True)
        venv.create(home, with_pip=True)
        subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "-q", "proselint"], check=True)
    return [str(exe)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=520, help="corpus size (at least 500 for the figure)")
    parser.add_argument("--jobs", type=int, default=0, help="coach batch --jobs (0: one per core)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/coach-bench-batch"))
    parser.add_argument("--proselint-venv", type=Path, default=Path("/tmp/coach-bench-proselint-venv"))
    parser.add_argument("--grammar", default=None, help="coach batch --grammar (default: batch's own default)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the coach checkout to run (before/after figures)")
    args = parser.parse_args()
    import compileall

    compileall.compile_dir(str(args.code.resolve() / "coach"), quiet=1)  # as pip writes it for an installed coach
    corpus, out = args.work / "corpus", args.work / "review"
    counts = build_corpus(corpus, args.drafts)
    files = sorted(str(p) for p in corpus.rglob("*.txt"))
    words = sum(len(Path(f).read_text(encoding="utf-8").split()) for f in files)
    print(f"corpus: {len(files)} drafts ({', '.join(f'{n} {k}' for k, n in counts.items())}), "
          f"{words / len(files):.0f} words on average, in {corpus}")

    prose = proselint_command(args.proselint_venv)
    if out.exists():
        shutil.rmtree(out)
    coach = [sys.executable, "-m", "coach.cli", "batch", str(corpus), "--out", str(out),
             "--jobs", str(args.jobs), "--quiet", *(["--grammar", args.grammar] if args.grammar else [])]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(args.code.resolve())}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {cores} cores "
          "(other programs on the machine slow both tools)")
    seconds, cpu, peak, code, worker = run_measured(coach, env, args.code.resolve())  # -m puts cwd first
    analysed = sum(1 for _ in (out / "results.jsonl").open(encoding="utf-8")) if code in (0, 1) else 0
    coach_rate = analysed / seconds
    print(f"coach batch: {analysed} drafts in {seconds:.1f} s = {coach_rate:.1f} documents/s "
          f"(start-up included); {cpu:.1f} CPU s = {analysed / cpu:.1f} documents per CPU second; "
          f"peak memory {peak / 2**20:.0f} MiB across all processes, {worker / 2**20:.0f} MiB the largest one "
          f"(exit {code})")

    with tempfile.TemporaryDirectory() as home:  # a fresh HOME: no proselint cache from an earlier run
        prose_env = {**os.environ, "HOME": home, "XDG_CACHE_HOME": home}
        p_seconds, p_cpu, p_peak, p_code, _ = run_measured([*prose, "check", *files], prose_env)
    prose_rate = len(files) / p_seconds
    print(f"proselint: {len(files)} drafts in {p_seconds:.1f} s = {prose_rate:.1f} documents/s; "
          f"{p_cpu:.1f} CPU s = {len(files) / p_cpu:.1f} documents per CPU second; "
          f"peak memory {p_peak / 2**20:.0f} MiB (exit {p_code})")
    print(f"coach's wall time is {seconds / p_seconds:.1f}x proselint's; "
          f"ratio coach/proselint: {coach_rate / prose_rate:.2f} by wall time, "
          f"{(analysed / cpu) / (len(files) / p_cpu):.2f} by CPU time "
          f"({'faster' if coach_rate > prose_rate else 'slower'} than proselint)")


if __name__ == "__main__":
    main()
