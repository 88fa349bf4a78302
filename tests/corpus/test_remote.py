"""A corpus named by a URL reads exactly as the same files on disk, by the reader, in parts and on Dask workers.

Two stores: ``file://`` URLs of the test's own folder (fsspec's local file
system: every reading path, no server), and an S3 bucket of a moto server
started by the tests on 127.0.0.1 (listing by prefix, ranged reads, the
endpoint set through fsspec's configuration, as a user sets theirs). The one
difference allowed is the place: warnings and sources name the URL.
"""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path

import pytest

from framing.cli import main
from framing.corpus import CorpusReader
from framing.corpus.remote import RemotePath, is_url, location
from framing.corpus.walk import folder_files

from .test_partitions import through_parts

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
fsspec = pytest.importorskip("fsspec")

WORDS = ("the officials said talks on trade and growth were held while analysts reported that sanctions hurt "
         "exports the regime claimed sovereignty hegemony multipolar cooperation partnership").split()
CSVS = ("report.csv", "matches.csv", "summary.csv", "terms.csv", "comparisons.csv", "stories.csv")


def _text(rng: random.Random) -> str:
    sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize() + "."
                 for _ in range(rng.randint(1, 5))]
    return " ".join(sentences)


def make_corpus(root: Path, seed: int = 7) -> Path:
    """A folder that takes every rule of the walk: nested folders, hidden and documentation files, a manifest by
    path, a file the manifest lacks, a cp1252 file, a Hive-style Parquet dataset; and a JSONL beside it."""
    rng = random.Random(seed)
    folder = root / "corpus"
    for name in ("b.txt", "a.txt", "Z.txt", "sub/x.txt", "sub/deeper/y.md", "sub2/w.txt", "zz/last.txt"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(_text(rng), encoding="utf-8")
    (folder / "latin.txt").write_bytes("Caf\xe9 talks on trade were held.".encode("cp1252"))
    (folder / ".hidden.txt").write_text("not read", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.txt").write_text("not read", encoding="utf-8")
    (folder / "README.md").write_text("documentation", encoding="utf-8")
    (folder / "notes.csv").write_text("text\nnot read in a folder\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,outlet,source_type,date\n"
        "a.txt,RT,state_media,2022-03-01\n"
        "b.txt,Reuters,wire,2022-03-02\n"
        "sub/x.txt,Blog,independent_commentary,2022-03-03\n"
        "sub/deeper/y.md,AP,wire,2022-03-04\n"
        "missing.txt,AP,wire,2022-03-05\n", encoding="utf-8")
    dataset = folder / "data" / "source_type=wire" / "outlet=AFP"
    dataset.mkdir(parents=True)
    table = pa.table({"id": [f"afp{i}" for i in range(30)], "text": [_text(rng) for _ in range(30)]})
    pq.write_table(table, dataset / "part-0.parquet", row_group_size=7)
    records = [{"id": f"j{i}" if i % 5 else "", "outlet": rng.choice(("RT", "AP")),
                "source_type": rng.choice(("state_media", "wire")), "text": _text(rng)} for i in range(120)]
    lines = [json.dumps(r) for r in records]
    lines[40] = "{not json"
    (root / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _placed(items, here: str, there: str):
    """Articles or warnings with the place ``here`` written as ``there``."""
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item.replace(here, there))
        else:
            out.append(item.__class__(**{**item.__dict__, "source": item.source.replace(here, there)}))
    return out


def assert_reads_as_local(url: str, local: Path, **options) -> list:
    local_reader = CorpusReader([local], **options)
    want = list(local_reader)
    remote_reader = CorpusReader([url], **options)
    got = list(remote_reader)
    url = str(RemotePath(url))  # as places name it
    assert _placed(got, url, str(local)) == want
    assert _placed(remote_reader.warnings, url, str(local)) == local_reader.warnings
    assert remote_reader.skipped == local_reader.skipped
    return got


def test_a_url_is_told_from_a_path():
    assert is_url("s3://bucket/corpus") and is_url("file:///tmp/x") and is_url("abfs://c@acct/x")
    assert not any(is_url(p) for p in ("corpus", "/tmp/x", "C:\\corpus", "C:/corpus", "./s3:/x"))
    assert isinstance(location("s3://b/c"), RemotePath) and isinstance(location("c"), Path)


def test_a_remote_path_names_itself_as_a_path_does():
    p = RemotePath("s3://bucket/corpus/")
    assert str(p) == "s3://bucket/corpus" and p.name == "corpus"
    f = p / "sub/x.txt"
    assert f.name == "x.txt" and str(f.parent) == "s3://bucket/corpus/sub"
    assert f.relative_to(p).as_posix() == "sub/x.txt"
    assert pickle.loads(pickle.dumps(f)) == f
    assert RemotePath("s3://bucket").parent == RemotePath("s3://bucket")
    root = RemotePath("file:///")  # a root keeps its slash, and names its children with one
    assert str(root) == "file:///" and str(RemotePath("file:///tmp").parent) == "file:///"
    assert str(root / "tmp") == "file:///tmp" and (root / "tmp/x").relative_to(root).as_posix() == "tmp/x"
    with pytest.raises(ValueError):
        RemotePath("s3://other/x").relative_to(p)


def test_a_url_folder_is_walked_in_the_local_walks_order(tmp_path):
    folder = make_corpus(tmp_path)
    local = [(f.relative_to(folder).as_posix(), table) for f, _, table in folder_files(folder, str(folder), [])]
    root = RemotePath(folder.as_uri())
    remote = [(f.relative_to(root).as_posix(), table) for f, _, table in folder_files(root, root.url, [])]
    assert remote == local
    assert local[:4] == [("Z.txt", False), ("a.txt", False), ("b.txt", False), ("latin.txt", False)]


def test_a_file_url_folder_reads_as_the_folder(tmp_path):
    folder = make_corpus(tmp_path)
    got = assert_reads_as_local(folder.as_uri(), folder)
    assert {a.id for a in got} >= {"a.txt", "sub/deeper/y.md", "latin.txt", "afp0"}
    afp = next(a for a in got if a.id == "afp3")
    assert (afp.outlet, afp.source_type) == ("AFP", "wire")


@pytest.mark.parametrize("target", [700, 32 << 20])
def test_a_file_url_corpus_read_in_parts_is_the_readers(tmp_path, target):
    folder = make_corpus(tmp_path)
    paths = [folder.as_uri(), (tmp_path / "lines.jsonl").as_uri()]
    reader = CorpusReader(paths)
    want = list(reader)
    got, merged, plan = through_parts(paths, target)
    assert got == want and merged.warnings == reader.warnings and merged.skipped == reader.skipped
    assert any(p.kind == "lines" for p in plan.parts) == (target == 700)


def test_a_missing_url_or_an_unknown_protocol_is_one_line(tmp_path, capsys):
    assert main(["analyze", (tmp_path / "nothing").as_uri(), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: corpus not found: {(tmp_path / 'nothing').as_uri()}\n"
    assert main(["analyze", "nosuchprotocol://bucket/x", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot read nosuchprotocol://bucket/x: ") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------- S3, on a moto server of this machine

@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """A moto S3 server on 127.0.0.1 holding the corpus in the bucket ``news``; yields (endpoint, local copy)."""
    pytest.importorskip("s3fs")
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # What a user writes in ~/.config/fsspec/ or FSSPEC_S3_* variables: framing passes no options of its own.
    conf = {"endpoint_url": endpoint, "key": "testing", "secret": "testing"}
    saved = fsspec.config.conf.get("s3")
    fsspec.config.conf["s3"] = conf
    try:
        root = tmp_path_factory.mktemp("s3")
        folder = make_corpus(root)
        fs = fsspec.filesystem("s3", skip_instance_cache=True)
        fs.mkdir("news")
        fs.put(str(folder), "news/corpus", recursive=True)
        fs.put(str(root / "lines.jsonl"), "news/lines.jsonl")
        yield endpoint, root
    finally:
        if saved is None:
            fsspec.config.conf.pop("s3", None)
        else:
            fsspec.config.conf["s3"] = saved
        server.stop()


def test_an_s3_folder_and_jsonl_read_as_on_disk(s3):
    _, root = s3
    assert_reads_as_local("s3://news/corpus", root / "corpus")
    assert_reads_as_local("s3://news/lines.jsonl", root / "lines.jsonl")
    assert_reads_as_local("s3://news/corpus/", root / "corpus")  # a trailing slash names the same folder


def test_an_s3_corpus_read_in_parts_is_the_readers(s3):
    paths = ["s3://news/corpus", "s3://news/lines.jsonl"]
    reader = CorpusReader(paths)
    want = list(reader)
    got, merged, plan = through_parts(paths, 700)
    assert got == want and merged.warnings == reader.warnings
    assert sum(p.kind == "lines" for p in plan.parts) > 3


def test_the_command_on_s3_writes_the_bytes_it_writes_for_the_files(s3, tmp_path):
    _, root = s3
    outputs = {}
    for name, corpus in (("local", [str(root / "corpus"), str(root / "lines.jsonl")]),
                         ("s3", ["s3://news/corpus", "s3://news/lines.jsonl"])):
        out = tmp_path / name
        assert main(["analyze", *corpus, "--out", str(out), "--no-charts", "--no-html", "--quiet", "--no-cache"]) == 0
        outputs[name] = {f: (out / f).read_bytes() for f in CSVS}
    assert outputs["s3"] == outputs["local"]
    assert b"sub/deeper/y.md" in outputs["s3"]["report.csv"]


def test_a_missing_s3_key_is_one_line(s3, tmp_path, capsys):
    assert main(["analyze", "s3://news/nothing-here", "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == "error: corpus not found: s3://news/nothing-here\n"


@pytest.mark.dask
def test_dask_workers_read_the_s3_corpus_themselves(s3, tmp_path, monkeypatch):
    """Workers are other processes: they find the endpoint as a user's workers would, in FSSPEC_S3_* variables."""
    distributed = pytest.importorskip("distributed")
    from framing.engine.cluster import local_cluster

    endpoint, root = s3
    for key, value in (("ENDPOINT_URL", endpoint), ("KEY", "testing"), ("SECRET", "testing")):
        monkeypatch.setenv(f"FSSPEC_S3_{key}", value)
    import framing

    local = framing.analyze([str(root / "corpus"), str(root / "lines.jsonl")], keep_rows=0, keep_texts=0)
    with local_cluster(2) as cluster, distributed.Client(cluster) as client:
        # Parts of 700 bytes: the JSONL in byte ranges and the Parquet file in row groups, each read on a worker.
        remote = framing.analyze(["s3://news/corpus", "s3://news/lines.jsonl"], engine="dask", client=client,
                                 partition_bytes=700, keep_rows=0, keep_texts=0)
        tables = {name: b"".join(stream()) for name, stream in remote.tables.items()}
    assert tables == {name: b"".join(stream()) for name, stream in local.tables.items()}
    assert tables["report.csv"].count(b"\n") == local.n_articles + 1 > 150
