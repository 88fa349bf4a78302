"""LexiconVectorizer: the rates of ``framing analyze`` as a scikit-learn transformer."""

from __future__ import annotations

import doctest
import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils import estimator_checks as checks

import framing.vectorizer
from framing import Article
from framing.api import analyze_corpus
from framing.errors import InputError, LexiconError
from framing.lexicon import Category, Lexicon, Term, load_lexicons, parse_term
from framing.vectorizer import LexiconVectorizer


def term(text: str, weight: float = 1.0) -> Term:
    words, wild, _ = parse_term(text)
    return Term(text=text, words=words, wildcard=wild, weight=weight)


def small_lexicon() -> Lexicon:
    cats = (
        Category("conflict", "Conflict", "", (term("war"), term("sanction*"), term("special military operation", 2))),
        Category("talk", "Talk", "", (term("said"), term("according to"), term("talks"))),
    )
    return Lexicon(name="t", categories=cats)


TEXTS = [
    "The war went on. Sanctions were imposed, officials said.",
    "According to officials, the special military operation continues.",
    "",
    "Nothing to see here",
    "Talks, talks and more talks about the war.",
]


def test_counts_are_the_weighted_matches_per_text():
    X = LexiconVectorizer(lexicon=small_lexicon(), normalize="counts").fit_transform(TEXTS)
    assert list(X.columns) == ["t.conflict", "t.talk"]
    assert list(X.index) == [0, 1, 2, 3, 4]
    assert X.to_numpy().tolist() == [[2.0, 1.0], [2.0, 1.0], [0.0, 0.0], [0.0, 0.0], [1.0, 3.0]]


def test_per_1k_divides_by_the_word_tokens():
    X = LexiconVectorizer(lexicon=small_lexicon()).fit_transform(["war and peace and war", ""])
    # 5 tokens, 2 matches -> 400 per 1,000 tokens; no tokens -> 0
    assert X.to_numpy().tolist() == [[400.0, 0.0], [0.0, 0.0]]


def test_rates_equal_framing_analyze_for_the_same_articles():
    rng = np.random.default_rng(3)
    words = "war sanctions peace talks said according to the a of trade special military operation gas . ,".split()
    texts = [" ".join(rng.choice(words, size=int(rng.integers(0, 60)))) for _ in range(23)]
    texts.append("U.S. officials said: the special military operation, according to Mr. Smith, failed.")
    arts = [Article(id=f"a{i:02d}", text=t) for i, t in enumerate(texts)]
    lexicons = [small_lexicon(), *load_lexicons()]
    result = analyze_corpus(arts, lexicons)
    vec = LexiconVectorizer(lexicon=lexicons, chunk_size=7).fit(None)
    X = vec.transform(texts)
    scores = result.scores.set_index("article_id").loc[[a.id for a in arts]]
    assert len(vec.feature_names_) > 2
    np.testing.assert_allclose(X.to_numpy(), scores[vec.feature_names_].to_numpy(dtype=float), rtol=1e-12, atol=1e-12)


def test_the_result_does_not_depend_on_the_chunk_size():
    a = LexiconVectorizer(lexicon=small_lexicon(), chunk_size=1).fit_transform(TEXTS)
    b = LexiconVectorizer(lexicon=small_lexicon(), chunk_size=500).fit_transform(TEXTS)
    pd.testing.assert_frame_equal(a, b)


def test_rows_do_not_depend_on_the_other_texts_or_their_order():
    vec = LexiconVectorizer(lexicon=small_lexicon()).fit(TEXTS)
    full = vec.transform(TEXTS).to_numpy()
    backwards = vec.transform(TEXTS[::-1]).to_numpy()[::-1]
    subset = vec.transform(TEXTS[1:3]).to_numpy()
    assert np.array_equal(full, backwards)
    assert np.array_equal(full[1:3], subset)


def test_sparse_output_is_a_csr_matrix_with_the_same_values():
    dense = LexiconVectorizer(lexicon=small_lexicon()).fit_transform(TEXTS)
    csr = LexiconVectorizer(lexicon=small_lexicon(), sparse=True).fit_transform(TEXTS)
    assert isinstance(csr, sp.csr_matrix) and csr.dtype == np.float64
    assert np.array_equal(csr.toarray(), dense.to_numpy())


def test_lexicon_may_be_a_path_a_lexicon_or_a_list(write):
    path = write("lex.csv", "category,term\nthreat,threat*\nthreat,danger\ncalm,calm\n")
    texts = ["Threats, danger and calm.", "calm calm"]
    by_path = LexiconVectorizer(lexicon=str(path), normalize="counts").fit_transform(texts)
    assert list(by_path.columns) == ["lex.threat", "lex.calm"]
    assert by_path.to_numpy().tolist() == [[2.0, 1.0], [0.0, 2.0]]
    both = LexiconVectorizer(lexicon=[path, small_lexicon()], normalize="counts").fit(None)
    assert both.get_feature_names_out().tolist() == ["lex.threat", "lex.calm", "t.conflict", "t.talk"]


def test_the_default_is_the_built_in_lexicons():
    vec = LexiconVectorizer().fit(None)
    names = vec.get_feature_names_out()
    assert isinstance(names, np.ndarray) and all(isinstance(n, str) for n in names)
    assert {lx.name for lx in vec.lexicons_} == {"frames", "news_frames", "style", "labels"}
    assert all(n.split(".")[0] in ("frames", "news_frames", "style", "labels") for n in names)


