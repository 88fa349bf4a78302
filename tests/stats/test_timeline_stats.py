"""The timeline (per group and period) and the before/after table: small arrays written here, figures checked."""

import numpy as np
import pandas as pd
import pytest

from framing.defaults import MIN_GROUP_ARTICLES
from framing.stats.before_after import (
    BEFORE_AFTER_COLUMNS_AFTER_GROUP,
    NO_DAY,
    NO_SHARED_OUTLET,
    before_after_table,
    within_outlet_p,
)
from framing.stats.timeline import (
    NO_PERIOD,
    PERIOD_COUNT_COLUMNS_AFTER_GROUP,
    TIMELINE_COLUMNS_AFTER_GROUP,
    period_counts,
    timeline_table,
)

LABELS = [("frames", "war"), ("labels", "terrorist")]
GROUPS = ["wire", "state_media"]


def label(key: int) -> str:
    return f"P{key}"


def start(key: int) -> str:
    return f"2020-{key:02d}-01"


def corpus(seed: int = 0, n: int = 120):
    """n articles, 2 groups (and some in none), 3 outlets a group, periods 1..6 with period 3 left empty."""
    rng = np.random.default_rng(seed)
    group = rng.integers(-1, 2, n)
    outlet = np.where(group >= 0, group, 0) * 10 + rng.integers(0, 3, n)
    period = rng.choice([1, 2, 4, 5, 6], n).astype(np.int64)
    period[rng.random(n) < 0.1] = NO_PERIOD
    rates = rng.exponential(2.0, (n, 2)) * (rng.random((n, 2)) < 0.6)
    return rates, group, outlet, period


def table(rates, group, outlet, period, **kw):
    return timeline_table(rates, group, GROUPS, period, label, start, outlet, LABELS, **kw)


def test_columns_and_gap_periods_are_filled():
    rates, group, outlet, period = corpus()
    t = table(rates, group, outlet, period)
    assert list(t.columns) == ["source_type", *TIMELINE_COLUMNS_AFTER_GROUP]
    wire = t[(t.source_type == "wire") & (t.category == "war")]
    assert wire.period.tolist() == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert wire.period_start.tolist()[2] == "2020-03-01"
    gap = t[t.period == "P3"]
    assert len(gap) == 4 and (gap.n_articles == 0).all() and (gap.articles_using == 0).all()
    assert gap[["mean", "ci_low", "ci_high", "share_using"]].isna().all().all()
    assert (gap.caution == "no articles").all()
    # groups in code order, categories in column order
    assert t.source_type.tolist()[:2] == ["wire", "wire"] and t.source_type.iloc[-1] == "state_media"
    assert t.category.tolist()[:2] == ["war", "terrorist"]


def test_a_group_spans_only_its_own_first_to_last_period_and_undated_groups_have_no_rows():
    rates = np.ones((4, 2))
    group = np.array([0, 0, 1, 1])
    period = np.array([7, 9, NO_PERIOD, NO_PERIOD], dtype=np.int64)
    t = timeline_table(rates, group, ["a", "b", "c"], period, label, start, np.zeros(4, int), LABELS,
                       group_column="outlet_kind")
    assert t.columns[0] == "outlet_kind"
    assert t.outlet_kind.unique().tolist() == ["a"]
    assert t.period.unique().tolist() == ["P7", "P8", "P9"]


def test_counts_and_means_match_a_pandas_groupby():
    rates, group, outlet, period = corpus(seed=3, n=400)
    t = table(rates, group, outlet, period)
    frame = pd.DataFrame({"g": group, "p": period, "o": outlet, "war": rates[:, 0], "terrorist": rates[:, 1]})
    frame = frame[(frame.g >= 0) & (frame.p != NO_PERIOD)]
    by = frame.groupby(["g", "p"])
    for (g, p), cell in by:
        rows = t[(t.source_type == GROUPS[g]) & (t.period == label(p))].set_index("category")
        assert rows.n_articles.tolist() == [len(cell)] * 2
        assert rows.n_outlets.tolist() == [cell.o.nunique()] * 2
        for cat in ("war", "terrorist"):
            assert rows.loc[cat, "mean"] == pytest.approx(cell[cat].mean(), rel=1e-12)
            assert rows.loc[cat, "articles_using"] == (cell[cat] > 0).sum()
            assert rows.loc[cat, "share_using"] == pytest.approx((cell[cat] > 0).mean())
    assert t.n_articles.sum() == 2 * len(frame)  # undated articles and group -1 are left out


