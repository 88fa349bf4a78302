"""Shared parts of the benchmarks: paths, the cached corpus, peak memory, the machine.

The corpus: N articles of about W words, each made of whole sentences drawn
with a fixed seed from ../shared/data/abp_sourcetype/articles.jsonl, written
as one JSONL file, one CSV file, or a folder of one .txt file per article (in
sub-folders of 1,000, with a manifest.csv of file,outlet,source_type). The same
seed gives the same articles in every format. Files are written as they are
made, one article at a time, so generating 1,000,000 articles (about 4 GB)
needs no more memory than generating 1,000; generation runs in its own
process (``python bench/_common.py ...``) so that its memory is not the
benchmark's. A corpus is cached under bench/out/ (ignored by git) and reused
when its sidecar ``<name>.json`` says it was made with the same parameters.
The sampled text is publishers' copyright: it never leaves bench/out/.

Peak memory: a Python child reports its own ``VmHWM`` (/proc/self/status).
Not ``ru_maxrss`` of the child as seen by the parent (``os.wait4`` or
``RUSAGE_CHILDREN``): on Linux a child started by ``subprocess`` carries the
parent's peak at the time it was started (vfork, or fork, then exec), so a
20 MB child of a 700 MB parent reports 700 MB. For children that start
workers of their own, ``TreeSampler`` adds up the proportional set size (Pss)
of the child and all its descendants a few times a second.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "abp_sourcetype" / "articles.jsonl"
OUT = ROOT / "bench" / "out"
MB = 1_000_000
FORMATS = ("jsonl", "csv", "txt")
FILES_PER_FOLDER = 1_000
GENERATOR_VERSION = 1  # bump when the generator's output changes, so that caches are rebuilt
SOURCE_TYPES = ("wire", "state_media", "independent_commentary", "unknown")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

# Python source for a child: ``peak_mb()`` is this process's own peak resident
# memory in MB (10**6 bytes), from VmHWM; elsewhere than Linux, ru_maxrss.
PEAK_CODE = '''
import resource as _resource, sys as _sys

def peak_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    r = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss
    return (r if _sys.platform == "darwin" else r * 1024) / 1e6
'''


# --- the corpus ---------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """A generated corpus on disk, as its sidecar describes it."""

    path: Path  # the .jsonl or .csv file, or the folder of .txt files
    manifest: Path | None  # the folder's manifest.csv; None for a table
    format: str
    articles: int
    words: int
    seed: int
    input_bytes: int  # what a reader reads: the file, or every file in the folder
    text_bytes: int  # the article texts alone, UTF-8
    disk_bytes: int  # space taken on disk (blocks), which for small files exceeds input_bytes
    seconds: float  # how long generating it took
    generator_peak_mb: float


def corpus_name(n: int, words: int, fmt: str, seed: int) -> str:
    base = f"corpus_n{n}_w{words}_s{seed}"
    return f"{base}_txt" if fmt == "txt" else f"{base}.{fmt}"


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def cached(n: int, words: int, fmt: str, seed: int) -> Corpus | None:
    """The corpus with these parameters if it is already on disk, complete."""
    path = OUT / corpus_name(n, words, fmt, seed)
    try:
        meta = json.loads(sidecar(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    want = {"generator": GENERATOR_VERSION, "articles": n, "words": words, "format": fmt, "seed": seed}
    if any(meta.get(k) != v for k, v in want.items()) or not path.exists():
        return None
    if fmt != "txt" and path.stat().st_size != meta["input_bytes"]:
        return None
    return Corpus(
        path=path, manifest=path / "manifest.csv" if fmt == "txt" else None, format=fmt, articles=n,
        words=words, seed=seed, input_bytes=meta["input_bytes"], text_bytes=meta["text_bytes"],
        disk_bytes=meta["disk_bytes"], seconds=meta["seconds"], generator_peak_mb=meta["generator_peak_mb"],
    )  # fmt: skip


def estimate_bytes(n: int, words: int, fmt: str) -> int:
    """A generous guess of the disk space a corpus needs (about 6.5 bytes a word, plus blocks)."""
    per_article = words * 7 + 200
    if fmt == "txt":
        per_article = max(per_article, 4096) + 4096 // 2  # whole blocks, and the manifest
    return n * per_article


def ensure_corpus(n: int, words: int, fmt: str, seed: int) -> tuple[Corpus, bool]:
    """Return the corpus, generating it in a separate process if it is not cached; and whether it was."""
    found = cached(n, words, fmt, seed)
    if found:
        return found, True
    if not DATA.is_file():
        print(f"bench: {DATA} is not here, and no cached corpus matches; this benchmark needs the"
              " abp_sourcetype articles in ../shared/data/ next to the project. Nothing measured.")  # fmt: skip
        raise SystemExit(0)
    OUT.mkdir(parents=True, exist_ok=True)
    need = estimate_bytes(n, words, fmt)
    free = shutil.disk_usage(OUT).free
    if free < need * 1.1:
        sys.exit(f"bench: about {need / MB:,.0f} MB of disk needed under {OUT}, {free / MB:,.0f} MB free")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--articles", str(n), "--words", str(words),
           "--format", fmt, "--seed", str(seed)]  # fmt: skip
    proc = subprocess.run(cmd, check=False, cwd=ROOT)
    found = cached(n, words, fmt, seed)
    if proc.returncode != 0 or not found:
        sys.exit(f"bench: generating {corpus_name(n, words, fmt, seed)} failed (status {proc.returncode})")
    return found, False


def _sentences() -> tuple[list[str], list[int]]:
    """Every sentence of five words or more in the abp articles, whitespace made single; and word counts."""
    sentences: list[str] = []
    with DATA.open(encoding="utf-8") as f:
        for line in f:
            for para in json.loads(line)["text"].split("\n"):
                for s in SENTENCE_END.split(para):
                    w = s.split()
                    if len(w) >= 5:
                        sentences.append(" ".join(w))
    return sentences, [s.count(" ") + 1 for s in sentences]


def _articles(n: int, words: int, seed: int):
    """Yield (index, outlet, source_type, text) for n articles; the same for the same seed."""
    sentences, counts = _sentences()
    rng = random.Random(seed)
    pick = rng.randrange
    m = len(sentences)
    for i in range(n):
        paras, para, total = [], [], 0
        while total < words:
            k = pick(m)
            para.append(sentences[k])
            total += counts[k]
            if len(para) == 4:  # paragraphs of four sentences, as news copy often has
                paras.append(" ".join(para))
                para = []
        if para:
            paras.append(" ".join(para))
        st = SOURCE_TYPES[i % len(SOURCE_TYPES)]
        yield i, f"{st}-{i % 7}", st, "\n\n".join(paras)


def _disk_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_blocks * 512
    total = path.stat().st_blocks * 512
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
    return total


def generate(n: int, words: int, fmt: str, seed: int) -> None:
    """Write the corpus under OUT, article by article, then its sidecar (last: it marks it complete)."""
    t0 = time.perf_counter()
    path = OUT / corpus_name(n, words, fmt, seed)
    partial = path.with_name(path.name + ".partial")
    for p in (path, partial):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    sidecar(path).unlink(missing_ok=True)
    text_bytes = 0
    buffering = 1 << 20
    if fmt == "jsonl":
        with partial.open("w", encoding="utf-8", newline="\n", buffering=buffering) as f:
            for i, outlet, st, text in _articles(n, words, seed):
                f.write(json.dumps({"id": f"a{i:07d}", "outlet": outlet, "source_type": st, "text": text},
                                   ensure_ascii=False) + "\n")  # fmt: skip
                text_bytes += len(text.encode("utf-8"))
    elif fmt == "csv":
        with partial.open("w", encoding="utf-8", newline="", buffering=buffering) as f:
            w = csv.writer(f)
            w.writerow(["id", "outlet", "source_type", "text"])
            for i, outlet, st, text in _articles(n, words, seed):
                w.writerow([f"a{i:07d}", outlet, st, text])
                text_bytes += len(text.encode("utf-8"))
    elif fmt == "txt":
        partial.mkdir(parents=True)
        with (partial / "manifest.csv").open("w", encoding="utf-8", newline="", buffering=buffering) as m:
            w = csv.writer(m)
            w.writerow(["file", "outlet", "source_type"])
            for i, outlet, st, text in _articles(n, words, seed):
                sub = f"{i // FILES_PER_FOLDER:04d}"
                if i % FILES_PER_FOLDER == 0:
                    (partial / sub).mkdir()
                data = text.encode("utf-8")
                with open(partial / sub / f"a{i:07d}.txt", "wb") as f:
                    f.write(data)
                w.writerow([f"{sub}/a{i:07d}.txt", outlet, st])
                text_bytes += len(data)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    partial.rename(path)
    if fmt == "txt":
        input_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)
    else:
        input_bytes = path.stat().st_size
    seconds = time.perf_counter() - t0
    ns: dict = {}
    exec(PEAK_CODE, ns)
    meta = {
        "generator": GENERATOR_VERSION, "articles": n, "words": words, "format": fmt, "seed": seed,
        "input_bytes": input_bytes, "text_bytes": text_bytes, "disk_bytes": _disk_bytes(path),
        "seconds": round(seconds, 2), "generator_peak_mb": round(ns["peak_mb"](), 1),
        "source": str(DATA.relative_to(ROOT.parent)), "source_bytes": DATA.stat().st_size,
    }  # fmt: skip
    sidecar(path).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def remove_corpus(c: Corpus) -> None:
    if c.path.is_dir():
        shutil.rmtree(c.path, ignore_errors=True)
    else:
        c.path.unlink(missing_ok=True)
    sidecar(c.path).unlink(missing_ok=True)


# --- memory of a process tree ---------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:  # a worker may be started by any thread
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler:
    """Samples the summed Pss of a process and its descendants every ``interval`` seconds.

    Pss shares a page among the processes that map it, so forked workers are
    not counted twice for what they share with their parent. Sampled, it can
    miss a short peak: read it as a lower bound on the tree's peak.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.max_procs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.available = os.path.exists(f"/proc/{pid}/smaps_rollup")

    def _run(self) -> None:
        while not self._stop.is_set():
            pids, todo = [], [self.pid]
            while todo:
                p = todo.pop()
                pids.append(p)
                todo.extend(_children(p))
            self.peak_kb = max(self.peak_kb, sum(map(_pss_kb, pids)))
            self.max_procs = max(self.max_procs, len(pids))
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()

    @property
    def peak_mb(self) -> float | None:
        return self.peak_kb * 1024 / MB if self.available else None


