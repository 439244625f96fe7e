"""Strava's bulk-export `activities.csv`, in every layout and language, read by column position.

Layouts:
- the current one (2019 on, 87-101 columns): `Activity ID, Activity Date, Activity Name,
  Activity Type, Activity Description, Elapsed Time, Distance, Max Heart Rate, Relative
  Effort, Commute, ...`, written in the account's language. Its header repeats five names
  (Elapsed Time, Distance, Max Heart Rate, Relative Effort, Commute): a dict reader would keep
  only the last of each. The first `Distance` is in the athlete's display units, the second
  in metres; the metres column wins when it has a value. Moving Time follows the second
  Elapsed Time. An English header is read by its names (the first/second occurrence, never
  a fixed index, as layouts differ between export years); a header in another language by
  the same places, which the five repeated names (in any language) identify;
- the archive before 2019: `id,date,name,type,description,elapsed_time,distance,commute,
  gear,filename`, distance in metres, date `2016-03-13 09:46:22`, types in English.

`Activity Date` is UTC in every layout and language. Dates are read by
runlog.interchange.locales (month names of every CLDR language, `29.05.2022, 15:53:35`);
numbers with a decimal point or comma, which may differ from row to row.

Activity types come in the account's language (`Lauf`, `Hardloopsessie`, `Course à pied`):
TYPES names the running, walking and hiking ones per language (and where each comes from);
any other type is another sport, Skipped by the name the file gives it.

A run whose Elapsed Time no one could have taken (over 48 h, or slower than 1 km an hour: a
watch left running) but whose Moving Time is possible is imported with its moving time and
a Notice; one over 48 h without a usable Moving Time is left out (LeftOut), never a reason to
refuse the whole history. Heart rate and Relative Effort are not stored.

Note: the Activity Description and Private Note (when present) become the note; with neither,
the Activity Name does, unless it is one of Strava's defaults ("Morning Run", "Lunch Hike"...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from runlog.interchange import Bad, LeftOut, Notice, Record, Row, Skipped
from runlog.interchange._common import (
    ELAPSED_NOTICE,
    MAX_DURATION_S,
    METRES_PER_UNIT,
    TOO_LONG,
    activity,
    csv_records,
    parse_number,
    positive,
)

SOURCE = "strava"

# Activity types that are runs, walks and hikes, in the languages Strava writes them; every
# other type is another sport. Looked up case-insensitively. Where each comes from:
#   en  Strava's own type names, as in the real English exports of tests/data/samples/strava
#       and the old layout quoted in a public README (tests/data/strava_i18n/SOURCES.md);
#   de  "Lauf", "Traillauf", "Virtueller Lauf": the run types of German bulk exports as
#       public code reading them lists them (SOURCES.md, German); "Laufen" is Garmin's;
#   nl  "Hardloopsessie", "Wandeling" (walk and hike), "Fietsrit" (a ride): public code
#       reading Dutch exports, and issue 11's list;
#   fr, es, it, pt, nb, fi, pl: the localised run labels public code collects from
#       activities.csv files of those languages ("course à pied", "trail", "carrera",
#       "corsa", "corrida", "løping", "juoksu", "bieganie", ...);
#   da "Løb", hu "Futás": issue 11's list of types seen in real exports.
# Walks and hikes beyond those are Strava's web wording where no export was found; a type
# that is not here is never a run: it is counted as another sport under its own name, so a
# wrong or missing word shows in the summary instead of turning a ride into a run.
TYPES = {
    "run": "run", "trail run": "trail", "virtual run": "treadmill", "walk": "walk",
    "hike": "walk",
    # German
    "lauf": "run", "laufen": "run", "traillauf": "trail", "trailrunning": "trail",
    "virtueller lauf": "treadmill", "spaziergang": "walk", "gehen": "walk",
    "wanderung": "walk", "wandern": "walk",
    # Dutch
    "hardloopsessie": "run", "hardlopen": "run", "trailrun": "trail",
    "virtuele hardloopsessie": "treadmill", "wandeling": "walk", "wandelen": "walk",
    # French
    "course à pied": "run", "course": "run", "trail": "trail", "course virtuelle": "treadmill",
    "marche": "walk", "randonnée": "walk",
    # Spanish
    "carrera": "run", "carrera por senderos": "trail", "carrera de trail": "trail",
    "carrera virtual": "treadmill", "caminata": "walk", "senderismo": "walk",
    "excursionismo": "walk",
    # Italian
    "corsa": "run", "corsa su trail": "trail", "corsa virtuale": "treadmill",
    "camminata": "walk", "escursione": "walk", "escursionismo": "walk",
    # Portuguese
    "corrida": "run", "corrida em trilha": "trail", "corrida virtual": "treadmill",
    "caminhada": "walk", "trilha": "walk", "trilha a pé": "walk",
    # Danish
    "løb": "run", "trailløb": "trail", "virtuelt løb": "treadmill", "gåtur": "walk",
    "vandretur": "walk", "vandring": "walk",
    # Norwegian, Swedish
    "løping": "run", "løp": "run", "terrengløping": "trail", "virtuell løping": "treadmill",
    "fottur": "walk", "löpning": "run", "traillöpning": "trail",
    "virtuell löpning": "treadmill", "promenad": "walk",
    # Hungarian
    "futás": "run", "terepfutás": "trail", "virtuális futás": "treadmill", "séta": "walk",
    "túrázás": "walk", "túra": "walk",
    # Finnish, Polish
    "juoksu": "run", "polkujuoksu": "trail", "virtuaalijuoksu": "treadmill",
    "kävely": "walk", "vaellus": "walk",
    "bieganie": "run", "bieg": "run", "bieg trailowy": "trail", "bieg wirtualny": "treadmill",
    "spacer": "walk", "wędrówka": "walk",
}
KINDS = {"Run": "run", "Trail Run": "trail", "Virtual Run": "treadmill", "Walk": "walk",
         "Hike": "walk"}  # the English names, as before

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
_ISO_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]")
# A spreadsheet's re-saved date: 5/29/2022 15:53 (US) or 29/05/2022 15:53:35, a 12- or
# 24-hour time. Which number is the day is told once for the whole file (_slash_order).
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                      r"\s*(?:([AaPp])\.?\s*[Mm]\.?)?")
MIXED_ORDER = ("its dates are written both day first (31/12/…) and month first (12/31/…): "
               "re-export it from Strava rather than from a spreadsheet")
DAY_FIRST_GUESS = "slashed dates read day first (no date in the file tells the order)"

ENGLISH = ["Activity ID", "Activity Date", "Activity Name", "Activity Type"]
OLD_LAYOUT = ["id", "date", "name", "type", "description", "elapsed_time", "distance"]
# The current layout's columns 5 to 9 (Elapsed Time, Distance, Max Heart Rate, Relative
# Effort, Commute) come back later under the same names, in whatever language: that is how a
# header in a language runlog has no names for is known, and where its columns are.
_REPEATED = range(5, 10)

UNIT_WORDS = {"km": "kilometres", "mi": "miles"}


def _repeats(names: list[str]) -> bool:
    """Whether `names` has the current layout's signature: columns 5 to 9 named again later."""
    return len(names) > 12 and all(
        names[index] and names[index] in names[index + 1:] for index in _REPEATED
    )


