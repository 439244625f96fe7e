"""What is typed is kept right or not at all: no impossible run becomes a record, no check-in
is attached to a run it was never for, no edit drops a value unasked, and a note being
written in $EDITOR leaves no file behind however runlog is stopped.

Each test runs the real `runlog` process on real files and checks the log from the outside
(file hashes, rows), so "nothing was written" means the bytes did not change."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from relsupport import RUNLOG, count_entries, isolated_env, must, run, sha256


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


@pytest.fixture
def logged(env, tmp_path):
    """A log holding one plausible run (5 km in 30:00); returns (db path, env)."""
    must("add", "5k", "30:00", "-d", "2026-01-10", env=env)
    return tmp_path / "runlog.db", env


def _refused(done, *fragments: str) -> str:
    """Exit 2 with one `Error:` line on stderr holding each fragment, and no traceback."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def _rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# -- item 9: values no human could have run ----------------------------------------------

IMPOSSIBLE = [
    (["1000k", "1s"], "world record"),
    (["5k", "2:30"], "world record"),
    (["5k", "1s"], "world record"),
    (["5k", "28:30:00"], "slower than 1 km an hour"),
    (["10k", "20:00", "--kind", "walk"], "world record"),
]


@pytest.mark.parametrize(("args", "rule"), IMPOSSIBLE)
def test_add_refuses_what_no_human_can_run_and_writes_nothing(logged, args, rule):
    db, env = logged
    before = sha256(db)
    _refused(run("add", *args, env=env), rule, "--force")
    assert sha256(db) == before


def test_force_keeps_an_impossible_run_but_announces_no_record_from_it(logged):
    db, env = logged
    forced = json.loads(must("add", "5k", "9:00", "--force", "--json", env=env))
    assert (forced["distance_km"], forced["duration_s"]) == (5, 540)
    assert forced["milestones"] == []
    assert count_entries(db) == 2


def test_a_refused_run_never_becomes_the_record_a_real_one_is_measured_against(logged):
    db, env = logged
    _refused(run("add", "21.1k", "5:00", env=env), "world record")
    real = json.loads(must("add", "10k", "55:00", "--json", env=env))
    kinds = {milestone["kind"] for milestone in real["milestones"]}
    assert {"longest_run", "round_distance"} <= kinds, real["milestones"]


def test_edit_checks_the_run_as_it_would_be_after_the_edit(logged):
    db, env = logged
    before = sha256(db)
    # 5 km in 30:00 made 20 km in 30:00: each value alone is fine, together impossible.
    _refused(run("edit", "1", "--distance", "20k", env=env), "world record", "--force")
    _refused(run("edit", "1", "--time", "1:00", env=env), "world record", "--force")
    assert sha256(db) == before
    changed = json.loads(must("edit", "1", "--time", "1:00", "--force", "--json", env=env))
    assert changed["duration_s"] == 60


