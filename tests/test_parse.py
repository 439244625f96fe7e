"""Tables of what the runner may type, and properties every parser keeps."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runlog.errors import InputError
from runlog.model import CRIED, KINDS
from runlog.parse import (
    HALF_MARATHON_M,
    MARATHON_M,
    METRES_PER_MILE,
    parse_bool,
    parse_choice,
    parse_distance,
    parse_duration,
    parse_emotions,
    parse_int_range,
    parse_mood,
    parse_tags,
    parse_when,
)
from runlog.vocab import BUILTIN_EMOTIONS

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def now() -> datetime:
    """Saturday 2026-11-21 18:00 in Amsterdam (+01:00); TZ comes from the autouse fixture."""
    return datetime(2026, 11, 21, 18, 0).astimezone()


def fixed_now() -> datetime:
    """The same moment for hypothesis tests, which can't take function-scoped fixtures."""
    return datetime(2026, 11, 21, 18, 0).astimezone()


# --- distance --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, units, metres",
    [
        ("5k", "km", 5000),
        ("5km", "km", 5000),
        ("5 km", "km", 5000),
        ("10K", "km", 10000),
        ("  5k  ", "km", 5000),
        ("5 kilometres", "km", 5000),
        ("5 kilometers", "km", 5000),
        ("5 KM", "mi", 5000),
        ("3.1mi", "km", 3.1 * 1609.344),
        ("3.1 mi", "km", 3.1 * 1609.344),
        ("3.1 miles", "km", 3.1 * 1609.344),
        ("1 mile", "km", 1609.344),
        ("800m", "km", 800),
        ("800 m", "km", 800),
        ("1500 metres", "km", 1500),
        ("1500 meters", "km", 1500),
        ("half", "km", 21097.5),
        ("half marathon", "km", 21097.5),
        ("Half  Marathon", "km", 21097.5),
        ("half-marathon", "mi", 21097.5),
        ("marathon", "km", 42195),
        ("MARATHON", "km", 42195),
        ("5", "km", 5000),
        ("5.5", "km", 5500),
        ("3,5", "km", 3500),
        ("3,5 km", "km", 3500),
        (".5", "km", 500),
        ("2", "mi", 2 * 1609.344),
        ("1.5", "mi", 1.5 * 1609.344),
        ("1000k", "km", 1_000_000),
    ],
)
def test_distance_reads(text, units, metres):
    assert parse_distance(text, units) == pytest.approx(metres)


@pytest.mark.parametrize(
    "text, message",
    [
        ("5 parsecs", "can't read distance '5 parsecs'"),
        ("", "can't read distance ''"),
        ("   ", "can't read distance"),
        ("km", "can't read distance 'km'"),
        ("five k", "can't read distance"),
        ("nan", "can't read distance 'nan'"),
        ("inf km", "can't read distance"),
        ("1e3m", "can't read distance"),
        ("5 k m", "can't read distance"),
        ("5..5k", "can't read distance"),
        ("-5k", "more than 0"),
        ("0", "more than 0"),
        ("0.0 km", "more than 0"),
        ("1001k", "at most 1000 km"),
        ("700 miles", "at most 1000 km"),
        ("1,500", "ambiguous"),
        ("9" * 5000 + "km", "at most 1000 km"),
    ],
)
def test_distance_refuses(text, message):
    with pytest.raises(InputError) as caught:
        parse_distance(text)
    assert message in caught.value.message


def test_distance_hint_lists_forms():
    with pytest.raises(InputError) as caught:
        parse_distance("5 parsecs")
    assert caught.value.hint == "try 5k, 3.1mi, 800m, half or marathon"


def test_distance_rejects_unknown_units_setting_as_a_bug():
    with pytest.raises(ValueError):
        parse_distance("5", units="furlongs")


def test_race_distances_are_exact():
    assert HALF_MARATHON_M == 21097.5 and MARATHON_M == 42195
    assert METRES_PER_MILE == 1609.344


@given(st.floats(min_value=0.001, max_value=1000, allow_nan=False, allow_infinity=False))
def test_km_round_trip(km):
    assert parse_distance(f"{km}km") == pytest.approx(km * 1000, rel=1e-12)


