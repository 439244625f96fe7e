"""Everyday typing: `runlog add`'s words without quotes, `45m` (minutes) beside `400m`
(metres), a stopwatch's `25.30`, dates still to come, and a day-first date with dayfirst off.

The real `runlog` process on real files; every refusal is exit 2, one `Error:` line, and
nothing written (the log file absent, or its bytes unchanged)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relsupport import isolated_env, must, run, sha256

from runlog.cli._fields import read_positionals
from runlog.errors import InputError
from runlog.parse import parse_distance, parse_duration


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


def db(env) -> Path:
    return Path(env["RUNLOG_DB"])


def logged(env, *args: str) -> dict:
    return json.loads(must("add", *args, "--json", "--no-input", env=env))


def refused(env, *args: str, says: str) -> str:
    """`runlog ARGS` exits 2 with one Error line containing `says`, and writes nothing."""
    before = sha256(db(env)) if db(env).exists() else None
    done = run(*args, env=env)
    assert done.returncode == 2, (args, done.returncode, done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), (args, done.stderr)
    assert says in lines[0], (args, lines[0])
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert (sha256(db(env)) if db(env).exists() else None) == before, args
    return lines[0]


# (words as the shell splits them, distance in km or None, duration in seconds or None)
READS = [
    (["5k", "28:30"], 5, 1710),
    (["5", "km", "28:30"], 5, 1710),
    (["3.1", "miles", "30:00"], 3.1 * 1.609344, 1800),
    (["half", "marathon", "2:05:00"], 21.0975, 7500),
    (["marathon", "4:10:00"], 42.195, 15000),
    (["1500", "metres", "6:00"], 1.5, 360),
    (["28:30", "5k"], 5, 1710),
    (["2:05:00", "half", "marathon"], 21.0975, 7500),
    (["5k"], 5, None),
    (["28:30"], None, 1710),
    (["45", "min"], None, 2700),
    (["5k", "45", "min"], 5, 2700),
    (["5", "km", "45", "minutes"], 5, 2700),
    (["1h", "5m"], None, 3900),  # one time: an hour and five minutes
    (["10k", "1h", "5m"], 10, 3900),
    (["5 km 28:30"], 5, 1710),  # quoted as one word, as before
    # B: a number under 200 with m is minutes; 200 and up metres
    (["45m"], None, 2700),
    (["90m"], None, 5400),
    (["45", "m"], None, 2700),
    (["400m"], 0.4, None),
    (["800m"], 0.8, None),
    (["5k", "45m"], 5, 2700),
    (["45m", "5k"], 5, 2700),
    (["45m", "5"], 5, 2700),
    (["800m", "2:30"], 0.8, 150),
    (["800m", "150s"], 0.8, 150),  # 800m can only be metres: not 800 minutes and 150 s
    (["1500m", "300s"], 1.5, 300),
    (["800", "m", "150s"], 0.8, 150),
    (["100m", "15s"], None, 6015),  # under 200, m is minutes: one time
    # C: two digits after the point are a stopwatch's seconds beside a distance
    (["5k", "25.30"], 5, 1530),
    (["25.30", "5k"], 5, 1530),
    (["5k", "25.5"], 5, 1530),
    (["5.02", "25.30"], 5.02, 1530),
    (["25.5"], 25.5, None),  # a bare number alone is a distance, as the README says
]


def test_add_reads_distance_and_time_typed_without_quotes_in_either_order(env):
    for words, km, seconds in READS:
        entry = logged(env, *words)
        assert (entry["distance_km"], entry["duration_s"]) == (
            pytest.approx(km, abs=1e-3) if km is not None else None,
            pytest.approx(seconds) if seconds is not None else None,
        ), words


def test_read_positionals_gives_texts_the_parsers_read():
    assert read_positionals(["half", "marathon", "2:05:00"], "km") == ("half marathon", "2:05:00")
    assert read_positionals(["28:30", "5", "km"], "km") == ("5 km", "28:30")
    assert read_positionals(["45m"], "mi") == (None, "45m")
    assert read_positionals(["400m"], "mi") == ("400m", None)
    assert read_positionals(["5", "45m"], "mi") == ("5", "45m")
    assert read_positionals([], "km") == (None, None)


@pytest.mark.parametrize(
    "words, says",
    [
        (["foo", "bar", "baz"], "can't read 'foo bar baz' as a distance and a time"),
        (["5k", "10k"], "'5k' and '10k' are both distances"),
        (["half", "marathon", "10k"], "'half marathon' and '10k' are both distances"),
        (["28:30", "45:00"], "'28:30' and '45:00' are both times"),
        (["5k", "28:30", "10k"], "is more than a distance and a time"),
        (["25.30"], "'25.30' could be 25.30 km or 25:30"),
        (["5k", "25.75"], "two digits after the point are seconds and must be under 60"),
        (["5", "parsecs", "28:30"], "can't read distance '5 parsecs'"),
        (["28:75", "5k"], "can't read duration '28:75'"),
        ([""], "a distance or time can't be blank"),
        (["5k", "250", "m"], "can't read '5k 250 m' as a distance and a time"),  # 250 m: metres
        (["5k", "500m"], "can't read '5k 500m' as a distance and a time"),
    ],
)
def test_add_words_that_read_as_no_run_are_refused_with_one_clear_line(env, words, says):
    refused(env, "add", *words, "--no-input", says=says)
    assert not db(env).exists()
    must("add", "5k", "28:30", "--no-input", env=env)
    refused(env, "add", *words, "--no-input", says=says)  # the log's bytes unchanged


def test_a_lone_two_decimal_number_hint_shows_both_ways_and_each_works(env):
    line = refused(env, "add", "25.30", "--no-input", says="could be")
    assert "25.30k" in line and "25:30" in line
    assert logged(env, "25.30k")["distance_km"] == pytest.approx(25.3)
    assert logged(env, "25:30")["duration_s"] == 1530
    line = refused(env, "--units", "mi", "add", "5.02", "--no-input", says="could be 5.02 mi")
    assert "5.02mi" in line


def test_explicit_options_say_which_value_it_is(env):
    # An option names what it is, so 45m is metres to --distance and minutes to --time.
    assert logged(env, "--distance", "45m")["distance_km"] == pytest.approx(0.045)
    assert logged(env, "--time", "45m")["duration_s"] == 2700
    assert logged(env, "--distance", "400m", "--time", "90s")["distance_km"] == 0.4
    assert logged(env, "--time", "25.30")["duration_s"] == 1530
    assert logged(env, "--time", "25.5")["duration_s"] == 1530
    assert logged(env, "--time", "25.75min")["duration_s"] == 1545
    assert logged(env, "--distance", "25.30")["distance_km"] == pytest.approx(25.3)
    assert logged(env, "45m", "--distance", "5k")["duration_s"] == 2700
    refused(env, "add", "--time", "25.75", "--no-input", says="must be under 60")
    refused(env, "add", "45m", "--time", "30:00", "--no-input", says="not both")


@pytest.mark.parametrize("when", ["tomorrow", "next friday", "in 2 days", "tomorrow 7am",
                                  "3 days from now", "next week"])
def test_a_date_still_to_come_is_in_the_future_not_unreadable(env, when):
    line = refused(env, "add", "5k", "-d", when, "--no-input", says="is in the future")
    assert "can't read" not in line
    assert not db(env).exists()


def _past_day(day_over_12: bool) -> date:
    """A day in the last weeks (never today, whatever the time zone), whose day of the
    month is over 12 (so month-first it can't be read) or at most 12 (so both readings
    exist)."""
    day = date.today() - timedelta(days=2)
    while (day.day > 12) != day_over_12 or day.day == day.month:
        day -= timedelta(days=1)
    return day


def test_a_day_first_date_with_dayfirst_off_hints_the_setting_an_ambiguous_one_reads_as_set(
        env):
    day, ambiguous = _past_day(day_over_12=True), _past_day(day_over_12=False)
    typed = f"{day.day}/{day.month}"
    line = refused(env, "add", "5k", "-d", typed, "--no-input", says=f"can't read date '{typed}'")
    assert "runlog config set dayfirst true" in line
    assert day.isoformat() in line
    assert not db(env).exists()
    # 3/4 reads both ways: it is read as set, with no hint.
    done = run("add", "5k", "-d", f"{ambiguous.month}/{ambiguous.day}", "--json", env=env)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert json.loads(done.stdout)["date"] == ambiguous.isoformat()
    must("config", "set", "dayfirst", "true", env=env)
    assert logged(env, "5k", "-d", typed)["date"] == day.isoformat()
    assert logged(env, "5k", "-d", f"{ambiguous.day}/{ambiguous.month}")["date"] == \
        ambiguous.isoformat()


def test_read_positionals_errors_are_input_errors_with_a_hint():
    for words in (["foo", "bar", "baz"], ["5k", "10k"], ["28:30", "45:00"]):
        with pytest.raises(InputError) as caught:
            read_positionals(words, "km")
        assert caught.value.hint and "5k 28:30" in caught.value.hint


_PIECES = ["5", "k", "km", "5k", "28:30", "half", "marathon", "m", "45m", "400m", "25.30",
           "25.75", "min", "1h", "5m", "mi", "miles", "3.1", ",", "0", "x", "1,500", "90s", " "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=5)), max_size=9),
       st.sampled_from(["km", "mi"]))
def test_read_positionals_gives_what_the_parsers_read_or_an_input_error(tokens, units):
    try:
        distance, duration = read_positionals(tokens, units)
    except InputError as error:
        assert error.message
        return
    if distance is not None:
        parse_distance(distance, units)
    if duration is not None:
        parse_duration(duration)
