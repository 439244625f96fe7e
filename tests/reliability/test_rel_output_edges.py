"""Output that meets a terminal or a closed pipe: an export shown on a terminal can't drive
it, an imported file's name is shown literally in the progress bar, and a reader that goes
away (`| head`) is no failure of a command that has written its entry."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pexpect
import pytest

from relsupport import RUNLOG, count_entries, isolated_env, must

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
ESCAPES = "\x1b]52;c;cHduZWQ=\x07\x1b[31mRED\u202e"


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


def on_terminal(*args: str, env: dict, cwd=None) -> str:
    """What `runlog ARGS` writes to a colour terminal (NO_COLOR unset: styles are on)."""
    colour = {key: value for key, value in env.items() if key != "NO_COLOR"}
    child = pexpect.spawn(str(RUNLOG), list(args), env={**colour, "TERM": "xterm-256color"},
                          encoding="utf-8", timeout=30, dimensions=(40, 100), cwd=cwd)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_an_export_shown_on_a_terminal_spells_escapes_out_and_a_file_keeps_them(env, tmp_path,
                                                                               fmt):
    must("add", "5k", "30:00", "--no-input", "--note", ESCAPES, env=env)
    shown = on_terminal("export", "--format", fmt, env=env)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "RED" in shown and "\\u202e" in shown
    must("export", "--format", fmt, "-o", str(tmp_path / "out"), env=env)
    kept = (tmp_path / "out").read_text(encoding="utf-8")
    if fmt == "csv":
        assert ESCAPES in kept
    else:
        note = json.loads(kept.splitlines()[0] if fmt == "ndjson" else kept)
        assert (note if fmt == "ndjson" else note[0])["note"] == ESCAPES


def test_an_imported_files_name_is_shown_literally_in_the_progress_bar(env, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = folder / "[link=https:evil.example]CLICK[reverse]x\x1b[2J.csv"
    shutil.copy(SAMPLES / "strava" / "geo-activity-playground" / "activities.csv", name)
    # named relative to the folder, so that the whole name fits in the bar
    shown = on_terminal("import", name.name, env=env, cwd=folder)
    assert "\x1b]8;" not in shown, "the name became a hyperlink"
    assert "\x1b[7m" not in shown, "the name turned on reverse video"
    assert "\x1b[2J" not in shown
    assert "[link=https:evil.example]CLICK[reverse]x\\x1b[2J.csv" in shown


@pytest.mark.parametrize("command", [
    ("add", "5k", "30:00", "--no-input"),
    ("rest", "--mood", "3"),
])
def test_a_reader_that_goes_away_is_no_failure_of_a_command_that_wrote(env, tmp_path, command):
    database = tmp_path / "runlog.db"
    done = subprocess.run(f"{RUNLOG} {' '.join(command)} | true; echo $" + "{PIPESTATUS[0]}",
                          shell=True, executable="/bin/bash", env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "0", done
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert count_entries(database) == 1


def test_a_reader_that_goes_away_from_a_long_listing_ends_it_quietly(env, tmp_path):
    for day in range(1, 29):
        must("add", "5k", "30:00", "-d", f"2026-02-{day:02d}", "--no-input", env=env)
    done = subprocess.run(f"{RUNLOG} export --format ndjson | head -1; echo $" + "{PIPESTATUS[0]}",
                          shell=True, executable="/bin/bash", env=env, capture_output=True,
                          text=True, timeout=60)
    first, status = done.stdout.splitlines()
    assert json.loads(first)["date"] == "2026-02-01"
    assert status == "0" and done.stderr == ""


@pytest.mark.parametrize("args", [("--help",), ("add", "--help"), ("import", "--help")])
def test_help_whose_reader_goes_away_ends_quietly(env, args):
    done = subprocess.run(f"{RUNLOG} {' '.join(args)} | head -1 >/dev/null; echo $" + "{PIPESTATUS[0]}",
                          shell=True, executable="/bin/bash", env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "0" and done.stderr == "", done


@pytest.mark.parametrize("columns", ["0", "-3", "abc", "99999999999", "10"])
def test_any_columns_value_gives_whole_help_and_tables(env, columns):
    must("add", "5k", "30:00", "--no-input", "--note", "a fine run", env=env)
    odd = {**env, "COLUMNS": columns}
    for args in (("--help",), ("list",), ("mood",)):
        done = subprocess.run([str(RUNLOG), *args], env=odd, capture_output=True, text=True,
                              timeout=60, stdin=subprocess.DEVNULL)
        assert done.returncode == 0 and done.stderr == "", (args, done.stderr)
        assert len(done.stdout) > 100 and max(map(len, done.stdout.splitlines())) <= 1000


def test_an_import_summary_names_a_few_other_sports_briefly(env, tmp_path):
    rows = ["Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
            "Elapsed Time,Distance"]
    for n in range(300):
        rows.append(f'{n},"Mar {n % 28 + 1}, 2025, 7:00:00 AM",x,Sport{n}{"X" * 5000},,1800,5.0')
    rows.append('999,"Mar 3, 2025, 7:00:00 AM",x,Run,,1800,5.0')
    strava = tmp_path / "activities.csv"
    strava.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = subprocess.run([str(RUNLOG), "import", str(strava)], env=env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    [line] = done.stderr.splitlines()
    assert "added 1" in line and "300 as other sports" in line and "and 292 more" in line
    assert len(line) < 1000
