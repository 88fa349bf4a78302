"""A corpus read in parts (as Dask workers read it) gives exactly what CorpusReader gives.

Every test takes the engine's steps: plan_parts, count_part of plan.to_count,
number_parts, read_part of every part, merge_reads of the summaries, and
read_part again for merged.rerun. Whatever crosses between the client and a
worker is pickled on the way, as Dask would.
"""

from __future__ import annotations

import builtins
import codecs
import gzip
import json
import os
import pickle

import pytest

from framing import InputError
from framing.corpus import CorpusReader
from framing.corpus.partitions import (
    PartRead,
    count_part,
    merge_reads,
    number_parts,
    plan_parts,
    read_in_parts,
    read_part,
)

TARGETS = [1, 100, 4096, 32 << 20]


def _wire(obj):
    """As if sent to or from a worker."""
    return pickle.loads(pickle.dumps(obj))


def through_parts(paths, target, **options):
    """The articles and merge of the engine's call sequence, with the parts read 'on workers'."""
    plan = plan_parts(paths, target_bytes=target, **options)
    sent = _wire(plan.options)
    counts = [_wire(count_part(_wire(plan.parts[i]), sent)) for i in plan.to_count]
    plan = number_parts(plan, counts)
    assert plan.to_count == ()
    reads = [read_part(_wire(p), sent) for p in plan.parts]
    summaries = [_wire(r.summary()) for r in reads]
    assert all(s.articles == [] for s in summaries)
    merged = merge_reads(plan, summaries)
    for i, kwargs in merged.rerun.items():
        reads[i] = _wire(read_part(_wire(plan.parts[i]), sent, **_wire(kwargs)))
    return [a for r in reads for a in r.articles], merged, plan


def assert_same(paths, target, **options):
    """The contract: the parts give the reader's articles, warnings and skips exactly."""
    reader = CorpusReader(paths, **options)
    want = list(reader)
    got, merged, plan = through_parts(paths, target, **options)
    assert got == want
    assert merged.warnings == reader.warnings
    assert merged.skipped == reader.skipped
    assert merged.articles == len(want)
    return merged, plan, want


def assert_same_error(paths, target, **options):
    with pytest.raises(InputError) as expected:
        list(CorpusReader(paths, **options))
    with pytest.raises(InputError) as got:
        through_parts(paths, target, **options)
    assert str(got.value) == str(expected.value)
    return str(got.value)


def _jsonl(records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def _text(i: int) -> str:
    return f"Officials said talks on trade went on for day {i}, and the ministry agreed."


# --- folders and text files ---------------------------------------------------


@pytest.fixture
def folder(write, tmp_path):
    write("c/a.txt", "plain utf-8 ünïcode " * 5)
    write("c/sub/b.md", codecs.BOM_UTF8 + b"with bom\r\nline")
    write("c/sub/deeper/c.txt", "deep " * 40)
    write("c/u16.txt", "utf sixteen".encode("utf-16"))
    write("c/win.txt", "café “quoted”".encode("cp1252"))
    write("c/bin.txt", b"\x00\x01\x02\xff\xfe\x00binary")
    write("c/README.md", "documentation, not an article")
    write("c/.hidden.txt", "hidden")
    write("c/notes.csv", "not,an,article\n")
    (tmp_path / "c" / "z.txt.gz").write_bytes(gzip.compress(b"compressed article"))
    write("c/manifest.csv", "file,outlet,source_type,title\na.txt,RT,state_media,A\nsub/b.md,Reuters,Wire,B\n"
          "missing.txt,AP,wire,M\n../outside.txt,X,wire,O\nu16.txt,Blog,op-ed,U\nsub/deeper/c.txt,Blog,Op-Ed,C\n")
    write("secret.txt", "outside the corpus")
    os.symlink(tmp_path / "secret.txt", tmp_path / "c" / "leak.txt")
    os.symlink(tmp_path / "c", tmp_path / "c" / "sub" / "loop")
    write("c/zzz/after-the-loop.txt", "read after the walk's warning")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "c" / "dangling.txt")
    os.symlink("self.txt", tmp_path / "c" / "self.txt")
    os.symlink("a.txt", tmp_path / "c" / "link-to-a.txt")
    return tmp_path / "c"


@pytest.mark.parametrize("target", TARGETS)
def test_a_folder_with_its_manifest_links_and_bad_files(folder, target):
    merged, plan, articles = assert_same([folder], target)
    assert {a.id for a in articles} >= {"a.txt", "sub/b.md", "sub/deeper/c.txt", "z.txt.gz", "link-to-a.txt"}
    (loop,) = [i for i, w in enumerate(merged.warnings) if "folder already read" in w]  # the walk's warning
    assert "zzz/after-the-loop.txt: no row in the manifest" in merged.warnings[loop + 1]  # in its place
    assert any("unknown source_type 'op-ed'" in w for w in merged.warnings)
    # Only link-to-a.txt, whose path leads to a.txt's row, finds that row used by an earlier part.
    for i, kwargs in merged.rerun.items():
        assert any(item[0].endswith("link-to-a.txt") for item in plan.parts[i].items if isinstance(item, tuple))
        assert kwargs == {"renames": {}, "rows": (0,)}
    if target == 1:
        assert len(plan.parts) == sum(isinstance(i, tuple) for p in plan.parts for i in p.items)  # a file a part


