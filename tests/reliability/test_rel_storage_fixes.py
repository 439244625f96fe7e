"""Storage fixes after the safety work: a log reached through a link keeps its -wal safe
from `export -o` and `db backup`; `purge` says plainly when another program's open read
keeps the purged text, and running it again finishes the job; `config set` never renames
or replaces what a planted link leads to; a log with a -wal but no -shm in a read-only
folder is read whole; a row another tool wrote out of range is one `Error:` line naming
it; a foreign file keeps its mode; `--db` that is empty, ends in a slash or is too long
is refused before anything is created.

Every case runs the real `runlog` process on real files in scratch folders (tmp_path).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from relsupport import RUNLOG, count_entries, isolated_env, listing, must, run, sha256
from test_rel_storage_safety import error_line, run_unprivileged, small_log

NOW = "2026-11-21T18:00:00+01:00"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- 1. a log opened through a link: its real -wal is part of it --------------------------


def test_export_and_backup_refuse_the_real_wal_of_a_log_opened_through_a_link(tmp_path):
    real, env = small_log(tmp_path, "real.db")
    link = real.parent / "link.db"
    link.symlink_to(real.name)
    env["RUNLOG_DB"] = str(link)
    # Another program keeps the log open, so the next run stays in real.db-wal.
    holder = sqlite3.connect(real)
    holder.execute("SELECT count(*) FROM entries").fetchone()
    try:
        must("add", "10k", "55:00", "-d", "2026-11-21", "-n", "only in the wal", env=env)
        wal = Path(f"{real}-wal")
        assert wal.stat().st_size > 0
        before = {name: sha256(real.parent / name) for name in listing(real.parent)
                  if not name.endswith("-shm") and name != "link.db"}
        for args in (["export", "-o", str(wal)], ["export", "--format", "json", "-o", str(wal)],
                     ["db", "backup", str(wal)], ["db", "backup", f"{real}-shm"],
                     ["db", "backup", f"{real}-journal"], ["export", "-o", f"{link}-wal"]):
            done = run(*args, env=env)
            assert done.returncode == 2, (args, done.returncode, done.stderr)
            assert "is the runlog database itself" in error_line(done)
        assert {name: sha256(real.parent / name) for name in before} == before
    finally:
        holder.close()
    assert count_entries(real) == 4
    assert "only in the wal" in must("export", env=env)


# -- 2. purge while another program reads the log ----------------------------------------------

# The real runlog, with its busy timeout cut to 2 s so that the test does not wait 30 s.
SHORT_TIMEOUT = """
import sys
import runlog.store.db
runlog.store.db.BUSY_TIMEOUT_S = 2.0
sys.argv[0] = "runlog"
from runlog.cli import main
sys.exit(main())
"""

SECRET = "PURGED-5d21 the words I never sent"


def _secret_in(folder: Path) -> list[str]:
    return [p.name for p in sorted(folder.iterdir()) if b"PURGED-5d21" in p.read_bytes()]


def test_purge_says_when_a_reader_keeps_the_text_and_running_it_again_finishes(tmp_path):
    db, env = small_log(tmp_path)
    must("add", "4k", "25:00", "-d", "2026-11-21", "-n", SECRET, env=env)
    must("delete", "4", "--yes", env=env)
    # Datasette or the sqlite3 shell, in the middle of a read.
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM entries").fetchone()
    try:
        done = subprocess.run([sys.executable, "-c", SHORT_TIMEOUT, "purge", "--yes"], env=env,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=60, cwd=tmp_path)
        assert done.returncode == 0, done.stderr  # the deletion is committed
        assert done.stdout == "Deleted 1.\n", "it claimed more than was done"
        assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert "another program has the log open" in done.stderr
        assert "runlog purge" in done.stderr
        assert _secret_in(db.parent), "the reader did not keep the text: the test proves nothing"
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert "PURGED-5d21" not in must("export", "--format", "json", env=env)
    assert must("purge", "--yes", env=env) == "The trash is already empty.\n"
    assert _secret_in(db.parent) == [], "purging again left the text in a file of the log"
    assert count_entries(db) == 3


# -- 3. config.toml as a link to something that is not a settings file ---------------------------


@pytest.mark.parametrize("target", ["not-toml", "dangling", "folder"])
def test_config_set_never_renames_or_replaces_what_a_link_leads_to(tmp_path, target):
    env = isolated_env(tmp_path)
    folder = Path(env["XDG_CONFIG_HOME"]) / "runlog"
    folder.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "passwd"
    if target == "not-toml":
        victim.write_text("root:x:0:0:root:/root:/bin/bash\n")
        victim.chmod(0o644)
    elif target == "folder":
        victim.mkdir()
    config = folder / "config.toml"
    config.symlink_to(victim)
    outside_before = {name: (os.lstat(elsewhere / name).st_mode,
                             sha256(elsewhere / name) if (elsewhere / name).is_file() else None)
                      for name in listing(elsewhere)}

    done = run("config", "set", "units", "mi", env=env)

    assert done.returncode == 1, (done.returncode, done.stderr)
    line = error_line(done)
    assert str(config) in line and str(victim) in line, line
    assert {name: (os.lstat(elsewhere / name).st_mode,
                   sha256(elsewhere / name) if (elsewhere / name).is_file() else None)
            for name in listing(elsewhere)} == outside_before
    assert listing(folder) == ["config.toml"] and config.is_symlink()
    assert os.readlink(config) == str(victim)


# -- 4. a -wal and no -shm in a folder runlog may not write -------------------------------------


def wal_only_snapshot(tmp_path: Path, note: str) -> tuple[Path, dict]:
    """A copy of a small log whose last run (with `note`) is only in its -wal, and no -shm:
    as a crash or a copied folder leaves it. Returns the copy's path and the log's env."""
    db, env = small_log(tmp_path)
    holder = sqlite3.connect(db)  # keeps the next run in the -wal
    holder.execute("SELECT count(*) FROM entries").fetchone()
    try:
        must("add", "10k", "55:00", "-d", "2026-11-21", "-n", note, env=env)
        snapshot = tmp_path / "snapshot"
        snapshot.mkdir()
        for suffix in ("", "-wal"):
            Path(f"{snapshot / db.name}{suffix}").write_bytes(Path(f"{db}{suffix}").read_bytes())
    finally:
        holder.close()
    return snapshot / db.name, env


def test_a_log_with_a_wal_but_no_shm_in_a_read_only_folder_is_read_whole(tmp_path):
    copy, env = wal_only_snapshot(tmp_path, "committed in the wal")
    snapshot = copy.parent
    copy.chmod(0o600)
    Path(f"{copy}-wal").chmod(0o600)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env.update(RUNLOG_DB=str(copy), TMPDIR=str(scratch))
    out = tmp_path / "out"
    out.mkdir()
    snapshot.chmod(0o500)
    try:
        files = {name: sha256(snapshot / name) for name in listing(snapshot)}
        done = run_unprivileged("list", "--json", env=env)
        assert done.returncode == 0, done.stderr
        assert '"committed in the wal"' in done.stdout
        done = run_unprivileged("export", env=env)
        assert done.returncode == 0 and "committed in the wal" in done.stdout, done.stderr
        done = run_unprivileged("db", "backup", str(out / "copy.db"), env=env)
        assert done.returncode == 0, done.stderr
        for args in (["stats"], ["db", "check"], ["show", "4"]):
            done = run_unprivileged(*args, env=env)
            assert done.returncode == 0, (args, done.stderr)
        done = run_unprivileged("add", "1k", env=env)
        assert done.returncode == 1 and "can't write" in error_line(done)
        assert {name: sha256(snapshot / name) for name in listing(snapshot)} == files
        assert listing(scratch) == [], "the private copy was left behind"
    finally:
        snapshot.chmod(0o700)
    assert count_entries(out / "copy.db") == 4


# -- 5. a row another tool wrote with the CHECKs off -----------------------------------------------

EDITS = {
    "negative-distance": ("distance_m = -5", "distance -5.0 is out of range"),
    "text-distance": ("distance_m = 'abc'", "distance 'abc' is text, not a number"),
    "huge-distance": ("distance_m = 1e308", "distance 1.0e+308 is out of range"),
    "text-duration": ("duration_s = 'xyz'", "duration 'xyz' is text, not a number"),
    "word-mood": ("mood_after = 'great'", "mood after 'great' is text, not a whole number"),
    "year-1": ("date = '0001-01-01', day = '0001-01-01'", "date '0001-01-01' is not a date"),
    "february-30": ("date = '2026-02-30', day = '2026-02-30'", "date '2026-02-30' is not a date"),
    "blob-date": ("date = x'00ff', day = x'00ff'", "date X'00FF' is not a date"),
    "blob-note": ("note = x'00ff'", "note is blob, not text"),
    "pain-11": ("pain = 11", "pain 11 is not 0-10"),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_row_written_out_of_range_is_named_by_db_check_and_refused_by_readers(tmp_path, edit):
    db, env = small_log(tmp_path)
    assignment, problem = EDITS[edit]
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA ignore_check_constraints = 1")
    conn.execute(f"UPDATE entries SET {assignment} WHERE id = 1")
    conn.commit()
    conn.close()
    before = sha256(db)

    done = run("db", "check", env=env)
    assert done.returncode == 1 and done.stdout == ""
    line = error_line(done)
    assert f"entry 1: {problem}" in line, line

    for args in (["list"], ["list", "--json"], ["show", "1"]):
        done = run(*args, env=env)
        assert done.returncode == 1 and done.stdout == "", (args, done.returncode, done.stderr)
        line = error_line(done)  # one line, and never "unexpected"
        assert "entry 1 " in line and "runlog db check" in line, (args, line)
    # insights reads only the weeks before now: it reads the row if its day is in them.
    done = run("insights", env=env)
    if done.returncode != 0:
        line = error_line(done)
        assert "entry 1 " in line and "runlog db check" in line, line
    assert must("show", "2", env=env)  # the other rows still read
    assert sha256(db) == before
    entries = count_entries(db)
    # the reports and the export name the entry too, or read around it; never "unexpected"
    for args in (["stats"], ["stats", "--json"], ["mood"], ["export"],
                 ["export", "--format", "json"], ["add", "3k", "20:00", "--no-input"]):
        done = run(*args, env=env)
        if done.returncode != 0:
            line = error_line(done)
            assert "entry 1 " in line and "runlog db check" in line, (args, line)
        assert "unexpected" not in done.stderr and "Traceback" not in done.stderr, args
    assert count_entries(db) in (entries, entries + 1)


# -- 6. a foreign file keeps its mode; --db names a file -------------------------------------------


@pytest.mark.parametrize("schema", [
    ["CREATE VIEW v AS SELECT 1 AS x"],
    ["CREATE VIEW v AS SELECT 1 AS x",
     "CREATE TRIGGER t INSTEAD OF INSERT ON v BEGIN SELECT 1; END"],
])
def test_a_foreign_sqlite_file_without_tables_is_refused_with_its_mode_kept(tmp_path, schema):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    for statement in schema:
        conn.execute(statement)
    conn.commit()
    conn.close()
    other.chmod(0o644)
    before = sha256(other)
    env = isolated_env(tmp_path, db=other)
    for args in (["list"], ["add", "5k"]):
        done = run(*args, env=env)
        assert done.returncode == 1, (args, done.stderr)
        assert "not a runlog database" in error_line(done)
    assert mode(other) == 0o644 and sha256(other) == before
    assert listing(tmp_path) == ["home", "other.db"]


def test_a_db_name_too_long_is_refused_and_leaves_nothing(tmp_path):
    env = isolated_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    name = "a" * 250
    for where in (work / name, work / "new" / "deeper" / name):
        done = run("--db", str(where), "add", "5k", "-n", "typed", env=env)
        assert done.returncode == 2, (done.returncode, done.stderr)
        assert "too long" in error_line(done)
        assert '"note": "typed"' in done.stderr, "what was typed must be handed back"
        assert listing(work) == [], "a file or folder was left behind"


def test_an_empty_db_option_is_refused_never_the_default_log(tmp_path):
    db, env = small_log(tmp_path)
    must("delete", "1", "--yes", env=env)
    before = sha256(db)
    for args in (["purge", "--yes"], ["list"], ["add", "5k"]):
        done = run("--db", "", *args, env=env)
        assert done.returncode == 2, (args, done.returncode, done.stderr)
        assert "--db is empty" in error_line(done)
    assert sha256(db) == before
    assert must("trash", "--json", env=env).count("first run") == 1


def test_a_db_option_ending_in_a_slash_is_refused(tmp_path):
    env = isolated_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    for given in ("dir/", str(work / "dir") + "/"):
        done = run("--db", given, "add", "5k", env=env, cwd=work)
        assert done.returncode == 2, (given, done.returncode, done.stderr)
        assert "slash" in error_line(done)
    env["RUNLOG_DB"] = str(work / "dir") + "/"
    done = run("list", env=env, cwd=work)
    assert done.returncode == 2 and "slash" in error_line(done)
    assert listing(work) == []
