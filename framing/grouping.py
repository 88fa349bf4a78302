"""What the comparisons compare: groups of articles by one column, and the dates they carry.

Every comparison framing makes (summary.csv, comparisons.csv, terms.csv,
labels.csv, the charts, the page) is between the groups of one column:
``source_type`` by default, or any column of the manifest or the records
(``--group-by outlet``, ``--group-by mbfc``). Two records live here:

* ``ArticleColumns``: how each article gets its group value and its date
  string, read either from the article itself (its ``outlet``,
  ``source_type``, ``title``, ``date`` or ``url``) or from a column the edge
  read beside the articles (``framing.corpus.labels.read_labels``), by id.
  Picklable: a Dask worker codes its partition's articles with it.
* ``Grouping``: the groups of a run for people: their order, labels and
  colours, from the values themselves, or from a groups file
  (``framing.corpus.groups``). ``source_type`` keeps its four fixed values,
  their order and colours, so a run without ``--group-by`` is what it was.

Values of another column are taken as they are, cleaned (spaces trimmed and
collapsed); an article without one is in the group ``NO_VALUE``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .defaults import STORY_THRESHOLD, STORY_WINDOW
from .errors import InputError
from .types import SOURCE_TYPES, TYPE_LABELS, Article

if TYPE_CHECKING:  # annotations only: pandas is not imported by this module
    import pandas as pd

__all__ = [
    "ARTICLE_FIELDS",
    "DEFAULT_GROUP_BY",
    "NO_VALUE",
    "ArticleColumns",
    "Comparing",
    "Grouping",
    "StorySettings",
    "clean_value",
    "current_grouping",
    "grouped",
    "renamed",
    "story_settings",
    "table_column",
]

DEFAULT_GROUP_BY = "source_type"
ARTICLE_FIELDS = ("outlet", "source_type", "title", "date", "url")  # what an ``Article`` carries of its row
NO_VALUE = "(none)"  # the group of an article with no value in the column: parenthesised, so no real value is taken
_SPACES = re.compile(r"\s+")


def clean_value(value: object) -> str:
    """A cell as a group value: text with its spaces trimmed and collapsed (``NO_VALUE`` when empty)."""
    text = _SPACES.sub(" ", "" if value is None else str(value)).strip()
    return text or NO_VALUE


@dataclass(frozen=True)
class ArticleColumns:
    """Where each article's group value and date string come from (see the module docstring).

    ``group_values`` / ``date_values``: the column's values by article id,
    when the column is not one of ``ARTICLE_FIELDS``. ``dated``: whether the
    run reads dates at all (``--by-period``, ``--split-date``); a run that
    does not neither parses nor warns about them.
    """

    group_by: str = DEFAULT_GROUP_BY
    group_values: Mapping[str, str] | None = None
    date_column: str = "date"
    date_values: Mapping[str, str] | None = None
    dated: bool = False

    @property
    def by_type(self) -> bool:
        """Whether the groups are the source types (the default, with their fixed codes)."""
        return self.group_by == DEFAULT_GROUP_BY

    def group(self, a: Article) -> str:
        """The article's group value, cleaned."""
        if self.group_values is not None:
            return clean_value(self.group_values.get(a.id))
        return clean_value(getattr(a, self.group_by))

    def date(self, a: Article) -> str:
        """The article's date as written (``""``: none)."""
        if self.date_values is not None:
            return self.date_values.get(a.id, "")
        return a.date


@dataclass(frozen=True)
class StorySettings:
    """How articles are grouped into stories (``--stories auto``): the cosine that links two, the date window in days."""

    threshold: float = STORY_THRESHOLD
    window: int = STORY_WINDOW


def story_settings(stories: str, threshold: float, window: int) -> StorySettings | None:
    """The run's story settings from ``analyze``'s arguments (``None``: ``stories="off"``).

    Raises ``InputError`` for a mode other than ``auto`` or ``off``, a
    threshold outside (0, 1] or a window below 0 days.
    """
    if stories not in ("auto", "off"):
        raise InputError(f"stories must be 'auto' or 'off', got {stories!r}", argument="stories")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise InputError(f"story_threshold must be a number above 0 and at most 1, got {threshold!r}",
                         argument="story_threshold")
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise InputError(f"story_window must be a whole number of days, 0 or more, got {window!r}",
                         argument="story_window")
    return StorySettings(float(threshold), window) if stories == "auto" else None


