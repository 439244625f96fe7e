"""`runlog edit ID`: change what was logged; only the options given change."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, List, Optional

import typer

from .. import clock
from ..errors import InputError
from ..model import KINDS, Entry, entry_to_dict, held_beyond_kind
from . import _options as o
from ._common import echo, fit, interactive, print_json, state
from ._fields import check_plausible, fields, read_note, words_and_options

app = typer.Typer(add_completion=False)

CLEARABLE = {
    "distance": "distance_m",
    "time": "duration_s",
    "before": "mood_before",
    "after": "mood_after",
    "felt": "emotions",
    "cried": "cried",
    "effort": "effort",
    "pain": "pain",
    "where": "where",
    "intention": "intention",
    "note": "note",
    "tags": "tags",
}


@app.command()
def edit(
    ctx: typer.Context,
    entry_id: o.EntryId,
    words: Annotated[Optional[List[str]], typer.Argument(
        metavar="[DISTANCE] [DURATION]", show_default=False,
        help="A new distance and/or time, as add reads them: 10k 50:00, 5 km, 28:30.")] = None,
    distance: o.Distance = None,
    time: o.Time = None,
    date: o.NewWhen = None,
    kind: o.NewKind = None,
    before: o.Before = None,
    after: o.After = None,
    felt: o.Felt = None,
    cried: o.Cried = None,
    effort: o.Effort = None,
    pain: o.Pain = None,
    where: o.Where = None,
    intention: o.Intention = None,
    note: o.Note = None,
    edit_note: o.EditNote = False,
    tag: o.NewTags = None,
    clear: Annotated[Optional[List[str]], typer.Option("--clear", metavar="FIELD",
                     help="Empty a field (repeatable): " + ", ".join(CLEARABLE) + ".")] = None,
    force: o.Force = False,
    as_json: o.Json = False,
):
    """Change an entry. Only the options you give change.

    Nothing is dropped unasked: making a run a rest day or a check-in, which hold no
    distance, time or mood before, needs `--clear` for each of those the run has.

    Examples:

      runlog edit 12 10k 50:00

      runlog edit 12 --after great --felt proud

      runlog edit 12 --clear cried --clear note

      runlog edit 12 --kind rest --clear distance --clear time
    """
    st = state(ctx)
    distance, time = words_and_options(words, distance, time, st.units)
    store = st.open_store(create=False)
    current = store.get(entry_id)
    now = clock.now()
    values = fields(
        now=now, units=st.units, dayfirst=st.dayfirst, vocabulary=store.vocabulary,
        kinds=KINDS, distance=distance, time=time, date=date, kind=kind, before=before,
        after=after, felt=felt, cried=cried, effort=effort, pain=pain, where=where,
        intention=intention, tags=tag,
    )
    new_note = note is not None or edit_note
    for name in clear or ():
        field = CLEARABLE.get(name.lower())
        if field is None:
            raise InputError(f"can't clear '{name}'", "fields: " + ", ".join(CLEARABLE))
        if field in values or field == "note" and new_note:
            raise InputError(f"--clear {name} and a new {name} at once")
        values[field] = () if field in ("emotions", "tags") else None
    if not values and not new_note:
        raise InputError("nothing to change", "give an option such as --after 4, or see "
                         "`runlog edit --help`")
    updated = replace(current, **values)
    _check_kind(current, updated, values)
    if updated.is_activity and updated.distance_m is None and updated.duration_s is None:
        raise InputError("a run needs a distance or a time; both would be empty")
    if values.keys() & {"distance_m", "duration_s", "kind"}:
        check_plausible(updated.distance_m, updated.duration_s, kind=updated.kind, force=force,
                        ask=interactive(False), refused="nothing was changed")
    released = _moved_from_checkin(store, current, updated, values)
    # The note is read last, so that no refusal above throws away a note written in $EDITOR.
    if new_note:
        if edit_note and note is None:
            note = current.note or ""
        values.update(fields(now=now, units=st.units, dayfirst=st.dayfirst, vocabulary=None,
                             note=read_note(note, edit_note)))
        if not values:
            raise InputError("nothing to change", "the note was left as it was")
        updated = replace(current, **values)
    from ._common import write_or_hand_back

    # A mood before, intention or feelings changed or cleared here leave the check-in the
    # run took them from too, so the old text is kept nowhere.
    forget = [field for field in ("mood_before", "intention", "emotions") if field in values]

    def write():
        touched = released is not None
        with store.transaction():
            emotions = values.pop("emotions", None)
            tags = values.pop("tags", None)
            columns = {k: getattr(updated, k) for k in values}
            store.update(entry_id, columns, emotions=emotions, tags=tags)
            if released is not None:
                # the run moved away from the check-in, which keeps its values and waits
                # for the run it was made for
                store.use_checkin(released, None)
            elif forget:
                touched = store.forget_checkin_fields(entry_id, forget) > 0
        if touched:
            store.forget_checkin_frames()

    write_or_hand_back(write, updated, "Your edited entry is above as one JSON line; run the "
                       "same `runlog edit` again once the log can be written.")
    if as_json:
        print_json(entry_to_dict(updated))
        return
    from ..render import summary

    echo(fit("Changed " + summary(updated, st.units)))


# What rest days and check-ins can't hold (model.held_beyond_kind): field -> its `--clear`
# name.
ACTIVITY_ONLY = {"distance_m": "distance", "duration_s": "time", "mood_before": "before"}
SHOWN = {"distance": "a distance", "time": "a time", "before": "a mood before"}


def _check_kind(current: Entry, updated: Entry, values: dict) -> None:
    """Refuse to give a rest day or check-in what it can't hold, and to make a run one while
    it still holds such values (they would be dropped or hidden): `--clear` them first."""
    held = [ACTIVITY_ONLY[field] for field in held_beyond_kind(updated)]
    if not held:
        return
    what = "a rest day" if updated.kind == "rest" else "a check-in"
    given = [name for field, name in ACTIVITY_ONLY.items() if values.get(field) is not None]
    if given:
        raise InputError(f"{what} can't have {_and(given)}",
                         "to make it a run too, add --kind run (or walk, trail...)")
    if updated.kind != current.kind:
        raise InputError(
            f"entry {current.id} has {_and(held)}, which {what} can't hold",
            "to drop " + ("it" if len(held) == 1 else "them") + " with the change, add "
            + " ".join(f"--clear {name}" for name in held))


_SAID = {"before": "mood before", "felt": "feelings"}


def _and(names: list[str]) -> str:
    shown = [SHOWN[name] for name in names]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]


def _moved_from_checkin(store, current: Entry, updated: Entry, values: dict) -> int | None:
    """A run moved out of the window of the check-in it took up would keep that check-in's
    mood, intention and feelings under a date they were never for. Each must be given anew
    or cleared; then the check-in is released (its id returned) to wait for its own run."""
    if "date" not in values or not current.is_activity:
        return None
    from ..logbook import checkin_fields_on, in_window

    checkin = store.open_checkin(used_by=current.id)
    if checkin is None or in_window(checkin, updated.date):
        return None
    unsettled = [name for name in checkin_fields_on(current, checkin)
                 if CLEARABLE[name] not in values]
    if unsettled:
        taken = checkin["created_at"][:16].replace("T", " ")
        raise InputError(
            f"entry {current.id} took its {', '.join(_SAID.get(n, n) for n in unsettled)} from the "
            f"check-in of {taken}; "
            f"{updated.day} is outside that check-in's 12 hours",
            "give each again to keep it (e.g. --before 3), or add "
            + " ".join(f"--clear {name}" for name in unsettled))
    return checkin["id"]
