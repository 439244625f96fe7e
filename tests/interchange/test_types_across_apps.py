"""Activity types the issue names, read alike by both CSV readers: a treadmill run in any
language is a run, and no other sport Strava lists ever becomes one."""

import pytest

from runlog.interchange import garmin, strava

# The issue's own examples (Strava's and Garmin Connect's type strings), with their kinds.
NAMED = {
    "Laufen": "run", "Laufbandtraining": "treadmill", "Løb": "run",
    "Corrida em esteira": "treadmill", "Futás": "run", "Hardloopsessie": "run",
    "Wandeling": "walk", "Fietsrit": None,
}

# Strava's other sport types (its activity type list), none of them a run or a walk.
STRAVA_OTHER_SPORTS = [
    "Ride", "E-Bike Ride", "Mountain Bike Ride", "Gravel Ride", "E-Mountain Bike Ride",
    "Virtual Ride", "Nordic Ski", "Alpine Ski", "Backcountry Ski", "Roller Ski", "Snowboard",
    "Snowshoe", "Ice Skate", "Inline Skate", "Skateboard", "Sail", "Canoe", "Kayaking",
    "Rowing", "Virtual Row", "Stand Up Paddling", "Surfing", "Kitesurf", "Windsurf", "Swim",
    "Velomobile", "Handcycle", "Wheelchair", "Workout", "Weight Training", "Crossfit",
    "Elliptical", "Stair-Stepper", "Yoga", "Pilates", "HIIT", "Rock Climbing", "Golf",
    "Soccer", "Tennis", "Pickleball", "Padel", "Badminton", "Squash", "Table Tennis",
    "Racquetball", "Dance", "Skilanglauf", "Eislaufen", "Radfahrt",
]


@pytest.mark.parametrize("reader", [strava, garmin], ids=["strava", "garmin"])
@pytest.mark.parametrize("name", list(NAMED))
def test_the_issues_type_strings_read_alike_in_both_readers(reader, name):
    assert reader.kind_of(name) == NAMED[name]


@pytest.mark.parametrize("name", STRAVA_OTHER_SPORTS)
def test_no_other_strava_sport_becomes_a_run_or_walk(name):
    assert strava.kind_of(name) is None
