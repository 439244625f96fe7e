"""Milestones a just-logged run reaches: longest run yet, first time past a round distance,
best pace on runs of at least 1 km / 5 km / 10 km / a half marathon.

`previous` describes the log before this run, in canonical units:

    {"longest_m": float | None,      # longest earlier run
     "max_m": float | None,          # furthest earlier run; defaults to longest_m if absent
     "best_pace": {"1k": s_per_km | None, "5k": ..., "10k": ..., "half": ...},
     "runs": int}                    # optional: how many earlier runs there were

Choices (README material):
- The very first run gets one milestone, kind `first_run` ("Your first run: 3.20 km"), and
  nothing else: against an empty log every record would be trivially "new".
- "Earlier runs exist" is `previous["runs"] > 0` when given, else inferred from any record
  in `previous` being set. An earlier run with no distance (time only) still counts, so the
  first run *with* a distance after it is the longest yet.
- A missing earlier record (None) after earlier runs counts as zero / no best: the first
  run of ≥ 5 km is the best 5 km+ pace so far and is reported.
- Records are runs' (RECORD_KINDS: run, run-walk, trail, treadmill, race). A walk (kind
  `walk`, also imported walks and hikes) reaches no milestone and is no record: a 12 km walk
  is not the longest run, nor the first time past 10K, nor a best pace, and it is not an
  earlier run in `previous` (the store leaves walks out of records, streaks and milestone
  history too). A first walk is not "your first run" either.
- Round distances: only the largest threshold crossed is reported; a 10.2 km run after a
  4 km best says "First time past 10K", not also 5K.
- Best pace: only the largest bracket the run sets a new best in is reported, so a fast 10 km
  is one line, not three. Pace needs both distance and duration.
- Race distances are named as runners name races, whatever the units: 5K, 10K, a half
  marathon, a marathon ("First time past 10K", "Best pace for 5K or more"; the shortest
  pace bracket is 1K). Everything else follows the units: round distances are 1, 2, 3, 15
  and 30 km in kilometres, and 1, 2, 3, 5, 10 and 20 mi in miles (ROUND_DISTANCES), with
  the race distances among them in both; longest runs and paces read in the units.
  `new_milestones(..., units)` finds the thresholds of the runner's units; a milestone
  keeps the furthest earlier distance (`previous_max_m`), so `describe_milestone` names the
  largest threshold of the units it is shown in.
- A run no human could have run (`plausible.impossible`, by its kind: a walk against the
  race walking records) reaches nothing and is no record: kept with --force, or back from
  runlog's own export, it is left out of `previous` (the store's `possible_sql`) as here.
"""

from __future__ import annotations

from collections.abc import Iterable

from runlog.errors import InputError
from runlog.model import ACTIVITY_KINDS, HALF_MARATHON_M, MARATHON_M, METRES_PER_MILE, Entry
from runlog.plausible import WALK_KINDS, impossible

# The kinds whose entries are runs for records, streaks and milestones: not walks.
RECORD_KINDS: tuple[str, ...] = tuple(kind for kind in ACTIVITY_KINDS if kind not in WALK_KINDS)

# Race distances, named as runners name races in any units.
RACE_NAMES: dict[float, str] = {
    5000.0: "5K",
    10000.0: "10K",
    HALF_MARATHON_M: "a half marathon",
    MARATHON_M: "a marathon",
}


# First time past each of these (metres), with how the label names it.
ROUND_DISTANCES_M: tuple[tuple[float, str], ...] = (
    (1000.0, "1 km"),
    (2000.0, "2 km"),
    (3000.0, "3 km"),
    (5000.0, "5K"),
    (10000.0, "10K"),
    (15000.0, "15 km"),
    (HALF_MARATHON_M, "a half marathon"),
    (30000.0, "30 km"),
    (MARATHON_M, "a marathon"),
)
ROUND_DISTANCES_MI_M: tuple[tuple[float, str], ...] = (
    (METRES_PER_MILE, "1 mi"),
    (2 * METRES_PER_MILE, "2 mi"),
    (3 * METRES_PER_MILE, "3 mi"),
    (5000.0, "5K"),
    (5 * METRES_PER_MILE, "5 mi"),
    (10000.0, "10K"),
    (10 * METRES_PER_MILE, "10 mi"),
    (HALF_MARATHON_M, "a half marathon"),
    (20 * METRES_PER_MILE, "20 mi"),
    (MARATHON_M, "a marathon"),
)
ROUND_DISTANCES: dict[str, tuple[tuple[float, str], ...]] = {
    "km": ROUND_DISTANCES_M, "mi": ROUND_DISTANCES_MI_M}

