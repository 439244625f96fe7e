"""The reflection reports as plain data (the JSON shapes of SPEC §5): store aggregates plus
the analysis functions. Rendering them is render's job; nothing here prints."""

from __future__ import annotations

from datetime import date, timedelta

from .analysis import periods as calendar
from .analysis.records import PACE_BRACKETS_M, new_milestones
from .analysis.stats import rank_correlation
from .model import entry_to_dict
from .store import Store
from .store import reports as sql


def _num(value):
    return None if value is None else round(value, 6)


def first_run_day(store: Store) -> date | None:
    """The day of the log's first live run; None when it has none (rest days and
    check-ins are no runs)."""
    first = sql.first_run_day(store)
    return date.fromisoformat(first) if first else None


def mood_review(store: Store, *, unit: str, today: date, week_start: str, last: int = 8,
                since: date | None = None, until: date | None = None,
                from_first_run: bool = False) -> dict:
    """One row per period, oldest first, and how mood moves with mileage.

    Without since/until: the last `last` periods, ending with today's. With
    `from_first_run` (what `runlog mood` shows) none of them before the period holding the
    log's first run, so a young log shows only its own periods and a log without runs none;
    an explicit `since` is shown as asked. Empty periods between runs always stay."""
    first = first_run_day(store) if from_first_run or (until and not since) else None
    if since or until:
        end = until or today
        start = since or first or (None if from_first_run else end)
        shown = [] if start is None else calendar.periods_between(start, end, unit, week_start)
        low, high = start, end
    else:
        shown = [] if from_first_run and first is None else calendar.last_periods(
            today, unit, last, week_start, not_before=first)
        low, high = (shown[0].start, shown[-1].end) if shown else (None, None)
    if not shown:
        # Nothing to show: the same shape, with no rows and no pairs to correlate.
        nothing = {"r": None, "n": 0}
        return {"period": unit, "rows": [],
                "correlation": {"weekly_distance_vs_mood_after": dict(nothing),
                                "run_distance_vs_mood_lift": dict(nothing)}}
    low_text, high_text = low.isoformat(), high.isoformat()
    totals = sql.period_totals(store, low_text, high_text, unit, week_start)
    emotions = sql.period_emotions(store, low_text, high_text, unit, week_start)
    rows = []
    for period in shown:
        found = totals.get(period.start.isoformat(), {})
        runs = found.get("runs", 0)
        rows.append({
            "period": period.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "runs": runs,
            "distance_km": _num(found.get("distance_m", 0.0) / 1000),
            "duration_s": _num(found.get("duration_s", 0.0)),
            "mood_before": _num(found.get("mood_before")),
            "mood_after": _num(found.get("mood_after")),
            "mood_lift": _num(found.get("mood_lift")),
            "cried": found.get("cried", 0),
            "emotions": emotions.get(period.start.isoformat(), {}),
        })
    weekly = sql.weekly_distance_and_mood(store, low_text, high_text, week_start)
    weekly_r = rank_correlation([w[0] for w in weekly], [w[1] for w in weekly])
    run_r, run_n = sql.run_distance_lift_spearman(store, low_text, high_text)
    return {
        "period": unit,
        "rows": rows,
        "correlation": {
            "weekly_distance_vs_mood_after": {"r": _num(weekly_r["r"]), "n": weekly_r["n"]},
            "run_distance_vs_mood_lift": {"r": _num(run_r), "n": run_n},
        },
    }


def as_of_day(today: date, until: date | None) -> date:
    """The day a report looks at the log "as of": `until`, but never later than today."""
    return today if until is None else min(until, today)


def run_stats(store: Store, *, today: date, week_start: str, since: date | None = None,
              until: date | None = None, units: str = "km") -> dict:
    """Totals, records and streaks of the runs from `since` through `until` (default today).

    Everything is as of `until`, as if it were today: a current streak is one that was
    still running on that day, and the streaks count only days from `since` on."""
    today = as_of_day(today, until)
    since_text = since.isoformat() if since else None
    until_text = today.isoformat()
    totals = sql.totals(store, since_text, until_text)
    longest = sql.longest_run(store, since_text, until_text)
    best = {}
    for bracket, metres in PACE_BRACKETS_M.items():
        found = sql.best_pace(store, metres, since_text, until_text)
        if found:
            found["pace_s_per_km"] = _num(found["pace_s_per_km"])
        best[bracket] = found
    from .analysis.streaks import day_streaks, week_streaks

    days = [date.fromisoformat(day) for day in sql.run_days(store, until_text)
            if since_text is None or day >= since_text]
    current_days, longest_days = day_streaks(days, today)
    current_weeks, longest_weeks = week_streaks(days, today, week_start)
    return {
        "runs": totals["runs"],
        "distance_km": _num(totals["distance_m"] / 1000),
        "duration_s": _num(totals["duration_s"]),
        "longest": entry_to_dict(longest) if longest else None,
        "best_pace": best,
        "streaks": {"current_days": current_days, "longest_days": longest_days,
                    "current_weeks": current_weeks, "longest_weeks": longest_weeks},
        "lifted_share": _num(totals["lifted_share"]),
        "milestones": milestone_history(store, since_text, until_text, units),
    }


