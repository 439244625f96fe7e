"""Turning `add`/`edit` option text into entry fields: only the options given appear."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from .. import parse
from ..errors import InputError
from ..model import ACTIVITY_KINDS, CRIED, MAX_TEXT


def read_note(note: str | None, edit: bool) -> str | None:
    if note == "-":
        return sys.stdin.read().strip() or None
    if edit:
        return edit_text(note or "")
    return note


def edit_text(initial: str) -> str | None:
    """Open $VISUAL/$EDITOR on a private temporary file and return what was written.

    With neither set, on a terminal, the first of `editor` (Debian's chosen one), `nano`
    and `vi` on PATH opens; with none of them, or with no terminal for one to run on, the
    note is refused (InputError, exit 2) before anything is written.

    The note is written in a folder of its own that only this user can open (0700), and the
    folder goes on every way out: the editor's exit, an error, Ctrl-C, SIGHUP (the terminal
    closed) and SIGTERM. SIGKILL alone can't be caught by any program and leaves it behind.
    While the editor runs, Ctrl-C is the editor's (as with git): runlog ignores SIGINT until
    the editor exits, so pressing it in vim never throws away a half-written note.
    """
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or _fallback_editor()
    import shlex
    import signal
    import subprocess

    try:
        command = shlex.split(editor)
    except ValueError as error:
        raise InputError(f"can't start the editor {editor!r} ({error})",
                         "set $EDITOR to a program on your PATH, or use --note") from None
    stopping = [getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)]
    previous: dict = {}
    folder = process = None
    try:
        with _signals_held([*stopping, signal.SIGINT]):
            for signum in stopping:
                previous[signum] = signal.signal(signum, _stop)
            folder, path = _private_file(initial)
        try:
            process = subprocess.Popen([*command, path])
        except (OSError, ValueError) as error:
            raise InputError(f"can't start the editor {editor!r} ({error})",
                             "set $EDITOR to a program on your PATH, or use --note") from None
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
        status = process.wait()
        process = None
        if -status in (*stopping, signal.SIGINT):
            raise _Stopped(-status)
        if status != 0:
            raise InputError(f"the editor ({editor}) exited with an error; nothing was saved")
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip() or None
    except _Stopped as stopped:
        _say_interrupted()
        raise SystemExit(128 + stopped.signum) from None
    finally:
        with _signals_held([*stopping, signal.SIGINT]):
            if process is not None:  # runlog was stopped while the editor ran
                process.kill()
                process.wait()
            if folder is not None:
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
            for signum, handler in previous.items():
                signal.signal(signum, handler)


# Debian's `editor` is the system's chosen one; nano and vi are on nearly every system.
FALLBACK_EDITORS = ("editor", "nano", "vi")


def _fallback_editor() -> str:
    """The first fallback editor on PATH, by its full path (quoted for shlex), when runlog
    runs on a terminal; else InputError."""
    import shlex
    import shutil

    hint = "set $EDITOR, e.g. export EDITOR=nano, or use --note"
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError("--edit needs $EDITOR set when runlog is not on a terminal", hint)
    for name in FALLBACK_EDITORS:
        found = shutil.which(name)
        if found:
            return shlex.quote(found)
    raise InputError(f"--edit needs $EDITOR set: none of {parse._or_list(FALLBACK_EDITORS)} is on PATH",
                     hint)


class _Stopped(BaseException):
    """SIGHUP or SIGTERM arrived (or ended the editor) while a note was being written."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, _frame):
    raise _Stopped(signum)


