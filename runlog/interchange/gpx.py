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
    positive,
    require,
    utc_key,
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


def read_gpx(path: Path) -> Iterator[Record]:
    """Raises InputError at once when gpxpy is not installed."""
    require("gpxpy", "GPX")
    return _records(Path(path))


def _records(path: Path) -> Iterator[Record]:
    import gpxpy
    import gpxpy.gpx

    try:
        with open(path, "rb") as stream:
            document = gpxpy.parse(stream)
    except gpxpy.gpx.GPXException as error:
        yield Bad(0, f"unreadable GPX file: {error}")
        return
    except (UnicodeDecodeError, ValueError) as error:
        yield Bad(0, f"unreadable GPX file: {error}")
        return
    timed = 0
    for number, track in enumerate(document.tracks, 1):
        bounds = track.get_time_bounds()
        if bounds.start_time is None or bounds.end_time is None:
            continue
        timed += 1
        kind = kind_of(track.type)
        if kind is None:
            yield Skipped(number, track.type.strip())
            continue
        start = bounds.start_time
        if start.tzinfo is None:  # GPX says UTC; some writers drop the Z
            start = start.replace(tzinfo=timezone.utc)
            end = bounds.end_time.replace(tzinfo=timezone.utc)
        else:
            end = bounds.end_time
        distance_m = positive(track.length_2d())
        duration_s = positive((end - start).total_seconds())
        note = (track.description or track.name or "").strip() or None
        yield activity(SOURCE, number, f"track {number}",
                       f"{utc_key(start)}:{round(distance_m or 0)}", start, kind, distance_m,
                       duration_s, note)
    if not timed:
        yield Bad(0, "no timed track points in the GPX file")
