"""Saved classifiers: train once, apply to new articles; a bad file is one error line."""

import json

import numpy as np
import pytest

pytest.importorskip("sklearn")

from framing import Article, analyze_corpus
from framing.cli import main
from framing.engine.local import run
from framing.errors import InputError
from framing.model_file import load_model, save_model

from ..stats.test_classify import corpus, lexicon


def _write_corpus(folder, arts):
    folder.mkdir()
    lines = [json.dumps({"id": a.id, "text": a.text, "outlet": a.outlet, "source_type": a.source_type}) for a in arts]
    (folder / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "c.jsonl"


def test_a_saved_model_gives_the_final_models_probabilities(tmp_path):
    arts = corpus()
    result = analyze_corpus(arts, [lexicon()])
    path = save_model(result.classifier, tmp_path / "m.json", trained_on={"articles": len(arts)})
    loaded, trained_on = load_model(path)
    assert trained_on == {"articles": len(arts)} and loaded.classes == result.classifier.classes
    applied = run(arts, [lexicon()], keep_texts=None, keep_rows=None, model=loaded)
    unknown = [f"u{i}" for i in range(4)]  # never trained on: the final model scored them in both runs
    cols = ["style_state_media", "style_wire", "style_independent_commentary"]
    a = result.scores.set_index("article_id").loc[unknown, cols].to_numpy()
    b = applied.scores.set_index("article_id").loc[unknown, cols].to_numpy()
    assert np.allclose(a, b, atol=1e-9)
    # the calibration and the abstention rule travel with the model: the same calls, the same reasons
    assert loaded.model.temperature == result.classifier.model.temperature != 1.0
    assert (loaded.far, loaded.min_tokens, loaded.min_probability) == (
        result.classifier.far, result.classifier.min_tokens, result.classifier.min_probability)
    calls = ["predicted_source_type", "why_undetermined"]
    assert applied.scores.set_index("article_id").loc[unknown, calls].equals(
        result.scores.set_index("article_id").loc[unknown, calls])
    e = applied.evaluation
    assert set(e.model) == {"applied"} and e[e.metric == "support"].value.sum() == 54
    assert applied.evaluation_summary["applied"] is True


def test_train_on_the_command_line_then_analyze_new_articles_with_it(tmp_path, capsys):
    table = _write_corpus(tmp_path / "old", corpus())
    model = tmp_path / "model.json"
    assert main(["model", "train", str(table), "--out", str(model), "--quiet"]) == 0
    assert json.loads(model.read_text(encoding="utf-8"))["format"] == "framing-model"
    new = _write_corpus(tmp_path / "new", corpus(seed=9, unknown=0))
    assert main(["analyze", str(new), "--model", str(model), "--out", str(tmp_path / "r"), "--no-charts",
                 "--quiet"]) == 0
    evaluation = (tmp_path / "r" / "evaluation.csv").read_text(encoding="utf-8")
    assert "applied,macro_f1" in evaluation


def test_bad_model_files_are_one_line_errors(tmp_path, capsys):
    result = analyze_corpus(corpus(), [lexicon()])
    good = save_model(result.classifier, tmp_path / "m.json", trained_on={})
    record = json.loads(good.read_text(encoding="utf-8"))
    cases = {
        "not json": "{",
        "not a model": json.dumps({"hello": 1}),
        "other version": json.dumps({**record, "framing": "0.0.1"}),
        "tampered": json.dumps({**record, "intercept": [0.0] * len(record["intercept"])}),
    }
    for name, text in cases.items():
        bad = tmp_path / f"{name}.json"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(InputError):
            load_model(bad)
    table = _write_corpus(tmp_path / "c", corpus())
    status = main(["analyze", str(table), "--model", str(tmp_path / "tampered.json"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and err[-1].startswith("error: ") and "changed since it was written" in err[-1]
    # a model trained with other lexicons is refused before any work
    other = tmp_path / "other.yaml"
    other.write_text("name: other\ncategories:\n  x:\n    terms: [said]\n", encoding="utf-8")
    status = main(["analyze", str(table), "--model", str(good), "--lexicon", str(other), "--out", str(tmp_path / "o")])
    assert status == 2 and "other lexicons" in capsys.readouterr().err


def test_model_train_without_labels_or_subcommand_says_why(tmp_path, capsys):
    arts = [Article(id=f"a{i}", text="talks continued", source_type="unknown") for i in range(3)]
    table = _write_corpus(tmp_path / "c", arts)
    assert main(["model", "train", str(table), "--out", str(tmp_path / "m.json"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no model could be trained: it needs 10 labelled articles")
    assert "similarity scores" not in err  # analyze's note about its own columns is not the reason here
    assert main(["model"]) == 2
    assert "needs a subcommand" in capsys.readouterr().err


def test_model_train_says_what_the_reader_skipped(tmp_path, capsys):
    arts = [Article(id=f"w{i}", text=f"Officials said on Tuesday that talks {i} continued.", outlet=f"W{i % 3}",
                    source_type="wire") for i in range(12)]
    arts += [Article(id=f"s{i}", text=f"The so-called sanctions {i} are illegitimate, the ministry said.",
                     outlet=f"S{i % 3}", source_type="state_media") for i in range(12)]
    table = _write_corpus(tmp_path / "c", arts)
    with open(table, "a", encoding="utf-8") as f:
        f.write("{not json\n")
    assert main(["model", "train", str(table), "--out", str(tmp_path / "m.json")]) == 0
    captured = capsys.readouterr()
    assert "warning: " in captured.err and "c.jsonl:25: invalid JSON" in captured.err  # the bad line, named
    assert "24 articles read, 1 skipped, 1 warning" in captured.out
