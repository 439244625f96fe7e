"""On a terminal, `add`, `rest` and `start` ask for what was not given; every question says
Enter skips it; from a script (or with --no-input) nothing is ever asked.

The real `runlog` process on a real pseudo-terminal (pexpect), on real files."""

from __future__ import annotations

import re
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


def sql(env, query: str) -> list[tuple]:
    conn = sqlite3.connect(db(env))
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def spawn(env, *args: str):
    return pexpect.spawn(str(RUNLOG), list(args), env=env, encoding="utf-8", timeout=20)


def answer(child, question: str, reply: str) -> str:
    """Wait for the question (its whole line, up to the ": " it ends with), check that it
    says Enter skips it, and answer. Returns the question as shown."""
    child.expect(re.escape(question) + r"[^\r\n]*: ")
    shown = child.after
    assert "Enter to skip" in shown, shown
    child.sendline(reply)
    return shown


def finish(child) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in child.before
    return child.exitstatus, child.before


# -- add: how far and how long --------------------------------------------------------------


def test_add_with_nothing_asks_how_far_then_how_long_and_a_bad_answer_is_asked_again(env):
    child = spawn(env, "add")
    answer(child, "How far did you go?", "5 furlongs")
    child.expect_exact("can't read distance '5 furlongs'")
    answer(child, "How far did you go?", "5 km")
    answer(child, "How long did it take?", "28:3")
    child.expect_exact("28:3")
    answer(child, "How long did it take?", "28:30")
    answer(child, "Mood before the run", "bad")
    answer(child, "Mood after the run", "9")
    child.expect_exact("mood must be 1 to 5")
    answer(child, "Mood after the run", "good")
    answer(child, "What did you feel?", "sad, relieved")
    answer(child, "A note on what came up", "cried at the bridge")
    child.expect_exact("Logged #1 run 5.00 km in 28:30")
    status, _ = finish(child)
    assert status == 0
    assert sql(env, "SELECT distance_m, duration_s, mood_before, mood_after, note FROM entries") \
        == [(5000.0, 1710.0, 2, 4, "cried at the bridge")]
    assert sql(env, "SELECT emotion FROM entry_emotions ORDER BY position") == [
        ("sadness",), ("relief",)]


def test_enter_skips_each_question_and_the_time_alone_is_a_run(env):
    child = spawn(env, "add")
    answer(child, "How far did you go?", "")
    answer(child, "How long did it take?", "30:00")
    answer(child, "Mood before the run", "")
    answer(child, "Mood after the run", "")
    answer(child, "What did you feel?", "")
    answer(child, "A note on what came up", "")
    status, _ = finish(child)
    assert status == 0
    assert sql(env, "SELECT distance_m, duration_s, mood_before, mood_after, note FROM entries") \
        == [(None, 1800.0, None, None, None)]
    assert sql(env, "SELECT count(*) FROM entry_emotions") == [(0,)]


def test_both_typed_at_the_first_question_as_add_takes_them_skip_the_second(env):
    child = spawn(env, "add", "--before", "2", "--after", "4", "--felt", "calm", "--note", "ok")
    answer(child, "How far did you go?", "5 km 28:30")
    child.expect_exact("Logged #1 run 5.00 km in 28:30")
    status, shown = finish(child)
    assert status == 0
    assert "How long" not in shown
    assert sql(env, "SELECT distance_m, duration_s FROM entries") == [(5000.0, 1710.0)]


def test_a_time_typed_at_the_first_question_is_the_time(env):
    child = spawn(env, "add", "--before", "2", "--after", "4", "--felt", "calm", "--note", "ok")
    answer(child, "How far did you go?", "28:30")
    child.expect_exact("Logged #1 run in 28:30")
    status, shown = finish(child)
    assert status == 0
    assert "How long" not in shown
    assert sql(env, "SELECT distance_m, duration_s FROM entries") == [(None, 1710.0)]


def test_skipping_both_distance_and_time_is_the_usual_error_and_writes_nothing(env):
    child = spawn(env, "add", "--before", "2")
    answer(child, "How far did you go?", "")
    answer(child, "How long did it take?", "")
    status, shown = finish(child)
    assert status == 2
    assert "Error: say how far or how long you ran" in shown
    assert "Mood" not in shown  # nothing more is asked once it can't be logged
    assert not db(env).exists()


def test_skipping_both_leaves_an_existing_log_as_it_was(env):
    must("add", "10k", "55:00", "-d", "2026-11-01", env=env)
    before = sha256(db(env))
    child = spawn(env, "add")
    answer(child, "How far did you go?", "")
    answer(child, "How long did it take?", "")
    status, shown = finish(child)
    assert status == 2 and "Error: say how far or how long you ran" in shown
    assert sha256(db(env)) == before


def test_a_bad_option_is_refused_before_anything_is_asked(env):
    child = spawn(env, "add", "--after", "9")
    status, shown = finish(child)
    assert status == 2
    assert "mood must be 1 to 5" in shown
    assert "How far" not in shown
    assert not db(env).exists()


