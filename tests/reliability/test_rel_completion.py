"""Shell completion through the real `runlog` process (Click's completion variables, as
bash and zsh set them): option values and settings, not only `add --felt`."""

from __future__ import annotations

import pytest

from relsupport import isolated_env, run


def complete(env, words: str, shell: str = "bash") -> list[str]:
    """What the shell would offer for the last word of `words` (a trailing space: a new,
    empty word)."""
    typed = words.split(" ")
    if shell == "bash":
        extra = {"_RUNLOG_COMPLETE": "complete_bash", "COMP_WORDS": words,
                 "COMP_CWORD": str(len(typed) - 1)}
    else:
        extra = {"_RUNLOG_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words}
    done = run(env={**env, **extra})
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.split()


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


@pytest.mark.parametrize(("words", "offered"), [
    ("runlog add 5k --kind tr", ["trail", "treadmill"]),
    ("runlog add 5k --cried ", ["during", "after", "both"]),
    ("runlog edit 1 --cried a", ["after"]),
    ("runlog edit 1 --kind re", ["rest"]),
    ("runlog config get u", ["units"]),
    ("runlog config set ", ["units", "week_start", "dayfirst"]),
    ("runlog config set week_start s", ["sunday"]),
    ("runlog config set dayfirst ", ["true", "false"]),
    ("runlog list --felt gr", ["gratitude", "grief"]),
    ("runlog list --kind ch", ["checkin"]),
])
def test_option_values_and_settings_complete(env, words, offered):
    assert complete(env, words) == offered


def test_add_kind_offers_only_what_add_takes(env):
    # rest days and check-ins have commands of their own
    assert complete(env, "runlog add 5k --kind r") == ["run", "run-walk", "race"]


def test_zsh_completes_a_settings_values(env):
    offered = " ".join(complete(env, "runlog config set units ", "zsh"))
    assert '"km"' in offered and '"mi"' in offered and "sunday" not in offered