@given(st.floats(min_value=0.001, max_value=621, allow_nan=False, allow_infinity=False))
def test_miles_round_trip(miles):
    assert parse_distance(f"{miles}mi") == pytest.approx(miles * 1609.344, rel=1e-12)
    assert parse_distance(f"{miles}", units="mi") == pytest.approx(miles * 1609.344, rel=1e-12)


# --- duration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("28:30", 28 * 60 + 30),
        ("0:45", 45),
        ("75:00", 75 * 60),
        ("1:02:03", 3723),
        ("0:28:30", 1710),
        ("28:30.5", 1710.5),
        ("45m", 2700),
        ("45 min", 2700),
        ("45 mins", 2700),
        ("45 minutes", 2700),
        ("1 minute", 60),
        ("1h", 3600),
        ("1 hour", 3600),
        ("2 hours", 7200),
        ("1hr", 3600),
        ("1h5m", 3900),
        ("1h05m30s", 3930),
        ("1 h 5 m", 3900),
        ("1h 5m 30s", 3930),
        ("1h30", 5400),
        ("1H30M", 5400),
        ("90s", 90),
        ("90 sec", 90),
        ("90 seconds", 90),
        ("1.5h", 5400),
        ("2,5 min", 150),
        ("45", 2700),
        ("45.5", 2730),
        ("48h", 48 * 3600),
        ("  28:30 ", 1710),
        # Exactly two digits after the point are a stopwatch's seconds; else decimal minutes.
        ("25.30", 25 * 60 + 30),
        ("25,30", 25 * 60 + 30),
        ("25.50", 25 * 60 + 50),
        ("1.05", 65),
        ("0.45", 45),
        (".30", 30),
        ("25.5", 25 * 60 + 30),
        ("25.125", 25.125 * 60),
        ("25.75min", 25.75 * 60),
        ("25.75 m", 25.75 * 60),
    ],
)
def test_duration_reads(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "can't read duration ''"),
        ("half an hour", "can't read duration"),
        ("28:60", "under 60"),
        ("1:60:00", "under 60"),
        ("1:02:60", "under 60"),
        ("28:3", "can't read duration"),
        ("1:2:3", "can't read duration"),
        ("1:02:03:04", "can't read duration"),
        ("5m1h", "can't read duration"),
        ("5 30s", "can't read duration"),
        ("45 parsecs", "can't read duration"),
        ("nan", "can't read duration"),
        ("-5m", "can't read duration"),
        ("0", "more than 0"),
        ("0:00", "more than 0"),
        ("0h0m0s", "more than 0"),
        ("49h", "at most 48 hours"),
        ("48:00:01", "at most 48 hours"),
        ("1,500s", "ambiguous"),
        ("9" * 5000 + ":00", "at most 48 hours"),
        ("9" * 5000 + "h", "at most 48 hours"),
        ("25.75", "two digits after the point are seconds and must be under 60"),
        ("25,60", "must be under 60"),
        ("0.00", "more than 0"),
    ],
)
def test_duration_refuses(text, message):
    with pytest.raises(InputError) as caught:
        parse_duration(text)
    assert message in caught.value.message


@given(st.integers(min_value=1, max_value=48 * 3600))
def test_clock_round_trip(total_s):
    hours, rest = divmod(total_s, 3600)
    minutes, seconds = divmod(rest, 60)
    assert parse_duration(f"{hours}:{minutes:02d}:{seconds:02d}") == total_s
    assert parse_duration(f"{hours * 60 + minutes}:{seconds:02d}") == total_s
    assert parse_duration(f"{hours}h{minutes}m{seconds}s") == total_s


