"""Period keys and bounds: ISO weeks across New Year, Sunday-start weeks, months, years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runlog.analysis.periods import (
    Period,
    last_periods,
    next_period,
    period_of,
    period_start,
    periods_between,
    previous_period,
)
from runlog.errors import InputError

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "key", "start", "end"),
    [
        # 2026-11-16 is a Monday; Saturday the 21st is in the same ISO week 47.
        ("2026-11-21", "2026-W47", "2026-11-16", "2026-11-22"),
        ("2026-11-16", "2026-W47", "2026-11-16", "2026-11-22"),
        ("2026-11-22", "2026-W47", "2026-11-16", "2026-11-22"),
        ("2026-11-23", "2026-W48", "2026-11-23", "2026-11-29"),
        # 2020 began on a Wednesday (leap year) -> it has 53 ISO weeks; W53 spills into 2021.
        ("2020-12-31", "2020-W53", "2020-12-28", "2021-01-03"),
        ("2021-01-03", "2020-W53", "2020-12-28", "2021-01-03"),
        ("2021-01-04", "2021-W01", "2021-01-04", "2021-01-10"),
        # 2024-12-30 is a Monday whose Thursday (Jan 2) is in 2025 -> 2025-W01.
        ("2024-12-29", "2024-W52", "2024-12-23", "2024-12-29"),
        ("2024-12-30", "2025-W01", "2024-12-30", "2025-01-05"),
        ("2025-01-01", "2025-W01", "2024-12-30", "2025-01-05"),
        # 2026 began on a Thursday -> 53 weeks; 2026-12-31 and 2027-01-03 are in 2026-W53.
        ("2026-12-31", "2026-W53", "2026-12-28", "2027-01-03"),
        ("2027-01-03", "2026-W53", "2026-12-28", "2027-01-03"),
        ("2027-01-04", "2027-W01", "2027-01-04", "2027-01-10"),
    ],
)
def test_iso_weeks(day, key, start, end):
    assert period_of(D(day), "week") == Period(key, D(start), D(end))
    assert period_start(D(day), "week") == D(start)


@pytest.mark.parametrize(
    ("day", "key", "start", "end"),
    [
        # Saturday 2026-11-21 closes the week that began Sunday the 15th; its Monday is
        # the 16th, ISO 2026-W47, so the Sunday-week is 2026-W47 too.
        ("2026-11-21", "2026-W47", "2026-11-15", "2026-11-21"),
        ("2026-11-15", "2026-W47", "2026-11-15", "2026-11-21"),
        # Sunday the 22nd starts the next one (Monday the 23rd is W48).
        ("2026-11-22", "2026-W48", "2026-11-22", "2026-11-28"),
        # Sunday 2024-12-29 starts a week whose Monday is 2024-12-30 = 2025-W01.
        ("2024-12-29", "2025-W01", "2024-12-29", "2025-01-04"),
        ("2024-12-28", "2024-W52", "2024-12-22", "2024-12-28"),
        # Saturday 2021-01-02: week Sun 2020-12-27 .. Sat 2021-01-02, Monday 12-28 = 2020-W53.
        ("2021-01-02", "2020-W53", "2020-12-27", "2021-01-02"),
        # Sunday 2021-01-03 starts the week of Monday 2021-01-04 = 2021-W01.
        ("2021-01-03", "2021-W01", "2021-01-03", "2021-01-09"),
    ],
)
def test_sunday_weeks_are_named_after_their_monday(day, key, start, end):
    assert period_of(D(day), "week", "sunday") == Period(key, D(start), D(end))
    assert period_start(D(day), "week", "sunday") == D(start)


@pytest.mark.parametrize(
    ("day", "unit", "key", "start", "end"),
    [
        ("2026-11-21", "month", "2026-11", "2026-11-01", "2026-11-30"),
        ("2024-02-10", "month", "2024-02", "2024-02-01", "2024-02-29"),  # leap year
        ("2026-02-28", "month", "2026-02", "2026-02-01", "2026-02-28"),
        ("2026-12-31", "month", "2026-12", "2026-12-01", "2026-12-31"),
        ("2026-01-01", "month", "2026-01", "2026-01-01", "2026-01-31"),
        ("2026-11-21", "year", "2026", "2026-01-01", "2026-12-31"),
        ("2021-01-03", "year", "2021", "2021-01-01", "2021-12-31"),  # calendar year, not ISO
    ],
)
def test_months_and_years(day, unit, key, start, end):
    # week_start never matters for months and years.
    for week_start in ("monday", "sunday"):
        assert period_of(D(day), unit, week_start) == Period(key, D(start), D(end))


def test_period_contains_and_counts_days():
    week = period_of(D("2026-11-21"), "week")
    assert D("2026-11-16") in week and D("2026-11-22") in week
    assert D("2026-11-15") not in week and D("2026-11-23") not in week
    assert week.days == 7
    assert period_of(D("2024-02-10"), "month").days == 29
    assert period_of(D("2024-02-10"), "year").days == 366


def test_next_and_previous_cross_year_boundaries():
    w53 = period_of(D("2020-12-31"), "week")
    assert next_period(w53, "week").key == "2021-W01"
    assert previous_period(next_period(w53, "week"), "week") == w53
    december = period_of(D("2026-12-05"), "month")
    assert next_period(december, "month").key == "2027-01"
    assert previous_period(period_of(D("2027-03-01"), "year"), "year").key == "2026"


def test_last_periods_oldest_first_ending_with_the_current_one():
    assert [p.key for p in last_periods(D("2026-11-21"), "week", 3)] == [
        "2026-W45",
        "2026-W46",
        "2026-W47",
    ]
    assert [p.key for p in last_periods(D("2027-01-15"), "month", 3)] == [
        "2026-11",
        "2026-12",
        "2027-01",
    ]
    assert [p.key for p in last_periods(D("2021-01-06"), "week", 2)] == ["2020-W53", "2021-W01"]
    assert [p.key for p in last_periods(D("2026-11-21"), "year", 2)] == ["2025", "2026"]
    # Sunday weeks: Sunday 2026-11-22 starts W48; the two before start on the 8th and 15th.
    sunday_weeks = last_periods(D("2026-11-22"), "week", 3, "sunday")
    assert [(p.key, p.start.isoformat()) for p in sunday_weeks] == [
        ("2026-W46", "2026-11-08"),
        ("2026-W47", "2026-11-15"),
        ("2026-W48", "2026-11-22"),
    ]
    assert last_periods(D("2026-11-21"), "week", 0) == []


def test_last_periods_rejects_a_negative_count():
    with pytest.raises(InputError):
        last_periods(D("2026-11-21"), "week", -1)


def test_periods_between_covers_both_ends_with_whole_periods():
    periods = periods_between(D("2020-12-25"), D("2021-01-05"), "week")
    assert [(p.key, p.start.isoformat(), p.end.isoformat()) for p in periods] == [
        ("2020-W52", "2020-12-21", "2020-12-27"),
        ("2020-W53", "2020-12-28", "2021-01-03"),
        ("2021-W01", "2021-01-04", "2021-01-10"),
    ]
    assert [p.key for p in periods_between(D("2026-11-30"), D("2027-01-01"), "month")] == [
        "2026-11",
        "2026-12",
        "2027-01",
    ]
    assert [p.key for p in periods_between(D("2026-11-21"), D("2026-11-21"), "year")] == ["2026"]
    assert periods_between(D("2026-11-22"), D("2026-11-21"), "week") == []


@pytest.mark.parametrize(("unit", "week_start"), [("day", "monday"), ("week", "saturday")])
def test_unknown_unit_or_week_start_is_an_input_error(unit, week_start):
    with pytest.raises(InputError):
        period_of(D("2026-11-21"), unit, week_start)
    with pytest.raises(InputError):
        periods_between(D("2026-11-21"), D("2026-11-22"), unit, week_start)


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
units = st.sampled_from(["week", "month", "year"])
week_starts = st.sampled_from(["monday", "sunday"])


@given(days, units, week_starts)
def test_every_day_sits_in_its_period_and_periods_tile_the_calendar(day, unit, week_start):
    period = period_of(day, unit, week_start)
    assert period.start <= day <= period.end
    assert period_start(day, unit, week_start) == period.start
    # The start of a period maps back to the same period (SQL groups by the start date).
    assert period_of(period.start, unit, week_start) == period
    assert period_of(period.end, unit, week_start) == period
    following = next_period(period, unit, week_start)
    assert following.start == period.end + timedelta(days=1)
    assert following.key > period.key  # keys sort in calendar order
    if unit == "week":
        assert period.days == 7
        expected_first_weekday = 0 if week_start == "monday" else 6
        assert period.start.weekday() == expected_first_weekday


@given(days)
def test_monday_week_keys_agree_with_isocalendar(day):
    iso = day.isocalendar()
    assert period_of(day, "week").key == f"{iso.year}-W{iso.week:02d}"


@given(days)
def test_sunday_week_shares_its_key_with_the_iso_week_of_the_next_day(day):
    # A Sunday-week is the ISO week shifted one day earlier.
    assert period_of(day, "week", "sunday").key == period_of(day + timedelta(days=1), "week").key


@given(days, days, units, week_starts)
def test_periods_between_are_contiguous_and_cover_the_range(a, b, unit, week_start):
    since, until = min(a, b), max(a, b)
    if (until - since).days > 3000:
        until = since + timedelta(days=3000)
    periods = periods_between(since, until, unit, week_start)
    assert periods[0].start <= since <= periods[0].end
    assert periods[-1].start <= until <= periods[-1].end
    for earlier, later in zip(periods, periods[1:]):
        assert later.start == earlier.end + timedelta(days=1)
    assert last_periods(until, unit, len(periods), week_start) == periods
