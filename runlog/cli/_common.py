"""What every command shares: the global options, opening the store, writing output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from .. import config
from ..errors import InputError
from ..safetext import json_text, one_line, visible


class State:
    """The global options, the settings read once per run, and the open store."""

    def __init__(self, db_option: str | None = None, units_option: str | None = None):
        self.db_option = db_option
        self.units_option = units_option
        self._settings: dict | None = None
        self._store = None

    @property
    def settings(self) -> dict:
        if self._settings is None:
            self._settings = config.load()
        return self._settings

    @property
    def units(self) -> str:
        chosen = self.units_option or os.environ.get("RUNLOG_UNITS") or self.settings["units"]
        if chosen not in ("km", "mi"):
            source = "--units" if self.units_option else (
                "RUNLOG_UNITS" if os.environ.get("RUNLOG_UNITS") else "the config file")
            raise InputError(f"units must be km or mi, not '{chosen}' (from {source})")
        return chosen

    @property
    def week_start(self) -> str:
        return self.settings["week_start"]

    @property
    def dayfirst(self) -> bool:
        return bool(self.settings["dayfirst"])

    @property
    def db_path(self) -> Path:
        return config.database_path(self.db_option)

    def open_store(self, *, create: bool = True):
        """The store, opened once per run and created on first write; with `create=False`
        a missing database is a StorageError."""
        if self._store is None:
            from ..store import Store

            self._store = Store.open(self.db_path, create=create)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def vocabulary_to_log(self) -> dict[str, str]:
        """The vocabulary for a new entry: if the log can't be read, the built-in one, so
        the entry is still made and handed back when writing it fails."""
        from ..errors import StorageError

        try:
            return self.vocabulary()
        except StorageError:
            from ..vocab import BUILTIN_EMOTIONS

            return dict(BUILTIN_EMOTIONS)

    def vocabulary(self) -> dict[str, str]:
        """The emotion vocabulary, without creating a database just to read it."""
        if not self.db_path.exists():
            from ..vocab import BUILTIN_EMOTIONS

            return dict(BUILTIN_EMOTIONS)
        return self.open_store(create=False).vocabulary()


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = State()
    return root.obj


def interactive(no_input: bool) -> bool:
    """Prompt only a person at a terminal, never a script: the questions go to standard
    error, so it must be a terminal too (`2>/dev/null` would hide them)."""
    return (not no_input and sys.stdin.isatty() and sys.stdout.isatty()
            and sys.stderr.isatty())


def print_json(document) -> None:
    """The exact text, JSON-escaped: C1 and bidi controls too, which JSON allows raw."""
    import json

    # On a standard output that can't carry all of Unicode (PYTHONIOENCODING=ascii), JSON's
    # own \uXXXX escapes keep the document whole and exact.
    print(json_text(json.dumps(document, ensure_ascii=not utf8(sys.stdout), indent=2)))


def utf8(stream) -> bool:
    """Whether `stream` writes UTF-8 (so any text can go out as it is)."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8"


# Every line for people goes out through echo, warn or a rich_console: text that came from
# the user or a file (notes, tags, file names, config values) has its control and bidi
# characters spelled out (`\x1b`, `\u202e`), so it can't move the cursor, clear the screen,
# write the clipboard or reorder what is shown. Escaping is idempotent, so text a table has
# already escaped (to measure its columns) passes unchanged.
def echo(text: str = "", tone: str | None = None) -> None:
    """A line (or lines) for people on stdout. `tone` colours it on a terminal: "warning"
    red, "caution" yellow, "milestone" bold green; piped output and NO_COLOR get none."""
    text = visible(text)
    start = _TONES[tone] if tone is not None else None  # a wrong tone fails even when piped
    if start and colour_wanted():
        # Each line coloured on its own, so a pager or a wrapped line never bleeds colour.
        text = "\n".join(f"{start}{line}\x1b[0m" if line else line
                         for line in text.split("\n"))
    print(text)


_TONES = {"warning": "\x1b[31m", "caution": "\x1b[33m", "milestone": "\x1b[1;32m"}


def colour_wanted() -> bool:
    """Colour only for a person at a terminal: not when piped, not with NO_COLOR set to
    anything (no-color.org), not on TERM=dumb."""
    return (sys.stdout.isatty() and os.environ.get("NO_COLOR", "") == ""
            and os.environ.get("TERM") != "dumb")


def fit(text: str) -> str:
    """One line for people: newlines and tabs in it are spelled out (`\\n`), and it is wrapped
    at its spaces to the terminal's width; piped output stays one whole line for scripts and
    grep. Nothing is ever cut: a word (a path, a date) longer than the line stays whole."""
    text = one_line(text)
    if not sys.stdout.isatty():
        return text
    import shutil
    import textwrap

    return textwrap.fill(text, shutil.get_terminal_size().columns, subsequent_indent="  ",
                         break_long_words=False, break_on_hyphens=False)


def warn(text: str) -> None:
    """One line on stderr (a summary, a detail before a question): a newline or tab in it,
    say from a file name, is spelled out (`\\n`) rather than starting a line of its own."""
    print(one_line(text), file=sys.stderr)


def write_or_hand_back(action, entry, advice: str):
    """Run a write; if it fails, hand back what was typed as one JSON line on stderr (the
    shape `runlog import` takes), so nothing typed is lost."""
    from ..errors import RunlogError

    try:
        return action()
    except RunlogError:
        import json

        from ..model import entry_to_dict

        print(json_text(json.dumps(entry_to_dict(entry), ensure_ascii=False)), file=sys.stderr)
        warn(advice)
        raise


def rich_console(stderr: bool = False):
    """A Rich console for a terminal (imported here: only terminal output pays for Rich).

    Strings printed to it are not read as markup or emoji codes, and whatever reaches it
    unescaped (a progress bar's file name, a prompt) still has its control characters spelled
    out. With NO_COLOR it writes no styles at all, as piped output has none."""
    from rich.console import Console
    from rich.segment import Segment

    class VisibleConsole(Console):
        def render(self, renderable, options=None):
            for segment in super().render(renderable, options):
                text, style, control = segment
                if control:  # Rich's own cursor moves (progress bars), not text
                    yield segment
                else:
                    shown = visible(text)
                    yield segment if shown is text else Segment(shown, style)

    quiet = os.environ.get("NO_COLOR", "") != ""  # as Rich reads it
    return VisibleConsole(stderr=stderr, markup=False, emoji=False, highlight=False,
                          **({"color_system": None} if quiet else {}))


def on_terminal() -> bool:
    return sys.stdout.isatty()
