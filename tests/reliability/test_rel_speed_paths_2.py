"""A log that an import creates is filled the quick way (16 KiB pages, links to entries and
to the vocabulary checked once at the end rather than row by row) and is still a sound log:
SQLite's own checks pass, every link holds, and a link the import broke (runlog's bug) is
never made a log (issue 11, item 12).

Expected values come from reading the file with the csv module and the log with sqlite3."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from relsupport import integrity, isolated_env, must, run, write_runlog_csv

from runlog.errors import StorageError
from runlog.model import ENTRY_KEYS


def _pragma(path: Path, name: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchall()
    finally:
        conn.close()


def test_an_import_into_a_new_log_makes_a_sound_log_with_large_pages(tmp_path):
    env = isolated_env(tmp_path)
    source = write_runlog_csv(tmp_path / "history.csv", 400)
    # one more row naming an emotion the log does not know yet, with its valence
    with open(source, "a", newline="", encoding="utf-8") as out:
        csv.writer(out, lineterminator="\r\n").writerow(
            ["", "00000000-0000-4000-8000-00000000aaaa", "2020-05-01T07:00:00+02:00", "run",
             "5", "1500", "", "", "", "", "awe;joy", "", "", "", "", "", "", "trail", "",
             "awe=positive"])
    with open(source, encoding="utf-8", newline="") as given:
        rows = list(csv.reader(given))
    header = rows[0]
    rows[0] = [*ENTRY_KEYS, "deleted_at", "valences"]
    assert header == list(ENTRY_KEYS)
    with open(source, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(rows[0])
        writer.writerows(row + ["", ""] if len(row) == len(ENTRY_KEYS) else row
                         for row in rows[1:])
    log = tmp_path / "runlog.db"
    done = run("import", str(source), env=env)
    assert done.returncode == 0, done.stderr
    assert _pragma(log, "page_size") == [(16384,)]
    assert _pragma(log, "journal_mode") == [("wal",)]
    assert integrity(log) == ["ok"]
    assert _pragma(log, "foreign_key_check") == []
    conn = sqlite3.connect(log)
    try:
        linked = conn.execute(
            "SELECT count(*) FROM entry_emotions WHERE entry_id NOT IN (SELECT id FROM entries)"
            " OR emotion NOT IN (SELECT name FROM emotions)").fetchone()[0]
        emotions = conn.execute("SELECT count(*) FROM entry_emotions").fetchone()[0]
        awe = conn.execute("SELECT valence, builtin FROM emotions WHERE name = 'awe'").fetchone()
    finally:
        conn.close()
    expected = sum(len(row[10].split(";")) for row in rows[1:] if row[10])
    assert (linked, emotions, awe) == (0, expected, ("positive", 0))
    # the log goes on as any other: runlog's own connections keep its links
    must("add", "5k", "28:30", "--felt", "joy", "--tag", "easy", "--no-input", env=env)
    assert _pragma(log, "foreign_key_check") == []


def test_a_link_the_import_broke_is_runlogs_bug_and_makes_no_log(tmp_path, monkeypatch):
    from runlog.interchange import runlog_format
    from runlog.store import importer

    source = write_runlog_csv(tmp_path / "history.csv", 50)
    real = importer.import_file

    def breaking(store, *args, **kwargs):
        result = real(store, *args, **kwargs)
        store.conn.execute("INSERT INTO tags (entry_id, tag, position) VALUES (999999, 'x', 0)")
        return result

    monkeypatch.setattr(importer, "import_file", breaking)
    log = tmp_path / "data" / "runlog.db"
    with pytest.raises(StorageError) as raised:
        importer.import_into_new_log(log, str(source), runlog_format.read_csv(source),
                                     fmt="csv")
    assert "without its entries" in raised.value.message
    assert raised.value.hint == "please report this"
    assert not log.exists()
    assert [path.name for path in log.parent.iterdir()] == []  # nor the file it was built in
