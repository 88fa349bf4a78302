"""Bootstrap intervals, permutation tests, FDR and effect sizes, on numbers written here."""

import numpy as np
import pytest

from framing.stats import intervals
from framing.stats.intervals import outlet_bootstrap
from framing.stats.significance import (
    benjamini_hochberg,
    cliffs_delta,
    outlet_permutation_p,
)


def test_exact_permutation_p_with_two_outlets_a_side():
    # Four one-article outlets with rates 10, 9 | 1, 0: the observed split is one of the
    # two most extreme of the C(4, 2) = 6 ways to split them: p = 2 / 6.
    sums = np.array([[10.0], [9.0], [1.0], [0.0]])
    p = outlet_permutation_p(sums, np.ones(4), np.array([True, True, False, False]))
    assert p[0] == pytest.approx(1 / 3)


def test_outlets_move_together_so_a_big_outlet_cannot_make_a_difference_certain():
    # Group a: one outlet of 100 articles at rate 5 and one of 1 at rate 5; group b: two outlets at 1.
    sums = np.array([[500.0], [5.0], [1.0], [1.0]])
    counts = np.array([100.0, 1.0, 1.0, 1.0])
    p = outlet_permutation_p(sums, counts, np.array([True, True, False, False]))
    assert p[0] >= 1 / 3  # 4 outlets can never give less


def test_random_permutations_are_seeded_and_count_the_observed():
    rng = np.random.default_rng(0)
    sums = rng.normal(0, 1, (40, 3))
    sums[:20] += 3.0  # group a is clearly higher in every column
    counts = np.ones(40)
    in_a = np.arange(40) < 20
    p1 = outlet_permutation_p(sums, counts, in_a, permutations=500)
    p2 = outlet_permutation_p(sums, counts, in_a, permutations=500)
    assert np.array_equal(p1, p2)
    assert np.allclose(p1, 1 / 501)  # none of 500 shuffles reaches it: (1 + 0) / (1 + 500)


def test_benjamini_hochberg_known_answer():
    adjusted = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.5, np.nan]))
    # sorted 0.01, 0.03, 0.04, 0.5 times 4 / rank: 0.04, 0.06, 0.0533, 0.5; then the running minimum from the top
    assert adjusted[:4] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])
    assert np.isnan(adjusted[4])


def test_cliffs_delta_known_answers():
    assert cliffs_delta(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0])) == pytest.approx(4 / 6)
    assert cliffs_delta(np.array([0.0, 0.0]), np.array([1.0, 2.0])) == -1.0
    assert cliffs_delta(np.array([1.0, 2.0]), np.array([2.0, 1.0])) == 0.0
    assert np.isnan(cliffs_delta(np.array([]), np.array([1.0])))


def test_outlet_bootstrap_reflects_outlets_not_articles():
    # Two outlets of 100 articles, one all at 0 and one all at 10: drawing outlets gives
    # replicate means of 0, 5 or 10 (a quarter, a half, a quarter): the interval is 0 to 10.
    rates = np.concatenate([np.zeros(100), np.full(100, 10.0)])[:, None]
    outlet = np.repeat([0, 1], 100)
    low, high = outlet_bootstrap(rates, outlet)
    assert (low[0], high[0]) == (0.0, 10.0)
    again = outlet_bootstrap(rates, outlet)
    assert np.array_equal(again[0], low) and np.array_equal(again[1], high)  # seeded
    one = outlet_bootstrap(rates, np.zeros(200, dtype=int))
    assert np.isnan(one[0]).all() and np.isnan(one[1]).all()


def test_the_interval_covers_the_mean_and_the_normal_limit_agrees_with_resampling(monkeypatch):
    rng = np.random.default_rng(5)
    outlet = rng.integers(0, 8, 3000)
    rates = rng.gamma(2.0, 2.0, (3000, 2)) + outlet[:, None] * 0.5
    low, high = outlet_bootstrap(rates, outlet)
    assert (low < rates.mean(axis=0)).all() and (rates.mean(axis=0) < high).all()
    monkeypatch.setattr(intervals, "EXACT_UP_TO", 10**6)  # every outlet resampled article by article
    exact_low, exact_high = outlet_bootstrap(rates, outlet)
    width = exact_high - exact_low
    assert np.allclose(low, exact_low, atol=0.15 * width) and np.allclose(high, exact_high, atol=0.15 * width)
