"""The Dask engine (pass 1 on Dask workers) gives the local engine's bytes, survives a
worker that dies mid-run, warns as the local engine does, and fails on bad options in one line.

One LocalCluster of 2 worker processes (1 thread each) serves the whole module.
"""

from __future__ import annotations

import gc
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
# An exception in a finalizer (releasing futures) is a defect here, not noise.
pytestmark = [pytest.mark.dask, pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")]

from framing.cli import main  # noqa: E402
from framing.corpus import CorpusReader  # noqa: E402
from framing.engine.cluster import DISTRIBUTED, local_cluster, run_partitions  # noqa: E402
from framing.engine.local import run  # noqa: E402
from framing.engine.rows import read_matches, read_report  # noqa: E402
from framing.grouping import ArticleColumns, Comparing, StorySettings  # noqa: E402
from framing.lexicon import load_lexicons  # noqa: E402
from framing.outputs import write_report  # noqa: E402

from ..conftest import ROOT  # noqa: E402

CSVS = ("report.csv", "matches.csv", "summary.csv", "terms.csv", "comparisons.csv", "evaluation.csv", "labels.csv",
        "stories.csv", "coverage.csv", "within_story.csv")
SEEDS = ROOT / "seeds"
STORIES = Comparing(ArticleColumns(dated=True), stories=StorySettings())  # what the command runs with by default
# Plain words and words of the built-in lexicons (frames, style, labels), so that articles match.
VOCABULARY = (
    "the officials said talks on trade and growth were held in Beijing and Moscow while analysts "
    "reported that sanctions hurt exports imports investment jobs wages the regime claimed sovereignty "
    "hegemony multipolar cooperation partnership Western aggression a special military operation "
    "according to sources critics warned of propaganda and the invasion"
).split()
OUTLETS = {"state_media": ("rt", "xinhua", "cgtn"), "wire": ("reuters", "ap"), "independent_commentary": ("blog-a", "blog-b"),
           "unknown": ("misc",)}


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(2) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    """2,000 articles in JSONL: 3 labelled source types of 2-3 outlets each (the classifier trains) and unknowns.

    Each type leans on its own words, so that the types differ in rates and terms.
    """
    rng = random.Random(20240101)
    path = tmp_path_factory.mktemp("big") / "corpus.jsonl"
    types = list(OUTLETS)
    with path.open("w", encoding="utf-8") as f:
        for i in range(2000):
            kind = types[i % len(types)]
            lean = VOCABULARY[types.index(kind) * 8 : types.index(kind) * 8 + 12]
            sentences = []
            for _ in range(rng.randint(1, 8)):
                words = [rng.choice(lean if rng.random() < 0.3 else VOCABULARY) for _ in range(rng.randint(4, 14))]
                sentences.append(" ".join(words).capitalize() + ".")
            record = {"id": f"n{i:05d}", "outlet": rng.choice(OUTLETS[kind]), "source_type": kind,
                      "title": f"Article {i}", "text": " ".join(sentences)}
            f.write(json.dumps(record) + "\n")
    return path


def analyze(args: list[str], out: Path, *extra: str) -> dict[str, bytes]:
    assert main(["analyze", *args, "--out", str(out), "--no-charts", "--no-html", "--jobs", "1", *extra]) == 0
    return {name: (out / name).read_bytes() for name in CSVS}


@pytest.mark.parametrize("corpus", ["seeds", "big"])
def test_the_dask_engine_writes_the_local_engines_bytes(corpus, big_corpus, cluster, tmp_path, capsys):
    args = [str(SEEDS), "--manifest", str(SEEDS / "manifest.csv")] if corpus == "seeds" else [str(big_corpus)]
    local = analyze(args, tmp_path / "local", "--quiet")
    dask = analyze(args, tmp_path / "dask", "--quiet", "--engine", "dask", "--scheduler", cluster.scheduler_address)
    for name in CSVS:
        assert dask[name] == local[name], name
    if corpus == "big":  # the classifier trained, so evaluation.csv is more than a header
        assert local["evaluation.csv"].count(b"\r\n") > 2
    record = json.loads((tmp_path / "dask" / "run.json").read_text(encoding="utf-8"))
    peaks = record["engine"].pop("peak_memory_mb")
    assert sorted(peaks) == ["client", "worker 0", "worker 1"] and all(v > 10 for v in peaks.values())
    assert record["engine"] == {"name": "dask", "scheduler": cluster.scheduler_address, "workers": 2, "threads": 2,
                                "distributed": list(DISTRIBUTED)}
    assert json.loads((tmp_path / "local" / "run.json").read_text(encoding="utf-8"))["engine"] == {
        "name": "local", "jobs": 1}


def messy_jsonl(path: Path, rng: random.Random) -> Path:
    """1,200 records over several parts: some without an id, a repeated id, bad lines, an unknown source type."""
    lines = []
    for i in range(1200):
        words = [rng.choice(VOCABULARY) for _ in range(rng.randint(6, 40))]
        record = {"text": " ".join(words).capitalize() + ".", "outlet": rng.choice(("rt", "reuters", "blog-a")),
                  "source_type": ("state_media", "wire", "independent_commentary")[i % 3]}
        if i % 7:
            record["id"] = f"r{i:05d}"
        if i == 900:
            record["id"] = "r00001"  # a repeat of an early id, in a later part
        if i in (300, 1100):
            record["source_type"] = "tabloid"
        lines.append(json.dumps(record))
        if i in (250, 800):
            lines.append("{not json")
        if i == 600:
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli_warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("warning:")]


