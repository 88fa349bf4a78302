"""Throughput and peak memory of framing against a plain-regex floor, on a corpus of real sentences.

Usage::

    python bench/throughput.py [--articles 10000[,100000]] [--words 600] [--format jsonl|csv|txt ...]
                               [--jobs 1,2] [--repeat 3] [--skip-scoring] [--markdown] [--clean]

The corpus (see bench/_common.py): N articles of about ``--words`` words made
of sentences drawn with a fixed seed from
../shared/data/abp_sourcetype/articles.jsonl (when that file is missing and no
cached corpus matches, the script says so and exits with status 0). It is
generated in a separate process, streamed to disk, and cached under
bench/out/ (ignored by git; the text is publishers' copyright) by N, words,
format and seed. ``txt`` is a folder of one .txt file per article in
sub-folders of 1,000, with a manifest.csv (file, outlet, source_type).

For each (N, format, jobs) three measures run, each in a fresh Python process
so that its peak memory is its own:

(a) floor: read the same input (each JSONL line and ``json.loads``; each CSV
    row from ``csv.reader``; each .txt file read and decoded as UTF-8),
    lower-case the text, ``re.findall(r"[^\\W_]+(?:['\\-][^\\W_]+)*")`` and
    count the tokens. Timed inside the child, after its imports.
(b) lexicon scoring: pass 1 of the engine with ``--jobs`` processes: read
    the corpus as a stream, tokens with offsets, sentences, matching all
    built-in lexicons, masking, rates per 1,000 tokens (``_scoring_snippet()``). Timed
    inside the child, after its imports (lexicon loading is timed).
(c) the real command ``python -m framing analyze INPUT --out
    bench/out/report-... --no-charts --quiet --jobs N --no-cache`` (cold:
    no token cache read or written; ``--manifest`` for
    txt), through a wrapper that only records the peak memory at exit. Timed
    by this script around the whole process: start-up and imports included.

Ratios: the machine is shared and noisy, so the measures are interleaved:
every repeat runs, for every (N, format, jobs), floor, (b), (c) one after the
other, and the ratio is always to the floor of the same repeat. "x floor" is
the median over repeats of t_floor / t_measure, i.e. the measure's throughput
as a share of the floor's (1.0 = as fast as the floor). Seconds are medians
with min-max; articles/s and MB/s are from the median seconds. MB is 10**6
bytes, of the input as read (the file, or every file in the folder). The input
is read once before measuring so that every run reads it from the page cache.

Peak memory: "peak MB" is VmHWM of the measured process itself, reported by
that process at exit (ru_maxrss as the parent sees it would carry this
script's own peak on Linux); "tree MB" is the largest summed Pss of the
process and its workers (``--jobs``), sampled five times a second, so a lower
bound of the tree's peak. After each (N, format, jobs), the last (c) run's
run.json ``timings_seconds`` are printed as shares of that run's wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    FORMATS,
    MB,
    OUT,
    PEAK_CODE,
    ROOT,
    Corpus,
    TreeSampler,
    ensure_corpus,
    loadavg,
    machine,
    median_range,
    remove_corpus,
)  # fmt: skip

FLOOR_PATTERN = r"[^\W_]+(?:['\-][^\W_]+)*"

# Targets from the engine issue: x floor at jobs 1 and at jobs >= 2, and peak memory by corpus size.
TARGETS = {"b": (0.6, 0.6), "c": (0.4, 0.6)}
PEAK_TARGETS_MB = {100_000: 1_000, 1_000_000: 2_000}

# Each child below gets one JSON argument and prints, as its last line, a JSON object.
FLOOR_CHILD = PEAK_CODE + textwrap.dedent(
    '''
    import csv, json, os, re, sys, time
    csv.field_size_limit(2**31 - 1)
    args = json.loads(sys.argv[1])
    findall = re.compile(args["pattern"]).findall
    t0 = time.perf_counter()
    tokens = articles = 0
    if args["format"] == "jsonl":
        with open(args["path"], encoding="utf-8") as f:
            for line in f:
                tokens += len(findall(json.loads(line)["text"].lower()))
                articles += 1
    elif args["format"] == "csv":
        with open(args["path"], encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            col = next(rows).index("text")
            for row in rows:
                tokens += len(findall(row[col].lower()))
                articles += 1
    else:
        for dirpath, dirnames, filenames in os.walk(args["path"]):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".txt"):
                    with open(os.path.join(dirpath, name), "rb") as f:
                        tokens += len(findall(f.read().decode("utf-8").lower()))
                    articles += 1
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "tokens": tokens, "articles": articles, "peak_mb": peak_mb()}))
    '''
)


def _scoring_snippet() -> str:
    """Python source defining ``score(paths, manifest, jobs) -> int`` (the number of articles scored).

    This is the one place to change when the engine offers a lexicon-scoring
    function: the module-level code (imports) runs untimed, then the call to
    ``score`` is timed. Today it strings the engine's internals together.
    """
    return textwrap.dedent(
        '''
        from framing.analysis.features import rates
        from framing.analysis.mask import Masker
        from framing.analysis.match import compile_lexicons
        from framing.corpus import CorpusReader
        from framing.engine.local import score_chunks
        from framing.engine.state import batches
        from framing.lexicon import load_lexicons

        def score(paths, manifest, jobs):
            # Pass 1 of the engine, which is the lexicon scoring: streamed
            # reading, tokens with offsets, sentences, matching, masking, rates.
            compiled = compile_lexicons(load_lexicons())
            n = 0
            chunks = batches(CorpusReader(paths, manifest=manifest))
            for rows in score_chunks(chunks, compiled, jobs, Masker()):
                n += len(rates(rows.totals, rows.n_tokens))
            return n
        '''
    )


SCORING_TAIL = textwrap.dedent(
    '''
    import json as _json, sys as _sys, time as _time
    _args = _json.loads(_sys.argv[1])
    _t0 = _time.perf_counter()
    _n = score(_args["paths"], _args["manifest"], _args["jobs"])
    _seconds = _time.perf_counter() - _t0
    print(_json.dumps({"seconds": _seconds, "articles": _n, "peak_mb": peak_mb()}))
    '''
)

# Runs ``python -m framing`` unchanged, and writes its peak memory to a side file at exit.
CLI_WRAPPER = PEAK_CODE + textwrap.dedent(
    '''
    import atexit, json, runpy, sys
    _args = json.loads(sys.argv[1])

    def _report():
        with open(_args["side"], "w") as f:
            json.dump({"peak_mb": peak_mb()}, f)

    atexit.register(_report)
    sys.argv = ["framing", *_args["argv"]]
    runpy.run_module("framing", run_name="__main__", alter_sys=True)
    '''
)


@dataclass
class Run:
    """One measured child."""

    wall: float  # around the whole process, start-up included
    seconds: float  # what the measure reports: inside the child for (a) and (b), wall for (c)
    peak_mb: float
    tree_mb: float | None
    out: dict


@dataclass
class Case:
    """One (N, format, jobs) and its runs."""

    corpus: Corpus
    jobs: int
    runs: dict[str, list[Run]] = field(default_factory=lambda: {"a": [], "b": [], "c": []})
    report: Path | None = None

    @property
    def label(self) -> str:
        return f"{self.corpus.articles:,} articles, {self.corpus.format}, --jobs {self.jobs}"


MEASURES = {
    "a": "(a) floor: read + parse + lower + re.findall",
    "b": "(b) lexicon scoring, built-in lexicons",
    "c": "(c) framing analyze --no-charts",
}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    # The CLI's token cache of the benchmarks stays in bench/out; the measured runs pass --no-cache (cold runs)
    # unless they measure the cache itself (bench/lexicon_loop.py).
    env.setdefault("FRAMING_CACHE_DIR", str(OUT / "token-cache"))
    return env


def run_child(code: str, arg: dict, what: str, side: Path | None = None) -> Run:
    """Run ``python -c code json(arg)`` in a fresh process; fail loudly if it fails."""
    if side is not None:
        side.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, json.dumps(arg)], cwd=ROOT, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    with TreeSampler(proc.pid) as tree:
        stdout, stderr = proc.communicate()
        wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"bench: {what} failed (status {proc.returncode}):\n{stderr[-3000:]}")
    if side is not None:
        out = json.loads(side.read_text(encoding="utf-8"))
        out["seconds"] = wall
    else:
        out = json.loads(stdout.strip().splitlines()[-1])
    return Run(wall=wall, seconds=out["seconds"], peak_mb=out["peak_mb"], tree_mb=tree.peak_mb, out=out)


def run_cli(argv: list[str], what: str) -> Run:
    """``python -m framing ARGV`` in a fresh process, through the wrapper that reports its own peak memory."""
    side = OUT / f".peak-{os.getpid()}.json"
    try:
        return run_child(CLI_WRAPPER, {"argv": argv, "side": str(side)}, what, side)
    finally:
        side.unlink(missing_ok=True)


def measure(case: Case, which: str) -> Run:
    c = case.corpus
    if which == "a":
        return run_child(FLOOR_CHILD, {"format": c.format, "path": str(c.path), "pattern": FLOOR_PATTERN},
                         f"floor on {case.label}")  # fmt: skip
    if which == "b":
        arg = {"paths": [str(c.path)], "manifest": str(c.manifest) if c.manifest else None, "jobs": case.jobs}
        return run_child(PEAK_CODE + _scoring_snippet() + SCORING_TAIL, arg, f"lexicon scoring on {case.label}")
    case.report = OUT / f"report-n{c.articles}-w{c.words}-{c.format}-j{case.jobs}"
    argv = ["analyze", str(c.path), "--out", str(case.report), "--no-charts", "--quiet", "--jobs", str(case.jobs),
            "--no-cache"]
    if c.manifest:
        argv += ["--manifest", str(c.manifest)]
    return run_cli(argv, f"framing analyze on {case.label}")


def warm(c: Corpus) -> None:
    """Read every byte of the input once, so that no measure pays for the disk and the first floor least of all."""
    paths = [c.path] if c.path.is_file() else sorted(p for p in c.path.rglob("*") if p.is_file())
    for p in paths:
        with open(p, "rb") as f:
            while f.read(1 << 24):
                pass


# --- report -----------------------------------------------------------------------


@dataclass
class Row:
    case: Case
    which: str
    seconds: tuple[float, float, float]
    per_s: float
    mb_s: float
    x_floor: float
    peak_mb: float
    tree_mb: float | None

    def target(self) -> str:
        if self.which == "a":
            return ""
        x = TARGETS[self.which][0 if self.case.jobs == 1 else 1]
        return f">= {x:g}" + (" met" if self.x_floor >= x else " NOT met")

    def peak_target(self) -> str:
        limit = PEAK_TARGETS_MB.get(self.case.corpus.articles)
        if limit is None or self.which == "a" or self.case.corpus.words != 600:  # the targets are for ~600 words
            return ""
        worst = max(self.peak_mb, self.tree_mb or 0)
        return f"< {limit:,}" + (" met" if worst < limit else " NOT met")


def rows(case: Case) -> list[Row]:
    floor = case.runs["a"]
    out = []
    for which, runs in case.runs.items():
        if not runs:
            continue
        secs = [r.seconds for r in runs]
        med = statistics.median(secs)
        ratios = [f.seconds / r.seconds for f, r in zip(floor, runs)]
        trees = [r.tree_mb for r in runs if r.tree_mb is not None]
        out.append(Row(case=case, which=which, seconds=median_range(secs), per_s=case.corpus.articles / med,
                       mb_s=case.corpus.input_bytes / MB / med, x_floor=statistics.median(ratios),
                       peak_mb=max(r.peak_mb for r in runs), tree_mb=max(trees) if trees else None))  # fmt: skip
    return out


def print_case(case: Case) -> list[Row]:
    c = case.corpus
    tokens = {r.out["tokens"] for r in case.runs["a"]}
    print(f"\n== {case.label}: {'/'.join(f'{t:,}' for t in sorted(tokens))} tokens (floor),"
          f" {c.input_bytes / MB:,.1f} MB input ({c.text_bytes / MB:,.1f} MB of text),"
          f" {len(case.runs['a'])} runs ==")  # fmt: skip
    head = f"{'measure':<46}{'seconds (min-max)':>22}{'articles/s':>11}{'MB/s':>7}{'x floor':>8}{'peak MB':>8}"
    print(head + f"{'tree MB':>8}  target")
    out = rows(case)
    for r in out:
        med, lo, hi = r.seconds
        tree = f"{r.tree_mb:8,.0f}" if r.tree_mb is not None else f"{'-':>8}"
        print(f"{MEASURES[r.which]:<46}{med:>9.2f} ({lo:5.2f}-{hi:5.2f}){r.per_s:>11,.0f}{r.mb_s:>7.1f}"
              f"{r.x_floor:>8.2f}{r.peak_mb:>8,.0f}{tree}  {'; '.join(filter(None, [r.target(), r.peak_target()]))}")
    for which in ("b", "c"):
        counts = {r.out.get("articles") for r in case.runs[which] if "articles" in r.out}
        if counts and counts != {c.articles}:
            print(f"  PROBLEM: {MEASURES[which]} scored {sorted(counts)} articles, not {c.articles:,}")
    if case.runs["a"] and {r.out["articles"] for r in case.runs["a"]} != {c.articles}:
        print(f"  PROBLEM: the floor read {sorted({r.out['articles'] for r in case.runs['a']})} articles")
    print_stages(case)
    return out


def _flat(timings: object, prefix: str = "") -> dict[str, float]:
    """Numbers of a (possibly nested) timings mapping, nested keys joined by '.'."""
    out: dict[str, float] = {}
    if isinstance(timings, dict):
        for k, v in timings.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[prefix + str(k)] = float(v)
            elif isinstance(v, dict):
                out.update(_flat(v, f"{prefix}{k}."))
    return out


def print_stages(case: Case) -> None:
    """The last (c) run's run.json timings_seconds, as shares of its wall time."""
    if not case.runs["c"] or case.report is None:
        return
    wall = case.runs["c"][-1].wall
    try:
        record = json.loads((case.report / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"  stages: cannot read run.json ({e})")
        return
    timings = _flat(record.get("timings_seconds"))
    if not timings:
        print("  stages: run.json has no timings_seconds")
        return
    parts = [f"{k} {v:.2f} s {100 * v / wall:.0f}%" for k, v in timings.items()]
    top = record["timings_seconds"]  # a nested mapping counts once, as the sum of its parts
    rest = wall - sum(sum(_flat(v).values()) if isinstance(v, dict) else timings.get(str(k), 0.0) for k, v in top.items())
    parts.append(f"rest (start-up, imports, writing, ...) {rest:.2f} s {100 * rest / wall:.0f}%")
    print(f"  stages of the last (c) run ({wall:.2f} s wall), from run.json: " + ", ".join(parts))


def print_markdown(all_rows: list[Row], header: str) -> None:
    print("\n" + header + "\n")
    print("| articles | format | jobs | measure | seconds (min–max) | articles/s | MB/s | x floor | target "
          "| peak MB | tree MB |")
    print("|---:|---|---:|---|---:|---:|---:|---:|---|---:|---:|")
    for r in all_rows:
        c = r.case.corpus
        med, lo, hi = r.seconds
        name = MEASURES[r.which].replace("re.findall", "`re.findall`").replace("framing analyze --no-charts",
                                                                               "`framing analyze --no-charts`")
        tree = f"{r.tree_mb:,.0f}" if r.tree_mb is not None else ""
        target = "; ".join(filter(None, [r.target(), r.peak_target() and r.peak_target() + " MB"]))
        print(f"| {c.articles:,} | {c.format} | {r.case.jobs} | {name} | {med:.2f} ({lo:.2f}–{hi:.2f}) "
              f"| {r.per_s:,.0f} | {r.mb_s:.1f} | {r.x_floor:.2f} | {target} | {r.peak_mb:,.0f} | {tree} |")


def print_txt_vs_csv(cases: list[Case]) -> None:
    """A folder of .txt files should be as fast as one CSV: (c) on both, paired by repeat."""
    by = {(k.corpus.articles, k.corpus.format, k.jobs): k for k in cases}
    for (n, fmt, jobs), txt in by.items():
        csv_case = by.get((n, "csv", jobs))
        if fmt != "txt" or csv_case is None:
            continue
        for which in ("c", "b"):
            pairs = list(zip(csv_case.runs[which], txt.runs[which]))
            if pairs:
                x = statistics.median(a.seconds / b.seconds for a, b in pairs)
                print(f"txt folder vs one CSV, {MEASURES[which]}, {n:,} articles, --jobs {jobs}: txt at {x:.2f}x"
                      f" the CSV's throughput (median of paired repeats; target >= 1)")


# --- main -------------------------------------------------------------------------


def _ints(values: list[str], name: str) -> list[int]:
    out = []
    for v in values:
        for part in v.split(","):
            part = part.strip().replace("_", "")
            if not part:
                continue
            try:
                n = int(float(part)) if "e" in part.lower() else int(part)
            except ValueError:
                raise SystemExit(f"bench: {name} wants whole numbers, got {part!r}") from None
            if n < 1:
                raise SystemExit(f"bench: {name} must be at least 1, got {n}")
            out.append(n)
    return list(dict.fromkeys(out))


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Measures, ratios and memory are explained at the top of bench/throughput.py.",
    )
    ap.add_argument("--articles", action="append", metavar="N[,N...]",
                    help="corpus sizes; repeatable or a comma list (default 10000)")
    ap.add_argument("--words", type=int, default=600, help="about this many words an article (default 600)")
    ap.add_argument("--format", action="append", metavar="FMT",
                    help="jsonl, csv or txt (a folder); repeatable or a comma list (default jsonl)")
    ap.add_argument("--jobs", default="1,2", metavar="N[,N...]", help="--jobs values for (b) and (c) (default 1,2)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of every measure; figures are medians (default 3)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the sentence sampling (default 0)")
    ap.add_argument("--skip-scoring", action="store_true", help="do not run (b), lexicon scoring")
    ap.add_argument("--markdown", action="store_true", help="also print the results as a markdown table")
    ap.add_argument("--generate-only", action="store_true", help="build (or find cached) corpora, measure nothing")
    keep = ap.add_mutually_exclusive_group()
    keep.add_argument("--keep", action="store_true", default=True,
                      help="keep the generated corpora in bench/out/ for the next run (the default)")
    keep.add_argument("--clean", action="store_true",
                      help="delete this run's corpora and report folders from bench/out/ at the end")
    args = ap.parse_args()

    sizes = _ints(args.articles or ["10000"], "--articles")
    jobs = _ints([args.jobs], "--jobs")
    formats = list(dict.fromkeys(p.strip() for v in (args.format or ["jsonl"]) for p in v.split(",") if p.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        ap.error(f"unknown format {bad[0]!r}; choose from {', '.join(FORMATS)}")
    if args.repeat < 1 or args.words < 1:
        ap.error("--repeat and --words must be at least 1")

    print(f"machine: {machine()}")
    load_before = loadavg()
    print(f"load average before: {load_before}")
    corpora: list[Corpus] = []
    for n in sizes:
        for fmt in formats:
            t0 = time.perf_counter()
            c, was_cached = ensure_corpus(n, args.words, fmt, args.seed)
            how = "cached" if was_cached else f"generated in {time.perf_counter() - t0:.1f} s"
            print(f"corpus {c.path.relative_to(ROOT)}: {how} (generation took {c.seconds:.1f} s,"
                  f" generator peak {c.generator_peak_mb:,.0f} MB); {c.articles:,} articles,"
                  f" {c.input_bytes / MB:,.1f} MB input, {c.text_bytes / MB:,.1f} MB of text,"
                  f" {c.disk_bytes / MB:,.1f} MB on disk", flush=True)  # fmt: skip
            corpora.append(c)
    if args.generate_only:
        return 0

    cases = [Case(corpus=c, jobs=j) for c in corpora for j in jobs]
    for c in corpora:
        warm(c)
    order = ["a", "b", "c"] if not args.skip_scoring else ["a", "c"]
    t_start = time.perf_counter()
    try:
        for rep in range(args.repeat):
            for case in cases:
                for which in order:
                    run = measure(case, which)
                    case.runs[which].append(run)
                    print(f"  [{rep + 1}/{args.repeat}] {case.label}: {MEASURES[which]} {run.seconds:.2f} s,"
                          f" peak {run.peak_mb:,.0f} MB", file=sys.stderr, flush=True)  # fmt: skip

        load_after = loadavg()
        print(f"\nload average after: {load_after}; measuring took {time.perf_counter() - t_start:.0f} s")
        print("seconds: median (min-max) of the runs; x floor: median over runs of t_floor / t_measure,"
              " floor and measure from the same repeat")  # fmt: skip
        all_rows: list[Row] = []
        for case in cases:
            all_rows.extend(print_case(case))
        print()
        print_txt_vs_csv(cases)
        if args.markdown:
            header = (f"Measured on {machine()}; {args.repeat} runs of each, interleaved; load average"
                      f" {load_before} before, {load_after} after; ~{args.words} words an article.")  # fmt: skip
            print_markdown(all_rows, header)
    finally:
        if args.clean:
            for case in cases:
                if case.report is not None:
                    shutil.rmtree(case.report, ignore_errors=True)
            for c in corpora:
                remove_corpus(c)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