class _Columns:
    """Where each field is in this file's layout; -1 when the export lacks it."""

    def __init__(self, header: list[str]):
        names = [name.strip() for name in header]
        if names and names[0].startswith("\ufeff"):
            names[0] = names[0][1:]

        def nth(name: str, occurrence: int, after: int = -1) -> int:
            seen = 0
            for index, found in enumerate(names):
                if index > after and found == name:
                    seen += 1
                    if seen == occurrence:
                        return index
            return -1

        self.problem = None
        self.layout = "current"
        self.distance_is_metres = False  # the old layout's only distance column
        self.private_note = self.moving = -1
        if names[:7] == OLD_LAYOUT:
            self.layout = "old"
            self.id, self.date, self.name, self.type, self.description = 0, 1, 2, 3, 4
            self.elapsed, self.elapsed_again = 5, -1
            self.distance_units, self.distance_m = -1, 6
        elif "Activity Date" in names or "Activity Type" in names or not _repeats(names):
            self.id = nth("Activity ID", 1)
            self.date = nth("Activity Date", 1)
            self.name = nth("Activity Name", 1)
            self.type = nth("Activity Type", 1)
            self.description = nth("Activity Description", 1)
            self.private_note = nth("Activity Private Note", 1)
            self.elapsed = nth("Elapsed Time", 1)
            self.elapsed_again = nth("Elapsed Time", 2)
            self.moving = nth("Moving Time", 1)
            self.distance_units = nth("Distance", 1)
            self.distance_m = nth("Distance", 2)
            missing = [
                name
                for name, index in (("Activity Date", self.date), ("Activity Type", self.type))
                if index < 0
            ]
            if missing:
                self.problem = f"not a Strava activities.csv: no {' or '.join(missing)} column"
        else:  # the current layout in another language: by place
            self.layout = "localised"
            self.id, self.date, self.name, self.type, self.description = 0, 1, 2, 3, 4
            self.private_note = 10
            self.elapsed, self.distance_units = 5, 6
            self.elapsed_again = nth(names[5], 1, after=5)
            self.distance_m = nth(names[6], 1, after=6)
            self.moving = self.elapsed_again + 1 if self.elapsed_again > 0 else -1


