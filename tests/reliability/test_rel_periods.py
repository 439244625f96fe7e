"""`runlog mood` shows the periods of the log, not empty ones before it (issue 10).

1. Without --since/--until, `mood` shows the last N periods (default 8) ending with today's,
   but none before the period holding the first run: a log begun this year shows one year,
   a log begun two weeks ago three weeks. Empty periods between runs stay, with runs 0. The
   rows and every figure in them are checked against an independent computation on
   generated logs, for weeks (Monday and Sunday), months and years, and the table lists
   the same periods as `--json`.
2. On a log without runs (missing file, or only rest days and check-ins) `mood` and
   `mood --chart` print what `stats` prints ("No runs yet…", exit 0) and `mood --json`
   prints the usual shape with `rows: []`; a missing log stays missing.
3. `--last` with `--since`/`--until` is refused: one line on stderr, exit 2, nothing else.

Each test runs the real `runlog` process on real files, built with `runlog import` of an
NDJSON file the test writes. "Now" is frozen by running runlog through a small wrapper that
replaces `runlog.clock.now` (the one place it asks the time).
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from relsupport import isolated_env, sha256

NOW = "2026-11-21T12:00:00+01:00"          # a Saturday, in ISO week 2026-W47
TODAY = date(2026, 11, 21)

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

EMOTIONS = ("joy", "relief", "sadness", "grief", "calm", "anxiety")


def runlog(env: dict, *args: str) -> subprocess.CompletedProcess:
    """The real runlog, as a script runs it, with today frozen at NOW."""
    return subprocess.run([sys.executable, "-c", FROZEN, NOW, *args], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)


def must(env: dict, *args: str) -> str:
    done = runlog(env, *args)
    assert done.returncode == 0, (args, done.returncode, done.stdout, done.stderr)
    return done.stdout


def mood_json(env: dict, *args: str) -> dict:
    done = runlog(env, "mood", *args, "--json")
    assert done.returncode == 0 and done.stderr == "", (args, done.stdout, done.stderr)
    return json.loads(done.stdout)


# --- building logs ----------------------------------------------------------------------


def entry(n: int, day: date, kind: str = "run", *, km=None, secs=None, before=None,
          after=None, emotions=(), cried=None, hour=None) -> dict:
    when = day.isoformat() if hour is None else f"{day.isoformat()}T{hour:02d}:{n % 60:02d}:00+01:00"
    return {"uuid": f"00000000-0000-4000-8000-{n:012d}", "date": when, "kind": kind,
            "distance_km": km, "duration_s": secs, "mood_before": before, "mood_after": after,
            "emotions": list(emotions), "cried": cried}


def import_log(root: Path, entries: list[dict], **env_extra: str) -> dict:
    """A log at root/runlog.db holding `entries`, made by `runlog import`."""
    root.mkdir(parents=True, exist_ok=True)
    env = isolated_env(root, **env_extra)
    source = root / "log.ndjson"
    source.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    must(env, "import", str(source))
    return env


def generated(seed: int, first: date) -> list[dict]:
    """Runs on about half the days from `first` to TODAY (with gaps of weeks), plus rest days
    and check-ins that must never count; each on its own day, so none is a duplicate."""
    rng = random.Random(seed)
    entries, n, day = [], 0, first
    while day <= TODAY:
        n += 1
        roll = rng.random()
        if day == first or roll < 0.45:
            km = rng.choice([3.0, 5.0, 8.5, 10.0, round(rng.uniform(1, 21), 2)])
            entries.append(entry(
                n, day, rng.choice(["run", "run", "trail", "treadmill"]), km=km,
                secs=round(km * rng.uniform(300, 420)),
                before=rng.choice([None, 1, 2, 3, 4, 5]), after=rng.choice([None, 2, 3, 4, 5]),
                emotions=rng.sample(EMOTIONS, rng.choice([0, 1, 2])),
                cried=rng.choice([None, None, None, "during", "after"]),
                hour=rng.choice([None, 7, 18])))
        elif roll < 0.55:
            entries.append(entry(n, day, rng.choice(["rest", "checkin"]), after=rng.randint(1, 5),
                                 emotions=rng.sample(EMOTIONS, 1)))
        # now and then a gap of a few weeks, so empty periods fall between runs
        day += timedelta(days=rng.choice([1, 1, 1, 2, 3]) if rng.random() > 0.03
                         else rng.randint(15, 70))
    return entries


# --- the independent computation --------------------------------------------------------


def ref_start(day: date, unit: str, week_start: str) -> date:
    if unit == "year":
        return date(day.year, 1, 1)
    if unit == "month":
        return date(day.year, day.month, 1)
    back = day.weekday() if week_start == "monday" else (day.weekday() + 1) % 7
    return day - timedelta(days=back)


def ref_end(start: date, unit: str) -> date:
    if unit == "year":
        return date(start.year, 12, 31)
    if unit == "month":
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return start + timedelta(days=6)


def ref_key(start: date, unit: str, week_start: str) -> str:
    if unit == "year":
        return f"{start.year}"
    if unit == "month":
        return f"{start.year}-{start.month:02d}"
    monday = start if week_start == "monday" else start + timedelta(days=1)
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def ref_mean(values):
    present = [v for v in values if v is not None]
    return math.fsum(present) / len(present) if present else None


def ref_rows(entries: list[dict], unit: str, week_start: str, last: int) -> list[dict]:
    runs = [e for e in entries if e["kind"] not in ("rest", "checkin")]
    if not runs:
        return []
    first = min(date.fromisoformat(e["date"][:10]) for e in runs)
    starts = [ref_start(TODAY, unit, week_start)]
    while len(starts) < last and starts[-1] > ref_start(first, unit, week_start):
        starts.append(ref_start(starts[-1] - timedelta(days=1), unit, week_start))
    rows = []
    for start in reversed(starts):
        inside = [e for e in runs if start <= date.fromisoformat(e["date"][:10])
                  <= ref_end(start, unit)]
        rows.append({
            "period": ref_key(start, unit, week_start),
            "start": start.isoformat(), "end": ref_end(start, unit).isoformat(),
            "runs": len(inside),
            "distance_km": math.fsum(e["distance_km"] for e in inside),
            "duration_s": math.fsum(e["duration_s"] for e in inside),
            "mood_before": ref_mean(e["mood_before"] for e in inside),
            "mood_after": ref_mean(e["mood_after"] for e in inside),
            "mood_lift": ref_mean(e["mood_after"] - e["mood_before"] for e in inside
                                  if e["mood_after"] is not None
                                  and e["mood_before"] is not None),
            "cried": sum(1 for e in inside if e["cried"]),
            "emotions": dict(Counter(name for e in inside for name in e["emotions"])),
        })
    return rows


def assert_rows(got: list[dict], want: list[dict], label: str) -> None:
    assert [r["period"] for r in got] == [r["period"] for r in want], label
    for g, w in zip(got, want):
        where = f"{label} {w['period']}"
        for key in ("start", "end", "runs", "cried", "emotions"):
            assert g[key] == w[key], (where, key)
        for key in ("distance_km", "duration_s", "mood_before", "mood_after", "mood_lift"):
            if w[key] is None:
                assert g[key] is None, (where, key)
            else:
                assert g[key] == pytest.approx(w[key], abs=1e-6), (where, key)


def table_periods(text: str) -> list[str]:
    """The period column of `mood`'s plain table (the lines between its header and the
    blank line that ends it)."""
    lines = text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("period"))
    rows = []
    for line in lines[header + 1:]:
        if not line.strip():
            break
        rows.append(line.split()[0])
    return rows


# --- 1. the last N periods, none before the first run -------------------------------------


@pytest.mark.parametrize("seed, first", [
    (1, date(2026, 3, 17)),     # this year: --year must show 2026 alone
    (2, date(2024, 12, 30)),    # a Monday in 2025-W01, nearly two years back
    (3, date(2026, 10, 4)),     # a Sunday, seven weeks back
])
def test_mood_rows_match_an_independent_computation(tmp_path, seed, first):
    entries = generated(seed, first)
    env = import_log(tmp_path, entries)
    for week_start in ("monday", "sunday"):
        must(env, "config", "set", "week_start", week_start)
        for unit, lasts in (("week", (None, 1, 60)), ("month", (None, 30)),
                            ("year", (None, 3))):
            for last in lasts:
                args = [f"--{unit}"] + ([] if last is None else ["--last", str(last)])
                label = f"seed {seed} {week_start} {args}"
                review = mood_json(env, *args)
                want = ref_rows(entries, unit, week_start, 8 if last is None else last)
                assert review["period"] == unit, label
                assert_rows(review["rows"], want, label)
                # The table shows the very same periods as the JSON, in the same order.
                assert table_periods(must(env, "mood", *args)) == [r["period"] for r in want]


def test_a_log_begun_this_year_or_two_weeks_ago_shows_only_its_own_periods(tmp_path):
    # The issue: `mood --year` on a log that starts in 2026 listed 2019 … 2025, all zeros.
    env = import_log(tmp_path, [
        entry(1, date(2026, 11, 8), km=5.0, secs=1800, before=2, after=4),   # Sunday, W45
        entry(2, date(2026, 11, 20), km=8.0, secs=2900, before=3, after=3),  # W47
        entry(3, date(2026, 10, 1), "rest", after=2),      # not a run: does not start the log
    ])
    assert [r["period"] for r in mood_json(env, "--year")["rows"]] == ["2026"]
    assert [r["period"] for r in mood_json(env, "--month")["rows"]] == ["2026-11"]
    weeks = mood_json(env)["rows"]
    # Two weeks and a day: three weeks, the empty one between the runs kept with runs 0.
    assert [(r["period"], r["runs"]) for r in weeks] == [
        ("2026-W45", 1), ("2026-W46", 0), ("2026-W47", 1)]
    assert weeks[1]["mood_after"] is None and weeks[1]["distance_km"] == 0
    table = must(env, "mood", "--year", "--chart")
    assert table_periods(table) == ["2026"]
    assert "2025" not in table and "2019" not in table
    # --last can ask for fewer; asking for more never reaches before the first run.
    assert [r["period"] for r in mood_json(env, "--last", "2")["rows"]] == [
        "2026-W46", "2026-W47"]
    assert len(mood_json(env, "--last", "500")["rows"]) == 3
    # An explicit --since is shown as asked, even before the first run.
    assert [r["period"] for r in mood_json(env, "--year", "--since", "2024-06-01")["rows"]] == [
        "2024", "2025", "2026"]
    # A range that ends before the first run has no periods: said in words, not a bare header.
    assert mood_json(env, "--until", "2026-11-01")["rows"] == []
    assert must(env, "mood", "--until", "2026-11-01", "--chart") == "No runs in that range.\n"


# --- 2. no runs yet -----------------------------------------------------------------------


def test_mood_on_a_log_without_runs_says_no_runs_yet_like_stats(tmp_path):
    missing = tmp_path / "missing"
    missing.mkdir()
    env_missing = isolated_env(missing, db=missing / "not" / "here.db")
    # A log that exists but holds only a rest day and a check-in: no runs either.
    env_rest = import_log(tmp_path / "rest", [
        entry(1, date(2026, 11, 2), "rest", after=2, emotions=["guilt"]),
        entry(2, date(2026, 11, 12), "checkin", after=4)])
    rest_db = tmp_path / "rest" / "runlog.db"
    before = sha256(rest_db)
    for env in (env_missing, env_rest):
        stats = runlog(env, "stats")
        assert stats.returncode == 0 and stats.stdout.startswith("No runs yet")
        for args in (("mood",), ("mood", "--chart"), ("mood", "--month"),
                     ("mood", "--year", "--chart"), ("mood", "--last", "3")):
            done = runlog(env, *args)
            assert (done.returncode, done.stdout, done.stderr) == (0, stats.stdout, ""), args
        for args in ((), ("--month",), ("--year",)):
            review = mood_json(env, *args)
            assert review == {"period": (args or ("--week",))[0][2:], "rows": [],
                              "correlation": {
                                  "weekly_distance_vs_mood_after": {"r": None, "n": 0},
                                  "run_distance_vs_mood_lift": {"r": None, "n": 0}}}
    assert not (missing / "not").exists()
    assert sha256(rest_db) == before


# --- 3. --last with --since/--until ------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("--last", "3", "--since", "2026-10-01"),
    ("--until", "2026-11-01", "--last", "3"),
    ("--month", "--last", "2", "--since", "2026-01-01", "--until", "2026-06-30", "--json"),
    ("--last", "12", "--since", "30 days ago", "--chart"),
])
def test_last_with_since_or_until_is_refused(tmp_path, args):
    env = import_log(tmp_path, [entry(1, date(2026, 11, 10), km=5.0, secs=1800, after=4)])
    db = tmp_path / "runlog.db"
    before = sha256(db)
    done = runlog(env, "mood", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "Error: --last can't be combined with --since/--until\n"
    assert sha256(db) == before
    # Nor does it create a log that is not there.
    elsewhere = isolated_env(tmp_path / "other", db=tmp_path / "other" / "new.db")
    (tmp_path / "other").mkdir()
    done = runlog(elsewhere, "mood", *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert not (tmp_path / "other" / "new.db").exists()


def test_last_periods_stop_at_the_period_of_the_first_run():
    """`periods.last_periods(..., not_before=FIRST)`, the rule behind 1, against the reference
    above on random days, counts and year boundaries (53-week ISO years included)."""
    from runlog.analysis.periods import last_periods

    rng = random.Random(10)
    for _ in range(3000):
        today = date(2019, 1, 1) + timedelta(days=rng.randint(0, 3000))
        first = today - timedelta(days=rng.choice([0, 1, 6, 7, 13, 30, 365, rng.randint(0, 900)]))
        unit = rng.choice(["week", "month", "year"])
        week_start = rng.choice(["monday", "sunday"])
        count = rng.choice([1, 2, 8, 60])
        got = last_periods(today, unit, count, week_start, not_before=first)
        starts = [ref_start(today, unit, week_start)]
        while len(starts) < count and starts[-1] > ref_start(first, unit, week_start):
            starts.append(ref_start(starts[-1] - timedelta(days=1), unit, week_start))
        want = [(ref_key(s, unit, week_start), s, ref_end(s, unit)) for s in reversed(starts)]
        label = (today, first, unit, week_start, count)
        assert [(p.key, p.start, p.end) for p in got] == want, label
        assert first <= got[0].end, label            # it holds the first run, or a later day
