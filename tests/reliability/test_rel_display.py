"""What runlog shows, piped or on a terminal of any width: piped text is never cut (what a
terminal shows, `grep` finds), a narrow terminal keeps every value of every entry whole,
colour is for terminals only, a lone mood says whether it was before or after, tiny and
near-total shares aren't rounded away, and `list` says what it left out.

Every check runs the real `runlog` process, piped or on a pseudo-terminal (pexpect)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pexpect
import pytest

from relsupport import RUNLOG, count_entries, isolated_env, must, run, sha256

NOW = "2026-11-30T12:00:00+01:00"
STYLE = re.compile(r"\x1b\[[0-9;]*m")
FEELINGS = "gratitude,disappointment,vulnerability,loneliness,sadness,relief"
FELT_CELL = "gratitude, disappointment, vulnerability, loneliness, sadness, relief (cried)"
LONG_NOTE = ("started slow by the canal and the wind turned at the bridge, so the last three "
             "kilometres were a fight; stopped once to breathe and watched the herons lift off "
             "the water, and that was the moment it got easier")


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path, RUNLOG_NOW=NOW)


def on_terminal(*args: str, env: dict, columns: int, colour: bool = False,
                code: int = 0) -> str:
    """What `runlog ARGS` writes to a terminal `columns` wide (styles stripped unless
    `colour`), with stdout and stderr both on the terminal."""
    shown = {key: value for key, value in env.items() if key not in ("COLUMNS", "NO_COLOR")}
    if not colour:
        shown["NO_COLOR"] = "1"
    child = pexpect.spawn(str(RUNLOG), list(args), env={**shown, "TERM": "xterm-256color"},
                          encoding="utf-8", timeout=30, dimensions=(200, columns))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code, child.before
    text = child.before.replace("\r\n", "\n")
    return text if colour else STYLE.sub("", text)


def write_csv(path: Path, rows: list[dict]) -> Path:
    """A runlog-format CSV of runs, written with the csv module (not runlog's code)."""
    from runlog.model import ENTRY_KEYS

    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=ENTRY_KEYS, lineterminator="\r\n")
        writer.writeheader()
        for n, row in enumerate(rows):
            writer.writerow({"uuid": str(uuid.UUID(int=n + 1)), "kind": "run",
                             "distance_km": 5, "duration_s": 1800, **row})
    return path


def runs_on_days(count: int, **fields) -> list[dict]:
    """`count` runs, one a day backwards from 2026-11-29 (each a different day)."""
    from datetime import date, timedelta

    first = date(2026, 11, 29)
    return [{"date": (first - timedelta(days=n)).isoformat(), **fields} for n in range(count)]


# -- item 10: piped output is never cut --------------------------------------------------


@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_piped_output_keeps_every_cell_and_field_whole_at_any_columns(env, columns):
    must("add", "21.1k", "2:05:00", "-d", "2026-11-21 07:30", "-b", "1", "-a", "5",
         "-f", FEELINGS, "--cried", "during", "--note", LONG_NOTE, "--where", "both knees " * 8,
         "--intention", "let the argument with my sister go " * 3, "--no-input", env=env)
    must("add", "5k", "30:00", "-d", "2026-11-22", "-a", "4", "--no-input", env=env)
    piped = {**env, "COLUMNS": columns}

    listing = must("list", env=piped)
    assert "…" not in listing
    # `runlog list | grep cried` finds the run that cried, with all it felt, on one line
    done = subprocess.run(f"{RUNLOG} list | grep cried", shell=True, env=piped,
                          capture_output=True, text=True, timeout=60)
    [line] = done.stdout.splitlines()
    assert line.startswith("1 ") and line.endswith(FELT_CELL)
    assert "21.10 km" in line and "2:05:00" in line and "1→5" in line
    assert must("list", "--felt", "relief", env=piped).splitlines()[1].endswith(FELT_CELL)

    shown = must("show", "1", env=piped)
    assert "…" not in shown
    assert f"note           {LONG_NOTE}\n" in shown
    assert f"where          {('both knees ' * 8).strip()}\n" in shown
    assert f"intention      {('let the argument with my sister go ' * 3).strip()}\n" in shown
    assert "felt           gratitude, disappointment, vulnerability, loneliness, sadness, " \
           "relief\n" in shown


