"""Garmin Connect Activities.csv in the account's language and distance unit.

The files in tests/data/garmin_i18n/ carry headers as real exports in each language spell
them (SOURCES.md there); expected values are read here with the csv module, not by runlog."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from runlog.interchange import Bad, Notice, Row, Skipped, detect_format, read
from runlog.interchange._common import local_iso
from runlog.interchange.garmin import KILOMETRES, MILES, detect_units, is_header, read_garmin

DATA = Path(__file__).resolve().parent.parent / "data" / "garmin_i18n"

# language: (file, type, date, distance, elapsed, time columns, and the kind of each type)
LANGUAGES = {
    "de": ("de_Activities.csv", "Aktivitätstyp", "Datum", "Distanz", "Verstrichene Zeit",
           {"Laufen": "run", "Laufbandtraining": "treadmill", "Gehen": "walk"}),
    "fr": ("fr_Activities.csv", "Type d'activité", "Date", "Distance", "Temps écoulé",
           {"Course à pied": "run", "Randonnée": "walk",
            "Course à pied sur tapis roulant": "treadmill"}),
    "es": ("es_Activities.csv", "Tipo de actividad", "Fecha", "Distancia", "Tiempo transcurrido",
           {"Carrera": "run", "Entrenamiento en cinta": "treadmill", "Trail running": "trail"}),
    "pt": ("pt_Activities.csv", "Tipo de atividade", "Data", "Distância", "Duração",
           {"Corrida": "run", "Corrida em esteira": "treadmill"}),
    "it": ("it_Activities.csv", "Tipo di attività", "Data", "Distanza", "Tempo trascorso",
           {"Corsa": "run", "Corsa su tapis roulant": "treadmill", "Camminata": "walk"}),
    "nl": ("nl_Activities.csv", "Activiteittype", "Datum", "Afstand", "Tijd",
           {"running": "run", "hiking": "walk"}),
}


def _seconds(text: str) -> int:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def _expected(language: str, metres_per_unit: float = 1000.0):
    """(runs by line, other sports by line) as the csv module reads the file."""
    name, type_col, date_col, distance_col, time_col, kinds = LANGUAGES[language]
    with open(DATA / name, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    runs, others = {}, {}
    for line, row in enumerate(rows, start=2):
        if row[type_col] in kinds:
            distance = float(row[distance_col].replace(",", "."))
            runs[line] = (kinds[row[type_col]],
                          local_iso(datetime.fromisoformat(row[date_col])),
                          round(distance * metres_per_unit, 6), _seconds(row[time_col]))
        else:
            others[line] = row[type_col]
    return runs, others


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_each_language_is_told_without_format_and_read_in_full(language):
    path = DATA / LANGUAGES[language][0]
    assert detect_format(path) == "garmin"
    runs, others = _expected(language)
    assert runs and others  # each file has runs and another sport
    found = list(read(path, units="km"))
    assert found[0] == Notice(0, KILOMETRES)
    got_runs = {record.line: (record.entry.kind, record.entry.date,
                              round(record.entry.distance_m, 6), record.entry.duration_s)
                for record in found if isinstance(record, Row)}
    got_others = {record.line: record.reason for record in found if isinstance(record, Skipped)}
    assert got_runs == runs
    assert got_others == others  # other sports keep their own name: Radfahren, Ciclismo...
    assert not [record for record in found if isinstance(record, Bad)]


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"nl"}))
def test_each_language_tells_kilometres_by_itself(language):
    """Cadence x stride x minutes is ~1000 x the distance: the file says km."""
    path = DATA / LANGUAGES[language][0]
    assert detect_units(path) == "km"
    found = list(read_garmin(path, units=None))
    assert found[0] == Notice(0, KILOMETRES)
    runs, _ = _expected(language)
    assert {record.line: round(record.entry.distance_m, 6)
            for record in found if isinstance(record, Row)} == {
        line: value[2] for line, value in runs.items()}


def test_the_dutch_2018_layout_tells_its_unit_by_its_first_cadence_column():
    assert detect_units(DATA / "nl_Activities.csv") == "km"


def test_decimal_commas_and_points_differ_row_to_row():
    with open(DATA / "de_Activities.csv", encoding="utf-8", newline="") as stream:
        distances = [row["Distanz"] for row in csv.DictReader(stream)]
    assert any("," in text for text in distances) and any("." in text for text in distances)
    rows = [record for record in read(DATA / "de_Activities.csv") if isinstance(record, Row)]
    assert [record.entry.distance_m for record in rows] == [5020, 2000, 12250, 3100]


def test_swim_metres_with_a_thousands_comma_are_another_sport_not_a_run():
    found = {record.line: record for record in read(DATA / "nl_Activities.csv")}
    assert found[3] == Skipped(3, "open_water_swimming")


def _miles_expected():
    with open(DATA / "en_miles_Activities.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return {line: round(float(row["Distance"]) * 1609.344, 6)
            for line, row in enumerate(rows, start=2) if row["Activity Type"] != "Cycling"}


def test_a_miles_account_is_read_in_miles_and_says_so():
    path = DATA / "en_miles_Activities.csv"
    assert detect_units(path) == "mi"
    found = list(read_garmin(path, units=None))
    assert found[0] == Notice(0, MILES)
    assert {record.line: round(record.entry.distance_m, 6)
            for record in found if isinstance(record, Row)} == _miles_expected()
    assert [record.reason for record in found if isinstance(record, Skipped)] == ["Cycling"]


def test_units_said_against_the_files_own_evidence_are_refused():
    """A miles file imported with --units km would store every run 38 % short: the runner's
    word never overrides cadence x stride length, it is refused naming the way out."""
    path = DATA / "en_miles_Activities.csv"
    found = list(read_garmin(path, units="km"))
    assert len(found) == 1 and isinstance(found[0], Bad) and found[0].line == 0
    assert found[0].message == ("--units km was given, but the file's cadence and stride "
                                "length say its distances are in miles: import it without "
                                "--units")
    # said in agreement with the file, it imports as the file tells
    agreed = list(read_garmin(path, units="mi"))
    assert agreed[0] == Notice(0, MILES)
    first = next(record for record in agreed if isinstance(record, Row))
    assert first.entry.distance_m == pytest.approx(2.28 * 1609.344)


def test_a_file_that_cannot_tell_is_refused_naming_units():
    path = DATA / "en_no_strides_Activities.csv"
    assert detect_units(path) is None
    found = list(read_garmin(path, units=None))
    assert len(found) == 1 and isinstance(found[0], Bad) and found[0].line == 0
    message = found[0].message
    assert "\n" not in message
    assert message.endswith("say which with --units mi or --units km before import")
    assert str(path) not in message  # a temporary copy's name means nothing to the runner
    # with the unit said, the same file imports
    assert sum(isinstance(record, Row) for record in read_garmin(path, units="mi")) == 4


def test_a_file_without_running_distances_needs_no_unit(tmp_path):
    path = tmp_path / "Activities.csv"
    path.write_text("Activity Type,Date,Favorite,Title,Distance,Calories,Time\n"
                    "Cycling,2024-01-01 10:00:00,false,Ride,20.0,300,01:00:00\n",
                    encoding="utf-8")
    assert list(read_garmin(path, units=None)) == [Skipped(2, "Cycling")]


def test_real_rows_tell_their_units():
    """Rows of real exports (values quoted from the files named in SOURCES.md: a German
    km account and a US miles one): cadence x stride (m) x minutes over the distance."""
    german = 166 * 1.14 * (26 * 60 + 32) / 60 / 5.02  # PhilippPro, 2022-04-06
    oregon = 158 * 0.89 * (35 * 60 + 48) / 60 / 3.11  # jeremyiwk, 2021-09-07
    assert abs(german / 1000 - 1) < 0.05 and abs(oregon / 1609.344 - 1) < 0.05


def test_another_language_is_read_by_garmin_s_column_order(tmp_path):
    """A language the table lacks: known by Garmin's untranslated "Training Stress Score®"
    and read by position (type, date, favourite, title, distance, calories, time)."""
    header = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "Training Stress Score®"]
    assert is_header(header)
    path = tmp_path / "Activities.csv"
    path.write_text(",".join(header) + "\nRunning,2024-01-02 07:00:00,false,Morning,"
                    '"5,00",300,00:25:00,--\n', encoding="utf-8")
    assert detect_format(path) == "garmin"
    rows = [record for record in read(path, units="km") if isinstance(record, Row)]
    assert [(row.entry.distance_m, row.entry.duration_s, row.entry.note) for row in rows] == [
        (5000, 1500, "Morning")]


@pytest.mark.parametrize("header", [
    ["Aktivitätstyp", "Datum", "Favorit", "Titel", "Distanz"],
    ["Tipo di attività", "Data", "Preferita", "Titolo", "Distanza"],
    ["Aktivitetstype", "Dato", "Favoritt", "Tittel", "Distanse"],
    ["Activiteittype", "Datum", "Favoriet", "Titel", "Afstand"],
    ["Typ aktywności", "Data", "Ulubiony", "Tytuł", "Dystans", "Suma kalorii", "Czas"],
])
def test_headers_of_every_language_in_the_table_are_garmin_s(header):
    assert is_header(header)


def test_a_date_with_a_month_name(tmp_path):
    path = tmp_path / "Activities.csv"
    path.write_text("Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit\n"
                    'Laufen,"29. Mai 2022, 15:53:35",false,x,"3,32",1,00:23:48\n',
                    encoding="utf-8")
    rows = [record for record in read(path, units="km") if isinstance(record, Row)]
    assert rows[0].entry.date == local_iso(datetime(2022, 5, 29, 15, 53, 35))


def test_polish_types(tmp_path):
    """Garmin's Polish header and types as a public parser's tests spell them (SOURCES.md)."""
    path = tmp_path / "Activities.csv"
    path.write_text("Typ aktywności,Data,Ulubiony,Tytuł,Dystans,Suma kalorii,Czas\n"
                    'Bieganie,2026-01-02 10:00:00,false,"Bieg","5.00","400","00:30:00"\n'
                    'Chodzenie,2026-01-04 10:00:00,false,"Spacer","2.50","100","00:30:00"\n'
                    'Trening siłowy,2026-01-05 10:00:00,false,"Siła","0.00","200","00:30:00"\n',
                    encoding="utf-8")
    assert detect_format(path) == "garmin"
    found = [record for record in read(path, units="km") if not isinstance(record, Notice)]
    assert [(row.entry.kind, row.entry.distance_m, row.entry.duration_s, row.entry.note)
            for row in found[:2]] == [("run", 5000, 1800, "Bieg"), ("walk", 2500, 1800, "Spacer")]
    assert found[2] == Skipped(4, "Trening siłowy")


def test_a_cadence_counted_per_foot_tells_neither_unit(tmp_path):
    """Half the steps (one foot's): a miles file's ratio falls to ~805, near neither 1000
    nor 1609, so the file is refused rather than read as kilometres."""
    with open(DATA / "en_miles_Activities.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    column = rows[0].index("Avg Run Cadence")
    for row in rows[1:]:
        if row[column] != "--":
            row[column] = str(int(row[column]) // 2)
    path = tmp_path / "Activities.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    assert detect_units(path) is None
    assert isinstance(next(iter(read_garmin(path, units=None))), Bad)


def test_the_real_european_sample_tells_kilometres():
    """tests/data/samples/garmin/Activities.csv: a real export (MIT), 1131 runs in km."""
    sample = DATA.parent / "samples" / "garmin" / "Activities.csv"
    assert detect_units(sample) == "km"
    found = list(read(sample))  # units not said
    assert found[0] == Notice(0, KILOMETRES)
    assert sum(isinstance(record, Row) for record in found) == 1131
