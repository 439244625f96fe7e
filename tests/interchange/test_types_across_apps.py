"""Activity types the issue names, read alike by both CSV readers: a treadmill run in any
language is a run, and no other sport Strava lists ever becomes one."""

import pytest

from runlog.interchange import garmin, strava

# The issue's own examples (Strava's and Garmin Connect's type strings), with their kinds.
NAMED = {
    "Laufen": "run", "Laufbandtraining": "treadmill", "Løb": "run",
    "Corrida em esteira": "treadmill", "Futás": "run", "Hardloopsessie": "run",
    "Wandeling": "walk", "Fietsrit": None,
}

# Strava's other sport types (its activity type list), none of them a run or a walk.
STRAVA_OTHER_SPORTS = [
    "Ride", "E-Bike Ride", "Mountain Bike Ride", "Gravel Ride", "E-Mountain Bike Ride",
    "Virtual Ride", "Nordic Ski", "Alpine Ski", "Backcountry Ski", "Roller Ski", "Snowboard",
    "Snowshoe", "Ice Skate", "Inline Skate", "Skateboard", "Sail", "Canoe", "Kayaking",
    "Rowing", "Virtual Row", "Stand Up Paddling", "Surfing", "Kitesurf", "Windsurf", "Swim",
    "Velomobile", "Handcycle", "Wheelchair", "Workout", "Weight Training", "Crossfit",
    "Elliptical", "Stair-Stepper", "Yoga", "Pilates", "HIIT", "Rock Climbing", "Golf",
    "Soccer", "Tennis", "Pickleball", "Padel", "Badminton", "Squash", "Table Tennis",
    "Racquetball", "Dance", "Skilanglauf", "Eislaufen", "Radfahrt",
]


@pytest.mark.parametrize("reader", [strava, garmin], ids=["strava", "garmin"])
@pytest.mark.parametrize("name", list(NAMED))
def test_the_issues_type_strings_read_alike_in_both_readers(reader, name):
    assert reader.kind_of(name) == NAMED[name]


@pytest.mark.parametrize("name", STRAVA_OTHER_SPORTS)
def test_no_other_strava_sport_becomes_a_run_or_walk(name):
    assert strava.kind_of(name) is None


# --- slashed dates, as a spreadsheet re-saves a Strava export ------------------------------

import csv  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

from runlog.interchange import Bad, Notice, Row, read  # noqa: E402

STRAVA_FULL = (Path(__file__).resolve().parents[1] / "data" / "samples" / "strava"
               / "Strava-Activity-Map" / "activities.csv")


def _resaved(tmp_path, write_date) -> tuple[Path, list[datetime]]:
    """The real export with each Activity Date re-written by `write_date(moment)`, and the
    moments as the csv module reads the original (English, UTC)."""
    with open(STRAVA_FULL, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    moments = []
    for row in rows[1:]:
        moment = datetime.strptime(row[1], "%b %d, %Y, %I:%M:%S %p").replace(
            tzinfo=timezone.utc)
        moments.append(moment)
        row[1] = write_date(moment)
    path = tmp_path / "activities.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    return path, moments


def _starts(path) -> dict[int, datetime]:
    return {record.line: datetime.fromisoformat(record.entry.date).astimezone(timezone.utc)
            for record in read(path) if isinstance(record, Row)}


def test_us_slashed_dates_are_read_month_first_in_every_row(tmp_path):
    path, moments = _resaved(tmp_path, lambda m: f"{m.month}/{m.day}/{m.year} "
                                                 f"{m.hour}:{m.minute:02d}:{m.second:02d}")
    starts = _starts(path)
    assert len(starts) > 700
    assert all(start == moments[line - 2] for line, start in starts.items())


def test_european_slashed_dates_are_read_day_first_in_every_row(tmp_path):
    path, moments = _resaved(tmp_path, lambda m: f"{m.day:02d}/{m.month:02d}/{m.year} "
                                                 f"{m:%H:%M:%S}")
    starts = _starts(path)
    assert all(start == moments[line - 2] for line, start in starts.items())


def test_a_file_with_both_orders_is_refused_and_one_that_cannot_tell_says_its_guess(tmp_path):
    flip = iter(range(10_000))
    path, _ = _resaved(tmp_path, lambda m: (f"{m.month}/{m.day}/{m.year} {m:%H:%M}"
                                            if next(flip) % 2 else
                                            f"{m.day}/{m.month}/{m.year} {m:%H:%M}"))
    assert list(read(path)) == [Bad(0, "its dates are written both day first (31/12/…) and "
                                       "month first (12/31/…): re-export it from Strava "
                                       "rather than from a spreadsheet")]
    early, _ = _resaved(tmp_path, lambda m: f"{min(m.day, 12)}/{m.month}/{m.year} {m:%H:%M}")
    said = [record for record in read(early) if isinstance(record, Notice)]
    assert Notice(0, "slashed dates read day first (no date in the file tells the order)") \
        in said