# --- when ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", "2026-11-21"),
        ("Today", "2026-11-21"),
        ("yesterday", "2026-11-20"),
        ("now", "2026-11-21T18:00:00+01:00"),
        ("0 days ago", "2026-11-21"),
        ("1 day ago", "2026-11-20"),
        ("3 days ago", "2026-11-18"),
        ("3  DAYS  ago", "2026-11-18"),
        ("30 days ago", "2026-10-22"),
        ("a day ago", "2026-11-20"),
        ("a week ago", "2026-11-14"),
        ("2 weeks ago", "2026-11-07"),
        # Saturday 2026-11-21: the most recent such day, today included.
        ("mon", "2026-11-16"),
        ("monday", "2026-11-16"),
        ("tue", "2026-11-17"),
        ("tues", "2026-11-17"),
        ("wed", "2026-11-18"),
        ("thu", "2026-11-19"),
        ("thurs", "2026-11-19"),
        ("fri", "2026-11-20"),
        ("Fri", "2026-11-20"),
        ("friday", "2026-11-20"),
        ("sat", "2026-11-21"),
        ("saturday", "2026-11-21"),
        ("sun", "2026-11-15"),
        ("sunday", "2026-11-15"),
        ("last friday", "2026-11-20"),
        ("last fri", "2026-11-20"),
        ("last saturday", "2026-11-21"),
        ("last sunday", "2026-11-15"),
        ("2026-11-20", "2026-11-20"),
        ("2026-11-21", "2026-11-21"),
        ("1900-01-01", "1900-01-01"),
        ("2026-11-20T07:30", "2026-11-20T07:30:00+01:00"),
        ("2026-11-20t07:30", "2026-11-20T07:30:00+01:00"),
        ("2026-11-20 07:30:00", "2026-11-20T07:30:00+01:00"),
        ("2026-11-20T07:30:15.250", "2026-11-20T07:30:15+01:00"),
        ("2026-11-20T07:30+01:00", "2026-11-20T07:30:00+01:00"),
        ("2026-11-20T07:30Z", "2026-11-20T08:30:00+01:00"),
        ("2026-11-20T07:30:00-05:00", "2026-11-20T13:30:00+01:00"),
        ("2026-11-21T18:00", "2026-11-21T18:00:00+01:00"),
        ("yesterday 7am", "2026-11-20T07:00:00+01:00"),
        ("yesterday at 7:30 pm", "2026-11-20T19:30:00+01:00"),
        ("today 12am", "2026-11-21T00:00:00+01:00"),
        ("today 12pm", "2026-11-21T12:00:00+01:00"),
        ("fri 18:30", "2026-11-20T18:30:00+01:00"),
        ("last friday, 06:15:30", "2026-11-20T06:15:30+01:00"),
        ("3 days ago 7am", "2026-11-18T07:00:00+01:00"),
        # dateutil's fallback
        ("Nov 20 7am", "2026-11-20T07:00:00+01:00"),
        ("Nov 20", "2026-11-20"),
        ("Fri Nov 20", "2026-11-20"),
        ("20 November 2026", "2026-11-20"),
        ("7am", "2026-11-21T07:00:00+01:00"),
        ("Nov 20 0:30", "2026-11-20T00:30:00+01:00"),
        ("Nov 20 2026 7am UTC", "2026-11-20T08:00:00+01:00"),
        ("11/20/2026", "2026-11-20"),
    ],
)
def test_when_reads(text, expected, now):
    assert parse_when(text, now) == expected


@pytest.mark.parametrize(
    "text, dayfirst, expected",
    [
        ("20/11/2026", True, "2026-11-20"),
        ("20/11/2026", False, "2026-11-20"),  # 20 can only be a day
        ("05/11/2026", True, "2026-11-05"),
        ("05/11/2026", False, "2026-05-11"),
        ("05.11.2026 07:30", True, "2026-11-05T07:30:00+01:00"),
    ],
)
def test_when_dayfirst(text, dayfirst, expected, now):
    assert parse_when(text, now, dayfirst=dayfirst) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # The offset is the one in force on that day, not today's.
        ("2026-07-15T07:30", "2026-07-15T07:30:00+02:00"),
        ("2026-12-15T07:30", "2026-12-15T07:30:00+01:00"),
        ("2026-07-15T05:30Z", "2026-07-15T07:30:00+02:00"),
        ("Jul 15 2026 7:30am", "2026-07-15T07:30:00+02:00"),
        # Last Sunday of March 2026: 02:00 jumps to 03:00; 01:30 UTC is 03:30 CEST.
        ("2026-03-29T01:30Z", "2026-03-29T03:30:00+02:00"),
        ("2026-03-29T00:30Z", "2026-03-29T01:30:00+01:00"),
        # 02:30 that night never happened on the wall clock: read as just after the change.
        ("2026-03-29T02:30", "2026-03-29T03:30:00+02:00"),
        ("2026-03-29T01:59", "2026-03-29T01:59:00+01:00"),
        ("2026-03-29T03:00", "2026-03-29T03:00:00+02:00"),
        # 02:30 on the last Sunday of October happens twice: the first one, unless an
        # offset says which.
        ("2026-10-25T02:30", "2026-10-25T02:30:00+02:00"),
        ("2026-10-25T02:30+01:00", "2026-10-25T02:30:00+01:00"),
    ],
)
def test_when_uses_the_offset_of_that_day(text, expected):
    december = datetime(2026, 12, 31, 12, 0).astimezone()
    assert parse_when(text, december) == expected


