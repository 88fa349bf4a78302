"""Stories from story vectors and days; the within-story estimate; what only one version says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.dates import NO_DAY
from framing.stats.stories import MAX_UNDATED_PAIRS, coverage_table, find_stories, story_table
from framing.stats.versions import only_sentences, own_words
from framing.stats.within_story import agreement, within_story_table

SIZE = 40


def vectors(rows: list[dict[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Story vectors (columns, l2-normalised weights) from {column: weight} per article."""
    k = max(len(r) for r in rows)
    cols = np.full((len(rows), k), -1, np.int32)
    weights = np.zeros((len(rows), k), np.float32)
    for i, r in enumerate(rows):
        c = np.asarray(sorted(r), dtype=np.int32)
        w = np.asarray([r[x] for x in sorted(r)], dtype=np.float64)
        cols[i, : len(c)] = c
        weights[i, : len(c)] = w / np.linalg.norm(w)
    return cols, weights


def test_articles_of_one_event_within_the_window_are_one_story_and_the_rest_stand_alone():
    event_a = {1: 1.0, 2: 1.0, 3: 1.0}
    event_b = {10: 1.0, 11: 1.0, 12: 1.0}
    cols, weights = vectors([event_a, event_b, event_a, {20: 1.0}, event_b, event_a])
    day = np.asarray([100, 100, 101, 100, 102, 103])
    found = find_stories(cols, weights, SIZE, day, threshold=0.2, window=3)
    assert found.story.tolist() == [0, 1, 0, 2, 1, 0]  # numbered by first article in id order
    assert found.count == 3
    assert [m.tolist() for m in found.members()] == [[0, 2, 5], [1, 4], [3]]


def test_the_same_words_more_than_the_window_apart_are_two_stories():
    event = {1: 1.0, 2: 1.0}
    cols, weights = vectors([event, event, event])
    found = find_stories(cols, weights, SIZE, np.asarray([0, 3, 7]), threshold=0.2, window=3)
    # 0 and 3 are linked (3 days), 3 and 7 are 4 days apart: never one story.
    assert found.story.tolist() == [0, 0, 1]


def test_average_linkage_does_not_let_one_article_chain_two_events():
    # A shares a little with B, B a little with C, A nothing with C: no group of three is as close as a link asks.
    cols, weights = vectors([{1: 1.0, 2: 1.0, 3: 1.0}, {3: 1.0, 4: 1.0, 5: 1.0}, {5: 1.0, 6: 1.0, 7: 1.0}])
    day = np.zeros(3, np.int64)
    found = find_stories(cols, weights, SIZE, day, threshold=0.3, window=3)
    assert found.count == 2 and found.story[0] != found.story[2]
    # A cosine of 1/3 links each pair; connected components alone would give one story.
    assert len(set(found.story.tolist())) == 2


def test_undated_articles_are_grouped_with_undated_ones_only_and_never_bridge_dated_events():
    event = {1: 1.0, 2: 1.0}
    cols, weights = vectors([event, event, event, event, {9: 1.0}])
    day = np.asarray([0, NO_DAY, 400, NO_DAY, NO_DAY])
    found = find_stories(cols, weights, SIZE, day, threshold=0.2, window=3)
    # The two undated copies are one story; neither joins the dated articles 400 days apart, nor links them.
    assert found.story.tolist() == [0, 1, 2, 1, 3]


def test_too_many_undated_articles_stay_alone_with_a_note(monkeypatch):
    from framing.stats import stories

    monkeypatch.setattr(stories, "MAX_UNDATED_PAIRS", 5)
    event = {1: 1.0}
    cols, weights = vectors([event, event, event])
    found = stories.find_stories(cols, weights, SIZE, np.full(3, NO_DAY), threshold=0.2, window=3)
    assert found.story.tolist() == [0, 1, 2]
    assert "too many to compare" in found.notes[0]
    assert MAX_UNDATED_PAIRS > 5


def test_stories_do_not_depend_on_the_order_they_are_given_in_beyond_the_ids():
    rng = np.random.default_rng(4)
    rows = [{int(c): 1.0 + rng.random() for c in rng.choice(SIZE, 4, replace=False)} for _ in range(60)]
    cols, weights = vectors(rows)
    day = rng.integers(0, 20, 60)
    a = find_stories(cols, weights, SIZE, day)
    b = find_stories(cols, weights, SIZE, day)
    assert a.story.tolist() == b.story.tolist()
    assert a.story[0] == 0 and np.all(np.diff(np.maximum.accumulate(a.story)) <= 1)  # first seen, next number


