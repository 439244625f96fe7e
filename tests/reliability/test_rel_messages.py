"""Messages in runlog's own words, through the real `runlog` process: usage errors, every
command's help at 80 columns, and what declining or interrupting a confirmation says."""

from __future__ import annotations

import json
import re

import pexpect
import pytest

from relsupport import RUNLOG, isolated_env, must, run, sha256

from runlog.cli import COMMANDS


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


# -- help -------------------------------------------------------------------------------------

def _every_help_path() -> list[list[str]]:
    """[] for `runlog`, [command] for each command, [group, sub] for each sub-command."""
    import importlib

    import typer

    paths = [[]]
    for name, target in COMMANDS.items():
        module_name, attribute = target.split(":")
        command = typer.main.get_command(getattr(importlib.import_module(module_name),
                                                 attribute))
        paths += [[name]] + [[name, sub] for sub in getattr(command, "commands", {})]
    return paths


# What Click and Typer show unless told otherwise: type names, ranges, braces around
# required arguments.
CLICK_WORDS = re.compile(r"<int range>|<str>|<text>|INTEGER|int range|x>=|x<=|<=x"
                         r"|9223372036854775807|\{[A-Z_.]+\}")


def _paragraphs(help_text: str) -> list[list[str]]:
    """The help's description (between the Usage line and the first section), as
    paragraphs of lines."""
    body = help_text.split("\n\n", 1)[1]
    body = re.split(r"\n(?:Arguments|Options|Commands):\n", body)[0]
    return [paragraph.split("\n") for paragraph in body.strip("\n").split("\n\n")]


def test_every_commands_help_fits_80_columns_shows_examples_whole_and_no_click_words(env):
    width = 80
    paths = _every_help_path()
    assert ["db", "backup"] in paths and ["config", "set"] in paths and ["emotions", "add"] in paths
    for path in paths:
        done = run(*path, "--help", env={**env, "COLUMNS": str(width)})
        shown = "runlog " + " ".join(path)
        assert done.returncode == 0 and done.stderr == "", (shown, done.stderr)
        text = done.stdout
        too_long = [line for line in text.splitlines() if len(line) > width]
        assert not too_long, (shown, too_long)
        assert not CLICK_WORDS.search(text), (shown, CLICK_WORDS.search(text).group())
        assert text.startswith("Usage: " + shown.strip()), shown
        assert "Example" in text, shown
        examples = False
        for paragraph in _paragraphs(text):
            first = paragraph[0]
            if first.strip().startswith("Example"):
                examples = True
                continue
            if examples and first.startswith("    "):
                # An example: one command per line, or continued as a shell continues it.
                for line, following in zip(paragraph, paragraph[1:]):
                    assert line.endswith(" \\") and following.startswith("      "), \
                        (shown, paragraph)
                continue
            examples = False
            # Prose is wrapped greedily: no line would have had room for the next one's
            # first word (a line broken early is what rewrapping a docstring's lines leaves).
            for line, following in zip(paragraph, paragraph[1:]):
                assert len(line) + 1 + len(following.split()[0]) > width - 2, (shown, line)


def test_a_long_example_is_shown_whole_on_one_line_at_80_columns(env):
    text = must("add", "--help", env=env)
    assert ("\n    runlog add 5k 28:30 --before 2 --after 4 --felt sad,relieved --cried during\n"
            in text)


def test_edit_help_shows_no_default_that_edit_does_not_apply(env):
    # add logs a run at "now" by default; edit changes only what is given
    assert "(default run)" in must("add", "--help", env=env)
    edit_help = must("edit", "--help", env=env)
    assert "default" not in edit_help.lower(), edit_help
    assert "rest" in edit_help.split("--kind", 1)[1].split("\n  -", 1)[0]


# -- usage errors -----------------------------------------------------------------------------

