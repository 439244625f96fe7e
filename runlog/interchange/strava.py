"""Strava's bulk-export `activities.csv`, read by column position.

The header repeats five names (Elapsed Time, Distance, Max Heart Rate, Relative Effort,
Commute): a dict reader would keep only the last of each. The first `Distance` is in the
athlete's display units, the second in metres; the metres column wins when it has a value.
`Activity Date` is UTC. Layouts differ between export years (87-101 columns), so columns are
found by the first/second occurrence of their name, never by a fixed index.

Note: the Activity Description and Private Note (when present) become the note; with neither,
the Activity Name does, unless it is one of Strava's defaults ("Morning Run", "Lunch Hike"...).
Heart rate and Relative Effort are not stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from runlog.interchange import Bad, Record, Skipped
from runlog.interchange._common import (
    METRES_PER_UNIT,
    activity,
    csv_records,
    parse_number,
    positive,
)

SOURCE = "strava"
KINDS = {
    "Run": "run",
    "Trail Run": "trail",
    "Virtual Run": "treadmill",
    "Walk": "walk",
    "Hike": "walk",
}
_DEFAULT_NAME = re.compile(
    r"(Morning|Lunch|Afternoon|Evening|Night) (Run|Trail Run|Virtual Run|Walk|Hike)"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_ENGLISH_DATE = re.compile(
    r"([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ?([AaPp])\.?[Mm]\.?"
)


class _Columns:
    """Where each field is in this file's layout; -1 when the export lacks it."""

    def __init__(self, header: list[str]):
        names = [name.strip() for name in header]

        def nth(name: str, occurrence: int) -> int:
            seen = 0
            for index, found in enumerate(names):
                if found == name:
                    seen += 1
                    if seen == occurrence:
                        return index
            return -1

        self.id = nth("Activity ID", 1)
        self.date = nth("Activity Date", 1)
        self.name = nth("Activity Name", 1)
        self.type = nth("Activity Type", 1)
        self.description = nth("Activity Description", 1)
        self.private_note = nth("Activity Private Note", 1)
        self.elapsed = nth("Elapsed Time", 1)
        self.elapsed_again = nth("Elapsed Time", 2)
        self.distance_units = nth("Distance", 1)
        self.distance_m = nth("Distance", 2)
        missing = [
            name
            for name, index in (("Activity Date", self.date), ("Activity Type", self.type))
            if index < 0
        ]
        self.problem = (
            f"not a Strava activities.csv: no {' or '.join(missing)} column" if missing else None
        )


def is_header(header: list[str]) -> bool:
    """Whether a CSV header row (names trimmed) is a Strava activities.csv's."""
    return header[:4] == ["Activity ID", "Activity Date", "Activity Name", "Activity Type"]


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if 0 <= index < len(cells) else ""


def parse_strava_date(text: str) -> datetime:
    """`May 29, 2022, 3:53:35 PM` (UTC, English export) as an aware datetime; other layouts
    through dateutil, still read as UTC. Never depends on the process locale."""
    match = _ENGLISH_DATE.fullmatch(text.strip())
    if match and match[1].lower() in _MONTHS:
        month, day, year, hour, minute, second, half = match.groups()
        hour = int(hour) % 12 + (12 if half.lower() == "p" else 0)
        return datetime(
            int(year),
            _MONTHS[month.lower()],
            int(day),
            hour,
            int(minute),
            int(second),
            tzinfo=timezone.utc,
        )
    from dateutil import parser

    try:
        moment = parser.parse(text)
    except (ValueError, OverflowError):
        raise ValueError(f"cannot read the Activity Date {text!r}") from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _note(cells: list[str], columns: _Columns) -> str | None:
    parts = [_cell(cells, columns.description), _cell(cells, columns.private_note)]
    text = "\n".join(part for part in parts if part)
    if not text:
        name = _cell(cells, columns.name)
        text = "" if _DEFAULT_NAME.fullmatch(name) else name
    return text or None


def _record(cells: list[str], line: int, columns: _Columns, metres_per_unit: float) -> Record:
    activity_type = _cell(cells, columns.type)
    kind = KINDS.get(activity_type)
    if kind is None:
        return Skipped(line, activity_type or "no activity type")
    try:
        start = parse_strava_date(_cell(cells, columns.date))
        duration_s = parse_number(_cell(cells, columns.elapsed))
        if duration_s is None:
            duration_s = parse_number(_cell(cells, columns.elapsed_again))
        distance_m = parse_number(_cell(cells, columns.distance_m))
        if distance_m is None:
            distance_units = parse_number(_cell(cells, columns.distance_units))
            distance_m = None if distance_units is None else distance_units * metres_per_unit
    except ValueError as error:
        return Bad(line, f"line {line}: {error}")
    distance_m, duration_s = positive(distance_m), positive(duration_s)
    activity_id = _cell(cells, columns.id)
    return activity(SOURCE, line, f"line {line}", activity_id or None, start, kind, distance_m,
                    duration_s, _note(cells, columns))


def read_strava(path: Path, units: str = "km") -> Iterator[Record]:
    """Run, Trail Run, Virtual Run, Walk and Hike rows as Rows; other sports Skipped.
    `units` is what the first Distance column is in, used only when the metres one is empty."""
    metres_per_unit = METRES_PER_UNIT[units]
    return csv_records(
        path, _Columns, lambda cells, line, columns: _record(cells, line, columns, metres_per_unit)
    )
