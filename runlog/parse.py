"""Turn what the runner typed into values in canonical units, or raise InputError.

Pure functions: no printing, no I/O, no database. This module is imported by every
`runlog add`, so only cheap stdlib modules load at the top; `difflib` and `dateutil` are
imported inside the fallback branches that need them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone

from runlog.errors import InputError
from runlog.model import HALF_MARATHON_M, MARATHON_M, METRES_PER_MILE
from runlog.vocab import ADJECTIVES, emotion_key

METRES_PER_KM = 1000.0
MAX_DISTANCE_M = 1000 * METRES_PER_KM
MAX_DURATION_S = 48 * 3600.0
# Less than these is no entry the log can hold faithfully: an export rounds a distance to
# millimetres (0.0004 m would read back as 0, which import refuses) and a time to
# microseconds; nobody logs a run shorter than a metre or a second.
MIN_DISTANCE_M = 1.0
MIN_DURATION_S = 1.0
OLDEST_DAY = date(1900, 1, 1)

# ASCII digits only: `\d` would also match other scripts' digits, and "nan"/"inf" can never
# match, so float() below only ever sees plain decimals.
class _Lazy:
    """A regular expression compiled on first use: a `runlog add` needs three of the
    seven below, and compiling costs start-up time on every run."""

    def __init__(self, pattern: str, flags: int = 0):
        self._pattern, self._flags, self._compiled = pattern, flags, None

    def fullmatch(self, text: str):
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled.fullmatch(text)


_NUMBER = r"[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+"

# --- numbers ---------------------------------------------------------------------------


def _to_float(number: str, text: str, what: str) -> float:
    """A decimal point or a decimal comma; a comma before exactly three digits is refused
    because "1,500" could mean 1.5 or 1500 and guessing wrong stores a value 1000x off."""
    if re.fullmatch(r"[0-9]+,[0-9]{3}", number):
        whole, fraction = number.split(",")
        raise InputError(
            f"{what} '{_shown(text)}' is ambiguous",
            hint=f"write {whole}.{fraction.rstrip('0') or '0'} or {whole}{fraction}",
        )
    return float(number.replace(",", "."))


def _normalise(text: str) -> str:
    """Lower-case with runs of whitespace collapsed, so patterns need only match one space."""
    return " ".join(str(text).split()).lower()


def _shown(text: object) -> str:
    """The user's text as quoted back in a message: one line, and not too long to read."""
    words = " ".join(str(text).split())
    return words if len(words) <= 60 else words[:57] + "..."


