"""TCX and GPX files through the real `runlog import`: runs are added, rides and other sports
are named in the summary and never become runs, what is left out is counted with its reason,
and a file that is no activity or broken XML is refused in one line, changing nothing.
Expected counts are read from the files with xml.etree, never from runlog."""

from __future__ import annotations

import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from relsupport import count_entries, isolated_env, must, run, sha256

DATA = Path(__file__).resolve().parents[1] / "data"
TCX = DATA / "tcx"
GPX = DATA / "gpx_real"
TCX_NS = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"


def fresh_log(tmp_path: Path) -> tuple[Path, dict]:
    db = tmp_path / "data" / "runlog.db"
    env = isolated_env(tmp_path, db=db)
    must("add", "5k", "28:30", "-d", "2026-11-01 07:30", "-n", "already here", env=env)
    return db, env


def summary_of(done, name: str) -> str:
    """The one summary line of `name` on standard error."""
    lines = [line for line in done.stderr.splitlines() if line.startswith(f"{name}: ")]
    assert len(lines) == 1, done.stderr
    return lines[0]


def kinds_in(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT kind, source FROM entries WHERE source IN ('tcx', 'gpx')"
                            " ORDER BY date").fetchall()
    finally:
        conn.close()


def tcx_sports(path: Path) -> list[str]:
    root = ET.fromstring(path.read_bytes().lstrip())
    return [activity.get("Sport") for activity in root.iter(f"{TCX_NS}Activity")]


@pytest.mark.parametrize("name", ["garmin_connect_run.tcx", "polar_flow_run.tcx",
                                  "runtastic_run.tcx", "strava_run_leading_spaces.tcx",
                                  "garmin_multisport.tcx"])
def test_tcx_files_add_their_runs_and_name_every_other_sport(tmp_path, name):
    db, env = fresh_log(tmp_path)
    path = TCX / name
    sports = tcx_sports(path)
    runs = sports.count("Running")
    done = run("import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    line = summary_of(done, str(path))
    assert line.startswith(f"{path}: added {runs}, ")
    others = len(sports) - runs
    assert f" {others} as other sports" in line
    for sport in set(sports) - {"Running"}:
        assert f"{sports.count(sport)} {sport}" in line  # named, with how many
    assert count_entries(db) == 1 + runs
    assert kinds_in(db) == [("run", "tcx")] * runs
    again = run("import", str(path), env=env)  # the same file twice adds nothing
    assert again.returncode == 0 and count_entries(db) == 1 + runs
    assert summary_of(again, str(path)).startswith(f"{path}: added 0, skipped {runs} as dup")


def test_a_strava_ride_and_a_runkeeper_ride_never_become_runs(tmp_path):
    db, env = fresh_log(tmp_path)
    strava, runkeeper = GPX / "strava_types.gpx", GPX / "runkeeper_sports.gpx"
    done = run("import", str(strava), str(runkeeper), env=env)
    assert done.returncode == 0, done.stderr
    assert "2 as other sports (1 Cycling, 1 Strava type 99)" in summary_of(done, str(strava))
    assert "1 as other sports (1 Cycling)" in summary_of(done, str(runkeeper))
    # Strava's 9 and 10, Runkeeper's "Running": two runs and a walk, no ride among them
    assert sorted(kinds_in(db)) == [("run", "gpx"), ("run", "gpx"), ("walk", "gpx")]


def test_left_out_tracks_are_counted_with_their_reasons_and_the_run_is_kept(tmp_path):
    db, env = fresh_log(tmp_path)
    path = GPX / "watch_quirks.gpx"
    done = run("import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    line = summary_of(done, str(path))
    assert ("left out 3 (placeholder dates (1970-01-01, 1901): 2; zero-length tracks: 1)"
            in line)
    # said once (with its count when there is more than one point: the summary's choice)
    assert re.search(r"; points without coordinates, skipped(: 1)?$", line), line
    assert line.startswith(f"{path}: added 1, ")
    notes = [entry["note"] for entry in json.loads(must("list", "--json", env=env))]
    assert "a run with one point without coordinates" in notes


def test_the_real_gpsbabel_file_says_which_tracks_had_no_times(tmp_path):
    db, env = fresh_log(tmp_path)
    path = GPX / "korita-zbevnica.gpx"
    root = ET.parse(path).getroot()
    ns = "{http://www.topografix.com/GPX/1/0}"
    timed = [trk for trk in root.iter(f"{ns}trk") if trk.find(f".//{ns}time") is not None]
    untimed = len(root.findall(f"{ns}trk")) - len(timed)
    done = run("import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert f"left out {untimed} (tracks without times: {untimed})" in summary_of(done, str(path))
    assert count_entries(db) == 1 + len(timed)


def test_a_file_whose_every_track_is_left_out_imports_nothing_and_says_why(tmp_path):
    db, env = fresh_log(tmp_path)
    path = tmp_path / "untimed.gpx"
    path.write_text('<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/'
                    'GPX/1/1"><trk><trkseg><trkpt lat="52" lon="4"/><trkpt lat="52.1" lon="4"/>'
                    "</trkseg></trk></gpx>", encoding="utf-8")
    before = sha256(db)
    done = run("import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert "added 0" in summary_of(done, str(path))
    assert "left out 1 (tracks without times: 1)" in summary_of(done, str(path))
    assert count_entries(db) == 1 and sha256(db) == before


@pytest.mark.parametrize(("content", "words"), [
    # a download cut off mid-file
    (lambda: (TCX / "polar_flow_run.tcx").read_bytes()[:1500],
     "(the file ends early?)"),
    # a course: a route to follow, not a recorded activity
    (lambda: b'<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/'
             b'xmlschemas/TrainingCenterDatabase/v2"><Courses><Course><Name>loop</Name>'
             b"</Course></Courses></TrainingCenterDatabase>",
     "the TCX file holds no activity"),
])
def test_a_broken_or_empty_tcx_is_refused_in_one_line_and_changes_nothing(tmp_path, content,
                                                                           words):
    db, env = fresh_log(tmp_path)
    path = tmp_path / "a.tcx"
    path.write_bytes(content())
    before = sha256(db)
    done = run("import", str(path), env=env)
    assert done.returncode == 2, (done.stdout, done.stderr)
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and words in errors[0], done.stderr
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr
    assert "ExpatError" not in done.stderr and "ParseError" not in done.stderr
    assert count_entries(db) == 1 and sha256(db) == before


def test_a_cut_tcx_names_the_line_where_it_ends(tmp_path):
    db, env = fresh_log(tmp_path)
    whole = (TCX / "garmin_connect_run.tcx").read_bytes()
    path = tmp_path / "cut.tcx"
    path.write_bytes(whole[: len(whole) // 2])
    last_line = whole[: len(whole) // 2].count(b"\n") + 1
    done = run("import", str(path), env=env)
    assert done.returncode == 2
    assert (f"not well-formed XML at line {last_line} (the file ends early?)"
            in done.stderr), done.stderr
    assert count_entries(db) == 1
