"""Logging runs, rest days and pre-run check-ins: the rules that sit between parse and store."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from .model import Entry
from .store import Store

# A check-in is for the run dated from its moment to 12 hours after. A run dated by day alone
# (`add 5k -d today`) is within it when that day is the check-in's own day or the day its
# 12 hours end on. A run dated outside (`add 10k 50:00 -d 2020-06-01`) leaves it waiting.
CHECKIN_WINDOW = timedelta(hours=12)
# An unused check-in waits for a back-dated run (`add 8k -d yesterday` the next morning)
# until `runlog purge`, which drops it once its window ended a day ago: its text is not kept
# for ever for a run that will never come.
CHECKIN_KEPT = CHECKIN_WINDOW + timedelta(days=1)


def log_entry(store: Store, entry: Entry, now: datetime,
              units: str = "km") -> tuple[Entry, list[dict]]:
    """Store `entry`, taking up the pre-run check-in whose window holds a run's date.

    Fields the user gave on `add` win over the check-in's; the check-in fills the rest.
    Returns the stored entry and the milestones it reached: a run's against earlier runs
    (walks are no records and reach none), round distances those of `units`.
    """
    from .analysis.records import counts_for_records

    milestones: list[dict] = []
    with store.transaction():
        checkin = None
        if entry.is_activity:
            checkin = checkin_for(store, entry.date)
            if checkin:
                entry = replace(
                    entry,
                    mood_before=entry.mood_before if entry.mood_before is not None
                    else checkin["mood_before"],
                    intention=entry.intention if entry.intention is not None
                    else checkin["intention"],
                    emotions=entry.emotions or checkin["emotions"],
                )
            if counts_for_records(entry):
                from .store.reports import records

                previous = records(store)  # the whole log's runs, before this one
        entry_id = store.insert(entry)
        if checkin:
            store.use_checkin(checkin["id"], entry_id)
        entry = replace(entry, id=entry_id)
        if counts_for_records(entry):
            from .analysis.records import new_milestones

            milestones = new_milestones(entry, previous, units)
    return entry, milestones


def checkin_for(store: Store, date: str) -> dict | None:
    """The waiting check-in a run dated `date` takes up, or None."""
    if len(date) > 10:
        run_ts = datetime.fromisoformat(date).timestamp()
        # A second over: check-ins are timed to the second (in_window), created_ts finer.
        since, until = run_ts - CHECKIN_WINDOW.total_seconds(), run_ts + 1
    else:
        from datetime import date as Day, time

        day = Day.fromisoformat(date)
        since = (datetime.combine(day, time()).astimezone() - CHECKIN_WINDOW).timestamp()
        until = datetime.combine(day + timedelta(days=1), time()).astimezone().timestamp()
    checkin = store.open_checkin(since, until)
    return checkin if checkin and in_window(checkin, date) else None


def in_window(checkin: dict, date: str) -> bool:
    """Whether a run dated `date` falls in the check-in's window (see CHECKIN_WINDOW)."""
    created = datetime.fromisoformat(checkin["created_at"])
    end = created + CHECKIN_WINDOW
    if len(date) > 10:
        return created <= datetime.fromisoformat(date) <= end
    return date in (created.date().isoformat(), end.date().isoformat())


def checkin_fields_on(entry: Entry, checkin: dict) -> list[str]:
    """The `edit --clear` names of the entry's fields that hold what the check-in gave it
    (a value typed on `add` instead won over the check-in's, and is the entry's own)."""
    names = []
    if checkin["mood_before"] is not None and entry.mood_before == checkin["mood_before"]:
        names.append("before")
    if checkin["intention"] is not None and entry.intention == checkin["intention"]:
        names.append("intention")
    if checkin["emotions"] and entry.emotions == checkin["emotions"]:
        names.append("felt")
    return names


def start_checkin(store: Store, now: datetime, mood_before, intention, emotions) -> dict | None:
    """Save a check-in; it replaces one still waiting (made in the last 12 hours), which
    is returned so the runner is told. Older unused check-ins stay for a back-dated run."""
    since = (now - CHECKIN_WINDOW).timestamp()
    with store.transaction():
        replaced = store.open_checkin(since)
        dropped = store.cancel_checkins(since)
        store.save_checkin(now, mood_before, intention, emotions)
    if dropped:
        store.forget_checkin_frames()
    return replaced


def cancel_checkin(store: Store, now: datetime) -> int:
    """Drop the check-in waiting now (made in the last 12 hours): it is deleted, and so is
    its text, from the file and its WAL."""
    with store.transaction():
        dropped = store.cancel_checkins((now - CHECKIN_WINDOW).timestamp())
    store.forget_checkin_frames()
    return dropped


def stale_checkins_before(now: datetime) -> float:
    """`purge` drops the unused check-ins made before this moment (UTC seconds)."""
    return (now - CHECKIN_KEPT).timestamp()


def waiting_checkin(store: Store, now: datetime) -> dict | None:
    return store.open_checkin((now - CHECKIN_WINDOW).timestamp())
