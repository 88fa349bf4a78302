"""The lexicon-editing loop on a real corpus: each command after a lexicon edit, cold and with a warm token cache.

Usage::

    python bench/lexicon_loop.py [--repeat 3] [--jobs 2]

The corpus is ../shared/data/abp_sourcetype (articles.jsonl and
manifest.csv, 7,125 articles; said, and status 0, when the folder is
missing). The edit: the built-in ``frames`` lexicon with one term added to
its first category, written to bench/out/lexicon-loop/frames_edited.yaml.
Every measure is a whole ``python -m framing ...`` process (start-up and
imports included), and the runs are interleaved: each repeat runs every
measure once, and ratios are taken within a repeat.

* (a) the floor: read the JSONL, ``json.loads`` each line, lower-case the
  text, ``re.findall`` the words (bench/throughput.py's floor, the same
  code);
* (b) ``framing lexicon diff frames frames_edited.yaml`` cold
  (``--no-cache``), (c) the same with the token cache warm;
* (d) ``framing analyze`` with the edited lexicon beside the other
  built-ins, ``--no-charts --no-html`` cold (``--no-cache``), (e) the same
  with the token cache warm.

The cache is bench/out/lexicon-loop/cache (``FRAMING_CACHE_DIR``), filled
by one untimed run of (c) and (e) before the repeats. The outputs of the
cold and warm runs are compared byte for byte, every repeat.

The issue's targets: (c) faster than (a); (e) at most half of (d).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, ROOT, loadavg, machine, median_range  # noqa: E402
from throughput import FLOOR_CHILD, FLOOR_PATTERN, run_child, run_cli  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "abp_sourcetype"
WORK = OUT / "lexicon-loop"
NAMES = {
    "a": "(a) floor: read + parse + lower + re.findall",
    "b": "(b) lexicon diff, cold (--no-cache)",
    "c": "(c) lexicon diff, warm token cache",
    "d": "(d) analyze, one lexicon edited, cold",
    "e": "(e) analyze, one lexicon edited, warm",
}


def edited_lexicon() -> Path:
    """frames.yaml with one term added to its first category (the edit of the loop)."""
    text = (ROOT / "lexicons" / "frames.yaml").read_text(encoding="utf-8")
    marker = "    terms:\n"
    at = text.index(marker) + len(marker)
    path = WORK / "frames_edited.yaml"
    path.write_text(text[:at] + "      - tradecraft\n" + text[at:], encoding="utf-8")
    return path


def commands(edited: Path, jobs: int) -> dict[str, list[str]]:
    corpus = [str(DATA / "articles.jsonl"), "--manifest", str(DATA / "manifest.csv"), "--id-column", "id"]
    diff = ["lexicon", "diff", "frames", str(edited), *corpus, "--quiet"]
    analyze = ["analyze", *corpus, "--lexicon", str(edited), "--lexicon", "news_frames", "--lexicon", "style",
               "--lexicon", "labels", "--no-charts", "--no-html", "--quiet", "--jobs", str(jobs)]
    return {
        "b": [*diff, "--out", str(WORK / "diff-cold"), "--no-cache"],
        "c": [*diff, "--out", str(WORK / "diff-warm")],
        "d": [*analyze, "--out", str(WORK / "analyze-cold"), "--no-cache"],
        "e": [*analyze, "--out", str(WORK / "analyze-warm")],
    }


def same_outputs(cold: Path, warm: Path) -> bool:
    """Every CSV of the warm run is the cold run's, byte for byte."""
    names = sorted(p.name for p in cold.glob("*.csv"))
    return bool(names) and all((cold / n).read_bytes() == (warm / n).read_bytes() for n in names)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of every measure; figures are medians (default 3)")
    ap.add_argument("--jobs", type=int, default=2, help="--jobs of analyze (default 2)")
    args = ap.parse_args()
    if not (DATA / "articles.jsonl").is_file():
        print(f"bench: {DATA} is missing; nothing measured")
        return 0
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    os.environ["FRAMING_CACHE_DIR"] = str(WORK / "cache")  # the children inherit it (throughput._env copies it)
    edited = edited_lexicon()
    cmds = commands(edited, args.jobs)
    print(machine())
    print(f"load average before: {loadavg()}")
    for k in ("c", "e"):  # fill the cache, untimed
        run_cli(cmds[k], f"warming {k}")
    runs: dict[str, list[float]] = {k: [] for k in NAMES}
    ratios: dict[str, list[float]] = {"c/a": [], "e/d": [], "b/a": []}
    floor = {"format": "jsonl", "path": str(DATA / "articles.jsonl"), "pattern": FLOOR_PATTERN}
    for rep in range(args.repeat):
        got = {"a": run_child(FLOOR_CHILD, floor, "floor").seconds}  # after its imports, as in throughput.py
        for k, argv in cmds.items():
            got[k] = run_cli(argv, NAMES[k]).wall
        for k, v in got.items():
            runs[k].append(v)
        ratios["c/a"].append(got["c"] / got["a"])
        ratios["b/a"].append(got["b"] / got["a"])
        ratios["e/d"].append(got["e"] / got["d"])
        same = same_outputs(WORK / "diff-cold", WORK / "diff-warm") and same_outputs(WORK / "analyze-cold",
                                                                                    WORK / "analyze-warm")
        print(f"  [{rep + 1}/{args.repeat}] " + ", ".join(f"{k} {v:.2f} s" for k, v in got.items())
              + f"; warm outputs the same bytes as cold: {same}")
        if not same:
            print("bench: the warm outputs differ from the cold ones")
            return 1
    warm_record = json.loads((WORK / "analyze-warm" / "run.json").read_text(encoding="utf-8"))
    print(f"load average after: {loadavg()}")
    print(f"\nabp_sourcetype, {args.repeat} repeats, whole processes (start-up included); seconds: median (min-max)")
    for k, name in NAMES.items():
        m, lo, hi = median_range(runs[k])
        print(f"  {name:48s} {m:6.2f} ({lo:.2f}-{hi:.2f})")
    c_a, e_d, b_a = (statistics.median(ratios[r]) for r in ("c/a", "e/d", "b/a"))
    print(f"  lexicon diff cold / floor: {b_a:.2f}; warm / floor: {c_a:.2f} (target < 1: "
          f"{'met' if c_a < 1 else 'NOT met'})")
    print(f"  analyze warm / cold: {e_d:.2f} (target <= 0.5: {'met' if e_d <= 0.5 else 'NOT met'})")
    timings = warm_record.get("timings_seconds", {})
    print(f"  the last warm analyze: token cache {warm_record.get('token_cache')}; stages "
          + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items() if isinstance(v, (int, float))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
