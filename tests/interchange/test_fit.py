"""FIT files: session summaries, a file broken partway through, and the cross-format pair."""

from __future__ import annotations

import sys
from datetime import datetime

import pytest

from runlog.interchange import Bad, Row, read
from runlog.interchange.fit import kind_of

LANDAL = "fit/2022-05-29-15-53-35_Laufen_Landal_Park.fit"
FENIX = "fit/garmin-fenix-5-run.fit"
BROKEN = "fit/strava-android-app-201.10-b1218918.fit"


@pytest.mark.parametrize(
    ("name", "date", "distance_m", "duration_s"),
    [
        (LANDAL, "2022-05-29T17:53:35+02:00", 3322.95, 1428.038),  # 15:53:35 UTC
        (FENIX, "2017-06-11T16:34:09+02:00", 157.56, 56.887),  # 14:34:09 UTC, 56.9 s
        # damaged partway through (fitdecode raises after yielding the session): kept
        (BROKEN, "2021-09-27T16:13:10+02:00", 11274.04, 3558),
    ],
)
def test_samples(samples, name, date, distance_m, duration_s):
    (row,) = [record for record in read(samples / name) if isinstance(record, Row)]
    assert isinstance(row, Row) and row.line == 1
    entry = row.entry
    assert (entry.date, entry.kind, entry.source) == (date, "run", "fit")
    assert entry.distance_m == pytest.approx(distance_m)
    assert entry.duration_s == pytest.approx(duration_s)


def test_the_landal_park_fit_and_the_strava_row_are_the_same_run(samples):
    """The importer's duplicate rule: same start within 60 s and distance within 2 %."""
    (fit,) = read(samples / LANDAL)
    (strava,) = read(samples / "strava/geo-activity-playground/activities.csv")
    start_gap = datetime.fromisoformat(fit.entry.date) - datetime.fromisoformat(strava.entry.date)
    assert abs(start_gap.total_seconds()) <= 60
    assert abs(fit.entry.distance_m - strava.entry.distance_m) <= 0.02 * strava.entry.distance_m
    assert fit.entry.uuid != strava.entry.uuid  # ids differ by source; dedup is by activity


def test_a_fit_file_cut_before_its_session_is_bad(samples, tmp_path):
    path = tmp_path / "cut.fit"
    path.write_bytes((samples / FENIX).read_bytes()[:400])
    (bad,) = read(path)
    assert isinstance(bad, Bad) and bad.line == 0
    assert bad.message == "the file ends early (truncated), before any session summary"


def test_garbage_behind_a_fit_header_is_bad(tmp_path):
    path = tmp_path / "junk.fit"
    # 64 bytes of data declared, and no definition before the first data message
    path.write_bytes(b"\x0e\x10\x00\x00\x40\x00\x00\x00.FIT\x00\x00" + b"\xff" * 64)
    (bad,) = read(path)
    assert bad == Bad(0, "the file is damaged at byte 14, before any session summary")


def test_reading_prints_and_warns_nothing(samples, capsys, recwarn):
    list(read(samples / BROKEN))
    assert capsys.readouterr() == ("", "")
    assert not [warning for warning in recwarn if "fitdecode" in str(warning.filename)]


@pytest.mark.parametrize(
    ("sport", "sub_sport", "kind"),
    [
        ("running", "generic", "run"),
        ("running", None, "run"),
        ("running", "street", "run"),
        ("running", "trail", "trail"),
        ("running", "treadmill", "treadmill"),
        ("running", "indoor_running", "treadmill"),
        ("running", "virtual_activity", "treadmill"),
        ("walking", None, "walk"),
        ("hiking", "generic", "walk"),
        ("walking", "treadmill", "walk"),
        ("cycling", "road", None),
        ("generic", None, None),
        (254, None, None),
    ],
)
def test_kinds(sport, sub_sport, kind):
    assert kind_of(sport, sub_sport) == kind


def test_fit_files_need_no_library(samples, monkeypatch):
    """runlog reads FIT files with its own scanner: fitdecode is only the tests' reference."""
    monkeypatch.setitem(sys.modules, "fitdecode", None)
    (row,) = read(samples / FENIX)
    assert isinstance(row, Row)
