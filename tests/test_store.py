"""The database file: schema version and migrations, tables any SQLite tool can read, WAL,
foreign keys, CHECK constraints, soft delete, private permissions, and refusing files it
must not touch (a newer runlog's, or not a database at all)."""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from helpers import (
    Clock, assert_refused, db_path, db_state, export_fields, invoke, local, ok, ok_json, sql,
)
from runlog.errors import StorageError
from runlog.store import Store, db, migrations


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr("runlog.clock.now", Clock(local(2026, 11, 21, 18, 0)))


def fresh_store(path: Path | None = None) -> Path:
    """Create a current database with the store itself and close it."""
    path = path or db_path()
    Store.open(path).close()
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- schema version ----------------------------------------------------------------------------


def test_schema_version_is_the_number_of_migrations():
    assert db.SCHEMA_VERSION == len(migrations.migrations._migrations)
    names = [m.name for m in migrations.migrations._migrations]
    assert names == sorted(names) and all(name[:1] == "m" for name in names)


def test_a_new_database_is_at_the_current_version_with_every_migration_recorded():
    path = fresh_store()
    assert sql("PRAGMA user_version", path=path) == [(db.SCHEMA_VERSION,)]
    recorded = sql("SELECT name FROM _sqlite_migrations WHERE migration_set = 'runlog'"
                   " ORDER BY id", path=path)
    assert [row[0] for row in recorded] == [m.name for m in migrations.migrations._migrations]


def test_a_new_database_gets_no_migration_backup(tmp_path):
    fresh_store()
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name) == []


@pytest.fixture
def one_more_migration(monkeypatch):
    """Pretend runlog grew a second migration: SCHEMA_VERSION + 1 and a new m00N."""
    applied = []

    def m_next_add_shoes(database):
        applied.append(True)
        database.execute("CREATE TABLE shoes (id INTEGER PRIMARY KEY, name TEXT)")

    pending = list(migrations.migrations._migrations)
    pending.append(migrations.migrations._Migration("m999_add_shoes", m_next_add_shoes, True))
    monkeypatch.setattr(migrations.migrations, "_migrations", pending)
    monkeypatch.setattr(db, "SCHEMA_VERSION", db.SCHEMA_VERSION + 1)
    return applied


def test_a_migration_from_an_older_version_runs_after_a_backup_copy(one_more_migration, open_umask):
    path = db_path()
    old_version = db.SCHEMA_VERSION - 1
    # A log written by the runlog of one version ago: today's code without the new migration.
    with pytest.MonkeyPatch.context() as old_runlog:
        old_runlog.setattr(db, "SCHEMA_VERSION", old_version)
        old_runlog.setattr(migrations.migrations, "_migrations",
                           migrations.migrations._migrations[:-1])
        assert invoke("add", "5k", "-f", "sad").exit_code == 0
    before = db_state(path)
    assert sql("PRAGMA user_version", path=path) == [(old_version,)]

    ok("list")  # opening the file with the newer runlog migrates it
    assert one_more_migration == [True]
    assert sql("PRAGMA user_version", path=path) == [(old_version + 1,)]
    assert sql("SELECT count(*) FROM shoes", path=path) == [(0,)]

    backup = path.with_name(f"{path.name}.schema{old_version}.bak")
    assert backup.is_file()
    assert mode(backup) == 0o600
    assert db_state(backup) == before  # the copy is the log as it was before migrating
    assert sql("PRAGMA user_version", path=backup) == [(old_version,)]
    assert [e["emotions"] for e in ok_json("list")] == [["sadness"]]

    ok("list")  # already migrated: nothing runs again, no second backup
    assert one_more_migration == [True]
    assert not path.with_name(f"{path.name}.schema{old_version}.2.bak").exists()


def test_a_failing_migration_leaves_the_log_at_its_old_version(monkeypatch):
    path = fresh_store()
    ok("add", "5k")
    before = db_state(path)

    def m999_broken(database):
        database.execute("CREATE TABLE half_done (id INTEGER)")
        database.execute("INSERT INTO no_such_table VALUES (1)")

    pending = [*migrations.migrations._migrations,
               migrations.migrations._Migration("m999_broken", m999_broken, True)]
    monkeypatch.setattr(migrations.migrations, "_migrations", pending)
    monkeypatch.setattr(db, "SCHEMA_VERSION", db.SCHEMA_VERSION + 1)
    assert_refused(invoke("list"), 1, "no such table")
    assert db_state(path) == before  # rolled back: no half_done table, same version
    backup = path.with_name(f"{path.name}.schema{db.SCHEMA_VERSION - 1}.bak")
    assert db_state(backup) == before


