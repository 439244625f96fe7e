"""Options and arguments commands share, declared once, with their shell completion and
the parameter types whose words are runlog's (not Click's)."""

from __future__ import annotations

import re
from typing import Annotated, List, Optional

import typer
from typer._click.types import ParamType

# SQLite's largest integer: an entry id above it can't exist.
LARGEST_ID = 2**63 - 1


class WholeNumber(ParamType):
    """A whole number, optionally within [low, high]. Its help shows only a metavar (N, ID),
    and a bad value is refused in runlog's words: "ID must be a whole number, not 'abc'"
    (Click's own says "'abc' is not a valid int range" and shows `[1<=x<=9223372036854775807]`)."""

    name = "whole number"

    def __init__(self, low: int | None = None, high: int | None = None):
        self.low, self.high = low, high

    def get_metavar(self, param, ctx=None) -> str:
        return "N"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value)
            # ASCII digits only: int() would take '١٢' and '1_000' too
            if not re.fullmatch(r"\s*[+-]?[0-9]+\s*", text, re.ASCII):
                self.fail(f"{_named(param)} must be a whole number, not '{text}'", param, ctx)
            number = int(text)
        low, high = self.low, self.high
        if low is not None and number < low or high is not None and number > high:
            name = _named(param)
            if high is None or high >= LARGEST_ID:
                limit = f"{low} or more" if number < (low or 0) else f"at most {high}"
                self.fail(f"{name} must be {limit}, not {number}", param, ctx)
            if low is None:
                self.fail(f"{name} must be at most {high}, not {number}", param, ctx)
            self.fail(f"{name} must be from {low} to {high}, not {number}", param, ctx)
        return number


def _named(param) -> str:
    """How a message names a parameter: its metavar for an argument (ID), its longest
    option name for an option (--limit)."""
    if param is None:
        return "the value"
    if param.param_type_name == "argument":
        return (param.metavar or param.name or "value").strip("[]").removesuffix("...").upper()
    return max(param.opts, key=len)


def _complete_from(names):
    def complete(incomplete: str):
        return [name for name in names if name.startswith(incomplete.lower())]

    return complete


def _complete_kinds(incomplete: str):
    from ..model import ACTIVITY_KINDS

    return _complete_from(ACTIVITY_KINDS)(incomplete)


def _complete_filter_kinds(incomplete: str):
    from ..model import KINDS

    return _complete_from(KINDS)(incomplete)


def _complete_cried(incomplete: str):
    from ..model import CRIED

    return _complete_from(CRIED)(incomplete)


def complete_setting(incomplete: str):
    """Shell completion for `runlog config get|set KEY`."""
    from ..config import DEFAULTS

    return _complete_from(DEFAULTS)(incomplete)


def complete_setting_value(ctx: typer.Context, incomplete: str):
    """Shell completion for `runlog config set KEY VALUE`: the values that KEY takes."""
    from ..config import CHOICES, DEFAULTS

    key = ctx.params.get("key")
    if key not in DEFAULTS:
        return []
    values = CHOICES.get(key) or ("true", "false")
    return _complete_from(values)(incomplete)


def _complete_emotions(incomplete: str):
    """Shell completion for --felt: names from the vocabulary (builtin and the user's own)."""
    try:
        from ._common import State

        with_store = State().open_store(create=False)
        names = sorted(with_store.vocabulary())
        with_store.close()
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        from ..vocab import BUILTIN_EMOTIONS

        names = sorted(BUILTIN_EMOTIONS)
    typed = incomplete.rsplit(",", 1)
    prefix = typed[0] + "," if len(typed) == 2 else ""
    last = typed[-1].lower()
    return [prefix + name for name in names if name.startswith(last)]


Distance = Annotated[Optional[str], typer.Option("--distance", "-D", metavar="DISTANCE",
                     help="How far: 5k, 3.1mi, 800m, half, marathon, or a bare number.")]
Time = Annotated[Optional[str], typer.Option("--time", "-t", metavar="DURATION",
                 help="How long: 28:30, 1:02:03, 45min, 1h05m; 25.30 is 25:30.")]
When = Annotated[Optional[str], typer.Option("--date", "-d", metavar="WHEN",
                 help="When: today, yesterday, 'last fri', 2026-11-20, 'Nov 20 7am'. "
                 "Default: now.")]
