"""`--edit` with neither $VISUAL nor $EDITOR set: on a terminal the first of `editor`,
`nano` and `vi` found on PATH opens; with none of them, or with no terminal, one Error line
says what to set, exit 2, and nothing is written.

The real `runlog` process on a real pseudo-terminal (pexpect); the editors are small shell
scripts in a folder of their own on PATH."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pexpect
import pytest

from relsupport import RUNLOG, isolated_env, must, run, sha256


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path, TERM="dumb")


def db(env) -> Path:
    return Path(env["RUNLOG_DB"])


def editors(folder: Path, *names: str) -> str:
    """Fake editors `names` in `folder`: each writes its own name as the note (and leaves a
    mark that it ran). Returns the folder, for PATH."""
    folder.mkdir(exist_ok=True)
    for name in names:
        script = folder / name
        script.write_text(f'#!/bin/sh\nprintf "written in {name}\\n" > "$1"\n'
                          f': > "{folder}/{name}.ran"\n')  # no touch: PATH may be bare
        script.chmod(0o700)
    return str(folder)


def on_terminal(env, *args: str) -> tuple[int, str]:
    child = pexpect.spawn(str(RUNLOG), list(args), env=env, encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def notes(env) -> list:
    conn = sqlite3.connect(db(env))
    try:
        return [row[0] for row in conn.execute("SELECT note FROM entries ORDER BY id")]
    finally:
        conn.close()


def test_edit_without_editor_set_opens_debians_editor_first_on_path_editor_set_wins(env, tmp_path):
    env["PATH"] = editors(tmp_path / "bin", "editor", "nano", "vi") + os.pathsep + env["PATH"]
    status, shown = on_terminal(env, "add", "5k", "28:30", "--edit", "--no-input")
    assert status == 0, shown
    assert notes(env) == ["written in editor"]
    assert not (tmp_path / "bin" / "nano.ran").exists()
    # $EDITOR set still wins over the fallback
    (tmp_path / "bin" / "editor.ran").unlink()
    env["EDITOR"] = str(Path(editors(tmp_path / "mine", "chosen")) / "chosen")
    status, shown = on_terminal(env, "add", "5k", "--edit", "--no-input")
    assert status == 0, shown
    assert notes(env) == ["written in editor", "written in chosen"]
    assert not (tmp_path / "bin" / "editor.ran").exists()


@pytest.mark.parametrize("found, opened", [(("nano", "vi"), "nano"), (("vi",), "vi")])
def test_edit_falls_back_to_nano_then_vi(env, tmp_path, found, opened):
    env["PATH"] = editors(tmp_path / "bin", *found)  # nothing else: no /usr/bin/editor
    status, shown = on_terminal(env, "add", "5k", "--edit", "--no-input")
    assert status == 0, shown
    assert notes(env) == [f"written in {opened}"]
    # edit --edit finds it the same way
    status, shown = on_terminal(env, "edit", "1", "--edit")
    assert status == 0, shown
    assert notes(env) == [f"written in {opened}"]


def test_no_editor_on_path_is_one_error_line_exit_2_nothing_written(env, tmp_path):
    env["PATH"] = editors(tmp_path / "empty")
    status, shown = on_terminal(env, "add", "5k", "28:30", "--edit", "--no-input")
    lines = [line for line in shown.splitlines() if line.strip()]
    assert status == 2, shown
    assert lines == ["Error: --edit needs $EDITOR set: none of editor, nano or vi is on PATH "
                     "(set $EDITOR, e.g. export EDITOR=nano, or use --note)"], lines
    assert not db(env).exists()
    # and an existing log stays as it was, on add and on edit
    must("add", "5k", env=env)
    before = sha256(db(env))
    for args in (("add", "10k", "--edit", "--no-input"), ("edit", "1", "--edit")):
        status, shown = on_terminal(env, *args)
        assert status == 2 and "none of editor, nano or vi is on PATH" in shown, shown
        assert "Traceback" not in shown
    assert sha256(db(env)) == before


def test_without_a_terminal_no_fallback_editor_is_started(env, tmp_path):
    env["PATH"] = editors(tmp_path / "bin", "editor", "nano", "vi") + os.pathsep + env["PATH"]
    done = run("add", "5k", "--edit", env=env)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "Error: --edit needs $EDITOR set when runlog is not on a terminal "
        "(set $EDITOR, e.g. export EDITOR=nano, or use --note)"]
    assert not db(env).exists()
    assert not list((tmp_path / "bin").glob("*.ran"))
