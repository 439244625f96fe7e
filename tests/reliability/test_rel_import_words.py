"""What `runlog import` says when many files fail alike, when a file is empty, and which
unit it reads: found by trying the importer as a new user would."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from relsupport import count_entries, isolated_env, must, run, sha256

DATA = Path(__file__).resolve().parents[1] / "data"
MILES = DATA / "garmin_i18n" / "en_miles_Activities.csv"


def _no_gpxpy(tmp_path: Path, env: dict) -> dict:
    """The environment of a runlog installed without its formats extra: `import gpxpy`
    fails, as it does there."""
    fake = tmp_path / "nogpxpy" / "gpxpy"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('gpxpy is not installed')\n")
    return {**env, "PYTHONPATH": str(fake.parent)}


def test_files_refused_for_the_same_reason_are_named_once_then_counted(tmp_path):
    env = _no_gpxpy(tmp_path, isolated_env(tmp_path))
    paths = []
    for n in range(5):
        path = tmp_path / f"run{n}.gpx"
        shutil.copy(DATA / "gpx_real" / "strava_types.gpx", path)
        paths.append(str(path))
    done = run("import", *paths, env=env)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    # the first file named with the reason and the way out, then one line for the rest
    assert lines[0].startswith(f"Error: {paths[0]}: reading GPX files needs gpxpy")
    assert lines[1] == ("Error: 4 files more refused for the same reason: reading GPX "
                        "files needs gpxpy (runlog's formats extra)")
    assert lines[2].startswith("In all (5 files): added 0") and lines[2].endswith("rejected 5")
    assert len(lines) == 3
    assert not Path(env["RUNLOG_DB"]).exists()


def test_reasons_that_name_their_file_are_each_said(tmp_path):
    env = isolated_env(tmp_path)
    empty, blank = tmp_path / "empty.csv", tmp_path / "blank.csv"
    empty.write_bytes(b"")
    blank.write_bytes(b"  \n\n")
    must("add", "5k", "25:00", "--no-input", env=env)
    db = Path(env["RUNLOG_DB"])
    before = sha256(db)
    done = run("import", str(empty), str(blank), env=env)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[:2] == [f"Error: {empty}: the file is empty",
                         f"Error: {blank}: the file holds only blank space"]
    assert sha256(db) == before and count_entries(db) == 1


def test_the_display_unit_setting_never_says_what_a_file_holds(tmp_path):
    """RUNLOG_UNITS (like the config file) is how runlog shows distances: a miles Garmin
    export is still read in miles, as its cadence and stride length say."""
    env = {**isolated_env(tmp_path), "RUNLOG_UNITS": "km"}
    done = run("import", str(MILES), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.rstrip().endswith("distances read in miles")
    first = json.loads(must("list", "--json", "--limit", "0", env={**env, "RUNLOG_UNITS": "km"}))
    # csv module: the file's first running row is 2.28 (miles)
    import csv
    with open(MILES, newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    running = [row for row in rows if row["Activity Type"] != "Cycling"]  # runs and a walk
    km = sorted(round(float(row["Distance"]) * 1.609344, 3) for row in running)
    assert sorted(round(entry["distance_km"], 3) for entry in first) == km


def test_units_said_against_the_file_are_refused_and_write_nothing(tmp_path):
    env = isolated_env(tmp_path)
    must("add", "5k", "25:00", "--no-input", env=env)
    db = Path(env["RUNLOG_DB"])
    before = sha256(db)
    done = run("--units", "km", "import", str(MILES), env=env)
    assert done.returncode == 2
    line, = done.stderr.splitlines()
    assert line.startswith(f"Error: {MILES}: ") and "--units km was given" in line
    assert "import it without --units" in line
    assert sha256(db) == before and count_entries(db) == 1


def test_a_car_trip_saved_without_a_type_is_left_out_not_a_best_pace(tmp_path):
    """gpxpy's own test drive: its average pace (3:08 /km) is a runner's, but a quarter of
    it goes faster than anyone runs. It is left out and named, and so sets no record."""
    import gpxpy

    car = DATA / "gpx_real" / "around-visnjan-with-car.gpx"
    with open(car, encoding="utf-8") as stream:
        track, = gpxpy.parse(stream).tracks
    fast = timed = 0.0
    for segment in track.segments:
        for before, point in zip(segment.points, segment.points[1:]):
            seconds = (point.time - before.time).total_seconds()
            if seconds > 0:
                timed += seconds
                fast += seconds if point.distance_2d(before) / seconds * 3.6 > 30 else 0
    assert fast / timed >= 0.25  # an independent reading: it is a drive
    env = isolated_env(tmp_path)
    done = run("import", str(car), env=env)
    assert done.returncode == 0, done.stderr
    assert ("left out 1 (tracks faster than anyone runs for a quarter of their time (a car "
            "or a bike?): 1)") in done.stderr
    assert not Path(env["RUNLOG_DB"]).exists()
    # a real run of the same format is still a run
    run_file = DATA / "gpx" / "offset_run.gpx"
    kept = run("import", str(run_file), env=env)
    assert kept.returncode == 0 and "added 1," in kept.stderr, kept.stderr
    assert count_entries(Path(env["RUNLOG_DB"])) == 1


def test_standard_input_named_twice_is_refused_before_reading_it(tmp_path):
    env = isolated_env(tmp_path)
    gpx = (DATA / "gpx" / "offset_run.gpx").read_text(encoding="utf-8")
    done = run("import", "-", "-", env=env, input=gpx)
    assert done.returncode == 2
    assert done.stderr == ("Error: - (standard input) can be read only once (name it once: "
                           "runlog import - < FILE)\n")
    assert not Path(env["RUNLOG_DB"]).exists()


def test_a_whole_file_refusal_speaks_of_the_file_not_of_a_bad_record(tmp_path):
    env = isolated_env(tmp_path)
    cut = tmp_path / "cut.fit"
    cut.write_bytes((DATA / "samples" / "fit" / "garmin-fenix-5-run.fit").read_bytes()[:300])
    done = run("import", str(cut), env=env)
    assert done.returncode == 2
    assert done.stderr == (f"Error: {cut}: the file ends early (truncated), before any "
                           "session summary; nothing imported from this file\n")
    assert not Path(env["RUNLOG_DB"]).exists()
