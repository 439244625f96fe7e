"""runlog's own CSV, JSON and NDJSON: writers for `export`, validating readers for `import`.

Everything written comes from `model.fields_to_row`, the serializer behind every `--json`
too, so the CSV header, the JSON keys and `--json` output cannot drift apart. Writers stream
(one entry at a time, from `Store.iter_fields`) and return how many they wrote.

CSV: UTF-8 without BOM, RFC 4180 quoting (csv module defaults) and RFC 4180's CRLF line ends
(open the output with `newline=""`); null is an empty cell; `emotions`/`tags` are joined with
`;`, so a name may not contain `;`. JSON: a list with one entry per line (`[`, entries, `]`).
NDJSON: one entry per line. Readers ignore `id` (assigned afresh on import) and the derived
`pace_s_per_km` and `mood_lift`; the `uuid` is the identity.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Iterator
from datetime import date as Date
from datetime import datetime

from runlog.interchange import Bad, Record, Row
from runlog.interchange._common import csv_records
from runlog.model import (
    CRIED,
    ENTRY_KEYS,
    KINDS,
    SERIALIZED_FIELDS,
    Entry,
    fields_to_row,
    trusted_entry,
)

TYPE_CHECKING = False  # spares `export` importing typing and pathlib for annotations only
if TYPE_CHECKING:
    from pathlib import Path
    from typing import TextIO

SOURCE = "runlog"
CSV_LINE_END = "\r\n"
_REDACTED = ("intention", "note", "where")
_KINDS = frozenset(KINDS)
_CRIED = frozenset(CRIED)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
# Keys a runlog JSON object may carry: the entry keys, plus what an export with deleted
# entries may add. Anything else is most likely a typo and is refused.
_JSON_KEYS = frozenset(ENTRY_KEYS) | {"deleted_at"}


# ---------------------------------------------------------------------------- writers


# What `Store.iter_fields` joins emotions and tags with, for each writer: CSV writes them
# joined by ";"; JSON splits them into lists again, so there a name may hold a ";".
NAMES_JOINED_BY = {"csv": ";", "json": "\x1f", "ndjson": "\x1f"}
_DELETED_AT = len(SERIALIZED_FIELDS)
_REDACTED_AT = tuple(ENTRY_KEYS.index(key) for key in _REDACTED)
_EMOTIONS, _TAGS = ENTRY_KEYS.index("emotions"), ENTRY_KEYS.index("tags")


def _dicts(fields: Iterable[tuple], redact: bool, deleted: bool) -> Iterator[dict]:
    split = NAMES_JOINED_BY["json"]
    for values in fields:
        row = fields_to_row(*values)
        emotions, tags = row[_EMOTIONS], row[_TAGS]
        row[_EMOTIONS] = emotions.split(split) if emotions else []
        row[_TAGS] = tags.split(split) if tags else []
        if redact:
            for index in _REDACTED_AT:
                row[index] = None
        data = dict(zip(ENTRY_KEYS, row))
        if deleted:
            data["deleted_at"] = values[_DELETED_AT]
        yield data


def write_csv(fields: Iterable[tuple], out: TextIO, redact: bool = False,
              deleted: bool = False) -> int:
    """The header row, then one row per entry; returns the number of entries written.
    `fields` are `Store.iter_fields` tuples with names joined by `NAMES_JOINED_BY["csv"]`.

    CSV keeps to SPEC's columns, so an entry's place in the trash is not carried (JSON and
    NDJSON add `deleted_at` when `deleted` is true)."""
    writer = csv.writer(out, lineterminator=CSV_LINE_END)
    writer.writerow(ENTRY_KEYS)
    write_row = writer.writerow  # csv writes None as an empty cell
    written = 0
    for values in fields:
        row = fields_to_row(*values)
        if redact:
            for index in _REDACTED_AT:
                row[index] = None
        write_row(row)
        written += 1
    return written


def write_json(fields: Iterable[tuple], out: TextIO, redact: bool = False,
               deleted: bool = False) -> int:
    """A JSON list written item by item (never built whole): `[`, one entry a line, `]`.
    `fields` are `Store.iter_fields` tuples with names joined by `NAMES_JOINED_BY["json"]`."""
    out.write("[")
    count = 0
    for data in _dicts(fields, redact, deleted):
        out.write(",\n" if count else "\n")
        out.write(json.dumps(data, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count


def write_ndjson(fields: Iterable[tuple], out: TextIO, redact: bool = False,
                 deleted: bool = False) -> int:
    """One JSON object per line; `fields` as for `write_json`."""
    count = 0
    for data in _dicts(fields, redact, deleted):
        out.write(json.dumps(data, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


# ---------------------------------------------------------------------------- validation


class _Invalid(ValueError):
    """One field of one record is wrong; becomes a Bad with the record's line."""


def _check_date(text: str) -> str:
    if _MOMENT.fullmatch(text):
        try:
            datetime.fromisoformat(text)
        except ValueError:
            raise _Invalid(f"date {text!r} is not a real date and time") from None
        return text
    if _DAY.fullmatch(text):
        try:
            Date.fromisoformat(text)
        except ValueError:
            raise _Invalid(f"date {text!r} is not a real date") from None
        return text
    # Hand-written files: any ISO 8601 datetime with an offset (`Z`, fractions) is accepted
    # and written the canonical way, keeping its offset.
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or len(text) <= 10:
        raise _Invalid(f"date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM, got {text!r}")
    return moment.isoformat(timespec="seconds")


def _check_int(value: int | None, name: str, low: int, high: int) -> int | None:
    if value is not None and not low <= value <= high:
        raise _Invalid(f"{name} must be {low}-{high}, got {value}")
    return value


def _entry(
    uuid: str | None,
    date: str | None,
    kind: str | None,
    distance_km: float | None,
    duration_s: float | None,
    mood_before: int | None,
    mood_after: int | None,
    emotions: tuple[str, ...],
    cried: str | None,
    effort: int | None,
    pain: int | None,
    where: str | None,
    intention: str | None,
    note: str | None,
    tags: tuple[str, ...],
    deleted_at: str | None = None,
) -> Entry:
    """Check the ranges of SPEC §3-§5 on typed values and build the Entry."""
    if not uuid:
        raise _Invalid("uuid is missing")
    if not date:
        raise _Invalid("date is missing")
    date = _check_date(date)
    if kind not in _KINDS:
        raise _Invalid(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if distance_km is not None and not 0 < distance_km <= 1000:
        raise _Invalid(f"distance_km must be more than 0 and at most 1000, got {distance_km:g}")
    if duration_s is not None and not 0 < duration_s <= 172800:
        raise _Invalid(f"duration_s must be more than 0 and at most 172800, got {duration_s:g}")
    _check_int(mood_before, "mood_before", 1, 5)
    _check_int(mood_after, "mood_after", 1, 5)
    if cried is not None and cried not in _CRIED:
        raise _Invalid(f"cried must be empty or one of {', '.join(CRIED)}, got {cried!r}")
    _check_int(effort, "effort", 1, 10)
    _check_int(pain, "pain", 0, 10)
    return Entry(
        uuid=uuid,
        date=date,
        kind=kind,
        distance_m=None if distance_km is None else distance_km * 1000,
        duration_s=duration_s,
        mood_before=mood_before,
        mood_after=mood_after,
        emotions=emotions,
        cried=cried,
        effort=effort,
        pain=pain,
        where=where,
        intention=intention,
        note=note,
        tags=tags,
        deleted_at=deleted_at,
        source=SOURCE,
    )


# ---------------------------------------------------------------------------- CSV reader

def _cell_int(text: str, name: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise _Invalid(f"{name} must be a whole number, got {text!r}") from None


def _cell_float(text: str, name: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise _Invalid(f"{name} must be a number, got {text!r}") from None


def _checked_entry_from_cells(cells: list[str]) -> Entry:
    """Every check, with a message naming the first field that is wrong."""
    (_id, uuid, date, kind, distance_km, duration_s, _pace, mood_before, mood_after, _lift,
     emotions, cried, effort, pain, where, intention, note, tags) = cells  # fmt: skip
    return _entry(
        uuid,
        date,
        kind,
        _cell_float(distance_km, "distance_km"),
        _cell_float(duration_s, "duration_s"),
        _cell_int(mood_before, "mood_before"),
        _cell_int(mood_after, "mood_after"),
        tuple(emotions.split(";")) if emotions else (),
        cried or None,
        _cell_int(effort, "effort"),
        _cell_int(pain, "pain"),
        where or None,
        intention or None,
        note or None,
        tuple(tags.split(";")) if tags else (),
    )


def _entry_from_cells(cells: list[str]) -> Entry:
    """The per-row hot path of a million-row import: the same checks as `_entry`, inlined.
    Whatever they do not let through goes to `_checked_entry_from_cells` for its message."""
    (_id, uuid, date, kind, distance_km, duration_s, _pace, mood_before, mood_after, _lift,
     emotions, cried, effort, pain, where, intention, note, tags) = cells  # fmt: skip
    try:
        distance = float(distance_km) if distance_km else None
        duration = float(duration_s) if duration_s else None
        before = int(mood_before) if mood_before else None
        after = int(mood_after) if mood_after else None
        effort_n = int(effort) if effort else None
        pain_n = int(pain) if pain else None
        if (
            uuid
            and kind in _KINDS
            and (distance is None or 0 < distance <= 1000)
            and (duration is None or 0 < duration <= 172800)
            and (before is None or 1 <= before <= 5)
            and (after is None or 1 <= after <= 5)
            and (effort_n is None or 1 <= effort_n <= 10)
            and (pain_n is None or 0 <= pain_n <= 10)
            and (not cried or cried in _CRIED)
            and (
                (_MOMENT.fullmatch(date) and datetime.fromisoformat(date))
                or (_DAY.fullmatch(date) and Date.fromisoformat(date))
            )
        ):
            return trusted_entry(
                {
                    "uuid": uuid,
                    "date": date,
                    "kind": kind,
                    "distance_m": None if distance is None else distance * 1000,
                    "duration_s": duration,
                    "mood_before": before,
                    "mood_after": after,
                    "emotions": tuple(emotions.split(";")) if emotions else (),
                    "cried": cried or None,
                    "effort": effort_n,
                    "pain": pain_n,
                    "where": where or None,
                    "intention": intention or None,
                    "note": note or None,
                    "tags": tuple(tags.split(";")) if tags else (),
                    "id": None,
                    "deleted_at": None,
                    "source": SOURCE,
                }
            )
    except ValueError:
        pass
    return _checked_entry_from_cells(cells)


class _Header:
    """Whether a header row is runlog's own (what csv_records asks of a header)."""

    def __init__(self, header: list[str]):
        same = tuple(header) == ENTRY_KEYS
        self.problem = None if same else "the header must be " + ",".join(ENTRY_KEYS)


def _csv_record(cells: list[str], line: int, _header: _Header) -> Record:
    if len(cells) != len(ENTRY_KEYS):
        return Bad(line, f"line {line}: expected {len(ENTRY_KEYS)} columns, got {len(cells)}")
    try:
        return Row(line, _entry_from_cells(cells))
    except _Invalid as problem:
        return Bad(line, f"line {line}: {problem}")


def read_csv(path: Path) -> Iterator[Record]:
    """Rows of a runlog CSV export. `line` is the file line where the record starts (a note
    with newlines spans several)."""
    # csv refuses cells over 128 KiB by default; a long journal note must still round-trip
    csv.field_size_limit(max(csv.field_size_limit(), _LONGEST_CELL))
    return csv_records(path, _Header, _csv_record)


# ---------------------------------------------------------------------------- JSON readers


def _number(data: dict, key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _Invalid(f"{key} must be a number or null, got {json.dumps(value)}")
    return value


def _whole(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"{key} must be a whole number or null, got {json.dumps(value)}")
    return value


def _text(data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise _Invalid(f"{key} must be text or null, got {json.dumps(value)}")
    return value


def _names(data: dict, key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise _Invalid(f"{key} must be a list of names, got {json.dumps(value)}")
    return tuple(value)


def _entry_from_object(data: object) -> Entry:
    """Missing keys count as null, so a hand-written object needs only uuid, date and kind."""
    if not isinstance(data, dict):
        raise _Invalid(f"expected an entry object, got {json.dumps(data)[:40]}")
    unknown = data.keys() - _JSON_KEYS
    if unknown:
        raise _Invalid(f"unknown key {sorted(unknown)[0]!r}")
    return _entry(
        _text(data, "uuid"),
        _text(data, "date"),
        _text(data, "kind"),
        _number(data, "distance_km"),
        _number(data, "duration_s"),
        _whole(data, "mood_before"),
        _whole(data, "mood_after"),
        _names(data, "emotions"),
        _text(data, "cried"),
        _whole(data, "effort"),
        _whole(data, "pain"),
        _text(data, "where"),
        _text(data, "intention"),
        _text(data, "note"),
        _names(data, "tags"),
        _text(data, "deleted_at"),
    )


def _record(data: object, line: int) -> Record:
    try:
        return Row(line, _entry_from_object(data))
    except _Invalid as problem:
        return Bad(line, f"line {line}: {problem}")


def read_ndjson(path: Path) -> Iterator[Record]:
    """One entry object per line; blank lines are ignored; every bad line is reported."""
    with open(path, encoding="utf-8-sig") as stream:
        line = 0
        try:
            for line, text in enumerate(stream, 1):
                if not text.strip():
                    continue
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as error:
                    yield Bad(line, f"line {line}: not valid JSON ({error.msg})")
                    continue
                yield _record(data, line)
        except UnicodeDecodeError as error:
            yield Bad(line + 1, f"line {line + 1}: not UTF-8 text ({error.reason})")


_CHUNK = 1 << 16
_LONGEST_CELL = 1 << 26
_SPACE = re.compile(r"[ \t\r\n]*")


def read_json(path: Path) -> Iterator[Record]:
    """A JSON list of entry objects, decoded one object at a time so memory stays flat.
    `line` is the file line where each object starts (entry N is on line N+1 of an export)."""
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8-sig") as stream:
        buffer, at, line = "", 0, 1

        def more() -> bool:
            """Append the next chunk, dropping what was consumed; False at the end."""
            nonlocal buffer, at
            chunk = stream.read(_CHUNK)
            if not chunk:
                return False
            buffer, at = buffer[at:] + chunk, 0
            return True

        def skip_space() -> bool:
            """Move past whitespace; False when the file ends first."""
            nonlocal at, line
            while True:
                end = _SPACE.match(buffer, at).end()
                line += buffer.count("\n", at, end)
                at = end
                if at < len(buffer):
                    return True
                if not more():
                    return False

        try:
            if not skip_space():
                return
            if buffer[at] != "[":
                yield Bad(line, f"line {line}: expected a JSON list of entries")
                return
            at += 1
            first = True
            while True:
                if not skip_space():
                    yield Bad(line, f"line {line}: the JSON list is not closed with ]")
                    return
                if first and buffer[at] == "]":
                    at += 1
                    break
                try:
                    data, end = decoder.raw_decode(buffer, at)
                except json.JSONDecodeError as error:
                    near_end = len(buffer) - error.pos < 32 or error.msg.startswith("Unterminated")
                    if near_end and more():
                        continue  # the object goes on in the next chunk
                    where = line + buffer.count("\n", at, error.pos)
                    yield Bad(where, f"line {where}: not valid JSON ({error.msg})")
                    return
                if end == len(buffer) and more():
                    continue  # a bare number might go on; decode again with more text
                yield _record(data, line)
                line += buffer.count("\n", at, end)
                at = end
                first = False
                if not skip_space():
                    yield Bad(line, f"line {line}: the JSON list is not closed with ]")
                    return
                if buffer[at] == ",":
                    at += 1
                elif buffer[at] == "]":
                    at += 1
                    break
                else:
                    yield Bad(line, f"line {line}: expected , or ] between entries")
                    return
            if skip_space():
                yield Bad(line, f"line {line}: unexpected text after the JSON list")
        except UnicodeDecodeError as error:
            yield Bad(line, f"line {line}: not UTF-8 text ({error.reason})")