def test_workers_read_a_jsonl_in_parts_with_the_local_engines_ids_and_warnings(cluster, tmp_path, capsys):
    corpus = messy_jsonl(tmp_path / "messy.jsonl", random.Random(7))
    local = analyze([str(corpus)], tmp_path / "local")
    local_warnings = cli_warnings(capsys.readouterr().err)
    # About 20 KB per part: the 200 KB file is read as about ten byte ranges.
    dask = analyze([str(corpus)], tmp_path / "dask", "--engine", "dask", "--scheduler", cluster.scheduler_address,
                   "--partition-mb", "0.02")
    assert cli_warnings(capsys.readouterr().err) == local_warnings
    assert any("duplicate article id 'r00001'" in w for w in local_warnings)
    assert sum("tabloid" in w for w in local_warnings) == 1
    for name in CSVS:
        assert dask[name] == local[name], name


def test_workers_read_a_folder_with_its_manifest_in_parts(cluster, tmp_path, write, capsys):
    rows = ["file,outlet,source_type"]
    for i in range(60):
        words = " ".join(VOCABULARY[(i * 5) % 40 : (i * 5) % 40 + 9])
        write(f"c/{i // 20}/a{i:03d}.txt", f"{words.capitalize()}. {words}.")
        rows.append(f"{i // 20}/a{i:03d}.txt,{('rt', 'ap', 'blog-a')[i % 3]},"
                    f"{('state_media', 'wire', 'independent_commentary')[i % 3]}")
    rows.append("missing.txt,rt,state_media")  # a row with no article
    write("c/manifest.csv", "\n".join(rows) + "\n")
    local = analyze([str(tmp_path / "c")], tmp_path / "local")
    local_warnings = cli_warnings(capsys.readouterr().err)
    dask = analyze([str(tmp_path / "c")], tmp_path / "dask", "--engine", "dask", "--scheduler",
                   cluster.scheduler_address, "--partition-mb", "0.001")
    assert cli_warnings(capsys.readouterr().err) == local_warnings
    assert any("missing.txt" in w for w in local_warnings)
    for name in CSVS:
        assert dask[name] == local[name], name


def test_parquet_out_of_the_dask_engine_is_parts_holding_the_local_table(big_corpus, cluster, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    args = [str(big_corpus), "--no-charts", "--no-html", "--quiet", "--format", "parquet"]
    assert main(["analyze", *args, "--out", str(tmp_path / "local")]) == 0
    assert main(["analyze", *args, "--out", str(tmp_path / "dask"), "--engine", "dask", "--scheduler",
                 cluster.scheduler_address]) == 0
    for table in ("report", "matches"):
        parts = sorted((tmp_path / "dask" / table).glob("part-*.parquet"))
        assert parts and not (tmp_path / "dask" / f"{table}.parquet").exists()
        assert not (tmp_path / "dask" / f"{table}.csv").exists()
        whole = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        pd.testing.assert_frame_equal(whole, pd.read_parquet(tmp_path / "local" / f"{table}.parquet"))
    # A local run into the same folder replaces the parts with its single files.
    assert main(["analyze", *args, "--out", str(tmp_path / "dask")]) == 0
    assert (tmp_path / "dask" / "report.parquet").is_file() and not list((tmp_path / "dask").glob("*/part-*"))


def test_a_parquet_corpus_is_read_by_the_workers(big_corpus, cluster, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    records = [json.loads(line) for line in big_corpus.read_text(encoding="utf-8").splitlines()]
    table = pa.Table.from_pylist(records)
    pq.write_table(table, tmp_path / "corpus.parquet", row_group_size=256)
    local = analyze([str(tmp_path / "corpus.parquet")], tmp_path / "local", "--quiet")
    dask = analyze([str(tmp_path / "corpus.parquet")], tmp_path / "dask", "--quiet", "--engine", "dask",
                   "--scheduler", cluster.scheduler_address, "--partition-mb", "0.05")
    for name in CSVS:
        assert dask[name] == local[name], name


def test_partition_size_is_for_the_dask_engine_and_positive(tmp_path, capsys):
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "o"), "--partition-mb", "4"]) == 2
    assert capsys.readouterr().err == "error: --partition-mb is for --engine dask only\n"
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "o"), "--engine", "dask", "--partition-mb", "0"]) == 2
    assert capsys.readouterr().err == "error: --partition-mb must be more than 0, got 0\n"


