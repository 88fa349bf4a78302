import codecs
import json
import os

import pytest

from framing import InputError, read_corpus


def test_folder_with_manifest_and_decoding_policy(write, tmp_path):
    write("c/a.txt", "plain utf-8 ünïcode")
    write("c/sub/b.md", codecs.BOM_UTF8 + b"with bom\r\nline")
    write("c/u16.txt", "utf sixteen".encode("utf-16"))
    write("c/win.txt", "café “quoted”".encode("cp1252"))
    write("c/bin.txt", b"\x00\x01\x02\xff\xfe\x00binary")
    write("c/README.md", "documentation, not an article")
    write("c/manifest.csv", "file,outlet,source_type,title\na.txt,RT,state_media,A\nsub/b.md,Reuters,Wire,B\n"
          "missing.txt,AP,wire,M\n../outside.txt,X,wire,O\nu16.txt,Blog,op-ed,U\n")
    corpus = read_corpus([tmp_path / "c"])
    by_id = {a.id: a for a in corpus.articles}
    assert sorted(by_id) == ["a.txt", "sub/b.md", "u16.txt", "win.txt"]
    assert by_id["sub/b.md"].text == "with bom\nline"
    assert by_id["sub/b.md"].source_type == "wire"  # "Wire" normalised
    assert by_id["u16.txt"].text == "utf sixteen"
    assert by_id["win.txt"].text == "café “quoted”"
    assert by_id["a.txt"].outlet == "RT" and by_id["a.txt"].title == "A"
    joined = "\n".join(corpus.warnings)
    assert "bin.txt: binary file" in joined
    assert "win.txt: not UTF-8; decoded as cp1252" in joined
    assert "missing.txt" in joined
    assert "leaves the corpus folder" in joined
    assert "win.txt: no row in the manifest" in joined
    assert "unknown source_type 'op-ed'" in joined
    assert by_id["u16.txt"].source_type == "unknown"
    assert corpus.skipped == 1


def test_jsonl_with_manifest_by_id_and_bad_lines(write, tmp_path):
    rows = [{"id": "x1", "text": "first"}, {"id": "x2", "text": "second", "outlet": "Rec"}]
    body = "\n".join(json.dumps(r) for r in rows) + "\n{not json\n[1]\n" + json.dumps({"id": "x3"}) + "\n"
    write("a.jsonl", body)
    write("m.csv", "id,outlet,source_type\nx1,Reuters,wire\nx9,AP,wire\nx1,Dup,wire\n")
    corpus = read_corpus([tmp_path / "a.jsonl"], manifest=tmp_path / "m.csv")
    by_id = {a.id: a for a in corpus.articles}
    assert by_id["x1"].outlet == "Reuters" and by_id["x1"].source_type == "wire"
    assert by_id["x2"].outlet == "Rec" and by_id["x2"].source_type == "unknown"
    joined = "\n".join(corpus.warnings)
    assert "a.jsonl:3: invalid JSON" in joined and "a.jsonl:4: not a JSON object" in joined
    assert "no 'text' field" in joined and "'x9'" in joined and "duplicate row" in joined
    assert corpus.skipped == 3  # every line that held something but no article counts


def test_csv_input_text_column_and_duplicate_ids(write, tmp_path):
    write("t.csv", "id,body,outlet\n1,hello,A\n1,again,B\n,no id,C\n")
    corpus = read_corpus([tmp_path / "t.csv"], text_column="body")
    assert [a.id for a in corpus.articles] == ["1", "1#2", "t.csv:3"]
    assert any("duplicate article id '1'" in w for w in corpus.warnings)
    with pytest.raises(InputError, match="no 'text' column"):
        read_corpus([tmp_path / "t.csv"])


def test_semicolon_and_tab_separated_tables_read_as_they_are(write, tmp_path):
    write("s.csv", 'text;outlet;note\n"One; two, three";A;x\nplain, with a comma;B;y\n')
    write("t.tsv.csv", "id\ttext\n7\ta, b; c\n")
    corpus = read_corpus([tmp_path / "s.csv"])
    assert [(a.text, a.outlet) for a in corpus.articles] == [("One; two, three", "A"), ("plain, with a comma", "B")]
    (tab,) = read_corpus([tmp_path / "t.tsv.csv"]).articles
    assert (tab.id, tab.text) == ("7", "a, b; c")
    write("c.csv", "id,text\n1,semi; colon\n")  # a comma header wins when it names the column
    assert [a.text for a in read_corpus([tmp_path / "c.csv"]).articles] == ["semi; colon"]


