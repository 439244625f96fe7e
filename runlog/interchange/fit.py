"""FIT activity files: one record per `session` message, read by a small scanner of FIT's
published protocol (needs no library).

A watch archive holds thousands of FIT files, each mostly `record` messages (one a second);
runlog needs only the session summaries. Libraries decode every message (fitdecode about
0.1 ms each, 30 ms for a 25-minute run); this scanner reads each message's header and steps
over its bytes by the size its definition gives, decoding the sessions alone (a lap's or
record's distance only for a session without one). The layout it follows: FIT protocol
(file header, definition and data messages by local type, compressed timestamp headers,
developer fields, files chained one after another); CRCs are not checked.

A session gives start_time (UTC), total_distance (m), total_elapsed_time (s) and the sport:
running -> run (sub_sport trail -> trail; treadmill, indoor_running, virtual_activity ->
treadmill), walking/hiking -> walk, anything else Skipped with the sport's name. Sessions
with no distance take the sum of their laps' distances, or else their last record's. A start
before 2000 (a watch that never learnt the time writes the FIT epoch, 1989-12-31, or its
seconds since power-on) and a session under both 10 m and a minute (started and stopped)
are LeftOut. A file that ends early or is damaged after a session keeps the sessions read
(and says so in a Notice); before any, it is Bad. Messages never name a line (a FIT file
has none) nor an exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from runlog.interchange import Bad, LeftOut, Notice, Record, Row, Skipped
from runlog.interchange._common import ELAPSED_NOTICE, MAX_DURATION_S, TOO_LONG, activity, positive

SOURCE = "fit"
_TREADMILL = ("treadmill", "indoor_running", "virtual_activity")

# FIT profile enums (the `sport` and the running `sub_sport` values runlog tells apart), as
# Garmin's FIT SDK Profile.xlsx names them (the names fitdecode's profile.py carries).
SPORTS = {
    0: "generic", 1: "running", 2: "cycling", 3: "transition", 4: "fitness_equipment",
    5: "swimming", 6: "basketball", 7: "soccer", 8: "tennis", 9: "american_football",
    10: "training", 11: "walking", 12: "cross_country_skiing", 13: "alpine_skiing",
    14: "snowboarding", 15: "rowing", 16: "mountaineering", 17: "hiking", 18: "multisport",
    19: "paddling", 20: "flying", 21: "e_biking", 22: "motorcycling", 23: "boating",
    24: "driving", 25: "golf", 26: "hang_gliding", 27: "horseback_riding", 28: "hunting",
    29: "fishing", 30: "inline_skating", 31: "rock_climbing", 32: "sailing",
    33: "ice_skating", 34: "sky_diving", 35: "snowshoeing", 36: "snowmobiling",
    37: "stand_up_paddleboarding", 38: "surfing", 39: "wakeboarding", 40: "water_skiing",
    41: "kayaking", 42: "rafting", 43: "windsurfing", 44: "kitesurfing", 45: "tactical",
    46: "jumpmaster", 47: "boxing", 48: "floor_climbing", 49: "baseball", 53: "diving",
    62: "hiit", 64: "racket", 65: "wheelchair_push_walk", 66: "wheelchair_push_run",
    67: "meditation", 69: "disc_golf", 71: "cricket", 72: "rugby", 73: "hockey",
    74: "lacrosse", 75: "volleyball", 76: "water_tubing", 77: "wakesurfing",
    80: "mixed_martial_arts", 82: "snorkeling", 83: "dance", 84: "jump_rope", 254: "all",
}
SUB_SPORTS = {0: "generic", 1: "treadmill", 2: "street", 3: "trail", 4: "track",
              45: "indoor_running", 58: "virtual_activity"}

# Global message numbers and field numbers (FIT profile)
SESSION, LAP, RECORD = 18, 19, 20
TIMESTAMP = 253
# session and lap: start_time 2, total_elapsed_time 7 (ms), total_timer_time 8 (ms),
# total_distance 9 (cm); session: sport 5, sub_sport 6; record: distance 5 (cm)
# (field number -> its size in bytes: uint32 or an enum's one byte; another size is not
# the profile's field and is passed over)
_WANTED_FIELDS = {SESSION: {2: 4, 5: 1, 6: 1, 7: 4, 8: 4, 9: 4, TIMESTAMP: 4},
                  LAP: {2: 4, 9: 4, TIMESTAMP: 4}, RECORD: {5: 4, TIMESTAMP: 4}}
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=timezone.utc)
_FIRST_REAL_YEAR = 2000
LARGEST = 64 << 20  # bigger than any activity file: refused rather than read into memory

LEFT_PLACEHOLDER = "placeholder dates (1989-12-31, before 2000)"
LEFT_ZERO = "zero-length sessions (started and stopped)"
# the words strava.py uses for the same thing (a watch left running)
# A session shorter than both is a watch started and stopped again, not an activity
BLIP_M, BLIP_S = 10.0, 60.0
NOTICE_CUT = ("the file ends early or is damaged after its session summary: "
              "the sessions before were read")


class _Damage(Exception):
    """Why the scan stopped early: `message` in a runner's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
    return _records(Path(path))


