"""Very large inputs: time and peak memory of the corpus reader.

Usage::

    python bench/large_files.py [--jsonl-mb 500] [--txt-mb 200] [--cli-mb 50] [--keep]

Builds, under bench/out/ (ignored by git), from the real articles of
../shared/data/abp_sourcetype/articles.jsonl repeated with fresh ids (or, when
that folder is not here, from generated words, which this script says):

1. a big JSONL table (``--jsonl-mb``), read with ``read_corpus``;
2. a folder with one huge .txt article (``--txt-mb``) beside two small ones,
   read at the default size limit (the huge one must be skipped at once,
   unread) and with the limit raised above its size (it is read);
3. a JSONL table with one 40 MB line among small ones (over the default
   32 MB limit: skipped without being held in memory);
4. the whole ``framing analyze --no-charts`` on a ``--cli-mb`` slice of the
   big table.

Each case runs in its own process, so the peak resident memory (max RSS)
printed is that case's own, Python and imports included. The point of
cases 1 and 3 is that the reader streams tables: its memory follows the
articles it keeps, not the size of the file or of one rejected line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "abp_sourcetype" / "articles.jsonl"
OUT = ROOT / "bench" / "out" / "large"
MB = 1_000_000

# Runs in a child: read the given paths, print one JSON line of figures.
READ_CASE = textwrap.dedent(
    """
    import json, resource, sys, time
    from framing.corpus import read_corpus
    limit = int(sys.argv[1])
    t0 = time.perf_counter()
    corpus = read_corpus(sys.argv[2:], max_article_bytes=limit)
    seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before measuring adds copies
    print(json.dumps({
        "seconds": seconds,
        "articles": len(corpus.articles),
        "skipped": corpus.skipped,
        "text_mb": sum(len(a.text.encode("utf-8")) for a in corpus.articles) / 1e6,
        "rss_mb": rss_mb,
        "warnings": corpus.warnings[:3],
    }))
    """
)


def source_texts() -> tuple[list[str], bool]:
    """Article texts to repeat: the real ones when available."""
    if DATA.is_file():
        with DATA.open(encoding="utf-8") as f:
            return [json.loads(line)["text"] for line in f], True
    rng = random.Random(0)
    words = ["trade", "talks", "sanctions", "summit", "minister", "said", "the", "of", "and", "partnership", "war", "peace", "energy"]
    return [" ".join(rng.choice(words) for _ in range(600)) for _ in range(500)], False


def write_jsonl(path: Path, texts: list[str], size_mb: float) -> int:
    """Write records cycling through ``texts`` until the file reaches size_mb; return the count."""
    n, written = 0, 0
    with path.open("w", encoding="utf-8") as f:
        while written < size_mb * MB:
            line = json.dumps({"id": f"r{n}", "text": texts[n % len(texts)], "source_type": "wire"}) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def write_text(path: Path, texts: list[str], size_mb: float) -> None:
    with path.open("w", encoding="utf-8") as f:
        written, i = 0, 0
        while written < size_mb * MB:
            chunk = texts[i % len(texts)] + "\n\n"
            f.write(chunk)
            written += len(chunk.encode("utf-8"))
            i += 1


def read_case(limit: int, *paths: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", READ_CASE, str(limit), *map(str, paths)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(proc.stdout)


CLI_CASE = textwrap.dedent(
    """
    import json, resource, sys, time
    from framing.cli import main
    t0 = time.perf_counter()
    status = main(["analyze", sys.argv[1], "--out", sys.argv[2], "--no-charts", "--quiet"])
    print(json.dumps({"status": status, "seconds": time.perf_counter() - t0,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    """
)


def cli_case(path: Path, out: Path) -> dict:
    """The whole command, in its own process (imports excluded from the seconds)."""
    proc = subprocess.run(
        [sys.executable, "-c", CLI_CASE, str(path), str(out)], check=True, capture_output=True, text=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jsonl-mb", type=float, default=500)
    ap.add_argument("--txt-mb", type=float, default=200)
    ap.add_argument("--cli-mb", type=float, default=50)
    ap.add_argument("--keep", action="store_true", help="keep the generated files in bench/out/large")
    args = ap.parse_args()

    from framing.corpus import MAX_ARTICLE_BYTES

    texts, real = source_texts()
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"text: {'abp_sourcetype articles, repeated' if real else f'generated words ({DATA} is not here)'}")
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        big = OUT / "big.jsonl"
        n = write_jsonl(big, texts, args.jsonl_mb)
        folder = OUT / "folder"
        folder.mkdir(exist_ok=True)
        write_text(folder / "huge.txt", texts, args.txt_mb)
        (folder / "a.txt").write_text(texts[0], encoding="utf-8")
        (folder / "b.txt").write_text(texts[1 % len(texts)], encoding="utf-8")
        long_line = OUT / "long_line.jsonl"
        with long_line.open("w", encoding="utf-8") as f:
            f.write(json.dumps({"id": "small1", "text": texts[0]}) + "\n")
            f.write(json.dumps({"id": "huge", "text": "word " * (40 * MB // 5)}) + "\n")
            f.write(json.dumps({"id": "small2", "text": texts[1 % len(texts)]}) + "\n")
        cli_slice = OUT / "slice.jsonl"
        write_jsonl(cli_slice, texts, args.cli_mb)

        rows = []
        r = read_case(MAX_ARTICLE_BYTES, big)
        rows.append((f"1. JSONL table, {big.stat().st_size / MB:,.0f} MB, {n:,} records", r))
        r2 = read_case(MAX_ARTICLE_BYTES, folder)
        rows.append((f"2a. folder with a {args.txt_mb:,.0f} MB .txt, default limit", r2))
        r3 = read_case(int(args.txt_mb * MB * 2), folder)
        rows.append(("2b. the same, limit raised above it", r3))
        r4 = read_case(MAX_ARTICLE_BYTES, long_line)
        rows.append(("3. JSONL with one 40 MB line", r4))

        print(f"\n{'case':58} {'seconds':>8} {'articles':>9} {'skipped':>8} {'text MB':>8} {'MB/s':>7} {'RSS MB':>8}")
        for label, x in rows:
            rate = f"{x['text_mb'] / x['seconds']:7.1f}" if x["text_mb"] >= 1 and x["seconds"] else f"{'-':>7}"
            print(
                f"{label:58} {x['seconds']:8.2f} {x['articles']:9,} {x['skipped']:8,} {x['text_mb']:8.1f}"
                f" {rate} {x['rss_mb']:8.0f}"
            )
        for label, x in rows[1:2] + rows[3:]:
            for w in x["warnings"]:
                print(f"   {label.split('.')[0]}: warning: {w[-110:]}")
        base = read_case(MAX_ARTICLE_BYTES, folder / "a.txt")["rss_mb"]
        print(f"\nBaseline: reading one small article peaks at {base:,.0f} MB (Python and framing's imports).")
        print(
            f"Case 1 keeps {r['text_mb']:,.0f} MB of text as Python strings; its peak RSS is "
            f"{max(r['rss_mb'] - base, 0):,.0f} MB above the baseline, for a file of {big.stat().st_size / MB:,.0f} MB"
            " (the reader streams the file; the articles it keeps are what costs memory)."
        )

        out = OUT / "report"
        c = cli_case(cli_slice, out)
        print(
            f"4. framing analyze --no-charts on {cli_slice.stat().st_size / MB:,.0f} MB: {c['seconds']:.1f} s, "
            f"peak RSS {c['rss_mb']:,.0f} MB (exit status {c['status']})"
        )
    finally:
        if not args.keep:
            shutil.rmtree(OUT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