@pytest.mark.parametrize("target", TARGETS)
def test_a_folder_of_text_files_needs_no_count_and_no_rerun(write, tmp_path, target):
    for i in range(30):
        write(f"c/{i // 10}/{i:03}.txt", _text(i) * (1 + i % 4))
    merged, plan, articles = assert_same([tmp_path / "c"], target)
    assert len(articles) == 30 and merged.rerun == {} and merged.warnings == []
    assert len(plan.parts) == (1 if target == 32 << 20 else 30 if target < 100 else len(plan.parts))
    if target == 4096:
        assert 1 < len(plan.parts) < 30
        assert all(p.size <= 4096 or len(p.items) == 1 for p in plan.parts)


@pytest.mark.parametrize("target", TARGETS)
def test_the_same_folder_twice_renames_ids_and_uses_each_file_row_once(folder, write, tmp_path, target):
    # The second reading's articles find their rows taken and their ids seen: reruns correct both.
    merged, _, _ = assert_same([folder, folder], target)
    assert any("duplicate article id 'a.txt'; renamed 'a.txt#2'" in w for w in merged.warnings)
    assert merged.rerun  # the second copy is read again, with the ids and rows of the whole corpus


@pytest.mark.parametrize("target", TARGETS)
def test_a_manifest_outside_the_folder_names_files_by_their_path_from_it(write, tmp_path, target):
    for name in ("a", "b", "c"):
        write(f"corpus/{name}.txt", _text(ord(name)))
    os.symlink(tmp_path / "corpus" / "a.txt", tmp_path / "corpus" / "alias.txt")
    write("m.csv", "file,outlet,source_type\ncorpus/a.txt,RT,state_media\ncorpus/b.txt,AP,wire\nx.txt,X,wire\n")
    _, _, articles = assert_same([tmp_path / "corpus", tmp_path / "corpus"], target, manifest=tmp_path / "m.csv")
    assert [a.outlet for a in articles[:3]] == ["RT", "", "AP"]  # alias.txt: a.txt's row is already used


@pytest.mark.parametrize("target", TARGETS)
def test_single_text_files_and_several_paths_at_once(write, tmp_path, target):
    one = write("one.txt", "War and peace.")
    two = write("two.md", "War and peace, again.")
    bad = write("bad.txt", b"\x00\x00\x00binary")
    table = write("t.jsonl", _jsonl([{"id": "one.txt", "text": "an id that a file has too"}, {"text": "no id"}]))
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "one.txt").write_text("a folder's one.txt")
    _, _, articles = assert_same([one, two, bad, table, tmp_path / "c", one], target)
    assert [a.id for a in articles] == ["one.txt", "two.md", "one.txt#2", "t.jsonl:2", "one.txt#3", "one.txt#4"]


# --- JSONL --------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_jsonl_with_ids_and_no_errors_is_split_and_never_rerun(write, tmp_path, target):
    n = 40 if target == 1 else 200  # at 1 byte every line is a part: 40 make the point
    path = write("a.jsonl", _jsonl({"id": f"r{i}", "text": _text(i), "outlet": "Reuters", "source_type": "wire"}
                                   for i in range(n)))
    merged, plan, articles = assert_same([path], target)
    assert len(articles) == n and merged.rerun == {}
    if target < path.stat().st_size:
        assert len(plan.parts) > 1 and {p.kind for p in plan.parts} == {"lines"}


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_jsonl_without_ids_numbers_its_records_across_parts_without_reruns(write, tmp_path, target):
    n = 30 if target == 1 else 120  # at 1 byte every line is a part
    path = write("a.jsonl", _jsonl({"text": _text(i)} for i in range(n)))
    merged, _, articles = assert_same([path], target)
    assert [a.id for a in articles] == [f"a.jsonl:{i}" for i in range(1, n + 1)]
    assert merged.rerun == {}
    # A UTF-8 byte-order mark before the first record: still counted as a record.
    bom = write("bom.jsonl", codecs.BOM_UTF8 + _jsonl({"text": _text(i)} for i in range(n)).encode())
    merged, _, articles = assert_same([bom], target)
    assert articles[-1].id == f"bom.jsonl:{n}" and merged.rerun == {}


