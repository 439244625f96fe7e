"""The insight rules of SPEC §6: notice patterns in the log and say them plainly and warmly.

Findings notice; they never diagnose. Every warning ends with a plain line pointing to the
right help (SPEC §6): a warning about mood (`low_mood_streak`) with SUPPORT_LINE, that
running is no substitute for professional support and, in a crisis, local emergency
services; a warning about the body (`running_through_pain`, `mileage_spike`) with
BODY_LINE, a physiotherapist or doctor. The emergency-services line is for mood alone:
sore knees are no crisis. Cautions and milestones carry neither.

Readings of the spec, fixed here:
- Days are Entry.day (the local calendar date the entry was logged for). "The last N days"
  as of D is D and the N − 1 days before it. Entries after D are ignored, so `--as-of` in
  the past sees the log as it was that day; except an entry written with an offset ahead
  of local time, whose day is after D though it had happened by the end of D here: it
  counts, as on D.
- Runs are non-deleted entries of the activity kinds; rest days are entries of kind `rest`;
  check-ins count as neither.
- mileage_spike needs 28 days of history: D − history_start ≥ 27 days, i.e. the first run
  ever was on or before the first day of the 28-day window, so the chronic load is not
  diluted by days before the runner started. Chronic = km in the last 28 days / 4 (the
  acute week included). Distances are summed as whole millimetres and the ratio compared as
  an exact fraction, so a ratio of exactly 1.3 (or 1.5) is not over the threshold.
- low_mood_streak: three 7-day blocks ending on D, D − 7 and D − 14. Each needs ≥ 2 runs
  and, over its runs that have a mood after, a mean ≤ 2. A block whose runs have no mood
  after does not qualify (silence is not low mood).
- rest_day_guilt counts distinct rest *days* (two rest entries on one day are one day).
- fading_lift looks at the last 15 runs with both moods in `entries`, however old.
- milestone: one info finding per milestone dict whose day is in the last 7 days. Walks
  reach no milestone (records.new_milestones), so none is ever a walk's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from runlog.analysis.records import METRES_PER_MILE, describe_milestone
from runlog.errors import InputError
from runlog.model import ACTIVITY_KINDS, Entry

SUPPORT_LINE = (
    "Running can be part of healing, but it is not a substitute for professional support. "
    "If you are in crisis, contact your local emergency services."
)

BODY_LINE = (
    "If something hurts or doesn't feel right, a physiotherapist or doctor is the right "
    "person to ask."
)
# The last line of each warning, by rule: mood to SUPPORT_LINE, the body to BODY_LINE.
HELP_LINES = {
    "low_mood_streak": SUPPORT_LINE,
    "running_through_pain": BODY_LINE,
    "mileage_spike": BODY_LINE,
}

INFO, CAUTION, WARNING = "info", "caution", "warning"
SEVERITIES = (INFO, CAUTION, WARNING)  # mildest first; index is the rank

# Thresholds of §6, as exact fractions so a ratio of exactly 1.3 stays a non-finding.
SPIKE_CAUTION_RATIO = Fraction(13, 10)
SPIKE_WARNING_RATIO = Fraction(3, 2)
SPIKE_HISTORY_DAYS = 28
LOW_MOOD_MAX_MEAN = 2
LOW_MOOD_WEEKS = 3
LOW_MOOD_MIN_RUNS = 2
PAIN_MIN_LEVEL = 4
PAIN_MIN_RUNS = 3
PAIN_WINDOW_DAYS = 14
NO_REST_DAYS = 14
GUILT_EMOTIONS = ("guilt", "anxiety")
GUILT_MIN_DAYS = 2
GUILT_WINDOW_DAYS = 28
FADING_RECENT_RUNS = 5
FADING_EARLIER_RUNS = 10
FADING_EARLIER_MIN_MEAN = Fraction(1, 2)
MILESTONE_WINDOW_DAYS = 7

# What callers must pass: every entry of the last WINDOW_DAYS days (the longest day-window
# rule looks back to as_of − 27) plus the last FADING_RUNS_NEEDED runs with both moods.
WINDOW_DAYS = 28
FADING_RUNS_NEEDED = FADING_RECENT_RUNS + FADING_EARLIER_RUNS

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Finding:
    """One thing noticed: `code` names the rule, `evidence` the figures it used."""

    code: str
    severity: str
    message: str
    evidence: dict = field(default_factory=dict)


def finding_to_dict(finding: Finding) -> dict:
    """The `insights --json` shape of one finding (SPEC §5)."""
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "evidence": finding.evidence,
    }


def severity_rank(severity: str) -> int:
    """0 for info, 1 for caution, 2 for warning."""
    return SEVERITIES.index(severity)


def any_at_least(findings: Iterable[Finding], severity: str) -> bool:
    """Whether some finding is at least as serious as `severity` (for `--fail-on`)."""
    if severity not in SEVERITIES:
        raise InputError(f"unknown severity {severity!r}", hint="use caution or warning")
    floor = severity_rank(severity)
    return any(severity_rank(finding.severity) >= floor for finding in findings)


def _warning_text(code: str, body: str) -> str:
    return f"{body}\n{HELP_LINES[code]}"


def _short_day(day: date) -> str:
    # Not strftime("%b"): month names must not change with the machine's locale.
    return f"{MONTH_NAMES[day.month - 1]} {day.day}"


def _km(distance_m: Fraction | float) -> float:
    return round(float(distance_m) / 1000, 3)


def _end_of(day: date) -> float:
    """UTC seconds at which the local day ends."""
    from datetime import datetime, time

    return datetime.combine(day + timedelta(days=1), time()).astimezone().timestamp()


def _started(entry: Entry) -> float:
    """The entry's moment in UTC seconds; infinity for one dated by day alone."""
    if len(entry.date) <= 10:
        return float("inf")
    from datetime import datetime

    return datetime.fromisoformat(entry.date).timestamp()


