"""A log reached through a link is read whole and another program's file stays untouched
through one; an output in the log's folder reached by a second name is refused; and
SIGTERM or SIGHUP stop runlog as Ctrl-C does, leaving no temporary copy of private data.

The real `runlog` process on real files."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from relsupport import RUNLOG, isolated_env, listing, must, run, sha256
from test_rel_storage_fixes import wal_only_snapshot
from test_rel_storage_safety import error_line, run_unprivileged, small_log


def test_a_read_only_log_reached_through_a_link_is_read_with_its_wal(tmp_path):
    copy, env = wal_only_snapshot(tmp_path, "only in the wal")
    snapshot = copy.parent
    link = tmp_path / "link.db"
    link.symlink_to(copy)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env.update(RUNLOG_DB=str(link), TMPDIR=str(scratch))
    snapshot.chmod(0o500)
    try:
        files = {name: sha256(snapshot / name) for name in listing(snapshot)}
        done = run_unprivileged("export", "--format", "json", env=env)
        assert done.returncode == 0, done.stderr
        assert [e["note"] for e in json.loads(done.stdout)].count("only in the wal") == 1
        assert {name: sha256(snapshot / name) for name in listing(snapshot)} == files
        assert listing(scratch) == []
    finally:
        snapshot.chmod(0o700)


def _crashed_foreign_wal_database(tmp_path: Path) -> Path:
    """Another program's WAL database as a crash (or a copied folder) leaves it: its last
    write only in the -wal, and no -shm."""
    live = tmp_path / "live"
    live.mkdir()
    writer = sqlite3.connect(live / "other.db")
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE bookmarks (url TEXT)")
    writer.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
    writer.commit()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal"):  # copied while the writer still has it open
        Path(f"{crashed / 'other.db'}{suffix}").write_bytes(
            Path(f"{live / 'other.db'}{suffix}").read_bytes())
    writer.close()
    assert Path(f"{crashed / 'other.db'}-wal").stat().st_size > 0
    return crashed / "other.db"


@pytest.mark.parametrize("through_a_link", [False, True])
@pytest.mark.parametrize("command", [["list"], ["add", "5k", "30:00", "--no-input"],
                                     ["db", "check"], ["export"]])
def test_another_programs_wal_database_is_untouched_and_gets_no_shm(tmp_path, command,
                                                                    through_a_link):
    target = _crashed_foreign_wal_database(tmp_path)
    given = target
    if through_a_link:
        given = tmp_path / "link.db"
        given.symlink_to(target)
    before = {name: sha256(target.parent / name) for name in listing(target.parent)}
    env = isolated_env(tmp_path, db=given)
    done = run(*command, env=env)
    assert done.returncode == 1
    assert "not a runlog database" in error_line(done)
    assert {name: sha256(target.parent / name) for name in listing(target.parent)} == before
    assert listing(target.parent) == ["other.db", "other.db-wal"]


def test_an_output_in_the_logs_folder_reached_by_a_bind_mount_is_refused(tmp_path):
    db, env = small_log(tmp_path)
    alias = tmp_path / "alias"
    alias.mkdir()
    subprocess.run(["mount", "--bind", str(db.parent), str(alias)], check=True)
    try:
        before = sha256(db)
        for args in (["export", "-o", str(alias / f"{db.name}-journal")],
                     ["export", "-o", str(alias / f"{db.name}-wal")],
                     ["db", "backup", str(alias / f"{db.name}-journal")]):
            done = run(*args, env=env)
            assert done.returncode == 2, (args, done.stderr)
            assert "the runlog database itself" in error_line(done)
        assert not Path(f"{db}-journal").exists()
        assert sha256(db) == before and must("show", "1", env=env)
    finally:
        subprocess.run(["umount", str(alias)], check=True)


def _big_ndjson(path: Path, rows: int = 200_000) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(rows):
            out.write(json.dumps({"uuid": str(uuid.UUID(int=n + 1)),
                                  "date": f"2025-01-{n % 28 + 1:02d}T07:00:00+01:00",
                                  "kind": "run", "distance_km": 5, "duration_s": 1800,
                                  "note": f"PRIVATE-{n}"}) + "\n")
    return path


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_import_from_standard_input_leaves_no_copy_and_no_log(tmp_path, signum):
    source = _big_ndjson(tmp_path / "big.ndjson")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = isolated_env(tmp_path, db=tmp_path / "new" / "runlog.db", TMPDIR=str(scratch))
    feeder = subprocess.Popen(["bash", "-c", f"cat {source}; sleep 30"], stdout=subprocess.PIPE)
    runlog = subprocess.Popen([str(RUNLOG), "import", "-"], env=env, stdin=feeder.stdout,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    feeder.stdout.close()
    try:
        deadline = time.monotonic() + 20
        while not listing(scratch) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert listing(scratch), "runlog never began its copy"
        time.sleep(0.3)
        runlog.send_signal(signum)
        out, err = runlog.communicate(timeout=30)
    finally:
        feeder.kill()
        feeder.wait()
    assert runlog.returncode == 128 + signum, err
    assert err.strip() == "Interrupted; nothing was changed."
    assert listing(scratch) == []
    assert not (tmp_path / "new" / "runlog.db").exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_import_into_a_new_log_leaves_nothing_behind(tmp_path, signum):
    source = _big_ndjson(tmp_path / "big.ndjson")
    new = tmp_path / "new"
    new.mkdir()
    env = isolated_env(tmp_path, db=new / "runlog.db")
    runlog = subprocess.Popen([str(RUNLOG), "import", str(source)], env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not listing(new) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert listing(new), "the import never began"
    runlog.send_signal(signum)
    _, err = runlog.communicate(timeout=60)
    if runlog.returncode == 0:  # it finished first: then the log is whole
        assert must("list", "--limit", "1", env=env)
        return
    assert runlog.returncode == 128 + signum, err
    assert listing(new) == []
