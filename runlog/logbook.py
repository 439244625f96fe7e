"""Logging runs, rest days and pre-run check-ins: the rules that sit between parse and store."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from .model import Entry
from .store import Store

CHECKIN_WINDOW = timedelta(hours=12)


def log_entry(store: Store, entry: Entry, now: datetime) -> tuple[Entry, list[dict]]:
    """Store `entry`, taking up a waiting pre-run check-in for a run.

    Fields the user gave on `add` win over the check-in's; the check-in fills the rest.
    Returns the stored entry and the milestones it reached.
    """
    milestones: list[dict] = []
    with store.transaction():
        checkin = None
        if entry.is_activity:
            checkin = store.open_checkin((now - CHECKIN_WINDOW).timestamp())
            if checkin:
                entry = replace(
                    entry,
                    mood_before=entry.mood_before if entry.mood_before is not None
                    else checkin["mood_before"],
                    intention=entry.intention if entry.intention is not None
                    else checkin["intention"],
                    emotions=entry.emotions or checkin["emotions"],
                )
            previous = store.records()
        entry_id = store.insert(entry)
        if checkin:
            store.use_checkin(checkin["id"], entry_id)
        entry = replace(entry, id=entry_id)
        if entry.is_activity:
            from .analysis.records import new_milestones

            milestones = new_milestones(entry, previous)
    return entry, milestones


def start_checkin(store: Store, now: datetime, mood_before, intention, emotions) -> int:
    with store.transaction():
        return store.save_checkin(now, mood_before, intention, emotions)


def cancel_checkin(store: Store) -> int:
    with store.transaction():
        return store.cancel_checkins()


def waiting_checkin(store: Store, now: datetime) -> dict | None:
    return store.open_checkin((now - CHECKIN_WINDOW).timestamp())