def tables(result, out: Path) -> dict[str, bytes]:
    write_report(result, out, record={}, charts=False, html=False)
    return {name: (out / name).read_bytes() for name in CSVS}


def articles_of(path: Path) -> list:
    return list(CorpusReader([path]))


def test_a_worker_killed_after_pass_1_changes_no_byte(big_corpus, client, tmp_path):
    """A worker dies holding partitions that passes 2-4 still need: Dask reads and scores them again."""
    lexicons = load_lexicons()
    articles = articles_of(big_corpus)
    local = tables(run(articles, lexicons, comparing=STORIES), tmp_path / "local")
    pids = client.run(os.getpid)  # worker address -> its process id
    killed: list[int] = []
    lost: list[str] = []

    def kill_a_holder(stores) -> None:
        distributed.wait(stores)
        holder = client.who_has([stores[0]])[stores[0].key][0]
        os.kill(pids[holder], signal.SIGKILL)  # the nanny starts a new worker in its place
        killed.append(pids[holder])
        lost.append(stores[0].key)

    parts = [articles[i : i + 300] for i in range(0, len(articles), 300)]
    result = run_partitions(parts, as_read, lexicons, client, on_scored=kill_a_holder, comparing=STORIES)
    dask = tables(result, tmp_path / "dask")
    assert killed, "the hook ran"
    # The scheduler's story of the lost store: (who, key, from, to, ...); computed twice, before and after the kill.
    story = [t for t in client.story(lost[0]) if t[0] == "scheduler" and t[1] == lost[0]]
    assert len([t for t in story if t[2:4] == ("processing", "memory")]) == 2, "the lost partition was computed again"
    assert dask == local
    client.wait_for_workers(2, timeout=30)  # the nanny replaced it, for the tests after this one
    assert killed[0] not in client.run(os.getpid).values()


def spill_folders(dask_worker) -> set[str]:
    """The spill folders in this worker's local directory (``client.run`` passes the worker)."""
    return {p.name for p in Path(dask_worker.local_directory).glob("framing-spill-*")}


def test_workers_hold_their_partitions_on_their_disk_until_the_result_goes(big_corpus, client, tmp_path):
    lexicons = load_lexicons()
    articles = articles_of(big_corpus)[:600]
    parts = [articles[i : i + 100] for i in range(0, len(articles), 100)]
    before = set().union(*client.run(spill_folders).values())
    result = run_partitions(parts, as_read, lexicons, client, comparing=STORIES)
    held = set().union(*client.run(spill_folders).values()) - before
    assert len(held) >= len(parts)  # one per partition (more if Dask moved one to another worker)
    local = tables(run(articles, lexicons, comparing=STORIES), tmp_path / "local")
    assert tables(result, tmp_path / "dask") == local  # every range read back from the workers' spill files
    del result
    gc.collect()  # the result's store releases the partitions; the workers drop them, and their files go
    deadline = time.monotonic() + 30
    while held & set().union(*client.run(spill_folders).values()) and time.monotonic() < deadline:
        time.sleep(0.1)  # the release reaches the workers asynchronously
    assert not held & set().union(*client.run(spill_folders).values())


def as_read(articles: list, shared: object) -> tuple[list, None]:
    """The reader of partitions that are lists of articles already (a test's shortcut: the text goes through here)."""
    return list(articles), None


