"""Every reader, fuzzed: whatever bytes a file holds, reading it gives Row, Skipped or Bad
records and raises nothing (a Bad is how a reader says no; the importer then refuses the
file with exit 2). Hypothesis makes files near each format, derandomized so a run repeats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runlog.interchange import Bad, LeftOut, Notice, Row, Skipped, read
from runlog.interchange import _common
from runlog.model import ENTRY_KEYS

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
FIT_SAMPLE = SAMPLES / "fit" / "2022-05-29-15-53-35_Laufen_Landal_Park.fit"

HEADERS = {
    "csv": ",".join(ENTRY_KEYS),
    "strava": "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
              "Activity Description,Elapsed Time,Distance",
    "garmin": "Activity Type,Date,Favorite,Title,Distance,Time,Elapsed Time",
    "daylio": "full_date,date,weekday,time,mood,activities,note_title,note",
}
# Cells near what each column expects, and anything at all.
CELLS = st.one_of(
    st.sampled_from([
        "", "run", "Run", "Running", "good", "rad", "5", "-1", "0", "1e400", "nan", "-inf",
        "9" * 400, "3,40", "1.234,5", "--", "00:25:31", "99:99:99", "10:00 pm", "25:61",
        "2026-11-20", "2026-11-20T07:05:00+01:00", "0000-01-01", "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59", "2022-05-29 15:53:35 +2500", "May 29, 2022, 3:53:35 PM",
        "Feb 30, 2022, 1:00:00 AM", "2024-01-01T00:00:00+01:00:30", "'=1+1", "=cmd", "a;b",
        "a\\;b", "\\", "awe=positive", "joy;awe", "\x00", "\ufeff", "é" * 50,
    ]),
    st.text(max_size=40),
)


def _csv_text(header: str, rows: list[list[str]]) -> str:
    import csv
    import io

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    out.write(header + "\r\n")
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def records_of(tmp_path: Path, name: str, content: bytes | str, fmt: str) -> list:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    path.write_bytes(content)
    records = list(read(path, fmt))
    assert all(isinstance(record, (Row, Skipped, LeftOut, Notice, Bad)) for record in records)
    return records


@pytest.mark.parametrize("fmt", ["csv", "strava", "garmin", "daylio"])
@FUZZ
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=22), max_size=4))
def test_csv_readers_never_raise(tmp_path, fmt, rows):
    records_of(tmp_path, "f.csv", _csv_text(HEADERS[fmt], rows), fmt)


@pytest.mark.parametrize("fmt", ["csv", "strava", "garmin", "daylio"])
@FUZZ
@given(data=st.binary(max_size=300))
def test_csv_readers_never_raise_on_bytes(tmp_path, fmt, data):
    records_of(tmp_path, "f.csv", HEADERS[fmt].encode() + b"\r\n" + data, fmt)


JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    CELLS, st.integers(min_value=10**300, max_value=10**310))
JSON_VALUES = st.recursive(JSON_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)
OBJECTS = st.one_of(
    st.fixed_dictionaries({key: JSON_VALUES for key in ("uuid", "date", "kind")},
                          optional={key: JSON_VALUES for key in ENTRY_KEYS
                                    + ("deleted_at", "valences")
                                    if key not in ("uuid", "date", "kind")}),
    JSON_VALUES)


@FUZZ
@given(objects=st.lists(OBJECTS, max_size=4))
def test_json_and_ndjson_readers_never_raise(tmp_path, objects):
    records_of(tmp_path, "f.json", json.dumps(objects), "json")
    records_of(tmp_path, "f.ndjson", "\n".join(json.dumps(item) for item in objects), "ndjson")


@FUZZ
@given(data=st.binary(max_size=300), depth=st.integers(0, 50_000))
def test_json_readers_never_raise_on_bytes_or_depth(tmp_path, data, depth):
    records_of(tmp_path, "f.json", b"[" + data, "json")
    records_of(tmp_path, "f.ndjson", b"{" + data, "ndjson")
    records_of(tmp_path, "d.json", "[" + "[" * depth + "]" * depth + "]", "json")
    records_of(tmp_path, "d.ndjson", '{"note": ' + "{\"a\":" * depth + "1" + "}" * depth + "}",
               "ndjson")


GPX = ('<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
       "<trk><name>{name}</name><type>{kind}</type><trkseg>"
       '<trkpt lat="{lat}" lon="4.0"><time>{start}</time></trkpt>'
       '<trkpt lat="52.01" lon="{lon}"><time>{end}</time></trkpt></trkseg></trk></gpx>')
XML_TEXT = st.one_of(CELLS.map(lambda text: text.replace("&", "&amp;").replace("<", "&lt;")),
                     st.sampled_from(["&x;", "<![CDATA[x]]>", "<!-- c -->", "&#0;", "&#x1F3C3;"]))
TIMES = st.one_of(st.sampled_from(["2024-05-01T07:00:00Z", "2024-05-01T07:00:00+25:00",
                                   "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59",
                                   "2024-05-01T07:00:00", "2024-13-45T99:99:99Z", ""]),
                  CELLS)


@FUZZ
@given(name=XML_TEXT, kind=XML_TEXT, lat=st.sampled_from(["52.0", "nan", "inf", "1e400", "x"]),
       lon=st.sampled_from(["4.0", "-inf", "999", ""]), start=TIMES, end=TIMES)
def test_gpx_reader_never_raises(tmp_path, name, kind, lat, lon, start, end):
    text = GPX.format(name=name, kind=kind, lat=lat, lon=lon,
                      start=start.replace("<", "").replace("&", ""),
                      end=end.replace("<", "").replace("&", ""))
    records_of(tmp_path, "f.gpx", text, "gpx")


@FUZZ
@given(data=st.binary(max_size=400))
def test_gpx_reader_never_raises_on_bytes(tmp_path, data):
    records_of(tmp_path, "f.gpx", b"<gpx>" + data, "gpx")


@FUZZ
@given(at=st.integers(0, 4000), data=st.binary(min_size=1, max_size=64))
def test_fit_reader_never_raises_on_a_damaged_file(tmp_path, at, data):
    sample = bytearray(FIT_SAMPLE.read_bytes())
    at = min(at, len(sample) - 1)
    sample[at:at + len(data)] = data
    if sample[8:12] != b".FIT":  # keep it a FIT file to the detector and the reader
        sample[8:12] = b".FIT"
    records_of(tmp_path, "f.fit", bytes(sample), "fit")


def test_the_reader_guard_turns_what_a_reader_did_not_foresee_into_a_bad(tmp_path,
                                                                          monkeypatch):
    path = tmp_path / "f.csv"
    path.write_text(HEADERS["strava"] + "\n1,\"May 29, 2022, 3:53:35 PM\",x,Run,1800,5\n")

    def broken(*_args, **_kwargs):
        raise RuntimeError("a parser bug")

    monkeypatch.setattr(_common, "local_iso", broken)
    records = list(read(path, "strava"))
    assert records == [Bad(0, "cannot read this file (a parser bug)")]  # no class name


def test_csv_lines_longer_than_the_limit_are_refused_without_being_read_whole(tmp_path,
                                                                               monkeypatch):
    monkeypatch.setattr(_common, "LONGEST_LINE", 1000)
    path = tmp_path / "f.csv"
    path.write_text(HEADERS["daylio"] + "\n" + "2024-05-01,x,x,10:00,good,," + "x" * 5000)
    (bad,) = read(path, "daylio")
    assert bad == Bad(2, "line 2 is longer than 0 MiB")