def test_backup_before_migration_never_overwrites_an_earlier_backup():
    path = fresh_store()
    conn = sqlite3.connect(path)
    try:
        first = db.backup_before_migration(conn, path, 1)
        second = db.backup_before_migration(conn, path, 1)
    finally:
        conn.close()
    assert (first.name, second.name) == ("runlog.db.schema1.bak", "runlog.db.schema1.2.bak")
    assert db_state(first) == db_state(second) == db_state(path)


# -- tables a person can read ------------------------------------------------------------------


def test_tables_are_readable_with_plain_sqlite3():
    ok("start", "--before", "2", "--intention", "breathe")
    ok("add", "5k", "28:30", "-a", "4", "-f", "sad,relieved", "--tag", "park,rain",
       "--cried", "during", "--pain", "3", "--where", "knee")
    ok("rest", "--mood", "3", "--felt", "guilty")
    assert sql("SELECT id, kind, distance_m, duration_s, mood_before, mood_after, cried, pain,"
               " pain_where, intention, deleted_at FROM entries ORDER BY id") == [
        (1, "run", 5000.0, 1710.0, 2, 4, "during", 3, "knee", "breathe", None),
        (2, "rest", None, None, None, 3, None, None, None, None, None),
    ]
    assert sql("SELECT entry_id, emotion, position FROM entry_emotions ORDER BY entry_id,"
               " position") == [(1, "sadness", 0), (1, "relief", 1), (2, "guilt", 0)]
    assert sql("SELECT entry_id, tag FROM tags ORDER BY position") == [(1, "park"), (1, "rain")]
    valences = dict(sql("SELECT name, valence FROM emotions"))
    assert (valences["grief"], valences["joy"], valences["vulnerability"]) == (
        "negative", "positive", "mixed")
    assert sql("SELECT mood_before, intention, used_by FROM checkins") == [(2, "breathe", 1)]
    assert sql("SELECT day, date, start_ts FROM entries ORDER BY id") == [
        ("2026-11-21", "2026-11-21T18:00:00+01:00", local(2026, 11, 21, 18).timestamp()),
        ("2026-11-21", "2026-11-21", None),
    ]


def test_journal_is_wal_and_foreign_keys_are_on():
    path = fresh_store()
    assert sql("PRAGMA journal_mode", path=path) == [("wal",)]
    store = Store.open(path)
    try:
        assert store.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            store.conn.execute("INSERT INTO entry_emotions VALUES (12345, 'sadness', 0)")
    finally:
        store.close()


def test_purge_cascades_to_emotions_and_tags_through_foreign_keys():
    ok("add", "5k", "-f", "sad", "--tag", "park")
    ok("add", "3k", "-f", "calm", "--tag", "road")
    ok("delete", "1", "--yes")
    assert sql("SELECT count(*) FROM entry_emotions") == [(2,)]  # soft: links kept
    ok("purge", "--yes")
    assert sql("SELECT entry_id, emotion FROM entry_emotions") == [(2, "calm")]
    assert sql("SELECT entry_id, tag FROM tags") == [(2, "road")]


@pytest.mark.parametrize("joined_by", [";", "\x1f"])
def test_iter_fields_streams_what_entries_hold_oldest_first(joined_by):
    ok("add", "5k", "28:30", "--date", "2026-11-12 07:00", "--felt", "sadness,relief",
       "--tag", "park", "--tag", "hills", "--note", "a; b", "--pain", "3", "--where", "knee")
    ok("add", "3.2mi", "--date", "2026-11-10")
    ok("rest", "--date", "2026-11-11", "--felt", "guilt")
    ok("add", "10k", "55:00", "--date", "2026-11-13 18:30")
    ok("delete", "4", "--yes")
    ok("add", "4k", "24:00", "--date", "2026-11-14 12:00", "--tag", "a\\b", "--tag", "semi;colon")
    store = Store.open(db_path(), create=False)
    try:
        for deleted in (False, True, None):
            entries = store.entries(deleted=deleted, newest_first=False)
            streamed = list(store.iter_fields(names_joined_by=joined_by, deleted=deleted))
            assert streamed == list(export_fields(entries, joined_by))
        assert [values[0] for values in store.iter_fields(names_joined_by=joined_by)] == [2, 3, 1, 5]
        assert [values[0] for values in store.iter_fields(
            names_joined_by=joined_by, since="2026-11-11", until="2026-11-12")] == [3, 1]
    finally:
        store.close()