# Small partitions are a task each: one article a partition is checked on 150 articles (900 took a minute),
# seven on 300, the big ones on 900.
@pytest.mark.parametrize("size, n", [(1, 150), (7, 300), (450, 900), (5000, 900)])
def test_any_partitioning_gives_the_same_bytes(big_corpus, client, tmp_path, size, n):
    articles = articles_of(big_corpus)[:n]
    lexicons = load_lexicons()
    local = tables(run(articles, lexicons, comparing=STORIES), tmp_path / "local")
    parts = [articles[i : i + size] for i in range(0, len(articles), size)]
    numbers: list = []

    def reading(read: list) -> tuple[list[str], int]:
        numbers.extend(read)
        return [], 0

    result = run_partitions(parts[::-1][::-1], as_read, lexicons, client, reading=reading, comparing=STORIES)
    assert [len(n.ids) for n in numbers] == [len(p) for p in parts]
    assert tables(result, tmp_path / "dask") == local


def test_a_dask_dataframe_in_gives_dask_dataframes_out(big_corpus, client, tmp_path):
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd

    import framing.dask
    from framing.types import Article

    rows = [{"id": a.id, "text": a.text, "outlet": a.outlet, "source_type": a.source_type, "title": a.title}
            for a in articles_of(big_corpus)[:600]]
    rows[400]["id"] = rows[10]["id"]  # a repeated id, in another partition
    rows[20]["source_type"] = rows[500]["source_type"] = "tabloid"  # the same unknown type, in two partitions
    rows[30]["text"] = None  # no text: skipped
    frame = pd.DataFrame(rows)
    out = framing.dask.analyze(dd.from_pandas(frame, npartitions=3), client=client)

    # The same articles through the local engine: the repeat renamed, the unknown type 'unknown', the empty row gone.
    expected = []
    for i, r in enumerate(rows):
        if r["text"] is None:
            continue
        ident = r["id"] + "#2" if i == 400 else r["id"]
        kind = "unknown" if r["source_type"] == "tabloid" else r["source_type"]
        expected.append(Article(id=ident, text=r["text"], outlet=r["outlet"], source_type=kind, title=r["title"]))
    local = run(expected, load_lexicons(), keep_rows=0, comparing=STORIES)
    report_csv = b"".join(local.tables["report.csv"]())
    assert b"".join(out.result.tables["report.csv"]()) == report_csv
    assert out.report.npartitions >= 1
    report = out.report.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(report, read_report(report_csv))
    assert len(report) == 599 and (report["article_id"] == rows[10]["id"] + "#2").sum() == 1
    matches = out.matches.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(matches, read_matches(b"".join(local.tables["matches.csv"]())))
    means = out.report.groupby("source_type")["n_tokens"].mean().compute()  # lazy, on the workers
    assert means.round(9).to_dict() == report.groupby("source_type")["n_tokens"].mean().round(9).to_dict()
    pd.testing.assert_frame_equal(out.summary, local.summary)
    pd.testing.assert_frame_equal(out.terms, local.terms)
    assert out.warnings[:3] == [
        ("row 20: unknown source_type 'tabloid' (expected one of state_media, wire, mainstream, independent_commentary, unknown); "
         "using 'unknown'"),
        "row 30: no 'text' field, skipped",
        f"row 400: duplicate article id {rows[10]['id']!r}; renamed {rows[10]['id'] + '#2'!r}",
    ]
    assert len(out.warnings) == 3 and out.result.skipped == 1


def test_the_api_refuses_what_is_not_a_dask_dataframe(client):
    import framing.dask
    from framing.errors import InputError

    with pytest.raises(InputError, match="must be a Dask DataFrame"):
        framing.dask.analyze([{"text": "a"}], client=client)
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd

    with pytest.raises(InputError, match="no 'body' column"):
        framing.dask.analyze(dd.from_pandas(pd.DataFrame({"text": ["a"]}), npartitions=1), client=client,
                             text_column="body")


