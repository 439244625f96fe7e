"""GPX files: one Row per timed track, 2D distance, elapsed time, offsets kept as instants."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from runlog.errors import InputError
from runlog.interchange import Bad, LeftOut, Row, Skipped, read
from runlog.interchange.gpx import kind_of

WALK_1 = "gpx/2025-08-30 20_29_18.085 BC Cadzand-Bad.gpx"
WALK_2 = "gpx/2025-09-03 11_32_33.996 Cadzand-Bad.gpx"
# Written for runlog (tests/data/gpx/make_offset_run.py), not a sample. Absolute, so that
# `samples / RUN` is this path.
RUN = Path(__file__).resolve().parents[1] / "data" / "gpx" / "offset_run.gpx"


@pytest.mark.parametrize(
    ("name", "date", "km", "duration_s", "note"),
    [
        # pytrainer-style, +01:00 offsets, no name or type, a 60 s stop: 07:30-08:06+01:00;
        # 6.361 km: haversine over its points at gpxpy's Earth radius (6378137 m), 2D
        (RUN, "2025-06-14T08:30:00+02:00", 6.361, 2160, None),
        # OpenTracks walks (type "unknown" -> run, see gpx.py), +02:00
        (WALK_1, "2025-08-30T20:29:19+02:00", 1.090, 760.709, "BC Cadzand-Bad"),
        (WALK_2, "2025-09-03T11:32:37+02:00", 1.447, 1160.989, "NB Cadzand-Bad"),
    ],
)
def test_samples(samples, name, date, km, duration_s, note):
    (row,) = read(samples / name)
    assert isinstance(row, Row) and row.line == 1
    entry = row.entry
    assert entry.date == date
    assert entry.distance_m / 1000 == pytest.approx(km, abs=0.005)
    assert entry.duration_s == pytest.approx(duration_s, abs=0.001)
    assert (entry.kind, entry.note, entry.source) == ("run", note, "gpx")


def test_the_same_file_gives_the_same_id():
    (first,), (again,) = read(RUN), read(RUN)
    assert first.entry.uuid == again.entry.uuid


def _gpx(*tracks: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">\n'
        + "".join(tracks)
        + "</gpx>\n"
    )


def _track(
    type_: str | None = None,
    times=("2024-06-01T05:00:00Z", "2024-06-01T05:30:00Z"),
    name: str | None = None,
) -> str:
    points = "".join(
        f'<trkpt lat="52.0" lon="{4.0 + index * 0.05}">'
        + (f"<time>{time}</time>" if time else "")
        + "</trkpt>"
        for index, time in enumerate(times)
    )
    return (
        "<trk>"
        + (f"<name>{name}</name>" if name else "")
        + (f"<type>{type_}</type>" if type_ else "")
        + f"<trkseg>{points}</trkseg></trk>\n"
    )


def test_utc_times_become_local_and_distance_is_2d(tmp_path):
    path = tmp_path / "a.gpx"
    path.write_text(_gpx(_track("running")), encoding="utf-8")
    (row,) = read(path)
    assert row.entry.date == "2024-06-01T07:00:00+02:00"
    assert row.entry.duration_s == 1800
    assert row.entry.distance_m == pytest.approx(3430, rel=0.01)  # 0.05° of longitude at 52°N


def test_one_record_per_track_and_tracks_without_times_are_left_out(tmp_path):
    path = tmp_path / "b.gpx"
    path.write_text(
        _gpx(
            _track("hiking"),
            _track(times=(None, None)),
            _track("cycling"),
            _track("trail_running", name="Ridge"),
        ),
        encoding="utf-8",
    )
    found = list(read(path))
    # deliberately changed: a track without times is said (LeftOut), no longer passed over
    assert [(type(record), record.line) for record in found] == [
        (Row, 1), (LeftOut, 2), (Skipped, 3), (Row, 4)]
    assert found[0].entry.kind == "walk" and found[1].reason == "tracks without times"
    assert found[2].reason == "cycling"
    assert (found[3].entry.kind, found[3].entry.note) == ("trail", "Ridge")


def test_a_file_without_timed_points_imports_nothing_and_says_why(tmp_path):
    # deliberately changed: was Bad; now the track is left out and the summary says why
    path = tmp_path / "route.gpx"
    path.write_text(_gpx(_track(times=(None, None))), encoding="utf-8")
    assert list(read(path)) == [LeftOut(1, "tracks without times")]


def test_a_gpx_truncated_mid_file_fails_cleanly(tmp_path):
    whole = RUN.read_bytes()
    path = tmp_path / "cut.gpx"
    path.write_bytes(whole[: len(whole) // 2])
    (bad,) = read(path)
    assert isinstance(bad, Bad) and bad.line == 0
    assert bad.message.startswith("unreadable GPX file: ")
    assert len(bad.message) > len("unreadable GPX file: ")  # the parser's own words


def test_a_single_point_track_has_nothing_to_import(tmp_path):
    path = tmp_path / "dot.gpx"
    path.write_text(_gpx(_track(times=("2024-06-01T05:00:00Z",))), encoding="utf-8")
    assert list(read(path)) == [LeftOut(1, "zero-length tracks")]  # deliberately renamed


@pytest.mark.parametrize(
    ("track_type", "kind"),
    [
        (None, "run"),
        ("", "run"),
        ("unknown", "run"),
        ("running", "run"),
        ("Run", "run"),
        ("9", "run"),
        ("walking", "walk"),
        ("Hiking", "walk"),
        ("trail_running", "trail"),
        ("treadmill_running", "treadmill"),
        ("cycling", None),
        ("Ride", None),
        ("swimming", None),
        ("alpine_skiing", None),
    ],
)
def test_kinds(track_type, kind):
    assert kind_of(track_type) == kind


def test_without_gpxpy_the_user_is_told_to_install_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "gpxpy", None)  # import gpxpy now raises ImportError
    with pytest.raises(InputError) as raised:
        read(RUN)  # raised at once, before iterating
    assert raised.value.message == "reading GPX files needs gpxpy (runlog's formats extra)"
    assert raised.value.hint == ("pip install gpxpy into runlog's environment, or from a "
                                 "checkout pip install '.[formats]'")