def _private_file(initial: str) -> tuple[str, str]:
    """A new folder only this user can open (0700), holding the note file (0600)."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="runlog-note-")
    path = os.path.join(folder, "note.md")
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w",
                   encoding="utf-8") as handle:
        handle.write(initial)
    return folder, path


class _signals_held:
    """Hold `signals` back (they arrive when the block ends), so that making or removing
    the note's folder is never cut in half."""

    def __init__(self, signals):
        import signal

        self._signals = set(signals) if hasattr(signal, "pthread_sigmask") else set()

    def __enter__(self):
        if self._signals:
            import signal

            self._before = signal.pthread_sigmask(signal.SIG_BLOCK, self._signals)

    def __exit__(self, *_):
        if self._signals:
            import signal

            signal.pthread_sigmask(signal.SIG_SETMASK, self._before)


def _say_interrupted() -> None:
    from . import INTERRUPTED

    try:
        # `^C` was echoed where the cursor was: the message starts on a line of its own.
        print(("\n" if sys.stderr.isatty() else "") + INTERRUPTED, file=sys.stderr)
    except (OSError, ValueError):  # the terminal that would show it is gone
        pass


def fields(
    *,
    now,
    units: str,
    dayfirst: bool,
    vocabulary,
    distance=None,
    time=None,
    date=None,
    kind=None,
    kinds=ACTIVITY_KINDS,
    before=None,
    after=None,
    felt=None,
    cried=None,
    effort=None,
    pain=None,
    where=None,
    intention=None,
    note=None,
    tags=None,
) -> dict:
    """Parse each given option; raise InputError on the first bad one.

    `vocabulary` is a callable, so the emotion names are looked up only when needed.
    """
    out: dict = {}
    for name, value in (("--where", where), ("--intention", intention), ("--note", note),
                        *(("--tag", tag) for tag in tags or ())):
        if value is not None:
            _check_utf8(value, name)
            if len(value) > MAX_TEXT:
                raise InputError(f"{name} is longer than {MAX_TEXT:,} characters",
                                 "keep a long text in a file of its own")
    if distance is not None:
        out["distance_m"] = parse.parse_distance(distance, units)
    if time is not None:
        out["duration_s"] = parse.parse_duration(time)
    if date is not None:
        out["date"] = parse.parse_when(date, now, dayfirst)
    if kind is not None:
        out["kind"] = parse.parse_choice(kind, "kind", kinds)
    if before is not None:
        out["mood_before"] = parse.parse_mood(before)
    if after is not None:
        out["mood_after"] = parse.parse_mood(after)
    if felt:
        out["emotions"] = parse.parse_emotions(felt, vocabulary())
    if cried is not None:
        out["cried"] = parse.parse_choice(cried, "cried", CRIED)
    if effort is not None:
        out["effort"] = parse.parse_int_range(effort, "effort", 1, 10)
    if pain is not None:
        out["pain"] = parse.parse_int_range(pain, "pain", 0, 10)
    for name, value in (("where", where), ("intention", intention), ("note", note)):
        if value is not None:
            out[name] = value.strip() or None
    if tags:
        out["tags"] = parse.parse_tags(tags)
    return out


def check_plausible(distance_m: float | None, duration_s: float | None, *, force: bool,
                    ask: bool, refused: str, kind: str | None = "run") -> None:
    """Refuse a distance and time no human could run (exit 2, naming the rule and --force);
    on a terminal (`ask`), ask before keeping one that is merely surprising. From a script a
    surprising value is kept: it is possible, and a script can't answer. `refused` says what
    a "no" leaves undone ("nothing was logged"). A walk is held to the race walking records,
    any other kind to running's."""
    if force or not distance_m:
        return
    from .. import plausible

    kind = kind or "run"
    reason = plausible.impossible(distance_m, duration_s, kind)
    if reason:
        raise InputError(f"that can't be right: {reason}",
                         "check the distance and time; to keep it as it is, add --force")
    if not ask:
        return
    surprise = plausible.surprising(distance_m, duration_s, kind)
    if surprise:
        from rich.prompt import Confirm

        from ._common import rich_console

        if not Confirm.ask(f"{surprise[0].upper()}{surprise[1:]}. Keep it? (Enter is no)",
                           console=rich_console(stderr=True), default=False):
            from . import declined  # a "no" is no error

            declined(f"{refused[0].upper()}{refused[1:]}.")


