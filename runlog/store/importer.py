"""Writing imported records: one transaction per file, duplicates skipped, all or nothing.

An activity is already in the log when it has the same uuid, or when a live activity (a run,
a walk...; never a check-in or a rest day) is the same one from another app or format: it
starts within 10 s of it whatever the distances, or within 60 s when either has no distance
or the distances are within 2 % (`_near`).

Importing has two halves: `prepare` turns a reader's records into chunks of rows ready to
insert (checked against the table's rules), and `import_chunks` writes them. A large file's
chunks are prepared in a second process (`import_worker`) while this one writes, so a
million-row import keeps both halves busy on two cores.
"""

from __future__ import annotations

import os
import re
import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date as _date, datetime
from operator import itemgetter
from pathlib import Path

from .. import clock
from ..errors import InputError, RunlogError, StorageError
from ..model import ACTIVITY_KINDS, MAX_TEXT, Entry
from ..parse import (MAX_DISTANCE_M, MAX_DURATION_S, MAX_TAG_LENGTH, MIN_DISTANCE_M,
                     MIN_DURATION_S, OLDEST_DAY)
from ..plausible import WALK_KINDS, impossible, surely_possible
from . import (
    ACTIVITY_SQL, INSERT_COLUMNS, INSERT_ENTRY, OFTEN_EMPTY, Store, entry_head, entry_last,
    utc_now_text,
)
from .db import link_as_log, remove_database, storage_error

SAME_START_S = 60
SAME_DISTANCE = 0.02
# Two records of one activity from two apps start at the same second (a Strava CSV row and
# its own FIT original), or a second or two apart (a GPX's first point is written when the
# watch has its first fix); their distances differ by up to 15 % (each app's GPS smoothing).
# No one starts two activities within 10 s of each other: that close is the same one.
SAME_MOMENT_S = 10
CHUNK = 2000
SHOWN_PROBLEMS = 5
# Files this big or bigger are prepared in a second process (about 75,000 rows of runlog
# CSV); for smaller ones starting that process would cost more than it saves.
PARALLEL_FROM_BYTES = 8 << 20
# The page size of a log an import creates.
NEW_LOG_PAGE_SIZE = 16384

_ACTIVITY = frozenset(ACTIVITY_KINDS)
# What no tag may hold, typed or imported (parse.parse_tags): C0, DEL and C1.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Paces (seconds a metre) that a human can run, or walk, at any distance up to 1,000 km
# (the log's limit): a pace between them needs no `plausible.impossible`, the quick path for
# most rows. A walk has bounds of its own: 4:00/km is a run's pace but no walker's.
_SURELY_POSSIBLE = surely_possible("run", MAX_DISTANCE_M)
_SURELY_WALKED = surely_possible("walk", MAX_DISTANCE_M)
OLDEST_DATE = OLDEST_DAY.isoformat()  # typed dates' limit, as text to compare with
# An imported moment may be this far ahead of the clock (two devices' clocks disagree).
AHEAD_S = 300
OWN_SOURCE = "runlog"  # the `source` of entries read from runlog's own formats
# where a prepared row has these (ahead of the columns it may leave out)
_DISTANCE = INSERT_COLUMNS.index("distance_m")
_KIND = INSERT_COLUMNS.index("kind")
_START = INSERT_COLUMNS.index("start_ts")
_INSERT_INTO = INSERT_ENTRY.partition(" VALUES ")[0]
# A prepared row leaves out the last columns when they are all None, or all but the first
# (`cried`) are.
_NOTHING_LAST = (None,) * OFTEN_EMPTY


@dataclass
class ImportResult:
    added: int = 0
    duplicates: int = 0
    other_sports: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    other_sport_names: dict[str, int] = field(default_factory=dict)
    first_new_id: int = 0
    # activities no one could have run, left out: how many, and the first few (line, why)
    impossible: int = 0
    impossible_shown: list[tuple[int, str]] = field(default_factory=list)
    # custom emotions the file brought along (name, valence), added to the vocabulary
    new_emotions: list[tuple[str, str]] = field(default_factory=list)
    # records a reader left out (reason -> how many), and what it said (text -> how many)
    left_out: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)


