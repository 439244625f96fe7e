"""Every command and subcommand documents itself with an example (STYLE habit 8)."""

from __future__ import annotations

import importlib.util
import re

import pytest
import typer

from helpers import invoke
from runlog.cli import ALIASES, COMMANDS, app


def _module(name: str) -> str:
    return COMMANDS[name].split(":")[0]


def _missing(name: str) -> bool:
    return importlib.util.find_spec(_module(name)) is None


def _command(name: str):
    module_name, attribute = COMMANDS[name].split(":")
    return typer.main.get_command(getattr(importlib.import_module(module_name), attribute))


def _paths() -> list[list[str]]:
    """[command] for every command, [group, sub] for every subcommand of a group."""
    paths = []
    for name in COMMANDS:
        paths.append([name])
        if _missing(name):
            continue
        command = _command(name)
        for sub in getattr(command, "commands", {}):
            paths.append([name, sub])
    return paths


@pytest.mark.parametrize("path", _paths(), ids=" ".join)
def test_help_has_an_example(path):
    if _missing(path[0]):
        pytest.skip(f"{_module(path[0])} is not written yet")
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "Usage: runlog " + " ".join(path) in result.stdout
    assert "Example" in result.stdout
    # runlog's words, not Click's: no type names, ranges or braces around arguments
    assert not re.search(r"<int range>|<str>|INTEGER|x>=|x<=|\{[A-Z_.]+\}", result.stdout)


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_aliases_have_the_same_help(alias):
    if _missing(ALIASES[alias]):
        pytest.skip(f"{_module(ALIASES[alias])} is not written yet")
    assert invoke(alias, "--help").exit_code == 0
    assert "Example" in invoke(alias, "--help").stdout


def test_top_level_help_lists_every_command_with_an_example():
    missing = sorted({_module(name) for name in COMMANDS if _missing(name)})
    if missing:
        pytest.skip(f"{', '.join(missing)} not written yet: `runlog --help` needs every command")
    result = invoke("--help")
    assert result.exit_code == 0, result.stderr
    assert "Example" in result.stdout
    for name in COMMANDS:
        assert f" {name} " in result.stdout


def test_short_help_option():
    result = invoke("add", "-h")
    assert result.exit_code == 0 and "Example" in result.stdout
