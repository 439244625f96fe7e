"""Daylio CSV: check-ins with mapped moods, mixed 12/24-hour times, activities as tags."""

from __future__ import annotations

from collections import Counter

import pytest

from runlog.errors import InputError
from runlog.interchange import Bad, Row, read
from runlog.interchange.daylio import note_of, parse_time, tags_of, unknown_labels

TEST_DATA = "daylio/test_data.csv"
SAMPLE = "daylio/sample.csv"
MULTIPLE = "daylio/sample_multiple_moods.csv"


def test_default_labels_and_mixed_clock_styles(samples):
    found = list(read(samples / TEST_DATA))
    assert len(found) == 32 and all(isinstance(record, Row) for record in found)
    entries = {record.line: record.entry for record in found}
    assert Counter(entry.mood_after for entry in entries.values()) == {
        5: 19,
        4: 5,
        3: 4,
        2: 2,
        1: 2,
    }
    assert all(entry.kind == "checkin" and entry.mood_before is None for entry in entries.values())
    first = entries[2]  # 2020-05-30, 6:50 pm, rad, "friends | gaming | programming | nap", Awesome
    assert first.date == "2020-05-30T18:50:00+02:00"
    assert (first.mood_after, first.note, first.source) == (5, "Awesome", "daylio")
    assert first.tags == ("friends", "gaming", "programming", "nap")
    assert entries[32].date == "2020-05-25T14:58:00+02:00"  # the one 24-hour time
    assert entries[32].note == "Could be better"
    assert entries[17].date == "2020-05-28T00:19:00+02:00"  # 12:19 am
    assert entries[10].date == "2020-05-29T12:38:00+02:00"  # 12:38 pm
    assert entries[4].tags == () and entries[4].note is None


def test_unknown_labels_are_bad_rows_naming_all_of_them(samples):
    found = list(read(samples / SAMPLE))  # moods "sad " and "average"
    assert found == [
        Bad(
            line,
            f"line {line}: unknown mood label {label!r} "
            "(unknown labels in this file: 'average', 'sad')",
        )
        for line, label in ((2, "sad"), (3, "average"), (4, "average"))
    ]
    assert unknown_labels(samples / SAMPLE) == ["average", "sad"]


def test_a_mood_map_takes_custom_labels(samples):
    found = list(read(samples / SAMPLE, mood_map={"SAD": 2, "Average": 3}))
    assert [record.entry.mood_after for record in found] == [2, 3, 3]
    first = found[0].entry
    assert first.date == "2021-09-28T22:00:00+02:00"  # 10:00 pm
    assert first.tags == (
        "clean",
        "music",
        "movies/tv",
        "bad-sleep",
        "tired",
        "sleep-early",
        "stomachache",
    )
    assert found[1].entry.tags[0] == "stressed/frustrated"  # "stressed / frustrated  "


def test_custom_labels_with_24_hour_times(samples):
    # `OK` reads as 3 like `ok`/`meh` (a default); the others need the map.
    assert unknown_labels(samples / MULTIPLE) == ["Anxious", "ok but sleepy", "Refreshed"]
    found = list(
        read(
            samples / MULTIPLE, mood_map={"ok": 3, "refreshed": 4, "OK but sleepy": 3, "anxious": 2}
        )
    )
    assert all(isinstance(record, Row) for record in found) and len(found) == 7
    entries = [record.entry for record in found]
    assert [entry.mood_after for entry in entries] == [3, 3, 4, 4, 3, 2, 2]
    assert entries[0].date == "2021-05-12T18:52:00+02:00"
    assert entries[2].tags == ("sleeping",)  # "Sleeping " trimmed and lower-cased
    assert entries[5].tags == ()  # empty activities
    assert entries[6].date == "2020-07-21T07:31:00+02:00"  # the last line has no newline


def test_the_users_map_wins_over_the_defaults(samples):
    found = list(read(samples / TEST_DATA, mood_map={"RAD": 4}))
    assert {record.entry.mood_after for record in found} == {4, 3, 2, 1}