def is_header(header: list[str]) -> bool:
    """Whether a CSV header row (names trimmed) is a Strava activities.csv's: the English
    one, the archive before 2019, or the current layout in any language (by its repeated
    names)."""
    if header and header[0].startswith("\ufeff"):
        header = [header[0][1:], *header[1:]]
    return (header[:4] == ENGLISH or header[:7] == OLD_LAYOUT or _repeats(header))


def kind_of(activity_type: str) -> str | None:
    """runlog's kind for a Strava activity type in any language Strava writes, or None for
    another sport. A type not in TYPES is read by Garmin's rules, which know the running,
    treadmill and walking words of more languages (`Corrida em esteira`, `Laufbandtraining`)
    and keep skiing and skating out."""
    name = unicodedata.normalize("NFC", activity_type).strip().casefold()
    kind = TYPES.get(name)
    if kind is None and name:
        from runlog.interchange.garmin import kind_of as garmin_kind

        kind = garmin_kind(name)
    return kind


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if 0 <= index < len(cells) else ""


def _slash_order(path: Path) -> bool | None | str:
    """How the file's slashed dates (`5/6/2022 …`) put day and month: True month first (a
    second number over 12 somewhere), False day first (a first number over 12 somewhere,
    or none telling: DAY_FIRST_GUESS, said), None when there are no slashed dates,
    MIXED_ORDER when both are seen."""
    slashed = month_first = day_first = False
    for cell in csv_records(path, _Columns, lambda cells, line, columns: _cell(cells,
                                                                                columns.date)):
        match = _SLASHED.fullmatch(cell) if isinstance(cell, str) else None
        if match:
            slashed = True
            month_first |= int(match[2]) > 12
            day_first |= int(match[1]) > 12
    if month_first and day_first:
        return MIXED_ORDER
    if month_first or day_first:
        return month_first
    return DAY_FIRST_GUESS if slashed else None