def test_the_interval_is_the_outlet_clustered_one():
    # one cell, 3 outlets: x = [1, 2 | 4 | 6, 7, 8]
    x = np.array([1.0, 2, 4, 6, 7, 8])
    outlet = np.array([0, 0, 1, 2, 2, 2])
    t = timeline_table(np.stack([x, x], 1), np.zeros(6, int), ["a"], np.ones(6, np.int64), label, start, outlet,
                       LABELS)
    mean = x.mean()
    deviation_sums = np.array([(x[outlet == o] - mean).sum() for o in range(3)])
    se = np.sqrt(3 / 2 * (deviation_sums ** 2).sum() / 36)
    from scipy.stats import t as student

    half = student.ppf(0.975, 2) * se
    row = t.iloc[0]
    assert row.ci_high == pytest.approx(mean + half)
    # A rate is never negative: the symmetric interval (here mean - half < 0) stops at 0.
    assert mean - half < 0 and row.ci_low == 0
    shifted = timeline_table(np.stack([x + 20, x + 20], 1), np.zeros(6, int), ["a"], np.ones(6, np.int64), label,
                             start, outlet, LABELS).iloc[0]
    assert shifted.ci_low == pytest.approx(mean + 20 - half) and shifted.ci_high == pytest.approx(mean + 20 + half)
    assert row.caution == ""


def test_interval_contains_the_mean_and_widens_when_outlets_disagree():
    rng = np.random.default_rng(1)
    n = 60
    outlet = np.repeat(np.arange(6), 10)
    noise = rng.normal(0, 0.5, n)
    agree = 5 + noise
    disagree = 5 + noise + np.repeat([-3.0, 3, -2, 2, -1, 1], 10)  # same article spread, outlets apart
    t = timeline_table(np.stack([agree, disagree], 1), np.zeros(n, int), ["a"], np.ones(n, np.int64), label, start,
                       outlet, LABELS)
    assert ((t.ci_low < t["mean"]) & (t["mean"] < t.ci_high)).all()
    width = (t.ci_high - t.ci_low).to_numpy()
    assert width[1] > 3 * width[0]


def test_one_outlet_gets_an_article_interval_and_a_caution():
    x = np.array([1.0, 3, 2, 6, 4, 5])
    t = timeline_table(np.stack([x, x], 1), np.zeros(6, int), ["a"], np.ones(6, np.int64), label, start,
                       np.full(6, 4), LABELS)
    from scipy.stats import t as student

    half = student.ppf(0.975, 5) * x.std(ddof=1) / np.sqrt(6)
    row = t.iloc[0]
    assert row.ci_high - row["mean"] == pytest.approx(half)
    assert "one outlet" in row.caution and "articles only" in row.caution


def test_thin_and_single_article_periods():
    rates = np.array([[1.0, 0], [2, 0], [3, 1]])
    t = timeline_table(rates, np.zeros(3, int), ["a"], np.array([1, 1, 2], np.int64), label, start,
                       np.array([0, 1, 0]), LABELS)
    first, second = t.iloc[0], t.iloc[2]
    assert first.caution == "only 2 articles: thin period" and not np.isnan(first.ci_low)
    assert second.caution == "only 1 article: thin period" and np.isnan(second.ci_low) and second["mean"] == 3
    assert MIN_GROUP_ARTICLES > 2


def test_undated_articles_change_nothing():
    rates, group, outlet, period = corpus(seed=5)
    base = table(rates, group, outlet, period)
    extra = np.array([[50.0, 50.0]] * 3)
    more = table(np.r_[rates, extra], np.r_[group, [0, 1, 0]], np.r_[outlet, [0, 11, 99]],
                 np.r_[period, [NO_PERIOD] * 3])
    pd.testing.assert_frame_equal(base, more)


def test_period_counts_follow_the_same_ranges():
    rates, group, outlet, period = corpus(seed=2)
    counts = period_counts(group, GROUPS, period, outlet, label, start)
    assert list(counts.columns) == ["source_type", *PERIOD_COUNT_COLUMNS_AFTER_GROUP]
    t = table(rates, group, outlet, period)
    first = t[t.category == "war"].reset_index(drop=True)
    pd.testing.assert_frame_equal(counts, first[list(counts.columns)])


