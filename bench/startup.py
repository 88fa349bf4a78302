"""Start-up: how long framing takes before it does any work, and the charts of the seeds.

Usage::

    python bench/startup.py [--runs 5]

Times whole processes (wall clock, median and min-max of ``--runs``):

* ``framing --help`` and ``python -c "import framing"``;
* ``framing lexicon check lexicons/frames.yaml`` (a built-in lexicon);
* ``framing analyze seeds --no-charts`` and ``framing analyze seeds``, with
  one job and with all cores; the difference is what the charts cost.

Then prints the slowest imports of ``framing --help`` and of the lexicon
check from ``python -X importtime`` (cumulative microseconds), so a new
module-level import that slows start-up shows at once.

Runs the ``framing`` of the current environment, from a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], runs: int, cwd: str) -> tuple[float, float, float]:
    seconds = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        seconds.append(time.perf_counter() - t)
    return statistics.median(seconds), min(seconds), max(seconds)


def slowest_imports(code: str, top: int = 6) -> list[tuple[int, str]]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True)
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    args = ap.parse_args()
    framing = shutil.which("framing") or sys.exit("bench: no 'framing' command here; pip install -e . first")
    work = tempfile.mkdtemp(prefix="framing-startup-")
    cores = os.cpu_count() or 1
    try:
        cases = [
            ("framing --help", [framing, "--help"]),
            ("import framing", [sys.executable, "-c", "import framing"]),
            ("framing lexicon check frames.yaml", [framing, "lexicon", "check", str(ROOT / "lexicons" / "frames.yaml")]),
        ]
        for jobs in (1, cores):
            base = [framing, "analyze", str(ROOT / "seeds"), "--quiet", "--jobs", str(jobs), "--no-cache", "--out"]
            cases.append((f"analyze seeds --no-charts --jobs {jobs}", [*base, f"{work}/a{jobs}", "--no-charts"]))
            cases.append((f"analyze seeds (charts) --jobs {jobs}", [*base, f"{work}/b{jobs}"]))
        print(f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else cores} CPUs, "
              f"Python {sys.version.split()[0]}; wall seconds, median (min-max) of {args.runs}")
        results = {}
        for name, cmd in cases:
            results[name] = timed(cmd, args.runs, work)
            med, lo, hi = results[name]
            print(f"  {name:<42} {med:6.2f} ({lo:.2f}-{hi:.2f})")
        for jobs in sorted({1, cores}):
            charts = results[f"analyze seeds (charts) --jobs {jobs}"][0] - results[f"analyze seeds --no-charts --jobs {jobs}"][0]
            print(f"  charts of the seeds, --jobs {jobs} (difference of medians): {charts:.2f} s")
        for label, code in (("framing --help", "from framing.cli import main"),
                            ("lexicon check", "from framing.lexicon.io import check_lexicon")):
            print(f"slowest imports of {label} (python -X importtime, cumulative us):")
            for us, module in slowest_imports(code):
                print(f"  {us:>9,}  {module}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
