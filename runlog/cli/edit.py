"""`runlog edit ID`: change what was logged; only the options given change."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, List, Optional

import typer

from .. import clock
from ..errors import InputError
from ..model import KINDS, entry_to_dict
from . import _options as o
from ._common import echo, fit, print_json, state
from ._fields import fields, read_note

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
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry to change.",
                                            min=1, max=2**63 - 1)],
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
    edit_note: o.EditNote = False,
    tag: o.Tags = None,
    clear: Annotated[Optional[List[str]], typer.Option("--clear", metavar="FIELD",
                     help="Empty a field (repeatable): " + ", ".join(CLEARABLE) + ".")] = None,
    as_json: o.Json = False,
):
    """Change an entry. Only the options you give change.

    Examples:

      runlog edit 12 --after great --felt proud

      runlog edit 12 --clear cried --clear note
    """
    st = state(ctx)
    store = st.open_store(create=False)
    current = store.get(entry_id)
    if edit_note and note is None:
        note = current.note or ""
    values = fields(
        now=clock.now(), units=st.units, dayfirst=st.dayfirst, vocabulary=store.vocabulary,
        kinds=KINDS, distance=distance, time=time, date=date, kind=kind, before=before,
        after=after, felt=felt, cried=cried, effort=effort, pain=pain, where=where,
        intention=intention, note=read_note(note, edit_note), tags=tag,
    )
    for name in clear or ():
        field = CLEARABLE.get(name.lower())
        if field is None:
            raise InputError(f"can't clear '{name}'", "fields: " + ", ".join(CLEARABLE))
        if field in values:
            raise InputError(f"--clear {name} and a new {name} at once")
        values[field] = () if field in ("emotions", "tags") else None
    if not values:
        raise InputError("nothing to change", "give an option such as --after 4, or see "
                         "`runlog edit --help`")
    updated = replace(current, **values)
    if updated.is_activity and updated.distance_m is None and updated.duration_s is None:
        raise InputError("a run needs a distance or a time; both would be empty")
    if not updated.is_activity and current.is_activity:
        updated = replace(updated, distance_m=None, duration_s=None)
    from ._common import write_or_hand_back

    def write():
        with store.transaction():
            emotions = values.pop("emotions", None)
            tags = values.pop("tags", None)
            columns = {k: getattr(updated, k) for k in values}
            if not updated.is_activity and current.is_activity:
                columns.update(distance_m=None, duration_s=None)
            store.update(entry_id, columns, emotions=emotions, tags=tags)

    write_or_hand_back(write, updated, "Your edited entry is above as one JSON line; run the "
                       "same `runlog edit` again once the log can be written.")
    if as_json:
        print_json(entry_to_dict(updated))
        return
    from ..render import summary

    echo(fit("Changed " + summary(updated, st.units)))