def _or_list(words: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c' — for messages and hints."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


# --- distance --------------------------------------------------------------------------

_DISTANCE_UNITS_M = {
    "k": METRES_PER_KM,
    "km": METRES_PER_KM,
    "kms": METRES_PER_KM,
    "kilometre": METRES_PER_KM,
    "kilometres": METRES_PER_KM,
    "kilometer": METRES_PER_KM,
    "kilometers": METRES_PER_KM,
    "mi": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
    "miles": METRES_PER_MILE,
    "m": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "meter": 1.0,
    "meters": 1.0,
}
_BARE_NUMBER_UNITS_M = {"km": METRES_PER_KM, "mi": METRES_PER_MILE}
_RACE_DISTANCES_M = {
    "half": HALF_MARATHON_M,
    "half marathon": HALF_MARATHON_M,
    "half-marathon": HALF_MARATHON_M,
    "halfmarathon": HALF_MARATHON_M,
    "marathon": MARATHON_M,
}
_DISTANCE = _Lazy(rf"(?P<sign>[-+]?) ?(?P<number>{_NUMBER}) ?(?P<unit>[a-z]*)")
_DISTANCE_HINT = "try 5k, 3.1mi, 800m, half or marathon"


def parse_distance(text: str, units: str = "km") -> float:
    """Metres from `5k`, `5 km`, `3.1mi`, `3.1 miles`, `800m`, `1500 metres`, `half`,
    `marathon`, or a bare number (`5`, `5.5`, `5,5`) in `units` ("km" or "mi")."""
    if units not in _BARE_NUMBER_UNITS_M:
        raise ValueError(f"units must be 'km' or 'mi', not {units!r}")
    words = _normalise(text)
    if words in _RACE_DISTANCES_M:
        return _RACE_DISTANCES_M[words]
    match = _DISTANCE.fullmatch(words)
    if match is None or (match["unit"] and match["unit"] not in _DISTANCE_UNITS_M):
        raise InputError(f"can't read distance '{_shown(text)}'", hint=_DISTANCE_HINT)
    unit_m = _DISTANCE_UNITS_M[match["unit"]] if match["unit"] else _BARE_NUMBER_UNITS_M[units]
    distance_m = _to_float(match["number"], text, "distance") * unit_m
    if match["sign"] == "-" or distance_m <= 0:
        raise InputError(f"distance must be more than 0, not '{_shown(text)}'")
    if distance_m < MIN_DISTANCE_M:
        raise InputError(f"distance must be at least 1 m, not '{_shown(text)}'")
    if distance_m > MAX_DISTANCE_M:
        raise InputError(f"distance must be at most 1000 km, not '{_shown(text)}'")
    return distance_m


# --- duration --------------------------------------------------------------------------

# Fields after a colon are exactly two digits, so "28:3" is refused rather than guessed.
_CLOCK = _Lazy(
    r"(?:(?P<hours>[0-9]+):(?P<minutes>[0-9]{2})|(?P<only_minutes>[0-9]+))"
    r":(?P<seconds>[0-9]{2}(?:[.,][0-9]+)?)"
)
# The minutes unit may be left off ("45", "1h30"), but then no seconds may follow: "5 30s"
# is more likely a typo than five and a half minutes. The lookahead stops "90s" being read
# as 9 minutes and 0 seconds.
_UNITS = _Lazy(
    rf"(?:(?P<hours>{_NUMBER}) ?(?:h|hr|hrs|hour|hours) ?)?"
    rf"(?:(?P<minutes>{_NUMBER})(?![0-9.,]) ?(?P<minutes_unit>m|min|mins|minute|minutes)? ?)?"
    rf"(?:(?P<seconds>{_NUMBER}) ?(?:s|sec|secs|second|seconds))?"
)
# A bare number with exactly two digits after the point is a stopwatch's minutes.seconds.
_MM_SS = _Lazy(r"(?P<minutes>[0-9]*)[.,](?P<seconds>[0-9]{2})")
_DURATION_HINT = "try 28:30, 1:02:03, 45m, 1h5m or 90s"


def parse_duration(text: str) -> float:
    """Seconds from `28:30` (mm:ss), `1:02:03` (h:mm:ss), `45m`, `45 min`, `1h`, `1h5m`,
    `1h05m30s`, `1 h 5 m`, `90s`, `1.5h`, or `1h30` (minutes after hours need no unit).

    A bare number is minutes: `45` means 45 minutes, the way runners say it, and `45.5`
    is 45 and a half. But exactly two digits after the point are seconds, as a stopwatch
    shows them: `25.30` (or `25,30`) is 25:30, and `25.75` is refused (seconds under 60);
    with a unit (`25.75min`) the number is decimal minutes again.
    """
    words = _normalise(text)
    duration_s = _mm_ss_seconds(words, text)
    if duration_s is None:
        duration_s = _clock_seconds(words, text)
    if duration_s is None:
        duration_s = _unit_seconds(words, text)
    if duration_s <= 0:
        raise InputError(f"duration must be more than 0, not '{_shown(text)}'")
    if duration_s < MIN_DURATION_S:
        raise InputError(f"duration must be at least 1 second, not '{_shown(text)}'")
    if duration_s > MAX_DURATION_S:
        raise InputError(f"duration must be at most 48 hours, not '{_shown(text)}'")
    return duration_s


def _mm_ss_seconds(words: str, text: str) -> float | None:
    """`25.30` as 25:30, or None when the text is no number with two digits after the point."""
    match = _MM_SS.fullmatch(words)
    if match is None:
        return None
    seconds = int(match["seconds"])
    if seconds >= 60:
        raise InputError(
            f"can't read duration '{_shown(text)}': two digits after the point are seconds "
            "and must be under 60",
            hint=f"for decimal minutes write {words}min; for minutes and seconds use a colon, "
                 "as in 25:30",
        )
    return float(match["minutes"] or 0) * 60 + seconds


_METRES_OR_MINUTES = _Lazy(rf"(?P<number>{_NUMBER}) ?m")
METRES_FROM = 200  # `add 200m` is 200 metres; `add 199m` is 199 minutes


def positional_leaning(text: str) -> str | None:
    """How `runlog add`'s positional words take a value that reads both as a distance and
    as a time (a distance option or a time option says which itself):

    - "duration" for a number under 200 with `m` (`45m`, `90 m`: minutes; a run that short
      in metres is no run anyone logs), "distance" for 200 and up (`400m`, `800m`);
    - "mm.ss" for a bare number with exactly two digits after the point (`25.30`, `5.02`),
      which could be a watch's distance or a stopwatch's minutes and seconds;
    - None for anything else: a bare number is a distance in the runner's units.
    """
    words = _normalise(text)
    match = _METRES_OR_MINUTES.fullmatch(words)
    if match is not None:
        number = float(match["number"].replace(",", "."))
        return "duration" if number < METRES_FROM else "distance"
    if _MM_SS.fullmatch(words) is not None and int(words[-2:]) < 60:
        return "mm.ss"
    return None


def _clock_seconds(words: str, text: str) -> float | None:
    """`mm:ss` or `h:mm:ss`, or None when the text has no such shape."""
    match = _CLOCK.fullmatch(words)
    if match is None:
        return None
    # float(), not int(): int() refuses strings of thousands of digits, float() gives inf,
    # which the 48-hour limit then refuses with a proper message.
    seconds = _to_float(match["seconds"], text, "duration")
    minutes = float(match["minutes"] or match["only_minutes"])
    hours = float(match["hours"] or 0)
    if seconds >= 60 or (match["hours"] and minutes >= 60):
        raise InputError(
            f"can't read duration '{_shown(text)}': minutes and seconds after a colon "
            "must be under 60",
            hint=_DURATION_HINT,
        )
    return hours * 3600 + minutes * 60 + seconds


def _unit_seconds(words: str, text: str) -> float:
    """`1h5m30s` and its spellings; a number without a unit counts as minutes."""
    match = _UNITS.fullmatch(words)
    if (
        match is None
        or not any(match.groupdict().values())
        or (match["minutes"] and not match["minutes_unit"] and match["seconds"])
    ):
        raise InputError(f"can't read duration '{_shown(text)}'", hint=_DURATION_HINT)
    hours, minutes, seconds = (
        _to_float(match[name], text, "duration") if match[name] else 0.0
        for name in ("hours", "minutes", "seconds")
    )
    return hours * 3600 + minutes * 60 + seconds


# --- when ------------------------------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ISO_DATE = _Lazy(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = _Lazy(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}.*", re.IGNORECASE)
_RELATIVE_DAY = _Lazy(
    r"(?:(?P<keyword>today|yesterday)"
    r"|(?P<count>[0-9]+|an?) (?P<unit>days?|weeks?) ago"
    r"|(?:(?P<last>last) )?(?P<weekday>[a-z]+))"
    r"(?:,? (?:at )?(?P<time>.+))?"
)
_TIME_OF_DAY = _Lazy(
    r"(?P<hour>[0-9]{1,2})(?::(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?)?"
    r" ?(?P<meridiem>am|pm|a\.m\.|p\.m\.)?"
)
# What a runner types for a day still to come: refused as in the future, not as unreadable.
_FUTURE = _Lazy(
    r"(?:tomorrow|(?:the )?day after tomorrow|next [a-z]+"
    r"|in (?:[0-9]+|an?|a few|a couple of) (?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
    r"|(?:[0-9]+|an?) (?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) from now)"
    r"(?:,? .*)?"
)
_WHEN_HINT = (
    "try today, yesterday, 3 days ago, fri, last friday, 2026-11-20, "
    "2026-11-20T07:30 or Nov 20 7am"
)


def parse_when(text: str, now: datetime, dayfirst: bool = False) -> str:
    """ISO 8601 text for when something happened, as of `now` (an aware local datetime).

    Returns `YYYY-MM-DD` when only a day was given, else `YYYY-MM-DDTHH:MM:SS+HH:MM` in
    local time with the UTC offset in force at that moment (so July is +02:00 and December
    +01:00 in Amsterdam). Input with its own offset or `Z` keeps its instant, shown locally.

    Accepts `now`, `today`, `yesterday`, `N days ago`, `a week ago`, `N weeks ago`, weekday
    names (`fri`, `friday`) and `last friday`, each optionally followed by a time
    (`yesterday 7am`, `fri 18:30`); ISO dates and datetimes; and, as a fallback, whatever
    dateutil reads (`Nov 20 7am`, `20/11/2026` with `dayfirst`).

    A weekday name, with or without `last`, means the most recent such day, today
    included: on a Saturday both `sat` and `last saturday` mean today.

    Raises InputError for text it can't read, for anything later than `now`, and for
    days before 1900.
    """
    now = now.astimezone()
    words = _normalise(text)
    if words == "now":
        return now.replace(microsecond=0).isoformat()
    if _ISO_DATE.fullmatch(words):
        return _checked_day(_iso(date.fromisoformat, words, text), text, now)
    if _ISO_DATETIME.fullmatch(words):
        return _checked_moment(_iso(datetime.fromisoformat, words.upper(), text), text, now)
    if _FUTURE.fullmatch(words):
        raise _in_the_future(text)
    relative = _relative_when(words, now.date())
    if relative is not None:
        day, time_of_day = relative
        if time_of_day is None:
            return _checked_day(day, text, now)
        return _checked_moment(datetime.combine(day, time_of_day), text, now)
    return _when_by_dateutil(text, now, dayfirst)


def _iso(from_iso: Callable[[str], date], iso_text: str, text: str):
    try:
        return from_iso(iso_text)
    except ValueError:
        raise InputError(
            f"can't read date '{_shown(text)}'",
            hint="ISO dates look like 2026-11-20 or 2026-11-20T07:30, optionally +01:00 or Z",
        ) from None


def _relative_when(words: str, today: date) -> tuple[date, time | None] | None:
    """(day, time of day or None) for `today`, `3 days ago 7am`, `last fri` and the like;
    None when the words aren't one of these, so the caller can try dateutil instead."""
    match = _RELATIVE_DAY.fullmatch(words)
    if match is None:
        return None
    time_of_day = None
    if match["time"] is not None:
        time_of_day = _time_of_day(match["time"])
        if time_of_day is None:
            return None  # e.g. "fri nov 20": not ours, but dateutil reads it
    if match["keyword"] is not None:
        days = 1 if match["keyword"] == "yesterday" else 0
        return today - timedelta(days=days), time_of_day
    if match["count"] is not None:
        count = "1" if match["count"] in ("a", "an") else match["count"]
        per_unit = 7 if match["unit"].startswith("week") else 1
        return _days_before(today, count, per_unit, words), time_of_day
    weekday = _weekday_number(match["weekday"])
    if weekday is None:
        return None
    return today - timedelta(days=(today.weekday() - weekday) % 7), time_of_day


def _days_before(today: date, count: str, per_unit: int, words: str) -> date:
    # Past a million days it is before 1900 anyway, and int() of a huge string is slow.
    if len(count) > 7:
        raise _before_1900(words)
    try:
        return today - timedelta(days=int(count) * per_unit)
    except OverflowError:  # before year 1
        raise _before_1900(words) from None


def _weekday_number(word: str) -> int | None:
    """0 for Monday ... 6 for Sunday; any prefix of three letters or more (`fri`, `thurs`)."""
    if len(word) < 3:
        return None
    for number, name in enumerate(_WEEKDAYS):
        if name.startswith(word):
            return number
    return None


def _time_of_day(words: str) -> time | None:
    """A time of day from `7am`, `7:30 pm`, `18:30`, `18:30:15`; None if it isn't one.

    A bare hour (`7`) is refused: it is too easily a day of the month.
    """
    match = _TIME_OF_DAY.fullmatch(words)
    if match is None or (match["minute"] is None and match["meridiem"] is None):
        return None
    hour, minute, second = (int(match[name] or 0) for name in ("hour", "minute", "second"))
    if match["meridiem"] is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["meridiem"].startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _in_the_future(text: str) -> InputError:
    return InputError(f"'{_shown(text)}' is in the future", hint="log what already happened")


def _before_1900(text: str) -> InputError:
    return InputError(f"'{_shown(text)}' is before 1900", hint="check the year")


def _checked_day(day: date, text: str, now: datetime) -> str:
    if day > now.date():
        raise _in_the_future(text)
    if day < OLDEST_DAY:
        raise _before_1900(text)
    return day.isoformat()


def _checked_moment(moment: datetime, text: str, now: datetime) -> str:
    """Local ISO text for a naive (local wall clock) or aware datetime, if it is in range."""
    # Dates are checked before astimezone(), which can overflow near years 1 and 9999.
    if moment.tzinfo is None:
        _checked_day(moment.date(), text, now)
        moment = _local_wall_clock(moment)
    elif moment.year < OLDEST_DAY.year:
        raise _before_1900(text)
    if moment > now:
        raise _in_the_future(text)
    local = moment.astimezone()
    offset = local.utcoffset()
    if offset.seconds % 60:
        # Local mean time before the 1930s had offsets like +00:19:32; stored dates carry
        # +HH:MM, so keep the instant and express it at the nearest whole-minute offset.
        from datetime import timedelta, timezone

        minutes = round(offset.total_seconds() / 60)
        local = local.astimezone(timezone(timedelta(minutes=minutes)))
    _checked_day(local.date(), text, now)  # an offset can carry 1900-01-01 back to 1899
    return local.replace(microsecond=0).isoformat()


def _local_wall_clock(wall: datetime) -> datetime:
    """The aware local datetime for a naive wall-clock time, with the UTC offset in force
    then (so DST is right for that day, not today).

    A time skipped when the clocks go forward (02:30 on the March change) is read with the
    offset from before the change, so it lands just after it (03:30), as PEP 495 reads a
    missing time; a repeated time in October is the first of the two.
    """
    moment = wall.astimezone()
    if moment.replace(tzinfo=None) == wall:
        return moment
    # No change of offset comes within six hours of another.
    offset_before = (wall - timedelta(hours=6)).astimezone().utcoffset()
    return (wall - offset_before).replace(tzinfo=timezone.utc).astimezone()


def _when_by_dateutil(text: str, now: datetime, dayfirst: bool) -> str:
    """The fallback for free-form dates. Parsing twice with defaults an hour apart shows
    whether the text named a time of day: if not, the two results differ in the hour."""
    import warnings

    from dateutil import parser as dateutil_parser

    midnight = datetime(now.year, now.month, now.day)
    try:
        with warnings.catch_warnings():
            # An unknown zone name ("EST") is only a warning in dateutil; dropping the zone
            # silently would store the wrong time, so refuse the text instead.
            warnings.simplefilter("error")
            parsed = dateutil_parser.parse(text, dayfirst=dayfirst, default=midnight)
            probe = dateutil_parser.parse(
                text, dayfirst=dayfirst, default=midnight.replace(hour=1)
            )
        parsed.utcoffset()  # dateutil builds offsets like -30 h that datetime refuses to use
    except (ValueError, ArithmeticError, Warning):  # dateutil also leaks decimal errors
        raise _unread_date(text, midnight, dayfirst) from None
    if parsed.hour != probe.hour:
        return _checked_day(parsed.date(), text, now)
    return _checked_moment(parsed, text, now)


def _unread_date(text: str, midnight: datetime, dayfirst: bool) -> InputError:
    """Unreadable, and when the other order of day and month reads it (`20/11` month
    first), the hint says how to set that order; an ambiguous `3/4` reads as set."""
    import warnings

    from dateutil import parser as dateutil_parser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            other = dateutil_parser.parse(text, dayfirst=not dayfirst, default=midnight)
        other.utcoffset()
    except (ValueError, ArithmeticError, Warning):
        return InputError(f"can't read date '{_shown(text)}'", hint=_WHEN_HINT)
    order, setting = ("day first", "true") if not dayfirst else ("month first", "false")
    return InputError(
        f"can't read date '{_shown(text)}' {'month' if not dayfirst else 'day'} first",
        hint=f"to write dates {order}: runlog config set dayfirst {setting}; "
             f"or write {other.date().isoformat()}",
    )


# --- mood, emotions, tags --------------------------------------------------------------

_MOOD_WORDS = {
    "awful": 1,
    "bad": 2,
    "okay": 3,
    "ok": 3,
    "meh": 3,
    "good": 4,
    "great": 5,
    "rad": 5,
}


def parse_mood(text: str) -> int:
    """1-5, or a word: 1 awful, 2 bad, 3 okay/ok/meh, 4 good, 5 great/rad."""
    words = _normalise(text)
    if words in _MOOD_WORDS:
        return _MOOD_WORDS[words]
    if words in ("1", "2", "3", "4", "5"):
        return int(words)
    raise InputError(
        f"mood must be 1 to 5 or a word, not '{_shown(text)}'",
        hint="1 awful, 2 bad, 3 okay/meh, 4 good, 5 great/rad",
    )


def parse_emotions(values: Iterable[str], vocabulary: Mapping[str, str]) -> tuple[str, ...]:
    """Canonical emotion names from repeated and/or comma-separated `--felt` values.

    Names match `vocabulary` (name -> valence) case-insensitively, as do the adjective
    forms in runlog.vocab.ADJECTIVES whose name is in the vocabulary (`relieved` -> relief).
    Duplicates are dropped, first-seen order kept; empty items are ignored.
    """
    known = _emotion_lookup(vocabulary)
    emotions: dict[str, None] = {}  # an ordered set
    for item in _comma_items(values):
        name = known.get(emotion_key(_normalise(item)))
        if name is None:
            raise InputError(f"unknown emotion '{_shown(item)}'", hint=_emotion_hint(item, known, vocabulary))
        emotions[name] = None
    return tuple(emotions)


def _emotion_lookup(vocabulary: Mapping[str, str]) -> dict[str, str]:
    """Every accepted spelling (lower-cased name or adjective) -> canonical name."""
    known = {emotion_key(_normalise(name)): name for name in vocabulary}
    for adjective, name in ADJECTIVES.items():
        canonical = known.get(name)
        if canonical is not None:
            known.setdefault(adjective, canonical)
    return known


def _emotion_hint(item: str, known: Mapping[str, str], vocabulary: Mapping[str, str]) -> str:
    from .vocab import unknown_emotion_hint

    return unknown_emotion_hint(_normalise(item), known, vocabulary)


def _comma_items(values: Iterable[str]) -> list[str]:
    """The non-empty, trimmed items of each value split at commas."""
    if isinstance(values, str):  # one value passed bare rather than in a list
        values = [values]
    return [item.strip() for value in values for item in str(value).split(",") if item.strip()]


MAX_TAG_LENGTH = 40


def parse_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Tags from repeated and/or comma-separated values: trimmed, lower-cased, de-duplicated
    in first-seen order. Blank items between commas are skipped, but a value that is only
    whitespace is an error. Inner whitespace becomes a hyphen (`long run` -> `long-run`) so
    that a tag is always one word to filter on."""
    if isinstance(values, str):
        values = [values]
    values = [str(value) for value in values]
    for value in values:
        if value and not value.strip():
            raise InputError("a tag can't be blank", hint="leave --tag out, or give it a word")
    tags: dict[str, None] = {}
    for item in _comma_items(values):
        tag = "-".join(item.lower().split())
        if any(char < " " or "\x7f" <= char <= "\x9f" for char in tag):
            raise InputError(f"tag '{_shown(item)}' holds a control character",
                             hint="use letters, digits and punctuation")
        if len(tag) > MAX_TAG_LENGTH:
            raise InputError(
                f"tag '{_shown(item)[:20]}...' is longer than {MAX_TAG_LENGTH} characters",
                hint="use a short word; write longer thoughts in --note",
            )
        tags[tag] = None
    return tuple(tags)


# --- small values: ranges, choices, booleans -------------------------------------------


def parse_int_range(text: str | int, name: str, low: int, high: int) -> int:
    """A whole number from `low` to `high` inclusive, e.g. effort 1-10 or pain 0-10."""
    if isinstance(text, bool):  # bool is an int subclass, but True is no effort level
        text = str(text)
    if isinstance(text, int):
        number = text
    else:
        words = str(text).strip()
        # A length cap: int() of thousands of digits raises, and no range is that wide.
        number = int(words) if re.fullmatch(r"[-+]?[0-9]{1,18}", words) else None
    if number is None or not low <= number <= high:
        raise InputError(
            f"{name} must be a whole number from {low} to {high}, not '{_shown(text)}'"
        )
    return number


def parse_choice(text: str, name: str, choices: Sequence[str]) -> str:
    """One of `choices`, matched case-insensitively; returns the choice as spelled there."""
    wanted = _normalise(text)
    for choice in choices:
        if choice.lower() == wanted:
            return choice
    raise InputError(f"{name} must be {_or_list(choices)}, not '{_shown(text)}'")


_BOOLEANS = {
    "true": True,
    "yes": True,
    "on": True,
    "1": True,
    "false": False,
    "no": False,
    "off": False,
    "0": False,
}


def parse_bool(text: str, name: str) -> bool:
    """true/false, yes/no, on/off or 1/0, case-insensitively."""
    words = _normalise(text)
    if words not in _BOOLEANS:
        raise InputError(
            f"{name} must be true or false, not '{_shown(text)}'",
            hint="yes/no, on/off and 1/0 work too",
        )
    return _BOOLEANS[words]
