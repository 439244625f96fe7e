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
    """`--db`, else RUNLOG_DB, else the user data folder. An empty `--db` (say from an
    unset shell variable) is refused, never taken as "the default log"; so is a name
    ending in a slash, which names a folder, not a file."""
    if option is not None and not option:
        raise InputError("--db is empty", "name the log file, or leave --db out for the default")
    chosen = option or os.environ.get("RUNLOG_DB")
    if chosen:
        if chosen.endswith(("/", os.sep)):
            source = "--db" if option else "RUNLOG_DB"
            raise InputError(f"{source} {chosen} ends in a slash: it names a folder",
                             "name the log file itself, such as runlog.db in that folder")
        return Path(chosen).expanduser()
    return data_dir() / "runlog.db"


MEND = ("`runlog config set KEY VALUE` writes a new one (keeping this one beside it), "
        "or delete it")
_LARGEST = 1 << 20  # a settings file of three lines; anything bigger is something else


class BrokenConfig(StorageError):
    """The config file is there but is not UTF-8 TOML: `config set` may replace it."""


def _read(path: Path) -> str | None:
    """The config file's text (None when there is none). Only a regular file is read: a
    named pipe would block runlog, a folder or a device is no config file."""
    import stat

    try:
        kind = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StorageError(f"can't read {path}: {error.strerror}") from None
    try:
        if not stat.S_ISREG(kind):
            raise _not_a_file(path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise _not_a_file(path)  # swapped for a pipe since the look above
            if info.st_size > _LARGEST:
                raise StorageError(f"{path} is {info.st_size:,} bytes, too big to be "
                                   "runlog's settings", "delete it or move it away")
            data = os.read(fd, _LARGEST + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StorageError(f"can't read {path}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")  # a BOM, as some editors write, is no harm
    except UnicodeDecodeError as error:
        raise BrokenConfig(f"{path} is not UTF-8 text (at byte {error.start})",
                           MEND) from None


def _not_a_file(path: Path) -> StorageError:
    return StorageError(f"{path} is not a regular file",
                        "move it away; `runlog config set KEY VALUE` then writes a new one")


def _stored(path: Path) -> dict:
    """The config file as written, unchecked ({} when there is none)."""
    text = _read(path)
    if text is None:
        return {}
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BrokenConfig(f"{path} is not valid TOML ({error})", MEND) from None


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


def save(key: str, value) -> tuple[Path, Path | None]:
    """Write one setting, keeping the others as they are; returns the file, and where an
    unreadable file it replaced was kept (None when it was readable). The file and every
    folder made for it are owner-only; it is replaced whole, through a new temporary file
    (never one that is there, nor a link). A link to a file, as dotfile managers make, is
    kept and its file is written."""
    import tomli_w

    path = config_path()
    broken = False
    target = path
    if path.is_symlink():
        # Written through only when it leads to a settings file (a dotfile manager's);
        # anything else it leads to is no runlog file to rename, replace or chmod.
        target = Path(os.path.realpath(path))
        try:
            if not os.path.isfile(path):
                raise StorageError("it does not lead to a regular file")
            stored = _stored(path)
        except StorageError as error:
            raise StorageError(f"{path} is a symbolic link to {target}, which is not a runlog "
                               f"settings file ({error.message}); nothing was changed",
                               "point the link at your settings file, or remove it") from None
    else:
        try:
            # Read the file unchecked, so `config set` can mend a value that stops
            # `load()`; keys this runlog does not know (a newer runlog's) are kept.
            stored = _stored(path)
        except BrokenConfig:
            stored, broken = {}, True
    stored[key] = value
    kept = None
    try:
        from .store.db import make_private_folders

        make_private_folders(target.parent)
        temporary = _write_temporary(target, tomli_w.dumps(stored))
        try:
            if broken:
                kept = _free_name(target.with_name(target.name + ".broken"))
                os.replace(target, kept)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise StorageError(f"can't write {path}: {error.strerror}") from None
    return path, kept


def _write_temporary(target: Path, text: str) -> str:
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return name


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate
