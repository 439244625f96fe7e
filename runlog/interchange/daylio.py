"""Daylio's CSV export: every row a `checkin` entry with its mood in `mood_after`.

Header `full_date,date,weekday,time,mood,activities,note_title,note` (columns found by name),
or the 2017-18 app's `year,date,weekday,time,mood,activities,note`, whose date is a day and a
month name in the app's language (`June 22`, `18 May`, `7 września`) with the year in its own
column (month names of every language: runlog.interchange.locales). The date + `time` is
local wall time; times are 12-hour ("10:00 pm") or 24-hour ("14:58"),
mixed within one file; an empty time gives a day-only date. Mood labels are trimmed and
matched case-insensitively: rad 5, good 4, meh 3 (and `ok`/`okay`, as `runlog add` reads
mood words: Daylio in some languages and versions says `OK`), bad 2, awful 1, and the same
default moods in the app's languages where a real export shows them (Polish: wspaniale,
dobrze, tak sobie, źle, okropnie; see tests/data/daylio_old/SOURCES.md), merged with
the user's `mood_map` (which wins). An unknown label makes its row Bad, and every such message names
all unknown labels of the file, sorted (also available as `unknown_labels(path)`), so one
run of the importer shows the whole `--mood-map` the user needs.

Each row's stable id comes from its content alone: day, time, mood, activities and note
(never its place in the file), so two check-ins in one minute are two entries whichever
order a later export lists them in, while the same file imported twice adds nothing. Rows
identical in all of those are told apart by a count (the second such row of a file is the
second entry).

Activities become tags: split on `|`, trimmed, lower-cased, ` / ` -> `/`, other whitespace
-> `-`, `;` -> `,` (`;` joins tags in CSV), duplicates dropped. The note is note_title and
note joined by a newline; `<br>` becomes a newline, simple formatting tags are dropped and
HTML entities decoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path

from runlog.errors import InputError
from runlog.interchange import Bad, Record, Row
from runlog.interchange._common import csv_records, local_iso, stable_uuid
from runlog.model import Entry

SOURCE = "daylio"
DEFAULT_MOODS = {"rad": 5, "good": 4, "meh": 3, "ok": 3, "okay": 3, "bad": 2, "awful": 1,
                 # Daylio's own Polish names of its five default moods (a 2017 export;
                 # "bardzo źle" for awful in another Polish user's analysis of theirs)
                 "wspaniale": 5, "dobrze": 4, "tak sobie": 3, "źle": 2, "okropnie": 1,
                 "bardzo źle": 1}
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([AaPp])\.?\s*[Mm]\.?)?")
_BREAK = re.compile(r"<br\s*/?>|</p>|</div>", re.IGNORECASE)
_FORMATTING = re.compile(
    r"</?(?:b|i|u|s|em|strong|strike|p|div|span|ul|ol|li)\b[^>]*>", re.IGNORECASE
)
_SPACE = re.compile(r"\s+")


def moods(mood_map: Mapping[str, int] | None) -> dict[str, int]:
    """The label -> mood table: defaults, then the user's map (keys case-insensitive)."""
    table = dict(DEFAULT_MOODS)
    for label, value in (mood_map or {}).items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InputError(
                f"mood for {label!r} must be 1-5, got {value!r}",
                hint="use --mood-map LABEL=N with N from 1 (awful) to 5 (rad)",
            )
        table[_label(label)] = value
    return table


def is_header(header: list[str]) -> bool:
    """Whether a CSV header row (names trimmed) is a Daylio export's, current or 2017-18."""
    return "mood" in header and (
        "full_date" in header or {"year", "date", "weekday", "time"} <= set(header))


def _label(text: str) -> str:
    return _SPACE.sub(" ", text.strip()).lower()


