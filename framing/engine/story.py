"""The finish's story step: each article's story, stories.csv, coverage.csv and within_story.csv.

Pass 2 leaves each article's story vector (its heaviest TF-IDF terms,
``framing.engine.passes.story_vectors``); this step, on the client, links
the articles within the date window (``framing.stats.stories``) and makes
the three tables from per-article numbers in id order, so they are the same
bytes for any ``--jobs``, chunking or engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..dates import NO_DAY, day_text
from ..english import plural
from ..grouping import Grouping, StorySettings
from ..stats.stories import Stories, coverage_table, find_stories, story_table
from ..stats.within_story import MIN_SHARED_STORIES, within_story_table
from ..types import SOURCE_TYPES

__all__ = ["StoryFigures", "story_figures"]


@dataclass
class StoryFigures:
    """The stories of a run: each article's story number (id order) and the tables about them."""

    stories: Stories
    table: pd.DataFrame  # stories.csv
    coverage: pd.DataFrame  # coverage.csv
    within: pd.DataFrame  # within_story.csv
    notes: dict[str, list[str]] = field(default_factory=dict)


def story_figures(
    cols: np.ndarray, weights: np.ndarray, words: Sequence[str], day: np.ndarray, types: np.ndarray,
    outlet_names: np.ndarray, outlet_code: np.ndarray, rate: np.ndarray, grouping: Grouping, group_of: np.ndarray,
    categories: Sequence[tuple[str, str]], plain: pd.DataFrame | None, settings: StorySettings, *, by_outlet: bool,
) -> StoryFigures:
    """Stories from the story vectors (``cols``, ``weights``) and days, and their tables; all arrays in id order.

    ``plain``: comparisons.csv, whose pairs (and their orientation) the
    within-story table follows; ``by_outlet``: whether outlets nest in the
    groups, as for the plain comparison.
    """
    found = find_stories(cols, weights, len(words), day, threshold=settings.threshold, window=settings.window)
    order = list(grouping.order)
    names = np.asarray([*order, ""], dtype=object)[group_of]
    table = story_table(found, cols, weights, words, day, types, outlet_names, names, order, SOURCE_TYPES, day_text)
    coverage = coverage_table(found, group_of, order)
    present = [g for g in order if (names == g).any()]
    coverage = coverage[coverage["group"].isin(present)].reset_index(drop=True)
    compared = _compared_groups(plain, present)
    position = {g: i for i, g in enumerate(compared)}
    recode = np.asarray([position.get(g, -1) for g in order] + [-1], dtype=np.int64)
    within = within_story_table(rate, found.story, recode[group_of], outlet_code, compared, categories, plain,
                                by_outlet=by_outlet, groups_are_outlets=grouping.column == "outlet")
    return StoryFigures(found, table, coverage, within, _notes(found, table, within, day, settings))


def _compared_groups(plain: pd.DataFrame | None, present: list[str]) -> list[str]:
    """The groups in the order the plain comparison pairs them (``group_a`` before ``group_b``)."""
    if plain is None or not len(plain):
        return present
    seen: dict[str, None] = {}
    for a, b in zip(plain["group_a"].astype(str), plain["group_b"].astype(str)):
        seen.setdefault(a)
        seen.setdefault(b)
    return list(seen)


def _notes(found: Stories, table: pd.DataFrame, within: pd.DataFrame, day: np.ndarray,
           settings: StorySettings) -> dict[str, list[str]]:
    """What the stories cannot support: undated articles, no shared stories, few stories to pool."""
    n = len(day)
    undated = int((day == NO_DAY).sum())
    said = list(found.notes)
    multi = int(table["n_articles"].sum()) if len(table) else 0
    alone = n - multi
    said.append(
        f"{plural(n, 'article')} in {plural(found.count, 'story', 'stories')}: {multi:,} in "
        f"{plural(len(table), 'story', 'stories')} of two or more articles, {alone:,} alone. Linked "
        f"at a cosine of {settings.threshold:g} within {plural(settings.window, 'day')}; the grouping is automatic "
        "and unvalidated on this corpus (BASIL's figures: docs/validation.md)"
    )
    if undated and undated < n and not found.notes:
        said.append(f"{plural(undated, 'article')} {'has' if undated == 1 else 'have'} no date to the day (none, "
                    "one that cannot be read, or only a month or a year): each is compared with the other undated "
                    "articles only")
    notes = {"stories.csv": said}
    if len(within):
        thin = within.drop_duplicates(subset=["group_a", "group_b"])
        few = thin[thin["n_stories"] < MIN_SHARED_STORIES]
        if len(few):
            notes["within_story.csv"] = [(
                f"{plural(len(few), 'pair')} of groups share fewer than {MIN_SHARED_STORIES} stories: described, "
                "not tested"
            )]
    return notes
