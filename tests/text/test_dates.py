"""Dates read from corpus cells, and the periods they fall in (framing.dates).

Expected dates are computed here with ``datetime.date``, never with the module under test.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from framing.dates import (
    NO_DAY,
    NO_PERIOD,
    PERIODS,
    PRECISIONS,
    day_text,
    fits,
    last_days,
    parse_date,
    parse_split_date,
    period_keys,
    period_label,
    period_start,
)
from framing.errors import InputError


def number(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a date, by datetime alone."""
    return date(y, m, d).toordinal() - date(1970, 1, 1).toordinal()


ACCEPTED = [
    # ISO, with and without time; the zone is ignored: the date as written
    ("2022-09-10", (2022, 9, 10), "day"),
    ("2022-09-10T12:00:00Z", (2022, 9, 10), "day"),
    ("2022-08-05T00:27:34.000Z", (2022, 8, 5), "day"),
    ("2022-04-01 02:22:59", (2022, 4, 1), "day"),
    ("2022-09-10T23:30:00+05:00", (2022, 9, 10), "day"),
    ("2022-09-10T00:30:00-08:00", (2022, 9, 10), "day"),
    ("  2022-09-10\n", (2022, 9, 10), "day"),
    ("20220910", (2022, 9, 10), "day"),
    ("2022/09/10", (2022, 9, 10), "day"),
    ("2022-9-1", (2022, 9, 1), "day"),
    # coarser dates: their first day
    ("2022-09", (2022, 9, 1), "month"),
    ("2022/12", (2022, 12, 1), "month"),
    ("2022", (2022, 1, 1), "year"),
    ("Published: 2022", (2022, 1, 1), "year"),
    ("September 2022", (2022, 9, 1), "month"),
    ("Sept. 2022", (2022, 9, 1), "month"),
    # RFC 2822
    ("Sat, 10 Sep 2022 14:03:00 +0000", (2022, 9, 10), "day"),
    ("Sat, 10 Sep 2022 14:03:00 GMT", (2022, 9, 10), "day"),
    ("10 Sep 2022", (2022, 9, 10), "day"),
    # month names
    ("Sep 10, 2022", (2022, 9, 10), "day"),
    ("September 10, 2022", (2022, 9, 10), "day"),
    ("Sept. 10, 2022", (2022, 9, 10), "day"),
    ("Sept 10 2022", (2022, 9, 10), "day"),
    ("10 September 2022", (2022, 9, 10), "day"),
    ("10th of September 2022", (2022, 9, 10), "day"),
    ("10-Mar-2022", (2022, 3, 10), "day"),
    ("28-Mar-2022", (2022, 3, 28), "day"),
    ("1 May 2022", (2022, 5, 1), "day"),
    ("June 3, 2021", (2021, 6, 3), "day"),
    ("Feb 29, 2024", (2024, 2, 29), "day"),
    # case
    ("SEP 10, 2022", (2022, 9, 10), "day"),
    ("10-MAR-2022", (2022, 3, 10), "day"),
    ("september 10, 2022", (2022, 9, 10), "day"),
    # words and times around the date
    ("17:23, 28-Mar-2022", (2022, 3, 28), "day"),
    ("Updated: 2022-03-31 01:08", (2022, 3, 31), "day"),
    ("Published: Mar 30, 2022 08:02 AM", (2022, 3, 30), "day"),
    ("Mar 30, 2022 08:02 AM (updated Mar 30, 2022 09:15 AM)", (2022, 3, 30), "day"),  # the same date twice
    # the years at the ends of the range
    ("1000-01-01", (1000, 1, 1), "day"),
    ("2999-12-31", (2999, 12, 31), "day"),
    ("1969-12-31", (1969, 12, 31), "day"),
]


@pytest.mark.parametrize(("text", "ymd", "precision"), ACCEPTED, ids=[t for t, _, _ in ACCEPTED])
def test_every_accepted_form_gives_its_date_and_precision(text, ymd, precision):
    assert parse_date(text) == (number(*ymd), precision)