# Best pace is kept per bracket: runs of at least this many metres (SPEC §4 `stats`).
PACE_BRACKETS_M: dict[str, float] = {
    "1k": 1000.0,
    "5k": 5000.0,
    "10k": 10000.0,
    "half": HALF_MARATHON_M,
}
PACE_BRACKET_NAMES = {
    "1k": "1K or more",
    "5k": "5K or more",
    "10k": "10K or more",
    "half": "a half marathon or more",
}

MILESTONE_KINDS = ("first_run", "longest_run", "round_distance", "best_pace")


def _metres_per_unit(units: str) -> float:
    if units == "km":
        return 1000.0
    if units == "mi":
        return METRES_PER_MILE
    raise InputError(f"unknown units {units!r}", hint="use km or mi")


def format_distance(distance_m: float, units: str = "km") -> str:
    """`12.00 km` / `7.46 mi`."""
    return f"{distance_m / _metres_per_unit(units):.2f} {units}"


def format_pace(pace_s_per_km: float, units: str = "km") -> str:
    """`5:12 /km` / `8:22 /mi`, to the nearest second."""
    seconds = round(pace_s_per_km * _metres_per_unit(units) / 1000)
    return f"{seconds // 60}:{seconds % 60:02d} /{units}"


def _round_distances(units: str) -> tuple[tuple[float, str], ...]:
    _metres_per_unit(units)  # refuses unknown units
    return ROUND_DISTANCES[units]


def round_distance_name(threshold_m: float, units: str = "km") -> str:
    """How a round distance reads: a race by its name (`5K`, `a half marathon`), another
    by the round number it is in the units that have it (`15 km`, `10 mi`)."""
    if threshold_m in RACE_NAMES:
        return RACE_NAMES[threshold_m]
    for table in (_round_distances(units), *ROUND_DISTANCES.values()):
        for metres, name in table:
            if metres == threshold_m:
                return name
    return format_distance(threshold_m, units)


def describe_milestone(milestone: dict, units: str = "km") -> str:
    """A short warm one-liner for a milestone dict, rebuilt from its numeric fields so it
    can be shown in the runner's units. Falls back to the stored label.

    A round distance is the largest threshold of `units` between the furthest earlier
    distance (`previous_max_m`) and this one; one found in the other units (a milestone
    from before `previous_max_m` was kept, or found in kilometres and shown in miles) that
    has no such threshold keeps its own name (`First time past 15 km`)."""
    kind = milestone.get("kind")
    distance_m = milestone.get("distance_m")
    if kind == "first_run":
        if distance_m:
            return f"Your first run: {format_distance(distance_m, units)}"
        return "Your first run"
    if kind == "longest_run" and distance_m:
        return f"Longest run yet: {format_distance(distance_m, units)}"
    if kind == "round_distance" and milestone.get("threshold_m") is not None:
        if "previous_max_m" in milestone and distance_m:
            crossed = [name for metres, name in _round_distances(units)
                       if (milestone["previous_max_m"] or 0) < metres <= distance_m]
            if crossed:
                return f"First time past {crossed[-1]}"
        return f"First time past {round_distance_name(milestone['threshold_m'], units)}"
    if kind == "best_pace" and milestone.get("pace_s_per_km") and milestone.get("bracket"):
        bracket = PACE_BRACKET_NAMES.get(milestone["bracket"], milestone["bracket"])
        return f"Best pace for {bracket}: {format_pace(milestone['pace_s_per_km'], units)}"
    return str(milestone.get("label", ""))


