"""Publication dates read from corpus cells, and the periods (week, month, quarter, year) they fall in.

The analysis groups articles by date period. Dates arrive as manifest and
record cells written by many publishers and scrapers, so ``parse_date`` reads
the forms seen in real corpora and refuses, with ``None``, whatever it cannot
read without guessing; the caller warns and keeps the article without a date.

A date is a *day number*: days since 1970-01-01 in the proleptic Gregorian
calendar (``date.toordinal() - date(1970, 1, 1).toordinal()``), an ``int`` that
numpy holds in an int64 column. ``NO_DAY`` marks an article without a date.

``parse_date`` tries a few compiled regexes in a fixed order; each match is
blanked out of the text before the next, coarser, pattern runs, so that the
``Sep 2022`` inside ``10 Sep 2022`` is not read a second time:

1. ``YYYY-MM-DD`` (also ``/`` or ``.`` between the parts, year first), with or
   without a time and zone after it;
2. ``YYYYMMDD`` (compact ISO, exactly 8 digits);
3. day, month name, year: ``10 Sep 2022``, ``10-Mar-2022``, ``Sat, 10 Sep 2022 14:03:00 +0000``;
4. month name, day, year: ``Sep 10, 2022``, ``Sept. 10, 2022``, ``September 10, 2022``;
5. an all-numeric day and month (``03/04/2022``, ``3.4.2022``): refused, see below;
6. month name and year: ``September 2022`` (precision ``"month"``);
7. ``YYYY-MM`` or ``YYYY/MM`` (precision ``"month"``);
8. only when nothing above matched and the cell is a year and nothing else
   (after an optional ``Label:``): ``2022`` (precision ``"year"``).

The cell is refused (``None``) when any match is not a real date
(``2022-02-30``, ``Feb 30, 2022``, a year outside ``MIN_YEAR``..``MAX_YEAR``),
when it holds two different dates, or when it holds an all-numeric day and
month. ``03/04/2022`` is the 4th of March in the US and the 3rd of April in
Europe, and nothing in the cell tells which. Even ``13/04/2022``, which only
one order can read, is refused: reading those and refusing the rest would date
only the articles published after the 12th of each month in such a column,
which biases every period's figures, where refusing them all leaves one warning
about the whole column.

A cell that gives a publication date and then a later one (``Published: Mar
27, 2022 09:56 PM Updated: Mar 28, 2022``, as Global Times pages do) is read
up to the word ``updated``, ``modified`` or ``edited``: the article's date is
when it was published.

A time zone is ignored and the date is taken as written:
``2022-09-10T23:30:00+05:00`` is the 10th, although it is the 10th at 18:30 in
UTC. The date a publisher writes is the date its readers saw on the article,
the day it belongs to in that outlet's news cycle; converting to UTC would move
late-evening stories of eastern outlets to the next day, and cells without a
zone could not be converted anyway.

Periods: ``period_keys`` maps day numbers to integer keys, vectorised, with
consecutive keys for consecutive periods, so a caller fills the gaps of a time
series with ``range(first, last + 1)``; ``period_label`` and ``period_start``
turn a key back into ``2022-W36`` / ``2022-09`` / ``2022-Q3`` / ``2022`` and
its first day. Weeks are ISO weeks (Monday first, labelled with the ISO
week-numbering year, so 2020-12-31 is in ``2020-W53`` and 2021-01-01 too).

Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Literal

import numpy as np

from .errors import InputError

__all__ = [
    "MAX_YEAR", "MIN_YEAR", "NO_DAY", "NO_PERIOD", "PERIODS", "PRECISIONS", "Period", "Precision", "check_times",
    "day_text", "fits",
    "last_days", "parse_date", "parse_split_date", "period_keys", "period_label", "period_start",
]

Period = Literal["week", "month", "quarter", "year"]
Precision = Literal["day", "month", "year"]
PERIODS: tuple[Period, ...] = ("week", "month", "quarter", "year")
PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")  # a precision's code is its index here

NO_DAY = int(np.iinfo(np.int64).min)  # the day number of an article without a date
NO_PERIOD = int(np.iinfo(np.int64).min)  # the period key of an article without a date (or too coarse a one)

# News archives reach back centuries at most; a year outside this range is a misread number (an id, a count).
MIN_YEAR = 1000
MAX_YEAR = 2999

EPOCH = date(1970, 1, 1).toordinal()  # day number 0

# The coarsest precision code (index in PRECISIONS) that still lies inside one period: a month-only
# date is inside one quarter but not one week; a year-only date is only inside a year.
_COARSEST_FIT = {"week": 0, "month": 1, "quarter": 1, "year": 2}

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# English month names, full, 3-letter, and "sept"; not inside a longer word ("mars", "decided").
_MONTH = (r"(?<![a-z])(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_YEAR = r"(\d{4})(?!\d)"
_DAY = r"(\d{1,2})(?!\d)(?:st|nd|rd|th)?"

# re.ASCII throughout: \d is 0-9 only, so Arabic-Indic or full-width digits are not half-read.
_FLAGS = re.ASCII

# The common case, a whole cell of ISO date (and time): answered without the general scan.
_ISO_CELL = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2})?)?\s*", _FLAGS)

# (pattern, what it reads) in the order tried; groups are read by _reading.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)", _FLAGS), "ymd"),
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)", _FLAGS), "compact"),
    (re.compile(rf"(?<!\d){_DAY}(?:\s+of)?[\s\-./]*{_MONTH}[\s\-.,/]*{_YEAR}", _FLAGS), "dmy"),
    (re.compile(rf"{_MONTH}\s*{_DAY},?\s*{_YEAR}", _FLAGS), "mdy"),
    # Day and month both in digits, either order: unreadable (see the module docstring).
    (re.compile(r"(?<!\d)\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?!\d)", _FLAGS), "ambiguous"),
    (re.compile(rf"{_MONTH},?[\s\-/]*{_YEAR}", _FLAGS), "my"),
    (re.compile(r"(?<![\d/.\-])(\d{4})[-/](\d{2})(?![\d/.\-])", _FLAGS), "ym"),
)
_YEAR_CELL = re.compile(r"\s*(?:[a-z][a-z ]{0,30}:)?\s*\(?(\d{4})\)?\.?\s*", _FLAGS)

_INVALID = (NO_DAY, "")  # a match that is no real date: it makes the whole cell unreadable


def _day(year: int, month: int, day: int) -> int | None:
    """The day number of a real date in MIN_YEAR..MAX_YEAR, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day).toordinal() - EPOCH
    except ValueError:
        return None