def _on_a_terminal(args: list[str], env: dict, answer: str) -> tuple[int, str]:
    """Run runlog with a pseudo-terminal as stdin and stdout; type `answer` when it asks."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen([str(RUNLOG), *args], stdin=follower, stdout=follower,
                               stderr=follower, env=env, close_fds=True)
    os.close(follower)
    seen = b""
    answered = False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        import select

        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"Keep it?" in seen:
            os.write(leader, answer.encode() + b"\r")
            answered = True
        if process.poll() is not None and not ready:
            break
    code = process.wait(timeout=30)
    os.close(leader)
    return code, seen.decode(errors="replace")


def test_a_surprising_run_is_kept_from_a_script_and_asked_about_on_a_terminal(logged):
    db, env = logged
    # 5 km in 14:00 is possible (elite), but worth a second look.
    quick = ["5k", "14:00", "-b", "3", "-a", "4", "-f", "joy", "-n", "fast day"]
    before = sha256(db)
    code, screen = _on_a_terminal(["add", *quick], env, "n")
    # Answering no is no error: it says so and exits 0, having written nothing.
    assert code == 0 and "Keep it?" in screen and "Nothing was logged." in screen, screen
    assert sha256(db) == before
    code, screen = _on_a_terminal(["add", *quick], env, "y")
    assert code == 0 and "Logged #2" in screen, screen
    assert must("add", *quick, env=env).startswith("Logged #3")  # a script is never asked


def test_a_distance_alone_past_the_24_hour_record_is_asked_about_on_a_terminal(logged):
    db, env = logged
    before = sha256(db)
    code, screen = _on_a_terminal(["add", "400k", "-a", "4", "-f", "joy", "-n", "x"], env, "n")
    assert code == 0 and "24 hours" in screen and "Nothing was logged." in screen, screen
    assert sha256(db) == before


# -- item 10: a check-in is taken up only by a run within its window ---------------------

def _checkin_values(env, *args) -> dict:
    entry = json.loads(must("add", *args, "--json", env=env))
    return {key: entry[key] for key in ("mood_before", "intention", "emotions")}


TAKEN = {"mood_before": 2, "intention": "let the argument go", "emotions": ["grief"]}
NONE = {"mood_before": None, "intention": None, "emotions": []}


def test_a_back_dated_run_leaves_the_check_in_for_todays_run(env):
    must("start", "--before", "2", "--intention", "let the argument go", "--felt", "grief",
         env=env)
    assert _checkin_values(env, "10k", "50:00", "-d", "2020-06-01") == NONE
    assert _checkin_values(env, "5k", "28:30") == TAKEN
    assert _checkin_values(env, "3k", "18:00") == NONE  # taken up once only


def test_a_run_dated_by_day_alone_takes_up_that_days_check_in(env):
    must("start", "--before", "2", "--intention", "let the argument go", "--felt", "grief",
         env=env)
    two_days_ago = (datetime.now() - timedelta(days=2)).date().isoformat()
    assert _checkin_values(env, "5k", "28:30", "-d", two_days_ago) == NONE
    assert _checkin_values(env, "5k", "28:30", "-d", "today") == TAKEN


def test_a_check_in_waits_for_a_run_in_its_own_twelve_hours(env, tmp_path):
    db = tmp_path / "runlog.db"
    must("start", "--before", "2", "--intention", "let the argument go", "--felt", "grief",
         env=env)
    # The check-in was made 20 hours ago: a run logged now is not the one it was for...
    made = (datetime.now().astimezone() - timedelta(hours=20)).replace(microsecond=0)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE checkins SET created_at = ?, created_ts = ?",
                 (made.isoformat(), made.timestamp()))
    conn.commit()
    conn.close()
    assert _checkin_values(env, "5k", "28:30") == NONE
    # ...but the run logged late, dated an hour after it, is.
    ran = (made + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert _checkin_values(env, "5k", "28:30", "-d", ran) == TAKEN


def test_a_new_check_in_says_it_replaced_the_waiting_one(env):
    must("start", "--before", "2", env=env)
    assert "replaces the check-in" in must("start", "--before", "4", env=env)
    assert _checkin_values(env, "5k", "28:30")["mood_before"] == 4


def test_moving_a_run_out_of_its_check_ins_window_asks_what_to_do_with_its_values(env,
                                                                                    tmp_path):
    db = tmp_path / "runlog.db"
    must("start", "--before", "2", "--intention", "let the argument go", env=env)
    must("add", "5k", "28:30", env=env)
    before = sha256(db)
    _refused(run("edit", "1", "-d", "2020-06-01", env=env), "check-in",
             "--clear before --clear intention")
    assert sha256(db) == before
    moved = json.loads(must("edit", "1", "-d", "2020-06-01", "--before", "3", "--clear",
                            "intention", "--json", env=env))
    assert (moved["date"], moved["mood_before"], moved["intention"]) == ("2020-06-01", 3, None)
    # The check-in is released: the run it was for, logged now, takes it up.
    assert _rows(db, "SELECT used_by FROM checkins") == [(None,)]
    assert _checkin_values(env, "5k", "29:00")["mood_before"] == 2


# -- item 11: an edit never drops or hides data silently ---------------------------------

@pytest.fixture
def half(env, tmp_path):
    must("add", "half", "1:55:00", "-d", "2026-01-10", "-a", "4", env=env)
    must("rest", "-d", "2026-01-11", "--mood", "3", env=env)
    return tmp_path / "runlog.db", env


@pytest.mark.parametrize(("args", "fragments"), [
    (["1", "--kind", "rest"], ["--clear distance --clear time"]),
    (["1", "--kind", "checkin"], ["--clear distance --clear time"]),
    (["1", "--kind", "checkin", "--distance", "7k"], ["check-in can't have a distance"]),
    (["1", "--kind", "rest", "--clear", "distance"], ["--clear time"]),
    (["2", "--distance", "5k"], ["rest day can't have a distance", "--kind run"]),
    (["2", "--time", "30:00"], ["rest day can't have a time"]),
    (["2", "--before", "2"], ["rest day can't have a mood before"]),
])
def test_an_edit_that_would_drop_or_hide_values_is_refused(half, args, fragments):
    db, env = half
    before = sha256(db)
    _refused(run("edit", *args, env=env), *fragments)
    assert sha256(db) == before


def test_a_run_becomes_a_rest_day_when_its_values_are_cleared(half):
    db, env = half
    _refused(run("edit", "1", "--kind", "rest", env=env), "--clear distance --clear time")
    rest = json.loads(must("edit", "1", "--kind", "rest", "--clear", "distance", "--clear",
                           "time", "--json", env=env))
    assert (rest["kind"], rest["distance_km"], rest["duration_s"], rest["mood_after"]) == (
        "rest", None, None, 4)
    run_again = json.loads(must("edit", "2", "--kind", "run", "--distance", "5k", "--json",
                                env=env))
    assert (run_again["kind"], run_again["distance_km"]) == ("run", 5)


# -- item 16: the note's temporary file goes on every way out ----------------------------

@pytest.fixture
def slow_editor(tmp_path):
    """$EDITOR that says which file it opened, then waits (as a person typing would)."""
    marker = tmp_path / "opened"
    script = tmp_path / "slow-editor"
    script.write_text(f'#!/bin/sh\necho "$$ $1" > "{marker}"\nexec sleep 60\n')
    script.chmod(0o755)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return script, marker, scratch


def _editing(env: dict, slow_editor, *args: str) -> subprocess.Popen:
    script, marker, scratch = slow_editor
    process = subprocess.Popen([str(RUNLOG), *args], env={**env, "EDITOR": str(script),
                                                          "TMPDIR": str(scratch)},
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while not marker.exists() or not marker.read_text().strip():
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.05)
    note = Path(marker.read_text().split(" ", 1)[1].strip())
    assert note.exists() and scratch in note.parents
    assert note.stat().st_mode & 0o077 == 0  # only this user can read it
    return process


@pytest.mark.parametrize(("signum", "to_group", "code"), [
    (signal.SIGHUP, False, 129),   # the terminal closed
    (signal.SIGTERM, False, 143),  # `kill`
    (signal.SIGHUP, True, 129),    # the terminal closed, the editor told as well
])
def test_a_stopped_note_leaves_no_file_and_logs_nothing(env, tmp_path, slow_editor, signum,
                                                        to_group, code):
    must("add", "5k", "30:00", env=env)
    db = tmp_path / "runlog.db"
    before = sha256(db)
    process = _editing(env, slow_editor, "add", "5k", "28:30", "--edit")
    if to_group:
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    out, err = process.communicate(timeout=30)
    assert process.returncode == code, (out, err)
    assert "Traceback" not in err and err.startswith("Interrupted"), err
    assert list(slow_editor[2].iterdir()) == []
    assert sha256(db) == before
    # The editor went with it.
    editor_pid = int(slow_editor[1].read_text().split(" ", 1)[0])
    with pytest.raises(ProcessLookupError):
        os.kill(editor_pid, 0)


def test_ctrl_c_while_the_editor_runs_is_the_editors_and_loses_no_note(env, tmp_path):
    """As with git, runlog ignores SIGINT while the editor is open: Ctrl-C in vim must not
    end runlog and throw away the note being written."""
    marker, go = tmp_path / "opened", tmp_path / "go"
    script = tmp_path / "editor"
    script.write_text(f'#!/bin/sh\necho "$$ $1" > "{marker}"\n'
                      f'while [ ! -e "{go}" ]; do sleep 0.05; done\n'
                      'echo "written after Ctrl-C" > "$1"\n')
    script.chmod(0o755)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    process = _editing(env, (script, marker, scratch), "add", "5k", "28:30", "--edit")
    time.sleep(0.3)  # runlog starts ignoring SIGINT just after the editor starts
    os.kill(process.pid, signal.SIGINT)
    time.sleep(0.5)
    go.touch()
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, (out, err)
    assert _rows(tmp_path / "runlog.db", "SELECT note FROM entries") == [
        ("written after Ctrl-C",)]
    assert list(scratch.iterdir()) == []


def test_a_refused_run_never_opens_the_editor(env, slow_editor):
    script, marker, scratch = slow_editor
    done = run("add", "5k", "2:30", "--edit",
               env={**env, "EDITOR": str(script), "TMPDIR": str(scratch)})
    _refused(done, "world record")
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["a\x1bb", "a\x9bb", "bell\x07"])
def test_a_typed_tag_holding_a_control_character_is_refused_as_an_imported_one_is(logged, tag):
    database, env = logged
    before = sha256(database)
    done = run("add", "5k", "30:00", "--tag", tag, "--no-input", env=env)
    _refused(done, "holds a control character")
    assert "\x1b" not in done.stderr and "\x9b" not in done.stderr
    assert sha256(database) == before


def test_a_tag_with_an_emoji_joiner_is_kept_as_typed(logged):
    database, env = logged
    must("add", "5k", "30:00", "--tag", "\U0001f3c3\u200d\u2640\ufe0f", "--no-input", env=env)
    [entry] = [e for e in json.loads(must("list", "--json", env=env)) if e["tags"]]
    assert entry["tags"] == ["\U0001f3c3\u200d\u2640\ufe0f"]


@pytest.mark.parametrize("tag", ["a\x1bb", "a\x9bb", "next\x85line"])
def test_an_imported_tag_holding_a_control_character_is_refused_as_a_typed_one_is(
        env, tmp_path, tag):
    source = tmp_path / "tagged.ndjson"
    source.write_text(json.dumps({"uuid": "t-1", "date": "2026-01-02", "kind": "run",
                                  "distance_km": 5, "tags": [tag]}) + "\n", encoding="utf-8")
    done = run("import", str(source), env=env)
    assert done.returncode == 2 and "holds a control character" in done.stderr, done.stderr
    assert not (tmp_path / "runlog.db").exists()
