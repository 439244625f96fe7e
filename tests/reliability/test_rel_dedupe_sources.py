"""The same activity from two sources is imported once (issue 11, item 7).

Real pair: the Landal Park FIT original and its row in the same athlete's Strava
activities.csv (tests/data/samples/NOTICE.md) start at the same second. A GPX of that run is
built here from the FIT's own track points (read with fitdecode, not with runlog), and a
Strava CSV row of it made 15 % longer than that track (gpxpy's length), as two apps' GPS
processing can differ. Expected counts come from those independent readings, not runlog's.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

import fitdecode
import gpxpy
import pytest

from relsupport import count_entries, isolated_env, run, sha256

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
FIT = SAMPLES / "fit" / "2022-05-29-15-53-35_Laufen_Landal_Park.fit"
STRAVA = SAMPLES / "strava" / "geo-activity-playground" / "activities.csv"
RUNLOG_HEADER = ("id,uuid,date,kind,distance_km,duration_s,pace_s_per_km,mood_before,"
                 "mood_after,mood_lift,emotions,cried,effort,pain,where,intention,note,tags")


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


def _fit_session_and_points():
    """The FIT's session start and its track points (time, lat, lon), by fitdecode."""
    start, points = None, []
    with fitdecode.FitReader(str(FIT)) as reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "session":
                start = frame.get_value("start_time")
            elif frame.name == "record" and frame.get_value("position_lat",
                                                            fallback=None) is not None:
                points.append((frame.get_value("timestamp"),
                               frame.get_value("position_lat") * 180 / 2**31,
                               frame.get_value("position_long") * 180 / 2**31))
    return start, points


def _gpx_of_the_run(path: Path, *, late_s: int) -> tuple[datetime, float]:
    """A GPX of the FIT's track whose first point is `late_s` seconds after the session's
    start (a watch's first fix); returns (its first point's time, its length by gpxpy)."""
    start, points = _fit_session_and_points()
    kept = [point for point in points if point[0] >= start + timedelta(seconds=late_s)]
    body = "".join(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><time>'
                   f'{when.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}</time></trkpt>'
                   for when, lat, lon in kept)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test"'
                    ' xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Laufen</name>'
                    f"<type>running</type><trkseg>{body}</trkseg></trk></gpx>\n",
                    encoding="utf-8")
    with open(path, encoding="utf-8") as handle:
        length = gpxpy.parse(handle).length_2d()
    return kept[0][0], length


