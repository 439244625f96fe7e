"""runlog's own CSV, JSON and NDJSON: writers for `export`, validating readers for `import`.

Everything written comes from `model.fields_to_row`, the serializer behind every `--json`
too, so the CSV header, the JSON keys and `--json` output cannot drift apart. Writers stream
(one entry at a time, from `Store.iter_fields`) and return how many they wrote.

CSV: UTF-8 without BOM, RFC 4180 quoting (csv module defaults) and RFC 4180's CRLF line ends
(open the output with `newline=""`); null is an empty cell; `emotions`/`tags` are joined with
`;`, a `;` or `\\` inside a name escaped with a backslash; a text cell that a spreadsheet
would run as a formula (it starts with `=`, `+`, `-`, `@`, tab or CR) has a `'` in front,
which the reader takes off. JSON: a list with one entry per line (`[`, entries, `]`).
NDJSON: one entry per line. After the entry keys an export may add `deleted_at` (with the
trash) and `valences` (the log has custom emotions): `model.EXPORT_EXTRA_KEYS`. Readers
ignore `id` (assigned afresh on import) and the derived `pace_s_per_km` and `mood_lift`; the
`uuid` is the identity. Whatever a file holds, readers give records: a Bad for anything they
cannot read, never an exception.
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
from runlog.interchange._common import RECORD_ERRORS, csv_records, text_encoding
from runlog.model import (
    CRIED,
    ENTRY_KEYS,
    EXPORT_EXTRA_KEYS,
    KINDS,
    SERIALIZED_FIELDS,
    Entry,
    fields_to_row,
    trusted_entry,
)
from runlog.vocab import EMOTION_NAME_RULE, VALENCES, emotion_key, emotion_name_problem

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
# Keys a runlog JSON object may carry: the entry keys, plus what an export may add after
# them. Anything else is most likely a typo and is refused.
_JSON_KEYS = frozenset(ENTRY_KEYS + EXPORT_EXTRA_KEYS)
# An entry's uuid: any printable text up to this long (other apps' ids need not be UUIDs).
MAX_UUID = 100


# ---------------------------------------------------------------------------- writers


# What `Store.iter_fields` joins emotions and tags with, for each writer (a `\` or the
# joiner inside a name escaped with a `\`): CSV writes them so, JSON splits them into lists.
NAMES_JOINED_BY = {"csv": ";", "json": "\x1f", "ndjson": "\x1f"}
_DELETED_AT = len(SERIALIZED_FIELDS)
_REDACTED_AT = tuple(ENTRY_KEYS.index(key) for key in _REDACTED)
_UUID, _EMOTIONS, _TAGS = (ENTRY_KEYS.index(key) for key in ("uuid", "emotions", "tags"))
_WHERE, _INTENTION, _NOTE = (ENTRY_KEYS.index(key) for key in ("where", "intention", "note"))
_TEXT_AT = (_UUID, _EMOTIONS, _WHERE, _INTENTION, _NOTE, _TAGS)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV
# injection"); CSV cells that do (after any number of `'`) get one more `'` in front.
_FORMULA = frozenset("=+-@\t\r")
_RISKY = _FORMULA | {"'"}


def _csv_text(text: str) -> str:
    """A text cell no spreadsheet runs (`=1+1` -> `'=1+1`, `'=x` -> `''=x`); `_plain_text`
    undoes it. Other texts, `'quoted'` too, are written as they are."""
    if text[0] == "'" and text.lstrip("'")[:1] not in _FORMULA:
        return text
    return "'" + text


def _plain_text(text: str) -> str:
    """A CSV text cell as it was before `_csv_text`: exactly one `'` goes from a cell that
    is `'`s then a formula character; anything else is kept as written."""
    if text[:1] == "'" and text.lstrip("'")[:1] in _FORMULA:
        return text[1:]
    return text


def _csv_names(names) -> str:
    """Names as one CSV cell: joined by `;`, with `\\` and `;` in a name written `\\\\`
    and `\\;` (what `Store.iter_fields` gives for `NAMES_JOINED_BY["csv"]`)."""
    return ";".join(name.replace("\\", "\\\\").replace(";", "\\;") for name in names)


def _split_names(cell: str, joiner: str = ";") -> tuple[str, ...]:
    """The names of a cell joined by `joiner`: split at each `joiner` not escaped, with
    `\\` + joiner read as the joiner and `\\\\` as `\\`; any other backslash is kept
    (older exports did not escape)."""
    if "\\" not in cell:
        return tuple(cell.split(joiner))
    names, name, at = [], [], 0
    while at < len(cell):
        char = cell[at]
        if char == "\\" and cell[at + 1:at + 2] in ("\\", joiner):
            name.append(cell[at + 1])
            at += 2
            continue
        if char == joiner:
            names.append("".join(name))
            name = []
        else:
            name.append(char)
        at += 1
    names.append("".join(name))
    return tuple(names)


def _custom_valences(names: tuple[str, ...], custom: dict[str, str]) -> dict[str, str] | None:
    """The custom emotions among an entry's names, with their valences."""
    found = {name: custom[name] for name in names if name in custom}
    return found or None


