"""`add` never refuses a repeat (two runs a day are normal), but on a terminal it says when
the same run (same day, distance within 1 %, time within 5 seconds) is already logged, and
how to take the new one back. From a script nothing changes.

The real `runlog` process on a real pseudo-terminal (pexpect), on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect
import pytest

from relsupport import RUNLOG, count_entries, isolated_env, must, run

# Every question answered by an option, so the terminal asks nothing.
QUIET = ("--before", "2", "--after", "4", "--felt", "calm", "--note", "ok")
DAY = "2026-11-20"


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path, TERM="dumb")


def db(env) -> Path:
    return Path(env["RUNLOG_DB"])


def on_terminal(env, *args: str) -> tuple[int, str]:
    child = pexpect.spawn(str(RUNLOG), list(args), env=env, encoding="utf-8", timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in child.before
    # The terminal wraps a long line where it likes; the warning is one line of its own.
    return child.exitstatus, child.before.replace("\r\n", "\n")


def test_the_same_run_typed_again_on_a_terminal_is_logged_and_warned_about(env):
    must("add", "5k", "28:30", "-d", DAY, env=env)
    status, shown = on_terminal(env, "add", "5k", "28:30", "-d", DAY, *QUIET)
    assert status == 0
    assert "Logged #2 run 5.00 km in 28:30" in shown
    assert ("You already logged a 5.00 km run in 28:30 on 2026-11-20 (#1); logged this one "
            "too — `runlog delete 2` if it was a repeat.") in shown.splitlines()
    assert count_entries(db(env)) == 2
    assert "Error" not in shown


@pytest.mark.parametrize("first, again", [
    (("5k", "28:30"), ("5.04k", "28:34")),  # within 1 % and 5 seconds: a watch's copy
    (("30:00",), ("30:00",)),  # a time alone, both times
    (("5k",), ("5 km",)),  # a distance alone, both times
    (("5k", "28:30", "--kind", "treadmill"), ("5k", "28:30")),  # another activity kind
])
def test_near_enough_is_the_same_run(env, first, again):
    must("add", *first, "-d", DAY, env=env)
    status, shown = on_terminal(env, "add", *again, "-d", DAY, *QUIET)
    assert status == 0
    assert "You already logged a" in shown and "`runlog delete 2` if it was a repeat" in shown
    assert count_entries(db(env)) == 2


@pytest.mark.parametrize("first, again", [
    (("5k", "28:30", "-d", "2026-11-19"), ("5k", "28:30", "-d", DAY)),  # another day
    (("5k", "28:30", "-d", DAY), ("5.1k", "28:30", "-d", DAY)),  # 2 % further
    (("5k", "28:30", "-d", DAY), ("5k", "28:40", "-d", DAY)),  # 10 seconds longer
    (("5k", "28:30", "-d", DAY), ("5k", "-d", DAY)),  # no time this time
    (("30:00", "-d", DAY), ("5k", "30:00", "-d", DAY)),  # a distance this time
])
def test_a_different_run_on_a_terminal_is_not_warned_about(env, first, again):
    must("add", *first, env=env)
    status, shown = on_terminal(env, "add", *again, *QUIET)
    assert status == 0
    assert "already logged" not in shown
    assert count_entries(db(env)) == 2
    # Typed once more, it is the second entry it repeats, never the first.
    status, shown = on_terminal(env, "add", *again, *QUIET)
    assert status == 0
    assert "(#2); logged this one too — `runlog delete 3` if it was a repeat." in shown


def test_a_run_in_the_trash_or_a_rest_day_is_no_repeat(env):
    must("add", "5k", "28:30", "-d", DAY, env=env)
    must("delete", "1", "--yes", env=env)
    must("rest", "-d", DAY, env=env)
    status, shown = on_terminal(env, "add", "5k", "28:30", "-d", DAY, *QUIET)
    assert status == 0
    assert "already logged" not in shown
    status, shown = on_terminal(env, "add", "5k", "28:30", "-d", DAY, *QUIET)
    assert "You already logged a 5.00 km run in 28:30 on 2026-11-20 (#3)" in shown


def test_the_warning_names_the_first_copy_and_the_new_entry(env):
    must("add", "8k", "40:00", "-d", DAY, env=env)
    must("add", "8k", "40:00", "-d", DAY, env=env)
    status, shown = on_terminal(env, "add", "8k", "40:00", "-d", DAY, *QUIET)
    assert status == 0
    assert ("You already logged an 8.00 km run in 40:00 on 2026-11-20 (#1); logged this one "
            "too — `runlog delete 3` if it was a repeat.") in shown.splitlines()


def test_the_warning_speaks_in_the_units_chosen(env):
    must("add", "5k", "28:30", "-d", DAY, env=env)
    status, shown = on_terminal(env, "--units", "mi", "add", "5k", "28:30", "-d", DAY, *QUIET)
    assert status == 0
    assert "You already logged a 3.11 mi run in 28:30 on 2026-11-20 (#1)" in shown


def test_from_a_script_a_repeat_is_logged_and_nothing_is_said(env):
    must("add", "5k", "28:30", "-d", DAY, env=env)
    done = run("add", "5k", "28:30", "-d", DAY, env=env)
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout.startswith("Logged #2 run 5.00 km in 28:30")
    assert count_entries(db(env)) == 2
    # The same repeat typed on a terminal is warned about: the script was not.
    status, shown = on_terminal(env, "add", "5k", "28:30", "-d", DAY, *QUIET)
    assert status == 0 and "(#1); logged this one too — `runlog delete 3`" in shown


def test_with_no_input_on_a_terminal_it_is_still_said(env):
    """--no-input means "don't ask", not "don't tell": a person sees standard error."""
    must("add", "5k", "28:30", "-d", DAY, env=env)
    status, shown = on_terminal(env, "add", "5k", "28:30", "-d", DAY, "--no-input")
    assert status == 0
    assert "(#1); logged this one too — `runlog delete 2`" in shown
    assert count_entries(db(env)) == 2


def test_the_warning_goes_to_standard_error_not_into_the_json(env):
    """--json on a terminal, its standard output saved to a file: the file holds the JSON
    alone, the warning is on the terminal (standard error)."""
    must("add", "5k", "28:30", "-d", DAY, env=env)
    out = db(env).with_name("out.json")
    command = " ".join([str(RUNLOG), "add", "5k", "28:30", "-d", DAY, *QUIET, "--json"])
    child = pexpect.spawn("/bin/sh", ["-c", f"{command} > {out}"], env=env, encoding="utf-8",
                          timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert json.loads(out.read_text())["id"] == 2
    assert "You already logged a 5.00 km run in 28:30 on 2026-11-20 (#1)" in child.before
