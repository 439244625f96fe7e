"""FIT files read by runlog's own session scanner, checked against fitdecode's reading.

Every expected value comes from fitdecode (the reference, a test dependency only); variants
(no total_distance, placeholder starts, blips, truncation, damage, chained files) are made
here from the bytes of real files, at offsets fitdecode reports.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import fitdecode
import pytest

from runlog.interchange import Bad, LeftOut, Notice, Row, Skipped, read

DATA = Path(__file__).resolve().parents[1] / "data"
MORE = DATA / "fit_more"
SAMPLES_FIT = DATA / "samples" / "fit"
LANDAL = SAMPLES_FIT / "2022-05-29-15-53-35_Laufen_Landal_Park.fit"
FENIX = SAMPLES_FIT / "garmin-fenix-5-run.fit"
ALL_FILES = sorted(MORE.glob("*.fit")) + sorted(SAMPLES_FIT.glob("*.fit"))
KINDS = {"running": "run", "walking": "walk", "hiking": "walk"}
FIT_RELATIVE = 0x10000000  # FIT: a date_time below this is seconds since power-on


def reference(path: Path) -> list:
    """fitdecode's reading: each data message as (name, {field: value}, chunk offset,
    {field: (offset in the file, size)})."""
    out = []
    try:
        with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.DISABLED,
                                 error_handling=fitdecode.ErrorHandling.IGNORE,
                                 keep_raw_chunks=True) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                where, at = {}, frame.chunk.offset + 1
                for field in frame.def_mesg.field_defs:
                    where[field.name] = (at, field.size)
                    at += field.size
                out.append((frame.name, {f.name: f.value for f in frame.fields},
                            frame.chunk.offset, where))
    except fitdecode.FitError:
        pass  # a damaged file: what came before the damage
    return out


def sessions(path: Path) -> list[dict]:
    return [values for name, values, _, _ in reference(path) if name == "session"]


def patched(path: Path, tmp_path: Path, changes: list[tuple[str, str, int]],
            name: str = "patched.fit") -> Path:
    """A copy of `path` with each (message name, field, raw value) written into every
    message of that name (little-endian, as these files are)."""
    data = bytearray(path.read_bytes())
    for message, field, value in changes:
        for name, _, _, where in reference(path):
            if name == message:
                at, size = where[field]
                data[at:at + size] = value.to_bytes(size, "little")
    out = tmp_path / name
    out.write_bytes(bytes(data))
    return out


def utc(entry_date: str) -> datetime:
    return datetime.fromisoformat(entry_date).astimezone(timezone.utc)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_session_is_read_as_fitdecode_reads_it_without_fitdecode(path, monkeypatch):
    expected = sessions(path)
    monkeypatch.setitem(sys.modules, "fitdecode", None)  # runlog needs no FIT library
    records = [r for r in read(path) if not isinstance(r, Notice)]
    assert len(records) == len(expected) >= 1
    for record, session in zip(records, expected):
        kind = KINDS.get(session["sport"])
        start = session["start_time"]
        if kind is None:
            assert record == Skipped(record.line, session["sport"])
        elif isinstance(start, int) and start < FIT_RELATIVE:
            assert isinstance(record, LeftOut)
        else:
            assert isinstance(record, Row), record
            entry = record.entry
            assert utc(entry.date) == start
            assert entry.kind == ("trail" if session.get("sub_sport") == "trail" else kind)
            assert entry.distance_m == pytest.approx(session["total_distance"])
            assert entry.duration_s == pytest.approx(session["total_elapsed_time"])


def test_a_triathlon_of_chained_files_gives_its_run_and_names_the_other_sports(monkeypatch):
    path = MORE / "sample_mulitple_header.fit"
    expected = sessions(path)
    monkeypatch.setitem(sys.modules, "fitdecode", None)  # runlog's own scanner chains them
    records = list(read(path))
    assert [type(r).__name__ for r in records] == ["Skipped"] * 4 + ["Row"]
    assert [r.reason for r in records[:4]] == [s["sport"] for s in expected[:4]]
    assert records[4].entry.distance_m == pytest.approx(expected[4]["total_distance"])


def test_two_files_one_after_the_other_are_both_read(tmp_path, monkeypatch):
    path = tmp_path / "two.fit"
    path.write_bytes(LANDAL.read_bytes() + FENIX.read_bytes())
    expected = sessions(LANDAL) + sessions(FENIX)
    monkeypatch.setitem(sys.modules, "fitdecode", None)  # runlog's own scanner chains them
    rows = list(read(path))
    assert [utc(r.entry.date) for r in rows] == [s["start_time"] for s in expected]


def test_a_session_without_total_distance_takes_its_laps_sum(tmp_path):
    laps = [values["total_distance"] for name, values, _, _ in reference(LANDAL)
            if name == "lap"]
    assert len(laps) > 1
    path = patched(LANDAL, tmp_path, [("session", "total_distance", 0xFFFFFFFF)])
    assert sessions(path)[0]["total_distance"] is None  # fitdecode: no distance now
    (row,) = read(path)
    assert row.entry.distance_m == pytest.approx(sum(laps))


def test_without_distance_in_session_and_laps_the_last_record_gives_it(tmp_path):
    records = [values["distance"] for name, values, _, _ in reference(LANDAL)
               if name == "record" and values.get("distance") is not None]
    path = patched(LANDAL, tmp_path, [("session", "total_distance", 0xFFFFFFFF),
                                      ("lap", "total_distance", 0xFFFFFFFF)])
    (row,) = read(path)
    assert row.entry.distance_m == pytest.approx(records[-1])
    assert row.entry.duration_s == pytest.approx(sessions(LANDAL)[0]["total_elapsed_time"])


@pytest.mark.parametrize("name", ["antfs-dump.63.fit", "compressed-speed-distance.fit"])
def test_a_start_counted_from_power_on_is_a_placeholder_left_out(name):
    (session,) = sessions(MORE / name)
    assert isinstance(session["start_time"], int) and session["start_time"] < FIT_RELATIVE
    (record,) = read(MORE / name)
    assert record == LeftOut(1, "placeholder dates (1989-12-31, before 2000)")


def test_the_fit_epoch_as_start_is_a_placeholder_left_out(tmp_path):
    path = patched(LANDAL, tmp_path, [("session", "start_time", 0)])
    assert sessions(path)[0]["start_time"] == 0  # fitdecode: 0 s after the FIT epoch
    assert list(read(path)) == [LeftOut(1, "placeholder dates (1989-12-31, before 2000)")]


def test_a_watch_started_and_stopped_is_a_zero_length_session_left_out(tmp_path):
    path = patched(FENIX, tmp_path, [("session", "total_distance", 500),  # 5 m
                                     ("session", "total_elapsed_time", 12000)])  # 12 s
    assert (sessions(path)[0]["total_distance"], sessions(path)[0]["total_elapsed_time"]) == (
        5.0, 12.0)
    assert list(read(path)) == [LeftOut(1, "zero-length sessions (started and stopped)")]


def session_end(path: Path) -> int:
    (offset, where) = [(offset, where) for name, _, offset, where in reference(path)
                       if name == "session"][0]
    return max(at + size for at, size in where.values())


@pytest.mark.parametrize("cut", [11, 13, 14, 100, 400, 5000, -1])
def test_a_file_cut_before_its_session_ends_early(tmp_path, cut):
    data = LANDAL.read_bytes()
    cut = session_end(LANDAL) - 1 if cut == -1 else cut
    path = tmp_path / "cut.fit"
    path.write_bytes(data[:cut])
    (bad,) = read(path, "fit")
    expected = ("not a FIT file" if cut < 12 else
                "the file ends early (truncated), before any session summary")
    assert bad == Bad(0, expected)


def test_a_file_cut_after_its_session_keeps_it_and_says_so(tmp_path):
    data = LANDAL.read_bytes()
    path = tmp_path / "cut.fit"
    path.write_bytes(data[:session_end(LANDAL) + 3])
    row, notice = read(path)
    assert utc(row.entry.date) == sessions(LANDAL)[0]["start_time"]
    assert notice == Notice(0, "the file ends early or is damaged after its session "
                               "summary: the sessions before were read")


def test_damage_before_the_session_names_the_byte(tmp_path):
    messages = reference(LANDAL)
    second = messages[1][2]  # a data message's header byte: now an undefined local type
    data = bytearray(LANDAL.read_bytes())
    data[second] = 0x0F
    path = tmp_path / "damaged.fit"
    path.write_bytes(bytes(data))
    assert list(read(path)) == [
        Bad(0, f"the file is damaged at byte {second}, before any session summary")]


def test_text_read_as_fit_is_not_a_fit_file(tmp_path):
    path = tmp_path / "notes.fit"
    path.write_text("date,distance\n2024-01-01,5\n")
    assert list(read(path, "fit")) == [Bad(0, "not a FIT file")]


def test_hostile_bytes_end_in_records_quickly_never_an_exception(tmp_path):
    rng = random.Random(11)
    sources = [FENIX.read_bytes(), (MORE / "developer-types-sample.fit").read_bytes()[:9000]]
    path = tmp_path / "hostile.fit"
    started = time.perf_counter()
    for n in range(400):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            data[at:at + rng.randint(1, 8)] = rng.randbytes(rng.randint(0, 8))
        if n % 4 == 0:  # a header that promises far more than there is
            data[4:8] = rng.randbytes(4)
        if len(data) >= 12:
            data[8:12] = b".FIT"  # still a FIT file to the reader
        path.write_bytes(bytes(data))
        records = list(read(path, "fit"))
        assert records and all(isinstance(r, (Row, Skipped, LeftOut, Notice, Bad))
                                for r in records)
        for record in records:
            text = getattr(record, "message", "") + getattr(record, "text", "")
            assert "Error" not in text and "line " not in text
    assert time.perf_counter() - started < 20


def test_reading_skips_the_records_it_does_not_need(tmp_path):
    """Item 11: a long run's file is read in a few milliseconds, far under a full decode."""
    path = MORE / "activity-small-fenix2-run.fit"
    started = time.perf_counter()
    for _ in range(20):
        list(read(path))
    ours = (time.perf_counter() - started) / 20
    started = time.perf_counter()
    reference(path)
    full = time.perf_counter() - started
    assert ours < full / 10, (ours, full)


