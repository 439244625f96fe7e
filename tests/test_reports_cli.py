"""`runlog mood`, `stats`, `emotions` and `insights` from the command line: JSON shapes of
SPEC §5, exit codes, 80 columns, and never creating a database just to report on it."""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

import runlog.clock
from runlog.analysis.insights import HELP_LINES
from runlog.cli import app
from runlog.model import Entry
from runlog.store import Store

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=AMS)  # a Saturday; 2026-W47
TODAY = NOW.date()
_uuids = itertools.count(1)

ENTRY_KEYS = {"id", "uuid", "date", "kind", "distance_km", "duration_s", "pace_s_per_km",
              "mood_before", "mood_after", "mood_lift", "emotions", "cried", "effort", "pain",
              "where", "intention", "note", "tags"}
ROW_KEYS = {"period", "start", "end", "runs", "distance_km", "duration_s", "mood_before",
            "mood_after", "mood_lift", "cried", "emotions"}
STREAK_KEYS = {"current_days", "longest_days", "current_weeks", "longest_weeks"}
EMOTION_KEYS = {"name", "valence", "count", "share", "distance_km_mean", "mood_lift_mean"}


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(runlog.clock, "now", lambda: NOW)


@pytest.fixture
def db_path() -> Path:
    return Path(os.environ["RUNLOG_DB"])