def _reading(kind: str, groups: tuple[str, ...]) -> tuple[int, str]:
    """(day number, precision) of one match, or _INVALID."""
    if kind == "ymd":
        y, m, d, precision = groups[0], groups[2], groups[3], "day"
    elif kind == "compact":
        (y, m, d), precision = groups, "day"
    elif kind == "dmy":
        (d, m, y), precision = groups, "day"
    elif kind == "mdy":
        (m, d, y), precision = groups, "day"
    elif kind == "my":
        (m, y), d, precision = groups, "1", "month"
    elif kind == "ym":
        (y, m), d, precision = groups, "1", "month"
    else:  # "ambiguous"
        return _INVALID
    month = _MONTHS[m[:3]] if m[0].isalpha() else int(m)
    day = _day(int(y), month, int(d))
    return _INVALID if day is None else (day, precision)


# What a cell says after its publication date: a later date of the same article (an update), not a second reading.
_LATER = re.compile(r"\b(?:last\s+)?(?:updated|modified|edited)\b")


@lru_cache(maxsize=1 << 16)  # corpora repeat date strings; 64k short strings are a few MB
def parse_date(text: str) -> tuple[int, Precision] | None:
    """The calendar date written in ``text``, as ``(day number, precision)``, or None.

    Parameters
    ----------
    text : str
        A date cell as a corpus gives it: ``2022-09-10``, ``Sat, 10 Sep 2022 14:03:00 +0000``,
        ``Published: Mar 30, 2022 08:02 AM``, ``September 2022``, ``2022``...

    Returns
    -------
    (int, str) or None
        Days since 1970-01-01 and ``"day"``, ``"month"`` or ``"year"``; a month or a year is given by its
        first day. None when the cell holds no date that can be read without guessing (the rules are in
        the module docstring).

    Examples
    --------
    >>> parse_date("Sept. 10, 2022")
    (19245, 'day')
    >>> parse_date("September 2022")
    (19236, 'month')
    >>> parse_date("03/04/2022") is None
    True
    """
    low = text.lower()
    later = _LATER.search(low)
    if later is not None and later.start() > 0:  # "Published: ... Updated: ...": the publication date
        low = low[: later.start()]
    iso = _ISO_CELL.fullmatch(low)
    if iso is not None:
        day = _day(int(iso[1]), int(iso[2]), int(iso[3]))
        return None if day is None else (day, "day")
    readings: set[tuple[int, str]] = set()
    for pattern, kind in _PATTERNS:
        if pattern.search(low) is None:  # most patterns find nothing: skip the rebuild below
            continue
        parts, end = [], 0
        for match in pattern.finditer(low):
            readings.add(_reading(kind, match.groups()))
            # Blank the match out (same length, so positions and boundaries stay) for the coarser patterns.
            parts += [low[end : match.start()], " " * (match.end() - match.start())]
            end = match.end()
        low = "".join(parts) + low[end:]
    if not readings:
        year = _YEAR_CELL.fullmatch(low)
        day = None if year is None else _day(int(year[1]), 1, 1)
        return None if day is None else (day, "year")
    if len(readings) != 1 or _INVALID in readings:
        return None
    day, precision = readings.pop()
    return day, precision  # type: ignore[return-value]  # one of PRECISIONS by construction


