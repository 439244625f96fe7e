"""Opening the database file: where it is, its permissions, WAL, the busy timeout, versions.

Kept free of sqlite-utils so that a command on a current database starts fast; the
migrations (which need sqlite-utils) load only when the schema is behind.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import contextmanager
from pathlib import Path

from ..errors import StorageError

# How many migrations store/migrations.py holds; a test keeps the two in step.
SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 30.0
CORRUPT_HINT = "run `runlog db check`, or restore a copy from `runlog db backup`"
# In the header of every log runlog writes ("RNLG"), so that a log is known by 4 bytes
# and another program's SQLite file is never taken for one.
APPLICATION_ID = 0x524E4C47
RUNLOG_TABLES = frozenset({"entries", "emotions", "entry_emotions", "tags", "checkins"})
_SQLITE_MAGIC = b"SQLite format 3\x00"
# A log's own file and the files SQLite keeps beside it.
LOG_SUFFIXES = ("", "-wal", "-shm", "-journal")
_URI_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/:")

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
        return StorageError(f"can't write {path} ({text})",
                            "check the permissions of the file and of its folder")
    return StorageError(f"database error in {path}: {text}")


def _nearly_full(path: Path) -> bool:
    """SQLite reports a full disk as an I/O error when it can't grow the -shm file."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


def make_private_folders(folder: Path) -> list[Path]:
    """Create `folder` and every missing folder above it, each one only its owner can
    enter, whatever the umask (`mkdir -p` would give the parents the umask's mode).
    Returns the folders this call made, outermost first."""
    missing, made = [], []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=0o700)
        except FileExistsError:
            continue  # another runlog made it a moment ago
        made.append(created)
        os.chmod(created, 0o700)  # mkdir's mode is filtered through the umask
    return made