def _check_utf8(text: str, option: str) -> None:
    """Bytes the terminal could not decode arrive as lone surrogates SQLite can't store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{option} is not valid UTF-8 text",
                         "check your terminal's encoding (e.g. LANG=C.UTF-8)") from None


_POSITIONALS_HINT = "try 5k 28:30, 5 km 28:30, 3.1 miles 30:00, half marathon 2:05:00 or 28:30 5k"
_MAX_POSITIONAL_WORDS = 8


def words_and_options(words, distance: str | None, time: str | None, units: str
                      ) -> tuple[str | None, str | None]:
    """The distance and time texts of `add` (or `edit`) from its words and its --distance and
    --time options. A value given both ways is refused; a bare number beside --distance is
    the time (alone it is a distance): `add 45 --distance 5k` is 5 km in 45 minutes."""
    words = tuple(words or ())
    first, second = read_positionals(words, units)
    if len(words) == 1 and distance is not None and time is None and bare_number(words[0]):
        first, second = None, words[0]
    if first is not None and distance is not None or second is not None and time is not None:
        raise InputError("give the distance and time either as arguments or as options, "
                         "not both")
    return distance or first, time or second


def read_positionals(tokens: Sequence[str], units: str) -> tuple[str | None, str | None]:
    """(distance text, duration text) from `add`'s words, typed with or without quotes.

    The words are read as one value or as two (a distance and a time, in either order), so
    `5k 28:30`, `5 km 28:30`, `3.1 miles 30:00`, `half marathon 2:05:00`, `28:30 5k` and
    `5k 45 min` all work. Words that read together as one value are that value: `1h 5m` is
    one time (an hour and five minutes), and so is `100m 15s`; but `800m 90s` is 800
    metres in 90 seconds, since `800m` can only be metres here. A value that reads as
    either is read as (see parse.positional_leaning):

    - `45m`, `90m` (a number under 200 with `m`): minutes; `400m`, `800m`: metres.
      Spelled out (`45 min`, `45 metres`) there is no doubt. `--distance 45m` is 45 metres
      and `--time 45m` 45 minutes: an option says which it is.
    - a bare number (`5`, `5.5`) is a distance in `units`; but one with exactly two digits
      after the point (`25.30`, `5.02`) could be a watch's distance or mm.ss, so alone it
      is refused with a hint; beside the other value it is whichever is left over.

    Two values that read both ways are taken distance first, unless one of them leans the
    other way (`45m 5` is 5 km in 45 minutes). Raises InputError for words that can't be
    read, for two distances, two times, or more than two values.
    """
    words = " ".join(str(token) for token in tokens).split()
    if not words:
        if tokens:
            raise InputError("a distance or time can't be blank", _POSITIONALS_HINT)
        return None, None
    shown = parse._shown(" ".join(words))
    if len(words) > _MAX_POSITIONAL_WORDS:
        raise InputError(f"can't read '{shown}' as a distance and a time", _POSITIONALS_HINT)
    whole = " ".join(words)
    roles = _roles(whole, units)
    pairs = []
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        pairs.append((first, _roles(first, units), second, _roles(second, units)))
    readings = []
    for first, first_roles, second, second_roles in pairs:
        for straight in (True, False):
            distance, duration = (first, second) if straight else (second, first)
            distance_roles, duration_roles = ((first_roles, second_roles) if straight
                                              else (second_roles, first_roles))
            if "distance" in distance_roles and "duration" in duration_roles:
                distance_leans = parse.positional_leaning(distance)
                duration_leans = parse.positional_leaning(duration)
                if distance_leans == "duration" or duration_leans == "distance":
                    continue  # `45m` is no distance here, `400m` no time
                leaning = (distance_leans in ("distance", None)) + (
                    duration_leans in ("duration", "mm.ss"))
                readings.append((leaning, straight, distance, duration, distance_leans))
    if roles and not any(reading[4] == "distance" for reading in readings):
        # One value, unless it holds a distance that can only be metres: `800m 90s` is
        # 800 metres in 90 seconds, not 800 minutes and 90 seconds.
        return _lone_value(whole, roles, units)
    if readings:
        best = max(readings, key=lambda reading: (reading[0], reading[1]))
        return best[2], best[3]
    raise _unreadable(words, pairs, units, shown)


def bare_number(text: str) -> bool:
    import re

    return re.fullmatch(parse._NUMBER, text) is not None


def _roles(text: str, units: str) -> tuple[str, ...]:
    """Which of "distance" and "duration" `text` reads as."""
    roles = []
    for role, reader in (("distance", lambda: parse.parse_distance(text, units)),
                         ("duration", lambda: parse.parse_duration(text))):
        try:
            reader()
        except InputError:
            continue
        roles.append(role)
    return tuple(roles)


def _lone_value(text: str, roles: tuple[str, ...], units: str):
    if len(roles) == 1:
        return (text, None) if roles == ("distance",) else (None, text)
    leaning = parse.positional_leaning(text)
    if leaning == "duration":
        return None, text
    if leaning == "mm.ss":
        number = text.replace(",", ".")
        whole, seconds = number.split(".")
        raise InputError(
            f"'{parse._shown(text)}' could be {number} {units} or {whole or 0}:{seconds}",
            f"write {number}{'k' if units == 'km' else 'mi'} for the distance or "
            f"{whole or 0}:{seconds} for the time",
        )
    return text, None


def _unreadable(words, pairs, units: str, shown: str) -> InputError:
    """The clearest error for words that read as no distance and time."""
    for first, first_roles, second, second_roles in pairs:
        if len(first_roles) == 1 and first_roles == second_roles:
            for text in (second, first):  # a bare number beside a distance is meant as the time
                if first_roles == ("distance",) and bare_number(text):
                    try:
                        parse.parse_duration(text)
                    except InputError as error:
                        return error
            kind = "distances" if first_roles == ("distance",) else "times"
            return InputError(f"'{parse._shown(first)}' and '{parse._shown(second)}' are "
                              f"both {kind}: give one distance and one time",
                              _POSITIONALS_HINT)
    if len(words) >= 3:
        for one in range(1, len(words) - 1):
            for two in range(one + 1, len(words)):
                groups = [" ".join(words[:one]), " ".join(words[one:two]),
                          " ".join(words[two:])]
                if all(_roles(group, units) for group in groups):
                    return InputError(f"'{shown}' is more than a distance and a time",
                                      "give one distance and one time, e.g. 5k 28:30")
    # One value read: the other is what its error says, in the role left over. A value
    # that reads both ways (a bare `5`) counts only when the rest has a digit, so that
    # `5 parsecs` is not said to be 5 km and a time 'parsecs'.
    candidates = []
    for first, first_roles, second, second_roles in pairs:
        for readable, roles, other in ((first, first_roles, second),
                                       (second, second_roles, first)):
            if not roles or (len(roles) == 2 and not any(c.isdigit() for c in other)):
                continue
            if len(roles) == 2:
                role = ("distance" if parse.positional_leaning(readable)
                        in ("duration", "mm.ss") else "duration")
            else:
                role = "duration" if roles == ("distance",) else "distance"
            candidates.append((len(roles) == 1, len(readable.split()), role, other))
    if candidates:
        *_, role, other = max(candidates, key=lambda candidate: candidate[:2])
        try:
            if role == "distance":
                parse.parse_distance(other, units)
            else:
                parse.parse_duration(other)
        except InputError as error:
            return error
    if len(words) == 1:
        try:
            if ":" in words[0]:
                parse.parse_duration(words[0])
            else:
                parse.parse_distance(words[0], units)
        except InputError as error:
            return error
    return InputError(f"can't read '{shown}' as a distance and a time", _POSITIONALS_HINT)
