"""Daylio's 2017-18 export: `year,date,weekday,time,mood,activities,note`, the day and month
name in the app's language, moods in the app's language. Expected values from the csv
module; files and their sources in tests/data/daylio_old/SOURCES.md."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from runlog.interchange import Row, detect_format, read
from runlog.interchange._common import local_iso
from runlog.interchange.daylio import is_header

DATA = Path(__file__).resolve().parent.parent / "data" / "daylio_old"
POLISH = {"wspaniale": 5, "dobrze": 4, "tak sobie": 3, "źle": 2, "okropnie": 1}
MONTHS_PL = {"sierpnia": 8, "września": 9}


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def test_the_old_header_is_daylio_s():
    assert is_header(_rows("en_2018.csv")[0])
    for name in ("en_2018.csv", "pl_2017.csv", "docs_sample.csv"):
        assert detect_format(DATA / name) == "daylio"


def test_a_polish_export_reads_its_months_and_moods():
    rows = _rows("pl_2017.csv")[1:]
    expected = []
    for row in rows:
        day, month = row[1].split()
        hour, minute = (int(part) for part in row[3].split(":"))
        when = datetime(int(row[0]), MONTHS_PL[month], int(day), hour, minute)
        expected.append((local_iso(when), POLISH[row[4]]))
    found = [record for record in read(DATA / "pl_2017.csv")]
    assert all(isinstance(record, Row) for record in found)
    assert [(record.entry.date, record.entry.mood_after) for record in found] == expected
    assert found[2].entry.tags == ("bieganie",)
    assert len(rows[-1]) == 6 and found[-1].entry.note is None  # a row without its note cell


def test_an_english_export_with_12_and_24_hour_times():
    found = [record for record in read(DATA / "en_2018.csv")]
    assert [record.entry.date for record in found] == [
        local_iso(datetime(2018, 6, 22, 20, 39)), local_iso(datetime(2018, 6, 21, 20, 5)),
        local_iso(datetime(2018, 6, 21, 20, 5)), local_iso(datetime(2018, 6, 20, 7, 10)),
        local_iso(datetime(2018, 5, 31, 10, 4))]
    assert [record.entry.mood_after for record in found] == [2, 3, 4, 5, 1]
    assert found[2].entry.note == 'After the ride, "finally" calm'


def test_two_check_ins_in_one_minute_with_different_text_are_two():
    found = [record for record in read(DATA / "en_2018.csv")]
    same_minute = [record.entry for record in found if record.entry.date == found[1].entry.date]
    assert len(same_minute) == 2
    assert same_minute[0].uuid != same_minute[1].uuid


def test_the_documented_day_first_sample_with_custom_moods():
    moods = {"happy": 5, "average": 3, "horrible": 1}
    found = list(read(DATA / "docs_sample.csv", mood_map=moods))
    assert [(record.entry.date, record.entry.mood_after, record.entry.tags)
            for record in found] == [
        (local_iso(datetime(2018, 5, 18, 23, 54)), 5, ("clean", "cook", "music")),
        (local_iso(datetime(2018, 5, 17, 22, 21)), 3, ("cook", "stressed")),
        (local_iso(datetime(2018, 5, 16, 23, 41)), 1, ())]


def test_both_polish_names_of_awful_are_awful():
    from runlog.interchange.daylio import moods

    assert moods(None)["okropnie"] == moods(None)["bardzo źle"] == 1
