"""What a human can run: the one rule `add`, `edit` and `import` share.

A pace faster than the world record for the distance is impossible, and so is moving slower
than 1 km an hour. The records (World Athletics, men's road and track bests, as of 2026) are
interpolated between the listed distances by the power law through both neighbours (and
beyond the last with Riegel's formula, T2 = T1 × (D2/D1)^1.06), so the limit grows with the
distance; a margin of 10 % is allowed for a mismeasured course or a GPS watch that cut
corners.
A walk is held to the race walking records instead (World Athletics race walk records and
bests), so 20 km in an hour is a bus ride, not a walk; every other activity kind (run,
run-walk, trail, treadmill, race) to the running ones.

"Surprising" is a pace within a third of the world record (elite territory), slower than
30 minutes a kilometre, or a distance given alone farther than the 24-hour record: worth a
question on a terminal, kept from a script. `add --force` and `edit --force` keep even an
impossible value; no milestone is ever announced from one (runlog.logbook).
"""

from __future__ import annotations

# (metres, seconds): 100 m, 200 m, 400 m, 800 m, 1000 m, 1500 m, mile, 3000 m, 5 km, 10 km,
# half, marathon, 100 km, 24 hours. Every track distance a runner may type is listed, since
# Riegel's exponent is made for endurance distances and stretches a sprint record too far.
WORLD_RECORDS = (
    (100.0, 9.58),
    (200.0, 19.19),
    (400.0, 43.03),
    (800.0, 100.91),
    (1000.0, 131.96),
    (1500.0, 206.0),
    (1609.344, 223.13),
    (3000.0, 437.55),
    (5000.0, 755.36),
    (10000.0, 1571.0),
    (21097.5, 3402.0),
    (42195.0, 7235.0),
    (100000.0, 21935.0),
    (319614.0, 86400.0),
)
# (metres, seconds): mile, 20 km, 35 km, 50 km race walking.
WALK_RECORDS = (
    (1609.344, 331.0),
    (20000.0, 4596.0),
    (35000.0, 8460.0),
    (50000.0, 12753.0),
)
WALK_KINDS = frozenset({"walk"})
MARGIN = 0.10
SURPRISING_WITHIN = 1 / 3
SLOWEST_S_PER_KM = 3600.0  # 1 km/h: slower is no run or walk but a watch left running
SURPRISING_SLOW_S_PER_KM = 1800.0


def records_for(kind: str | None) -> tuple[tuple[float, float], ...]:
    """The records a `kind` of activity is held to: walking ones for a walk, else running."""
    return WALK_RECORDS if kind in WALK_KINDS else WORLD_RECORDS


def record_time(distance_m: float, kind: str | None = "run") -> float:
    """The world record time for `distance_m`: between two record distances, the power law
    through both (so the limit grows with the distance and meets each record exactly);
    beyond the first or last, Riegel's formula from it (T2 = T1 × (D2/D1)^1.06)."""
    points = records_for(kind)
    if distance_m <= points[0][0]:
        base_m, base_s = points[0]
        return base_s * (distance_m / base_m) ** 1.06
    if distance_m >= points[-1][0]:
        base_m, base_s = points[-1]
        return base_s * (distance_m / base_m) ** 1.06
    import math

    for (low_m, low_s), (high_m, high_s) in zip(points, points[1:]):
        if low_m <= distance_m < high_m:
            exponent = math.log(high_s / low_s) / math.log(high_m / low_m)
            return low_s * (distance_m / low_m) ** exponent
    raise AssertionError("unreachable: the records are sorted")


def surely_possible(kind: str | None = "run",
                    farthest_m: float = 1_000_000.0) -> tuple[float, float]:
    """(fastest, slowest) pace in seconds a metre that `impossible` never refuses for this
    kind at any distance up to `farthest_m`: a quick test that spares most rows the full
    rule. Between two records the record pace moves steadily from one to the other (a power
    law), and past the last it slows (Riegel), so the slowest record pace is at a record
    distance or at `farthest_m`."""
    points = records_for(kind)
    paces = [seconds / metres for metres, seconds in points if metres <= farthest_m]
    slowest_record = max([record_time(farthest_m, kind) / farthest_m, *paces])
    return slowest_record * (1 - MARGIN) * 1.001, SLOWEST_S_PER_KM / 1000 * 0.999


def impossible(distance_m: float | None, duration_s: float | None,
               kind: str | None = "run") -> str | None:
    """Why no human could have done this, or None. Needs both a distance and a time. A
    walk (`kind`) is held to the race walking records, any other activity to running's."""
    if not distance_m or not duration_s:
        return None
    record = record_time(distance_m, kind)
    if duration_s < record * (1 - MARGIN):
        which = "race walking world record" if kind in WALK_KINDS else "world record"
        return (f"{_what(distance_m, duration_s)} is more than 10 % faster than the {which} "
                f"for the distance ({_pace(record, distance_m)})")
    if duration_s / (distance_m / 1000) > SLOWEST_S_PER_KM:
        return (f"{_what(distance_m, duration_s)} is slower than 1 km an hour: a watch left "
                "running, or hours typed for minutes?")
    return None


def surprising(distance_m: float | None, duration_s: float | None,
               kind: str | None = "run") -> str | None:
    """Why this is worth a second look (but possible), or None. A distance given alone is
    surprising past the 24-hour world record: possible over days, seldom one entry. A walk
    (`kind`) is compared with the race walking records."""
    if distance_m and not duration_s and distance_m > WORLD_RECORDS[-1][0]:
        return (f"{_km(distance_m)} is farther than anyone has run in 24 hours "
                f"({_km(WORLD_RECORDS[-1][0])})")
    if not distance_m or not duration_s or impossible(distance_m, duration_s, kind):
        return None
    record = record_time(distance_m, kind)
    if duration_s < record * (1 + SURPRISING_WITHIN):
        which = "race walking world record" if kind in WALK_KINDS else "world record"
        return (f"{_what(distance_m, duration_s)} is close to the {which} for the "
                f"distance ({_pace(record, distance_m)})")
    if duration_s / (distance_m / 1000) > SURPRISING_SLOW_S_PER_KM:
        return f"{_what(distance_m, duration_s)} is slower than 30 minutes a kilometre"
    return None


def _what(distance_m: float, duration_s: float) -> str:
    """`5.00 km in 2:30 (0:30 /km)`: what was read, so a typo shows itself."""
    return f"{_km(distance_m)} in {_clock(duration_s)} ({_pace(duration_s, distance_m)})"


def _km(distance_m: float) -> str:
    return f"{distance_m / 1000:.2f} km"


def _clock(seconds: float) -> str:
    """h:mm:ss or m:ss, as runlog shows times; under a second, `0.5 s`."""
    if seconds < 1:
        return f"{seconds:.2g} s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _pace(duration_s: float, distance_m: float) -> str:
    return f"{_clock(duration_s / (distance_m / 1000))} /km"