def test_the_story_table_lists_stories_of_two_or_more_largest_first_with_who_covered_them():
    event_a, event_b, other = {1: 1.0, 2: 1.0}, {5: 1.0, 6: 1.0}, {9: 1.0}
    cols, weights = vectors([event_b, event_a, event_a, event_a, event_b, other, {12: 1.0}, other])
    day = np.asarray([10, 11, 11, 12, 12, NO_DAY, 10, NO_DAY])
    found = find_stories(cols, weights, SIZE, day)
    assert found.story.tolist() == [0, 1, 1, 1, 0, 2, 3, 2]
    types = np.asarray(["wire", "state_media", "wire", "wire", "wire", "wire", "wire", "wire"], dtype=object)
    outlets = np.asarray(["AP", "RT", "AP", "Reuters", "Reuters", "AP", "AP", "AP"], dtype=object)
    words = [f"w{i}" for i in range(SIZE)]
    table = story_table(found, cols, weights, words, day, types, outlets, types, ["state_media", "wire"],
                        ["state_media", "wire"], lambda d: f"day{d}")
    assert table["story_id"].tolist() == ["s2", "s1", "s3"]  # 3 articles before 2, then by number; s4 (one) not listed
    first = table.iloc[0]
    assert (first.n_articles, first.n_outlets, first.n_groups, first.n_undated) == (3, 3, 2, 0)
    assert (first.first_date, first.last_date) == ("day11", "day12")
    assert first.groups == "wire 2; state_media 1" and first.only_group == ""
    assert first.outlets == "AP 1; RT 1; Reuters 1"
    assert set(first.top_terms.split("; ")) == {"w1", "w2"}
    assert table.iloc[1].only_group == "wire"
    undated = table.iloc[2]
    assert (undated.n_undated, undated.first_date, undated.last_date) == (2, "", "")
    coverage = coverage_table(found, np.asarray([1, 0, 1, 1, 1, 1, 1, 1]), ["state_media", "wire"])
    assert coverage.to_dict("records") == [
        {"group": "state_media", "n_articles": 1, "n_in_stories": 1, "n_stories": 1, "n_shared": 1, "n_alone": 0,
         "share_alone": 0.0},
        {"group": "wire", "n_articles": 7, "n_in_stories": 6, "n_stories": 3, "n_shared": 1, "n_alone": 2,
         "share_alone": 2 / 3},
    ]


# ------------------------------------------------------------------ within stories


def _cr1(y: np.ndarray, x: np.ndarray, story: np.ndarray, cluster: np.ndarray) -> tuple[float, float]:
    """The fixed-effects slope and its CR1 standard error, by explicit dummies and loops."""
    stories = sorted(set(story.tolist()))
    design = np.column_stack([x] + [(story == s).astype(float) for s in stories])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    bread = np.linalg.inv(design.T @ design)
    meat = np.zeros((design.shape[1],) * 2)
    groups = sorted(set(cluster.tolist()))
    for g in groups:
        rows = cluster == g
        score = design[rows].T @ resid[rows]
        meat += np.outer(score, score)
    g_count = len(groups)
    var = g_count / (g_count - 1) * bread @ meat @ bread
    return float(coef[0]), float(np.sqrt(var[0, 0]))


