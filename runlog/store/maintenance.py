"""Looking after the file: facts about it, consistent copies, integrity checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import StorageError
from . import Store
from .db import SCHEMA_VERSION, copy_database, storage_error


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
    """A consistent copy, checked: a copy of a damaged log is no backup, so it is removed."""
    try:
        copy_database(store.conn, destination)
        copy = sqlite3.connect(destination)
        try:
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
    except sqlite3.Error as error:
        destination.unlink(missing_ok=True)
        raise storage_error(store.path, error) from None
    if verdict != "ok":
        destination.unlink(missing_ok=True)
        raise StorageError(f"{store.path} is damaged, so no backup was written ({verdict})",
                           "restore an earlier copy from `runlog db backup`")


def integrity_problems(store: Store) -> list[str]:
    try:
        rows = store.conn.execute("PRAGMA integrity_check").fetchall()
        rows += [(f"foreign key: {r}",) for r in store.conn.execute("PRAGMA foreign_key_check")]
    except sqlite3.Error as error:
        return [str(error)]
    return [problem for row in rows if row[0] != "ok" for problem in row[0].splitlines()]
