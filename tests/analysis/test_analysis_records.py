"""Milestones of a just-logged run against the records before it, worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runlog.analysis.records import (
    ROUND_DISTANCES_M,
    describe_milestone,
    format_distance,
    format_pace,
    new_milestones,
    personal_records,
)
from runlog.errors import InputError
from runlog.model import Entry
from runlog.plausible import impossible

NO_PACES = {"1k": None, "5k": None, "10k": None, "half": None}


def run(metres: float | None, seconds: float | None = None, **fields) -> Entry:
    return Entry(
        uuid="new", date="2026-11-21", distance_m=metres, duration_s=seconds, id=42, **fields
    )


def previous(longest_m=None, max_m="same", best_pace=None, **extra) -> dict:
    return {
        "longest_m": longest_m,
        "max_m": longest_m if max_m == "same" else max_m,
        "best_pace": NO_PACES | (best_pace or {}),
        **extra,
    }


def kinds(milestones) -> list[str]:
    return [milestone["kind"] for milestone in milestones]


def labels(milestones) -> list[str]:
    return [milestone["label"] for milestone in milestones]


# --- the first run --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "before",
    [
        previous(),
        {},
        previous(runs=0),
        # Records can be missing from the dict altogether.
        {"best_pace": {}},
    ],
)
def test_the_first_run_is_welcomed_once(before):
    milestones = new_milestones(run(5000, 1800), before)
    assert milestones == [
        {
            "kind": "first_run",
            "entry_id": 42,
            "day": "2026-11-21",
            "distance_m": 5000,
            "label": "Your first run: 5.00 km",
        }
    ]


def test_a_first_run_without_distance_is_welcomed_too():
    assert labels(new_milestones(run(None, 1800), previous())) == ["Your first run"]


# --- longest run ----------------------------------------------------------------------------


def test_longest_run_yet():
    milestones = new_milestones(run(12000), previous(longest_m=10000))
    # No round distance between 10 and 12 km (15 is next), no duration -> no pace.
    assert milestones == [
        {
            "kind": "longest_run",
            "entry_id": 42,
            "day": "2026-11-21",
            "distance_m": 12000,
            "previous_m": 10000,
            "label": "Longest run yet: 12.00 km",
        }
    ]


@pytest.mark.parametrize("metres", [10000, 9999.9])
def test_matching_or_short_of_the_longest_is_not_a_milestone(metres):
    assert new_milestones(run(metres), previous(longest_m=10000)) == []


def test_after_time_only_runs_the_first_distance_is_the_longest():
    # Two earlier runs logged by time alone: no longest_m, but not the first run either.
    milestones = new_milestones(run(3200), previous(runs=2))
    assert kinds(milestones) == ["longest_run", "round_distance"]
    assert labels(milestones) == ["Longest run yet: 3.20 km", "First time past 3 km"]


def test_a_run_without_distance_after_earlier_runs_reaches_nothing():
    assert new_milestones(run(None, 1800), previous(longest_m=5000)) == []


# --- round distances ------------------------------------------------------------------------


def test_only_the_largest_round_distance_crossed_is_reported():
    # Previous best 4 km; 10.2 km crosses 5 and 10 km -> "10K" only (races by their names).
    milestones = new_milestones(run(10200), previous(longest_m=4000))
    assert labels(milestones) == ["Longest run yet: 10.20 km", "First time past 10K"]
    assert milestones[1]["threshold_m"] == 10000


@pytest.mark.parametrize(
    ("max_m", "metres", "expected"),
    [
        (4999, 5000, "First time past 5K"),  # reaching the threshold counts
        (5000, 5000, None),  # already there
        (4999, 4999.9, None),
        (900, 1000, "First time past 1 km"),
        (20000, 21097.5, "First time past a half marathon"),
        (20000, 21097.4, None),  # 21.0974 km is not quite a half
        (30000, 42195, "First time past a marathon"),
        (40000, 50000, "First time past a marathon"),
        (2500, 3000, "First time past 3 km"),
        (14000, 15000, "First time past 15 km"),
        (29000, 30000, "First time past 30 km"),
    ],
)
def test_round_distances(max_m, metres, expected):
    # longest_m above the run so that only the round distance can fire.
    milestones = new_milestones(run(metres), previous(longest_m=60000, max_m=max_m))
    round_labels = [m["label"] for m in milestones if m["kind"] == "round_distance"]
    assert round_labels == ([] if expected is None else [expected])


def test_max_m_defaults_to_longest_m_when_absent():
    before = {"longest_m": 4000, "best_pace": NO_PACES}
    assert "round_distance" in kinds(new_milestones(run(5000), before))


# --- best pace ------------------------------------------------------------------------------


def test_best_pace_at_5k():
    # 5 km in 27:00 = 1620 s -> 324 s/km (5:24); previous 5k best 330 s/km.
    # The 1k bracket's best (300) is faster, but 5k is the larger bracket this run qualifies for.
    before = previous(longest_m=8000, best_pace={"1k": 300, "5k": 330})
    milestones = new_milestones(run(5000, 1620), before)
    assert milestones == [
        {
            "kind": "best_pace",
            "entry_id": 42,
            "day": "2026-11-21",
            "distance_m": 5000,
            "bracket": "5k",
            "pace_s_per_km": 324.0,
            "previous_pace_s_per_km": 330,
            "label": "Best pace for 5K or more: 5:24 /km",
        }
    ]


def test_only_the_largest_bracket_with_a_new_best_is_reported():
    # 10 km in 50:00 = 300 s/km beats the 1k (310), 5k (320) and 10k (330) bests.
    before = previous(longest_m=12000, best_pace={"1k": 310, "5k": 320, "10k": 330})
    assert labels(new_milestones(run(10000, 3000), before)) == [
        "Best pace for 10K or more: 5:00 /km"
    ]
    # Slower than the 10k best (290) but faster than the 5k best (320): the 5k record.
    before = previous(longest_m=12000, best_pace={"1k": 310, "5k": 320, "10k": 290})
    assert labels(new_milestones(run(10000, 3000), before)) == [
        "Best pace for 5K or more: 5:00 /km"
    ]


def test_a_first_time_in_a_bracket_is_a_best_after_earlier_runs():
    # Earlier runs were all under 10 km: the first 10 km run sets the 10k best.
    before = previous(longest_m=8000, best_pace={"1k": 280, "5k": 290})
    milestones = new_milestones(run(10000, 3600), before)
    assert labels(milestones) == [
        "Longest run yet: 10.00 km",
        "First time past 10K",
        "Best pace for 10K or more: 6:00 /km",
    ]
    assert milestones[-1]["previous_pace_s_per_km"] is None


@pytest.mark.parametrize(
    ("metres", "seconds", "best_1k"),
    [
        (5000, 1500, 300),  # 300 s/km equals the best: not a new one
        (999, 200, 300),  # under 1 km: no bracket
        (5000, None, 300),  # no duration: no pace
    ],
)
def test_no_pace_milestone(metres, seconds, best_1k):
    before = previous(longest_m=8000, best_pace={"1k": best_1k, "5k": 250})
    assert "best_pace" not in kinds(new_milestones(run(metres, seconds), before))


def test_half_bracket_needs_a_full_half():
    before = previous(longest_m=30000, best_pace={"1k": 200, "5k": 200, "10k": 200, "half": 400})
    assert labels(new_milestones(run(21097.5, 21097.5 * 0.3), before)) == [
        "Best pace for a half marathon or more: 5:00 /km"
    ]
    assert new_milestones(run(21000, 21000 * 0.3), before) == []


# --- what never reaches a milestone ---------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        Entry(uuid="r", date="2026-11-21", kind="rest", mood_after=4),
        Entry(uuid="c", date="2026-11-21", kind="checkin", distance_m=50000),
        run(50000, 10000, deleted_at="2026-11-21T09:00:00+01:00"),
    ],
)
def test_rest_checkins_and_deleted_entries_reach_nothing(entry):
    assert new_milestones(entry, previous()) == []
    assert new_milestones(entry, previous(longest_m=1000)) == []


@pytest.mark.parametrize("kind", ["run", "run-walk", "trail", "treadmill", "race"])
def test_runs_of_every_running_kind_set_records(kind):
    assert kinds(new_milestones(run(6000, 1800, kind=kind), previous(longest_m=5000))) == [
        "longest_run", "best_pace"]


def test_a_walk_reaches_no_milestone_and_is_no_record():
    walk = run(12000, 9000, kind="walk")
    assert new_milestones(walk, previous(longest_m=5000, best_pace={"5k": 400})) == []
    assert new_milestones(walk, previous()) == []  # nor is a first walk "your first run"
    assert personal_records([walk, run(3000, 1200)]) == {
        "runs": 1, "longest_m": 3000, "max_m": 3000,
        "best_pace": {"1k": 400.0, "5k": None, "10k": None, "half": None}}


# --- labels in other units ------------------------------------------------------------------


def test_describe_milestone_in_miles():
    assert describe_milestone({"kind": "longest_run", "distance_m": 16093.44}, "mi") == (
        "Longest run yet: 10.00 mi"
    )
    pace = {"kind": "best_pace", "bracket": "1k", "pace_s_per_km": 300.0}
    assert describe_milestone(pace, "mi") == "Best pace for 1K or more: 8:03 /mi"
    # Races are named as runners name them, whatever the units.
    assert describe_milestone({"kind": "round_distance", "threshold_m": 5000.0}, "mi") == (
        "First time past 5K"
    )
    # A milestone that keeps the earlier furthest distance is named in the units shown.
    crossed = {"kind": "round_distance", "threshold_m": 3000.0, "distance_m": 3300.0,
               "previous_max_m": 2500.0}
    assert describe_milestone(crossed, "km") == "First time past 3 km"
    assert describe_milestone(crossed, "mi") == "First time past 2 mi"
    # One with no threshold of the units shown keeps its own name.
    fifteen = {"kind": "round_distance", "threshold_m": 15000.0, "distance_m": 15500.0,
               "previous_max_m": 12000.0}
    assert describe_milestone(fifteen, "mi") == "First time past 15 km"
    assert describe_milestone({"kind": "mystery", "label": "kept"}) == "kept"


@pytest.mark.parametrize(
    ("pace", "units", "expected"),
    [
        (300, "km", "5:00 /km"),
        (299.6, "km", "5:00 /km"),
        (359.4, "km", "5:59 /km"),
        (59.5, "km", "1:00 /km"),
        (372.8, "mi", "10:00 /mi"),  # 372.8 × 1.609344 = 599.96
    ],
)
def test_format_pace(pace, units, expected):
    assert format_pace(pace, units) == expected


def test_format_distance_and_bad_units():
    assert format_distance(21097.5) == "21.10 km"
    assert format_distance(1609.344, "mi") == "1.00 mi"
    with pytest.raises(InputError):
        format_distance(1000, "leagues")


@pytest.mark.parametrize(
    ("max_m", "metres", "expected"),
    [
        (1000, 1700, "First time past 1 mi"),
        (1700, 3300, "First time past 2 mi"),
        (4000, 4900, "First time past 3 mi"),
        (4900, 5000, "First time past 5K"),
        (7000, 8100, "First time past 5 mi"),
        (8100, 10000, "First time past 10K"),
        (12000, 16100, "First time past 10 mi"),
        (20000, 21097.5, "First time past a half marathon"),
        (30000, 32200, "First time past 20 mi"),
        (40000, 42195, "First time past a marathon"),
        (10100, 15500, None),  # 15 km is no round distance in miles
    ],
)
def test_round_distances_in_miles(max_m, metres, expected):
    milestones = new_milestones(run(metres), previous(longest_m=max_m), units="mi")
    found = [m["label"] for m in milestones if m["kind"] == "round_distance"]
    assert found == ([] if expected is None else [expected])
    for milestone in milestones:
        assert describe_milestone(milestone, "mi") == milestone["label"]


def test_milestone_labels_in_miles_follow_the_units():
    milestones = new_milestones(run(10000, 3000), previous(longest_m=4000), units="mi")
    assert labels(milestones) == ["Longest run yet: 6.21 mi", "First time past 10K",
                                  "Best pace for 10K or more: 8:03 /mi"]


# --- a log built run by run -----------------------------------------------------------------


def test_personal_records_reference():
    earlier = [
        run(3000, 1050),  # 350 s/km
        run(6000, 2040),  # 340 s/km
        run(12000, None),  # no pace
        Entry(uuid="x", date="2026-11-20", distance_m=20000, duration_s=3600, deleted_at="y"),
        Entry(uuid="r", date="2026-11-20", kind="rest"),
    ]
    assert personal_records(earlier) == {
        "runs": 3,
        "longest_m": 12000,
        "max_m": 12000,
        "best_pace": {"1k": 340.0, "5k": 340.0, "10k": None, "half": None},
    }


runs_strategy = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(100, 45000).map(float)),
        st.one_of(st.none(), st.integers(60, 20000).map(float)),
    ),
    min_size=1,
    max_size=25,
)


@given(runs_strategy)
def test_logging_run_by_run_reaches_each_record_as_it_is_set(runs):
    log: list[Entry] = []
    crossed: list[float] = []
    for index, (metres, seconds) in enumerate(runs):
        day = (date(2026, 1, 1) + timedelta(days=index)).isoformat()
        entry = Entry(uuid=str(index), date=day, distance_m=metres, duration_s=seconds)
        milestones = new_milestones(entry, personal_records(log))
        found = kinds(milestones)
        # A run no one could have run (kept with --force) reaches nothing and is no record.
        possible = [e for e in log if not impossible(e.distance_m, e.duration_s)]
        if impossible(metres, seconds):
            assert found == []
        elif not possible:
            assert found == ["first_run"]
        else:
            assert "first_run" not in found
            furthest = max((e.distance_m for e in possible if e.distance_m), default=0)
            assert ("longest_run" in found) == bool(metres and metres > furthest)
            rounds = [m["threshold_m"] for m in milestones if m["kind"] == "round_distance"]
            expected = [t for t, _ in ROUND_DISTANCES_M if furthest < t <= (metres or 0)]
            assert rounds == expected[-1:]
            crossed += rounds
            assert found.count("best_pace") <= 1
        log.append(entry)
    # Each round distance is celebrated at most once over the whole log.
    assert len(crossed) == len(set(crossed))
