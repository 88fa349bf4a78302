"""Frame models from labels: per-class AUC and its baselines, pure; then framing model train --label end to end."""

import csv
import io
import json
import random

import numpy as np
import pytest

pytest.importorskip("sklearn")

from framing.cli import main
from framing.errors import InputError
from framing.model_file import load_model
from framing.stats.label_model import auc_columns, label_classes, lexicon_scores

# A made-up frame: the "conflict" articles use these words, the others the calm ones; both share the filler.
CONFLICT = ["war", "battle", "fight", "clash", "attack", "rivals", "opposed", "dispute"]
CALM = ["garden", "recipe", "holiday", "music", "weather", "quiet", "picnic", "library"]
FILLER = ["the", "council", "met", "on", "tuesday", "and", "the", "report", "was", "published", "in", "the", "city"]


def test_auc_is_the_mann_whitney_statistic_with_ties_counting_half():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(5)
    scores = rng.integers(0, 4, size=(40, 3)).astype(float)  # many ties
    positive = rng.random(40) < 0.4
    ours = auc_columns(scores, positive)
    assert np.allclose(ours, [roc_auc_score(positive, scores[:, j]) for j in range(3)])
    assert auc_columns(np.array([1.0, 2.0, 3.0]), np.array([False, False, True]))[0] == 1.0
    assert np.isnan(auc_columns(np.array([1.0, 2.0]), np.array([True, True]))[0])  # one class: no AUC


def test_the_lexicon_column_is_chosen_on_the_training_folds():
    rng = np.random.default_rng(1)
    positive = np.arange(60) % 3 == 0
    noise = rng.random(60)
    signal = positive + rng.random(60) * 0.5  # column 1 tells the class apart
    fold_of = np.arange(60) % 5
    score, chosen = lexicon_scores(np.column_stack([noise, signal]), positive, fold_of)
    assert chosen.tolist() == [1] * 5
    assert auc_columns(score, positive)[0] > 0.99  # percentiles of different folds pool almost perfectly
    assert ((score >= 0) & (score <= 1)).all()  # percentiles among the training articles


def test_a_label_needs_two_values_with_ten_articles():
    assert label_classes(["a"] * 10 + ["b"] * 10 + ["c"] * 3 + [""] * 5, "frame") == ["a", "b"]
    with pytest.raises(InputError, match=r"no model of 'frame' can be trained: .*10 articles.*have 12 'a', 9 'b'"):
        label_classes(["a"] * 12 + ["b"] * 9, "frame")


