"""Daily and weekly streaks: hand-worked cases and a brute-force walk over the calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runlog.analysis.periods import period_of
from runlog.analysis.streaks import day_streaks, week_streaks

D = date.fromisoformat
TODAY = D("2026-11-21")  # a Saturday; its ISO week is Mon 16 .. Sun 22


def nov(*days_of_month):
    return [date(2026, 11, day) for day in days_of_month]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], (0, 0)),
        (nov(19, 20, 21), (3, 3)),
        # No run today yet: the streak through yesterday is still alive.
        (nov(19, 20), (2, 2)),
        # Nothing yesterday or today: broken.
        (nov(18, 19), (0, 2)),
        # Unsorted with repeats (two runs a day are normal).
        (nov(21, 19, 20, 21, 19), (3, 3)),
        # An older, longer streak is the longest; the current one is shorter.
        (nov(1, 2, 3, 4, 5, 20, 21), (2, 5)),
        (nov(1, 2, 3, 4, 5, 21), (1, 5)),
        # Days after today are ignored.
        (nov(21, 22, 23), (1, 1)),
    ],
)
def test_day_streaks(days, expected):
    assert day_streaks(days, TODAY) == expected


def test_day_streaks_run_across_month_and_year_ends():
    days = [D("2026-12-30"), D("2026-12-31"), D("2027-01-01")]
    assert day_streaks(days, D("2027-01-01")) == (3, 3)
    assert day_streaks([D("2026-10-31"), D("2026-11-01")], D("2026-11-02")) == (2, 2)


def test_day_streaks_accept_any_iterable():
    assert day_streaks(iter(nov(20, 21)), TODAY) == (2, 2)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], (0, 0)),
        # W45 (Nov 2-8), W46 (9-15), W47 (16-22): three weeks in a row.
        (nov(3, 10, 17), (3, 3)),
        # No run in W47 yet: the weeks through W46 still count.
        (nov(3, 10), (2, 2)),
        # Nothing in W46 or W47: broken; W44 (Oct 26 - Nov 1) + W45 make the longest 2.
        (nov(1, 3), (0, 2)),
        (nov(1, 3, 17), (1, 2)),
        # Many runs in one week count once.
        (nov(16, 17, 18, 19, 20, 21), (1, 1)),
    ],
)
def test_week_streaks_monday(days, expected):
    assert week_streaks(days, TODAY) == expected


def test_week_streaks_depend_on_the_week_start():
    # Saturday Nov 14 and Sunday Nov 15:
    #  monday weeks: both in W46 (Nov 9-15); W47 has none yet -> current 1, longest 1
    #  sunday weeks: Nov 8-14 and Nov 15-21 (the current week) -> current 2, longest 2
    days = nov(14, 15)
    assert week_streaks(days, TODAY, "monday") == (1, 1)
    assert week_streaks(days, TODAY, "sunday") == (2, 2)


def test_week_streaks_run_across_the_iso_year_end():
    # 2020-12-31 is in 2020-W53, 2021-01-05 in 2021-W01: consecutive weeks.
    assert week_streaks([D("2020-12-31"), D("2021-01-05")], D("2021-01-06")) == (2, 2)


def test_week_streaks_ignore_future_days_in_the_current_week():
    # Sunday Nov 22 is in this ISO week but after today: it must not keep W47 alive.
    assert week_streaks(nov(10, 22), TODAY) == (1, 1)


# --- brute force: walk the calendar one day (or one period) at a time ---------------------


def brute_day_streaks(days, today):
    have = set(days)
    longest = run = 0
    day = min(have, default=today)
    while day <= today:
        run = run + 1 if day in have else 0
        longest = max(longest, run)
        day += timedelta(days=1)
    current = 0
    day = today if today in have else today - timedelta(days=1)
    while day in have:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def brute_week_streaks(days, today, week_start):
    keys = {period_of(day, "week", week_start).key for day in days if day <= today}
    this_week = period_of(today, "week", week_start)
    # All weeks from the earliest run to now, via day-by-day stepping.
    weeks = []
    day = min((d for d in days if d <= today), default=today)
    while day <= this_week.end:
        key = period_of(day, "week", week_start).key
        if not weeks or weeks[-1] != key:
            weeks.append(key)
        day += timedelta(days=1)
    longest = run = 0
    for key in weeks:
        run = run + 1 if key in keys else 0
        longest = max(longest, run)
    current = 0
    index = len(weeks) - 1 if this_week.key in keys else len(weeks) - 2
    while index >= 0 and weeks[index] in keys:
        current += 1
        index -= 1
    return current, longest


run_days = st.lists(
    st.dates(min_value=date(2026, 8, 1), max_value=date(2026, 12, 31)), max_size=60
)
todays = st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31))


@given(run_days, todays)
def test_day_streaks_match_brute_force(days, today):
    current, longest = day_streaks(days, today)
    assert (current, longest) == brute_day_streaks([d for d in days if d <= today], today)
    assert current <= longest


@given(run_days, todays, st.sampled_from(["monday", "sunday"]))
def test_week_streaks_match_brute_force(days, today, week_start):
    current, longest = week_streaks(days, today, week_start)
    assert (current, longest) == brute_week_streaks(days, today, week_start)
    assert current <= longest
