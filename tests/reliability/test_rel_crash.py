"""Killed and interrupted imports: a 200,000-row import is all or nothing.

SIGKILL (power cut, OOM killer) at moments spread across the import must leave a database
that passes SQLite's integrity check with either none or all of the file's rows. Ctrl-C
(SIGINT) must stop it with one line, exit 130 and nothing written.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

import pytest

from helpers import db_state
from relsupport import RUNLOG, count_entries, integrity, isolated_env, must, write_runlog_csv

ROWS = 200_000
EXISTING = 3
# When to kill, as fractions of how long a whole import takes on this machine.
KILL_AT = (0.05, 0.25, 0.5, 0.75, 0.9)
INTERRUPT_AT = (0.2, 0.6)


@pytest.fixture(scope="module")
def big_import(tmp_path_factory):
    """The 200k-row file, a small log to import it into, and how long a whole import takes
    (which also proves the complete case: before + 200,000)."""
    root = tmp_path_factory.mktemp("crash")
    csv_path = write_runlog_csv(root / "200k.csv", ROWS)
    template = root / "template.db"
    env = isolated_env(root, db=template)
    for n in range(EXISTING):
        must("add", f"{n + 3}k", "30:00", "-n", f"before the import {n}", env=env)
    assert count_entries(template) == EXISTING

    measured = root / "measured.db"
    measured.write_bytes(template.read_bytes())
    started = time.monotonic()
    done = subprocess.run([str(RUNLOG), "import", str(csv_path)],
                          env=isolated_env(root, db=measured), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300)
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert count_entries(measured) == EXISTING + ROWS
    assert integrity(measured) == ["ok"]
    return csv_path, template, duration


def _fresh_log(tmp_path, template):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "runlog.db"
    path.write_bytes(template.read_bytes())
    path.chmod(0o600)
    return path


def _start_import(csv_path, path, tmp_path) -> subprocess.Popen:
    return subprocess.Popen([str(RUNLOG), "import", str(csv_path)],
                            env=isolated_env(tmp_path, db=path), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group: signals reach only it


def _no_process_left(process) -> None:
    """Nothing of the import runs on: the process that reads a large file (in the killed
    one's process group) stops when the writer is gone."""
    deadline = time.monotonic() + 10
    while True:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, "a process of the import is still running"
        time.sleep(0.05)


@pytest.mark.parametrize("fraction", KILL_AT, ids=[f"at-{int(f * 100)}pct" for f in KILL_AT])
def test_sigkill_during_a_200k_import_leaves_all_or_nothing(tmp_path, big_import, fraction):
    csv_path, template, duration = big_import
    path = _fresh_log(tmp_path, template)
    before = db_state(path)

    process = _start_import(csv_path, path, tmp_path)
    time.sleep(duration * fraction)
    was_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    if fraction <= 0.5:  # later kills may find the import just done: then it must be all
        assert was_running, f"the import ended before {duration * fraction:.2f}s"
    if was_running:
        assert process.returncode == -signal.SIGKILL

    assert integrity(path) == ["ok"]
    _no_process_left(process)
    count = count_entries(path)
    assert count in (EXISTING, EXISTING + ROWS), f"killed after {duration * fraction:.2f}s: {count}"
    if count == EXISTING:
        assert db_state(path) == before
    # runlog itself agrees, and can go on: the import, run again, completes exactly once.
    env = isolated_env(tmp_path, db=path)
    assert must("db", "check", env=env).strip() == "ok"
    if fraction == 0.5:
        must("import", str(csv_path), env=env)
        assert count_entries(path) == EXISTING + ROWS
        assert integrity(path) == ["ok"]


def _indexes(path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                            " ORDER BY name").fetchall()
    finally:
        conn.close()


def test_sigkill_during_an_import_into_an_empty_log_keeps_its_indexes(tmp_path, big_import):
    """Into an empty log the import drops the entry tables' indexes and builds them again at
    the end, all inside its transaction: killed halfway, the log has them as before."""
    csv_path, template, duration = big_import
    path = _fresh_log(tmp_path, template)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM entry_emotions")
        conn.execute("DELETE FROM tags")
        conn.execute("DELETE FROM entries")
    conn.close()
    before, indexes = db_state(path), _indexes(path)
    assert any(name == "entries_day" for name, _ in indexes)

    process = _start_import(csv_path, path, tmp_path)
    time.sleep(duration * 0.5)
    assert process.poll() is None, "the import ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    _no_process_left(process)

    assert integrity(path) == ["ok"]
    assert db_state(path) == before
    assert _indexes(path) == indexes


@pytest.mark.parametrize("fraction", INTERRUPT_AT,
                         ids=[f"at-{int(f * 100)}pct" for f in INTERRUPT_AT])
def test_sigint_during_an_import_exits_130_with_one_line_and_writes_nothing(
        tmp_path, big_import, fraction):
    csv_path, template, duration = big_import
    path = _fresh_log(tmp_path, template)
    before = db_state(path)

    process = _start_import(csv_path, path, tmp_path)
    time.sleep(duration * fraction)
    assert process.poll() is None, "the import ended before it could be interrupted"
    os.kill(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)

    _no_process_left(process)
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert stdout == ""
    assert integrity(path) == ["ok"]
    if process.returncode == 0:
        # On a busy machine the signal may land after the import was saved (as it wrote its
        # summary): then it is kept, whole, and runlog says so rather than "nothing changed".
        assert lines[-1] == "Stopped after the change was saved: it is kept.", lines
        assert db_state(path) != before
        return
    assert process.returncode == 130, (process.returncode, stderr)
    assert len(lines) == 1 and "Interrupted" in lines[0], lines
    assert db_state(path) == before


def test_ctrl_c_on_a_terminal_during_an_import_exits_130_and_writes_nothing(tmp_path, big_import):
    """The same through a pseudo-terminal, where the progress bar is showing."""
    pexpect = pytest.importorskip("pexpect")
    csv_path, template, duration = big_import
    path = _fresh_log(tmp_path, template)
    before = db_state(path)
    env = isolated_env(tmp_path, db=path, TERM="xterm")

    # The echoed ^C may land inside a character of the bar: decode what is read leniently.
    child = pexpect.spawn(str(RUNLOG), ["import", str(csv_path)], env=env, encoding="utf-8",
                          codec_errors="replace", timeout=60, dimensions=(24, 80))
    child.expect(r"[1-9][\d,]* records")  # the progress bar counts as it goes
    time.sleep(duration * 0.4)
    assert child.isalive(), "the import ended before it could be interrupted"
    child.sendintr()  # the terminal's Ctrl-C: SIGINT to the foreground process group
    child.expect(pexpect.EOF)
    child.close()
    _no_process_left(child)

    assert child.exitstatus == 130, (child.exitstatus, child.signalstatus, child.before)
    assert "Traceback" not in child.before
    assert "Interrupted" in child.before
    assert integrity(path) == ["ok"]
    assert db_state(path) == before
