"""Storage safety: runlog never writes over its own log, never adopts or changes another
program's file, reads a log it may not write, leaves a purged entry's text in no file,
takes `--db` as a path and nothing else, keeps what it creates owner-only whatever the
umask, and refuses a broken or hostile config or row with one `Error:` line.

Every case runs the real `runlog` process on real files and looks at them from outside
(hashes, modes, folder listings, bytes grepped in every file of the log's folder).
"""

from __future__ import annotations

import ctypes
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from relsupport import RUNLOG, count_entries, isolated_env, listing, must, run, sha256

NOW = "2026-11-21T18:00:00+01:00"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def error_line(done: subprocess.CompletedProcess) -> str:
    """The one `Error:` line a refusal prints (last on stderr), with no traceback."""
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], lines
    return errors[0]


def small_log(root: Path, name: str = "runlog.db") -> tuple[Path, dict]:
    """A log of three entries made by the real console script, in a folder of its own."""
    db = root / "data" / name
    env = isolated_env(root, db=db, RUNLOG_NOW=NOW)
    must("add", "5k", "28:30", "-d", "2026-11-18", "-b", "2", "-a", "4", "-f", "sad",
         "--tag", "park", "-n", "first run", env=env)
    must("add", "3k", "20:00", "-d", "2026-11-19", env=env)
    must("rest", "-d", "2026-11-20", "--mood", "3", env=env)
    return db, env


def sqlite_file(path: Path, *statements: str, wal: bool = False) -> Path:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


# -- 1. `db backup` never writes over the log, nor through a link ---------------------------


def _backup_destinations(db: Path) -> dict:
    folder = db.parent
    outside = folder.parent / "elsewhere"
    outside.mkdir(exist_ok=True)
    return {
        "the-log": lambda: db,
        "its-wal": lambda: Path(f"{db}-wal"),
        "its-shm": lambda: Path(f"{db}-shm"),
        "dotdot-path": lambda: folder / ".." / folder.name / db.name,
        "hard-link": lambda: (os.link(db, outside / "hard.db"), outside / "hard.db")[1],
        "symlink-to-log": lambda: (os.symlink(db, outside / "soft.db"), outside / "soft.db")[1],
        "symlink-to-wal": lambda: (os.symlink(f"{db}-wal", outside / "wal.db"),
                                   outside / "wal.db")[1],
        "dangling-symlink": lambda: (os.symlink(outside / "nowhere" / "x.db", outside / "d.db"),
                                     outside / "d.db")[1],
        "symlink-to-new-file": lambda: (os.symlink(outside / "new.db", outside / "n.db"),
                                        outside / "n.db")[1],
    }


@pytest.mark.parametrize("destination", [
    "the-log", "its-wal", "its-shm", "dotdot-path", "hard-link", "symlink-to-log",
    "symlink-to-wal", "dangling-symlink", "symlink-to-new-file"])
def test_db_backup_refuses_the_log_its_wal_files_and_any_link(tmp_path, destination):
    db, env = small_log(tmp_path)
    target = _backup_destinations(db)[destination]()
    before, files = sha256(db), listing(db.parent)
    outside = listing(tmp_path / "elsewhere")

    done = run("db", "backup", str(target), env=env)

    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    error_line(done)
    assert done.stdout == ""
    assert sha256(db) == before, "the log was changed"
    assert listing(db.parent) == files, "a file was written beside the log"
    assert listing(tmp_path / "elsewhere") == outside, "a file was written through a link"
    assert not (tmp_path / "elsewhere" / "new.db").exists()
    assert count_entries(db) == 3


def test_db_backup_to_a_new_file_is_owner_only_and_a_real_copy(tmp_path):
    db, env = small_log(tmp_path)
    target = tmp_path / "copies" / "copy.db"
    target.parent.mkdir()
    done = subprocess.run([str(RUNLOG), "db", "backup", str(target)], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          preexec_fn=lambda: os.umask(0))
    assert done.returncode == 0, done.stderr
    assert mode(target) == 0o600 and listing(target.parent) == ["copy.db"]
    assert count_entries(target) == 3


# -- 3. another program's SQLite file is never adopted -------------------------------------------


def _places(path: Path) -> Path:
    """Like Firefox's places.sqlite: WAL, its own tables, its own schema version."""
    return sqlite_file(path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)",
                       "INSERT INTO moz_places (url) VALUES ('https://example.org')",
                       "PRAGMA user_version = 77", wal=True)


