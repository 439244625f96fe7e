"""`runlog add`, `runlog start` and `runlog rest`: the commands typed after (and before) a run."""

from typing import Annotated, Optional

import typer

from .. import clock
from ..errors import InputError
from ..model import Entry, entry_to_dict
from . import _options as o
from ._common import echo, fit, interactive, print_json, state, write_or_hand_back
from ._fields import check_plausible, fields, read_note, split_positionals

IMPORT_LATER = ("Your entry is above as one JSON line: save it to a file and "
                "`runlog import FILE` it later.")

app = typer.Typer(add_completion=False)
start_app = typer.Typer(add_completion=False)
rest_app = typer.Typer(add_completion=False)


@app.command()
def add(
    ctx: typer.Context,
    distance_arg: Annotated[Optional[str], typer.Argument(metavar="[DISTANCE]",
                            help="How far: 5k, 3.1mi, 800m, half, marathon.")] = None,
    duration_arg: Annotated[Optional[str], typer.Argument(metavar="[DURATION]",
                            help="How long: 28:30, 1:02:03, 45min.")] = None,
    distance: o.Distance = None,
    time: o.Time = None,
    date: o.When = None,
    kind: o.Kind = None,
    before: o.Before = None,
    after: o.After = None,
    felt: o.Felt = None,
    cried: o.Cried = None,
    effort: o.Effort = None,
    pain: o.Pain = None,
    where: o.Where = None,
    intention: o.Intention = None,
    note: o.Note = None,
    edit: o.EditNote = False,
    tag: o.Tags = None,
    as_json: o.Json = False,
    no_input: o.NoInput = False,
    force: o.Force = False,
):
    """Log a run and how it felt.

    A distance and time faster than the world record for the distance (by more than 10 %)
    or slower than 1 km an hour is refused; on a terminal, one close to the record or slower
    than 30 minutes a kilometre is asked about first. --force keeps it as typed.

    Examples:

      runlog add 5k 28:30 --before 2 --after 4 --felt sad,relieved --cried during

      runlog add 3.1mi 32:10 -d yesterday --kind trail --pain 4 --where knee

      runlog add 5k 9:00 --kind treadmill --force
    """
    st = state(ctx)
    now = clock.now()
    first, second = split_positionals(distance_arg, duration_arg, st.units)
    if first is not None and distance is not None or second is not None and time is not None:
        raise InputError("give the distance and time either as arguments or as options, "
                         "not both")
    distance, time = distance or first, time or second
    if distance is None and time is None:
        raise InputError("say how far or how long you ran",
                         "e.g. `runlog add 5k 28:30` or `runlog add --time 30min`")
    values = fields(
        now=now, units=st.units, dayfirst=st.dayfirst, vocabulary=st.vocabulary_to_log,
        distance=distance, time=time, date=date, kind=kind, before=before, after=after,
        felt=felt, cried=cried, effort=effort, pain=pain, where=where, intention=intention,
        tags=tag,
    )
    check_plausible(values.get("distance_m"), values.get("duration_s"),
                    kind=values.get("kind", "run"), force=force, ask=interactive(no_input),
                    refused="nothing was logged")
    # The note is read last, so that no refusal above throws away a note written in $EDITOR.
    values.update(fields(now=now, units=st.units, dayfirst=st.dayfirst, vocabulary=None,
                         note=read_note(note, edit)))
    if interactive(no_input):
        values.update(_ask_missing(values, st.vocabulary(), ask_note=note is None and not edit))
    entry = Entry(uuid=_new_uuid(), date=values.pop("date", _now_text(now)), **values)
    from ..logbook import log_entry

    entry, milestones = write_or_hand_back(lambda: log_entry(st.open_store(), entry, now),
                                           entry, IMPORT_LATER)
    if as_json:
        print_json({**entry_to_dict(entry), "milestones": milestones})
        return
    from ..analysis.records import describe_milestone
    from ..render import summary

    echo(fit("Logged " + summary(entry, st.units)))
    for milestone in milestones:
        echo("★ " + describe_milestone(milestone, st.units))


