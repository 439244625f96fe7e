"""GPX sports and what is left out: Strava's numeric types, Runkeeper's sport in the track
name and any type runlog does not know are other sports, never runs; tracks without times,
with placeholder times or of no length are left out and said; a point without coordinates
is skipped and its run kept. Expected values come from gpxpy and xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import gpxpy
import pytest

from runlog.interchange import Bad, LeftOut, Notice, Row, Skipped, read
from runlog.interchange.gpx import STRAVA_TYPE_CODES, kind_of

DATA = Path(__file__).resolve().parents[1] / "data" / "gpx_real"
GPX_NS = {"g": "http://www.topografix.com/GPX/1/1"}


def gpxpy_tracks(path: Path):
    with open(path, encoding="utf-8") as stream:
        return gpxpy.parse(stream).tracks


def test_the_real_gpsbabel_file_leaves_out_its_untimed_tracks_and_keeps_the_timed_ones():
    path = DATA / "korita-zbevnica.gpx"
    tracks = gpxpy_tracks(path)
    records = list(read(path))
    assert len(records) == len(tracks) == 4
    for number, (record, track) in enumerate(zip(records, tracks), 1):
        bounds = track.get_time_bounds()
        if bounds.start_time is None:
            assert record == LeftOut(number, "tracks without times")
        else:
            assert isinstance(record, Row)
            assert record.entry.distance_m == pytest.approx(track.length_2d(), abs=0.01)
            assert record.entry.duration_s == (bounds.end_time - bounds.start_time).seconds
            assert record.entry.note == track.name


def test_strava_numeric_types_name_their_sport():
    path = DATA / "strava_types.gpx"
    types = [trk.findtext("g:type", namespaces=GPX_NS)
             for trk in ET.parse(path).getroot().iterfind("g:trk", GPX_NS)]
    assert types == ["9", "1", "10", "99"]
    records = list(read(path))
    assert isinstance(records[0], Row) and records[0].entry.kind == "run"
    assert records[1] == Skipped(2, "Cycling")  # Strava's 1: a ride, never a run
    assert isinstance(records[2], Row) and records[2].entry.kind == "walk"
    assert records[3] == Skipped(4, "Strava type 99")  # a code runlog does not know
    tracks = gpxpy_tracks(path)
    assert records[0].entry.distance_m == pytest.approx(tracks[0].length_2d(), abs=0.01)


def test_runkeeper_names_its_sport_in_the_track_name_and_only_runkeeper(tmp_path):
    path = DATA / "runkeeper_sports.gpx"
    names = [track.name for track in gpxpy_tracks(path)]
    assert names == ["Cycling 10/2/17 6:01 pm", "Running 3/4/18 7:43 am"]
    records = list(read(path))
    assert records[0] == Skipped(1, "Cycling")
    assert isinstance(records[1], Row) and records[1].entry.kind == "run"
    # from another app the same names are just names: no type said, so runs
    other = tmp_path / "other.gpx"
    other.write_text(path.read_text(encoding="utf-8").replace(
        "Runkeeper - http://www.runkeeper.com", "OtherApp"), encoding="utf-8")
    assert [record.entry.kind for record in read(other)] == ["run", "run"]


def test_placeholder_times_blips_and_points_without_coordinates():
    path = DATA / "watch_quirks.gpx"
    root = ET.parse(path).getroot()
    fourth = root.findall("g:trk", GPX_NS)[3]
    points = fourth.findall("g:trkseg/g:trkpt", GPX_NS)
    assert sum(1 for point in points if point.get("lat") is None) == 1
    records = list(read(path))
    assert records[:3] == [LeftOut(1, "placeholder dates (1970-01-01, 1901)"),
                           LeftOut(2, "placeholder dates (1970-01-01, 1901)"),
                           LeftOut(3, "zero-length tracks")]
    assert records[3] == Notice(4, "points without coordinates, skipped")
    run = records[4]
    assert isinstance(run, Row) and run.line == 4
    times = [point.findtext("g:time", namespaces=GPX_NS) for point in points]
    assert run.entry.duration_s == 20 * 90 and times[0] == "2024-06-01T06:00:00Z"
    # the distance of the points that have coordinates, by gpxpy
    kept = [gpxpy.gpx.GPXTrackPoint(float(p.get("lat")), float(p.get("lon")))
            for p in points if p.get("lat") is not None]
    assert run.entry.distance_m == pytest.approx(gpxpy.geo.length_2d(kept), abs=0.01)


@pytest.mark.parametrize(("track_type", "kind"), [
    ("9", "run"), ("53", "treadmill"), ("VirtualRun", "treadmill"), ("VirtualRide", None),
    ("indoor_running", "treadmill"), ("indoor_cycling", None), ("10", "walk"), ("4", "walk"),
    ("1", None), ("2", None), ("16", None), ("17", None), ("99", None),
    ("unknown", "run"), ("generic", "run"), ("", "run"), (None, "run"),
    ("Laufen", "run"), ("Hardlopen", "run"), ("course à pied", "run"), ("Laufband", "treadmill"),
    ("Wandern", "walk"), ("Wandelen", "walk"), ("Spaziergang", "walk"),
    ("Radfahren", None), ("Fietsen", None), ("Skilanglauf", None), ("Eislaufen", None),
    ("Biking", None), ("Other", None), ("yoga", None), ("jkljkl", None),
])
def test_kinds_of_types(track_type, kind):
    assert kind_of(track_type) == kind


def test_the_strava_table_names_run_walk_and_hike_where_strava_puts_them():
    assert (STRAVA_TYPE_CODES[9], STRAVA_TYPE_CODES[10], STRAVA_TYPE_CODES[4],
            STRAVA_TYPE_CODES[1]) == ("Running", "Walking", "Hiking", "Cycling")


def _gpx(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="t" '
            'xmlns="http://www.topografix.com/GPX/1/1">\n' + body + "</gpx>\n")


def test_a_file_without_any_track_is_refused(tmp_path):
    path = tmp_path / "route.gpx"
    path.write_text(_gpx('<rte><rtept lat="52" lon="4"/><rtept lat="52.1" lon="4"/></rte>'),
                    encoding="utf-8")
    assert list(read(path)) == [Bad(0, "the GPX file has no track (a route or waypoints "
                                       "only: a plan, not a recorded activity)")]


def test_a_ride_without_times_is_still_a_ride(tmp_path):
    path = tmp_path / "a.gpx"
    path.write_text(_gpx('<trk><type>cycling</type><trkseg><trkpt lat="52" lon="4"/>'
                         "</trkseg></trk>"), encoding="utf-8")
    assert list(read(path)) == [Skipped(1, "cycling")]


@pytest.mark.parametrize(("cut", "words"), [
    (lambda text: text[: len(text) // 2], "(the file ends early?)"),
    (lambda text: text.replace("</trkseg>", "</trk>", 1), "(mismatched tag)"),
])
def test_broken_xml_names_the_line_in_a_runners_words(tmp_path, cut, words):
    whole = (DATA / "strava_types.gpx").read_text(encoding="utf-8")
    path = tmp_path / "cut.gpx"
    path.write_text(cut(whole), encoding="utf-8")
    (bad,) = read(path)
    assert bad.message.startswith("unreadable GPX file: not well-formed XML at line ")
    assert bad.message.endswith(words)
    line = int(bad.message.split(" at line ")[1].split()[0])
    try:
        ET.fromstring(cut(whole))
    except ET.ParseError as error:  # xml.etree's own reading puts it on the same line
        assert error.position[0] == line
    assert "Error" not in bad.message and "line 1:" not in bad.message
