"""Calendar periods for the mood review: week, month and year keys and their first/last days.

Keys (SPEC §5): weeks `2026-W47`, months `2026-11`, years `2026`.

Weeks are ISO weeks (Monday..Sunday) named by `date.isocalendar()`, so the days around New
Year belong to the ISO year of their week: 2021-01-03 is in `2020-W53`, 2024-12-30 in
`2025-W01`.

With `week_start="sunday"` a week runs Sunday..Saturday and is named after the ISO week of
its Monday, the day after it starts. Sunday 2026-11-15 .. Saturday 2026-11-21 is therefore
`2026-W47`, like the ISO week that begins on Monday 2026-11-16. Every Sunday-week has its own
Monday, so keys stay unique and sort in calendar order, and a Sunday-week and the ISO week
with the same key share six of their seven days.

SQL groups rows by `period_start`'s date; `period_of(start, ...)` turns that back into a Period.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from runlog.errors import InputError

UNITS = ("week", "month", "year")
WEEK_STARTS = ("monday", "sunday")

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """One calendar period: its key and its first and last day, both included."""

    key: str
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _check(unit: str, week_start: str) -> None:
    # Both usually come from options or the config file, so a bad one is the user's to fix.
    if unit not in UNITS:
        raise InputError(f"unknown period {unit!r}", hint="use week, month or year")
    if week_start not in WEEK_STARTS:
        raise InputError(f"unknown week_start {week_start!r}", hint="use monday or sunday")


def period_start(day: date, unit: str, week_start: str = "monday") -> date:
    """The first day of the period that contains `day`."""
    _check(unit, week_start)
    if unit == "week":
        # date.weekday(): Monday 0 .. Sunday 6; a Sunday-week starts 0 days back on a Sunday.
        days_back = day.weekday() if week_start == "monday" else (day.weekday() + 1) % 7
        return day - timedelta(days=days_back)
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def period_of(day: date, unit: str, week_start: str = "monday") -> Period:
    """The period (key, first day, last day) that contains `day`."""
    start = period_start(day, unit, week_start)
    if unit == "week":
        # The Monday of the week names it: the start itself, or the day after a Sunday.
        monday = start if week_start == "monday" else start + ONE_DAY
        iso = monday.isocalendar()
        return Period(f"{iso.year:04d}-W{iso.week:02d}", start, start + timedelta(days=6))
    if unit == "month":
        last_day = calendar.monthrange(start.year, start.month)[1]
        return Period(f"{start.year:04d}-{start.month:02d}", start, start.replace(day=last_day))
    return Period(f"{start.year:04d}", start, start.replace(month=12, day=31))


def next_period(period: Period, unit: str, week_start: str = "monday") -> Period:
    """The period right after `period`."""
    return period_of(period.end + ONE_DAY, unit, week_start)


def previous_period(period: Period, unit: str, week_start: str = "monday") -> Period:
    """The period right before `period`."""
    return period_of(period.start - ONE_DAY, unit, week_start)


def last_periods(
    until: date, unit: str, count: int, week_start: str = "monday", *,
    not_before: date | None = None,
) -> list[Period]:
    """The `count` periods ending with the one that contains `until`, oldest first.

    With `not_before` (a log's first run), none that ends before the period holding that
    day: fewer than `count` when the log is younger. The period holding `until` is always
    kept, even if `not_before` is later still.
    """
    if count < 0:
        raise InputError(f"cannot show the last {count} periods", hint="use a number ≥ 1")
    if count == 0:
        return []
    periods = [period_of(until, unit, week_start)]
    while len(periods) < count:
        earlier = previous_period(periods[-1], unit, week_start)
        if not_before is not None and earlier.end < not_before:
            break
        periods.append(earlier)
    periods.reverse()
    return periods


def periods_between(
    since: date, until: date, unit: str, week_start: str = "monday"
) -> list[Period]:
    """Every period that overlaps `since`..`until` (both included), oldest first.

    The first and last periods are whole periods even when `since`/`until` fall inside
    them; the caller decides whether to count only the days in range. Empty when
    `since` is after `until`.
    """
    _check(unit, week_start)
    if since > until:
        return []
    periods = [period_of(since, unit, week_start)]
    while periods[-1].end < until:
        periods.append(next_period(periods[-1], unit, week_start))
    return periods
