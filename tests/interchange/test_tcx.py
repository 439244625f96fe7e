"""TCX files (Garmin Connect, Polar Flow, Runtastic, Strava): one record per activity, laps
summed, other sports named, multisport sessions split, what cannot be dated said, and a file
that is no activity or no XML refused in a runner's words. Expected values are read from the
files with xml.etree, not from runlog."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runlog.interchange import Bad, LeftOut, Notice, Row, Skipped, detect_format, read

TCX = Path(__file__).resolve().parents[1] / "data" / "tcx"
NS = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}


def etree_activities(path: Path) -> list[dict]:
    """Every activity as xml.etree reads it: sport, Id, summed lap distances and times,
    the last trackpoint distance, notes. (Strava's leading spaces are stripped first:
    ElementTree refuses them as expat does.)"""
    root = ET.fromstring(path.read_bytes().lstrip())
    found = []
    for activity in root.iter(f"{{{NS['t']}}}Activity"):
        laps = activity.findall("t:Lap", NS)
        lap_m = [float(lap.findtext("t:DistanceMeters", namespaces=NS)) for lap in laps
                 if lap.find("t:DistanceMeters", NS) is not None]
        points = [float(text) for text in
                  (p.findtext("t:DistanceMeters", namespaces=NS)
                   for p in activity.iterfind("t:Lap/t:Track/t:Trackpoint", NS)) if text]
        found.append({
            "sport": activity.get("Sport"),
            "id": activity.findtext("t:Id", namespaces=NS),
            "distance_m": sum(lap_m) if lap_m else max(points),
            "duration_s": sum(float(lap.findtext("t:TotalTimeSeconds", namespaces=NS))
                              for lap in laps),
            "notes": activity.findtext("t:Notes", namespaces=NS),
        })
    return found


def local(moment: str) -> str:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone().isoformat(
        timespec="seconds")


@pytest.mark.parametrize("name", [
    "garmin_connect_run.tcx",        # real: Garmin Forerunner 410 via Garmin Connect, 5 laps
    "polar_flow_run.tcx",            # Polar Flow's strings, 2 laps
    "runtastic_run.tcx",             # laps without DistanceMeters: the last trackpoint's
    "strava_run_leading_spaces.tcx",  # ten spaces before <?xml, then a ride
    "garmin_multisport.tcx",         # swim (Other), transition, bike, transition, run
])
def test_each_running_activity_is_one_row_of_its_laps_and_other_sports_are_named(name):
    path = TCX / name
    expected = etree_activities(path)
    records = list(read(path))
    assert detect_format(path) == "tcx"
    assert [record.line for record in records] == list(range(1, len(expected) + 1))
    for record, activity in zip(records, expected):
        if activity["sport"] == "Running":
            assert isinstance(record, Row), record
            entry = record.entry
            assert (entry.kind, entry.source) == ("run", "tcx")
            assert entry.date == local(activity["id"])
            assert entry.distance_m == pytest.approx(activity["distance_m"], abs=0.001)
            assert entry.duration_s == pytest.approx(activity["duration_s"], abs=0.001)
            assert entry.note == activity["notes"]
        else:
            assert record == Skipped(record.line, activity["sport"])


def test_the_real_garmin_file_sums_all_its_laps():
    (row,) = read(TCX / "garmin_connect_run.tcx")
    first_lap_only = 1609.34399414  # what a reader of the first lap alone would say
    assert row.entry.distance_m > 2 * first_lap_only
    assert row.entry.date == local("2012-12-26T21:29:53Z")


def test_a_multisport_session_is_split_and_its_transitions_are_no_activity():
    records = list(read(TCX / "garmin_multisport.tcx"))
    assert [type(record) for record in records] == [Skipped, Skipped, Row]
    assert [record.reason for record in records[:2]] == ["Other", "Biking"]
    assert records[2].entry.distance_m == 5000.0  # two run laps, not the transitions' 200 m
    assert records[2].entry.duration_s == 1306.0


def _tcx(*activities: str, root_extra: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns='
            '"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"' + root_extra
            + "><Activities>" + "".join(activities) + "</Activities></TrainingCenterDatabase>")


def _activity(sport="Running", id_="2024-06-01T05:00:00Z", laps=(("1800", "5000"),),
              points=()) -> str:
    body = "".join(
        f'<Lap StartTime="{id_}"><TotalTimeSeconds>{seconds}</TotalTimeSeconds>'
        + (f"<DistanceMeters>{metres}</DistanceMeters>" if metres is not None else "")
        + "<Track>" + "".join(
            f"<Trackpoint><Time>{time}</Time><DistanceMeters>{m}</DistanceMeters></Trackpoint>"
            for time, m in points) + "</Track></Lap>"
        for seconds, metres in laps)
    return (f'<Activity Sport="{sport}">' + (f"<Id>{id_}</Id>" if id_ else "") + body
            + "</Activity>")


def test_garmin_other_and_any_unknown_sport_are_not_runs(tmp_path):
    path = tmp_path / "a.tcx"
    path.write_text(_tcx(_activity("Other"), _activity("Walking"), _activity("Swimming"),
                         _activity("Running")), encoding="utf-8")
    records = list(read(path))
    assert records[0] == Skipped(1, "Other")
    assert isinstance(records[1], Row) and records[1].entry.kind == "walk"
    assert records[2] == Skipped(3, "Swimming")
    assert isinstance(records[3], Row) and records[3].entry.kind == "run"


def test_an_activity_without_a_start_is_left_out_and_one_with_a_lap_start_is_kept(tmp_path):
    path = tmp_path / "a.tcx"
    lap_start_only = ('<Activity Sport="Running"><Lap StartTime="2024-06-02T06:00:00Z">'
                      "<TotalTimeSeconds>1800</TotalTimeSeconds></Lap></Activity>")
    no_start = ('<Activity Sport="Running"><Id>not a time</Id><Lap>'
                "<TotalTimeSeconds>60</TotalTimeSeconds></Lap></Activity>")
    path.write_text(_tcx(lap_start_only, no_start, _activity(id_="1970-01-01T00:00:05Z"),
                         _activity(id_="1901-12-13T20:45:52Z")), encoding="utf-8")
    records = list(read(path))
    assert isinstance(records[0], Row) and records[0].entry.date == local("2024-06-02T06:00:00Z")
    assert records[1:] == [LeftOut(2, "activities without a start time"),
                           LeftOut(3, "placeholder dates (1970-01-01, 1901)"),
                           LeftOut(4, "placeholder dates (1970-01-01, 1901)")]


def test_a_blip_is_left_out_and_a_treadmill_run_without_distance_is_kept(tmp_path):
    path = tmp_path / "a.tcx"
    path.write_text(_tcx(_activity(laps=(("3", "2"),)), _activity(laps=(("1500", None),))),
                    encoding="utf-8")
    records = list(read(path))
    assert records[0] == LeftOut(1, "zero-length activities")
    assert isinstance(records[1], Row)
    assert (records[1].entry.distance_m, records[1].entry.duration_s) == (None, 1500.0)


def test_laps_without_times_take_the_trackpoints_span(tmp_path):
    path = tmp_path / "a.tcx"
    point = "<Trackpoint><Time>{}</Time><DistanceMeters>{}</DistanceMeters></Trackpoint>"
    activity = ('<Activity Sport="Running"><Id>2024-06-01T05:00:00Z</Id><Lap><Track>'
                + point.format("2024-06-01T05:00:00Z", "0")
                + point.format("2024-06-01T05:25:30Z", "4321.5") + "</Track></Lap></Activity>")
    path.write_text(_tcx(activity), encoding="utf-8")
    (row,) = read(path)
    assert (row.entry.distance_m, row.entry.duration_s) == (4321.5, 1530.0)


@pytest.mark.parametrize(("content", "message"), [
    (_tcx(), "the TCX file holds no activity (a course or a workout plan, not a recorded "
             "activity)"),
    ('<?xml version="1.0"?><gpx version="1.1"></gpx>',
     "not a TCX file (it is XML whose root is <gpx>)"),
    (_tcx(_activity())[:-60], "unreadable TCX file: not well-formed XML at line 2 (the file "
                              "ends early?)"),
    ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<TrainingCenterDatabase/>',
     "refused TCX file: it declares a DTD or entities, which GPX and TCX files never need"),
])
def test_what_is_no_activity_is_refused_in_a_runners_words(tmp_path, content, message):
    path = tmp_path / "a.tcx"
    path.write_text(content, encoding="utf-8")
    assert list(read(path, "tcx")) == [Bad(0, message)]


def test_a_number_that_is_no_number_refuses_its_activity_by_number(tmp_path):
    path = tmp_path / "a.tcx"
    path.write_text(_tcx(_activity(), _activity(laps=(("1800", "five km"),))), encoding="utf-8")
    records = list(read(path))
    assert isinstance(records[0], Row)
    assert isinstance(records[1], Bad) and records[1].line == 2
    assert records[1].message.startswith("activity 2: cannot read it (")
    assert "Error" not in records[1].message


def test_the_same_file_gives_the_same_ids():
    first = [r.entry.uuid for r in read(TCX / "polar_flow_run.tcx")]
    assert first == [r.entry.uuid for r in read(TCX / "polar_flow_run.tcx")]


def test_heart_rates_and_positions_are_never_built(monkeypatch):
    """A day-long file stays small in memory: the elements the reader never reads are
    dropped while parsing (checked on the tree it gets)."""
    from runlog.interchange import gpx, tcx

    seen = {}
    real_tree = gpx._tree

    def spy(path, skip=frozenset()):
        root = real_tree(path, skip)
        seen["tags"] = {element.tag.rpartition("}")[2] for element in root.iter()}
        return root

    monkeypatch.setattr(gpx, "_tree", spy)
    list(tcx.read_tcx(TCX / "garmin_connect_run.tcx"))
    assert "Trackpoint" in seen["tags"] and "Time" in seen["tags"]
    assert not seen["tags"] & {"Position", "HeartRateBpm", "AltitudeMeters", "Extensions"}


def test_a_utf8_mark_and_blank_lines_before_the_declaration_are_passed_over(tmp_path):
    path = tmp_path / "a.tcx"
    path.write_bytes(b"\xef\xbb\xbf  \r\n" + (TCX / "runtastic_run.tcx").read_bytes())
    (row,) = read(path)
    assert row.entry.distance_m == etree_activities(TCX / "runtastic_run.tcx")[0]["distance_m"]


def test_tcx_needs_no_optional_parser(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "gpxpy", None)  # import gpxpy now raises ImportError
    (row,) = read(TCX / "polar_flow_run.tcx")
    assert isinstance(row, Row)


VALUES = st.one_of(st.sampled_from(["", "nan", "-inf", "1e400", "-5", "9" * 400, "0",
                                    "2024-13-45T99:99:99Z", "1901-12-13T20:45:52Z",
                                    "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59",
                                    "\u00e9\u00e9", "Running", "Other"]),
                   st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                                  blacklist_characters="<&"), max_size=20))


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sport=VALUES, id_=VALUES, seconds=VALUES, metres=VALUES, cut=st.integers(0, 2000))
def test_whatever_a_tcx_holds_reading_it_raises_nothing(tmp_path, sport, id_, seconds,
                                                          metres, cut):
    text = _tcx(_activity(sport.replace('"', "'"), id_, laps=((seconds, metres),),
                          points=((id_, metres),)))
    path = tmp_path / "f.tcx"
    path.write_bytes(text.encode("utf-8")[: cut or None])
    for record in read(path, "tcx"):
        assert isinstance(record, (Row, Skipped, LeftOut, Notice, Bad))
        if isinstance(record, Bad):
            assert "Error" not in record.message and "line 1:" not in record.message
