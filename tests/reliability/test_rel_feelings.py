"""The feelings runners type are in the vocabulary (tired, overwhelmed, nervous, empty, numb,
hopeless, down, depressed, strong, free…), an unknown one is never offered a feeling of the
opposite valence, and its hint names the `runlog emotions add` that would add it; Daylio's
`OK` mood reads like `ok`.

The real `runlog` process on real files: an accepted feeling is stored under its name
(exit 0); a refused one exits 2 with one `Error:` line and writes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from relsupport import count_entries, isolated_env, must, run, sha256


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory) -> dict[str, str]:
    """name -> valence, as `runlog emotions list --json` shows a new log's vocabulary."""
    env = isolated_env(tmp_path_factory.mktemp("vocabulary"))
    must("add", "5k", "--no-input", env=env)
    return {row["name"]: row["valence"]
            for row in json.loads(must("emotions", "list", "--json", env=env))}


@pytest.mark.parametrize(("typed", "name"), [
    ("tired", "tiredness"), ("Tired", "tiredness"), ("overwhelmed", "overwhelm"),
    ("nervous", "nervousness"), ("empty", "emptiness"),
    ("hopeless", "hopelessness"), ("unhappy", "sadness"), ("down", "sadness"),
    ("low", "sadness"), ("blue", "sadness"), ("depressed", "sadness"),
    ("drained", "exhaustion"), ("worn-out", "exhaustion"), ("restless", "restlessness"),
    ("strong", "strength"), ("accomplished", "accomplishment"),
    ("free", "freedom"), ("clear-headed", "clarity"), ("tiredness", "tiredness"),
])
def test_the_words_runners_use_are_feelings(env, typed, name):
    added = json.loads(must("add", "5k", "28:00", "-f", typed, "--no-input", "--json", env=env))
    assert added["emotions"] == [name]
    assert json.loads(must("show", str(added["id"]), "--json", env=env))["emotions"] == [name]


def test_emotions_list_shows_the_new_names_with_their_valence(vocabulary):
    expected = {"tiredness": "negative", "overwhelm": "negative", "nervousness": "negative",
                "emptiness": "negative", "hopelessness": "negative",
                "restlessness": "negative", "strength": "positive",
                "accomplishment": "positive", "freedom": "positive", "clarity": "positive"}
    assert {name: vocabulary.get(name) for name in expected} == expected
    # Every name the SPEC lists, and every name logs already hold, is still there.
    for name in ("joy", "sadness", "grief", "pride", "relief", "anger", "anxiety", "stress",
                 "guilt", "calm", "gratitude", "frustration", "disappointment", "loneliness",
                 "hope", "love", "vulnerability", "excitement", "exhaustion", "numbness",
                 "energy", "contentment", "fear", "shame", "nostalgia", "surprise"):
        assert name in vocabulary, name


def test_emotions_list_text_shows_what_each_new_name_also_accepts(env):
    text = must("emotions", "list", env=env)
    line = next(line for line in text.splitlines() if line.startswith("tiredness"))
    assert "negative" in line and "tired" in line.split("negative", 1)[1]
    # numb and peaceful were words before; they still are.
    for name, word in (("numbness", "numb"), ("calm", "peaceful")):
        line = next(line for line in text.splitlines() if line.startswith(name + " "))
        assert word in line, line


@pytest.mark.parametrize(("typed", "valence"), [
    ("gloomy", "negative"), ("uninspired", "negative"), ("unmotivated", "negative"),
    ("joyless", "negative"), ("dissatisfied", "negative"), ("despairing", "negative"),
    ("fearless", "positive"), ("unafraid", "positive"), ("blissful", "positive"),
])
def test_an_unknown_feeling_is_never_offered_one_of_the_opposite_valence(
        env, tmp_path, vocabulary, typed, valence):
    must("add", "5k", "--no-input", env=env)
    db = tmp_path / "runlog.db"
    before = sha256(db)
    done = run("add", "6k", "-f", typed, "--no-input", env=env)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: unknown emotion '{typed}'"), lines
    opposite = {"positive": "negative", "negative": "positive"}[valence]
    hint = lines[0].split("(", 1)[1]
    question = hint.split("Or add it")[0].strip()
    named = []
    if question.startswith("did you mean "):
        named = question.removeprefix("did you mean ").rstrip("?").replace(" or ", ", ")
        named = named.split(", ")
    assert [name for name in named if vocabulary.get(name) == opposite] == [], (typed, hint)
    assert f"runlog emotions add {typed} --valence {valence}" in hint
    assert sha256(db) == before and count_entries(db) == 1


