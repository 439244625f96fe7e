"""Entries in canonical units (metres, seconds) and the one serializer every output uses."""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIVITY_KINDS = ("run", "walk", "run-walk", "trail", "treadmill", "race")
KINDS = ACTIVITY_KINDS + ("rest", "checkin")
CRIED = ("during", "after", "both")

# The keys of an entry in JSON and the columns of CSV, in this order (SPEC §5).
ENTRY_KEYS = (
    "id",
    "uuid",
    "date",
    "kind",
    "distance_km",
    "duration_s",
    "pace_s_per_km",
    "mood_before",
    "mood_after",
    "mood_lift",
    "emotions",
    "cried",
    "effort",
    "pain",
    "where",
    "intention",
    "note",
    "tags",
)


@dataclass(frozen=True)
class Entry:
    """One logged activity, rest day or check-in.

    `date` is ISO 8601 text: `YYYY-MM-DD` for an entry logged by day alone, else
    `YYYY-MM-DDTHH:MM:SS+HH:MM` in local time with its UTC offset.
    """

    uuid: str
    date: str
    kind: str = "run"
    distance_m: float | None = None
    duration_s: float | None = None
    mood_before: int | None = None
    mood_after: int | None = None
    emotions: tuple[str, ...] = ()
    cried: str | None = None
    effort: int | None = None
    pain: int | None = None
    where: str | None = None
    intention: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    id: int | None = None
    deleted_at: str | None = None
    source: str | None = field(default=None, compare=False)

    @property
    def is_activity(self) -> bool:
        return self.kind in ACTIVITY_KINDS

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def has_time(self) -> bool:
        return len(self.date) > 10

    @property
    def distance_km(self) -> float | None:
        return None if self.distance_m is None else self.distance_m / 1000

    @property
    def pace_s_per_km(self) -> float | None:
        if not self.distance_m or not self.duration_s:
            return None
        return self.duration_s / (self.distance_m / 1000)

    @property
    def mood_lift(self) -> int | None:
        if self.mood_before is None or self.mood_after is None:
            return None
        return self.mood_after - self.mood_before


def _number(value: float | None) -> float | int | None:
    """Whole numbers as ints, others rounded to millimetres / milliseconds."""
    if value is None:
        return None
    value = round(float(value), 6)
    return int(value) if value.is_integer() else value


def entry_to_dict(entry: Entry) -> dict:
    """The one serializer: JSON output, CSV rows and exports all come from here."""
    distance_km = _number(entry.distance_km)
    duration_s = _number(entry.duration_s)
    # Pace from the shown (rounded) figures, so export -> import -> export is identical.
    pace = round(duration_s / distance_km, 3) if distance_km and duration_s else None
    return {
        "id": entry.id,
        "uuid": entry.uuid,
        "date": entry.date,
        "kind": entry.kind,
        "distance_km": distance_km,
        "duration_s": duration_s,
        "pace_s_per_km": pace,
        "mood_before": entry.mood_before,
        "mood_after": entry.mood_after,
        "mood_lift": entry.mood_lift,
        "emotions": list(entry.emotions),
        "cried": entry.cried,
        "effort": entry.effort,
        "pain": entry.pain,
        "where": entry.where,
        "intention": entry.intention,
        "note": entry.note,
        "tags": list(entry.tags),
    }