def check_times(period: str | None, split_date: str | None) -> None:
    """Raise ``InputError`` for a ``period`` not in ``PERIODS`` or a ``split_date`` not ``YYYY-MM-DD`` (None: not asked)."""
    if period is not None:
        _check_period(period)
    if split_date is not None:
        parse_split_date(split_date)


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise InputError(f"period must be one of {', '.join(PERIODS)}, got {period!r}", argument="period")


def fits(precisions: np.ndarray, period: str) -> np.ndarray:
    """Whether each date, of precision code ``precisions`` (index in ``PRECISIONS``), lies inside one ``period``.

    A day fits every period; a month-only date fits a month, a quarter and a year, not a week; a year-only date
    fits only a year. Any other code (a negative one for "no date", say) fits nothing.
    """
    _check_period(period)
    codes = np.asarray(precisions)
    return (codes >= 0) & (codes <= _COARSEST_FIT[period])


def last_days(days: np.ndarray, precisions: np.ndarray) -> np.ndarray:
    """The last day each date may be: the day itself, the month's or the year's last day (``NO_DAY`` kept).

    A month-only or year-only date is its first day (``parse_date``); with its last day, a date can be
    placed before or after a split day when its whole month or year lies on one side.
    """
    days = np.asarray(days, dtype=np.int64)
    codes = np.asarray(precisions)
    dated = days != NO_DAY
    d = np.where(dated, days, 0).astype("datetime64[D]")
    month_end = ((d.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1).astype(np.int64)
    year_end = ((d.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1).astype(np.int64)
    last = np.where(codes == 1, month_end, np.where(codes == 2, year_end, days))
    return np.where(dated, last, NO_DAY)


def period_keys(days: np.ndarray, precision_ok: np.ndarray | None, period: str) -> np.ndarray:
    """The key (int64) of the ``period`` that contains each day number; ``NO_PERIOD`` for none.

    Keys of consecutive periods are consecutive integers. ``week``: ``(day + 3) // 7`` (1970-01-01 was a
    Thursday, so a key changes on Mondays, and its Monday is ``7 * key - 3``); ``month``:
    ``year * 12 + month - 1``; ``quarter``: ``year * 4 + quarter - 1``; ``year``: the year.

    Parameters
    ----------
    days : numpy.ndarray
        Day numbers; ``NO_DAY`` for an article without a date.
    precision_ok : numpy.ndarray or None
        ``fits(precisions, period)``: False where the date is too coarse for the period (a year-only date
        has no month); None when every date is precise enough.
    period : str
        One of ``PERIODS``.
    """
    _check_period(period)
    days = np.asarray(days, dtype=np.int64)
    valid = days != NO_DAY
    if precision_ok is not None:
        valid &= np.asarray(precision_ok, dtype=bool)
    safe = np.where(valid, days, 0)  # NO_DAY would be NaT as a datetime64
    if period == "week":
        keys = np.floor_divide(safe + 3, 7)  # floor, so days before 1970 fall in the right week too
    else:
        months = safe.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) + 1970 * 12
        keys = {"month": months, "quarter": months // 3, "year": months // 12}[period]
    return np.where(valid, keys, np.int64(NO_PERIOD)).astype(np.int64)


def period_start(key: int, period: str) -> int:
    """The day number of the first day of the period ``key`` (a key of ``period_keys``)."""
    _check_period(period)
    key = int(key)
    if period == "week":
        return 7 * key - 3
    if period == "month":
        first = date(key // 12, key % 12 + 1, 1)
    elif period == "quarter":
        first = date(key // 4, key % 4 * 3 + 1, 1)
    else:
        first = date(key, 1, 1)
    return first.toordinal() - EPOCH


def period_label(key: int, period: str) -> str:
    """The period ``key`` as people write it: ``2022-W36``, ``2022-09``, ``2022-Q3`` or ``2022``."""
    _check_period(period)
    key = int(key)
    if period == "week":
        iso = date.fromordinal(EPOCH + 7 * key - 3).isocalendar()  # of the Monday: its ISO year, not its calendar year
        return f"{iso[0]}-W{iso[1]:02d}"
    if period == "month":
        return f"{key // 12}-{key % 12 + 1:02d}"
    if period == "quarter":
        return f"{key // 4}-Q{key % 4 + 1}"
    return str(key)


def day_text(day: int) -> str:
    """The day number ``day`` as ``YYYY-MM-DD``."""
    return date.fromordinal(EPOCH + int(day)).isoformat()


_SPLIT_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", _FLAGS)


def parse_split_date(text: str) -> int:
    """The day number of ``--split-date``, which must be a real date written ``YYYY-MM-DD``.

    Strict where ``parse_date`` is lenient: a user types this one, and a typo should stop the run, not move
    the split.

    Raises
    ------
    framing.errors.InputError
        When ``text`` is anything else (``argument="split_date"``).
    """
    match = _SPLIT_DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match[1]), int(match[2]), int(match[3])).toordinal() - EPOCH
    except ValueError:
        raise InputError(f"split_date must be a date as YYYY-MM-DD, got {text!r}", argument="split_date") from None
