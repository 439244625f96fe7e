"""Private mental-health data stays private: owner-only files whatever the umask, redacted
exports that leak nothing, no network connection, and no file written anywhere but the
data folder, the config folder and the paths the user named.

(Folder and file modes of the default location, and of the migration backup copy, under
umask 0: tests/test_store.py::test_default_location_is_private_too and
tests/test_store.py::test_a_migration_from_an_older_version_runs_after_a_backup_copy.)
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import stat
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

from helpers import invoke, ok
from relsupport import RUNLOG, isolated_env, must, write_runlog_csv


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def open_umask() -> None:
    os.umask(0)


# -- owner-only files, even with umask 0 ---------------------------------------------------


def test_log_folder_wal_and_shm_are_owner_only_with_umask_0_in_a_real_process(tmp_path):
    path = tmp_path / "deep" / "private" / "runlog.db"
    env = isolated_env(tmp_path, db=path)
    done = subprocess.run([str(RUNLOG), "add", "5k", "-n", "first"], env=env,
                          capture_output=True, text=True, preexec_fn=open_umask,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700

    # The WAL and shared-memory files exist while a runlog writes: watch an import.
    runs = write_runlog_csv(tmp_path / "runs.csv", 30_000)
    importing = subprocess.Popen([str(RUNLOG), "import", str(runs)], env=env,
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, preexec_fn=open_umask)
    seen: dict[str, set[int]] = {"-wal": set(), "-shm": set()}
    while importing.poll() is None:
        for suffix in seen:
            try:
                seen[suffix].add(mode(Path(f"{path}{suffix}")))
            except FileNotFoundError:
                pass
        time.sleep(0.005)
    assert importing.wait() == 0, importing.stderr.read()
    importing.stderr.close()
    assert seen == {"-wal": {0o600}, "-shm": {0o600}}, seen
    assert mode(path) == 0o600


def test_db_backup_is_owner_only_with_umask_0_in_a_real_process(tmp_path):
    env = isolated_env(tmp_path)
    must("add", "5k", "-n", "private", env=env)
    backups = tmp_path / "backups"
    backups.mkdir()
    destination = backups / "copy.db"
    done = subprocess.run([str(RUNLOG), "db", "backup", str(destination)], env=env,
                          capture_output=True, text=True, preexec_fn=open_umask,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert mode(destination) == 0o600
    assert sorted(p.name for p in backups.iterdir()) == ["copy.db"]  # no journal left beside it
    # Opening the copy (it is a WAL database) gives it owner-only WAL files as well.
    copy_env = isolated_env(tmp_path, db=destination)
    holder = subprocess.Popen([str(RUNLOG), "import", str(write_runlog_csv(
        tmp_path / "runs.csv", 20_000))], env=copy_env, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=open_umask)
    modes = set()
    while holder.poll() is None:
        for suffix in ("-wal", "-shm"):
            try:
                modes.add(mode(Path(f"{destination}{suffix}")))
            except FileNotFoundError:
                pass
        time.sleep(0.005)
    assert holder.wait() == 0
    assert modes == {0o600}


# -- export --redact ---------------------------------------------------------------------------

SECRETS = {
    "note": "NOTE-SECRET-7f3a my sister's diagnosis",
    "intention": "INTENTION-SECRET-91c0 stop thinking about him",
    "where": "WHERE-SECRET-44de left knee",
    "checkin": "CHECKIN-SECRET-0b2e let the fight go",
    "rest": "REST-SECRET-5e81 stayed in bed all day",
    "trash": "TRASH-SECRET-d00d deleted but not gone",
    "edited": "EDITED-SECRET-e1e1 written later",
}


@pytest.fixture
def log_with_secrets(monkeypatch):
    monkeypatch.setattr("runlog.clock.now", lambda: datetime(2026, 11, 21, 18, 0).astimezone())
    ok("add", "5k", "28:30", "-n", SECRETS["note"], "-i", SECRETS["intention"],
       "--where", SECRETS["where"], "--pain", "4", "-f", "sad", "--tag", "park")
    ok("start", "--before", "2", "--intention", SECRETS["checkin"])
    ok("add", "3k", "20:00")  # run now, within its window: takes the check-in's intention up
    ok("rest", "-d", "2026-11-19", "--mood", "2", "-n", SECRETS["rest"])
    ok("add", "1k", "6:00", "-d", "2026-11-18", "-n", SECRETS["trash"],
       "--where", SECRETS["trash"], "-i", SECRETS["trash"])
    ok("delete", "4", "--yes")
    ok("add", "2k", "12:00", "-d", "2026-11-17")
    ok("edit", "5", "-n", SECRETS["edited"])


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
@pytest.mark.parametrize("include_deleted", [False, True], ids=["live", "with-trash"])
def test_export_redact_leaks_no_note_intention_or_pain_location(log_with_secrets, tmp_path, fmt,
                                                                include_deleted):
    extra = ["--include-deleted"] if include_deleted else []
    plain = ok("export", "--format", fmt, *extra).stdout
    # The secrets are really in the log (so the test can fail): the plain export shows them.
    expected_in_plain = [k for k in SECRETS if include_deleted or k != "trash"]
    assert all(SECRETS[k] in plain for k in expected_in_plain)

    redacted = ok("export", "--format", fmt, "--redact", *extra).stdout
    target = tmp_path / f"redacted.{fmt}"
    ok("export", "--format", fmt, "--redact", *extra, "--output", str(target))
    for text in (redacted, target.read_text(encoding="utf-8")):
        for name, secret in SECRETS.items():
            assert secret not in text, name
            assert secret.split()[0] not in text, name
        assert "park" in text and "sadness" in text  # the rest of the entry is kept
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(redacted)))
        assert rows and all(row["note"] == row["intention"] == row["where"] == "" for row in rows)
    else:
        documents = (json.loads(redacted) if fmt == "json"
                     else [json.loads(line) for line in redacted.splitlines()])
        assert documents
        for document in documents:
            assert (document["note"], document["intention"], document["where"]) == (None,) * 3


# -- no network ----------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError(f"network use is not allowed in this test ({name})")
        return blocked

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    return attempts


GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>Morning run</name><type>running</type><trkseg>
  <trkpt lat="52.3600" lon="4.8800"><time>2026-11-10T07:00:00Z</time></trkpt>
  <trkpt lat="52.3650" lon="4.8850"><time>2026-11-10T07:03:30Z</time></trkpt>
  <trkpt lat="52.3700" lon="4.8900"><time>2026-11-10T07:07:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""


def test_no_command_opens_a_network_connection(no_network, tmp_path):
    runs = write_runlog_csv(tmp_path / "runs.csv", 50)
    gpx = tmp_path / "run.gpx"
    gpx.write_text(GPX, encoding="utf-8")
    sequence = [
        ["--version"], ["--help"], ["config", "set", "units", "km"], ["config", "list"],
        ["config", "get", "units"],
        ["start", "--before", "2", "--intention", "breathe"],
        ["add", "5k", "28:30", "-a", "4", "-f", "sad,relieved", "--tag", "park", "-n", "n"],
        ["rest", "--mood", "3"], ["list"], ["ls", "--json"], ["show", "1"],
        ["edit", "1", "--after", "5"], ["delete", "2", "--yes"], ["trash"],
        ["restore", "2"], ["delete", "2", "--yes"], ["purge", "--yes"],
        ["start", "--before", "3"], ["start", "--cancel"],
        ["import", str(runs)], ["import", str(gpx)], ["import", "--dry-run", str(runs)],
        ["mood"], ["mood", "--month", "--chart"], ["mood", "--json"], ["stats"],
        ["stats", "--json"], ["emotions"], ["emotions", "list"],
        ["emotions", "add", "awe", "--valence", "positive"], ["insights"],
        ["insights", "--json"], ["export"], ["export", "--format", "json"],
        ["export", "--format", "ndjson", "--redact", "-o", str(tmp_path / "out.ndjson")],
        ["db", "path"], ["db", "info"], ["db", "check"],
        ["db", "backup", str(tmp_path / "copy.db")],
    ]
    for args in sequence:
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
    assert no_network == []


# -- nothing written outside the data, config and named paths --------------------------------

EDITOR = """#!/bin/sh
stat -c '%a %n' "$1" >> "$EDITOR_LOG"
printf 'written in the editor\\n' > "$1"
"""


@pytest.mark.parametrize("location", ["RUNLOG_DB", "default"])
def test_runlog_writes_only_its_data_config_and_named_outputs(tmp_path, location):
    tree = tmp_path / "tree"
    temp = tmp_path / "tmpdir"  # TMPDIR, apart from the tree
    tools = tmp_path / "tools"
    for folder in (tree, temp, tools):
        folder.mkdir()
    editor = tools / "editor.sh"
    editor.write_text(EDITOR)
    editor.chmod(0o700)
    env = isolated_env(tree, TMPDIR=str(temp), EDITOR=str(editor),
                       EDITOR_LOG=str(tools / "editor.log"))
    if location == "default":
        del env["RUNLOG_DB"]
        database = Path(env["XDG_DATA_HOME"]) / "runlog" / "runlog.db"
    else:
        database = Path(env["RUNLOG_DB"])
    (tree / "in").mkdir()
    (tree / "out").mkdir()
    runs = write_runlog_csv(tree / "in" / "runs.csv", 30)
    bad = tree / "in" / "bad.csv"
    bad.write_text("not,a,runlog,file\n1,2,3,4\n", encoding="utf-8")
    before = {p for p in tree.rglob("*") if p.is_file()}

    def go(*args: str, code: int = 0) -> None:
        done = subprocess.run([str(RUNLOG), *args], env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=60)
        assert done.returncode == code, (args, done.returncode, done.stderr)

    go("config", "set", "units", "km")
    go("config", "set", "week_start", "sunday")
    go("start", "--before", "2", "--intention", "breathe")
    go("add", "5k", "28:30", "-f", "sad", "--tag", "park", "-n", "a note")
    go("add", "3k", "20:00", "--edit")  # the note is written in $EDITOR, in a temporary file
    go("rest", "--mood", "3")
    go("add", "5k", "--felt", "no-such-feeling", code=2)
    for args in (["list"], ["list", "--json"], ["show", "1"], ["edit", "1", "--after", "4"],
                 ["delete", "2", "--yes"], ["trash"], ["restore", "2"], ["delete", "3", "--yes"],
                 ["purge", "--yes"], ["mood"], ["mood", "--chart"], ["stats"], ["emotions"],
                 ["emotions", "list"], ["emotions", "add", "awe", "--valence", "positive"],
                 ["insights"], ["export", "--format", "json"],
                 ["export", "--format", "csv", "-o", str(tree / "out" / "export.csv")],
                 ["import", str(runs)], ["import", "--dry-run", str(runs)],
                 ["db", "path"], ["db", "info"], ["db", "check"],
                 ["db", "backup", str(tree / "out" / "backup.db")], ["--version"]):
        go(*args)
    go("import", str(bad), code=2)

    written = {p for p in tree.rglob("*") if p.is_file()} - before
    config = Path(env["XDG_CONFIG_HOME"]) / "runlog" / "config.toml"
    assert written == {database, config, tree / "out" / "export.csv",
                       tree / "out" / "backup.db"}, sorted(map(str, written))
    folders = {p for p in tree.rglob("*") if p.is_dir()}
    needed = {tree / "in", tree / "out"} | {
        parent for path in written for parent in path.parents if tree in parent.parents}
    assert folders <= needed, sorted(map(str, folders - needed))
    assert list(temp.iterdir()) == [], "files were left in TMPDIR"
    # The editor's temporary file was in TMPDIR, owner-only, and is gone.
    [line] = (tools / "editor.log").read_text().splitlines()
    file_mode, name = line.split(" ", 1)
    assert file_mode == "600" and Path(name).parent.parent == temp and not Path(name).exists()
    assert mode(database) == 0o600
    if location == "default":  # a folder runlog made; RUNLOG_DB's folder is the user's own
        assert mode(database.parent) == 0o700