@dataclass
class Prepared:
    """Up to CHUNK records of a file, ready to write.

    `rows` holds INSERT_ENTRY's values; the first, the id, is the row's index in the chunk
    (its id is where the chunk's ids start plus that, so ids follow the file; rows skipped
    as duplicates leave gaps, which the writer closes). They are
    grouped by how many of the last columns are None and left out: SQLite writes NULL for
    those, rather than binding each None (a tenth of a large import's time). `emotions` and
    `tags` have (index, name, position). Once a file has a bad record, its later rows are
    not prepared. `impossible` counts the activities no one could have run, left out, and
    `impossible_shown` holds the first few (line, why); `new_emotions` are the custom
    emotions (name -> valence) an entry of this chunk is the first to name, which the writer
    adds to the vocabulary."""

    records: int = 0
    count: int = 0
    rows: dict[int, list[tuple]] = field(default_factory=dict)
    emotions: list[tuple[int, str, int]] = field(default_factory=list)
    tags: list[tuple[int, str, int]] = field(default_factory=list)
    other_sports: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    impossible: int = 0
    impossible_shown: list[tuple[int, str]] = field(default_factory=list)
    new_emotions: dict[str, str] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)


class _Rejected(Exception):
    pass


def prepare(records: Iterable, vocabulary, created: str,
            now: datetime | None = None) -> Iterator[Prepared]:
    """A reader's records as chunks of rows to insert; needs no database. Dates are checked
    against `now` (the clock's by default). Whatever a reader raises while reading is a
    refusal of the file (InputError) that says after which line, never a crash."""
    from ..interchange import LeftOut, Notice, Row, Skipped

    rules = _Rules(vocabulary, now or clock.now())
    chunk, refused, line = Prepared(), False, 0
    try:
        for record in records:
            chunk.records += 1
            if isinstance(record, Row):
                line = record.line
                try:
                    entry, problem = _storable(record.entry, rules, record, chunk)
                    if problem is None and not refused:
                        distance_m, duration_s, kind = (entry.distance_m, entry.duration_s,
                                                        entry.kind)
                        why = None
                        if distance_m and duration_s and kind in _ACTIVITY:
                            lowest, highest = (_SURELY_WALKED if kind in WALK_KINDS
                                               else _SURELY_POSSIBLE)
                            if not lowest <= duration_s / distance_m <= highest:
                                why = impossible(distance_m, duration_s, kind=kind)
                        # runlog's own files keep what its log held: a run kept with
                        # `add --force` comes back as it was
                        if why is None or entry.source == OWN_SOURCE:
                            # the entry as the chunk's next row (inline: the hot path)
                            index = chunk.count
                            values, last = entry_head(entry, index, created), entry_last(entry)
                            chunk.count += 1
                            if last == _NOTHING_LAST:
                                left_out = OFTEN_EMPTY
                            elif last[1:] == _NOTHING_LAST[1:]:
                                values, left_out = values + last[:1], OFTEN_EMPTY - 1
                            else:
                                values, left_out = values + last, 0
                            group = chunk.rows.get(left_out)
                            if group is None:
                                group = chunk.rows[left_out] = []
                            group.append(values)
                            emotions, tags = entry.emotions, entry.tags
                            if emotions:
                                chunk.emotions += [(index, name, n)
                                                   for n, name in enumerate(emotions)]
                            if tags:
                                chunk.tags += [(index, tag, n) for n, tag in enumerate(tags)]
                        else:  # left out, not refused: a car trip saved as a run, say
                            chunk.impossible += 1
                            if len(chunk.impossible_shown) < SHOWN_PROBLEMS:
                                chunk.impossible_shown.append((line, why))
                except (ArithmeticError, ValueError, TypeError, AttributeError) as error:
                    problem = f"a value runlog can't store ({type(error).__name__}: {error})"
                if problem:
                    chunk.rejected.append((line, problem))
                    refused = True
            elif isinstance(record, Skipped):
                chunk.other_sports.append(record.reason)
                line = record.line or line
            elif isinstance(record, LeftOut):
                chunk.left_out[record.reason] = chunk.left_out.get(record.reason, 0) + 1
                line = record.line or line
            elif isinstance(record, Notice):
                chunk.notices[record.text] = chunk.notices.get(record.text, 0) + 1
            else:
                chunk.rejected.append((record.line, record.message))
                refused = True
                line = record.line or line
            if chunk.records == CHUNK:
                yield chunk
                chunk = Prepared()
    except RunlogError:
        raise
    except Exception as error:  # noqa: BLE001 - a reader's bug or a hostile file
        raise _unreadable(error, line) from None
    if chunk.records:
        yield chunk


