"""--format parquet: report and matches as typed Parquet holding the same cells as the CSV."""

import csv
import json

import pytest

pa = pytest.importorskip("pyarrow")  # in the [test] extra, so CI runs these
import pyarrow.parquet as pq

from framing.cli import main

from ..conftest import ROOT


def _csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_parquet_tables_hold_the_csv_cells_with_types(tmp_path, capsys):
    corpus = tmp_path / "c.csv"
    corpus.write_text('id,text,outlet,source_type\n=1,"Sanctions, said officials.\nTrade war!",Reuters,wire\n'
                      "2,No match here,RT,state_media\n", encoding="utf-8")
    as_csv, as_pq = tmp_path / "csv", tmp_path / "pq"
    assert main(["analyze", str(corpus), "--out", str(as_csv), "--quiet", "--no-charts"]) == 0
    assert main(["analyze", str(corpus), "--out", str(as_pq), "--quiet", "--no-charts", "--format", "parquet"]) == 0
    assert not (as_pq / "report.csv").exists() and not (as_pq / "matches.csv").exists()
    assert (as_pq / "summary.csv").read_bytes() == (as_csv / "summary.csv").read_bytes()
    for table, ints in (("matches", ("sentence", "start", "end", "quoted", "negated")), ("report", ("n_tokens",))):
        rows = _csv(as_csv / f"{table}.csv")
        got = pq.read_table(as_pq / f"{table}.parquet")
        assert got.column_names == rows[0] and got.num_rows == len(rows) - 1
        for name in ints:
            assert got.schema.field(name).type == pa.int64()
            assert got.column(name).to_pylist() == [int(r[rows[0].index(name)]) for r in rows[1:]]
        ids = got.column("article_id").to_pylist()
        assert ids == [r[0] for r in rows[1:]] and "'=1" in ids  # the CSV's neutralised cell, as text
    weights = pq.read_table(as_pq / "matches.parquet").column("weight")
    assert weights.type == pa.float64() and set(weights.to_pylist()) <= {1.0, 2.0}
    assert json.loads((as_pq / "run.json").read_text(encoding="utf-8"))["tables_format"] == "parquet"
    # Back to CSV in the same folder: the Parquet files of the earlier run go, as stale outputs do.
    assert main(["analyze", str(corpus), "--out", str(as_pq), "--quiet", "--no-charts"]) == 0
    assert (as_pq / "report.csv").exists() and not (as_pq / "report.parquet").exists()


def test_without_pyarrow_format_parquet_fails_before_the_analysis(tmp_path, capsys, monkeypatch):
    import builtins

    import framing.api
    from framing.cli import main

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    def no_analysis(*args, **kwargs):
        raise AssertionError("analysed before pyarrow was checked")

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    monkeypatch.setattr(framing.api, "analyze", no_analysis)
    assert main(["analyze", str(ROOT / "seeds"), "--format", "parquet", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: writing Parquet needs pyarrow: pip install 'framing[parquet]'") and err.count("\n") == 1
    assert not (tmp_path / "o").exists()
