"""The engine's promises: the same bytes for any jobs, chunk size and input order;
articles streamed through in bounded numbers; the spill cleaned up."""

from __future__ import annotations

import gc
import hashlib
import random
import weakref

import numpy as np
import pytest

from framing import Article
from framing.engine import passes
from framing.engine.local import run
from framing.lexicon import Category, Lexicon, Term, load_lexicons, parse_term
from framing.outputs import write_report

TYPES = ("state_media", "wire", "independent_commentary", "unknown")
WORDS = (
    "sanctions trade war peace partnership sovereignty officials said according to reported claimed "
    "the of and a in Mr. Smith U.S. China Russia talks agreed strategic cooperation military energy "
    "gas oil dollar yuan multipolar hegemony Western aggression invasion operation special"
).split()


def corpus(n: int = 60, seed: int = 0) -> list[Article]:
    rng = random.Random(seed)
    arts = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(0, 80))]
        text = " ".join(words).replace(" the ", ". The ", 2) + "."
        t = TYPES[i % 4]
        arts.append(Article(id=f"a{i:03d}", text=text, outlet=f"{t}-{i % 3}", source_type=t, title=f"T{i}"))
    arts.append(Article(id="empty", text="", outlet="x", source_type="wire"))
    return arts


def lexicon() -> Lexicon:
    def term(text: str, weight: float = 1.0) -> Term:
        words, wild, _ = parse_term(text)
        return Term(text=text, words=words, wildcard=wild, weight=weight)

    cats = (
        Category("conflict", "Conflict", "", (term("war"), term("sanction*"), term("special military operation", 2))),
        Category("talk", "Talk", "", (term("said"), term("according to"), term("talks"))),
    )
    return Lexicon(name="t", categories=cats)


def csv_digests(result, out) -> dict[str, str]:
    write_report(result, out, record={"x": 1}, charts=False, html_articles=5)
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest()
            for name in ("report.csv", "summary.csv", "terms.csv", "matches.csv", "report.html")}


@pytest.fixture(scope="module")
def lexicons():
    return [lexicon(), *load_lexicons()]


def test_same_bytes_for_any_jobs_chunk_and_block_size(tmp_path, lexicons, monkeypatch):
    arts = corpus()
    reference = csv_digests(run(arts, lexicons, keep_texts=5, keep_rows=20), tmp_path / "ref")
    for jobs, chunk, block in ((1, 1, 4096), (1, 7, 5), (2, 3, 4096), (2, 500, 6), (2, 9, 1)):
        monkeypatch.setattr(passes, "BLOCK", block)  # blocks of passes 2 to 4 and of writing, in forked workers
        result = run(arts, lexicons, jobs=jobs, chunk_articles=chunk, keep_texts=5, keep_rows=20)
        assert csv_digests(result, tmp_path / f"j{jobs}c{chunk}b{block}") == reference, (jobs, chunk, block)


def test_liwc_counting_gives_the_same_bytes_for_any_jobs_and_chunk_and_differs_from_framings(tmp_path, lexicons):
    arts = corpus()
    reference = csv_digests(run(arts, lexicons, keep_texts=5, keep_rows=20, counting="liwc"), tmp_path / "ref")
    for jobs, chunk in ((2, 3),):  # the resolver's LIWC choices are made in each worker process
        result = run(arts, lexicons, jobs=jobs, chunk_articles=chunk, keep_texts=5, keep_rows=20, counting="liwc")
        assert csv_digests(result, tmp_path / f"j{jobs}c{chunk}") == reference, (jobs, chunk)
    framing = csv_digests(run(arts, lexicons, keep_texts=5, keep_rows=20), tmp_path / "framing")
    assert framing["report.csv"] != reference["report.csv"]  # "special military operation" weighs its 3 words


def test_shuffling_the_input_changes_no_byte(tmp_path, lexicons):
    arts = corpus()
    reference = csv_digests(run(arts, lexicons, keep_texts=5, keep_rows=20), tmp_path / "ref")
    shuffled = arts[:]
    random.Random(3).shuffle(shuffled)
    assert csv_digests(run(shuffled, lexicons, chunk_articles=4, keep_texts=5, keep_rows=20), tmp_path / "s") == reference