# -- item 11: a narrow terminal keeps every value whole ---------------------------------


def test_a_terminal_list_at_any_width_keeps_every_value_and_cuts_no_word(env):
    must("add", "21.1k", "2:05:00", "-d", "2026-11-21 07:30", "-b", "1", "-a", "5",
         "-f", FEELINGS, "--cried", "both", "--kind", "run-walk", "--no-input", env=env)
    must("add", "8k", "48:00", "-d", "2026-11-18", "-a", "4", "--kind", "treadmill",
         "--no-input", env=env)
    must("rest", "-d", "2026-11-19", "--mood", "2", "--felt", "guilty", env=env)
    must("add", "10k", "1:00:00", "-d", "2026-11-20 18:00", "-b", "3", "--no-input", env=env)
    rows = [entry for entry in json.loads(must("list", "--json", env=env))]
    piped = must("list", env=env)
    words = set(piped.split())  # every word a cell or heading holds (piped rows are whole)
    for columns in (40, 60, 80, 120):
        shown = on_terminal("list", env=env, columns=columns)
        lines = shown.rstrip("\n").split("\n")
        assert all(len(line) <= columns for line in lines), (columns, shown)
        assert "…" not in shown
        seen = [word for word in shown.split() if set(word) != {"─"}]
        # no word is cut or run into another: each is one of the table's own (or a label)
        strange = [word for word in seen if word not in words | set(
            ("id", "date", "kind", "distance", "time", "pace", "mood", "felt", "·"))]
        assert not strange, (columns, strange, shown)
        for entry in rows:
            assert str(entry["id"]) in seen and entry["date"][:10] in seen
            for name in entry["emotions"]:
                assert name + "," in seen or name in seen, (columns, name, shown)
        for cell in ("21.10", "2:05:00", "5:55", "1→5", "–→4", "3→–", "(cried)", "run-walk",
                     "treadmill", "guilt", "07:30", "18:00"):
            assert cell in seen, (columns, cell, shown)


def test_a_narrow_terminal_stacks_each_entry_with_its_values_named(env):
    must("add", "5k", "28:30", "-d", "2026-11-21 07:30", "-b", "2", "-a", "4", "-f", "sad",
         "--no-input", env=env)
    shown = on_terminal("list", env=env, columns=40)
    assert shown.split("\n")[:4] == [
        "1  2026-11-21 07:30  run",
        "  distance 5.00 km · time 28:30",
        "  pace 5:42 /km · mood 2→4",
        "  felt sadness",
    ]


# -- item 11: colour only for a terminal -------------------------------------------------

TONES = """
from runlog.cli._common import echo
echo("the warning", tone="warning")
echo("the caution", tone="caution")
echo("the milestone", tone="milestone")
echo("no tone")
"""


