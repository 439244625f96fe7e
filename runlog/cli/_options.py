"""Options that `add`, `edit`, `rest` and `start` share, declared once."""

from __future__ import annotations

from typing import Annotated, List, Optional

import typer


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
                 help="How long: 28:30, 1:02:03, 45min, 1h05m.")]
When = Annotated[Optional[str], typer.Option("--date", "-d", metavar="WHEN",
                 help="When: today, yesterday, 'last fri', 2026-11-20, 'Nov 20 7am'. "
                 "Default: now.")]
Kind = Annotated[Optional[str], typer.Option("--kind", metavar="KIND",
                 help="run, walk, run-walk, trail, treadmill or race (default run).")]
Before = Annotated[Optional[str], typer.Option("--before", "-b", metavar="MOOD",
                   help="Mood before: 1-5 or awful/bad/okay/good/great.")]
After = Annotated[Optional[str], typer.Option("--after", "-a", metavar="MOOD",
                  help="Mood after: 1-5 or awful/bad/okay/good/great.")]
Felt = Annotated[Optional[List[str]], typer.Option("--felt", "-f", metavar="EMOTIONS",
                 help="Emotions you named, comma-separated or repeated: sad,relieved.",
                 autocompletion=_complete_emotions)]
Cried = Annotated[Optional[str], typer.Option("--cried", metavar="during|after|both",
                  help="Whether you cried, and when.")]
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
EditNote = Annotated[bool, typer.Option("--edit", help="Write the note in $EDITOR.")]
Tags = Annotated[Optional[List[str]], typer.Option("--tag", metavar="TAG",
                 help="A tag (repeatable, or comma-separated).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
NoInput = Annotated[bool, typer.Option("--no-input", help="Never prompt, even on a terminal.")]
Force = Annotated[bool, typer.Option(
    "--force", help="Keep a distance and time that no human could run (faster than the world "
    "record for the distance, or slower than 1 km an hour), e.g. a treadmill that misreads.")]
