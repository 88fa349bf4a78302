"""The token cache: the same tables and the same bytes with it, safe when damaged, shared or full, and clearable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from framing.analysis.tokentable import build_token_table
from framing.engine.token_cache import CACHE_ENV, TokenCache, chunk_key

from ..conftest import ROOT

TEXTS = [
    "Moscow and Beijing signed a communiqué on Tuesday. \"It's a win-win,\" Li Qiang said.",
    "Reuters reported the deal.\n\nAnalysts weren't sure what it meant for trade.",
    "",
    "İstanbul’s mayor — not a party to it — said nothing. Dr. Smith left at 5 p.m. on Friday.",
]
FIELDS = ("keys", "checks", "first", "ids", "flat_starts", "flat_ends", "doc_offsets", "doc_start", "n_sentences",
          "sentence_starts", "first_sentence", "joined", "text_keys")


def same_table(a, b) -> bool:
    return all(
        (getattr(a, f) == getattr(b, f)) if f in ("joined", "text_keys")
        else (np.array_equal(getattr(a, f), getattr(b, f)) and getattr(a, f).dtype == getattr(b, f).dtype)
        for f in FIELDS
    )


def test_a_cached_table_is_the_table_built_from_the_texts(tmp_path):
    cache = TokenCache(tmp_path)
    built = build_token_table(TEXTS)
    first = cache.table(TEXTS)
    second = TokenCache(tmp_path).table(TEXTS)  # another process would read it the same way
    assert same_table(first, built) and same_table(second, built)
    assert (cache.stats.hits, cache.stats.misses) == (0, 1)
    assert len(cache.entries()) == 1 and cache.size() > 0


def test_the_key_is_the_texts_in_order_and_nothing_else():
    assert chunk_key(["ab", "c"]) != chunk_key(["a", "bc"])
    assert chunk_key(["a", "b"]) != chunk_key(["b", "a"])
    assert chunk_key(["a", "b"]) == chunk_key(("a", "b"))


def test_a_damaged_entry_is_a_miss_and_is_written_again(tmp_path):
    cache = TokenCache(tmp_path)
    cache.table(TEXTS)
    (entry,) = cache.entries()
    entry.write_bytes(entry.read_bytes()[:100])  # cut short
    again = TokenCache(tmp_path)
    assert same_table(again.table(TEXTS), build_token_table(TEXTS))
    assert again.stats.misses == 1
    assert same_table(TokenCache(tmp_path).table(TEXTS), build_token_table(TEXTS))


def test_writers_of_one_entry_at_once_leave_a_whole_entry(tmp_path):
    errors = []

    def write() -> None:
        try:
            for _ in range(5):
                TokenCache(tmp_path).table(TEXTS)
                for e in TokenCache(tmp_path).entries():
                    e.unlink(missing_ok=True)  # the next writer writes it again, while others read
        except Exception as exc:  # noqa: BLE001 - any error in a thread must reach the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert same_table(TokenCache(tmp_path).table(TEXTS), build_token_table(TEXTS))
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".tmp-")]


def test_trim_removes_the_least_recently_used_entries_first(tmp_path):
    cache = TokenCache(tmp_path)
    chunks = [[f"article {i} says {w}"] for i, w in enumerate(["this", "that", "more", "less"])]
    for i, texts in enumerate(chunks):
        cache.table(texts)
        (newest,) = [p for p in cache.entries() if p.name.startswith(chunk_key(texts))]
        os.utime(newest, ns=(10**18 + i * 10**9, 10**18 + i * 10**9))
    size = cache.size()
    cache.limit = size // 2
    cache.trim()
    left = {p.name.removesuffix(".npz") for p in cache.entries()}
    assert cache.size() <= size // 2
    assert chunk_key(chunks[-1]) in left and chunk_key(chunks[0]) not in left


def test_a_run_stops_writing_at_half_the_limit(tmp_path):
    cache = TokenCache(tmp_path, limit=2)  # the first entry already exceeds half of 2 bytes
    cache.table(["one chunk"])
    cache.table(["another chunk"])
    assert len(cache.entries()) == 1


def test_the_processes_of_one_run_share_its_write_budget(tmp_path):
    chunks = [[f"chunk {i} of the same length"] for i in range(3)]
    probe = TokenCache(tmp_path / "probe")
    probe.table(chunks[0])
    entry = probe.size()
    alone, shared = TokenCache(tmp_path / "alone", limit=3 * entry), TokenCache(tmp_path / "shared", limit=3 * entry)
    shared = shared.for_processes(2)  # half of the run's budget (1.5 entries) each: one entry
    for texts in chunks:
        alone.table(texts)
        shared.table(texts)
    assert len(alone.entries()) == 2 and len(shared.entries()) == 1


def test_clear_removes_every_entry(tmp_path):
    cache = TokenCache(tmp_path)
    cache.table(["one"])
    cache.table(["two"])
    assert cache.clear() == 2 and cache.entries() == []


def test_an_unwritable_cache_folder_only_slows_a_run(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = TokenCache(blocked / "tokens")
    assert same_table(cache.table(TEXTS), build_token_table(TEXTS))
    assert cache.stats.written_bytes == 0


# ----------------------------------------------------------------- through the CLI


def framing(*args: str, cache: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, CACHE_ENV: str(cache), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "framing", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def write_corpus(folder: Path, n: int = 60) -> Path:
    lines = []
    for i in range(n):
        kind = ("wire", "state_media", "independent_commentary")[i % 3]
        text = (f"Article {i}. The ministers signed a trade deal on sanctions and energy. "
                f"Critics said the agreement was a disaster for workers, not a victory. "
                f"\"We will cooperate,\" the officials said in statement number {i}.")
        lines.append(json.dumps({"id": f"a{i:03d}", "outlet": f"{kind}-{i % 4}", "source_type": kind,
                                 "title": f"Deal {i}", "text": text}))
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


CSVS = ("report.csv", "matches.csv", "summary.csv", "comparisons.csv", "evaluation.csv", "terms.csv")


def test_the_library_gives_the_same_tables_cold_warm_and_without_the_cache_for_any_jobs(tmp_path):
    from framing import analyze

    corpus = write_corpus(tmp_path)
    cache = tmp_path / "cache"
    runs = {
        "off": analyze(corpus, chunk_articles=20, stories="off"),
        "cold": analyze(corpus, chunk_articles=20, stories="off", token_cache=cache),
        "warm": analyze(corpus, chunk_articles=20, stories="off", token_cache=cache),
        "warm2": analyze(corpus, chunk_articles=20, stories="off", token_cache=cache, jobs=2),
    }
    for table in ("scores", "matches", "summary", "comparisons", "evaluation"):
        reference = getattr(runs["off"], table).to_csv(index=False)
        assert all(getattr(runs[r], table).to_csv(index=False) == reference for r in runs), table
    assert runs["off"].token_cache == {"used": False}
    assert (runs["cold"].token_cache["hits"], runs["cold"].token_cache["misses"]) == (0, 3)
    assert (runs["warm"].token_cache["hits"], runs["warm"].token_cache["misses"]) == (3, 0)
    assert runs["warm2"].token_cache["hits"] == 3
    assert len(TokenCache(cache).entries()) == 3


@pytest.mark.slow
def test_analyze_writes_the_same_bytes_with_and_without_the_cache(tmp_path):
    corpus = write_corpus(tmp_path)
    cache = tmp_path / "cache"
    runs = {}
    for name, extra in (("off", ["--no-cache"]), ("cold", []), ("warm", []), ("warm2", ["--jobs", "2"])):
        out = tmp_path / name
        done = framing("analyze", str(corpus), "--out", str(out), "--no-charts", "--no-html", "--quiet", *extra,
                       cache=cache, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        runs[name] = out
    for f in CSVS:
        reference = (runs["off"] / f).read_bytes()
        assert all((runs[r] / f).read_bytes() == reference for r in ("cold", "warm", "warm2")), f
    info = {r: json.loads((runs[r] / "run.json").read_text())["token_cache"] for r in runs}
    assert info["off"] == {"used": False}
    assert (info["cold"]["hits"], info["cold"]["misses"]) == (0, 1)
    assert (info["warm"]["hits"], info["warm"]["misses"]) == (1, 0)
    assert info["warm2"]["hits"] == 1 and info["warm"]["folder"] == str(cache)


@pytest.mark.slow
def test_the_workbench_commands_read_the_cache_and_write_the_same_bytes(tmp_path):
    corpus = write_corpus(tmp_path, 30)
    cache = tmp_path / "cache"
    outputs = {}
    for name, extra in (("off", ["--no-cache"]), ("cold", []), ("warm", [])):
        out = tmp_path / name
        done = framing("lexicon", "diff", "frames", "news_frames", str(corpus), "--out", str(out), "--quiet", *extra,
                       cache=cache, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        stats = framing("lexicon", "stats", "frames", str(corpus), "--out", str(out / "stats"), "--quiet", *extra,
                        cache=cache, cwd=tmp_path)
        assert stats.returncode == 0, stats.stderr
        suggest = framing("lexicon", "suggest", "frames.economy_trade", str(corpus), "--min-count", "1",
                          "--out", str(out / "suggest.csv"), "--quiet", *extra, cache=cache, cwd=tmp_path)
        assert suggest.returncode == 0, suggest.stderr
        kwic = framing("kwic", "frames.economy_trade", str(corpus), "--csv", str(out / "kwic.csv"), "--quiet", *extra,
                       cache=cache, cwd=tmp_path)
        assert kwic.returncode == 0, kwic.stderr
        outputs[name] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.csv")}
        assert len(outputs[name]) == 7  # 3 of diff, 2 of stats, suggest's and kwic's
    assert outputs["off"] and outputs["cold"] == outputs["off"] and outputs["warm"] == outputs["off"]
    assert len(TokenCache(cache).entries()) == 1


def test_the_cache_command_says_where_the_cache_is_and_clears_it(tmp_path):
    cache = tmp_path / "cache"
    TokenCache(cache).table(["one"])
    info = framing("cache", "info", cache=cache, cwd=tmp_path)
    assert info.returncode == 0 and str(cache) in info.stdout and "1 entr" in info.stdout
    cleared = framing("cache", "clear", cache=cache, cwd=tmp_path)
    assert cleared.returncode == 0 and TokenCache(cache).entries() == []