def invoke(*args):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def ok(*args):
    result = invoke(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def as_json(*args):
    result = ok(*args, "--json")
    return json.loads(result.stdout)  # the whole of stdout is one document


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def run(day: date, km=5.0, secs=None, *, kind="run", hour=None, before=None, after=None,
        **fields) -> Entry:
    """An entry on `day` (a run unless `kind` says otherwise); `before`/`after` are moods."""
    when = day.isoformat() if hour is None else datetime(
        day.year, day.month, day.day, hour, tzinfo=AMS).isoformat(timespec="seconds")
    if kind in ("rest", "checkin"):
        km = None
    return Entry(uuid=f"cli-{next(_uuids)}", date=when, kind=kind,
                 distance_m=None if km is None else km * 1000,
                 duration_s=secs if secs is not None or km is None else km * 360,
                 mood_before=before, mood_after=after, **fields)


def log(path: Path, entries) -> list[Entry]:
    store = Store.open(path)
    try:
        with store.transaction():
            return [replace(entry, id=store.insert(entry)) for entry in entries]
    finally:
        store.close()


def long_log() -> list[Entry]:
    """A year of runs with long emotion names, big weeks, tears, and the odd rest day."""
    entries = []
    names = ["disappointment", "vulnerability", "frustration", "excitement", "loneliness",
             "gratitude"]
    for day in range(0, 400, 2):
        entries.append(run(ago(day), km=8 + day % 37, secs=(8 + day % 37) * 400,
                           before=1 + day % 5, after=1 + (day // 3) % 5, hour=7,
                           emotions=tuple(names[day % 6: day % 6 + 3]),
                           cried="both" if day % 10 == 0 else None))
    entries += [run(ago(day), kind="rest", after=2, emotions=("guilt",))
                for day in range(1, 400, 9)]
    return entries


# --- mood ----------------------------------------------------------------------------------


def test_mood_json_by_hand(db_path):
    log(db_path, [
        run(date(2026, 11, 16), 5.0, 1800, before=2, after=4, emotions=("joy",), hour=7,
            cried="during"),
        run(date(2026, 11, 18), 5.2, 1800, before=3, after=4, emotions=("joy", "relief")),
        run(date(2026, 11, 21), 5.0, 1800, before=3, after=4),
        run(date(2026, 11, 19), kind="rest", after=1, emotions=("guilt",)),
        run(date(2026, 11, 20), kind="checkin", after=5),
        run(date(2026, 11, 3), 8.0, 3000, after=2),
    ])
    review = as_json("mood")
    assert set(review) == {"period", "rows", "correlation"}
    assert review["period"] == "week"
    # The default is the last 8 weeks, but none before the week of the first run (W45).
    assert [row["period"] for row in review["rows"]] == [
        f"2026-W{week}" for week in range(45, 48)]
    for row in review["rows"]:
        assert set(row) == ROW_KEYS
    week = review["rows"][-1]
    assert week["period"] == "2026-W47"
    assert (week["start"], week["end"]) == ("2026-11-16", "2026-11-22")
    assert week["runs"] == 3
    assert week["distance_km"] == pytest.approx(15.2)
    assert week["duration_s"] == 5400
    assert week["mood_before"] == pytest.approx(8 / 3, abs=1e-6)
    assert week["mood_after"] == 4
    assert week["mood_lift"] == pytest.approx(4 / 3, abs=1e-6)
    assert week["cried"] == 1
    assert week["emotions"] == {"joy": 2, "relief": 1}
    w45 = review["rows"][-3]
    assert (w45["period"], w45["runs"], w45["mood_after"], w45["mood_before"]) == (
        "2026-W45", 1, 2, None)
    empty = review["rows"][1]                             # W46: between runs, kept
    assert empty["runs"] == 0 and empty["mood_after"] is None and empty["mood_lift"] is None
    assert review["correlation"] == {
        "weekly_distance_vs_mood_after": {"r": None, "n": 2},
        "run_distance_vs_mood_lift": {"r": None, "n": 3}}
    # Units change the display, never the JSON.
    assert as_json("--units", "mi", "mood") == review


@pytest.mark.parametrize("args, unit, count, first, last", [
    (("--month", "--last", "12"), "month", 12, "2025-12", "2026-11"),
    (("--year", "--last", "2"), "year", 2, "2025", "2026"),
    (("--week", "--last", "1"), "week", 1, "2026-W47", "2026-W47"),
    (("--since", "2026-10-01", "--until", "2026-10-31"), "week", 5, "2026-W40", "2026-W44"),
    (("--month", "--since", "2026-01-15"), "month", 11, "2026-01", "2026-11"),
])
def test_mood_json_periods(db_path, args, unit, count, first, last):
    log(db_path, long_log())
    review = as_json("mood", *args)
    assert review["period"] == unit
    keys = [row["period"] for row in review["rows"]]
    assert (len(keys), keys[0], keys[-1]) == (count, first, last)
    assert keys == sorted(keys)
    for name in ("weekly_distance_vs_mood_after", "run_distance_vs_mood_lift"):
        assert set(review["correlation"][name]) == {"r", "n"}


def test_mood_json_with_sunday_weeks(db_path):
    ok("config", "set", "week_start", "sunday")
    log(db_path, [run(date(2026, 11, 15), 5, 1800, after=3),    # a Sunday
                  run(date(2026, 11, 7), 5, 1800, after=3)])    # a Saturday, W45
    review = as_json("mood", "--last", "2")
    assert [(r["period"], r["start"], r["end"], r["runs"]) for r in review["rows"]] == [
        ("2026-W46", "2026-11-08", "2026-11-14", 0),
        ("2026-W47", "2026-11-15", "2026-11-21", 1)]


@pytest.mark.parametrize("args", [
    ("mood",), ("mood", "--chart"), ("mood", "--month", "--chart"),
    ("mood", "--year", "--chart"), ("mood", "--last", "52", "--chart"),
    ("--units", "mi", "mood", "--chart"),
])
def test_mood_table_and_chart_fit_80_columns(db_path, args):
    # Piped (COLUMNS=80): the table's rows are whole, however wide (for grep); the chart and
    # the words fit the 80 columns.
    log(db_path, long_log())
    table, *rest = ok(*args).stdout.rstrip("\n").split("\n\n")
    assert any(line.startswith("2026") for line in table.split("\n"))
    assert "…" not in table
    too_wide = [(len(line), line) for part in rest for line in part.split("\n")
                if len(line) > 80]
    assert not too_wide


def test_mood_chart_draws_a_bar_and_a_mood_per_period(db_path):
    log(db_path, long_log())
    lines = ok("mood", "--chart").stdout.split("\n")
    chart = [line for line in lines if "█" in line]
    assert len(chart) == 8
    assert all("●" in line for line in chart)


def test_mood_chart_on_a_range_with_no_periods(db_path):
    # --until before the first run: no periods at all; the chart must not crash on it.
    log(db_path, [run(ago(3), 5, 1800, after=4)])
    result = invoke("mood", "--until", ago(30).isoformat(), "--chart")
    assert result.exit_code == 0, result.stderr
    assert "Error" not in result.stderr


@pytest.mark.parametrize("flags", [("--week", "--month"), ("--month", "--year"),
                                   ("--week", "--month", "--year")])
def test_mood_with_two_period_flags_is_a_usage_error(db_path, flags):
    log(db_path, [run(ago(1), 5, 1800)])
    result = invoke("mood", *flags)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith("Error:")
    assert "Traceback" not in result.stderr


def test_mood_since_after_until_is_a_usage_error(db_path):
    result = invoke("mood", "--since", "2026-11-10", "--until", "2026-11-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error:") and result.stderr.count("\n") == 1


# --- stats and emotions ----------------------------------------------------------------


def test_stats_json_shape_and_figures(db_path):
    stored = log(db_path, [
        run(ago(0), 5.0, 1500, before=2, after=4, emotions=("relief",)),
        run(ago(1), 10.0, 3300, before=3, after=3),
        run(ago(9), 21.0975, 7600, before=4, after=5, hour=8),
        run(ago(2), kind="rest", after=2),
        run(ago(3), 30.0, 9000, deleted_at="2026-11-20T00:00:00+00:00"),
    ])
    stats = as_json("stats")
    assert {"runs", "distance_km", "duration_s", "longest", "best_pace", "streaks",
            "lifted_share"} <= set(stats)
    assert stats["runs"] == 3
    assert stats["distance_km"] == pytest.approx(36.0975)
    assert stats["duration_s"] == 1500 + 3300 + 7600
    assert set(stats["longest"]) == ENTRY_KEYS
    assert stats["longest"]["id"] == stored[2].id
    assert set(stats["best_pace"]) == {"1k", "5k", "10k", "half"}
    assert stats["best_pace"]["1k"] == {"id": stored[0].id, "date": ago(0).isoformat(),
                                        "pace_s_per_km": 300}
    assert stats["best_pace"]["10k"]["id"] == stored[1].id
    assert stats["best_pace"]["half"]["id"] == stored[2].id
    assert set(stats["streaks"]) == STREAK_KEYS
    assert stats["streaks"]["current_days"] == 2 and stats["streaks"]["longest_days"] == 2
    assert stats["lifted_share"] == pytest.approx(2 / 3)
    recent = as_json("stats", "--since", ago(5).isoformat())
    assert recent["runs"] == 2 and recent["best_pace"]["half"] is None


def test_emotions_json_shape(db_path):
    log(db_path, long_log())
    report = as_json("emotions")
    assert isinstance(report, list) and report
    for row in report:
        assert EMOTION_KEYS <= set(row)
        assert row["valence"] in ("positive", "negative", "mixed")
        assert 0 < row["share"] <= 1
    counts = [row["count"] for row in report]
    assert counts == sorted(counts, reverse=True)
    assert "guilt" not in {row["name"] for row in report}   # named only on rest days
    runs = sum(1 for e in long_log() if e.kind == "run")
    named = sum(1 for e in long_log() if e.kind == "run" and "vulnerability" in e.emotions)
    (vulnerability,) = [row for row in report if row["name"] == "vulnerability"]
    assert vulnerability["count"] == named
    assert vulnerability["share"] == pytest.approx(named / runs, abs=1e-6)


# --- insights ------------------------------------------------------------------------------


def warning_log():
    return [run(ago(d), 5, 1800, pain=6) for d in (1, 4, 8)]


def caution_log():
    return [run(ago(d), kind="rest", after=2, emotions=("guilt",)) for d in (2, 9)]


def healthy_log():
    entries = [run(ago(7 * week + offset), 5, 1800, before=3, after=4)
               for week in range(8) for offset in (1, 3, 6)]
    return entries + [run(ago(4), 5.5, 1900, before=3, after=4)]   # a new longest run


def test_insights_json_shape(db_path):
    log(db_path, warning_log() + caution_log() + healthy_log())
    result = as_json("insights")
    assert set(result) == {"as_of", "findings"}
    assert result["as_of"] == TODAY.isoformat()
    codes = {finding["code"] for finding in result["findings"]}
    assert {"running_through_pain", "rest_day_guilt", "milestone"} <= codes
    for finding in result["findings"]:
        assert set(finding) == {"code", "severity", "message", "evidence"}
        assert finding["severity"] in ("info", "caution", "warning")
        assert isinstance(finding["evidence"], dict)
        if finding["severity"] == "warning":
            assert finding["message"].endswith(HELP_LINES[finding["code"]])


@pytest.mark.parametrize("builder, on_caution, on_warning", [
    (warning_log, 1, 1),
    (caution_log, 1, 0),
    (healthy_log, 0, 0),     # milestones are info: never a failure
    (list, 0, 0),            # an empty log
])
def test_insights_fail_on(db_path, builder, on_caution, on_warning):
    entries = builder()
    if entries:
        log(db_path, entries)
    for severity, expected in (("caution", on_caution), ("warning", on_warning)):
        result = invoke("insights", "--fail-on", severity)
        assert result.exit_code == expected, (severity, result.stdout, result.stderr)
        assert result.stderr == ""
        result = invoke("insights", "--fail-on", severity, "--json")
        assert result.exit_code == expected
        json.loads(result.stdout)
    assert invoke("insights").exit_code == 0


def test_insights_fail_on_needs_a_known_severity():
    result = invoke("insights", "--fail-on", "panic")
    assert result.exit_code == 2 and result.stderr.startswith("Error:")


def test_insights_as_of_in_the_past_ignores_later_entries(db_path):
    log(db_path, healthy_log()[:-1] + warning_log())
    now = {f["code"] for f in as_json("insights")["findings"]}
    assert "running_through_pain" in now
    past = as_json("insights", "--as-of", ago(20).isoformat())
    assert past["as_of"] == ago(20).isoformat()
    assert past["findings"] == []
    assert invoke("insights", "--as-of", ago(20).isoformat(), "--fail-on", "caution"
                  ).exit_code == 0
    assert invoke("insights", "--fail-on", "warning").exit_code == 1


# --- no log yet --------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("mood",), ("mood", "--chart"), ("mood", "--month", "--json"), ("stats",),
    ("stats", "--json"), ("emotions",), ("emotions", "--json"), ("insights",),
    ("insights", "--json"), ("insights", "--fail-on", "caution"),
])
def test_reports_on_a_log_that_does_not_exist_yet(tmp_path, db_path, args):
    elsewhere = tmp_path / "not" / "yet" / "runlog.db"
    for global_options in ((), ("--db", elsewhere)):
        result = invoke(*global_options, *args)
        assert result.exit_code == 0, (global_options, result.stdout, result.stderr)
        assert result.stderr == ""
        if "--json" in args:
            json.loads(result.stdout)
    assert not db_path.exists()
    assert not (tmp_path / "not").exists()


