"""Reads and writes of the log. Returns model objects; never prints."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from operator import attrgetter
from pathlib import Path

from ..errors import InputError, NotFound, StorageError
from ..model import ACTIVITY_KINDS, CRIED, KINDS, Entry, trusted_entry
from .db import storage_error, connect, write_transaction

# Entry fields that live as columns of `entries` (model name -> column name).
COLUMNS = {
    "date": "date",
    "kind": "kind",
    "distance_m": "distance_m",
    "duration_s": "duration_s",
    "mood_before": "mood_before",
    "mood_after": "mood_after",
    "cried": "cried",
    "effort": "effort",
    "pain": "pain",
    "where": "pain_where",
    "intention": "intention",
    "note": "note",
}

def _names(column: str, table: str, joined_by: str) -> str:
    """SQL for entry `e`'s emotions or tags in their order, as one text (NULL for none)."""
    return (f"(SELECT group_concat({column}, {joined_by}) FROM (SELECT {column} FROM {table}"
            " WHERE entry_id = e.id ORDER BY position))")


_SELECT = f"""
SELECT e.id, e.uuid, e.date, e.kind, e.distance_m, e.duration_s, e.mood_before,
       e.mood_after, e.cried, e.effort, e.pain, e.pain_where, e.intention, e.note,
       e.deleted_at, e.source, {_names("emotion", "entry_emotions", "char(31)")},
       {_names("tag", "tags", "char(31)")}
FROM entries e
"""
# Exports' columns: model.SERIALIZED_FIELDS, then deleted_at. Emotions and tags are joined
# by a parameter (each of the three ? of a list is that joiner), a backslash or the joiner
# inside a name escaped with a backslash, so that any joiner splits back exactly.
_ESCAPED_NAMES = (r"(SELECT group_concat(replace(replace({0}, '\', '\\'), ?, '\' || ?), ?)"
                  " FROM (SELECT {0} FROM {1} WHERE entry_id = e.id ORDER BY position))")
_SELECT_FIELDS = f"""
SELECT e.id, e.uuid, e.date, e.kind, e.distance_m, e.duration_s, e.mood_before,
       e.mood_after, {_ESCAPED_NAMES.format("emotion", "entry_emotions")}, e.cried, e.effort,
       e.pain, e.pain_where, e.intention, e.note, {_ESCAPED_NAMES.format("tag", "tags")},
       e.deleted_at
FROM entries e
"""

ACTIVITY_SQL = "(" + ", ".join(f"'{kind}'" for kind in ACTIVITY_KINDS) + ")"


# Entry's field names, in the order _SELECT returns the columns.
_SELECTED = ("id", "uuid", "date", "kind", "distance_m", "duration_s", "mood_before",
             "mood_after", "cried", "effort", "pain", "where", "intention", "note",
             "deleted_at", "source", "emotions", "tags")


def _entry(row: tuple) -> Entry:
    try:
        if not _sound(row):
            raise ValueError
        values = dict(zip(_SELECTED, row))
        emotions, tags = values["emotions"], values["tags"]
        values["emotions"] = tuple(emotions.split("\x1f")) if emotions else ()
        values["tags"] = tuple(tags.split("\x1f")) if tags else ()
    except (TypeError, ValueError, AttributeError, OverflowError):
        raise StorageError(f"entry {row[0]} holds a value runlog can't read (written by "
                           "another tool?)", "`runlog db check` names what is wrong with it; "
                           "mend or delete it in any SQLite tool") from None
    return trusted_entry(values)


# What a row another tool wrote (with the schema's CHECKs off) may hold that the reports
# would stumble on later, checked as each row is read: the ranges the CHECKs state, the
# types, real days. A comparison of a number with text raises TypeError, caught above.
_KINDS = frozenset(KINDS)
_TEXTS = frozenset((str, type(None)))
_MOODS, _EFFORTS, _PAINS = (frozenset((None, *range(low, high + 1)))
                            for low, high in ((1, 5), (1, 10), (0, 10)))