def test_when_in_summer_relative_words_get_summer_offset():
    july_now = datetime(2026, 7, 18, 20, 0).astimezone()  # a Saturday
    assert parse_when("now", july_now) == "2026-07-18T20:00:00+02:00"
    assert parse_when("yesterday 7am", july_now) == "2026-07-17T07:00:00+02:00"
    assert parse_when("fri", july_now) == "2026-07-17"


def test_when_accepts_now_from_another_zone(now):
    utc_now = now.astimezone(timezone.utc)
    assert parse_when("now", utc_now) == "2026-11-21T18:00:00+01:00"
    assert parse_when("today", utc_now) == "2026-11-21"


@pytest.mark.parametrize(
    "text, message",
    [
        ("tomorrow", "'tomorrow' is in the future"),
        ("Tomorrow 7am", "is in the future"),
        ("next friday", "'next friday' is in the future"),
        ("next week", "is in the future"),
        ("in 2 days", "'in 2 days' is in the future"),
        ("in a week", "is in the future"),
        ("3 days from now", "is in the future"),
        ("the day after tomorrow", "is in the future"),
        ("", "can't read date"),
        ("blah", "can't read date 'blah'"),
        ("last week", "can't read date"),
        ("2026-11-22", "is in the future"),
        ("2027-01-01", "is in the future"),
        ("9999-12-31", "is in the future"),
        ("2026-11-21T18:01", "is in the future"),
        ("2026-11-21T17:30Z", "is in the future"),
        ("9999-12-31T23:59:59-12:00", "is in the future"),
        ("today 7pm", "is in the future"),
        ("Dec 25", "is in the future"),
        ("Nov 21 2026 11pm", "is in the future"),
        ("1899-12-31", "before 1900"),
        ("0001-01-01", "before 1900"),
        ("0001-01-01T00:00+14:00", "before 1900"),
        ("Jan 1 1850", "before 1900"),
        ("100000 days ago", "before 1900"),
        ("99999999999 days ago", "before 1900"),
        ("9" * 5000 + " days ago", "before 1900"),
        ("2026-02-30", "can't read date '2026-02-30'"),
        ("2026-11-20T25:00", "can't read date"),
        ("2026-11-20 07:30 EST", "can't read date"),
        ("Nov 20 7am EST", "can't read date"),
    ],
)
def test_when_refuses(text, message, now):
    with pytest.raises(InputError) as caught:
        parse_when(text, now)
    assert message in caught.value.message


def test_duration_mm_ss_over_60_hint_names_both_ways():
    with pytest.raises(InputError) as caught:
        parse_duration("25.75")
    assert "25.75min" in caught.value.hint and "25:30" in caught.value.hint


@pytest.mark.parametrize(
    "text, leaning",
    [
        ("45m", "duration"), ("90m", "duration"), ("45 m", "duration"), ("199m", "duration"),
        ("1.5m", "duration"), ("200m", "distance"), ("400m", "distance"),
        ("800 M", "distance"), ("25.30", "mm.ss"), ("5.02", "mm.ss"), ("25,30", "mm.ss"),
        ("25.75", None), ("25.5", None), ("5", None), ("5k", None), ("45 min", None),
        ("45 metres", None),
    ],
)
def test_positional_leaning(text, leaning):
    from runlog.parse import positional_leaning

    assert positional_leaning(text) == leaning


@pytest.mark.parametrize("text, expected", [("3/4", "2026-03-04"), ("20/11/2026", "2026-11-20")])
def test_when_month_first_reads_what_it_can(text, expected, now):
    assert parse_when(text, now, dayfirst=False) == expected


@pytest.mark.parametrize("text, iso", [("20/11", "2026-11-20"), ("31/10 7am", "2026-10-31")])
def test_when_day_first_date_month_first_hints_the_setting(text, iso, now):
    with pytest.raises(InputError) as caught:
        parse_when(text, now, dayfirst=False)
    assert caught.value.message == f"can't read date '{text}' month first"
    assert "runlog config set dayfirst true" in caught.value.hint
    assert iso in caught.value.hint
    assert parse_when(text, now, dayfirst=True)[:10] == iso