def test_missing_corpus_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="corpus not found"):
        read_corpus([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no readable articles"):
        read_corpus([tmp_path / "empty"])


def test_manifest_missing_key_columns(write, tmp_path):
    write("c/a.txt", "x")
    write("m.csv", "name,outlet\na,b\n")
    with pytest.raises(InputError, match="needs a 'file' column") as caught:
        read_corpus([tmp_path / "c"], manifest=tmp_path / "m.csv")
    # The library's message names its own argument and the command line's flag alike.
    assert "('id'; name it: id_column= in Python, --id-column on the command line)" in str(caught.value)


def test_gzip_tables_and_articles_stream_like_the_plain_ones(write, tmp_path):
    import gzip

    records = [{"id": f"r{i}", "text": f"Officials said talks went on, day {i}.", "source_type": "wire"} for i in range(50)]
    plain = "".join(json.dumps(r) + "\n" for r in records)
    write("t.jsonl", plain)
    (tmp_path / "t2.jsonl.gz").write_bytes(gzip.compress(plain.encode()))
    write("c.csv", "id,text\na,War and peace.\nb,Trade rose.\n")
    (tmp_path / "c2.csv.gz").write_bytes(gzip.compress((tmp_path / "c.csv").read_bytes()))
    write("f/one.txt", "War and peace.")
    (tmp_path / "f" / "two.txt.gz").write_bytes(gzip.compress(b"Trade rose."))
    a = read_corpus([tmp_path / "t.jsonl"]).articles
    b = read_corpus([tmp_path / "t2.jsonl.gz"]).articles
    assert [(x.id, x.text, x.source_type) for x in a] == [(x.id, x.text, x.source_type) for x in b]
    assert [x.text for x in read_corpus([tmp_path / "c2.csv.gz"]).articles] == ["War and peace.", "Trade rose."]
    assert {x.id: x.text for x in read_corpus([tmp_path / "f"]).articles} == {
        "one.txt": "War and peace.", "two.txt.gz": "Trade rose."}


def test_damaged_gzip_is_named_and_counted_and_the_rest_is_read(write, tmp_path):
    import gzip
    import random

    lines = "".join(json.dumps({"id": f"r{i}", "text": " ".join(random.Random(i).choice("abcdefgh") * 5
                                                                    for _ in range(400))}) + "\n" for i in range(200))
    data = gzip.compress(lines.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])  # cut in the middle
    write("ok.txt", "Officials said talks went well.")
    corpus = read_corpus([tmp_path / "cut.jsonl.gz", tmp_path / "ok.txt"])
    assert 0 < len(corpus.articles) < 201 and corpus.articles[-1].id == "ok.txt"
    assert corpus.skipped == 1
    assert any("cut.jsonl.gz:" in w and "compressed data damaged" in w for w in corpus.warnings)


def test_parquet_tables_read_like_the_csv_of_the_same_rows(write, tmp_path):
    pa = pytest.importorskip("pyarrow") if not os.environ.get("CI") else __import__("pyarrow")
    import pyarrow.parquet as pq

    from framing import analyze_corpus
    from framing.lexicon import load_lexicons

    rows = {"id": [3, 1, 2], "text": ["Sanctions and trade, said officials.", "No text here?", None],
            "outlet": ["Reuters", "RT", "X"], "source_type": ["wire", "state_media", "wire"],
            "date": ["2024-01-02", "2024-01-03", "2024-01-04"]}
    pq.write_table(pa.table(rows), tmp_path / "t.parquet", row_group_size=2)
    corpus = read_corpus([tmp_path / "t.parquet"])
    assert [(a.id, a.outlet, a.source_type) for a in corpus.articles] == [("3", "Reuters", "wire"), ("1", "RT", "state_media")]
    assert any("t.parquet:3: no 'text' field" in w for w in corpus.warnings)  # a null text: skipped, named
    assert corpus.skipped == 1
    csv_path = write("t.csv", "id,text,outlet,source_type,date\n3,\"Sanctions and trade, said officials.\",Reuters,wire,"
                     "2024-01-02\n1,No text here?,RT,state_media,2024-01-03\n")
    a = analyze_corpus(corpus.articles, load_lexicons())
    b = analyze_corpus(read_corpus([csv_path]).articles, load_lexicons())
    assert a.scores.equals(b.scores)
    with pytest.raises(InputError, match="has no 'body' column"):
        read_corpus([tmp_path / "t.parquet"], text_column="body")
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    both = read_corpus([tmp_path / "bad.parquet", tmp_path / "t.parquet"])
    assert len(both.articles) == 2 and any("bad.parquet: not a readable Parquet file" in w for w in both.warnings)