def _dicts(fields: Iterable[tuple], redact: bool, deleted: bool,
           custom: dict[str, str] | None) -> Iterator[dict]:
    joiner = NAMES_JOINED_BY["json"]
    for values in fields:
        row = fields_to_row(*values)
        emotions, tags = row[_EMOTIONS], row[_TAGS]
        emotions = _split_names(emotions, joiner) if emotions else ()
        row[_EMOTIONS] = list(emotions)
        row[_TAGS] = list(_split_names(tags, joiner)) if tags else []
        if redact:
            for index in _REDACTED_AT:
                row[index] = None
        data = dict(zip(ENTRY_KEYS, row))
        if deleted:
            data["deleted_at"] = values[_DELETED_AT]
        if custom:
            data["valences"] = _custom_valences(emotions, custom)
        yield data


def csv_header(deleted: bool = False, custom: dict[str, str] | None = None) -> tuple[str, ...]:
    """The CSV header: ENTRY_KEYS, then `deleted_at` when the trash is included, then
    `valences` when the log has custom emotions."""
    return ENTRY_KEYS + (("deleted_at",) if deleted else ()) + (("valences",) if custom else ())


def write_csv(fields: Iterable[tuple], out: TextIO, redact: bool = False,
              deleted: bool = False, custom: dict[str, str] | None = None) -> int:
    """The header row, then one row per entry; returns the number of entries written.
    `fields` are `Store.iter_fields` tuples with names joined by `NAMES_JOINED_BY["csv"]`;
    `custom` is the log's custom emotions (name -> valence).

    Emotions and tags come joined by `;` (escaped within a name, see `_csv_names`); a text
    cell a spreadsheet would run as a formula gets a `'` in front (`_csv_text`), which
    `read_csv` takes off again. With `deleted`, a last `deleted_at` column says which
    entries are in the trash; with `custom`, a `valences` column after it gives each custom
    emotion an entry names as `name=valence`, joined by `;`."""
    writer = csv.writer(out, lineterminator=CSV_LINE_END)
    writer.writerow(csv_header(deleted, custom))
    write_row = writer.writerow  # csv writes None as an empty cell
    risky, text_at = _RISKY, _TEXT_AT
    written = 0
    for values in fields:
        row = fields_to_row(*values)
        emotions, tags = row[_EMOTIONS], row[_TAGS]
        if redact:
            for index in _REDACTED_AT:
                row[index] = None
        # the common case in one test: no text cell starts with a risky character
        uuid, where, intention, note = row[_UUID], row[_WHERE], row[_INTENTION], row[_NOTE]
        if ((uuid and uuid[0] in risky) or (emotions and emotions[0] in risky)
                or (where and where[0] in risky) or (intention and intention[0] in risky)
                or (note and note[0] in risky) or (tags and tags[0] in risky)):
            for index in text_at:
                text = row[index]
                if text and text[0] in risky:
                    row[index] = _csv_text(text)
        if deleted:
            row.append(values[_DELETED_AT])
        if custom:
            found = emotions and _custom_valences(_split_names(emotions), custom)
            row.append(_csv_names(f"{name}={valence}" for name, valence in found.items())
                       if found else None)
        write_row(row)
        written += 1
    return written


