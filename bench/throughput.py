"""Throughput of framing against a plain-regex floor, on a corpus of real sentences.

Usage::

    python bench/throughput.py [--articles 10000] [--words 600] [--jobs 1]

Builds N articles of about ``--words`` words each from sentences sampled (with
a fixed seed) from ../shared/data/abp_sourcetype/articles.jsonl, writes them
as one JSONL file under bench/out/, then measures in one run:

(a) floor: read the file, parse JSON, lower-case, ``re.findall`` words;
(b) lexicon scoring: read + the shared token table (tokens, offsets, Punkt
    sentences) + matching all built-in lexicons + rates per 1,000 tokens,
    with framing already imported;
(c) the whole ``framing analyze --no-charts`` as a subprocess.

Prints articles/s, MB/s, the ratio to the floor, and peak memory (max RSS).
The sampled text is publishers' copyright: it stays in bench/out/ (ignored by
git) and is never committed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

# Imported here so that (b), like the floor, measures throughput, not start-up;
# (c) runs the real command and so includes it.
from framing.corpus import read_corpus
from framing.features import rates
from framing.lexicon import builtin_lexicon_paths, load_lexicon
from framing.match import category_totals, compile_lexicons, match
from framing.tokentable import build_token_table

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "abp_sourcetype" / "articles.jsonl"
OUT = ROOT / "bench" / "out"
FLOOR_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


def build_corpus(n_articles: int, words: int, seed: int = 0) -> Path:
    """Write n_articles of ~words words from sampled abp sentences; return the path."""
    if not DATA.is_file():
        sys.exit(f"bench: {DATA} is not here; this benchmark needs ../shared/data/abp_sourcetype")
    sentences = []
    with DATA.open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            sentences.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5)
    rng = random.Random(seed)
    types = ["wire", "state_media", "independent_commentary", "unknown"]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"corpus_{n_articles}_{words}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(n_articles):
            parts, n = [], 0
            while n < words:
                s = rng.choice(sentences)
                parts.append(s)
                n += len(s.split())
            st = types[i % 4]
            f.write(json.dumps({"id": f"a{i:07d}", "outlet": f"{st}-{i % 7}", "source_type": st,
                                "text": " ".join(parts)}) + "\n")
    return path


def floor(path: Path) -> int:
    n = 0
    with path.open(encoding="utf-8") as f:
        for line in f:
            n += len(FLOOR_RE.findall(json.loads(line)["text"].lower()))
    return n


def scoring(path: Path, jobs: int) -> int:
    lexicons = [load_lexicon(p) for p in builtin_lexicon_paths()]
    corpus = read_corpus([path])
    table = build_token_table([a.text for a in corpus.articles], jobs=jobs)
    compiled = compile_lexicons(lexicons)
    found = match(compiled, table)
    r = rates(category_totals(compiled, found, table.n_docs), table.n_tokens)
    return int(r.shape[0])


def timed(fn, *args) -> tuple[float, object]:
    t = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - t, value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()

    path = build_corpus(args.articles, args.words)
    mb = path.stat().st_size / 1e6
    print(f"corpus: {args.articles} articles, ~{args.words} words each, {mb:.1f} MB ({path.name})")

    t_floor, n_tokens = timed(floor, path)
    t_score, _ = timed(scoring, path, args.jobs)
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = OUT / "report"
    cmd = [sys.executable, "-m", "framing", "analyze", str(path), "--out", str(out), "--no-charts",
           "--quiet", "--jobs", str(args.jobs)]
    t_full, proc = timed(subprocess.run, cmd)
    if proc.returncode != 0:
        sys.exit(f"bench: framing analyze failed with status {proc.returncode}")
    rss_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"tokens: {n_tokens:,}   jobs: {args.jobs}")
    print(f"{'stage':<34}{'seconds':>9}{'articles/s':>12}{'MB/s':>8}{'x floor':>9}")
    for name, t in (("(a) floor: read+lower+re.findall", t_floor),
                    ("(b) lexicon scoring (built-ins)", t_score),
                    ("(c) framing analyze --no-charts", t_full)):
        print(f"{name:<34}{t:>9.2f}{args.articles / t:>12.0f}{mb / t:>8.1f}{t_floor / t:>9.2f}")
    print(f"peak memory: {rss_self:.0f} MB (floor + scoring, this process); "
          f"{rss_child:.0f} MB (framing analyze)")


if __name__ == "__main__":
    main()
