"""SPEC §6 insight rules: each just under, at and just over its threshold, by hand."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from runlog.analysis.insights import (
    BODY_LINE,
    SUPPORT_LINE,
    Finding,
    any_at_least,
    find_insights,
    finding_to_dict,
)
from runlog.errors import InputError
from runlog.model import Entry

AS_OF = date(2026, 11, 21)  # a Saturday
_uuids = itertools.count(1)


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def entry(days_ago: int, kind: str = "run", km: float | None = 5.0, **fields) -> Entry:
    """An entry `days_ago` days before AS_OF (0 = AS_OF itself)."""
    return Entry(
        uuid=f"u{next(_uuids)}",
        date=ago(days_ago).isoformat(),
        kind=kind,
        distance_m=None if km is None else km * 1000,
        duration_s=None if km is None else km * 360,
        **fields,
    )


def rest(days_ago: int, **fields) -> Entry:
    return entry(days_ago, kind="rest", km=None, **fields)


def insights(entries, history_start=None, **options) -> list[Finding]:
    return find_insights(entries, AS_OF, history_start=history_start, **options)


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def only(findings, code) -> Finding:
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, codes(findings)
    return matching[0]


# --- mileage_spike --------------------------------------------------------------------------
# ratio = acute / (total_28 / 4) = 4A / (A + X), with A = km in the last 7 days and X = km
# in the 21 days before them.


def spike_log(acute_m, base_m) -> list[Entry]:
    """Base runs (metres) 20, 14 and 8 days ago; acute runs 6 days ago and on AS_OF."""
    base = [run_m(days, metres) for days, metres in zip((20, 14, 8), base_m)]
    return base + [run_m(days, metres) for days, metres in zip((6, 0), acute_m)]


def run_m(days_ago: int, metres: float) -> Entry:
    return Entry(uuid=f"u{next(_uuids)}", date=ago(days_ago).isoformat(), distance_m=metres)


OLD_ENOUGH = ago(27)  # the first run was on the first day of the 28-day window
BASE_27 = (9000, 9000, 9000)
BASE_25 = (10000, 10000, 5000)


@pytest.mark.parametrize(
    ("acute_m", "base_m", "expected"),
    [
        # A = 13 km, X = 27 km: 4·13 / 40 = 1.3 exactly -> not over 1.3.
        ((6500, 6500), BASE_27, None),
        ((6500, 6499), BASE_27, None),  # 4·12.999 / 39.999 = 1.29993
        ((6500, 6501), BASE_27, "caution"),  # 4·13.001 / 40.001 = 1.30007
        # Decimal metres whose float sum is not exactly 13000 still make exactly 1.3.
        ((4333.3, 8666.7), (9000.1, 8999.9, 9000), None),
        # A = 15 km, X = 25 km: 4·15 / 40 = 1.5 exactly -> a caution, not yet a warning.
        ((7500, 7500), BASE_25, "caution"),
        ((7500, 7501), BASE_25, "warning"),  # 4·15.001 / 40.001 = 1.50006
        ((7500, 7499), BASE_25, "caution"),  # 4·14.999 / 39.999 = 1.49996
        # Steady weeks: 10 km in the last 7 days, 30 km before -> 4·10 / 40 = 1.0
        ((5000, 5000), (10000, 10000, 10000), None),
    ],
)
def test_mileage_spike_thresholds(acute_m, base_m, expected):
    findings = insights(spike_log(acute_m, base_m), history_start=OLD_ENOUGH)
    if expected is None:
        assert "mileage_spike" not in codes(findings)
    else:
        assert only(findings, "mileage_spike").severity == expected


def forty_on_a_base_of_58() -> list[Entry]:
    # Acute 40 km; base 58 km -> total 98, chronic 24.5, ratio 40 / 24.5 = 1.63265…
    return spike_log((20000, 20000), (20000, 20000, 18000))


def test_mileage_spike_evidence_and_message():
    spike = only(insights(forty_on_a_base_of_58(), OLD_ENOUGH), "mileage_spike")
    assert spike.severity == "warning"
    assert spike.evidence == {
        "acute_km": 40.0,
        "chronic_km": 24.5,
        "ratio": 1.633,
        "history_days": 28,
    }
    assert spike.message.startswith(
        "You ran 40.0 km in the last 7 days, 1.6 times your average week over the last four "
        "(24.5 km)."
    )


def test_mileage_spike_message_in_miles():
    spike = only(insights(forty_on_a_base_of_58(), OLD_ENOUGH, units="mi"), "mileage_spike")
    # 40 km = 24.85 mi, 24.5 km = 15.22 mi; evidence stays in km.
    assert "You ran 24.9 mi in the last 7 days" in spike.message
    assert "(15.2 mi)" in spike.message
    assert spike.evidence["acute_km"] == 40.0


def test_mileage_spike_needs_28_days_of_history():
    log = spike_log((10000, 10000), (10000, 10000))  # ratio 4·20 / 40 = 2.0
    assert "mileage_spike" not in codes(insights(log, history_start=ago(26)))  # 27 days
    assert "mileage_spike" in codes(insights(log, history_start=ago(27)))  # 28 days
    assert "mileage_spike" not in codes(insights(log, history_start=None))


def test_mileage_spike_ignores_runs_before_the_28_day_window():
    # A big run 28 days ago (outside the window) must not dilute the chronic load.
    log = spike_log((6500, 6501), BASE_27) + [entry(28, km=100.0)]
    assert only(insights(log, history_start=ago(60)), "mileage_spike").severity == "caution"


def test_mileage_spike_with_no_recent_distance_finds_nothing():
    # chronic = 0: no division, no finding (time-only runs carry no distance).
    assert insights([entry(3, km=None)], history_start=ago(100)) == []
    assert insights([], history_start=ago(100)) == []


# --- low_mood_streak ------------------------------------------------------------------------
# Blocks: [AS_OF-6, AS_OF], [AS_OF-13, AS_OF-7], [AS_OF-20, AS_OF-14].


def low_mood_log(recent=(2, 2), middle=(2, 2), oldest=(2, 2)) -> list[Entry]:
    log = []
    for first_day, moods in ((0, recent), (7, middle), (14, oldest)):
        for offset, mood in enumerate(moods):
            log.append(entry(first_day + 2 * offset, mood_after=mood))
    return log


def test_low_mood_streak_at_threshold_is_a_warning():
    finding = only(insights(low_mood_log()), "low_mood_streak")
    assert finding.severity == "warning"
    assert finding.message.startswith(
        "Your mood after runs has stayed low for three weeks even though you keep running"
    )
    assert finding.evidence["mood_after_mean"] == 2.0
    assert [week["start"] for week in finding.evidence["weeks"]] == [
        "2026-11-01",
        "2026-11-08",
        "2026-11-15",
    ]
    assert [week["end"] for week in finding.evidence["weeks"]] == [
        "2026-11-07",
        "2026-11-14",
        "2026-11-21",
    ]


@pytest.mark.parametrize(
    "log",
    [
        low_mood_log(recent=(2, 3)),  # mean 2.5 > 2
        low_mood_log(oldest=(3, 2)),
        low_mood_log(middle=(2,)),  # only one run that week
        low_mood_log(recent=(None, None)),  # runs, but no mood after recorded
    ],
)
def test_low_mood_streak_not_quite(log):
    assert "low_mood_streak" not in codes(insights(log))


@pytest.mark.parametrize(
    "log",
    [
        low_mood_log(recent=(1, 3)),  # mean exactly 2
        low_mood_log(middle=(None, 2)),  # mean over the runs that have one
        low_mood_log(oldest=(1, 1, 1, 5)),  # 8 / 4 = 2
    ],
)
def test_low_mood_streak_qualifying_variants(log):
    assert only(insights(log), "low_mood_streak").severity == "warning"


def test_low_mood_streak_block_edges():
    # The oldest block ends 20 days back: a run 21 days back falls outside all three.
    log = low_mood_log(oldest=(2,)) + [entry(21, mood_after=1)]
    assert "low_mood_streak" not in codes(insights(log))
    log = low_mood_log(oldest=(2,)) + [entry(20, mood_after=1)]
    assert "low_mood_streak" in codes(insights(log))


def test_low_mood_streak_does_not_count_rest_or_checkins_as_runs():
    log = low_mood_log(recent=(2,)) + [rest(1, mood_after=1)]
    assert "low_mood_streak" not in codes(insights(log))
    log = low_mood_log(recent=(2,)) + [entry(1, kind="checkin", km=None, mood_after=1)]
    assert "low_mood_streak" not in codes(insights(log))
    # A walk is an activity, so it counts.
    log = low_mood_log(recent=(2,)) + [entry(1, kind="walk", mood_after=1)]
    assert "low_mood_streak" in codes(insights(log))


# --- running_through_pain -------------------------------------------------------------------


def test_running_through_pain_three_runs_at_pain_four():
    log = [entry(0, pain=4), entry(5, pain=4), entry(13, pain=6)]
    finding = only(insights(log), "running_through_pain")
    assert finding.severity == "warning"
    assert finding.evidence == {
        "painful_runs": 3,
        "max_pain": 6,
        "days": ["2026-11-08", "2026-11-16", "2026-11-21"],
    }


@pytest.mark.parametrize(
    "log",
    [
        [entry(0, pain=4), entry(5, pain=4), entry(13, pain=3)],  # pain 3 is under 4
        [entry(0, pain=4), entry(5, pain=4)],  # only two runs
        [entry(0, pain=4), entry(5, pain=4), entry(14, pain=9)],  # 15 days back: outside
        [entry(0, pain=4), entry(5, pain=4), entry(6, kind="checkin", km=None, pain=8)],
        [entry(0, pain=4), entry(5, pain=4), entry(6, pain=7, deleted_at="2026-11-20")],
        [entry(0, pain=4), entry(5, pain=4), entry(6, pain=None)],
    ],
)
def test_running_through_pain_not_quite(log):
    assert "running_through_pain" not in codes(insights(log))


# --- no_rest --------------------------------------------------------------------------------


def test_no_rest_after_14_days_of_running():
    log = [entry(days, km=3.0) for days in range(14)]
    finding = only(insights(log), "no_rest")
    assert finding.severity == "caution"
    assert finding.evidence == {"days_with_runs": 14, "runs": 14}
    assert SUPPORT_LINE not in finding.message


@pytest.mark.parametrize("gap", [0, 7, 13])
def test_no_rest_broken_by_one_day_without_a_run(gap):
    log = [entry(days, km=3.0) for days in range(15) if days != gap]
    log += [entry((gap + 1) % 14, km=2.0)]  # a second run elsewhere does not fill the gap
    log += [rest(gap)]  # a rest day is not a run
    assert "no_rest" not in codes(insights(log))


def test_no_rest_ignores_a_deleted_run_and_counts_walks():
    log = [entry(days, km=3.0) for days in range(1, 14)]
    assert "no_rest" not in codes(insights(log + [entry(0, deleted_at="2026-11-21")]))
    assert "no_rest" in codes(insights(log + [entry(0, kind="walk")]))


# --- rest_day_guilt -------------------------------------------------------------------------


def test_rest_day_guilt_on_two_rest_days():
    log = [rest(2, emotions=("guilt",)), rest(27, emotions=("calm", "anxiety"))]
    finding = only(insights(log), "rest_day_guilt")
    assert finding.severity == "caution"
    assert finding.evidence == {"rest_days": 2, "days": ["2026-10-25", "2026-11-19"]}


@pytest.mark.parametrize(
    "log",
    [
        [rest(2, emotions=("guilt",))],  # one day
        [rest(2, emotions=("guilt",)), rest(2, emotions=("anxiety",))],  # same day twice
        [rest(2, emotions=("guilt",)), rest(28, emotions=("guilt",))],  # 29 days back
        [rest(2, emotions=("guilt",)), rest(3, emotions=("sadness",))],
        [rest(2, emotions=("guilt",)), entry(3, emotions=("guilt",))],  # a run, not rest
        [rest(2, emotions=("guilt",)), entry(3, kind="checkin", km=None, emotions=("guilt",))],
        [rest(2, emotions=("guilt",)), rest(3, emotions=("guilt",), deleted_at="2026-11-20")],
    ],
)
def test_rest_day_guilt_not_quite(log):
    assert "rest_day_guilt" not in codes(insights(log))


# --- fading_lift ----------------------------------------------------------------------------


def lift_runs(lifts, newest_days_ago=0):
    """Runs two days apart (no no_rest), oldest first, with mood_after − mood_before = lift."""
    count = len(lifts)
    return [
        entry(newest_days_ago + 2 * (count - 1 - index), mood_before=3, mood_after=3 + lift)
        for index, lift in enumerate(lifts)
    ]


EARLIER_HALF = [1] * 5 + [0] * 5  # mean 0.5 exactly


def test_fading_lift_at_thresholds_is_a_caution():
    log = lift_runs(EARLIER_HALF + [-1, 0, 0, 0, 0])  # recent mean -0.2
    finding = only(insights(log), "fading_lift")
    assert finding.severity == "caution"
    assert finding.evidence == {
        "recent_lift_mean": -0.2,
        "earlier_lift_mean": 0.5,
        "recent_runs": 5,
        "earlier_runs": 10,
        "since": ago(28).isoformat(),
    }


@pytest.mark.parametrize(
    "lifts",
    [
        EARLIER_HALF + [0, 0, 0, 0, 0],  # recent mean 0 is not below 0
        EARLIER_HALF + [-1, 1, 0, 0, 0],
        [1] * 4 + [0] * 6 + [-1, 0, 0, 0, 0],  # earlier mean 0.4 < 0.5
        EARLIER_HALF[1:] + [-1, 0, 0, 0, 0],  # only 14 runs with both moods
    ],
)
def test_fading_lift_not_quite(lifts):
    assert "fading_lift" not in codes(insights(lift_runs(lifts)))


def test_fading_lift_uses_only_the_last_15_runs_with_both_moods():
    # Five very negative older runs come before the 15 that count.
    log = lift_runs([-4] * 5 + EARLIER_HALF + [-1, 0, 0, 0, 0])
    assert "fading_lift" in codes(insights(log))
    # Runs without both moods in between are skipped, not counted as zero lift.
    log = lift_runs(EARLIER_HALF + [-1, 0, 0, 0, 0]) + [
        entry(1, mood_after=5),
        entry(3, mood_before=1),
    ]
    assert "fading_lift" in codes(insights(log))


def test_fading_lift_sees_old_runs_the_caller_merged_in():
    # The 15 runs end 50 days back, outside the 42-day window; they still count.
    log = lift_runs(EARLIER_HALF + [-1, 0, 0, 0, 0], newest_days_ago=50)
    assert "fading_lift" in codes(insights(log))


def test_fading_lift_orders_same_day_runs_by_time():
    # Nine earlier runs (lift sum 4), then two timed runs on Nov 9 straddling the boundary
    # between "the 10 before" and "the last 5", then four flat runs.
    #   morning (+1) belongs to the earlier ten: (4 + 1) / 10 = 0.5   -> qualifies
    #   evening (-1) opens the last five:        (-1 + 0·4) / 5 = -0.2 -> below 0
    # Ordered the wrong way round, the earlier ten would average (4 - 1) / 10 = 0.3.
    earlier = [
        entry(30 - 2 * index, mood_before=3, mood_after=3 + lift)
        for index, lift in enumerate([1, 1, 1, 1, 0, 0, 0, 0, 0])
    ]
    morning = Entry(uuid="am", date="2026-11-09T07:00:00+01:00", mood_before=3, mood_after=4)
    evening = Entry(uuid="pm", date="2026-11-09T19:00:00+01:00", mood_before=3, mood_after=2)
    recent = [entry(days, mood_before=3, mood_after=3) for days in (10, 8, 6, 4)]
    finding = only(insights(earlier + [evening, morning] + recent), "fading_lift")
    assert finding.evidence["earlier_lift_mean"] == 0.5
    assert finding.evidence["recent_lift_mean"] == -0.2


# --- milestones -----------------------------------------------------------------------------


def milestone(days_ago, kind="longest_run", **fields):
    base = {
        "kind": kind,
        "entry_id": 7,
        "day": ago(days_ago).isoformat(),
        "label": "Longest run yet: 12.00 km",
        "distance_m": 12000.0,
    }
    return base | fields


def test_milestones_in_the_last_7_days_become_info_findings():
    findings = insights([], milestones=[milestone(3), milestone(7), milestone(6)])
    assert [finding.severity for finding in findings] == ["info", "info"]
    assert [finding.message for finding in findings] == [
        "Longest run yet: 12.00 km on Nov 15 — be proud of that.",
        "Longest run yet: 12.00 km on Nov 18 — be proud of that.",
    ]
    assert findings[1].evidence == {
        "kind": "longest_run",
        "entry_id": 7,
        "day": "2026-11-18",
        "distance_m": 12000.0,
    }


def test_milestone_messages_follow_units_and_kind():
    pace = milestone(
        0,
        kind="best_pace",
        bracket="5k",
        pace_s_per_km=300.0,
        distance_m=5000.0,
        label="Best pace for 5 km or more: 5:00 /km",
    )
    round_distance = milestone(1, kind="round_distance", threshold_m=21097.5, label="x")
    findings = insights([], milestones=[pace, round_distance, milestone(2)], units="mi")
    assert [finding.message for finding in findings] == [
        "Longest run yet: 7.46 mi on Nov 19 — be proud of that.",
        "First time past a half marathon on Nov 20 — be proud of that.",
        "Best pace for 5K or more: 8:03 /mi on Nov 21 — be proud of that.",
    ]


def test_milestone_with_only_a_label_keeps_it():
    findings = insights([], milestones=[{"kind": "other", "day": ago(0), "label": "Did it"}])
    assert findings[0].message == "Did it on Nov 21 — be proud of that."


# --- across the rules -----------------------------------------------------------------------


def healthy_log() -> list[Entry]:
    """Six steady weeks: three 5 km runs a week that lift mood, a calm rest day, a check-in."""
    log = []
    for week in range(6):
        for day_in_week in (0, 2, 4):
            log.append(entry(7 * week + day_in_week, km=5.0, mood_before=3, mood_after=4))
        log.append(rest(7 * week + 1, mood_after=4, emotions=("calm",)))
    log.append(entry(3, kind="checkin", km=None, mood_after=2, emotions=("guilt",)))
    return log


def test_a_healthy_log_finds_nothing():
    assert insights(healthy_log(), history_start=ago(41)) == []


def test_a_healthy_log_still_celebrates_milestones():
    findings = insights(healthy_log(), history_start=ago(41), milestones=[milestone(2)])
    assert codes(findings) == ["milestone"]


def worrying_log() -> list[Entry]:
    """Every rule at once, worked out by hand:
    - days 33, 31, …, 15: ten 3 km runs, mood 1 -> 2 (lift +1 each: the "10 before")
    - days 13 .. 0: an 8 km run every day, mood after 2; days 4 .. 0 also have mood
      before 3 (lift -1: the "last 5"); days 2 .. 0 with pain 5
    - rest days 22 and 24 naming guilt
    mileage: acute 7 × 8 = 56 km; 28 days: 14 × 8 + 7 × 3 (days 15 .. 27) = 133 km,
    chronic 33.25, ratio 1.684 -> warning. Low mood: each block has ≥ 2 runs, all mood 2.
    """
    log = [entry(15 + 2 * index, km=3.0, mood_before=1, mood_after=2) for index in range(10)]
    log += [rest(days, emotions=("guilt",)) for days in (22, 24)]
    log += [
        entry(
            days,
            km=8.0,
            mood_before=3 if days < 5 else None,
            mood_after=2,
            pain=5 if days < 3 else None,
        )
        for days in range(14)
    ]
    return log


def test_every_rule_can_fire_and_findings_are_ordered_by_severity():
    findings = insights(worrying_log(), history_start=ago(40), milestones=[milestone(1)])
    assert [(finding.severity, finding.code) for finding in findings] == [
        ("warning", "mileage_spike"),
        ("warning", "low_mood_streak"),
        ("warning", "running_through_pain"),
        ("caution", "no_rest"),
        ("caution", "rest_day_guilt"),
        ("caution", "fading_lift"),
        ("info", "milestone"),
    ]


def all_messages() -> list[Finding]:
    findings = insights(worrying_log(), history_start=ago(40), milestones=[milestone(1)])
    findings += insights(spike_log((6500, 6501), BASE_27), history_start=OLD_ENOUGH)  # caution
    return findings


BANNED = (
    "depress",
    "diagnos",
    "disorder",
    "addict",
    "injur",
    "illness",
    "sick",
    "obsess",
    "compulsi",
    "patholog",
    "symptom",
    "mental",
    "you are",
    "you have",
    "you're",
)


def test_no_finding_is_phrased_as_a_diagnosis():
    for finding in all_messages():
        # The support line itself says "if you are in crisis"; judge what precedes it.
        text = finding.message.replace(SUPPORT_LINE, "").replace(BODY_LINE, "").lower()
        for word in BANNED:
            assert word not in text, (finding.code, word)


def test_every_warning_ends_with_its_help_line_and_nothing_else_has_one():
    findings = all_messages()
    assert {finding.severity for finding in findings} == {"warning", "caution", "info"}
    assert {f.code for f in findings if f.severity == "warning"} == {
        "low_mood_streak", "running_through_pain", "mileage_spike"}
    for finding in findings:
        if finding.code == "low_mood_streak":
            # Mood: professional support, and emergency services in a crisis.
            assert finding.message.splitlines()[-1] == SUPPORT_LINE
            assert finding.message.count(SUPPORT_LINE) == 1
            assert BODY_LINE not in finding.message
        elif finding.severity == "warning":
            # The body: a physiotherapist or doctor, never the emergency line.
            assert finding.message.splitlines()[-1] == BODY_LINE
            assert finding.message.count(BODY_LINE) == 1
            assert SUPPORT_LINE not in finding.message
            assert "emergency" not in finding.message and "crisis" not in finding.message
            assert "physiotherapist or doctor" in finding.message
        else:
            assert SUPPORT_LINE not in finding.message
            assert BODY_LINE not in finding.message


def test_support_line_is_exact():
    assert SUPPORT_LINE == (
        "Running can be part of healing, but it is not a substitute for professional support. "
        "If you are in crisis, contact your local emergency services."
    )


def test_findings_serialize_to_the_json_shape():
    for finding in all_messages():
        as_dict = finding_to_dict(finding)
        assert list(as_dict) == ["code", "severity", "message", "evidence"]
        assert json.loads(json.dumps(as_dict)) == as_dict
        assert re.fullmatch(r"[a-z_]+", finding.code)


def test_deleted_entries_and_entries_after_as_of_are_ignored():
    deleted = [replace(e, deleted_at="2026-11-21T08:00:00+01:00") for e in worrying_log()]
    assert insights(deleted, history_start=ago(40)) == []
    # The same worrying fortnight seen from 30 days before it: nothing has happened yet.
    assert find_insights(worrying_log(), ago(30), history_start=ago(40)) == []


def test_rest_and_checkins_never_count_as_runs():
    # Fourteen days of rest and check-ins with pain and low moods: no run-based finding.
    log = [rest(days, mood_after=1, pain=6) for days in range(14)]
    log += [entry(days, kind="checkin", km=None, mood_after=1, pain=6) for days in range(21)]
    assert insights(log, history_start=ago(40)) == []


def test_any_at_least_for_fail_on():
    caution = Finding("no_rest", "caution", "m", {})
    info = Finding("milestone", "info", "m", {})
    assert any_at_least([info, caution], "caution")
    assert not any_at_least([info, caution], "warning")
    assert not any_at_least([], "caution")
    with pytest.raises(InputError):
        any_at_least([info], "severe")


def test_unknown_units_are_an_input_error():
    with pytest.raises(InputError):
        insights([], units="furlongs")