def test_a_session_without_start_time_starts_its_elapsed_time_before_its_end(tmp_path,
                                                                             monkeypatch):
    path = patched(LANDAL, tmp_path, [("session", "start_time", 0xFFFFFFFF)])
    (session,) = sessions(path)
    assert session["start_time"] is None
    monkeypatch.setitem(sys.modules, "fitdecode", None)  # runlog's own scanner
    (row,) = read(path)
    assert utc(row.entry.date).timestamp() == pytest.approx(
        session["timestamp"].timestamp() - session["total_elapsed_time"], abs=1)


def test_a_session_with_no_time_at_all_has_no_start_time(tmp_path):
    broken = SAMPLES_FIT / "strava-android-app-201.10-b1218918.fit"
    path = patched(broken, tmp_path, [("session", "start_time", 0xFFFFFFFF)])
    (session,) = sessions(path)
    assert session["start_time"] is None and session.get("timestamp") is None
    assert list(read(path))[0] == Bad(0, "session 1 has no start time")


def test_a_watch_left_running_for_days_counts_its_timer_time_and_says_so(tmp_path):
    path = patched(LANDAL, tmp_path, [("session", "total_elapsed_time", 3 * 86400 * 1000)])
    (session,) = sessions(path)
    assert session["total_elapsed_time"] == 3 * 86400.0
    notice, row = read(path)
    assert notice == Notice(1, "moving time used where the elapsed time was impossible "
                               "(a watch left running)")
    assert row.entry.duration_s == pytest.approx(session["total_timer_time"])
    assert row.entry.distance_m == pytest.approx(session["total_distance"])


def test_days_of_elapsed_and_timer_time_leave_the_session_out_not_the_file(tmp_path):
    path = patched(LANDAL, tmp_path, [("session", "total_elapsed_time", 3 * 86400 * 1000),
                                      ("session", "total_timer_time", 3 * 86400 * 1000)])
    assert sessions(path)[0]["total_timer_time"] == 3 * 86400.0
    assert list(read(path)) == [LeftOut(1, "activities over 48 hours without a possible moving time")]