def test_delete_is_soft_until_purge():
    ok("add", "5k", "-n", "keep me")
    ok("delete", "1", "--yes")
    [(note, deleted_at)] = sql("SELECT note, deleted_at FROM entries WHERE id = 1")
    assert note == "keep me" and deleted_at.endswith("+00:00")
    ok("restore", "1")
    assert sql("SELECT deleted_at FROM entries") == [(None,)]


BAD_ROWS = [
    ("UPDATE entries SET mood_before = 6", "mood_before"),
    ("UPDATE entries SET mood_after = 0", "mood_after"),
    ("UPDATE entries SET effort = 11", "effort"),
    ("UPDATE entries SET effort = 0", "effort"),
    ("UPDATE entries SET pain = -1", "pain"),
    ("UPDATE entries SET pain = 11", "pain"),
    ("UPDATE entries SET kind = 'swim'", "kind"),
    ("UPDATE entries SET cried = 'never'", "cried"),
    ("UPDATE entries SET distance_m = 0", "distance_m"),
    ("UPDATE entries SET distance_m = 1000001", "distance_m"),
    ("UPDATE entries SET duration_s = -5", "duration_s"),
    ("UPDATE entries SET duration_s = 172801", "duration_s"),
    ("UPDATE entries SET date = 'yesterday', day = 'yesterday'", "date"),
    ("UPDATE entries SET day = '2026-01-01'", "day"),
    ("UPDATE entries SET distance_m = NULL, duration_s = NULL", "distance_m IS NOT NULL"),
    ("UPDATE emotions SET valence = 'meh' WHERE name = 'joy'", "valence"),
    ("INSERT INTO tags VALUES (1, '', 5)", "length(tag)"),
    ("UPDATE checkins SET mood_before = 9", "mood_before"),
]


@pytest.mark.parametrize(("statement", "column"), BAD_ROWS)
def test_check_constraints_reject_out_of_range_values(statement, column):
    ok("add", "5k", "28:30")
    ok("start", "--before", "2")
    before = db_state()
    conn = sqlite3.connect(db_path())
    try:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed") as error:
            conn.execute(statement)
        assert column in str(error.value)
    finally:
        conn.close()
    assert db_state() == before


def test_a_rest_day_may_have_neither_distance_nor_time():
    ok("rest")
    assert sql("SELECT kind, distance_m, duration_s FROM entries") == [("rest", None, None)]


# -- permissions --------------------------------------------------------------------------------


@pytest.fixture
def open_umask():
    previous = os.umask(0o000)
    yield
    os.umask(previous)


def test_database_is_0600_in_a_0700_folder_even_with_umask_0(tmp_path, monkeypatch, open_umask):
    path = tmp_path / "private" / "runlog.db"
    monkeypatch.setenv("RUNLOG_DB", str(path))
    ok("add", "5k")
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():  # SQLite gives them the database file's mode
            assert mode(sidecar) == 0o600


def test_default_location_is_private_too(monkeypatch, open_umask):
    monkeypatch.delenv("RUNLOG_DB")
    ok("emotions", "add", "awe", "--valence", "positive")
    path = Path(os.environ["XDG_DATA_HOME"]) / "runlog" / "runlog.db"
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)


def test_db_backup_copy_is_private_with_umask_0(tmp_path, open_umask):
    ok("add", "5k")
    ok("db", "backup", str(tmp_path / "copy.db"))
    assert mode(tmp_path / "copy.db") == 0o600


# -- files runlog must not touch ------------------------------------------------------------------