# --- the machine ------------------------------------------------------------------


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def machine() -> str:
    cpus = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cpus
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip() or "?"  # fmt: skip
    except OSError:
        commit = "?"
    return (f"{cpus} CPUs ({usable} usable), {platform.platform()}, Python {platform.python_version()}"
            f" ({platform.python_implementation()}), framing from {ROOT} at {commit}")  # fmt: skip


def median_range(xs: list[float]) -> tuple[float, float, float]:
    return statistics.median(xs), min(xs), max(xs)


def against_base(runs: dict[str, list], base: str) -> dict[str, tuple[float, float, float, float, float]]:
    """Per variant of interleaved runs (each with ``seconds`` and ``peak_mb``): median seconds, min, max, the
    median of the per-repeat ratios to the ``base`` variant's run of the same repeat, and the median peak MB."""
    out = {}
    for v, rs in runs.items():
        med, lo, hi = median_range([r.seconds for r in rs])
        bases = runs.get(base)
        ratio = statistics.median(r.seconds / b.seconds for r, b in zip(rs, bases)) if bases else float("nan")
        out[v] = (med, lo, hi, ratio, statistics.median(r.peak_mb for r in rs))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description="Generate one cached benchmark corpus under bench/out/.")
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--format", choices=FORMATS, default="jsonl")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if not DATA.is_file():
        print(f"bench: {DATA} is not here; cannot generate a corpus")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    generate(args.articles, args.words, args.format, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
