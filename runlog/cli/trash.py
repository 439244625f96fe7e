"""`runlog delete`, `restore`, `trash` and `purge`: deleting is soft until the trash is emptied."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import InputError, StorageError
from . import _options as o
from ._common import echo, fit, interactive, print_json, state, warn

delete_app = typer.Typer(add_completion=False)
restore_app = typer.Typer(add_completion=False)
trash_app = typer.Typer(add_completion=False)
purge_app = typer.Typer(add_completion=False)

Ids = o.EntryIds
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Don't ask; for scripts.")]


def _confirm(question: str, yes: bool, details: tuple[str, ...] = ()) -> None:
    """Ask on a terminal, showing `details` first; a script must say --yes (and then
    gets one `Error:` line, not the details as well). Answering no is no error: the
    command says nothing was changed (on stderr, beside the question) and exits 0."""
    if yes:
        return
    if not interactive(False):
        raise InputError("refusing to change the log without confirmation", "add --yes")
    for line in details:
        warn(line)
    from rich.prompt import Confirm

    from ._common import rich_console

    if not Confirm.ask(question, console=rich_console(stderr=True), default=False):
        from . import declined

        declined("Nothing was changed.")


@delete_app.command()
def delete(ctx: typer.Context, ids: Ids, yes: Yes = False):
    """Move entries to the trash (`runlog restore` brings them back).

    On a terminal it asks first; answering no changes nothing and is no error (exit 0).
    A script says --yes.

    Example:

      runlog delete 12 13 --yes
    """
    store = state(ctx).open_store(create=False)
    entries = [store.get(i) for i in dict.fromkeys(ids)]
    from ..render import summary

    units = state(ctx).units
    _confirm(f"Move {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} to the trash?", yes,
             tuple("  " + summary(entry, units) for entry in entries))
    with store.transaction():
        store.move_to_trash([e.id for e in entries])
    echo(fit(f"Moved {len(entries)} to the trash. `runlog restore "
             f"{' '.join(str(e.id) for e in entries)}` brings "
             f"{'it' if len(entries) == 1 else 'them'} back."))


@restore_app.command()
def restore(ctx: typer.Context, ids: Ids):
    """Bring entries back from the trash.

    Example:

      runlog restore 12
    """
    store = state(ctx).open_store(create=False)
    unique = list(dict.fromkeys(ids))
    with store.transaction():
        store.restore(unique)
    echo(f"Restored {len(unique)}.")


@trash_app.command()
def trash(ctx: typer.Context, as_json: o.Json = False):
    """List what is in the trash.

    Example:

      runlog trash
    """
    from ..model import entry_to_dict

    st = state(ctx)
    entries = st.open_store(create=False).entries(deleted=True) if st.db_path.exists() else []
    if as_json:
        print_json([entry_to_dict(e) for e in entries])
        return
    if not entries:
        echo("The trash is empty.")
        return
    from .entries import show_entries

    show_entries(entries, st.units)


@purge_app.command()
def purge(ctx: typer.Context, yes: Yes = False):
    """Empty the trash for good.

    Check-ins from `runlog start` that no run took up go too, once their 12 hours ended
    a day ago: what they said is then in no file of the log.

    On a terminal it asks first; answering no changes nothing and is no error (exit 0).
    A script says --yes.

    Example:

      runlog purge --yes
    """
    from .. import clock
    from ..logbook import stale_checkins_before
    from ..store.db import OPEN_ELSEWHERE, scrub

    store = state(ctx).open_store(create=False)
    waiting = len(store.entries(deleted=True))
    # Check-ins no run can take up any more go too: cancelled, or unused a day past their
    # window (logbook.CHECKIN_KEPT). They are not in the trash, so nothing is asked for them.
    checkins_before = stale_checkins_before(clock.now())
    stale = store.stale_checkins(checkins_before) if _writable(store) else 0
    if not waiting and stale:
        with store.transaction():
            store.purge(checkins_before)
        problem = _scrubbed(store)
        echo("The trash is already empty; dropped "
             f"{stale} old check-in{'' if stale == 1 else 's'} no run took up.")
        if problem:
            warn(f"Warning: {problem}")
        return
    if not waiting:
        # An earlier purge may have left text behind while another program had the log
        # open: scrubbing again finishes the job. Only when there is something to scrub
        # (a -wal, or free pages), so that a nightly `purge --yes` does not rewrite a big
        # log for nothing; and a log runlog can't write has had no purge.
        complete = True
        if _writable(store) and _left_to_scrub(store):
            complete = scrub(store.conn, store.path)
        echo("The trash is already empty.")
        if not complete:
            warn(f"Warning: {OPEN_ELSEWHERE}")
        return
    _confirm(f"Delete {waiting} entr{'y' if waiting == 1 else 'ies'} for good?", yes)
    with store.transaction():
        removed = store.purge(checkins_before)
    # Scrubbed before saying anything: the line printed is true.
    problem = _scrubbed(store)
    echo(f"Deleted {removed}." if problem else f"Deleted {removed} for good.")
    if problem:
        warn(f"Warning: {problem}")


def _scrubbed(store) -> str | None:
    """Rewrite the log after a committed purge so that no file of it holds what was
    deleted; what to warn of when that could not be finished (None when it was). The
    deletion is committed whatever happens here, so this is a warning (exit 0, as a
    non-zero exit promises nothing changed), never an error."""
    from ..store.db import OPEN_ELSEWHERE, scrub

    store.scrub_on_close = False  # done here, and said
    try:
        return None if scrub(store.conn, store.path) else OPEN_ELSEWHERE
    except StorageError as error:
        return error.message + (f" ({error.hint})" if error.hint else "")


def _writable(store) -> bool:
    """Whether runlog may write the log and its folder (a log it can't write has had no purge)."""
    import os

    folder = os.path.dirname(os.path.abspath(store.path))
    return os.access(store.path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _left_to_scrub(store) -> bool:
    """Whether the log has a WAL with frames in it, or free pages, that may hold deleted text."""
    import os

    try:
        if os.path.getsize(f"{store.path}-wal") > 0:
            return True
    except OSError:
        pass
    return store._query("PRAGMA freelist_count")[0][0] > 0
