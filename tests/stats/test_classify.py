"""The source-type classifier: trained when the labels allow, out-of-fold, evaluated against baselines."""

import random

import numpy as np
import pytest

pytest.importorskip("sklearn")

from framing import Article, analyze_corpus
from framing.lexicon import Category, Lexicon, Term, parse_term

STYLE = {
    "wire": "officials said the ministry confirmed figures showed agencies reported said",
    "state_media": "cooperation partnership harmonious development win-win mutual friendship",
    "independent_commentary": "frankly i think honestly my view obviously absurd terrible",
}
FILLER = "the talks on trade and energy continued this week between the two governments".split()


def lexicon():
    def term(t):
        words, wild, _ = parse_term(t)
        return Term(text=t, words=words, wildcard=wild)

    return Lexicon(name="style", categories=(
        Category(id="voice", label="Voice", description="", terms=(term("i think"), term("frankly"))),
        Category(id="attribution", label="Attribution", description="", terms=(term("said"),)),
    ))


def corpus(outlets_per_type=3, per_outlet=6, unknown=4, seed=0):
    rng = random.Random(seed)
    arts = []
    for t, words in STYLE.items():
        vocab = words.split()
        for o in range(outlets_per_type):
            for i in range(per_outlet):
                text = " ".join(rng.choice(vocab) if rng.random() < 0.4 else rng.choice(FILLER) for _ in range(60))
                arts.append(Article(id=f"{t}-{o}-{i}", text=text + f" outlet{t}{o}", outlet=f"{t}{o}", source_type=t))
    for i in range(unknown):
        text = " ".join(rng.choice(STYLE["wire"].split()) if rng.random() < 0.4 else rng.choice(FILLER) for _ in range(60))
        arts.append(Article(id=f"u{i}", text=text, outlet="Mystery", source_type="unknown"))
    return arts


def metric(result, model, name="macro_f1"):
    e = result.evaluation
    return float(e[(e.model == model) & (e.metric == name)].value.iloc[0])


def test_grouped_by_outlet_and_better_than_the_majority_baseline():
    result = analyze_corpus(corpus(), [lexicon()])
    assert result.evaluation_summary["folds"] == "grouped by outlet"
    assert metric(result, "classifier") > 0.9 > metric(result, "majority")
    scores = result.scores.set_index("article_id")
    labelled = scores[scores.source_type != "unknown"]
    assert (labelled.predicted_source_type == labelled.source_type).mean() > 0.9
    # style_<type> are probabilities; the unlabelled articles get the final model's
    probs = scores[["style_state_media", "style_wire", "style_independent_commentary"]]
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert (scores.loc[[f"u{i}" for i in range(4)], "predicted_source_type"] == "wire").all()
    assert "said" in scores.loc["wire-0-0", "why"] or "officials" in scores.loc["wire-0-0", "why"]
    # the confusion matrix adds up to the training articles
    e = result.evaluation
    confusion = e[(e.model == "classifier") & (e.metric == "confusion")]
    assert confusion.value.sum() == result.evaluation_summary["n_articles"] == 54


def test_out_of_fold_no_article_grades_itself():
    arts = corpus()
    result = analyze_corpus(arts, [lexicon()])
    # an article whose text is another type's words is still predicted from a model that never saw it
    swapped = [a if a.id != "wire-0-0" else Article(id=a.id, text=" ".join([STYLE["state_media"]] * 6), outlet=a.outlet,
               source_type="wire") for a in arts]
    result = analyze_corpus(swapped, [lexicon()])
    row = result.scores.set_index("article_id").loc["wire-0-0"]
    styles = {t: row[f"style_{t}"] for t in STYLE}
    assert max(styles, key=styles.get) == "state_media"  # (its text is unlike any article's: it may be undetermined)


def test_one_outlet_for_a_type_means_stratified_folds_and_a_note():
    arts = [a for a in corpus(per_outlet=12) if not (a.source_type == "wire" and not a.outlet.endswith("0"))]
    result = analyze_corpus(arts, [lexicon()])
    assert result.evaluation_summary["folds"].startswith("stratified")
    assert any("one outlet" in n for n in result.notes["evaluation.csv"])


def test_too_few_labelled_articles_train_nothing_and_say_so():
    arts = [a for a in corpus() if a.source_type in ("wire", "unknown")]
    result = analyze_corpus(arts, [lexicon()])
    assert len(result.evaluation) == 0 and result.evaluation_summary["trained"] is False
    assert result.evaluation_summary["why"] == (
        "it needs 10 labelled articles of at least 2 types; this corpus has 0 state_media, 18 wire, "
        "0 mainstream, 0 independent_commentary"
    )
    assert result.notes["evaluation.csv"][0].startswith("not trained")
    assert "why" in result.scores.columns and (result.scores.why == "").all()


def test_the_same_model_for_any_input_order_and_jobs():
    arts = corpus()
    a = analyze_corpus(arts, [lexicon()])
    shuffled = arts[:]
    random.Random(4).shuffle(shuffled)
    b = analyze_corpus(shuffled, [lexicon()], jobs=2)
    assert a.scores.equals(b.scores)
    assert a.evaluation.equals(b.evaluation)


def test_typography_tells_apart_types_that_share_their_words():
    # Same words in both types; only the dashes and quotes differ (a wire's "-" and '"', a magazine's "—" and "“”").
    rng = random.Random(7)
    arts = []
    for t, (dash, open_q, close_q) in {"wire": ("-", '"', '"'), "independent_commentary": ("\u2014", "\u201c", "\u201d")}.items():
        for o in range(3):
            for i in range(12):
                words = [rng.choice(FILLER) for _ in range(40)]
                text = " ".join(words[:10]) + f" {dash} " + " ".join(words[10:25]) + f" {open_q}{words[25]}{close_q} " + " ".join(words[26:])
                arts.append(Article(id=f"{t}-{o}-{i}", text=text, outlet=f"{t}{o}", source_type=t))
    result = analyze_corpus(arts, [lexicon()])
    assert metric(result, "classifier") > 0.9
    assert metric(result, "tfidf_only") < 0.75
    why = " ".join(result.scores["why"].astype(str))
    assert "typography" in why
