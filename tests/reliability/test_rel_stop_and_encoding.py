"""A command stopped after its change was saved says so and exits 0 (a non-zero exit
promises that nothing changed); a stopped backup leaves no file; output that can't carry
Unicode never fails a command after it wrote; no text is too long to export and import.

The real `runlog` process on real files (a few with one function of runlog replaced, to
stop it at an exact moment)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from relsupport import count_entries, isolated_env, must, run, sha256


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


def run_stopped_at(target: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    """`runlog ARGS` whose function `target` ("module:name") raises KeyboardInterrupt, as
    Ctrl-C or SIGTERM would at that moment."""
    module, name = target.split(":")
    program = (
        "import importlib, sys\n"
        f"module = importlib.import_module({module!r})\n"
        "def stop(*args, **kwargs):\n"
        "    raise KeyboardInterrupt\n"
        f"setattr(module, {name!r}, stop)\n"
        "from runlog.cli import main\n"
        "sys.argv[0] = 'runlog'\n"
        "main()\n")
    return subprocess.run([sys.executable, "-c", program, *args], env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_add_stopped_after_its_run_was_saved_says_so_and_exits_0(env, tmp_path):
    must("add", "3k", "20:00", "--no-input", env=env)
    done = run_stopped_at("runlog.render:summary", "add", "5k", "30:00", "--no-input", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "Stopped after the change was saved: it is kept."
    assert count_entries(tmp_path / "runlog.db") == 2


def test_add_stopped_before_its_run_was_saved_changes_nothing(env, tmp_path):
    must("add", "3k", "20:00", "--no-input", env=env)
    before = sha256(tmp_path / "runlog.db")
    done = run_stopped_at("runlog.analysis.records:new_milestones", "add", "5k", "30:00",
                          "--no-input", env=env)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "Interrupted; nothing was changed."
    assert count_entries(tmp_path / "runlog.db") == 1
    assert sha256(tmp_path / "runlog.db") == before


def test_a_stopped_backup_leaves_no_file_and_can_be_made_again(env, tmp_path):
    must("add", "3k", "20:00", "--no-input", env=env)
    destination = tmp_path / "backup.db"
    done = run_stopped_at("runlog.store.maintenance:open_sqlite", "db", "backup",
                          str(destination), env=env)
    assert done.returncode == 130 and "nothing was changed" in done.stderr
    assert not destination.exists() and not Path(f"{destination}-journal").exists()
    must("db", "backup", str(destination), env=env)
    assert count_entries(destination) == 1


def test_a_backup_name_too_long_is_refused_cleanly(env, tmp_path):
    must("add", "3k", "20:00", "--no-input", env=env)
    done = run("db", "backup", str(tmp_path / ("g" * 250)), env=env)
    assert done.returncode == 2 and "too long for a backup" in done.stderr
    assert "unexpected" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("g")) == []


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_output_that_cant_carry_unicode_never_fails_a_command(env, tmp_path, encoding):
    must("emotions", "add", "café", "--valence", "mixed", env=env)
    narrow = {**env, "PYTHONIOENCODING": encoding}
    for args in (["add", "5k", "28:00", "--felt", "café", "--note", "naïve ★", "--no-input"],
                 ["rest", "--mood", "meh", "--note", "stayed in ☂"],
                 ["edit", "1", "--note", "still ★"], ["list"], ["stats"], ["show", "1"]):
        done = subprocess.run([str(Path(sys.executable).with_name("runlog")), *args],
                              env=narrow, capture_output=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, (args, done.stderr)
        assert b"unexpected" not in done.stderr
    assert count_entries(tmp_path / "runlog.db") == 2
    listed = subprocess.run([str(Path(sys.executable).with_name("runlog")), "list", "--json"],
                            env=narrow, capture_output=True, timeout=60)
    assert sorted(e["note"] for e in json.loads(listed.stdout)) == ["stayed in ☂", "still ★"]
    exported = subprocess.run([str(Path(sys.executable).with_name("runlog")), "export"],
                              env=narrow, capture_output=True, timeout=60)
    assert exported.returncode == 0
    assert "still ★".encode() in exported.stdout and "café".encode() in exported.stdout


def test_no_text_is_too_long_to_export_and_import_back(env, tmp_path):
    database = tmp_path / "runlog.db"
    must("add", "3k", "20:00", "--no-input", env=env)
    before = sha256(database)
    done = run("add", "5k", "28:00", "--note", "-", "--no-input", env=env,
               input="\x01" * (1 << 20) + "x")
    assert done.returncode == 2 and "longer than 1,048,576 characters" in done.stderr
    assert sha256(database) == before
    longest = "\x01" * (1 << 20)  # the most typing takes: its NDJSON line is 6 MiB
    must("add", "5k", "28:00", "--note", "-", "--no-input", env=env, input=longest)
    out = tmp_path / "log.ndjson"
    must("export", "--format", "ndjson", "-o", str(out), env=env)
    other = isolated_env(tmp_path / "other")
    must("import", str(out), env=other)
    assert count_entries(tmp_path / "other" / "runlog.db") == 2
    too_long = tmp_path / "long.ndjson"
    too_long.write_text(json.dumps({"uuid": "u-1", "date": "2026-01-02", "kind": "run",
                                    "distance_km": 5, "note": "y" * ((1 << 20) + 1)}) + "\n")
    done = run("import", str(too_long), env=other)
    assert done.returncode == 2 and "typing's limit" in done.stderr
