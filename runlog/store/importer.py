"""Writing imported records: one transaction per file, duplicates skipped, all or nothing.

An activity is already in the log when it has the same uuid, or when a live activity starts
within 60 s of it with a distance within 2 % (the same run from another app or format).

Importing has two halves: `prepare` turns a reader's records into chunks of rows ready to
insert (checked against the table's rules), and `import_chunks` writes them. A large file's
chunks are prepared in a second process (`import_worker`) while this one writes, so a
million-row import keeps both halves busy on two cores.
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from ..errors import InputError
from ..model import ACTIVITY_KINDS, Entry
from . import (
    INSERT_COLUMNS, INSERT_ENTRY, OFTEN_EMPTY, Store, entry_head, entry_last, utc_now_text,
)
from .db import storage_error

SAME_START_S = 60
SAME_DISTANCE = 0.02
CHUNK = 2000
SHOWN_PROBLEMS = 5
# Files this big or bigger are prepared in a second process (about 75,000 rows of runlog
# CSV); for smaller ones starting that process would cost more than it saves.
PARALLEL_FROM_BYTES = 8 << 20

_ACTIVITY = frozenset(ACTIVITY_KINDS)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# where a prepared row has these (ahead of the columns it may leave out)
_DISTANCE = INSERT_COLUMNS.index("distance_m")
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


@dataclass
class Prepared:
    """Up to CHUNK records of a file, ready to write.

    `rows` holds INSERT_ENTRY's values; the first, the id, is the row's index in the chunk
    (its id is where the chunk's ids start plus that, so ids follow the file; rows skipped
    as duplicates leave gaps, which the writer closes). They are
    grouped by how many of the last columns are None and left out: SQLite writes NULL for
    those, rather than binding each None (a tenth of a large import's time). `emotions` and
    `tags` have (index, name, position). Once a file has a bad record, its later rows are
    not prepared."""

    records: int = 0
    count: int = 0
    rows: dict[int, list[tuple]] = field(default_factory=dict)
    emotions: list[tuple[int, str, int]] = field(default_factory=list)
    tags: list[tuple[int, str, int]] = field(default_factory=list)
    other_sports: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


class _Rejected(Exception):
    pass


def prepare(records: Iterable, vocabulary, created: str) -> Iterator[Prepared]:
    """A reader's records as chunks of rows to insert; needs no database."""
    from ..interchange import Row, Skipped

    chunk, refused = Prepared(), False
    for record in records:
        chunk.records += 1
        if isinstance(record, Row):
            entry, problem = _storable(record.entry, vocabulary)
            if problem:
                chunk.rejected.append((record.line, problem))
                refused = True
            elif not refused:
                index = chunk.count
                chunk.count += 1
                values, last = entry_head(entry, index, created), entry_last(entry)
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
                if entry.emotions:
                    chunk.emotions.extend(
                        (index, name, n) for n, name in enumerate(entry.emotions))
                if entry.tags:
                    chunk.tags.extend((index, tag, n) for n, tag in enumerate(entry.tags))
        elif isinstance(record, Skipped):
            chunk.other_sports.append(record.reason)
        else:
            chunk.rejected.append((record.line, record.message))
            refused = True
        if chunk.records == CHUNK:
            yield chunk
            chunk = Prepared()
    if chunk.records:
        yield chunk


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
    import os

    if os.path.getsize(path) < PARALLEL_FROM_BYTES:
        return import_records(store, records, dry_run=dry_run, progress=progress)
    from itertools import chain

    from .import_worker import Unavailable, prepared_elsewhere

    getattr(records, "close", lambda: None)()
    chunks = prepared_elsewhere(path, fmt, mood_map=mood_map, units=units,
                                vocabulary=store.vocabulary(), created=utc_now_text())
    try:
        first = next(chunks, None)
    except Unavailable:
        # No second process here (a frozen runlog, say): read the file in this one.
        from .. import interchange

        records = interchange.read(path, fmt, mood_map=mood_map, units=units)
        return import_records(store, records, dry_run=dry_run, progress=progress)
    try:
        return import_chunks(store, chain([first] if first else [], chunks),
                             dry_run=dry_run, progress=progress)
    finally:
        chunks.close()  # stops the second process if writing ended early


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
        shown = "; ".join(f"line {line}: {_without_line(message)}" if line else message
                          for line, message in result.rejected[:SHOWN_PROBLEMS])
        more = len(result.rejected) - SHOWN_PROBLEMS
        raise InputError(
            f"{len(result.rejected)} bad record{'s' if len(result.rejected) != 1 else ''}, "
            f"nothing imported from this file: {shown}" + (f" (and {more} more)" if more > 0 else ""))
    return result


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
    """The indexes of the chunk's rows that are the same run as one logged before the
    import began (start within 60 s, distance within 2 %)."""
    timed = [(row[0], row[_START], row[_DISTANCE]) for group in chunk.rows.values()
             for row in group if row[_START] is not None and row[_DISTANCE]]
    if not timed:
        return set()
    nearby = sorted(conn.execute(
        "SELECT start_ts, distance_m FROM entries WHERE deleted_at IS NULL"
        " AND start_ts BETWEEN ? AND ? AND distance_m IS NOT NULL AND id < ?",
        (min(start for _, start, _ in timed) - SAME_START_S,
         max(start for _, start, _ in timed) + SAME_START_S, result.first_new_id)).fetchall())
    if not nearby:
        return set()
    return {index for index, start, distance_m in timed if _near(nearby, start, distance_m)}


def _storable(entry: Entry, vocabulary) -> tuple[Entry, str | None]:
    """The entry as the log can hold it, or why it can't: whatever a reader let through,
    the table's rules are checked here, so a bad record is reported with its line."""
    emotions, tags, date = entry.emotions, entry.tags, entry.date
    if emotions:
        unknown = [name for name in emotions if name not in vocabulary]
        if unknown:
            return entry, "unknown emotion " + ", ".join(repr(name) for name in unknown)
    if entry.distance_m is None and entry.duration_s is None and entry.kind in _ACTIVITY:
        return entry, f"a {entry.kind} needs a distance or a time"
    if len(date) != 10 and len(date) != 25:
        return entry, f"date {date!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"
    note, intention, where = entry.note, entry.intention, entry.where
    # isascii() is the quick yes; only a lone surrogate (from a reader that let one
    # through) fails to encode
    if not (entry.uuid.isascii() and (note is None or note.isascii())
            and (intention is None or intention.isascii())
            and (where is None or where.isascii())):
        for text in (entry.uuid, note, intention, where):
            if text is not None and not _is_utf8(text):
                return entry, "text that is not valid UTF-8"
    if tags:
        for tag in tags:
            if not _is_utf8(tag):
                return entry, "text that is not valid UTF-8"
            # The log joins an entry's tags with a control character (\x1f) to read them.
            if _CONTROL.search(tag):
                return entry, f"tag {tag!r} holds a control character"
        kept_tags = tuple(dict.fromkeys(tag for tag in tags if tag.strip()))
        kept_emotions = tuple(dict.fromkeys(emotions))
        if kept_emotions != emotions or kept_tags != tags:
            entry = replace(entry, emotions=kept_emotions, tags=kept_tags)
    elif len(emotions) > 1:
        kept_emotions = tuple(dict.fromkeys(emotions))
        if kept_emotions != emotions:
            entry = replace(entry, emotions=kept_emotions)
    return entry, None


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


def _near(nearby: list[tuple[float, float]], started: float, distance_m: float) -> bool:
    """Whether a live activity starts within 60 s with a distance within 2 %."""
    index = bisect_left(nearby, (started - SAME_START_S, float("-inf")))
    while index < len(nearby) and nearby[index][0] <= started + SAME_START_S:
        other = nearby[index][1]
        if abs(other - distance_m) <= SAME_DISTANCE * max(other, distance_m):
            return True
        index += 1
    return False