_CRIED = frozenset((None, *CRIED))
_GOOD_DAYS: set = set()  # days already read and found real (a log has few of them)


def _sound(row: tuple) -> bool:
    (_, uuid, date, kind, distance, duration, before, after, cried, effort, pain, where,
     intention, note, deleted_at, source, emotions, tags) = row
    return ((date[:10] in _GOOD_DAYS or _real_day(date))
            and (len(date) == 10 or date[10:] in _GOOD_TIMES or _real_moment(date))
            and kind in _KINDS
            and (distance is None or 0 < distance <= 1_000_000)
            and (duration is None or 0 < duration <= 172_800)
            and before in _MOODS and after in _MOODS and effort in _EFFORTS
            and pain in _PAINS and cried in _CRIED
            and type(uuid) is str and type(where) in _TEXTS and type(intention) in _TEXTS
            and type(note) in _TEXTS and type(deleted_at) in _TEXTS
            and type(source) in _TEXTS and type(emotions) in _TEXTS and type(tags) in _TEXTS)


def _real_day(date) -> bool:
    """A date's day is a real one from 1900 to 9998 (a report adds a week or a time zone to
    any day it reads)."""
    from datetime import date as Date

    if type(date) is not str or len(date) not in (10, 25) or not "1900" <= date[:4] <= "9998":
        return False
    Date.fromisoformat(date[:10])  # ValueError if it is no day
    if date[4] != "-" or date[7] != "-":
        return False
    _GOOD_DAYS.add(date[:10])
    return True


_GOOD_TIMES: set = set()  # times of day with their offsets already found real


def _real_moment(date: str) -> bool:
    if date[10:] in _GOOD_TIMES:
        return True
    if date[10] != "T" or datetime.fromisoformat(date).utcoffset() is None:
        return False
    if len(_GOOD_TIMES) < 100_000:
        _GOOD_TIMES.add(date[10:])
    return True


def _where(*, since: str | None = None, until: str | None = None,
           kinds: Sequence[str] | None = None, felt: str | None = None, tag: str | None = None,
           cried: bool = False, deleted: bool | None = False) -> tuple[str, list]:
    """The WHERE clause (or "") and its parameters for entries `e`: live ones (`deleted`
    False), those in the trash (True) or both (None); by day, kind, emotion, tag, tears."""
    where, params = [], []
    if deleted is not None:
        where.append("e.deleted_at IS NOT NULL" if deleted else "e.deleted_at IS NULL")
    if since:
        where.append("e.day >= ?")
        params.append(since[:10])
    if until:
        where.append("e.day <= ?")
        params.append(until[:10])
    if kinds:
        where.append(f"e.kind IN ({', '.join('?' for _ in kinds)})")
        params.extend(kinds)
    if felt:
        where.append(
            "EXISTS (SELECT 1 FROM entry_emotions x WHERE x.entry_id = e.id AND x.emotion = ?)"
        )
        params.append(felt)
    if tag:
        where.append("EXISTS (SELECT 1 FROM tags t WHERE t.entry_id = e.id AND t.tag = ?)")
        params.append(tag)
    if cried:
        where.append("e.cried IS NOT NULL")
    return ("WHERE " + " AND ".join(where) if where else ""), params


def start_ts(date: str) -> float | None:
    """UTC seconds of an entry's start, for matching duplicates; None for a day alone."""
    if len(date) <= 10:
        return None
    return datetime.fromisoformat(date).timestamp()


