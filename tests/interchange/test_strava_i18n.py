"""Strava in every language and layout, and the month names of every language (issue 11,
items 1, 2 and 8). Expected values come from the files through the csv module, from the
dates build.py wrote (tests/data/strava_i18n/SOURCES.md), and from Babel: never from runlog."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from runlog.interchange import Bad, LeftOut, Notice, Row, Skipped, detect_format, read
from runlog.interchange.locales import month_number, parse_month_date
from runlog.interchange.strava import ELAPSED_NOTICE, TOO_LONG, is_header, read_strava

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "tests" / "data" / "strava_i18n"
SAMPLES = ROOT / "tests" / "data" / "samples"
MAP = SAMPLES / "strava" / "Strava-Activity-Map" / "activities.csv"
TABLE = ROOT / "runlog" / "interchange" / "_months.py"


# ---------------------------------------------------------------- the month table


def _generator():
    spec = importlib.util.spec_from_file_location("make_months", ROOT / "tools" / "make_months.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_month_table_is_what_cldr_gives():
    import babel  # a test dependency (runlog never imports it)
    text = TABLE.read_text(encoding="utf-8")
    assert f"Babel {babel.__version__}" in text.splitlines()[0], (
        "the table was made with another Babel: run tools/make_months.py")
    generator = _generator()
    assert text == generator.render(*generator.collect()), (
        "runlog/interchange/_months.py differs from CLDR: run tools/make_months.py, "
        "never edit it by hand")


@pytest.mark.parametrize(("word", "month"), [
    ("mei", 5), ("okt.", 10), ("Okt", 10), ("März", 3), ("máj.", 5), ("maio", 5),
    ("mai.", 5), ("May", 5), ("kesäkuuta", 6), ("мая", 5), ("5月", 5), ("dez.", 12),
    ("sept.", 9), ("augusztus", 8), ("maj", 5), ("mrt", 3),
])
def test_month_names_of_many_languages(word, month):
    assert month_number(word) == month


@pytest.mark.parametrize("word", ["de", "du", "pm", "am", "del", "", "Laufen", "2022"])
def test_words_that_are_no_month(word):
    assert month_number(word) is None  # Portuguese "de", Hungarian "du." (p.m.)...


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize(("text", "expected"), [
    ("6 mei 2013 15:39:08", datetime(2013, 5, 6, 15, 39, 8)),
    ("26 okt. 2013", datetime(2013, 10, 26)),
    ("8 jul 2017, 15:25:34", datetime(2017, 7, 8, 15, 25, 34)),
    ("May 29, 2022, 3:53:35 PM", datetime(2022, 5, 29, 15, 53, 35)),
    ("May 29, 2022, 3:53:35\u202fPM", datetime(2022, 5, 29, 15, 53, 35)),
    ("Dec 31, 2021, 12:30:00 AM", datetime(2021, 12, 31, 0, 30)),
    ("29. Mai 2022, 15:53:35", datetime(2022, 5, 29, 15, 53, 35)),
    ("29 de mai. de 2022 15:53:35", datetime(2022, 5, 29, 15, 53, 35)),
    ("2022. máj. 29. 15:53:35", datetime(2022, 5, 29, 15, 53, 35)),
    ("2022/05/29 15:53:35", datetime(2022, 5, 29, 15, 53, 35)),
    ("29.05.2022 15:53:35", datetime(2022, 5, 29, 15, 53, 35)),
    ("29.05.2022, 15:53:35", datetime(2022, 5, 29, 15, 53, 35)),
    ("29. maj 2022 15.53.35", datetime(2022, 5, 29, 15, 53, 35)),
    ("2022年5月29日 15:53:35", datetime(2022, 5, 29, 15, 53, 35)),
    ("2022. 5. 29. 오후 3:53:35", datetime(2022, 5, 29, 15, 53, 35)),
    ("29 мая 2022\u202fг., 15:53:35", datetime(2022, 5, 29, 15, 53, 35)),
    ("2016-03-13 09:46:22", datetime(2016, 3, 13, 9, 46, 22)),
    ("13/05/2022 07:00:00", datetime(2022, 5, 13, 7)),
])
def test_dates_with_month_names_in_any_order(text, expected):
    assert parse_month_date(text) == expected


APP_LANGUAGES = ["en_US", "en_GB", "de", "nl", "fr", "es", "it", "pt_BR", "pt_PT", "da", "sv",
                 "nb", "fi", "pl", "hu", "cs", "ru", "ja", "zh", "zh_Hant", "ko", "tr"]


# medium is what Strava writes (SOURCES.md); long adds month names in their genitive and
# words ("às", "um") around the time. Korean's long time is "3시 53분 35초": not read.
@pytest.mark.parametrize(("locale", "width"), [(locale, "medium") for locale in APP_LANGUAGES]
                         + [(locale, "long") for locale in APP_LANGUAGES if locale != "ko"])
def test_every_app_language_date_as_cldr_writes_it(locale, width):
    from babel.dates import format_datetime

    for moment in (datetime(2022, 5, 29, 15, 53, 35), datetime(2023, 1, 2, 7, 5, 9),
                   datetime(2024, 12, 31, 0, 0, 1), datetime(2023, 9, 9, 12, 30, 0)):
        text = format_datetime(moment, width, locale=locale, tzinfo="UTC")
        text = text.replace(" UTC", "").replace("UTC", "").replace(" GMT", "")
        assert parse_month_date(text, day_first=True) == moment, (locale, text)


@pytest.mark.parametrize("text", [
    "", "yesterday", "May 2022", "29 May", "32 May 2022", "29 Foo 2022 10:00:00",
    "2022-13-01 10:00:00", "29 May 2022 25:00:00", "05/06/2022 10:00:00",
])
def test_what_is_no_date_is_a_value_error(text):
    with pytest.raises(ValueError):
        parse_month_date(text)


def test_a_slashed_date_reads_day_first_only_when_asked():
    assert parse_month_date("05/06/2022 10:00:00", day_first=True) == datetime(2022, 6, 5, 10)


# ---------------------------------------------------------------- headers


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as stream:
        return [name.strip() for name in next(csv.reader(stream))]


LANGUAGES = ["de", "nl", "pt", "da", "hu"]


@pytest.mark.parametrize("language", LANGUAGES + ["old"])
def test_every_layout_and_language_is_told_without_format(language):
    path = I18N / language / "activities.csv"
    assert is_header(_header(path))
    assert detect_format(path) == "strava"


@pytest.mark.parametrize("names", [
    # the current layout with names no table of runlog's has (Japanese, French, Russian)
    ["アクティビティID", "日付", "名前", "タイプ", "説明", "経過時間", "距離", "最大心拍数",
     "相対エフォート", "通勤", "メモ", "ギア", "ファイル名", "体重", "自転車重量", "経過時間",
     "移動時間", "距離"],
    ["ID de l'activité", "Date de l'activité", "Nom de l'activité", "Type d'activité",
     "Description", "Temps écoulé", "Distance", "FC max.", "Effort relatif", "Trajet",
     "Note privée", "Équipement", "Nom du fichier", "Poids", "Poids du vélo",
     "Temps écoulé", "Temps de déplacement", "Distance"],
])
def test_the_current_layout_is_told_in_any_language_by_its_repeated_names(names):
    header = names + ["Max. x", "y"]
    for index, name in ((18, names[7]), (19, names[8])):  # the two other repeats, later on
        header[index] = name
    header += [names[9]]
    assert is_header(header)


@pytest.mark.parametrize("path", [
    SAMPLES / "garmin" / "Activities.csv", SAMPLES / "daylio" / "sample.csv",
    SAMPLES / "daylio" / "test_data.csv",
])
def test_other_apps_are_not_taken_for_strava(path):
    assert not is_header(_header(path))


# ---------------------------------------------------------------- whole files


def _expected(path: Path, kinds: dict[str, str]) -> list[tuple]:
    """(line, kind, metres, seconds) for each row whose type is in `kinds`, read with the csv
    module: the second Distance (metres), the first Elapsed Time, or the Moving Time after
    the second Elapsed Time when elapsed is over 48 h."""
    with open(path, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    second_distance = header.index(header[6], 7)
    moving = header.index(header[5], 6) + 1
    out = []
    for line, cells in enumerate(rows[1:], 2):
        if cells[3] not in kinds:
            continue
        seconds = float(cells[5])
        if seconds > 48 * 3600:
            seconds = float(cells[moving])
        metres = float(cells[second_distance].replace(",", "."))
        out.append((line, kinds[cells[3]], metres, seconds))
    return out


# What build.py wrote (its ROWS table), and each language's running and walking words.
STARTS = [datetime(2022, 5, 29, 15, 53, 35), datetime(2023, 1, 2, 7, 5, 9),
          datetime(2023, 3, 4, 18, 30, 0), datetime(2023, 10, 26, 11, 59, 59),
          datetime(2024, 11, 3, 6, 45, 30)]
WORDS = {
    "de": ({"Lauf": "run", "Traillauf": "trail", "Spaziergang": "walk", "Wanderung": "walk"},
           {"Radfahrt": 1, "Schwimmen": 1}),
    "nl": ({"Hardloopsessie": "run", "Trailrun": "trail", "Wandeling": "walk"},
           {"Fietsrit": 1, "Zwemmen": 1}),
    "pt": ({"Corrida": "run", "Corrida em trilha": "trail", "Caminhada": "walk",
            "Trilha": "walk"}, {"Pedalada": 1, "Natação": 1}),
    "da": ({"Løb": "run", "Trailløb": "trail", "Gåtur": "walk", "Vandretur": "walk"},
           {"Cykeltur": 1, "Svømning": 1}),
    "hu": ({"Futás": "run", "Terepfutás": "trail", "Séta": "walk", "Túrázás": "walk"},
           {"Kerékpározás": 1, "Úszás": 1}),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_localised_export_imports_runs_walks_and_names_other_sports(language):
    path = I18N / language / "activities.csv"
    kinds, others = WORDS[language]
    found = list(read(path))
    assert not [record for record in found if isinstance(record, Bad)], found
    rows = [record for record in found if isinstance(record, Row)]
    got = [(row.line, row.entry.kind, row.entry.distance_m, row.entry.duration_s)
           for row in rows]
    assert got == _expected(path, kinds)
    assert [datetime.fromisoformat(row.entry.date).astimezone(timezone.utc)
            for row in rows] == [start.replace(tzinfo=timezone.utc) for start in STARTS]
    assert Counter(record.reason for record in found if isinstance(record, Skipped)) == others
    # the watch left running: one notice, for that row, with the moving time
    assert [record for record in found if isinstance(record, Notice)] == [
        Notice(8, ELAPSED_NOTICE)]
    assert rows[-1].entry.duration_s == 2100
    assert all(row.entry.source == "strava" for row in rows)


def test_the_archive_before_2019_reads_metres_and_utc():
    path = I18N / "old" / "activities.csv"
    with open(path, newline="", encoding="utf-8") as stream:
        table = list(csv.DictReader(stream))
    found = list(read(path))
    rows = [record for record in found if isinstance(record, Row)]
    expected = [(line, float(row["distance"]), float(row["elapsed_time"]), row["date"])
                for line, row in enumerate(table, 2) if row["type"] in ("Run", "Walk")]
    assert [(row.line, row.entry.distance_m, row.entry.duration_s,
             datetime.fromisoformat(row.entry.date).astimezone(timezone.utc)
             .strftime("%Y-%m-%d %H:%M:%S")) for row in rows] == expected
    assert [row.entry.kind for row in rows] == ["run", "run", "walk"]
    assert rows[1].entry.note == "Easy, legs heavy"
    assert Counter(r.reason for r in found if isinstance(r, Skipped)) == {"Ride": 2, "Swim": 1}
    assert not [record for record in found if isinstance(record, Notice)]  # metres: no unit


def test_the_real_export_uses_moving_time_where_the_watch_was_left_running():
    with open(MAP, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    expected = {}
    for line, cells in enumerate(rows[1:], 2):
        if cells[3] not in ("Run", "Trail Run", "Virtual Run", "Walk", "Hike"):
            continue
        elapsed, metres, moving = float(cells[5]), float(cells[17] or 0), float(cells[16] or 0)
        if elapsed > 172800 or (metres and elapsed / (metres / 1000) > 3600):
            expected[line] = moving
    assert len(expected) == 21
    found = list(read(MAP))
    assert {record.line for record in found if isinstance(record, Notice)} == set(expected)
    assert {record.text for record in found if isinstance(record, Notice)} == {ELAPSED_NOTICE}
    got = {record.line: record.entry.duration_s for record in found
           if isinstance(record, Row) and record.line in expected}
    assert got == expected


# ---------------------------------------------------------------- rows of our own


def _write(tmp_path: Path, rows: list[list[str]], language: str = "de") -> Path:
    header = _header(I18N / language / "activities.csv")
    path = tmp_path / "activities.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for cells in rows:
            writer.writerow(cells + [""] * (len(header) - len(cells)))
    return path


def _cells(type_="Lauf", date="29.05.2022, 15:53:35", elapsed="1800", shown="5,0",
           metres="5000.0", moving="1750"):
    cells = [""] * 18
    cells[0], cells[1], cells[2], cells[3] = "7", date, "Runde", type_
    cells[5], cells[6], cells[15], cells[16], cells[17] = elapsed, shown, elapsed, moving, metres
    return cells


def test_days_of_elapsed_time_without_a_moving_time_leave_the_row_out_not_the_file(tmp_path):
    path = _write(tmp_path, [_cells(), _cells(elapsed="260000", moving=""), _cells(
        date="30.05.2022, 07:00:00")])
    found = list(read(path))
    assert [type(record).__name__ for record in found] == ["Row", "LeftOut", "Row"]
    assert found[1] == LeftOut(3, TOO_LONG)


def test_a_display_distance_alone_says_its_unit(tmp_path):
    path = _write(tmp_path, [_cells(metres="", shown="3,1")])
    assumed = list(read_strava(path, units=None))
    assert [type(record).__name__ for record in assumed] == ["Notice", "Row"]
    assert "kilometres" in assumed[0].text and "--units mi" in assumed[0].text
    assert assumed[1].entry.distance_m == pytest.approx(3100)
    told = list(read_strava(path, units="mi"))
    assert "miles" in told[0].text and "--units" not in told[0].text
    assert told[1].entry.distance_m == pytest.approx(3.1 * 1609.344)


def test_decimal_commas_and_points_may_differ_row_to_row(tmp_path):
    path = _write(tmp_path, [_cells(metres="5012,5"), _cells(metres="5012.5", date="1.6.2022"),
                             _cells(metres="1.234,5", date="2.6.2022")])
    assert [record.entry.distance_m for record in read(path)] == [5012.5, 5012.5, 1234.5]


def test_an_unreadable_date_names_its_line(tmp_path):
    path = _write(tmp_path, [_cells(date="irgendwann")])
    assert list(read(path)) == [Bad(2, "line 2: cannot read the Activity Date 'irgendwann'")]


def test_an_unknown_type_is_another_sport_never_a_run(tmp_path):
    path = _write(tmp_path, [_cells(type_="Inlineskaten"), _cells(type_="E-Bike-Radfahrt")])
    assert list(read(path)) == [Skipped(2, "Inlineskaten"), Skipped(3, "E-Bike-Radfahrt")]