@pytest.mark.parametrize("text", ["13/13", "32/11", "blah"])
def test_when_unreadable_either_way_has_no_dayfirst_hint(text, now):
    for dayfirst in (False, True):
        with pytest.raises(InputError) as caught:
            parse_when(text, now, dayfirst=dayfirst)
        assert "dayfirst" not in (caught.value.hint or "")


def test_when_garbage_hint_lists_forms(now):
    with pytest.raises(InputError) as caught:
        parse_when("the other day", now)
    assert "yesterday" in caught.value.hint and "last friday" in caught.value.hint


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 21)))
def test_past_day_round_trip(day):
    assert parse_when(day.isoformat(), fixed_now()) == day.isoformat()


@given(
    st.datetimes(
        min_value=datetime(1970, 1, 1),
        max_value=datetime(2026, 11, 21, 16, 0),
        timezones=st.just(timezone.utc),
    )
)
def test_past_moment_round_trip(moment):
    local_text = moment.astimezone().replace(microsecond=0).isoformat()
    assert parse_when(local_text, fixed_now()) == local_text
    assert parse_when(moment.isoformat(), fixed_now()) == local_text


@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2026, 11, 20)))
def test_wall_clock_times_get_the_offset_of_their_day(wall):
    wall = wall.replace(microsecond=0)
    result = datetime.fromisoformat(parse_when(wall.isoformat(), fixed_now()))
    assert result.utcoffset() == result.astimezone().utcoffset()
    # The wall clock is kept, unless the clocks skipped that time: then it moves forward
    # by the jump (one hour in Amsterdam).
    assert timedelta(0) <= result.replace(tzinfo=None) - wall <= timedelta(hours=1)


@given(st.integers(min_value=0, max_value=40_000))
def test_days_ago_counts_back(days):
    now = fixed_now()
    expected = (now.date() - timedelta(days=days)).isoformat()
    assert parse_when(f"{days} days ago", now) == expected


# --- mood ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, mood",
    [
        ("1", 1),
        ("5", 5),
        (" 3 ", 3),
        ("awful", 1),
        ("bad", 2),
        ("okay", 3),
        ("ok", 3),
        ("meh", 3),
        ("good", 4),
        ("Great", 5),
        ("RAD", 5),
    ],
)
def test_mood_reads(text, mood):
    assert parse_mood(text) == mood


@pytest.mark.parametrize("text", ["0", "6", "-1", "3.5", "", "fine", "4/5", "10"])
def test_mood_refuses(text):
    with pytest.raises(InputError) as caught:
        parse_mood(text)
    assert "mood must be 1 to 5" in caught.value.message
    assert "awful" in caught.value.hint and "rad" in caught.value.hint


# --- emotions --------------------------------------------------------------------------

VOCABULARY = {**BUILTIN_EMOTIONS, "Awe": "positive"}


@pytest.mark.parametrize(
    "values, names",
    [
        ([], ()),
        (["sad"], ("sadness",)),
        (["sad,relieved"], ("sadness", "relief")),
        (["sad, relieved"], ("sadness", "relief")),
        (["Sadness", "RELIEF"], ("sadness", "relief")),
        (["sad", "sadness", "sad"], ("sadness",)),
        (["grief,,", " ", ""], ("grief",)),
        (["proud", "happy,grateful"], ("pride", "joy", "gratitude")),
        (["angry", "anxious", "stressed", "guilty"], ("anger", "anxiety", "stress", "guilt")),
        (["frustrated,disappointed,lonely"], ("frustration", "disappointment", "loneliness")),
        (["hopeful", "excited", "vulnerable"], ("hope", "excitement", "vulnerability")),
        (["awe"], ("Awe",)),  # a user-added name keeps its own spelling
        ("calm, love", ("calm", "love")),  # a single string is one value
    ],
)
def test_emotions_read(values, names):
    assert parse_emotions(values, VOCABULARY) == names