# INSERT_ENTRY's columns. An id of None lets SQLite number the row (one more than the
# highest id). The last seven are those most often empty in what is imported (feelings and
# journaling that other apps do not record): the importer leaves them out of its INSERT,
# writing NULL, when they are None (see importer.Prepared).
_FIELDS_MIDDLE = ("kind", "distance_m", "duration_s", "mood_before", "mood_after", "source")
_FIELDS_LAST = ("cried", "effort", "pain", "where", "intention", "note", "deleted_at")
_middle = attrgetter(*_FIELDS_MIDDLE)
INSERT_COLUMNS = ("id", "uuid", "date", "day", "start_ts", *_FIELDS_MIDDLE, "created_at",
                  *_FIELDS_LAST)
OFTEN_EMPTY = len(_FIELDS_LAST)  # how many of INSERT_COLUMNS, at the end, often are
INSERT_ENTRY = (
    "INSERT INTO entries ("
    + ", ".join("pain_where" if name == "where" else name for name in INSERT_COLUMNS)
    + ") VALUES (" + ", ".join("?" * len(INSERT_COLUMNS)) + ")"
)


def entry_values(entry: Entry, entry_id: int | None, created_at: str) -> tuple:
    """The values of INSERT_ENTRY for `entry`."""
    return entry_head(entry, entry_id, created_at) + entry_last(entry)


def entry_head(entry: Entry, entry_id: int | None, created_at: str) -> tuple:
    """INSERT_ENTRY's values but the last OFTEN_EMPTY, which are `entry_last(entry)`
    (attrgetter reads several fields in one call: this is a large import's per-row path)."""
    date = entry.date
    # start_ts(date), inline
    started = _from_iso(date).timestamp() if len(date) > 10 else None
    return (entry_id, entry.uuid, date, date[:10], started, *_middle(entry), created_at)


_from_iso = datetime.fromisoformat


entry_last = attrgetter(*_FIELDS_LAST)


def utc_now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def possible_sql(conn: sqlite3.Connection, prefix: str = "") -> str:
    """SQL true for an entries row (columns named `prefix`distance_m, ...) that
    `plausible.impossible` does not refuse. A row whose pace lies where nothing is
    impossible for any kind passes on arithmetic alone; only the rare others call the rule
    itself, registered on `conn` as runlog_impossible (so every record ignores the same
    runs)."""
    from ..plausible import impossible, surely_possible

    def impossible_row(distance_m, duration_s, kind) -> bool:
        # A value another tool wrote out of range or of the wrong type is no record either
        # (`runlog db check` names it): never an error in the middle of a report.
        try:
            return impossible(float(distance_m), float(duration_s), kind) is not None
        except (TypeError, ValueError, OverflowError, ZeroDivisionError):
            return True

    conn.create_function("runlog_impossible", 3, impossible_row, deterministic=True)
    (run_fastest, slowest), (walk_fastest, _) = surely_possible("run"), surely_possible("walk")
    fastest = max(run_fastest, walk_fastest)
    distance, duration, kind = (prefix + name for name in ("distance_m", "duration_s", "kind"))
    return (f"({distance} IS NULL OR {duration} IS NULL"
            f" OR {duration} BETWEEN {distance} * {fastest!r} AND {distance} * {slowest!r}"
            f" AND {distance} <= 1000000.0"
            f" OR NOT runlog_impossible({distance}, {duration}, {kind}))")


