"""Helpers the readers share: stable ids, local ISO times, localized numbers and clock times."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timezone

from runlog.errors import InputError

# uuid5 namespace of every imported record that does not carry a runlog uuid. Never change
# it: it is what makes importing the same file twice add nothing.
NAMESPACE = uuid.UUID("2aa0ab82-d4ec-4b53-a686-aad73dd508e9")

MAX_DISTANCE_M = 1_000_000.0  # SPEC §3: distance <= 1000 km
MAX_DURATION_S = 172_800.0  # SPEC §3: duration <= 48 h
METRES_PER_UNIT = {"km": 1000.0, "mi": 1609.344}
# What the summary says of an activity whose elapsed time no one takes (a watch left
# running), in every reader's words alike.
ELAPSED_NOTICE = "moving time used where the elapsed time was impossible (a watch left running)"
TOO_LONG = "activities over 48 hours without a possible moving time"


def stable_uuid(source: str, key: str) -> str:
    """The same text for the same record of the same source, whoever imports it."""
    return str(uuid.uuid5(NAMESPACE, f"{source}:{key}"))


def local_iso(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS±HH:MM` in this machine's zone, with the offset valid at that
    instant. A naive `moment` is taken as local wall time (Garmin, Daylio)."""
    return moment.astimezone().isoformat(timespec="seconds")


def utc_key(moment: datetime) -> str:
    """A zone-independent instant for stable ids (`2022-05-29T15:53:35Z`)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_number(text: str) -> float | None:
    """A number as exporters localize it: `3.40`, `3,40`, `1,234.5`, `1.234,5`, `1.234.567`.

    With both separators the last one is the decimal mark; a repeated one groups thousands; a
    single one, `.` or `,`, is the decimal mark. That last rule reads Garmin's `"2.932"` steps
    as 2.932, but we read only distances and times, where it is right: a distance written with
    a thousands separator would be over 1000 km. Empty and `--` mean missing (None). Raises
    ValueError for anything else, including nan and infinities."""
    text = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not text or text in ("--", "-"):
        return None
    comma, dot = text.rfind(","), text.rfind(".")
    if comma >= 0 and dot >= 0:
        if comma > dot:
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif comma >= 0:
        text = text.replace(",", "") if text.count(",") > 1 else text.replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a number: {text!r}")
    return value


def parse_clock(text: str) -> float | None:
    """Seconds from `01:02:03`, `25:31`, `00:25:31,4` or `00:25:31.4`; None when missing."""
    text = text.strip()
    if not text or text in ("--", "-"):
        return None
    parts = text.replace(",", ".").split(":")
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise ValueError(f"not a time: {text!r}")
    seconds = 0.0
    for part in parts[:-1]:
        if not part.isdigit():
            raise ValueError(f"not a time: {text!r}")
        seconds = seconds * 60 + int(part)
    last = float(parts[-1])
    if not math.isfinite(last) or last < 0:
        raise ValueError(f"not a time: {text!r}")
    return seconds * 60 + last


def range_problem(distance_m: float | None, duration_s: float | None) -> str | None:
    """Why an activity's distance or duration is outside what runlog stores, else None."""
    if distance_m is not None and distance_m > MAX_DISTANCE_M:
        return f"distance {distance_m / 1000:g} km is more than 1000 km"
    if duration_s is not None and duration_s > MAX_DURATION_S:
        return f"duration {duration_s / 3600:.1f} h is longer than 48 h"
    return None


def activity(source: str, number: int, where: str, key: str | None, start: datetime, kind: str,
             distance_m: float | None, duration_s: float | None, note: str | None = None):
    """An activity read from another app's file, as a record: LeftOut with neither a
    distance nor a time (both already through `positive`), Bad when one is out of runlog's
    range or the start cannot be placed in time (`where` says where, e.g. "line 7"), else a
    Row whose uuid is `source`'s stable id for `key` (None: the start's UTC instant and the
    distance in whole metres) and whose date is `start` in local time."""
    from runlog.interchange import Bad, LeftOut, Row
    from runlog.model import Entry

    if distance_m is None and duration_s is None:
        return LeftOut(number, "no distance or time")
    problem = range_problem(distance_m, duration_s)
    if problem:
        return Bad(number, f"{where}: {problem}")
    try:
        date = local_iso(start)
        if key is None:
            key = f"{utc_key(start)}:{round(distance_m or 0)}"
    except (ValueError, OverflowError):  # an offset of 24 h or more, a year past 9999...
        return Bad(number, f"{where}: the start time {start:%Y-%m-%d %H:%M:%S} is out of range")
    return Row(number, Entry(uuid=stable_uuid(source, key), date=date, kind=kind,
                             distance_m=distance_m, duration_s=duration_s, note=note,
                             source=source))


