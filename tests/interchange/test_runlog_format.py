"""runlog's own CSV / JSON / NDJSON: exact text, round trips, validation with line numbers."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runlog.interchange import Bad, Row, read, runlog_format
from helpers import export_fields
from runlog.model import CRIED, ENTRY_KEYS, KINDS, Entry, entry_to_dict

WRITERS = {
    "csv": runlog_format.write_csv,
    "json": runlog_format.write_json,
    "ndjson": runlog_format.write_ndjson,
}
READERS = {
    "csv": runlog_format.read_csv,
    "json": runlog_format.read_json,
    "ndjson": runlog_format.read_ndjson,
}
HEADER = ",".join(ENTRY_KEYS) + "\r\n"


def fields(entries, fmt: str):
    """What `Store.iter_fields` streams: names joined, a `\\` or the joiner in one escaped."""
    return export_fields(entries, runlog_format.NAMES_JOINED_BY[fmt])


def export(entries, fmt: str, redact: bool = False) -> str:
    out = io.StringIO(newline="")
    WRITERS[fmt](fields(entries, fmt), out, redact=redact)
    return out.getvalue()


def save(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
    return path


def load(path: Path, fmt: str) -> list:
    return list(READERS[fmt](path))


RUN = Entry(
    uuid="7d7c1b52-4a0e-4c3c-9a57-0d1a8f0e6d01",
    date="2026-11-20T07:05:00+01:00",
    kind="run",
    distance_m=5230.0,
    duration_s=1710.0,
    mood_before=2,
    mood_after=4,
    emotions=("sadness", "relief"),
    cried="during",
    effort=6,
    pain=1,
    where="left knee",
    intention="let go of the fight",
    note='He said "fine", I said, well\nnothing. 🏃‍♀️',
    tags=("park", "morning"),
    id=12,
)
REST = Entry(
    uuid="0b0c9f5e-7c55-4c2b-a1a9-3f1b6f1d2e02",
    date="2026-11-21",
    kind="rest",
    mood_after=2,
    emotions=("guilt",),
)


# ---------------------------------------------------------------------------- exact text


def test_csv_text_is_rfc4180_with_empty_cells_for_null():
    assert export([RUN, REST], "csv") == (
        HEADER + "12,7d7c1b52-4a0e-4c3c-9a57-0d1a8f0e6d01,2026-11-20T07:05:00+01:00,run,5.23,1710,"
        "326.96,2,4,2,sadness;relief,during,6,1,left knee,let go of the fight,"
        '"He said ""fine"", I said, well\nnothing. 🏃‍♀️",park;morning\r\n'
        ",0b0c9f5e-7c55-4c2b-a1a9-3f1b6f1d2e02,2026-11-21,rest,,,,,2,,guilt,,,,,,,\r\n"
    )


def test_csv_of_nothing_is_the_header_alone():
    out = io.StringIO()
    assert runlog_format.write_csv([], out) == 0
    assert out.getvalue() == HEADER


def test_json_is_a_list_with_one_entry_a_line_and_the_keys_of_entry_to_dict():
    text = export([RUN, REST], "json")
    lines = text.split("\n")
    assert lines[0] == "[" and lines[3] == "]" and text.endswith("]\n")
    assert json.loads(text) == [entry_to_dict(RUN), entry_to_dict(REST)]
    assert list(json.loads(lines[1].rstrip(","))) == list(ENTRY_KEYS)
    assert "🏃" in text  # UTF-8, not \u escapes


def test_json_of_nothing_is_an_empty_list():
    out = io.StringIO()
    assert runlog_format.write_json([], out) == 0
    assert json.loads(out.getvalue()) == []


def test_ndjson_is_one_object_per_line():
    text = export([RUN, REST], "ndjson")
    assert [json.loads(line) for line in text.splitlines()] == [
        entry_to_dict(RUN),
        entry_to_dict(REST),
    ]


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_writers_count_and_stream_from_a_generator(fmt):
    out = io.StringIO()
    assert WRITERS[fmt](fields((RUN for _ in range(3)), fmt), out) == 3


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_redact_drops_intention_note_and_where(tmp_path, fmt):
    text = export([RUN], fmt, redact=True)
    assert "knee" not in text and "fight" not in text and "nothing" not in text
    (row,) = load(save(tmp_path, "x", text), fmt)
    assert (row.entry.where, row.entry.intention, row.entry.note) == (None, None, None)
    assert row.entry.emotions == RUN.emotions and row.entry.mood_after == 4


# ---------------------------------------------------------------------------- reading


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_read_gives_entries_back_with_id_dropped_and_source_set(tmp_path, fmt):
    found = load(save(tmp_path, "x", export([RUN, REST], fmt)), fmt)
    assert all(isinstance(record, Row) for record in found)
    first, second = (record.entry for record in found)
    assert first.id is None and first.source == "runlog"
    assert entry_to_dict(first) == {**entry_to_dict(RUN), "id": None}
    assert second == REST


def test_csv_line_numbers_count_lines_inside_quoted_notes(tmp_path):
    multi = Entry(uuid="u1", date="2026-11-20", kind="walk", duration_s=600, note="a\nb\nc")
    bad_text = export([multi, multi, RUN], "csv").replace(",4,2,sadness", ",9,7,sadness")
    found = load(save(tmp_path, "x.csv", bad_text), "csv")
    assert [record.line for record in found] == [2, 5, 8]
    assert found[2] == Bad(8, "line 8: mood_after must be 1-5, got 9")


def _cells(**changes) -> str:
    cells = dict(
        zip(
            ENTRY_KEYS,
            ["", "u1", "2026-11-20T07:05:00+01:00", "run", "5", "1800"] + [""] * 12,
            strict=True,
        )
    )
    cells.update(changes)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells[key] for key in ENTRY_KEYS)
    return HEADER + out.getvalue()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mood_after": "9"}, "mood_after must be 1-5, got 9"),
        ({"mood_before": "0"}, "mood_before must be 1-5, got 0"),
        ({"mood_before": "good"}, "mood_before must be a whole number, got 'good'"),
        ({"effort": "11"}, "effort must be 1-10, got 11"),
        ({"pain": "-1"}, "pain must be 0-10, got -1"),
        (
            {"kind": "swim"},
            "kind must be one of run, walk, run-walk, trail, treadmill, race, "
            "rest, checkin, got 'swim'",
        ),
        ({"distance_km": "0"}, "distance_km must be more than 0 and at most 1000, got 0"),
        ({"distance_km": "1000.5"}, "distance_km must be more than 0 and at most 1000, got 1000.5"),
        ({"distance_km": "5k"}, "distance_km must be a number, got '5k'"),
        ({"distance_km": "nan"}, "distance_km must be more than 0 and at most 1000, got nan"),
        ({"duration_s": "172801"}, "duration_s must be more than 0 and at most 172800, got 172801"),
        ({"cried": "never"}, "cried must be empty or one of during, after, both, got 'never'"),
        ({"uuid": ""}, "uuid is missing"),
        ({"date": ""}, "date is missing"),
        ({"date": "2026-02-30"}, "date '2026-02-30' is not a real date"),
        (
            {"date": "2026-11-20T25:00:00+01:00"},
            "date '2026-11-20T25:00:00+01:00' is not a real date and time",
        ),
        (
            {"date": "2026-11-20T07:05:00"},
            "date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM, got '2026-11-20T07:05:00'",
        ),
        ({"date": "20 Nov"}, "date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM, got '20 Nov'"),
    ],
)
def test_csv_rejects_bad_values_with_the_line(tmp_path, changes, message):
    assert load(save(tmp_path, "x.csv", _cells(**changes)), "csv") == [Bad(2, f"line 2: {message}")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"id": "99", "pace_s_per_km": "1", "mood_lift": "-4"}, {}),  # ignored, derived
        ({"date": "2026-11-20"}, {"date": "2026-11-20"}),
        ({"date": "2026-11-20T06:05:00Z"}, {"date": "2026-11-20T06:05:00+00:00"}),
        ({"date": "2026-11-20T07:05:00.750-03:30"}, {"date": "2026-11-20T07:05:00-03:30"}),
        ({"distance_km": "", "duration_s": ""}, {"distance_m": None, "duration_s": None}),
        (
            {"distance_km": "1000", "duration_s": "172800"},
            {"distance_m": 1e6, "duration_s": 172800},
        ),
        ({"emotions": "joy", "tags": "a b;c,d"}, {"emotions": ("joy",), "tags": ("a b", "c,d")}),
        ({"pain": "0", "cried": "both"}, {"pain": 0, "cried": "both"}),
    ],
)
def test_csv_accepts(tmp_path, changes, expected):
    (row,) = load(save(tmp_path, "x.csv", _cells(**changes)), "csv")
    entry = row.entry
    want = {
        "uuid": "u1",
        "date": "2026-11-20T07:05:00+01:00",
        "kind": "run",
        "distance_m": 5000,
        "duration_s": 1800,
        "id": None,
        **expected,
    }
    assert {key: getattr(entry, key) for key in want} == want


def test_csv_with_another_header_is_one_bad_line(tmp_path):
    path = save(tmp_path, "x.csv", "date,distance\r\n2026-11-20,5\r\n")
    (bad,) = load(path, "csv")
    assert bad.line == 1
    assert bad.message.startswith("line 1: the header must be " + ",".join(ENTRY_KEYS) + " ")


def test_csv_reports_each_bad_row_and_keeps_going(tmp_path):
    good = _cells().split("\r\n")[1]
    text = _cells(mood_after="6") + good + "\r\n\r\n" + good + ",extra\r\n" + good + "\r\n"
    found = load(save(tmp_path, "x.csv", text), "csv")
    assert [(type(record).__name__, record.line) for record in found] == [
        ("Bad", 2),
        ("Row", 3),
        ("Bad", 5),
        ("Row", 6),
    ]
    assert found[2].message == "line 5: expected 18 columns, got 19"


def test_csv_keeps_a_note_longer_than_the_csv_modules_default_cell_limit(tmp_path):
    diary = Entry(uuid="u1", date="2026-11-20", kind="rest", note="I kept writing. " * 20_000)
    text = export([diary], "csv")
    (row,) = load(save(tmp_path, "x.csv", text), "csv")
    assert row.entry.note == diary.note


def test_csv_that_is_not_utf8_fails_cleanly(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(_cells(note="caf\xe9").encode("latin-1"))
    (bad,) = load(path, "csv")
    assert isinstance(bad, Bad) and "not UTF-8" in bad.message


def test_csv_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xef\xbb\xbf" + _cells().encode())
    assert isinstance(load(path, "csv")[0], Row)


def test_json_reports_bad_objects_with_their_line(tmp_path):
    text = export([RUN, REST, RUN], "json").replace('"mood_after": 2', '"mood_after": 7')
    found = load(save(tmp_path, "x.json", text), "json")
    assert [record.line for record in found] == [2, 3, 4]
    assert found[1] == Bad(3, "line 3: mood_after must be 1-5, got 7")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[]", []),
        ("  [\n]\n", []),
        ("", []),
        ('{"uuid": "x"}', [Bad(1, "line 1: expected a JSON list of entries")]),
        (
            '[\n{"uuid": "x", "date": "2026-11-20", "kind": "rest"},\n',
            [
                Row(2, Entry(uuid="x", date="2026-11-20", kind="rest")),
                Bad(3, "line 3: the JSON list is not closed with ]"),
            ],
        ),
        (
            '[\n{"uuid": "x", "date": "2026-11-20", "kind": "rest", "mood_after": 3,\n',
            [Bad(3, "line 3: not valid JSON (Expecting property name enclosed in double quotes)")],
        ),
        (
            '[\n{"uuid": "x", "date": "2026-11-20", "kind": "rest"}\n{"uuid": "y"}]',
            [
                Row(2, Entry(uuid="x", date="2026-11-20", kind="rest")),
                Bad(3, "line 3: expected , or ] between entries"),
            ],
        ),
        (
            '[{"uuid": "x", "date": "2026-11-20", "kind": "rest"}] trailing',
            [
                Row(1, Entry(uuid="x", date="2026-11-20", kind="rest")),
                Bad(1, "line 1: more text after the end of the JSON list"),
            ],
        ),
        ("[5]", [Bad(1, "line 1: expected an entry object, got 5")]),
        (
            '[{"uuid": "x", "date": "2026-11-20", "kind": "rest", "mood": 3}]',
            [Bad(1, "line 1: unknown key 'mood'")],
        ),
        (
            '[{"uuid": "x", "date": "2026-11-20", "kind": "run", "distance_km": "5"}]',
            [Bad(1, 'line 1: distance_km must be a number or null, got "5"')],
        ),
        (
            '[{"uuid": "x", "date": "2026-11-20", "kind": "run", "effort": true}]',
            [Bad(1, "line 1: effort must be a whole number or null, got true")],
        ),
        (
            '[{"uuid": "x", "date": "2026-11-20", "kind": "run", "effort": 4.0}]',
            [Row(1, Entry(uuid="x", date="2026-11-20", kind="run", effort=4))],
        ),
        (
            '[{"uuid": "x", "date": "2026-11-20", "kind": "run", "tags": "a;b"}]',
            [Bad(1, 'line 1: tags must be a list of names, got "a;b"')],
        ),
    ],
)
def test_json_edge_cases(tmp_path, text, expected):
    assert load(save(tmp_path, "x.json", text), "json") == expected


def test_json_objects_spanning_chunks_and_pretty_printed_lists_read(tmp_path):
    entries = [
        Entry(uuid=f"u{n}", date="2026-11-20", kind="walk", duration_s=60 + n, note="ü" * (n % 300))
        for n in range(1500)
    ]
    pretty = json.dumps([entry_to_dict(entry) for entry in entries], indent=2, ensure_ascii=False)
    assert len(pretty) > 4 * 65536
    found = load(save(tmp_path, "x.json", pretty), "json")
    assert [record.entry for record in found] == entries
    per_object = len(pretty.splitlines()) // 1500
    assert [record.line for record in found[:3]] == [2, 2 + per_object, 2 + 2 * per_object]


@pytest.mark.parametrize("chunk", [1, 7, 100])
def test_json_reads_the_same_whatever_the_chunk_boundaries(tmp_path, monkeypatch, chunk):
    text = export([RUN, REST, RUN], "json").replace("\n", "\r\n")  # and Windows line ends
    text = text.replace('"mood_after": 2', '"mood_after": 0')
    path = save(tmp_path, "x.json", text + "\n ")
    whole = load(path, "json")
    monkeypatch.setattr(runlog_format, "_CHUNK", chunk)
    assert load(path, "json") == whole
    assert [(type(record), record.line) for record in whole] == [(Row, 2), (Bad, 3), (Row, 4)]


def test_ndjson_reports_every_bad_line_and_skips_blank_ones(tmp_path):
    text = export([RUN], "ndjson") + "\n{not json}\n" + '["a list"]\n' + export([REST], "ndjson")
    found = load(save(tmp_path, "x.ndjson", text), "ndjson")
    assert [(type(record).__name__, record.line) for record in found] == [
        ("Row", 1),
        ("Bad", 3),
        ("Bad", 4),
        ("Row", 5),
    ]
    assert found[1].message.startswith("line 3: not valid JSON")
    assert found[2].message == 'line 4: expected an entry object, got ["a list"]'


def test_ndjson_accepts_a_hand_written_object_with_missing_keys(tmp_path):
    path = save(
        tmp_path,
        "typed.ndjson",
        '{"uuid": "u9", "date": "2026-11-20T18:00:00+01:00", "kind": "run", '
        '"distance_km": 5, "note": "from a failed add"}\n',
    )
    (row,) = load(path, "ndjson")
    assert row.entry == Entry(
        uuid="u9", date="2026-11-20T18:00:00+01:00", distance_m=5000, note="from a failed add"
    )


def test_read_dispatches_by_content(tmp_path):
    path = save(tmp_path, "export.txt", export([RUN], "ndjson"))
    (row,) = read(path)
    assert row.entry.uuid == RUN.uuid


# ---------------------------------------------------------------------------- properties

_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
_name = st.text(  # no control characters: the log refuses them in tags
    st.one_of(st.characters(exclude_categories=("Cs", "Cc")), st.sampled_from(";\\'=")),
    min_size=1, max_size=12,
)
_offsets = st.integers(-12 * 4, 14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)
_moments = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone).isoformat(timespec="seconds"),
    st.datetimes(datetime(1990, 1, 1), datetime(2099, 12, 31)),
    _offsets,
)
_days = st.dates(datetime(1990, 1, 1).date(), datetime(2099, 12, 31).date()).map(str)


def _optional(strategy):
    return st.none() | strategy


entries = st.builds(
    Entry,
    uuid=st.uuids().map(str),
    date=_days | _moments,
    kind=st.sampled_from(KINDS),
    # millimetres and milliseconds: what entry_to_dict keeps
    distance_m=_optional(st.integers(1, 1_000_000_000).map(lambda mm: mm / 1000)),
    duration_s=_optional(st.integers(1, 172_800_000).map(lambda ms: ms / 1000)),
    mood_before=_optional(st.integers(1, 5)),
    mood_after=_optional(st.integers(1, 5)),
    emotions=st.lists(_name, max_size=4).map(tuple),
    cried=_optional(st.sampled_from(CRIED)),
    effort=_optional(st.integers(1, 10)),
    pain=_optional(st.integers(0, 10)),
    where=_optional(_text),
    intention=_optional(_text),
    note=_optional(_text | st.sampled_from(['a "quoted", note\r\nnext', "🏃‍♀️💨 ünïcödé", "x,y;z"])),
    tags=st.lists(_name, max_size=4).map(tuple),
)


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(entries, max_size=6))
def test_write_read_write_is_identical(tmp_path, fmt, batch):
    first = export(batch, fmt)
    found = load(save(tmp_path, f"x.{fmt}", first), fmt)
    assert all(isinstance(record, Row) for record in found), found
    assert [entry_to_dict(record.entry) for record in found] == [entry_to_dict(e) for e in batch]
    assert export([record.entry for record in found], fmt) == first


_cell_values = {
    "uuid": st.sampled_from(["", "u1"]),
    "date": st.sampled_from(
        [
            "2026-11-20",
            "2026-11-20T07:05:00+01:00",
            "2026-13-01",
            "2026-11-20T07:05:00Z",
            "2026-11-20 07:05",
            "",
            "2026-W47-1",
        ]
    ),
    "kind": st.sampled_from(["run", "checkin", "swim", ""]),
    "distance_km": st.sampled_from(["", "5", "0", "-1", "1000", "1001", "nan", "inf", "1e-3", "x"]),
    "duration_s": st.sampled_from(["", "1", "0", "172800", "172801", "1.5", "x"]),
    "mood_before": st.sampled_from(["", "1", "5", "0", "6", "3.0", "x"]),
    "mood_after": st.sampled_from(["", "1", "5", "0", "6", " 3"]),
    "effort": st.sampled_from(["", "1", "10", "0", "11"]),
    "pain": st.sampled_from(["", "0", "10", "-1", "11"]),
    "cried": st.sampled_from(["", "during", "both", "yes"]),
}


@settings(max_examples=400, deadline=None)
@given(st.fixed_dictionaries(_cell_values))
def test_the_csv_hot_path_agrees_with_the_checked_path(values):
    cells = [values.get(key, "") for key in ENTRY_KEYS]
    try:
        checked = runlog_format._checked_entry_from_cells(list(cells))
    except runlog_format._Invalid as problem:
        with pytest.raises(runlog_format._Invalid) as raised:
            runlog_format._entry_from_cells(list(cells))
        assert str(raised.value) == str(problem)
        return
    fast = runlog_format._entry_from_cells(list(cells))
    assert vars(fast) == vars(checked)


def test_the_csv_hot_path_builds_real_entries():
    from runlog import model

    assert model._FAST_PATH  # else model.py changed and trusted_entry uses the constructor
    cells = _cells(emotions="joy", tags="a").split("\r\n")[1].split(",")
    fast = runlog_format._entry_from_cells(cells)
    assert type(fast) is Entry and fast == Entry(
        uuid="u1",
        date="2026-11-20T07:05:00+01:00",
        distance_m=5000,
        duration_s=1800,
        emotions=("joy",),
        tags=("a",),
    )
    assert hash(fast) == hash(Entry(**vars(fast)))
    with pytest.raises(AttributeError):
        fast.kind = "walk"