class Store:
    """One open runlog database."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self.scrub_on_close = False  # after a purge nobody scrubbed yet (see close)

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> "Store":
        return cls(path, connect(path, create=create))

    @classmethod
    def open_or_empty(cls, path: Path) -> "Store":
        """The log at `path`, or an empty one in memory when there is none yet (reports
        on a fresh install read it without creating a file). A link to a missing file is
        no fresh install (a log on a drive not mounted): opening it says so."""
        if path.exists() or path.is_symlink():
            return cls.open(path, create=False)
        from sqlite_utils import Database

        from . import migrations

        conn = sqlite3.connect(":memory:", isolation_level=None)
        migrations.apply(Database(conn))
        return cls(Path(":memory:"), conn)

    def close(self) -> None:
        """Close the log; after a purge nobody scrubbed (`purge` scrubs before it says
        what it did), scrub it first, quietly: the next `runlog purge` finishes the job."""
        try:
            if self.scrub_on_close and not self.conn.in_transaction:
                from .db import scrub

                self.scrub_on_close = False
                try:
                    scrub(self.conn, self.path)
                except StorageError:
                    pass
        finally:
            self.conn.close()

    def transaction(self):
        return write_transaction(self.conn, self.path)

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise storage_error(self.path, error) from None

    # -- the emotion vocabulary -------------------------------------------------------

    def vocabulary(self) -> dict[str, str]:
        return dict(self._query("SELECT name, valence FROM emotions ORDER BY name"))

    def emotions_table(self) -> list[tuple[str, str, bool]]:
        return [
            (name, valence, bool(builtin))
            for name, valence, builtin in self._query(
                "SELECT name, valence, builtin FROM emotions ORDER BY valence, name"
            )
        ]

    def add_emotion(self, name: str, valence: str) -> None:
        if self._query("SELECT 1 FROM emotions WHERE name = ?", (name,)):
            raise InputError(f"'{name}' is already in the vocabulary")
        self.conn.execute(
            "INSERT INTO emotions (name, valence, builtin) VALUES (?, ?, 0)", (name, valence)
        )

    # -- entries -------------------------------------------------------------------

    def insert(self, entry: Entry) -> int:
        """Insert one entry with its emotions and tags (inside the caller's transaction)."""
        cursor = self.conn.execute(INSERT_ENTRY, entry_values(entry, None, utc_now_text()))
        entry_id = cursor.lastrowid
        self._link(entry_id, entry.emotions, entry.tags)
        return entry_id

    def _link(self, entry_id: int, emotions: Iterable[str], tags: Iterable[str]) -> None:
        self.conn.executemany(
            "INSERT INTO entry_emotions (entry_id, emotion, position) VALUES (?, ?, ?)",
            [(entry_id, name, n) for n, name in enumerate(emotions)],
        )
        self.conn.executemany(
            "INSERT INTO tags (entry_id, tag, position) VALUES (?, ?, ?)",
            [(entry_id, tag, n) for n, tag in enumerate(tags)],
        )

    def get(self, entry_id: int, *, deleted: bool | None = False) -> Entry:
        """One entry; `deleted` False = live only, True = trash only, None = either."""
        condition = {False: " AND e.deleted_at IS NULL", True: " AND e.deleted_at IS NOT NULL"}
        rows = self._query(_SELECT + " WHERE e.id = ?" + condition.get(deleted, ""), (entry_id,))
        if not rows:
            where = "in the trash" if deleted else "in the log"
            raise NotFound(f"no entry {entry_id} {where}", "see `runlog list`")
        return _entry(rows[0])

    def entries(self, **filters) -> list[Entry]:
        """Entries as a list; the filters are those of `iter_entries`."""
        return list(self.iter_entries(**filters))

    def count(self, **filters) -> int:
        """How many entries match; the filters are those of `_where`."""
        where, params = _where(**filters)
        return self._query(f"SELECT count(*) FROM entries e {where}", params)[0][0]

    def iter_entries(self, *, limit: int | None = None, newest_first: bool = True,
                     **filters) -> Iterator[Entry]:
        """Stream entries from the cursor; the filters are those of `_where`."""
        where, params = _where(**filters)
        order = "DESC" if newest_first else "ASC"
        sql = f"{_SELECT} {where} ORDER BY e.day {order}, e.date {order}, e.id {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        try:
            for row in self.conn.execute(sql, params):
                yield _entry(row)
        except sqlite3.Error as error:
            raise storage_error(self.path, error) from None

    def iter_fields(self, *, names_joined_by: str, since: str | None = None,
                    until: str | None = None, deleted: bool | None = False) -> Iterator[tuple]:
        """Exports' stream, oldest first: each entry's values in `model.SERIALIZED_FIELDS`
        order, then `deleted_at`. Emotions and tags come as one text joined by
        `names_joined_by` (None when there are none), a `\\` or `names_joined_by` inside a
        name escaped with a `\\`: no Entry is built, which makes a million-row export a
        third faster."""
        where, params = _where(since=since, until=until, deleted=deleted)
        sql = f"{_SELECT_FIELDS} {where} ORDER BY e.day, e.date, e.id"
        try:
            # not `yield from`: closing this generator would close the cursor, which fails
            # once the connection is closed
            for values in self.conn.execute(sql, [*(names_joined_by,) * 6, *params]):
                yield values
        except sqlite3.Error as error:
            raise storage_error(self.path, error) from None

    def update(self, entry_id: int, changes: dict, *, emotions=None, tags=None) -> None:
        """Change the given fields of a live entry (inside the caller's transaction)."""
        self.get(entry_id)
        if changes:
            columns = {COLUMNS[name]: value for name, value in changes.items()}
            if "date" in changes:
                columns["day"] = changes["date"][:10]
                columns["start_ts"] = start_ts(changes["date"])
            assignments = ", ".join(f"{column} = ?" for column in columns)
            self.conn.execute(
                f"UPDATE entries SET {assignments} WHERE id = ?", [*columns.values(), entry_id]
            )
        if emotions is not None:
            self.conn.execute("DELETE FROM entry_emotions WHERE entry_id = ?", (entry_id,))
            self._link(entry_id, emotions, ())
        if tags is not None:
            self.conn.execute("DELETE FROM tags WHERE entry_id = ?", (entry_id,))
            self._link(entry_id, (), tags)

    def move_to_trash(self, ids: Sequence[int]) -> None:
        for entry_id in ids:
            self.get(entry_id)
        self.conn.executemany(
            "UPDATE entries SET deleted_at = ? WHERE id = ?", [(utc_now_text(), i) for i in ids]
        )

    def restore(self, ids: Sequence[int]) -> None:
        for entry_id in ids:
            self.get(entry_id, deleted=True)
        self.conn.executemany("UPDATE entries SET deleted_at = NULL WHERE id = ?", [(i,) for i in ids])

    def purge(self, checkins_before: float | None = None) -> int:
        """Delete what is in the trash for good (inside the caller's transaction): with
        SQLite overwriting what it deletes, and with the check-ins those runs took up,
        which hold their intentions and feelings; and the check-ins no run can take up any
        more: cancelled ones and, given `checkins_before` (UTC seconds), those never used
        made before it. Closing the store then rewrites the file and empties its WAL, so
        the text is in no file of the log. Returns the number of entries deleted."""
        self.conn.execute("DELETE FROM checkins WHERE used_by IN"
                          " (SELECT id FROM entries WHERE deleted_at IS NOT NULL)")
        self.conn.execute(*self._stale_checkins("DELETE", checkins_before))
        removed = self.conn.execute("DELETE FROM entries WHERE deleted_at IS NOT NULL").rowcount
        self.scrub_on_close = True
        return removed

    def stale_checkins(self, before: float | None = None) -> int:
        """How many check-ins `purge(before)` drops: cancelled, or never used and made
        before `before`."""
        return self._query(*self._stale_checkins("SELECT count(*)", before))[0][0]

    @staticmethod
    def _stale_checkins(verb: str, before: float | None) -> tuple[str, list]:
        if before is None:
            return f"{verb} FROM checkins WHERE cancelled = 1", []
        return (f"{verb} FROM checkins WHERE cancelled = 1"
                " OR (used_by IS NULL AND created_ts < ?)", [before])

    # -- pre-run check-ins (`runlog start`) ------------------------------------------

    def open_checkin(self, since_ts: float | None = None, until_ts: float | None = None, *,
                     used_by: int | None = None) -> dict | None:
        """The latest check-in neither used nor cancelled made from `since_ts` to `until_ts`
        (UTC seconds, inclusive); or, with `used_by`, the one that entry took up."""
        if used_by is not None:
            where, params = "used_by = ?", [used_by]
        else:
            where, params = "used_by IS NULL AND cancelled = 0", []
            if since_ts is not None:
                where += " AND created_ts >= ?"
                params.append(since_ts)
            if until_ts is not None:
                where += " AND created_ts <= ?"
                params.append(until_ts)
        rows = self._query(
            "SELECT id, created_at, mood_before, intention, emotions FROM checkins"
            f" WHERE {where} ORDER BY created_ts DESC LIMIT 1",
            params,
        )
        if not rows:
            return None
        import json

        checkin_id, created_at, mood_before, intention, emotions = rows[0]
        return {
            "id": checkin_id,
            "created_at": created_at,
            "mood_before": mood_before,
            "intention": intention,
            "emotions": tuple(json.loads(emotions or "[]")),
        }

    def save_checkin(self, created: datetime, mood_before, intention, emotions) -> int:
        """A new check-in (the caller cancels any it replaces: `cancel_checkins`)."""
        import json

        return self.conn.execute(
            "INSERT INTO checkins (created_at, created_ts, mood_before, intention, emotions)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                created.isoformat(timespec="seconds"),
                created.timestamp(),
                mood_before,
                intention,
                json.dumps(list(emotions)),
            ),
        ).lastrowid

    def cancel_checkins(self, since_ts: float | None = None) -> int:
        """Delete the check-ins not used (made since `since_ts`, if given), and any an older
        runlog marked cancelled: nothing of what they held is kept (secure_delete
        overwrites it; `forget_checkin_frames` then empties the WAL). Returns how many
        waiting check-ins went."""
        self.conn.execute("DELETE FROM checkins WHERE cancelled = 1")
        where = " AND created_ts >= ?" if since_ts is not None else ""
        return self.conn.execute(
            "DELETE FROM checkins WHERE used_by IS NULL" + where,
            [since_ts] if since_ts is not None else [],
        ).rowcount

    def use_checkin(self, checkin_id: int, entry_id: int | None) -> None:
        """Link a check-in to the run that took it up. None releases it: it waits again for
        a run in its window, unless a later check-in has replaced it (as `start` would):
        then it is deleted."""
        if entry_id is None:
            self.conn.execute(
                "DELETE FROM checkins WHERE id = ? AND EXISTS (SELECT 1 FROM checkins later"
                " WHERE later.created_ts > checkins.created_ts)", (checkin_id,))
            self.conn.execute("UPDATE checkins SET used_by = NULL WHERE id = ?", (checkin_id,))
            return
        self.conn.execute("UPDATE checkins SET used_by = ? WHERE id = ?", (entry_id, checkin_id))

    def forget_checkin_fields(self, entry_id: int, columns: Sequence[str]) -> int:
        """Empty `columns` (mood_before, intention, emotions) of the check-in the entry took
        up: the entry's own value was changed or cleared, so the check-in no longer holds
        the old one. Returns how many check-ins changed (0 or 1)."""
        allowed = [c for c in columns if c in ("mood_before", "intention", "emotions")]
        if not allowed:
            return 0
        return self.conn.execute(
            f"UPDATE checkins SET {', '.join(f'{c} = NULL' for c in allowed)}"
            " WHERE used_by = ?", (entry_id,)).rowcount

    def forget_checkin_frames(self) -> None:
        """After a check-in was deleted or emptied (outside a transaction): copy the WAL
        into the file and empty it, so no older copy of the text is left in the -wal.
        Never waits: if another program is reading the log, the frames go when it closes
        (or on the next `runlog purge`)."""
        if self.conn.in_transaction:
            return
        try:
            timeout = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
            self.conn.execute("PRAGMA busy_timeout = 0")
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        except sqlite3.Error:
            pass
