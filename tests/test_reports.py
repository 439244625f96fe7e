"""The reflection reports (SPEC §4–§6) checked against an independent computation.

Every figure of `mood_review`, `run_stats`, `emotion_report` and `insights` is recomputed
here in plain Python from the list of entries that went into the store: our own calendar
bucketing with `datetime` (not runlog.analysis.periods), our own Spearman with average ranks
(not runlog.analysis.stats), our own streaks. The store's SQL must agree with it, on
hand-worked logs and on generated ones (a few hundred entries over one to two years, of
every kind, some deleted, day-only and timed, with gaps in moods and distances).
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import math
import random
import statistics
import tempfile
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runlog import reports
from runlog.analysis.insights import BODY_LINE, HELP_LINES, SUPPORT_LINE
from runlog.model import Entry
from runlog.store import Store
from runlog.store import reports as sql
from runlog.vocab import BUILTIN_EMOTIONS

AMS = ZoneInfo("Europe/Amsterdam")
ACTIVITY = {"run", "walk", "run-walk", "trail", "treadmill", "race"}
ONE_DAY = timedelta(days=1)
EMOTION_NAMES = sorted(BUILTIN_EMOTIONS)
_uuids = itertools.count(1)

ROW_KEYS = {"period", "start", "end", "runs", "distance_km", "duration_s", "mood_before",
            "mood_after", "mood_lift", "cried", "emotions"}


# --- building logs ---------------------------------------------------------------------


def at(day: date, hour: int | None = None, minute: int = 0) -> str:
    """`YYYY-MM-DD` for a day alone, else local Amsterdam time with its UTC offset."""
    if hour is None:
        return day.isoformat()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS).isoformat(
        timespec="seconds")


def make(when, kind="run", km=None, secs=None, before=None, after=None, emotions=(),
         cried=None, pain=None, deleted=False, hour=None, minute=0) -> Entry:
    if isinstance(when, date):
        when = at(when, hour, minute)
    return Entry(
        uuid=f"test-{next(_uuids)}",
        date=when,
        kind=kind,
        distance_m=None if km is None else round(km * 1000, 3),
        duration_s=secs,
        mood_before=before,
        mood_after=after,
        emotions=tuple(emotions),
        cried=cried,
        pain=pain,
        deleted_at="2026-01-01T00:00:00+00:00" if deleted else None,
    )


def open_store(folder: Path) -> Store:
    return Store.open(Path(folder) / "runlog.db")


def fill(store: Store, entries) -> list[Entry]:
    """Insert the entries (one transaction) and return them with their ids."""
    stored = []
    with store.transaction():
        for entry in entries:
            stored.append(replace(entry, id=store.insert(entry)))
    return stored


@pytest.fixture
def store(tmp_path):
    opened = open_store(tmp_path)
    yield opened
    opened.close()


def generated_log(seed: int, today: date) -> list[Entry]:
    """A few hundred entries over the 1–2 years before `today`, of every kind."""
    rng = random.Random(seed)
    span = rng.randint(365, 730)
    kinds = (["run"] * 50 + ["walk"] * 8 + ["trail"] * 6 + ["treadmill"] * 4 + ["race"] * 2
             + ["run-walk"] * 4 + ["rest"] * 14 + ["checkin"] * 12)
    entries = []
    for _ in range(rng.randint(200, 400)):
        day = today - timedelta(days=rng.randint(0, span))
        kind = rng.choice(kinds)
        roll = rng.random()
        if roll < 0.45:
            hour, minute = None, 0
        elif roll < 0.55:  # around midnight: the local day is what counts, not UTC's
            hour, minute = rng.choice([(0, 5), (0, 40), (23, 30), (23, 59)])
        else:
            hour, minute = rng.randint(5, 22), rng.randint(0, 59)
        fields = {}
        if kind in ACTIVITY:
            km = None
            if rng.random() < 0.85:
                km = rng.choice([3.0, 5.0, 5.0, 10.0, round(rng.uniform(0.5, 24), 2),
                                 round(rng.uniform(0.5, 24), 2), round(rng.uniform(1, 8), 1)])
            secs = None
            if km is None or rng.random() < 0.85:
                secs = round((km or rng.uniform(2, 10)) * rng.uniform(270, 520))
            fields.update(km=km, secs=secs)
            fields["before"] = rng.randint(1, 5) if rng.random() < 0.7 else None
            fields["after"] = rng.randint(1, 5) if rng.random() < 0.75 else None
            fields["pain"] = rng.randint(0, 10) if rng.random() < 0.2 else None
        else:
            fields["after"] = rng.randint(1, 5) if rng.random() < 0.7 else None
            if rng.random() < 0.1:  # even a stray mood before must not count for them
                fields["before"] = rng.randint(1, 5)
        emotions = rng.sample(EMOTION_NAMES, rng.choice([0, 0, 1, 1, 2, 3]))
        cried = rng.choice(["during", "after", "both"]) if rng.random() < 0.15 else None
        entries.append(make(day, kind, emotions=emotions, cried=cried, hour=hour, minute=minute,
                            deleted=rng.random() < 0.08, **fields))
    return entries


# --- the independent reference ---------------------------------------------------------


def day_of(entry: Entry) -> date:
    return date.fromisoformat(entry.date[:10])


def live_runs(entries) -> list[Entry]:
    return [e for e in entries if e.kind in ACTIVITY and e.deleted_at is None]


def ref_start(day: date, unit: str, week_start: str) -> date:
    if unit == "week":
        wanted = "Monday" if week_start == "monday" else "Sunday"
        while day.strftime("%A") != wanted:
            day -= ONE_DAY
        return day
    if unit == "month":
        return date(day.year, day.month, 1)
    return date(day.year, 1, 1)


def ref_end(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=6)
    if unit == "month":
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return date(start.year, 12, 31)


def ref_key(start: date, unit: str, week_start: str) -> str:
    if unit == "week":
        monday = start if week_start == "monday" else start + ONE_DAY
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def ref_mean(values):
    values = [v for v in values if v is not None]
    return math.fsum(values) / len(values) if values else None


def ref_ranks(values):
    """Average ranks: 1 + how many are smaller + (how many are equal − 1) / 2."""
    ordered = sorted(values)
    return [1 + bisect.bisect_left(ordered, v)
            + (bisect.bisect_right(ordered, v) - bisect.bisect_left(ordered, v) - 1) / 2
            for v in values]


def ref_spearman(pairs) -> tuple[float | None, int]:
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    n = len(pairs)
    if n < 5 or len(set(xs)) == 1 or len(set(ys)) == 1:
        return None, n
    return statistics.correlation(ref_ranks(xs), ref_ranks(ys)), n


def ref_review(entries, *, unit, today, week_start, last=8, since=None, until=None) -> dict:
    runs = live_runs(entries)
    if since or until:
        end = until or today
        start = since or min((day_of(e) for e in runs), default=end)
        starts = []
        if start <= end:
            cursor = ref_start(start, unit, week_start)
            while cursor <= end:
                starts.append(cursor)
                cursor = ref_end(cursor, unit) + ONE_DAY
        low, high = start, end
    else:
        starts = [ref_start(today, unit, week_start)]
        while len(starts) < last:
            starts.append(ref_start(starts[-1] - ONE_DAY, unit, week_start))
        starts.reverse()
        low, high = starts[0], ref_end(starts[-1], unit)
    shown = [e for e in runs if low <= day_of(e) <= high]
    rows = []
    for start in starts:
        inside = [e for e in shown if start <= day_of(e) <= ref_end(start, unit)]
        lifts = [e.mood_after - e.mood_before for e in inside
                 if e.mood_after is not None and e.mood_before is not None]
        rows.append({
            "period": ref_key(start, unit, week_start),
            "start": start.isoformat(),
            "end": ref_end(start, unit).isoformat(),
            "runs": len(inside),
            "distance_km": math.fsum(e.distance_m for e in inside if e.distance_m) / 1000,
            "duration_s": math.fsum(e.duration_s for e in inside if e.duration_s),
            "mood_before": ref_mean(e.mood_before for e in inside),
            "mood_after": ref_mean(e.mood_after for e in inside),
            "mood_lift": ref_mean(lifts),
            "cried": sum(1 for e in inside if e.cried),
            "emotions": dict(Counter(name for e in inside for name in e.emotions)),
        })
    weeks: dict[date, list[Entry]] = {}
    for e in shown:
        weeks.setdefault(ref_start(day_of(e), "week", week_start), []).append(e)
    weekly_pairs = []
    for group in weeks.values():
        mood = ref_mean(e.mood_after for e in group)
        if mood is not None:
            weekly_pairs.append((math.fsum(e.distance_m for e in group if e.distance_m), mood))
    run_pairs = [(e.distance_m, e.mood_after - e.mood_before) for e in shown
                 if e.distance_m is not None and e.mood_before is not None
                 and e.mood_after is not None]
    weekly_r, weekly_n = ref_spearman(weekly_pairs)
    run_r, run_n = ref_spearman(run_pairs)
    return {"period": unit, "rows": rows, "correlation": {
        "weekly_distance_vs_mood_after": {"r": weekly_r, "n": weekly_n},
        "run_distance_vs_mood_lift": {"r": run_r, "n": run_n}}}


def close(actual, expected, where=""):
    if expected is None:
        assert actual is None, where
    else:
        assert actual is not None, where
        assert actual == pytest.approx(expected, abs=2e-6, rel=1e-9), where


def assert_review_matches(actual: dict, expected: dict, label: str = "") -> None:
    assert actual["period"] == expected["period"]
    got_keys = [row["period"] for row in actual["rows"]]
    assert got_keys == [row["period"] for row in expected["rows"]], label
    assert got_keys == sorted(got_keys), f"{label}: rows must run oldest first"
    for got, want in zip(actual["rows"], expected["rows"]):
        where = f"{label} {want['period']}"
        assert set(got) == ROW_KEYS, where
        assert (got["start"], got["end"]) == (want["start"], want["end"]), where
        assert got["runs"] == want["runs"], where
        assert got["cried"] == want["cried"], where
        for key in ("distance_km", "duration_s", "mood_before", "mood_after", "mood_lift"):
            close(got[key], want[key], f"{where} {key}")
        assert got["emotions"] == want["emotions"], where
        counts = list(got["emotions"].values())
        assert counts == sorted(counts, reverse=True), f"{where}: most named first"
        if got["runs"] == 0:
            assert got["mood_before"] is got["mood_after"] is got["mood_lift"] is None
            assert got["distance_km"] == 0 and got["duration_s"] == 0 and got["cried"] == 0
    for name in ("weekly_distance_vs_mood_after", "run_distance_vs_mood_lift"):
        got, want = actual["correlation"][name], expected["correlation"][name]
        assert got["n"] == want["n"], f"{label} {name}"
        close(got["r"], want["r"], f"{label} {name}")


def review_variants(today: date, first: date, rng: random.Random):
    """(label, options) of mood_review to compare: every unit, both week starts, `last`,
    and since/until ranges (inside, before the first entry, a single day, open-ended)."""
    for week_start in ("monday", "sunday"):
        for unit, last in (("week", 1), ("week", 8), ("week", 60), ("month", 13),
                           ("month", 30), ("year", 3)):
            yield f"{unit} last {last} {week_start}", dict(
                unit=unit, week_start=week_start, last=last)
    span = (today - first).days
    for unit in ("week", "month", "year"):
        week_start = rng.choice(["monday", "sunday"])
        a = first + timedelta(days=rng.randint(0, span))
        b = a + timedelta(days=rng.randint(0, (today - a).days))
        yield f"{unit} {a}..{b}", dict(unit=unit, week_start=week_start, since=a, until=b)
        yield f"{unit} since {a}", dict(unit=unit, week_start=week_start, since=a)
        yield f"{unit} until {b}", dict(unit=unit, week_start=week_start, until=b)
    one = first + timedelta(days=rng.randint(0, span))
    yield "single day", dict(unit="week", week_start="monday", since=one, until=one)
    yield "since before the log", dict(unit="month", week_start="sunday",
                                       since=first - timedelta(days=40))


def check_generated(seed: int, today: date) -> None:
    entries = generated_log(seed, today)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(folder)
        try:
            entries = fill(store, entries)
            rng = random.Random(seed + 1)
            first = min(day_of(e) for e in entries)
            for label, options in review_variants(today, first, rng):
                actual = reports.mood_review(store, today=today, **options)
                expected = ref_review(entries, today=today, **options)
                assert_review_matches(actual, expected, f"seed {seed} {label}")
            for since in (None, first + timedelta(days=rng.randint(0, 300))):
                assert_stats_match(store, entries, today, rng.choice(["monday", "sunday"]),
                                   since)
                assert_emotions_match(store, entries, today, since)
        finally:
            store.close()


# --- mood_review on generated logs ----------------------------------------------------


@pytest.mark.parametrize("seed, today", [
    (1, date(2026, 11, 21)),
    (2, date(2021, 1, 5)),     # around a 53-week ISO year
    (3, date(2025, 1, 1)),     # 2024-12-30 is in 2025-W01
    (4, date(2024, 3, 31)),    # a DST change day, a Sunday
])
def test_reports_match_an_independent_computation_on_fixed_logs(seed, today):
    check_generated(seed, today)


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**31),
       today=st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31)))
def test_reports_match_an_independent_computation_on_generated_logs(seed, today):
    check_generated(seed, today)


def test_the_generated_logs_cover_what_they_should():
    entries = generated_log(1, date(2026, 11, 21))
    kinds = Counter(e.kind for e in entries)
    assert {"run", "walk", "trail", "rest", "checkin"} <= set(kinds)
    assert 200 <= len(entries) <= 400
    assert any(e.deleted_at for e in entries)
    assert any(len(e.date) == 10 for e in entries) and any(len(e.date) == 25 for e in entries)
    assert any(e.kind in ACTIVITY and e.distance_m is None for e in entries)
    assert any(e.kind in ACTIVITY and e.mood_before is None for e in entries)
    assert any(e.cried for e in entries) and any(e.emotions for e in entries)
    span = (max(map(day_of, entries)) - min(map(day_of, entries))).days
    assert 300 <= span <= 730  # one to two years


# --- mood_review by hand -------------------------------------------------------------------


def test_a_hand_worked_week(store):
    # Week 2026-W47 is Mon 2026-11-16 .. Sun 2026-11-22.
    fill(store, [
        make(date(2026, 11, 16), km=5.0, secs=1800, before=2, after=4, emotions=["joy"],
             cried="during", hour=7, minute=30),
        make(date(2026, 11, 18), km=5.2, secs=1800, before=3, after=4,
             emotions=["joy", "relief"]),
        make(date(2026, 11, 21), km=5.0, secs=1800, after=3, hour=23, minute=59),
        make(date(2026, 11, 19), "rest", after=1, emotions=["guilt"], cried="after"),
        make(date(2026, 11, 20), "checkin", after=5, emotions=["joy"]),
        make(date(2026, 11, 17), km=20.0, secs=7200, before=1, after=1, cried="both",
             emotions=["grief"], deleted=True),
        # Monday 00:30 local is still Sunday in UTC, but it is next week's run.
        make(date(2026, 11, 23), km=9.0, secs=3000, before=1, after=5, hour=0, minute=30),
    ])
    review = reports.mood_review(store, unit="week", today=date(2026, 11, 23),
                                 week_start="monday", last=3)
    assert [r["period"] for r in review["rows"]] == ["2026-W46", "2026-W47", "2026-W48"]
    empty, week, next_week = review["rows"]
    assert empty == {"period": "2026-W46", "start": "2026-11-09", "end": "2026-11-15",
                     "runs": 0, "distance_km": 0, "duration_s": 0, "mood_before": None,
                     "mood_after": None, "mood_lift": None, "cried": 0, "emotions": {}}
    assert week["runs"] == 3
    assert week["distance_km"] == pytest.approx(15.2)
    assert week["duration_s"] == 5400
    assert week["mood_before"] == pytest.approx(2.5)            # (2 + 3) / 2
    assert week["mood_after"] == pytest.approx(11 / 3)          # (4 + 4 + 3) / 3
    assert week["mood_lift"] == pytest.approx(1.5)              # (+2 + +1) / 2
    assert week["cried"] == 1
    assert week["emotions"] == {"joy": 2, "relief": 1}
    assert list(week["emotions"]) == ["joy", "relief"]
    assert next_week["runs"] == 1 and next_week["mood_lift"] == 4
    assert review["correlation"] == {
        "weekly_distance_vs_mood_after": {"r": None, "n": 2},
        "run_distance_vs_mood_lift": {"r": None, "n": 3}}


@pytest.mark.parametrize("day, week_start, key, start", [
    (date(2020, 12, 31), "monday", "2020-W53", "2020-12-28"),
    (date(2021, 1, 3), "monday", "2020-W53", "2020-12-28"),
    (date(2021, 1, 4), "monday", "2021-W01", "2021-01-04"),
    (date(2024, 12, 30), "monday", "2025-W01", "2024-12-30"),
    (date(2024, 12, 29), "monday", "2024-W52", "2024-12-23"),
    (date(2026, 1, 1), "monday", "2026-W01", "2025-12-29"),
    # Sunday weeks are named after the ISO week of the Monday after the Sunday start.
    (date(2020, 12, 31), "sunday", "2020-W53", "2020-12-27"),
    (date(2021, 1, 3), "sunday", "2021-W01", "2021-01-03"),
    (date(2021, 1, 2), "sunday", "2020-W53", "2020-12-27"),
    (date(2024, 12, 29), "sunday", "2025-W01", "2024-12-29"),
    (date(2026, 11, 15), "sunday", "2026-W47", "2026-11-15"),
    (date(2026, 11, 21), "sunday", "2026-W47", "2026-11-15"),
])
def test_year_boundary_weeks(store, day, week_start, key, start):
    fill(store, [make(day, km=4.0, secs=1500, before=2, after=3, hour=12)])
    review = reports.mood_review(store, unit="week", today=day, week_start=week_start, last=1)
    (row,) = review["rows"]
    assert (row["period"], row["start"], row["runs"]) == (key, start, 1)
    assert row["end"] == (date.fromisoformat(start) + timedelta(days=6)).isoformat()


def test_months_and_years_across_new_year(store):
    fill(store, [make(date(2020, 12, 31), km=5, secs=1800, hour=23, minute=45),
                 make(date(2021, 1, 1), km=7, secs=2400, hour=0, minute=15),
                 make(date(2021, 2, 28), km=3, secs=1000)])
    months = reports.mood_review(store, unit="month", today=date(2021, 2, 28),
                                 week_start="monday", last=3)
    assert [(r["period"], r["start"], r["end"], r["runs"]) for r in months["rows"]] == [
        ("2020-12", "2020-12-01", "2020-12-31", 1),
        ("2021-01", "2021-01-01", "2021-01-31", 1),
        ("2021-02", "2021-02-01", "2021-02-28", 1)]
    years = reports.mood_review(store, unit="year", today=date(2021, 2, 28),
                                week_start="monday", last=2)
    assert [(r["period"], r["runs"], r["distance_km"]) for r in years["rows"]] == [
        ("2020", 1, 5), ("2021", 2, 10)]


def test_since_and_until_count_only_the_days_in_range(store):
    # Whole periods are shown, but the runs outside since..until are not counted.
    fill(store, [make(date(2026, 11, 2), km=5, secs=1800, after=5),   # Monday, before since
                 make(date(2026, 11, 4), km=6, secs=1800, after=3),
                 make(date(2026, 11, 12), km=7, secs=1800, after=4),
                 make(date(2026, 11, 14), km=8, secs=1800, after=1)])  # after until
    review = reports.mood_review(store, unit="week", today=date(2026, 11, 21),
                                 week_start="monday", since=date(2026, 11, 3),
                                 until=date(2026, 11, 13))
    assert [(r["period"], r["start"], r["runs"], r["distance_km"], r["mood_after"])
            for r in review["rows"]] == [("2026-W45", "2026-11-02", 1, 6, 3),
                                         ("2026-W46", "2026-11-09", 1, 7, 4)]


def test_since_alone_runs_to_today_and_until_alone_starts_at_the_first_run(store):
    fill(store, [make(date(2026, 9, 10), km=5, secs=1800),
                 make(date(2026, 8, 1), "rest", after=3),
                 make(date(2026, 11, 20), km=5, secs=1800)])
    review = reports.mood_review(store, unit="month", today=date(2026, 11, 21),
                                 week_start="monday", since=date(2026, 10, 5))
    assert [r["period"] for r in review["rows"]] == ["2026-10", "2026-11"]
    review = reports.mood_review(store, unit="month", today=date(2026, 11, 21),
                                 week_start="monday", until=date(2026, 10, 31))
    assert [(r["period"], r["runs"]) for r in review["rows"]] == [("2026-09", 1),
                                                                    ("2026-10", 0)]


def test_an_empty_log_has_empty_periods_and_no_correlation(store):
    review = reports.mood_review(store, unit="week", today=date(2026, 11, 21),
                                 week_start="sunday", last=4)
    assert len(review["rows"]) == 4
    assert all(r["runs"] == 0 and r["mood_after"] is None for r in review["rows"])
    assert review["correlation"] == {
        "weekly_distance_vs_mood_after": {"r": None, "n": 0},
        "run_distance_vs_mood_lift": {"r": None, "n": 0}}


# --- Spearman with ties, by hand -----------------------------------------------------------


def spearman_log():
    d = date(2026, 11, 2)
    # distance km:  3     5     5     8     10    10
    # rank x:       1     2.5   2.5   4     5.5   5.5     (mean 3.5)
    # lift:         0     +1    +1    +2    +2    +1
    # rank y:       1     3     3     5.5   5.5   3       (1s fill places 2-4; 2s 5-6)
    # dx:        -2.5    -1    -1    .5     2     2
    # dy:        -2.5   -.5   -.5     2     2   -.5
    # Σdxdy = 6.25 + .5 + .5 + 1 + 4 - 1 = 11.25; Σdx² = 16.5; Σdy² = 15
    # ρ = 11.25 / √(16.5 · 15) = 0.715097...
    runs = [(3, 3, 3), (5, 2, 3), (5, 3, 4), (8, 1, 3), (10, 2, 4), (10, 4, 5)]
    entries = [make(d + timedelta(days=i), km=km, secs=km * 330, before=b, after=a)
               for i, (km, b, a) in enumerate(runs)]
    # None of these count: no distance, one mood missing, deleted, a rest day, a check-in.
    entries += [make(d, km=None, secs=1800, before=1, after=5),
                make(d, km=12, secs=4000, after=1),
                make(d, km=12, secs=4000, before=5, after=1, deleted=True),
                make(d, "rest", before=5, after=1),
                make(d, "checkin", before=1, after=5)]
    return entries


SPEARMAN_BY_HAND = 11.25 / math.sqrt(16.5 * 15)


def test_sql_spearman_with_ties_by_hand(store):
    fill(store, spearman_log())
    r, n = sql.run_distance_lift_spearman(store, "2026-11-01", "2026-11-30")
    assert n == 6
    assert r == pytest.approx(SPEARMAN_BY_HAND, abs=1e-12)
    assert SPEARMAN_BY_HAND == pytest.approx(0.7150969419)
    review = reports.mood_review(store, unit="month", today=date(2026, 11, 21),
                                 week_start="monday", last=1)
    assert review["correlation"]["run_distance_vs_mood_lift"] == {
        "r": pytest.approx(SPEARMAN_BY_HAND, abs=1e-6), "n": 6}


def test_sql_spearman_is_null_below_five_runs_or_without_variance(store):
    d = date(2026, 11, 2)
    fill(store, [make(d + timedelta(days=i), km=5 + i, secs=1800, before=2, after=4)
                 for i in range(5)])
    assert sql.run_distance_lift_spearman(store, "2026-11-01", "2026-11-05") == (None, 4)
    # Five runs, but every lift is +2: no variance on one side.
    assert sql.run_distance_lift_spearman(store, "2026-11-01", "2026-11-30") == (None, 5)
    fill(store, [make(d, km=5, secs=1800, before=4, after=2)])
    r, n = sql.run_distance_lift_spearman(store, "2026-11-01", "2026-11-30")
    # pairs (5,+2) (6,+2) (7,+2) (8,+2) (9,+2) (5,−2)
    # x ranks 1.5 3 4 5 6 1.5; y ranks 4 4 4 4 4 1 (the five +2s share places 2-6); mean 3.5
    # dx −2 −.5 .5 1.5 2.5 −2; dy .5 .5 .5 .5 .5 −2.5
    # Σdxdy = −1 − .25 + .25 + .75 + 1.25 + 5 = 6; Σdx² = 17; Σdy² = 7.5
    assert n == 6 and r == pytest.approx(6 / math.sqrt(17 * 7.5), abs=1e-12)


def test_weekly_correlation_by_hand(store):
    # Five Monday weeks; week distance and mean mood after (over runs that have one):
    # W1 10 km, 2.0 | W2 20 km, 3.0 | W3 20 km, 4.0 | W4 30 km, 3.0 | W5 40 km, 5.0
    # x ranks 1 2.5 2.5 4 5; y ranks 1 2.5 4 2.5 5 (mean 3): dx −2 −.5 −.5 1 2,
    # dy −2 −.5 1 −.5 2 -> Σdxdy = 4 + .25 − .5 − .5 + 4 = 7.25, Σdx² = Σdy² = 9.5,
    # ρ = 7.25 / 9.5. A sixth week has runs but no mood after: no pair.
    monday = date(2026, 10, 5)
    plan = [[(10, 2)], [(5, 3), (15, None)], [(20, 4)], [(10, 2), (20, 4)], [(40, 5)],
            [(8, None)]]
    entries = []
    for week, runs in enumerate(plan):
        for i, (km, after) in enumerate(runs):
            entries.append(make(monday + timedelta(days=7 * week + i), km=km, secs=km * 300,
                                after=after))
    entries.append(make(monday, "checkin", after=1))
    fill(store, entries)
    review = reports.mood_review(store, unit="week", today=date(2026, 11, 15),
                                 week_start="monday", last=6)
    assert review["correlation"]["weekly_distance_vs_mood_after"] == {
        "r": pytest.approx(7.25 / 9.5, abs=1e-6), "n": 5}


# --- run_stats -----------------------------------------------------------------------------

BRACKETS = {"1k": 1000.0, "5k": 5000.0, "10k": 10000.0, "half": 21097.5}


def ref_streaks(days: set[date], today: date, step: int, start_of) -> tuple[int, int]:
    starts = {start_of(d) for d in days if d <= today}
    now = start_of(today)
    cursor = now if now in starts else now - timedelta(days=step)
    current = 0
    while cursor in starts:
        current += 1
        cursor -= timedelta(days=step)
    longest = run = 0
    previous = None
    for s in sorted(starts):
        run = run + 1 if previous is not None and s - previous == timedelta(days=step) else 1
        longest = max(longest, run)
        previous = s
    return current, longest


def ref_stats(entries, today, week_start, since=None) -> dict:
    runs = [e for e in live_runs(entries) if day_of(e) <= today
            and (since is None or day_of(e) >= since)]
    record_runs = [e for e in runs if e.kind != "walk"]  # walks set no records, no streaks
    with_distance = [e for e in runs if e.distance_m is not None]
    longest = min((e for e in with_distance if e.kind != "walk"), key=lambda e: (-e.distance_m, e.day, e.id), default=None)
    best = {}
    for bracket, metres in BRACKETS.items():
        fast = [e for e in record_runs if e.distance_m is not None and e.distance_m >= metres
                and e.duration_s is not None]
        winner = min(fast, key=lambda e: (e.duration_s / (e.distance_m / 1000), e.day, e.id),
                     default=None)
        best[bracket] = None if winner is None else {
            "id": winner.id, "date": winner.date,
            "pace_s_per_km": winner.duration_s / (winner.distance_m / 1000)}
    days = {day_of(e) for e in record_runs}
    current_days, longest_days = ref_streaks(days, today, 1, lambda d: d)
    current_weeks, longest_weeks = ref_streaks(
        days, today, 7, lambda d: ref_start(d, "week", week_start))
    both = [e for e in runs if e.mood_before is not None and e.mood_after is not None]
    return {
        "runs": len(runs),
        "distance_km": math.fsum(e.distance_m for e in with_distance) / 1000,
        "duration_s": math.fsum(e.duration_s for e in runs if e.duration_s),
        "longest": longest,
        "best_pace": best,
        "streaks": {"current_days": current_days, "longest_days": longest_days,
                    "current_weeks": current_weeks, "longest_weeks": longest_weeks},
        "lifted_share": (sum(1 for e in both if e.mood_after > e.mood_before) / len(both)
                         if both else None),
    }


def assert_stats_match(store, entries, today, week_start, since=None) -> None:
    label = f"stats since {since} as of {today} ({week_start})"
    actual = reports.run_stats(store, today=today, week_start=week_start, since=since)
    expected = ref_stats(entries, today, week_start, since)
    assert {"runs", "distance_km", "duration_s", "longest", "best_pace", "streaks",
            "lifted_share"} <= set(actual), label
    assert actual["runs"] == expected["runs"], label
    close(actual["distance_km"], expected["distance_km"], label)
    close(actual["duration_s"], expected["duration_s"], label)
    close(actual["lifted_share"], expected["lifted_share"], label)
    assert actual["streaks"] == expected["streaks"], label
    longest = expected["longest"]
    if longest is None:
        assert actual["longest"] is None, label
    else:
        got = actual["longest"]
        assert (got["id"], got["date"], got["kind"]) == (longest.id, longest.date,
                                                         longest.kind), label
        close(got["distance_km"], longest.distance_m / 1000, label)
        assert got["emotions"] == list(longest.emotions), label
        assert got["mood_lift"] == (None if longest.mood_before is None
                                    or longest.mood_after is None
                                    else longest.mood_after - longest.mood_before), label
    assert set(actual["best_pace"]) == set(BRACKETS), label
    for bracket, want in expected["best_pace"].items():
        got = actual["best_pace"][bracket]
        if want is None:
            assert got is None, f"{label} {bracket}"
        else:
            assert (got["id"], got["date"]) == (want["id"], want["date"]), f"{label} {bracket}"
            close(got["pace_s_per_km"], want["pace_s_per_km"], f"{label} {bracket}")


def test_stats_by_hand(store):
    today = date(2026, 11, 21)  # a Saturday
    stored = fill(store, [
        # Daily streak of 3 ending yesterday (no run today yet): 18, 19, 20 Nov.
        make(date(2026, 11, 18), km=5.0, secs=1500, before=2, after=4),    # 300 s/km
        make(date(2026, 11, 19), km=10.0, secs=3000, before=3, after=3),   # 300 s/km, 10k
        make(date(2026, 11, 20), km=10.0, secs=3000, before=4, after=2),   # tie, later day
        # An older, longer stretch of 4 days in a row.
        make(date(2026, 10, 1), km=21.0975, secs=7200, before=1, after=5, hour=9),
        make(date(2026, 10, 2), km=1.0, secs=240, before=3, after=4),      # fastest 1k
        make(date(2026, 10, 3), "walk", km=2.0, secs=1500),
        make(date(2026, 10, 4), km=0.9, secs=150),                         # < 1 km: no bracket
        make(date(2026, 11, 19), "rest", after=2, emotions=["guilt"]),
        make(date(2026, 11, 21), "checkin", after=3),
        make(date(2026, 11, 21), km=30, secs=6000, deleted=True),
    ])
    result = reports.run_stats(store, today=today, week_start="monday")
    assert result["runs"] == 7
    assert result["distance_km"] == pytest.approx(5 + 10 + 10 + 21.0975 + 1 + 2 + 0.9)
    assert result["duration_s"] == 1500 + 3000 + 3000 + 7200 + 240 + 1500 + 150
    assert result["longest"]["id"] == stored[3].id
    assert result["longest"]["distance_km"] == pytest.approx(21.0975)
    assert result["best_pace"]["1k"] == {"id": stored[4].id, "date": "2026-10-02",
                                         "pace_s_per_km": 240}
    assert result["best_pace"]["5k"]["id"] == stored[0].id  # 300 s/km, earliest of the ties
    assert result["best_pace"]["10k"] == {"id": stored[1].id, "date": "2026-11-19",
                                          "pace_s_per_km": 300}
    assert result["best_pace"]["half"]["id"] == stored[3].id
    assert result["best_pace"]["half"]["pace_s_per_km"] == pytest.approx(7200 / 21.0975,
                                                                         abs=1e-6)
    # Weeks (Monday): 2026-09-28 (1-4 Oct) and 2026-11-16 only -> 1 week now, longest 1.
    # The walk on 3 Oct is no day of a running streak: 1-2 Oct, then 4 Oct.
    assert result["streaks"] == {"current_days": 3, "longest_days": 3,
                                 "current_weeks": 1, "longest_weeks": 1}
    # Runs with both moods: +2, 0, -2, +4, +1 -> 3 of 5 lifted.
    assert result["lifted_share"] == pytest.approx(3 / 5)
    recent = reports.run_stats(store, today=today, week_start="monday",
                               since=date(2026, 11, 1))
    assert recent["runs"] == 3
    assert recent["longest"]["id"] == stored[1].id  # two 10 km runs: the earlier one
    assert recent["best_pace"]["1k"]["id"] == stored[0].id
    assert recent["best_pace"]["half"] is None
    assert recent["streaks"]["longest_days"] == 3
    assert recent["lifted_share"] == pytest.approx(1 / 3)


def test_stats_streaks_with_a_run_today_and_sunday_weeks(store):
    today = date(2026, 11, 22)  # a Sunday: the first day of a Sunday-week
    fill(store, [make(date(2026, 11, 22), km=3, secs=1000),
                 make(date(2026, 11, 21), km=3, secs=1000),
                 make(date(2026, 11, 14), km=3, secs=1000),
                 make(date(2026, 11, 8), km=3, secs=1000)])
    sunday = reports.run_stats(store, today=today, week_start="sunday")
    # Sunday weeks of the 8th, 14th (a Saturday), 21st, 22nd: 11-08, 11-08, 11-15, 11-22.
    assert sunday["streaks"] == {"current_days": 2, "longest_days": 2,
                                 "current_weeks": 3, "longest_weeks": 3}
    monday = reports.run_stats(store, today=today, week_start="monday")
    # Monday weeks: 11-02 (8th), 11-09 (14th), 11-16 (21st, 22nd) -> 3 in a row too.
    assert monday["streaks"]["current_weeks"] == 3
    empty = reports.run_stats(store, today=today, week_start="monday",
                              since=date(2026, 11, 23))
    assert empty["runs"] == 0 and empty["longest"] is None and empty["lifted_share"] is None
    assert empty["best_pace"] == dict.fromkeys(BRACKETS)
    assert empty["streaks"] == dict.fromkeys(
        ("current_days", "longest_days", "current_weeks", "longest_weeks"), 0)


def test_stats_ignore_runs_after_today(store):
    fill(store, [make(date(2026, 11, 20), km=5, secs=1500),
                 make(date(2026, 11, 25), km=15, secs=3000)])
    result = reports.run_stats(store, today=date(2026, 11, 21), week_start="monday")
    assert result["runs"] == 1 and result["longest"]["distance_km"] == 5


# --- emotion_report ------------------------------------------------------------------------


def assert_emotions_match(store, entries, today, since=None) -> None:
    label = f"emotions since {since}"
    report = reports.emotion_report(store, today=today, since=since)
    runs = [e for e in live_runs(entries) if day_of(e) <= today
            and (since is None or day_of(e) >= since)]
    named = Counter(name for e in runs for name in e.emotions)
    assert {row["name"] for row in report} == set(named), label
    counts = [row["count"] for row in report]
    assert counts == sorted(counts, reverse=True), f"{label}: most named first"
    vocabulary = store.vocabulary()
    overall_m = ref_mean(e.distance_m for e in runs)
    for row in report:
        assert {"name", "valence", "count", "share", "distance_km_mean",
                "mood_lift_mean"} <= set(row), label
        those = [e for e in runs if row["name"] in e.emotions]
        assert row["count"] == named[row["name"]] == len(those), label
        assert row["valence"] == vocabulary[row["name"]], label
        close(row["share"], len(those) / len(runs), f"{label} {row['name']} share")
        distance = ref_mean(e.distance_m for e in those)
        close(row["distance_km_mean"], None if distance is None else distance / 1000,
              f"{label} {row['name']} distance")
        close(row["mood_lift_mean"], ref_mean(e.mood_after - e.mood_before for e in those
                                              if e.mood_before is not None
                                              and e.mood_after is not None),
              f"{label} {row['name']} lift")
        # "which emotions come with long runs": their runs average ≥ 20 % above all runs.
        assert row["long_runs"] == bool(distance is not None and overall_m
                                        and distance >= 1.2 * overall_m - 1e-9), label


def test_emotions_by_hand(store):
    store.add_emotion("awe", "positive")
    fill(store, [
        make(date(2026, 11, 1), km=10, secs=3000, before=2, after=4, emotions=["grief", "awe"]),
        make(date(2026, 11, 2), km=4, secs=1500, before=3, after=2, emotions=["grief"]),
        make(date(2026, 11, 3), km=None, secs=1200, after=4, emotions=["grief", "joy"]),
        make(date(2026, 11, 4), km=6, secs=1800, before=1, after=4),
        make(date(2026, 11, 5), "rest", after=2, emotions=["guilt", "grief"]),
        make(date(2026, 11, 6), "checkin", after=3, emotions=["joy"]),
        make(date(2026, 11, 7), km=5, secs=1500, before=1, after=5, emotions=["joy"],
             deleted=True),
    ])
    report = reports.emotion_report(store, today=date(2026, 11, 21))
    assert report[0]["name"] == "grief"
    assert {row["name"] for row in report[1:]} == {"awe", "joy"}  # once each
    grief, awe, joy = report[0], *sorted(report[1:], key=lambda row: row["name"])
    assert (grief["count"], grief["valence"]) == (3, "negative")
    assert grief["share"] == pytest.approx(3 / 4)              # of the 4 live runs
    assert grief["distance_km_mean"] == pytest.approx(7.0)     # (10 + 4) / 2, time-only run out
    assert grief["mood_lift_mean"] == pytest.approx(0.5)       # (+2 − 1) / 2
    assert (awe["count"], awe["valence"], awe["share"]) == (1, "positive", 0.25)
    assert awe["distance_km_mean"] == 10 and awe["mood_lift_mean"] == 2
    assert joy["count"] == 1 and joy["distance_km_mean"] is None
    assert joy["mood_lift_mean"] is None
    assert "guilt" not in {row["name"] for row in report}       # only named on a rest day
    later = reports.emotion_report(store, today=date(2026, 11, 21), since=date(2026, 11, 2))
    assert [(row["name"], row["count"]) for row in later] == [("grief", 2), ("joy", 1)]
    assert later[0]["share"] == pytest.approx(2 / 3)


def test_emotions_on_an_empty_log(store):
    assert reports.emotion_report(store, today=date(2026, 11, 21)) == []


# --- insights through the store --------------------------------------------------------

AS_OF = date(2026, 11, 21)


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def steady(weeks: int = 8, km: float = 5.0, offsets=(1, 3, 5)) -> list[Entry]:
    """Three easy 5 km runs a week, mood 3 -> 4, a few quiet rest days."""
    entries = []
    for week in range(weeks):
        for offset in offsets:
            days = 7 * week + offset
            entries.append(make(ago(days), km=km, secs=km * 360, before=3, after=4,
                                emotions=["calm"], hour=7))
        entries.append(make(ago(7 * week + 2), "rest", after=4, emotions=["calm"]))
    return entries


def found(store, as_of=AS_OF) -> dict[str, list[dict]]:
    result = reports.insights(store, as_of=as_of, units="km")
    assert result["as_of"] == as_of.isoformat()
    by_code: dict[str, list[dict]] = {}
    for finding in result["findings"]:
        assert set(finding) == {"code", "severity", "message", "evidence"}
        by_code.setdefault(finding["code"], []).append(finding)
    return by_code


def assert_warnings_end_with_support_line(store, as_of=AS_OF):
    for finding in reports.insights(store, as_of=as_of, units="km")["findings"]:
        if finding["severity"] == "warning":
            assert finding["message"].endswith(HELP_LINES[finding["code"]]), finding["code"]
        else:
            assert SUPPORT_LINE not in finding["message"], finding["code"]
            assert BODY_LINE not in finding["message"], finding["code"]


def test_a_healthy_log_only_notices_milestones(store):
    entries = steady(weeks=8, offsets=(1, 3, 6))
    # A new longest run (and best pace) in the last 7 days; acute:chronic stays ≈ 1.25.
    entries.append(make(ago(4), km=5.5, secs=5.5 * 350, before=3, after=4, hour=18))
    fill(store, entries)
    by_code = found(store)
    assert set(by_code) == {"milestone"}, by_code
    kinds = {f["evidence"]["kind"] for f in by_code["milestone"]}
    assert "longest_run" in kinds and "first_run" not in kinds
    assert all(f["severity"] == "info" for f in by_code["milestone"])


@pytest.mark.parametrize("recent_km, severity, ratio", [
    # Three earlier weeks of 10 km + the acute week: chronic = (30 + acute) / 4.
    (30.0, "warning", 2.0),        # 30 / 15
    (26.0, "warning", 26 / 14),
    (18.0, "caution", 1.5),            # exactly 1.5 is not over it
    (15.0, "caution", 15 / 11.25),     # 1.333…
    (13.0, "none", 13 / 10.75),
])
def test_mileage_spike(store, recent_km, severity, ratio):
    entries = []
    for week in (1, 2, 3):
        entries += [make(ago(7 * week + 1), km=5, secs=1800, before=3, after=4),
                    make(ago(7 * week + 4), km=5, secs=1800, before=3, after=4)]
    entries.append(make(ago(40), km=1, secs=400, before=3, after=4))  # 41 days of history
    entries += [make(ago(d), km=recent_km / 2, secs=recent_km * 180, before=3, after=4)
                for d in (0, 3)]
    fill(store, entries)
    by_code = found(store)
    if severity == "none":
        assert "mileage_spike" not in by_code
        return
    (spike,) = by_code["mileage_spike"]
    assert spike["severity"] == severity
    acute = recent_km
    chronic = (30 + recent_km) / 4
    assert spike["evidence"]["acute_km"] == pytest.approx(acute, abs=1e-3)
    assert spike["evidence"]["chronic_km"] == pytest.approx(chronic, abs=1e-3)
    assert spike["evidence"]["ratio"] == pytest.approx(ratio, abs=1e-3)
    assert_warnings_end_with_support_line(store)


def test_no_mileage_spike_without_28_days_of_history(store):
    fill(store, [make(ago(20), km=1, secs=400), make(ago(1), km=20, secs=7200)])
    assert "mileage_spike" not in found(store)


def test_low_mood_streak(store):
    entries = []
    for block in range(3):
        entries += [make(ago(7 * block + 1), km=5, secs=1800, before=2, after=2),
                    make(ago(7 * block + 4), km=5, secs=1800, before=3, after=1)]
    entries.append(make(ago(5), "checkin", after=5))   # a check-in is not a run
    fill(store, entries)
    (finding,) = found(store)["low_mood_streak"]
    assert finding["severity"] == "warning"
    assert finding["evidence"]["mood_after_mean"] == pytest.approx(1.5)
    assert_warnings_end_with_support_line(store)


def test_low_mood_streak_needs_two_runs_in_every_block(store):
    entries = [make(ago(1), km=5, secs=1800, after=1), make(ago(2), km=5, secs=1800, after=1),
               make(ago(8), km=5, secs=1800, after=1), make(ago(9), km=5, secs=1800, after=2),
               make(ago(15), km=5, secs=1800, after=1),
               make(ago(16), km=5, secs=1800, after=1, deleted=True)]
    fill(store, entries)
    assert "low_mood_streak" not in found(store)


def test_running_through_pain(store):
    fill(store, [make(ago(1), km=5, secs=1800, pain=4), make(ago(6), km=5, secs=1800, pain=7),
                 make(ago(13), km=5, secs=1800, pain=5), make(ago(14), km=5, secs=1800, pain=9),
                 make(ago(2), km=5, secs=1800, pain=3)])
    (finding,) = found(store)["running_through_pain"]
    assert finding["severity"] == "warning"
    assert finding["evidence"]["painful_runs"] == 3 and finding["evidence"]["max_pain"] == 7
    assert_warnings_end_with_support_line(store)


def test_no_rest(store):
    fill(store, [make(ago(d), km=3, secs=1100, before=3, after=4) for d in range(14)])
    (finding,) = found(store)["no_rest"]
    assert finding["severity"] == "caution"


def test_a_rest_day_breaks_no_rest(store):
    fill(store, [make(ago(d), km=3, secs=1100) for d in range(14) if d != 9]
         + [make(ago(9), "rest", after=3)])
    assert "no_rest" not in found(store)


def test_rest_day_guilt(store):
    fill(store, [make(ago(3), "rest", after=2, emotions=["guilt"]),
                 make(ago(20), "rest", after=2, emotions=["anxiety", "calm"]),
                 make(ago(10), km=5, secs=1800, emotions=["guilt"])])
    (finding,) = found(store)["rest_day_guilt"]
    assert finding["severity"] == "caution"
    assert finding["evidence"]["rest_days"] == 2


def test_rest_day_guilt_ignores_runs_and_old_rest_days(store):
    fill(store, [make(ago(3), "rest", after=2, emotions=["guilt"]),
                 make(ago(28), "rest", after=2, emotions=["guilt"]),
                 make(ago(4), km=5, secs=1800, emotions=["guilt"]),
                 make(ago(5), "checkin", after=2, emotions=["anxiety"])])
    assert "rest_day_guilt" not in found(store)


def test_fading_lift(store):
    # Ten runs with +1, then five with −1; older runs far back still count.
    entries = [make(ago(200 + i), km=5, secs=1800, before=3, after=4) for i in range(10)]
    entries += [make(ago(i), km=5, secs=1800, before=4, after=3) for i in range(5)]
    fill(store, entries)
    (finding,) = found(store)["fading_lift"]
    assert finding["severity"] == "caution"
    assert finding["evidence"]["recent_lift_mean"] == -1
    assert finding["evidence"]["earlier_lift_mean"] == 1


def test_every_rule_at_once_and_the_support_line(store):
    # 21 days in a row of 8 km in pain with mood after 1 (the last five with a mood before
    # too, so they lift −2), after twelve old 1 km runs that lifted +2.
    entries = []
    for block in range(3):
        entries += [make(ago(7 * block + d), km=8, secs=2880, after=1, pain=6,
                         before=3 if 7 * block + d < 5 else None) for d in range(7)]
    entries += [make(ago(60 + i), km=1, secs=400, before=2, after=4) for i in range(12)]
    entries += [make(ago(2), "rest", after=2, emotions=["guilt"]),
                make(ago(9), "rest", after=2, emotions=["anxiety"])]
    fill(store, entries)
    by_code = found(store)
    assert {"mileage_spike", "low_mood_streak", "running_through_pain", "no_rest",
            "rest_day_guilt", "fading_lift"} <= set(by_code)
    result = reports.insights(store, as_of=AS_OF, units="km")
    severities = [f["severity"] for f in result["findings"]]
    order = {"warning": 0, "caution": 1, "info": 2}
    assert severities == sorted(severities, key=order.get), "warnings first"
    assert_warnings_end_with_support_line(store)


def test_as_of_in_the_past_ignores_later_entries(store):
    past = ago(30)
    entries = steady(weeks=12)
    # After `past`: painful runs, a spike, guilty rest days, a new longest run.
    entries += [make(ago(d), km=15, secs=5400, pain=8, before=4, after=1) for d in (2, 4, 6)]
    entries += [make(ago(d), "rest", after=2, emotions=["guilt"]) for d in (3, 5)]
    fill(store, entries)
    now = found(store)
    assert {"running_through_pain", "mileage_spike", "rest_day_guilt", "milestone"} <= set(now)
    then = found(store, as_of=past)
    assert set(then) <= {"milestone"}, then
    for finding in then.get("milestone", []):
        assert finding["evidence"]["day"] <= past.isoformat()
