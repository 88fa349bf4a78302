"""Very large inputs: time and peak memory of framing's corpus reader.

Usage::

    python bench/large_files.py [--jsonl-mb 500] [--txt-mb 200] [--line-mb 40]
                                [--cli] [--cli-mb 50] [--keep]

Builds, under bench/out/large/ (ignored by git), from the real articles of
../shared/data/abp_sourcetype/articles.jsonl recombined with fresh ids (or,
when that file is not here, from generated words, which the script says):

1. a big JSONL table (``--jsonl-mb``), read by ``read_corpus``, next to a
   floor that only parses each line and keeps its text;
2. a folder with one huge .txt article (``--txt-mb``) beside two small ones,
   read at the default limit (the huge one must be skipped at once, unread)
   and with the limit raised above its size (then it is read);
3. a JSONL table with one over-long line (``--line-mb``, over the default
   ``MAX_ARTICLE_BYTES``) among normal ones, read at the default limit and
   at a quarter of it: the line must be skipped, and what skipping it costs
   should follow the limit, not the line;
4. with ``--cli``, the whole ``framing analyze --no-charts --quiet`` on a
   ``--cli-mb`` table built the same way (wall time, start-up included).

Each case runs in a fresh Python process, and that process reports its own
peak resident memory: ``VmHWM`` from /proc/self/status. Not ``ru_maxrss``:
on Linux a child started by ``subprocess`` (vfork + exec) inherits the
parent's peak in ``ru_maxrss``, so every case would seem to need at least
what this script needed to build the inputs. (Elsewhere than Linux the script
falls back to ``ru_maxrss`` and says so.) A baseline case, one small article,
gives what Python and framing's imports take; "over base" is the rest.

MB is 10**6 bytes throughout. Files are read straight after being written,
so from the page cache: the seconds are CPU cost, not disk speed. The
article texts are publishers' copyright: they stay in bench/out/ and are
deleted at the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from framing.corpus import MAX_ARTICLE_BYTES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "abp_sourcetype" / "articles.jsonl"
OUT = ROOT / "bench" / "out" / "large"
MB = 1_000_000
WORDS = (
    "the", "of", "and", "to", "in", "a", "said", "minister", "government", "talks", "trade", "sanctions",
    "summit", "partnership", "security", "energy", "crisis", "agreement", "officials", "war", "peace",
    "reform", "election", "protest", "economy",
)  # fmt: skip

# Runs in each child. argv[1] is the case ("floor", "read" or "cli"), argv[2]
# a JSON list of its arguments; the last line printed is a JSON object of figures.
CHILD = textwrap.dedent(
    """
    import json, resource, sys, time

    def peak():
        try:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024 / 1e6, "VmHWM"
        except OSError:
            pass
        r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return (r if sys.platform == "darwin" else r * 1024) / 1e6, "ru_maxrss"

    case, args = sys.argv[1], json.loads(sys.argv[2])
    texts, warnings, skipped, status = [], [], 0, 0
    if case == "floor":
        import framing.corpus  # untimed: only so that the floor has the same baseline as the reader
        t0 = time.perf_counter()
        with open(args[0], encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f]
        seconds = time.perf_counter() - t0
    elif case == "read":
        from framing.corpus import read_corpus
        t0 = time.perf_counter()
        corpus = read_corpus(args[1:], max_article_bytes=args[0])
        seconds = time.perf_counter() - t0
        texts, warnings, skipped = [a.text for a in corpus.articles], corpus.warnings, corpus.skipped
    else:
        from framing.cli import main
        t0 = time.perf_counter()
        status = main(["analyze", *args, "--no-charts", "--quiet", "--no-cache"])
        seconds = time.perf_counter() - t0
    peak_mb, how = peak()  # before the sums below allocate anything
    print(json.dumps({
        "seconds": seconds, "articles": len(texts), "skipped": skipped, "status": status,
        "text_mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6,
        "str_mb": sum(sys.getsizeof(t) for t in texts) / 1e6,
        "peak_mb": peak_mb, "peak_how": how,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6,
        "warnings": warnings[:3], "n_warnings": len(warnings),
    }))
    """
)


@dataclass(frozen=True)
class Figures:
    """What one child reports about its case."""

    label: str
    input_mb: float
    wall: float  # seconds around the whole child process, start-up included
    seconds: float  # seconds of the case itself, imports excluded
    articles: int
    skipped: int
    status: int
    text_mb: float  # kept article texts, UTF-8 bytes
    str_mb: float  # the same texts as Python str objects (1, 2 or 4 bytes a character)
    peak_mb: float
    peak_how: str
    maxrss_mb: float
    warnings: list[str]
    n_warnings: int


def run_child(label: str, input_mb: float, case: str, args: list[object]) -> Figures:
    """Run one case in a fresh interpreter and return its figures."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, case, json.dumps(args)],
        check=False, capture_output=True, text=True, cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0 or not proc.stdout.strip():
        sys.exit(f"bench: case {label!r} failed (status {proc.returncode}):\n{proc.stderr[-3000:]}")
    return Figures(label=label, input_mb=input_mb, wall=wall, **json.loads(proc.stdout.strip().splitlines()[-1]))


