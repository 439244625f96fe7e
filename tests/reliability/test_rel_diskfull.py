"""A full disk: writes fail with a clear `Error:` (exit 1), the log stays intact.

The log lives on a 256 KiB tmpfs, filled with a filler file to leave a little (or no)
room. Mounting needs root; without it these tests are skipped, saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from helpers import db_state
from relsupport import integrity, isolated_env, must, run, write_runlog_csv

SIZE = "256k"
# Room enough for SQLite's 32 KiB shared-memory file (so the log can be opened) but not
# for what a write adds to the WAL: the common "nearly full" case.
NEARLY_FULL = 36 * 1024


@pytest.fixture(scope="module")
def small_disk():
    mount_point = Path(tempfile.mkdtemp(prefix="runlog-small-disk-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs",
                           str(mount_point)], capture_output=True, text=True)
    if done.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"can't mount a small tmpfs to fill (needs root): {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)
        mount_point.rmdir()


@pytest.fixture
def full_log(small_disk, tmp_path):
    """A log with three runs on the small disk, and a way to fill the disk up to
    `leave` free bytes. Empties the disk again afterwards."""
    db = small_disk / "data" / "runlog.db"
    env = isolated_env(tmp_path, db=db)
    for n in range(3):
        must("add", f"{n + 3}k", "30:00", "-n", f"earlier run {n}", env=env)

    def fill(leave: int) -> None:
        free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
        with open(small_disk / "filler", "wb") as filler:
            filler.write(b"\0" * max(0, free - leave))
        stat = os.statvfs(small_disk)
        assert stat.f_bavail * stat.f_frsize <= leave

    yield db, env, fill
    for child in small_disk.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def _assert_clear_disk_full_error(done, *, typed: bool) -> None:
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1].startswith("Error: "), lines
    assert [line for line in lines if line.startswith("Error: ")] == [lines[-1]], lines
    assert "full" in lines[-1], f"not clear that the disk is full: {lines[-1]}"
    if typed:  # SPEC §2: what was typed comes back as one importable JSON line
        assert len(lines) == 3
        assert json.loads(lines[0])["note"] == "typed on a full disk"
    else:
        assert len(lines) == 1, lines


def _assert_log_intact(db: Path, before) -> None:
    (db.parent.parent / "filler").unlink()
    assert integrity(db) == ["ok"]
    assert db_state(db) == before


@pytest.mark.parametrize("leave", [NEARLY_FULL, 0], ids=["nearly-full", "completely-full"])
def test_add_on_a_full_disk_says_so_and_keeps_the_log(full_log, leave):
    db, env, fill = full_log
    before = db_state(db)
    fill(leave)

    done = run("add", "10k", "55:00", "-n", "typed on a full disk", env=env)

    _assert_clear_disk_full_error(done, typed=True)
    _assert_log_intact(db, before)
    # With room again, runlog carries on.
    must("add", "10k", "55:00", env=env)
    assert must("db", "check", env=env).strip() == "ok"


@pytest.mark.parametrize("leave", [NEARLY_FULL, 0], ids=["nearly-full", "completely-full"])
def test_import_of_a_big_file_on_a_full_disk_says_so_and_keeps_the_log(full_log, tmp_path,
                                                                        leave):
    db, env, fill = full_log
    big = write_runlog_csv(tmp_path / "big.csv", 5_000)  # ~1.5 MB of log: far over the disk
    before = db_state(db)
    fill(leave)

    done = run("import", str(big), env=env)

    _assert_clear_disk_full_error(done, typed=False)
    assert str(big) in done.stderr
    _assert_log_intact(db, before)
    assert must("db", "check", env=env).strip() == "ok"
