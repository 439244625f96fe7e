"""Turning `add`/`edit` option text into entry fields: only the options given appear."""

from __future__ import annotations

import os
import sys

from .. import parse
from ..errors import InputError
from ..model import ACTIVITY_KINDS, CRIED


def read_note(note: str | None, edit: bool) -> str | None:
    if note == "-":
        return sys.stdin.read().strip() or None
    if edit:
        return edit_text(note or "")
    return note


def edit_text(initial: str) -> str | None:
    """Open $VISUAL/$EDITOR on a private temporary file and return what was written."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise InputError("--edit needs $EDITOR set", "e.g. export EDITOR=nano, or use --note")
    import tempfile

    fd, name = tempfile.mkstemp(prefix="runlog-note-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial)
        import shlex
        import subprocess

        try:
            status = subprocess.call([*shlex.split(editor), name])
        except (OSError, ValueError) as error:
            raise InputError(f"can't start the editor {editor!r} ({error})",
                             "set $EDITOR to a program on your PATH, or use --note") from None
        if status != 0:
            raise InputError(f"the editor ({editor}) exited with an error; nothing was saved")
        with open(name, encoding="utf-8") as handle:
            return handle.read().strip() or None
    finally:
        os.unlink(name)


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


def _check_utf8(text: str, option: str) -> None:
    """Bytes the terminal could not decode arrive as lone surrogates SQLite can't store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{option} is not valid UTF-8 text",
                         "check your terminal's encoding (e.g. LANG=C.UTF-8)") from None


def split_positionals(first: str | None, second: str | None, units: str):
    """`add 5k 28:30`, `add 5k`, or `add 28:30`: a lone value that is no distance but reads
    as a time is the time."""
    if first is not None and second is None:
        try:
            parse.parse_distance(first, units)
        except InputError as not_distance:
            try:
                parse.parse_duration(first)
            except InputError:
                raise not_distance from None
            return None, first
    return first, second
