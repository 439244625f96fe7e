"""Where runlog keeps its files, and the user's settings (a small TOML file)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import InputError, StorageError

DEFAULTS = {"units": "km", "week_start": "monday", "dayfirst": False}
CHOICES = {"units": ("km", "mi"), "week_start": ("monday", "sunday")}


def _linux_xdg(variable: str, fallback: str) -> Path:
    # The XDG rule platformdirs applies on Linux, inlined: importing platformdirs costs
    # `runlog add` about 4 ms, and on Linux this is all it would do.
    value = os.environ.get(variable, "").strip()
    return Path(value) if value else Path.home() / fallback


def data_dir() -> Path:
    if sys.platform == "linux":
        return _linux_xdg("XDG_DATA_HOME", ".local/share") / "runlog"
    from platformdirs import user_data_dir

    return Path(user_data_dir("runlog", appauthor=False))


def config_path() -> Path:
    if sys.platform == "linux":
        return _linux_xdg("XDG_CONFIG_HOME", ".config") / "runlog" / "config.toml"
    from platformdirs import user_config_dir

    return Path(user_config_dir("runlog", appauthor=False)) / "config.toml"


def database_path(option: str | None) -> Path:
    """`--db`, else RUNLOG_DB, else the user data folder."""
    chosen = option or os.environ.get("RUNLOG_DB")
    if chosen:
        return Path(chosen).expanduser()
    return data_dir() / "runlog.db"


def _stored(path: Path) -> dict:
    """The config file as written, unchecked ({} when there is none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise StorageError(f"can't read {path}: {error.strerror}") from None
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StorageError(f"{path} is not valid TOML ({error})", "fix it or delete it") from None


def load() -> dict:
    """The settings: defaults overlaid with the config file, if there is one."""
    settings = dict(DEFAULTS)
    path = config_path()
    stored = _stored(path)
    for key, value in stored.items():
        if key in DEFAULTS:
            try:
                settings[key] = value if isinstance(value, type(DEFAULTS[key])) \
                    else parse_value(key, str(value))
            except InputError as error:
                raise StorageError(f"{path}: {key} = {value!r}: {error.message}",
                                   f"fix it with `runlog config set {key} ...`") from None
            if key in CHOICES and settings[key] not in CHOICES[key]:
                raise StorageError(f"{path}: {key} must be one of {', '.join(CHOICES[key])}, "
                                   f"not {value!r}", f"`runlog config set {key} ...`")
    return settings


def parse_value(key: str, text: str):
    from . import parse

    if key not in DEFAULTS:
        raise InputError(f"unknown setting '{key}'", f"settings: {', '.join(DEFAULTS)}")
    if key == "dayfirst":
        return parse.parse_bool(text, key)
    return parse.parse_choice(text, key, CHOICES[key])


def save(key: str, value) -> Path:
    """Write one setting, keeping the others as they are."""
    import tomli_w

    path = config_path()
    # Read the file unchecked, so `config set` can mend a value that stops `load()`.
    stored = {k: v for k, v in _stored(path).items() if k in DEFAULTS}
    stored[key] = value
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(tomli_w.dumps(stored), encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        raise StorageError(f"can't write {path}: {error.strerror}") from None
    return path
