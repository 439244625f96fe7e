"""`runlog export` and `runlog import`: runlog's own formats out, other apps' files in."""

from __future__ import annotations

import sys
from typing import Annotated, List, Optional

import typer

from .. import clock
from ..errors import InputError, RunlogError, StorageError
from ._common import state, warn

export_app = typer.Typer(add_completion=False)
import_app = typer.Typer(add_completion=False)

EXPORT_FORMATS = ("csv", "json", "ndjson")
IMPORT_FORMATS = ("auto", "csv", "json", "ndjson", "strava", "garmin", "gpx", "fit", "daylio")


@export_app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", metavar="csv|json|ndjson",
                   help="Output format.")] = "csv",
    since: Annotated[Optional[str], typer.Option("--since", metavar="WHEN",
                     help="From this day on.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="WHEN",
                     help="Up to and including this day.")] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE",
                      help="Write to FILE instead of standard output.")] = None,
    include_deleted: Annotated[bool, typer.Option("--include-deleted",
                               help="Include entries in the trash (JSON and NDJSON mark them "
                               "with deleted_at, so an import puts them back in the trash).")] = False,
    redact: Annotated[bool, typer.Option("--redact",
                      help="Leave out intentions, notes and where it hurt.")] = False,
):
    """Export the log for scripts and other tools (streams; memory stays flat).

    Examples:

      runlog export --format ndjson | jq 'select(.mood_lift > 1) | .date'

      runlog export --format csv --since 2026-01-01 --redact -o runs.csv
    """
    from .. import parse
    from ..interchange import runlog_format

    st = state(ctx)
    now = clock.now()
    fmt = parse.parse_choice(fmt, "--format", EXPORT_FORMATS)
    since_day = parse.parse_when(since, now, st.dayfirst)[:10] if since else None
    until_day = parse.parse_when(until, now, st.dayfirst)[:10] if until else None
    writer = {"csv": runlog_format.write_csv, "json": runlog_format.write_json,
              "ndjson": runlog_format.write_ndjson}[fmt]
    entries = iter(())
    if st.db_path.exists():
        import itertools

        entries = st.open_store(create=False).iter_fields(
            names_joined_by=runlog_format.NAMES_JOINED_BY[fmt], since=since_day,
            until=until_day, deleted=None if include_deleted else False)
        # Read the first entry before writing anything: a damaged log fails here, not
        # after a header has gone out.
        first = next(entries, None)
        entries = itertools.chain([first] if first else [], entries)
    if output is None:
        writer(entries, sys.stdout, redact=redact, deleted=include_deleted)
        return
    from pathlib import Path

    target = Path(output).expanduser()
    partial = target.with_name(target.name + ".part")
    try:
        import os

        # The same private data as the log: readable by its owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
            count = writer(entries, out, redact=redact, deleted=include_deleted)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise StorageError(f"can't write {target}: {error.strerror}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    warn(f"Exported {count} entr{'y' if count == 1 else 'ies'} to {target}")


@import_app.command("import")
def import_files(
    ctx: typer.Context,
    files: Annotated[List[str], typer.Argument(metavar="FILE...", help="Files to import.")],
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                   help="auto (by content), csv, json, ndjson, strava, garmin, gpx, fit, "
                   "daylio.")] = "auto",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, but write nothing.")] = False,
    mood_map: Annotated[Optional[List[str]], typer.Option("--mood-map", metavar="LABEL=N",
                        help="Daylio mood label to a 1-5 mood (repeatable).")] = None,
):
    """Import runs and moods: runlog exports, Strava, Garmin, GPX, FIT and Daylio files.

    Each file is all or nothing; duplicates (same start within 60 s and distance within
    2 %) are skipped, so importing twice adds nothing.

    Examples:

      runlog import ~/Downloads/strava/activities.csv

      runlog import daylio_export.csv --mood-map Refreshed=4 --mood-map "ok but sleepy=3"
    """
    from .. import interchange, parse
    from ..store.importer import import_file

    st = state(ctx)
    fmt = parse.parse_choice(fmt, "--format", IMPORT_FORMATS)
    moods = _mood_map(mood_map or [])
    fresh = not st.db_path.exists()
    new_folder = not st.db_path.parent.exists()
    store = None
    failures = 0
    totals = {"added": 0, "duplicates": 0, "other_sports": 0}
    done: list[str] = []
    for name in files:
        try:
            _check_daylio_labels(name, fmt, moods)
            records = interchange.read(name, fmt, mood_map=moods, units=st.units)
            if store is None:
                store = st.open_store()
            with _progress(name) as advance:
                result = import_file(store, name, records, fmt=fmt, mood_map=moods,
                                     units=st.units, dry_run=dry_run, progress=advance)
        except KeyboardInterrupt:
            if not done or dry_run:
                if fresh and store is not None:
                    _leave_no_database(st, store, new_folder)
                raise
            from ..errors import Interrupted

            raise Interrupted(f"interrupted during {name}, which was not imported; "
                              f"{len(done)} earlier file{'s were' if len(done) > 1 else ' was'} "
                              "imported") from None
        except RunlogError as error:
            failures = max(failures, error.exit_code)
            from . import error_line

            warn(error_line(f"{name}: {error.message}", error.hint))
            continue
        done.append(name)
        for key in totals:
            totals[key] += getattr(result, key)
        sports = ", ".join(f"{n} {sport}" for sport, n in sorted(result.other_sport_names.items()))
        verb = "would add" if dry_run else "added"
        warn(f"{name}: {verb} {result.added}, skipped {result.duplicates} as duplicates, "
             f"{result.other_sports} as other sports" + (f" ({sports})" if sports else "")
             + ", rejected 0")
    if fresh and store is not None and (dry_run or not totals["added"]):
        _leave_no_database(st, store, new_folder)
    if len(files) > 1:
        warn(f"In all: {'would add' if dry_run else 'added'} {totals['added']}, "
             f"{totals['duplicates']} duplicates, {totals['other_sports']} other sports, "
             f"{failures and 'some files rejected' or 'no file rejected'}")
    if failures:
        raise typer.Exit(failures)