def echo_on_terminal(env: dict, term: str = "xterm-256color") -> str:
    child = pexpect.spawn(sys.executable, ["-c", TONES], env={**env, "TERM": term},
                          encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


def test_warning_caution_and_milestone_lines_are_coloured_on_a_terminal_only(env):
    colour = {key: value for key, value in env.items() if key != "NO_COLOR"}
    shown = echo_on_terminal(colour)
    assert "\x1b[31mthe warning\x1b[0m" in shown
    assert "\x1b[33mthe caution\x1b[0m" in shown
    assert "\x1b[1;32mthe milestone\x1b[0m" in shown
    assert shown.endswith("\x1b[0m\r\nno tone\r\n")  # a line without a tone is plain
    assert echo_on_terminal({**colour, "NO_COLOR": ""}) == shown  # empty: not set
    for value in ("1", "0", "false", "yes"):  # any non-empty value turns colour off
        assert "\x1b" not in echo_on_terminal({**colour, "NO_COLOR": value})
    assert "\x1b" not in echo_on_terminal(colour, term="dumb")
    piped = subprocess.run([sys.executable, "-c", TONES], env={**colour, "TERM": "xterm"},
                           capture_output=True, timeout=60)
    assert b"\x1b" not in piped.stdout and piped.stdout.splitlines() == [
        b"the warning", b"the caution", b"the milestone", b"no tone"]
    # and runlog's own output, piped with colour allowed, has no escape byte at all
    must("add", "5k", "28:30", "-d", "2026-11-21 07:30", "-b", "2", "-a", "4", "-f", "sad",
         "--no-input", env=env)
    colour["TERM"] = "xterm-256color"
    for args in (("list",), ("show", "1"), ("mood", "--chart"), ("stats",), ("emotions",),
                 ("insights",)):
        done = subprocess.run([str(RUNLOG), *args], env=colour, capture_output=True,
                              timeout=60, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, (args, done.stderr)
        assert b"\x1b" not in done.stdout + done.stderr, args


# -- item 13: which mood -----------------------------------------------------------------


def test_a_lone_mood_says_whether_it_was_before_or_after_in_add_list_and_show(env):
    said = [must(*args, env=env) for args in (
        ("add", "5k", "30:00", "-d", "2026-11-20", "-b", "4", "--no-input"),
        ("add", "5k", "30:00", "-d", "2026-11-21", "-a", "4", "--no-input"),
        ("add", "5k", "30:00", "-d", "2026-11-22", "-b", "2", "-a", "4", "--no-input"),
        ("add", "5k", "30:00", "-d", "2026-11-23", "--no-input"),
        ("rest", "-d", "2026-11-24", "--mood", "4"),
    )]
    assert "· mood before 4 (good)" in said[0] and "mood after" not in said[0]
    assert "· mood after 4 (good)" in said[1] and "mood before" not in said[1]
    assert "· mood 2→4 (+2)" in said[2]
    assert "mood" not in said[3]
    assert "· mood 4 (good)" in said[4]

    moods = {line.split()[0]: line.split()[-1] for line in
             must("list", env=env).splitlines()[1:]}
    assert moods == {"1": "4→–", "2": "–→4", "3": "2→4", "4": "–", "5": "4"}
    assert moods["1"] != moods["2"]

    def mood_lines(entry_id):
        return [line for line in must("show", str(entry_id), env=env).splitlines()
                if line.startswith(("mood", "lift"))]

    assert mood_lines(1) == ["mood before    4 (good)", "mood after     –", "lift           –"]
    assert mood_lines(2) == ["mood before    –", "mood after     4 (good)", "lift           –"]
    assert mood_lines(3) == ["mood before    2 (bad)", "mood after     4 (good)",
                             "lift           +2"]
    assert mood_lines(5) == ["mood           4 (good)"]  # a rest day has one mood
    # the same on a terminal, in Rich's table
    shown = on_terminal("list", env=env, columns=100)
    for entry_id, cell in moods.items():
        [row] = [line for line in shown.split("\n") if line.split()[:1] == [entry_id]]
        assert cell in row.split(), (entry_id, row)


# -- item 15: shares never round to 0% or 100% when they aren't ---------------------------


def test_a_tiny_or_near_total_share_reads_below_1_or_above_99_percent(env, tmp_path):
    # 201 runs: relief on 200 (99.5%), pride on one (0.5%), joy on 29 of them (14.43%).
    rows = runs_on_days(201)
    for n, row in enumerate(rows):
        names = (["relief"] if n else ["pride"]) + (["joy"] if 0 < n <= 29 else [])
        row["emotions"] = ";".join(names)
    must("import", str(write_csv(tmp_path / "runs.csv", rows)), env=env)
    shares = {line.split()[0]: line.split()[3] for line in
              must("emotions", env=env).splitlines()[1:] if line.split()[0] != "Share"}
    assert shares["relief"] == ">99%"
    assert shares["pride"] == "<1%"
    assert shares["joy"] == "14%"


def test_an_exact_half_percent_rounds_up_though_binary_would_round_it_down(env, tmp_path):
    # 29 of 200 runs is 14.5% exactly; the float 0.145 is 0.14499999999999999.
    rows = runs_on_days(200)
    for row in rows[:29]:
        row["emotions"] = "joy"
    must("import", str(write_csv(tmp_path / "runs.csv", rows)), env=env)
    [joy] = [line for line in must("emotions", env=env).splitlines()
             if line.startswith("joy")]
    assert joy.split()[3] == "15%"


# -- item 16: list says what it left out -------------------------------------------------


def test_list_says_on_stderr_how_many_it_left_out(env, tmp_path):
    must("import", str(write_csv(tmp_path / "runs.csv", runs_on_days(1158))), env=env)
    done = run("list", env=env)
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 51  # the heading and 50 rows, nothing else
    assert done.stderr == "Showing 50 of 1,158; --limit N or --limit 0 for all.\n"
    every = run("list", "--limit", "0", env=env)
    assert len(every.stdout.splitlines()) == 1159 and every.stderr == ""
    some = run("list", "--limit", "7", "--since", "2026-11-01", env=env)
    assert some.stderr == "Showing 7 of 29; --limit N or --limit 0 for all.\n"
    exact = run("list", "--limit", "29", "--since", "2026-11-01", env=env)
    assert len(exact.stdout.splitlines()) == 30 and exact.stderr == ""
    as_json = run("list", "--json", env=env)
    # --json prints one document and nothing else, anywhere: scripts pass --limit 0
    assert len(json.loads(as_json.stdout)) == 50 and as_json.stderr == ""
    assert len(json.loads(must("list", "--limit", "0", "--json", env=env))) == 1158
    shown = on_terminal("list", env=env, columns=100)
    assert shown.rstrip("\n").endswith("Showing 50 of 1,158; --limit N or --limit 0 for all.")


def test_list_with_until_before_since_is_refused(env, tmp_path):
    must("add", "5k", "30:00", "-d", "2026-11-10", "--no-input", env=env)
    database = tmp_path / "runlog.db"
    before = sha256(database)
    done = run("list", "--since", "2026-11-20", "--until", "2026-11-10", env=env)
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("Error: --until") and "is before --since" in line
    assert sha256(database) == before and count_entries(database) == 1


# -- item 16: race names in stats --------------------------------------------------------


@pytest.mark.parametrize(("units", "pace_unit"), [("km", "/km"), ("mi", "/mi")])
def test_best_pace_brackets_are_named_by_race_in_both_units(env, units, pace_unit):
    must("add", "21.1k", "2:00:00", "-d", "2026-11-20", "--no-input", env=env)
    [line] = [line for line in must("--units", units, "stats", env=env).splitlines()
              if line.startswith("Best pace")]
    names = re.findall(r"(\S+) \d+:\d\d " + re.escape(pace_unit), line)
    assert names == ["1K+", "5K+", "10K+", "half+"], line
    assert " km+" not in line and " mi+" not in line


def test_a_message_wrapped_on_a_terminal_never_splits_a_word(env):
    # a feeling's name longer than the terminal is wide: wrapped at spaces only, so the name
    # (or a path, a date) comes out whole, never broken at a hyphen or mid-word
    name = "crushing-loneliness-again"
    must("emotions", "add", name, "--valence", "negative", env=env)
    shown = on_terminal("add", "5k", "30:00", "-d", "2026-11-21", "-a", "4", "-f", name,
                        "--no-input", env=env, columns=24)
    assert name in shown.split(), shown
    assert "2026-11-21" in shown.split()
