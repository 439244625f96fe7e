"""What a check-in said does not outlive its use, and every report counts a run that has
happened.

1. A check-in dropped with `start --cancel` or replaced by a newer `start` is deleted, and
   its text is in no file of the log (the file, its -wal, its -shm) after the command, even
   while another program holds the log open; `purge` drops the check-ins no run can take up
   any more (cancelled by an older runlog, or unused a day past their 12-hour window), but
   keeps a recent one for a back-dated run; an edit that clears or changes a run's
   intention or mood before leaves the old value in the check-in it took up neither.
2. `stats` counts a past run written with an offset ahead of local time, whose own day is
   still to come where the runner is (it used to say "No runs yet").

Each test runs the real `runlog` process on real files. Where "now" matters, runlog runs
through a small wrapper that freezes `runlog.clock.now` (the one place it asks the time)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from relsupport import RUNLOG, isolated_env

# The real runlog, with "now" frozen at the instant given as the first argument.
FROZEN = """
import sys
from datetime import datetime
import runlog.clock
_now = datetime.fromisoformat(sys.argv.pop(1))
runlog.clock.now = lambda: _now.astimezone()
sys.argv[0] = "runlog"
from runlog.cli import main
sys.exit(main())
"""


def _go(env: dict, *args: str, at: str | None = None) -> subprocess.CompletedProcess:
    command = [str(RUNLOG)] if at is None else [sys.executable, "-c", FROZEN, at]
    return subprocess.run([*command, *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)


def _must(env: dict, *args: str, at: str | None = None) -> str:
    done = _go(env, *args, at=at)
    assert done.returncode == 0, (args, done.returncode, done.stdout, done.stderr)
    return done.stdout


def _files_holding(folder: Path, text: str) -> list[str]:
    """The files of the log's folder (db, -wal, -shm, backups) whose bytes hold `text`."""
    return sorted(path.name for path in folder.iterdir()
                  if path.is_file() and text.encode() in path.read_bytes())


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def log(tmp_path):
    """(folder, db, env) for a log in a folder of its own."""
    folder = tmp_path / "data"
    db = folder / "runlog.db"
    return folder, db, isolated_env(tmp_path, db=db)


@pytest.fixture
def holder(log):
    """Another program (Datasette, a second runlog) keeping the log open, so its -wal stays
    between commands: what it holds must be cleared by runlog itself."""
    folder, db, env = log
    _must(env, "add", "4k", "25:00", "-d", "2026-01-10")
    conn = sqlite3.connect(db)
    conn.execute("SELECT count(*) FROM entries").fetchone()
    yield conn
    conn.close()


# -- 1. check-in text ------------------------------------------------------------------------

@pytest.mark.parametrize("held", [False, True], ids=["alone", "log-held-open"])
def test_a_cancelled_checkin_leaves_its_text_in_no_file(log, request, held):
    folder, db, env = log
    if held:
        request.getfixturevalue("holder")
    secret = "CANCELLED-7d1e let the argument go"
    _must(env, "start", "--before", "2", "--intention", secret)
    assert _files_holding(folder, secret), "the text must be in the log first"
    assert "Dropped the waiting check-in." in _must(env, "start", "--cancel")
    assert _files_holding(folder, secret) == []
    assert _rows(db, "SELECT count(*) FROM checkins") == [(0,)]
    _must(env, "db", "backup", str(folder / "copy.db"))
    assert _files_holding(folder, secret) == []
    # Nothing is waiting any more: a run takes nothing up.
    added = json.loads(_must(env, "add", "5k", "30:00", "--json"))
    assert added["intention"] is None and added["mood_before"] is None


@pytest.mark.parametrize("held", [False, True], ids=["alone", "log-held-open"])
def test_a_replaced_checkin_leaves_its_text_in_no_file(log, request, held):
    folder, db, env = log
    if held:
        request.getfixturevalue("holder")
    old, new = "REPLACED-41b0 first thought", "KEPT-c93a second thought"
    _must(env, "start", "--intention", old)
    out = _must(env, "start", "--intention", new)
    assert "replaces the check-in" in out
    assert _files_holding(folder, old) == []
    assert _files_holding(folder, new)
    added = json.loads(_must(env, "add", "5k", "30:00", "--json"))
    assert added["intention"] == new


def test_purge_drops_the_checkins_no_run_can_take_up_and_keeps_a_recent_one(log):
    folder, db, env = log
    stale, recent, legacy = "STALE-0a9f two days old", "RECENT-5e27 last night", "LEGACY-88c4"
    _must(env, "start", "--intention", stale, at="2026-11-18T08:00:00+01:00")
    _must(env, "start", "--intention", recent, at="2026-11-20T09:00:00+01:00")
    # A check-in an older runlog marked cancelled instead of deleting it.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO checkins (created_at, created_ts, intention, cancelled)"
                     " VALUES ('2026-11-20T10:00:00+01:00', 1795770000.0, ?, 1)", (legacy,))
    conn.close()
    for text in (stale, recent, legacy):
        assert _files_holding(folder, text), text
    now = "2026-11-21T06:00:00+01:00"  # RECENT's window ended 9 hours ago, STALE's 2 days
    out = _must(env, "purge", "--yes", at=now)
    assert "dropped 2 old check-ins" in out
    assert _files_holding(folder, stale) == []
    assert _files_holding(folder, legacy) == []
    assert _files_holding(folder, recent)
    # The one kept is still there for the run logged late, back-dated into its window.
    added = json.loads(_must(env, "add", "6k", "36:00", "-d", "2026-11-20 18:00", "--json",
                             at=now))
    assert added["intention"] == recent
    # Taken up, it is not stale: a purge a week later keeps it with its run.
    _must(env, "purge", "--yes", at="2026-11-28T06:00:00+01:00")
    assert _rows(db, "SELECT intention, used_by FROM checkins") == [(recent, added["id"])]