def _leave_no_database(st, store, new_folder: bool) -> None:
    """Nothing was written to the log this command created: leave no database behind (it
    is created on first write)."""
    from ..store.db import remove_database

    store.close()
    remove_database(st.db_path, folder=new_folder)


def _check_daylio_labels(name: str, fmt: str, moods: dict[str, int]) -> None:
    """Name every mood label runlog can't map in one line, before reading the rows."""
    from pathlib import Path

    from .. import interchange

    path = Path(name)
    if not path.is_file() or (fmt == "auto" and interchange.detect_format(path) != "daylio"):
        return
    if fmt not in ("auto", "daylio"):
        return
    from ..interchange.daylio import unknown_labels

    unknown = unknown_labels(path, moods)
    if unknown:
        listed = ", ".join(repr(label) for label in unknown)
        import shlex

        raise InputError(f"unknown Daylio mood label{'s' if len(unknown) > 1 else ''} {listed}",
                         f"map each to 1-5, e.g. --mood-map {shlex.quote(unknown[0] + '=3')}")


def _mood_map(pairs: list[str]) -> dict[str, int]:
    from .. import parse

    moods = {}
    for pair in pairs:
        label, sep, value = pair.rpartition("=")
        if not sep or not label.strip():
            raise InputError(f"--mood-map takes LABEL=N, not '{pair}'", "e.g. Refreshed=4")
        moods[label.strip()] = parse.parse_mood(value)
    return moods


class _progress:
    """A progress bar on a terminal for long imports; nothing when piped."""

    def __init__(self, name: str):
        self.name = name
        self.bar = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from ._common import rich_console

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.completed:,.0f} records"), TimeElapsedColumn(),
                            transient=True, console=rich_console(stderr=True))
        self.bar.start()
        task = self.bar.add_task(f"Importing {self.name}", total=None)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()
        return False
