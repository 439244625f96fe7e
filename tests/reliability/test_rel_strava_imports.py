"""Strava exports in other languages and layouts, through the real `runlog import` process on
real files (issue 11, items 1, 2 and 8). Expected values are read from the files with the
csv module and from build.py's table of starts (tests/data/strava_i18n/SOURCES.md)."""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from relsupport import count_entries, isolated_env, must, run, sha256

DATA = Path(__file__).resolve().parents[1] / "data"
I18N = DATA / "strava_i18n"
MAP = DATA / "samples" / "strava" / "Strava-Activity-Map" / "activities.csv"
NOTICE = "moving time used where the elapsed time was impossible (a watch left running)"

OTHER_SPORTS = {
    "de": "(1 Radfahrt, 1 Schwimmen)",
    "nl": "(1 Fietsrit, 1 Zwemmen)",
    "pt": "(1 Natação, 1 Pedalada)",  # ties in alphabetical order
    "da": "(1 Cykeltur, 1 Svømning)",
    "hu": "(1 Kerékpározás, 1 Úszás)",
}
STARTS_UTC = ["2022-05-29 15:53:35", "2023-01-02 07:05:09", "2023-03-04 18:30:00",
              "2023-10-26 11:59:59", "2024-11-03 06:45:30"]


def _entries(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT date, kind, distance_m, duration_s, source FROM entries ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def _utc(date: str) -> str:
    return datetime.fromisoformat(date).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _metres_and_seconds(path: Path, types: set[str]) -> list[tuple[float, float]]:
    """The second Distance and the elapsed time (the moving time after the second Elapsed
    Time when elapsed is over 48 h) of the rows of `types`, by the csv module."""
    with open(path, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    metres_at, moving_at = header.index(header[6], 7), header.index(header[5], 6) + 1
    out = []
    for cells in rows[1:]:
        if cells[3] in types:
            seconds = float(cells[5])
            if seconds > 172800:
                seconds = float(cells[moving_at])
            out.append((float(cells[metres_at].replace(",", ".")), seconds))
    return out


RUN_WORDS = {
    "de": {"Lauf", "Traillauf", "Spaziergang", "Wanderung"},
    "nl": {"Hardloopsessie", "Trailrun", "Wandeling"},
    "pt": {"Corrida", "Corrida em trilha", "Caminhada", "Trilha"},
    "da": {"Løb", "Trailløb", "Gåtur", "Vandretur"},
    "hu": {"Futás", "Terepfutás", "Séta", "Túrázás"},
}


@pytest.mark.parametrize("language", sorted(OTHER_SPORTS))
def test_a_localised_strava_export_imports_without_format(tmp_path, language):
    env = isolated_env(tmp_path)
    path = I18N / language / "activities.csv"
    done = run("import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    first = done.stderr.splitlines()[0]
    assert first == (f"{path}: added 5, skipped 0 as duplicates, 2 as other sports "
                     f"{OTHER_SPORTS[language]}, rejected 0; {NOTICE}")  # once: no count
    entries = _entries(tmp_path / "runlog.db")
    assert [_utc(date) for date, *_ in entries] == STARTS_UTC
    assert [kind for _, kind, *_ in entries] == ["run", "trail", "walk", "walk", "run"]
    assert [(metres, seconds) for _, _, metres, seconds, _ in entries] == \
        _metres_and_seconds(path, RUN_WORDS[language])
    assert {source for *_, source in entries} == {"strava"}


def test_the_same_localised_file_twice_adds_nothing(tmp_path):
    env = isolated_env(tmp_path)
    path = I18N / "de" / "activities.csv"
    must("import", str(path), env=env)
    db = tmp_path / "runlog.db"
    before = count_entries(db)
    done = run("import", str(path), env=env)
    assert done.returncode == 0
    assert "added 0, skipped 5 as duplicates" in done.stderr
    assert count_entries(db) == before == 5


def test_the_archive_before_2019_imports_metres_in_utc(tmp_path):
    env = isolated_env(tmp_path)
    path = I18N / "old" / "activities.csv"
    done = run("import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (
        f"{path}: added 3, skipped 0 as duplicates, 3 as other sports (2 Ride, 1 Swim), "
        "rejected 0")
    with open(path, newline="", encoding="utf-8") as stream:
        table = [row for row in csv.DictReader(stream) if row["type"] in ("Run", "Walk")]
    assert [(_utc(date), metres, seconds) for date, _, metres, seconds, _ in
            _entries(tmp_path / "runlog.db")] == [
        (row["date"], float(row["distance"]), float(row["elapsed_time"])) for row in table]


def test_a_real_history_with_a_watch_left_running_is_imported_whole(tmp_path):
    """Before, the 21 rows whose elapsed time was a day or more were left out as runs no one
    could have run; now they come in with their moving time, and the summary says so."""
    env = isolated_env(tmp_path)
    done = run("import", str(MAP), env=env)
    assert done.returncode == 0, done.stderr
    assert f"{NOTICE}: 21" in done.stderr.splitlines()[0]
    assert "added 756," in done.stderr.splitlines()[0]
    assert count_entries(tmp_path / "runlog.db") == 756


def _german_file(tmp_path: Path, rows: list[list[str]]) -> Path:
    with open(I18N / "de" / "activities.csv", newline="", encoding="utf-8") as stream:
        header = next(csv.reader(stream))
    path = tmp_path / "aktivitaeten.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for cells in rows:
            writer.writerow(cells + [""] * (len(header) - len(cells)))
    return path


def _row(date: str, elapsed: str, moving: str, metres: str = "10000.0") -> list[str]:
    cells = [""] * 18
    cells[0], cells[1], cells[2], cells[3] = date[:2], date, "Runde", "Lauf"
    cells[5], cells[6], cells[15], cells[16], cells[17] = elapsed, "10,0", elapsed, moving, metres
    return cells


def test_days_of_elapsed_time_never_refuse_the_history(tmp_path):
    env = isolated_env(tmp_path)
    path = _german_file(tmp_path, [
        _row("01.06.2024, 07:00:00", "3000", "2950"),
        _row("02.06.2024, 07:00:00", "260000", ""),  # three days, no moving time
        _row("03.06.2024, 07:00:00", "300000", "3100"),  # three days, moving 52 minutes
    ])
    done = run("import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (
        f"{path}: added 2, skipped 0 as duplicates, 0 as other sports, left out 1 "
        f"(activities over 48 hours without a possible moving time: 1), rejected 0; {NOTICE}")
    assert sorted(seconds for _, _, _, seconds, _ in _entries(tmp_path / "runlog.db")) == \
        [3000.0, 3100.0]


def test_a_localised_file_with_a_bad_date_changes_nothing(tmp_path):
    env = isolated_env(tmp_path)
    must("add", "5k", "25:00", "--date", "2024-05-01", env=env)
    db = tmp_path / "runlog.db"
    before = sha256(db), count_entries(db)
    path = _german_file(tmp_path, [_row("01.06.2024, 07:00:00", "3000", "2950"),
                                   _row("irgendwann", "3000", "2950")])
    done = run("import", str(path), env=env)
    assert done.returncode == 2
    assert "line 3" in done.stderr and "irgendwann" in done.stderr
    assert "Traceback" not in done.stderr and "Error" in done.stderr
    assert (sha256(db), count_entries(db)) == before
