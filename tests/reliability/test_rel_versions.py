"""Logs written by every earlier runlog open in this one with every row intact.

`fixtures/schemaN.db` was written by the runlog of schema version N and is never regenerated
(see fixtures/make_schema1.py). Adding a schema version later is one entry in SCHEMAS.
A database from a *newer* runlog is refused untouched by every command: see
test_rel_damaged.py (variant `newer-schema`) and tests/test_store.py.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat

import pytest

from helpers import db_state
from relsupport import FIXTURES, integrity, isolated_env, must
from runlog.store.db import SCHEMA_VERSION

# One entry per schema version that has shipped: its fixture is fixtures/schema<N>.db.
SCHEMAS = [1, 2]


def _rows(path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _by_id(entries: list[dict]) -> dict[int, dict]:
    return {entry["id"]: entry for entry in entries}


def _assert_kept(expected: list[dict], actual: list[dict], what: str) -> None:
    """Every expected entry is there with every value it had; a newer runlog may add keys
    to the JSON (SPEC §5 only promises the keys scripts rely on), never drop or change one."""
    expected_by_id, actual_by_id = _by_id(expected), _by_id(actual)
    assert sorted(actual_by_id) == sorted(expected_by_id), what
    for entry_id, old in expected_by_id.items():
        new = actual_by_id[entry_id]
        changed = {key: (value, new.get(key, "<missing>")) for key, value in old.items()
                   if new.get(key, "<missing>") != value}
        assert not changed, f"{what} #{entry_id}: {changed}"


def _added_rows(table: str, version: int, expected: dict) -> int:
    """Rows a migration adds on purpose: schema 2 brings its new built-in feelings to an
    older log (never over a name the runner had added)."""
    if table != "emotions" or version >= 2:
        return 0
    from runlog.vocab import ADDED_BUILTINS

    had = {emotion["name"] for emotion in expected["emotions"]}
    return len(set(ADDED_BUILTINS) - had)


def test_an_older_log_gains_the_new_feelings_and_keeps_its_own(tmp_path):
    """A log of schema 1 holding its own `overwhelm` (mixed) keeps it; the other new
    built-in feelings arrive and can be named at once."""
    path = tmp_path / "runlog.db"
    shutil.copyfile(FIXTURES / "schema1.db", path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO emotions (name, valence, builtin) VALUES "
                     "('overwhelm', 'mixed', 0)")
    conn.close()
    env = isolated_env(tmp_path, db=path)
    added = json.loads(must("add", "5k", "30:00", "-f", "tired,overwhelm,strong", "--json",
                            "--no-input", env=env))
    assert added["emotions"] == ["tiredness", "overwhelm", "strength"]
    emotions = {e["name"]: e for e in json.loads(must("emotions", "list", "--json", env=env))}
    assert emotions["overwhelm"]["valence"] == "mixed"
    assert emotions["tiredness"]["valence"] == "negative"
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT builtin FROM emotions WHERE name = 'overwhelm'").fetchone() \
        == (0,)
    conn.close()


def test_every_shipped_schema_version_has_a_fixture():
    assert SCHEMAS == list(range(1, SCHEMA_VERSION + 1)), (
        "a new schema version shipped: make its fixture with fixtures/make_schema1.py's "
        "recipe and add it to SCHEMAS")
    for version in SCHEMAS:
        assert (FIXTURES / f"schema{version}.db").is_file()
        assert (FIXTURES / f"schema{version}.expected.json").is_file()


@pytest.mark.parametrize("version", SCHEMAS, ids=[f"schema{v}" for v in SCHEMAS])
def test_a_log_from_an_earlier_runlog_opens_with_every_row_kept(tmp_path, version):
    fixture = FIXTURES / f"schema{version}.db"
    expected = json.loads((FIXTURES / f"schema{version}.expected.json").read_text("utf-8"))
    assert expected["schema_version"] == version
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    path = folder / "runlog.db"
    shutil.copyfile(fixture, path)
    path.chmod(0o600)
    original = db_state(fixture)
    env = isolated_env(tmp_path, db=path)

    listed = json.loads(must("list", "--json", "--limit", "100000", env=env))
    assert must("db", "check", env=env).strip() == "ok"

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert integrity(path) == ["ok"]
    _assert_kept(expected["list"], listed, "list")
    _assert_kept(expected["trash"], json.loads(must("trash", "--json", env=env)), "trash")
    emotions = {e["name"]: e for e in json.loads(must("emotions", "list", "--json", env=env))}
    for old in expected["emotions"]:
        assert emotions.get(old["name"]) == old, old
    for table, count in expected["row_counts"].items():
        assert _rows(path, table) == count + _added_rows(table, version, expected), table
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    checkins = [dict(row) for row in conn.execute("SELECT * FROM checkins ORDER BY id")]
    conn.close()
    assert [{k: row.get(k) for k in old} for row, old in zip(checkins, expected["checkins"])] \
        == expected["checkins"]
    # Each entry read one by one (show uses another query than list) is the same too.
    for old in expected["list"] + expected["trash"]:
        shown = json.loads(must("show", str(old["id"]), "--json", env=env))
        _assert_kept([old], [shown], "show")

    backups = sorted(folder.glob("runlog.db.schema*.bak"))
    if version < SCHEMA_VERSION:
        # Migrated after a backup copy of the file as it was, private like the log.
        assert [b.name for b in backups] == [f"runlog.db.schema{version}.bak"]
        assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
        assert db_state(backups[0]) == original
    else:
        assert backups == []
        assert db_state(path) == original  # reading a current log changes nothing


@pytest.mark.parametrize("version", SCHEMAS, ids=[f"schema{v}" for v in SCHEMAS])
def test_an_old_log_takes_new_entries_after_opening(tmp_path, version):
    path = tmp_path / "runlog.db"
    shutil.copyfile(FIXTURES / f"schema{version}.db", path)
    env = isolated_env(tmp_path, db=path)
    expected = json.loads((FIXTURES / f"schema{version}.expected.json").read_text("utf-8"))
    added = json.loads(must("add", "5k", "27:00", "-f", "awe", "--json", env=env))
    listed = json.loads(must("list", "--json", "--limit", "100000", env=env))
    assert len(listed) == len(expected["list"]) + 1
    assert added["id"] not in {e["id"] for e in expected["list"] + expected["trash"]}
    assert must("db", "check", env=env).strip() == "ok"
