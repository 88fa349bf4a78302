"""What stories cost: `analyze` with `--stories auto` (the default) and with `--stories off`, same corpus.

Usage::

    python bench/stories_cost.py [--articles 100000] [--words 600] [--repeat 3] [--jobs 2]

The corpus is the engine benchmark's (bench/_common.py: sentences drawn with
a fixed seed from ../shared/data/abp_sourcetype/articles.jsonl, cached under
bench/out/; when that file is missing and no cached corpus matches, the
script says so and exits with status 0), with the manifest of
bench/over_time.py, which dates the articles over two years (2021-2022,
about 137 a day), so that stories are looked for within the date window as
in a real corpus. The articles are made of random sentences, so few of them
form stories: the cost measured is that of looking for them (the story
vectors in pass 2, the windowed products, the cuts and the tables).

Each repeat runs, one after the other (whole processes, start-up included;
the machine is shared and noisy, so ratios are taken within a repeat):

(off)   ``python -m framing analyze CORPUS --manifest M --out bench/out/stories --no-charts --no-html --quiet
        --jobs J --stories off``
(auto)  the same without ``--stories off`` (stories are on by default)

It prints each run's seconds, peak memory and the ``stories`` stage of
run.json, then per command the median seconds with min-max, the median of
the per-repeat ratios to (off), and the median peak memory (VmHWM at exit,
through a wrapper).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, against_base, ensure_corpus, loadavg, machine  # noqa: E402
from over_time import manifest_for  # noqa: E402
from throughput import run_cli, warm  # noqa: E402

VARIANTS = {"off": ["--stories", "off"], "auto": []}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    corpus, _ = ensure_corpus(args.articles, args.words, "jsonl", 0)
    manifest = manifest_for(corpus.path)
    warm(corpus)
    print(f"# {machine()}; load {loadavg()}")
    print(f"# corpus: {corpus.articles:,} articles, jsonl, {corpus.input_bytes / 1e6:,.0f} MB; jobs {args.jobs}")
    runs: dict[str, list] = {v: [] for v in VARIANTS}
    stage: dict[str, list[float]] = {v: [] for v in VARIANTS}
    out = OUT / "stories"
    for rep in range(args.repeat):
        for v, extra in VARIANTS.items():
            argv = ["analyze", str(corpus.path), "--manifest", str(manifest), "--out", str(out), "--no-charts",
                    "--no-html", "--quiet", "--jobs", str(args.jobs), "--no-cache", *extra]
            run = run_cli(argv, f"framing analyze ({v})")
            record = json.loads((out / "run.json").read_text(encoding="utf-8"))
            seconds = float(record["timings_seconds"].get("stories", 0.0))
            runs[v].append(run)
            stage[v].append(seconds)
            stories = ""
            if v == "auto":
                notes = record.get("notes", {}).get("stories.csv", [])
                stories = f"; {notes[0].split(' Linked')[0]}" if notes else ""  # how many stories
            print(f"repeat {rep + 1} {v:4}: {run.seconds:7.1f} s, peak {run.peak_mb:,.0f} MB, "
                  f"stories stage {seconds:.1f} s{stories}", flush=True)
    print()
    print("| command | options | seconds (median, min-max) | / off (median of repeats) | stories stage s | peak MB |")
    print("|---|---|---:|---:|---:|---:|")
    for v, (med, lo, hi, ratio, peak) in against_base(runs, "off").items():
        print(f"| {v} | `{' '.join(VARIANTS[v]) or '(default)'}` | {med:.1f} ({lo:.1f}-{hi:.1f}) | {ratio:.3f} | "
              f"{statistics.median(stage[v]):.1f} | {peak:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