def _messy_lines() -> bytes:
    """Every kind of bad line, spread over the file, with CRLF and lone CR breaks here and there."""
    out = [codecs.BOM_UTF8 + json.dumps({"id": "first", "text": "after a byte-order mark"}).encode() + b"\n"]
    for i in range(60):
        rec = {"text": _text(i)}
        if i % 3:
            rec["id"] = f"r{i % 17}"  # repeats: duplicates within and across parts
        if i % 4 == 0:
            rec["source_type"] = ["Op-Ed", "state-media", "blog", "Wire"][i % 16 // 4]
        line = json.dumps(rec).encode()
        if i % 9 == 2:
            line = line.replace(b"Officials", "Öfficials".encode("cp1252"))  # not UTF-8
        if i % 23 == 7:
            line = line.replace(b"Officials", b"Offic\x81ials")  # neither UTF-8 nor cp1252
        out.append(line + (b"\r\n" if i % 5 == 1 else b"\n"))
        if i % 8 == 3:
            out.append(b"\n   \n")  # blank lines
        if i % 10 == 4:
            out.append(b"{not json\n[1, 2]\n\"a string\"\n")
        if i % 13 == 6:
            out.append(json.dumps({"id": "long", "text": "x" * 700}).encode() + b"\n")  # over the limit
        if i % 14 == 5:
            out.append(json.dumps({"id": "nul", "text": "a\u0000b"}).encode() + b"\r")  # a lone CR ends it
            out.append(json.dumps({"text": "after a lone CR"}).encode() + b"\n")
        if i % 19 == 9:
            out.append(b'{"id": "lone \\ud800", "text": "a lone surrogate \\udc00 escaped"}\n')
            out.append(b'{"id": "no text"}\n{"id": "number", "text": 5}\n')
    out.append(json.dumps({"text": "the last line has no line break"}).encode())
    return b"".join(out)


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_jsonl_with_every_kind_of_bad_line(write, tmp_path, target):
    path = write("messy.jsonl", _messy_lines())
    merged, _, articles = assert_same([path], target, max_article_bytes=600)
    joined = "\n".join(merged.warnings)
    for what in ("invalid JSON", "not a JSON object", "over the 600 bytes limit", "not UTF-8 (first: line",
                 "neither UTF-8 nor cp1252 (first: line", "duplicate article id", "unknown source_type 'blog'",
                 "lone surrogates", "no 'text' field", "'text' is not text", "NUL characters"):
        assert what in joined, what
    assert articles[0].id == "first"
    # One warning per file for the decoding, however many parts the file has.
    assert sum("not UTF-8 (first: line" in w for w in merged.warnings) == 1
    assert sum("unknown source_type 'blog'" in w for w in merged.warnings) == 1


@pytest.mark.parametrize("target", TARGETS)
def test_a_manifest_by_id_with_unused_and_duplicate_rows(write, tmp_path, target):
    rows = [{"id": f"x{i}", "text": _text(i), "source_type": "wire" if i % 2 else "Blog"} for i in range(40)]
    rows[10:10] = ["", "{bad", {"text": "no id: numbered"}]
    path = write("a.jsonl", _jsonl(rows))
    write("m.csv", "id,outlet,source_type\nx1,Reuters,wire\nx9,AP,State Media\nx1,Dup,wire\nnobody,N,wire\n"
          "a.jsonl:11,Numbered,wire\nx20,Odd,op-ed\n")
    merged, _, articles = assert_same([path], target, manifest=tmp_path / "m.csv")
    by_id = {a.id: a for a in articles}
    assert by_id["x9"].source_type == "state_media" and by_id["a.jsonl:11"].outlet == "Numbered"
    assert any("'nobody'" in w for w in merged.warnings)


@pytest.mark.parametrize("target", TARGETS)
def test_records_without_ids_named_by_a_file_row_after_bad_lines(write, tmp_path, target):
    # The record numbers are guessed from the line count; bad lines make the guess wrong, and the
    # manifest's rows for "a.jsonl:<n>" then depend on it: the merge corrects ids and rows.
    rows = []
    for i in range(50):
        rows.append({"text": _text(i)})
        if i % 6 == 2:
            rows.append("{bad json" if i % 12 == 2 else "")
    path = write("a.jsonl", _jsonl(rows))
    write("m.csv", "file,outlet,source_type\n" + "".join(f"a.jsonl:{n},O{n},wire\n" for n in range(1, 60, 3)))
    _, _, articles = assert_same([path, path], target, manifest=tmp_path / "m.csv")
    assert [a.id for a in articles[:3]] == ["a.jsonl:1", "a.jsonl:2", "a.jsonl:3"]
    assert articles[3].outlet == "O4"


@pytest.mark.parametrize("target", TARGETS)
def test_crlf_and_lone_cr_files(write, tmp_path, target):
    crlf = write("crlf.jsonl", _jsonl({"text": _text(i)} for i in range(30)).replace("\n", "\r\n"))
    cr = write("cr.jsonl", _jsonl({"text": _text(i)} for i in range(30)).replace("\n", "\r"))
    mixed = write("mixed.jsonl", "".join(json.dumps({"text": _text(i)}) + ["\n", "\r\n", "\r", "\r\r\n"][i % 4]
                                         for i in range(30)) + "{oops\n")
    merged, _, _ = assert_same([crlf, cr, mixed], target)
    assert any(w.startswith(f"{mixed}:") and "invalid JSON" in w for w in merged.warnings)


@pytest.mark.parametrize("target", TARGETS)
def test_an_over_long_first_line_keeps_the_byte_order_mark_pending(write, tmp_path, target):
    data = (codecs.BOM_UTF8 + json.dumps({"text": "y" * 300}).encode() + b"\n" + codecs.BOM_UTF8
            + _jsonl({"text": _text(i)} for i in range(10)).encode())
    path = write("a.jsonl", data)
    assert_same([path], target, max_article_bytes=200)
    # After a line within the limit, a byte-order mark is no longer dropped: that line is not JSON.
    later = write("b.jsonl", _jsonl({"text": _text(i)} for i in range(5)).encode() + codecs.BOM_UTF8
                  + _jsonl({"text": _text(i)} for i in range(5)).encode())
    merged, _, _ = assert_same([later], target, max_article_bytes=200)
    assert any("b.jsonl:6: invalid JSON" in w for w in merged.warnings)


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_utf16_jsonl_is_read_whole_by_the_part_that_starts_it(write, tmp_path, target):
    n = 10 if target == 1 else 40  # at 1 byte every line is a part

    def body(tag):
        return _jsonl({"id": f"{tag}{i}", "text": _text(i) + " 北京"} for i in range(n))

    with_bom = write("bom.jsonl", body("b").encode("utf-16"))
    without = write("le.jsonl", body("l").encode("utf-16-le"))
    utf32 = write("wide.jsonl", body("w").encode("utf-32"))
    merged, _, articles = assert_same([with_bom, without, utf32], target)
    assert len(articles) == 3 * n and merged.rerun == {}
    assert any("no byte-order mark; decoded as UTF-16" in w for w in merged.warnings)


# --- rows that are skipped: each named once, by both readers ------------------------

# JSONL lines with unusual Unicode: kept as they are, or skipped with one warning each (tests/corpus/test_skipped_rows.py).
_UNUSUAL_LINES = [
    '{"id": "nul", "text": "NUL \\u0000 inside"}', '{"text": "lone \\ud800 surrogate"}',
    '{"id": "bell", "text": "bell \\u0007 esc \\u001b"}', '{"text": "ls \\u2028 nel \\u0085 bom \\ufeff"}',
    '{"id": "raw", "text": "raw \x07 bell"}', '{"text": "raw \x00 NUL"}', '{"id": "cut", "text": "unclosed',
    "\x0c", "\u2028", "\xa0", " \t", "", '{"id": "no text"}', '{"id": "x", "text": "\\u0000"}',
]


@pytest.mark.slow  # a battery of random cases
@pytest.mark.parametrize("seed", range(12))
def test_random_ragged_csv_and_unusual_jsonl_read_in_parts_as_the_reader_reads_them(tmp_path, seed):
    import random

    rng = random.Random(seed)
    lines = []
    for i in range(rng.randrange(1, 60)):
        if rng.random() < 0.4:
            lines.append(rng.choice(_UNUSUAL_LINES))
        else:
            lines.append(json.dumps({"text": _text(i)} if rng.random() < 0.5 else {"id": f"j{i % 7}", "text": _text(i)}))
    jsonl = tmp_path / "u.jsonl"
    jsonl.write_bytes("\n".join(lines).encode("utf-8") + rng.choice([b"\n", b""]))
    header = rng.sample(["id", "outlet", "text", "title"], 4)
    rows = [",".join(header)]
    for i in range(rng.randrange(1, 30)):
        cells = {"id": f"c{i % 5}", "outlet": "AP", "text": rng.choice([_text(i), "", " "]), "title": "T"}
        row = [cells[h] for h in header]
        rows.append(",".join(row[: rng.randrange(len(row) + 1)] if rng.random() < 0.4 else row))
    ragged = tmp_path / "r.csv"
    ragged.write_text("\n".join(rows) + "\n", encoding="utf-8")
    paths = rng.sample([jsonl, ragged], rng.randrange(1, 3))
    for target in (1, rng.randrange(2, 400), 4096):
        try:
            merged, _, got = assert_same(paths, target)
        except InputError:  # nothing readable: then both say so, naming what was skipped
            assert "skipped" in assert_same_error(paths, target)
            continue
        skips = [w for w in merged.warnings if "skipped" in w]
        assert len(skips) == merged.skipped  # one warning for each row skipped
        # Every line that is not blank is an article or a warning that names it: nothing vanishes.
        for path, records in ((jsonl, [ln for ln in lines if ln.strip(" \t")]), (ragged, [r for r in rows[1:] if r])):
            if path in paths:
                kept = sum(1 for a in got if a.source.startswith(f"{path}:"))
                named = sum(1 for w in skips if w.startswith(f"{path}:"))
                assert kept + named == len(records), (path, merged.warnings)


# --- CSV, gzip, Parquet ---------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_csv_with_quoted_line_breaks_and_semicolons_is_one_part(write, tmp_path, target):
    rows = "".join(f'{i};"{_text(i)}\nsecond line; with a semicolon";Outlet {i % 3};{"wire" if i % 2 else "Wire"}\n'
                   for i in range(40))
    path = write("t.csv", "id;text;outlet;source_type\n" + rows + '7;dup id;X;blog\n;no id;Y;wire\n')
    _, plan, articles = assert_same([path], target)
    assert len(plan.parts) == 1 and plan.parts[0].kind == "table"
    assert "\n" in articles[0].text and articles[-1].id == "t.csv:42"


@pytest.mark.parametrize("target", TARGETS)
def test_gzip_jsonl_is_one_part(write, tmp_path, target):
    records = _jsonl({"id": f"g{i % 30}", "text": _text(i), "source_type": "op-ed"} for i in range(60)) + "{bad\n"
    path = tmp_path / "t.jsonl.gz"
    path.write_bytes(gzip.compress(records.encode()))
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(records.encode() * 20)[:900])  # damaged in the middle
    merged, plan, _ = assert_same([path, cut], target)
    assert len(plan.parts) == 2 and any("compressed data damaged" in w for w in merged.warnings)