def test_bad_parameters_and_input_are_input_errors():
    with pytest.raises(InputError, match="normalize"):
        LexiconVectorizer(lexicon=small_lexicon(), normalize="l2").fit(None)
    with pytest.raises(InputError, match="chunk_size"):
        LexiconVectorizer(lexicon=small_lexicon(), chunk_size=0).fit(None)
    with pytest.raises(InputError, match="empty list"):
        LexiconVectorizer(lexicon=[]).fit(None)
    vec = LexiconVectorizer(lexicon=small_lexicon()).fit(None)
    with pytest.raises(InputError, match="single string"):
        vec.transform("war and peace")
    with pytest.raises(InputError, match="text 1 is a float"):
        vec.transform(["war", float("nan")])
    with pytest.raises(LexiconError):
        LexiconVectorizer(lexicon="/nonexistent/lexicon.yaml").fit(None)


def test_transform_before_fit_is_not_fitted_error():
    with pytest.raises(NotFittedError):
        LexiconVectorizer(lexicon=small_lexicon()).transform(["war"])
    with pytest.raises(NotFittedError):
        LexiconVectorizer().get_feature_names_out()


def test_fit_leaves_the_parameters_alone_and_is_idempotent():
    lex = small_lexicon()
    vec = LexiconVectorizer(lexicon=lex, normalize="counts")
    before = vec.get_params()
    first = vec.fit(TEXTS).transform(TEXTS)
    second = vec.fit(TEXTS[:1]).transform(TEXTS)
    assert vec.get_params() == before and vec.lexicon is lex
    pd.testing.assert_frame_equal(first, second)


def test_get_params_set_params_and_clone():
    vec = LexiconVectorizer(lexicon=small_lexicon(), normalize="counts", sparse=True)
    assert vec.get_params() == {"lexicon": vec.lexicon, "normalize": "counts", "sparse": True, "chunk_size": 500}
    copy = clone(vec)
    assert copy is not vec and copy.get_params() == vec.get_params() and not hasattr(copy, "compiled_")
    vec.set_params(normalize="per_1k", sparse=False)
    assert vec.normalize == "per_1k" and not vec.sparse
    with pytest.raises(TypeError):
        LexiconVectorizer("positional.yaml")  # keyword-only, as scikit-learn asks


def test_a_fitted_vectorizer_pickles():
    vec = LexiconVectorizer(lexicon=small_lexicon()).fit(TEXTS)
    expected = vec.transform(TEXTS)
    again = pickle.loads(pickle.dumps(vec))
    pd.testing.assert_frame_equal(again.transform(TEXTS), expected)


def test_feature_union_with_tfidf_feeds_logistic_regression():
    conflict = ["war and sanctions again", "the war goes on", "sanctions bite hard", "war war war"] * 3
    talk = ["talks resumed, officials said", "according to the envoy, talks went well", "more talks said the minister",
            "they said talks"] * 3
    texts, y = conflict + talk, [1] * len(conflict) + [0] * len(talk)
    model = Pipeline([
        ("features", FeatureUnion([
            ("tfidf", TfidfVectorizer()),
            ("lexicon", LexiconVectorizer(lexicon=small_lexicon(), sparse=True)),
        ])),
        ("clf", LogisticRegression(max_iter=1000)),
    ])
    model.fit(texts, y)
    assert model.predict(["a war and new sanctions", "talks, the spokesman said"]).tolist() == [1, 0]
    names = model.named_steps["features"].get_feature_names_out()
    assert "lexicon__t.conflict" in names and "tfidf__war" in names
    assert clone(model).get_params()["features__lexicon__sparse"] is True


def test_pipeline_with_the_dataframe_output():
    pipe = Pipeline([("lex", LexiconVectorizer(lexicon=small_lexicon(), normalize="counts")),
                     ("clf", LogisticRegression())])
    pipe.fit(TEXTS * 2, [1, 1, 0, 0, 0] * 2)
    assert pipe.predict(TEXTS[:1]).tolist() == [1]


@pytest.mark.parametrize("check", [
    checks.check_no_attributes_set_in_init,
    checks.check_get_params_invariance,
    checks.check_set_params,
    checks.check_estimator_cloneable,
    checks.check_estimator_repr,
    checks.check_mixin_order,
    checks.check_do_not_raise_errors_in_init_or_set_params,
    checks.check_estimator_tags_renamed,
    checks.check_valid_tag_types,
    checks.check_transformers_unfitted,
], ids=lambda c: c.__name__)
def test_scikit_learn_checks_that_apply_to_a_text_transformer(check):
    check("LexiconVectorizer", LexiconVectorizer())


def test_parameters_default_constructible():
    checks.check_parameters_default_constructible("LexiconVectorizer", LexiconVectorizer())


def test_tags_say_text_input():
    tags = LexiconVectorizer().__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_the_docstring_examples_run():
    result = doctest.testmod(framing.vectorizer, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 4 and result.failed == 0


def test_import_framing_does_not_import_the_vectorizer_or_sklearn():
    code = "import sys, framing; print('framing.vectorizer' in sys.modules, 'sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False False"
