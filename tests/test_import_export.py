"""End to end through the CLI: `runlog import` of every real sample in tests/data/samples and
of runlog's own exports, and `runlog export` with each of its options (SPEC §4, §5).

Import summaries go to stderr; exports go to stdout (or --output FILE). "Now" is frozen at
Saturday 2026-11-21 18:00 in Europe/Amsterdam (UTC+01:00)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from helpers import (
    SPEC_ENTRY_KEYS,
    Clock,
    assert_refused,
    db_path,
    db_state,
    invoke,
    local,
    ok,
    ok_json,
    sql,
)
from runlog.model import ENTRY_KEYS

DAYLIO_MOODS = {"rad": 5, "good": 4, "meh": 3, "bad": 2, "awful": 1}
STRAVA_FULL = "strava/Strava-Activity-Map/activities.csv"
STRAVA_ONE = "strava/geo-activity-playground/activities.csv"
GARMIN = "garmin/Activities.csv"
FIT_LANDAL = "fit/2022-05-29-15-53-35_Laufen_Landal_Park.fit"
FIT_FENIX = "fit/garmin-fenix-5-run.fit"
FIT_BROKEN = "fit/strava-android-app-201.10-b1218918.fit"
# Written for runlog (not a sample): a run with +01:00 offsets, no track name or type, heart
# rate in the cluetrust extension. Absolute, so `samples / GPX_RUN` is this path.
GPX_RUN = Path(__file__).resolve().parent / "data" / "gpx" / "offset_run.gpx"
GPX_WALK_1 = "gpx/2025-08-30 20_29_18.085 BC Cadzand-Bad.gpx"
GPX_WALK_2 = "gpx/2025-09-03 11_32_33.996 Cadzand-Bad.gpx"
DAYLIO_TEST = "daylio/test_data.csv"
DAYLIO_CUSTOM = "daylio/sample_multiple_moods.csv"
CUSTOM_MOODS = {"OK": 3, "Refreshed": 4, "ok but sleepy": 3, "Anxious": 2}


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    frozen = Clock(local(2026, 11, 21, 18, 0))
    monkeypatch.setattr("runlog.clock.now", frozen)
    return frozen


@pytest.fixture(params=["here", "in a second process"])
def prepared(request, monkeypatch):
    """Run a test both ways a file is read and prepared: in the importing process (small
    files), and by the worker process that large files get (any file, here)."""
    from runlog.store import import_worker, importer

    started = []
    if request.param != "here":
        monkeypatch.setattr(importer, "PARALLEL_FROM_BYTES", 0)
        real = import_worker.prepared_elsewhere

        def counted(*args, **kwargs):
            started.append(args[0])
            return real(*args, **kwargs)

        monkeypatch.setattr(import_worker, "prepared_elsewhere", counted)
    yield request.param
    call = getattr(request.node, "rep_call", None)  # set by conftest's makereport hook
    if request.param != "here" and call is not None and call.passed:
        assert started, "no file was read by the worker"


# -- helpers ---------------------------------------------------------------------------------


def summary(name, added, duplicates=0, other=0, verb="added") -> str:
    """The start of one file's summary line on stderr (the other sports' names may follow)."""
    return f"{name}: {verb} {added}, skipped {duplicates} as duplicates, {other} as other sports"


def imported(*args: str, db: Path | None = None):
    """`runlog import ARGS` that must succeed: nothing on stdout, only summaries on stderr."""
    prefix = ("--db", str(db)) if db else ()
    result = ok(*prefix, "import", *args)
    assert result.stdout == ""
    assert "Error" not in result.stderr
    return result


def every_entry(db: Path | None = None) -> list[dict]:
    prefix = ("--db", str(db)) if db else ()
    return ok_json(*prefix, "list", "--limit", "1000000")


def entry_count(db: Path | None = None) -> int:
    return sql("SELECT count(*) FROM entries", path=db)[0][0]


def one_on(day: str, db: Path | None = None) -> dict:
    found = ok_json(*(("--db", str(db)) if db else ()), "list", "--since", day, "--until", day)
    assert len(found) == 1, found
    return found[0]


def exported(*args: str, db: Path | None = None) -> str:
    prefix = ("--db", str(db)) if db else ()
    result = ok(*prefix, "export", *args)
    assert result.stderr == ""
    return result.stdout_bytes.decode("utf-8")  # .stdout would turn CRLF into LF


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def json_entries(text: str, fmt: str) -> list[dict]:
    if fmt == "json":
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def without_ids(text: str, fmt: str):
    """An export with the `id` (assigned afresh on import) left out."""
    if fmt == "csv":
        return [row[1:] for row in csv_rows(text)]
    return [{k: v for k, v in entry.items() if k != "id"} for entry in json_entries(text, fmt)]


def write_runlog_csv(path: Path, rows: list[dict]) -> Path:
    """A runlog CSV export written by hand (the header of SPEC §5)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(SPEC_ENTRY_KEYS)
        for row in rows:
            writer.writerow([row.get(key, "") for key in SPEC_ENTRY_KEYS])
    return path


def run_row(n: int, **fields) -> dict:
    """A valid CSV row: a timed 5 km run on day n of November 2026, a day apart each."""
    row = {"uuid": f"00000000-0000-4000-8000-{n:012d}", "date": f"2026-11-{n:02d}T07:00:00+01:00",
           "kind": "run", "distance_km": "5", "duration_s": "1800", "mood_before": "3",
           "mood_after": "4", "emotions": "calm", "tags": "gen"}
    row.update(fields)
    return row


# -- 1. the real samples, each into a fresh log ---------------------------------------------


def test_strava_full_export_adds_runs_walks_and_hikes_and_counts_other_sports(prepared, samples):
    path = samples / STRAVA_FULL
    result = imported(str(path))
    line, = result.stderr.splitlines()
    assert line.startswith(summary(path, 756, 0, 1089)), line
    # 21 with a watch left running (slower than 1 km an hour) take their moving time, said
    assert line.endswith("rejected 0; moving time used where the elapsed time was "
                         "impossible (a watch left running): 21")
    assert "947 Ride" in line and "58 Nordic Ski" in line and "57 Alpine Ski" in line
    # SOURCES.md: Run 643, Walk 3, Hike 110; SPEC: Walk and Hike -> walk.
    assert sql("SELECT kind, count(*) FROM entries GROUP BY kind ORDER BY kind") == [
        ("run", 643), ("walk", 113)]
    entries = every_entry()
    assert len(entries) == 756
    # line 551, a hike: Elapsed Time 21627 s over 4719.5 m, Moving Time 4248 s
    hike = one_on("2020-07-15")
    assert hike["duration_s"] == pytest.approx(4248, abs=1)
    assert hike["distance_km"] == pytest.approx(4.7195, abs=1e-4)
    assert all(e["distance_km"] is None or 0 < e["distance_km"] < 1000 for e in entries)
    # Activity Date is UTC: "Oct 10, 2016, 8:55:48 PM" is 22:55:48 in Amsterdam (CEST).
    first = one_on("2016-10-10")
    assert first["date"] == "2016-10-10T22:55:48+02:00"
    assert first["kind"] == "run"
    assert first["distance_km"] == pytest.approx(6.64, abs=0.005)
    assert first["duration_s"] == pytest.approx(1770, abs=1)  # Elapsed Time
    last = entries[0]  # newest first
    assert last["date"] == "2025-08-25T16:15:30+02:00"
    assert last["distance_km"] == pytest.approx(9.38, abs=0.01)
    assert last["duration_s"] == pytest.approx(3032, abs=1)
    assert all(e["date"] <= last["date"] for e in entries)