def test_streamed_tables_equal_the_collected_dataframes(tmp_path, lexicons):
    arts = corpus(30)
    full = run(arts, lexicons, keep_texts=None, keep_rows=None)  # the Python API: every row kept
    streamed = run(arts, lexicons, keep_texts=3, keep_rows=10, chunk_articles=4)
    assert full.complete and not streamed.complete
    assert len(full.scores) == full.n_articles == streamed.n_articles == 31
    assert len(streamed.scores) == 10 and len(streamed.articles) == 3
    assert full.scores.head(10).equals(streamed.scores)
    assert full.n_matches == len(full.matches) == streamed.n_matches
    # The writer streams a result's tables; the DataFrames of the full result give the same bytes.
    from framing.cells import csv_bytes

    write_report(streamed, tmp_path / "o", record={}, charts=False)
    assert (tmp_path / "o" / "report.csv").read_bytes() == csv_bytes(full.scores)
    assert (tmp_path / "o" / "matches.csv").read_bytes() == csv_bytes(full.matches)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_articles_are_read_as_they_are_needed_and_then_let_go(lexicons, jobs, monkeypatch):
    chunk = 5
    pulled = []
    refs: list[weakref.ref] = []

    def articles():
        for a in corpus(80, seed=1):  # copies made one at a time, held by nobody but the engine
            a = Article(id=a.id, text=a.text + " ", outlet=a.outlet, source_type=a.source_type)
            pulled.append(a.id)
            refs.append(weakref.ref(a))
            yield a

    seen = []

    def progress(stage, done, total):
        if stage == "score" and done:
            # At most 2 * jobs chunks in flight, plus the one being assembled.
            assert len(pulled) - done <= (2 * jobs + 1) * chunk
            gc.collect()
            alive = sum(r() is not None for r in refs[: max(0, done - chunk)])
            seen.append(alive)

    run(articles(), lexicons, jobs=jobs, chunk_articles=chunk, keep_texts=0, keep_rows=0, progress=progress)
    assert seen and max(seen) == 0  # texts do not outlive their chunk


def test_the_spill_is_removed_with_the_result(lexicons):
    result = run(corpus(12), lexicons)
    folder = result.store.spill.path
    assert folder.is_dir()
    del result
    gc.collect()
    assert not folder.exists()


def test_no_articles_is_an_input_error(lexicons):
    from framing import InputError

    with pytest.raises(InputError, match="no articles"):
        run([], lexicons)


def test_group_sums_are_exact_in_any_order():
    """Fixed-point sums: the same integers whatever the order of addition."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.random(10_000)
    q = np.rint(x * float(1 << passes.FIXED_POINT)).astype(np.int64)
    assert int(q.sum()) == int(q[::-1].sum()) == int(q[rng.permutation(len(q))].sum())


@pytest.mark.slow
def test_charts_draw_every_article_even_when_the_result_keeps_few_rows(tmp_path, lexicons, monkeypatch):
    pytest.importorskip("matplotlib")
    from framing.report.charts import heatmap, styles

    for module in (heatmap, styles):  # the charts that aggregate from MAX_ROWS articles up
        monkeypatch.setattr(module, "MAX_ROWS", 8)
    arts = corpus(40)
    full = run(arts, lexicons, keep_texts=None, keep_rows=None)
    few = run(arts, lexicons, keep_texts=2, keep_rows=5)
    for name, result in (("full", full), ("few", few)):
        write_report(result, tmp_path / name, record={}, charts=True, html_articles=2)
    for png in sorted((tmp_path / "full" / "charts").glob("*.png")):
        assert png.read_bytes() == (tmp_path / "few" / "charts" / png.name).read_bytes(), png.name


def test_no_room_for_the_spill_is_one_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    from framing.cli import main
    from framing.engine import spill

    real_open = open

    class FullDisk:
        def __init__(self, f):
            self.f = f

        def write(self, data):
            raise OSError(28, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.f, name)

    def opening(path, mode="r", *args, **kwargs):
        f = real_open(path, mode, *args, **kwargs)
        return FullDisk(f) if "framing-spill-" in str(path) else f

    monkeypatch.setattr(spill, "open", opening, raising=False)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("Officials said talks went well.", encoding="utf-8")
    assert main(["analyze", str(tmp_path / "c"), "--out", str(tmp_path / "o"), "--no-charts", "--jobs", "1"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("error: cannot write framing's temporary files") and "TMPDIR" in err[-1]
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.csv"))


def test_top_terms_per_row_equal_a_full_sort_with_ties_to_the_earlier_term():
    rng = np.random.default_rng(7)
    for trial in range(200):
        n = int(rng.integers(0, 25))
        lengths = rng.integers(0, 40, n)
        if trial % 10 == 0 and n:
            lengths[0] = passes.PADDED + 50  # the path for very long articles
        indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        data = rng.integers(1, 6, int(indptr[-1])).astype(float) / rng.integers(1, 4)  # many ties
        k = int(rng.integers(1, 12))
        expected = []
        for r in range(n):
            row = data[indptr[r] : indptr[r + 1]]
            best = sorted(range(len(row)), key=lambda i: (-row[i], i))[:k]
            expected += [(r, rank, int(indptr[r]) + i) for rank, i in enumerate(best)]
        got = passes.top_per_row(indptr, data, k)
        assert list(zip(*(a.tolist() for a in got))) == expected