USAGE_ERRORS = [
    (["show", "abc"], "Error: ID must be a whole number, not 'abc' (see `runlog show --help`)"),
    (["delete", "1", "x2"],
     "Error: ID must be a whole number, not 'x2' (see `runlog delete --help`)"),
    (["show", "0"], "Error: ID must be 1 or more, not 0 (see `runlog show --help`)"),
    (["list", "--limit", "many"],
     "Error: --limit must be a whole number, not 'many' (see `runlog list --help`)"),
    (["mood", "--last", "0"], "Error: --last must be from 1 to 1000, not 0 (see `runlog mood --help`)"),
    (["mood", "--last", "5000"],
     "Error: --last must be from 1 to 1000, not 5000 (see `runlog mood --help`)"),
    (["list", "--units", "km"], "Error: --units is a global option: put it before the command, "
     "e.g. `runlog --units km list`"),
    (["add", "5k", "30:00", "--units", "mi", "--note", "a good run"], "Error: --units is a "
     "global option: put it before the command, e.g. "
     "`runlog --units mi add 5k 30:00 --note 'a good run'`"),
    (["db", "info", "--db=other.db"], "Error: --db is a global option: put it before the "
     "command, e.g. `runlog --db other.db db info`"),
    (["list", "--version"], "Error: --version is a global option: put it before the command, "
     "e.g. `runlog --version`"),
    (["emotions", "lsit"], "Error: no such command 'lsit' (did you mean `runlog emotions list`?)"),
    (["db", "chek"], "Error: no such command 'chek' (did you mean `runlog db check`?)"),
    (["config", "zzz"], "Error: no such command 'zzz' (see `runlog config --help`)"),
    (["show"], "Error: missing ID (see `runlog show --help`)"),
    (["restore"], "Error: missing ID (see `runlog restore --help`)"),
    (["config", "set", "units"], "Error: missing VALUE (see `runlog config set --help`)"),
    (["emotions", "add", "awe"],
     "Error: missing --valence positive|negative|mixed (see `runlog emotions add --help`)"),
    (["list", "--since"], "Error: --since needs a value (WHEN) (see `runlog list --help`)"),
    (["list", "--json=yes"], "Error: --json takes no value (see `runlog list --help`)"),
    (["list", "--bogus"], "Error: `runlog list` has no option --bogus (see `runlog list --help`)"),
    (["add", "5k", "--mood", "3"], "Error: `runlog add` has no option --mood (a run has two: "
     "--before and --after, each 1-5 or awful..great)"),
    (["stats", "--verbose"],
     "Error: `runlog stats` has no option --verbose (see `runlog stats --help`)"),
    (["db", "check", "--json"],
     "Error: `runlog db check` has no option --json (see `runlog db check --help`)"),
    (["show", "1", "2"], "Error: too many arguments for `runlog show`: '2' "
     "(see `runlog show --help`)"),
]


@pytest.mark.parametrize(("args", "line"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_errors_are_one_line_in_runlogs_words_and_change_nothing(env, tmp_path, args, line):
    must("add", "5k", "30:00", "--no-input", env=env)
    log = tmp_path / "runlog.db"
    before = sha256(log)
    done = run(*args, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")
    assert sha256(log) == before


# -- confirmations ----------------------------------------------------------------------------

def _spawn(env, *args: str) -> pexpect.spawn:
    return pexpect.spawn(str(RUNLOG), list(args), env=env, encoding="utf-8", timeout=30)


def _live_ids(env) -> list[int]:
    return [entry["id"] for entry in json.loads(must("list", "--json", env=env))]


def test_declining_delete_is_no_error_and_changes_nothing(env):
    must("add", "5k", "30:00", "--no-input", env=env)
    child = _spawn(env, "delete", "1")
    child.expect_exact("Move 1 entry to the trash?")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Nothing was changed." in child.before and "Error" not in child.before
    assert _live_ids(env) == [1]


def test_declining_purge_is_no_error_and_keeps_the_trash(env):
    must("add", "5k", "30:00", "--no-input", env=env)
    must("delete", "1", "--yes", env=env)
    child = _spawn(env, "purge")
    child.expect_exact("Delete 1 entry for good?")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Nothing was changed." in child.before and "Error" not in child.before
    assert [entry["id"] for entry in json.loads(must("trash", "--json", env=env))] == [1]


def test_ctrl_c_at_the_delete_question_says_so_on_a_line_of_its_own(env):
    must("add", "5k", "30:00", "--no-input", env=env)
    child = _spawn(env, "delete", "1")
    child.expect_exact("Move 1 entry to the trash?")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    lines = child.before.splitlines()
    assert "Interrupted; nothing was changed." in lines, child.before
    assert _live_ids(env) == [1]


def test_moving_one_entry_says_it_and_several_say_them(env):
    for _ in range(3):
        must("add", "5k", "30:00", "--no-input", env=env)
    assert must("delete", "1", "--yes", env=env) == (
        "Moved 1 to the trash. `runlog restore 1` brings it back.\n")
    assert must("delete", "2", "3", "--yes", env=env) == (
        "Moved 2 to the trash. `runlog restore 2 3` brings them back.\n")


# -- edit reads a distance and time as add does -----------------------------------------------

@pytest.mark.parametrize(("words", "distance_km", "duration_s"), [
    (["10k", "50:00"], 10.0, 3000),
    (["50:00", "10", "km"], 10.0, 3000),
    (["28:30"], 5.0, 1710),
])
def test_edit_takes_a_distance_and_time_as_words_like_add(env, words, distance_km, duration_s):
    must("add", "5k", "30:00", "--no-input", env=env)
    changed = json.loads(must("edit", "1", *words, "--json", env=env))
    assert (changed["distance_km"], changed["duration_s"]) == (distance_km, duration_s)


@pytest.mark.parametrize(("args", "said"), [
    (["45:00", "--time", "40:00"], "either as arguments or as options, not both"),
    (["foo"], "can't read distance 'foo'"),
    (["10k", "--clear", "distance"], "--clear distance and a new distance at once"),
])
def test_edit_refuses_words_it_cant_use_and_changes_nothing(env, tmp_path, args, said):
    must("add", "5k", "30:00", "--no-input", env=env)
    log = tmp_path / "runlog.db"
    before = sha256(log)
    done = run("edit", "1", *args, env=env)
    assert done.returncode == 2 and done.stderr.startswith("Error: ") and said in done.stderr
    assert len(done.stderr.splitlines()) == 1 and sha256(log) == before