def test_garmin_activities_csv_imports_every_run_with_decimal_commas(samples):
    path = samples / GARMIN
    result = imported(str(path))
    assert result.stderr == summary(path, 1131) + (
        ", rejected 0; distances read in kilometres\n")
    assert entry_count() == 1131
    kinds = dict(sql("SELECT kind, count(*) FROM entries GROUP BY kind"))
    assert kinds == {"run": 785, "treadmill": 188, "trail": 158}  # Running + Ultra, ...
    # "Treadmill Running","2026-01-04 12:38:59",... Distance "3,40", Time "00:17:01" (local)
    newest = every_entry()[0]
    assert newest["date"] == "2026-01-04T12:38:59+01:00"
    assert newest["kind"] == "treadmill"
    assert newest["distance_km"] == 3.4
    assert newest["duration_s"] == 17 * 60 + 1
    oldest = one_on("2019-02-01")
    assert oldest["date"] == "2019-02-01T15:21:47+01:00"
    assert oldest["distance_km"] == 10


@pytest.mark.parametrize("name, date, km, seconds", [
    (GPX_RUN, "2025-06-14T08:30:00+02:00", 6.36, 36 * 60),  # 07:30+01:00, 6.361 km
    (GPX_WALK_1, "2025-08-30T20:29", 1.09, 13 * 60),
    (GPX_WALK_2, "2025-09-03T11:32", 1.45, 19 * 60),
])
def test_each_gpx_file_adds_one_activity(samples, name, date, km, seconds):
    path = samples / name
    result = imported(str(path))
    assert result.stderr == summary(path, 1) + ", rejected 0\n"
    entry, = every_entry()
    assert entry["date"].startswith(date)
    assert entry["date"].endswith("+02:00")  # the local (summer) offset, whatever the file's
    assert entry["kind"] in ("run", "walk")
    assert entry["distance_km"] == pytest.approx(km, rel=0.03)
    assert entry["duration_s"] == pytest.approx(seconds, abs=90)
    assert entry["pace_s_per_km"] == pytest.approx(entry["duration_s"] / entry["distance_km"],
                                                   rel=1e-3)


def test_offset_run_is_a_run_of_about_6_4_km_at_8_30_local_time():
    imported(str(GPX_RUN))  # 07:30:00+01:00 is 08:30:00 in Amsterdam's summer time
    entry, = every_entry()
    assert entry["kind"] == "run"
    assert entry["date"][:16] == "2025-06-14T08:30"
    assert entry["date"][-6:] == "+02:00"
    assert 6.35 <= entry["distance_km"] <= 6.37


BROKEN_SAID = ("; the file ends early or is damaged after its session summary: "
               "the sessions before were read")


@pytest.mark.parametrize("name, date, km, seconds", [
    (FIT_LANDAL, "2022-05-29T17:53:35+02:00", 3.32295, 1428.0),
    (FIT_FENIX, "2017-06-11T16:34:09+02:00", 0.15756, 56.9),
    (FIT_BROKEN, "2021-09-27T16:13:10+02:00", 11.27404, 3558.0),  # broken partway through
])
def test_each_fit_file_adds_its_session(samples, name, date, km, seconds):
    path = samples / name
    result = imported(str(path))
    assert result.stderr == summary(path, 1) + ", rejected 0" + (
        BROKEN_SAID if name == FIT_BROKEN else "") + "\n"
    entry, = every_entry()
    assert entry["date"] == date  # FIT times are UTC; shown in local time with the offset
    assert entry["kind"] == "run"
    assert entry["distance_km"] == pytest.approx(km, abs=1e-5)
    assert entry["duration_s"] == pytest.approx(seconds, abs=0.2)


def test_all_gps_files_at_once_add_one_each(samples):
    paths = [str(samples / n) for n in (GPX_RUN, GPX_WALK_1, GPX_WALK_2,
                                       FIT_LANDAL, FIT_FENIX, FIT_BROKEN)]
    result = imported(*paths)
    lines = result.stderr.splitlines()
    assert lines[:-1] == [summary(p, 1) + ", rejected 0" + (BROKEN_SAID if p.endswith(
        FIT_BROKEN) else "") for p in paths]
    assert lines[-1] == ("In all (6 files): added 6, skipped 0 as duplicates, "
                         "0 as other sports, rejected 0" + BROKEN_SAID + ": 1")
    assert entry_count() == 6


