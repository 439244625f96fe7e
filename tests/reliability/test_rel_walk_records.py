"""A walk is no run record: it announces no longest run, no first time past a distance and
no best pace; stats never shows it as the longest run or a best pace; it is no day of a
running streak and no milestone in stats or insights, typed or imported. Runs of every
running kind still set records. Race distances are named as runners name them (5K, 10K),
the rest follows the units.

The real `runlog` process on real files."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from relsupport import count_entries, isolated_env, must, run


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


def _json(*args: str, env: dict) -> dict:
    return json.loads(must(*args, "--json", env=env))


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


def test_a_long_walk_announces_no_record_and_stats_keep_the_run(env):
    must("add", "5k", "30:00", "-d", _day(3), "--no-input", env=env)
    before = _json("stats", env=env)
    out = must("add", "12k", "2:30:00", "--kind", "walk", "-d", _day(2), "--no-input", env=env)
    assert out.count("\n") == 1 and "★" not in out, out
    for words in ("Longest run", "First time past", "Best pace"):
        assert words not in out
    stats = _json("stats", env=env)
    assert stats["runs"] == 2 and stats["distance_km"] == 17  # the walk is in the totals
    assert stats["longest"]["id"] == 1 and stats["longest"]["distance_km"] == 5
    assert stats["best_pace"]["5k"]["id"] == 1 and stats["best_pace"]["10k"] is None
    assert stats["streaks"] == before["streaks"]  # a walk is no day of a running streak
    assert [m["kind"] for m in stats["milestones"]] == ["first_run"]
    text = must("stats", env=env)
    assert "12.00 km" not in text and "10K" not in text, text


def test_a_walk_in_the_json_of_add_has_no_milestones_and_is_not_your_first_run(env):
    walk = _json("add", "12k", "2:30:00", "--kind", "walk", "--no-input", env=env)
    assert walk["milestones"] == []
    # The first run after a walk is the first run; a longer walk does not hide its record.
    first = _json("add", "3k", "18:00", "--no-input", env=env)
    assert [m["kind"] for m in first["milestones"]] == ["first_run"]
    longer = must("add", "8k", "48:00", "--no-input", env=env)
    assert "★ Longest run yet: 8.00 km" in longer and "★ First time past 5K" in longer


def test_a_walk_does_not_join_two_running_days_into_a_streak(env):
    must("add", "5k", "30:00", "-d", "2026-11-17", "--no-input", env=env)
    must("add", "4k", "40:00", "--kind", "walk", "-d", "2026-11-18", "--no-input", env=env)
    must("add", "5k", "30:00", "-d", "2026-11-19", "--no-input", env=env)
    streaks = _json("stats", "--until", "2026-11-19", env=env)["streaks"]
    assert (streaks["current_days"], streaks["longest_days"]) == (1, 1)
    # A run that day instead makes the three days one streak.
    must("add", "3k", "20:00", "-d", "2026-11-18", "--no-input", env=env)
    streaks = _json("stats", "--until", "2026-11-19", env=env)["streaks"]
    assert (streaks["current_days"], streaks["longest_days"]) == (3, 3)


@pytest.mark.parametrize("kind", ["run-walk", "trail", "treadmill", "race"])
def test_runs_of_every_running_kind_still_set_records(env, kind):
    must("add", "5k", "30:00", "-d", _day(2), "--no-input", env=env)
    out = must("add", "10k", "55:00", "--kind", kind, "--no-input", env=env)
    assert out.splitlines()[1:] == ["★ Longest run yet: 10.00 km", "★ First time past 10K",
                                    "★ Best pace for 10K or more: 5:30 /km"]
    assert _json("stats", env=env)["longest"]["kind"] == kind


def test_an_imported_walk_is_no_record_streak_day_or_insights_milestone(env, tmp_path):
    as_of = date(2026, 11, 20)
    rows = [
        {"uuid": "r1", "date": "2026-11-16T07:00:00+01:00", "kind": "run",
         "distance_km": 5, "duration_s": 1800},
        {"uuid": "w1", "date": "2026-11-17T07:00:00+01:00", "kind": "walk",
         "distance_km": 21.1, "duration_s": 5 * 3600},
        {"uuid": "r2", "date": "2026-11-18T07:00:00+01:00", "kind": "run",
         "distance_km": 4, "duration_s": 1500},
    ]
    path = tmp_path / "walks.ndjson"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    must("import", str(path), env=env)
    assert count_entries(tmp_path / "runlog.db") == 3
    stats = _json("stats", "--until", as_of.isoformat(), env=env)
    assert stats["longest"]["distance_km"] == 5
    assert stats["best_pace"]["half"] is None and stats["best_pace"]["10k"] is None
    assert stats["streaks"]["longest_days"] == 1
    assert [m["kind"] for m in stats["milestones"]] == ["first_run"]
    insights = _json("insights", "--as-of", as_of.isoformat(), env=env)
    milestones = [f for f in insights["findings"] if f["code"] == "milestone"]
    assert all(f["evidence"].get("entry_id") != 2 for f in milestones), milestones
    assert not any("half marathon" in f["message"] or "21.10" in f["message"]
                   for f in insights["findings"])


def test_milestones_in_miles_name_races_as_runners_do(env):
    must("--units", "mi", "add", "4k", "24:00", "-d", _day(2), "--no-input", env=env)
    out = must("--units", "mi", "add", "10k", "55:00", "--no-input", env=env)
    assert out.splitlines()[1:] == ["★ Longest run yet: 6.21 mi", "★ First time past 10K",
                                    "★ Best pace for 10K or more: 8:51 /mi"]
    assert "km" not in out
    stats = must("--units", "mi", "stats", env=env)
    assert "First time past 10K" in stats and "10 km" not in stats
