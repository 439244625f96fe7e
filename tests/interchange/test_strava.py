"""Strava bulk-export activities.csv: positional columns, UTC dates, sports kept and skipped."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime, timezone

import pytest

from runlog.interchange import Bad, LeftOut, Notice, Row, Skipped, read
from runlog.interchange.strava import parse_strava_date

GEO = "strava/geo-activity-playground/activities.csv"
MAP = "strava/Strava-Activity-Map/activities.csv"


def test_the_geo_activity_playground_row(samples):
    (row,) = read(samples / GEO)
    assert row.line == 2
    entry = row.entry
    assert entry.kind == "run" and entry.source == "strava"
    assert entry.date == "2022-05-29T17:53:35+02:00"  # 15:53:35 UTC in Amsterdam summer time
    assert entry.distance_m == 3322.949951171875  # the metres column, not 3.32 km
    assert entry.duration_s == 1428
    assert entry.note == "Laufen Landal Park"


def test_the_full_export_keeps_runs_walks_and_hikes_and_skips_the_rest(samples):
    # 21 rows whose elapsed time no one takes come with a Notice (moving time used):
    # tests/interchange/test_strava_i18n.py looks at those.
    found = [record for record in read(samples / MAP) if not isinstance(record, Notice)]
    assert len(found) == 1845
    assert not [record for record in found if isinstance(record, Bad)]
    rows = [record for record in found if isinstance(record, Row)]
    assert len(rows) == 643 + 3 + 110
    assert Counter(row.entry.kind for row in rows) == {"run": 643, "walk": 113}
    assert Counter(record.reason for record in found if isinstance(record, Skipped)) == {
        "Ride": 947,
        "Nordic Ski": 58,
        "Alpine Ski": 57,
        "Sail": 20,
        "Snowshoe": 5,
        "Canoe": 1,
        "Velomobile": 1,
    }
    assert len({row.entry.uuid for row in rows}) == len(rows)
    assert [record.line for record in found] == list(range(2, 1847))  # no newlines in fields


def test_the_full_export_last_run(samples):
    last = [record for record in read(samples / MAP) if isinstance(record, Row)][-1]
    assert last.line == 1845  # "Morning Run", Aug 25, 2025, 2:15:30 PM UTC
    assert last.entry.date == "2025-08-25T16:15:30+02:00"
    assert last.entry.distance_m == 9385.2001953125
    assert last.entry.duration_s == 3032
    assert last.entry.note is None  # a default name is not a note


def test_importing_twice_gives_the_same_ids(samples):
    first = [record.entry.uuid for record in read(samples / MAP) if isinstance(record, Row)]
    again = [record.entry.uuid for record in read(samples / MAP) if isinstance(record, Row)]
    assert first == again


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 29, 2022, 3:53:35 PM", datetime(2022, 5, 29, 15, 53, 35, tzinfo=timezone.utc)),
        ("Oct 5, 2014, 12:15:21 AM", datetime(2014, 10, 5, 0, 15, 21, tzinfo=timezone.utc)),
        ("Dec 31, 2024, 12:00:00 PM", datetime(2024, 12, 31, 12, 0, 0, tzinfo=timezone.utc)),
        ("Sept 1, 2024, 6:01:02 am", datetime(2024, 9, 1, 6, 1, 2, tzinfo=timezone.utc)),
        ("2024-09-01 06:01:02", datetime(2024, 9, 1, 6, 1, 2, tzinfo=timezone.utc)),
    ],
)
def test_activity_dates_are_utc(text, expected):
    assert parse_strava_date(text) == expected


# A smaller layout of our own: different width and order after the first columns, and only
# one Distance column (so in the athlete's units).
def _export(rows: list[list[str]], header: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        header
        or [
            "Activity ID",
            "Activity Date",
            "Activity Name",
            "Activity Type",
            "Activity Description",
            "Elapsed Time",
            "Distance",
            "Commute",
            "Elapsed Time",
            "Moving Time",
            "Distance",
            "Commute",
        ]
    )
    writer.writerows(rows)
    return out.getvalue()


def _row(
    type_="Run",
    distance_km="5.00",
    distance_m="5012.5",
    elapsed="1800",
    date="Jan 15, 2024, 7:00:00 AM",
    name="Morning Run",
    description="",
    id_="1",
):
    return [
        id_,
        date,
        name,
        type_,
        description,
        elapsed,
        distance_km,
        "false",
        elapsed + ".0",
        elapsed,
        distance_m,
        "false",
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            _row(),
            {
                "kind": "run",
                "distance_m": 5012.5,
                "date": "2024-01-15T08:00:00+01:00",
                "duration_s": 1800,
                "note": None,
            },
        ),
        (_row(type_="Trail Run", name="Ridge loop"), {"kind": "trail", "note": "Ridge loop"}),
        (_row(type_="Virtual Run"), {"kind": "treadmill"}),
        (
            _row(type_="Walk", description="cried at the bench, felt lighter"),
            {"kind": "walk", "note": "cried at the bench, felt lighter"},
        ),
        (_row(type_="Hike"), {"kind": "walk"}),
        (_row(distance_m=""), {"distance_m": 5000}),
        (_row(distance_m="0.0", distance_km="0.00", type_="Virtual Run"), {"distance_m": None}),
    ],
)
def test_generated_rows(tmp_path, row, expected):
    path = tmp_path / "activities.csv"
    path.write_text(_export([row]), encoding="utf-8")
    # a row read from the display-units column comes with a Notice naming the unit
    (record,) = [found for found in read(path) if not isinstance(found, Notice)]
    assert isinstance(record, Row), record
    assert {key: getattr(record.entry, key) for key in expected} == expected


def test_other_sports_and_rows_without_distance_or_time_are_skipped(tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(
        _export(
            [
                _row(type_="Ride"),
                _row(type_="Swim"),
                _row(distance_m="", distance_km="", elapsed=""),
            ]
        ),
        encoding="utf-8",
    )
    assert list(read(path)) == [
        Skipped(2, "Ride"),
        Skipped(3, "Swim"),
        LeftOut(4, "no distance or time"),
    ]


def test_the_first_distance_is_in_the_athletes_units(tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(_export([_row(distance_m="", distance_km="3.10")]), encoding="utf-8")
    notice, row = read(path, units="mi")  # and the summary says which unit was read
    assert notice == Notice(2, "distances read in miles (Strava's display units, no metres "
                               "column)")
    assert row.entry.distance_m == pytest.approx(3.10 * 1609.344)


def test_more_than_1000_km_is_a_bad_row(tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(
        _export([_row(distance_m="", distance_km="1,234.5", type_="Walk")]), encoding="utf-8"
    )
    assert list(read(path)) == [Bad(2, "line 2: distance 1234.5 km is more than 1000 km")]


def test_a_bad_date_is_a_bad_row(tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(_export([_row(date="yesterday-ish")]), encoding="utf-8")
    assert list(read(path)) == [Bad(2, "line 2: cannot read the Activity Date 'yesterday-ish'")]


def test_a_file_without_activity_type_is_bad(tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text("Activity ID,Activity Date,Activity Name,Kind\n1,x,y,z\n", encoding="utf-8")
    assert list(read(path, "strava")) == [
        Bad(1, "line 1: not a Strava activities.csv: no Activity Type column")
    ]


def test_the_id_is_the_activity_id(tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(_export([_row(id_="42"), _row(id_="42", elapsed="999")]), encoding="utf-8")
    first, second = read(path)
    assert first.entry.uuid == second.entry.uuid
