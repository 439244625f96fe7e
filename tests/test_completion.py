"""Shell completion through Typer, including emotion names for --felt."""

import os
import subprocess
import sys
from pathlib import Path

RUNLOG = str(Path(sys.executable).with_name("runlog"))


def complete(words: str, shell: str = "bash") -> list[str]:
    env = dict(os.environ)
    if shell == "bash":
        env.update(_RUNLOG_COMPLETE="complete_bash", COMP_WORDS=words,
                   COMP_CWORD=str(len(words.split()) - 1))
    else:
        env.update(_RUNLOG_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS=words)
    result = subprocess.run([RUNLOG], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_felt_completes_emotion_names():
    assert complete("runlog add 5k --felt sa") == ["sadness"]
    assert complete("runlog add 5k --felt gr") == ["gratitude", "grief"]


def test_felt_completes_the_last_of_a_comma_separated_list():
    assert "relieved,grief" in " ".join(complete("runlog add 5k --felt relieved,gr", "zsh"))


def test_felt_completes_on_every_command_that_takes_feelings():
    for words in ("runlog rest --felt sa", "runlog start --felt sa", "runlog edit 1 --felt sa"):
        assert complete(words) == ["sadness"], words


def test_felt_completes_the_users_own_emotions():
    subprocess.run([RUNLOG, "emotions", "add", "awe", "--valence", "positive"], check=True,
                   capture_output=True)
    assert complete("runlog add 5k --felt aw") == ["awe"]


def test_commands_complete():
    assert "insights" in complete("runlog ins")