def positive(value: float | None) -> float | None:
    """Another app's distance (m) or time (s): under 1 (zero, negative, a GPS track that
    never moved) means 'not recorded', as typing refuses less than 1 m or 1 s."""
    return value if value is not None and value >= 1 else None


def require(module: str, what: str):
    """Import an optional parser, or explain how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        # Named by its own package: a `runlog` on PyPI is another project.
        raise InputError(
            f"reading {what} files needs {module} (runlog's formats extra)",
            hint=f"pip install {module} into runlog's environment, or from a checkout "
            "pip install '.[formats]'") from None


# The longest cell and physical line a CSV may have (a long journal note must round-trip;
# csv's own default is 128 KiB), and how many cells a line may split into. Beyond these a
# file is refused rather than read into memory.
LONGEST_CELL = 1 << 26
LONGEST_LINE = 1 << 26
MOST_CELLS = 100_000


class _TooLong(Exception):
    pass


def _bounded_lines(stream):
    """The stream's lines, each no longer than LONGEST_LINE (else _TooLong), so a file
    without line ends is never read whole."""
    readline, longest = stream.readline, LONGEST_LINE
    long = min(longest, 1 << 20)
    while text := readline(longest + 1):
        if len(text) > long:  # rare: only then the slower checks
            if len(text) > longest:
                raise _TooLong(f"is longer than {longest >> 20} MiB")
            if text.count(",") > MOST_CELLS:
                raise _TooLong(f"has more than {MOST_CELLS:,} cells")
        yield text


# What a record's own code may raise on values no real export holds (a UTC offset of 25 h,
# a year past 9999, a number past float's range): that record is Bad, the reader goes on.
RECORD_ERRORS = (ValueError, TypeError, ArithmeticError, LookupError, RecursionError)


# Byte-order marks of the Unicode encodings other than UTF-8 a text file may come in (a
# spreadsheet's "Unicode text", a Windows tool's XML), UTF-32's first: its little-endian
# mark begins with UTF-16's.
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def bom_encoding(head: bytes) -> str | None:
    """The encoding ("utf-16" or "utf-32", which read the mark and its byte order) that the
    byte-order mark at the start of `head` names, or None (UTF-8, with or without a mark)."""
    for mark, encoding in BOMS:
        if head.startswith(mark):
            return encoding
    return None


def text_encoding(path) -> str:
    """How to open a text file: UTF-16 or UTF-32 when it starts with their mark, else
    UTF-8 (a UTF-8 mark skipped)."""
    with open(path, "rb") as stream:
        return bom_encoding(stream.read(4)) or "utf-8-sig"


def csv_records(path, columns_of, record_of):
    """The loop the CSV readers share: the header row becomes `columns_of(header)`
    (a Bad for line 1 when its `.problem` is set), then each non-empty row becomes
    `record_of(cells, line, columns)` with the line it starts on. Text that is not UTF-8,
    broken CSV and overlong lines or cells become a Bad for the line where reading stopped;
    a row whose reading fails in any other way, a Bad for its line."""
    import csv

    from runlog.interchange import Bad

    if csv.field_size_limit() < LONGEST_CELL:  # process-wide: raise it once, never lower it
        csv.field_size_limit(LONGEST_CELL)
    with open(path, newline="", encoding=text_encoding(path)) as stream:
        reader = csv.reader(_bounded_lines(stream))
        last_line = 0
        try:
            header = next(reader, None)
            if header is None:
                return
            columns = columns_of(header)
            if columns.problem:
                yield Bad(1, f"line 1: {columns.problem}")
                return
            last_line = reader.line_num
            for cells in reader:
                line = last_line + 1
                last_line = reader.line_num
                if cells:
                    try:
                        record = record_of(cells, line, columns)
                    except RECORD_ERRORS as error:
                        record = Bad(line, f"line {line}: cannot read this row ({error})")
                    yield record
        except UnicodeDecodeError as error:
            yield Bad(last_line + 1, f"line {last_line + 1}: not UTF-8 text ({error.reason})")
        except _TooLong as error:
            yield Bad(last_line + 1, f"line {last_line + 1} {error}")
        except csv.Error as error:
            message = str(error)
            if "field larger than field limit" in message:
                message = f"a cell is longer than {LONGEST_CELL >> 20} MiB"
            yield Bad(last_line + 1, f"line {last_line + 1}: {message}")
