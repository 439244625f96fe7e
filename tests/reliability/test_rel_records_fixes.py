"""Records are what a human ran: a run kept with --force (or back from runlog's own export)
is no best pace, longest run or milestone; a walk is held to the race walking records; and
typing refuses a distance or time too small to export and import back faithfully.

The real `runlog` process on real files."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from runlog.plausible import impossible, surely_possible, surprising

from relsupport import count_entries, isolated_env, must, run, sha256


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


def _json(*args: str, env: dict) -> dict:
    return json.loads(must(*args, "--json", env=env))


# -- item 1: a forced impossible run is no record -----------------------------------------


def test_a_forced_impossible_run_is_no_best_pace_longest_run_or_milestone(env):
    must("add", "5k", "30:00", "-d", "yesterday", "--no-input", env=env)
    forced = _json("add", "5k", "5:00", "--force", "--no-input", env=env)
    assert forced["milestones"] == []
    must("add", "200k", "1:00:00", "--force", "--no-input", env=env)

    insights = must("insights", env=env)
    assert "1:00 /km" not in insights and "200" not in insights, insights
    assert not [f for f in _json("insights", env=env)["findings"] if f["code"] == "milestone"]

    stats = _json("stats", env=env)
    assert stats["runs"] == 3  # totals keep every run, the impossible ones too
    assert stats["distance_km"] == 210
    assert stats["longest"]["distance_km"] == 5 and stats["longest"]["duration_s"] == 1800
    assert stats["best_pace"]["5k"]["pace_s_per_km"] == 360
    assert stats["best_pace"]["1k"]["pace_s_per_km"] == 360
    assert [m["kind"] for m in stats["milestones"]] == ["first_run"]
    text = must("stats", env=env)
    assert "1:00 /km" not in text and "200.00 km on" not in text and "marathon" not in text

    # The next real run is measured against the real ones: the longest yet, the best pace.
    after = _json("add", "10k", "55:00", "--no-input", env=env)
    kinds = {m["kind"]: m for m in after["milestones"]}
    assert kinds["longest_run"]["previous_m"] == 5000
    assert kinds["best_pace"]["bracket"] == "10k"  # the 200 km in an hour was no best
    assert kinds["round_distance"]["threshold_m"] == 10000  # first past 10 km: the 200 km never counted


def test_an_impossible_run_back_from_runlogs_own_export_is_no_record(env, tmp_path):
    must("add", "10k", "50:00", "-d", "yesterday", "--no-input", env=env)
    must("add", "42.195k", "20:00", "--force", "--no-input", env=env)
    backup = tmp_path / "backup.json"
    must("export", "--format", "json", "-o", str(backup), env=env)

    fresh = isolated_env(tmp_path / "fresh")
    must("import", str(backup), env=fresh)
    stats = _json("stats", env=fresh)
    assert stats["runs"] == 2  # kept on purpose: runlog's own file is the log as it was
    assert stats["longest"]["distance_km"] == 10
    assert stats["best_pace"]["10k"]["pace_s_per_km"] == 300
    assert stats["best_pace"]["half"] is None
    assert [m.get("threshold_m") for m in stats["milestones"]
            if m["kind"] == "round_distance"] == []


def test_a_forced_impossible_walk_is_no_record_either(env):
    """The records' SQL holds a walk to the walking records too: 20 km in an hour as a walk
    is a bus ride, even though it is a fine pace for a run."""
    must("add", "5k", "30:00", "-d", "yesterday", "--no-input", env=env)
    must("add", "20k", "1:00:00", "--kind", "walk", "--force", "--no-input", env=env)
    stats = _json("stats", env=env)
    assert stats["longest"]["distance_km"] == 5
    assert stats["best_pace"]["10k"] is None
    # the same figures as a run are a record
    must("add", "20k", "1:00:00", "--kind", "run", "--no-input", env=env)
    assert _json("stats", env=env)["longest"]["distance_km"] == 20


def test_the_quick_pace_range_never_lets_an_impossible_run_through():
    """The SQL pre-filter trusts `surely_possible`: no pace inside it is ever impossible."""
    rng = random.Random(7)
    for kind in ("run", "walk", "trail", None):
        fastest, slowest = surely_possible(kind)
        for _ in range(20000):
            distance_m = 10 ** rng.uniform(0, 6)
            pace = rng.uniform(fastest, slowest)
            assert impossible(distance_m, pace * distance_m, kind) is None, (kind, distance_m)


# -- item 2: a walk is held to walking records --------------------------------------------


def test_add_refuses_a_walk_faster_than_the_race_walking_record_and_writes_nothing(env):
    must("add", "5k", "30:00", "-d", "yesterday", "--no-input", env=env)
    db = env["RUNLOG_DB"]
    before = sha256(Path(db))
    done = run("add", "20k", "1:00:00", "--kind", "walk", "--no-input", env=env)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith("Error: ") and "race walking" in done.stderr
    assert "--force" in done.stderr and "Traceback" not in done.stderr
    assert sha256(Path(db)) == before
    # a brisk walk is fine, and so is the same 20 km in an hour as a run
    must("add", "5k", "45:00", "--kind", "walk", "--no-input", env=env)
    must("add", "20k", "1:00:00", "--no-input", env=env)
    assert count_entries(Path(db)) == 3


def test_walks_are_surprising_near_the_walking_records_and_runs_keep_running_ones():
    assert impossible(20000, 3600, kind="walk") and not impossible(20000, 3600)
    assert impossible(1609.344, 280, kind="walk") and not impossible(1609.344, 280)
    assert impossible(50000, 3 * 3600, kind="walk") and not impossible(50000, 3 * 3600)
    assert surprising(20000, 5400, kind="walk") and not surprising(20000, 5400)
    assert not surprising(20000, 7200, kind="walk")
    for kind in ("run", "run-walk", "trail", "treadmill", "race"):
        assert impossible(5000, 600, kind=kind) and not impossible(5000, 900, kind=kind)


# -- item 3: too small to store and export faithfully -------------------------------------


@pytest.mark.parametrize(("args", "said"), [
    (["0.0004m"], "at least 1 m"),
    (["--distance", "0.5m"], "at least 1 m"),
    (["--time", "0.0000001s"], "at least 1 second"),
    (["5k", "0.5s"], "at least 1 second"),
])
def test_add_refuses_a_distance_under_a_metre_or_a_time_under_a_second(env, args, said):
    must("add", "5k", "30:00", "-d", "yesterday", "--no-input", env=env)
    db = Path(env["RUNLOG_DB"])
    before = sha256(db)
    done = run("add", *args, "--no-input", env=env)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith("Error: ") and said in done.stderr, done.stderr
    assert sha256(db) == before


def test_a_lone_tiny_value_is_refused_too(env):
    must("add", "5k", "30:00", "-d", "yesterday", "--no-input", env=env)
    for value in ("0.0000001s", "0.0004m"):
        done = run("add", value, "--no-input", env=env)
        assert done.returncode == 2 and done.stderr.startswith("Error: "), done.stderr
    assert count_entries(Path(env["RUNLOG_DB"])) == 1


@pytest.mark.parametrize(("logged", "option", "value"),
                         [("5k", "--distance", "0.0004m"), ("30:00", "--time", "0.2s")])
def test_edit_refuses_a_distance_under_a_metre_or_a_time_under_a_second(env, logged, option,
                                                                        value):
    """On a run with only that figure, so no pace rule stands in for this one."""
    must("add", "--kind", "walk", "--time" if ":" in logged else "--distance", logged,
         "--no-input", env=env)
    db = Path(env["RUNLOG_DB"])
    before = sha256(db)
    done = run("edit", "1", option, value, env=env)
    assert done.returncode == 2 and done.stderr.startswith("Error: "), done.stderr
    assert sha256(db) == before


def test_the_smallest_entries_typing_allows_export_and_import_back(env, tmp_path):
    must("add", "1m", "--no-input", env=env)
    must("add", "1s", "--no-input", env=env)
    must("add", "1m", "1s", "--no-input", env=env)
    for fmt in ("csv", "json", "ndjson"):
        backup = tmp_path / f"backup.{fmt}"
        must("export", "--format", fmt, "-o", str(backup), env=env)
        fresh = isolated_env(tmp_path / f"fresh-{fmt}")
        must("import", str(backup), env=fresh)
        assert count_entries(Path(fresh["RUNLOG_DB"])) == 3


def test_edit_holds_a_walk_to_the_walking_records_and_writes_nothing(env, tmp_path):
    must("add", "5k", "40:00", "--kind", "walk", "--no-input", env=env)
    database = tmp_path / "runlog.db"
    before = sha256(database)
    done = run("edit", "1", "--distance", "20k", "--time", "1:00:00", env=env)
    assert done.returncode == 2 and "race walking world record" in done.stderr, done.stderr
    assert sha256(database) == before
    # the same values are a fine run
    must("edit", "1", "--kind", "run", "--distance", "20k", "--time", "1:00:00", env=env)


@pytest.mark.parametrize("distance_m, duration_s", [(0.4, 600.0), (5000.0, 0.4)])
def test_another_apps_value_under_a_metre_or_a_second_is_not_recorded(env, tmp_path,
                                                                      distance_m, duration_s):
    """A GPS track that never moved, or a time of a fraction of a second, is read as not
    recorded (as typing refuses it), so the run's export imports back whole."""
    strava = tmp_path / "activities.csv"
    strava.write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
        "Elapsed Time,Distance\n"
        f'1,"Mar 1, 2025, 7:00:00 AM",Morning,Run,,{duration_s},{distance_m / 1000}\n'
        f'2,"Mar 2, 2025, 7:00:00 AM",Morning,Run,,1800,5.0\n', encoding="utf-8")
    must("import", str(strava), env=env)
    [tiny, whole] = json.loads(must("list", "--json", "--since", "2025-01-01", env=env))[::-1]
    assert whole["distance_km"] == 5.0
    if distance_m < 1:
        assert tiny["distance_km"] is None and tiny["duration_s"] == duration_s
    else:
        assert tiny["duration_s"] is None and tiny["distance_km"] == 5.0
    exported = tmp_path / "log.ndjson"
    must("export", "--format", "ndjson", "-o", str(exported), env=env)
    other = isolated_env(tmp_path / "other")
    must("import", str(exported), env=other)
    assert count_entries(tmp_path / "other" / "runlog.db") == 2