@dataclass(frozen=True)
class Comparing:
    """What a run compares: the columns (``ArticleColumns``), a groups file's order, labels and colours,
    the period of the timeline (``--by-period``) and the date to split at (``--split-date``, YYYY-MM-DD)."""

    columns: ArticleColumns = field(default_factory=ArticleColumns)
    order: tuple[str, ...] = ()
    labels: Mapping[str, str] | None = None
    colors: Mapping[str, str] | None = None
    period: str | None = None
    split_date: str | None = None
    stories: StorySettings | None = None  # None: no stories (--stories off)


@dataclass(frozen=True)
class Grouping:
    """The groups of a run for people: the column, the groups in display order, their labels and colours.

    ``order`` holds every group of the run. ``labels`` and ``colors`` may
    name some of them only (a groups file's); the rest are shown as their
    value, in colours the report picks by position (``framing.report.legend.group_colors``).
    """

    column: str = DEFAULT_GROUP_BY
    order: tuple[str, ...] = SOURCE_TYPES
    labels: Mapping[str, str] = field(default_factory=lambda: dict(TYPE_LABELS))
    colors: Mapping[str, str] = field(default_factory=dict)

    @property
    def by_type(self) -> bool:
        """Whether the groups are the source types."""
        return self.column == DEFAULT_GROUP_BY

    @property
    def title(self) -> str:
        """What the grouping is called on a chart or the page: ``"Source type"``, ``"Outlet"``, ``"mbfc"``."""
        if self.column in ARTICLE_FIELDS:
            return self.column.replace("_", " ").capitalize()
        return self.column

    def words(self, many: bool = False) -> str:
        """What a group is called in a sentence: "source type(s)", "outlet(s)", "group(s) of mbfc"."""
        if self.column in ARTICLE_FIELDS:
            word = self.column.replace("_", " ")
            return word + "s" if many else word
        return f"{'groups' if many else 'group'} of {self.column}"

    def label(self, value: object) -> str:
        """A group for people: its label, else its value."""
        v = "" if value is None else str(value)
        return self.labels.get(v, v)

    def key(self, value: object) -> tuple[int, str]:
        """Sort key: the position in ``order``, then any other value by name."""
        v = str(value)
        try:
            return (self.order.index(v), "")
        except ValueError:
            return (len(self.order), v)

    def sorted(self, values: Iterable[object]) -> list[str]:
        """``values`` (as text) in display order, each once."""
        return sorted({str(v) for v in values}, key=self.key)

    @classmethod
    def of(
        cls, column: str, present: Iterable[str], *, order: Iterable[str] = (), labels: Mapping[str, str] | None = None,
        colors: Mapping[str, str] | None = None,
    ) -> Grouping:
        """The grouping of a run whose articles have the values ``present``.

        Source types keep their fixed order and labels. Another column's
        values come in the given ``order`` (a groups file's) first, then by
        name, ``NO_VALUE`` last; only values that are present are kept.
        """
        values = set(present)
        if column == DEFAULT_GROUP_BY:
            return cls(column, SOURCE_TYPES, {**TYPE_LABELS, **(labels or {})}, dict(colors or {}))
        first = [v for v in dict.fromkeys(order) if v in values]
        rest = sorted(values - set(first) - {NO_VALUE}, key=_natural)
        tail = [NO_VALUE] if NO_VALUE in values and NO_VALUE not in first else []
        return cls(column, (*first, *rest, *tail), dict(labels or {}), dict(colors or {}))


def _natural(value: str) -> tuple[str, str]:
    """Case-insensitive order, ties by the exact text (so the order never depends on the input's)."""
    return (value.casefold(), value)


# The grouping that the report's group charts and sections speak of while they are drawn: the source types
# (``None``) unless ``grouped`` says otherwise. A context, as matplotlib's rc_context is, so that the many small
# functions that word a chart or a sentence need no grouping argument; the charts and sections about source
# types themselves (style scores, an article's predicted type) are drawn outside it.
_SPOKEN: ContextVar[Grouping | None] = ContextVar("grouping", default=None)


@contextmanager
def grouped(grouping: Grouping | None) -> Iterator[None]:
    """Within the block, ``current_grouping()`` is ``grouping`` (``None`` for the source types)."""
    token = _SPOKEN.set(grouping if grouping is not None and not grouping.by_type else None)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def current_grouping() -> Grouping | None:
    """The grouping set by the innermost ``grouped`` block; ``None``: the source types."""
    return _SPOKEN.get()


def table_column(grouping_column: str, taken: Iterable[str]) -> str:
    """The name of a table's group column: the grouping's, or ``group_<name>`` when the table has that column already."""
    return f"group_{grouping_column}" if grouping_column in set(taken) else grouping_column


def renamed(table: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    """``table`` with its column ``old`` called ``new`` (a new frame; the same one when the names agree)."""
    if old == new or old not in table.columns:
        return table
    return table.set_axis([new if c == old else c for c in table.columns], axis=1)

