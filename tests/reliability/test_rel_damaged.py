"""Damaged and foreign database files: every command refuses them with one `Error:` line
that points to `runlog db check` or a backup, no traceback, and leaves the file exactly as
it was (same bytes, no -wal/-shm or backup files left beside it).

Each case runs the real console script, so what is checked is what a user's shell sees
after the process has exited (an in-process run could hide a -wal file left open).
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

import runlog.store.db
from relsupport import build_real_log, integrity, isolated_env, listing, run, sha256, write_runlog_csv

NEW_IMPORT = "IMPORT_FILE"
BACKUP_DEST = "BACKUP_DEST"

# Every command of the issue, with the arguments that make it read or write the log.
COMMANDS = {
    "add": ["add", "5k", "28:30", "-n", "typed after a run"],
    "list": ["list"],
    "show": ["show", "1"],
    "edit": ["edit", "2", "--after", "3"],
    "delete": ["delete", "2", "--yes"],
    "mood": ["mood"],
    "stats": ["stats"],
    "emotions": ["emotions"],
    "insights": ["insights"],
    "export": ["export"],
    "import": ["import", NEW_IMPORT],
    "db-info": ["db", "info"],
    "db-check": ["db", "check"],
    "db-backup": ["db", "backup", BACKUP_DEST],
    "rest": ["rest", "-n", "typed on a rest day"],
    "start": ["start", "--before", "2"],
}
# `add`, `rest` and `edit` hand back what was typed when a write fails (SPEC §2): one JSON
# line and one line saying how to keep it, then the error.
KEEPS_WHAT_WAS_TYPED = {"add", "rest"}


@pytest.fixture(scope="module")
def real_log(tmp_path_factory):
    root = tmp_path_factory.mktemp("real-log")
    db, _ = build_real_log(root)
    new_runs = write_runlog_csv(root / "new-runs.csv", 20, first=10_000)
    return db, new_runs


def _random_bytes(n: int, seed: int) -> bytes:
    generator = random.Random(seed)
    return bytes(generator.randrange(256) for _ in range(n))


def _table_pages(path: Path) -> tuple[int, int]:
    """(page size, highest root page): with pages 2..highest overwritten, every table and
    index of the schema has lost its root, so any command that touches the log meets the
    damage, whichever table it reads first."""
    conn = sqlite3.connect(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        highest = conn.execute("SELECT max(rootpage) FROM sqlite_master").fetchone()[0]
    finally:
        conn.close()
    return page_size, highest


def damage_table_pages(path: Path) -> None:
    page_size, highest = _table_pages(path)
    data = bytearray(path.read_bytes())
    data[page_size:highest * page_size] = _random_bytes((highest - 1) * page_size, 1)
    path.write_bytes(bytes(data))


def damage_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = _random_bytes(100, 2)
    path.write_bytes(bytes(data))


def not_a_database(path: Path) -> None:
    path.write_text("Tuesday: ran 5k by the river, cried at the bridge.\n" * 300,
                    encoding="utf-8")


def newer_schema(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {runlog.store.db.SCHEMA_VERSION + 1}")
    conn.close()


VARIANTS = {
    "garbage-over-table-pages": damage_table_pages,
    "garbage-over-header": damage_header,
    "text-file": not_a_database,
    "newer-schema": newer_schema,
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_command_refuses_a_damaged_or_foreign_file_and_leaves_it_untouched(
        tmp_path, real_log, variant, command):
    source, new_runs = real_log
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "runlog.db"
    shutil.copyfile(source, path)
    VARIANTS[variant](path)
    before_hash, before_files = sha256(path), listing(folder)
    backup = tmp_path / "backup.db"
    args = [{NEW_IMPORT: str(new_runs), BACKUP_DEST: str(backup)}.get(a, a)
            for a in COMMANDS[command]]

    done = run(*args, env=isolated_env(tmp_path, db=path))

    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr, done.stderr
    assert done.stdout == "", f"a refusal prints nothing on stdout, got {done.stdout[:200]!r}"
    lines = done.stderr.splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], lines
    if command in KEEPS_WHAT_WAS_TYPED:
        assert len(lines) == 3 and lines[0].startswith("{"), lines
    else:
        assert len(lines) == 1, lines
    if variant == "newer-schema":
        assert "newer runlog" in errors[0] and "untouched" in errors[0], errors[0]
    else:
        assert "runlog db check" in errors[0] or "runlog db backup" in errors[0], errors[0]
    assert sha256(path) == before_hash, "the damaged file was changed"
    assert listing(folder) == before_files, "files were left beside the log"
    assert not backup.exists(), "a backup of a file runlog refused was written"


def _entries_leaf_page(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        pages = [row[0] for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf'"
            " ORDER BY pageno")]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite was built without the dbstat table")
    finally:
        conn.close()
    return pages[len(pages) // 2]


def test_db_check_reports_garbage_inside_a_data_page_in_one_line(tmp_path, real_log):
    """SQLite's integrity_check reports each broken cell on a line of its own, under a
    '*** in database main ***' heading: the `Error:` must still be one line."""
    source, _ = real_log
    path = tmp_path / "runlog.db"
    shutil.copyfile(source, path)
    page = _entries_leaf_page(path)
    size, _ = _table_pages(path)
    data = bytearray(path.read_bytes())
    start = (page - 1) * size + 8  # keep the page header: SQLite then checks every cell
    data[start:page * size - 100] = _random_bytes(size - 108, 3)
    path.write_bytes(bytes(data))
    assert integrity(path) != ["ok"]
    before = sha256(path)

    done = run("db", "check", env=isolated_env(tmp_path, db=path))

    assert done.returncode == 1 and done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, f"{len(lines)} lines: {lines[:3]}"
    assert lines[0].startswith("Error: integrity check failed") and "backup" in lines[0]
    assert sha256(path) == before


def test_db_check_finds_garbage_over_a_page_no_other_command_reads(tmp_path, real_log):
    """The second page is the root of sqlite-utils' `_sqlite_migrations` table,
    which only a migration reads. SQLite notices damage only on the pages a statement
    visits, so everyday commands don't see it; `runlog db check` must."""
    source, _ = real_log
    path = tmp_path / "runlog.db"
    shutil.copyfile(source, path)
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")  # the page size, from the file's header
    size = 65536 if size == 1 else size  # (a log made by an import has 16 KiB pages)
    data[size:2 * size] = _random_bytes(size, 4)
    path.write_bytes(bytes(data))
    before = sha256(path)

    done = run("db", "check", env=isolated_env(tmp_path, db=path))

    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: integrity check failed"), lines
    assert "runlog db backup" in lines[0]
    assert sha256(path) == before
    assert not {"runlog.db-wal", "runlog.db-shm"} & set(listing(tmp_path))