@pytest.mark.parametrize("kind", ["run", "walk"])
def test_the_record_limit_grows_with_the_distance_and_meets_each_record(kind):
    """A longer distance never has a shorter record time, so nothing just short of a record
    distance slips through faster than the record itself (99 km in 4:31 was kept, 100 km in
    5:29 refused); and at each listed distance the limit is the record."""
    from runlog.plausible import record_time, records_for

    for metres, seconds in records_for(kind):
        assert record_time(metres, kind) == pytest.approx(seconds)
    rng = random.Random(7)
    distances = sorted({rng.uniform(50, 1_000_000) for _ in range(5000)})
    times = [record_time(d, kind) for d in distances]
    assert all(a < b for a, b in zip(times, times[1:]))
    for (low_m, low_s), (high_m, high_s) in zip(records_for(kind), records_for(kind)[1:]):
        just_short = high_m * 0.99
        assert record_time(just_short, kind) < high_s  # sooner than the next record
        assert record_time(just_short, kind) > high_s * 0.97  # but hardly sooner
        assert record_time(just_short, kind) > low_s


def test_a_run_just_short_of_a_record_distance_faster_than_that_record_is_refused(env):
    done = run("add", "99k", "4:31:00", "--no-input", env=env)
    assert done.returncode == 2 and "world record" in done.stderr
    done = run("add", "300k", "17:40:00", "--no-input", env=env)
    assert done.returncode == 2 and "world record" in done.stderr
