"""Predictions that know their limits: calibrated probabilities, ``undetermined`` with a reason, mainstream news."""

import random

import numpy as np
import pytest

pytest.importorskip("sklearn")

from framing import Article, analyze_corpus
from framing.stats.confidence import (
    MIN_TOKENS,
    abstain,
    calibration_rows,
    distance,
    fit_temperature,
    tempered,
)
from framing.stats.similarity import undetermined_reasons

from .test_classify import FILLER, STYLE, corpus, lexicon

CLASSES = ["state_media", "wire", "mainstream"]


def test_abstain_gives_each_reason_in_its_order():
    proba = np.array([[0.9, 0.05, 0.05], [0.45, 0.40, 0.15], [0.9, 0.05, 0.05], [0.9, 0.05, 0.05]])
    n_tokens = np.array([300, 300, 12, 300])
    far = np.array([1.0, 1.0, 50.0, 50.0])
    why = abstain(proba, n_tokens, far, CLASSES, far_limit=10.0, min_probability=0.6)
    assert why[0] == ""
    assert why[1].startswith("weak evidence: state media 0.45, wire 0.40")
    assert why[2].startswith("too short: 12 words")  # short first, though it is far too
    assert why[3].startswith("unlike the articles the model learnt from: distance 50.0")


def test_distance_caps_one_huge_column_and_grows_with_many():
    mean, scale = np.zeros(10), np.ones(10)
    one = np.zeros((1, 10))
    one[0, 0] = 1000.0  # one rare word's rate
    many = np.full((1, 10), 6.0)  # unusual everywhere
    assert distance(one, mean, scale)[0] == pytest.approx(10.0)
    assert distance(many, mean, scale)[0] == pytest.approx(36.0)


def test_temperature_cools_an_overconfident_model_and_lowers_its_calibration_error():
    rng = np.random.default_rng(3)
    n = 2000
    y = rng.integers(0, 3, n)
    right = rng.random(n) < 0.6  # right 60 % of the time, yet always 97 % sure
    pred = np.where(right, y, (y + 1) % 3)
    proba = np.full((n, 3), 0.015)
    proba[np.arange(n), pred] = 0.97
    t = fit_temperature(proba, y)
    assert t > 1.5
    before = calibration_rows(proba, y, np.full(n, "", object), CLASSES, "m", "f", 5)
    after = calibration_rows(tempered(proba, t), y, np.full(n, "", object), CLASSES, "m", "f", 5)
    ece = {name: next(r["value"] for r in rows if r["metric"] == "ece") for name, rows in (("b", before), ("a", after))}
    assert ece["a"] < ece["b"] / 4
    assert np.allclose(tempered(proba, t).sum(axis=1), 1.0)
    assert (tempered(proba, t).argmax(axis=1) == pred).all()  # tempering never changes the call


def test_reliability_rows_add_up_and_abstention_is_counted():
    rng = np.random.default_rng(5)
    proba = rng.dirichlet(np.ones(3), 300)
    y = rng.integers(0, 3, 300)
    why = np.asarray(["" if i % 3 else "weak evidence" for i in range(300)], dtype=object)
    rows = calibration_rows(proba, y, why, CLASSES, "classifier", "grouped by outlet", 5)
    count = sum(r["value"] for r in rows if r["metric"] == "reliability_articles")
    assert count == 300
    assert next(r["value"] for r in rows if r["metric"] == "abstained") == pytest.approx(1 / 3)
    right = proba.argmax(axis=1) == y
    answered = next(r["value"] for r in rows if r["metric"] == "accuracy_answered")
    assert answered == pytest.approx(right[np.arange(300) % 3 != 0].mean())
    assert {r["at"] for r in rows if r["metric"] == "coverage_at"} >= {"p>=0.5", "p>=0.9"}


def test_a_too_short_article_is_undetermined_and_says_why():
    arts = corpus()
    rng = random.Random(9)
    short = " ".join(rng.choice(STYLE["wire"].split()) for _ in range(12))
    arts.append(Article(id="headline", text=short, outlet="Mystery", source_type="unknown"))
    scores = analyze_corpus(arts, [lexicon()]).scores.set_index("article_id")
    assert scores.loc["headline", "predicted_source_type"] == "undetermined"
    assert scores.loc["headline", "why_undetermined"] == f"too short: 12 words (the model needs {MIN_TOKENS})"
    called = scores[scores.predicted_source_type != "undetermined"]
    assert (called.why_undetermined == "").all() and len(called) > 40


