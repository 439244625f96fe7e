"""Import readers and export writers: files in, records out (no database): `Row` (an entry),
`Skipped` (another sport), `LeftOut` (not imported, and why), `Notice` (something the runner
should know about how the file was read) and `Bad` (the file is refused).

Every reader is a generator over one file. The importer decides what to do with the records:
a `Bad` anywhere means the whole file is rejected (SPEC §4: all or nothing per file).
Whatever a file holds, reading it raises nothing but OSError (the disk, not the file): what
a reader cannot read is a `Bad`, and `read` turns anything a reader did not foresee into one.
Parsers for GPS files (gpxpy, fitdecode) load only when such a file is read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from runlog.errors import InputError, RunlogError
from runlog.model import Entry

TYPE_CHECKING = False  # the stdlib idiom that spares importing typing (3 ms) at start-up
if TYPE_CHECKING:
    from pathlib import Path  # another 4 ms, and open() takes a str as well

FORMATS = ("csv", "json", "ndjson", "strava", "garmin", "gpx", "tcx", "fit", "daylio")
FORMAT_HINT = "pass --format " + "|".join(FORMATS)


# Records are made once per row of a million-row file: plain (not frozen) slots classes,
# whose __init__ sets two attributes instead of going through object.__setattr__.
@dataclass(slots=True)
class Row:
    """A record read successfully. `line` is the 1-based line where it starts in a text file,
    or the 1-based track (GPX) / session (FIT) number. `valences` gives the custom emotions
    the entry names with their valence ({"awe": "positive"}), from a runlog export of a log
    that had them: the importer adds those the log lacks to its vocabulary."""

    line: int
    entry: Entry
    valences: dict[str, str] | None = None


@dataclass(slots=True)
class Skipped:
    """A record deliberately not imported; `reason` is the other sport's name, e.g. "Ride"."""

    line: int
    reason: str


@dataclass(slots=True)
class LeftOut:
    """A record not imported for a reason other than its sport, which the summary names with
    a count: a GPX track without times, a placeholder date (1970-01-01), a zero-length blip,
    a row with neither a distance nor a time. `reason` is a short phrase that reads after
    "left out N: ", the same text for every record left out for the same reason (details
    that differ go nowhere), e.g. "tracks without times"."""

    line: int
    reason: str


@dataclass(slots=True)
class Notice:
    """Something about how the file was read that the runner should know, said once in the
    summary with the number of records it concerns: "distances read in miles", "used the
    moving time where the elapsed time was impossible (a watch left running)". The same
    text for every record it concerns."""

    line: int
    text: str


@dataclass(slots=True)
class Bad:
    """A record that cannot be read; the importer rejects the whole file. `line` 0 = the file."""

    line: int
    message: str


Record = Row | Skipped | LeftOut | Notice | Bad


def read(
    path: Path | str,
    fmt: str = "auto",
    *,
    mood_map: Mapping[str, int] | None = None,
    units: str | None = None,
) -> Iterator[Record]:
    """Records of one file, lazily. Raises InputError at once (before any record) when the
    file is missing, its format cannot be told, or an optional parser is not installed.

    `units` is the unit of bare distances in Strava's and Garmin's CSVs (`km` or `mi`, or
    None when the runner did not say: the reader tells it from the file, or refuses);
    `mood_map` adds or overrides Daylio mood labels (`{"Refreshed": 4}`)."""
    if not os.path.exists(path):
        raise InputError("no such file", hint="check the path")  # the caller names it
    if os.path.isdir(path):
        raise InputError("it is a folder, not a file")
    try:
        with open(path, "rb"):
            pass
    except OSError as error:
        raise InputError(f"cannot read it: {error.strerror or error}") from None
    if fmt == "auto":
        fmt = detect_format(path)
    if units not in ("km", "mi", None):
        raise InputError(f"units must be km or mi, got {units!r}")
    return _guarded(_reader(path, fmt, mood_map, units))


def _guarded(records: Iterator[Record]) -> Iterator[Record]:
    """A reader's records, and a Bad in place of anything it raises but OSError (and
    MemoryError, KeyboardInterrupt...): a file runlog cannot read is refused (exit 2), never
    an "unexpected" failure. (Readers report their own problems with the line; this is for
    what they did not foresee, so it costs nothing per record.)"""
    try:
        yield from records
    except (OSError, MemoryError, RunlogError):
        raise
    except Exception as error:  # noqa: BLE001 - the file, not runlog, is what is wrong
        said = " ".join(str(error).split())[:80]
        yield Bad(0, "cannot read this file" + (f" ({said})" if said else ""))


def _reader(path, fmt: str, mood_map, units: str | None) -> Iterator[Record]:
    if fmt in ("csv", "json", "ndjson"):
        from runlog.interchange import runlog_format

        return {
            "csv": runlog_format.read_csv,
            "json": runlog_format.read_json,
            "ndjson": runlog_format.read_ndjson,
        }[fmt](path)
    if fmt == "strava":
        from runlog.interchange.strava import read_strava

        return read_strava(path, units=units)
    if fmt == "garmin":
        from runlog.interchange.garmin import read_garmin

        return read_garmin(path, units=units)
    if fmt == "gpx":
        from runlog.interchange.gpx import read_gpx

        return read_gpx(path)
    if fmt == "tcx":
        from runlog.interchange.tcx import read_tcx

        return read_tcx(path)
    if fmt == "fit":
        from runlog.interchange.fit import read_fit

        return read_fit(path)
    if fmt == "daylio":
        from runlog.interchange.daylio import read_daylio

        return read_daylio(path, mood_map=mood_map)
    raise InputError(f"unknown import format {fmt!r}", hint=FORMAT_HINT)


def detect_format(path: Path | str) -> str:
    """Tell a file's format by its content (magic bytes, first character, header row); the
    extension is never trusted. Raises InputError when nothing matches."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(65536)
    except OSError as error:
        raise InputError(f"cannot read it: {error.strerror or error}") from None
    if not head.strip():
        raise InputError("the file is empty" if not head else "the file holds only blank space")
    if len(head) >= 12 and head[8:12] == b".FIT":
        return "fit"
    if head.startswith(b"\x1f\x8b"):
        raise InputError("this is a compressed file (gzip)", hint="gunzip it, then import that")
    if head.startswith(b"PK\x03\x04"):
        raise InputError("this is a zip archive", hint="unzip it, then import its files")
    from runlog.interchange._common import bom_encoding

    # UTF-16 / UTF-32 text with its mark (the codec reads the byte order from it), else UTF-8
    text = head.decode(bom_encoding(head) or "utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        return "ndjson"
    if text.startswith("<"):
        if "<gpx" in text:
            return "gpx"
        if "<TrainingCenterDatabase" in text:
            return "tcx"
        raise InputError("cannot tell its format: XML but neither GPX nor TCX", hint=FORMAT_HINT)
    header = _header(text)
    if header is not None:
        from runlog.interchange import daylio, garmin, runlog_format, strava

        if runlog_format.is_csv_header(header):
            return "csv"
        if strava.is_header(header):
            return "strava"
        if garmin.is_header(header):
            return "garmin"
        if daylio.is_header(header):
            return "daylio"
    raise InputError("cannot tell its format", hint=FORMAT_HINT)


def _header(text: str) -> list[str] | None:
    """The first CSV row of `text` with names trimmed, or None when it is no CSV header."""
    import csv

    first = text.split("\n", 1)[0].rstrip("\r")
    if "," not in first:
        return None
    try:
        return [name.strip() for name in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return None