def _strava_csv(path: Path, *, distance_m: float | None) -> None:
    """The real Strava activities.csv with its one row's distances set (or blanked)."""
    with open(STRAVA, newline="", encoding="utf-8") as handle:
        header, row = list(csv.reader(handle))
    first, second = (index for index, name in enumerate(header) if name == "Distance")
    row[first] = "" if distance_m is None else f"{distance_m / 1000:.2f}"
    row[second] = "" if distance_m is None else repr(distance_m)
    with open(path, "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, row])


def _runlog_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """A runlog CSV of (date, kind, distance_km, duration_s) rows."""
    lines = [RUNLOG_HEADER]
    for number, (date, kind, distance_km, duration_s) in enumerate(rows, 1):
        mood_after = "4" if kind == "checkin" else ""
        lines.append(f",00000000-0000-4000-8000-{number:012d},{date},{kind},{distance_km},"
                     f"{duration_s},,,{mood_after},,,,,,,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _import(env, *paths: Path) -> list[str]:
    done = run("import", *map(str, paths), env=env)
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()


def _added_and_duplicates(line: str) -> tuple[int, int]:
    counts = line.split(": ", 1)[1].split(", ")
    return int(counts[0].split()[-1]), int(counts[1].split()[1])


@pytest.mark.parametrize("order", ["csv first", "fit first"])
def test_the_strava_row_and_its_fit_original_are_one_run(env, tmp_path, order):
    files = [STRAVA, FIT] if order == "csv first" else [FIT, STRAVA]
    lines = _import(env, *files)
    assert [_added_and_duplicates(line) for line in lines[:2]] == [(1, 0), (0, 1)]
    assert count_entries(tmp_path / "runlog.db") == 1


@pytest.mark.parametrize("order", ["csv first", "gpx first"])
@pytest.mark.parametrize("late_s", [0, 2])
def test_a_gpx_and_a_strava_row_15_percent_apart_at_the_same_start_are_one_run(
        env, tmp_path, order, late_s):
    gpx = tmp_path / "landal.gpx"
    _, length = _gpx_of_the_run(gpx, late_s=late_s)
    strava = tmp_path / "activities.csv"
    _strava_csv(strava, distance_m=round(length * 1.15, 1))
    files = [strava, gpx] if order == "csv first" else [gpx, strava]
    lines = _import(env, files[0])
    assert _added_and_duplicates(lines[0]) == (1, 0)
    log = tmp_path / "runlog.db"
    before = sha256(log)
    (line,) = [line for line in _import(env, files[1]) if line.startswith(str(files[1]))]
    assert _added_and_duplicates(line) == (0, 1)
    assert count_entries(log) == 1
    assert sha256(log) == before  # a file that adds nothing writes nothing


def test_a_strava_row_without_distance_is_its_fit_run(env, tmp_path):
    strava = tmp_path / "activities.csv"
    _strava_csv(strava, distance_m=None)
    lines = _import(env, FIT, strava)
    assert _added_and_duplicates(lines[1]) == (0, 1)
    assert count_entries(tmp_path / "runlog.db") == 1


def test_without_a_distance_a_start_within_60_s_is_the_same_run_and_90_s_is_another(
        env, tmp_path):
    start, _ = _fit_session_and_points()  # 2022-05-29 15:53:35 UTC

    def at(seconds: int) -> str:
        return (start + timedelta(seconds=seconds)).astimezone(
            timezone(timedelta(hours=2))).isoformat()

    _import(env, FIT)
    later = tmp_path / "later.csv"
    _runlog_csv(later, [
        (at(40), "run", "", "1400"),       # no distance, 40 s later: the same run
        (at(90), "run", "", "1400"),       # 90 s later: another one
        (at(150), "run", "3.32", "1428"),  # the same distance 150 s later: another one
    ])
    assert _added_and_duplicates(_import(env, later)[0]) == (2, 1)
    assert count_entries(tmp_path / "runlog.db") == 3


def test_beyond_10_s_a_distance_15_percent_off_is_another_run(env, tmp_path):
    gpx = tmp_path / "landal.gpx"
    first_point, length = _gpx_of_the_run(gpx, late_s=0)
    _import(env, gpx)
    other = tmp_path / "other.csv"
    when = (first_point + timedelta(seconds=20)).isoformat()
    _runlog_csv(other, [(when, "run", f"{length * 1.15 / 1000:.3f}", "1428")])
    assert _added_and_duplicates(_import(env, other)[0]) == (1, 0)


def test_check_ins_and_rest_days_are_never_duplicates_of_a_run(env, tmp_path):
    start, _ = _fit_session_and_points()
    _import(env, FIT)
    same_second = tmp_path / "checkin.csv"
    _runlog_csv(same_second, [(start.astimezone(timezone(timedelta(hours=2))).isoformat(),
                               "checkin", "", "")])
    assert _added_and_duplicates(_import(env, same_second)[0]) == (1, 0)
    # and the other way round: a run is no duplicate of a check-in at its start
    fresh = isolated_env(tmp_path / "other")
    _import(fresh, same_second)
    assert _added_and_duplicates(_import(fresh, FIT)[0]) == (1, 0)


def test_two_runs_at_the_same_second_in_one_file_are_both_kept(env, tmp_path):
    _import(env, FIT)
    both = tmp_path / "both.csv"
    _runlog_csv(both, [("2023-06-01T07:00:00+02:00", "run", "5", "1500"),
                       ("2023-06-01T07:00:00+02:00", "run", "", "1500")])
    assert _added_and_duplicates(_import(env, both)[0]) == (2, 0)