# --- inputs -------------------------------------------------------------------


def source_records() -> tuple[list[dict[str, str]], bool]:
    """Articles to recombine: the abp ones when here, else generated words; and which."""
    if DATA.is_file():
        keep = ("outlet", "source_type", "title", "text")
        with DATA.open(encoding="utf-8") as f:
            return [{k: rec.get(k, "") for k in keep} for rec in map(json.loads, f)], True
    rng = random.Random(0)
    types = ["wire", "state_media", "independent_commentary", "unknown"]
    return [
        {"outlet": f"{types[i % 4]}-{i % 7}", "source_type": types[i % 4], "title": f"generated {i}",
         "text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(300, 1500))) + "."}
        for i in range(2000)
    ], False  # fmt: skip


def write_table(path: Path, records: list[dict[str, str]], size_mb: float, seed: int = 0) -> int:
    """Write the records, reshuffled on every pass, with fresh ids until size_mb; return the count."""
    bodies = [json.dumps(r, ensure_ascii=False)[1:] for r in records]  # '"outlet": ...}' without the '{'
    rng = random.Random(seed)
    order: list[int] = []
    n = written = 0
    with path.open("w", encoding="utf-8") as f:
        while written < size_mb * MB:
            if not order:
                order = list(range(len(bodies)))
                rng.shuffle(order)
            line = f'{{"id": "big-{n:08d}", {bodies[order.pop()]}\n'
            f.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def long_text(records: list[dict[str, str]], size_mb: float) -> str:
    """One text of about size_mb UTF-8 bytes made of the article texts one after the other."""
    parts: list[str] = []
    n = i = 0
    while n < size_mb * MB:
        t = records[i % len(records)]["text"]
        parts.append(t)
        n += len(t.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts)


def mb(path: Path) -> float:
    """Size of a file, or of every file under a folder, in MB."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / MB
    return path.stat().st_size / MB


# --- report -------------------------------------------------------------------


def print_table(rows: list[Figures], base: float) -> None:
    head = f"{'case':<46}{'seconds':>8}{'articles':>9}{'skipped':>8}{'input MB':>9}{'text MB':>8}"
    print(head + f"{'MB/s':>7}{'peak MB':>8}{'over base':>10}")
    for r in rows:
        rate = f"{r.input_mb / r.seconds:7.1f}" if r.seconds >= 0.01 and r.input_mb >= 1 else f"{'-':>7}"
        print(
            f"{r.label:<46}{r.seconds:8.2f}{r.articles:9,}{r.skipped:8,}{r.input_mb:9,.1f}{r.text_mb:8,.1f}"
            f"{rate}{r.peak_mb:8,.0f}{max(r.peak_mb - base, 0):10,.0f}"
        )


@dataclass(frozen=True)
class Inputs:
    """The files one run builds under OUT."""

    small: Path  # one normal article, for the baseline
    big: Path  # the big JSONL table
    n_big: int
    folder: Path  # huge.txt, a.txt, b.txt
    huge_mb: float
    long_line: Path  # one over-long line among 200 normal ones
    line_mb: float
    real: bool  # abp articles, not generated words


def build_inputs(jsonl_mb: float, txt_mb: float, line_mb: float) -> tuple[Inputs, list[dict[str, str]]]:
    """Write every input file; return them and the source records (for the --cli slice)."""
    records, real = source_records()
    big = OUT / "big.jsonl"
    n_big = write_table(big, records, jsonl_mb)
    folder = OUT / "folder"
    folder.mkdir(exist_ok=True)
    (folder / "huge.txt").write_text(long_text(records, txt_mb), encoding="utf-8")
    (folder / "a.txt").write_text(records[0]["text"], encoding="utf-8")
    (folder / "b.txt").write_text(records[1 % len(records)]["text"], encoding="utf-8")
    small = OUT / "small.txt"
    small.write_text(records[0]["text"], encoding="utf-8")
    long_line = OUT / "long_line.jsonl"
    with long_line.open("w", encoding="utf-8") as f:
        for i in range(100):
            f.write(json.dumps({"id": f"before-{i}", "text": records[i % len(records)]["text"]}) + "\n")
        huge_line = json.dumps({"id": "huge", "text": long_text(records, line_mb)}) + "\n"
        f.write(huge_line)
        for i in range(100):
            f.write(json.dumps({"id": f"after-{i}", "text": records[-1 - i % len(records)]["text"]}) + "\n")
    inputs = Inputs(small=small, big=big, n_big=n_big, folder=folder, huge_mb=mb(folder / "huge.txt"),
                    long_line=long_line, line_mb=len(huge_line.encode("utf-8")) / MB, real=real)  # fmt: skip
    return inputs, records


def print_notes(rows: dict[str, Figures], inp: Inputs, default: int, low: int) -> None:
    """Say what the figures mean, and flag what looks wrong."""
    base, floor, table, skip, read = rows["0"], rows["1a"], rows["1b"], rows["2a"], rows["2b"]

    def over(r: Figures) -> float:
        return max(r.peak_mb - base.peak_mb, 0)  # page-rounding noise can make it a hair below 0

    print("\nWhat the figures say ('over base': peak minus the baseline's):")
    print(f"- 0: Python and framing's imports peak at {base.peak_mb:,.0f} MB. (ru_maxrss in the same child says"
          f" {base.maxrss_mb:,.0f} MB: it carries this script's own peak over, so it is not used.)")
    held = over(table) - table.str_mb
    print(f"- 1b keeps {table.text_mb:,.0f} MB of text (UTF-8), which takes {table.str_mb:,.0f} MB as Python"
          f" strings ({table.str_mb / table.text_mb:.2f} bytes a UTF-8 byte); its peak is {over(table):,.0f} MB"
          f" over base for a {table.input_mb:,.0f} MB file: {over(table) / table.input_mb:.2f}x the file,"
          f" {over(table) / table.str_mb:.2f}x the kept strings, {held:,.0f} MB beyond them"
          f" ({held * MB / max(table.articles, 1):,.0f} bytes an article: records, ids, metadata).")
    if held < 0.5 * table.input_mb:
        print("  The file is not held whole: memory follows the articles kept, not the file.")
    else:
        print("  PROBLEM: beyond the kept strings the peak is as large as half the file or more.")
    print(f"  The floor (read lines + json.loads, texts kept) needs {over(floor):,.0f} MB over base and"
          f" {floor.seconds:.1f} s; read_corpus needs {over(table) / over(floor):.2f}x its memory and"
          f" {table.seconds / floor.seconds:.1f}x its time.")
    ok = over(skip) < 0.1 * inp.huge_mb and skip.seconds < 0.5
    print(f"- 2a skips the {inp.huge_mb:,.0f} MB file in {skip.seconds:.3f} s, {over(skip):,.0f} MB over base: "
          + ("unread, as it should be." if ok else "PROBLEM: it costs time or memory, so it was read."))
    per_byte = read.str_mb / read.text_mb if read.text_mb else 0
    print(f"- 2b reads it in {read.seconds:.2f} s ({inp.huge_mb / read.seconds:,.0f} MB/s), {over(read):,.0f} MB"
          f" over base: {read.str_mb:,.0f} MB of strings ({per_byte:.1f} bytes a UTF-8 byte; a single character"
          " beyond U+FFFF, such as an emoji, makes Python store a whole string at 4 bytes a character)"
          " plus the file's bytes, held while they are decoded.")
    for key, limit in (("3a", default), ("3b", low)):
        r = rows[key]
        print(f"- {key} skips the {inp.line_mb:,.1f} MB line in {r.seconds:.2f} s and reads {r.articles} small"
              f" lines; {over(r):,.0f} MB over base: {over(r) * MB / limit:.1f}x the {limit / MB:g} MB limit,"
              f" {over(r) / inp.line_mb:.2f}x the line.")
    if over(rows["3b"]) < 0.5 * over(rows["3a"]):
        print("  A rejected line costs memory in proportion to the limit, not to the line: the reader takes in"
              " the line's first limit + 1 bytes before it knows that the line is too long.")
    else:
        print("  PROBLEM: the cost of a rejected line does not shrink with the limit: the line is held.")


def run_cli(records: list[dict[str, str]], size_mb: float, base: Figures) -> None:
    """Time the whole command on a fresh slice and print one line about it."""
    cli_slice = OUT / "slice.jsonl"
    n = write_table(cli_slice, records, size_mb, seed=1)
    c = run_child(f"4. framing analyze, {n:,} records", mb(cli_slice), "cli",
                  [str(cli_slice), "--out", str(OUT / "report")])  # fmt: skip
    if c.status != 0:
        print(f"- 4 PROBLEM: framing analyze exited with status {c.status}")
    print(f"- 4 'framing analyze --no-charts --quiet' on {c.input_mb:,.0f} MB ({n:,} records, --jobs 1):"
          f" {c.wall:.1f} s wall (start-up included; {c.seconds:.1f} s after imports),"
          f" {c.input_mb / c.wall:.1f} MB/s, peak {c.peak_mb:,.0f} MB ({c.peak_mb - base.peak_mb:,.0f} MB over"
          " the reader's baseline).")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl-mb", type=float, default=500, help="size of the big JSONL table (default 500)")
    ap.add_argument("--txt-mb", type=float, default=200, help=f"size of the one huge .txt article (default 200; must exceed {MAX_ARTICLE_BYTES / MB:g})")
    ap.add_argument("--line-mb", type=float, default=40,
                    help=f"size of the over-long JSONL line (default 40; must exceed {MAX_ARTICLE_BYTES / MB:g})")
    ap.add_argument("--cli", action="store_true", help="also time the whole 'framing analyze' on a slice")
    ap.add_argument("--cli-mb", type=float, default=50, help="size of the slice for --cli (default 50)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files in bench/out/large/")
    args = ap.parse_args()
    for name, size in (("--txt-mb", args.txt_mb), ("--line-mb", args.line_mb)):
        if size * MB <= MAX_ARTICLE_BYTES:
            ap.error(f"{name} must exceed the default limit of {MAX_ARTICLE_BYTES / MB:g} MB")
    if min(args.jsonl_mb, args.txt_mb, args.cli_mb) <= 0:
        ap.error("sizes must be positive")
    need = (args.jsonl_mb + args.txt_mb + args.line_mb + (args.cli_mb if args.cli else 0)) * 1.05 * MB
    OUT.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(OUT).free < need:
        sys.exit(f"bench: {need / MB:,.0f} MB of free disk needed under {OUT}")

    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}")  # fmt: skip
    try:
        t0 = time.perf_counter()
        inp, records = build_inputs(args.jsonl_mb, args.txt_mb, args.line_mb)
        if inp.real:
            print(f"text: the {len(records):,} abp_sourcetype articles, reshuffled on every pass, fresh ids")
        else:
            print(f"text: {DATA} is not here; using generated text ({len(WORDS)} built-in words at random)")
        print(f"inputs written in {time.perf_counter() - t0:.1f} s under {OUT.relative_to(ROOT)}/")

        default, low = MAX_ARTICLE_BYTES, MAX_ARTICLE_BYTES // 4
        raised = int((inp.huge_mb + 1) * MB)
        cases: list[tuple[str, str, Path, str, list[object]]] = [
            ("0", "baseline: one small .txt article", inp.small, "read", [default, str(inp.small)]),
            ("1a", "floor: json.loads each line, keep text", inp.big, "floor", [str(inp.big)]),
            ("1b", f"read_corpus: JSONL, {inp.n_big:,} records", inp.big, "read", [default, str(inp.big)]),
            ("2a", f"folder, {inp.huge_mb:,.0f} MB .txt, default limit", inp.folder, "read",
             [default, str(inp.folder)]),
            ("2b", f"the same, limit {raised / MB:,.0f} MB", inp.folder, "read", [raised, str(inp.folder)]),
            ("3a", f"JSONL, one {inp.line_mb:,.1f} MB line + 200 small", inp.long_line, "read",
             [default, str(inp.long_line)]),
            ("3b", f"the same, limit {low / MB:g} MB", inp.long_line, "read", [low, str(inp.long_line)]),
        ]  # fmt: skip
        rows = {key: run_child(f"{key}. {label}", mb(path), case, a) for key, label, path, case, a in cases}

        print(f"\ndefault limit (MAX_ARTICLE_BYTES): {default / MB:g} MB;"
              f" peak = {rows['0'].peak_how} of each case's own process\n")  # fmt: skip
        print_table(list(rows.values()), rows["0"].peak_mb)
        for key in ("2a", "2b", "3a", "3b"):
            r = rows[key]
            for w in r.warnings:
                print(f"  {key} warning: {w}")
            if r.n_warnings > len(r.warnings):
                print(f"  {key} ... and {r.n_warnings - len(r.warnings)} more warnings")
        print_notes(rows, inp, default, low)
        if args.cli:
            run_cli(records, args.cli_mb, rows["0"])
    finally:
        if not args.keep:
            shutil.rmtree(OUT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
