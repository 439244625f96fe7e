"""Real processes of the installed console script: start-up, many writers at once, prompts
on a pseudo-terminal, no prompts in a pipe, and a failed write that keeps what was typed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import runlog
import runlog.store.db
import runlog.vocab
from helpers import SPEC_ENTRY_KEYS, db_path, db_state, sql

RUNLOG = Path(sys.executable).with_name("runlog")


def run(*args: str, input: str = "", timeout: float = 20) -> subprocess.CompletedProcess:
    """`runlog ARGS` as a script runs it: stdin a pipe, output captured."""
    return subprocess.run([str(RUNLOG), *args], input=input, capture_output=True, text=True,
                          timeout=timeout)


def test_console_script_is_installed():
    assert RUNLOG.is_file() and os.access(RUNLOG, os.X_OK)


def test_version():
    done = run("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"runlog {runlog.__version__}\n", "")


def test_python_dash_m():
    done = subprocess.run([sys.executable, "-m", "runlog", "--version"], capture_output=True,
                          text=True, timeout=20)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"runlog {runlog.__version__}\n", "")


def test_twenty_adds_at_once_on_a_fresh_database_all_succeed():
    assert not db_path().exists()
    processes = [
        subprocess.Popen([str(RUNLOG), "add", f"{n + 1}k", f"{6 * (n + 1)}:00", "--note", f"run {n}"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for n in range(20)
    ]
    outcomes = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    assert [code for code, _, _ in outcomes] == [0] * 20, [err for _, _, err in outcomes]
    assert all(out.startswith("Logged #") and err == "" for _, out, err in outcomes)
    assert sql("SELECT count(*), count(DISTINCT uuid), count(DISTINCT note) FROM entries") == [
        (20, 20, 20)]
    assert sorted(row[0] for row in sql("SELECT distance_m FROM entries")) == [
        1000.0 * n for n in range(1, 21)]
    assert sql("PRAGMA user_version") == [(runlog.store.db.SCHEMA_VERSION,)]
    # Exactly one of them created and migrated the file: one set of builtin emotions.
    assert sql("SELECT count(*) FROM emotions") == [(len(runlog.vocab.BUILTIN_EMOTIONS),)]
    assert sql("SELECT count(*) FROM _sqlite_migrations") == [(runlog.store.db.SCHEMA_VERSION,)]


def test_a_piped_add_never_prompts():
    done = run("add", "5k", "28:30", input="4\nsad\nshould not be read\n", timeout=10)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("Logged #1 run 5.00 km in 28:30 (5:42 /km) · ")
    assert "Mood after" not in done.stdout + done.stderr
    [(mood_after, note)] = sql("SELECT mood_after, note FROM entries")
    assert (mood_after, note) == (None, None)


def test_list_json_in_a_pipe_is_only_json():
    run("add", "5k", "28:30", "-f", "sad")
    done = run("list", "--json")
    assert done.returncode == 0 and done.stderr == ""
    assert [entry["emotions"] for entry in json.loads(done.stdout)] == [["sadness"]]
    plain = run("list")
    assert "\x1b[" not in plain.stdout


def test_a_reader_that_goes_away_is_not_an_error():
    run("add", "5k")
    process = subprocess.Popen([str(RUNLOG), "list", "--json"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    process.stdout.close()  # like `runlog list --json | head -0`
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=20) in (0, 1)
    assert "Traceback" not in stderr


# -- prompts on a terminal ---------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")


def spawn(*args: str):
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "80"}
    return pexpect.spawn(str(RUNLOG), list(args), env=env, encoding="utf-8", timeout=15)


def test_add_on_a_terminal_asks_for_what_is_missing():
    child = spawn("add", "5k", "28:30")
    child.expect_exact("Mood before the run, 1-5 (awful..great; Enter to skip)")
    child.sendline("")
    child.expect_exact("Mood after the run, 1-5 (awful..great; Enter to skip)")
    child.sendline("9")  # out of range: said why, asked again
    child.expect_exact("mood must be 1 to 5")
    child.expect_exact("Mood after")
    child.sendline("good")
    child.expect_exact("What did you feel?")
    child.sendline("sad, Relieved")
    child.expect_exact("A note on what came up")
    child.sendline("cried at the bridge")
    child.expect_exact("Logged #1 run 5.00 km in 28:30 (5:42 /km)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert sql("SELECT mood_after, note FROM entries") == [(4, "cried at the bridge")]
    assert sql("SELECT emotion FROM entry_emotions ORDER BY position") == [
        ("sadness",), ("relief",)]


def test_enter_skips_a_question_and_options_given_are_not_asked():
    child = spawn("add", "5k", "--felt", "calm")
    child.expect_exact("Mood before the run")
    child.sendline("")
    child.expect_exact("Mood after the run")
    child.sendline("")
    child.expect_exact("A note on what came up")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "What did you feel?" not in child.before
    assert sql("SELECT mood_after, note FROM entries") == [(None, None)]
    assert sql("SELECT emotion FROM entry_emotions") == [("calm",)]


def test_no_input_never_prompts_even_on_a_terminal():
    child = spawn("add", "5k", "--no-input")
    child.expect_exact("Logged #1 run 5.00 km")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_at_a_prompt_exits_130_and_logs_nothing():
    child = spawn("add", "5k", "28:30")
    child.expect_exact("Mood before the run")
    child.sendintr()
    child.expect_exact("Interrupted; nothing was changed.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in child.before
    assert db_state() is None


def test_end_of_input_at_a_prompt_logs_nothing():
    child = spawn("add", "5k", "28:30")
    child.expect_exact("Mood before the run")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Interrupted; nothing was changed." in child.before
    assert "Traceback" not in child.before
    assert db_state() is None


def test_delete_on_a_terminal_asks_first():
    run("add", "5k")
    child = spawn("delete", "1")
    child.expect_exact("#1 run 5.00 km")
    child.expect_exact("Move 1 entry to the trash?")
    child.sendline("n")
    child.expect_exact("Nothing was changed.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0  # declining is no error
    assert sql("SELECT deleted_at FROM entries") == [(None,)]
    child = spawn("delete", "1")
    child.expect_exact("Move 1 entry to the trash?")
    child.sendline("y")
    child.expect_exact("Moved 1 to the trash.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert sql("SELECT deleted_at IS NOT NULL FROM entries") == [(1,)]


# -- a failed write keeps what was typed --------------------------------------------------------


def test_a_failed_write_prints_the_typed_entry_as_one_importable_json_line(tmp_path):
    """The write really fails inside SQLite: a trigger (any SQLite tool could add one)
    aborts every insert. Running as root, file permissions can't be used to provoke it."""
    run("add", "1k")  # create the database
    conn = sqlite3.connect(db_path())
    conn.execute("CREATE TRIGGER no_more BEFORE INSERT ON entries"
                 " BEGIN SELECT RAISE(ABORT, 'the disk is on fire'); END")
    conn.commit()
    conn.close()
    before = db_state()

    done = run("add", "10k", "52:00", "--date", "2026-11-20 07:30", "--before", "2",
               "--after", "4", "--felt", "sad,relieved", "--cried", "during", "--effort", "6",
               "--pain", "2", "--where", "left knee", "--intention", "let go",
               "--note", "cried at the bridge", "--tag", "long")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1].startswith("Error: ") and "the disk is on fire" in lines[-1]
    typed = json.loads(lines[0])
    assert list(typed) == SPEC_ENTRY_KEYS
    assert {key: typed[key] for key in SPEC_ENTRY_KEYS if key not in ("id", "uuid")} == {
        "date": "2026-11-20T07:30:00+01:00", "kind": "run", "distance_km": 10,
        "duration_s": 3120, "pace_s_per_km": 312.0, "mood_before": 2, "mood_after": 4,
        "mood_lift": 2, "emotions": ["sadness", "relief"], "cried": "during", "effort": 6,
        "pain": 2, "where": "left knee", "intention": "let go",
        "note": "cried at the bridge", "tags": ["long"],
    }
    assert db_state() == before  # nothing half-written

    # `runlog import` reads it: the line saved as a file is one good NDJSON record.
    from runlog import interchange

    saved = tmp_path / "lost.ndjson"
    saved.write_text(lines[0] + "\n", encoding="utf-8")
    records = list(interchange.read(saved))
    assert [type(record).__name__ for record in records] == ["Row"]
    entry = records[0].entry
    assert (entry.uuid, entry.distance_m, entry.note, entry.emotions) == (
        typed["uuid"], 10000.0, "cried at the bridge", ("sadness", "relief"))


def test_a_database_from_a_newer_runlog_is_refused_untouched_by_a_real_process():
    run("add", "5k")
    conn = sqlite3.connect(db_path())
    conn.execute(f"PRAGMA user_version = {runlog.store.db.SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path().read_bytes(), db_path().stat().st_mtime_ns
    folder = sorted(os.listdir(db_path().parent))
    done = run("list")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("Error: ") and "newer runlog" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert (db_path().read_bytes(), db_path().stat().st_mtime_ns) == before
    assert sorted(os.listdir(db_path().parent)) == folder
