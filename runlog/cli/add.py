"""`runlog add`, `runlog start` and `runlog rest`: the commands typed after (and before) a run."""

from typing import Annotated, List, Optional

import typer

from .. import clock
from ..errors import InputError
from ..model import Entry, entry_to_dict
from . import _options as o
from ._common import echo, fit, interactive, print_json, state, warn, write_or_hand_back
from ._fields import check_plausible, fields, read_note, read_positionals, words_and_options

IMPORT_LATER = ("Your entry is above as one JSON line: save it to a file and "
                "`runlog import FILE` it later.")

app = typer.Typer(add_completion=False)
start_app = typer.Typer(add_completion=False)
rest_app = typer.Typer(add_completion=False)


@app.command()
def add(
    ctx: typer.Context,
    words: Annotated[Optional[List[str]], typer.Argument(
        metavar="[DISTANCE] [DURATION]", show_default=False,
        help="How far and/or how long, in either order, quotes not needed: 5k 28:30, "
        "5 km 28:30, half marathon 2:05:00, 28:30, 45m.")] = None,
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

    On a terminal it asks for what was not given: how far and how long (when neither is),
    the mood before (unless a waiting check-in gives it), the mood after, feelings and a
    note; Enter skips a question. It also says when the same run is already logged that
    day (it is logged all the same).

    Examples:

      runlog add 5k 28:30 --before 2 --after 4 --felt sad,relieved --cried during

      runlog add 3.1mi 32:10 -d yesterday --kind trail --pain 4 --where knee

      runlog add 5k 9:00 --kind treadmill --force
    """
    st = state(ctx)
    now = clock.now()
    ask = interactive(no_input)
    distance, time = words_and_options(words, distance, time, st.units)
    if distance is None and time is None and not ask:
        raise _nothing_given()
    values = fields(
        now=now, units=st.units, dayfirst=st.dayfirst, vocabulary=st.vocabulary_to_log,
        distance=distance, time=time, date=date, kind=kind, before=before, after=after,
        felt=felt, cried=cried, effort=effort, pain=pain, where=where, intention=intention,
        tags=tag,
    )
    if "distance_m" not in values and "duration_s" not in values:
        # On a terminal (a script was refused above), after every option given was read.
        values.update(_ask_distance_and_time(st.units))
        if "distance_m" not in values and "duration_s" not in values:
            raise _nothing_given()
    check_plausible(values.get("distance_m"), values.get("duration_s"),
                    kind=values.get("kind", "run"), force=force, ask=ask,
                    refused="nothing was logged")
    # The note is read last, so that no refusal above throws away a note written in $EDITOR.
    values.update(fields(now=now, units=st.units, dayfirst=st.dayfirst, vocabulary=None,
                         note=read_note(note, edit)))
    values.setdefault("date", _now_text(now))
    if ask:
        values.update(_ask_missing(
            values, st.vocabulary(), ask_note=note is None and not edit,
            ask_before="mood_before" not in values and not _checkin_gives_mood(st, values)))
    entry = Entry(uuid=_new_uuid(), **values)
    from ..logbook import log_entry

    entry, milestones = write_or_hand_back(lambda: log_entry(st.open_store(), entry, now,
                                                             st.units),
                                           entry, IMPORT_LATER)
    # Told whenever a person sees standard error, --no-input too: it means "don't ask".
    repeat = _same_run_logged(st.open_store(), entry) if _stderr_on_terminal() else None
    if as_json:
        print_json({**entry_to_dict(entry), "milestones": milestones})
    else:
        from ..analysis.records import describe_milestone
        from ..render import summary

        echo(fit("Logged " + summary(entry, st.units)))
        for milestone in milestones:
            echo("★ " + describe_milestone(milestone, st.units), tone="milestone")
    if repeat is not None:
        warn(_repeat_warning(repeat, entry, st.units))


@start_app.command()
def start(
    ctx: typer.Context,
    before: o.Before = None,
    intention: o.Intention = None,
    felt: o.Felt = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="Drop the waiting check-in.")] = False,
    no_input: o.NoInput = False,
):
    """Check in before a run: how you feel and what you set out to do.

    The run dated within 12 hours after it takes it up (options given to `add` win); a run
    dated by day alone takes it up when it is dated the check-in's day (or the day its 12
    hours end on). A back-dated run leaves it waiting. A new check-in replaces a waiting one.

    Given nothing, on a terminal it asks (Enter skips a question).

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
    if not values and interactive(no_input):
        values = _ask_checkin(st.vocabulary())
    if not any(values.get(key) for key in ("mood_before", "intention", "emotions")):
        raise InputError("say how you feel or what you intend",
                         "e.g. `runlog start --before 2 --intention 'clear my head'`")
    replaced = start_checkin(st.open_store(), now, values.get("mood_before"),
                             values.get("intention"), values.get("emotions", ()))
    parts = []
    if "mood_before" in values:
        from ..render import mood_word

        parts.append(f"mood before {mood_word(values['mood_before'])}")
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
    no_input: o.NoInput = False,
):
    """Log a rest day and how it felt. Rest days never count as runs.

    On a terminal it asks for the mood, feelings and note not given (Enter skips).

    Example:

      runlog rest --mood meh --felt guilty --note "legs heavy, stayed in"
    """
    st = state(ctx)
    now = clock.now()
    values = fields(now=now, units=st.units, dayfirst=st.dayfirst,
                    vocabulary=st.vocabulary_to_log, date=date, after=mood, felt=felt,
                    note=read_note(note, False), tags=tag)
    values.setdefault("date", now.date().isoformat())
    if interactive(no_input):
        values.update(_ask_rest(values, st.vocabulary(), ask_note=note is None))
    entry = Entry(uuid=_new_uuid(), kind="rest", **values)
    from ..logbook import log_entry

    entry, _ = write_or_hand_back(lambda: log_entry(st.open_store(), entry, now), entry,
                                  IMPORT_LATER)
    if as_json:
        print_json(entry_to_dict(entry))
        return
    from ..render import summary

    echo(fit("Logged " + summary(entry, st.units) + ". Rest is part of training."))


