"""The real `runlog import` on localised Garmin exports, a miles account and Daylio's 2017-18
export: what lands in the log (read back with sqlite3), and the summary line."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from relsupport import count_entries, isolated_env, must, run, sha256

DATA = Path(__file__).resolve().parent.parent / "data"
GARMIN = DATA / "garmin_i18n"

# file: (type column, distance column, running types)
FILES = {
    "de_Activities.csv": ("Aktivitätstyp", "Distanz", {"Laufen", "Laufbandtraining", "Gehen"}),
    "fr_Activities.csv": ("Type d'activité", "Distance",
                          {"Course à pied", "Randonnée", "Course à pied sur tapis roulant"}),
    "es_Activities.csv": ("Tipo de actividad", "Distancia",
                          {"Carrera", "Entrenamiento en cinta", "Trail running"}),
    "pt_Activities.csv": ("Tipo de atividade", "Distância", {"Corrida", "Corrida em esteira"}),
    "it_Activities.csv": ("Tipo di attività", "Distanza",
                          {"Corsa", "Corsa su tapis roulant", "Camminata"}),
    "nl_Activities.csv": ("Activiteittype", "Afstand", {"running", "hiking"}),
}


def _distances(db: Path) -> list[float]:
    conn = sqlite3.connect(db)
    try:
        return sorted(round(row[0]) for row in conn.execute(
            "SELECT distance_m FROM entries WHERE distance_m IS NOT NULL"))
    finally:
        conn.close()


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_localised_export_imports_its_runs_and_names_other_sports(tmp_path, name):
    env = isolated_env(tmp_path)
    type_col, distance_col, runs = FILES[name]
    with open(GARMIN / name, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    expected = sorted(round(float(row[distance_col].replace(",", ".")) * 1000)
                      for row in rows if row[type_col] in runs)
    others = [row[type_col] for row in rows if row[type_col] not in runs]
    done = run("--units", "km", "import", str(GARMIN / name), env=env)
    assert done.returncode == 0, done.stderr
    assert _distances(tmp_path / "runlog.db") == expected
    line = done.stderr.strip().splitlines()[-1]
    assert f"added {len(expected)}" in line
    for sport in others:
        assert sport in line
    assert "distances read in kilometres" in line
    # the same file again adds nothing
    again = run("--units", "km", "import", str(GARMIN / name), env=env)
    assert "added 0" in again.stderr and count_entries(tmp_path / "runlog.db") == len(expected)


def test_a_miles_export_with_units_mi_is_miles(tmp_path):
    env = isolated_env(tmp_path)
    path = GARMIN / "en_miles_Activities.csv"
    with open(path, encoding="utf-8", newline="") as stream:
        expected = sorted(round(float(row["Distance"]) * 1609.344)
                          for row in csv.DictReader(stream) if row["Activity Type"] != "Cycling")
    done = run("--units", "mi", "import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert _distances(tmp_path / "runlog.db") == expected
    assert "distances read in miles" in done.stderr


def test_an_old_daylio_export_imports_its_check_ins(tmp_path):
    env = isolated_env(tmp_path)
    path = DATA / "daylio_old" / "pl_2017.csv"
    with open(path, encoding="utf-8", newline="") as stream:
        count = len(list(csv.reader(stream))) - 1
    done = run("import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(tmp_path / "runlog.db")
    try:
        moods = [row[0] for row in conn.execute(
            "SELECT mood_after FROM entries WHERE kind = 'checkin' ORDER BY date DESC")]
    finally:
        conn.close()
    assert len(moods) == count and moods == [4, 2, 5, 3, 1, 4]


def test_an_old_daylio_export_with_unknown_moods_is_refused_whole(tmp_path):
    env = isolated_env(tmp_path)
    must("add", "5k", "25:00", "--no-input", env=env)
    db = tmp_path / "runlog.db"
    before = sha256(db)
    done = run("import", str(DATA / "daylio_old" / "docs_sample.csv"), env=env)
    assert done.returncode == 2
    assert "'average', 'happy', 'horrible'" in done.stderr
    assert "Traceback" not in done.stderr
    assert sha256(db) == before and count_entries(db) == 1


def test_a_miles_export_is_read_in_miles_without_being_told(tmp_path):
    env = isolated_env(tmp_path)
    path = GARMIN / "en_miles_Activities.csv"
    with open(path, encoding="utf-8", newline="") as stream:
        expected = sorted(round(float(row["Distance"]) * 1609.344)
                          for row in csv.DictReader(stream) if row["Activity Type"] != "Cycling")
    done = run("import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert _distances(tmp_path / "runlog.db") == expected
    assert "distances read in miles" in done.stderr


def test_a_km_export_is_read_in_km_without_being_told(tmp_path):
    env = isolated_env(tmp_path)
    done = run("import", str(GARMIN / "de_Activities.csv"), env=env)
    assert done.returncode == 0, done.stderr
    assert _distances(tmp_path / "runlog.db") == [2000, 3100, 5020, 12250]
    assert "distances read in kilometres" in done.stderr


def test_an_export_that_cannot_tell_its_unit_is_refused_in_one_line(tmp_path):
    env = isolated_env(tmp_path)
    must("add", "5k", "25:00", "--no-input", env=env)
    db = tmp_path / "runlog.db"
    before = sha256(db)
    path = GARMIN / "en_no_strides_Activities.csv"
    done = run("import", str(path), env=env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}")
    assert lines[0].endswith("say which with --units mi or --units km before import; "
                             "nothing imported from this file")
    assert "Traceback" not in done.stderr and "distances read" not in done.stderr
    assert sha256(db) == before and count_entries(db) == 1
    # told, it imports
    told = run("--units", "mi", "import", str(path), env=env)
    assert told.returncode == 0 and count_entries(db) == 5
