"""`runlog mood`, `runlog stats` and `runlog insights`: is running helping?"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import clock
from ..errors import InputError
from . import _options as o
from ._common import echo, fit, on_terminal, print_json, state

mood_app = typer.Typer(add_completion=False)
stats_app = typer.Typer(add_completion=False)
insights_app = typer.Typer(add_completion=False)

Since = Annotated[Optional[str], typer.Option("--since", metavar="WHEN",
                  help="From this day on.")]
Until = Annotated[Optional[str], typer.Option("--until", metavar="WHEN",
                  help="Up to and including this day.")]


def _day(text: str | None, st, now):
    from datetime import date

    from .. import parse

    return None if text is None else date.fromisoformat(parse.parse_when(text, now, st.dayfirst)[:10])


def date_range(since: str | None, until: str | None, st, now):
    """--since and --until as days, read the same way by every report; an --until before
    the --since is a usage error naming both days."""
    since_day, until_day = _day(since, st, now), _day(until, st, now)
    if since_day and until_day and until_day < since_day:
        raise InputError(f"--until ({until_day.isoformat()}) is before --since "
                         f"({since_day.isoformat()})")
    return since_day, until_day


NO_RUNS_YET = "No runs yet. Log one with `runlog add 5k 28:30`."
NO_RUNS_IN_RANGE = "No runs in that range."


def store_or_empty(st):
    """Reports on a log that does not exist yet read an empty one."""
    from ..store import Store

    return Store.open_or_empty(st.db_path)


def _table(title, header, rows, right):
    if on_terminal():
        from ..render import rich_table
        from ._common import rich_console

        rich_console().print(rich_table(title, header, rows, right=right))
    else:
        from ..render import plain_table

        if title:
            echo(title)
        echo(plain_table(header, rows))


@mood_app.command()
def mood(
    ctx: typer.Context,
    week: Annotated[bool, typer.Option("--week", help="One row per week (the default).")] = False,
    month: Annotated[bool, typer.Option("--month", help="One row per month.")] = False,
    year: Annotated[bool, typer.Option("--year", help="One row per year.")] = False,
    last: Annotated[Optional[int], typer.Option(
        "--last", metavar="N", min=1, max=1000,
        help="How many periods, ending with the current one (default 8; none before your "
        "first run). Not with --since/--until.")] = None,
    since: Since = None,
    until: Until = None,
    chart: Annotated[bool, typer.Option("--chart", help="Draw distance and mood.")] = False,
    as_json: o.Json = False,
):
    """How your mood moves with your mileage, period by period.

    Without --since/--until: the last 8 periods (--last N), none before your first run.

    Examples:

      runlog mood --week --chart

      runlog mood --month --last 12 --json | jq '.rows[] | {period, mood_lift}'
    """
    from .. import reports

    if week + month + year > 1:
        raise InputError("choose one of --week, --month, --year")
    if last is not None and (since is not None or until is not None):
        raise InputError("--last can't be combined with --since/--until")
    unit = "month" if month else "year" if year else "week"
    st = state(ctx)
    now = clock.now()
    since_day, until_day = date_range(since, until, st, now)
    store = store_or_empty(st)
    review = reports.mood_review(
        store, unit=unit, today=now.date(), week_start=st.week_start,
        last=8 if last is None else last, since=since_day, until=until_day,
        from_first_run=True,
    )
    if as_json:
        print_json(review)
        return
    if reports.first_run_day(store) is None:
        echo(NO_RUNS_YET)
        return
    if not review["rows"]:  # --until before the first run
        echo(NO_RUNS_IN_RANGE)
        return
    from ..render import MOOD_COLUMNS, correlation_lines, mood_chart, mood_rows

    _table(f"Mood by {unit}", MOOD_COLUMNS, mood_rows(review, st.units),
           right=("runs", "distance", "time", "before", "after", "lift", "cried"))
    if chart:
        echo()
        echo(mood_chart(review, st.units))
    echo()
    for line in correlation_lines(review):
        echo(line)


@stats_app.command()
def stats(ctx: typer.Context, since: Since = None, until: Until = None,
          as_json: o.Json = False):
    """Totals, records, streaks and how often running lifted your mood.

    With --until everything is as of that day: a current streak is one still running then.

    Examples:

      runlog stats --since 2026-01-01

      runlog stats --since 2025-01-01 --until 2025-12-31
    """
    from .. import reports

    st = state(ctx)
    now = clock.now()
    since_day, until_day = date_range(since, until, st, now)
    store = store_or_empty(st)
    result = reports.run_stats(store, today=now.date(), week_start=st.week_start,
                               since=since_day, until=until_day, units=st.units)
    if as_json:
        print_json(result)
        return
    from ..render import stats_lines

    if not result["runs"]:
        in_range = (since_day or until_day) and reports.first_run_day(store) is not None
        echo(NO_RUNS_IN_RANGE if in_range else NO_RUNS_YET)
        return
    for line in stats_lines(result, st.units):
        echo(fit(line))  # wrapped at spaces on a narrow terminal, whole when piped


@insights_app.command()
def insights(
    ctx: typer.Context,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="WHEN",
                     help="Look at the log as it was on this day (default today).")] = None,
    as_json: o.Json = False,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", metavar="caution|warning",
                       help="Exit 1 when a finding is at least this serious (for cron).")] = None,
):
    """Gentle notices: when running may have turned from healing into avoidance.

    runlog notices patterns; it never diagnoses. Talking to a professional may help.

    Examples:

      runlog insights

      runlog insights --fail-on warning --json   # from cron
    """
    from .. import parse, reports

    st = state(ctx)
    now = clock.now()
    if fail_on is not None:
        fail_on = parse.parse_choice(fail_on, "--fail-on", ("caution", "warning"))
    day = _day(as_of, st, now) or now.date()
    result = reports.insights(store_or_empty(st), as_of=day, units=st.units)
    if as_json:
        print_json(result)
    elif not result["findings"]:
        echo(f"Nothing to flag as of {result['as_of']}. Keep listening to how runs feel.")
    else:
        from ..render import insight_blocks

        for number, (tone, block) in enumerate(insight_blocks(result)):
            if number:
                echo()
            echo(block, tone=tone)
    if fail_on:
        from ..analysis.insights import Finding, any_at_least

        if any_at_least([Finding(**f) for f in result["findings"]], fail_on):
            raise typer.Exit(1)
