"""What the reports share: export reads --since/--until as every report does, and insights
colours a warning on a terminal only."""

from __future__ import annotations

import pexpect
import pytest

from relsupport import RUNLOG, isolated_env, must, run


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


def test_export_with_until_before_since_is_refused_and_writes_nothing(env, tmp_path):
    must("add", "5k", "30:00", "-d", "2026-11-20", "--no-input", env=env)
    target = tmp_path / "out.csv"
    done = run("export", "--since", "2026-11-21", "--until", "2026-11-19", "-o", str(target),
               env=env)
    assert done.returncode == 2
    assert done.stderr == "Error: --until (2026-11-19) is before --since (2026-11-21)\n"
    assert done.stdout == "" and not target.exists()


def _painful_log(env):
    for day in ("2026-11-24", "2026-11-25", "2026-11-26"):
        must("add", "5k", "30:00", "-d", day, "--pain", "6", "--no-input", env=env)


def test_an_insights_warning_is_red_on_a_terminal(env):
    _painful_log(env)
    env = {**env, "TERM": "xterm"}
    del env["NO_COLOR"]
    child = pexpect.spawn(str(RUNLOG), ["insights", "--as-of", "2026-11-27"], env=env,
                          encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "\x1b[31mWarning (running through pain)\x1b[0m" in child.before


def test_piped_insights_have_no_escape_codes(env):
    _painful_log(env)
    env = {**env, "TERM": "xterm"}
    del env["NO_COLOR"]
    done = run("insights", "--as-of", "2026-11-27", env=env)
    assert done.returncode == 0 and "running through pain" in done.stdout
    assert "\x1b" not in done.stdout


@pytest.mark.parametrize(("words", "expected"), [
    (["45", "--distance", "5k"], (5.0, 2700)),
    (["25.5", "--distance", "5k"], (5.0, 1530)),
])
def test_a_bare_number_beside_distance_is_the_time(env, words, expected):
    import json

    added = json.loads(must("add", *words, "--json", "--no-input", env=env))
    assert (added["distance_km"], added["duration_s"]) == expected


def test_a_milestone_is_green_on_a_terminal(env):
    env = {**env, "TERM": "xterm"}
    del env["NO_COLOR"]
    child = pexpect.spawn(str(RUNLOG), ["add", "5k", "30:00", "--no-input"], env=env,
                          encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "\x1b[1;32m★ Your first run: 5.00 km\x1b[0m" in child.before


def test_a_csv_export_shown_on_a_terminal_has_no_spelled_out_carriage_returns(env):
    must("add", "5k", "30:00", "-d", "2026-11-20", "--no-input", env=env)
    child = pexpect.spawn(str(RUNLOG), ["export"], env=env, encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "id,uuid,date" in child.before and "\\r" not in child.before


def test_sigterm_at_a_question_puts_the_message_on_a_line_of_its_own(env):
    import signal

    child = pexpect.spawn(str(RUNLOG), ["add"], env=env, encoding="utf-8", timeout=30)
    child.expect_exact("How far did you go?")
    child.send("5k 2")
    child.expect_exact("5k 2")
    child.kill(signal.SIGTERM)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 128 + signal.SIGTERM
    assert "5k 2Interrupted" not in child.before
    assert "\nInterrupted" in child.before.replace("\r", "")


def test_a_file_import_cant_read_is_named_once(env, tmp_path):
    missing = tmp_path / "gone.csv"
    done = run("import", str(missing), env=env)
    assert done.returncode == 2
    assert done.stderr == f"Error: {missing}: no such file (check the path)\n"
    done = run("import", str(tmp_path), env=env)
    assert done.stderr == f"Error: {tmp_path}: it is a folder, not a file\n"
    assert not (tmp_path / "runlog.db").exists()


def test_edit_reads_a_bare_number_beside_distance_as_add_does(env):
    import json

    must("add", "5k", "30:00", "--no-input", env=env)
    edited = json.loads(must("edit", "1", "45", "--distance", "6k", "--json", env=env))
    assert (edited["distance_km"], edited["duration_s"]) == (6.0, 2700)
