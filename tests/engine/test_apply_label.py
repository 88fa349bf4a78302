"""analyze --model with a model of a label column: its call, reason and probabilities end report.csv.

The model is trained on one made-up corpus (``framing model train --label``)
and applied to another; the source-type figures stay those of a run without
``--model``, and the bytes do not depend on ``--jobs``.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

pytest.importorskip("sklearn")

from framing.cli import main
from framing.engine.rows import read_report

from ..stats.test_label_model import frame_corpus

TABLES = ("report.csv", "matches.csv", "summary.csv", "terms.csv", "comparisons.csv", "evaluation.csv", "labels.csv")
SAFE = re.compile(r"model\.\w+(\.why_undetermined|\.p_\w+)?")


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def train(tmp_path, label="conflict", extra=None):
    """A model of ``label`` trained on 80 made-up articles; its file."""
    table = frame_corpus(tmp_path / "train.csv", extra=extra)
    out = tmp_path / "model.json"
    assert main(["model", "train", str(table), "--id-column", "id", "--label", label, "--out", str(out), "--quiet",
                 "--jobs", "1"]) == 0
    return out


def analyze(corpus, out, *extra: str) -> dict[str, bytes]:
    assert main(["analyze", str(corpus), "--id-column", "id", "--out", str(out), "--no-charts", "--no-html",
                 "--quiet", *extra]) == 0
    return {name: (out / name).read_bytes() for name in TABLES}


@pytest.fixture(scope="module")
def applied(tmp_path_factory):
    """A model of ``conflict`` applied to 45 new articles (other seed, other outlets), with --jobs 1 and 2, and not."""
    tmp = tmp_path_factory.mktemp("apply")
    model = train(tmp)
    corpus = frame_corpus(tmp / "new.csv", n=45, outlets=5, seed=11)
    one = analyze(corpus, tmp / "one", "--model", str(model), "--jobs", "1")
    two = analyze(corpus, tmp / "two", "--model", str(model), "--jobs", "2")
    plain = analyze(corpus, tmp / "plain", "--jobs", "1")
    truth = {r["id"]: r["conflict"] for r in csv.DictReader(io.StringIO(corpus.read_text(encoding="utf-8")))}
    return one, two, plain, truth


def test_the_model_columns_end_the_report_and_call_clear_cases_right(applied):
    one, _, _, truth = applied
    table = rows(one["report.csv"])
    head = table[0]
    assert head[-5:] == ["model.conflict", "model.conflict.why_undetermined", "model.conflict.p_false",
                         "model.conflict.p_true", "story_id"]  # the model's columns end the report, but for the story
    body = [dict(zip(head, r)) for r in table[1:]]
    assert len(body) == 45
    for r in body:
        assert abs(float(r["model.conflict.p_false"]) + float(r["model.conflict.p_true"]) - 1) <= 1e-4
        assert (r["model.conflict"] == "undetermined") == (r["model.conflict.why_undetermined"] != "")
    called = [r for r in body if r["model.conflict"] != "undetermined"]
    assert len(called) >= 40  # the new articles are like the training ones: few abstentions
    assert all(r["model.conflict"] == truth[r["article_id"]] for r in called)  # the words make every case clear
    # The source type is scored as without the model: a made-up corpus of unknown types, similarity scores.
    assert "predicted_source_type" in head and "style_" not in " ".join(head[-5:])


def test_without_the_model_columns_the_run_is_a_run_without_model(applied):
    one, _, plain, _ = applied
    assert [r[:-5] + r[-1:] for r in rows(one["report.csv"])] == rows(plain["report.csv"])  # the model's 4, before story_id
    for name in TABLES[1:]:
        if name == "evaluation.csv":  # the model's own rows are added: the corpus has its column
            assert [r for r in rows(one[name]) if r[0] != "label_applied"] == rows(plain[name])
            continue
        assert one[name] == plain[name], name


def test_a_corpus_with_the_models_column_evaluates_it_there(applied):
    one, _, _, truth = applied
    got = {(r[1], r[2]): float(r[5]) for r in rows(one["evaluation.csv"]) if r[0] == "label_applied"}
    assert got[("support", "true")] == sum(v == "true" for v in truth.values())
    assert got[("support", "false")] == sum(v == "false" for v in truth.values())
    assert got[("auc", "true")] > 0.9 and got[("auc", "false")] == pytest.approx(got[("auc", "true")])
    assert 0 < got[("answered", "all")] <= 1 and got[("accuracy_answered", "all")] > 0.9
    assert got[("f1", "true")] > 0.5


def test_a_corpus_without_the_column_has_no_evaluation_of_it_and_both_uses_at_once_are_refused(tmp_path):
    from framing import InputError
    from framing import analyze as analyze_api

    model = train(tmp_path)
    corpus = frame_corpus(tmp_path / "new.csv", n=30, outlets=3, seed=12)
    table = list(csv.DictReader(io.StringIO(corpus.read_text(encoding="utf-8"))))
    bare = tmp_path / "bare.csv"
    with open(bare, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "outlet", "text"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)
    result = analyze_api(bare, id_column="id", model=model)
    assert not (result.evaluation["model"] == "label_applied").any()
    assert "label_applied" not in result.evaluation_summary
    with pytest.raises(InputError, match="not both"):
        analyze_api(corpus, id_column="id", model=model, label="conflict")


def test_the_same_bytes_for_any_jobs(applied):
    one, two, _, _ = applied
    for name in TABLES:
        assert one[name] == two[name], name


def test_the_dataframe_and_the_csv_read_back_agree(tmp_path):
    from framing import analyze as analyze_api

    model = train(tmp_path)
    corpus = frame_corpus(tmp_path / "new.csv", n=30, outlets=3, seed=12)
    result = analyze_api(corpus, id_column="id", model=model)
    small = analyze_api(corpus, id_column="id", model=model, chunk_articles=7, jobs=2)
    columns = [c for c in result.scores.columns if c.startswith("model.")]
    assert columns == ["model.conflict", "model.conflict.why_undetermined", "model.conflict.p_false",
                       "model.conflict.p_true"]
    data = b"".join(result.tables["report.csv"]())
    assert b"".join(small.tables["report.csv"]()) == data  # chunks of 7 articles in 2 processes: the same bytes
    back = read_report(data)
    assert list(back.columns) == list(result.scores.columns)
    assert back["model.conflict"].tolist() == result.scores["model.conflict"].tolist()
    assert back["model.conflict.p_true"].dtype.kind == "f"
    assert (back["model.conflict.p_true"] - result.scores["model.conflict.p_true"]).abs().max() < 1e-4


def test_parquet_types_the_call_as_text_and_the_probabilities_as_floats(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    model = train(tmp_path)
    corpus = frame_corpus(tmp_path / "new.csv", n=30, outlets=3, seed=12)
    assert main(["analyze", str(corpus), "--id-column", "id", "--model", str(model), "--out", str(tmp_path / "o"),
                 "--no-charts", "--no-html", "--quiet", "--format", "parquet"]) == 0
    table = pd.read_parquet(tmp_path / "o" / "report.parquet")
    assert table["model.conflict"].map(type).eq(str).all()
    assert table["model.conflict.why_undetermined"].map(type).eq(str).all()
    assert table["model.conflict.p_false"].dtype.kind == "f"


def test_hostile_label_and_class_names_give_safe_columns_and_neutralised_cells(tmp_path):
    label = '=HYPERLINK("x"), y.z'
    values = {i: {label: "=1+1" if i % 3 == 0 else '-x,"y"'} for i in range(80)}
    model = train(tmp_path, label=label, extra=values)
    corpus = frame_corpus(tmp_path / "new.csv", n=30, outlets=3, seed=12)
    out = analyze(corpus, tmp_path / "o", "--model", str(model))
    table = rows(out["report.csv"])
    columns = [c for c in table[0] if c.startswith("model.")]
    assert columns == ["model._HYPERLINK_x_y_z", "model._HYPERLINK_x_y_z.why_undetermined",
                       "model._HYPERLINK_x_y_z.p__x_y_", "model._HYPERLINK_x_y_z.p__1_1"]  # classes sorted
    assert all(SAFE.fullmatch(c) for c in columns)
    calls = {r[table[0].index(columns[0])] for r in table[1:]}
    assert calls <= {"'=1+1", "'-x,\"y\"", "undetermined"} and len(calls) >= 2  # called, and neutralised


def test_two_classes_of_one_column_piece_are_told_apart(tmp_path):
    from framing.schema import model_columns

    assert model_columns("a b", ["x y", "x-y", "x_y"]) == [
        "model.a_b", "model.a_b.why_undetermined", "model.a_b.p_x_y", "model.a_b.p_x_y_2", "model.a_b.p_x_y_3"]
    assert model_columns("", ["é", "日本"])[2:] == ["model._.p_é", "model._.p_日本"]
