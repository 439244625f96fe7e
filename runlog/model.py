"""Entries in canonical units (metres, seconds) and the one serializer every output uses."""

from __future__ import annotations

from dataclasses import dataclass, field

# Canonical units are metres and seconds; these are the other distances runners name.
METRES_PER_MILE = 1609.344
HALF_MARATHON_M = 21097.5
# The longest note, intention or "where it hurt", in characters: a journal's page many times
# over, and short enough that any export of it (NDJSON spells a control character in six)
# stays under the longest line an import reads (64 MiB).
MAX_TEXT = 1 << 20
MARATHON_M = 42195.0

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
# Keys an export may add after ENTRY_KEYS, in this order and each only when it applies
# (SPEC §5: new keys go at the end): `deleted_at` when it includes the trash, `valences`
# (each custom emotion an entry names -> its valence) when the log has custom emotions.
EXPORT_EXTRA_KEYS = ("deleted_at", "valences")


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


# What rest days and check-ins can't hold (SPEC §3, §5): no distance or time, and their
# mood is the day's (mood_after), never a mood before a run.
ACTIVITY_ONLY_FIELDS = ("distance_m", "duration_s", "mood_before")


def held_beyond_kind(entry: Entry) -> tuple[str, ...]:
    """The fields of `entry` that its kind can't hold (ACTIVITY_ONLY_FIELDS of a rest day
    or check-in that has them), in that order; () for an activity. The one rule `edit` and
    imports keep."""
    if entry.kind in ACTIVITY_KINDS:
        return ()
    return tuple(name for name in ACTIVITY_ONLY_FIELDS if getattr(entry, name) is not None)


_FIELDS = tuple(Entry.__dataclass_fields__)
# Filling a frozen dataclass sets each field through object.__setattr__: for a million rows
# read from a file or the database, that is a third of the time. `trusted_entry` fills the
# instance's __dict__ in one step instead, which is the same object only while Entry is a
# plain frozen dataclass without __post_init__ or slots; otherwise it uses the constructor.
_FAST_PATH = not hasattr(Entry, "__post_init__") and not hasattr(Entry, "__slots__")


def trusted_entry(values: dict) -> Entry:
    """Entry(**values) for values already checked, given for every field."""
    if not _FAST_PATH or len(values) != len(_FIELDS):
        return Entry(**values)
    entry = object.__new__(Entry)
    object.__setattr__(entry, "__dict__", values)
    return entry


def _number(value: float | None) -> float | int | None:
    """Rounded to millimetres / milliseconds, and whole numbers as ints (`1800`, not
    `1800.0`)."""
    if value is None:
        return None
    whole = int(value)
    if value == whole:  # most durations: no rounding needed
        return whole
    value = round(value, 6)
    return int(value) if value == int(value) else value


# The Entry fields the serializer reads, in the order `fields_to_row` takes them. The store
# streams exports in this order (`Store.iter_fields`), so they never build an Entry.
SERIALIZED_FIELDS = ("id", "uuid", "date", "kind", "distance_m", "duration_s", "mood_before",
                     "mood_after", "emotions", "cried", "effort", "pain", "where", "intention",
                     "note", "tags")


def fields_to_row(id, uuid, date, kind, distance_m, duration_s, mood_before, mood_after,
                  emotions, cried, effort, pain, where, intention, note, tags, *_) -> list:
    """The one serializer: an entry's values in ENTRY_KEYS order. `emotions` and `tags` are
    placed as given (tuples from an Entry; joined text in a CSV export). JSON output
    (`entry_to_dict`), CSV rows and exports all come from here. Extra values are ignored."""
    distance_km = _number(distance_m / 1000) if distance_m is not None else None
    duration_s = _number(duration_s)
    # Pace from the shown (rounded) figures, so export -> import -> export is identical.
    pace = round(duration_s / distance_km, 3) if distance_km and duration_s else None
    lift = mood_after - mood_before if mood_before is not None and mood_after is not None else None
    return [id, uuid, date, kind, distance_km, duration_s, pace, mood_before, mood_after, lift,
            emotions, cried, effort, pain, where, intention, note, tags]


def entry_to_row(entry: Entry) -> list:
    """`fields_to_row` of an Entry (emotions and tags as tuples)."""
    return fields_to_row(entry.id, entry.uuid, entry.date, entry.kind, entry.distance_m,
                         entry.duration_s, entry.mood_before, entry.mood_after, entry.emotions,
                         entry.cried, entry.effort, entry.pain, entry.where, entry.intention,
                         entry.note, entry.tags)


def entry_to_dict(entry: Entry) -> dict:
    """An entry as JSON scripts see it (SPEC §5): absent values are None, never missing."""
    data = dict(zip(ENTRY_KEYS, entry_to_row(entry)))
    data["emotions"], data["tags"] = list(entry.emotions), list(entry.tags)
    return data