FOREIGN = {
    "firefox-like": _places,
    "tables-no-version": lambda p: sqlite_file(p, "CREATE TABLE notes (id, body)",
                                               "INSERT INTO notes VALUES (1, 'mine')"),
    "version-1-other-tables": lambda p: sqlite_file(
        p, "CREATE TABLE entries (id, text)", "PRAGMA user_version = 1"),
    "other-application-id": lambda p: sqlite_file(p, "PRAGMA application_id = 1179011410"),
}
FOREIGN_COMMANDS = {
    "list": ["list"], "stats": ["stats"], "export": ["export"], "db-info": ["db", "info"],
    "db-check": ["db", "check"], "add": ["add", "5k", "-n", "typed"],
    "emotions-add": ["emotions", "add", "awe", "--valence", "positive"],
}


@pytest.mark.parametrize("command", list(FOREIGN_COMMANDS))
@pytest.mark.parametrize("variant", list(FOREIGN))
def test_another_programs_sqlite_file_is_refused_byte_for_byte_untouched(
        tmp_path, variant, command):
    folder = tmp_path / "other-program"
    folder.mkdir()
    path = FOREIGN[variant](folder / "places.sqlite")
    before, files = sha256(path), listing(folder)
    assert files == ["places.sqlite"]

    done = run(*FOREIGN_COMMANDS[command], env=isolated_env(tmp_path, db=path))

    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == ""
    assert "not a runlog database" in error_line(done)
    assert sha256(path) == before, "another program's file was changed"
    assert listing(folder) == files, "a -wal, -shm or backup file was left beside it"


@pytest.mark.parametrize("start", ["empty-file", "empty-sqlite-database"])
def test_an_empty_file_or_empty_sqlite_database_becomes_a_private_log(tmp_path, start):
    path = tmp_path / "mine.db"
    if start == "empty-file":
        path.touch()
    else:
        sqlite_file(path, "CREATE TABLE t (a)", "DROP TABLE t")
    path.chmod(0o644)
    env = isolated_env(tmp_path, db=path)
    must("add", "5k", "-n", "first", env=env)
    assert count_entries(path) == 1
    assert mode(path) == 0o600, "a file that now holds a journal must be owner-only"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x524E4C47
    conn.close()


def test_a_log_from_before_application_ids_is_read_as_is_and_stamped_when_written(tmp_path):
    db, env = small_log(tmp_path)
    sqlite_file(db, "PRAGMA application_id = 0")  # as every runlog before this one wrote it
    before = sha256(db)
    assert json.loads(must("list", "--json", env=env))[0]["kind"] == "rest"
    assert sha256(db) == before, "reading an old log wrote to it"
    must("add", "2k", "-d", "2026-11-21", env=env)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x524E4C47
    conn.close()
    assert count_entries(db) == 4


@pytest.mark.parametrize("kind", ["folder", "fifo", "dangling-symlink"])
def test_a_db_path_that_is_no_file_is_refused_at_once(tmp_path, kind):
    path = tmp_path / "log"
    target = tmp_path / "missing-folder" / "target.db"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(target)
    for args in (["stats"], ["add", "5k"], ["db", "check"]):
        done = run(*args, env=isolated_env(tmp_path, db=path), timeout=20)
        assert done.returncode == 1, (args, done.returncode, done.stderr)
        error_line(done)
    assert not target.parent.exists(), "a file was created through the dangling link"


# -- 14. a log in a read-only folder, or a read-only log, can be read ----------------------------


def _without_privileges() -> None:
    """Run as root does (the tests do), but without root's power to ignore permissions:
    capabilities 1 and 2 (DAC_OVERRIDE, DAC_READ_SEARCH) leave the bounding set, so the
    exec'd runlog has them neither. As any other user, permissions apply anyway."""
    os.umask(0o022)
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_unprivileged(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUNLOG), *args], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL, preexec_fn=_without_privileges)


READS = [["list"], ["list", "--json"], ["show", "1"], ["stats"], ["mood"], ["insights"],
         ["emotions"], ["trash"], ["export"], ["export", "--format", "json"], ["db", "info"],
         ["db", "check"], ["db", "path"]]
WRITES = [["add", "5k", "-n", "typed"], ["edit", "1", "--after", "5"], ["delete", "1", "--yes"],
          ["rest", "--mood", "2"], ["emotions", "add", "awe", "--valence", "positive"]]


