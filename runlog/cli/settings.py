"""`runlog config get|set|list`: settings kept in a TOML file in the user config folder."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import config
from ..errors import InputError
from . import _options as o
from ._common import echo, print_json, warn

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Read and change settings (units, week_start, dayfirst).\n\n"
                  "Example:\n\n  runlog config set units mi")

Key = Annotated[str, typer.Argument(metavar="KEY", help="units, week_start or dayfirst.",
                                    autocompletion=o.complete_setting)]


def _check_key(key: str) -> str:
    if key not in config.DEFAULTS:
        raise InputError(f"unknown setting '{key}'", "settings: " + ", ".join(config.DEFAULTS))
    return key


def _text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


@app.command("get")
def get(key: Key):
    """Print one setting.

    Example:

      runlog config get units
    """
    echo(_text(config.load()[_check_key(key)]))


@app.command("set")
def set_(key: Key, value: Annotated[str, typer.Argument(
        metavar="VALUE", help="units: km or mi; week_start: monday or sunday; dayfirst: "
        "true or false.", autocompletion=o.complete_setting_value)]):
    """Change one setting.

    Examples:

      runlog config set units mi

      runlog config set week_start sunday
    """
    parsed = config.parse_value(_check_key(key), value)
    path, kept = config.save(key, parsed)
    if kept is not None:
        warn(f"{path} could not be read; it was kept as {kept}")
    echo(f"{key} = {_text(parsed)} (saved in {path})")


@app.command("list")
def list_(as_json: o.Json = False):
    """Show every setting.

    Example:

      runlog config list
    """
    settings = config.load()
    if as_json:
        print_json(settings)
        return
    for key, value in settings.items():
        echo(f"{key} = {_text(value)}")