def _parquet(path, n, row_group_size, **columns):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = {"text": [_text(i) if i % 50 != 7 else None for i in range(n)],
             "source_type": [["wire", "State Media", "blog"][i % 3] for i in range(n)], **columns}
    pq.write_table(pa.table(table), path, row_group_size=row_group_size, compression="NONE", use_dictionary=False)
    return path


@pytest.mark.parametrize("target", TARGETS)
def test_parquet_is_split_by_row_groups_at_whole_batches(tmp_path, target):
    from framing.corpus.tables import PARQUET_BATCH

    aligned = _parquet(tmp_path / "a.parquet", 3 * PARQUET_BATCH + 10, PARQUET_BATCH)
    small = _parquet(tmp_path / "s.parquet", 40, 7, id=[f"s{i % 15}" for i in range(40)])
    merged, plan, articles = assert_same([aligned, small], target)
    rows = [p for p in plan.parts if p.kind == "rows"]
    if target < 32 << 20:
        assert [p.span.groups for p in rows] == [(0,), (1,), (2,), (3,)]  # the small file's groups never align
    assert articles[0].id == "a.parquet:1" and any("a.parquet:3008: no 'text' field" in w for w in merged.warnings)


@pytest.mark.parametrize("target", TARGETS)
def test_a_damaged_parquet_row_group_skips_the_rest_of_its_file(tmp_path, target):
    import pyarrow.parquet as pq

    from framing.corpus.tables import PARQUET_BATCH

    good = _parquet(tmp_path / "g.parquet", 4 * PARQUET_BATCH, PARQUET_BATCH)
    column = pq.ParquetFile(good).metadata.row_group(1).column(0)
    data = bytearray(good.read_bytes())
    data[column.data_page_offset:column.data_page_offset + 8] = b"\xff" * 8
    bad = tmp_path / "b.parquet"
    bad.write_bytes(bytes(data))
    merged, _, _ = assert_same([bad, good], target)
    assert any("b.parquet:1025: unreadable Parquet data" in w for w in merged.warnings)
    if target < 32 << 20:
        assert set(merged.rerun) == {2, 3} and all(kw == {"empty": True} for kw in merged.rerun.values())


