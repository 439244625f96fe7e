"""Opening the database file: where it is, its permissions, WAL, the busy timeout, versions.

Kept free of sqlite-utils so that a command on a current database starts fast; the
migrations (which need sqlite-utils) load only when the schema is behind.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from ..errors import StorageError

# How many migrations store/migrations.py holds; a test keeps the two in step.
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0
CORRUPT_HINT = "run `runlog db check`, or restore a copy from `runlog db backup`"

# sqlite3 looks for an adapter for every bound value that is not an int, float, str or
# bytes, and for None each miss raises and clears an exception inside: 0.36 µs, and a
# million-row import binds some eight million Nones. With None's own adapter (`{}.get`
# returns None, so it is still bound as NULL) the lookup is one dict hit.
sqlite3.register_adapter(type(None), {}.get)


def storage_error(path: Path, error: sqlite3.Error) -> StorageError:
    text = str(error)
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or (name.startswith("SQLITE_IOERR") and _nearly_full(path)):
        return StorageError(f"the disk holding {path} is full", "free some space and try again")
    if "not a database" in text or "malformed" in text:
        return StorageError(f"{path} is damaged or not a runlog database ({text})", CORRUPT_HINT)
    if "locked" in text or "busy" in text:
        return StorageError(f"{path} is locked by another program ({text})", "try again in a moment")
    if "full" in text:
        return StorageError(f"the disk holding {path} is full", "free some space and try again")
    if "readonly" in text or "unable to open" in text:
        return StorageError(f"can't write {path} ({text})", "check the file's permissions")
    return StorageError(f"database error in {path}: {text}")


def _nearly_full(path: Path) -> bool:
    """SQLite reports a full disk as an I/O error when it can't grow the -shm file."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


def create_private_file(path: Path) -> None:
    """Create an empty file readable only by its owner, in a folder only its owner can enter."""
    folder = path.parent
    if not folder.exists():
        try:
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)  # mkdir's mode is filtered through the umask
        except FileExistsError:
            pass  # another runlog made it a moment ago; the file must still be made here
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open `path` ready for use, migrating it first when it is behind.

    A database written by a newer runlog is refused before anything is written to it.
    """
    try:
        if not path.exists():
            if not create:
                raise StorageError(f"no runlog database at {path}", "log a run with `runlog add` first")
            try:
                create_private_file(path)
            except FileExistsError:
                pass  # another runlog created it a moment ago
            except OSError as error:
                raise StorageError(f"can't create {path}: {error.strerror}") from None
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"{path} was written by a newer runlog (schema {version}, "
                    f"this runlog knows {SCHEMA_VERSION})",
                    "upgrade runlog; the file was left untouched",
                )
            conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                _migrate(conn, path)
        except BaseException:
            conn.close()
            raise
        return conn
    except sqlite3.Error as error:
        raise storage_error(path, error) from None


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date. Switching a new file to WAL needs the file to itself,
    and SQLite refuses that at once (without waiting) while another runlog that opened the
    same new file holds it; so a refusal is retried, within the busy timeout."""
    import random
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return _migrate_once(conn, path)
        except sqlite3.OperationalError as error:
            text = str(error)
            if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                raise
            time.sleep(0.01 + random.random() * 0.05)


def _migrate_once(conn: sqlite3.Connection, path: Path) -> None:
    from sqlite_utils import Database

    from . import migrations

    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        # SQLite answers with the mode it kept when it could not switch.
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
            raise sqlite3.OperationalError("database is locked (switching to WAL)")
    # BEGIN IMMEDIATE takes the write lock, so of many runlogs opening a new file at
    # once exactly one migrates; the others wait, then find the work done.
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            if version > 0:
                backup_before_migration(conn, path, version)
            migrations.apply(Database(conn))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    destination = path.with_name(f"{path.name}.schema{version}.bak")
    n = 1
    while destination.exists():
        n += 1
        destination = path.with_name(f"{path.name}.schema{version}.{n}.bak")
    # `conn` holds the write lock here, and SQLite's backup refuses (SQLITE_LOCKED, which
    # Python retries forever) to copy from a connection in a write transaction. A second
    # connection reads the committed file, which the lock keeps still while it copies.
    reader = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    try:
        copy_database(reader, destination)
    finally:
        reader.close()
    return destination


def copy_database(conn: sqlite3.Connection, destination: Path) -> None:
    """A consistent copy, even while other runlogs write (SQLite's online backup)."""
    create_private_file(destination)
    target = sqlite3.connect(destination)
    try:
        conn.backup(target)
    finally:
        target.close()


@contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path):
    """All of one command's writes, or none of them."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise storage_error(path, error) from None


def remove_database(path: Path, *, folder: bool) -> None:
    """Delete a database this command created and did not write to, with its WAL files,
    and its folder too when `folder` says this command made it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if folder:
        try:
            path.parent.rmdir()
        except OSError:
            pass  # something else is in it now


LOG_SUFFIXES = ("", "-wal", "-shm", "-journal")


def is_part_of_log(target: Path, log: Path) -> bool:
    """Whether writing `target` would write over the log or one of its -wal/-shm/-journal
    files: the same path once resolved (symlinks, `..`), or the same file by inode."""
    import os

    try:
        resolved = Path(os.path.realpath(target))
    except (OSError, ValueError):
        return False
    for suffix in LOG_SUFFIXES:
        part = Path(f"{log}{suffix}")
        try:
            if resolved == Path(os.path.realpath(part)):
                return True
            if target.exists() and part.exists() and os.path.samefile(target, part):
                return True
        except (OSError, ValueError):
            continue
    return False


def refuse_if_part_of_log(target: Path, log: Path, what: str) -> None:
    """An InputError when `target` (an export or backup destination) is the log itself."""
    if is_part_of_log(target, log):
        from ..errors import InputError

        raise InputError(f"{what} {target} is the runlog database itself",
                         "choose another file; the log was left untouched")
