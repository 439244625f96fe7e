"""`runlog db path|info|backup|check`: the database file itself."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import InputError, StorageError
from . import _options as o
from ._common import echo, print_json, state

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Where the database is, what it holds, a backup, a check.\n\n"
                  "Example:\n\n  runlog db backup ~/runlog-copy.db")


@app.command("path")
def path(ctx: typer.Context):
    """Print where the database is.

    Example:

      sqlite-utils tables "$(runlog db path)" --counts
    """
    echo(str(state(ctx).db_path))


@app.command("info")
def info(ctx: typer.Context, as_json: o.Json = False):
    """Schema version, counts and size.

    Example:

      runlog db info --json
    """
    from ..store.maintenance import database_info

    st = state(ctx)
    details = database_info(st.open_store(create=False))
    if as_json:
        print_json(details)
        return
    for key, value in details.items():
        echo(f"{key.replace('_', ' '):<16}{value}")


@app.command("backup")
def backup(
    ctx: typer.Context,
    destination: Annotated[str, typer.Argument(metavar="DEST", help="Where to write the copy.")],
):
    """Write a consistent copy of the database, even while runlog is in use.

    Example:

      runlog db backup ~/runlog-$(date +%F).db
    """
    from pathlib import Path

    from ..store.db import refuse_if_part_of_log
    from ..store.maintenance import backup_to

    st = state(ctx)
    target = Path(destination).expanduser()
    refuse_if_part_of_log(target, st.db_path, "the backup's destination")
    if target.is_symlink():
        # Never written through: the link could lead anywhere, the log included.
        raise InputError(f"{target} is a symbolic link", "name a new file, not a link")
    if target.exists():
        raise InputError(f"{target} already exists", "choose a new file name")
    if not target.parent.is_dir():
        raise InputError(f"no folder {target.parent}")
    backup_to(st.open_store(create=False), target)
    echo(f"Backed up to {target}")


@app.command("check")
def check(ctx: typer.Context):
    """Check the database's integrity; exits 1 if anything is wrong.

    Example:

      runlog db check
    """
    from ..store.db import CORRUPT_HINT
    from ..store.maintenance import integrity_problems, row_problems

    restore = "restore a copy from `runlog db backup`"
    try:
        store = state(ctx).open_store(create=False)
    except StorageError as error:
        # The usual hint says "run `runlog db check`": not what to tell someone who just did.
        raise StorageError(error.message, restore if error.hint == CORRUPT_HINT
                           else error.hint) from None
    problems = integrity_problems(store)
    # A row another tool wrote with the CHECKs off is no damage to the file: SQLite says
    # only "CHECK constraint failed in entries", so the row checks below name it by id.
    damage = [p for p in problems if not p.startswith(("CHECK constraint failed",
                                                        "NULL value in"))]
    if damage:
        raise StorageError("integrity check failed: " + "; ".join(problems[:5]), restore)
    # The file is sound; now what the reports read in each row (a date that is no date).
    bad, total = row_problems(store)
    if problems and not bad:
        raise StorageError("integrity check failed: " + "; ".join(problems[:5]), restore)
    if bad:
        more = f"; and {total - len(bad)} more" if total > len(bad) else ""
        raise StorageError(f"integrity check failed: {total} row{'s' * (total != 1)} the "
                           f"reports can't read: " + "; ".join(bad) + more,
                           "mend or delete them in any SQLite tool, or " + restore)
    echo("ok")
