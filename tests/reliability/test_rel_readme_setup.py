"""README's first set-up command demonstrates runlog on a throwaway log in the checkout: a
newcomer's own log starts empty."""

from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
from pathlib import Path

from relsupport import RUNLOG, isolated_env

README = Path(__file__).resolve().parents[2] / "README.md"


def _setup_lines() -> list[str]:
    lines, inside = [], False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```bash setup"):
            inside = True
        elif line.startswith("```"):
            inside = False
        elif inside:
            lines.append(line)
    return lines


def _runlog_steps(command: str) -> list[list[str]]:
    """The `runlog ...` steps of a `a && b && c` line, with the venv's path dropped."""
    steps = [shlex.split(step) for step in command.split("&&")]
    return [step[1:] for step in steps if step and step[0].endswith("/runlog")]


def test_the_setup_block_has_two_commands_and_neither_is_editable():
    first, second = _setup_lines()
    assert "pip install ." in first and "pytest" in second
    assert "-e" not in shlex.split(first) + shlex.split(second)


def test_the_first_command_logs_into_a_throwaway_log_not_the_real_one(tmp_path):
    env = isolated_env(tmp_path, db=tmp_path / "unused")
    del env["RUNLOG_DB"]  # as on a newcomer's machine: the default log is the real one
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    steps = _runlog_steps(_setup_lines()[0])
    assert [step[:2] for step in steps] == [["--db", "demo.db"]] * len(steps)
    outputs = []
    for step in steps:
        done = subprocess.run([str(RUNLOG), *step], env=env, cwd=checkout, capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    demo = checkout / "demo.db"
    with sqlite3.connect(demo) as conn:
        assert conn.execute("SELECT count(*), max(mood_before), max(mood_after) "
                            "FROM entries").fetchone() == (1, 2, 4)
    assert os.stat(demo).st_mode & 0o777 == 0o600
    real = Path(env["XDG_DATA_HOME"]) / "runlog"
    assert not (real / "runlog.db").exists()
    assert "5.00 km" in outputs[-1]