def test_ctrl_c_at_the_distance_question_logs_nothing(env):
    child = spawn(env, "add")
    child.expect_exact("How far did you go?")
    child.sendintr()
    status, shown = finish(child)
    assert status == 130
    assert "Interrupted; nothing was changed." in shown
    assert not db(env).exists()


# -- add: mood before, unless a check-in gives it --------------------------------------------


def test_a_waiting_check_in_with_a_mood_means_no_mood_before_question(env):
    must("start", "--before", "2", "--intention", "let it go", env=env)
    child = spawn(env, "add", "5k", "28:30")
    # The first question is the mood after: the check-in gives the mood before.
    assert child.expect([re.escape("Mood before the run"), re.escape("Mood after the run")]) == 1
    child.sendline("4")
    answer(child, "What did you feel?", "")
    answer(child, "A note on what came up", "")
    status, _ = finish(child)
    assert status == 0
    assert sql(env, "SELECT mood_before, mood_after, intention FROM entries") == [
        (2, 4, "let it go")]


def test_looking_for_a_check_in_creates_no_log(env):
    child = spawn(env, "add", "5k", "28:30")
    answer(child, "Mood before the run", "2")
    child.expect_exact("Mood after the run")
    assert not db(env).exists()
    child.sendintr()
    status, _ = finish(child)
    assert status == 130
    assert not db(env).exists()


def test_a_check_in_without_a_mood_still_asks_the_mood_before(env):
    must("start", "--intention", "let it go", env=env)
    child = spawn(env, "add", "5k", "28:30")
    answer(child, "Mood before the run", "1")
    answer(child, "Mood after the run", "3")
    answer(child, "What did you feel?", "")
    answer(child, "A note on what came up", "")
    status, _ = finish(child)
    assert status == 0
    assert sql(env, "SELECT mood_before, mood_after, intention FROM entries") == [
        (1, 3, "let it go")]


def test_a_back_dated_run_leaves_the_check_in_waiting_so_its_mood_before_is_asked(env):
    must("start", "--before", "2", env=env)
    child = spawn(env, "add", "5k", "28:30", "-d", "2020-06-01")
    answer(child, "Mood before the run", "5")
    answer(child, "Mood after the run", "")
    answer(child, "What did you feel?", "")
    answer(child, "A note on what came up", "")
    status, _ = finish(child)
    assert status == 0
    assert sql(env, "SELECT mood_before FROM entries") == [(5,)]
    assert sql(env, "SELECT used_by FROM checkins") == [(None,)]


def test_a_mood_before_given_as_an_option_is_not_asked(env):
    child = spawn(env, "add", "5k", "--before", "3", "--felt", "calm", "--note", "ok")
    assert child.expect([re.escape("Mood before the run"), re.escape("Mood after the run")]) == 1
    child.sendline("")
    status, _ = finish(child)
    assert status == 0
    assert sql(env, "SELECT mood_before, mood_after FROM entries") == [(3, None)]


# -- rest and start ---------------------------------------------------------------------------


def test_rest_asks_how_the_day_felt_the_feelings_and_a_note(env):
    child = spawn(env, "rest", "-d", "2026-11-02")
    answer(child, "How did the rest day feel?", "meh")
    answer(child, "What did you feel?", "guilty")
    answer(child, "A note on the day", "legs heavy")
    child.expect_exact("Logged #1 rest day")
    status, _ = finish(child)
    assert status == 0
    assert sql(env, "SELECT kind, date, mood_after, note FROM entries") == [
        ("rest", "2026-11-02", 3, "legs heavy")]
    assert sql(env, "SELECT emotion FROM entry_emotions") == [("guilt",)]


def test_rest_asks_only_what_was_not_given(env):
    child = spawn(env, "rest", "--mood", "2", "--note", "stayed in")
    assert child.expect([re.escape("How did the rest day feel?"),
                         re.escape("What did you feel?")]) == 1
    child.sendline("")
    status, shown = finish(child)
    assert status == 0
    assert "A note on the day" not in shown
    assert sql(env, "SELECT mood_after, note FROM entries") == [(2, "stayed in")]


def test_start_with_nothing_asks_mood_before_intention_and_feelings(env):
    child = spawn(env, "start")
    answer(child, "Mood before the run", "2x")
    child.expect_exact("mood must be 1 to 5")
    answer(child, "Mood before the run", "bad")
    answer(child, "What do you set out to let go of, or to find?", "let the argument go")
    answer(child, "What do you feel now?", "angry")
    child.expect_exact("Checked in")
    status, _ = finish(child)
    assert status == 0
    rows = sql(env, "SELECT mood_before, intention, emotions FROM checkins")
    assert [(mood, intention) for mood, intention, _ in rows] == [(2, "let the argument go")]
    assert "anger" in rows[0][2]


def test_start_with_every_question_skipped_is_the_usual_error_and_writes_nothing(env):
    child = spawn(env, "start")
    answer(child, "Mood before the run", "")
    answer(child, "What do you set out to let go of, or to find?", "")
    answer(child, "What do you feel now?", "")
    status, shown = finish(child)
    assert status == 2
    assert "Error: say how you feel or what you intend" in shown
    assert not db(env).exists()