def _nothing_given() -> InputError:
    return InputError("say how far or how long you ran",
                      "e.g. `runlog add 5k 28:30` or `runlog add --time 30min`")


# Every question says Enter skips it; each answer is read by the parser its option uses.
ASK_DISTANCE = "How far did you go? (e.g. 5k, 3.1mi, half; Enter to skip)"
ASK_TIME = "How long did it take? (e.g. 28:30, 1:02:03, 45min; Enter to skip)"
ASK_BEFORE = "Mood before the run, 1-5 (awful..great; Enter to skip)"
ASK_AFTER = "Mood after the run, 1-5 (awful..great; Enter to skip)"
ASK_FELT = "What did you feel? (e.g. relieved, sad; Enter to skip)"
ASK_NOTE = "A note on what came up (Enter to skip)"
ASK_REST_MOOD = "How did the rest day feel? 1-5 (awful..great; Enter to skip)"
ASK_REST_FELT = "What did you feel? (e.g. guilty, calm; Enter to skip)"
ASK_REST_NOTE = "A note on the day (Enter to skip)"
ASK_INTENTION = "What do you set out to let go of, or to find? (Enter to skip)"
ASK_FEELING = "What do you feel now? (e.g. anxious, sad; Enter to skip)"


def _ask(question: str, reader):
    """Ask on the terminal (stderr) until `reader` takes the answer; Enter skips (None).
    A bad answer is said why, in one line, and asked again."""
    from rich.prompt import Prompt
    from rich.text import Text

    from ._common import rich_console

    # runlog's console: a typed answer quoted back in an error shows its escapes spelled out
    console = rich_console(stderr=True)
    _line_editing()
    while True:
        answer = Prompt.ask(question, console=console, default="", show_default=False)
        if not answer.strip():
            return None
        try:
            return reader(answer)
        except InputError as error:
            console.print(Text(error.message + (f" ({error.hint})" if error.hint else ""),
                               style="red"))


def _line_editing() -> None:
    """Answers read through readline, as a shell reads them: arrow keys edit the line, and
    Ctrl-D after some text no longer hands Python a line it then cuts short by a letter
    (without readline, input() takes the last character for the newline)."""
    try:
        import readline  # noqa: F401  (importing it is what makes input() use it)
    except ImportError:  # a Python built without it
        pass


def _field(name: str, option: str, *, units: str = "km", vocabulary: dict | None = None):
    """A reader for `_ask`: the answer read as `fields` reads option `option` (so the same
    rules and errors), giving the entry field `name`."""
    def read(answer: str):
        value = answer if option != "felt" else [answer]
        return fields(now=None, units=units, dayfirst=False, vocabulary=lambda: vocabulary,
                      **{option: value}).get(name) or None
    return read


def _ask_distance_and_time(units: str) -> dict:
    """`runlog add` on a terminal with neither: how far, then how long. The first answer
    is read as add's words are when it is no distance: with both (`5k 28:30`) or a time
    alone (`28:30`), the time is not asked."""
    distance = _field("distance_m", "distance", units=units)

    def distance_or_both(answer: str):
        try:
            return distance(answer), None
        except InputError:
            try:
                both = read_positionals(answer.split(), units)
            except InputError:
                both = (None, None)
            if both[1] is None:
                raise
            return (both[0] and distance(both[0])), _field("duration_s", "time")(both[1])

    distance_m, duration_s = _ask(ASK_DISTANCE, distance_or_both) or (None, None)
    if duration_s is None:
        duration_s = _ask(ASK_TIME, _field("duration_s", "time"))
    asked = {"distance_m": distance_m, "duration_s": duration_s}
    return {key: value for key, value in asked.items() if value is not None}


