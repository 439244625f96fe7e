"""GPX activity files through gpxpy (the `formats` extra): one Row per timed track.

Distance is the track's 2D length; duration is last time - first time, pauses included
(like FIT's total elapsed time; moving time is not stored). The kind comes from the track's
`<type>`: run-ish -> run (trail/treadmill when named), walking/hiking -> walk, a known other
sport (cycling, swimming, skiing...) is Skipped, and no type or an unrecognised one (OpenTracks
writes "unknown") imports as `run`. Tracks without timestamps are ignored; a file with no
timed track is Bad, and so is a file that is not well-formed XML (the parser's message).
The track's `<desc>`, else its `<name>`, becomes the note.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timezone
from pathlib import Path

from runlog.interchange import Bad, Record, Skipped
from runlog.interchange._common import (
    activity,
    bom_encoding,
    positive,
    require,
)

SOURCE = "gpx"
_OTHER_SPORTS = (
    "cycl",
    "bik",
    "ride",
    "swim",
    "ski",
    "row",
    "kayak",
    "canoe",
    "sail",
    "skat",
    "snowboard",
    "paddl",
    "driv",
    "motor",
    "golf",
    "climb",
)


def kind_of(track_type: str | None) -> str | None:
    """The runlog kind for a GPX `<type>`; None when it names another sport."""
    name = (track_type or "").strip().lower().replace("_", " ")
    if "trail" in name:
        return "trail"
    if "treadmill" in name:
        return "treadmill"
    if "run" in name:
        return "run"
    if "walk" in name or "hik" in name:
        return "walk"
    if any(word in name for word in _OTHER_SPORTS):
        return None
    return "run"


# A day's track at one point a second is a few tens of MiB; more is not a run.
_LARGEST_FILE = 256 << 20


class _Refused(Exception):
    """The file asks the parser for something a GPX file never needs (a DTD, entities)."""


def _refuse(*_ignored) -> None:
    raise _Refused("it declares a DTD or entities, which GPX files never need")


def _tree(path: Path):
    """The file's root element, parsed by expat alone with any DTD refused at its first
    byte: no entity (internal or external, so no billion laughs and no local file read
    through `SYSTEM "file://..."`) is ever declared, expanded or fetched, whichever XML
    library gpxpy would have picked (lxml before 5 resolves external entities). Tags in the
    root's namespace lose it, as gpxpy expects; comments and processing instructions are
    dropped."""
    from xml.etree.ElementTree import TreeBuilder
    from xml.parsers import expat

    builder = TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    own_namespace: list[str] = []  # the root element's, once seen

    def name(expanded: str) -> str:
        namespace, separator, local = expanded.rpartition("}")
        if not separator:
            return expanded
        if not own_namespace:
            own_namespace.append(namespace)
        return local if namespace == own_namespace[0] else "{" + namespace + "}" + local

    def start(tag: str, attributes: dict) -> None:
        tag = name(tag)  # the element's own name first: it sets the root's namespace
        builder.start(tag, {name(key): value for key, value in attributes.items()})

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    try:
        with open(path, "rb") as stream:
            if bom_encoding(stream.read(4)) == "utf-32":  # expat reads UTF-8 and UTF-16 only
                stream.seek(0)
                parser.Parse(stream.read().decode("utf-32"), True)
            else:
                stream.seek(0)
                parser.ParseFile(stream)
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-32 text ({error.reason})") from None
    except expat.ExpatError as error:
        raise ValueError(f"not well-formed XML ({error})") from None
    return builder.close()


def _parse(path: Path):
    """The gpxpy document of the file, from `_tree` (what `gpxpy.parse` does after its own,
    unsafe, parsing)."""
    import gpxpy.gpx
    import gpxpy.gpxfield

    root = _tree(path)
    document = gpxpy.gpx.GPX()
    gpxpy.gpxfield.gpx_fields_from_xml(document, root, root.get("version"))
    return document


def read_gpx(path: Path) -> Iterator[Record]:
    """Raises InputError at once when gpxpy is not installed."""
    require("gpxpy", "GPX")
    return _records(Path(path))


def _records(path: Path) -> Iterator[Record]:
    import gpxpy.gpx

    try:
        if path.stat().st_size > _LARGEST_FILE:
            yield Bad(0, f"the GPX file is larger than {_LARGEST_FILE >> 20} MiB")
            return
        document = _parse(path)
    except _Refused as error:
        yield Bad(0, f"refused GPX file: {error}")
        return
    except (gpxpy.gpx.GPXException, ValueError, TypeError, ArithmeticError,
            RecursionError) as error:
        yield Bad(0, f"unreadable GPX file: {error}")
        return
    timed = 0
    for number, track in enumerate(document.tracks, 1):
        try:
            record = _track_record(number, track)
        except (ValueError, TypeError, ArithmeticError) as error:
            record = Bad(number, f"track {number}: cannot read it ({error})")
        if record is not None:
            timed += 1
            yield record
    if not timed:
        yield Bad(0, "no timed track points in the GPX file")


def _track_record(number: int, track) -> Record | None:
    """The record of one track; None for a track without timestamps."""
    bounds = track.get_time_bounds()
    if bounds.start_time is None or bounds.end_time is None:
        return None
    kind = kind_of(track.type)
    if kind is None:
        return Skipped(number, track.type.strip())
    start = bounds.start_time
    if start.tzinfo is None:  # GPX says UTC; some writers drop the Z
        start = start.replace(tzinfo=timezone.utc)
        end = bounds.end_time.replace(tzinfo=timezone.utc)
    else:
        end = bounds.end_time
    distance_m = positive(track.length_2d())
    duration_s = positive((end - start).total_seconds())
    note = (track.description or track.name or "").strip() or None
    return activity(SOURCE, number, f"track {number}", None, start, kind, distance_m,
                    duration_s, note)