def test_parquet_without_its_text_column_fails_as_the_reader_does(tmp_path):
    path = _parquet(tmp_path / "a.parquet", 2000, 1024)
    for target in (1, 32 << 20):
        assert "has no 'body' column" in assert_same_error([path], target, text_column="body")
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    assert_same([tmp_path / "bad.parquet", path], 1)


# --- Parquet dataset folders -------------------------------------------------------


def _part_file(path, n, row_group_size, ids=None, **columns):
    """A Parquet part file of ``n`` rows (folders made); ``ids``: the id column, None for rows without one."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    table = {"text": [_text(i) for i in range(n)], **columns}
    if ids is not None:
        table["id"] = ids
    pq.write_table(pa.table(table), path, row_group_size=row_group_size, compression="NONE", use_dictionary=False)
    return path


@pytest.fixture
def dataset(write, tmp_path):
    """A Spark-like export: Hive directories, the same file names in several folders, a text file beside them."""
    from framing.corpus.tables import PARQUET_BATCH

    root = tmp_path / "export"
    write("export/_SUCCESS", "")
    write("export/about.txt", _text(0) * 3)
    _part_file(root / "source_type=wire/outlet=Reuters%20AG/part-00000.parquet", 3 * PARQUET_BATCH + 10, PARQUET_BATCH)
    _part_file(root / "source_type=wire/outlet=Reuters%20AG/part-00001.parquet", 40, 7,
               ids=[f"r{i}" if i % 3 else None for i in range(40)],
               outlet=[None if i % 2 else "Own" for i in range(40)])
    _part_file(root / "source_type=State%20Media/outlet=RT/year=2022/part-00000.parquet", 30, 10)
    _part_file(root / "source_type=State%20Media/outlet=RT/year=2023/part-00000.parquet", 30, 10)
    write("export/source_type=State%20Media/notes.md", _text(1))
    write("export/source_type=wire/outlet=Reuters%20AG/part-00000.txt", _text(2))  # between two tables
    _part_file(root / "zz/part-00000.parquet", 5, 2, ids=[f"z{i}" for i in range(5)], source_type=["wire"] * 5)
    return root


@pytest.mark.parametrize("target", TARGETS)
def test_a_dataset_folder_is_read_in_parts_without_reruns(dataset, target):
    from framing.corpus.tables import PARQUET_BATCH

    merged, plan, articles = assert_same([dataset], target)
    assert merged.rerun == {} and merged.warnings == []
    assert len(articles) == 1 + 3 * PARQUET_BATCH + 10 + 40 + 30 + 30 + 1 + 1 + 5
    assert articles[0].id == "about.txt"
    by_id = {a.id: a for a in articles}
    first = by_id["source_type=wire/outlet=Reuters%20AG/part-00000.parquet:3082"]
    assert (first.outlet, first.source_type) == ("Reuters AG", "wire")
    assert by_id["source_type=State%20Media/outlet=RT/year=2023/part-00000.parquet:30"].source_type == "state_media"
    own = "source_type=wire/outlet=Reuters%20AG/part-00001.parquet"
    assert by_id["r1"].outlet == "Reuters AG"  # its own outlet is null: the directory's
    assert (by_id[f"{own}:1"].outlet, by_id[f"{own}:4"].outlet) == ("Own", "Reuters AG")
    between = by_id["source_type=wire/outlet=Reuters%20AG/part-00000.txt"]
    assert (between.outlet, between.source_type) == ("", "unknown")  # Hive directories give table rows only
    kinds = [p.kind for p in plan.parts]
    big = ["table"] if target == 32 << 20 else ["rows"] * 4  # cut at its row groups, as if given directly
    texts = ["folder"] if target >= 4096 else ["folder", "folder"]  # about.txt, notes.md: one part or two
    assert kinds == [*texts, "table", "table", *big, "folder", "table", "table"]
    assert all(p.in_folder for p in plan.parts if p.kind in ("table", "rows"))


def _messy_dataset(write, tmp_path):
    """A dataset folder with everything that can go wrong with its files."""
    import pyarrow.parquet as pq

    from framing.corpus.tables import PARQUET_BATCH

    root = tmp_path / "c"
    write("c/a.txt", _text(0))
    good = _part_file(root / "outlet=AP/part-0.parquet", 4 * PARQUET_BATCH, PARQUET_BATCH)
    column = pq.ParquetFile(good).metadata.row_group(1).column(0)
    data = bytearray(good.read_bytes())
    data[column.data_page_offset:column.data_page_offset + 8] = b"\xff" * 8
    (root / "outlet=AP" / "part-1.parquet").write_bytes(bytes(data))  # its second row group damaged
    write("c/outlet=AP/part-2.parquet", b"PAR1 not really")
    (root / "outlet=AP" / "part-3.parquet.gz").write_bytes(gzip.compress(good.read_bytes()[:2000]))
    _part_file(root / "outlet=AP/part-4.parquet", 60, 9, ids=[f"d{i % 20}" if i % 4 else None for i in range(60)],
               source_type=[["wire", "Op-Ed", "State Media", None][i % 4] for i in range(60)])
    write("c/outlet=AP/z.txt", b"\x00\x00binary")
    outside = _part_file(tmp_path / "outside.parquet", 10, 5)
    os.symlink(outside, root / "b-leak.parquet")
    os.symlink("b-loop.parquet", root / "b-loop.parquet")
    os.symlink(root / "outlet=AP" / "part-4.parquet", root / "b-same.parquet")  # the same rows again: duplicate ids
    os.mkfifo(root / "b-pipe.parquet")
    os.symlink(root, root / "outlet=AP" / "loop")  # the walk's warning comes between the tables
    _part_file(root / "outlet=AP/loop0/part-0.parquet", 12, 5)
    os.symlink(root, root / "outlet=AP" / "zz-loop-last")  # and after the last table
    return root


@pytest.mark.parametrize("target", TARGETS)
def test_a_dataset_folder_with_damaged_linked_and_repeated_files(write, tmp_path, target):
    root = _messy_dataset(write, tmp_path)
    merged, plan, articles = assert_same([root], target)
    joined = "\n".join(merged.warnings)
    for what in ("b-leak.parquet: link leads outside the corpus folder", "b-loop.parquet: a link loop",
                 "b-pipe.parquet: not a regular file", "part-1.parquet:1025: unreadable Parquet data",
                 "part-2.parquet: not a readable Parquet file", "part-3.parquet.gz: a gzip-compressed Parquet file",
                 "duplicate article id 'd1'", "unknown source_type 'Op-Ed'", "z.txt: binary file"):
        assert what in joined, what
    loop = next(i for i, w in enumerate(merged.warnings) if "outlet=AP/loop: folder already read" in w)
    assert "zz-loop-last: folder already read" in merged.warnings[-1] and loop < len(merged.warnings) - 1
    assert articles[-1].id == "outlet=AP/loop0/part-0.parquet:12" and articles[-1].outlet == "AP"
    assert "b-same.parquet:1" in {a.id for a in articles}
    # The plan never read the metadata of the file outside the folder: that file is one part, refused when read.
    (leak,) = [p for p in plan.parts if p.file.endswith("b-leak.parquet")]
    assert leak.kind == "table" and leak.in_folder
    # Reruns: the damaged file's later parts (given nothing) and the repeated rows (renamed).
    for i, kwargs in merged.rerun.items():
        assert kwargs == {"empty": True} or plan.parts[i].file.endswith(("b-same.parquet", "part-4.parquet"))


def test_the_plan_does_not_open_a_parquet_file_outside_the_folder(write, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    root = _messy_dataset(write, tmp_path)
    opened: list[str] = []
    real = pq.ParquetFile.__init__

    def spy(self, source, *args, **kwargs):
        opened.append(os.fsdecode(source))
        real(self, source, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "__init__", spy)
    plan_parts([root], target_bytes=1)
    assert opened and not any(("outside" in o or "leak" in o or "pipe" in o or "loop.parquet" in o) for o in opened)


@pytest.mark.parametrize("target", TARGETS)
def test_a_dataset_folders_manifest_by_id_and_by_file(dataset, write, tmp_path, target):
    write("export/manifest.csv", "file,id,outlet,source_type\nabout.txt,,About,wire\n,r1,By id,State Media\n"
          ",source_type=wire/outlet=Reuters%20AG/part-00000.parquet:2000,Numbered,wire\n,z3,Zed,op-ed\n"
          ",nobody,N,wire\nmissing.txt,,M,wire\n")
    merged, _, articles = assert_same([dataset], target)
    assert merged.rerun == {}
    by_id = {a.id: a for a in articles}
    assert by_id["about.txt"].outlet == "About" and by_id["r1"].source_type == "state_media"
    assert by_id["source_type=wire/outlet=Reuters%20AG/part-00000.parquet:2000"].outlet == "Numbered"
    assert any("'nobody'" in w for w in merged.warnings) and any("'missing.txt'" in w for w in merged.warnings)
    # A manifest outside the folder: the text file by its path from there, table rows by id only.
    write("m.csv", "file,outlet,source_type\nexport/about.txt,About,wire\n"
          "export/zz/part-00000.parquet:1,Never,wire\n")
    merged, _, articles = assert_same([dataset], target, manifest=tmp_path / "m.csv")
    assert articles[0].outlet == "About" and any("'export/zz/part-00000.parquet:1'" in w for w in merged.warnings)


@pytest.mark.parametrize("target", TARGETS)
def test_a_folder_parquet_file_without_its_text_column_is_skipped_as_the_reader_skips_it(dataset, target):
    merged, _, _ = assert_same([dataset], target, text_column="body")
    assert any("no 'body' column (columns: " in w and w.endswith("not articles, skipped") for w in merged.warnings)
    assert_same([dataset], target, id_column="outlet")  # own ids from another column: the reader's too


@pytest.mark.slow  # a battery of random cases
@pytest.mark.parametrize("seed", range(12))
def test_random_dataset_folders_read_in_parts_as_the_reader_reads_them(tmp_path, seed):
    import random

    from framing.corpus.tables import PARQUET_BATCH

    rng = random.Random(seed)
    root = tmp_path / "ds"
    dirs = ["", "a", "a/b", "outlet=X%20Y", "outlet=X%20Y/source_type=wire", "source_type=op-ed/date=2024-01-0%31",
            "title=", "url=__HIVE_DEFAULT_PARTITION__/outlet=Z"]
    ids = [f"i{n}" for n in range(6)]
    for n in range(rng.randrange(1, 9)):
        folder = root / rng.choice(dirs)
        if rng.random() < 0.3:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"t{n}.txt").write_text(_text(n) * rng.randrange(1, 4))
            continue
        big = rng.random() < 0.2  # row groups of whole batches: cut into parts
        rows = 2 * PARQUET_BATCH + rng.randrange(1, 40) if big else rng.randrange(1, 40)
        columns = {}
        if rng.random() < 0.5:
            columns["outlet"] = [rng.choice([None, "", "Own"]) for _ in range(rows)]
        if rng.random() < 0.5:
            columns["source_type"] = [rng.choice([None, "wire", "blog"]) for _ in range(rows)]
        own_ids = [rng.choice([None, *ids]) for _ in range(rows)] if rng.random() < 0.5 else None
        group = PARQUET_BATCH if big else rng.randrange(1, 12)
        _part_file(folder / f"part-{n % 3}.parquet", rows, group, ids=own_ids, **columns)
    if rng.random() < 0.3:
        (root / "bad.parquet").write_bytes(b"PAR1 not really")
    rows = ["id,outlet,source_type"] + [f"{rng.choice(ids)},O{n},{rng.choice(['wire', 'blog'])}" for n in range(3)]
    rows += [f"a/part-{rng.randrange(3)}.parquet:{rng.randrange(1, 10)},N{n},wire" for n in range(2)]
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n")
    manifest = rng.choice([None, tmp_path / "m.csv"])
    paths = [root] * rng.randrange(1, 3)
    for target in (1, rng.randrange(2, 3000), rng.randrange(3000, 60000)):
        try:
            assert_same(paths, target, manifest=manifest)
        except InputError:  # nothing readable: then both say so
            assert_same_error(paths, target, manifest=manifest)


# --- errors ---------------------------------------------------------------------


@pytest.mark.parametrize("target", [1, 100])
def test_a_split_file_that_cannot_be_opened_is_warned_about_once(write, tmp_path, monkeypatch, target):
    from framing.corpus import tables

    path = write("a.jsonl", _jsonl({"text": _text(i)} for i in range(20)))
    ok = write("b.jsonl", _jsonl({"text": _text(i)} for i in range(20)))
    real = tables.open_regular

    def refusing(p, name, warnings):  # as a file without read permission does (the tests may run as root)
        if p == path:
            warnings.append(f"{name}: cannot read (Permission denied), skipped")
            return None
        return real(p, name, warnings)

    monkeypatch.setattr(tables, "open_regular", refusing)
    merged, _, _ = assert_same([path, ok], target)
    assert sum("Permission denied" in w for w in merged.warnings) == 1 and merged.skipped == 1


def test_errors_are_the_readers(write, tmp_path):
    write("c/a.txt", "x")
    write("m.csv", "name,outlet\na,b\n")
    for paths, options in (([], {}), ([tmp_path / "nope"], {}), ([tmp_path / "c"], {"manifest": tmp_path / "m.csv"}),
                           ([tmp_path / "c"], {"manifest": tmp_path / "none.csv"}),
                           ([tmp_path / "c"], {"max_article_bytes": 0})):
        with pytest.raises(InputError) as expected:
            CorpusReader(paths, **options)
        with pytest.raises(InputError, match=str(expected.value).replace("(", r"\(").replace(")", r"\)")):
            plan_parts(paths, **options)
    (tmp_path / "empty").mkdir()
    write("empty/README.md", "not an article")
    assert "no readable articles" in assert_same_error([tmp_path / "empty"], 1)
    write("t.csv", "id,body\n1,x\n")
    write("ok.jsonl", _jsonl({"text": _text(i)} for i in range(20)))
    assert "no 'text' column" in assert_same_error([tmp_path / "ok.jsonl", tmp_path / "t.csv", tmp_path / "c"], 1)
    write("e.csv", "")
    assert "is empty" in assert_same_error([tmp_path / "c", tmp_path / "e.csv"], 100)
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    assert_same([tmp_path / "c", tmp_path / "pipe.jsonl"], 1)  # a table that is not a regular file: a warning
    assert "not a file or folder" in assert_same_error([tmp_path / "c", tmp_path / "pipe.txt"], 1)
    with pytest.raises(InputError, match="part size"):
        plan_parts([tmp_path / "c"], target_bytes=0)


# --- what the client does and holds ---------------------------------------------


def test_the_plan_reads_no_article_text(write, tmp_path, monkeypatch):
    big = write("big.jsonl", _jsonl({"id": f"r{i}", "text": _text(i) * 4} for i in range(6500)))
    assert big.stat().st_size > 2_000_000
    for i in range(200):
        write(f"c/{i}.txt", _text(i) * 10)
    write("c/manifest.csv", "file,outlet\n0.txt,AP\n")
    opened: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file, *args, **kwargs):
        if not isinstance(file, int):  # a descriptor was opened by os.open, and counted there
            opened.append(os.fsdecode(file))
        return real_open(file, *args, **kwargs)

    def spy_os_open(path, *args, **kwargs):
        opened.append(os.fsdecode(path))
        return real_os_open(path, *args, **kwargs)

    def io_bytes() -> int:
        with real_open("/proc/self/io") as f:
            return int(next(line for line in f if line.startswith("rchar:")).split()[1])

    counting = os.path.exists("/proc/self/io")
    before = io_bytes() if counting else 0
    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    plan = plan_parts([big, tmp_path / "c"], target_bytes=100_000)
    monkeypatch.undo()
    read = io_bytes() - before if counting else 0
    assert opened == [str(tmp_path / "c" / "manifest.csv")]  # the manifest, and not one article
    assert read < 20_000  # bytes read by this process while planning: the manifest (and nothing else)
    assert len(plan.parts) > 20
    # The workers' part: a count reads its range, a read its range (and the file's first 64 KB).
    numbered = number_parts(plan, [count_part(plan.parts[i], plan.options) for i in plan.to_count])
    before = io_bytes() if counting else 0
    part = read_part(numbered.parts[5], numbered.options)
    if counting:
        assert io_bytes() - before < 100_000 + 65536 + 16384
    assert 0 < len(part.articles) < 6500


def test_summaries_hold_no_text_and_everything_pickles(write, tmp_path):
    path = write("a.jsonl", _jsonl({"id": f"r{i}", "text": f"secret text number {i}"} for i in range(100)))
    plan = plan_parts([path], target_bytes=500)
    plan = number_parts(plan, [count_part(plan.parts[i], plan.options) for i in plan.to_count])
    reads = [read_part(p, plan.options) for p in plan.parts]
    assert sum(len(r.articles) for r in reads) == 100
    for r in reads:
        data = pickle.dumps(r.summary())
        assert b"secret text" not in data
        assert isinstance(pickle.loads(data), PartRead)
    assert merge_reads(plan, [r.summary() for r in reads]).rerun == {}


def test_the_steps_must_come_in_order(write, tmp_path):
    path = write("a.jsonl", _jsonl({"text": _text(i)} for i in range(50)))
    plan = plan_parts([path], target_bytes=1000)
    assert plan.to_count and not plan.parts[1].numbered
    with pytest.raises(ValueError, match="not numbered"):
        read_part(plan.parts[1], plan)
    with pytest.raises(ValueError, match="count_part"):
        number_parts(plan, [])
    plan = number_parts(plan, {i: count_part(plan.parts[i], plan) for i in plan.to_count})
    reads = [read_part(p, plan) for p in plan.parts]
    with pytest.raises(ValueError, match="every part"):
        merge_reads(plan, reads[:-1])
    articles, merged = read_in_parts(plan_parts([path], target_bytes=1000))
    assert articles == list(CorpusReader([path])) and merged.rerun == {}


def test_reruns_are_only_the_parts_that_need_them(write, tmp_path):
    first = write("a.jsonl", _jsonl({"id": f"a{i}", "text": _text(i)} for i in range(100)))
    second = write("b.jsonl", _jsonl({"id": "a5" if i == 60 else f"b{i}", "text": _text(i)} for i in range(100)))
    merged, plan, _ = assert_same([first, second], 1000)
    (index,) = merged.rerun
    part = plan.parts[index]
    assert part.file == str(second) and list(merged.rerun[index]) == ["renames"]
    assert list(merged.rerun[index]["renames"].values()) == ["a5#2"]


def _random_corpus(root, rng):
    """A JSONL, a folder and a manifest of random good and bad lines, ids and labels."""
    kinds = ["ok", "ok", "ok", "noid", "blank", "invalid", "list", "long", "cp1252", "undecodable", "notext", "crlf",
             "cr"]
    ids = [f"i{n}" for n in range(8)]
    types = ["wire", "Wire", "state media", "op-ed", "blog", ""]
    out = []
    for n in range(rng.randrange(1, 40)):
        k = rng.choice(kinds)
        rec = {"text": f"{_text(n)} {'x' * rng.randrange(0, 80)}", "source_type": rng.choice(types)}
        if k != "noid":
            rec["id"] = rng.choice(ids)
        line = json.dumps(rec).encode()
        line = {"blank": b"  ", "invalid": b"{nope", "list": b"[]", "long": json.dumps({"text": "y" * 400}).encode(),
                "cp1252": line.replace(b"Officials", "Öfficials".encode("cp1252")),
                "undecodable": line.replace(b"Officials", b"\x81"), "notext": b'{"id": "t"}'}.get(k, line)
        out.append(line + {"crlf": b"\r\n", "cr": b"\r"}.get(k, b"\n"))
    (root / "r.jsonl").write_bytes(b"".join(out))
    for n in range(rng.randrange(0, 6)):
        (root / "f" / f"d{n % 2}").mkdir(parents=True, exist_ok=True)
        (root / "f" / f"d{n % 2}" / f"{rng.choice(ids)}.txt").write_text(_text(n) * rng.randrange(1, 5))
    rows = ["id,outlet,source_type"] + [f"{rng.choice(ids)},O{n},{rng.choice(types)}" for n in range(rng.randrange(4))]
    rows += [f"r.jsonl:{rng.randrange(1, 30)},N{n},wire" for n in range(rng.randrange(3))]
    (root / "m.csv").write_text("\n".join(rows) + "\n")
    file_rows = ["file,outlet,source_type"] + [f"f/d{n % 2}/{rng.choice(ids)}.txt,F{n},wire" for n in range(3)]
    (root / "fm.csv").write_text("\n".join(file_rows) + "\n")


@pytest.mark.slow  # a battery of random cases
@pytest.mark.parametrize("seed", range(20))
def test_random_corpora_read_in_parts_as_the_reader_reads_them(tmp_path, seed):
    import random

    rng = random.Random(seed)
    _random_corpus(tmp_path, rng)
    paths = [tmp_path / rng.choice(["r.jsonl", "r.jsonl", "f"]) for _ in range(rng.randrange(1, 4))]
    if not (tmp_path / "f").exists():
        paths = [p for p in paths if p.name != "f"] or [tmp_path / "r.jsonl"]
    manifest = rng.choice([None, tmp_path / "m.csv", tmp_path / "fm.csv"])
    for target in (1, rng.randrange(2, 60), rng.randrange(60, 2000)):
        try:
            assert_same(paths, target, manifest=manifest, max_article_bytes=300)
        except InputError:  # nothing readable: then both say so
            assert_same_error(paths, target, manifest=manifest, max_article_bytes=300)