def frame_corpus(path, n=80, outlets=8, seed=3, extra=None):
    """A CSV of articles in ``outlets`` outlets; a third are ``conflict=true`` and use the conflict words."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        conflict = i % 3 == 0
        words = CONFLICT if conflict else CALM
        text = " ".join(rng.choice(words) if rng.random() < 0.25 else rng.choice(FILLER) for _ in range(80))
        row = {"id": f"a{i:03d}", "outlet": f"Outlet {i % outlets}", "text": text.capitalize() + ".",
               "conflict": "true" if conflict else "false"}
        row.update((extra or {}).get(i, {}))
        rows.append(row)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def evaluation(path):
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return {(r["model"], r["metric"], r["class"]): r for r in rows}


def test_model_train_label_learns_a_frame_from_its_words(tmp_path, capsys):
    table = frame_corpus(tmp_path / "frames.csv")
    out = tmp_path / "conflict.json"
    assert main(["model", "train", str(table), "--id-column", "id", "--label", "conflict", "--out", str(out),
                 "--quiet", "--jobs", "1"]) == 0
    ev = evaluation(tmp_path / "conflict.evaluation.csv")
    auc = float(ev[("label_model", "auc", "true")]["value"])
    assert auc > 0.9 and auc > float(ev[("majority", "auc", "true")]["value"]) == 0.5
    assert float(ev[("label_model", "f1", "true")]["value"]) > float(ev[("majority", "f1", "true")]["value"]) == 0.0
    assert float(ev[("label_model", "support", "true")]["value"]) == 27
    assert ev[("lexicon_rate", "auc", "true")]["column"]  # the rate it read is named
    assert ev[("label_model", "auc", "true")]["folds"] == "grouped by outlet"
    oof = list(csv.DictReader(io.StringIO((tmp_path / "conflict.oof.csv").read_text(encoding="utf-8"))))
    assert list(oof[0]) == ["id", "label", "p_false", "p_true"] and len(oof) == 80
    assert [r["id"] for r in oof] == sorted(r["id"] for r in oof)
    assert all(abs(float(r["p_false"]) + float(r["p_true"]) - 1) < 1e-3 for r in oof)
    trained, trained_on = load_model(out)
    assert trained.label == "conflict" and trained.classes == ["false", "true"]
    assert trained_on["by_class"]["true"]["auc"] == round(auc, 4)
    assert json.loads(out.read_text())["label"] == "conflict"


def test_the_summary_line_and_chosen_file_names(tmp_path, capsys):
    table = frame_corpus(tmp_path / "frames.csv")
    oof, ev = tmp_path / "p.csv", tmp_path / "e.csv"
    assert main(["model", "train", str(table), "--label", "conflict", "--out", str(tmp_path / "m.json"),
                 "--oof", str(oof), "--evaluation", str(ev), "--jobs", "1"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"wrote {tmp_path / 'm.json'}: a model of conflict on 80 labelled articles, out of fold")
    assert "true: AUC " in line and f"probabilities in {oof}, evaluation in {ev}" in line
    assert oof.is_file() and ev.is_file()


def test_same_corpus_same_bytes_and_unlabelled_rows_are_not_trained_on(tmp_path):
    blank = {i: {"conflict": ""} for i in range(0, 80, 7)}  # empty cells: unlabelled
    table = frame_corpus(tmp_path / "frames.csv", extra=blank)
    outs = []
    for run, jobs in (("a", "1"), ("b", "2")):
        out = tmp_path / run / "m.json"
        out.parent.mkdir()
        assert main(["model", "train", str(table), "--label", "conflict", "--out", str(out), "--quiet",
                     "--jobs", jobs]) == 0
        outs.append([(out.parent / f"m.{k}.csv").read_bytes() for k in ("oof", "evaluation")])
    assert outs[0] == outs[1]
    ids = [r["id"] for r in csv.DictReader(io.StringIO(outs[0][0].decode()))]
    assert len(ids) == 80 - len(blank) and "a000" not in ids


def test_label_values_that_look_like_formulas_are_neutralised(tmp_path):
    values = {i: {"conflict": "=yes" if i % 3 == 0 else "-no"} for i in range(80)}
    table = frame_corpus(tmp_path / "frames.csv", extra=values)
    assert main(["model", "train", str(table), "--label", "conflict", "--out", str(tmp_path / "m.json"), "--quiet",
                 "--jobs", "1"]) == 0
    text = (tmp_path / "m.oof.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "id,label,p_-no,p_=yes"  # a header cell starts with p_: no formula
    assert ",'=yes," in text and ",'-no," in text
    assert "'=yes" in (tmp_path / "m.evaluation.csv").read_text(encoding="utf-8")


def test_a_label_from_the_manifest(tmp_path):
    table = frame_corpus(tmp_path / "frames.csv")
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("id,outlet,frame\n" + "".join(
        f"{r['id']},{r['outlet']},{'conflict' if r['conflict'] == 'true' else 'calm'}\n" for r in rows),
        encoding="utf-8")
    assert main(["model", "train", str(table), "--manifest", str(manifest), "--label", "frame", "--out",
                 str(tmp_path / "m.json"), "--quiet", "--jobs", "1"]) == 0
    assert float(evaluation(tmp_path / "m.evaluation.csv")[("label_model", "auc", "conflict")]["value"]) > 0.9


def test_a_missing_column_or_too_few_labels_is_one_error_line(tmp_path, capsys):
    table = frame_corpus(tmp_path / "frames.csv")
    out = str(tmp_path / "m.json")
    assert main(["model", "train", str(table), "--label", "nope", "--out", out, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no column 'nope' to train a model of: frames.csv has id, outlet, text, conflict")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    few = frame_corpus(tmp_path / "few.csv", extra={i: {"conflict": "false"} for i in range(3, 80)})
    assert main(["model", "train", str(few), "--label", "conflict", "--out", out, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no model of 'conflict' can be trained") and "1 'true'" in err
    assert main(["model", "train", str(table), "--out", out, "--oof", str(tmp_path / "p.csv"), "--quiet"]) == 2
    assert "for a model of a label column" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()


def test_label_source_type_is_the_classifier_as_always(tmp_path):
    from ..outputs.test_model_file import _write_corpus
    from .test_classify import corpus

    table = _write_corpus(tmp_path / "c", corpus())
    files = []
    for name, extra in (("plain", []), ("named", ["--label", "source_type"])):
        out = tmp_path / f"{name}.json"
        assert main(["model", "train", str(table), "--out", str(out), "--quiet", "--jobs", "1", *extra]) == 0
        files.append(out.read_bytes())
    assert files[0] == files[1] and b'"label"' not in files[0]  # a classifier's file is what it always was
    assert load_model(tmp_path / "plain.json")[0].label == "source_type"
    assert not list(tmp_path.glob("*.oof.csv"))
