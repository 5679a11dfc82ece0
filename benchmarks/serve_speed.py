"""How fast `coach serve` answers, warm: one 150-word explanation checked again and again (median, p95), then
20 requests at once (p50, p95, errors). Starts the real server (`coach serve --no-browser --port 0`) in a
subprocess on a loopback port, waits for its address, and talks to it over HTTP. Prints; asserts nothing.

    python benchmarks/serve_speed.py [--runs 50] [--concurrent 20]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def explanation(words: int = 150) -> str:
    """The first sentences of the good sample explanation, to about `words` words."""
    text = (ROOT / "samples" / "explanation-good.txt").read_text(encoding="utf-8")
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip())
    out: list[str] = []
    while sentences and len(" ".join([*out, sentences[0]]).split()) <= words:
        out.append(sentences.pop(0))
    return " ".join(out)


def client(url: str) -> httpx.Client:
    """A keep-alive client with Nagle off, as a browser's: otherwise httpx's separate writes of headers and body
    meet the server's delayed ACK and add ~40 ms that is the client's, not the server's."""
    nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    return httpx.Client(base_url=url, timeout=120, transport=httpx.HTTPTransport(socket_options=nodelay))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--concurrent", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "coach.cli", "serve", "--no-browser", "--port", "0"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        found = re.search(r"http://\S+/", line)
        if not found:
            sys.exit(f"the server did not start: {line!r}")
        url = found.group(0)
        print(f"server ready in {time.monotonic() - started:.1f} s at {url}")
        text = explanation()
        body = {"text": text, "kind": "explanation"}
        with client(url) as c:
            for _ in range(3):  # warm the caches a first request fills
                c.post("/api/check", json=body).raise_for_status()
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                c.post("/api/check", json=body).raise_for_status()
                times.append((time.perf_counter() - t) * 1000)
        print(f"one {len(text.split())}-word explanation, {args.runs} checks one after another: "
              f"median {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms")

        def one(_: int) -> tuple[float, int]:
            with client(url) as c:
                t = time.perf_counter()
                status = c.post("/api/check", json=body).status_code
                return (time.perf_counter() - t) * 1000, status

        with ThreadPoolExecutor(args.concurrent) as pool:
            t = time.perf_counter()
            results = list(pool.map(one, range(args.concurrent)))
            wall = time.perf_counter() - t
        latencies = [ms for ms, _ in results]
        errors = sum(1 for _, status in results if status != 200)
        print(f"{args.concurrent} requests at once: p50 {percentile(latencies, 0.5):.0f} ms, "
              f"p95 {percentile(latencies, 0.95):.0f} ms, all done in {wall:.2f} s, {errors} errors")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