def parse_time(text: str) -> tuple[int, int, int]:
    """`10:00 pm`, `6:50 PM`, `12:19 am`, `14:58` -> (hour, minute, second)."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValueError(f"cannot read the time {text!r}")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            raise ValueError(f"cannot read the time {text!r}")
        hour = hour % 12 + (12 if match[4].lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"cannot read the time {text!r}")
    return hour, minute, second


def tags_of(activities: str) -> tuple[str, ...]:
    tags: dict[str, None] = {}
    for activity in activities.split("|"):
        tag = _SPACE.sub(" ", activity.strip().lower()).replace(" / ", "/")
        tag = _SPACE.sub("-", tag).replace(";", ",")
        if tag:
            tags[tag] = None
    return tuple(tags)


def _clean(text: str) -> str:
    text = _FORMATTING.sub("", _BREAK.sub("\n", text))
    return html.unescape(text).strip()


def note_of(title: str, body: str) -> str | None:
    parts = [part for part in (_clean(title), _clean(body)) if part]
    return "\n".join(parts) or None


class _Columns:
    def __init__(self, header: list[str]):
        names = [name.strip().lower() for name in header]

        def find(name: str) -> int:
            return names.index(name) if name in names else -1

        self.full_date, self.time, self.mood = find("full_date"), find("time"), find("mood")
        # the 2017-18 layout: `year` and a `date` of a day and a month name
        self.year, self.date = find("year"), find("date")
        self.old = self.full_date < 0 and self.year >= 0 and self.date >= 0
        self.activities, self.note_title, self.note = (
            find("activities"),
            find("note_title"),
            find("note"),
        )
        missing = [
            name
            for name, index in (("full_date", -1 if self.full_date < 0 and not self.old
                                  else 0), ("mood", self.mood))
            if index < 0
        ]
        self.problem = f"not a Daylio export: no {' or '.join(missing)} column" if missing else None


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if 0 <= index < len(cells) else ""


def _rows(path: Path) -> Iterator[tuple[int, list[str] | None, _Columns | None, str | None]]:
    """(line, cells, columns, problem) for each data row; a header problem comes alone."""
    def row(cells, line, columns):
        return line, cells, columns, None

    for item in csv_records(path, _Columns, row):
        yield (item.line, None, None, item.message) if isinstance(item, Bad) else item


def unknown_labels(path: Path, mood_map: Mapping[str, int] | None = None) -> list[str]:
    """The distinct mood labels of a Daylio file that neither the defaults nor `mood_map`
    know, as written in the file (trimmed), sorted case-insensitively."""
    table = moods(mood_map)
    found: dict[str, str] = {}
    for _line, cells, columns, _problem in _rows(Path(path)):
        if cells is None:
            continue
        label = _cell(cells, columns.mood).strip()
        if _label(label) not in table:
            found.setdefault(_label(label), label)
    return sorted(found.values(), key=str.lower)


def read_daylio(path: Path, mood_map: Mapping[str, int] | None = None) -> Iterator[Record]:
    """Raises InputError at once for a mood_map value outside 1-5."""
    return _records(Path(path), moods(mood_map), mood_map)


def _records(
    path: Path, table: dict[str, int], mood_map: Mapping[str, int] | None
) -> Iterator[Record]:
    unknown_list: str | None = None
    keys: set[str] = set()  # the stable-id keys given so far in this file
    for line, cells, columns, problem in _rows(path):
        if problem:
            yield Bad(line, problem)
            continue
        label = _cell(cells, columns.mood).strip()
        mood = table.get(_label(label))
        if mood is None:
            if unknown_list is None:  # a second pass only for files that need it
                unknown_list = ", ".join(repr(name) for name in unknown_labels(path, mood_map))
            yield Bad(
                line,
                f"line {line}: unknown mood label {label!r} "
                f"(unknown labels in this file: {unknown_list})",
            )
            continue
        time_text = _cell(cells, columns.time).strip()
        if columns.old:
            full_date = (f"{_cell(cells, columns.date).strip()} "
                         f"{_cell(cells, columns.year).strip()}")
        else:
            full_date = _cell(cells, columns.full_date).strip()
        try:
            try:
                day = _day_of(full_date, columns.old)
            except ValueError:
                what = "date and year" if columns.old else "full_date"
                raise ValueError(f"cannot read the {what} {full_date!r}") from None
            if time_text:
                hour, minute, second = parse_time(time_text)
                when = local_iso(datetime(day.year, day.month, day.day, hour, minute, second))
                clock = f"{hour:02d}:{minute:02d}:{second:02d}"
            else:
                when, clock = day.isoformat(), ""
        except ValueError as error:
            yield Bad(line, f"line {line}: {error}")
            continue
        except OverflowError:  # year 1 or 9999 in a zone that moves it out of range
            yield Bad(line, f"line {line}: the date {full_date} {time_text} is out of range")
            continue
        key = _key(f"{day.isoformat()}:{clock}:{_label(label)}", cells, columns, keys)
        keys.add(key)
        yield Row(
            line,
            Entry(
                uuid=stable_uuid(SOURCE, key),
                date=when,
                kind="checkin",
                mood_after=mood,
                tags=tags_of(_cell(cells, columns.activities)),
                note=note_of(_cell(cells, columns.note_title), _cell(cells, columns.note)),
                source=SOURCE,
            ),
        )


def _day_of(text: str, old: bool) -> date:
    """The day of a row: `2024-03-10`, or in the 2017-18 layout its date and year
    (`June 22 2018`, `7 września 2017`) with the month named in any language."""
    if not old:
        return date.fromisoformat(text)
    from runlog.interchange.locales import parse_month_date

    moment = parse_month_date(text)
    if (moment.hour, moment.minute, moment.second) != (0, 0, 0):
        raise ValueError(text)  # a time where only a day and a year belong
    return moment.date()


def _key(key: str, cells: list[str], columns: _Columns, taken: set[str]) -> str:
    """The id key of a check-in: its day, time and mood (`key`) with a hash of its
    activities and note, and a count when an earlier row of the file is the same in all
    of those (`taken`)."""
    import hashlib

    text = "\x1f".join(_cell(cells, index) for index in
                       (columns.activities, columns.note_title, columns.note))
    key = f"{key}:{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"
    count, unique = 1, key
    while unique in taken:
        count += 1
        unique = f"{key}:{count}"
    return unique