def test_mainstream_is_a_class_of_its_own_when_labelled():
    rng = random.Random(11)
    arts = corpus()
    news = "reported tuesday residents council officials spokesperson statement city".split()
    for o in range(3):
        for i in range(6):
            text = " ".join(rng.choice(news) if rng.random() < 0.4 else rng.choice(FILLER) for _ in range(60))
            arts.append(Article(id=f"m-{o}-{i}", text=text, outlet=f"news{o}", source_type="mainstream"))
    result = analyze_corpus(arts, [lexicon()])
    assert "mainstream" in result.evaluation_summary["classes"]
    assert "style_mainstream" in result.scores.columns
    called = result.scores[result.scores.article_id.str.startswith("m-")].predicted_source_type
    assert (called == "mainstream").mean() > 0.8
    assert "mainstream" in set(result.summary.source_type)


def test_similarity_reasons_name_the_scores_too_close_to_call():
    style = np.array([[0.5, 0.49], [0.7, 0.2], [np.nan, 0.3]])
    why = undetermined_reasons(style, ["wire", "state_media"])
    assert why[0].startswith("too close to call: wire 0.500, state media 0.490")
    assert why[1] == ""
    assert why[2].startswith("a source type's score is undefined")


def test_evaluation_csv_has_calibration_and_abstention_rows():
    result = analyze_corpus(corpus(), [lexicon()])
    e = result.evaluation
    mine = e[e.model == "classifier"]
    assert {"ece", "ece_untempered", "abstained", "reliability_accuracy", "coverage_at"} <= set(mine.metric)
    assert 0.0 <= float(mine[mine.metric == "ece"].value.iloc[0]) <= 1.0
    assert result.evaluation_summary["temperature"] > 0


def test_a_type_learnt_from_one_outlet_is_called_only_for_that_outlet():
    arts = [a for a in corpus(per_outlet=12) if not (a.source_type == "wire" and not a.outlet.endswith("0"))]
    rng = random.Random(13)
    for i, outlet in enumerate(("wire0", "Mystery")):
        text = " ".join(rng.choice(STYLE["wire"].split()) if rng.random() < 0.4 else rng.choice(FILLER) for _ in range(60))
        arts.append(Article(id=f"new{i}", text=text, outlet=outlet, source_type="unknown"))
    result = analyze_corpus(arts, [lexicon()])
    scores = result.scores.set_index("article_id")
    assert scores.loc["new0", "predicted_source_type"] == "wire"  # the outlet it learnt wire from
    assert scores.loc["new1", "predicted_source_type"] == "undetermined"
    assert "learnt wire from one outlet (wire0)" in scores.loc["new1", "why_undetermined"]
    assert any("learnt from one outlet" in n for n in result.notes["evaluation.csv"])
    # out of fold the folds were stratified (each model saw every outlet): wire's own articles keep their calls
    assert (scores.loc[[i for i in scores.index if i.startswith("wire-")], "predicted_source_type"] == "wire").all()


def test_nothing_is_far_without_enough_training_articles_to_place_the_percentile():
    small = analyze_corpus(corpus(), [lexicon()]).classifier  # 54 training articles
    big = analyze_corpus(corpus(per_outlet=12), [lexicon()]).classifier  # 108
    assert small.far == float("inf")
    assert 0 < big.far < float("inf")


def test_month_names_weigh_nothing_in_the_classifier():
    # Each type's articles carry a month that only it has: the model must not learn the collection window.
    arts = []
    for a in corpus(per_outlet=12):
        month = {"wire": "august", "state_media": "march", "independent_commentary": "october"}.get(a.source_type, "")
        arts.append(Article(id=a.id, text=f"{a.text} {month} {month}", outlet=a.outlet, source_type=a.source_type))
    result = analyze_corpus(arts, [lexicon()])
    why = " ".join(result.scores["why"].astype(str))
    assert "august" not in why and "march" not in why and "october" not in why
    assert "august" in set(result.terms.term)  # still a term of the corpus for terms.csv
    assert not {"august", "march", "october"} & set(result.classifier.words)  # and no column of a saved model