REFUSED = [
    "", "   ",
    "03/04/2022", "3.4.2022", "03-04-2022", "03/04/22",  # day and month in digits: US or European order?
    "13/04/2022",  # readable, but refused like its column's other rows (see the module docstring)
    "Published 03/04/2022, Sep 10, 2022",  # an ambiguous date beside a readable one
    "2022-02-30", "Feb 30, 2022", "2022-13-01", "2022-00-10", "2023-02-29", "31 Apr 2022", "20221332",
    "0999-12-31", "3000-01-01", "3000", "999", "Sep 10, 3022",  # years outside 1000..2999
    "2022-09-10 and 2022-09-11", "Sep 10, 2022 / 11 Sep 2022", "2022-09-10, September 2022",  # two dates
    "yesterday", "Tuesday", "a week ago", "page 12", "mars 2022", "2022-2023",
    "\uff12\uff10\uff12\uff12-09-10",  # full-width digits: not read as 2022
]


@pytest.mark.parametrize("text", REFUSED)
def test_what_cannot_be_read_without_guessing_is_refused(text):
    assert parse_date(text) is None


def test_repeated_strings_are_answered_from_the_cache():
    parse_date.cache_clear()
    first = parse_date("Sep 10, 2022")
    assert parse_date("Sep 10, 2022") == first
    assert parse_date.cache_info().hits == 1


def test_the_precisions_returned_are_the_coded_ones():
    got = {parse_date(t)[1] for t, _, _ in ACCEPTED}
    assert got == set(PRECISIONS)


# --- periods -----------------------------------------------------------------------------------------------------


def expected_label(day: date, period: str) -> str:
    if period == "week":
        y, w, _ = day.isocalendar()
        return f"{y}-W{w:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def starts_period(day: date, period: str) -> bool:
    if period == "week":
        return day.weekday() == 0
    if period == "month":
        return day.day == 1
    if period == "quarter":
        return day.day == 1 and day.month in (1, 4, 7, 10)
    return (day.month, day.day) == (1, 1)


FOUR_YEARS = [date(2019, 1, 1) + timedelta(days=i) for i in range((date(2023, 1, 1) - date(2019, 1, 1)).days)]


@pytest.mark.parametrize("period", PERIODS)
def test_keys_of_consecutive_days_step_by_zero_or_one_exactly_when_the_label_changes(period):
    days = np.array([number(d.year, d.month, d.day) for d in FOUR_YEARS], dtype=np.int64)
    keys = period_keys(days, None, period)
    assert keys.dtype == np.int64
    steps = np.diff(keys)
    assert set(steps.tolist()) == {0, 1}
    labels = [period_label(int(k), period) for k in keys]
    assert labels == [expected_label(d, period) for d in FOUR_YEARS]
    for i in range(1, len(FOUR_YEARS)):
        assert (labels[i] != labels[i - 1]) == bool(steps[i - 1]), (period, FOUR_YEARS[i])
        assert bool(steps[i - 1]) == starts_period(FOUR_YEARS[i], period), (period, FOUR_YEARS[i])


@pytest.mark.parametrize("period", PERIODS)
def test_a_period_starts_on_its_first_day_and_every_key_in_between_is_a_period(period):
    days = np.array([number(d.year, d.month, d.day) for d in FOUR_YEARS], dtype=np.int64)
    keys = period_keys(days, None, period)
    for key in range(int(keys[0]), int(keys[-1]) + 1):  # how a caller fills the gaps of a series
        first = period_start(key, period)
        assert period_keys(np.array([first]), None, period)[0] == key
        assert period_keys(np.array([first - 1]), None, period)[0] == key - 1
        first_date = date.fromordinal(date(1970, 1, 1).toordinal() + first)
        assert starts_period(first_date, period)
        assert day_text(first) == first_date.isoformat()
        assert period_label(key, period) == expected_label(first_date, period)


def test_weeks_cross_a_year_boundary_through_week_53():
    days = np.array([number(2020, 12, 27), number(2020, 12, 28), number(2021, 1, 3), number(2021, 1, 4)])
    keys = period_keys(days, None, "week")
    assert [period_label(k, "week") for k in keys] == ["2020-W52", "2020-W53", "2020-W53", "2021-W01"]
    assert keys[1] == keys[0] + 1 and keys[2] == keys[1] and keys[3] == keys[2] + 1
    assert day_text(period_start(keys[1], "week")) == "2020-12-28"
    assert day_text(period_start(keys[3], "week")) == "2021-01-04"
    # a week whose Monday is in December but whose ISO year is the next one
    assert period_label(period_keys(np.array([number(2018, 12, 31)]), None, "week")[0], "week") == "2019-W01"