def test_the_within_story_difference_is_the_fixed_effects_slope_with_its_cluster_robust_error():
    rng = np.random.default_rng(7)
    n_stories = 12
    story = np.repeat(np.arange(n_stories), 5)
    group = np.tile([0, 0, 1, 1, 1], n_stories)
    outlet = np.where(group == 0, rng.integers(0, 3, len(story)), 3 + rng.integers(0, 3, len(story)))
    topic = rng.normal(0, 5, n_stories)[story]
    rates = np.column_stack([topic + 2.0 * (group == 0) + rng.normal(0, 1, len(story)), topic + rng.normal(0, 1, len(story))])
    table = within_story_table(rates, story, group, outlet, ["a", "b"], [("t", "x"), ("t", "y")])
    want, se = _cr1(rates[:, 0], (group == 0).astype(float), story, outlet)
    row = table.iloc[0]
    assert row.difference == pytest.approx(want, rel=1e-9)
    from scipy.stats import t

    q = t.ppf(0.975, 5)  # 6 outlets: 5 degrees of freedom
    assert row.ci_low == pytest.approx(want - q * se, rel=1e-9) and row.ci_high == pytest.approx(want + q * se, rel=1e-9)
    assert (row.clusters, row.n_clusters, row.n_stories) == ("outlets", 6, 12)
    assert row.significant == "yes" and table.iloc[1].significant == "no"
    # Also: the mean of the stories' differences, each weighted n_a n_b / (n_a + n_b) (here all equal).
    per_story = [rates[(story == s) & (group == 0), 0].mean() - rates[(story == s) & (group == 1), 0].mean()
                 for s in range(n_stories)]
    assert row.difference == pytest.approx(np.mean(per_story), rel=1e-9)


def test_a_difference_of_topic_vanishes_within_stories():
    rng = np.random.default_rng(3)
    # Group a covers mostly the war stories (high rate), b mostly the election ones; within a story they agree.
    story = np.repeat(np.arange(20), 4)
    war = story < 10
    group = np.where(war, np.tile([0, 0, 0, 1], 20), np.tile([0, 1, 1, 1], 20))
    outlet = np.where(group == 0, rng.integers(0, 3, len(story)), 3 + rng.integers(0, 3, len(story)))
    rates = (np.where(war, 20.0, 2.0) + rng.normal(0, 0.5, len(story)))[:, None]
    plain = pd.DataFrame([{"lexicon": "t", "category": "war", "group_a": "a", "group_b": "b",
                           "difference": rates[group == 0, 0].mean() - rates[group == 1, 0].mean(),
                           "significant": "yes"}])
    table = within_story_table(rates, story, group, outlet, ["a", "b"], [("t", "war")], plain)
    row = table.iloc[0]
    assert row.plain_difference > 5 and abs(row.difference) < 1
    assert row.agreement == "vanishes within stories (topic)"


def test_stories_as_clusters_when_the_groups_are_outlets_and_no_test_below_five_shared_stories():
    story = np.repeat(np.arange(4), 2)
    group = np.tile([0, 1], 4)
    rates = np.arange(8, dtype=float)[:, None]
    table = within_story_table(rates, story, group, group.copy(), ["fox", "nyt"], [("t", "x")], by_outlet=False,
                               groups_are_outlets=True)
    row = table.iloc[0]
    assert row.clusters == "stories" and row.n_stories == 4
    assert np.isnan(row.p_value) and row.significant == "" and "only 4 shared stories" in row.caution
    assert row.difference == pytest.approx(-1.0)


def test_pairs_that_share_no_story_have_no_rows():
    story = np.asarray([0, 0, 1, 1])
    group = np.asarray([0, 0, 1, 1])
    table = within_story_table(np.ones((4, 1)), story, group, group, ["a", "b"], [("t", "x")])
    assert table.empty


@pytest.mark.parametrize(("plain", "pdiff", "within", "wdiff", "said"), [
    ("yes", 2.0, "no", 0.1, "vanishes within stories (topic)"),
    ("yes", 2.0, "yes", 1.5, "holds within stories"),
    ("yes", 2.0, "yes", -1.5, "reverses within stories"),
    ("no", 0.1, "yes", 1.0, "appears within stories only"),
    ("", np.nan, "yes", 1.0, ""),
])
def test_agreement_reads_the_two_comparisons_together(plain, pdiff, within, wdiff, said):
    assert agreement(plain, pdiff, within, wdiff) == said


# ------------------------------------------------------------------ versions


def test_a_sentence_only_one_version_has_is_found_and_shared_ones_are_not():
    shared = "Premier Mishustin and Li Qiang signed the communique in Beijing on Tuesday."
    texts = [
        f"{shared} Officials praised the partnership.",
        f"{shared} Critics in Washington warned about sanctions evasion through banks in Kazakhstan.",
        f"{shared} Officials praised the strategic partnership again.",
    ]
    found = only_sentences(texts)
    assert [len(f.starts) for f in found] == [2, 2, 2]
    only = [f.only().tolist() for f in found]
    assert only == [[], [1], []]
    s = found[1]
    assert texts[1][s.starts[1]:s.ends[1]].startswith("Critics in Washington")
    assert float(s.best[0]) == pytest.approx(1.0)