def milestone_history(store: Store, since: str | None, until: str,
                      units: str = "km") -> list[dict]:
    """First run and each first time past a round distance, replayed in log order."""
    previous = {"runs": 0, "longest_m": None, "max_m": None,
                "best_pace": dict.fromkeys(PACE_BRACKETS_M)}
    reached = []
    for entry in sql.runs_in_order(store, until):
        for milestone in new_milestones(entry, previous, units):
            if milestone["kind"] in ("first_run", "round_distance") and (
                    since is None or entry.day >= since):
                reached.append(milestone)
        previous["runs"] += 1
        if entry.distance_m and entry.distance_m > (previous["longest_m"] or 0):
            previous["longest_m"] = previous["max_m"] = entry.distance_m
        pace = entry.pace_s_per_km
        if pace is not None:
            for bracket, metres in PACE_BRACKETS_M.items():
                best = previous["best_pace"][bracket]
                if entry.distance_m >= metres and (best is None or pace < best):
                    previous["best_pace"][bracket] = pace
    return reached


LONG_RUN_FACTOR = 1.2  # "comes with long runs": its runs average 20 % longer than all runs


def emotion_report(store: Store, *, today: date, since: date | None = None,
                   until: date | None = None) -> list[dict]:
    """Per emotion named on runs from `since` through `until` (default today), most named
    first. `share` is of all those runs (SPEC §5); `share_of_runs_with_feelings` of the runs
    among them that named at least one feeling. Both are exact (never rounded to 0), so a
    table can show a small share as `<1%` rather than `0%`."""
    return emotion_report_and_counts(store, today=today, since=since, until=until)[0]


def emotion_report_and_counts(store: Store, *, today: date, since: date | None = None,
                              until: date | None = None) -> tuple[list[dict], dict]:
    """The emotion report, and how many runs its shares are of:
    `{"runs", "runs_with_feelings"}`."""
    since_text = since.isoformat() if since else None
    until_text = as_of_day(today, until).isoformat()
    runs, with_feelings = sql.run_counts(store, since_text, until_text)
    overall = sql.run_distance_mean(store, since_text, until_text)
    report = []
    for row in sql.emotion_summary(store, since_text, until_text):
        mean_m = row["distance_m_mean"]
        report.append({
            "name": row["name"],
            "valence": row["valence"],
            "count": row["count"],
            "share": row["count"] / runs if runs else None,
            "share_of_runs_with_feelings": (row["count"] / with_feelings
                                            if with_feelings else None),
            "distance_km_mean": _num(mean_m / 1000) if mean_m is not None else None,
            "mood_lift_mean": _num(row["mood_lift_mean"]),
            "long_runs": bool(overall and mean_m and mean_m >= LONG_RUN_FACTOR * overall),
        })
    return report, {"runs": runs, "runs_with_feelings": with_feelings}


def insights(store: Store, *, as_of: date, units: str) -> dict:
    from .analysis.insights import FADING_RUNS_NEEDED, find_insights, finding_to_dict

    window_start = (as_of - timedelta(days=41)).isoformat()
    # A run written in a time zone ahead of this one can carry a day up to two days later
    # than as-of and still have happened; the analysis keeps those that had started.
    recent = store.entries(since=window_start, until=(as_of + timedelta(days=2)).isoformat(),
                           newest_first=False)
    by_id = {entry.id: entry for entry in recent}
    for entry in sql.last_runs_with_both_moods(store, as_of.isoformat(), FADING_RUNS_NEEDED):
        by_id.setdefault(entry.id, entry)
    first = sql.first_run_day(store)
    week_start = (as_of - timedelta(days=6)).isoformat()
    milestones = []
    for entry in recent:
        if entry.is_activity and entry.day >= week_start:
            milestones += [m for m in new_milestones(entry, sql.records(store, before=entry), units)
                           if m["kind"] != "first_run"]
    findings = find_insights(
        list(by_id.values()), as_of,
        history_start=date.fromisoformat(first) if first else None,
        milestones=milestones, units=units,
    )
    return {"as_of": as_of.isoformat(), "findings": [finding_to_dict(f) for f in findings]}
