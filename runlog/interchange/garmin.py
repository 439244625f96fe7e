"""Garmin Connect's `Activities.csv` (the Activities page export).

Numbers follow the account's locale: `"3,40"` km with a decimal comma and `"2.932"` steps
with a dot grouping thousands, or the English `3.40` / `1,234`; `--` means missing. Only
Distance and the times are read, each value on its own: with one separator it is the decimal
mark (a thousands separator would mean 1000 km or more), with both the last one is. Columns
are found by their English header names, which change with the activities present. `Date`
is local wall time without a zone: it is read in this machine's zone.

Choices: the duration is `Elapsed Time` (like Strava's and FIT's), falling back to `Time`;
the Title becomes the note unless it is Garmin's default ("<place> <activity type>").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from runlog.interchange import Bad, Record, Skipped
from runlog.interchange._common import (
    METRES_PER_UNIT,
    activity,
    csv_records,
    parse_clock,
    parse_number,
    positive,
)

SOURCE = "garmin"
_WALKS = ("walk", "hik")


def kind_of(activity_type: str) -> str | None:
    """Garmin's activity type as a runlog kind; None for other sports.

    Run-ish types (Running, Street/Track/Ultra Running, Virtual Run...) -> run, with Trail
    -> trail and Treadmill/Indoor/Virtual -> treadmill; Walking and Hiking -> walk."""
    name = activity_type.strip().lower()
    if "run" in name:
        if "trail" in name:
            return "trail"
        if "treadmill" in name or "indoor" in name or "virtual" in name:
            return "treadmill"
        return "run"
    if any(word in name for word in _WALKS):
        return "walk"
    return None


def is_header(header: list[str]) -> bool:
    """Whether a CSV header row (names trimmed) is a Garmin Connect Activities.csv's."""
    return header[:3] == ["Activity Type", "Date", "Favorite"] or {
        "Activity Type", "Date", "Distance"} <= set(header)


def _is_default_title(title: str, activity_type: str) -> bool:
    return title == activity_type or title.endswith(" " + activity_type)


def _start(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    from dateutil import parser

    try:
        return parser.parse(text)
    except (ValueError, OverflowError):
        raise ValueError(f"cannot read the Date {text!r}") from None


class _Columns:
    def __init__(self, header: list[str]):
        names = [name.strip() for name in header]

        def find(name: str) -> int:
            return names.index(name) if name in names else -1

        self.type = find("Activity Type")
        self.date = find("Date")
        self.title = find("Title")
        self.distance = find("Distance")
        self.elapsed = find("Elapsed Time")
        self.time = find("Time")
        needed = (("Activity Type", self.type), ("Date", self.date), ("Distance", self.distance))
        missing = [name for name, index in needed if index < 0]
        self.problem = (
            f"not a Garmin Activities.csv: no {', '.join(missing)} column" if missing else None
        )


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if 0 <= index < len(cells) else ""


def _record(cells: list[str], line: int, columns: _Columns, metres_per_unit: float) -> Record:
    activity_type = _cell(cells, columns.type)
    kind = kind_of(activity_type)
    if kind is None:
        return Skipped(line, activity_type or "no activity type")
    date_text = _cell(cells, columns.date)
    try:
        start = _start(date_text)
        distance = parse_number(_cell(cells, columns.distance))
        duration_s = parse_clock(_cell(cells, columns.elapsed))
        if not duration_s:
            duration_s = parse_clock(_cell(cells, columns.time))
    except ValueError as error:
        return Bad(line, f"line {line}: {error}")
    distance_m = positive(None if distance is None else distance * metres_per_unit)
    duration_s = positive(duration_s)
    title = _cell(cells, columns.title)
    return activity(SOURCE, line, f"line {line}", f"{date_text}:{round(distance_m or 0)}:{title}",
                    start, kind, distance_m, duration_s,
                    None if not title or _is_default_title(title, activity_type) else title)


def read_garmin(path: Path, units: str = "km") -> Iterator[Record]:
    """Running and walking activities as Rows, other sports Skipped. `units` is the
    account's distance unit (km or mi)."""
    metres_per_unit = METRES_PER_UNIT[units]
    return csv_records(
        path, _Columns, lambda cells, line, columns: _record(cells, line, columns, metres_per_unit)
    )
