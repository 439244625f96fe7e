"""Training Center XML (TCX) activity files, as Garmin Connect, Polar Flow, Runtastic (adidas
Running) and Strava export them: one record per activity, in the file's order.

An activity's start is its `<Id>` (else its first lap's StartTime); its distance the sum of
its laps' DistanceMeters (else the last trackpoint's running DistanceMeters); its duration
the sum of its laps' TotalTimeSeconds (else last trackpoint time - first). `Sport="Running"`
(or no Sport, as with GPX) is a run, a walking or hiking name a walk; "Biking", "Other" (the
word Garmin Connect writes for every sport TCX has no name for: walks, paddling, skiing and
swims alike, so none of them is taken for a run) and any other name are Skipped with it.
A multisport session is split into its parts, each its own record (the transitions between
them are no activity). An activity with no start
time anywhere, or only a placeholder one, is left out and said, like a GPX track without
times; a file with no activity at all (a course, a workout plan) is Bad. Parsed by
`gpx._tree` (expat, any DTD or entity refused), without the heart rates, positions and
extensions the reader never looks at, so a day-long file stays a few MiB in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from runlog.interchange import Bad, LeftOut, Record, Skipped
from runlog.interchange._common import RECORD_ERRORS, activity, positive

SOURCE = "tcx"

# Larger than any day-long activity at one point a second (about 50 MiB of TCX).
_LARGEST_FILE = 128 << 20
# What a trackpoint or lap holds that the reader never reads: not built into the tree.
_UNREAD = frozenset(("Position", "AltitudeMeters", "HeartRateBpm", "Cadence", "SensorState",
                     "Extensions", "AverageHeartRateBpm", "MaximumHeartRateBpm",
                     "MaximumSpeed", "Calories", "Creator", "Author", "Training"))

WITHOUT_START = "activities without a start time"
ZERO_LENGTH = "zero-length activities"


def read_tcx(path: Path) -> Iterator[Record]:
    return _records(Path(path))


def _records(path: Path) -> Iterator[Record]:
    from runlog.interchange.gpx import _Refused, _tree

    try:
        if path.stat().st_size > _LARGEST_FILE:
            yield Bad(0, f"the TCX file is larger than {_LARGEST_FILE >> 20} MiB")
            return
        root = _tree(path, skip=_UNREAD)
    except _Refused as error:
        yield Bad(0, f"refused TCX file: {error}")
        return
    except (ValueError, RecursionError) as error:
        yield Bad(0, f"unreadable TCX file: {error}")
        return
    if _local(root.tag) != "TrainingCenterDatabase":
        yield Bad(0, f"not a TCX file (it is XML whose root is <{_local(root.tag)}>)")
        return
    activities = list(_activities(root))
    if not activities:
        yield Bad(0, "the TCX file holds no activity (a course or a workout plan, not a "
                     "recorded activity)")
        return
    for number, element in enumerate(activities, 1):
        try:
            yield _activity_record(number, element)
        except RECORD_ERRORS as error:
            yield Bad(number, f"activity {number}: cannot read it ({error})")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _activities(root):
    """Every Activity of the file in order, a multisport session's parts in theirs (its
    FirstSport, then each NextSport's, the transitions between them left aside)."""
    for holder in root.iterfind("Activities"):
        for child in holder:
            tag = _local(child.tag)
            if tag == "Activity":
                yield child
            elif tag == "MultiSportSession":
                for part in child:
                    if _local(part.tag) in ("FirstSport", "NextSport"):
                        yield from part.iterfind("Activity")


def _activity_record(number: int, element) -> Record:
    from runlog.interchange.gpx import SHORTEST_S, PLACEHOLDER_DATES, is_placeholder, sport_kind

    sport = (element.get("Sport") or "").strip()
    kind = sport_kind(sport)
    if kind is None:  # "Biking", "Other" and any name runlog does not know
        return Skipped(number, sport)
    laps = element.findall("Lap")
    points = [point for lap in laps for track in lap.iterfind("Track")
              for point in track.iterfind("Trackpoint")]
    start = _time(element.findtext("Id"))
    if start is None:
        start = next((moment for lap in laps if (moment := _time(lap.get("StartTime")))),
                     None)
    if start is None:
        return LeftOut(number, WITHOUT_START)
    if is_placeholder(start):
        return LeftOut(number, PLACEHOLDER_DATES)
    lap_distances = [float(text) for lap in laps
                     if (text := (lap.findtext("DistanceMeters") or "").strip())]
    if lap_distances:
        distance_m = sum(lap_distances)
    else:  # no lap says it: the running distance the last trackpoint reached
        running = [float(text) for point in points
                   if (text := (point.findtext("DistanceMeters") or "").strip())]
        distance_m = max(running, default=0.0)
    lap_times = [float(text) for lap in laps
                 if (text := (lap.findtext("TotalTimeSeconds") or "").strip())]
    if lap_times:
        duration_s = sum(lap_times)
    else:
        times = [moment for point in points if (moment := _time(point.findtext("Time")))]
        duration_s = (max(times) - min(times)).total_seconds() if times else 0.0
    if duration_s < SHORTEST_S:  # a watch started and stopped at once (a treadmill run
        return LeftOut(number, ZERO_LENGTH)  # without a distance is kept, on its time)
    note = (element.findtext("Notes") or "").strip() or None
    return activity(SOURCE, number, f"activity {number}", None, start, kind or "run",
                    positive(distance_m), positive(duration_s), note)


def _time(text: str | None) -> datetime | None:
    """A TCX time (xsd:dateTime, UTC with a Z, some writers with an offset or none), or
    None when absent or not a time."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