class _Log:
    """The entries as the rules see them: dated, split into runs and rest days."""

    def __init__(self, entries: Sequence[Entry], as_of: date, units: str):
        self.as_of = as_of
        self.units = units
        live = [
            (date.fromisoformat(entry.day), entry)
            for entry in entries
            if entry.deleted_at is None
        ]
        # A run written with an offset ahead of local time can carry a later day than
        # as_of though it had happened by the end of as_of here: it counts, on as_of.
        ends = _end_of(as_of)
        live = [(min(day, as_of), entry) for day, entry in live
                if day <= as_of or _started(entry) < ends]
        self.runs = [(day, entry) for day, entry in live if entry.kind in ACTIVITY_KINDS]
        self.rest_days = [(day, entry) for day, entry in live if entry.kind == "rest"]

    def first_day(self, days: int) -> date:
        """The first day of "the last `days` days"."""
        return self.as_of - timedelta(days=days - 1)

    def runs_between(self, first: date, last: date) -> list[Entry]:
        return [entry for day, entry in self.runs if first <= day <= last]

    def runs_in_last(self, days: int) -> list[Entry]:
        return self.runs_between(self.first_day(days), self.as_of)

    def distance(self, distance_m: Fraction | float) -> str:
        per_unit = 1000 if self.units == "km" else METRES_PER_MILE
        return f"{float(distance_m) / per_unit:.1f} {self.units}"


def _total_m(runs: Iterable[Entry]) -> Fraction:
    # Summed as whole millimetres (the precision runlog keeps), so 4333.3 + 4333.3 + 4333.4
    # is exactly 13000 and a ratio of exactly 1.3 never tips over on float rounding.
    millimetres = sum(round(entry.distance_m * 1000) for entry in runs if entry.distance_m)
    return Fraction(millimetres, 1000)


def _mileage_spike(log: _Log, history_start: date | None) -> Finding | None:
    if history_start is None or (log.as_of - history_start).days < SPIKE_HISTORY_DAYS - 1:
        return None
    acute_m = _total_m(log.runs_in_last(7))
    chronic_m = _total_m(log.runs_in_last(SPIKE_HISTORY_DAYS)) / 4
    if chronic_m <= 0:
        return None
    ratio = acute_m / chronic_m
    if ratio > SPIKE_WARNING_RATIO:
        severity = WARNING
    elif ratio > SPIKE_CAUTION_RATIO:
        severity = CAUTION
    else:
        return None
    body = (
        f"You ran {log.distance(acute_m)} in the last 7 days, {float(ratio):.1f} times your "
        f"average week over the last four ({log.distance(chronic_m)}). "
    )
    if severity == WARNING:
        body += (
            "A jump this sharp is hard on the body; an easier week would give it time "
            "to catch up."
        )
        message = _warning_text("mileage_spike", body)
    else:
        message = body + "Building up a little more gently gives your body time to adapt."
    evidence = {
        "acute_km": _km(acute_m),
        "chronic_km": _km(chronic_m),
        "ratio": round(float(ratio), 3),
        "history_days": (log.as_of - history_start).days + 1,
    }
    return Finding("mileage_spike", severity, message, evidence)