def create_private_file(path: Path) -> list[Path]:
    """Create an empty file readable only by its owner, in a folder only its owner can
    enter; never through a symbolic link, never over a file that is there. Returns the
    folders made for it (outermost first)."""
    made = make_private_folders(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
    except OSError:
        _remove_folders(made)
        raise
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return made


def _remove_folders(made: list[Path]) -> None:
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return  # something else is in it now


# The longest file name most file systems take; SQLite adds "-journal" to the log's.
_NAME_MAX = 255


def check_log_name(path: Path, what: str = "a log") -> None:
    """An InputError for a log (or backup) name too long for SQLite to name its
    -wal/-journal files beside it, before anything is created."""
    longest = len(os.fsencode(path.name)) + len("-journal")
    try:
        name_max = os.pathconf(path.parent, "PC_NAME_MAX") if path.parent.is_dir() else _NAME_MAX
    except (OSError, ValueError):
        name_max = _NAME_MAX
    if longest > name_max:
        from ..errors import InputError

        raise InputError(f"the file name {path.name[:40]}... is too long for {what} "
                         f"({len(os.fsencode(path.name))} bytes; at most "
                         f"{name_max - len('-journal')})", "choose a shorter name")


def sqlite_uri(path: Path, **query: str) -> str:
    """The URI of exactly this file. This SQLite (like Debian's) reads any name starting
    `file:` as a URI, so `--db file:x.db?mode=memory` would land elsewhere: every file is
    opened by a URI runlog builds from its absolute path, percent-quoted."""
    text = os.path.abspath(path)
    if os.name == "nt":
        text = "/" + text.replace("\\", "/")
    quoted = "".join(chr(byte) if byte in _URI_SAFE else f"%{byte:02X}"
                     for byte in os.fsencode(text))
    return f"file://{quoted}" + ("?" + "&".join(f"{k}={v}" for k, v in query.items())
                                 if query else "")


class Connection(sqlite3.Connection):
    """A connection to a log. `unstamped`: a runlog log from before application ids,
    stamped with one at its next write. `private_copy`: the private folder holding the
    copy this connection reads (see `open_sqlite`), removed when it is closed."""

    unstamped = False
    private_copy: str | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.private_copy is not None:
                import shutil

                shutil.rmtree(self.private_copy, ignore_errors=True)
                self.private_copy = None


def open_sqlite(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection to the file at `path` (which must exist: SQLite never creates it).
    Read-only, SQLite needs to create a -shm file beside a WAL log, which a read-only
    folder forbids; with no -wal there is nothing but the file to read, so it is opened
    as immutable, which creates nothing. A -wal with no -shm (after a crash, a copied
    folder, another program's file being looked at) holds committed data that immutable
    would not see, and SQLite would make the -shm: the file and its -wal are copied into a
    private temporary folder and that copy is read (removed when the connection closes)."""
    query = {"mode": "ro"} if read_only else {"mode": "rw"}
    if read_only:
        if not os.path.exists(f"{path}-wal"):
            query["immutable"] = "1"
        elif not os.path.exists(f"{path}-shm"):  # SQLite would make one, even to read
            return _open_private_copy(path)
    return sqlite3.connect(sqlite_uri(path, **query), uri=True, timeout=BUSY_TIMEOUT_S,
                           isolation_level=None, factory=Connection)


def _open_private_copy(path: Path) -> sqlite3.Connection:
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="runlog-read-")  # 0700
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # whatever way this ends
    try:
        copy = Path(folder) / "log.db"
        for suffix in ("", "-wal"):
            source = f"{path}{suffix}"
            # a copy readable by its owner only, whatever the umask
            fd = os.open(f"{copy}{suffix}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as out, open(source, "rb") as given:
                shutil.copyfileobj(given, out, 1 << 20)
        conn = sqlite3.connect(sqlite_uri(copy, mode="ro"), uri=True, timeout=BUSY_TIMEOUT_S,
                               isolation_level=None, factory=Connection)
    except BaseException as error:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(error, OSError):
            raise StorageError(f"can't read {path}: {error.strerror}",
                               "it has a -wal file but no -shm in a folder runlog may not "
                               "write, so it is read from a copy; free space in the "
                               "temporary folder") from None
        raise
    conn.private_copy = folder
    return conn


class LogFile:
    """What the first 100 bytes of a file say, read before SQLite ever opens it."""

    __slots__ = ("size", "read_only", "head")

    def __init__(self, size: int, read_only: bool, head: bytes):
        self.size, self.read_only, self.head = size, read_only, head

    @property
    def user_version(self) -> int:
        return int.from_bytes(self.head[60:64], "big", signed=True)

    @property
    def application_id(self) -> int:
        return int.from_bytes(self.head[68:72], "big", signed=True)


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def look_at(path: Path) -> LogFile | None:
    """The file at `path` seen from outside (None when there is none). Opened and closed
    before any connection to it is: closing a descriptor drops the process's locks on the
    file, so this is never called while this process has the log open."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise StorageError(f"{path} is a symbolic link to a file that does not exist",
                               "point --db or RUNLOG_DB at the log itself") from None
        return None
    except OSError as error:
        raise StorageError(f"can't open {path}: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
        raise StorageError(f"{path} is {kind}, not a runlog database",
                           "point --db or RUNLOG_DB at a log file; it was left untouched")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            head = os.read(fd, 100)
        finally:
            os.close(fd)
    except OSError as error:
        raise StorageError(f"can't read {path}: {error.strerror}",
                           "check the permissions of the file and of its folder") from None
    # SQLite writes a WAL log's -wal and -shm beside it, so its folder must be writable too.
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)
    return LogFile(info.st_size, not writable, head)


def not_runlog(path: Path, why: str, hint: str = CORRUPT_HINT) -> StorageError:
    return StorageError(f"{path} is damaged or not a runlog database ({why})", hint)


def _foreign(path: Path, why: str) -> StorageError:
    return StorageError(f"{path} is not a runlog database ({why}); it was left untouched",
                        "point --db or RUNLOG_DB at your runlog log, or at a new file")


def _newer(path: Path, version: int) -> StorageError:
    return StorageError(f"{path} was written by a newer runlog (schema {version}, "
                        f"this runlog knows {SCHEMA_VERSION})",
                        "upgrade runlog; the file was left untouched")


# What check_is_runlog found.
LOG, UNSTAMPED_LOG, EMPTY = "log", "unstamped log", "empty"


def check_is_runlog(path: Path, found: LogFile) -> str:
    """Refuse, before SQLite writes anything to it (WAL, tables), a file that is neither
    empty nor a runlog log: another program's database stays byte for byte as it was.
    Returns LOG, EMPTY (a file to make a log of), or UNSTAMPED_LOG (a log written before
    runlog stamped its application id)."""
    if found.size == 0:
        return EMPTY
    if len(found.head) < 100 or not found.head.startswith(_SQLITE_MAGIC):
        raise not_runlog(path, "not an SQLite database")
    if found.application_id == APPLICATION_ID:
        if found.user_version > SCHEMA_VERSION:
            raise _newer(path, found.user_version)
        return LOG
    if found.application_id != 0:
        raise _foreign(path, f"it belongs to another program, application id "
                             f"{found.application_id:#x}")
    # No id: an empty SQLite database, a log from before ids, or another program's file.
    # The header on disk may be older than its -wal's copy, so SQLite itself reads it.
    version, application_id, tables, objects = _schema_facts(path)
    if application_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise _newer(path, version)
        return LOG
    if application_id != 0:
        raise _foreign(path, f"it belongs to another program, application id "
                             f"{application_id:#x}")
    if version == 0 and not objects:
        return EMPTY
    if version > 0 and RUNLOG_TABLES <= tables:
        if version > SCHEMA_VERSION:
            raise _newer(path, version)
        return UNSTAMPED_LOG
    raise _foreign(path, "it holds another program's tables" if tables
                   else "it holds another program's views or triggers")


def _make_private(path: Path) -> None:
    """A file just adopted as a log, and its -wal and -shm, become owner-only, if they
    are this user's to change. Done only once it is a log: a file that is refused keeps
    its mode."""
    for suffix in LOG_SUFFIXES:
        try:
            os.chmod(f"{path}{suffix}", 0o600)
        except OSError:
            pass


def _schema_facts(path: Path) -> tuple[int, int, frozenset, int]:
    """(user_version, application_id, table names, how many schema objects of any kind),
    read without writing anything."""
    try:
        conn = open_sqlite(path, read_only=True)
        try:
            # One read transaction, one snapshot: read one by one, a runlog creating the
            # file could commit between the version (still 0) and its tables, and a new
            # log would look like another program's.
            conn.execute("BEGIN")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = frozenset(name for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))
            objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            conn.execute("COMMIT")
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise storage_error(path, error) from None
    return version, application_id, tables, objects


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open `path` ready for use, migrating it first when it is behind.

    Only an empty file or a runlog log is opened; anything else, and a log written by a
    newer runlog, is refused before anything is written to it. A log that can't be
    written (read-only file or folder) is opened read-only: reading works, a write fails.
    """
    created: list[Path] | None = None  # the folders made for a file this process created
    try:
        found = look_at(path)
        if found is None:
            if not create:
                raise StorageError(f"no runlog database at {path}", "log a run with `runlog add` first")
            check_log_name(path)
            try:
                created = create_private_file(path)
            except FileExistsError:
                pass  # another runlog created it a moment ago (or a dangling link: below)
            except OSError as error:
                raise StorageError(f"can't create {path}: {error.strerror}") from None
            found = look_at(path)
            if found is None:
                raise StorageError(f"can't create {path}: it vanished as it was made")
        # A log reached through a link keeps its -wal and -shm beside the file the link
        # leads to: everything below looks there, as SQLite does.
        real = Path(os.path.realpath(path))
        if real != Path(os.path.abspath(path)):
            path, found = real, look_at(real) or found
        kind = check_is_runlog(path, found)
        conn = open_sqlite(path, read_only=found.read_only)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _newer(path, version)
            conn.execute("PRAGMA foreign_keys = ON")
            # What is deleted is overwritten, not left in free space (upstream's default
            # is off): an edited note or a purged entry leaves no trace in the file.
            conn.execute("PRAGMA secure_delete = ON")
            if version < SCHEMA_VERSION:
                _migrate(conn, path)
            conn.unstamped = kind == UNSTAMPED_LOG and not found.read_only
        except BaseException:
            conn.close()
            raise
        if kind == EMPTY and not found.read_only:
            _make_private(path)  # adopted as a log only now
        return conn
    except sqlite3.Error as error:
        _forget_created(path, created)
        raise storage_error(path, error) from None
    except BaseException:
        _forget_created(path, created)
        raise


def _forget_created(path: Path, created: list[Path] | None) -> None:
    """When making a new log failed, remove the file this process created (and the folders
    it made for it), so that no empty file is left for a later run to adopt; not when
    another runlog has started writing to it meanwhile."""
    if created is None:
        return
    try:
        if os.path.getsize(path) != 0 or os.path.getsize(f"{path}-wal") != 0:
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    remove_database(path)
    _remove_folders(created)


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

    # One statement, one snapshot (see _schema_facts): the version and the tables together.
    if conn.execute("SELECT (SELECT user_version FROM pragma_user_version) = 0"
                    " AND (SELECT count(*) FROM sqlite_master) > 0").fetchone()[0]:
        # Seen from outside it looked empty; SQLite, reading its -wal too, finds tables.
        raise _foreign(path, "it holds another program's tables")
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
    while os.path.lexists(destination):  # a link there, even to nothing, is never followed
        n += 1
        destination = path.with_name(f"{path.name}.schema{version}.{n}.bak")
    # `conn` holds the write lock here, and SQLite's backup refuses (SQLITE_LOCKED, which
    # Python retries forever) to copy from a connection in a write transaction. A second
    # connection reads the committed file, which the lock keeps still while it copies.
    reader = open_sqlite(path)
    try:
        copy_database(reader, destination)
    finally:
        reader.close()
    return destination


def copy_database(conn: sqlite3.Connection, destination: Path, *, created: bool = False) -> None:
    """A consistent copy, even while other runlogs write (SQLite's online backup), in a
    new owner-only file (made here, unless `created` says the caller just made it)."""
    if not created:
        create_private_file(destination)
    target = open_sqlite(destination)
    try:
        conn.backup(target)
    finally:
        target.close()


# Whether this process has saved a change to a log. A command stopped after that (Ctrl-C,
# SIGTERM while it prints or tidies up) must not say that nothing was changed.
changes_saved = False


def commit(conn: sqlite3.Connection) -> None:
    """COMMIT, and remember that a change was saved. The mark is made first: a signal's
    exception is raised between two steps of Python, and once COMMIT has returned the
    change is saved even if the next step never runs."""
    global changes_saved
    was, changes_saved = changes_saved, True
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # not committed
            changes_saved = was
        raise


def link_as_log(staging: Path, log: Path) -> None:
    """os.link(staging, log): a whole new log put in place, marked as a saved change like a
    COMMIT (FileExistsError when another runlog made the log first)."""
    global changes_saved
    was, changes_saved = changes_saved, True
    try:
        os.link(staging, log)
    except BaseException:
        try:
            linked = os.path.samefile(staging, log)
        except OSError:
            linked = False
        if not linked:
            changes_saved = was
        raise


@contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path):
    """All of one command's writes, or none of them. A log from before application ids
    gets runlog's with them."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if getattr(conn, "unstamped", False):
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        commit(conn)
        if getattr(conn, "unstamped", False):
            conn.unstamped = False
    except sqlite3.Error as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise storage_error(path, error) from None


OPEN_ELSEWHERE = ("another program has the log open, so the deleted text may stay in the "
                  "file until it is closed: run `runlog purge` again then")


def scrub(conn: sqlite3.Connection, path: Path) -> bool:
    """Rewrite the whole file and empty its WAL, after a purge: no copy of what was deleted
    is left in free pages, in a page's unused space (a row's older copy from an edit made
    while secure_delete was off) or in old WAL frames. VACUUM's working copy is kept in
    memory, never in a temporary file.

    False when another connection's read transaction (Datasette, the sqlite3 shell) still
    needs the old pages past the busy timeout: SQLite then answers the checkpoint with a
    busy row rather than an error, and the old text stays until it is closed."""
    import time

    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("VACUUM")
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            # TRUNCATE waits (the busy handler) for readers; busy = 1 if some never left.
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
    except sqlite3.Error as error:
        problem = storage_error(path, error)
        raise StorageError(f"the deleted text may still be in the file's free space: "
                           f"{problem.message}",
                           problem.hint or "run `runlog purge` again later") from None


def remove_database(path: Path) -> None:
    """Delete a database this process alone created, with the files SQLite keeps beside
    it (what can't be removed, such as a name too long once suffixed, was never made)."""
    for suffix in LOG_SUFFIXES:
        try:
            os.unlink(f"{path}{suffix}")
        except OSError:
            pass


def is_part_of_log(target: Path, log: Path) -> bool:
    """Whether writing `target` would write over the log or one of its -wal/-shm/-journal
    files: the same path once resolved (symlinks, `..`), or the same file by inode."""
    try:
        resolved = Path(os.path.realpath(target))
    except (OSError, ValueError):
        return False
    # The log's own name and, when it is reached through a link, the real file's: SQLite
    # keeps the -wal and -shm beside the file the link leads to (real.db-wal), not beside
    # the link.
    try:
        bases = dict.fromkeys((str(log), os.path.realpath(log)))
    except (OSError, ValueError):
        bases = {str(log): None}
    for base in bases:
        for suffix in LOG_SUFFIXES:
            part = Path(f"{base}{suffix}")
            try:
                if resolved == Path(os.path.realpath(part)):
                    return True
                if target.exists() and part.exists() and os.path.samefile(target, part):
                    return True
            except (OSError, ValueError):
                continue
    return _in_the_logs_folder(target, log)


def _in_the_logs_folder(target: Path, log: Path) -> bool:
    """Whether `target` names one of the log's files in the log's own folder reached by
    another name (a bind mount, a second link to the folder), found by the folder's inode."""
    real = os.path.realpath(log)
    names = {os.path.basename(name) + suffix for name in (real, os.path.abspath(log))
             for suffix in LOG_SUFFIXES}
    if os.path.basename(os.path.abspath(target)) not in names:
        return False
    try:
        folder = os.stat(os.path.dirname(os.path.abspath(target)))
        log_folder = os.stat(os.path.dirname(real))
    except (OSError, ValueError):
        return False
    return (folder.st_dev, folder.st_ino) == (log_folder.st_dev, log_folder.st_ino)


def refuse_if_part_of_log(target: Path, log: Path, what: str) -> None:
    """An InputError when `target` (an export or backup destination) is the log itself."""
    if is_part_of_log(target, log):
        from ..errors import InputError

        raise InputError(f"{what} {target} is the runlog database itself",
                         "choose another file; the log was left untouched")
