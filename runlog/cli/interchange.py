"""`runlog export` and `runlog import`: runlog's own formats out, other apps' files in."""

from __future__ import annotations

import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from .. import clock
from ..errors import InputError, RunlogError, StorageError
from ._common import state, warn

export_app = typer.Typer(add_completion=False)
import_app = typer.Typer(add_completion=False)

EXPORT_FORMATS = ("csv", "json", "ndjson")
IMPORT_FORMATS = ("auto", "csv", "json", "ndjson", "strava", "garmin", "gpx", "tcx", "fit",
                  "daylio")


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
    from .reports import date_range

    since_day, until_day = (day and day.isoformat() for day in date_range(since, until, st, now))
    writer = {"csv": runlog_format.write_csv, "json": runlog_format.write_json,
              "ndjson": runlog_format.write_ndjson}[fmt]
    # Where to write is settled (and a bad place refused) before the log is read.
    how, target = _output_target(output, st.db_path) if output is not None else ("stdout", None)
    entries, custom = iter(()), None
    if st.db_path.exists():
        import itertools

        store = st.open_store(create=False)
        # The log's own emotions travel with the export (their valences), so that it
        # imports into a fresh log.
        custom = {name: valence for name, valence, builtin in store.emotions_table()
                  if not builtin} or None
        entries = store.iter_fields(
            names_joined_by=runlog_format.NAMES_JOINED_BY[fmt], since=since_day,
            until=until_day, deleted=None if include_deleted else False)
        # Read the first entry before writing anything: a damaged log fails here, not
        # after a header has gone out.
        first = next(entries, None)
        entries = itertools.chain([first] if first else [], entries)
    shown = _Tracked(entries)
    try:
        if output is None:
            with _utf8_stdout() as out:
                writer(shown, _terminal_safe(out), redact=redact, deleted=include_deleted,
                       custom=custom)
            return
        count = _write_output(how, target, lambda out: writer(
            shown, out, redact=redact, deleted=include_deleted, custom=custom))
    except (TypeError, ValueError, OverflowError) as error:
        # A value another tool wrote of the wrong type or out of range (the log's CHECKs
        # turned off): name the entry, as the other readers do.
        raise StorageError(f"entry {shown.last_id} holds a value runlog can't export "
                           f"({error})", "`runlog db check` names what is wrong with it; "
                           "mend or delete it in any SQLite tool") from None
    warn(f"Exported {count} entr{'y' if count == 1 else 'ies'} to {target or output}")


class _Tracked:
    """The export's rows, remembering the id of the last one handed out (the one a
    serializer failed on)."""

    def __init__(self, rows):
        self.rows, self.last_id = rows, None

    def __iter__(self):
        for values in self.rows:
            self.last_id = values[0]
            yield values


def _output_target(output: str, log) -> tuple[str, object]:
    """How and where `export -o` writes: ("stdout", None) for `-` or a file that is
    standard output itself (`/dev/stdout`); ("stream", path) for a FIFO or a device, written
    as it is; ("replace", path) for a file, or nothing yet, replaced whole by a new file.
    A symbolic link there is replaced by the file, never written through. A folder, and the
    log or its -wal/-shm (by any name or link), are refused."""
    import os
    import stat
    from pathlib import Path

    from ..store.db import refuse_if_part_of_log

    if output == "-":
        return "stdout", None
    target = Path(output).expanduser()
    refuse_if_part_of_log(target, log, "--output")
    try:
        found = os.stat(target)
    except FileNotFoundError:
        return "replace", target  # nothing there, or a link to nothing: the link is replaced
    except OSError as error:
        raise StorageError(f"can't write {target}: {error.strerror}") from None
    if stat.S_ISDIR(found.st_mode):
        raise InputError(f"--output {target} is a folder",
                         f"name a file in it, e.g. {target / 'runlog.csv'}")
    try:
        standard_output = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # closed, or not a real file (tests)
        standard_output = None
    if standard_output is not None and (found.st_dev, found.st_ino) == (
            standard_output.st_dev, standard_output.st_ino):
        return "stdout", None
    if stat.S_ISREG(found.st_mode) or os.path.islink(target):
        return "replace", target
    return "stream", target