@pytest.mark.parametrize("what", ["read-only-folder", "read-only-file"])
def test_a_log_that_cannot_be_written_can_still_be_read_exported_and_backed_up(tmp_path, what):
    db, env = small_log(tmp_path)
    folder = db.parent
    out = tmp_path / "out"
    out.mkdir()
    db.chmod(0o400 if what == "read-only-file" else 0o600)
    folder.chmod(0o500 if what == "read-only-folder" else 0o700)
    try:
        before, files = sha256(db), listing(folder)
        assert run_unprivileged("add", "1k", env=env).returncode == 1  # really read-only
        for args in READS:
            done = run_unprivileged(*args, env=env)
            assert done.returncode == 0, (args, done.returncode, done.stderr)
        assert "first run" in run_unprivileged("export", env=env).stdout
        done = run_unprivileged("export", "-o", str(out / "all.csv"), env=env)
        assert done.returncode == 0, done.stderr
        done = run_unprivileged("db", "backup", str(out / "copy.db"), env=env)
        assert done.returncode == 0, done.stderr
        assert count_entries(out / "copy.db") == 3 and mode(out / "copy.db") == 0o600
        for args in WRITES:
            done = run_unprivileged(*args, env=env)
            assert done.returncode == 1, (args, done.returncode, done.stderr)
            assert "can't write" in error_line(done)
        assert sha256(db) == before, "the read-only log was changed"
        assert listing(folder) == files, "a -wal or -shm file was left beside the log"
    finally:
        folder.chmod(0o700)
        db.chmod(0o600)
    assert count_entries(db) == 3


# -- 15. purge leaves the text in no file of the log --------------------------------------------

# Upstream SQLite's default is secure_delete off (Debian builds turn it on): this wrapper
# runs the real runlog with every connection starting as upstream's would.
UPSTREAM_DEFAULTS = """
import sqlite3, sys
_connect = sqlite3.connect
def connect(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    conn.execute("PRAGMA secure_delete = OFF")
    return conn
sqlite3.connect = connect
sys.argv[0] = "runlog"
from runlog.cli import main
sys.exit(main())
"""

SECRETS = {
    "note": "NOTE-PURGED-a81c what he said at dinner",
    "old-note": "OLDNOTE-PURGED-77e2 written first, then edited away",
    "intention": "INTENT-PURGED-3f90 stop replaying it",
    "where": "WHERE-PURGED-c4d1 right hip",
    "tag": "TAG-PURGED-9b7e",
    "checkin": "CHECKIN-PURGED-e05f get through today",
}


