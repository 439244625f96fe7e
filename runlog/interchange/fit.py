"""FIT activity files through fitdecode (the `formats` extra): one record per `session`.

A session gives start_time (UTC), total_distance (m), total_elapsed_time (s) and the sport:
running -> run (sub_sport trail -> trail; treadmill, indoor_running, virtual_activity ->
treadmill), walking/hiking -> walk, anything else Skipped with the sport's name.
Files broken partway through (the Strava Android app writes some) keep every session read
before the damage; damage before any session makes the file Bad (line 0). CRC checks are off
and fitdecode's own error handling is silent: this module never prints or warns.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from runlog.interchange import Bad, Record, Skipped
from runlog.interchange._common import (
    activity,
    positive,
    require,
)

SOURCE = "fit"
_TREADMILL = ("treadmill", "indoor_running", "virtual_activity")


def kind_of(sport: object, sub_sport: object) -> str | None:
    sport, sub_sport = str(sport or "").lower(), str(sub_sport or "").lower()
    if sport == "running":
        if sub_sport == "trail":
            return "trail"
        if sub_sport in _TREADMILL:
            return "treadmill"
        return "run"
    if sport in ("walking", "hiking"):
        return "walk"
    return None


def read_fit(path: Path) -> Iterator[Record]:
    """Raises InputError at once when fitdecode is not installed."""
    require("fitdecode", "FIT")
    return _records(Path(path))


def _sessions(path: Path) -> tuple[list[dict], str | None]:
    """The session messages' fields, and the error that ended reading early (if any)."""
    import fitdecode

    sessions: list[dict] = []
    try:
        with fitdecode.FitReader(
            str(path),
            check_crc=fitdecode.CrcCheck.DISABLED,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                    sessions.append({field.name: field.value for field in frame.fields})
    except Exception as error:  # noqa: BLE001 - a damaged binary may break the parser anywhere
        return sessions, f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return sessions, None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _records(path: Path) -> Iterator[Record]:
    sessions, damage = _sessions(path)
    if not sessions:
        if damage:
            yield Bad(0, f"unreadable FIT file: {damage}")
        else:
            yield Bad(0, "no session summary in the FIT file")
        return
    for number, session in enumerate(sessions, 1):
        kind = kind_of(session.get("sport"), session.get("sub_sport"))
        if kind is None:
            yield Skipped(number, str(session.get("sport") or "unknown sport"))
            continue
        duration_s = _number(session.get("total_elapsed_time"))
        if duration_s is None:
            duration_s = _number(session.get("total_timer_time"))
        distance_m = positive(_number(session.get("total_distance")))
        duration_s = positive(duration_s)
        start = session.get("start_time")
        if not isinstance(start, datetime):
            end = session.get("timestamp")
            if not isinstance(end, datetime) or duration_s is None:
                yield Bad(number, f"session {number}: no start time")
                continue
            try:
                start = end - timedelta(seconds=duration_s)
            except (OverflowError, ValueError):
                yield Bad(number, f"session {number}: no usable start time")
                continue
        yield activity(SOURCE, number, f"session {number}", None, start, kind, distance_m,
                       duration_s)
