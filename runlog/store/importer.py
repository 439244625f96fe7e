"""Writing imported records: one transaction per file, duplicates skipped, all or nothing.

An activity is already in the log when it has the same uuid, or when a live activity starts
within 60 s of it with a distance within 2 % (the same run from another app or format).
Rows go in by the chunk with executemany, so a million-row file imports in seconds.
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Entry
from . import INSERT_ENTRY, Store, entry_values, start_ts, utc_now_text
from .db import storage_error

SAME_START_S = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SAME_DISTANCE = 0.02
CHUNK = 2000
SHOWN_PROBLEMS = 5


@dataclass
class ImportResult:
    added: int = 0
    duplicates: int = 0
    other_sports: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    other_sport_names: dict[str, int] = field(default_factory=dict)
    first_new_id: int = 0


class _Rejected(Exception):
    pass


def import_records(store: Store, records: Iterable, *, dry_run: bool = False,
                   progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import one file's records. Any bad record rejects the whole file (InputError, exit
    2) and nothing of it is written; `dry_run` counts without writing."""
    from ..interchange import Bad, Row, Skipped

    result = ImportResult()
    vocabulary = store.vocabulary()
    # Inserting into the uuid index lands at random pages; SQLite's default 2 MB page cache
    # makes a large import re-read them from disk. 64 MB keeps them in memory.
    store.conn.execute("PRAGMA cache_size = -65536")
    try:
        with store.transaction():
            next_id = store.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM entries").fetchone()[0]
            # Duplicates by start and distance are of activities already in the log: two
            # runs at the same minute in one file are both kept, as `add` would keep them.
            result.first_new_id = next_id
            created = utc_now_text()
            chunk: list[tuple[int, Entry]] = []
            for record in records:
                if isinstance(record, Bad):
                    result.rejected.append((record.line, record.message))
                elif isinstance(record, Skipped):
                    result.other_sports += 1
                    result.other_sport_names[record.reason] = (
                        result.other_sport_names.get(record.reason, 0) + 1)
                elif isinstance(record, Row):
                    entry, problem = _storable(record.entry, vocabulary)
                    if problem:
                        result.rejected.append((record.line, problem))
                    elif not result.rejected:
                        chunk.append((record.line, entry))
                    if len(chunk) >= CHUNK:
                        next_id = _write_chunk(store, chunk, next_id, created, result)
                        chunk = []
                        if progress:
                            progress(CHUNK)
            if chunk and not result.rejected:
                _write_chunk(store, chunk, next_id, created, result)
                if progress:
                    progress(len(chunk))
            if result.rejected or dry_run:
                raise _Rejected
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


def _write_chunk(store: Store, chunk, next_id: int, created: str, result: ImportResult) -> int:
    """Write one chunk; returns the next free id."""
    conn = store.conn
    try:
        candidates = _not_already_logged(conn, chunk, result)
        # Most chunks hold no uuid the log knows: insert them all and let the uuid index
        # say whether that was true. Only when it was not, go back and sort them out.
        conn.execute("SAVEPOINT chunk")
        rows = _rows(candidates, next_id, created)
        inserted = conn.executemany(INSERT_ENTRY + " ON CONFLICT (uuid) DO NOTHING", rows)
        if inserted.rowcount != len(rows):
            conn.execute("ROLLBACK TO chunk")
            candidates = _new_uuids(conn, candidates, result)
            rows = _rows(candidates, next_id, created)
            conn.executemany(INSERT_ENTRY, rows)
        conn.execute("RELEASE chunk")
        emotions, tags = [], []
        for entry_id, (entry, _) in enumerate(candidates, start=next_id):
            emotions.extend((entry_id, name, n) for n, name in enumerate(entry.emotions))
            tags.extend((entry_id, tag, n) for n, tag in enumerate(entry.tags))
        conn.executemany(
            "INSERT INTO entry_emotions (entry_id, emotion, position) VALUES (?, ?, ?)", emotions)
        conn.executemany("INSERT INTO tags (entry_id, tag, position) VALUES (?, ?, ?)", tags)
        result.added += len(rows)
        return next_id + len(rows)
    except sqlite3.IntegrityError as error:
        raise InputError(f"a record breaks the log's rules ({error}); nothing imported "
                         "from this file") from None
    except sqlite3.Error as error:
        raise storage_error(store.path, error) from None


def _not_already_logged(conn, chunk, result: ImportResult) -> list[tuple[Entry, float | None]]:
    """(entry, start) for each entry that is not the same run as one logged before the import
    began (start within 60 s, distance within 2 %)."""
    candidates = [(entry, start_ts(entry.date)) for _, entry in chunk]
    if result.first_new_id == 1:
        return candidates  # the log was empty
    timed = [started for _, started in candidates if started is not None]
    if not timed:
        return candidates
    nearby = sorted(conn.execute(
        "SELECT start_ts, distance_m FROM entries WHERE deleted_at IS NULL"
        " AND start_ts BETWEEN ? AND ? AND distance_m IS NOT NULL AND id < ?",
        (min(timed) - SAME_START_S, max(timed) + SAME_START_S, result.first_new_id)).fetchall())
    kept = []
    for entry, started in candidates:
        if started is not None and entry.distance_m and _near(nearby, started, entry.distance_m):
            result.duplicates += 1
        else:
            kept.append((entry, started))
    return kept


def _new_uuids(conn, candidates, result: ImportResult):
    """Drop entries whose uuid is in the log already, or earlier in this chunk."""
    uuids = [entry.uuid for entry, _ in candidates]
    known = set()
    for start in range(0, len(uuids), 500):
        part = uuids[start:start + 500]
        known.update(row[0] for row in conn.execute(
            f"SELECT uuid FROM entries WHERE uuid IN ({','.join('?' * len(part))})", part))
    kept = []
    for entry, started in candidates:
        if entry.uuid in known:
            result.duplicates += 1
        else:
            known.add(entry.uuid)
            kept.append((entry, started))
    return kept


def _rows(candidates, first_id: int, created: str) -> list[tuple]:
    return [entry_values(entry, entry_id, created, started)
            for entry_id, (entry, started) in enumerate(candidates, start=first_id)]


def _storable(entry: Entry, vocabulary) -> tuple[Entry, str | None]:
    """The entry as the log can hold it, or why it can't: whatever a reader let through,
    the table's rules are checked here, so a bad record is reported with its line."""
    from dataclasses import replace

    unknown = [name for name in entry.emotions if name not in vocabulary]
    if unknown:
        return entry, "unknown emotion " + ", ".join(repr(name) for name in unknown)
    if entry.is_activity and entry.distance_m is None and entry.duration_s is None:
        return entry, f"a {entry.kind} needs a distance or a time"
    if len(entry.date) not in (10, 25):
        return entry, f"date {entry.date!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"
    for text in (entry.uuid, entry.note, entry.intention, entry.where, *entry.tags):
        if text is not None and not _is_utf8(text):
            return entry, "text that is not valid UTF-8"
    for tag in entry.tags:
        # The log joins an entry's tags with a control character (\x1f) when it reads them.
        if _CONTROL.search(tag):
            return entry, f"tag {tag!r} holds a control character"
    emotions = tuple(dict.fromkeys(entry.emotions))
    tags = tuple(dict.fromkeys(tag for tag in entry.tags if tag.strip()))
    if emotions != entry.emotions or tags != entry.tags:
        entry = replace(entry, emotions=emotions, tags=tags)
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
