"""GPX activity files through gpxpy (the `formats` extra): one Row per timed track.

Distance is the track's 2D length; duration is last time - first time, pauses included
(like FIT's total elapsed time; moving time is not stored). The sport comes from the track's
`<type>` (a word, or Strava's numeric code: 9 run, 1 ride...), else from a Runkeeper track
name ("Cycling 10/2/17 6:01 pm"): run-ish -> run (trail/treadmill when named), walking/hiking
-> walk, anything else named -> Skipped with its name; no type at all, or "unknown"
(OpenTracks' word for a track whose type was never set), imports as `run`.
What is not imported is said (LeftOut): tracks without times, tracks whose only times are
placeholders (1970-01-01, 1901 and before), zero-length blips. A point without coordinates
is skipped and its track kept (a Notice counts them). A file with no track at all (a route,
waypoints) is Bad, and so is one that is not well-formed XML (said with the line).
The track's `<desc>`, else its `<name>`, becomes the note.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from runlog.interchange import Bad, LeftOut, Notice, Record, Skipped
from runlog.interchange._common import (
    activity,
    bom_encoding,
    positive,
    require,
)

SOURCE = "gpx"

# Words that name a run or a walk in a GPX `<type>`, a TCX `Sport` or a Runkeeper track name,
# in English and, for a type an app wrote in its user's language or a runner typed, German,
# Dutch, French, Spanish, Italian and Portuguese: substrings of the lower-cased name, in this
# order. A name with none of them is another sport, said by its name: never a run unseen.
_KIND_WORDS = (
    ("treadmill", ("treadmill", "virtual", "indoor", "laufband", "loopband", "tapis",
                   "cinta", "esteira")),
    ("trail", ("trail",)),
    ("run", ("run", "jog", "lauf", "hardlo", "course", "carrera", "correr", "corsa",
             "corrida")),
    ("walk", ("walk", "hik", "wander", "wandel", "spazier", "marche", "randonn", "camina",
              "sender", "cammin", "escursion", "caminha")),
)
# Words of other sports that contain a run or walk word ("Skilanglauf", "Eislaufen",
# "golf course", "bike ride and run"): checked first.
_OTHER_WORDS = ("cycl", "bik", "ride", "rad", "swim", "schwimm", "ski", "skat", "eislauf",
                "rollschuh", "inline", "golf", "row", "paddl", "kayak", "canoe", "sail",
                "snowboard", "driv", "motor", "climb", "velo", "fiets", "wielr", "zwem")
# What says nothing about the sport: the same as no type (OpenTracks writes "unknown", with
# its translation beside it in `opentracks:typeTranslated`, for a track whose type was never
# chosen: tests/data/samples/gpx; some watches write "generic").
_UNSAID = frozenset(("", "unknown", "generic", "unbekannt", "onbekend", "inconnu",
                     "desconocido", "sconosciuto", "desconhecido"))
# Strava's numeric `<type>` codes in the GPX files it writes ("Export GPX" and the bulk
# export's activities/*.gpx), as NathanBaulch/rainbow-roads (MIT) maps them in
# parse/gpx.go: 9 run, 53 virtual run, 10 walk, 4 hike; every other code is another sport.
STRAVA_TYPE_CODES = {
    1: "Cycling", 2: "AlpineSkiing", 3: "BackcountrySkiing", 4: "Hiking", 5: "IceSkating",
    6: "InlineSkating", 7: "CrossCountrySkiing", 8: "RollerSkiing", 9: "Running",
    10: "Walking", 11: "Workout", 12: "Snowboarding", 13: "Snowshoeing", 14: "Kitesurfing",
    15: "Windsurfing", 16: "Swimming", 17: "VirtualBiking", 18: "EBiking", 19: "Velomobile",
    21: "Paddling", 22: "Kayaking", 23: "Rowing", 24: "StandUpPaddling", 25: "Surfing",
    26: "Crossfit", 27: "Elliptical", 28: "RockClimbing", 29: "StairStepper",
    30: "WeightTraining", 31: "Yoga", 51: "Handcycling", 52: "Wheelchair",
    53: "VirtualRunning",
}
# A Runkeeper track is named "<Sport> <month>/<day>/<year> <time>" ("Running 4/13/20 6:58
# am", "Cycling 10/2/17 6:01 pm"), and has no <type>.
_RUNKEEPER_NAME = r"([^\d/]+?)\s+\d{1,2}/\d{1,2}/\d{2,4}\b"


def sport_kind(name: str | None) -> str | None:
    """The runlog kind a sport's name means ("Running", "trail_running", "Laufen"...), "" when
    the name says nothing (absent, "unknown"), None when it names another sport: a name
    runlog does not know is not taken for a run."""
    text = (name or "").strip().lower().replace("_", " ")
    if text in _UNSAID:
        return ""
    if text.isdigit():
        code = STRAVA_TYPE_CODES.get(int(text), "")
        return {"Running": "run", "VirtualRunning": "treadmill", "Walking": "walk",
                "Hiking": "walk"}.get(code)
    if any(word in text for word in _OTHER_WORDS):
        return None
    for kind, words in _KIND_WORDS:
        if any(word in text for word in words):
            return kind
    return None


def sport_name(name: str) -> str:
    """How the summary names another sport: Strava's code by its name ("Cycling"), any
    other name as the file writes it."""
    text = name.strip()
    if text.isdigit():
        return STRAVA_TYPE_CODES.get(int(text), f"Strava type {text}")
    return text


def kind_of(track_type: str | None, named_in: str | None = None) -> str | None:
    """The runlog kind of a GPX track from its `<type>`, else (no type) from the sport its
    name begins with (`named_in`, Runkeeper's); None when either names another sport. No
    sport said anywhere: a run."""
    kind = sport_kind(track_type)
    if kind == "" and named_in is not None:
        kind = sport_kind(named_in)
    return "run" if kind == "" else kind


def runkeeper_sport(track_name: str | None) -> str | None:
    """The sport at the start of a Runkeeper track name, or None for any other name."""
    import re

    match = re.fullmatch(_RUNKEEPER_NAME + r".*", (track_name or "").strip(), re.DOTALL)
    return match.group(1).strip() if match else None


# A day's track at one point a second is a few tens of MiB; more is not a run.
_LARGEST_FILE = 256 << 20


class _Refused(Exception):
    """The file asks the parser for something a GPX file never needs (a DTD, entities)."""


def _refuse(*_ignored) -> None:
    raise _Refused("it declares a DTD or entities, which GPX and TCX files never need")


# expat's errors that mean the text stopped before the document did (a cut download, a
# file still being written): said as such.
_ENDS_EARLY = frozenset(("XML_ERROR_NO_ELEMENTS", "XML_ERROR_UNCLOSED_TOKEN",
                         "XML_ERROR_PARTIAL_CHAR", "XML_ERROR_UNCLOSED_CDATA_SECTION"))


def _xml_problem(error, skipped_lines: int) -> str:
    """An expat error in a runner's words, with the line it is on."""
    from xml.parsers import expat

    line = (error.lineno or 1) + skipped_lines
    ends_early = {expat.errors.codes[getattr(expat.errors, name)] for name in _ENDS_EARLY}
    if error.code in ends_early:
        return f"not well-formed XML at line {line} (the file ends early?)"
    reason = expat.errors.messages.get(error.code, "a syntax error")
    return f"not well-formed XML at line {line} ({reason})"


PARSE_BLOCK = 16 << 20


def _tree(path: Path, skip: frozenset[str] = frozenset()):
    """The file's root element, parsed by expat alone with any DTD refused at its first
    byte: no entity (internal or external, so no billion laughs and no local file read
    through `SYSTEM "file://..."`) is ever declared, expanded or fetched, whichever XML
    library gpxpy would have picked (lxml before 5 resolves external entities). Tags in the
    root's namespace lose it, as gpxpy expects; comments and processing instructions are
    dropped, and so are elements named in `skip` (local names) with all they hold, so that
    what a reader never looks at (a TCX file's heart rates and positions) takes no memory.
    Blank space before the XML declaration (Strava's TCX files start with ten spaces) is
    passed over. Raises ValueError, in a runner's words, for text that is not XML."""
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
    skipping = [0]  # how deep inside a skipped element the parser is

    def name(expanded: str) -> str:
        namespace, separator, local = expanded.rpartition("}")
        if not separator:
            return expanded
        if not own_namespace:
            own_namespace.append(namespace)
        return local if namespace == own_namespace[0] else "{" + namespace + "}" + local

    def start(tag: str, attributes: dict) -> None:
        tag = name(tag)  # the element's own name first: it sets the root's namespace
        if skipping[0] or tag in skip:
            skipping[0] += 1
            return
        builder.start(tag, {name(key): value for key, value in attributes.items()})

    def end(tag: str) -> None:
        if skipping[0]:
            skipping[0] -= 1
            return
        builder.end(name(tag))

    def data(text: str) -> None:
        if not skipping[0]:
            builder.data(text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    skipped_lines = 0
    try:
        with open(path, "rb") as stream:
            head = stream.read(4096)
            if bom_encoding(head) == "utf-32":  # expat reads UTF-8 and UTF-16 only
                stream.seek(0)
                parser.Parse(stream.read().decode("utf-32"), True)
            else:
                # a UTF-8 mark may come first: expat reads UTF-8 without it as well
                blank = len(head) - len(head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n"))
                skipped_lines = head[:blank].count(b"\n")
                stream.seek(blank)
                # In large blocks: expat scans a token cut at a block's end again with each
                # block (ParseFile's 64 KiB ones made an 8 MiB attribute take half a minute).
                while block := stream.read(PARSE_BLOCK):
                    parser.Parse(block, False)
                parser.Parse(b"", True)
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-32 text ({error.reason})") from None
    except expat.ExpatError as error:
        raise ValueError(_xml_problem(error, skipped_lines)) from None
    return builder.close()


def _parse(path: Path):
    """The gpxpy document of the file, from `_tree` (what `gpxpy.parse` does after its own,
    unsafe, parsing), and how many points without coordinates each track had (track number
    -> count): those points are taken out first, as gpxpy refuses a whole file for one."""
    import gpxpy.gpx
    import gpxpy.gpxfield

    root = _tree(path)
    without_coordinates: dict[int, int] = {}
    for number, track in enumerate(root.iterfind("trk"), 1):
        for segment in track.iterfind("trkseg"):
            for point in segment.findall("trkpt"):
                if not _has_coordinates(point):
                    segment.remove(point)
                    without_coordinates[number] = without_coordinates.get(number, 0) + 1
    document = gpxpy.gpx.GPX()
    gpxpy.gpxfield.gpx_fields_from_xml(document, root, root.get("version"))
    return document, without_coordinates


def _has_coordinates(point) -> bool:
    try:
        return all(math.isfinite(float(point.get(name) or "nan")) for name in ("lat", "lon"))
    except ValueError:
        return False


def read_gpx(path: Path) -> Iterator[Record]:
    """Raises InputError at once when gpxpy is not installed."""
    require("gpxpy", "GPX")
    return _records(Path(path))


# The reasons a track is left out, one phrase each (the summary counts them).
WITHOUT_TIMES = "tracks without times"
PLACEHOLDER_DATES = "placeholder dates (1970-01-01, 1901)"
ZERO_LENGTH = "zero-length tracks"
# A track that spends a quarter of its time faster than 30 km/h is no run or walk, whatever
# its average (a car trip through town averages a runner's pace): the 10 km record is run
# at 23 km/h, and a GPS jump is one point, not a quarter of the time.
VEHICLE_KMH = 30.0
VEHICLE_SHARE = 0.25
VEHICLE = "tracks faster than anyone runs for a quarter of their time (a car or a bike?)"
WITHOUT_COORDINATES = "points without coordinates, skipped"
# A track shorter than this, or that never moved a metre, is a blip (a watch started and
# stopped at once), not a run.
SHORTEST_S = 10.0


def is_placeholder(moment: datetime) -> bool:
    """A time a device writes when it has none: the Unix epoch's day (1970-01-01) or the
    year 1901 and before (the signed 32-bit clock's floor, 1901-12-13T20:45:52Z)."""
    utc = moment.astimezone(timezone.utc) if moment.tzinfo else moment
    return utc.year <= 1901 or (utc.year, utc.month, utc.day) == (1970, 1, 1)


def _records(path: Path) -> Iterator[Record]:
    import gpxpy.gpx

    try:
        if path.stat().st_size > _LARGEST_FILE:
            yield Bad(0, f"the GPX file is larger than {_LARGEST_FILE >> 20} MiB")
            return
        document, without_coordinates = _parse(path)
    except _Refused as error:
        yield Bad(0, f"refused GPX file: {error}")
        return
    except (gpxpy.gpx.GPXException, ValueError, TypeError, ArithmeticError,
            RecursionError) as error:
        yield Bad(0, f"unreadable GPX file: {error}")
        return
    if not document.tracks:
        yield Bad(0, "the GPX file has no track (a route or waypoints only: a plan, "
                     "not a recorded activity)")
        return
    runkeeper = "runkeeper" in (document.creator or "").lower()
    for number, track in enumerate(document.tracks, 1):
        for _ in range(without_coordinates.get(number, 0)):
            yield Notice(number, WITHOUT_COORDINATES)
        try:
            yield _track_record(number, track, runkeeper)
        except (ValueError, TypeError, ArithmeticError, OverflowError) as error:
            yield Bad(number, f"track {number}: cannot read it ({error})")


def _track_record(number: int, track, runkeeper: bool) -> Record:
    """The record of one track: a Row, or why it is not one."""
    import gpxpy.geo

    named_in = runkeeper_sport(track.name) if runkeeper and sport_kind(track.type) == "" \
        else None
    kind = kind_of(track.type, named_in)
    if kind is None:
        return Skipped(number, sport_name(named_in or track.type))
    times = [_aware(point.time) for segment in track.segments for point in segment.points
             if point.time is not None]
    if not times:
        return LeftOut(number, WITHOUT_TIMES)
    times = [moment for moment in times if not is_placeholder(moment)]
    if not times:
        return LeftOut(number, PLACEHOLDER_DATES)
    start, end = min(times), max(times)
    # points a placeholder time puts nowhere in the run stay out of its distance too
    distance_m = sum(
        gpxpy.geo.length_2d([point for point in segment.points
                             if point.time is None or not is_placeholder(_aware(point.time))])
        for segment in track.segments)
    duration_s = (end - start).total_seconds()
    if duration_s < SHORTEST_S or distance_m < 1:
        return LeftOut(number, ZERO_LENGTH)
    if kind != "treadmill" and _driven(track):
        return LeftOut(number, VEHICLE)
    note = (track.description or track.name or "").strip() or None
    return activity(SOURCE, number, f"track {number}", None, start, kind,
                    positive(distance_m), positive(duration_s), note)


def _driven(track) -> bool:
    """Whether the track moved faster than VEHICLE_KMH for VEHICLE_SHARE of its time or
    more, from point to point."""
    fast = timed = 0.0
    for segment in track.segments:
        previous = None
        for point in segment.points:
            if point.time is None:
                continue
            if previous is not None:
                seconds = (_aware(point.time) - _aware(previous.time)).total_seconds()
                if seconds > 0:
                    timed += seconds
                    if point.distance_2d(previous) / seconds * 3.6 > VEHICLE_KMH:
                        fast += seconds
            previous = point
    return timed > 0 and fast >= VEHICLE_SHARE * timed


def _aware(moment: datetime) -> datetime:
    """GPX times are UTC; some writers drop the Z."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