def _newer_database() -> Path:
    path = fresh_store()
    ok("add", "5k")
    gc.collect()  # the in-process command's connection sits in a reference cycle: close it
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    conn.close()
    return path


def _fingerprint(path: Path):
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_size


def _folder(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize("command", [["list"], ["add", "5k", "28:30"], ["db", "info"],
                                     ["db", "check"], ["edit", "1", "--after", "4"],
                                     ["emotions", "add", "awe", "--valence", "positive"]])
def test_a_database_from_a_newer_runlog_is_refused_untouched(command):
    path = _newer_database()
    fingerprint, folder = _fingerprint(path), _folder(path)
    assert "runlog.db-wal" not in folder and "runlog.db-shm" not in folder
    result = invoke(*command)
    assert result.exit_code == 1 and result.stdout == ""
    error = result.stderr.splitlines()[-1]
    assert error.startswith("Error: ") and "newer runlog" in error
    assert f"schema {db.SCHEMA_VERSION + 1}" in error and "untouched" in error
    assert "Traceback" not in result.stderr
    assert _fingerprint(path) == fingerprint
    assert _folder(path) == folder  # no -wal/-shm left behind, no backup written
    if command[0] != "add":
        assert len(result.stderr.splitlines()) == 1


def test_the_store_refuses_a_newer_database_with_a_storage_error():
    path = _newer_database()
    with pytest.raises(StorageError, match="newer runlog"):
        Store.open(path)


GARBAGE = b"These are my running notes, not a database.\n" * 200


@pytest.mark.parametrize("command", [["list"], ["show", "1"], ["db", "info"],
                                     ["delete", "1", "--yes"], ["trash"],
                                     ["emotions", "add", "awe", "-v", "mixed"]])
def test_a_file_that_is_not_a_database_is_refused_untouched(command):
    path = db_path()
    path.write_bytes(GARBAGE)
    fingerprint, folder = _fingerprint(path), _folder(path)
    assert_refused(invoke(*command), 1, "not a runlog database", "runlog db check")
    assert _fingerprint(path) == fingerprint
    assert _folder(path) == folder


def test_db_check_of_a_file_that_is_not_a_database_points_to_a_backup():
    path = db_path()
    path.write_bytes(GARBAGE)
    line = assert_refused(invoke("db", "check"), 1, "not a runlog database",
                          "restore a copy from `runlog db backup`")
    assert "runlog db check" not in line
    assert path.read_bytes() == GARBAGE


@pytest.mark.parametrize(("command", "kind"), [(["add", "5k", "28:30"], "run"), (["rest"], "rest")])
def test_a_write_to_a_file_that_is_not_a_database_keeps_what_was_typed(command, kind):
    path = db_path()
    path.write_bytes(GARBAGE)
    result = invoke(*command, "-n", "hello")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 3  # the entry as JSON, how to keep it, the error
    typed = json.loads(lines[0])
    assert (typed["kind"], typed["note"]) == (kind, "hello")
    assert lines[-1].startswith("Error: ") and "runlog db check" in lines[-1]
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == GARBAGE


def test_db_check_reports_a_damaged_database(tmp_path):
    path = fresh_store()
    ok("add", "5k", "-f", "sad")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO entry_emotions VALUES (777, 'sadness', 0)")
    conn.commit()
    conn.close()
    result = invoke("db", "check")
    assert_refused(result, 1, "integrity check failed", "foreign key")


def test_losing_the_race_to_create_the_folder_still_creates_a_private_file(tmp_path,
                                                                           monkeypatch):
    """Two runlogs start on a fresh machine: the other one makes the folder between our
    `exists()` and our `mkdir()`. We must still create the file ourselves (0600), not leave
    it to SQLite, which would make it with the umask's mode."""
    path = tmp_path / "fresh" / "runlog.db"
    real_mkdir = Path.mkdir

    def other_runlog_was_quicker(self, mode=0o777, parents=False, exist_ok=False):
        real_mkdir(self, 0o700, parents, exist_ok)
        raise FileExistsError(17, "File exists", str(self))

    monkeypatch.setattr(Path, "mkdir", other_runlog_was_quicker)
    db.create_private_file(path)
    assert path.is_file() and mode(path) == 0o600
