"""Group comparisons per category and the share of each difference that one term supplies."""

import math

import numpy as np
import pytest

from framing import Article, analyze_corpus
from framing.lexicon import Category, Lexicon, Term, parse_term
from framing.stats.comparisons import RATE_FIXED_POINT, comparisons, term_rate_sums

ONE = float(1 << RATE_FIXED_POINT)


def test_term_rate_sums_are_per_article_rates_summed_by_group():
    # article 0 (group 0, 200 tokens): term 1 twice (weight 1), term 0 once (weight 2)
    # article 1 (group 1, 100 tokens): term 1 once;  article 2 (group 0, 50 tokens): term 0 once (weight 2)
    doc = np.array([0, 0, 0, 1, 2])
    term = np.array([1, 0, 1, 1, 0])
    weight = np.array([1.0, 2.0, 1.0, 1.0, 2.0])
    sums = term_rate_sums(doc, term, weight, np.array([200, 100, 50]), np.array([0, 1, 0]), 2, 3)
    expected = np.array([[1000 * 2 / 200 + 1000 * 2 / 50, 1000 * 2 / 200, 0], [0, 1000 / 100, 0]])
    assert np.allclose(sums / ONE, expected, atol=1e-6)
    # any split of the articles into chunks adds up to the same integers
    a = term_rate_sums(doc[:3], term[:3], weight[:3], np.array([200]), np.array([0]), 2, 3)
    b = term_rate_sums(doc[3:] - 1, term[3:], weight[3:], np.array([100, 50]), np.array([1, 0]), 2, 3)
    assert np.array_equal(a + b, sums)


def _compare(means, n=(10, 10), outlets=(3, 3)):
    means = np.asarray(means, dtype=float)  # groups x terms, as mean rates
    sums = np.rint(means * ONE * np.asarray(n)[:, None]).astype(np.int64)
    return comparisons(["wire", "state_media"][: len(means)], np.asarray(n), list(outlets), sums,
                       np.array([0, 0, 0, 1]), [("frames", "democracy"), ("frames", "war")],
                       ["democrat*", "freedom", "rights", "war"])


def test_difference_its_top_term_and_share():
    table, notes = _compare([[6.0, 1.0, 1.0, 2.0], [1.0, 1.0, 2.0, 2.0]])
    row = table.iloc[0]
    assert (row.group_a, row.group_b, row.mean_a, row.mean_b) == ("wire", "state_media", 8.0, 4.0)
    assert row.difference == pytest.approx(4.0)
    # democrat* gives +5, rights -1: 5 / 4 of the difference
    assert row.top_term == "democrat*" and row.top_term_share == pytest.approx(1.25)
    assert notes == ["frames.democracy, wire vs state_media: 125% of the difference is the term 'democrat*'"]
    war = table.iloc[1]
    assert war.difference == 0 and war.top_term == "" and math.isnan(war.top_term_share)
    assert row.caution == ""


def test_a_difference_spread_over_terms_gets_no_note_and_small_groups_a_caution():
    table, notes = _compare([[2.0, 2.0, 2.0, 0.0], [1.0, 1.0, 1.0, 0.0]], n=(4, 10), outlets=(1, 3))
    assert table.iloc[0].top_term_share == pytest.approx(1 / 3)
    assert table.iloc[0].caution == "wire: only 4 articles; wire: one outlet; descriptive only, no test of a difference"
    assert notes == [
        (
            "every pair of source types has a group of fewer than 5 articles or of one outlet: "
            "the differences describe these articles only and support no claim about source types"
        )
    ]
    # a dominated difference between small groups gets the caution, not a note of its own
    _, notes = _compare([[6.0, 1.0, 1.0, 2.0], [1.0, 1.0, 2.0, 2.0]], n=(4, 10))
    assert len(notes) == 1 and notes[0].startswith("every pair")


def test_in_a_whole_run_one_word_dominating_a_category_is_noted():
    def term(t):
        words, wild, _ = parse_term(t)
        return Term(text=t, words=words, wildcard=wild)

    lex = Lexicon(name="frames", categories=(
        Category(id="democracy", label="Democracy", description="", terms=(term("democra*"), term("freedom"))),
    ))
    arts = [Article(id=f"w{i}", text="Democrats met. Freedom matters to them.", outlet=f"W{i}", source_type="wire")
            for i in range(5)]
    arts += [Article(id=f"s{i}", text="Freedom matters to them, they said.", outlet=f"S{i}",
                     source_type="state_media") for i in range(5)]
    result = analyze_corpus(arts, [lex])
    row = result.comparisons.iloc[0]
    assert (row.group_a, row.group_b) == ("state_media", "wire")  # the report's type order
    assert row.top_term == "democra*" and row.top_term_share == pytest.approx(1.0, abs=1e-6)
    means = result.summary.set_index("source_type")["mean"]
    assert row.difference < 0
    assert row.difference == pytest.approx(means["state_media"] - means["wire"], abs=1e-6)
    assert result.notes["comparisons.csv"] == [
        "frames.democracy, state_media vs wire: 100% of the difference is the term 'democra*'"
    ]


def test_tests_only_between_groups_big_enough_and_significant_only_after_the_fdr():
    rng = np.random.default_rng(2)
    # 6 outlets of 3 articles per group; group a's rates are clearly higher in category 0, equal in 1.
    outlet = np.repeat(np.arange(12), 3)
    group = (outlet >= 6).astype(np.int64)
    rates = np.stack([np.where(group == 0, 10.0, 1.0) + rng.uniform(0, 0.1, 36), rng.uniform(0, 1, 36)], axis=1)
    sums = np.stack([np.bincount(group, weights=rates[:, c]) for c in range(2)], axis=1) * ONE
    table, _ = comparisons(["wire", "state_media"], np.array([18, 18]), [6, 6], sums.astype(np.int64),
                           np.array([0, 1]), [("f", "x"), ("f", "y")], ["a", "b"],
                           rates=rates, group_of=group, outlet_of=outlet)
    x, y = table.iloc[0], table.iloc[1]
    # exact test: the observed split is one of the 2 most extreme of C(12, 6) = 924
    assert x.p_value == pytest.approx(2 / 924) and x.significant == "yes" and x.cliffs_delta == 1.0
    assert x.p_adjusted == pytest.approx(2 / 924 * 2)  # two tests
    assert y.significant == "no"
    # one outlet on a side: no test at all, whatever the rates say
    one = np.where(group == 0, 0, outlet)
    table, _ = comparisons(["wire", "state_media"], np.array([18, 18]), [1, 6], sums.astype(np.int64),
                           np.array([0, 1]), [("f", "x"), ("f", "y")], ["a", "b"],
                           rates=rates, group_of=group, outlet_of=one)
    assert np.isnan(table.iloc[0].p_value) and table.iloc[0].significant == "" and "one outlet" in table.iloc[0].caution
