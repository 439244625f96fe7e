"""Daily and weekly run streaks: how many days (weeks) in a row had at least one run.

A streak still running is not broken by a day that has not happened yet: until the runner
has run today, the current daily streak counts back from yesterday, and until they have run
this week, the current weekly streak counts back from last week. A run today (this week)
then extends it. Days after `today` are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from runlog.analysis.periods import period_start

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)


def _streaks(active: set[date], latest: date, step: timedelta) -> tuple[int, int]:
    """(current, longest) over `active` period starts spaced `step` apart, where `latest`
    is the start of the period in progress."""
    active = {start for start in active if start <= latest}
    current = 0
    cursor = latest if latest in active else latest - step
    while cursor in active:
        current += 1
        cursor -= step
    longest = 0
    for start in active:
        if start - step in active:
            continue  # not the first period of its streak; counted from that one
        length = 1
        while start + step * length in active:
            length += 1
        longest = max(longest, length)
    return current, longest


def day_streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) run of consecutive days with a run, given the days that had one
    (any order, repeats allowed). Current counts back from today, or from yesterday when
    there is no run today yet."""
    return _streaks(set(days), today, ONE_DAY)


def week_streaks(
    days: Iterable[date], today: date, week_start: str = "monday"
) -> tuple[int, int]:
    """(current, longest) run of consecutive weeks with at least one run. Current counts
    back from this week, or from last week when there is no run this week yet."""
    # Drop future days before mapping: a future day in this week must not count for it.
    week_starts = {period_start(day, "week", week_start) for day in days if day <= today}
    return _streaks(week_starts, period_start(today, "week", week_start), ONE_WEEK)
