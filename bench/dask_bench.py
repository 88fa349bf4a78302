"""The Dask engine against the local engine on the same machine: time, peak memory, same bytes.

Usage::

    python bench/dask_bench.py [--articles 1000000] [--words 600] [--repeat 3] [--format jsonl|txt|parquet]

The corpus is the engine benchmark's (bench/_common.py: sentences drawn with
a fixed seed from ../shared/data/abp_sourcetype/articles.jsonl, cached under
bench/out/; when that file is missing and no cached corpus matches, the
script says so and exits with status 0). ``parquet`` is the JSONL corpus
converted once (pyarrow), row groups of 10,000.

Each repeat runs, one after the other (the machine is shared and noisy, so
ratios are taken within a repeat):

(l) ``python -m framing analyze CORPUS --out bench/out/dask-local --no-charts --no-html --quiet --jobs W``
(d) the same with ``--engine dask`` and no ``--scheduler``: a LocalCluster of
    W single-threaded worker processes started by the command itself, so its
    start-up is in the time.

W is the number of cores. Times are whole processes (start-up and imports
included), medians of the repeats with min-max; "dask / local" is the median
of the per-repeat ratios. Memory: the command's own peak (VmHWM at exit, through a
wrapper: for (d) that is the client, which also hosts the Dask scheduler),
each worker's peak after the analysis (run.json, ``engine.peak_memory_mb``,
VmHWM of the worker process), and the sampled peak of the whole process tree
(summed Pss, a lower bound). After the first repeat, the seven CSVs of (l)
and (d) are compared byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA, OUT, ensure_corpus, loadavg, machine, median_range  # noqa: E402
from throughput import run_cli, warm  # noqa: E402

CSVS = ("report.csv", "matches.csv", "summary.csv", "terms.csv", "comparisons.csv", "evaluation.csv", "labels.csv")


def parquet_copy(jsonl: Path) -> Path:
    """The JSONL corpus as Parquet (row groups of 10,000), made once beside it."""
    target = jsonl.with_suffix(".parquet")
    if target.exists() and target.stat().st_mtime >= jsonl.stat().st_mtime:
        return target
    import pyarrow as pa
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    table = pj.read_json(jsonl, read_options=pj.ReadOptions(block_size=1 << 26))
    tmp = target.with_suffix(".parquet.tmp")
    pq.write_table(table.cast(pa.schema([(f.name, pa.string()) for f in table.schema])), tmp, row_group_size=10_000)
    os.replace(tmp, target)
    return target


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--format", choices=("jsonl", "txt", "parquet"), default="jsonl")
    args = ap.parse_args()
    corpus, _ = ensure_corpus(args.articles, args.words, "txt" if args.format == "txt" else "jsonl", 0)
    if corpus is None:
        print(f"bench: no cached corpus and no {DATA} to make one from; nothing measured")
        return 0
    path = parquet_copy(corpus.path) if args.format == "parquet" else corpus.path
    warm(corpus)
    workers = os.cpu_count() or 1
    print(f"# {machine()}; load {loadavg()}")
    print(f"# corpus: {corpus.articles:,} articles, {args.format}, {corpus.input_bytes / 1e6:,.0f} MB; "
          f"{workers} workers / jobs")
    runs: dict[str, list] = {"local": [], "dask": []}
    worker_peaks: list[list[float]] = []
    for rep in range(args.repeat):
        for engine in ("local", "dask"):
            out = OUT / f"dask-{engine}"
            argv = ["analyze", str(path), "--out", str(out), "--no-charts", "--no-html", "--quiet", "--jobs",
                    str(workers), "--no-cache"]
            if corpus.manifest:
                argv += ["--manifest", str(corpus.manifest)]
            if engine == "dask":
                argv += ["--engine", "dask"]
            run = run_cli(argv, f"framing analyze ({engine})")
            runs[engine].append(run)
            line = f"repeat {rep + 1} {engine:5}: {run.seconds:7.1f} s, command peak {run.peak_mb:,.0f} MB"
            if engine == "dask":
                record = json.loads((out / "run.json").read_text(encoding="utf-8"))
                peaks = [v for k, v in record["engine"]["peak_memory_mb"].items() if k.startswith("worker")]
                worker_peaks.append(peaks)
                line += ", workers " + ", ".join(f"{p:,.0f}" for p in peaks) + " MB"
            if run.tree_mb is not None:
                line += f", tree {run.tree_mb:,.0f} MB"
            print(line, flush=True)
        if rep == 0:
            same = [n for n in CSVS if (OUT / "dask-local" / n).read_bytes() == (OUT / "dask-dask" / n).read_bytes()]
            print(f"identical CSVs: {len(same)} of {len(CSVS)}" + ("" if len(same) == len(CSVS) else
                  f" (differ: {', '.join(n for n in CSVS if n not in same)})"), flush=True)
    print()
    print("| engine | seconds (median, min-max) | command peak MB | worker peaks MB | tree peak MB |")
    print("|---|---:|---:|---:|---:|")
    for engine in ("local", "dask"):
        med, lo, hi = median_range([r.seconds for r in runs[engine]])
        peak = statistics.median(r.peak_mb for r in runs[engine])
        trees = [r.tree_mb for r in runs[engine] if r.tree_mb is not None]
        tree = f"{statistics.median(trees):,.0f}" if trees else "n/a"
        wp = "-" if engine == "local" else " / ".join(
            f"{statistics.median(p[i] for p in worker_peaks):,.0f}" for i in range(len(worker_peaks[0])))
        print(f"| {engine} | {med:.1f} ({lo:.1f}-{hi:.1f}) | {peak:,.0f} | {wp} | {tree} |")
    ratios = [d.seconds / l.seconds for l, d in zip(runs["local"], runs["dask"])]
    print(f"\ndask / local time: {statistics.median(ratios):.2f} (per repeat: "
          f"{', '.join(f'{r:.2f}' for r in ratios)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