@pytest.mark.parametrize(
    "values, message, hint",
    [
        (["sadd"], "unknown emotion 'sadd'", "did you mean sadness?"),
        (["releived"], "unknown emotion 'releived'", "did you mean relief"),
        (["joy", "angr"], "unknown emotion 'angr'", "did you mean anger?"),
        (["xyzzy"], "unknown emotion 'xyzzy'", "see `runlog emotions list`"),
    ],
)
def test_emotions_refuse_unknown(values, message, hint):
    with pytest.raises(InputError) as caught:
        parse_emotions(values, VOCABULARY)
    assert caught.value.message == message
    assert caught.value.hint.startswith(hint)


def test_emotion_hint_lists_up_to_three_names():
    with pytest.raises(InputError) as caught:
        parse_emotions(["gree"], {"greed": "negative", "green": "negative", "greet": "negative",
                                  "greek": "negative", "grees": "negative"})
    names = caught.value.hint.removeprefix("did you mean ").removesuffix("?")
    assert 2 <= len(names.replace(" or ", ", ").split(", ")) <= 3


def test_adjective_needs_its_name_in_the_vocabulary():
    with pytest.raises(InputError):
        parse_emotions(["sad"], {"joy": "positive"})
    assert parse_emotions(["happy"], {"joy": "positive"}) == ("joy",)


# --- small values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name, low, high, number",
    [
        ("1", "effort", 1, 10, 1),
        ("10", "effort", 1, 10, 10),
        (" 7 ", "effort", 1, 10, 7),
        (7, "effort", 1, 10, 7),
        ("0", "pain", 0, 10, 0),
        ("+3", "pain", 0, 10, 3),
    ],
)
def test_int_range_reads(text, name, low, high, number):
    assert parse_int_range(text, name, low, high) == number


@pytest.mark.parametrize(
    "text, name, low, high, message",
    [
        ("11", "effort", 1, 10, "effort must be a whole number from 1 to 10, not '11'"),
        ("0", "effort", 1, 10, "effort must be a whole number from 1 to 10, not '0'"),
        ("7.5", "effort", 1, 10, "not '7.5'"),
        ("high", "effort", 1, 10, "not 'high'"),
        ("", "pain", 0, 10, "pain must be a whole number from 0 to 10, not ''"),
        (-1, "pain", 0, 10, "not '-1'"),
        (True, "pain", 0, 10, "not 'True'"),
        ("9" * 5000, "pain", 0, 10, "pain must be a whole number from 0 to 10"),
    ],
)
def test_int_range_refuses(text, name, low, high, message):
    with pytest.raises(InputError) as caught:
        parse_int_range(text, name, low, high)
    assert message in caught.value.message


@pytest.mark.parametrize(
    "text, name, choices, choice",
    [
        ("run", "kind", KINDS, "run"),
        ("Run-Walk", "kind", KINDS, "run-walk"),
        (" rest ", "kind", KINDS, "rest"),
        ("AFTER", "cried", CRIED, "after"),
        ("mi", "units", ("km", "mi"), "mi"),
        ("Sunday", "week_start", ("monday", "sunday"), "sunday"),
    ],
)
def test_choice_reads(text, name, choices, choice):
    assert parse_choice(text, name, choices) == choice


@pytest.mark.parametrize(
    "text, name, choices, message",
    [
        ("yd", "units", ("km", "mi"), "units must be km or mi, not 'yd'"),
        ("tuesday", "week_start", ("monday", "sunday"), "must be monday or sunday"),
        ("never", "cried", CRIED, "cried must be during, after or both, not 'never'"),
        ("swim", "kind", KINDS, "run, walk, run-walk"),
        ("", "kind", KINDS, "not ''"),
    ],
)
def test_choice_refuses(text, name, choices, message):
    with pytest.raises(InputError) as caught:
        parse_choice(text, name, choices)
    assert message in caught.value.message


@pytest.mark.parametrize(
    "values, tags",
    [
        ([], ()),
        ([""], ()),
        (["hills"], ("hills",)),
        (["Hills, Rain", "hills"], ("hills", "rain")),
        (["a,,b,", "c"], ("a", "b", "c")),
        (["a, ,b"], ("a", "b")),
        (["long run"], ("long-run",)),
        (["  Long   Run "], ("long-run",)),
        ("rain,cold", ("rain", "cold")),
        (["x" * 40], ("x" * 40,)),
    ],
)
def test_tags_read(values, tags):
    assert parse_tags(values) == tags


