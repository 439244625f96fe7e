"""Shared helpers for the end-to-end tests: run the CLI in-process, freeze "now", and take
snapshots of the database that say whether a command changed anything."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from runlog.cli import app

# SPEC §5: the keys of an entry, in order. Written out here (not imported from runlog.model)
# so that the test checks the code against the spec, not against itself.
SPEC_ENTRY_KEYS = [
    "id", "uuid", "date", "kind", "distance_km", "duration_s", "pace_s_per_km",
    "mood_before", "mood_after", "mood_lift", "emotions", "cried", "effort", "pain",
    "where", "intention", "note", "tags",
]


def export_fields(entries, joined_by: str):
    """What `Store.iter_fields` streams for these entries, written out independently
    (test_store checks that the two agree), so the export writers can be fed entries."""
    from runlog.model import SERIALIZED_FIELDS

    def joined(names):
        # a backslash or the joiner inside a name is escaped with a backslash
        return joined_by.join(name.replace("\\", "\\\\").replace(joined_by, "\\" + joined_by)
                              for name in names) or None

    for entry in entries:
        values = [getattr(entry, name) for name in SERIALIZED_FIELDS]
        values[SERIALIZED_FIELDS.index("emotions")] = joined(entry.emotions)
        values[SERIALIZED_FIELDS.index("tags")] = joined(entry.tags)
        yield (*values, entry.deleted_at)


def local(year, month, day, hour=0, minute=0) -> datetime:
    """An aware local datetime (TZ is pinned to Europe/Amsterdam by conftest)."""
    return datetime(year, month, day, hour, minute).astimezone()


class Clock:
    """A settable stand-in for runlog.clock.now."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def set(self, *args) -> None:
        self.moment = local(*args)


def invoke(*args: str, input: str | None = None, env: dict | None = None):
    """Run `runlog ARGS...` in-process, through RunlogGroup.main like the console script."""
    return CliRunner().invoke(app, list(args), input=input, env=env)


def ok(*args: str, input: str | None = None, env: dict | None = None):
    """Run a command that must succeed cleanly; return the result."""
    result = invoke(*args, input=input, env=env)
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    assert result.exception is None, result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result


def ok_json(*args: str, input: str | None = None, env: dict | None = None):
    """`--json` output: one JSON document on stdout and nothing else anywhere."""
    result = ok(*args, "--json", input=input, env=env)
    assert result.stderr == ""
    return json.loads(result.stdout)


def assert_refused(result, exit_code: int, *fragments: str) -> str:
    """A refusal: the exit code, exactly one `Error:` line on stderr, nothing on stdout,
    no traceback, and no stray Python exception. Returns the error line."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: "), lines
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def db_path() -> Path:
    return Path(os.environ["RUNLOG_DB"])


def db_state(path: Path | None = None):
    """Everything in the database (read through its WAL), or None when there is no file.

    Equal snapshots before and after a command mean the command changed nothing."""
    path = path or db_path()
    if not path.exists():
        return None
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def sql(query: str, params=(), path: Path | None = None) -> list[tuple]:
    """Read the database with plain sqlite3, as any SQLite tool would."""
    conn = sqlite3.connect(path or db_path())
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()