def scan(data: bytes, wanted: tuple[int, ...] = (SESSION,)) -> tuple[list, str | None]:
    """The `wanted` messages of a FIT file's bytes, in order, as (global number, {field
    number: raw integer}) with invalid values left out, and why the scan stopped early (in
    a runner's words) or None. Timestamps of compressed headers are filled in as field 253.
    Bounded by the bytes: every step moves forward."""
    messages: list = []
    start, size = 0, len(data)
    try:
        while True:
            start = _scan_file(data, start, wanted, messages)
            # a chained file follows after this one's 2-byte CRC
            if size - start < 12 or data[start + 8:start + 12] != b".FIT":
                return messages, None
    except _Damage as damage:
        return messages, damage.message


def _scan_file(data: bytes, at: int, wanted: tuple[int, ...], messages: list) -> int:
    """Scan the FIT file that starts at byte `at`; return where the next one would start."""
    size = len(data)
    if size - at < 12 or data[at + 8:at + 12] != b".FIT" or data[at] < 12:
        raise _Damage("not a FIT file" if at == 0 else f"the file is damaged at byte {at}")
    header = data[at]
    pos = at + header
    end = pos + int.from_bytes(data[at + 4:at + 8], "little")
    truncated = end > size
    if truncated:
        end = size
    # local message type -> (global number, data size, wanted fields or None)
    defs: dict[int, tuple[int, int, tuple | None]] = {}
    last_time = None  # the latest timestamp, for compressed headers
    track_time = LAP in wanted or RECORD in wanted
    while pos < end:
        head = data[pos]
        if head & 0x80:  # compressed timestamp header: a data message
            definition = defs.get((head >> 5) & 3)
            compressed = head & 0x1F
        elif head & 0x40:  # a definition message
            pos = _definition(data, pos, end, head, defs, wanted)
            continue
        else:
            definition = defs.get(head & 0x0F)
            compressed = None
        if definition is None:
            raise _Damage(f"the file is damaged at byte {pos}")
        number, length, fields = definition
        if pos + 1 + length > end:
            raise _Damage("the file ends early (truncated)")
        if fields is not None:
            values = {}
            for field, offset, width, order, invalid in fields:
                value = int.from_bytes(data[pos + 1 + offset:pos + 1 + offset + width], order)
                if value != invalid:
                    values[field] = value
            if track_time:
                if TIMESTAMP in values:
                    last_time = values[TIMESTAMP]
                elif compressed is not None and last_time is not None:
                    low = last_time & 0x1F
                    last_time = (last_time - low + compressed
                                 + (0x20 if compressed < low else 0))
                    values[TIMESTAMP] = last_time
            messages.append((number, values))
        pos += 1 + length
    if truncated:
        raise _Damage("the file ends early (truncated)")
    return end + 2


def _definition(data: bytes, pos: int, end: int, head: int, defs: dict,
                wanted: tuple[int, ...]) -> int:
    """Read the definition message at `pos` into `defs`; return where the next message is."""
    if pos + 6 > end:
        raise _Damage("the file ends early (truncated)")
    arch = data[pos + 2]
    if arch > 1:
        raise _Damage(f"the file is damaged at byte {pos}")
    order = "big" if arch else "little"
    number = int.from_bytes(data[pos + 3:pos + 5], order)
    count = data[pos + 5]
    fields_at = pos + 6
    after = fields_at + 3 * count
    if after > end:
        raise _Damage("the file ends early (truncated)")
    developer = 0
    if head & 0x20:  # developer fields follow
        if after + 1 > end:
            raise _Damage("the file ends early (truncated)")
        developer = data[after]
        dev_at = after + 1
        after = dev_at + 3 * developer
        if after > end:
            raise _Damage("the file ends early (truncated)")
    want = _WANTED_FIELDS.get(number) if number in wanted else None
    length, fields = 0, []
    for at in range(fields_at, fields_at + 3 * count, 3):
        field, width = data[at], data[at + 1]
        if want is not None and want.get(field) == width:
            # unsigned integers, all ones when invalid (not recorded)
            fields.append((field, length, width, order, (1 << (8 * width)) - 1))
        length += width
    if developer:
        length += sum(data[at + 1] for at in range(dev_at, dev_at + 3 * developer, 3))
    defs[head & 0x0F] = (number, length, tuple(fields) if want is not None else None)
    return after


