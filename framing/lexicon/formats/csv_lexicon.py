"""CSV lexicons: framing's own, and the long and wide layouts researchers bring.

* **long**: one row per term and category. framing's own CSV is one
  (``category,term[,weight][,kind]``); so are files such as ``word,category``
  or ``Word,Sentiment,Score``. The columns are found by their names
  (``TERM_NAMES``, ``CATEGORY_NAMES``, ``WEIGHT_NAMES``, case-insensitive),
  or named with ``CsvColumns``.
* **wide**: one row per term and one column per category, such as the
  Loughran-McDonald master dictionary (a cell holds the year a word was
  added, ``0`` when it is not a member, a negative year when it was removed)
  or the General Inquirer spreadsheet (a cell holds the category's name, or
  nothing). Never guessed: ``CsvColumns(layout="wide")`` says so.

A header that names no term and category column is an error that says which
options to give: reading a file the wrong way would count the wrong words
without a sound.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from ...errors import InputError
from ..model import Category, Collector
from .common import csv_rows, shown
from .flat import Draft, Drafts, draft_for, finish_drafts, path_of

__all__ = ["CATEGORY_NAMES", "CSV_LAYOUTS", "TERM_NAMES", "WEIGHT_NAMES", "CsvColumns", "read_csv"]

TERM_NAMES = ("term", "word", "entry", "token", "pattern")
CATEGORY_NAMES = ("category", "categories", "class", "label", "emotion", "sentiment")
WEIGHT_NAMES = ("weight", "score", "value")
CSV_LAYOUTS = ("long", "wide")

_CSV_KINDS = ("term", "exclude")
_CSV_HEADER = "a CSV lexicon starts with a header with columns category,term[,weight][,kind]"
_NOT_MEMBER = ("0", "false", "no")  # besides an empty cell (and, unless weights come from cells, a number <= 0)
# A General Inquirer sense: "ABOUT#1", "ABOUT#2". Something must precede the "#", so "#2024" stays a term.
_SENSE = re.compile(r"^(.+?)#\d+$")
_Rows = Iterator[tuple[int, list[str]]]  # (line, cells) after the header, from common.csv_rows
_HEADER_SHOWN = 200  # characters of a header quoted in a message: enough to see a wide file's columns


@dataclass(frozen=True)
class CsvColumns:
    """How to read a CSV lexicon that is not laid out as framing writes it; every field optional.

    ``layout``: ``"long"`` (one row per term and category) or ``"wide"`` (one
    row per term, one column per category); ``None`` takes ``"wide"`` when
    ``categories`` or ``weights_from_cells`` is given, ``"long"`` when
    ``category`` or ``weight`` is, and otherwise reads the header: long when
    it names a term and a category column, an error when not.

    ``term``, ``category``, ``weight``: the header names of those columns
    (long; ``term`` also in wide, whose default is the first column named like
    a term, else the first column). ``categories``: the category columns of a
    wide file (default: every other named column, so a file with other
    columns, such as Loughran-McDonald's ``Seq_num`` or the General
    Inquirer's ``Source``, needs it, or ``skip``). ``skip`` (wide): the
    columns that are not categories, when naming them is shorter than naming
    the categories (the General Inquirer's ``Source``, ``Othtags``,
    ``Defined`` beside 182 categories). ``weights_from_cells`` (wide): a member's
    cell is its weight (signed), instead of weight 1.

    A column is found by its name as written, else case-insensitively.
    ``InputError`` (with ``argument="csv_columns"``) for options that
    contradict each other; messages name a field as ``csv_columns.<field>``.
    """

    layout: Literal["long", "wide"] | None = None
    term: str | None = None
    category: str | None = None
    weight: str | None = None
    categories: tuple[str, ...] | None = None
    weights_from_cells: bool = False
    skip: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        def fail(message: str) -> InputError:
            return InputError(message, argument="csv_columns")

        if self.layout not in (None, *CSV_LAYOUTS):
            raise fail(f"csv_columns.layout must be one of {', '.join(CSV_LAYOUTS)}, got {self.layout!r}")
        for name in ("term", "category", "weight"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise fail(f"csv_columns.{name} must be a column name, got {value!r}")
        for field_name in ("categories", "skip"):
            given = getattr(self, field_name)
            if given is None:
                continue
            if isinstance(given, str) or not isinstance(given, Sequence):
                raise fail(f"csv_columns.{field_name} must be a sequence of column names, got {given!r}")
            names = tuple(given)
            if not names or not all(isinstance(n, str) and n.strip() for n in names):
                raise fail(f"csv_columns.{field_name} must name at least one column, and no empty one, got {names!r}")
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise fail(f"csv_columns.{field_name} names {', '.join(twice)} more than once")
            object.__setattr__(self, field_name, names)  # a list given is kept as a tuple: the object is frozen
        if self.categories is not None and self.skip is not None:
            raise fail("csv_columns.skip cannot go with csv_columns.categories: name the categories, or the "
                       "columns that are not categories")
        wide_only = [n for n in ("categories", "weights_from_cells", "skip") if getattr(self, n)]
        long_only = [n for n in ("category", "weight") if getattr(self, n) is not None]
        if wide_only and (self.layout == "long" or long_only):
            other = "csv_columns.layout=long" if self.layout == "long" else f"csv_columns.{long_only[0]}"
            raise fail(f"csv_columns.{wide_only[0]} is for csv_columns.layout=wide; it cannot go with {other}")
        if long_only and self.layout == "wide":
            raise fail(f"csv_columns.{long_only[0]} is for csv_columns.layout=long (a wide file has one column "
                       "per category: csv_columns.categories names them)")

    @property
    def chosen_layout(self) -> Literal["long", "wide"] | None:
        """The layout the options imply (see the class docstring); ``None``: read the header."""
        if self.layout is not None:
            return self.layout
        if self.categories or self.weights_from_cells or self.skip:
            return "wide"
        if self.category is not None or self.weight is not None:
            return "long"
        return None


def read_csv(
    text: str, col: Collector, columns: CsvColumns | None = None
) -> tuple[dict[str, str], list[Category]]:
    """The categories of a CSV lexicon (which has no metadata), read as ``columns`` says (see ``CsvColumns``)."""
    columns = columns or CsvColumns()
    if not text.strip():
        col.error(1, f"the file is empty: {_CSV_HEADER}")
        return {}, []
    rows = csv_rows(text, col)
    hline, header = next(rows, (1, None))
    names = [h.strip() for h in header or []]
    if not any(names):
        col.error(hline, f"{_CSV_HEADER}; the first line is empty")
        return {}, []
    if columns.chosen_layout == "wide":
        return {}, _read_wide(rows, col, columns, names, hline)
    return {}, _read_long(rows, col, columns, names, hline)


# ------------------------------------------------------------------ columns


def _header_text(names: list[str]) -> str:
    return shown(",".join(names), _HEADER_SHOWN)


def _named(col: Collector, names: list[str], wanted: str, option: str, line: int) -> int | None:
    """The index of the column named ``wanted`` (as written, else case-insensitively); an error when none or two."""
    if wanted.strip() in names:
        return names.index(wanted.strip())
    found = [i for i, n in enumerate(names) if n.lower() == wanted.strip().lower()]
    if len(found) == 1:
        return found[0]
    what = "no column" if not found else "two columns"
    col.error(line, f"csv_columns.{option}={wanted}: the header has {what} of that name; "
              f"the header is {_header_text(names)}")
    return None


def _detected(col: Collector, names: list[str], known: tuple[str, ...], option: str, line: int) -> int | None:
    """The one column whose name is in ``known``; ``None`` when none is, an error (and ``-1``) when several are."""
    found = [i for i, n in enumerate(names) if n.lower() in known]
    if len(found) > 1:
        both = " and ".join(names[i] for i in found[:2])
        col.error(line, f"the header has two {option} columns, {both}: name the one to read with "
                  f"csv_columns.{option}=COLUMN")
        return -1
    return found[0] if found else None


def _ignored(names: list[str], used: set[int]) -> list[str]:
    return [n for i, n in enumerate(names) if i not in used and n]


# ------------------------------------------------------------------ long


def _read_long(rows: _Rows, col: Collector, columns: CsvColumns, names: list[str], hline: int) -> list[Category]:
    """One row per term and category: framing's own CSV and the like."""
    lowered = [n.lower() for n in names]

    def index(option: str, known: tuple[str, ...]) -> int | None:
        wanted = getattr(columns, option)
        if wanted is not None:
            return _named(col, names, wanted, option, hline)
        return _detected(col, names, known, option, hline)

    n_errors = sum(pr.severity == "error" for pr in col.problems)
    ti, ci, wi = index("term", TERM_NAMES), index("category", CATEGORY_NAMES), index("weight", WEIGHT_NAMES)
    if sum(pr.severity == "error" for pr in col.problems) > n_errors:
        return []
    if ti is None or ci is None:
        if columns.chosen_layout is None and columns.term is None:  # nothing named: say every way out
            col.error(hline, f"cannot tell which columns hold the terms and the categories from the header "
                      f"{_header_text(names)}: a long CSV lexicon (one row per term and category) names them "
                      f"term (or {', '.join(TERM_NAMES[1:])}) and category (or {', '.join(CATEGORY_NAMES[1:])}); "
                      "name them with csv_columns.term=COLUMN and csv_columns.category=COLUMN, or give "
                      "csv_columns.layout=wide for a file with one column per category")
        else:
            missing = "term" if ti is None else "category"
            wide = ", or give csv_columns.layout=wide for a file with one column per category"
            col.error(hline, f"no {missing} column in the header {_header_text(names)}: name it with "
                      f"csv_columns.{missing}=COLUMN" + (wide if columns.chosen_layout is None else ""))
        return []
    if ti == ci:
        col.error(hline, f"the terms and the categories cannot both be column {names[ti]}")
        return []
    ki = lowered.index("kind") if "kind" in lowered else None
    named = columns.term is not None or columns.category is not None
    unread = _ignored(names, {i for i in (ti, ci, wi, ki) if i is not None})
    if unread and not named:  # a column read by its name: say what was left out, in case it mattered
        col.warn(hline, f"column{'s' if len(unread) > 1 else ''} {', '.join(unread)} not read: terms from "
                 f"{names[ti]}, categories from {names[ci]}" + (f", weights from {names[wi]}" if wi is not None else
                                                                 ", every weight 1"), kind="csv-unread-columns")
    senses = _Senses()
    drafts = Drafts(col)
    n_rows = 0
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        n_rows += 1
        if len(row) <= max(ci, ti):
            col.error(line, f"row has {len(row)} cell{'' if len(row) == 1 else 's'}; the term is in column "
                      f"{ti + 1} ({names[ti]}) and the category in column {ci + 1} ({names[ci]})")
            continue
        if not path_of(row[ci])[0]:
            col.error(line, f"category {row[ci]!r} has no letters or digits")
            continue
        kind = row[ki].strip().lower() if ki is not None and ki < len(row) else ""
        if kind and kind not in _CSV_KINDS:
            col.error(line, f"kind {row[ki]!r} is not one of {', '.join(_CSV_KINDS)} (empty means term)")
            continue
        weight = row[wi] if wi is not None and wi < len(row) else None
        draft = draft_for(drafts, row[ci], line, label_as_written=False)
        path = draft.id  # "Econ@" and "ECON" are econ and econ_2: each its own category from here on
        text = senses.term(row[ti], line)
        if kind == "exclude":
            if weight is not None and weight.strip():
                col.warn(line, f'weight of exclusion "{row[ti]}" in {path} is ignored: exclusions do not count',
                         kind="weighted-exclusion")
            term = col.term(text, None, line, path)
            if term is not None:
                draft.exclude.append(term)
            continue
        if senses.repeated(path, text, row[ti]):
            continue
        term = col.term(text, weight, line, path)
        if term is not None:
            draft.terms.append(term)
    if not n_rows:
        col.error(hline, "the file has a header but no terms: a CSV lexicon has one row per term after its header")
    senses.report(col)
    return finish_drafts(col, list(drafts.values()), rolled_up=False)


# ------------------------------------------------------------------ wide


def _is_member(cell: str, *, signed: bool) -> bool:
    """Whether a category cell makes its row's term a member.

    A text other than ``0``/``false``/``no`` is a member (the General
    Inquirer writes the category's name); a number is one when above 0
    (Loughran-McDonald writes the year a word was added, and minus the year
    it was removed), or, when the cell is the weight (``signed``), when not 0.
    """
    text = cell.strip()
    if not text or text.lower() in _NOT_MEMBER:
        return False
    try:
        number = float(text)
    except ValueError:
        return True
    if math.isnan(number):
        return signed  # a weight "nan" is reported as a bad weight; as a mark, it marks nothing
    return number != 0 if signed else number > 0


def _read_wide(rows: _Rows, col: Collector, columns: CsvColumns, names: list[str], hline: int) -> list[Category]:
    """One row per term, one column per category."""
    if columns.term is not None:
        ti = _named(col, names, columns.term, "term", hline)
    else:
        found = [i for i, n in enumerate(names) if n.lower() in TERM_NAMES]
        ti = found[0] if found else 0
    if ti is None:
        return []
    if columns.categories is not None:
        picked = [_named(col, names, c, "categories", hline) for c in columns.categories]
        if any(i is None for i in picked):
            return []
        cat_idx = [i for i in picked if i is not None]
        if ti in cat_idx:
            col.error(hline, f"column {names[ti]} holds the terms; it cannot also be a category")
            return []
    else:
        skipped = [_named(col, names, c, "skip", hline) for c in columns.skip or ()]
        if any(i is None for i in skipped):
            return []
        cat_idx = [i for i, n in enumerate(names) if i != ti and n and i not in skipped]
    if not cat_idx:
        col.error(hline, f"the header {_header_text(names)} has no category column besides the terms' "
                  f"({names[ti] or 'column 1'}): a wide CSV lexicon has one column per category")
        return []
    drafts = Drafts(col)  # "Econ@" and "ECON" (General Inquirer) both make the id econ: Drafts keeps them apart
    by_column: list[tuple[int, Draft]] = []
    for i in cat_idx:
        name = names[i]
        path, _ = path_of(name)
        if not path:
            col.error(hline, f"category column {name!r} has no letters or digits in its name")
            continue
        by_column.append((i, draft_for(drafts, name, hline, label_as_written=True)))
    if len(by_column) < len(cat_idx):
        return []
    signed = columns.weights_from_cells
    senses = _Senses()
    n_rows = 0
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        n_rows += 1
        written = row[ti] if ti < len(row) else ""
        members = [(i, d) for i, d in by_column if i < len(row) and _is_member(row[i], signed=signed)]
        if not written.strip():
            if members:
                col.error(line, f"row has no term in column {ti + 1} ({names[ti]}), but is marked in "
                          f"{members[0][1].id}")
            continue
        text = senses.term(written, line)
        for i, draft in members:
            if senses.repeated(draft.id, text, written):
                continue
            term = col.term(text, row[i] if signed else None, line, draft.id)
            if term is not None:
                draft.terms.append(term)
    if not n_rows:
        col.error(hline, "the file has a header but no terms: a wide CSV lexicon has one row per term after its "
                  "header")
    senses.report(col)
    return finish_drafts(col, list(drafts.values()), rolled_up=False)


# ------------------------------------------------------------------ General Inquirer senses


class _Senses:
    """Sense markers (``ABOUT#1``) removed from terms, their repeats in a category dropped, and one warning."""

    def __init__(self) -> None:
        self.first: tuple[int, str] | None = None
        self.marked = 0
        self.dropped = 0
        self._seen: dict[tuple[str, str], bool] = {}  # (category, term) -> whether it carried a marker

    def term(self, written: str, line: int) -> str:
        """``written`` without its sense marker."""
        m = _SENSE.match(written.strip())
        if not m:
            return written
        self.marked += 1
        if self.first is None:
            self.first = (line, written.strip())
        return m.group(1)

    def repeated(self, category: str, text: str, written: str) -> bool:
        """Whether ``text`` is a second sense of a term ``category`` has (counted once, so it is dropped).

        A term repeated without markers is left to ``finish_category``, which warns about it.
        """
        marked = text != written
        key = (category, text.strip().lower())
        if key in self._seen and (marked or self._seen[key]):
            self.dropped += 1
            return True
        self._seen.setdefault(key, marked)
        return False

    def report(self, col: Collector) -> None:
        """One warning for the whole file: the General Inquirer marks thousands of senses."""
        if self.first is None:
            return
        line, example = self.first
        repeats = f"; {self.dropped:,} repeated senses of a term in one category counted once" if self.dropped else ""
        col.warn(line, f'{self.marked:,} terms carry a sense marker such as "{example}" (#1, #2 ...: the senses of a '
                 f"word in the General Inquirer); the markers are removed, since a text does not mark senses"
                 f"{repeats}", kind="csv-sense-marker")