def _daylio_expected(path: Path, moods: dict[str, int]) -> list[tuple]:
    """(date, mood_after, tags, note) of every row, read here independently of runlog."""
    expected = []
    with open(path, newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            clock_text = row["time"].strip()
            fmt = "%I:%M %p" if clock_text[-2:].lower() in ("am", "pm") else "%H:%M"
            moment = datetime.strptime(f"{row['full_date']} {clock_text}", f"%Y-%m-%d {fmt}")
            tags = ["-".join(t.lower().split()) for t in row["activities"].split("|") if t.strip()]
            label = row["mood"].strip()
            mood = moods.get(label, moods.get(label.lower()))
            note = "\n".join(p for p in (row["note_title"].strip(), row["note"].strip()) if p)
            expected.append((moment.astimezone().isoformat(timespec="seconds"), mood, tags,
                             note or None))
    return sorted(expected)


def test_daylio_rows_become_checkins_with_moods_5_to_1_and_activities_as_tags(prepared, samples):
    path = samples / DAYLIO_TEST
    result = imported(str(path))
    assert result.stderr == summary(path, 32) + ", rejected 0\n"
    entries = every_entry()
    assert len(entries) == 32
    assert {e["kind"] for e in entries} == {"checkin"}
    assert all(e["mood_before"] is None and e["distance_km"] is None for e in entries)
    got = sorted((e["date"], e["mood_after"], e["tags"], e["note"]) for e in entries)
    assert got == _daylio_expected(path, DAYLIO_MOODS)
    assert {e["mood_after"] for e in entries} == {5, 4, 3, 2, 1}
    by_date = {e["date"]: e for e in entries}
    # 12-hour and 24-hour times mixed in one file
    assert by_date["2020-05-30T18:50:00+02:00"]["tags"] == ["friends", "gaming", "programming",
                                                            "nap"]
    assert by_date["2020-05-30T18:50:00+02:00"]["note"] == "Awesome"
    assert by_date["2020-05-28T00:19:00+02:00"]["mood_after"] == 5  # 12:19 am, rad
    assert by_date["2020-05-25T14:58:00+02:00"]["mood_after"] == 3  # meh
    assert by_date["2020-05-25T14:58:00+02:00"]["note"] == "Could be better"
    assert by_date["2020-05-25T18:51:00+02:00"]["mood_after"] == 1  # awful
    assert by_date["2020-05-25T20:00:00+02:00"]["mood_after"] == 2  # bad
    # check-ins are never runs
    assert ok_json("stats")["runs"] == 0


def test_daylio_custom_mood_labels_are_refused_with_the_list_of_them(samples):
    ok("add", "5k", "30:00", "--date", "2026-11-01")
    before = db_state()
    path = samples / DAYLIO_CUSTOM
    result = invoke("import", str(path))
    line = assert_refused(result, 2, str(path))
    for label in ("'Refreshed'", "'ok but sleepy'", "'Anxious'"):
        assert label in line, line
    assert "'OK'" not in line  # OK reads like ok/meh
    assert "'good'" not in line and "'bad'" not in line  # default labels are known
    assert db_state() == before


def test_daylio_custom_mood_labels_refused_in_a_fresh_log_write_nothing(samples):
    result = invoke("import", str(samples / DAYLIO_CUSTOM))
    assert_refused(result, 2, "'Refreshed'")
    assert not db_path().exists() or entry_count() == 0


def test_daylio_custom_mood_labels_are_accepted_with_mood_map(samples):
    path = samples / DAYLIO_CUSTOM
    args = [arg for label, n in CUSTOM_MOODS.items() for arg in ("--mood-map", f"{label}={n}")]
    result = imported(str(path), *args)
    assert result.stderr == summary(path, 7) + ", rejected 0\n"
    entries = every_entry()
    got = sorted((e["date"], e["mood_after"], e["tags"], e["note"]) for e in entries)
    assert got == _daylio_expected(path, {**DAYLIO_MOODS, **CUSTOM_MOODS})
    by_date = {e["date"]: e for e in entries}
    assert by_date["2020-08-31T08:13:00+02:00"]["mood_after"] == 4  # Refreshed
    assert by_date["2020-08-31T08:13:00+02:00"]["tags"] == ["sleeping"]  # "Sleeping "
    assert by_date["2020-08-25T17:08:00+02:00"]["mood_after"] == 3  # ok but sleepy
    assert by_date["2020-07-21T07:31:00+02:00"]["mood_after"] == 2  # Anxious
    assert by_date["2020-07-21T10:31:00+02:00"]["tags"] == []  # empty activities
    assert by_date["2020-08-28T20:01:00+02:00"]["tags"] == ["movies", "good-meal"]


def test_daylio_mood_map_takes_mood_words_too(samples):
    path = samples / DAYLIO_CUSTOM
    result = imported(str(path), "--mood-map", "OK=okay", "--mood-map", "refreshed=great",
                      "--mood-map", "OK BUT SLEEPY=meh", "--mood-map", "Anxious=bad")
    assert result.stderr == summary(path, 7) + ", rejected 0\n"
    assert sorted(e["mood_after"] for e in every_entry()) == [2, 2, 3, 3, 3, 4, 5]


def test_daylio_mood_map_with_only_some_labels_still_refuses_naming_the_rest(samples):
    path = samples / DAYLIO_CUSTOM
    result = invoke("import", str(path), "--mood-map", "OK=3", "--mood-map", "Refreshed=4")
    line = assert_refused(result, 2, "'ok but sleepy'", "'Anxious'")
    assert "'Refreshed'" not in line
    assert not db_path().exists() or entry_count() == 0


# -- 2. the same run from two formats --------------------------------------------------------


@pytest.mark.parametrize("order", ["strava first", "fit first"])
def test_strava_row_and_fit_file_of_the_same_run_import_once(prepared, samples, order):
    files = [samples / STRAVA_ONE, samples / FIT_LANDAL]
    if order == "fit first":
        files.reverse()
    result = imported(*map(str, files))
    assert result.stderr.splitlines() == [
        summary(files[0], 1) + ", rejected 0",
        summary(files[1], 0, 1) + ", rejected 0",
        "In all (2 files): added 1, skipped 1 as duplicates, 0 as other sports, rejected 0",
    ]
    entry, = every_entry()
    assert entry["date"] == "2022-05-29T17:53:35+02:00"
    assert entry["distance_km"] == pytest.approx(3.32295, abs=1e-4)


def test_same_run_from_two_formats_in_separate_commands(samples):
    imported(str(samples / FIT_LANDAL))
    before = db_state()
    result = imported(str(samples / STRAVA_ONE))
    assert result.stderr == summary(samples / STRAVA_ONE, 0, 1) + ", rejected 0\n"
    assert db_state() == before


# -- 3. importing twice adds nothing ---------------------------------------------------------


@pytest.mark.parametrize("name, added, other", [
    (STRAVA_FULL, 756, 1089), (GARMIN, 1131, 0), (DAYLIO_TEST, 32, 0),
    (FIT_FENIX, 1, 0), (GPX_RUN, 1, 0),
])
def test_importing_the_same_file_twice_adds_nothing(prepared, samples, name, added, other):
    path = samples / name
    first = imported(str(path))
    assert first.stderr.startswith(summary(path, added, 0, other))
    before = db_state()
    second = imported(str(path))
    assert second.stderr.startswith(summary(path, 0, added, other))
    assert db_state() == before
    assert entry_count() == added


def test_export_then_import_into_the_same_log_adds_nothing(tmp_path):
    ok("add", "5k", "28:30", "--date", "2026-11-10 07:00")
    ok("add", "10k", "1:00:00", "--date", "2026-11-12")
    ok("rest", "--date", "2026-11-13", "--mood", "bad")
    target = tmp_path / "out.ndjson"
    target.write_text(exported("--format", "ndjson"), encoding="utf-8")
    before = db_state()
    result = imported(str(target))
    assert result.stderr == summary(target, 0, 3) + ", rejected 0\n"
    assert db_state() == before


# -- 4. all or nothing per file --------------------------------------------------------------


def test_emotions_and_tags_stay_with_their_runs_when_rows_around_them_are_skipped(
        prepared, tmp_path):
    imported(str(write_runlog_csv(tmp_path / "first.csv",
                                  [run_row(1, emotions="joy", tags="first")])))
    ok("add", "5k", "30:00", "--date", "2026-11-05 07:00")
    rows = [
        run_row(2, emotions="sadness;relief", tags="a;b"),
        run_row(1, emotions="grief", tags="same-uuid"),  # in the log already
        run_row(5, date="2026-11-05T07:00:30+01:00", emotions="stress", tags="near"),  # added
        run_row(3, emotions="calm", cried="during", effort="6", note="hard"),
        run_row(2, emotions="anxiety", tags="again"),  # earlier in this file
        run_row(4, emotions="", tags="last"),
    ]
    path = write_runlog_csv(tmp_path / "second.csv", rows)
    assert imported(str(path)).stderr.startswith(summary(path, 3, 3))
    entries = every_entry()
    assert len(entries) == 5
    by_uuid = {entry["uuid"][-2:]: entry for entry in entries
               if entry["uuid"].startswith("00000000-0000-4000-8000-")}
    assert set(by_uuid) == {"01", "02", "03", "04"}
    found = {key: (entry["emotions"], entry["tags"]) for key, entry in by_uuid.items()}
    assert found["01"] == (["joy"], ["first"])
    assert found["02"] == (["sadness", "relief"], ["a", "b"])
    assert found["03"] == (["calm"], ["gen"])
    assert found["04"] == ([], ["last"])
    assert (by_uuid["03"]["cried"], by_uuid["03"]["effort"], by_uuid["03"]["note"]) == (
        "during", 6, "hard")
    assert sql("SELECT count(*) FROM entry_emotions") == [(4,)]
    assert sql("SELECT count(*) FROM tags") == [(5,)]
    # ids follow the file, with no gaps where rows were skipped
    new = sql("SELECT id, uuid FROM entries WHERE id > 2 ORDER BY id")
    assert [(entry_id, uuid[-2:]) for entry_id, uuid in new] == [(3, "02"), (4, "03"), (5, "04")]


def test_new_rows_among_thousands_of_known_ones_get_the_next_ids_in_file_order(
        prepared, tmp_path):
    def row(n: int) -> dict:  # n >= 10,000: in 2024, far from the known rows of 2025
        return {"uuid": f"10000000-0000-4000-8000-{n:012d}",
                "date": f"{2025 - n // 10_000}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
                        f"T06:{n % 60:02d}:00+01:00",
                "kind": "run", "distance_km": f"{4 + n % 9}", "duration_s": str(1500 + n),
                "emotions": "joy" if n % 2 else "", "tags": f"t{n}"}

    known = [row(n) for n in range(4500)]
    imported(str(write_runlog_csv(tmp_path / "known.csv", known)))
    fresh = [row(n) for n in range(10_000, 10_012)]
    mixed = known[:1000] + fresh[:4] + known[1000:3900] + fresh[4:10] + known[3900:] + fresh[10:]
    path = write_runlog_csv(tmp_path / "mixed.csv", mixed)
    assert imported(str(path)).stderr.startswith(summary(path, 12, 4500))
    added = sql("SELECT id, uuid FROM entries WHERE id > 4500 ORDER BY id")
    assert added == [(4501 + n, entry["uuid"]) for n, entry in enumerate(fresh)]
    links = sql("SELECT e.uuid, x.emotion, t.tag FROM entries e JOIN tags t ON t.entry_id = e.id"
                " LEFT JOIN entry_emotions x ON x.entry_id = e.id WHERE e.id > 4500 ORDER BY e.id")
    assert links == [(entry["uuid"], entry["emotions"] or None, entry["tags"]) for entry in fresh]


def test_one_bad_row_rejects_the_whole_file_naming_its_line(prepared, tmp_path):
    ok("add", "5k", "28:30", "--date", "2026-11-20")
    before = db_state()
    rows = [run_row(n) for n in range(1, 8)]
    rows[3]["mood_after"] = "9"  # the 4th data row: file line 5
    path = write_runlog_csv(tmp_path / "bad.csv", rows)
    result = invoke("import", str(path))
    line = assert_refused(result, 2, str(path), "line 5", "mood_after")
    assert "nothing imported" in line
    assert "line 2" not in line and "line 6" not in line
    assert db_state() == before


def test_a_bad_row_after_more_than_a_chunk_of_good_rows_still_writes_nothing(prepared, tmp_path):
    ok("add", "5k", "28:30", "--date", "2026-11-20")
    before = db_state()
    rows = [run_row(1, uuid=f"00000000-0000-4000-8000-{n:012d}",
                    date=f"2025-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}",
                    emotions="", tags="") for n in range(4500)]
    rows[4321]["distance_km"] = "-3"
    path = write_runlog_csv(tmp_path / "big.csv", rows)
    result = invoke("import", str(path))
    assert_refused(result, 2, "line 4323", "distance_km")
    assert db_state() == before


def test_good_files_are_imported_and_the_bad_one_is_not(tmp_path):
    good_a = write_runlog_csv(tmp_path / "a.csv", [run_row(n) for n in (1, 2, 3)])
    bad_rows = [run_row(n) for n in (4, 5, 6, 7)]
    bad_rows[3]["date"] = "2026-13-40"
    bad = write_runlog_csv(tmp_path / "bad.csv", bad_rows)
    good_b = write_runlog_csv(tmp_path / "b.csv", [run_row(n) for n in (8, 9)])
    result = invoke("import", str(good_a), str(bad), str(good_b))
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == summary(good_a, 3) + ", rejected 0"
    assert lines[1].startswith(f"Error: {bad}: ") and "line 5" in lines[1]
    assert lines[2] == summary(good_b, 2) + ", rejected 0"
    assert lines[3].startswith("In all (3 files): added 5") and lines[3].endswith("rejected 1")
    assert len(lines) == 4
    days = sorted(e["date"][:10] for e in every_entry())
    assert days == ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-08", "2026-11-09"]


def test_an_unknown_emotion_in_an_import_row_rejects_the_file(prepared, tmp_path):
    ok("add", "5k", "28:30", "--date", "2026-11-20")
    before = db_state()
    rows = [run_row(1), run_row(2, emotions="sadness;blorp"), run_row(3)]
    path = write_runlog_csv(tmp_path / "felt.csv", rows)
    result = invoke("import", str(path))
    assert_refused(result, 2, "line 3", "blorp")
    assert db_state() == before
    ndjson = tmp_path / "felt.ndjson"
    ndjson.write_text(
        json.dumps({"uuid": "00000000-0000-4000-8000-000000000011",
                    "date": "2026-11-11T07:00:00+01:00", "kind": "run", "distance_km": 5})
        + "\n" + json.dumps({"uuid": "00000000-0000-4000-8000-000000000012",
                             "date": "2026-11-12", "kind": "run", "distance_km": 5,
                             "emotions": ["joy", "zorbly"]}) + "\n", encoding="utf-8")
    assert_refused(invoke("import", str(ndjson)), 2, "line 2", "zorbly")
    assert db_state() == before


def test_a_tag_with_a_control_character_rejects_the_file(tmp_path):
    # The log reads an entry's tags joined by \x1f: such a tag would come back as two.
    ok("add", "5k", "28:30", "--date", "2026-11-20", "--tag", "park")
    before = db_state()
    ndjson = tmp_path / "tags.ndjson"
    ndjson.write_text(
        json.dumps({"uuid": "00000000-0000-4000-8000-000000000021", "date": "2026-11-11",
                    "kind": "run", "distance_km": 5, "tags": ["hills"]}) + "\n"
        + json.dumps({"uuid": "00000000-0000-4000-8000-000000000022", "date": "2026-11-12",
                      "kind": "run", "distance_km": 5, "tags": ["a\x1fb"]}) + "\n",
        encoding="utf-8")
    assert_refused(invoke("import", str(ndjson)), 2, "line 2", "control character")
    assert db_state() == before


def test_dry_run_reports_counts_and_writes_nothing(prepared, samples, tmp_path):
    ok("add", "5k", "28:30", "--date", "2026-11-20")
    before = db_state()
    path = samples / GARMIN
    result = ok("import", "--dry-run", str(path))
    assert result.stdout == ""
    assert result.stderr == summary(path, 1131, verb="would add") + (
        ", rejected 0; distances read in kilometres\n")
    assert db_state() == before
    # and counts duplicates as a real import would
    imported(str(samples / STRAVA_ONE))
    before = db_state()
    result = ok("import", "--dry-run", str(samples / FIT_LANDAL), str(samples / STRAVA_FULL))
    lines = result.stderr.splitlines()
    assert lines[0] == summary(samples / FIT_LANDAL, 0, 1, verb="would add") + ", rejected 0"
    assert lines[1].startswith(summary(samples / STRAVA_FULL, 756, 0, 1089, verb="would add"))
    assert lines[2].startswith("In all (2 files): would add 756, skipped 1 as duplicates, "
                               "1089 as other sports (")
    assert db_state() == before


def test_dry_run_into_a_fresh_log_does_not_create_the_database(samples):
    result = ok("import", "--dry-run", str(samples / FIT_FENIX))
    assert result.stderr == summary(samples / FIT_FENIX, 1, verb="would add") + ", rejected 0\n"
    assert not db_path().exists(), "--dry-run created the database"


@pytest.mark.parametrize("how", ["bad row", "csv as gpx", "csv as fit", "csv as daylio"])
def test_a_refused_import_into_a_fresh_log_does_not_create_the_database(tmp_path, how):
    rows = [run_row(1), run_row(2, kind="swim")]
    path = write_runlog_csv(tmp_path / "bad.csv", rows)
    args = {"bad row": (), "csv as gpx": ("--format", "gpx"), "csv as fit": ("--format", "fit"),
            "csv as daylio": ("--format", "daylio")}[how]
    assert_refused(invoke("import", *args, str(path)), 2, str(path))
    assert not db_path().exists(), "a refused import created the database"


def test_dry_run_with_a_bad_file_is_refused_like_a_real_import(tmp_path):
    path = write_runlog_csv(tmp_path / "bad.csv", [run_row(1), run_row(2, mood_before="0")])
    ok("add", "5k", "28:30", "--date", "2026-11-20")
    before = db_state()
    assert_refused(invoke("import", "--dry-run", str(path)), 2, "line 3", "mood_before")
    assert db_state() == before


# -- 5. round trips --------------------------------------------------------------------------

TRICKY_NOTE = 'She said "keep going", so I did.\nSecond line, with a comma; and a semicolon'
EMOJI_NOTE = "🏃‍♀️ naïve café ✓ 日本語 — «quotes» 'single' \"double\"\ttab"
CRLF_NOTE = "windows line\r\nend, and \"quoted\"\r\n\r\nblank line above"


def build_log():
    ok("add", "5k", "28:30", "--date", "2026-11-10", "--before", "2", "--after", "4",
       "--felt", "sad,relieved", "--cried", "during", "--tag", "long run", "--note", TRICKY_NOTE,
       "--no-input")
    ok("add", "3.1mi", "1:02:03", "--date", "2026-11-12 07:15", "--kind", "trail",
       "--effort", "7", "--pain", "3", "--where", 'left knee, "the usual"',
       "--intention", "let go of the argument\nand breathe", "--felt", "grief",
       "--felt", "Proud", "--tag", "hills,race", "--note", EMOJI_NOTE, "--no-input")
    ok("rest", "--date", "2026-11-13", "--mood", "bad", "--felt", "guilty",
       "--note", 'stayed in; felt "lazy"')
    ok("add", "800m", "4:00", "--date", "yesterday", "--note", CRLF_NOTE, "--no-input")
    ok("add", "--time", "45m", "--kind", "walk", "--date", "2026-11-20", "--after", "okay",
       "--no-input")
    ok("add", "half", "2:05:00", "--date", "2026-11-15 09:00", "--kind", "race",
       "--after", "great", "--felt", "excited,joy,gratitude", "--cried", "after",
       "--intention", "=SUM(A1:A9) not a formula", "--no-input")
    ok("add", "1500 metres", "7:30", "--date", "2026-11-15 18:30", "--kind", "treadmill",
       "--before", "1", "--after", "1", "--felt", "anxious", "--pain", "0", "--no-input")
    ok("add", "7k", "40:00", "--date", "2026-11-16", "--kind", "run-walk",
       "--tag", "café", "--note", '"', "--no-input")


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_export_import_export_round_trip_is_identical_apart_from_ids(prepared, tmp_path, fmt):
    build_log()
    first = exported("--format", fmt)
    original = every_entry()
    assert len(original) == 8
    dump = tmp_path / f"log.{fmt}"
    dump.write_text(first, encoding="utf-8", newline="")
    other = tmp_path / "other.db"
    result = imported(str(dump), db=other)
    assert result.stderr == summary(dump, 8) + ", rejected 0\n"
    second = exported("--format", fmt, db=other)
    assert without_ids(second, fmt) == without_ids(first, fmt)
    # what came back is what was logged, field by field
    copied = every_entry(db=other)
    strip = lambda entries: sorted(({k: v for k, v in e.items() if k != "id"} for e in entries),
                                   key=lambda e: e["uuid"])
    assert strip(copied) == strip(original)
    notes = {e["note"] for e in copied}
    assert {TRICKY_NOTE, EMOJI_NOTE, '"'} <= notes
    # importing the export again (by whatever format) adds nothing
    again = imported(str(dump), db=other)
    assert again.stderr == summary(dump, 0, 8) + ", rejected 0\n"


def test_csv_round_trip_keeps_crlf_inside_a_note(tmp_path):
    build_log()
    stored = {e["note"] for e in every_entry()}
    assert CRLF_NOTE in stored or CRLF_NOTE.replace("\r\n", "\n") in stored
    crlf = next(n for n in stored if n and n.startswith("windows line"))
    dump = tmp_path / "log.csv"
    ok("export", "--output", str(dump))
    other = tmp_path / "other.db"
    imported(str(dump), db=other)
    assert crlf in {e["note"] for e in every_entry(db=other)}


def test_exports_in_every_format_carry_the_same_entries(tmp_path):
    build_log()
    listed = list(reversed(every_entry()))  # export is oldest first
    as_json = json.loads(exported("--format", "json"))
    as_ndjson = json_entries(exported("--format", "ndjson"), "ndjson")
    assert as_json == as_ndjson == listed
    rows = csv_rows(exported())
    assert rows[0] == list(ENTRY_KEYS)
    for row, entry in zip(rows[1:], as_json, strict=True):
        assert list(entry) == SPEC_ENTRY_KEYS
        for key, cell in zip(ENTRY_KEYS, row):
            value = entry[key]
            if isinstance(value, list):
                assert cell == _spreadsheet_safe(";".join(
                    name.replace("\\", "\\\\").replace(";", "\\;") for name in value))
            elif value is None:
                assert cell == ""
            elif isinstance(value, float):
                assert float(cell) == value
            elif isinstance(value, str):
                assert cell == _spreadsheet_safe(value)
            else:
                assert cell == str(value)
    dated = {e["date"] for e in as_json}
    assert {"2026-11-10", "2026-11-13", "2026-11-16", "2026-11-20"} <= dated  # days alone
    assert "2026-11-12T07:15:00+01:00" in dated


def _spreadsheet_safe(text: str) -> str:
    """A text cell as CSV export writes it: one more `'` before a cell that starts (after any
    `'`s) with what a spreadsheet would run as a formula."""
    return "'" + text if text.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def test_csv_export_into_a_json_import_and_back_matches(tmp_path):
    build_log()
    dump = tmp_path / "log.csv"
    dump.write_text(exported(), encoding="utf-8", newline="")
    other = tmp_path / "other.db"
    imported(str(dump), "--format", "csv", db=other)
    assert without_ids(exported("--format", "json", db=other), "json") == without_ids(
        exported("--format", "json"), "json")


def _insert(path: Path, entries) -> None:
    from runlog.store import Store

    store = Store.open(path)
    try:
        with store.transaction():
            for entry in entries:
                store.insert(entry)
    finally:
        store.close()


@pytest.mark.parametrize("pair_at", [5, 1000, 1999])
def test_a_log_with_two_runs_logged_at_the_same_minute_round_trips_whole(prepared, tmp_path, pair_at):
    """`add` never refuses a repeat, so a log may hold two runs with the same start and
    distance. Its export must import whole into an empty log, wherever the pair falls in
    the file (the importer writes by chunks of 2000 rows: 1999 and 2000 straddle the first
    boundary)."""
    from runlog.model import Entry

    def moment(n: int) -> str:
        return f"{2018 + n // 336:04d}-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T07:00:00+01:00"

    entries = [Entry(uuid=f"00000000-0000-4000-8000-{n:012d}", date=moment(n), kind="run",
                     distance_m=5000.0, duration_s=1800.0) for n in range(2001)]
    entries[pair_at + 1] = Entry(uuid=entries[pair_at + 1].uuid, date=moment(pair_at),
                                 kind="run", distance_m=5000.0, duration_s=1795.0)
    _insert(db_path(), entries)
    first = exported()
    rows = csv_rows(first)[1:]
    assert rows[pair_at][2] == rows[pair_at + 1][2]  # the pair sits where it should
    dump = tmp_path / "log.csv"
    dump.write_text(first, encoding="utf-8", newline="")
    other = tmp_path / "other.db"
    result = imported(str(dump), db=other)
    assert result.stderr == summary(dump, 2001) + ", rejected 0\n"
    assert without_ids(exported(db=other), "csv") == without_ids(first, "csv")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_note_longer_than_128_kib_round_trips(tmp_path, fmt):
    note = ("a long journal entry, with \"quotes\" and commas\n" * 6000)[:200_000].strip()
    ok("add", "5k", "30:00", "--date", "2026-11-09", "--note", note, "--no-input")
    first = exported("--format", fmt)
    dump = tmp_path / f"log.{fmt}"
    dump.write_text(first, encoding="utf-8", newline="")
    other = tmp_path / "other.db"
    imported(str(dump), db=other)
    assert without_ids(exported("--format", fmt, db=other), fmt) == without_ids(first, fmt)
    assert every_entry(db=other)[0]["note"] == note


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_restoring_an_include_deleted_export_keeps_the_trash_in_the_trash(prepared, tmp_path, fmt):
    """The JSON readers take a `deleted_at` key ("what an export with deleted entries may
    add"), yet `export --include-deleted` writes nothing that tells a trashed entry apart,
    so a backup restored with `import` brings trashed runs back into the log and its
    mileage."""
    ok("add", "5k", "30:00", "--date", "2026-11-09", "--note", "kept", "--no-input")
    ok("add", "6k", "30:00", "--date", "2026-11-10", "--note", "binned", "--no-input")
    ok("delete", "2", "--yes")
    dump = tmp_path / f"backup.{fmt}"
    dump.write_text(exported("--format", fmt, "--include-deleted"), encoding="utf-8")
    other = tmp_path / "other.db"
    imported(str(dump), db=other)
    assert [e["note"] for e in every_entry(db=other)] == ["kept"], "the trashed run came back"
    assert without_ids(exported("--format", fmt, "--include-deleted", db=other), fmt) == \
        without_ids(dump.read_text(encoding="utf-8"), fmt)


def test_the_json_line_a_failed_add_prints_imports_as_that_entry(tmp_path, monkeypatch):
    """SPEC §2: when a write fails, `add` and `rest` print what was typed as one JSON line
    on stderr that `runlog import` accepts."""
    import sqlite3

    monkeypatch.setattr("runlog.store.db.BUSY_TIMEOUT_S", 0.2)
    ok("add", "1k", "6:00", "--date", "2026-11-01", "--no-input")
    blocker = sqlite3.connect(db_path(), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        failed = [
            invoke("add", "5k", "28:30", "--date", "2026-11-20 07:00", "--before", "2",
                   "--after", "4", "--felt", "sad,relieved", "--note", 'typed "this", ✓',
                   "--tag", "long run", "--no-input"),
            invoke("rest", "--date", "2026-11-19", "--mood", "bad", "--felt", "guilty"),
        ]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    before = db_state()
    lines = []
    for result in failed:
        assert result.exit_code == 1, (result.stdout, result.stderr)
        json_lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
        assert len(json_lines) == 1, result.stderr
        assert result.stderr.splitlines()[-1].startswith("Error: ")
        lines.append(json_lines[0])
    assert db_state() == before  # nothing of them was written
    saved = tmp_path / "lost.ndjson"
    saved.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = imported(str(saved))
    assert result.stderr == summary(saved, 2) + ", rejected 0\n"
    run = one_on("2026-11-20")
    assert run["date"] == "2026-11-20T07:00:00+01:00" and run["distance_km"] == 5
    assert run["emotions"] == ["sadness", "relief"] and run["note"] == 'typed "this", ✓'
    assert run["tags"] == ["long-run"] and run["mood_lift"] == 2
    rest = one_on("2026-11-19")
    assert rest["kind"] == "rest" and rest["mood_after"] == 2 and rest["emotions"] == ["guilt"]


# -- 6. export options -----------------------------------------------------------------------


def dated_log():
    """Entries whose UTC and local days differ, to check that filtering is by local day."""
    ok("add", "5k", "30:00", "--date", "2026-11-09 12:00", "--no-input")
    ok("add", "6k", "30:00", "--date", "2026-11-10", "--no-input")
    ok("add", "7k", "30:00", "--date", "2026-11-10 23:30", "--no-input")  # 22:30 UTC
    ok("add", "8k", "30:00", "--date", "2026-11-11 00:30", "--no-input")  # 23:30 UTC on the 10th
    ok("rest", "--date", "2026-11-12", "--mood", "good")
    ok("add", "9k", "30:00", "--date", "2026-11-21 07:00", "--no-input")


@pytest.mark.parametrize("args, dates", [
    (("--since", "2026-11-11"), ["2026-11-11T00:30:00+01:00", "2026-11-12",
                                 "2026-11-21T07:00:00+01:00"]),
    (("--until", "2026-11-10"), ["2026-11-09T12:00:00+01:00", "2026-11-10",
                                 "2026-11-10T23:30:00+01:00"]),
    (("--since", "2026-11-10", "--until", "2026-11-11"),
     ["2026-11-10", "2026-11-10T23:30:00+01:00", "2026-11-11T00:30:00+01:00"]),
    (("--since", "2026-11-12", "--until", "2026-11-12"), ["2026-11-12"]),
    (("--since", "yesterday"), ["2026-11-21T07:00:00+01:00"]),
    (("--since", "2026-11-13", "--until", "2026-11-20"), []),
])
@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_export_since_until_filters_by_local_day(fmt, args, dates):
    dated_log()
    text = exported("--format", fmt, *args)
    if fmt == "csv":
        rows = csv_rows(text)
        assert rows[0] == list(ENTRY_KEYS)
        got = [row[2] for row in rows[1:]]
    else:
        got = [entry["date"] for entry in json_entries(text, fmt)]
    assert got == dates


def test_deleted_entries_are_exported_only_with_include_deleted():
    ok("add", "5k", "30:00", "--date", "2026-11-09", "--note", "kept", "--no-input")
    ok("add", "6k", "30:00", "--date", "2026-11-10", "--note", "binned", "--no-input")
    binned = ok_json("show", "2")["uuid"]
    ok("delete", "2", "--yes")
    for fmt in ("csv", "json", "ndjson"):
        plain = exported("--format", fmt)
        assert binned not in plain and "binned" not in plain
        assert "kept" in plain
        full = exported("--format", fmt, "--include-deleted")
        assert binned in full and "binned" in full and "kept" in full
    entries = json.loads(exported("--format", "json", "--include-deleted"))
    assert [e["note"] for e in entries] == ["kept", "binned"]
    assert len(csv_rows(exported("--include-deleted"))) == 3


SECRETS = ("SECRET-NOTE-1", "SECRET-INTENTION-2", "SECRET-KNEE-3", "SECRET-REST-4")


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_redact_leaves_no_note_intention_or_where_anywhere(tmp_path, fmt):
    ok("add", "5k", "30:00", "--date", "2026-11-09 07:00", "--note", f"x {SECRETS[0]} y",
       "--intention", SECRETS[1], "--where", SECRETS[2], "--pain", "5", "--felt", "grief",
       "--tag", "secret-free", "--before", "2", "--after", "4", "--no-input")
    ok("rest", "--date", "2026-11-10", "--note", SECRETS[3], "--mood", "bad")
    ok("add", "6k", "33:00", "--date", "2026-11-11", "--intention", SECRETS[1], "--no-input")
    ok("delete", "3", "--yes")
    plain = exported("--format", fmt, "--include-deleted")
    assert all(secret in plain for secret in SECRETS)
    for extra in ((), ("--include-deleted",)):
        text = exported("--format", fmt, "--redact", *extra)
        for secret in SECRETS:
            assert secret not in text
        assert "SECRET" not in text
        out = tmp_path / f"redacted.{fmt}"
        result = ok("export", "--format", fmt, "--redact", *extra, "--output", str(out))
        assert result.stdout == ""
        assert "SECRET" not in out.read_text(encoding="utf-8")
    # the rest of the entry is still there
    text = exported("--format", fmt, "--redact")
    if fmt == "csv":
        rows = csv_rows(text)
        entries = [dict(zip(rows[0], row)) for row in rows[1:]]
        assert [e["note"] + e["intention"] + e["where"] for e in entries] == ["", ""]
        assert entries[0]["emotions"] == "grief" and entries[0]["pain"] == "5"
    else:
        entries = json_entries(text, fmt)
        assert [(e["note"], e["intention"], e["where"]) for e in entries] == [(None,) * 3] * 2
        assert entries[0]["emotions"] == ["grief"] and entries[0]["pain"] == 5
        assert entries[0]["mood_lift"] == 2 and entries[0]["tags"] == ["secret-free"]
        assert list(entries[0]) == SPEC_ENTRY_KEYS


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_output_writes_the_file_and_prints_nothing_on_stdout(tmp_path, fmt):
    build_log()
    expected = exported("--format", fmt)
    target = tmp_path / "sub" / f"out.{fmt}"
    target.parent.mkdir()
    result = ok("export", "--format", fmt, "--output", str(target))
    assert result.stdout == ""
    assert "Error" not in result.stderr
    assert target.read_bytes().decode("utf-8") == expected
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no .part left
    # overwriting an existing file replaces it whole
    ok("delete", "1", "--yes")
    ok("export", "--format", fmt, "--output", str(target))
    assert target.read_bytes().decode("utf-8") == exported("--format", fmt)


def test_csv_export_header_encoding_and_line_ends(tmp_path):
    build_log()
    target = tmp_path / "out.csv"
    ok("export", "--output", str(target))
    raw = target.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    header = raw.split(b"\r\n", 1)[0].decode()
    assert header.split(",") == list(ENTRY_KEYS) == SPEC_ENTRY_KEYS
    rows = csv_rows(raw.decode("utf-8"))
    assert len(rows) == 9 and all(len(row) == len(ENTRY_KEYS) for row in rows)
    assert raw.endswith(b"\r\n")


@pytest.mark.parametrize("fmt, parse", [
    ("csv", lambda text: text.splitlines() == [",".join(ENTRY_KEYS)]),
    ("json", lambda text: json.loads(text) == []),
    ("ndjson", lambda text: text.strip() == ""),
])
def test_export_of_a_log_that_does_not_exist_is_empty_and_creates_nothing(tmp_path, fmt, parse):
    assert not db_path().exists()
    assert parse(exported("--format", fmt))
    target = tmp_path / f"empty.{fmt}"
    ok("export", "--format", fmt, "--output", str(target))
    assert parse(target.read_text(encoding="utf-8"))
    assert not db_path().exists()
    assert not db_path().parent.joinpath("runlog.db-wal").exists()


def test_export_refusals_change_nothing(tmp_path):
    ok("add", "5k", "30:00", "--date", "2026-11-09", "--no-input")
    before = db_state()
    assert_refused(invoke("export", "--format", "xml"), 2, "--format")
    assert_refused(invoke("export", "--since", "next tuesday week"), 2)
    assert_refused(invoke("export", "--output", str(tmp_path / "no" / "such" / "dir.csv")), 1)
    assert db_state() == before
    assert list(tmp_path.glob("**/*.part")) == []


# -- 7. refusals -----------------------------------------------------------------------------


def _refusals(tmp_path: Path) -> list[tuple[list[str], tuple[str, ...]]]:
    unknown = tmp_path / "notes.txt"
    unknown.write_text("just some words\nand more\n", encoding="utf-8")
    xml = tmp_path / "thing.xml"
    xml.write_text('<?xml version="1.0"?><kml></kml>', encoding="utf-8")
    good = write_runlog_csv(tmp_path / "good.csv", [run_row(3)])
    hint = ("csv", "json", "ndjson", "strava", "garmin", "gpx", "fit", "daylio")
    return [
        (["import", str(tmp_path / "missing.csv")], ("missing.csv",)),
        (["import", str(tmp_path)], (str(tmp_path),)),
        (["import", str(unknown)], ("notes.txt", "--format") + hint),
        (["import", str(xml)], ("thing.xml", "--format")),
        (["import", "--format", "nonsense", str(good)], ("--format", "nonsense")),
        (["import", "--mood-map", "nonsense", str(good)], ("--mood-map", "nonsense")),
        (["import", "--mood-map", "OK=9", str(good)], ("9",)),
        (["import", "--mood-map", "=3", str(good)], ("--mood-map",)),
    ]


def test_import_refusals_in_a_fresh_log_create_no_database(tmp_path):
    for args, fragments in _refusals(tmp_path):
        result = invoke(*args)
        assert_refused(result, 2, *fragments)
        assert not db_path().exists(), args


def test_import_refusals_leave_an_existing_log_unchanged(tmp_path):
    ok("add", "5k", "30:00", "--date", "2026-11-09", "--no-input")
    before = db_state()
    for args, fragments in _refusals(tmp_path):
        result = invoke(*args)
        assert_refused(result, 2, *fragments)
        assert db_state() == before, args


def test_import_with_no_file_is_a_usage_error():
    result = invoke("import")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error:") and "Traceback" not in result.stderr
    assert not db_path().exists()


def test_a_missing_file_among_good_ones_is_reported_and_the_rest_imported(tmp_path, samples):
    missing = tmp_path / "missing.fit"
    result = invoke("import", str(samples / FIT_FENIX), str(missing))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == summary(samples / FIT_FENIX, 1) + ", rejected 0"
    assert lines[1].startswith(f"Error: {missing}: ")
    assert entry_count() == 1


# -- 8. memory -------------------------------------------------------------------------------

MIB = 1024 * 1024


def _fill(path: Path, count: int) -> None:
    from runlog.model import Entry
    from runlog.store import Store

    note = "a journal line about the run, the weather and the feelings that came up. " * 6
    store = Store.open(path)
    try:
        with store.transaction():
            for n in range(count):
                store.insert(Entry(
                    uuid=f"00000000-0000-4000-8000-{n:012d}",
                    date=f"{2000 + n // 4000}-{1 + n // 300 % 12:02d}-{1 + n % 28:02d}"
                         f"T07:{n % 60:02d}:00+01:00",
                    kind="run", distance_m=5000.0 + n % 1000, duration_s=1800.0 + n % 600,
                    mood_before=1 + n % 5, mood_after=1 + (n + 2) % 5,
                    emotions=("joy", "relief") if n % 3 else ("grief",), tags=("bulk",),
                    note=f"{n} {note}", intention="let go", source="test"))
    finally:
        store.close()


# Runs ARGV as its child and prints the child's exit status and peak RSS (KiB on Linux).
# The measuring process has to be small: Linux starts a child's ru_maxrss at the peak RSS of
# the process that spawned it (subprocess uses vfork), so measured straight from pytest
# (RUSAGE_CHILDREN or wait4) any child would look at least as big as pytest ever was.
_MEASURE = """
import resource, subprocess, sys
before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
status = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(status, before, after)
"""


def _peak_rss_of(args: list[str], env: dict) -> tuple[int, int]:
    """The exit status of ARGS and their peak RSS in bytes."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *args], env=env,
                          capture_output=True, text=True, check=True)
    status, before, after = map(int, done.stdout.split())
    assert before == 0  # nothing ran before it in the measuring process
    return status, after * 1024


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB is Linux's")
def test_export_of_50000_entries_streams_in_flat_memory(tmp_path):
    """SPEC §4: export streams, memory stays flat however many runs there are."""
    count = 50_000
    database = tmp_path / "big.db"
    started = time.monotonic()
    _fill(database, count)
    runlog = Path(sys.executable).with_name("runlog")
    assert runlog.exists(), runlog
    env = {**os.environ, "RUNLOG_DB": str(database)}
    status, floor = _peak_rss_of([str(runlog), "--version"], env)
    assert status == 0
    peaks = {}
    for fmt in ("json", "csv"):
        target = tmp_path / f"big.{fmt}"
        status, peaks[fmt] = _peak_rss_of(
            [str(runlog), "export", "--format", fmt, "--output", str(target)], env)
        assert status == 0
        assert target.stat().st_size > count * 400  # the notes are in it
    with open(tmp_path / "big.csv", newline="", encoding="utf-8") as stream:
        assert sum(1 for _ in csv.reader(stream)) == count + 1
    with open(tmp_path / "big.json", encoding="utf-8") as stream:
        assert sum(1 for _ in stream) == count + 2  # "[", one entry a line, "]"
    for fmt, peak in peaks.items():
        assert peak < 100 * MIB, f"export --format {fmt} peaked at {peak / MIB:.0f} MiB"
        # flat: a few MiB over the bare start-up, though the export is ~40 MB of text
        assert peak - floor < 40 * MIB, (fmt, peak / MIB, floor / MIB)
    assert time.monotonic() - started < 30


def test_an_import_into_an_empty_log_leaves_its_indexes_as_they_were(prepared, tmp_path):
    ok("add", "5k", "28:30", "--date", "2026-11-20")
    ok("delete", "1", "--yes")
    ok("purge", "--yes")
    indexes = sql("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
    assert {name for name, _, _ in indexes} >= {"entries_day", "entries_start_ts",
                                                "entry_emotions_emotion", "tags_tag"}
    imported(str(write_runlog_csv(tmp_path / "runs.csv", [run_row(n) for n in range(1, 9)])))
    assert entry_count() == 8
    assert sql("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
               " ORDER BY name") == indexes
    plan = sql("EXPLAIN QUERY PLAN SELECT * FROM entries WHERE day = '2026-11-03'")
    assert "entries_day" in str(plan)
