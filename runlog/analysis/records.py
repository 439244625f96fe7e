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
- Round distances: only the largest threshold crossed is reported; a 10.2 km run after a
  4 km best says "First time past 10 km", not also 5 km.
- Best pace: only the largest bracket the run sets a new best in is reported, so a fast 10 km
  is one line, not three. Pace needs both distance and duration.
- Round distances are kilometre round numbers whatever the display units.
- A run no human could have run (`plausible.impossible`, by its kind: a walk against the
  race walking records) reaches nothing and is no record: kept with --force, or back from
  runlog's own export, it is left out of `previous` (the store's `possible_sql`) as here.
"""

from __future__ import annotations

from collections.abc import Iterable

from runlog.errors import InputError
from runlog.model import HALF_MARATHON_M, MARATHON_M, METRES_PER_MILE, Entry
from runlog.plausible import impossible


# First time past each of these (metres), with how the label names it.
ROUND_DISTANCES_M: tuple[tuple[float, str], ...] = (
    (1000.0, "1 km"),
    (2000.0, "2 km"),
    (3000.0, "3 km"),
    (5000.0, "5 km"),
    (10000.0, "10 km"),
    (15000.0, "15 km"),
    (HALF_MARATHON_M, "a half marathon"),
    (30000.0, "30 km"),
    (MARATHON_M, "a marathon"),
)

# Best pace is kept per bracket: runs of at least this many metres (SPEC §4 `stats`).
PACE_BRACKETS_M: dict[str, float] = {
    "1k": 1000.0,
    "5k": 5000.0,
    "10k": 10000.0,
    "half": HALF_MARATHON_M,
}
PACE_BRACKET_NAMES = {
    "1k": "1 km or more",
    "5k": "5 km or more",
    "10k": "10 km or more",
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


def describe_milestone(milestone: dict, units: str = "km") -> str:
    """A short warm one-liner for a milestone dict, rebuilt from its numeric fields so it
    can be shown in the runner's units. Falls back to the stored label."""
    kind = milestone.get("kind")
    distance_m = milestone.get("distance_m")
    if kind == "first_run":
        if distance_m:
            return f"Your first run: {format_distance(distance_m, units)}"
        return "Your first run"
    if kind == "longest_run" and distance_m:
        return f"Longest run yet: {format_distance(distance_m, units)}"
    if kind == "round_distance" and milestone.get("threshold_m") is not None:
        for threshold_m, name in ROUND_DISTANCES_M:
            if threshold_m == milestone["threshold_m"]:
                return f"First time past {name}"
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


def _milestone(entry: Entry, kind: str, **figures) -> dict:
    milestone = {"kind": kind, "entry_id": entry.id, "day": entry.day, **figures}
    milestone["label"] = describe_milestone(milestone)
    return milestone


def new_milestones(entry: Entry, previous: dict) -> list[dict]:
    """The milestones `entry` reaches against the records in `previous` (see module doc).

    Each is `{"kind", "label", "entry_id", "day", "distance_m", ...}` plus, by kind,
    `previous_m` (longest_run), `threshold_m` (round_distance), or `bracket`,
    `pace_s_per_km`, `previous_pace_s_per_km` (best_pace). Labels are in km; use
    `describe_milestone(m, units)` to show them in miles. Rest days, check-ins and
    deleted entries reach nothing.
    """
    if not entry.is_activity or entry.deleted_at is not None or _impossible(entry):
        return []
    distance_m = entry.distance_m or None
    if not _has_earlier_runs(previous):
        return [_milestone(entry, "first_run", distance_m=distance_m)]

    milestones = []
    if distance_m:
        longest_m = previous.get("longest_m")
        if distance_m > (longest_m or 0):
            milestones.append(
                _milestone(entry, "longest_run", distance_m=distance_m, previous_m=longest_m)
            )
        max_m = previous["max_m"] if "max_m" in previous else longest_m
        crossed = [t for t, _ in ROUND_DISTANCES_M if (max_m or 0) < t <= distance_m]
        if crossed:
            milestones.append(
                _milestone(entry, "round_distance", distance_m=distance_m, threshold_m=crossed[-1])
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
    """The `previous` dict for a log holding `entries` (deleted ones, rest/check-in entries
    and runs no human could have run ignored). The store computes the same in SQL; this is
    the reference."""
    runs = [entry for entry in entries
            if entry.is_activity and entry.deleted_at is None and not _impossible(entry)]
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