def test_own_words_are_the_words_a_version_uses_more_than_the_others():
    texts = ["trade trade trade deal deal summit", "war war war troops troops summit", "summit summit talks"]
    words = own_words(texts)
    assert words[0][:2] == ["trade", "deal"] and words[1][:2] == ["war", "troops"]
    assert "summit" not in words[0]
    assert own_words(["only one version here here"]) == [[]]


def test_a_component_too_big_to_cut_at_once_is_linked_tighter_until_it_fits(monkeypatch):
    from framing.stats import stories

    monkeypatch.setattr(stories, "MAX_COMPONENT", 4)
    same = {1: 1.0, 2: 1.0}
    # Twelve copies of one article: linked at every cosine up to 1, they stay one story (no endless re-linking).
    cols, weights = vectors([same] * 12 + [{7: 1.0, 8: 1.0}] * 3)
    found = stories.find_stories(cols, weights, SIZE, np.zeros(15, np.int64), threshold=0.2, window=3)
    assert found.story.tolist() == [0] * 12 + [1] * 3
    # Two events bridged by articles of both: the big component is split by a tighter link, then cut.
    a, b, bridge = {1: 1.0, 2: 1.0}, {5: 1.0, 6: 1.0}, {1: 1.0, 2: 1.0, 5: 1.0, 6: 1.0}
    cols, weights = vectors([a] * 5 + [bridge] + [b] * 5)
    found = stories.find_stories(cols, weights, SIZE, np.zeros(11, np.int64), threshold=0.2, window=3)
    assert set(found.story[:5].tolist()) != set(found.story[6:].tolist())


def test_the_caution_says_when_the_groups_are_the_outlets():
    story = np.repeat(np.arange(6), 2)
    group = np.tile([0, 1], 6)
    rates = np.arange(12, dtype=float)[:, None]
    table = within_story_table(rates, story, group, group.copy(), ["fox", "nyt"], [("t", "x")], by_outlet=False,
                               groups_are_outlets=True)
    assert table.iloc[0].caution.startswith("the groups are outlets: the interval treats stories as independent")


def test_a_group_of_one_outlet_is_described_not_tested_as_in_the_plain_comparison():
    story = np.repeat(np.arange(8), 3)
    group = np.tile([0, 1, 1], 8)
    outlet = np.tile([0, 1, 2], 8)  # group a is one outlet (RT, say); b has two
    rates = np.column_stack([np.tile([5.0, 1.0, 1.2], 8)])
    row = within_story_table(rates, story, group, outlet, ["state_media", "wire"], [("t", "x")]).iloc[0]
    assert row.difference == pytest.approx(3.9)
    assert np.isnan(row.p_value) and np.isnan(row.ci_low) and row.significant == ""
    assert row.caution == "state_media: one outlet in the shared stories; descriptive only, no test"


def test_the_cut_of_a_linkage_is_scipys_distance_criterion():
    from scipy.cluster.hierarchy import fcluster, linkage

    from framing.stats.stories import clusters_below

    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(3, 30))
        merges = linkage(rng.random(n * (n - 1) // 2), method="average")
        cutoff = float(rng.random())
        labels = fcluster(merges, cutoff, criterion="distance")
        expected = sorted(tuple(np.flatnonzero(labels == k).tolist()) for k in np.unique(labels))
        assert sorted(tuple(p.tolist()) for p in clusters_below(merges, cutoff)) == expected


def test_a_corpus_without_a_story_of_two_has_an_empty_story_table_with_its_columns():
    from framing.stats.stories import STORIES_COLUMNS

    cols, weights = vectors([{1: 1.0}, {2: 1.0}, {3: 1.0}])
    found = find_stories(cols, weights, SIZE, np.zeros(3, np.int64))
    names = np.asarray(["wire"] * 3, dtype=object)
    table = story_table(found, cols, weights, [f"w{i}" for i in range(SIZE)], np.zeros(3, np.int64), names, names,
                        names, ["wire"], ["wire"], str)
    assert table.empty and list(table.columns) == list(STORIES_COLUMNS)