def _low_mood_streak(log: _Log) -> Finding | None:
    blocks = []
    moods_all: list[int] = []
    for weeks_back in reversed(range(LOW_MOOD_WEEKS)):  # oldest block first
        last = log.as_of - timedelta(days=7 * weeks_back)
        first = last - timedelta(days=6)
        runs = log.runs_between(first, last)
        moods = [entry.mood_after for entry in runs if entry.mood_after is not None]
        if len(runs) < LOW_MOOD_MIN_RUNS or not moods:
            return None
        if sum(moods) > LOW_MOOD_MAX_MEAN * len(moods):  # mean > 2, in integers
            return None
        moods_all += moods
        blocks.append(
            {
                "start": first.isoformat(),
                "end": last.isoformat(),
                "runs": len(runs),
                "mood_after_mean": round(sum(moods) / len(moods), 3),
            }
        )
    mood_total = sum(moods_all)
    mood_mean = mood_total / len(moods_all)
    body = (
        "Your mood after runs has stayed low for three weeks even though you keep running "
        f"({sum(block['runs'] for block in blocks)} runs, mood after averaging "
        f"{mood_mean:.1f} out of 5). Running may not be lifting things the way it can, and "
        "talking with someone you trust, or a professional, may help."
    )
    evidence = {"mood_after_mean": round(mood_mean, 3), "weeks": blocks}
    return Finding("low_mood_streak", WARNING, _warning_text("low_mood_streak", body), evidence)


def _running_through_pain(log: _Log) -> Finding | None:
    painful = [
        entry
        for entry in log.runs_in_last(PAIN_WINDOW_DAYS)
        if entry.pain is not None and entry.pain >= PAIN_MIN_LEVEL
    ]
    if len(painful) < PAIN_MIN_RUNS:
        return None
    max_pain = max(entry.pain for entry in painful)
    body = (
        f"You logged pain of {PAIN_MIN_LEVEL}/10 or more on {len(painful)} runs in the last "
        f"{PAIN_WINDOW_DAYS} days (up to {max_pain}/10). Pain that keeps coming back is worth "
        "resting and having looked at, so it doesn't stop you running."
    )
    evidence = {
        "painful_runs": len(painful),
        "max_pain": max_pain,
        "days": sorted({entry.day for entry in painful}),
    }
    return Finding("running_through_pain", WARNING, _warning_text("running_through_pain", body),
                   evidence)


def _no_rest(log: _Log) -> Finding | None:
    first = log.first_day(NO_REST_DAYS)
    run_days = {day for day, _ in log.runs if first <= day <= log.as_of}
    if len(run_days) < NO_REST_DAYS:
        return None
    message = (
        f"You've run on each of the last {NO_REST_DAYS} days. Rest days are when your body "
        "absorbs the work — taking one or two would help, not hurt."
    )
    evidence = {"days_with_runs": len(run_days), "runs": len(log.runs_in_last(NO_REST_DAYS))}
    return Finding("no_rest", CAUTION, message, evidence)


def _rest_day_guilt(log: _Log) -> Finding | None:
    first = log.first_day(GUILT_WINDOW_DAYS)
    uneasy_days = sorted(
        {
            day
            for day, entry in log.rest_days
            if first <= day <= log.as_of
            and any(emotion.lower() in GUILT_EMOTIONS for emotion in entry.emotions)
        }
    )
    if len(uneasy_days) < GUILT_MIN_DAYS:
        return None
    message = (
        f"On {len(uneasy_days)} of your rest days in the last 4 weeks you named guilt or "
        "anxiety. Rest is part of training, not a step back — a day off takes nothing away "
        "from you."
    )
    evidence = {"rest_days": len(uneasy_days), "days": [day.isoformat() for day in uneasy_days]}
    return Finding("rest_day_guilt", CAUTION, message, evidence)