def _slashed(match: re.Match, month_first: bool) -> datetime:
    first, second, year, hour, minute, second_s, half = match.groups()
    month, day = (int(first), int(second)) if month_first else (int(second), int(first))
    hour = int(hour)
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"cannot read the Activity Date {match[0]!r}")
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    try:
        return datetime(int(year), month, day, hour, int(minute), int(second_s or 0),
                        tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(f"cannot read the Activity Date {match[0]!r}") from None


def parse_strava_date(text: str, month_first: bool = False) -> datetime:
    """An Activity Date, which is UTC, as an aware datetime: `May 29, 2022, 3:53:35 PM`
    (English), `29.05.2022, 15:53:35`, `6 mei 2013 15:39:08`, `2016-03-13 09:46:22` (before
    2019)... in any language (runlog.interchange.locales). Never depends on the process
    locale. Raises ValueError naming the text."""
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
    slashed = _SLASHED.fullmatch(text.strip())
    if slashed:  # in the order the whole file tells (day first: CLDR's dd/MM/y, pt_PT)
        return _slashed(slashed, month_first)
    from runlog.interchange.locales import parse_month_date

    try:
        # day first: CLDR's slashed dates with the year last are dd/MM/y (pt_PT)
        return parse_month_date(text, day_first=True).replace(tzinfo=timezone.utc)
    except ValueError:
        pass
    if _ISO_LIKE.match(text.strip()):  # an offset or fractions: ISO 8601 as dateutil reads it
        from dateutil import parser

        try:
            moment = parser.isoparse(text.strip())
        except (ValueError, OverflowError):
            pass
        else:
            return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    raise ValueError(f"cannot read the Activity Date {text!r}")


def _note(cells: list[str], columns: _Columns) -> str | None:
    parts = [_cell(cells, columns.description), _cell(cells, columns.private_note)]
    text = "\n".join(part for part in parts if part)
    if not text:
        name = _cell(cells, columns.name)
        text = "" if _DEFAULT_NAME.fullmatch(name) else name
    return text or None


def _elapsed_impossible(distance_m: float | None, duration_s: float, kind: str) -> bool:
    """Whether an elapsed time is one no one takes: over runlog's 48 h, or slower than 1 km
    an hour for the distance (the importer would refuse it either way)."""
    if duration_s > MAX_DURATION_S:
        return True
    if distance_m:
        from runlog.plausible import SLOWEST_S_PER_KM

        return duration_s / (distance_m / 1000) > SLOWEST_S_PER_KM
    return False


def _record(cells: list[str], line: int, columns: _Columns, units: str | None,
            month_first: bool = False):
    """A row's record, or (Notice, ..., Row) when the row was read in a way to be said."""
    activity_type = _cell(cells, columns.type)
    kind = kind_of(activity_type)
    if kind is None:
        return Skipped(line, activity_type or "no activity type")
    notices = []
    try:
        start = parse_strava_date(_cell(cells, columns.date), month_first)
        duration_s = parse_number(_cell(cells, columns.elapsed))
        if duration_s is None:
            duration_s = parse_number(_cell(cells, columns.elapsed_again))
        distance_m = parse_number(_cell(cells, columns.distance_m))
        if distance_m is None:
            distance_units = parse_number(_cell(cells, columns.distance_units))
            if distance_units is not None:
                unit = units or "km"
                distance_m = distance_units * METRES_PER_UNIT[unit]
                hint = "" if units else "; --units mi if they are miles"
                notices.append(Notice(line, f"distances read in {UNIT_WORDS[unit]} (Strava's "
                                            f"display units, no metres column{hint})"))
        distance_m, duration_s = positive(distance_m), positive(duration_s)
        if duration_s is not None and _elapsed_impossible(distance_m, duration_s, kind):
            moving_s = positive(parse_number(_cell(cells, columns.moving)))
            if moving_s is not None and not _elapsed_impossible(distance_m, moving_s, kind):
                duration_s = moving_s
                notices.append(Notice(line, ELAPSED_NOTICE))
            elif duration_s > MAX_DURATION_S:  # one such row never refuses the history
                return LeftOut(line, TOO_LONG)
    except ValueError as error:
        return Bad(line, f"line {line}: {error}")
    activity_id = _cell(cells, columns.id)
    record = activity(SOURCE, line, f"line {line}", activity_id or None, start, kind,
                      distance_m, duration_s, _note(cells, columns))
    if notices and isinstance(record, Row):
        return (*notices, record)
    return record


def read_strava(path: Path, units: str | None = "km") -> Iterator[Record]:
    """Runs, trail runs, virtual runs, walks and hikes as Rows; other sports Skipped.
    `units` is what the first Distance column is in (`km`, `mi`, or None when the runner
    did not say: then km, and the summary says so), used only when a row has no metres."""
    if units is not None and units not in METRES_PER_UNIT:
        raise ValueError(f"units must be km or mi, not {units!r}")
    order = _slash_order(path)  # one pass over the dates, before the rows are read
    if order == MIXED_ORDER:
        yield Bad(0, MIXED_ORDER)
        return
    if order == DAY_FIRST_GUESS:
        yield Notice(0, DAY_FIRST_GUESS)
        order = False
    for record in csv_records(
        path, _Columns,
        lambda cells, line, columns: _record(cells, line, columns, units, order is True)
    ):
        if isinstance(record, tuple):
            yield from record
        else:
            yield record