def _secrets_in(folder: Path) -> dict[str, list[str]]:
    """Which secrets are in which file of the log's folder, as raw bytes."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        names = [name for name, text in SECRETS.items()
                 if text.split()[0].encode() in data]
        if names:
            found[path.name] = names
    return found


@pytest.mark.parametrize("sqlite_default", ["upstream-secure-delete-off", "this-build"])
def test_purge_leaves_the_text_in_no_file_of_the_log_nor_its_wal(tmp_path, sqlite_default):
    folder = tmp_path / "data"
    db = folder / "runlog.db"
    env = isolated_env(tmp_path, db=db, RUNLOG_NOW=NOW)
    if sqlite_default == "this-build":
        command = [str(RUNLOG)]
    else:
        command = [sys.executable, "-c", UPSTREAM_DEFAULTS]

    def go(*args: str) -> None:
        done = subprocess.run([*command, *args], env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=60)
        assert done.returncode == 0, (args, done.stdout, done.stderr)

    go("add", "4k", "25:00", "-d", "2026-11-15", "-n", "a run to keep")
    # Another program (a second runlog, Datasette) keeps the log open: the WAL then stays.
    holder = sqlite3.connect(db)
    holder.execute("SELECT count(*) FROM entries").fetchone()
    try:
        go("start", "--before", "2", "--intention", SECRETS["checkin"])
        go("add", "5k", "28:30", "-n", SECRETS["old-note"], "-i", SECRETS["intention"],
           "--where", SECRETS["where"], "--pain", "3", "--tag", SECRETS["tag"])
        go("edit", "2", "-n", SECRETS["note"])
        go("delete", "2", "--yes")
        assert set(_secrets_in(folder).get("runlog.db-wal", [])) >= {"note", "checkin"}, \
            "the secrets must be there before the purge, or the test proves nothing"
        go("purge", "--yes")
        assert _secrets_in(folder) == {}, "purged text is still in a file of the log"
    finally:
        holder.close()
    assert _secrets_in(folder) == {}
    assert count_entries(db) == 1
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM checkins").fetchone()[0] == 0
    conn.close()


# -- 17. `--db` is a path, never an SQLite URI ---------------------------------------------------


@pytest.mark.parametrize("name", ["file:x.db", "file:x.db?mode=memory", "file:x.db?mode=ro",
                                  "file:x.db#part", "a?b#c%41.db", "50%.db", "file:%41.db"])
@pytest.mark.parametrize("given", ["--db", "RUNLOG_DB"])
def test_the_db_option_is_a_file_name_never_an_sqlite_uri(tmp_path, name, given):
    work = tmp_path / "work"
    work.mkdir()
    env = isolated_env(tmp_path, RUNLOG_NOW=NOW)
    if given == "--db":
        prefix = ["--db", name]
    else:
        prefix, env["RUNLOG_DB"] = [], name
    for args in (["add", "5k", "-d", "2026-11-20", "-n", "kept"], ["add", "3k", "-d", "2026-11-21"]):
        done = subprocess.run([str(RUNLOG), *prefix, *args], env=env, cwd=work, text=True,
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=60,
                              preexec_fn=lambda: os.umask(0o022))
        assert done.returncode == 0, done.stderr
    assert listing(work) == [name], "the log is not (only) the file that was named"
    assert mode(work / name) == 0o600
    assert count_entries(work / name) == 2
    listed = subprocess.run([str(RUNLOG), *prefix, "list", "--json"], env=env, cwd=work,
                            text=True, capture_output=True, stdin=subprocess.DEVNULL)
    assert [e["note"] for e in json.loads(listed.stdout)] == [None, "kept"]


# -- 18. everything runlog creates is owner-only, whatever the umask -----------------------------


def test_every_folder_and_file_runlog_creates_is_owner_only_with_umask_0(tmp_path):
    db = tmp_path / "a" / "b" / "c" / "runlog.db"
    config_home = tmp_path / "cfg" / "x" / "y"
    env = isolated_env(tmp_path, db=db, XDG_CONFIG_HOME=str(config_home))

    def go(*args: str) -> None:
        done = subprocess.run([str(RUNLOG), *args], env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, preexec_fn=lambda: os.umask(0))
        assert done.returncode == 0, (args, done.stderr)

    go("add", "5k")
    go("config", "set", "units", "mi")
    go("config", "set", "week_start", "sunday")
    folders = [tmp_path / "a", tmp_path / "a" / "b", db.parent, tmp_path / "cfg",
               tmp_path / "cfg" / "x", config_home, config_home / "runlog"]
    assert {str(f.relative_to(tmp_path)): oct(mode(f)) for f in folders} == {
        str(f.relative_to(tmp_path)): oct(0o700) for f in folders}
    config = config_home / "runlog" / "config.toml"
    assert (mode(db), mode(config)) == (0o600, 0o600)
    assert listing(config.parent) == ["config.toml"], "a temporary file was left"


def test_config_set_never_writes_through_a_planted_link(tmp_path):
    env = isolated_env(tmp_path)
    folder = Path(env["XDG_CONFIG_HOME"]) / "runlog"
    folder.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours\n")
    for name in ("config.tmp", "config.toml.tmp", ".config.toml.tmp"):
        (folder / name).symlink_to(victim)
    must("config", "set", "units", "mi", env=env)
    assert victim.read_text() == "not yours\n"
    config = folder / "config.toml"
    assert not config.is_symlink() and mode(config) == 0o600
    assert config.read_text() == 'units = "mi"\n'
    assert all((folder / name).is_symlink() for name in ("config.tmp", "config.toml.tmp"))


def test_config_kept_as_a_link_to_a_dotfile_is_written_there(tmp_path):
    env = isolated_env(tmp_path)
    folder = Path(env["XDG_CONFIG_HOME"]) / "runlog"
    folder.mkdir(parents=True)
    dotfile = tmp_path / "dotfiles" / "runlog.toml"
    dotfile.parent.mkdir()
    dotfile.write_text('week_start = "sunday"\n')
    (folder / "config.toml").symlink_to(dotfile)
    must("config", "set", "units", "mi", env=env)
    assert (folder / "config.toml").is_symlink()
    assert dotfile.read_text() == 'week_start = "sunday"\nunits = "mi"\n'
    assert mode(dotfile) == 0o600
    assert must("config", "get", "week_start", env=env) == "sunday\n"


# -- 19. a broken or hostile config, a row no report can read -----------------------------------

BROKEN_CONFIGS = {
    "invalid-toml": b'units = "km\n',
    "not-utf8": b'units = "\xff\xfe"\n',
    "utf16": 'units = "mi"\n'.encode("utf-16"),
}


@pytest.mark.parametrize("content", list(BROKEN_CONFIGS))
def test_a_broken_config_is_one_error_line_and_config_set_mends_it(tmp_path, content):
    env = isolated_env(tmp_path)
    config = Path(env["XDG_CONFIG_HOME"]) / "runlog" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_bytes(BROKEN_CONFIGS[content])
    for args in (["add", "5k"], ["config", "list"], ["config", "get", "units"]):
        done = run(*args, env=env)
        assert done.returncode == 1, (args, done.returncode, done.stderr)
        line = error_line(done)
        assert str(config) in line and "runlog config set" in line, line
    done = run("config", "set", "units", "mi", env=env)
    assert done.returncode == 0, done.stderr
    assert must("config", "get", "units", env=env) == "mi\n"
    kept = config.with_name("config.toml.broken")
    assert kept.read_bytes() == BROKEN_CONFIGS[content], "the unreadable file was not kept"
    assert str(kept) in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_config_that_is_no_regular_file_is_refused_at_once(tmp_path, kind):
    env = isolated_env(tmp_path)
    config = Path(env["XDG_CONFIG_HOME"]) / "runlog" / "config.toml"
    config.parent.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "folder":
        config.mkdir()
    else:
        config.symlink_to("/dev/null")
    for args in (["config", "list"], ["add", "5k"], ["config", "set", "units", "mi"]):
        done = run(*args, env=env, timeout=20)  # reading a pipe would wait for ever
        assert done.returncode == 1, (args, done.returncode, done.stderr)
        assert str(config) in error_line(done)
    assert not Path(env["RUNLOG_DB"]).exists()


BAD_ROWS = {
    "no-such-day": ("entries", "date = '2026-02-30', day = '2026-02-30'", 2, "date"),
    "month-13": ("entries", "date = '2026-13-45', day = '2026-13-45'", 2, "date"),
    "year-1": ("entries", "date = '0001-01-01', day = '0001-01-01'", 2, "date"),
    "hour-25": ("entries", "date = '2026-11-19T25:00:00+01:00', day = '2026-11-19'", 2, "date"),
    "offset-99": ("entries", "date = '2026-11-19T07:00:00+99:00', day = '2026-11-19'", 2, "date"),
    "half-a-mood": ("entries", "mood_after = 2.5", 1, "mood after"),
    "note-as-bytes": ("entries", "note = x'00ff'", 1, "note"),
    "checkin-feelings": ("checkins", "emotions = 'not json'", 1, "emotions"),
}


def test_db_check_passes_a_sound_log(tmp_path):
    db, env = small_log(tmp_path)
    must("start", "--before", "2", env=env)
    assert must("db", "check", env=env) == "ok\n"


@pytest.mark.parametrize("bad", list(BAD_ROWS))
def test_db_check_names_a_row_the_reports_cant_read_by_id(tmp_path, bad):
    db, env = small_log(tmp_path)
    must("start", "--before", "2", env=env)
    table, assignment, row_id, what = BAD_ROWS[bad]
    sqlite_file(db, f"UPDATE {table} SET {assignment} WHERE id = {row_id}")
    before = sha256(db)

    done = run("db", "check", env=env)

    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    line = error_line(done)
    label = "check-in" if table == "checkins" else "entry"
    assert f"{label} {row_id}: {what}" in line, line
    assert sha256(db) == before


def test_config_set_keeps_settings_it_does_not_know(tmp_path):
    """A newer runlog's settings, in the same file, survive an older runlog's `config set`."""
    env = isolated_env(tmp_path)
    config = Path(env["XDG_CONFIG_HOME"]) / "runlog" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('units = "km"\nshoe_alert_km = 600\n\n[plan]\nname = "10k"\n')
    must("config", "set", "week_start", "sunday", env=env)
    import tomllib

    assert tomllib.loads(config.read_text()) == {
        "units": "km", "week_start": "sunday", "shoe_alert_km": 600, "plan": {"name": "10k"}}