def test_the_timeline_is_deterministic_and_group_codes_only_reorder_rows():
    rates, group, outlet, period = corpus(seed=7)
    a = table(rates, group, outlet, period)
    pd.testing.assert_frame_equal(a, table(rates, group, outlet, period))
    swapped = np.where(group >= 0, 1 - group, -1)
    b = timeline_table(rates, swapped, GROUPS[::-1], period, label, start, outlet, LABELS)
    key = ["source_type", "period", "category"]
    pd.testing.assert_frame_equal(a.sort_values(key).reset_index(drop=True),
                                  b.sort_values(key).reset_index(drop=True))


# Before and after a date


def shifted(shift: float, seed: int = 0, n_outlets: int = 4, per_side: int = 15):
    """One group: each outlet writes per_side articles before day 100 and per_side from it on."""
    rng = np.random.default_rng(seed)
    outlet = np.repeat(np.arange(n_outlets), 2 * per_side)
    after = np.tile(np.r_[np.zeros(per_side, bool), np.ones(per_side, bool)], n_outlets)
    day = np.where(after, 100 + rng.integers(0, 50, len(outlet)), rng.integers(0, 100, len(outlet))).astype(np.int64)
    level = np.repeat(rng.normal(5, 3, n_outlets), 2 * per_side)  # outlets differ a lot
    rates = np.clip(level + rng.normal(0, 1, len(outlet)) + shift * after, 0, None)
    return np.stack([rates, level], 1), day, outlet


def compare(rates, day, outlet, group=None, names=("wire",)):
    group = np.zeros(len(day), int) if group is None else group
    return before_after_table(rates, group, list(names), day, 100, "1970-04-11", outlet, LABELS)


def test_before_after_columns_and_figures():
    rates, day, outlet = shifted(1.0)
    t = compare(rates, day, outlet)
    assert list(t.columns) == ["source_type", *BEFORE_AFTER_COLUMNS_AFTER_GROUP]
    row = t.iloc[0]
    after = day >= 100
    assert row.split_date == "1970-04-11"
    assert (row.n_before, row.n_after) == (60, 60)
    assert (row.n_outlets_before, row.n_outlets_after, row.n_outlets_both) == (4, 4, 4)
    assert row.mean_before == pytest.approx(rates[~after, 0].mean())
    assert row.mean_after == pytest.approx(rates[after, 0].mean())
    assert row.difference == pytest.approx(row.mean_after - row.mean_before)
    assert row.ci_low < row.difference < row.ci_high
    assert row.caution == ""


def test_a_within_outlet_shift_is_found_and_no_shift_is_not():
    rates, day, outlet = shifted(1.0)
    moved = compare(rates, day, outlet).iloc[0]
    assert moved.p_value < 0.01 and moved.significant
    # no shift: each outlet's articles after the date are its articles before, in another order
    rates, day, outlet = shifted(0.0, seed=4)
    after = day >= 100
    rates[after] = np.concatenate([rates[~after & (outlet == o)][::-1] for o in range(4)])
    still = compare(rates, day, outlet)
    assert still.difference.abs().max() < 1e-12
    assert still.p_value.min() > 0.2 and not still.significant.any()
    # the second column is each outlet's constant level: shuffling within outlets cannot move it
    assert still.iloc[1].p_value == 1.0


def test_without_a_shift_small_p_values_are_rare():
    p = np.array([compare(*shifted(0.0, seed=s)).p_value.iloc[0] for s in range(20)])
    assert (p < 0.05).sum() <= 3 and np.median(p) > 0.2


def test_a_change_of_outlets_is_not_taken_for_a_change():
    # outlet 0 writes only before, outlet 1 only after, at very different levels
    rates = np.r_[np.full(10, 1.0), np.full(10, 9.0)][:, None].repeat(2, 1)
    day = np.r_[np.arange(10), 100 + np.arange(10)].astype(np.int64)
    outlet = np.r_[np.zeros(10, int), np.ones(10, int)]
    row = compare(rates, day, outlet).iloc[0]
    assert row.difference == 8 and np.isnan(row.p_value) and np.isnan(row.p_adjusted) and not row.significant
    assert NO_SHARED_OUTLET in row.caution and "one outlet before" in row.caution