def test_the_hints_add_command_works_as_written(env):
    done = run("add", "5k", "-f", "gloomy", "--no-input", env=env)
    assert done.returncode == 2
    assert "did you mean sadness?" in done.stderr
    command = done.stderr.split("Or add it: ", 1)[1].rstrip(")\n").split()
    assert command == ["runlog", "emotions", "add", "gloomy", "--valence", "negative"]
    must(*command[1:], env=env)
    added = json.loads(must("add", "5k", "-f", "gloomy", "--no-input", "--json", env=env))
    assert added["emotions"] == ["gloomy"]


def test_a_log_made_before_the_new_names_is_told_how_to_add_one(env, tmp_path):
    must("add", "5k", "--no-input", env=env)
    db = tmp_path / "runlog.db"
    # A log created before `overwhelm` was built in has no such row.
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM emotions WHERE name = 'overwhelm'")
    conn.close()
    before = sha256(db)
    done = run("add", "5k", "-f", "overwhelmed", "--no-input", env=env)
    assert done.returncode == 2 and sha256(db) == before
    assert "runlog emotions add overwhelm --valence negative" in done.stderr
    must("emotions", "add", "overwhelm", "--valence", "negative", env=env)
    added = json.loads(must("add", "5k", "-f", "overwhelmed", "--no-input", "--json", env=env))
    assert added["emotions"] == ["overwhelm"]


def test_daylios_ok_label_imports_like_ok(env, tmp_path):
    path = tmp_path / "daylio_export.csv"
    path.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2024-03-03,3 March,Sunday,9:00 am,OK,running,,\n"
        "2024-03-02,2 March,Saturday,9:00 am,Ok,,,\n"
        "2024-03-01,1 March,Friday,9:00 am,GOOD,,,\n",
        encoding="utf-8",
    )
    must("import", str(path), "--format", "daylio", env=env)
    moods = {e["date"][:10]: e["mood_after"]
             for e in json.loads(must("list", "--kind", "checkin", "--json", env=env))}
    assert moods == {"2024-03-03": 3, "2024-03-02": 3, "2024-03-01": 4}


@pytest.mark.parametrize(("typed", "meant"), [
    ("hopeles", "hopelessness"), ("restles", "restlessness"), ("greif", "grief"),
    ("sadd", "sadness"), ("tird", "tiredness"), ("anxios", "anxiety"),
])
def test_a_slip_of_the_keys_is_offered_the_word_it_nearly_is_and_nothing_opposite(
        env, vocabulary, typed, meant):
    done = run("add", "5k", "-f", typed, "--no-input", env=env)
    assert done.returncode == 2
    assert done.stderr == f"Error: unknown emotion '{typed}' (did you mean {meant}?)\n"


@pytest.mark.parametrize("typed", ["😢", "it's", "sad;rm", "not sad", "x" * 40])
def test_a_name_that_could_never_be_added_gets_no_add_command(env, typed):
    done = run("add", "5k", "-f", typed, "--no-input", env=env)
    assert done.returncode == 2
    line, = done.stderr.splitlines()
    assert "emotions add" not in line and "NAME" not in line
    assert "letters and inner hyphens, up to 30" in line
    assert not (env_db := Path(env["RUNLOG_DB"])).exists(), env_db


@pytest.mark.parametrize(("typed", "valence"), [
    ("tireless", "positive"), ("calmless", "negative"), ("thankless", "negative"),
    ("guiltless", "positive"), ("restful", "positive"), ("demotivated", "negative"),
    ("bittersweet", "mixed"),
])
def test_a_word_that_turns_another_round_is_read_by_its_turn_not_its_stem(
        env, vocabulary, typed, valence):
    done = run("add", "5k", "-f", typed, "--no-input", env=env)
    assert done.returncode == 2
    line, = done.stderr.splitlines()
    assert f"runlog emotions add {typed} --valence {valence}" in line
    question = line.split("(", 1)[1].split("Or add it")[0]
    opposite = {"positive": "negative", "negative": "positive", "mixed": None}[valence]
    offered = [name for name in vocabulary if f" {name}" in question or f"{name}?" in question]
    assert [name for name in offered if vocabulary[name] == opposite] == [], line


@pytest.mark.parametrize("typed", ["ok", "fired-up", "xqzv"])
def test_an_add_command_of_unknown_kind_pastes_into_a_shell_without_a_pipe(env, typed):
    done = run("add", "5k", "-f", typed, "--no-input", env=env)
    assert done.returncode == 2 and "|" not in done.stderr
    assert f"runlog emotions add {typed} --valence V" in done.stderr