@pytest.mark.parametrize(
    "values, message",
    [
        ([" "], "can't be blank"),
        (["ok", "\t"], "can't be blank"),
        (["x" * 41], "longer than 40 characters"),
        (["fine," + "y" * 50], "longer than 40 characters"),
    ],
)
def test_tags_refuse(values, message):
    with pytest.raises(InputError) as caught:
        parse_tags(values)
    assert message in caught.value.message


@pytest.mark.parametrize(
    "text, value",
    [
        ("true", True),
        ("True", True),
        ("yes", True),
        ("ON", True),
        ("1", True),
        ("false", False),
        ("no", False),
        ("off", False),
        (" 0 ", False),
    ],
)
def test_bool_reads(text, value):
    assert parse_bool(text, "dayfirst") is value


@pytest.mark.parametrize("text", ["", "maybe", "2", "y", "tru"])
def test_bool_refuses(text):
    with pytest.raises(InputError) as caught:
        parse_bool(text, "dayfirst")
    assert caught.value.message == f"dayfirst must be true or false, not '{text}'"


# --- every parser: a value or an InputError, never anything else ------------------------

PARSERS = {
    "distance": lambda text: parse_distance(text),
    "distance_mi": lambda text: parse_distance(text, units="mi"),
    "duration": parse_duration,
    "when": lambda text: parse_when(text, fixed_now()),
    "when_dayfirst": lambda text: parse_when(text, fixed_now(), dayfirst=True),
    "mood": parse_mood,
    "emotions": lambda text: parse_emotions([text], BUILTIN_EMOTIONS),
    "effort": lambda text: parse_int_range(text, "effort", 1, 10),
    "kind": lambda text: parse_choice(text, "kind", KINDS),
    "tags": lambda text: parse_tags([text]),
    "bool": lambda text: parse_bool(text, "dayfirst"),
}

# Random text alone rarely looks like input; mixing in the grammar's own pieces reaches
# the deeper branches (units, colons, weekdays, month names, offsets).
PIECES = st.sampled_from(
    ["5", "0", "28", ":", "30", ".", ",", " ", "-", "+", "k", "km", "mi", "m", "h", "s",
     "min", "half", "marathon", "ago", "days", "a", "last", "fri", "nov", "am", "pm", "T",
     "Z", "2026", "-11-", "20", "07:30", "+01:00", "today", "yesterday", "now", "at",
     "sad", "1e9", "nan", "inf", "\u0663", "\x00", "99999999999999999999"]
)
FUZZ_TEXT = st.one_of(st.text(), st.lists(PIECES, max_size=8).map("".join))


@pytest.mark.parametrize("name", sorted(PARSERS))
@given(text=FUZZ_TEXT)
def test_any_text_gives_a_value_or_input_error(name, text):
    try:
        value = PARSERS[name](text)
    except InputError as error:
        assert error.message and "\n" not in error.message  # one line for `Error: ...`
        return
    if name.startswith("distance"):
        assert 0 < value <= 1_000_000 and math.isfinite(value)
    elif name == "duration":
        assert 0 < value <= 48 * 3600 and math.isfinite(value)
    elif name.startswith("when"):
        assert value[:10] <= "2026-11-21" and value[:4] >= "1900"
    elif name == "mood":
        assert value in range(1, 6)
    elif name == "effort":
        assert value in range(1, 11)


# --- import speed ----------------------------------------------------------------------

COMMON_INPUTS = """
import sys
from datetime import datetime
import runlog.parse as p
now = datetime(2026, 11, 21, 18, 0).astimezone()
for text in ["today", "yesterday", "now", "3 days ago", "fri", "last friday", "2026-11-20",
             "2026-11-20T07:30", "2026-11-20 07:30:00+01:00", "yesterday 7am"]:
    p.parse_when(text, now)
p.parse_distance("5k"); p.parse_distance("5"); p.parse_distance("half")
p.parse_duration("28:30"); p.parse_duration("1h5m")
p.parse_mood("4"); p.parse_mood("good")
p.parse_emotions(["sad,relieved"], {"sadness": "negative", "relief": "positive"})
p.parse_tags(["hills"]); p.parse_int_range("7", "effort", 1, 10)
heavy = sorted(name for name in sys.modules if name.split(".")[0] in ("dateutil", "difflib"))
print(",".join(heavy))
"""


def test_common_inputs_import_nothing_heavy():
    result = subprocess.run(
        [sys.executable, "-c", COMMON_INPUTS],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == ""