def test_outlets_that_differ_are_named_and_a_missing_side_keeps_its_rows():
    rates, day, outlet = shifted(0.5)
    outlet = outlet.copy()
    outlet[(outlet == 3) & (day >= 100)] = 7  # outlet 3 stops; outlet 7 starts
    group = np.r_[np.zeros(len(day) - 3, int), [1, 1, 1]]
    day = day.copy()
    day[-3:] = [1, 2, 3]  # the second group: three articles, all before
    t = compare(rates, day, outlet, group, names=("wire", "state_media"))
    wire, state = t.iloc[0], t.iloc[2]
    assert "outlets differ before and after: 3 of 5 on both sides" in wire.caution
    assert state.n_after == 0 and np.isnan(state.mean_after) and np.isnan(state.p_value)
    assert "no articles after" in state.caution and "only 3 articles before" in state.caution
    assert len(t) == 4


def test_undated_articles_are_left_out_of_before_and_after():
    rates, day, outlet = shifted(1.0)
    base = compare(rates, day, outlet)
    more = compare(np.r_[rates, [[99.0, 99.0]]], np.r_[day, [NO_DAY]], np.r_[outlet, [0]])
    pd.testing.assert_frame_equal(base, more)


def test_adjusted_p_values_are_at_least_the_raw_ones_and_the_table_is_deterministic():
    rng = np.random.default_rng(9)
    rates, day, outlet = shifted(0.3, seed=2)
    rates = np.c_[rates, rng.exponential(1, (len(day), 4))]
    labels = [*LABELS, *[("frames", f"c{i}") for i in range(4)]]
    args = (rates, np.zeros(len(day), int), ["wire"], day, 100, "x", outlet, labels)
    a, b = before_after_table(*args), before_after_table(*args)
    pd.testing.assert_frame_equal(a, b)
    assert (a.p_adjusted >= a.p_value - 1e-15).all()
    assert a.p_adjusted.max() <= 1.0


def test_a_groups_p_values_do_not_depend_on_the_other_groups():
    r1, d1, o1 = shifted(0.4, seed=1)
    r2, d2, o2 = shifted(0.0, seed=2)
    rates, day, outlet = np.r_[r1, r2], np.r_[d1, d2], np.r_[o1, o2 + 10]
    group = np.r_[np.zeros(len(d1), int), np.ones(len(d2), int)]
    a = compare(rates, day, outlet, group, names=("wire", "state_media"))
    b = compare(rates, day, outlet, 1 - group, names=("state_media", "wire"))
    key = ["source_type", "category"]
    pd.testing.assert_frame_equal(a.sort_values(key).reset_index(drop=True),
                                  b.sort_values(key).reset_index(drop=True))
    alone = compare(r1, d1, o1)
    assert np.array_equal(alone.p_value.to_numpy(), a.p_value.to_numpy()[:2])


def test_the_normal_limit_agrees_with_the_shuffles():
    rates, day, outlet = shifted(0.4, seed=6, n_outlets=5, per_side=40)
    after = day >= 100
    shuffles = within_outlet_p(rates, after, outlet)
    normal = within_outlet_p(rates, after, outlet, normal_above=0)
    assert normal[1] == 1.0  # no variation inside outlets
    assert abs(normal[0] - shuffles[0]) < 0.02 + 0.2 * shuffles[0]


def test_permutation_p_is_counted_as_documented():
    # one outlet, 2 before and 2 after: 6 equally likely splits, 2 as extreme as the observed one
    rates = np.array([[0.0, 0], [0, 0], [1, 0], [1, 0]])
    p = within_outlet_p(rates, np.array([False, False, True, True]), np.zeros(4, int), permutations=4000)
    assert p[0] == pytest.approx(2 / 6, abs=0.03)
    assert p[1] == 1.0


def test_groups_that_are_outlets_are_not_cautioned_for_having_one_outlet():
    x = np.arange(12, dtype=float)
    rates = np.stack([x, x], 1)
    group = np.repeat([0, 1], 6)
    outlet = group.copy()  # each group is one outlet
    period = np.ones(12, np.int64)
    days = np.tile(np.arange(6) * 10, 2)
    plain = timeline_table(rates, group, ["a", "b"], period, label, start, outlet, LABELS)
    outlets = timeline_table(rates, group, ["a", "b"], period, label, start, outlet, LABELS, groups_are_outlets=True)
    assert plain["caution"].str.contains("one outlet").all() and (outlets["caution"] == "").all()
    pd.testing.assert_frame_equal(plain.drop(columns="caution"), outlets.drop(columns="caution"))
    before = before_after_table(rates, group, ["a", "b"], days, 25, "x", outlet, LABELS)
    after = before_after_table(rates, group, ["a", "b"], days, 25, "x", outlet, LABELS, groups_are_outlets=True)
    assert before["caution"].str.contains("one outlet").all() and not after["caution"].str.contains("one outlet").any()