@pytest.mark.parametrize("value", [0, 6, "4", True])
def test_a_mood_map_outside_1_to_5_is_refused_at_once(samples, value):
    with pytest.raises(InputError):
        read(samples / TEST_DATA, mood_map={"tired": value})


def test_ids_are_stable_and_ignore_the_mood_map(samples):
    plain = [record.entry.uuid for record in read(samples / TEST_DATA)]
    mapped = [record.entry.uuid for record in read(samples / TEST_DATA, mood_map={"rad": 4})]
    assert plain == mapped and len(set(plain)) == 32


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("10:00 pm", (22, 0, 0)),
        ("6:50 PM", (18, 50, 0)),
        ("12:19 am", (0, 19, 0)),
        ("12:38 pm", (12, 38, 0)),
        ("14:58", (14, 58, 0)),
        ("08:13", (8, 13, 0)),
        ("7:05 a.m.", (7, 5, 0)),
        ("23:59:30", (23, 59, 30)),
    ],
)
def test_parse_time(text, clock):
    assert parse_time(text) == clock


@pytest.mark.parametrize("text", ["13:00 pm", "24:00", "7", "noon", "0:00 am"])
def test_parse_time_refuses(text):
    with pytest.raises(ValueError):
        parse_time(text)


@pytest.mark.parametrize(
    ("activities", "tags"),
    [
        ("", ()),
        ("work", ("work",)),
        (" Good Meal | work  | work ", ("good-meal", "work")),
        ("movies / tv", ("movies/tv",)),
        ("a;b", ("a,b",)),
    ],
)
def test_tags(activities, tags):
    assert tags_of(activities) == tags


@pytest.mark.parametrize(
    ("title", "body", "note"),
    [
        ("", "", None),
        ("Long day", "", "Long day"),
        ("", "ran it off", "ran it off"),
        ("Long day", "ran<br>it off", "Long day\nran\nit off"),
        ("", "<b>so</b> proud &amp; tired<br/>", "so proud & tired"),
        ("", "I <3 running", "I <3 running"),
    ],
)
def test_notes(title, body, note):
    assert note_of(title, body) == note


def test_generated_file_with_bad_rows(tmp_path):
    path = tmp_path / "daylio.csv"
    path.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        '2024-03-01,1 March,Friday,7:00 am,good,run,"Run","felt\nfree"\n'
        "2024-03-02,2 March,Saturday,25:00,good,,,\n"
        "2024-02-30,30 February,Friday,,meh,,,\n"
        "2024-03-03,3 March,Sunday,,meh,,,\n",
        encoding="utf-8",
    )
    found = list(read(path))
    assert found[0].line == 2 and found[0].entry.note == "Run\nfelt\nfree"
    assert found[1:3] == [
        Bad(4, "line 4: cannot read the time '25:00'"),
        Bad(5, "line 5: cannot read the full_date '2024-02-30'"),
    ]
    assert found[3].entry.date == "2024-03-03"  # no time: a day-only check-in


def test_ok_maps_like_meh_and_default_labels_match_in_any_case(tmp_path):
    path = tmp_path / "daylio.csv"
    path.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2024-03-01,1 March,Friday,7:00 am,OK,,,\n"
        "2024-03-02,2 March,Saturday,7:00 am,Ok,,,\n"
        "2024-03-03,3 March,Sunday,7:00 am,okay,,,\n"
        "2024-03-04,4 March,Monday,7:00 am,Rad,,,\n"
        "2024-03-05,5 March,Tuesday,7:00 am,GOOD,,,\n"
        "2024-03-06,6 March,Wednesday,7:00 am, Meh ,,,\n"
        "2024-03-07,7 March,Thursday,7:00 am,BAD,,,\n"
        "2024-03-08,8 March,Friday,7:00 am,Awful,,,\n",
        encoding="utf-8",
    )
    found = list(read(path))
    assert all(isinstance(record, Row) for record in found), found
    assert [record.entry.mood_after for record in found] == [3, 3, 3, 5, 4, 3, 2, 1]
    assert unknown_labels(path) == []
    # A user's map still wins over the defaults, `OK` included.
    mapped = list(read(path, mood_map={"ok": 4}))
    assert [record.entry.mood_after for record in mapped][:3] == [4, 4, 3]