def test_json_of_an_empty_log(db_path):
    review = as_json("mood")
    assert review == {"period": "week", "rows": [], "correlation": {
        "weekly_distance_vs_mood_after": {"r": None, "n": 0},
        "run_distance_vs_mood_lift": {"r": None, "n": 0}}}
    stats = as_json("stats")
    assert stats["runs"] == 0 and stats["longest"] is None and stats["lifted_share"] is None
    assert stats["best_pace"] == {"1k": None, "5k": None, "10k": None, "half": None}
    assert as_json("emotions") == []
    assert as_json("insights") == {"as_of": TODAY.isoformat(), "findings": []}
    assert not db_path.exists()


@pytest.mark.parametrize("args", [("mood",), ("mood", "--month", "--last", "24"),
                                  ("--units", "mi", "mood", "--last", "20")])
def test_mood_rich_table_fits_an_80_column_terminal(db_path, monkeypatch, args):
    """On a terminal the table is Rich's (COLUMNS=80 from conftest): it folds, never overflows."""
    import runlog.cli.reports as cli_reports

    monkeypatch.setattr(cli_reports, "on_terminal", lambda: True)
    log(db_path, long_log())
    lines = ok(*args).stdout.rstrip("\n").split("\n")
    table_and_chart = lines[:-2]
    assert any("2026" in line for line in table_and_chart)
    assert not [(len(line), line) for line in table_and_chart if len(line) > 80]
