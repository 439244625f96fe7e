"""The one place runlog asks what time it is, so tests can freeze "now"."""

from __future__ import annotations

from datetime import datetime


def now() -> datetime:
    """The current local time, timezone-aware."""
    return datetime.now().astimezone()