# -- never from a script ----------------------------------------------------------------------


@pytest.mark.parametrize("args, status", [
    (("add",), 2),
    (("add", "5k"), 0),
    (("rest",), 0),
    (("start",), 2),
])
def test_no_input_never_asks_even_on_a_terminal(env, args, status):
    child = spawn(env, *args, "--no-input")
    code, shown = finish(child)
    assert code == status, shown
    assert "Enter to skip" not in shown
    asks_on_a_terminal(env, *args)


@pytest.mark.parametrize("args, status", [
    (("add",), 2),
    (("add", "5k"), 0),
    (("rest",), 0),
    (("start",), 2),
])
def test_piped_input_never_asks(env, args, status):
    done = run(*args, env=env, input="4\n")
    assert done.returncode == status, done.stderr
    assert "Enter to skip" not in done.stderr + done.stdout
    asks_on_a_terminal(env, *args)


@pytest.mark.parametrize("args, status", [
    (("add",), 2),
    (("add", "5k"), 0),
    (("rest",), 0),
])
def test_output_to_a_pipe_never_asks_even_with_a_terminal_for_input(env, args, status):
    """Standard input a terminal, standard output a pipe (`runlog add | cat`)."""
    command = " ".join([str(RUNLOG), *args]) + "; echo exit=$? >&2"
    child = pexpect.spawn("/bin/sh", ["-c", f"({command}) | cat"], env=env, encoding="utf-8",
                          timeout=20)
    code, shown = finish(child)
    assert code == 0
    assert f"exit={status}" in shown, shown
    assert "Enter to skip" not in shown
    asks_on_a_terminal(env, *args)


def asks_on_a_terminal(env, *args: str) -> None:
    """The same command on a terminal does ask (Ctrl-C then leaves it)."""
    child = spawn(env, *args)
    child.expect_exact("Enter to skip")
    child.sendintr()
    code, _ = finish(child)
    assert code == 130


# -- add's words: a distance and a time, typed without quotes ------------------------------


@pytest.mark.parametrize("words, distance_km, duration_s", [
    (("5", "km", "28:30"), 5, 1710),
    (("3.1", "miles", "30:00"), 4.9889664, 1800),
    (("half", "marathon", "2:05:00"), 21.0975, 7500),
    (("28:30", "5k"), 5, 1710),
])
def test_add_takes_the_words_as_typed_without_quotes(env, words, distance_km, duration_s):
    import json

    done = run("add", *words, "--json", env=env)
    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)
    assert entry["distance_km"] == pytest.approx(distance_km, abs=1e-6)
    assert entry["duration_s"] == duration_s


def test_the_distance_or_time_given_both_as_words_and_as_an_option_is_refused(env):
    for args in (("5", "km", "28:30", "--time", "28:30"), ("28:30", "5k", "--distance", "5k"),
                 ("5", "km", "--distance", "5k"), ("45", "min", "--time", "45min")):
        done = run("add", *args, env=env)
        assert done.returncode == 2, args
        assert done.stderr.splitlines() == [
            "Error: give the distance and time either as arguments or as options, not both"]
        assert not db(env).exists()


def test_add_help_shows_the_words_it_takes(env):
    shown = must("add", "--help", env=env)
    assert "Usage: runlog add [OPTIONS] [DISTANCE] [DURATION]" in shown
    flat = " ".join(shown.split())
    for example in ("5k 28:30", "5 km 28:30", "half marathon 2:05:00", "28:30", "45m"):
        assert example in flat


def test_nothing_is_asked_when_standard_error_is_not_a_terminal(tmp_path):
    """The questions go to standard error: with it sent away (`2>/dev/null`) they would be
    invisible, so nothing is asked and the run is logged as typed."""
    env = isolated_env(tmp_path)
    child = pexpect.spawn("/bin/sh", ["-c", f"{RUNLOG} add 5k 28:30 2>/dev/null"], env=env,
                          encoding="utf-8", timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Logged #1" in child.before
    assert "Mood" not in child.before


def test_ctrl_d_after_typed_text_never_cuts_the_answer_short(tmp_path):
    """Without readline, input() handed a line ended by Ctrl-D loses its last letter
    ('felt good toda'). Answers are read as a shell reads them: Ctrl-D after text does
    nothing, Enter takes the whole answer."""
    env = isolated_env(tmp_path)
    child = pexpect.spawn(str(RUNLOG), ["add", "5k", "28:30", "-b", "3", "-a", "4", "-f", "calm"],
                          env=env, encoding="utf-8", timeout=20)
    child.expect_exact("A note")
    child.send("felt good today")
    child.sendcontrol("d")
    child.sendcontrol("d")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with sqlite3.connect(tmp_path / "runlog.db") as conn:
        assert conn.execute("SELECT note FROM entries").fetchall() == [("felt good today",)]