Kind = Annotated[Optional[str], typer.Option("--kind", metavar="KIND",
                 help="run, walk, run-walk, trail, treadmill or race (default run).",
                 autocompletion=_complete_kinds)]
# `edit` changes only what is given: no default applies to it.
NewWhen = Annotated[Optional[str], typer.Option("--date", "-d", metavar="WHEN",
                    help="A new date: yesterday, 'last fri', 2026-11-20, 'Nov 20 7am'.")]
NewKind = Annotated[Optional[str], typer.Option("--kind", metavar="KIND",
                    help="run, walk, run-walk, trail, treadmill, race, rest or checkin.",
                    autocompletion=_complete_filter_kinds)]
Before = Annotated[Optional[str], typer.Option("--before", "-b", metavar="MOOD",
                   help="Mood before: 1-5 or awful/bad/okay/good/great.")]
After = Annotated[Optional[str], typer.Option("--after", "-a", metavar="MOOD",
                  help="Mood after: 1-5 or awful/bad/okay/good/great.")]
Felt = Annotated[Optional[List[str]], typer.Option("--felt", "-f", metavar="EMOTIONS",
                 help="Emotions you named, comma-separated or repeated: sad,relieved.",
                 autocompletion=_complete_emotions)]
Cried = Annotated[Optional[str], typer.Option("--cried", metavar="during|after|both",
                  help="Whether you cried, and when.", autocompletion=_complete_cried)]
Effort = Annotated[Optional[str], typer.Option("--effort", "-e", metavar="1-10",
                   help="How hard it felt (RPE).")]
Pain = Annotated[Optional[str], typer.Option("--pain", metavar="0-10",
                 help="Pain during the run, 0 none to 10 worst.")]
Where = Annotated[Optional[str], typer.Option("--where", metavar="TEXT",
                  help="Where it hurt.")]
Intention = Annotated[Optional[str], typer.Option("--intention", "-i", metavar="TEXT",
                      help="What you set out to let go of, or to find.")]
Note = Annotated[Optional[str], typer.Option("--note", "-n", metavar="TEXT",
                 help="What came up. '-' reads it from standard input.")]
EditNote = Annotated[bool, typer.Option("--edit",
                     help="Write the note in $EDITOR (else editor, nano or vi).")]
Tags = Annotated[Optional[List[str]], typer.Option("--tag", metavar="TAG",
                 help="A tag (repeatable, or comma-separated).")]
# On edit, the tags given replace the entry's tags (as --felt replaces its feelings).
NewTags = Annotated[Optional[List[str]], typer.Option("--tag", metavar="TAG",
                    help="The entry's tags, replacing those it has (repeatable, or "
                    "comma-separated; --clear tags empties them).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
NoInput = Annotated[bool, typer.Option("--no-input", help="Never prompt, even on a terminal.")]
Force = Annotated[bool, typer.Option(
    "--force", help="Keep a distance and time that no human could run (faster than the world "
    "record for the distance, or slower than 1 km an hour), e.g. a treadmill that misreads.")]

# What `list` filters on (runlog/cli/entries.py declares these inline today).
FeltFilter = Annotated[Optional[str], typer.Option("--felt", "-f", metavar="EMOTION",
                       help="Only entries where you named this emotion.",
                       autocompletion=_complete_emotions)]
KindFilter = Annotated[Optional[str], typer.Option("--kind", metavar="KIND",
                       help="Only this kind: run, walk, run-walk, trail, treadmill, race, "
                       "rest, checkin.", autocompletion=_complete_filter_kinds)]
Limit = Annotated[int, typer.Option("--limit", "-l", metavar="N",
                  click_type=WholeNumber(0, LARGEST_ID), help="At most this many; 0 for all.")]
# Entry numbers as arguments (show, edit; delete, restore).
EntryId = Annotated[int, typer.Argument(metavar="ID", click_type=WholeNumber(1, LARGEST_ID),
                    help="The entry's number.", show_default=False)]
EntryIds = Annotated[List[int], typer.Argument(metavar="ID...", help="Entry numbers.",
                     click_type=WholeNumber(1, LARGEST_ID), show_default=False)]
