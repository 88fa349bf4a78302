"""Parquet dataset folders: a corpus folder's .parquet files are read as tables, in their place.

What CorpusReader gives for them (the parts give the same: tests/corpus/test_partitions.py):
ids ``<path relative to the folder>:<row>`` for rows without one, Hive-style
``key=value`` directories for the metadata fields, the folder's order, and
the warnings and skips of a Parquet file given directly.
"""

from __future__ import annotations

import codecs
import datetime
import gzip
import os
from pathlib import Path, PurePosixPath

import pandas as pd
import pytest

from framing import InputError
from framing.corpus import CorpusReader, read_corpus
from framing.corpus.tables import PARQUET_BATCH
from framing.corpus.walk import hive_fields

pa = pytest.importorskip("pyarrow")  # in the [test] extra, so CI runs these
import pyarrow.parquet as pq


def _text(i: int) -> str:
    return f"Officials said talks on trade went on for day {i}, and the ministry agreed."


def parquet(path: Path, texts: list[str | None], row_group_size: int | None = None, **columns: list) -> Path:
    """A Parquet file of these texts and columns (folders made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"text": texts, **columns}), path, row_group_size=row_group_size)
    return path


def ids(corpus) -> list[str]:
    return [a.id for a in corpus.articles]


def test_rows_without_an_id_are_named_by_their_path_in_the_folder(tmp_path):
    parquet(tmp_path / "ds/2022/part-0.parquet", [_text(1), _text(2)])
    parquet(tmp_path / "ds/2023/part-0.parquet", [_text(3), None, _text(4)])
    parquet(tmp_path / "ds/2023/part-1.parquet", [_text(5), _text(6), _text(7)], id=["x1", None, "  "])
    corpus = read_corpus([tmp_path / "ds"])
    # The same file name in two folders: no collision; own ids kept; a blank id is no id.
    assert ids(corpus) == ["2022/part-0.parquet:1", "2022/part-0.parquet:2", "2023/part-0.parquet:1",
                           "2023/part-0.parquet:3", "x1", "2023/part-1.parquet:2", "2023/part-1.parquet:3"]
    assert [a.text for a in corpus.articles][:2] == [_text(1), _text(2)]
    null = tmp_path / "ds" / "2023" / "part-0.parquet"
    assert corpus.warnings == [f"{null}:2: no 'text' field, skipped"] and corpus.skipped == 1
    assert corpus.articles[0].source == f"{tmp_path / 'ds' / '2022' / 'part-0.parquet'}:1"
    # A Parquet file given directly keeps its file name.
    direct = read_corpus([tmp_path / "ds/2022/part-0.parquet"])
    assert ids(direct) == ["part-0.parquet:1", "part-0.parquet:2"]


def test_the_id_column_and_metadata_columns_are_a_top_level_files(tmp_path):
    path = parquet(tmp_path / "ds/a/p.parquet", [_text(1), _text(2), _text(3)], key=["k1", None, "k3"],
                   outlet=["Reuters", None, "  "], source_type=["Wire", "state media", "blog"],
                   date=[datetime.date(2024, 1, 2), datetime.date(2024, 1, 3), None], extra=[1, 2, 3])
    folder = read_corpus([tmp_path / "ds"], id_column="key")
    direct = read_corpus([path], id_column="key")
    assert ids(folder) == ["k1", "a/p.parquet:2", "k3"] and ids(direct) == ["k1", "p.parquet:2", "k3"]
    for a, b in zip(folder.articles, direct.articles):
        assert (a.text, a.outlet, a.source_type, a.date, a.title, a.url) == (b.text, b.outlet, b.source_type, b.date,
                                                                              b.title, b.url)
    assert [(a.outlet, a.source_type, a.date) for a in folder.articles] == [
        ("Reuters", "wire", "2024-01-02"), ("", "state_media", "2024-01-03"), ("", "unknown", "")]
    assert folder.warnings == direct.warnings  # one warning for the unknown 'blog', named by the file's path
    assert len(folder.warnings) == 1 and "unknown source_type 'blog'" in folder.warnings[0]


def test_parquet_files_come_in_the_folders_order_among_the_text_files(write, tmp_path):
    write("c/a.txt", _text(0))
    parquet(tmp_path / "c/b.parquet", [_text(1)])
    write("c/c.md", _text(2))
    parquet(tmp_path / "c/sub/0.parquet", [_text(3), _text(4)])
    write("c/sub/1.txt", _text(5))
    write("c/sub/deeper/2.txt", _text(6))
    parquet(tmp_path / "c/sub/deeper/3.parquet", [_text(7)])
    write("c/z.txt", _text(8))
    corpus = read_corpus([tmp_path / "c"])
    assert ids(corpus) == ["a.txt", "b.parquet:1", "c.md", "z.txt", "sub/0.parquet:1", "sub/0.parquet:2", "sub/1.txt",
                           "sub/deeper/2.txt", "sub/deeper/3.parquet:1"]
    assert [a.text for a in corpus.articles] == [_text(i) for i in (0, 1, 2, 8, 3, 4, 5, 6, 7)]


def test_the_walks_rules_hold_for_parquet_files(tmp_path):
    root = tmp_path / "c"
    parquet(root / "ok.parquet", [_text(0)])
    parquet(root / ".hidden.parquet", [_text(1)])
    parquet(root / ".hidden" / "p.parquet", [_text(2)])
    parquet(root / "README.parquet", [_text(3)])
    outside = parquet(tmp_path / "outside.parquet", [_text(4)])
    os.symlink(outside, root / "leak.parquet")
    os.symlink("ok.parquet", root / "same.parquet")  # a link inside the folder is read
    os.symlink("loop.parquet", root / "loop.parquet")
    os.symlink(root, root / "sub")  # a folder link loop: the walk reads the folder once
    os.mkfifo(root / "pipe.parquet")  # would block pyarrow for ever
    corpus = read_corpus([root])
    assert ids(corpus) == ["ok.parquet:1", "same.parquet:1"]
    assert corpus.warnings == [
        f"{root / 'leak.parquet'}: link leads outside the corpus folder, skipped",
        f"{root / 'loop.parquet'}: a link loop (it leads back to itself), skipped",
        f"{root / 'pipe.parquet'}: not a regular file (a pipe, socket or device), skipped",
        f"{root / 'sub'}: folder already read (a link loop?), skipped",
    ]
    assert corpus.skipped == 3


def test_hive_directories_give_the_metadata_fields(tmp_path):
    root = tmp_path / "outlet=Root"  # the corpus folder's own name is not between it and its files
    parquet(root / "source_type=wire/outlet=Reuters%20AG/year=2022/part-0.parquet", [_text(0), _text(1), _text(2)],
            outlet=[None, "Own outlet", ""])
    parquet(root / "source_type=State%20Media/outlet=RT%2FNews/part-0.parquet", [_text(3)])
    parquet(root / "source_type=wire/outlet=__HIVE_DEFAULT_PARTITION__/part-0.parquet", [_text(4)])
    odd = "date=2024-01-02/title=%20/url=https%3A%2F%2Fx.org%2Fa%3Fb%3D1/Outlet=no/part-0.parquet"
    parquet(root / odd, [_text(5)])
    parquet(root / "outlet=A/outlet=B/part-0.parquet", [_text(6)])
    corpus = read_corpus([root])
    got = {a.text: (a.outlet, a.source_type, a.date, a.title, a.url) for a in corpus.articles}
    assert got[_text(0)] == ("Reuters AG", "wire", "", "", "")  # a null of its own: the directory's value
    assert got[_text(1)] == ("Own outlet", "wire", "", "", "")  # a value of its own wins
    assert got[_text(2)] == ("Reuters AG", "wire", "", "", "")  # an empty value is none
    assert got[_text(3)] == ("RT/News", "state_media", "", "", "")  # URL-decoded, then normalised as any type
    assert got[_text(4)] == ("", "wire", "", "", "")  # Hive's null partition: no value
    assert got[_text(5)] == ("", "unknown", "2024-01-02", "", "https://x.org/a?b=1")  # keys are case-sensitive
    assert got[_text(6)] == ("B", "unknown", "", "", "")  # the directory nearest the file
    # Ids are the path as it is on disk, escapes and all.
    assert corpus.articles[0].id == f"{odd}:1"
    assert corpus.warnings == []


def test_hive_fields():
    assert hive_fields(PurePosixPath("a=1/outlet=AP/x/source_type=op-ed")) == {"outlet": "AP", "source_type": "op-ed"}
    assert hive_fields(PurePosixPath("outlet=AP/outlet=")) == {}
    assert hive_fields(PurePosixPath("outlet=caf%E9/title=a=b")) == {"outlet": "caf\ufffd", "title": "a=b"}
    assert hive_fields(PurePosixPath("outlet=caf\udce9")) == {"outlet": "caf\\xe9"}  # a byte not UTF-8, as in ids
    assert hive_fields(PurePosixPath("")) == {}


def test_a_manifest_joins_parquet_rows_by_id_and_text_files_by_path(write, tmp_path):
    write("c/a.txt", _text(0))
    parquet(tmp_path / "c/2022/p.parquet", [_text(1), _text(2), _text(3)], id=["r1", None, "r3"])
    write("c/manifest.csv", "file,id,outlet,source_type\na.txt,,AP,wire\n,r1,Reuters,wire\n"
          ",2022/p.parquet:2,Numbered,state media\n,nobody,N,wire\n")
    corpus = read_corpus([tmp_path / "c"])
    got = {a.id: (a.outlet, a.source_type) for a in corpus.articles}
    assert got == {"a.txt": ("AP", "wire"), "r1": ("Reuters", "wire"), "2022/p.parquet:2": ("Numbered", "state_media"),
                   "r3": ("", "unknown")}
    source = tmp_path / "c" / "2022" / "p.parquet"
    assert corpus.warnings == [f"{source}:3: no row in the manifest; source_type 'unknown'",
                               f"{tmp_path / 'c' / 'manifest.csv'}:5: no article for 'nobody'"]
    # A manifest outside the folder: text files are found by their path from it, table rows are not.
    write("m.csv", "file,outlet,source_type\nc/a.txt,AP,wire\nc/2022/p.parquet:2,X,wire\n")
    corpus = read_corpus([tmp_path / "c"], manifest=tmp_path / "m.csv")
    assert {a.id: a.outlet for a in corpus.articles}["a.txt"] == "AP"
    assert {a.id: a.outlet for a in corpus.articles}["2022/p.parquet:2"] == ""
    assert f"{tmp_path / 'm.csv'}:3: no article for 'c/2022/p.parquet:2'" in corpus.warnings


def test_a_damaged_file_is_a_top_level_files_warning_and_the_rest_is_read(write, tmp_path):
    root = tmp_path / "c"
    parquet(root / "a.parquet", [_text(0)])
    write("c/b.parquet", b"PAR1 not really")
    (root / "c.parquet.gz").write_bytes(gzip.compress((root / "a.parquet").read_bytes()))
    good = parquet(root / "d.parquet", [_text(i) for i in range(3 * PARQUET_BATCH)], row_group_size=PARQUET_BATCH)
    column = pq.ParquetFile(good).metadata.row_group(1).column(0)
    data = bytearray(good.read_bytes())
    data[column.data_page_offset:column.data_page_offset + 8] = b"\xff" * 8
    (root / "e.parquet").write_bytes(bytes(data))
    write("c/f.txt", _text(1))
    corpus = read_corpus([root])
    assert len(corpus.articles) == 1 + 3 * PARQUET_BATCH + PARQUET_BATCH + 1
    assert ids(corpus)[-2:] == [f"e.parquet:{PARQUET_BATCH}", "f.txt"]
    assert corpus.skipped == 3
    assert corpus.warnings[0].startswith(f"{root / 'b.parquet'}: not a readable Parquet file (")
    assert corpus.warnings[1] == (f"{root / 'c.parquet.gz'}: a gzip-compressed Parquet file; Parquet compresses "
                                  "itself, give the .parquet file. Skipped")
    assert corpus.warnings[2].startswith(f"{root / 'e.parquet'}:{PARQUET_BATCH + 1}: unreadable Parquet data (")
    assert len(corpus.warnings) == 3
    # The same files given directly: the same warnings and skips.
    direct = read_corpus(sorted(root.iterdir()))
    assert direct.warnings == corpus.warnings and direct.skipped == corpus.skipped


def test_a_file_without_the_text_column_is_skipped_in_a_folder_and_an_error_given_directly(tmp_path):
    # In a folder it may be another run's --format parquet output: not articles, while the rest are.
    parquet(tmp_path / "c/a.parquet", [_text(0)], body=[_text(0)])
    parquet(tmp_path / "c/b.parquet", [_text(1)])
    corpus = read_corpus([tmp_path / "c"], text_column="body")
    assert [a.id for a in corpus.articles] == ["a.parquet:1"] and corpus.skipped == 1
    assert corpus.warnings == [f"{tmp_path / 'c' / 'b.parquet'}: no 'body' column (columns: text); not articles, skipped"]
    naming = r"name the text column \(text_column= in Python, --text-column on the command line\)"
    with pytest.raises(InputError, match=r"b.parquet has no 'body' column \(columns: text\); " + naming):
        read_corpus([tmp_path / "c" / "b.parquet"], text_column="body")


def test_rows_are_read_a_batch_at_a_time(tmp_path, monkeypatch):
    from framing.corpus import tables

    n = 2 * PARQUET_BATCH + 5
    parquet(tmp_path / "c/p.parquet", [_text(i) for i in range(n)], row_group_size=1000)
    sizes: list[int] = []
    real = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        for batch in real(self, *args, **kwargs):
            sizes.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    reader = CorpusReader([tmp_path / "c"])
    it = iter(reader)
    next(it)
    assert sizes == [PARQUET_BATCH]  # one batch decoded for the first article, not the file
    assert sum(1 for _ in it) == n - 1 and sum(sizes) == n and max(sizes) <= tables.PARQUET_BATCH


def test_progress_estimates_count_parquet_files_as_tables(write, tmp_path):
    for i in range(4):
        write(f"c/{i}.txt", _text(i))
    parquet(tmp_path / "c/p.parquet", [_text(i) for i in range(3000)], row_group_size=500)
    reader = CorpusReader([tmp_path / "c"])
    assert reader.estimated_total(0) is None  # the rows are not known before some are read
    articles = list(reader)
    assert len(articles) == 3004
    assert reader.estimated_total(len(articles)) == 3004  # all read: the estimate is the count


def _old_folder(write, tmp_path) -> Path:
    write("c/a.txt", "plain utf-8 ünïcode")
    write("c/sub/b.md", codecs.BOM_UTF8 + b"with bom\r\nline")
    write("c/win.txt", "café “quoted”".encode("cp1252"))
    write("c/bin.txt", b"\x00\x01\x02\xff\xfe\x00binary")
    write("c/README.md", "documentation, not an article")
    write("c/t.csv", "id,text\n1,a table in a folder is not read\n")
    write("c/t.jsonl", '{"text": "nor is a JSONL file"}\n')
    write("c/manifest.csv", "file,outlet,source_type\na.txt,RT,state_media\nmissing.txt,AP,wire\n")
    (tmp_path / "c" / "z.txt.gz").write_bytes(gzip.compress(b"compressed article"))
    os.symlink(tmp_path / "c", tmp_path / "c" / "sub" / "loop")
    write("c/zzz/after.txt", "after the loop")
    return tmp_path / "c"


def test_a_folder_without_parquet_files_reads_as_before(write, tmp_path):
    # The articles, warnings and skips that the reader gave before dataset folders were read.
    root = _old_folder(write, tmp_path)
    reader = CorpusReader([root])
    articles = list(reader)
    assert [(a.id, a.text, a.outlet, a.source_type, a.source) for a in articles] == [
        ("a.txt", "plain utf-8 ünïcode", "RT", "state_media", str(root / "a.txt")),
        ("win.txt", "café “quoted”", "", "unknown", str(root / "win.txt")),
        ("z.txt.gz", "compressed article", "", "unknown", str(root / "z.txt.gz")),
        ("sub/b.md", "with bom\nline", "", "unknown", str(root / "sub" / "b.md")),
        ("zzz/after.txt", "after the loop", "", "unknown", str(root / "zzz" / "after.txt")),
    ]
    assert reader.warnings == [
        f"{root / 'bin.txt'}: binary file (NUL bytes), skipped",
        f"{root / 'win.txt'}: not UTF-8; decoded as cp1252 (Windows-1252)",
        f"{root / 'win.txt'}: no row in the manifest; source_type 'unknown'",
        f"{root / 'z.txt.gz'}: no row in the manifest; source_type 'unknown'",
        f"{root / 'sub' / 'b.md'}: no row in the manifest; source_type 'unknown'",
        f"{root / 'sub' / 'loop'}: folder already read (a link loop?), skipped",
        f"{root / 'zzz' / 'after.txt'}: no row in the manifest; source_type 'unknown'",
        f"{root / 'manifest.csv'}:3: no article for 'missing.txt'",
    ]
    assert reader.skipped == 1
    assert reader.estimated_total(0) == 6  # every text file named like an article, read or not


def test_framing_analyze_reads_a_dataset_folder(tmp_path):
    from framing.cli import main

    root = tmp_path / "export"
    parquet(root / "source_type=wire/outlet=Reuters/part-0.parquet", [_text(0), "Sanctions hurt trade."])
    parquet(root / "source_type=state_media/outlet=RT/part-0.parquet", [_text(1)], id=["rt-1"])
    out = tmp_path / "out"
    assert main(["analyze", str(root), "--out", str(out), "--quiet", "--no-charts", "--no-html"]) == 0
    report = pd.read_csv(out / "report.csv", keep_default_na=False)
    rows = report[["article_id", "outlet", "source_type"]].values.tolist()
    assert rows == [["rt-1", "RT", "state_media"],
                    ["source_type=wire/outlet=Reuters/part-0.parquet:1", "Reuters", "wire"],
                    ["source_type=wire/outlet=Reuters/part-0.parquet:2", "Reuters", "wire"]]