def test_months_and_quarters_cross_december():
    days = np.array([number(2021, 12, 31), number(2022, 1, 1)])
    months = period_keys(days, None, "month")
    assert months.tolist() == [2021 * 12 + 11, 2022 * 12]
    assert [period_label(k, "month") for k in months] == ["2021-12", "2022-01"]
    quarters = period_keys(days, None, "quarter")
    assert quarters[1] == quarters[0] + 1
    assert [period_label(k, "quarter") for k in quarters] == ["2021-Q4", "2022-Q1"]
    assert period_keys(days, None, "year").tolist() == [2021, 2022]


def test_days_before_1970_fall_in_their_own_week():
    days = np.array([number(1969, 12, 28), number(1969, 12, 29), number(1970, 1, 4), number(1970, 1, 5)])
    keys = period_keys(days, None, "week")
    assert [period_label(k, "week") for k in keys] == ["1969-W52", "1970-W01", "1970-W01", "1970-W02"]
    assert day_text(period_start(keys[1], "week")) == "1969-12-29"


def test_no_day_gives_no_period():
    days = np.array([number(2022, 9, 10), NO_DAY, number(2022, 9, 11)], dtype=np.int64)
    for period in PERIODS:
        keys = period_keys(days, None, period)
        assert keys[1] == NO_PERIOD
        assert keys[0] != NO_PERIOD and keys[2] != NO_PERIOD


@pytest.mark.parametrize(("period", "fitting"), [
    ("week", [True, False, False]),
    ("month", [True, True, False]),
    ("quarter", [True, True, False]),
    ("year", [True, True, True]),
])
def test_a_date_coarser_than_the_period_gives_no_period(period, fitting):
    codes = np.array([PRECISIONS.index("day"), PRECISIONS.index("month"), PRECISIONS.index("year")])
    ok = fits(codes, period)
    assert ok.tolist() == fitting
    days = np.full(3, number(2022, 9, 1), dtype=np.int64)
    keys = period_keys(days, ok, period)
    assert [k != NO_PERIOD for k in keys] == fitting
    assert len(set(keys[ok].tolist())) == 1  # the fitting ones share the period of their day


def test_an_unknown_precision_code_fits_nothing():
    assert fits(np.array([-1, 3]), "year").tolist() == [False, False]


@pytest.mark.parametrize("call", [
    lambda: period_keys(np.array([0]), None, "fortnight"),
    lambda: period_label(0, "day"),
    lambda: period_start(0, "Month"),
    lambda: fits(np.array([0]), "decade"),
])
def test_an_unknown_period_is_an_input_error_listing_the_valid_ones(call):
    with pytest.raises(InputError, match="period must be one of week, month, quarter, year") as caught:
        call()
    assert caught.value.argument == "period"


# --- --split-date ------------------------------------------------------------------------------------------------


def test_split_date_reads_a_strict_iso_date():
    assert parse_split_date("2022-09-10") == number(2022, 9, 10)
    assert parse_split_date("2024-02-29") == number(2024, 2, 29)


@pytest.mark.parametrize("text", [
    "", "2022-9-10", "2022-02-30", "10/09/2022", "Sep 10, 2022", "2022-09-10T00:00:00", " 2022-09-10", "2022-09",
    "20220910", "\uff12\uff10\uff12\uff12-09-10",
])
def test_split_date_refuses_anything_else_naming_the_option(text):
    with pytest.raises(InputError, match=r"^split_date must be a date as YYYY-MM-DD, got ") as caught:
        parse_split_date(text)
    assert caught.value.argument == "split_date"
    assert repr(text) in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text, ymd", [
    ("Published: Mar 27, 2022 09:56 PM Updated: Mar 28, 2022 09:20", (2022, 3, 27)),
    ("2022-03-01 (last modified 2022-03-05)", (2022, 3, 1)),
    ("Updated: Mar 31, 2022 09:00 AM", (2022, 3, 31)),  # an update date alone is the only date there is
])
def test_a_publication_date_followed_by_an_update_is_the_publication_date(text, ymd):
    assert parse_date(text) == (number(*ymd), "day")


def test_the_last_day_of_a_month_or_year_date_places_it_around_a_split():
    cells = ["2024-02", "2022", "2022-03-05", "2022-12"]
    parsed = [parse_date(c) for c in cells]
    days = np.asarray([d for d, _ in parsed] + [NO_DAY])
    codes = np.asarray([PRECISIONS.index(p) for _, p in parsed] + [-1])
    assert last_days(days, codes).tolist() == [number(2024, 2, 29), number(2022, 12, 31), number(2022, 3, 5),
                                               number(2022, 12, 31), NO_DAY]