@contextmanager
def _utf8_stdout():
    """Standard output for an export, which is UTF-8 whatever PYTHONIOENCODING or the locale
    say (runlog's files are UTF-8; a script reading them expects that)."""
    from ._common import utf8

    if utf8(sys.stdout) or not hasattr(sys.stdout, "buffer"):
        yield sys.stdout
        return
    import io

    sys.stdout.flush()
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield out
    finally:
        try:
            out.flush()
        finally:
            out.detach()  # standard output stays open for whatever comes next


class _TerminalSafe:
    """An export shown on a terminal: control and bidi characters in it are spelled out, as
    in every other human-readable output, so an imported note can't drive the terminal.
    Files and pipes get the exact text."""

    def __init__(self, stream):
        from ..safetext import visible

        self.stream, self.visible = stream, visible

    def write(self, text: str) -> int:
        # CSV's CRLF line ends read as line ends on a terminal, not as a spelled-out \r.
        return self.stream.write(self.visible(text.replace("\r\n", "\n")))

    def __getattr__(self, name):
        return getattr(self.stream, name)


def _terminal_safe(stream):
    try:
        return _TerminalSafe(stream) if stream.isatty() else stream
    except (AttributeError, ValueError):  # closed, or not a real stream (tests)
        return stream


def _write_output(how: str, target, write) -> int:
    """`write(stream)` into `export -o`'s destination, as `_output_target` decided. A file
    is written to a private temporary beside it (an unpredictable name, created
    exclusively and never through a link, owner-only) that replaces it at the end: a failed
    export leaves what was there, and the temporary is removed on every failure."""
    import os

    if how == "stdout":
        with _utf8_stdout() as out:
            return write(_terminal_safe(out))
    if how == "stream":
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CLOEXEC)
            with open(descriptor, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
                return write(_terminal_safe(out))
        except OSError as error:
            raise StorageError(f"can't write {target}: {error.strerror}") from None
    import secrets

    # (a long name is cut: the temporary's must fit too)
    partial = target.with_name(f".{target.name[:200]}.{secrets.token_hex(8)}.part")
    try:
        # The same private data as the log: readable by its owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                             | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise StorageError(f"can't write {target}: {error.strerror}") from None
    try:
        with open(descriptor, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
            count = write(out)
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise StorageError(f"can't write {target}: {error.strerror}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


@import_app.command("import")
def import_files(
    ctx: typer.Context,
    files: Annotated[List[str], typer.Argument(
        metavar="FILE...", help="Files to import (- reads standard input); GPX files need "
        "runlog's formats extra: pip install '.[formats]'.")],
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT",
                   help="auto (by content), csv, json, ndjson, strava, garmin, gpx, tcx, "
                   "fit, daylio.")] = "auto",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, but write nothing.")] = False,
    mood_map: Annotated[Optional[List[str]], typer.Option("--mood-map", metavar="LABEL=N",
                        help="Daylio mood label to a 1-5 mood (repeatable).")] = None,
):
    """Import runs and moods: runlog exports, Strava, Garmin, GPX, TCX, FIT and Daylio
    files, in any language, and .gz or zip archives of them (Strava's bulk export whole).

    Each file is all or nothing; the same run from two sources (a start within 10 s, or
    within 60 s and 2 % in distance) is skipped, so importing twice adds nothing. The
    summary names other sports, what was left out and why, and the unit read.

    Examples:

      runlog import ~/Downloads/export_12345678.zip

      runlog import ~/GARMIN/Activity/*.fit

      runlog --units mi import Activities.csv

      runlog import daylio_export.csv --mood-map Refreshed=4 --mood-map "ok but sleepy=3"
    """
    from .. import parse
    from ..interchange.archive import opened as unpacked
    from ..store.importer import import_file, import_into_new_log, read_records
    from ..store.readahead import PARALLEL_FROM_FILES, read_ahead
    from . import error_line

    st = state(ctx)
    fmt = parse.parse_choice(fmt, "--format", IMPORT_FORMATS)
    moods = _mood_map(mood_map or [])
    units = _said_units(st)
    if files.count("-") > 1:
        raise InputError("- (standard input) can be read only once",
                         "name it once: runlog import - < FILE")
    store = None  # the log once it exists (a copy in memory for a dry run)
    opened_here = False  # a dry run's store, not the one `st` keeps (and closes)
    failures = 0
    totals = ImportTotals()
    done: list[str] = []

    said: dict[tuple[str, str | None], int] = {}  # refusals not about one file: how often

    def refused(name: str, error: RunlogError) -> None:
        nonlocal failures
        failures = max(failures, error.exit_code)
        totals.refused += 1
        reason = (error.message, error.hint)
        if reason in said:  # the same words for file after file (GPX without gpxpy): once
            said[reason] += 1
            return
        if name not in error.message:
            said[reason] = 0
        warn(error_line(f"{name}: {error.message}", error.hint))

    with ExitStack() as unpacking:
        items: list[tuple[str, str]] = []  # (name shown, path read) of every file
        for name in files:
            try:
                path = unpacking.enter_context(_readable(name))
                found = unpacking.enter_context(unpacked(name, path))
            except RunlogError as error:
                refused(name, error)
                continue
            items.extend(found.files)
            totals.ignored += found.ignored
            for note in found.notes:
                warn(f"{name}: {note}")
            for member, message in found.refused:
                refused(member, InputError(message))
        many = len(items) >= PARALLEL_FROM_FILES  # read ahead in parallel, one bar
        # A few files, one line each; many, a line only for those refused or named.
        each = len(items) <= SHOWN_FILES
        if many:
            ahead = read_ahead(items, fmt, mood_map=moods, units=units)
        else:
            ahead = ((name, None) for name, _ in items)
        paths = dict(items)
        from ..store import db as store_db

        current = None  # the file being imported, until it is done or refused
        saved_before = store_db.changes_saved  # (one process runs many commands in tests)
        try:
            with _progress(items) as bar:
                for name, read in ahead:
                    current, path = name, paths[name]
                    store_db.changes_saved = False  # set when this file's import commits
                    try:
                        if isinstance(read, tuple):
                            raise InputError(read[1], read[2])
                        _check_daylio_labels(path, fmt, moods)
                        records = (iter(read) if read is not None else
                                   read_records(path, fmt, mood_map=moods, units=units))
                        options = dict(fmt=fmt, mood_map=moods, units=units)
                        advance = bar.file(name)
                        if store is None and not dry_run and not st.db_path.exists():
                            # Nothing is created until there is something to write.
                            result = import_into_new_log(st.db_path, path, records,
                                                         progress=advance, **options)
                        else:
                            if store is None:
                                store = _open_log(st, dry_run, len(items) > 1)
                                opened_here = dry_run
                            result = import_file(store, path, records,
                                                 dry_run=dry_run and len(items) == 1,
                                                 progress=advance, **options)
                    except RunlogError as error:
                        if path != name:  # a copy of standard input or a pipe: its name
                            error.message = error.message.replace(str(path), name)
                        current = None
                        refused(name, error)
                        bar.done()
                        continue
                    done.append(name)
                    current = None
                    totals.add(result)
                    if each:
                        warn(f"{name}: {_summary(result, dry_run)}")
                    bar.done()
        except KeyboardInterrupt:
            # Ctrl-C or a signal, wherever it lands: while a file is imported, between two,
            # or while the next is read. What was committed is kept, and said exactly.
            current_kept = current is not None and store_db.changes_saved
            finished = len(done) + current_kept
            store_db.changes_saved = saved_before or (finished > 0 and not dry_run)
            if not finished or dry_run:
                raise
            from ..errors import Interrupted

            if current is None:
                where = "interrupted"
            elif current_kept:
                where = f"interrupted after {current} was imported"
            else:
                where = f"interrupted during {current}, which was not imported"
            raise Interrupted(f"{where}: {finished} of {_files(len(items))} imported, the "
                              "rest not; import them again to add the rest (what is "
                              "in the log already is skipped)") from None
        finally:
            getattr(ahead, "close", lambda: None)()
            if opened_here:
                store.close()
        store_db.changes_saved = saved_before or (bool(done) and not dry_run)
    for (message, _hint), more in said.items():
        if more:
            warn(f"Error: {_files(more)} more refused for the same reason: {message}")
    if len(items) > 1 or failures and len(files) > 1:
        warn(f"In all ({_files(len(done) + totals.refused)}): "
             f"{_summary(totals, dry_run, refused=totals.refused)}")
    if failures:
        raise typer.Exit(failures)


# Above this many files, only the files refused get a line of their own, then the total.
SHOWN_FILES = 20


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


def _said_units(st) -> str | None:
    """The unit of bare distances in other apps' files when the runner said it for this
    command (`runlog --units mi import ...`), else None: the reader tells it from the file.
    The configured display unit (the config file, RUNLOG_UNITS) is no statement about a
    file."""
    return st.units if st.units_option else None  # checked there


class ImportTotals:
    """What every file of one import did, added up (the fields `_summary` reads)."""

    def __init__(self):
        self.added = self.duplicates = self.other_sports = self.impossible = 0
        self.refused = self.ignored = 0
        self.other_sport_names: dict[str, int] = {}
        self.impossible_shown: list[tuple[int, str]] = []
        self.left_out: dict[str, int] = {}
        self.notices: dict[str, int] = {}
        self.new_emotions: list[tuple[str, str]] = []

    def add(self, result) -> None:
        self.added += result.added
        self.duplicates += result.duplicates
        self.other_sports += result.other_sports
        self.impossible += result.impossible
        for counts, into in ((result.other_sport_names, self.other_sport_names),
                             (result.left_out, self.left_out), (result.notices, self.notices)):
            for key, n in counts.items():
                into[key] = into.get(key, 0) + n
        self.impossible_shown.extend(result.impossible_shown)
        self.new_emotions.extend(result.new_emotions)


def _open_log(st, dry_run: bool, several: bool):
    """The log to import into; for a dry run into a log that does not exist yet, an empty
    one in memory, so that nothing is created. A dry run of several files imports them
    into a copy of the log in memory, so that a file counts the runs of the files before it
    as duplicates (a Strava archive's activity files are its list's runs)."""
    if not dry_run:
        return st.open_store()
    from ..store import Store

    store = Store.open_or_empty(st.db_path)
    if not several or store.path == Path(":memory:"):
        return store
    import sqlite3

    copy = sqlite3.connect(":memory:", isolation_level=None)
    try:
        store.conn.backup(copy)
    except sqlite3.Error as error:
        from ..store.db import storage_error

        copy.close()
        raise storage_error(store.path, error) from None
    finally:
        store.close()
    return Store(Path(":memory:"), copy)


def _summary(result, dry_run: bool, refused: int = 0) -> str:
    """What one file did, or all of them (ImportTotals), for a line on standard error."""
    # the most common first, a few of them, each name cut short: a file names its sports
    counted = sorted(result.other_sport_names.items(), key=lambda item: (-item[1], item[0]))
    sports = ", ".join(f"{n} {sport if len(sport) <= 40 else sport[:39] + '…'}"
                       for sport, n in counted[:8])
    if len(counted) > 8:
        sports += f" and {len(counted) - 8} more"
    text = (f"{'would add' if dry_run else 'added'} {result.added}, skipped "
            f"{result.duplicates} as duplicates, {result.other_sports} as other sports"
            + (f" ({sports})" if sports else ""))
    if result.impossible:
        from ..store.importer import SHOWN_PROBLEMS

        shown = "; ".join(f"line {number}: {why}" if number else why
                          for number, why in result.impossible_shown[:SHOWN_PROBLEMS])
        more = result.impossible - min(len(result.impossible_shown), SHOWN_PROBLEMS)
        text += (f", left out {result.impossible} that no one could have run ({shown}"
                 + (f"; and {more} more" if more > 0 else "") + ")")
    if result.left_out:
        text += f", left out {sum(result.left_out.values())} ({_counted(result.left_out)})"
    text += f", rejected {refused}"
    if getattr(result, "ignored", 0):
        text += f", {result.ignored} file{'s' if result.ignored != 1 else ''} in archives not read"
    if result.notices:
        # one file's notice is said once; all files' say how many files or rows it concerns
        text += "; " + _counted(result.notices, ones=isinstance(result, ImportTotals))
    if result.new_emotions:
        named = ", ".join(f"{name} ({valence})" for name, valence in result.new_emotions)
        text += (f"; {'would add' if dry_run else 'added'} "
                 f"{'these emotions' if len(result.new_emotions) > 1 else 'the emotion'} "
                 f"to your vocabulary: {named}")
    return text


def _counted(counts: dict[str, int], ones: bool = True) -> str:
    """Reasons or notices with how many records each concerns, the most common first (a
    count of one shown only when `ones`: a notice about the whole file is said once)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "; ".join(f"{text}: {n}" if ones or n > 1 else text for text, n in ordered)


@contextmanager
def _readable(name: str):
    """A path to read `name` from: itself when it is a regular file, else a private copy
    of its bytes. `-` is standard input; a pipe, FIFO, `/dev/stdin` or `<(...)` can be
    read only once, and the format is told from its first bytes before the records are
    read (by a second process, for a large file), so they are copied once into an
    owner-only temporary file, removed on every way out. A device (a terminal,
    /dev/zero) is refused, and so is a copy past MAX_PIPED_BYTES."""
    import os
    import stat

    if name != "-":
        try:
            found = os.stat(name)
        except OSError:
            found = None  # missing or unreadable: the reader says so, by name
        if found is None or stat.S_ISREG(found.st_mode) or stat.S_ISDIR(found.st_mode):
            yield name
            return
        if stat.S_ISCHR(found.st_mode) or stat.S_ISBLK(found.st_mode):
            raise InputError("a device, not a file",
                             "save the export to a file, or pipe it in: runlog import - < FILE")
    elif sys.stdin is None or sys.stdin.isatty():
        raise InputError("- reads the file from standard input, which is a terminal",
                         "pipe it in: runlog import - < FILE")
    import tempfile

    descriptor, copy = tempfile.mkstemp(prefix="runlog-import-")
    try:
        with open(descriptor, "wb") as out:
            _copy_stream(name, out)
        yield copy
    finally:
        try:
            os.unlink(copy)
        except OSError:
            pass


MAX_PIPED_BYTES = 4 << 30


def _copy_stream(name: str, out) -> None:
    """The bytes of standard input (`-`) or of the pipe `name`, into `out`."""
    try:
        stream = sys.stdin.buffer if name == "-" else open(name, "rb")
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror or error}") from None
    try:
        copied = 0
        while True:
            try:
                block = stream.read(1 << 20)
            except OSError as error:
                raise InputError(f"cannot read {name}: {error.strerror or error}") from None
            if not block:
                break
            copied += len(block)
            if copied > MAX_PIPED_BYTES:
                raise InputError(f"{name} holds more than {MAX_PIPED_BYTES >> 30} GiB",
                                 "save it to a file and import that")
            out.write(block)
        out.flush()
    except OSError as error:
        raise StorageError(f"can't copy {name} to a temporary file: "
                           f"{error.strerror or error}") from None
    finally:
        if name != "-":
            stream.close()


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

    try:
        unknown = unknown_labels(path, moods)
    except Exception:  # noqa: BLE001 - a file the reader can't read: reading it says where
        return
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
    """A progress bar on a terminal; nothing when piped. For one file it counts the file's
    records; for several, one bar across the files, naming the one being imported."""

    def __init__(self, items: list[tuple[str, str]]):
        self.items = items
        self.bar = self.task = None

    def __enter__(self):
        if sys.stderr.isatty() and self.items:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            from ._common import rich_console

            one = len(self.items) == 1
            count = (TextColumn("{task.completed:,.0f} records") if one else
                     TextColumn("{task.completed:,.0f}/{task.total:,.0f} files"))
            # names as typed, shown literally: no Rich markup, their escapes spelled out
            self.bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                                count, TimeElapsedColumn(), transient=True,
                                console=rich_console(stderr=True))
            self.bar.start()
            self.task = self.bar.add_task("Importing", total=None if one else len(self.items))
        return self

    def file(self, name: str):
        """The callback that counts `name`'s records (one file), or None."""
        if self.bar is None:
            return None
        from ..safetext import one_line

        shown = one_line(name)
        if len(self.items) > 1 and len(shown) > 40:  # the end of a long name, kept short
            shown = "…" + shown[-39:]
        self.bar.update(self.task, description=f"Importing {shown}")
        if len(self.items) == 1:
            return lambda n: self.bar.advance(self.task, n)
        return None

    def done(self) -> None:
        """One more of several files is done."""
        if self.bar is not None and len(self.items) > 1:
            self.bar.advance(self.task, 1)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()
        return False