def test_an_unreadable_article_gives_the_local_engines_warning(write, cluster, tmp_path, capsys):
    write("c/good.txt", "Officials said the talks on trade went well. Sanctions were not discussed.")
    write("c/bad.txt", b"Officials said\x00 the talks\x00 went well.")
    outputs, warnings = [], []
    for engine in ("local", "dask"):
        extra = ["--engine", "dask", "--scheduler", cluster.scheduler_address] if engine == "dask" else []
        outputs.append(analyze([str(tmp_path / "c")], tmp_path / engine, *extra))
        warnings.append([line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")])
    assert outputs[0] == outputs[1]
    assert len(warnings[0]) == 1 and "bad.txt" in warnings[0][0]
    assert warnings[1] == warnings[0]


def test_the_local_clusters_workers_keep_glibcs_malloc_tuning(client):
    # Dask's default MALLOC_TRIM_THRESHOLD_ fixes glibc's mmap threshold, which made pass 1 1.8x slower.
    values = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert len(values) == 2 and set(values.values()) == {None}
    assert "MALLOC_TRIM_THRESHOLD_" not in os.environ  # nor leaked into this process


def test_scheduler_without_the_dask_engine_is_one_line(tmp_path, capsys):
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert capsys.readouterr().err == "error: --scheduler is for --engine dask only\n"
    assert not (tmp_path / "o").exists()


def test_an_unreachable_scheduler_is_one_line_after_a_short_wait(tmp_path):
    # A subprocess: what a user sees on stderr, Dask's own logging included. Port 1 refuses connections.
    done = subprocess.run(
        [sys.executable, "-m", "framing", "analyze", str(SEEDS), "--out", str(tmp_path / "o"), "--engine", "dask",
         "--scheduler", "tcp://127.0.0.1:1"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 5 s")
    assert not (tmp_path / "o").exists()


def test_without_dask_installed_the_engine_is_one_line_saying_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # ``import distributed`` now raises ImportError
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "o"), "--engine", "dask"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: the dask engine needs Dask")
    assert 'pip install "framing[dask]"' in err


def test_a_label_model_applied_on_the_dask_engine_gives_the_local_report(cluster, tmp_path):
    pytest.importorskip("sklearn")
    from ..stats.test_label_model import frame_corpus

    train = frame_corpus(tmp_path / "train.csv")
    model = tmp_path / "m.json"
    assert main(["model", "train", str(train), "--label", "conflict", "--out", str(model), "--quiet", "--jobs", "1"]) == 0
    args = [str(frame_corpus(tmp_path / "new.csv", n=45, outlets=5, seed=11)), "--model", str(model)]
    local = analyze(args, tmp_path / "local", "--quiet")
    dask = analyze(args, tmp_path / "dask", "--quiet", "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert b"model.conflict.p_true,story_id\r\n" in local["report.csv"]
    for name in CSVS:
        assert dask[name] == local[name], name


def test_grouping_and_time_on_the_dask_engine_give_the_local_engines_bytes(cluster, tmp_path):
    from .test_grouping import SPLIT, records

    path = tmp_path / "dated.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    options = ("--quiet", "--group-by", "lean", "--by-period", "week", "--split-date", SPLIT)
    local = analyze([str(path)], tmp_path / "local", *options)
    dask = analyze([str(path)], tmp_path / "dask", *options, "--engine", "dask", "--scheduler",
                   cluster.scheduler_address, "--partition-mb", "0.01")
    for name in (*CSVS, "timeline.csv", "before_after.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert local["summary.csv"].startswith(b"lean,")


def test_the_dask_api_groups_by_a_metadata_column_and_refuses_others(client):
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd

    import framing.dask
    from framing import InputError

    from .test_grouping import records

    frame = pd.DataFrame(records(60)).drop(columns=["lean", "genre"])
    out = framing.dask.analyze(dd.from_pandas(frame, npartitions=2), client=client, group_by="outlet", period="month")
    assert out.summary.columns[0] == "outlet" and out.result.timeline.columns[0] == "outlet"
    with pytest.raises(InputError, match="group_by must be one of"):
        framing.dask.analyze(dd.from_pandas(frame, npartitions=2), client=client, group_by="genre")


def test_what_the_workers_move_tells_dask_its_size(tmp_path):
    """Dask batches the objects it moves between workers by their sizes: a parked partial and a piece of output
    rows must not pass for a few dozen bytes (sixty 15 MB partials went in one message, a gigabyte at once)."""
    import numpy as np
    from dask.sizeof import sizeof

    from framing.engine.spill import Parked
    from framing.engine.worker import Piece

    rows = [b"%04d" % i * 250 for i in range(500)]  # distinct: pickle would store one object repeated once
    parked = Parked(rows, tmp_path)
    assert sizeof(parked) >= 500 * 1000
    report = Piece(ranks=np.arange(500), texts=rows, splits=np.zeros(500, np.int64), matches=[])
    matches = Piece(ranks=np.arange(500), texts=[], splits=np.zeros(0, np.int64), matches=rows)
    assert min(sizeof(report), sizeof(matches)) >= 500 * 1000