def _chronological(entry: Entry) -> tuple:
    # A day-only date sorts before the timed entries of that day (it is a prefix of them).
    return (entry.date, entry.id if entry.id is not None else 0, entry.uuid)


def _fading_lift(log: _Log) -> Finding | None:
    needed = FADING_RUNS_NEEDED
    with_lift = sorted(
        (entry for _, entry in log.runs if entry.mood_lift is not None), key=_chronological
    )
    if len(with_lift) < needed:
        return None
    window = with_lift[-needed:]
    earlier = [entry.mood_lift for entry in window[:FADING_EARLIER_RUNS]]
    recent = [entry.mood_lift for entry in window[FADING_EARLIER_RUNS:]]
    recent_mean = Fraction(sum(recent), len(recent))
    earlier_mean = Fraction(sum(earlier), len(earlier))
    if not (recent_mean < 0 and earlier_mean >= FADING_EARLIER_MIN_MEAN):
        return None
    message = (
        f"Runs used to lift your mood (by {float(earlier_mean):+.1f} on average over "
        f"{FADING_EARLIER_RUNS} runs), but your last {FADING_RECENT_RUNS} left you "
        f"lower than you started ({float(recent_mean):+.1f}). It may be worth noticing what "
        "has changed."
    )
    evidence = {
        "recent_lift_mean": round(float(recent_mean), 3),
        "earlier_lift_mean": round(float(earlier_mean), 3),
        "recent_runs": len(recent),
        "earlier_runs": len(earlier),
        "since": window[0].day,
    }
    return Finding("fading_lift", CAUTION, message, evidence)


def _milestones(log: _Log, milestones: Sequence[dict]) -> list[Finding]:
    first = log.first_day(MILESTONE_WINDOW_DAYS)
    dated = [(date.fromisoformat(str(m["day"])[:10]), m) for m in milestones]
    recent = sorted(
        ((day, m) for day, m in dated if first <= day <= log.as_of), key=lambda pair: pair[0]
    )
    findings = []
    for day, milestone in recent:
        label = describe_milestone(milestone, log.units)
        message = f"{label} on {_short_day(day)} — be proud of that."
        evidence = {key: value for key, value in milestone.items() if key != "label"}
        evidence["day"] = day.isoformat()
        findings.append(Finding("milestone", INFO, message, evidence))
    return findings


def find_insights(
    entries: Sequence[Entry],
    as_of: date,
    *,
    history_start: date | None,
    milestones: Sequence[dict] = (),
    units: str = "km",
) -> list[Finding]:
    """The findings of SPEC §6 as of `as_of`, warnings first, then cautions, then info.

    `entries` must hold every non-deleted entry (runs, rest days, check-ins) dated in
    [as_of − 27 days, as_of] (WINDOW_DAYS; a wider window such as 42 days is fine) AND at
    least the last 15 runs with both moods up to as_of, however old (fading_lift compares
    the last 5 of them with the 10 before). The caller merges the two queries without
    duplicates (a run passed twice would count twice); deleted entries and entries after
    as_of are ignored here anyway.

    `history_start` is the day of the first run ever (None for an empty log).
    `milestones` are dicts from records.new_milestones (kind, day, entry_id, label and
    numeric fields); those dated in the last 7 days become info findings.
    `units` ("km" or "mi") only changes how distances read in messages; evidence is in km.
    """
    if units not in ("km", "mi"):
        raise InputError(f"unknown units {units!r}", hint="use km or mi")
    log = _Log(entries, as_of, units)
    candidates = [
        _mileage_spike(log, history_start),
        _low_mood_streak(log),
        _running_through_pain(log),
        _no_rest(log),
        _rest_day_guilt(log),
        _fading_lift(log),
    ]
    findings = [finding for finding in candidates if finding is not None]
    findings += _milestones(log, milestones)
    # sorted() is stable: within a severity the rules keep the order above.
    return sorted(findings, key=lambda finding: -severity_rank(finding.severity))
