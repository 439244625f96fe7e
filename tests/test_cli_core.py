"""End to end through the CLI (in-process, via typer.testing.CliRunner): logging runs, rest
days and check-ins, reading them back, editing, the trash, the vocabulary, settings, the
database commands, and every refusal (one `Error:` line, exit 2 or 1, nothing changed).

"Now" is frozen at Saturday 2026-11-21 18:00 in Europe/Amsterdam (UTC+01:00)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest

from runlog.vocab import BUILTIN_EMOTIONS

import runlog
import runlog.store.db
from helpers import (
    SPEC_ENTRY_KEYS,
    Clock,
    assert_refused,
    db_path,
    db_state,
    invoke,
    local,
    ok,
    ok_json,
    sql,
)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    frozen = Clock(local(2026, 11, 21, 18, 0))
    monkeypatch.setattr("runlog.clock.now", frozen)
    return frozen


def ids(entries):
    return [entry["id"] for entry in entries]


# -- add -----------------------------------------------------------------------------------


def test_add_prints_one_confirmation_line_and_the_first_run_milestone():
    result = ok("add", "5k", "28:30", "--before", "2", "--after", "4",
                "--felt", "sad,relieved", "--cried", "during")
    assert result.stdout == (
        "Logged #1 run 5.00 km in 28:30 (5:42 /km) · 2026-11-21 18:00 · mood 2→4 (+2)"
        " · sadness, relief · cried during\n"
        "★ Your first run: 5.00 km\n"
    )
    assert result.stderr == ""


def test_add_with_every_long_option_stores_each_field():
    printed = ok_json(
        "add", "--distance", "10k", "--time", "55:00", "--date", "yesterday", "--kind", "trail",
        "--before", "bad", "--after", "great", "--felt", "proud", "--felt", "grateful,Relieved",
        "--cried", "after", "--effort", "7", "--pain", "3", "--where", "left knee",
        "--intention", "let the argument go", "--note", "cried at the bridge",
        "--tag", "Long Run", "--tag", "hills,race", "--no-input",
    )
    stored = ok_json("show", "1")
    assert printed.pop("milestones") == [
        {"kind": "first_run", "entry_id": 1, "day": "2026-11-20", "distance_m": 10000.0,
         "label": "Your first run: 10.00 km"},
    ]
    assert printed == stored
    uuid = stored.pop("uuid")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", uuid)
    assert stored == {
        "id": 1, "date": "2026-11-20", "kind": "trail", "distance_km": 10,
        "duration_s": 3300, "pace_s_per_km": 330.0, "mood_before": 2, "mood_after": 5,
        "mood_lift": 3, "emotions": ["pride", "gratitude", "relief"], "cried": "after",
        "effort": 7, "pain": 3, "where": "left knee", "intention": "let the argument go",
        "note": "cried at the bridge", "tags": ["long-run", "hills", "race"],
    }


def test_add_with_every_short_option():
    entry = ok_json("add", "-D", "3.1mi", "-t", "32:10", "-d", "2026-11-19 07:30", "-b", "1",
                    "-a", "3", "-f", "anxious", "-f", "calm", "-e", "4", "-i", "breathe",
                    "-n", "better")
    assert entry["distance_km"] == pytest.approx(4.988966)
    assert entry["duration_s"] == 1930
    assert entry["pace_s_per_km"] == pytest.approx(1930 / 4.9889664, abs=1e-3)
    assert entry["date"] == "2026-11-19T07:30:00+01:00"
    assert (entry["mood_before"], entry["mood_after"], entry["mood_lift"]) == (1, 3, 2)
    assert entry["emotions"] == ["anxiety", "calm"]
    assert (entry["effort"], entry["intention"], entry["note"]) == (4, "breathe", "better")


def test_add_reads_the_note_from_stdin_with_a_dash():
    entry = ok_json("add", "5k", "--note", "-", input="legs heavy\nbut I went\n")
    assert entry["note"] == "legs heavy\nbut I went"
    assert ok_json("show", "1")["note"] == "legs heavy\nbut I went"


def test_add_edit_writes_the_note_in_the_editor(tmp_path, monkeypatch):
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "%s and more\\n" "$(cat "$1")" > "$1"\n')
    editor.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(editor))
    assert ok_json("add", "5k", "--edit")["note"] == "and more"
    # `edit --edit` opens the editor on the note as it is
    assert ok_json("edit", "1", "--edit")["note"] == "and more and more"


def test_add_edit_without_an_editor_is_refused():
    assert_refused(invoke("add", "5k", "--edit"), 2, "--edit needs $EDITOR")
    assert db_state() is None


def test_add_json_has_exactly_the_spec_keys_with_null_for_what_is_absent():
    entry = ok_json("add", "5k")
    milestones = entry.pop("milestones")  # add's one addition to the entry shape
    assert [m["kind"] for m in milestones] == ["first_run"]
    assert list(entry) == SPEC_ENTRY_KEYS
    assert entry["distance_km"] == 5
    absent = [key for key in SPEC_ENTRY_KEYS if key not in
              ("id", "uuid", "date", "kind", "distance_km", "emotions", "tags")]
    assert {key: entry[key] for key in absent} == dict.fromkeys(absent)
    assert (entry["emotions"], entry["tags"], entry["kind"]) == ([], [], "run")
    assert list(ok_json("show", "1")) == SPEC_ENTRY_KEYS
    assert [list(e) for e in ok_json("list")] == [SPEC_ENTRY_KEYS]


@pytest.mark.parametrize(
    ("when", "stored"),
    [
        (None, "2026-11-21T18:00:00+01:00"),
        ("2026-11-20", "2026-11-20"),
        ("yesterday", "2026-11-20"),
        ("last fri", "2026-11-20"),
        ("3 days ago", "2026-11-18"),
        ("2026-11-20 07:30", "2026-11-20T07:30:00+01:00"),
        ("yesterday 7am", "2026-11-20T07:00:00+01:00"),
        ("2026-07-01T07:30", "2026-07-01T07:30:00+02:00"),
        ("2026-11-21T06:30:00Z", "2026-11-21T07:30:00+01:00"),
    ],
)
def test_add_stores_a_day_alone_or_a_moment_with_its_utc_offset(when, stored):
    args = ["add", "5k"] + (["--date", when] if when else [])
    assert ok_json(*args)["date"] == stored
    assert ok_json("show", "1")["date"] == stored


def test_add_takes_a_lone_time_as_the_time_and_a_lone_number_as_distance():
    assert (ok_json("add", "28:30")["distance_km"], ok_json("show", "1")["duration_s"]) == (
        None, 1710)
    second = ok_json("add", "5")
    assert (second["distance_km"], second["duration_s"]) == (5, None)
    third = ok_json("add", "--time", "45min")
    assert (third["distance_km"], third["duration_s"], third["pace_s_per_km"]) == (None, 2700, None)


def test_add_never_refuses_a_repeat():
    ok("add", "5k", "28:30")
    ok("add", "5k", "28:30")
    assert len(ok_json("list")) == 2


def test_milestones_longest_round_distance_and_best_pace():
    ok("add", "5k", "30:00")
    result = ok("add", "10k", "55:00")
    assert result.stdout.splitlines()[1:] == [
        "★ Longest run yet: 10.00 km",
        "★ First time past 10K",
        "★ Best pace for 10K or more: 5:30 /km",
    ]
    # Slower and shorter than both: nothing to celebrate, just the confirmation line.
    assert len(ok("add", "4k", "30:00").stdout.splitlines()) == 1
    # A faster 5 km is a best pace at 5 km or more, not a longest run.
    assert ok("add", "5k", "25:00").stdout.splitlines()[1:] == [
        "★ Best pace for 5K or more: 5:00 /km"]


# -- units ---------------------------------------------------------------------------------


def _three_miles(*prefix, env=None):
    result = ok(*prefix, "add", "3", "30:00", env=env)
    assert result.stdout.splitlines()[0] == (
        "Logged #1 run 3.00 mi in 30:00 (10:00 /mi) · 2026-11-21 18:00")
    entry = ok_json("show", "1")
    assert entry["distance_km"] == pytest.approx(4.828032)
    assert entry["pace_s_per_km"] == pytest.approx(1800 / 4.828032, abs=1e-3)


def test_units_option_makes_a_bare_number_miles_and_shows_miles():
    _three_miles("--units", "mi")


def test_units_environment_variable():
    _three_miles(env={"RUNLOG_UNITS": "mi"})


def test_units_from_the_config_file():
    ok("config", "set", "units", "mi")
    _three_miles()
    # km in the config file, but the option wins over it
    listed = ok("--units", "km", "list").stdout
    assert "4.83 km" in listed and "6:13 /km" in listed


def test_units_option_beats_the_environment_which_beats_the_config():
    ok("config", "set", "units", "km")
    ok("add", "3", env={"RUNLOG_UNITS": "mi"})
    ok("--units", "km", "add", "3", env={"RUNLOG_UNITS": "mi"})
    assert [e["distance_km"] for e in ok_json("list")] == [3, pytest.approx(4.828032)]


def test_explicit_units_keep_their_meaning_in_miles_mode():
    result = ok("--units", "mi", "add", "5k", "25:00")
    assert result.stdout.splitlines()[0].startswith("Logged #1 run 3.11 mi in 25:00 (8:03 /mi)")
    assert ok_json("show", "1")["distance_km"] == 5


# -- start: the pre-run check-in -------------------------------------------------------------


def test_add_within_12_hours_takes_up_the_check_in(clock):
    clock.set(2026, 11, 21, 7, 30)
    result = ok("start", "--before", "2", "--intention", "clear my head", "--felt", "angry")
    assert result.stdout.startswith("Checked in · mood before 2 (bad) · intention: clear my head · anger.")
    clock.set(2026, 11, 21, 19, 0)  # 11.5 hours later
    entry = ok_json("add", "5k", "--after", "4")
    assert (entry["mood_before"], entry["intention"], entry["emotions"]) == (
        2, "clear my head", ["anger"])
    assert entry["mood_lift"] == 2
    # Taken up once: the next run starts afresh.
    later = ok_json("add", "3k")
    assert (later["mood_before"], later["intention"], later["emotions"]) == (None, None, [])


def test_options_given_to_add_win_over_the_check_in():
    ok("start", "-b", "2", "-i", "let it go", "-f", "sad")
    entry = ok_json("add", "5k", "--before", "3", "--felt", "relieved")
    assert (entry["mood_before"], entry["intention"], entry["emotions"]) == (
        3, "let it go", ["relief"])


def test_a_check_in_older_than_12_hours_is_not_taken_up(clock):
    clock.set(2026, 11, 21, 5, 59)
    ok("start", "--before", "1", "--intention", "survive")
    clock.set(2026, 11, 21, 18, 0)  # 12 h 1 min later
    entry = ok_json("add", "5k")
    assert (entry["mood_before"], entry["intention"]) == (None, None)


def test_start_cancel_drops_the_waiting_check_in():
    ok("start", "--before", "1")
    assert ok("start", "--cancel").stdout == "Dropped the waiting check-in.\n"
    assert ok("start", "--cancel").stdout == "No check-in was waiting.\n"
    assert ok_json("add", "5k")["mood_before"] is None


def test_a_new_check_in_replaces_the_waiting_one():
    ok("start", "--before", "1", "--intention", "first")
    ok("start", "--before", "4")
    entry = ok_json("add", "5k")
    assert (entry["mood_before"], entry["intention"]) == (4, None)


def test_a_rest_day_does_not_take_up_the_check_in():
    ok("start", "--before", "2")
    assert ok_json("rest")["mood_before"] is None
    assert ok_json("add", "5k")["mood_before"] == 2


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ([], "say how you feel"),
        (["--cancel", "--before", "2"], "--cancel takes no other options"),
        (["--before", "6"], "mood must be 1 to 5"),
    ],
)
def test_start_refusals(args, fragment):
    assert_refused(invoke("start", *args), 2, fragment)
    assert db_state() is None


# -- rest ----------------------------------------------------------------------------------


def test_rest_is_stored_as_kind_rest_and_never_counts_as_a_run():
    result = ok("rest", "--mood", "meh", "--felt", "guilty", "--note", "legs heavy")
    assert result.stdout == (
        "Logged #1 rest day · 2026-11-21 · mood 3 (okay) · guilt. Rest is part of training.\n")
    rest = ok_json("show", "1")
    assert (rest["kind"], rest["date"], rest["distance_km"], rest["duration_s"]) == (
        "rest", "2026-11-21", None, None)
    assert (rest["mood_before"], rest["mood_after"], rest["emotions"]) == (None, 3, ["guilt"])
    # Still the first run: the rest day is not a run for milestones.
    assert ok("add", "5k", "30:00").stdout.splitlines()[1] == "★ Your first run: 5.00 km"
    assert sql("SELECT kind FROM entries ORDER BY id") == [("rest",), ("run",)]


def test_rest_json_and_date():
    rest = ok_json("rest", "--date", "yesterday", "-m", "2", "--tag", "sick")
    assert list(rest) == SPEC_ENTRY_KEYS
    assert (rest["date"], rest["mood_after"], rest["tags"]) == ("2026-11-20", 2, ["sick"])


# -- list / ls / show -----------------------------------------------------------------------


@pytest.fixture
def week(clock):
    """Five entries across a week, logged out of order."""
    ok("add", "5k", "30:00", "-d", "2026-11-16", "-f", "sad", "--tag", "morning", "-a", "3")
    ok("add", "8k", "48:00", "-d", "2026-11-18 07:00", "-f", "grief", "--cried", "during",
       "--kind", "trail")
    ok("rest", "-d", "2026-11-19", "-m", "2", "-f", "guilty")
    ok("add", "3k", "20:00", "-d", "2026-11-17", "-f", "relieved,sad", "--tag", "Morning")
    ok("add", "10k", "1:00:00", "-d", "2026-11-21 08:00", "-b", "2", "-a", "4")


def test_list_is_newest_first(week):
    entries = ok_json("list")
    assert [e["date"] for e in entries] == [
        "2026-11-21T08:00:00+01:00", "2026-11-19", "2026-11-18T07:00:00+01:00",
        "2026-11-17", "2026-11-16"]
    assert ids(entries) == [5, 3, 2, 4, 1]


def test_list_plain_table_when_piped(week):
    assert ok("list", "--limit", "3").stdout == (
        "id  date              kind   distance  time     pace      mood  felt\n"
        "5   2026-11-21 08:00  run    10.00 km  1:00:00  6:00 /km  2→4\n"
        "3   2026-11-19        rest                                2     guilt\n"
        "2   2026-11-18 07:00  trail  8.00 km   48:00    6:00 /km  –     grief (cried)\n"
    )


def test_list_is_whole_piped_and_fits_80_columns_on_a_terminal(week, monkeypatch):
    ok("add", "21.1k", "2:05:00", "-f", "gratitude,disappointment,vulnerability,loneliness",
       "--cried", "both", "-b", "1", "-a", "5")
    piped = ok("list").stdout.splitlines()
    # one line per entry, every cell whole (for grep), however wide
    assert piped[1].endswith("gratitude, disappointment, vulnerability, loneliness (cried)")
    assert "…" not in "".join(piped)
    monkeypatch.setattr("runlog.cli.entries.on_terminal", lambda: True)
    table = ok("list").stdout
    assert "\x1b[" not in table  # NO_COLOR
    assert max(len(line) for line in table.splitlines()) <= 80
    for cell in ("21.10 km", "2:05:00", "5:55 /km", "1→5", "loneliness", "(cried)"):
        assert cell in table  # text columns fold; nothing is dropped or garbled


def test_ls_is_list(week):
    assert ok("ls", "--kind", "run").stdout == ok("list", "--kind", "run").stdout
    assert "\x1b[" not in ok("ls").stdout


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--since", "2026-11-18"], [5, 3, 2]),
        (["--until", "2026-11-17"], [4, 1]),
        (["--since", "2026-11-17", "--until", "2026-11-18"], [2, 4]),
        (["--since", "3 days ago"], [5, 3, 2]),
        (["--limit", "2"], [5, 3]),
        (["--kind", "rest"], [3]),
        (["--kind", "trail"], [2]),
        (["--felt", "sad"], [4, 1]),
        (["--felt", "Sadness"], [4, 1]),
        (["--felt", "guilt"], [3]),
        (["--tag", "morning"], [4, 1]),
        (["--cried"], [2]),
        (["--kind", "run", "--since", "2026-11-17"], [5, 4]),
        (["--felt", "joy"], []),
    ],
)
def test_list_filters(week, filters, expected):
    assert ids(ok_json("list", *filters)) == expected


def test_list_without_a_database_says_so_and_creates_nothing():
    assert ok("list").stdout == "No entries yet. Log one with `runlog add 5k 28:30`.\n"
    assert ok_json("list") == []
    assert db_state() is None


def test_list_with_filters_that_match_nothing(week):
    assert ok("list", "--felt", "joy").stdout == "No entries match.\n"


def test_show_prints_every_field():
    ok("add", "5k", "28:30", "-b", "2", "-a", "4", "-f", "sad", "--cried", "both", "-e", "6",
       "--pain", "2", "--where", "calf", "-i", "let go", "-n", "ok", "--tag", "park")
    uuid = ok_json("show", "1")["uuid"]
    assert ok("show", "1").stdout == (
        "id             1\n"
        "date           2026-11-21T18:00:00+01:00\n"
        "kind           run\n"
        "distance       5.00 km\n"
        "time           28:30\n"
        "pace           5:42 /km\n"
        "mood before    2 (bad)\n"
        "mood after     4 (good)\n"
        "lift           +2\n"
        "felt           sadness\n"
        "cried          both\n"
        "effort         6/10\n"
        "pain           2/10\n"
        "where          calf\n"
        "intention      let go\n"
        "note           ok\n"
        "tags           park\n"
        f"uuid           {uuid}\n"
    )


# -- edit ----------------------------------------------------------------------------------


def _logged():
    ok("add", "5k", "28:30", "-b", "2", "-a", "3", "-f", "sad", "--cried", "during", "-e", "6",
       "--pain", "4", "--where", "knee", "-i", "breathe", "-n", "hard", "--tag", "park")
    return ok_json("show", "1")


def test_edit_changes_only_the_fields_given():
    before = _logged()
    result = ok("edit", "1", "--after", "great", "--felt", "proud,relieved")
    assert result.stdout == (
        "Changed #1 run 5.00 km in 28:30 (5:42 /km) · 2026-11-21 18:00 · mood 2→5 (+3)"
        " · pride, relief · cried during\n")
    after = ok_json("show", "1")
    assert after == {**before, "mood_after": 5, "mood_lift": 3, "emotions": ["pride", "relief"]}


def test_edit_distance_time_date_kind_and_tags():
    before = _logged()
    after = ok_json("edit", "1", "-D", "6k", "-t", "33:00", "-d", "yesterday", "--kind", "race",
                    "--tag", "parkrun")
    assert after == ok_json("show", "1")
    assert after == {**before, "distance_km": 6, "duration_s": 1980, "pace_s_per_km": 330.0,
                     "date": "2026-11-20", "kind": "race", "tags": ["parkrun"]}
    assert ids(ok_json("list", "--since", "2026-11-21")) == []
    assert ids(ok_json("list", "--until", "2026-11-20")) == [1]


def test_edit_clear_empties_fields():
    before = _logged()
    ok("edit", "1", "--clear", "cried", "--clear", "note", "--clear", "felt", "--clear", "tags",
       "--clear", "before")
    assert ok_json("show", "1") == {**before, "cried": None, "note": None, "emotions": [],
                                    "tags": [], "mood_before": None, "mood_lift": None}
    assert sql("SELECT count(*) FROM entry_emotions") == [(0,)]
    assert sql("SELECT count(*) FROM tags") == [(0,)]


def test_edit_a_run_into_a_rest_day_drops_its_distance_and_time_only_when_told():
    _logged()
    refused = invoke("edit", "1", "--kind", "rest")
    assert refused.exit_code == 2
    assert "--clear distance --clear time --clear before" in refused.stderr
    rest = ok_json("edit", "1", "--kind", "rest", "--clear", "distance", "--clear", "time",
                   "--clear", "before")
    assert (rest["kind"], rest["distance_km"], rest["duration_s"]) == ("rest", None, None)
    assert sql("SELECT distance_m, duration_s FROM entries") == [(None, None)]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--effort", "11"], "effort must be a whole number from 1 to 10"),
        (["--after", "superb"], "mood must be 1 to 5"),
        (["--felt", "sadd"], "did you mean sadness?"),
        (["--date", "2026-11-22"], "in the future"),
        (["--kind", "swim"], "kind must be"),
        (["--clear", "colour"], "can't clear 'colour'"),
        (["--clear", "note", "--note", "x"], "--clear note and a new note at once"),
        (["--clear", "distance", "--clear", "time"], "a run needs a distance or a time"),
        ([], "nothing to change"),
        (["--after", "5", "--pain", "-1"], "pain must be a whole number from 0 to 10"),
    ],
)
def test_edit_refusals_change_nothing(args, fragment):
    _logged()
    snapshot = db_state()
    assert_refused(invoke("edit", "1", *args), 2, fragment)
    assert db_state() == snapshot


def test_edit_of_a_trashed_entry_is_not_found():
    _logged()
    ok("delete", "1", "--yes")
    snapshot = db_state()
    assert_refused(invoke("edit", "1", "--after", "4"), 1, "no entry 1 in the log")
    assert db_state() == snapshot


# -- delete / restore / trash / purge ------------------------------------------------------


def test_delete_restore_trash_purge():
    ok("add", "5k")
    ok("add", "3k")
    deleted = ok("delete", "1", "--yes")
    assert deleted.stdout == "Moved 1 to the trash. `runlog restore 1` brings it back.\n"
    assert ids(ok_json("list")) == [2]
    assert ids(ok_json("trash")) == [1]
    assert sql("SELECT id, deleted_at IS NOT NULL FROM entries ORDER BY id") == [(1, 1), (2, 0)]
    assert ok_json("show", "1")["id"] == 1  # a trashed entry can still be looked at
    assert "in trash since" in ok("show", "1").stdout

    assert ok("restore", "1").stdout == "Restored 1.\n"
    assert ids(ok_json("list")) == [2, 1]
    assert ok("trash").stdout == "The trash is empty.\n"

    ok("delete", "1", "2", "1", "--yes")
    assert ids(ok_json("trash")) == [2, 1]
    assert ok("purge", "--yes").stdout == "Deleted 2 for good.\n"
    assert ok_json("trash") == [] and ok_json("list") == []
    assert sql("SELECT count(*) FROM entries") == [(0,)]
    assert ok("purge", "--yes").stdout == "The trash is already empty.\n"
    assert_refused(invoke("show", "1"), 1, "no entry 1")


def test_delete_without_yes_from_a_script_is_refused_and_changes_nothing():
    ok("add", "5k")
    snapshot = db_state()
    assert_refused(invoke("delete", "1"), 2, "without confirmation", "--yes")
    assert db_state() == snapshot


def test_purge_without_yes_from_a_script_is_refused_and_changes_nothing():
    ok("add", "5k")
    ok("delete", "1", "-y")
    snapshot = db_state()
    assert_refused(invoke("purge"), 2, "--yes")
    assert db_state() == snapshot
    assert ids(ok_json("trash")) == [1]


def test_delete_of_several_with_one_missing_deletes_none():
    ok("add", "5k")
    snapshot = db_state()
    assert_refused(invoke("delete", "1", "99", "--yes"), 1, "no entry 99")
    assert db_state() == snapshot


def test_restore_of_an_entry_not_in_the_trash_is_not_found():
    ok("add", "5k")
    snapshot = db_state()
    assert_refused(invoke("restore", "1"), 1, "no entry 1 in the trash")
    assert db_state() == snapshot


# -- emotions list | add ------------------------------------------------------------------

SPEC_EMOTIONS = {
    "joy": "positive", "sadness": "negative", "grief": "negative", "pride": "positive",
    "relief": "positive", "anger": "negative", "anxiety": "negative", "stress": "negative",
    "guilt": "negative", "calm": "positive", "gratitude": "positive",
    "frustration": "negative", "disappointment": "negative", "loneliness": "negative",
    "hope": "positive", "love": "positive", "vulnerability": "mixed", "excitement": "positive",
}


def test_emotions_list_shows_the_vocabulary_with_valence_and_adjectives():
    listed = ok_json("emotions", "list")
    valences = {row["name"]: row["valence"] for row in listed}
    assert {name: valences.get(name) for name in SPEC_EMOTIONS} == SPEC_EMOTIONS
    assert all(row["builtin"] for row in listed)
    text = ok("emotions", "list").stdout.splitlines()
    assert text[0].split() == ["emotion", "valence", "also", "accepted"]
    sadness = next(line for line in text if line.startswith("sadness "))
    assert sadness.split()[:2] == ["sadness", "negative"] and "sad," in sadness.split()
    assert db_state() is None  # reading the vocabulary creates no database


@pytest.mark.parametrize(
    ("adjective", "name"),
    [("happy", "joy"), ("Sad", "sadness"), ("proud", "pride"), ("relieved", "relief"),
     ("angry", "anger"), ("ANXIOUS", "anxiety"), ("stressed", "stress"), ("guilty", "guilt"),
     ("grateful", "gratitude"), ("frustrated", "frustration"),
     ("disappointed", "disappointment"), ("lonely", "loneliness"), ("hopeful", "hope"),
     ("excited", "excitement"), ("vulnerable", "vulnerability")],
)
def test_felt_accepts_adjective_forms(adjective, name):
    assert ok_json("add", "5k", "--felt", adjective)["emotions"] == [name]


def test_emotions_add_extends_the_vocabulary():
    assert ok("emotions", "add", "awe", "--valence", "positive").stdout == (
        "Added awe (positive). Use it with --felt awe.\n")
    assert ok_json("add", "5k", "--felt", "AWE,calm")["emotions"] == ["awe", "calm"]
    assert {"name": "awe", "valence": "positive", "builtin": False} in ok_json("emotions", "list")
    assert sql("SELECT valence, builtin FROM emotions WHERE name = 'awe'") == [("positive", 0)]
    assert ids(ok_json("list", "--felt", "awe")) == [1]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["awe", "--valence", "great"], "valence must be positive, negative or mixed"),
        (["two words", "--valence", "mixed"], "not a usable emotion name"),
        (["happy", "--valence", "positive"], "'happy' already means joy"),
        (["joy", "--valence", "positive"], "'joy' is already in the vocabulary"),
    ],
)
def test_emotions_add_refusals(args, fragment):
    ok("add", "5k")
    snapshot = db_state()
    assert_refused(invoke("emotions", "add", *args), 2, fragment)
    assert db_state() == snapshot


def test_unknown_emotion_stays_unknown_until_added():
    assert_refused(invoke("add", "5k", "--felt", "awe"), 2, "unknown emotion 'awe'")
    assert db_state() is None


# -- config -------------------------------------------------------------------------------


def _config_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "runlog" / "config.toml"


def test_config_defaults_without_a_file():
    assert ok("config", "list").stdout == "units = km\nweek_start = monday\ndayfirst = false\n"
    assert ok_json("config", "list") == {"units": "km", "week_start": "monday", "dayfirst": False}
    assert ok("config", "get", "units").stdout == "km\n"
    assert not _config_file().exists()


def test_config_set_writes_toml_in_the_config_folder():
    result = ok("config", "set", "units", "mi")
    assert result.stdout == f"units = mi (saved in {_config_file()})\n"
    ok("config", "set", "week_start", "Sunday")
    ok("config", "set", "dayfirst", "yes")
    assert tomllib.loads(_config_file().read_text()) == {
        "units": "mi", "week_start": "sunday", "dayfirst": True}
    assert ok("config", "get", "week_start").stdout == "sunday\n"
    assert ok("config", "get", "dayfirst").stdout == "true\n"
    assert ok("config", "list").stdout == "units = mi\nweek_start = sunday\ndayfirst = true\n"


def test_dayfirst_changes_how_slashed_dates_read():
    assert ok_json("add", "5k", "-d", "03/11/2026")["date"] == "2026-03-11"
    ok("config", "set", "dayfirst", "true")
    assert ok_json("add", "5k", "-d", "03/11/2026")["date"] == "2026-11-03"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["set", "units", "furlongs"], "units must be km or mi"),
        (["set", "week_start", "friday"], "week_start must be monday or sunday"),
        (["set", "dayfirst", "maybe"], "dayfirst must be true or false"),
        (["set", "colour", "red"], "unknown setting 'colour'"),
        (["get", "colour"], "unknown setting 'colour'"),
    ],
)
def test_config_refusals_leave_the_file_alone(args, fragment):
    ok("config", "set", "units", "mi")
    before = _config_file().read_bytes()
    assert_refused(invoke("config", *args), 2, fragment)
    assert _config_file().read_bytes() == before


# -- db path | info | backup | check -------------------------------------------------------


def test_db_path_follows_runlog_db_and_the_db_option(tmp_path):
    assert ok("db", "path").stdout == f"{db_path()}\n"
    other = tmp_path / "elsewhere.db"
    assert ok("--db", str(other), "db", "path").stdout == f"{other}\n"
    home = Path(os.environ["HOME"])
    assert ok("--db", "~/logs/run.db", "db", "path").stdout == f"{home}/logs/run.db\n"
    assert ok("db", "path", env={"RUNLOG_DB": "~/r.db"}).stdout == f"{home}/r.db\n"


def test_db_path_defaults_to_the_user_data_folder(monkeypatch):
    monkeypatch.delenv("RUNLOG_DB")
    expected = Path(os.environ["XDG_DATA_HOME"]) / "runlog" / "runlog.db"
    assert ok("db", "path").stdout == f"{expected}\n"
    ok("add", "5k")
    assert expected.is_file()


def test_db_option_beats_runlog_db(tmp_path):
    other = tmp_path / "other" / "runlog.db"
    ok("--db", str(other), "add", "5k")
    assert not db_path().exists()
    assert sql("SELECT count(*) FROM entries", path=other) == [(1,)]
    assert ids(ok_json("--db", str(other), "list")) == [1]
    assert ok_json("list") == []


def test_db_info():
    ok("add", "5k", "-f", "sad", "--tag", "a,b")
    ok("add", "3k")
    ok("delete", "2", "--yes")
    ok("start", "--before", "3")
    info = ok_json("db", "info")
    size = info.pop("size_bytes")
    pages = sql("PRAGMA page_count")[0][0] * sql("PRAGMA page_size")[0][0]
    assert size == pages > 0
    assert info == {
        "path": str(db_path()), "schema_version": runlog.store.db.SCHEMA_VERSION,
        "runlog_schema": runlog.store.db.SCHEMA_VERSION, "entries": 1, "in_trash": 1,
        "emotions": len(BUILTIN_EMOTIONS), "tags": 2, "checkins": 1, "journal_mode": "wal",
    }
    text = ok("db", "info").stdout
    assert f"schema version  {runlog.store.db.SCHEMA_VERSION}\n" in text and "entries         1\n" in text


def test_db_backup_writes_a_private_consistent_copy(tmp_path):
    ok("add", "5k", "-f", "sad")
    ok("add", "3k")
    target = tmp_path / "copy.db"
    assert ok("db", "backup", str(target)).stdout == f"Backed up to {target}\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert db_state(target) == db_state()
    assert sql("SELECT count(*) FROM entries", path=target) == [(2,)]


def test_db_backup_refuses_to_overwrite(tmp_path):
    ok("add", "5k")
    target = tmp_path / "copy.db"
    target.write_bytes(b"precious")
    assert_refused(invoke("db", "backup", str(target)), 2, "already exists")
    assert target.read_bytes() == b"precious"
    assert_refused(invoke("db", "backup", str(tmp_path / "no" / "x.db")), 2, "no folder")


def test_db_check():
    ok("add", "5k")
    assert ok("db", "check").stdout == "ok\n"


@pytest.mark.parametrize("command", [["db", "info"], ["db", "check"], ["db", "backup", "x.db"],
                                     ["show", "1"], ["restore", "1"], ["purge", "--yes"]])
def test_commands_that_need_a_database_refuse_without_creating_one(command):
    assert_refused(invoke(*command), 1, "no runlog database")
    assert db_state() is None


# -- version ------------------------------------------------------------------------------


def test_version():
    result = ok("--version")
    assert result.stdout == f"runlog {runlog.__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+", runlog.__version__)


# -- refusals: one Error: line, the right exit code, nothing changed -------------------------

BAD_INPUT = [
    (["add", "5 parsecs", "28:30"], "can't read distance"),
    (["add", "0k"], "distance must be more than 0"),
    (["add", "1001k"], "at most 1000 km"),
    (["add", "5k", "28:3x"], "can't read duration"),
    (["add", "5k", "49h"], "at most 48 hours"),
    (["add", "5k", "--before", "0"], "mood must be 1 to 5"),
    (["add", "5k", "--after", "6"], "mood must be 1 to 5"),
    (["add", "5k", "--after", "superb"], "mood must be 1 to 5"),
    (["add", "5k", "--felt", "sadd"], "did you mean sadness?"),
    (["add", "5k", "--felt", "calm,blorp"], "unknown emotion 'blorp'"),
    (["add", "5k", "--date", "2026-11-22"], "in the future"),
    (["add", "5k", "--date", "2026-11-21T19:00"], "in the future"),
    (["add", "5k", "--date", "someday"], "can't read date"),
    (["add", "5k", "--effort", "11"], "effort must be a whole number from 1 to 10"),
    (["add", "5k", "--pain", "-1"], "pain must be a whole number from 0 to 10"),
    (["add", "5k", "--kind", "swim"], "kind must be"),
    (["add", "5k", "--kind", "rest"], "kind must be"),
    (["add", "5k", "--cried", "never"], "cried must be during, after or both"),
    (["add"], "say how far or how long"),
    (["add", "5k", "28:30", "--distance", "5k"], "not both"),
    (["add", "5k", "--bogus"], "has no option --bogus"),
    (["--units", "furlongs", "add", "5k"], "units must be km or mi"),
    (["rest", "--mood", "9"], "mood must be 1 to 5"),
    (["rest", "--date", "tomorrow"], "is in the future"),
    (["nope"], "no such command 'nope'"),
    (["lst"], "did you mean `runlog list`?"),
    (["list", "--kind", "swim"], "kind must be"),
    (["list", "--limit", "-1"], "--limit"),
    (["list", "--felt", "blorp"], "unknown emotion"),
    (["list", "--felt", ","], "--felt takes one name"),
    (["list", "--felt", "sad,calm"], "--felt takes one name"),
    (["list", "--tag", ","], "--tag takes one name"),
    (["show"], "missing ID"),
    (["show", "one"], "ID must be a whole number, not 'one'"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD_INPUT, ids=lambda v: " ".join(v)
                         if isinstance(v, list) else None)
def test_bad_input_is_refused_with_exit_2_and_changes_nothing(args, fragment):
    ok("add", "5k", "28:30", "-f", "sad", "--tag", "x")
    ok("start", "--before", "2")
    snapshot = db_state()
    listed = ok("list", "--json").stdout
    assert_refused(invoke(*args), 2, fragment)
    assert db_state() == snapshot
    assert ok("list", "--json").stdout == listed


@pytest.mark.parametrize(("args", "fragment"), [case for case in BAD_INPUT
                                                if case[0][0] in ("add", "rest", "--units")])
def test_a_refused_first_entry_creates_no_database(args, fragment):
    assert_refused(invoke(*args), 2, fragment)
    assert not db_path().exists()
    assert not db_path().parent.joinpath(db_path().name + "-wal").exists()


@pytest.mark.parametrize(
    "args",
    [["show", "99"], ["edit", "99", "--after", "4"], ["delete", "99", "--yes"],
     ["restore", "99"], ["show", "99", "--json"]],
)
def test_a_missing_entry_is_exit_1_and_changes_nothing(args):
    ok("add", "5k")
    snapshot = db_state()
    assert_refused(invoke(*args), 1, "no entry 99")
    assert db_state() == snapshot


def test_an_unexpected_failure_is_one_error_line_without_a_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr("runlog.logbook.log_entry", broken)
    assert_refused(invoke("add", "5k"), 1, "unexpected RuntimeError: the disk is on fire",
                   "RUNLOG_DEBUG")


def test_an_interrupt_exits_130_and_changes_nothing(monkeypatch):
    ok("add", "5k")
    snapshot = db_state()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("runlog.logbook.log_entry", interrupted)
    result = invoke("add", "3k")
    assert result.exit_code == 130
    assert result.stderr == "Interrupted; nothing was changed.\n"
    assert result.stdout == ""
    assert db_state() == snapshot


def test_a_failed_write_prints_the_typed_entry_as_one_json_line(monkeypatch):
    from runlog.errors import StorageError

    ok("add", "5k")
    snapshot = db_state()

    def full(*args, **kwargs):
        raise StorageError("the disk holding it is full", "free some space and try again")

    monkeypatch.setattr("runlog.logbook.log_entry", full)
    result = invoke("add", "10k", "50:00", "-d", "yesterday", "-f", "proud", "-n", "windy")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == "Error: the disk holding it is full (free some space and try again)"
    typed = json.loads(lines[0])
    assert list(typed) == SPEC_ENTRY_KEYS
    assert (typed["distance_km"], typed["duration_s"], typed["date"], typed["emotions"],
            typed["note"]) == (10, 3000, "2026-11-20", ["pride"], "windy")
    assert "Traceback" not in result.stderr
    assert db_state() == snapshot


def _break_writes(event: str) -> None:
    """Make SQLite itself refuse a write, the way a full disk or a locked file would."""
    conn = sqlite3.connect(db_path())
    conn.execute(f"CREATE TRIGGER broken BEFORE {event} ON entries"
                 " BEGIN SELECT RAISE(ABORT, 'the disk is on fire'); END")
    conn.commit()
    conn.close()


def test_a_failed_edit_prints_the_edited_entry_as_one_json_line():
    ok("add", "5k", "28:30", "-n", "first")
    _break_writes("UPDATE")
    snapshot = db_state()
    result = invoke("edit", "1", "--after", "4", "--note", "second thoughts")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    typed = json.loads(lines[0])
    assert list(typed) == SPEC_ENTRY_KEYS
    assert (typed["id"], typed["mood_after"], typed["note"], typed["distance_km"]) == (
        1, 4, "second thoughts", 5)
    assert lines[-1].startswith("Error: ") and "the disk is on fire" in lines[-1]
    assert db_state() == snapshot


def test_a_failed_rest_prints_the_rest_day_as_one_json_line():
    ok("add", "5k")
    _break_writes("INSERT")
    snapshot = db_state()
    result = invoke("rest", "--mood", "2", "--felt", "guilty")
    assert result.exit_code == 1 and result.stdout == ""
    typed = json.loads(result.stderr.splitlines()[0])
    assert (typed["kind"], typed["mood_after"], typed["emotions"], typed["date"]) == (
        "rest", 2, ["guilt"], "2026-11-21")
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert db_state() == snapshot


@pytest.mark.parametrize("group", [[], ["db"], ["config"]])
def test_a_group_without_a_command_shows_its_help_without_an_empty_error(group):
    result = invoke(*group)
    assert "Usage: runlog" in result.stdout
    assert not re.search(r"^Error: +\(", result.stderr, re.MULTILINE), result.stderr


def test_no_database_file_is_needed_to_read_help_or_settings():
    ok("add", "--help")
    ok("config", "list")
    ok("emotions", "list")
    ok("db", "path")
    assert db_state() is None
