"""What comparing by another column and over time costs: `analyze` with and without the options, same corpus.

Usage::

    python bench/over_time.py [--articles 100000] [--words 600] [--repeat 3] [--jobs 2]

The corpus is the engine benchmark's (bench/_common.py: sentences drawn with
a fixed seed from ../shared/data/abp_sourcetype/articles.jsonl, cached under
bench/out/; when that file is missing and no cached corpus matches, the
script says so and exits with status 0). Beside it, this script writes a
manifest (bench/out/over_time-<corpus>.csv: id, outlet, source_type, date,
lean) that dates the articles over two years (2021-2022, every day, in the
ISO, RFC 2822 and "Sep 10, 2022" forms, one in 50 month-only and one in 200
unreadable) and gives each outlet a lean, so that the runs parse dates as a
real corpus makes them.

Each repeat runs these commands one after the other (whole processes,
start-up included; the machine is shared and noisy, so ratios are taken
within a repeat, to the plain run of the same repeat):

(plain)  ``python -m framing analyze CORPUS --manifest M --out bench/out/over-time --no-charts --no-html
         --quiet --jobs J``
(month)  the same with ``--by-period month``
(week)   the same with ``--by-period week --split-date 2022-01-01``
(lean)   the same with ``--group-by lean --by-period week --split-date 2022-01-01``
(outlet) the same with ``--group-by outlet --by-period week --split-date 2022-01-01``

It prints each run's seconds, then per command the median seconds with
min-max, the median of the per-repeat ratios to (plain), and the command's
peak memory (VmHWM at exit, through a wrapper).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, against_base, ensure_corpus, loadavg, machine  # noqa: E402
from throughput import run_cli, warm  # noqa: E402

SPLIT = "2022-01-01"
VARIANTS = {
    "plain": [],
    "month": ["--by-period", "month"],
    "week": ["--by-period", "week", "--split-date", SPLIT],
    "lean": ["--group-by", "lean", "--by-period", "week", "--split-date", SPLIT],
    "outlet": ["--group-by", "outlet", "--by-period", "week", "--split-date", SPLIT],
}
LEANS = ("left", "centre", "right")


def date_text(i: int) -> str:
    """Article i's date: every day of 2021-2022 in turn, in one of three forms; some month-only or unreadable."""
    day = date(2021, 1, 1) + timedelta(days=(i * 37) % 730)
    if i % 200 == 11:
        return "last spring"
    if i % 50 == 3:
        return day.strftime("%Y-%m")
    forms = (day.isoformat(), day.strftime("%b %d, %Y"),
             format_datetime(datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)))
    return forms[i % 3]


def manifest_for(corpus_path: Path) -> Path:
    """The dates-and-lean manifest of the cached corpus (made once, beside it)."""
    path = OUT / f"over_time-{corpus_path.name}.csv"
    if path.exists() and path.stat().st_mtime >= corpus_path.stat().st_mtime:
        return path
    tmp = path.with_suffix(".csv.partial")
    with corpus_path.open(encoding="utf-8") as src, tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "outlet", "source_type", "date", "lean"])
        for i, line in enumerate(src):
            r = json.loads(line)
            w.writerow([r["id"], r["outlet"], r["source_type"], date_text(i),
                        LEANS[sum(map(ord, r["outlet"])) % len(LEANS)]])
    os.replace(tmp, path)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", default=",".join(VARIANTS), help="comma-separated variants to run")
    args = ap.parse_args()
    corpus, _ = ensure_corpus(args.articles, args.words, "jsonl", 0)
    manifest = manifest_for(corpus.path)
    variants = [v for v in VARIANTS if v in args.only.split(",")]
    warm(corpus)
    print(f"# {machine()}; load {loadavg()}")
    print(f"# corpus: {corpus.articles:,} articles, jsonl, {corpus.input_bytes / 1e6:,.0f} MB; jobs {args.jobs}")
    runs: dict[str, list] = {v: [] for v in variants}
    out = OUT / "over-time"
    for rep in range(args.repeat):
        for v in variants:
            argv = ["analyze", str(corpus.path), "--manifest", str(manifest), "--out", str(out), "--no-charts",
                    "--no-html", "--quiet", "--jobs", str(args.jobs), "--no-cache", *VARIANTS[v]]
            run = run_cli(argv, f"framing analyze ({v})")
            runs[v].append(run)
            print(f"repeat {rep + 1} {v:6}: {run.seconds:7.1f} s, peak {run.peak_mb:,.0f} MB", flush=True)
    print()
    print("| command | options | seconds (median, min-max) | / plain (median of repeats) | peak MB |")
    print("|---|---|---:|---:|---:|")
    for v, (med, lo, hi, ratio, peak) in against_base(runs, "plain").items():
        print(f"| {v} | `{' '.join(VARIANTS[v]) or '(none)'}` | {med:.1f} ({lo:.1f}-{hi:.1f}) | {ratio:.3f} | "
              f"{peak:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
