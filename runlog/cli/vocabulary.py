"""`runlog emotions`: the vocabulary of feelings (`list`, `add`) and how each comes up."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import InputError
from ..vocab import ADJECTIVES, VALENCES
from . import _options as o
from ._common import echo, fit, on_terminal, print_json, state

app = typer.Typer(add_completion=False, no_args_is_help=False)


@app.callback(invoke_without_command=True)
def emotions(
    ctx: typer.Context,
    since: Annotated[Optional[str], typer.Option("--since", metavar="WHEN",
                     help="Only runs from this day on.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="WHEN",
                     help="Only runs up to and including this day.")] = None,
    as_json: o.Json = False,
):
    """Which feelings come up on your runs, and what the runs did for your mood.

    `runlog emotions list` shows the vocabulary; `runlog emotions add` extends it.

    Examples:

      runlog emotions --since "90 days ago"

      runlog emotions --since 2025-01-01 --until 2025-12-31

      runlog emotions add awe --valence positive
    """
    if ctx.invoked_subcommand is not None:
        return
    from .. import clock, reports
    from .reports import date_range, store_or_empty

    st = state(ctx)
    now = clock.now()
    since_day, until_day = date_range(since, until, st, now)
    store = store_or_empty(st)
    report, counted = reports.emotion_report_and_counts(store, today=now.date(), since=since_day,
                                                        until=until_day)
    if as_json:
        print_json(report)
        return
    if not report:
        if (since_day or until_day) and reports.first_run_day(store) is not None:
            echo("No emotions named on runs in that range.")
        else:
            echo("No emotions named on runs yet. Try `runlog add 5k 30:00 --felt relieved`.")
        return
    from ..render import EMOTION_COLUMNS, emotion_rows

    rows = emotion_rows(report, st.units)
    if on_terminal():
        from ..render import rich_table
        from ._common import rich_console

        rich_console().print(rich_table("Emotions on your runs", EMOTION_COLUMNS, rows,
                                        right=("times", "share", "mean distance", "mean lift")))
    else:
        from ..render import plain_table

        echo(plain_table(EMOTION_COLUMNS, rows))
    if any(row["long_runs"] for row in report):
        echo(fit("* comes with your longer runs (their mean distance is 20 % above your "
                 "average)"))
    echo(fit(f"Share is of all {_runs(counted['runs'])}; {counted['runs_with_feelings']:,} "
             "named a feeling."))


def _runs(count: int) -> str:
    return f"{count:,} run" + ("" if count == 1 else "s")


@app.command("list")
def list_emotions(ctx: typer.Context, as_json: o.Json = False):
    """Show the emotion names runlog knows, with their valence.

    Example:

      runlog emotions list
    """
    st = state(ctx)
    if st.db_path.exists():
        rows = st.open_store(create=False).emotions_table()
    else:
        from ..vocab import BUILTIN_EMOTIONS

        rows = sorted(((n, v, True) for n, v in BUILTIN_EMOTIONS.items()), key=lambda r: (r[1], r[0]))
    if as_json:
        print_json([{"name": n, "valence": v, "builtin": b} for n, v, b in rows])
        return
    forms: dict[str, list[str]] = {}
    for adjective, name in ADJECTIVES.items():
        forms.setdefault(name, []).append(adjective)
    table = [(n, v, ", ".join(sorted(forms.get(n, []))), "" if b else "yours") for n, v, b in rows]
    header = ("emotion", "valence", "also accepted", "")
    if on_terminal():
        from ..render import rich_table
        from ._common import rich_console

        rich_console().print(rich_table(None, header, table))
    else:
        from ..render import plain_table

        echo(plain_table(header, table))


@app.command("add")
def add_emotion(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The emotion's name, e.g. awe.")],
    valence: Annotated[str, typer.Option("--valence", "-v", metavar="positive|negative|mixed",
                       help="Whether it tends to feel good, bad or both.")],
):
    """Add an emotion to your vocabulary.

    Example:

      runlog emotions add awe --valence positive
    """
    from .. import parse

    from ..vocab import EMOTION_NAME_RULE, emotion_key, emotion_name_problem

    cleaned = emotion_key(name)
    problem = emotion_name_problem(cleaned)
    if problem:
        raise InputError(f"'{parse._shown(name)}' is not a usable emotion name: {problem}",
                         f"use {EMOTION_NAME_RULE}")
    if cleaned in ADJECTIVES:
        raise InputError(f"'{cleaned}' already means {ADJECTIVES[cleaned]}")
    valence = parse.parse_choice(valence, "valence", VALENCES)
    st = state(ctx)
    if cleaned in st.vocabulary():
        raise InputError(f"'{cleaned}' is already in the vocabulary")
    store = st.open_store()
    with store.transaction():
        store.add_emotion(cleaned, valence)
    echo(f"Added {cleaned} ({valence}). Use it with --felt {cleaned}.")