def write_json(fields: Iterable[tuple], out: TextIO, redact: bool = False,
               deleted: bool = False, custom: dict[str, str] | None = None) -> int:
    """A JSON list written item by item (never built whole): `[`, one entry a line, `]`.
    `fields` are `Store.iter_fields` tuples with names joined by `NAMES_JOINED_BY["json"]`.
    With `deleted` each entry ends with `deleted_at`; with `custom` (the log's custom
    emotions, name -> valence) with `valences`: those an entry names, or null."""
    out.write("[")
    count = 0
    for data in _dicts(fields, redact, deleted, custom):
        out.write(",\n" if count else "\n")
        out.write(json.dumps(data, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count


def write_ndjson(fields: Iterable[tuple], out: TextIO, redact: bool = False,
                 deleted: bool = False, custom: dict[str, str] | None = None) -> int:
    """One JSON object per line; `fields`, `deleted` and `custom` as for `write_json`."""
    count = 0
    for data in _dicts(fields, redact, deleted, custom):
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
    moment = _aware_moment(text)
    if moment is None:
        raise _Invalid("date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM, "
                       f"got {_cut(repr(text))}")
    if moment.utcoffset().total_seconds() % 60:
        raise _Invalid(f"date {_cut(repr(text))} has a UTC offset that is not whole minutes")
    return moment.isoformat(timespec="seconds")


def _check_deleted_at(text: str | None) -> str | None:
    """When an entry went to the trash: any ISO 8601 date and time with its UTC offset."""
    if not text:
        return None
    if _aware_moment(text) is None:
        raise _Invalid(f"deleted_at must be a date and time with its UTC offset, "
                       f"got {_cut(repr(text))}")
    return text


def _aware_moment(text: str) -> datetime | None:
    """An ISO 8601 date and time with its UTC offset, or None when `text` is not one."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None and len(text) > 10 else None


def _shown(value: object) -> str:
    """A JSON value as a message quotes it: as JSON, and not so long that it floods a
    terminal."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = repr(value)
    return _cut(text)


def _cut(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _valences(value: object, emotions: tuple[str, ...]) -> dict[str, str] | None:
    """An entry's `valences`: null, or an object giving a valence to emotions it names."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Invalid(f"valences must be an object of emotion: valence, got {_shown(value)}")
    for name, valence in value.items():
        if not isinstance(name, str) or emotion_name_problem(emotion_key(name)):
            raise _Invalid(f"valences: {_shown(name)} is not an emotion name "
                           f"({EMOTION_NAME_RULE})")
        if name not in emotions:
            raise _Invalid(f"valences: {_shown(name)} is not among the entry's emotions")
        if valence not in VALENCES:
            raise _Invalid(f"valences: {name} must be {', '.join(VALENCES)}, "
                           f"got {_shown(valence)}")
    return value or None


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
    if len(uuid) > MAX_UUID:
        raise _Invalid(f"uuid is longer than {MAX_UUID} characters ({_cut(repr(uuid))})")
    if not uuid.isprintable():
        raise _Invalid(f"uuid holds a control character ({_cut(repr(uuid))})")
    if not date:
        raise _Invalid("date is missing")
    date = _check_date(date)
    deleted_at = _check_deleted_at(deleted_at)
    if kind not in _KINDS:
        raise _Invalid(f"kind must be one of {', '.join(KINDS)}, got {_cut(repr(kind))}")
    if distance_km is not None and not 0 < distance_km <= 1000:
        raise _Invalid(f"distance_km must be more than 0 and at most 1000, got {distance_km:g}")
    if duration_s is not None and not 0 < duration_s <= 172800:
        raise _Invalid(f"duration_s must be more than 0 and at most 172800, got {duration_s:g}")
    _check_int(mood_before, "mood_before", 1, 5)
    _check_int(mood_after, "mood_after", 1, 5)
    if cried is not None and cried not in _CRIED:
        raise _Invalid(f"cried must be empty or one of {', '.join(CRIED)}, got {_cut(repr(cried))}")
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
        raise _Invalid(f"{name} must be a whole number, got {_cut(repr(text))}") from None


def _cell_float(text: str, name: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise _Invalid(f"{name} must be a number, got {_cut(repr(text))}") from None


def _checked_entry_from_cells(cells: list[str]) -> Entry:
    """Every check, with a message naming the first field that is wrong."""
    (_id, uuid, date, kind, distance_km, duration_s, _pace, mood_before, mood_after, _lift,
     emotions, cried, effort, pain, where, intention, note, tags) = cells  # fmt: skip
    return _entry(
        _plain_text(uuid),
        date,
        kind,
        _cell_float(distance_km, "distance_km"),
        _cell_float(duration_s, "duration_s"),
        _cell_int(mood_before, "mood_before"),
        _cell_int(mood_after, "mood_after"),
        _split_names(_plain_text(emotions)) if emotions else (),
        cried or None,
        _cell_int(effort, "effort"),
        _cell_int(pain, "pain"),
        _plain_text(where) or None,
        _plain_text(intention) or None,
        _plain_text(note) or None,
        _split_names(_plain_text(tags)) if tags else (),
    )


def _entry_from_cells(cells: list[str]) -> Entry:
    """The per-row hot path of a million-row import: the same checks as `_entry`, inlined.
    Whatever they do not let through goes to `_checked_entry_from_cells` for its message."""
    (_id, uuid, date, kind, distance_km, duration_s, _pace, mood_before, mood_after, _lift,
     emotions, cried, effort, pain, where, intention, note, tags) = cells  # fmt: skip
    # A text cell escaped (see `_csv_text`) or names holding a backslash: the full path.
    if ((uuid and uuid[0] == "'") or (where and where[0] == "'")
            or (intention and intention[0] == "'") or (note and note[0] == "'")
            or (emotions and (emotions[0] == "'" or "\\" in emotions))
            or (tags and (tags[0] == "'" or "\\" in tags))):
        return _checked_entry_from_cells(cells)
    try:
        distance = float(distance_km) if distance_km else None
        duration = float(duration_s) if duration_s else None
        before = int(mood_before) if mood_before else None
        after = int(mood_after) if mood_after else None
        effort_n = int(effort) if effort else None
        pain_n = int(pain) if pain else None
        if (
            uuid
            and len(uuid) <= MAX_UUID
            and uuid.isascii()
            and uuid.isprintable()
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
    """Whether a header row is runlog's own: ENTRY_KEYS, then any of EXPORT_EXTRA_KEYS in
    their order (what csv_records asks of a header); where the extra columns are."""

    def __init__(self, header: list[str]):
        self.width = len(header)
        extra = tuple(header[len(ENTRY_KEYS):])
        known = tuple(header[:len(ENTRY_KEYS)]) == ENTRY_KEYS and extra in _EXTRA_COLUMNS
        self.deleted_at = extra.index("deleted_at") if "deleted_at" in extra else -1
        self.valences = extra.index("valences") if "valences" in extra else -1
        self.problem = None if known else (
            "the header must be " + ",".join(ENTRY_KEYS)
            + f" (then {', '.join(EXPORT_EXTRA_KEYS)} when an export adds them)")


_EXTRA_COLUMNS = {(), ("deleted_at",), ("valences",), ("deleted_at", "valences")}


def is_csv_header(header: list[str]) -> bool:
    """Whether a CSV header row is that of a runlog export, with any extra columns."""
    return _Header(header).problem is None


def _valences_cell(cell: str, emotions: tuple[str, ...]) -> dict[str, str] | None:
    """A CSV `valences` cell, `awe=positive;wonder=mixed`, checked like JSON's."""
    cell = _plain_text(cell)
    if not cell:
        return None
    found = {}
    for pair in _split_names(cell):
        name, equals, valence = pair.rpartition("=")
        if not equals:
            raise _Invalid(f"valences must be emotion=valence pairs joined by ;, got "
                           f"{_cut(repr(pair))}")
        found[name] = valence
    return _valences(found, emotions)


def _csv_record(cells: list[str], line: int, header: _Header) -> Record:
    width = header.width
    if len(cells) != width:
        return Bad(line, f"line {line}: expected {width} columns, got {len(cells)}")
    try:
        if width == len(ENTRY_KEYS):
            return Row(line, _entry_from_cells(cells))
        fields, extra = cells[:len(ENTRY_KEYS)], cells[len(ENTRY_KEYS):]
        entry = _entry_from_cells(fields)
        valences = None
        if header.valences >= 0:
            valences = _valences_cell(extra[header.valences], entry.emotions)
        if header.deleted_at >= 0 and extra[header.deleted_at]:
            entry = _replace(entry, deleted_at=_check_deleted_at(extra[header.deleted_at]))
        return Row(line, entry, valences)
    except _Invalid as problem:
        return Bad(line, f"line {line}: {problem}")


def _replace(entry: Entry, **changes) -> Entry:
    from dataclasses import replace

    return replace(entry, **changes)


def read_csv(path: Path) -> Iterator[Record]:
    """Rows of a runlog CSV export. `line` is the file line where the record starts (a note
    with newlines spans several)."""
    return csv_records(path, _Header, _csv_record)


# ---------------------------------------------------------------------------- JSON readers


def _number(data: dict, key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _Invalid(f"{key} must be a number or null, got {_shown(value)}")
    return value


def _whole(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"{key} must be a whole number or null, got {_shown(value)}")
    return value


def _text(data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise _Invalid(f"{key} must be text or null, got {_shown(value)}")
    return value


def _names(data: dict, key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise _Invalid(f"{key} must be a list of names, got {_shown(value)}")
    return tuple(value)


def _entry_from_object(data: object) -> Entry:
    """Missing keys count as null, so a hand-written object needs only uuid, date and kind."""
    if not isinstance(data, dict):
        raise _Invalid(f"expected an entry object, got {_shown(data)}")
    unknown = data.keys() - _JSON_KEYS
    if unknown:
        raise _Invalid(f"unknown key {_cut(repr(sorted(unknown)[0]))}")
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
        entry = _entry_from_object(data)
        return Row(line, entry, _valences(data.get("valences"), entry.emotions))
    except _Invalid as problem:
        return Bad(line, f"line {line}: {problem}")
    except RECORD_ERRORS as error:  # e.g. a value nested too deeply to quote back
        return Bad(line, f"line {line}: cannot read this entry ({type(error).__name__})")


def _json_problem(error: Exception) -> str:
    """Why a text is not JSON runlog reads, in words: json's own message, or what a
    document too deep (RecursionError) or with a number too long (ValueError) comes to."""
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON ({error.msg})"
    if isinstance(error, RecursionError):
        return "not an entry: JSON nested too deeply"
    return f"not valid JSON ({_cut(str(error))})"


# The longest entry a JSON or NDJSON file may hold: beyond it the file is refused rather
# than read into memory (a long journal note fits many times over).
_LONGEST_ENTRY = 1 << 26


def read_ndjson(path: Path) -> Iterator[Record]:
    """One entry object per line; blank lines are ignored; every bad line is reported."""
    with open(path, encoding=text_encoding(path)) as stream:
        line = 0
        try:
            while True:
                text = stream.readline(_LONGEST_ENTRY + 1)
                if not text:
                    break
                line += 1
                if len(text) > _LONGEST_ENTRY:
                    yield Bad(line, f"line {line} is longer than {_LONGEST_ENTRY >> 20} MiB")
                    return
                if not text.strip():
                    continue
                try:
                    data = json.loads(text)
                except (ValueError, RecursionError) as error:
                    yield Bad(line, f"line {line}: {_json_problem(error)}")
                    continue
                yield _record(data, line)
        except UnicodeDecodeError as error:
            yield Bad(line + 1, f"line {line + 1}: not UTF-8 text ({error.reason})")


_CHUNK = 1 << 16
_SPACE = re.compile(r"[ \t\r\n]*")


def read_json(path: Path) -> Iterator[Record]:
    """A JSON list of entry objects, decoded one object at a time so memory stays flat.
    `line` is the file line where each object starts (entry N is on line N+1 of an export)."""
    decoder = json.JSONDecoder()
    with open(path, encoding=text_encoding(path)) as stream:
        buffer, at, line = "", 0, 1

        def more(size: int = _CHUNK) -> bool:
            """Append the next `size` characters, dropping what was consumed; False at
            the end."""
            nonlocal buffer, at
            chunk = stream.read(size)
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
                    if near_end and len(buffer) - at > _LONGEST_ENTRY:
                        yield Bad(line, f"line {line}: an entry longer than "
                                        f"{_LONGEST_ENTRY >> 20} MiB")
                        return
                    # the object goes on: read as much again as it has so far (decoding it
                    # again each time stays linear in its length)
                    if near_end and more(max(_CHUNK, len(buffer) - at)):
                        continue
                    where = line + buffer.count("\n", at, error.pos)
                    yield Bad(where, f"line {where}: not valid JSON ({error.msg})")
                    return
                except (ValueError, RecursionError) as error:
                    yield Bad(line, f"line {line}: {_json_problem(error)}")
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
                yield Bad(line, f"line {line}: more text after the end of the JSON list")
        except UnicodeDecodeError as error:
            yield Bad(line, f"line {line}: not UTF-8 text ({error.reason})")
