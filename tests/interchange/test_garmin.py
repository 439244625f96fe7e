"""Garmin Connect Activities.csv: localized numbers, local wall-clock dates, run/walk types."""

from __future__ import annotations

from collections import Counter

import pytest

from runlog.interchange import Bad, Notice, Row, Skipped
from runlog.interchange import read as read_all
from runlog.interchange._common import parse_clock, parse_number
from runlog.interchange.garmin import kind_of

SAMPLE = "garmin/Activities.csv"


def read(*args, **kwargs):
    """The records but the Notice naming the unit, in km unless said (these files have no
    stride and cadence columns to tell it by: tests/interchange/test_garmin_i18n.py)."""
    kwargs.setdefault("units", "km")
    return [record for record in read_all(*args, **kwargs) if not isinstance(record, Notice)]


def test_every_row_of_the_european_sample_is_a_run(samples):
    found = list(read(samples / SAMPLE))
    assert len(found) == 1131
    assert all(isinstance(record, Row) for record in found)
    # Running 774 + Ultra Running 11 -> run; Treadmill Running 188; Trail Running 158
    assert Counter(record.entry.kind for record in found) == {
        "run": 785,
        "treadmill": 188,
        "trail": 158,
    }
    assert [record.line for record in found] == list(range(2, 1133))  # CRLF, one line a row
    assert len({record.entry.uuid for record in found}) == 1131


@pytest.mark.parametrize(
    ("line", "date", "distance_m", "duration_s", "kind", "note"),
    [
        # "3,40" km, Time and Elapsed Time 00:17:01, a winter date (+01:00)
        (2, "2026-01-04T12:38:59+01:00", 3400, 1021, "treadmill", None),
        # a custom title becomes the note; the default "Sheffield Running" does not
        (34, "2025-11-15T12:12:34+01:00", 12640, 4670, "run", "Sheffield - Base"),  # 01:17:50
        # Time "00:04:33,1" (decimal comma) but Elapsed Time 00:05:39 wins; summer: +02:00
        (83, "2025-09-21T12:35:22+02:00", 500, 339, "run", None),
        # the only three-digit distance, "110,98", an Ultra Running of 15:33:57
        (136, "2025-06-14T07:00:20+02:00", 110980, 56037, "run", "The wall"),
    ],
)
def test_spot_checks(samples, line, date, distance_m, duration_s, kind, note):
    rows = {record.line: record.entry for record in read(samples / SAMPLE)}
    entry = rows[line]
    assert (entry.date, entry.distance_m, entry.duration_s, entry.kind, entry.note) == (
        date,
        distance_m,
        duration_s,
        kind,
        note,
    )
    assert entry.source == "garmin"


ENGLISH = (
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Steps,Elapsed Time\r\n"
    'Running,2024-03-10 07:15:00,false,"Sunday long run","21.10","1,456","01:55:31.4","150",'
    '"21,034","01:58:02"\r\n'
    'Walking,2024-03-11 12:00:00,false,"Amsterdam Walking","3.40","200","00:45:00","--",'
    '"4,120","--"\r\n'
    'Hiking,2024-03-12 09:00:00,true,"Hills","12.00","900","03:10:00","--","--","03:40:00"\r\n'
    'Cycling,2024-03-13 09:00:00,false,"Commute","8.20","200","00:25:00","--","--","00:26:00"\r\n'
    'Pool Swim,2024-03-14 09:00:00,false,"Pool","1,500","300","00:30:00","--","--","00:35:00"\r\n'
    'Treadmill Running,2024-03-15 18:00:00,false,"Treadmill Running","--","300","00:30:00",'
    '"--","--","--"\r\n'
)


def test_an_english_number_layout_with_fewer_columns(tmp_path):
    path = tmp_path / "Activities.csv"
    path.write_text(ENGLISH, encoding="utf-8", newline="")
    found = list(read(path))
    assert [type(record) for record in found] == [Row, Row, Row, Skipped, Skipped, Row]
    run, walk, hike, _, _, treadmill = found
    assert (run.entry.distance_m, run.entry.duration_s, run.entry.note) == (
        21100,
        7082,
        "Sunday long run",
    )
    assert run.entry.date == "2024-03-10T07:15:00+01:00"
    assert (walk.entry.kind, walk.entry.distance_m, walk.entry.duration_s, walk.entry.note) == (
        "walk",
        3400,
        2700,
        None,
    )  # "--" elapsed time: the Time column
    assert hike.entry.kind == "walk" and hike.entry.duration_s == 3 * 3600 + 40 * 60
    assert (found[3].reason, found[4].reason) == ("Cycling", "Pool Swim")
    assert (treadmill.entry.distance_m, treadmill.entry.duration_s) == (None, 1800)


def test_miles_accounts(tmp_path):
    path = tmp_path / "Activities.csv"
    path.write_text(ENGLISH, encoding="utf-8", newline="")
    run = next(iter(read(path, units="mi")))
    assert run.entry.distance_m == pytest.approx(21.10 * 1609.344)


def test_a_bad_value_is_a_bad_row_and_a_foreign_header_is_refused(tmp_path):
    path = tmp_path / "Activities.csv"
    path.write_text(ENGLISH.replace('"21.10"', '"21 km"'), encoding="utf-8", newline="")
    assert next(iter(read(path))) == Bad(2, "line 2: could not convert string to float: '21km'")
    path.write_text("Activity Type,When,Distance\r\nRunning,x,1\r\n", encoding="utf-8")
    assert list(read(path, "garmin")) == [
        Bad(1, "line 1: not a Garmin Activities.csv: no Date column")
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3,40", 3.40),
        ("3.40", 3.40),
        ("110,98", 110.98),
        ("2.932", 2.932),
        ("1.234.567", 1234567),
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("12", 12),
        ("1 234,5", 1234.5),
        ("--", None),
        ("", None),
        ("-4", -4),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["nan", "inf", "abc", "1,2,3.4.5"])
def test_parse_number_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("01:02:03", 3723),
        ("00:25:31,4", 1531.4),
        ("00:25:31.4", 1531.4),
        ("25:31", 1531),
        ("90", 90),
        ("--", None),
        ("", None),
    ],
)
def test_parse_clock(text, seconds):
    assert parse_clock(text) == pytest.approx(seconds) if seconds else parse_clock(text) is None


@pytest.mark.parametrize("text", ["1:-2:03", "a:b", "1::2", "1:2:3:4"])
def test_parse_clock_refuses(text):
    with pytest.raises(ValueError):
        parse_clock(text)


@pytest.mark.parametrize(
    ("activity_type", "kind"),
    [
        ("Running", "run"),
        ("Street Running", "run"),
        ("Track Running", "run"),
        ("Ultra Running", "run"),
        ("Ultra Run", "run"),
        ("Trail Running", "trail"),
        ("Treadmill Running", "treadmill"),
        ("Indoor Running", "treadmill"),
        ("Virtual Run", "treadmill"),
        ("Walking", "walk"),
        ("Hiking", "walk"),
        ("Casual Walking", "walk"),
        ("Cycling", None),
        ("Pool Swim", None),
        ("Strength", None),
    ],
)
def test_kinds(activity_type, kind):
    assert kind_of(activity_type) == kind
