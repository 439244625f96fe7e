"""Aggregate queries for the reflection reports. The sums, means and ranks run in SQL, so a
report over a million entries reads only the rows of its range and returns a few."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from ..analysis.records import RECORD_KINDS
from . import ACTIVITY_SQL, Store, _entry, _SELECT, possible_sql
from .db import storage_error

LIVE_RUNS = f"e.deleted_at IS NULL AND e.kind IN {ACTIVITY_SQL}"
# Records, streaks and milestones are runs' alone: a walk (kind `walk`, imported walks and
# hikes too) counts in totals and moods as SPEC's "runs" do, but never as the longest run, a
# best pace, a day of a running streak or a first time past a distance.
RECORD_SQL = "(" + ", ".join(f"'{kind}'" for kind in RECORD_KINDS) + ")"
LIVE_RECORD_RUNS = f"e.deleted_at IS NULL AND e.kind IN {RECORD_SQL}"


def period_start_sql(unit: str, week_start: str, column: str = "e.day") -> str:
    """SQL for the first day (`YYYY-MM-DD`) of the period holding `column`."""
    if unit == "week":
        weekday = f"CAST(strftime('%w', {column}) AS INTEGER)"  # Sunday 0 .. Saturday 6
        back = f"({weekday} + 6) % 7" if week_start == "monday" else weekday
        return f"date({column}, '-' || ({back}) || ' days')"
    if unit == "month":
        return f"substr({column}, 1, 7) || '-01'"
    return f"substr({column}, 1, 4) || '-01-01'"


def _rows(store: Store, sql: str, params: Sequence = ()) -> list[tuple]:
    try:
        return store.conn.execute(sql, params).fetchall()
    except sqlite3.Error as error:
        raise storage_error(store.path, error) from None


def period_totals(store: Store, since: str, until: str, unit: str, week_start: str) -> dict:
    """{period start: {runs, distance_m, duration_s, mood_before, mood_after, mood_lift,
    cried}} for the periods with runs between the two days (inclusive)."""
    start = period_start_sql(unit, week_start)
    sql = f"""
        SELECT {start} AS period, count(*), total(e.distance_m), total(e.duration_s),
               avg(e.mood_before), avg(e.mood_after), avg(e.mood_after - e.mood_before),
               count(e.cried)
        FROM entries e
        WHERE {LIVE_RUNS} AND e.day BETWEEN ? AND ?
        GROUP BY period
    """
    keys = ("runs", "distance_m", "duration_s", "mood_before", "mood_after", "mood_lift", "cried")
    return {row[0]: dict(zip(keys, row[1:])) for row in _rows(store, sql, (since, until))}


def period_emotions(store: Store, since: str, until: str, unit: str,
                    week_start: str) -> dict[str, dict[str, int]]:
    """{period start: {emotion: times named on runs}}, most named first."""
    start = period_start_sql(unit, week_start)
    sql = f"""
        SELECT {start} AS period, x.emotion, count(*) AS times
        FROM entries e JOIN entry_emotions x ON x.entry_id = e.id
        WHERE {LIVE_RUNS} AND e.day BETWEEN ? AND ?
        GROUP BY period, x.emotion
        ORDER BY period, times DESC, x.emotion
    """
    out: dict[str, dict[str, int]] = {}
    for period, emotion, times in _rows(store, sql, (since, until)):
        out.setdefault(period, {})[emotion] = times
    return out


def weekly_distance_and_mood(store: Store, since: str, until: str,
                             week_start: str) -> list[tuple[float, float | None]]:
    """(distance, mean mood after) for each week with runs in the range."""
    start = period_start_sql("week", week_start)
    sql = f"""
        SELECT {start} AS week, total(e.distance_m), avg(e.mood_after)
        FROM entries e
        WHERE {LIVE_RUNS} AND e.day BETWEEN ? AND ?
        GROUP BY week
    """
    return [(row[1], row[2]) for row in _rows(store, sql, (since, until))]


def run_distance_lift_spearman(store: Store, since: str, until: str) -> tuple[float | None, int]:
    """Spearman's ρ of run distance against mood lift, ranked in SQL (ties share the mean
    of their positions), and the number of runs with both."""
    sql = f"""
        WITH pairs AS (
            SELECT e.distance_m AS x, e.mood_after - e.mood_before AS y
            FROM entries e
            WHERE {LIVE_RUNS} AND e.day BETWEEN ? AND ? AND e.distance_m IS NOT NULL
              AND e.mood_before IS NOT NULL AND e.mood_after IS NOT NULL
        ),
        ranked AS (
            SELECT rank() OVER (ORDER BY x) + (count(*) OVER (PARTITION BY x) - 1) / 2.0 AS rx,
                   rank() OVER (ORDER BY y) + (count(*) OVER (PARTITION BY y) - 1) / 2.0 AS ry,
                   (count(*) OVER () + 1) / 2.0 AS middle
            FROM pairs
        )
        SELECT count(*), total((rx - middle) * (ry - middle)),
               total((rx - middle) * (rx - middle)), total((ry - middle) * (ry - middle))
        FROM ranked
    """
    n, sxy, sxx, syy = _rows(store, sql, (since, until))[0]
    if n < 5 or sxx == 0 or syy == 0:
        return None, n
    return sxy / (sxx * syy) ** 0.5, n


def first_run_day(store: Store) -> str | None:
    """The day of the first live run, as `YYYY-MM-DD`. A day that is no date (a row another
    tool wrote with the CHECKs off, such as 2026-02-30, which `runlog db check` names) is
    read around, so a report that starts at the first run never fails on it."""
    from datetime import date

    sql = f"SELECT DISTINCT e.day FROM entries e WHERE {LIVE_RUNS} ORDER BY e.day"
    try:
        for (day,) in store.conn.execute(sql):
            try:
                date.fromisoformat(day)
            except (TypeError, ValueError):
                continue
            return day
    except sqlite3.Error as error:
        raise storage_error(store.path, error) from None
    return None


def totals(store: Store, since: str | None, until: str | None) -> dict:
    between, params = _between(since, until)
    sql = f"""
        SELECT count(*), total(e.distance_m), total(e.duration_s),
               count(CASE WHEN e.mood_after > e.mood_before THEN 1 END),
               count(e.mood_after - e.mood_before)
        FROM entries e WHERE {LIVE_RUNS} AND {between}
    """
    runs, distance, duration, lifted, with_both = _rows(store, sql, params)[0]
    return {"runs": runs, "distance_m": distance, "duration_s": duration,
            "lifted_share": lifted / with_both if with_both else None}


# Reports that look at the log "through" a day (stats and the emotion report through today,
# insights as of a day) count a run whose own day is later when it had happened by the end
# of that day where the runner is: a run written with an offset ahead of local time
# (+14:00 seen from UTC-11) is past, though its day is still to come here. Its day stays
# its own (as `list` and `mood` show it); only streaks count it on the day it closes.
THROUGH = "(e.day <= ? OR e.start_ts < ?)"


def end_of_day(day: str) -> float:
    """UTC seconds at which the local day `day` (YYYY-MM-DD) ends."""
    from datetime import date, datetime, time, timedelta

    return datetime.combine(date.fromisoformat(day) + timedelta(days=1), time()).astimezone(
    ).timestamp()


def _between(since: str | None, until: str | None) -> tuple[str, list]:
    """`e.day >= since AND THROUGH until` (either may be None) and its parameters."""
    where, params = ["e.day >= ?"], [since or "0000-01-01"]
    if until:
        where.append(THROUGH)
        params += [until, end_of_day(until)]
    return " AND ".join(where), params


# Records (longest run, best paces, milestones) leave out a run no human could have run,
# kept with --force or from runlog's own export; totals, counts and streaks keep it.
# Records, milestones and streaks leave out walks (LIVE_RECORD_RUNS).


def records(store: Store, *, before=None) -> dict:
    """The `previous` dict of analysis.records.new_milestones: the run count, longest run
    and best pace per bracket over live runs of the record kinds (never walks) that some
    human could have run; only those logged before the entry `before` (in log order) when
    it is given."""
    where = f"{LIVE_RECORD_RUNS} AND {possible_sql(store.conn, 'e.')}"
    params: list = []
    if before is not None:
        where += " AND (e.day, e.date, e.id) < (?, ?, ?)"
        params = [before.day, before.date, before.id]
    brackets = (("1k", 1000), ("5k", 5000), ("10k", 10000), ("half", 21097.5))
    paces = ", ".join(
        f"min(CASE WHEN e.distance_m >= {metres} AND e.duration_s IS NOT NULL"
        " THEN e.duration_s * 1000.0 / e.distance_m END)"
        for _, metres in brackets
    )
    count, longest, *best_paces = _rows(
        store, f"SELECT count(*), max(e.distance_m), {paces} FROM entries e WHERE {where}",
        params)[0]
    best = {label: pace for (label, _), pace in zip(brackets, best_paces)}
    return {"runs": count, "longest_m": longest, "max_m": longest, "best_pace": best}


def longest_run(store: Store, since: str | None, until: str | None):
    between, params = _between(since, until)
    rows = _rows(store, _SELECT + f" WHERE {LIVE_RECORD_RUNS} AND {between}"
                 f" AND {possible_sql(store.conn, 'e.')}"
                 " AND e.distance_m IS NOT NULL ORDER BY e.distance_m DESC, e.day, e.id LIMIT 1",
                 params)
    return _entry(rows[0]) if rows else None


def best_pace(store: Store, min_distance_m: float, since: str | None,
              until: str | None) -> dict | None:
    between, params = _between(since, until)
    sql = f"""
        SELECT e.id, e.date, e.duration_s * 1000.0 / e.distance_m AS pace
        FROM entries e
        WHERE {LIVE_RECORD_RUNS} AND {between} AND e.distance_m >= ?
          AND e.duration_s IS NOT NULL AND {possible_sql(store.conn, 'e.')}
        ORDER BY pace, e.day, e.id LIMIT 1
    """
    rows = _rows(store, sql, (*params, min_distance_m))
    if not rows:
        return None
    entry_id, date, pace = rows[0]
    return {"id": entry_id, "date": date, "pace_s_per_km": pace}


def run_days(store: Store, until: str | None = None) -> list[str]:
    """The days with a run (never a walk: streaks are of runs), through `until` (THROUGH): a
    run that had happened by then but is written with a later day (an offset ahead of local
    time) counts on `until`."""
    if not until:
        sql = f"SELECT DISTINCT e.day FROM entries e WHERE {LIVE_RECORD_RUNS} ORDER BY e.day"
        return [row[0] for row in _rows(store, sql)]
    sql = (f"SELECT DISTINCT min(e.day, ?) AS d FROM entries e"
           f" WHERE {LIVE_RECORD_RUNS} AND {THROUGH} ORDER BY d")
    return [row[0] for row in _rows(store, sql, (until, until, end_of_day(until)))]


def runs_in_order(store: Store, until: str | None = None):
    """Every live run (never a walk) some human could have run, oldest first, streamed (for
    milestone history)."""
    between, params = _between(None, until)
    sql = (_SELECT + f" WHERE {LIVE_RECORD_RUNS} AND {between}"
           f" AND {possible_sql(store.conn, 'e.')} ORDER BY e.day, e.date, e.id")
    try:
        for row in store.conn.execute(sql, params):
            yield _entry(row)
    except sqlite3.Error as error:
        raise storage_error(store.path, error) from None


def emotion_summary(store: Store, since: str | None, until: str | None) -> list[dict]:
    """Per emotion named on runs: times, mean distance and mean lift of those runs."""
    between, params = _between(since, until)
    sql = f"""
        SELECT x.emotion, v.valence, count(*) AS times, avg(e.distance_m),
               avg(e.mood_after - e.mood_before)
        FROM entries e
        JOIN entry_emotions x ON x.entry_id = e.id
        JOIN emotions v ON v.name = x.emotion
        WHERE {LIVE_RUNS} AND {between}
        GROUP BY x.emotion
        ORDER BY times DESC, x.emotion
    """
    return [
        {"name": name, "valence": valence, "count": times, "distance_m_mean": distance,
         "mood_lift_mean": lift}
        for name, valence, times, distance, lift in _rows(store, sql, params)
    ]


def run_distance_mean(store: Store, since: str | None, until: str | None) -> float | None:
    between, params = _between(since, until)
    sql = f"SELECT avg(e.distance_m) FROM entries e WHERE {LIVE_RUNS} AND {between}"
    return _rows(store, sql, params)[0][0]


def last_runs_with_both_moods(store: Store, until: str, count: int):
    rows = _rows(store, _SELECT + f" WHERE {LIVE_RUNS} AND {THROUGH}"
                 " AND e.mood_before IS NOT NULL AND e.mood_after IS NOT NULL"
                 " ORDER BY e.day DESC, e.date DESC, e.id DESC LIMIT ?",
                 (until, end_of_day(until), count))
    return [_entry(row) for row in rows]


def run_counts(store: Store, since: str | None, until: str | None) -> tuple[int, int]:
    """(runs, runs that named at least one feeling) in the range, counted as `totals`
    counts runs."""
    between, params = _between(since, until)
    return _rows(store, f"""
        SELECT count(*), count(CASE WHEN EXISTS (
                   SELECT 1 FROM entry_emotions x WHERE x.entry_id = e.id) THEN 1 END)
        FROM entries e
        WHERE {LIVE_RUNS} AND {between}
    """, params)[0]
