"""Looking after the file: facts about it, consistent copies, integrity checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import InputError, StorageError
from . import Store
from .db import (SCHEMA_VERSION, check_log_name, copy_database, create_private_file,
                 open_sqlite, remove_database, storage_error)


def database_info(store: Store) -> dict:
    from sqlite_utils import Database

    db = Database(store.conn)
    try:
        counts = {name: db[name].count for name in ("entries", "emotions", "tags", "checkins")}
        live = store.conn.execute(
            "SELECT count(*) FROM entries WHERE deleted_at IS NULL").fetchone()[0]
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        journal = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
        # The database's own size, pages not yet copied back from the WAL included.
        size = (store.conn.execute("PRAGMA page_count").fetchone()[0]
                * store.conn.execute("PRAGMA page_size").fetchone()[0])
    except sqlite3.Error as error:
        raise storage_error(store.path, error) from None
    return {
        "path": str(store.path),
        "schema_version": version,
        "runlog_schema": SCHEMA_VERSION,
        "entries": live,
        "in_trash": counts["entries"] - live,
        "emotions": counts["emotions"],
        "tags": counts["tags"],
        "checkins": counts["checkins"],
        "journal_mode": journal,
        "size_bytes": size,
    }


def backup_to(store: Store, destination: Path) -> None:
    """A consistent copy in a new owner-only file, checked: a copy of a damaged log is no
    backup, so it is removed. `destination` must not exist (nor be a link to anything)."""
    check_log_name(destination, "a backup")
    try:
        create_private_file(destination)
    except FileExistsError:
        raise InputError(f"{destination} already exists", "choose a new file name") from None
    except OSError as error:
        raise StorageError(f"can't write {destination}: {error.strerror}") from None
    try:
        copy_database(store.conn, destination, created=True)
        copy = open_sqlite(destination)
        try:
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
    except sqlite3.Error as error:
        remove_database(destination)
        raise storage_error(store.path, error) from None
    except BaseException:
        # stopped (Ctrl-C, SIGTERM) before the copy was checked: it is no backup, and the
        # user is told nothing was written
        remove_database(destination)
        raise
    if verdict != "ok":
        remove_database(destination)
        raise StorageError(f"{store.path} is damaged, so no backup was written ({verdict})",
                           "restore an earlier copy from `runlog db backup`")


def integrity_problems(store: Store) -> list[str]:
    try:
        rows = store.conn.execute("PRAGMA integrity_check").fetchall()
        rows += [(f"foreign key: {r}",) for r in store.conn.execute("PRAGMA foreign_key_check")]
    except sqlite3.Error as error:
        return [str(error)]
    return [problem for row in rows if row[0] != "ok" for problem in row[0].splitlines()]


# What the reports rely on in each row, beyond SQLite's own checks (a CHECK constraint
# sees a date's length, not whether it is a date; another tool may have written a row
# with the constraints off). A condition that holds for a good row, and what a bad one is.
_DAY = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
_MOMENT = ("'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
           "[+-][0-9][0-9]:[0-9][0-9]'")
# Years: from 1900 (the oldest day runlog takes) to 9998, so that a report can still add a
# week or a time zone to any day without leaving the calendar Python knows.
_SANE_YEAR = "substr({0}, 1, 4) BETWEEN '1900' AND '9998'"
_DATE_OK = (
    "typeof({0}) = 'text' AND " + _SANE_YEAR + " AND ("
    "(length({0}) = 10 AND {0} GLOB " + _DAY + " AND date({0}, '+0 days') IS {0}) OR "
    "(length({0}) = 25 AND {0} GLOB " + _MOMENT + " AND datetime(substr({0}, 1, 19), '+0 days')"
    " IS replace(substr({0}, 1, 19), 'T', ' ') AND substr({0}, 21, 2) <= '23'"
    " AND substr({0}, 24, 2) <= '59'))"
)


def _whole(column: str, low: int, high: int) -> str:
    return f"({column} IS NULL OR (typeof({column}) = 'integer' AND {column} BETWEEN {low} AND {high}))"


def _amount(column: str, high: int) -> str:
    return (f"({column} IS NULL OR (typeof({column}) IN ('integer', 'real')"
            f" AND {column} > 0 AND {column} <= {high}))")


def _number_problem(name: str, column: str, text: str, whole: bool = False) -> str:
    """SQL naming what is wrong with a number: its type when it is none, else its range."""
    kinds = "('integer')" if whole else "('integer', 'real')"
    return (f"'{name} ' || quote({column}) || CASE WHEN typeof({column}) IN {kinds}"
            f" THEN ' {text}' ELSE ' is ' || typeof({column}) || ', not a"
            f" {'whole number' if whole else 'number'}' END")


def _text(column: str) -> str:
    return f"({column} IS NULL OR typeof({column}) = 'text')"


def _row_checks() -> list[tuple[str, str, str, str]]:
    """(table, row label, condition of a good row, SQL text of the problem)."""
    from ..model import ACTIVITY_KINDS, CRIED, KINDS

    kinds = ", ".join(f"'{kind}'" for kind in KINDS)
    activities = ", ".join(f"'{kind}'" for kind in ACTIVITY_KINDS)
    cried = ", ".join(f"'{word}'" for word in CRIED)
    entry = [
        (_DATE_OK.format("date"), "'date ' || quote(date) || ' is not a date runlog reads'"),
        ("day IS substr(date, 1, 10)", "'day ' || quote(day) || ' is not the day of its date'"),
        (f"kind IN ({kinds})", "'kind ' || quote(kind) || ' is not one runlog knows'"),
        (_amount("distance_m", 1_000_000),
         _number_problem("distance", "distance_m", "is out of range (0 to 1000000 m)")),
        (_amount("duration_s", 172_800),
         _number_problem("duration", "duration_s", "is out of range (0 to 172800 s)")),
        (f"kind NOT IN ({activities}) OR distance_m IS NOT NULL OR duration_s IS NOT NULL",
         "'a ' || kind || ' with neither distance nor time'"),
        *((_whole(column, low, high),
           _number_problem(name, column, f"is not {low}-{high}", whole=True))
          for column, name, low, high in (("mood_before", "mood before", 1, 5),
                                          ("mood_after", "mood after", 1, 5),
                                          ("effort", "effort", 1, 10), ("pain", "pain", 0, 10))),
        (f"cried IS NULL OR cried IN ({cried})", "'cried ' || quote(cried) || ' is not during, after or both'"),
        ("typeof(uuid) = 'text' AND uuid != ''", "'uuid ' || quote(uuid) || ' is not an id'"),
        *((_text(column), f"'{name} is ' || typeof({column}) || ', not text'")
          for column, name in (("pain_where", "where"), ("intention", "intention"),
                               ("note", "note"), ("source", "source"),
                               ("deleted_at", "deleted_at"))),
        ("start_ts IS NULL OR typeof(start_ts) IN ('integer', 'real')",
         "'start time ' || quote(start_ts) || ' is not a number'"),
    ]
    checkin = [
        ("typeof(created_ts) IN ('integer', 'real')", "'time ' || quote(created_ts) || ' is not a number'"),
        (_whole("mood_before", 1, 5),
         _number_problem("mood before", "mood_before", "is not 1-5", whole=True)),
        (_text("intention"), "'intention is not text'"),
        ("emotions IS NULL OR CASE WHEN json_valid(emotions) THEN json_type(emotions) = 'array'"
         " ELSE 0 END",
         "'emotions ' || quote(emotions) || ' is not a list'"),
    ]
    return ([("entries", "entry", good, problem) for good, problem in entry]
            + [("checkins", "check-in", good, problem) for good, problem in checkin])


def row_problems(store: Store, limit: int = 5) -> tuple[list[str], int]:
    """Rows the reports could not read, each named by its id: up to `limit` of them, with
    how many there are in all."""
    shown: list[str] = []
    total = 0
    for table, label in (("entries", "entry"), ("checkins", "check-in")):
        checks = [(good, problem) for t, _, good, problem in _row_checks() if t == table]
        first = " ".join(f"WHEN coalesce(({good}), 0) = 0 THEN {problem}" for good, problem in checks)
        sql = (f"SELECT id, problem FROM (SELECT id, CASE {first} END AS problem FROM {table})"
               " WHERE problem IS NOT NULL ORDER BY id")
        try:
            rows = store.conn.execute(sql).fetchall()
        except sqlite3.Error as error:
            return [f"{table}: {error}"], 1
        total += len(rows)
        shown += [f"{label} {row_id}: {problem}" for row_id, problem in rows[:limit - len(shown)]]
    return shown, total