def test_purge_of_the_trash_drops_stale_checkins_too(log):
    folder, db, env = log
    stale = "STALE-TRASH-19d2 old"
    _must(env, "start", "--intention", stale, at="2026-11-10T08:00:00+01:00")
    _must(env, "add", "5k", "30:00", "-d", "2026-11-19", at="2026-11-21T06:00:00+01:00")
    _must(env, "delete", "1", "--yes")
    assert "Deleted 1 for good." in _must(env, "purge", "--yes", at="2026-11-21T06:00:00+01:00")
    assert _files_holding(folder, stale) == []


@pytest.mark.parametrize("change", [["--clear", "intention"], ["--intention", "NEW-own words"]],
                         ids=["cleared", "changed"])
def test_an_edit_leaves_the_old_intention_in_no_checkin(log, holder, change):
    folder, db, env = log
    secret = "EDITED-AWAY-6c55 what she said"
    _must(env, "start", "--before", "2", "--intention", secret)
    added = json.loads(_must(env, "add", "5k", "30:00", "--json"))
    assert added["intention"] == secret
    _must(env, "edit", str(added["id"]), *change)
    assert _files_holding(folder, secret) == []
    # What was not edited stays in the check-in (and on the run).
    assert _rows(db, "SELECT mood_before, intention FROM checkins") == [(2, None)]
    _must(env, "edit", str(added["id"]), "--clear", "before")
    assert _rows(db, "SELECT mood_before, intention FROM checkins") == [(None, None)]


def test_moving_a_run_after_an_edit_asks_only_for_what_it_still_took_from_the_checkin(log):
    folder, db, env = log
    _must(env, "start", "--before", "2", "--intention", "MOVED-2b8e breathe")
    added = json.loads(_must(env, "add", "5k", "30:00", "--json"))
    _must(env, "edit", str(added["id"]), "--clear", "intention")
    refused = _go(env, "edit", str(added["id"]), "-d", "2020-01-01")
    assert refused.returncode == 2, refused
    line = refused.stderr.strip()
    assert line.startswith("Error: ") and "took its mood before from the check-in" in line, line
    assert "intention" not in line.split(";")[0], line
    _must(env, "edit", str(added["id"]), "-d", "2020-01-01", "--clear", "before")
    # Released, the check-in waits again for its own run, with what the edit left in it.
    again = json.loads(_must(env, "add", "3k", "20:00", "--json"))
    assert again["mood_before"] == 2 and again["intention"] is None


# -- 2. a run written ahead of local time ----------------------------------------------------

def test_stats_counts_a_past_run_whose_day_is_ahead_of_the_local_day(tmp_path):
    # Local time is UTC-11; the run, an hour ago, is written at +14:00: its day is tomorrow.
    env = isolated_env(tmp_path, TZ="Pacific/Pago_Pago")
    now = datetime(2026, 11, 20, 20, 0, tzinfo=timezone(timedelta(hours=-11)))
    ahead = timezone(timedelta(hours=14))
    past = (now - timedelta(hours=1)).astimezone(ahead)
    assert past.date().isoformat() == "2026-11-21" > now.date().isoformat()
    lines = [
        {"uuid": "11111111-1111-4111-8111-111111111111", "date": past.isoformat(),
         "kind": "run", "distance_km": 5, "duration_s": 1800},
        {"uuid": "22222222-2222-4222-8222-222222222222", "date": "2026-11-01",
         "kind": "run", "distance_km": 7, "duration_s": 3000},
    ]
    source = tmp_path / "runs.ndjson"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    at = now.isoformat()
    _must(env, "import", str(source), at=at)
    listed = json.loads(_must(env, "list", "--json", at=at))
    assert [e["date"] for e in listed] == [past.isoformat(), "2026-11-01"]
    stats = json.loads(_must(env, "stats", "--json", at=at))
    assert stats["runs"] == 2, stats
    assert stats["distance_km"] == 12.0
    assert stats["longest"]["date"] == "2026-11-01"
    assert stats["best_pace"]["5k"]["date"] == past.isoformat()  # 6:00 /km beats 7:09
    assert stats["streaks"]["current_days"] == 1 and stats["streaks"]["current_weeks"] == 1
    assert [m["kind"] for m in stats["milestones"]] == ["first_run"]
    assert "No runs yet" not in _must(env, "stats", at=at)


def test_insights_count_a_past_run_whose_day_is_ahead_of_the_local_day(tmp_path):
    """Three painful runs in the last fortnight are a warning, even when the latest is
    written in a time zone where it is already tomorrow."""
    env = isolated_env(tmp_path, TZ="Pacific/Pago_Pago")
    now = datetime(2026, 11, 20, 20, 0, tzinfo=timezone(timedelta(hours=-11)))
    past = (now - timedelta(hours=1)).astimezone(timezone(timedelta(hours=14)))
    lines = [{"uuid": f"3333333{n}-3333-4333-8333-333333333333", "date": date, "kind": "run",
              "distance_km": 5, "duration_s": 1800, "pain": 6}
             for n, date in enumerate(["2026-11-12", "2026-11-16", past.isoformat()])]
    source = tmp_path / "runs.ndjson"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    at = now.isoformat()
    _must(env, "import", str(source), at=at)
    findings = json.loads(_must(env, "insights", "--json", at=at))["findings"]
    pain = [f for f in findings if f["code"] == "running_through_pain"]
    assert pain, findings
