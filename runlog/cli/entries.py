"""`runlog list` (alias `ls`) and `runlog show`: reading the log back."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import clock
from ..errors import InputError
from ..model import entry_to_dict
from . import _options as o
from ._common import echo, on_terminal, print_json, state, warn

list_app = typer.Typer(add_completion=False)
show_app = typer.Typer(add_completion=False)

Since = Annotated[Optional[str], typer.Option("--since", metavar="WHEN",
                  help="From this day on: 2026-11-01, '30 days ago', 'last monday'.")]
Until = Annotated[Optional[str], typer.Option("--until", metavar="WHEN",
                  help="Up to and including this day.")]


@list_app.command("list")
def list_entries(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    limit: o.Limit = 50,
    kind: o.KindFilter = None,
    felt: o.FeltFilter = None,
    tag: Annotated[Optional[str], typer.Option("--tag", metavar="TAG",
                   help="Only entries with this tag.")] = None,
    cried: Annotated[bool, typer.Option("--cried", help="Only entries where you cried.")] = False,
    as_json: o.Json = False,
):
    """List entries, newest first.

    Examples:

      runlog list --since "30 days ago" --felt grief

      runlog ls --limit 5 --json | jq '.[].distance_km'
    """
    from .. import parse
    from ..model import KINDS
    from .reports import date_range

    st = state(ctx)
    since_day, until_day = (day and day.isoformat()
                            for day in date_range(since, until, st, clock.now()))
    kinds = [parse.parse_choice(kind, "kind", KINDS)] if kind else None
    felt_name = (_one(parse.parse_emotions([felt], st.vocabulary()), "--felt", felt)
                 if felt else None)
    tag_name = _one(parse.parse_tags([tag]), "--tag", tag) if tag else None
    filters = dict(since=since_day, until=until_day, kinds=kinds, felt=felt_name,
                   tag=tag_name, cried=cried)
    matched = 0
    if not st.db_path.exists():
        entries = []
    else:
        store = st.open_store(create=False)
        entries = store.entries(**filters, limit=limit or None)
        if limit and len(entries) == limit and not as_json:  # --json prints the list alone
            matched = store.count(**filters)
    if as_json:
        print_json([entry_to_dict(entry) for entry in entries])
        return
    if not entries:
        echo("No entries yet. Log one with `runlog add 5k 28:30`." if not any(
            (since, until, kind, felt, tag, cried)) else "No entries match.")
        return
    show_entries(entries, st.units)
    _say_left_out(len(entries), matched)


def _say_left_out(shown: int, matched: int) -> None:
    """After the table or the JSON, on stderr: a pipe or `| grep` gets only the rows."""
    if matched > shown:
        warn(f"Showing {shown:,} of {matched:,}; --limit N or --limit 0 for all.")


def _one(names: tuple[str, ...], option: str, text: str) -> str:
    """The one name a filter takes: `--felt ,` (none) and `--felt sad,calm` (two) are refused."""
    if len(names) != 1:
        raise InputError(f"{option} takes one name, not '{text}'")
    return names[0]


def show_entries(entries, units: str, title: str | None = None) -> None:
    from ..render import LIST_COLUMNS, list_row

    rows = [list_row(entry, units) for entry in entries]
    if on_terminal():
        from ..render import rich_table
        from ._common import rich_console

        rich_console().print(rich_table(title, LIST_COLUMNS, rows, lead=3,
                                        right=("id", "distance", "time", "pace")))
    else:
        from ..render import plain_table

        echo(plain_table(LIST_COLUMNS, rows))


@show_app.command()
def show(
    ctx: typer.Context,
    entry_id: o.EntryId,
    as_json: o.Json = False,
):
    """Show one entry in full.

    Example:

      runlog show 12
    """
    st = state(ctx)
    entry = st.open_store(create=False).get(entry_id, deleted=None)
    if as_json:
        print_json(entry_to_dict(entry))
        return
    from ..render import details_text, entry_details

    echo(details_text(entry_details(entry, st.units)))