def _time(raw: int | None) -> datetime | None:
    """A FIT date_time (seconds since 1989-12-31 UTC); None when missing."""
    if raw is None:
        return None
    return FIT_EPOCH + timedelta(seconds=raw)


def _records(path: Path) -> Iterator[Record]:
    with open(path, "rb") as stream:
        data = stream.read(LARGEST + 1)
    if len(data) > LARGEST:
        yield Bad(0, f"too big for a FIT file (more than {LARGEST >> 20} MiB)")
        return
    messages, damage = scan(data)
    sessions = [values for number, values in messages if number == SESSION]
    if not sessions:
        if damage == "not a FIT file":
            yield Bad(0, damage)
        elif damage:
            yield Bad(0, f"{damage}, before any session summary")
        else:
            yield Bad(0, "no session summary in the FIT file")
        return
    laps_and_records = None
    for number, session in enumerate(sessions, 1):
        sport = session.get(5)
        sport_name = SPORTS.get(sport, f"sport {sport}") if sport is not None else None
        kind = kind_of(sport_name, SUB_SPORTS.get(session.get(6)))
        if kind is None:
            yield Skipped(number, sport_name or "unknown sport")
            continue
        elapsed, timer = session.get(7), session.get(8)
        timer_s = positive(timer / 1000 if timer is not None else None)
        duration_s = positive(elapsed / 1000) if elapsed is not None else timer_s
        raw_start, raw_end = session.get(2), session.get(TIMESTAMP)
        if session.get(9) is not None:
            distance_m = positive(session[9] / 100)
        else:
            if laps_and_records is None:
                laps_and_records = scan(data, (LAP, RECORD))[0]
            distance_m = positive(_distance_elsewhere(laps_and_records, raw_start, raw_end,
                                                      len(sessions) == 1))
        elapsed_notice = None
        if duration_s is not None and _impossible(distance_m, duration_s):
            # a watch left running: its timer (moving) time, when that one is possible
            if timer_s is not None and not _impossible(distance_m, timer_s):
                duration_s, elapsed_notice = timer_s, Notice(number, ELAPSED_NOTICE)
            elif duration_s > MAX_DURATION_S:  # one such session never refuses the file
                yield LeftOut(number, TOO_LONG)
                continue
        if raw_start is None:
            if raw_end is None or duration_s is None:
                yield Bad(0, f"session {number} has no start time")
                continue
            start = _time(raw_end) - timedelta(seconds=duration_s)
        else:
            start = _time(raw_start)
        if start.year < _FIRST_REAL_YEAR:
            yield LeftOut(number, LEFT_PLACEHOLDER)
            continue
        if (distance_m or 0) < BLIP_M and (duration_s or 0) < BLIP_S:
            yield LeftOut(number, LEFT_ZERO)
            continue
        record = activity(SOURCE, number, f"session {number}", None, start, kind, distance_m,
                          duration_s)
        if isinstance(record, Bad):
            record = Bad(0, record.message)  # "session 1: ...", never a line
        elif elapsed_notice is not None and isinstance(record, Row):
            yield elapsed_notice
        yield record
    if damage:
        yield Notice(0, NOTICE_CUT)


def _impossible(distance_m: float | None, duration_s: float) -> bool:
    """Whether an elapsed time is one no one takes: over runlog's 48 h, or slower than 1 km
    an hour for the distance (as for Strava's Elapsed Time)."""
    if duration_s > MAX_DURATION_S:
        return True
    if distance_m:
        from runlog.plausible import SLOWEST_S_PER_KM

        return duration_s / (distance_m / 1000) > SLOWEST_S_PER_KM
    return False


def _distance_elsewhere(messages: list, start: int | None, end: int | None,
                        only: bool) -> float | None:
    """A session's distance (m) from its laps (their sum) or else its last record: those
    between its start and end times (all of them when it is the file's only session)."""

    def within(values: dict) -> bool:
        if only:
            return True
        moment = values.get(TIMESTAMP, values.get(2))
        return (moment is not None and (start is None or moment >= start)
                and (end is None or moment <= end))

    laps = [values[9] for number, values in messages
            if number == LAP and 9 in values and within(values)]
    if laps:
        return sum(laps) / 100
    records = [values[5] for number, values in messages
               if number == RECORD and 5 in values and within(values)]
    return records[-1] / 100 if records else None