@start_app.command()
def start(
    ctx: typer.Context,
    before: o.Before = None,
    intention: o.Intention = None,
    felt: o.Felt = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="Drop the waiting check-in.")] = False,
):
    """Check in before a run: how you feel and what you set out to do.

    The run dated within 12 hours after it takes it up (options given to `add` win); a run
    dated by day alone takes it up when it is dated the check-in's day (or the day its 12
    hours end on). A back-dated run leaves it waiting. A new check-in replaces a waiting one.

    Examples:

      runlog start --before bad --intention "let the argument go" --felt angry

      runlog start --cancel
    """
    from ..logbook import cancel_checkin, start_checkin

    st = state(ctx)
    now = clock.now()
    if cancel:
        if before is not None or intention is not None or felt:
            raise InputError("--cancel takes no other options")
        dropped = st.db_path.exists() and cancel_checkin(st.open_store(create=False), now)
        echo("Dropped the waiting check-in." if dropped else "No check-in was waiting.")
        return
    values = fields(now=now, units=st.units, dayfirst=False, vocabulary=st.vocabulary,
                    before=before, intention=intention, felt=felt)
    if not any(values.get(key) for key in ("mood_before", "intention", "emotions")):
        raise InputError("say how you feel or what you intend",
                         "e.g. `runlog start --before 2 --intention 'clear my head'`")
    replaced = start_checkin(st.open_store(), now, values.get("mood_before"),
                             values.get("intention"), values.get("emotions", ()))
    parts = []
    if "mood_before" in values:
        parts.append(f"mood {values['mood_before']}")
    if values.get("intention"):
        parts.append(f"intention: {values['intention']}")
    if values.get("emotions"):
        parts.append(", ".join(values["emotions"]))
    echo(fit("Checked in · " + " · ".join(parts) + ". Have a good run; `runlog add` "
             "takes this up for a run in the next 12 hours."))
    if replaced:
        echo(fit(f"This replaces the check-in from {replaced['created_at'][:16].replace('T', ' ')}"
                 " that was still waiting."))


@rest_app.command()
def rest(
    ctx: typer.Context,
    date: o.When = None,
    mood: Annotated[Optional[str], typer.Option("--mood", "-m", metavar="MOOD",
                    help="How the day felt: 1-5 or awful/bad/okay/good/great.")] = None,
    felt: o.Felt = None,
    note: o.Note = None,
    tag: o.Tags = None,
    as_json: o.Json = False,
):
    """Log a rest day and how it felt. Rest days never count as runs.

    Example:

      runlog rest --mood meh --felt guilty --note "legs heavy, stayed in"
    """
    st = state(ctx)
    now = clock.now()
    values = fields(now=now, units=st.units, dayfirst=st.dayfirst,
                    vocabulary=st.vocabulary_to_log, date=date, after=mood, felt=felt,
                    note=read_note(note, False), tags=tag)
    values.setdefault("date", now.date().isoformat())
    entry = Entry(uuid=_new_uuid(), kind="rest", **values)
    from ..logbook import log_entry

    entry, _ = write_or_hand_back(lambda: log_entry(st.open_store(), entry, now), entry,
                                  IMPORT_LATER)
    if as_json:
        print_json(entry_to_dict(entry))
        return
    from ..render import summary

    echo(fit("Logged " + summary(entry, st.units) + ". Rest is part of training."))


def _ask_missing(values: dict, vocabulary: dict, ask_note: bool) -> dict:
    """On a terminal, ask for what the command line left out. Enter skips a question."""
    from rich.prompt import Prompt

    from .. import parse
    from ._common import rich_console

    # runlog's console: a typed answer quoted back in an error shows its escapes spelled out
    console = rich_console(stderr=True)
    asked: dict = {}

    def ask(question: str, reader):
        while True:
            answer = Prompt.ask(question, console=console, default="", show_default=False)
            if not answer.strip():
                return None
            try:
                return reader(answer)
            except InputError as error:
                from rich.text import Text

                console.print(Text(error.message + (f" ({error.hint})" if error.hint else ""),
                                   style="red"))

    if "mood_after" not in values:
        asked["mood_after"] = ask("Mood after, 1-5 (awful..great)", parse.parse_mood)
    if "emotions" not in values:
        emotions = ask("What did you feel? (e.g. relieved, sad; Enter to skip)",
                       lambda text: parse.parse_emotions([text], vocabulary))
        if emotions:
            asked["emotions"] = emotions
    if ask_note and "note" not in values:
        asked["note"] = ask("A note on what came up (Enter to skip)", str.strip)
    return {key: value for key, value in asked.items() if value is not None}


def _new_uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _now_text(now) -> str:
    return now.replace(microsecond=0).isoformat()