def _unreadable(error: BaseException, line: int) -> InputError:
    """The refusal of a file that a reader could not read past `line` (0: the start)."""
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, RecursionError):
        what = "nested too deeply"
    elif isinstance(error, MemoryError):
        what = "too big to read"
    where = f"after line {line}" if line else "at its start"
    return InputError(f"the file can't be read {where} ({' '.join(what.split())[:200]}); "
                      "nothing imported from this file")


def read_records(path, fmt: str, *, mood_map=None, units: str = "km") -> Iterator:
    """`interchange.read(path, ...)`, where anything but a RunlogError that a reader raises
    on opening the file is a refusal of it too (`prepare` guards the reading itself)."""
    from .. import interchange

    try:
        return interchange.read(path, fmt, mood_map=mood_map, units=units)
    except RunlogError:
        raise
    except Exception as error:  # noqa: BLE001 - a reader's bug or a hostile file
        raise _unreadable(error, 0) from None


def import_records(store: Store, records: Iterable, *, dry_run: bool = False,
                   progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import one file's records, prepared here. Any bad record rejects the whole file
    (InputError, exit 2) and nothing of it is written; `dry_run` counts without writing."""
    chunks = prepare(records, store.vocabulary(), utc_now_text())
    return import_chunks(store, chunks, dry_run=dry_run, progress=progress)


def import_file(store: Store, path: str, records: Iterator, *, fmt: str = "auto",
                mood_map=None, units: str = "km", dry_run: bool = False,
                progress: Callable[[int], None] | None = None) -> ImportResult:
    """`import_records` of what `interchange.read(path, fmt, ...)` returned (which has
    checked that the file can be read). A large file is read again, and prepared, by a
    second process while this one writes."""
    if os.path.getsize(path) < PARALLEL_FROM_BYTES:
        return import_records(store, records, dry_run=dry_run, progress=progress)
    from itertools import chain

    from .import_worker import Unavailable, prepared_elsewhere

    getattr(records, "close", lambda: None)()
    chunks = prepared_elsewhere(path, fmt, mood_map=mood_map, units=units,
                                vocabulary=store.vocabulary(), created=utc_now_text(),
                                now=clock.now())
    try:
        first = next(chunks, None)
    except Unavailable:
        # No second process here (a frozen runlog, say): read the file in this one.
        records = read_records(path, fmt, mood_map=mood_map, units=units)
        return import_records(store, records, dry_run=dry_run, progress=progress)
    try:
        return import_chunks(store, chain([first] if first else [], chunks),
                             dry_run=dry_run, progress=progress)
    finally:
        chunks.close()  # stops the second process if writing ended early


def import_into_new_log(log: Path, path: str, records: Iterator, *, fmt: str = "auto",
                        mood_map=None, units: str = "km",
                        progress: Callable[[int], None] | None = None) -> ImportResult:
    """`import_file` into a log that does not exist yet, which is made only when the file
    adds something, and never over a log another runlog made meanwhile.

    The file goes into a new database beside the log, of an unpredictable name, created
    exclusively and owner-only. When the import succeeds and adds something, that database
    is closed (its WAL folded in) and given the log's name with a hard link, which fails
    rather than replace a log that appeared meanwhile: the file is then imported into that
    log the usual way. However the import ends (a bad record, Ctrl-C, a full disk), what
    is removed is that new database alone, which only this process knew: never a file
    another runlog wrote. A folder made for the log stays (empty, owner-only)."""
    import errno
    import secrets

    from .db import create_private_file

    staging = log.with_name(f".{log.name}.import-{secrets.token_hex(8)}")
    try:
        try:
            create_private_file(staging)
        except OSError as error:
            raise StorageError(f"can't create {log}: {error.strerror}") from None
        store = Store.open(staging, create=False)
        try:
            # No other process knows this file, and it is thrown away unless the import
            # succeeds: it needs no journal on disk (each page is written once, not to the
            # WAL and again into the file), nor to wait for the disk but once, at the end.
            # Its pages are 16 KiB (a large import writes a tenth faster); the schema is
            # still empty, so VACUUM makes that change at once. Its links to entries and
            # to the vocabulary are checked once at the end rather than row by row.
            _pragmas(store, "journal_mode = MEMORY", "synchronous = OFF",
                     f"page_size = {NEW_LOG_PAGE_SIZE}", "foreign_keys = OFF")
            _pragmas(store, "VACUUM")
            result = import_file(store, path, records, fmt=fmt, mood_map=mood_map, units=units,
                                 progress=progress)
            if result.added:
                _check_links(store)
                _pragmas(store, "foreign_keys = ON", "journal_mode = WAL")  # as every log is
        finally:
            store.close()
        if not result.added:
            return result
        _flush_to_disk(staging)  # all of it is on the disk before it has the log's name
        try:
            link_as_log(staging, log)
            _flush_to_disk(log.parent)  # and so is the name
            return result
        except FileExistsError:
            pass  # another runlog made the log meanwhile: import into it, below
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise StorageError(f"can't create {log}: {error.strerror}") from None
            # A file system without hard links: make the log the usual way.
    except RunlogError as error:
        error.message = error.message.replace(str(staging), str(log))
        raise
    finally:
        remove_database(staging)
    store = Store.open(log, create=True)
    try:
        return import_file(store, path, read_records(path, fmt, mood_map=mood_map, units=units),
                           fmt=fmt, mood_map=mood_map, units=units)
    finally:
        store.close()


def _pragmas(store: Store, *pragmas: str) -> None:
    try:
        for pragma in pragmas:
            store.conn.execute(pragma if pragma == "VACUUM" else f"PRAGMA {pragma}")
    except sqlite3.Error as error:
        raise storage_error(store.path, error) from None


def _check_links(store: Store) -> None:
    """What foreign keys would have checked row by row: every emotion and tag belongs to
    an entry, every emotion is in the vocabulary. A failure is runlog's own bug: the new
    log is thrown away."""
    try:
        broken = store.conn.execute("PRAGMA foreign_key_check").fetchone()
    except sqlite3.Error as error:
        raise storage_error(store.path, error) from None
    if broken is not None:
        raise StorageError(f"the import left a row of {broken[0]} without its "
                           f"{broken[2]}; nothing imported from this file",
                           "please report this")


def _flush_to_disk(path: Path) -> None:
    """fsync a file, or a folder (its names)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError as error:
        raise StorageError(f"can't write {path}: {error.strerror}") from None
    try:
        os.fsync(descriptor)
    except OSError as error:
        if not os.path.isdir(path):  # some file systems can't sync a folder: no matter
            raise StorageError(f"can't write {path}: {error.strerror}") from None
    finally:
        os.close(descriptor)


@contextmanager
def collector_paused():
    """Pause Python's cycle collector: it would walk the many thousands of rows in flight
    again and again and find nothing (rows hold no cycles), a tenth of a large import's
    time. Memory is still freed as each chunk is done with."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_chunks(store: Store, chunks: Iterable[Prepared], *, dry_run: bool = False,
                  progress: Callable[[int], None] | None = None) -> ImportResult:
    """Write one file's prepared chunks in one transaction: all of it, or nothing when any
    record was bad (InputError) or for a dry run."""
    result = ImportResult()
    # Inserting into the uuid index lands at random pages; SQLite's default 2 MB page cache
    # makes a large import re-read them from disk. 64 MB keeps them in memory.
    store.conn.execute("PRAGMA cache_size = -65536")
    try:
        with collector_paused(), store.transaction():
            next_id = store.conn.execute(
                "SELECT coalesce(max(id), 0) + 1 FROM entries").fetchone()[0]
            # Duplicates by start and distance are of activities already in the log: two
            # runs at the same minute in one file are both kept, as `add` would keep them.
            result.first_new_id = next_id
            rebuild = _drop_indexes(store.conn) if next_id == 1 else []
            for chunk in chunks:
                result.rejected.extend(chunk.rejected)
                for sport in chunk.other_sports:
                    result.other_sports += 1
                    result.other_sport_names[sport] = result.other_sport_names.get(sport, 0) + 1
                if chunk.impossible:
                    result.impossible += chunk.impossible
                    result.impossible_shown.extend(
                        chunk.impossible_shown[:SHOWN_PROBLEMS - len(result.impossible_shown)])
                for counts, into in ((chunk.left_out, result.left_out),
                                     (chunk.notices, result.notices)):
                    for text, n in counts.items():
                        into[text] = into.get(text, 0) + n
                if chunk.new_emotions and not result.rejected:
                    _add_emotions(store, chunk.new_emotions, result)
                if chunk.count and not result.rejected:
                    next_id = _write_chunk(store, chunk, next_id, result)
                if progress:
                    progress(chunk.records)
            if result.rejected or dry_run:
                raise _Rejected
            for statement in rebuild:
                store.conn.execute(statement)
    except _Rejected:
        pass
    if result.rejected:
        if len(result.rejected) == 1 and not result.rejected[0][0]:
            # about the whole file (it is truncated, its unit can't be told): no "record"
            raise InputError(f"{result.rejected[0][1]}; nothing imported from this file")
        shown = "; ".join(f"line {line}: {_without_line(message)}" if line else message
                          for line, message in result.rejected[:SHOWN_PROBLEMS])
        more = len(result.rejected) - SHOWN_PROBLEMS
        raise InputError(
            f"{len(result.rejected)} bad record{'s' if len(result.rejected) != 1 else ''}, "
            f"nothing imported from this file: {shown}" + (f" (and {more} more)" if more > 0 else ""))
    return result


def _add_emotions(store: Store, emotions: dict[str, str], result: ImportResult) -> None:
    """Add the custom emotions a file brought along (name -> valence) to the vocabulary,
    inside the import's transaction; one that another runlog added meanwhile keeps its
    valence."""
    try:
        for name, valence in emotions.items():
            if store.conn.execute("INSERT INTO emotions (name, valence, builtin) VALUES (?, ?, 0)"
                                  " ON CONFLICT (name) DO NOTHING", (name, valence)).rowcount:
                result.new_emotions.append((name, valence))
    except sqlite3.Error as error:
        raise storage_error(store.path, error) from None


def _drop_indexes(conn) -> list[str]:
    """Drop the entry tables' own indexes and return what recreates them. Into an empty log,
    building an index once at the end is quicker than growing it row by row; the uuid and
    primary key indexes stay, as they keep duplicates out. Inside the import's transaction,
    a failure puts them back as they were."""
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name IN ('entries', 'entry_emotions', 'tags')").fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in indexes]


def _write_chunk(store: Store, chunk: Prepared, next_id: int, result: ImportResult) -> int:
    """Write one chunk, its rows numbered from `next_id`; returns the next free id."""
    conn = store.conn
    rows = chunk.rows
    try:
        skipped = _already_logged(conn, chunk, result) if result.first_new_id > 1 else ()
        if skipped:
            result.duplicates += len(skipped)
            rows = {left_out: [row for row in group if row[0] not in skipped]
                    for left_out, group in rows.items()}
        # A uuid the log (or this file, earlier) already has is skipped by the uuid index.
        inserted = 0
        for left_out, group in rows.items():
            inserted += conn.executemany(_insert_sql(left_out, next_id), group).rowcount
        written = chunk.count - len(skipped)
        result.duplicates += written - inserted
        result.added += inserted
        emotions, tags = chunk.emotions, chunk.tags
        if inserted != chunk.count:
            # Close the gaps the skipped rows left, keeping the file's order, and move the
            # links to the rows' new places.
            kept = [entry_id for (entry_id,) in conn.execute(
                "SELECT id FROM entries WHERE id BETWEEN ? AND ? ORDER BY id",
                (next_id, next_id + chunk.count - 1))]
            conn.executemany("UPDATE entries SET id = ? WHERE id = ?",
                             [(next_id + place, entry_id) for place, entry_id in enumerate(kept)
                              if next_id + place != entry_id])
            place_of = {entry_id - next_id: place for place, entry_id in enumerate(kept)}
            emotions = [(place_of[index], name, n) for index, name, n in emotions
                        if index in place_of]
            tags = [(place_of[index], tag, n) for index, tag, n in tags if index in place_of]
        conn.executemany("INSERT INTO entry_emotions (entry_id, emotion, position)"
                         f" VALUES (? + {next_id}, ?, ?)", emotions)
        conn.executemany(f"INSERT INTO tags (entry_id, tag, position) VALUES (? + {next_id}, ?, ?)",
                         tags)
        return next_id + inserted
    except sqlite3.IntegrityError as error:
        raise InputError(f"a record breaks the log's rules ({error}); nothing imported "
                         "from this file") from None
    except sqlite3.Error as error:
        raise storage_error(store.path, error) from None


def _insert_sql(left_out: int, next_id: int) -> str:
    """INSERT_ENTRY with NULL for the last `left_out` columns, and the id as the row's
    index plus `next_id`."""
    values = [f"? + {int(next_id)}"] + ["?"] * (len(INSERT_COLUMNS) - 1 - left_out)
    values += ["NULL"] * left_out
    return f"{_INSERT_INTO} VALUES ({', '.join(values)}) ON CONFLICT (uuid) DO NOTHING"


def _already_logged(conn, chunk: Prepared, result: ImportResult) -> set[int]:
    """The indexes of the chunk's activities that are the same as one logged before the
    import began (`_near`)."""
    timed = [(row[0], row[_START], row[_DISTANCE]) for group in chunk.rows.values()
             for row in group if row[_START] is not None and row[_KIND] in _ACTIVITY]
    if not timed:
        return set()
    nearby = sorted(conn.execute(
        "SELECT start_ts, distance_m FROM entries WHERE deleted_at IS NULL"
        f" AND kind IN {ACTIVITY_SQL} AND start_ts BETWEEN ? AND ? AND id < ?",
        (min(start for _, start, _ in timed) - SAME_START_S,
         max(start for _, start, _ in timed) + SAME_START_S, result.first_new_id)).fetchall(),
        key=_started)
    if not nearby:
        return set()
    return {index for index, start, distance_m in timed if _near(nearby, start, distance_m)}


def _storable(entry: Entry, rules: "_Rules", record, chunk: Prepared) -> tuple[Entry, str | None]:
    """The entry as the log can hold it, or why it can't: whatever a reader let through,
    the rules of the table and of typing are checked here, so a bad record is reported
    with its line. Emotions are matched as typed ones are (`Relieved` is relief); one the
    log doesn't know is added when the record carries its valence (runlog's own exports
    do), into `chunk.new_emotions`. Tags are made what typing makes them (`Long Run` is
    long-run)."""
    emotions, tags, date = entry.emotions, entry.tags, entry.date
    if emotions:
        vocabulary = rules.vocabulary
        unknown = [name for name in emotions if name not in vocabulary]
        if unknown:
            named, problem = rules.emotions(emotions, unknown, record, chunk)
            if problem:
                return entry, problem
            if named != emotions:
                emotions = named
                entry = replace(entry, emotions=named)
    distance_m, duration_s = entry.distance_m, entry.duration_s
    if entry.kind not in _ACTIVITY and (distance_m is not None or duration_s is not None
                                        or entry.mood_before is not None):
        return entry, _beyond_kind(entry)
    if distance_m is None and duration_s is None:
        if entry.kind in _ACTIVITY:
            return entry, f"a {entry.kind} needs a distance or a time"
    else:
        # typing's limits: what is under 1 m or 1 s would export as 0 and not come back
        if distance_m is not None and not MIN_DISTANCE_M <= distance_m <= MAX_DISTANCE_M:
            return entry, f"a distance of {distance_m!r} m is not one runlog can hold"
        if duration_s is not None and not MIN_DURATION_S <= duration_s <= MAX_DURATION_S:
            return entry, f"a time of {duration_s!r} s is not one runlog can hold"
    size = len(date)
    if size != 25 and size != 10:
        return entry, f"date {date!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"
    # (a date from two days ago on is as great as `recent` or greater, as text)
    if size == 10 or date < OLDEST_DATE or date >= rules.recent:
        problem = rules.date_problem(date)
        if problem:
            return entry, problem
    note, intention, where = entry.note, entry.intention, entry.where
    if note is not None and len(note) > MAX_TEXT or intention is not None and len(
            intention) > MAX_TEXT or where is not None and len(where) > MAX_TEXT:
        return entry, f"a text longer than {MAX_TEXT:,} characters (typing's limit)"
    # isascii() is the quick yes; only a lone surrogate (from a reader that let one
    # through) fails to encode
    if not (entry.uuid.isascii() and (note is None or note.isascii())
            and (intention is None or intention.isascii())
            and (where is None or where.isascii())):
        for text in (entry.uuid, note, intention, where):
            if text is not None and not _is_utf8(text):
                return entry, "text that is not valid UTF-8"
    if len(tags) == 1 and _typed_tag(tags[0]):
        pass  # most entries: one tag, as typed
    elif tags:
        for tag in tags:
            if not (tag.isascii() or _is_utf8(tag)):
                return entry, "text that is not valid UTF-8"
            # The log joins an entry's tags with a control character (\x1f) to read them.
            if _CONTROL.search(tag):
                return entry, f"tag {tag!r} holds a control character"
        kept_tags, problem = _tags_as_typed(tags)
        if problem:
            return entry, problem
        if kept_tags != tags:
            entry = replace(entry, emotions=tuple(dict.fromkeys(emotions)), tags=kept_tags)
            emotions = ()  # each once already
    # an emotion named twice is kept once (most entries name one or two, each once)
    if len(emotions) > 1 and (emotions[0] == emotions[1] if len(emotions) == 2
                              else len(set(emotions)) < len(emotions)):
        entry = replace(entry, emotions=tuple(dict.fromkeys(emotions)))
    return entry, None


_HELD = {"distance_m": "a distance", "duration_s": "a time", "mood_before": "a mood before"}


def _beyond_kind(entry: Entry) -> str:
    """Why a rest day or check-in holding what only activities hold can't be stored (the
    rule of `model.held_beyond_kind`, which `runlog edit` keeps too)."""
    from ..model import held_beyond_kind

    held = [_HELD[name] for name in held_beyond_kind(entry)]
    what = "a rest day" if entry.kind == "rest" else "a check-in"
    shown = ", ".join(held[:-1]) + " and " + held[-1] if len(held) > 1 else held[0]
    return f"{what} can't have {shown}" + (
        " (its mood goes in mood_after)" if entry.mood_before is not None else "")


def _tags_as_typed(tags: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """The tags as `parse.parse_tags` makes typed ones (trimmed, lower case, a hyphen for
    inner spaces, split at commas, each once, blank ones dropped), or why they can't be
    (one too long). Tags already so (most) are checked without being rebuilt."""
    for tag in tags:
        if (not tag or "," in tag or len(tag) > MAX_TAG_LENGTH
                or "-".join(tag.lower().split()) != tag):
            break
    else:
        if len(tags) == 1 or len(set(tags)) == len(tags):
            return tags, None
    from ..parse import parse_tags

    try:
        return parse_tags([tag for tag in tags if tag.strip()]), None
    except InputError as error:
        return tags, error.message


def _typed_tag(tag: str) -> bool:
    """Whether a tag is one `_tags_as_typed` and the control-character check keep as it is,
    in one quick look for ASCII tags: printable (no control character, and no white space
    but spaces), no space or comma, lower case, not empty nor too long."""
    return (tag.isascii() and tag.isprintable() and " " not in tag and "," not in tag
            and 0 < len(tag) <= MAX_TAG_LENGTH and (tag.islower() or tag.lower() == tag))


class _Rules:
    """What `prepare` checks records against: the emotion vocabulary (growing by the
    custom emotions a file brings along), and the dates a file may hold, as typed ones:
    from 1900 up to today, a moment up to AHEAD_S seconds past now."""

    def __init__(self, vocabulary, now: datetime):
        from datetime import timedelta

        self.vocabulary = dict(vocabulary)
        self._spellings: dict[str, str] | None = None
        self.today = now.date().isoformat()
        # A moment's day as written may lag the local one (an offset of -12:00): those
        # from two days before today on are looked at more closely.
        self.recent = (now.date() - timedelta(days=2)).isoformat()
        self.latest_ts = now.timestamp() + AHEAD_S

    def date_problem(self, date: str) -> str | None:
        """Why `date` (10 or 25 characters) is out of range or no date, or None."""
        if date < OLDEST_DATE:
            return f"date {date!r} is before 1900"
        if len(date) == 10:
            if date > self.today:
                return f"date {date!r} is in the future"
            try:
                _date.fromisoformat(date)
            except ValueError:
                return f"date {date!r} is not a real day"
        elif date[:10] >= self.recent:
            try:
                ahead = datetime.fromisoformat(date).timestamp() > self.latest_ts
            except (ValueError, OverflowError):
                return f"date {date!r} is not a real moment"
            if ahead:
                return f"date {date!r} is in the future"
        return None

    def emotions(self, emotions: tuple[str, ...], unknown: list[str], record,
                 chunk: Prepared) -> tuple[tuple[str, ...], str | None]:
        """`emotions` with those the vocabulary lacks (`unknown`) named as typing would
        name them, or added as custom emotions with the valence the record gives them;
        else why not."""
        from ..vocab import (
            ADJECTIVES, EMOTION_NAME_RULE, VALENCES, emotion_key, emotion_name_problem,
        )

        if self._spellings is None:
            self._spellings = {emotion_key(name): name for name in self.vocabulary}
        spellings = self._spellings
        valences = getattr(record, "valences", None) or {}
        renamed, problems = {}, []
        for name in unknown:
            typed = emotion_key(" ".join(str(name).split()))
            known = spellings.get(typed)
            if known is None and ADJECTIVES.get(typed) in self.vocabulary:
                known = ADJECTIVES[typed]
            if known is not None:
                renamed[name] = known
                continue
            valence = valences.get(name)
            if valence is None:
                problems.append(f"unknown emotion {name!r}")
            elif valence not in VALENCES:
                problems.append(f"emotion {name!r} has no valence runlog knows ({valence!r})")
            elif emotion_name_problem(typed) or typed in ADJECTIVES:
                problems.append(f"unknown emotion {name!r}, not a name `runlog emotions add`"
                                f" takes ({EMOTION_NAME_RULE})")
            else:
                # kept as `runlog emotions add` would keep it (`Café` is café)
                self.vocabulary[typed], spellings[typed] = valence, typed
                chunk.new_emotions[typed] = valence
                if typed != name:
                    renamed[name] = typed
        if problems:
            return emotions, "; ".join(problems)
        return tuple(renamed.get(name, name) for name in emotions), None


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _without_line(message: str) -> str:
    """Readers may already say "line 7: ..."; say it once."""
    head, sep, rest = message.partition(": ")
    return rest if sep and head.startswith("line ") else message


_started = itemgetter(0)


def _near(nearby: list[tuple[float, float | None]], started: float,
          distance_m: float | None) -> bool:
    """Whether one of the live activities `nearby` (start, distance or None; by start) is
    the same activity as one that starts at `started`: it starts within SAME_MOMENT_S
    whatever the distances, or within SAME_START_S when either has no distance or the
    distances are within SAME_DISTANCE of each other."""
    index = bisect_left(nearby, started - SAME_START_S, key=_started)
    while index < len(nearby) and nearby[index][0] <= started + SAME_START_S:
        other_start, other = nearby[index]
        if (abs(other_start - started) <= SAME_MOMENT_S or not other or not distance_m
                or abs(other - distance_m) <= SAME_DISTANCE * max(other, distance_m)):
            return True
        index += 1
    return False