def _has_earlier_runs(previous: dict) -> bool:
    if previous.get("runs") is not None:
        return previous["runs"] > 0
    best_paces = previous.get("best_pace") or {}
    return (
        previous.get("longest_m") is not None
        or previous.get("max_m") is not None
        or any(pace is not None for pace in best_paces.values())
    )


def _milestone(entry: Entry, kind: str, units: str = "km", **figures) -> dict:
    milestone = {"kind": kind, "entry_id": entry.id, "day": entry.day, **figures}
    milestone["label"] = describe_milestone(milestone, units)
    return milestone


def counts_for_records(entry: Entry) -> bool:
    """Whether `entry` is a run that can set a record or reach a milestone: a live run of a
    record kind (not a walk, rest day or check-in) that some human could have run."""
    return (entry.kind in RECORD_KINDS and entry.deleted_at is None
            and not _impossible(entry))


def new_milestones(entry: Entry, previous: dict, units: str = "km") -> list[dict]:
    """The milestones `entry` reaches against the records in `previous` (see module doc).

    Each is `{"kind", "label", "entry_id", "day", "distance_m", ...}` plus, by kind,
    `previous_m` (longest_run), `threshold_m` (round_distance), or `bracket`,
    `pace_s_per_km`, `previous_pace_s_per_km` (best_pace). Round distances are those of
    `units` ("km" or "mi"), and so are the labels; `describe_milestone(m, units)` shows
    them in other units. Walks, rest days, check-ins and deleted entries reach nothing.
    """
    thresholds = _round_distances(units)
    if not counts_for_records(entry):
        return []
    distance_m = entry.distance_m or None
    if not _has_earlier_runs(previous):
        return [_milestone(entry, "first_run", units, distance_m=distance_m)]

    milestones = []
    if distance_m:
        longest_m = previous.get("longest_m")
        if distance_m > (longest_m or 0):
            milestones.append(
                _milestone(entry, "longest_run", units, distance_m=distance_m,
                           previous_m=longest_m)
            )
        max_m = previous["max_m"] if "max_m" in previous else longest_m
        crossed = [t for t, _ in thresholds if (max_m or 0) < t <= distance_m]
        if crossed:
            milestones.append(
                _milestone(entry, "round_distance", units, distance_m=distance_m,
                           threshold_m=crossed[-1], previous_max_m=max_m)
            )

    pace = entry.pace_s_per_km
    if pace is not None:
        best_paces = previous.get("best_pace") or {}
        # Largest bracket first: the most demanding record the run sets is the one worth saying.
        for bracket, threshold_m in reversed(PACE_BRACKETS_M.items()):
            if distance_m < threshold_m:
                continue
            best = best_paces.get(bracket)
            if best is None or pace < best:
                milestones.append(
                    _milestone(
                        entry,
                        "best_pace",
                        units,
                        distance_m=distance_m,
                        bracket=bracket,
                        pace_s_per_km=pace,
                        previous_pace_s_per_km=best,
                    )
                )
                break
    return milestones


def _impossible(entry: Entry) -> bool:
    return impossible(entry.distance_m, entry.duration_s, entry.kind) is not None


def personal_records(entries: Iterable[Entry]) -> dict:
    """The `previous` dict for a log holding `entries` (deleted ones, walks, rest/check-in
    entries and runs no human could have run ignored). The store computes the same in SQL;
    this is the reference."""
    runs = [entry for entry in entries if counts_for_records(entry)]
    distances = [entry.distance_m for entry in runs if entry.distance_m]
    best_pace: dict[str, float | None] = {}
    for bracket, threshold_m in PACE_BRACKETS_M.items():
        paces = [
            entry.pace_s_per_km
            for entry in runs
            if entry.pace_s_per_km is not None and entry.distance_m >= threshold_m
        ]
        best_pace[bracket] = min(paces) if paces else None
    longest_m = max(distances) if distances else None
    return {"runs": len(runs), "longest_m": longest_m, "max_m": longest_m, "best_pace": best_pace}
