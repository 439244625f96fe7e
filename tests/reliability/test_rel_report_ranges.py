"""`stats` and `emotions` over a range, and what their figures are of (issue 10).

1. `stats` and `emotions` take `--until WHEN` as well as `--since WHEN` (read as `mood` and
   `list` read them). Totals, records, milestones and streaks are those of the runs in the
   range, as of `--until` (a day to come is refused, as everywhere): a current streak is one that was still
   running on that day, counted only over days from `--since` on. Checked against an
   independent computation on generated logs, and the streak rule by hand.
2. For every report (`mood`, `stats`, `emotions`) an `--until` before the `--since` is one
   line, `Error: --until (DAY) is before --since (DAY)`, exit 2, nothing on stdout, the log
   untouched (a missing one not created).
3. `emotions`: `share` stays the share of all runs (SPEC §5) and is exact, so a feeling named
   4 times in 1,158 runs is 4/1158, not 0; `share_of_runs_with_feelings` is the share of
   the runs that named any feeling; the table says what the share is of, and never shows
   `0%` for a feeling that was named.

Each test runs the real `runlog` process on real files, built with `runlog import` of an
NDJSON file the test writes, with today frozen (see test_rel_periods).
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import pytest

from relsupport import isolated_env, sha256
from test_rel_periods import TODAY, entry, generated, import_log, must, ref_mean, runlog

BRACKETS = {"1k": 1000.0, "5k": 5000.0, "10k": 10000.0, "half": 21097.5}


def as_json(env: dict, *args: str):
    done = runlog(env, *args, "--json")
    assert done.returncode == 0 and done.stderr == "", (args, done.stdout, done.stderr)
    return json.loads(done.stdout)


def day_of(e: dict) -> date:
    return date.fromisoformat(e["date"][:10])


def runs_in(entries, since, until):
    """The runs (activities) from `since` through `until`, never past today."""
    last = TODAY if until is None else min(until, TODAY)
    return [e for e in entries if e["kind"] not in ("rest", "checkin")
            and (since is None or day_of(e) >= since) and day_of(e) <= last]


def ref_streaks(days: set[date], as_of: date, step: int, start_of) -> tuple[int, int]:
    starts = {start_of(d) for d in days if d <= as_of}
    cursor = start_of(as_of)
    if cursor not in starts:
        cursor -= timedelta(days=step)
    current = 0
    while cursor in starts:
        current, cursor = current + 1, cursor - timedelta(days=step)
    longest = length = 0
    previous = None
    for start in sorted(starts):
        length = length + 1 if previous and (start - previous).days == step else 1
        longest, previous = max(longest, length), start
    return current, longest


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- 1. stats over a range, as of its end --------------------------------------------------

RANGES = [
    (None, date(2026, 6, 30)),
    (date(2026, 2, 1), date(2026, 5, 15)),
    (date(2026, 5, 10), None),
    (None, TODAY),
    (date(2025, 11, 3), date(2025, 11, 3)),
]


def test_stats_over_a_range_match_an_independent_computation(tmp_path):
    entries = generated(7, date(2025, 9, 1))
    env = import_log(tmp_path, entries)
    everything = as_json(env, "stats")
    for since, until in RANGES:
        args = [*(["--since", since.isoformat()] if since else []),
                *(["--until", until.isoformat()] if until else [])]
        got = as_json(env, "stats", *args)
        runs = runs_in(entries, since, until)
        as_of = TODAY if until is None else min(until, TODAY)
        assert got["runs"] == len(runs), args
        assert got["distance_km"] == pytest.approx(math.fsum(e["distance_km"] for e in runs))
        assert got["duration_s"] == pytest.approx(math.fsum(e["duration_s"] for e in runs))
        both = [e for e in runs if e["mood_before"] is not None and e["mood_after"] is not None]
        lifted = sum(1 for e in both if e["mood_after"] > e["mood_before"])
        assert got["lifted_share"] == (pytest.approx(lifted / len(both)) if both else None)
        longest = min(runs, key=lambda e: (-e["distance_km"], day_of(e)), default=None)
        if longest is None:
            assert got["longest"] is None
        else:
            assert got["longest"]["date"] == longest["date"], args
        for bracket, metres in BRACKETS.items():
            fast = [e for e in runs if e["distance_km"] * 1000 >= metres]
            best = min(fast, key=lambda e: (e["duration_s"] / e["distance_km"], day_of(e)),
                       default=None)
            if best is None:
                assert got["best_pace"][bracket] is None, (args, bracket)
            else:
                assert got["best_pace"][bracket]["date"] == best["date"], (args, bracket)
                assert got["best_pace"][bracket]["pace_s_per_km"] == pytest.approx(
                    best["duration_s"] / best["distance_km"], abs=1e-6)
        days = {day_of(e) for e in runs}
        current_days, longest_days = ref_streaks(days, as_of, 1, lambda d: d)
        current_weeks, longest_weeks = ref_streaks(days, as_of, 7, monday_of)
        assert got["streaks"] == {"current_days": current_days, "longest_days": longest_days,
                                  "current_weeks": current_weeks,
                                  "longest_weeks": longest_weeks}, args
        # A milestone is reached once, in log order: those of a range are those of the whole
        # log that fall inside it.
        assert got["milestones"] == [
            m for m in everything["milestones"]
            if (since is None or m["day"] >= since.isoformat())
            and m["day"] <= as_of.isoformat()], args


def test_streaks_are_as_of_until_by_hand(tmp_path):
    # Runs 1-5 Nov (Sun 1 .. Thu 5) and 10-12 Nov; today is Sat 21 Nov.
    days = [date(2026, 11, d) for d in (1, 2, 3, 4, 5, 10, 11, 12)]
    env = import_log(tmp_path, [entry(n, day, km=5.0, secs=1800) for n, day in
                                enumerate(days, 1)])

    def streaks(*args):
        s = as_json(env, "stats", *args)["streaks"]
        return s["current_days"], s["longest_days"], s["current_weeks"], s["longest_weeks"]

    # Today: nothing since the 12th, so no current daily streak; the weeks of Monday 10-26,
    # 11-02 and 11-09 ran, and this week (11-16) has had no run yet, which does not break it.
    assert streaks() == (0, 5, 3, 3)
    assert streaks("--until", "2026-11-05") == (5, 5, 2, 2)   # still running on the 5th
    assert streaks("--until", "2026-11-06") == (5, 5, 2, 2)   # the 6th has had no run yet
    assert streaks("--until", "2026-11-07") == (0, 5, 2, 2)   # broken on the 6th
    assert streaks("--until", "2026-11-11") == (2, 5, 3, 3)
    # --since counts only the days from then on.
    assert streaks("--since", "2026-11-03", "--until", "2026-11-05") == (3, 3, 1, 1)
    # Text too: a range without runs is not an empty log.
    assert must(env, "stats", "--until", "2026-10-31") == "No runs in that range.\n"
    assert must(env, "emotions", "--since", "2026-11-13") == (
        "No emotions named on runs in that range.\n")


# --- 2. --until before --since -------------------------------------------------------------


@pytest.mark.parametrize("command", [("mood",), ("mood", "--month", "--chart"), ("stats",),
                                     ("emotions",)])
@pytest.mark.parametrize("as_json_too", [False, True])
def test_until_before_since_is_refused_naming_both_days(tmp_path, command, as_json_too):
    env = import_log(tmp_path, [entry(1, date(2026, 11, 5), km=5.0, secs=1800, after=4,
                                      emotions=["joy"])])
    db = tmp_path / "runlog.db"
    before = sha256(db)
    extra = ("--json",) if as_json_too else ()
    for dates, shown in (
            (("--since", "2026-11-10", "--until", "2026-11-01"),
             "Error: --until (2026-11-01) is before --since (2026-11-10)\n"),
            (("--until", "3 days ago", "--since", "yesterday"),
             "Error: --until (2026-11-18) is before --since (2026-11-20)\n")):
        done = runlog(env, *command, *dates, *extra)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", shown), (command, dates)
    assert sha256(db) == before
    (tmp_path / "other").mkdir()
    missing = tmp_path / "other" / "new.db"
    done = runlog(isolated_env(tmp_path / "other", db=missing), *command,
                  "--since", "2026-11-10", "--until", "2026-11-01", *extra)
    assert done.returncode == 2 and done.stdout == ""
    assert not missing.exists()


# --- 3. what an emotion's share is of -----------------------------------------------------


def test_emotions_over_a_range_match_an_independent_computation(tmp_path):
    entries = generated(11, date(2025, 12, 1))
    env = import_log(tmp_path, entries)
    for since, until in RANGES:
        args = [*(["--since", since.isoformat()] if since else []),
                *(["--until", until.isoformat()] if until else [])]
        got = as_json(env, "emotions", *args)
        runs = runs_in(entries, since, until)
        with_feelings = [e for e in runs if e["emotions"]]
        names = {name for e in runs for name in e["emotions"]}
        assert {row["name"] for row in got} == names, args
        for row in got:
            those = [e for e in runs if row["name"] in e["emotions"]]
            assert row["count"] == len(those)
            assert row["share"] == pytest.approx(len(those) / len(runs), rel=1e-12)
            assert row["share_of_runs_with_feelings"] == pytest.approx(
                len(those) / len(with_feelings), rel=1e-12)
            assert row["distance_km_mean"] == pytest.approx(
                ref_mean(e["distance_km"] for e in those))
            lift = ref_mean(e["mood_after"] - e["mood_before"] for e in those
                            if e["mood_after"] is not None and e["mood_before"] is not None)
            assert row["mood_lift_mean"] == (None if lift is None else pytest.approx(lift))
        if got:
            footer = must(env, "emotions", *args).rstrip("\n").split("\n")[-1]
            assert footer == (f"Share is of all {len(runs):,} run{'s' * (len(runs) != 1)}; "
                              f"{len(with_feelings):,} named a feeling."), args


def rare_relief_log(tmp_path):
    """1,158 runs: joy on every fifth, relief on four of them, the rest named nothing."""
    start = date(2023, 9, 1)
    entries = []
    for n in range(1158):
        feelings = ["joy"] if n % 5 == 0 else []
        if n in (7, 301, 801, 1101):
            feelings = ["relief"]
        entries.append(entry(n + 1, start + timedelta(days=n), km=5.0 + n % 7, secs=1800 + n,
                             before=3, after=4, emotions=feelings))
    return import_log(tmp_path, entries)


def test_a_rare_feeling_keeps_its_exact_share(tmp_path):
    env = rare_relief_log(tmp_path)
    report = {row["name"]: row for row in as_json(env, "emotions")}
    relief = report["relief"]
    assert relief["count"] == 4
    assert relief["share"] == pytest.approx(4 / 1158, rel=1e-12)     # of runs (SPEC §5)
    assert relief["share_of_runs_with_feelings"] == pytest.approx(4 / 236, rel=1e-12)
    assert report["joy"]["share_of_runs_with_feelings"] == pytest.approx(232 / 236, rel=1e-12)
    assert must(env, "emotions").rstrip("\n").split("\n")[-1] == (
        "Share is of all 1,158 runs; 236 named a feeling.")


def test_the_emotions_table_never_shows_0_percent_for_a_named_feeling(tmp_path):
    env = rare_relief_log(tmp_path)
    (relief,) = [line for line in must(env, "emotions").split("\n")
                 if line.startswith("relief")]
    assert relief.split()[3] != "0%", relief