def _checkin_gives_mood(st, values: dict) -> bool:
    """Whether the waiting check-in this run would take up (the rule log_entry applies,
    read only) holds a mood before. No log file, no check-in: nothing is created to look."""
    if not st.db_path.exists():
        return False
    from ..errors import StorageError
    from ..logbook import checkin_for

    try:
        checkin = checkin_for(st.open_store(create=False), values["date"])
    except StorageError:  # the write will say what is wrong, and hand the entry back
        return False
    return checkin is not None and checkin["mood_before"] is not None


def _ask_missing(values: dict, vocabulary: dict, ask_note: bool,
                 ask_before: bool = False) -> dict:
    """On a terminal, ask for what the command line left out. Enter skips a question."""
    return _ask_each(vocabulary, (
        ((ASK_BEFORE, "mood_before", "before"), ask_before),
        ((ASK_AFTER, "mood_after", "after"), "mood_after" not in values),
        ((ASK_FELT, "emotions", "felt"), "emotions" not in values),
        ((ASK_NOTE, "note", "note"), ask_note and "note" not in values)))


def _ask_rest(values: dict, vocabulary: dict, ask_note: bool) -> dict:
    """`runlog rest` on a terminal: how the day felt, the feelings and a note not given."""
    return _ask_each(vocabulary, (
        ((ASK_REST_MOOD, "mood_after", "after"), "mood_after" not in values),
        ((ASK_REST_FELT, "emotions", "felt"), "emotions" not in values),
        ((ASK_REST_NOTE, "note", "note"), ask_note and "note" not in values)))


def _ask_checkin(vocabulary: dict) -> dict:
    """`runlog start` on a terminal given nothing: mood before, intention, feelings."""
    return _ask_each(vocabulary, (
        ((ASK_BEFORE, "mood_before", "before"), True),
        ((ASK_INTENTION, "intention", "intention"), True),
        ((ASK_FEELING, "emotions", "felt"), True)))


def _ask_each(vocabulary: dict, questions) -> dict:
    """Ask each wanted (question, entry field, option) in turn, each answer read as the
    option reads it; Enter skips one, and a skipped one is left out."""
    asked = {}
    for (question, name, option), wanted in questions:
        if wanted:
            value = _ask(question, _field(name, option, vocabulary=vocabulary))
            if value is not None:
                asked[name] = value
    return asked


# A run typed twice: a live activity on the same day whose distance is within 1 % and time
# within 5 seconds of the new one's (both absent counts as the same). Typed again by
# mistake it matches exactly; the margins cover the same run copied from a watch.
_SAME_RUN = """
SELECT id, kind, distance_m, duration_s FROM entries
WHERE day = :day AND id != :id AND deleted_at IS NULL AND kind IN {kinds}
  AND (distance_m IS NULL AND :distance IS NULL OR abs(distance_m - :distance) <= :distance * 0.01)
  AND (duration_s IS NULL AND :duration IS NULL OR abs(duration_s - :duration) <= 5)
ORDER BY kind = :kind DESC, id LIMIT 1
"""


def _stderr_on_terminal() -> bool:
    import sys

    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _same_run_logged(store, entry: Entry) -> tuple | None:
    """The first other live entry that looks like the same run as `entry` (just logged):
    (id, kind, distance_m, duration_s), or None. Only for a warning: a log that can't be
    read here (the run is already written) gives None."""
    import sqlite3

    from ..store import ACTIVITY_SQL

    try:
        return store.conn.execute(_SAME_RUN.format(kinds=ACTIVITY_SQL), {
            "day": entry.day, "id": entry.id, "distance": entry.distance_m,
            "duration": entry.duration_s, "kind": entry.kind}).fetchone()
    except sqlite3.Error:
        return None


_KIND_NOUNS = {"trail": "trail run", "treadmill": "treadmill run"}


def _repeat_warning(repeat: tuple, entry: Entry, units: str) -> str:
    """`add` never refuses a repeat (two runs a day are normal), but on a terminal it says
    when the run looks logged already, and how to take the new one back."""
    from ..render import format_distance, format_duration

    entry_id, kind, distance_m, duration_s = repeat
    what = _KIND_NOUNS.get(kind, kind)
    if distance_m is not None:
        what = format_distance(distance_m, units) + " " + what
        if duration_s is not None:
            what += " in " + format_duration(duration_s)
    else:
        what = format_duration(duration_s) + " " + what
    return (f"You already logged {_article(what)} {what} on {entry.day} (#{entry_id}); "
            f"logged this one too — `runlog delete {entry.id}` if it was a repeat.")


def _article(words: str) -> str:
    """"a" or "an" before a number as it is said: an 8.00 km, an 11:00, an 18.50 mi."""
    number = words.split(".", 1)[0].split(":", 1)[0]
    return "an" if number.startswith("8") or number in ("11", "18") else "a"


def _new_uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _now_text(now) -> str:
    return now.replace(microsecond=0).isoformat()
