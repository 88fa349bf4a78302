"""Log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), on counts written here."""

import math

import numpy as np
import pytest

from framing import Article, analyze_corpus
from framing.lexicon import Category, Lexicon, Term, parse_term
from framing.stats.distinctive import MIN_DOCS_IN, distinctive_terms, log_odds_dirichlet


def test_hand_computed_example_of_equations_16_20_22():
    # Two words, 10 tokens per group, a prior of one pseudo-count per word (a_0 = 2).
    # Word 0 only in the group:  delta = log(11 / (10 + 2 - 10 - 1)) - log(1 / (10 + 2 - 0 - 1)) = 2 log 11
    #                            var   = 1/11 + 1/1
    delta, se, z = log_odds_dirichlet(np.array([10, 0]), np.array([0, 10]), np.array([1.0, 1.0]))
    assert delta[0] == pytest.approx(2 * math.log(11))
    assert se[0] == pytest.approx(math.sqrt(1 / 11 + 1))
    assert z[0] == pytest.approx(2 * math.log(11) / math.sqrt(12 / 11))
    assert z[0] == pytest.approx(4.5917, abs=1e-4)
    assert delta[1] == pytest.approx(-delta[0]) and z[1] == pytest.approx(-z[0])


def test_a_worked_example_with_unequal_groups():
    # y_in = [3, 1], y_out = [1, 5], alpha = [0.5, 0.5] (a_0 = 1); n_in = 4, n_out = 6.
    delta, se, z = log_odds_dirichlet(np.array([3, 1]), np.array([1, 5]), np.array([0.5, 0.5]))
    expected = math.log(3.5 / (4 + 1 - 3 - 0.5)) - math.log(1.5 / (6 + 1 - 1 - 0.5))  # log(3.5/1.5) - log(1.5/5.5)
    assert delta[0] == pytest.approx(expected)
    assert delta[0] == pytest.approx(math.log(3.5 / 1.5) - math.log(1.5 / 5.5))
    assert se[0] == pytest.approx(math.sqrt(1 / 3.5 + 1 / 1.5))
    assert z[0] == pytest.approx(expected / math.sqrt(1 / 3.5 + 1 / 1.5))


def test_swapping_the_groups_negates_and_equal_use_gives_zero():
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 50, 30), rng.integers(0, 50, 30)
    alpha = rng.uniform(0.1, 2.0, 30)
    d1, s1, z1 = log_odds_dirichlet(a, b, alpha)
    d2, s2, z2 = log_odds_dirichlet(b, a, alpha)
    assert np.allclose(d1, -d2) and np.allclose(s1, s2) and np.allclose(z1, -z2)
    d, _, z = log_odds_dirichlet(a, a, alpha)
    assert np.allclose(d, 0) and np.allclose(z, 0)


def _table(counts, docs, n_articles, groups=("a", "b"), vocab=("alpha", "beta", "gamma", "delta")):
    counts, docs = np.asarray(counts), np.asarray(docs)
    feats = np.arange(counts.shape[1])
    rank = np.argsort(np.argsort(np.asarray(vocab[: counts.shape[1]], dtype=object)))
    return distinctive_terms(list(groups), np.asarray(n_articles), counts, docs, feats, rank, vocab)


def test_ranked_by_z_with_ties_alphabetical_and_rare_terms_left_out():
    # In a, alpha, beta and gamma tie; b uses delta most, but in too few of its articles.
    counts = [[30, 30, 30, 2], [5, 5, 5, 40]]
    docs = [[6, 6, 6, 2], [5, 5, 5, MIN_DOCS_IN - 1]]
    terms, notes = _table(counts, docs, [10, 10])
    a = terms[terms.source_type == "a"]
    assert a.term.tolist() == ["alpha", "beta", "gamma"]
    assert (a.z.diff().dropna() <= 0).all() and a["rank"].tolist() == [1, 2, 3]
    assert a.iloc[0].count_in == 30 and a.iloc[0].count_out == 5 and a.iloc[0].docs_out == 5
    assert a.iloc[0].per_10k_in == pytest.approx(1e4 * 30 / 92) and a.iloc[0].per_10k_out == pytest.approx(1e4 * 5 / 55)
    assert notes == ["b: no term is over-represented in 3 or more of its articles"]


def test_small_groups_get_a_note_instead_of_a_list():
    terms, notes = _table([[30, 1, 1, 1], [1, 30, 1, 1]], [[4, 1, 1, 1], [1, 4, 1, 1]], [4, 20])
    assert set(terms.source_type) == set()
    assert notes == [
        "a: no distinctive terms; 4 articles in the group and 20 articles outside it (a list needs at least 5 on each side)",
        "b: no distinctive terms; 20 articles in the group and 4 articles outside it (a list needs at least 5 on each side)",
    ]


def test_the_prior_is_the_corpus_frequency_worth_the_given_tokens():
    counts = np.array([[8, 2], [2, 8]])
    docs = np.array([[5, 5], [5, 5]])
    terms, _ = distinctive_terms(["a", "b"], np.array([5, 5]), counts, docs, np.arange(2), np.arange(2),
                                 ["x", "y"], prior_tokens=4.0)
    # corpus frequencies 10/20 each: alpha = [2, 2]
    expected = log_odds_dirichlet(np.array([8, 2]), np.array([2, 8]), np.array([2.0, 2.0]))[2][0]
    assert terms.iloc[0].term == "x" and terms.iloc[0].z == pytest.approx(expected)


def test_a_word_one_type_uses_tops_its_list_in_a_whole_run():
    def lex():
        t = Term(text="said", words=parse_term("said")[0], wildcard=parse_term("said")[1])
        return Lexicon(name="style", categories=(Category(id="attr", label="A", description="", terms=(t,)),))

    arts = []
    for i in range(8):
        arts.append(Article(id=f"w{i}", text=f"Ministers said tariffs rose {i} percent, tariffs again.",
                            outlet=f"W{i % 2}", source_type="wire"))
        arts.append(Article(id=f"c{i}", text=f"I think the ministers said nothing about the weather {i}.",
                            outlet=f"C{i % 2}", source_type="independent_commentary"))
    result = analyze_corpus(arts, [lex()])
    wire = result.terms[result.terms.source_type == "wire"]
    assert wire.iloc[0].term == "tariffs" and wire.iloc[0].z > 2
    commentary = result.terms[result.terms.source_type == "independent_commentary"]
    assert "weather" in commentary.term.tolist() and "tariffs" not in commentary.term.tolist()
    assert "ministers" not in wire.term.tolist()  # used alike by both: z = 0
