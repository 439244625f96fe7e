"""What runlog writes it reads back, and a file is held to the rules typing keeps.

A custom emotion named in any language survives export -> import -> export unchanged (one
rule for names, kept by `emotions add`, the readers and the importer); a Daylio check-in's
identity is its content, never its place in the file; a rest day or check-in in a file can't
hold what `edit` refuses it (a distance, a time, a mood before); a walk in another app's
file is held to walking records; UTF-16 / UTF-32 text with its byte-order mark is told
apart and read; a runlog file's uuid is printable text of at most 100 characters.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from relsupport import count_entries, isolated_env, must, run, sha256

NOW = "2026-11-21T18:00:00+01:00"
KEYS = ("id,uuid,date,kind,distance_km,duration_s,pace_s_per_km,mood_before,mood_after,"
        "mood_lift,emotions,cried,effort,pain,where,intention,note,tags")


def _env(root: Path, name: str = "runlog.db") -> dict:
    return isolated_env(root, db=root / name, RUNLOG_NOW=NOW)


def _imported(path: Path, env: dict) -> str:
    """`runlog import PATH`, which must succeed: its summary (on stderr)."""
    done = run("import", str(path), env=env)
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout + done.stderr


def _refused(done, *needles: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stderr.startswith("Error: ") and "Traceback" not in done.stderr, done.stderr
    for needle in needles:
        assert needle in done.stderr, (needle, done.stderr)


# ------------------------------------------------------------- emotion names, one rule

@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_custom_emotions_in_any_language_survive_export_import_export(tmp_path, fmt):
    env = _env(tmp_path)
    for typed, kept in (("Café", "café"), ("ärger", "ärger"), ("ﬁne", "fine"),
                        ("ǅ", "dž"), ("क्रोध", "क्रोध"), ("wind-in-hair", "wind-in-hair")):
        assert f"Added {kept} " in must("emotions", "add", typed, "--valence", "mixed", env=env)
    must("add", "5k", "30:00", "-d", "2024-01-01", "--felt", "café,ärger,fine,dž",
         "--felt", "क्रोध,wind-in-hair", "--no-input", env=env)
    first = must("export", "--format", fmt, env=env)
    exported = tmp_path / f"first.{fmt}"
    exported.write_text(first, encoding="utf-8")

    other = _env(tmp_path, "other.db")
    assert "added 1," in _imported(exported, other)
    assert must("export", "--format", fmt, env=other) == first
    shown = json.loads(must("emotions", "list", "--json", env=other))
    assert {row["name"] for row in shown if not row["builtin"]} == {
        "café", "ärger", "fine", "dž", "क्रोध", "wind-in-hair"}


def test_emotions_add_refuses_what_no_file_could_carry_and_knows_case_as_one_name(tmp_path):
    env = _env(tmp_path)
    must("emotions", "add", "café", "--valence", "positive", env=env)
    db = tmp_path / "runlog.db"
    before = sha256(db)
    for name in ("-sum", "sum-", "ok1", "a b", "x" * 31, "Café", "CAFÉ", "cafe\u0301"):
        _refused(run("emotions", "add", "--valence", "positive", "--", name, env=env))
    assert sha256(db) == before


def test_a_file_naming_a_custom_emotion_in_capitals_adds_it_as_typing_would(tmp_path):
    env = _env(tmp_path)
    path = tmp_path / "hand.ndjson"
    path.write_text(json.dumps({"uuid": "h1", "date": "2024-05-01", "kind": "run",
                                "distance_km": 5, "emotions": ["Fernweh"],
                                "valences": {"Fernweh": "mixed"}}) + "\n", encoding="utf-8")
    _imported(path, env)
    entry = json.loads(must("show", "1", "--json", env=env))
    assert entry["emotions"] == ["fernweh"]


# ------------------------------------------------------------- Daylio identity

DAYLIO_HEADER = "full_date,date,weekday,time,mood,activities,note_title,note\n"


def _daylio_row(note: str) -> str:
    return f'2024-05-01,1 May,Wednesday,10:00 pm,rad,"",,"{note}"\n'


def test_daylio_identity_is_the_rows_content_not_its_place_in_the_file(tmp_path):
    env = _env(tmp_path)
    one = tmp_path / "one.csv"
    one.write_text(DAYLIO_HEADER + _daylio_row("note A"), encoding="utf-8")
    two = tmp_path / "two.csv"  # a later export: the same minute and mood, B listed first
    two.write_text(DAYLIO_HEADER + _daylio_row("note B") + _daylio_row("note A"),
                   encoding="utf-8")
    _imported(one, env)
    assert "added 1, skipped 1 as duplicates" in _imported(two, env)
    notes = sorted(entry["note"] for entry in json.loads(must("export", "--format", "json",
                                                              env=env)))
    assert notes == ["note A", "note B"]
    # the same file again adds nothing; two identical rows are two check-ins, once
    db = tmp_path / "runlog.db"
    assert "added 0," in _imported(two, env)
    twice = tmp_path / "twice.csv"
    twice.write_text(DAYLIO_HEADER + _daylio_row("same") + _daylio_row("same"),
                     encoding="utf-8")
    assert "added 2," in _imported(twice, env)
    assert "added 0," in _imported(twice, env)
    assert count_entries(db) == 4


# ------------------------------------------------------------- rest days and check-ins

def test_a_file_cannot_give_a_rest_day_or_check_in_what_edit_refuses(tmp_path):
    env = _env(tmp_path)
    must("add", "5k", "30:00", "-d", "2024-05-01", "--no-input", env=env)
    db = tmp_path / "runlog.db"
    before = sha256(db)
    path = tmp_path / "bad.ndjson"
    path.write_text("\n".join(json.dumps(row) for row in (
        {"uuid": "ok", "date": "2024-05-02", "kind": "rest", "mood_after": 3},
        {"uuid": "r1", "date": "2024-05-03", "kind": "rest", "distance_km": 12,
         "duration_s": 3600, "mood_after": 3},
        {"uuid": "c1", "date": "2024-05-04", "kind": "checkin", "mood_before": 2,
         "distance_km": 3},
    )) + "\n", encoding="utf-8")
    _refused(run("import", str(path), env=env),
             "line 2: a rest day can't have a distance and a time",
             "line 3: a check-in can't have a distance and a mood before")
    assert sha256(db) == before and count_entries(db) == 1
    # the same rule as `edit`
    must("rest", "-d", "2024-05-05", "--mood", "3", env=env)
    _refused(run("edit", "2", "--distance", "3k", env=env), "a rest day can't have a distance")
    # and Daylio's check-ins, whose mood is mood_after, still import
    env = _env(tmp_path, "daylio.db")
    samples = Path(__file__).resolve().parents[1] / "data" / "samples" / "daylio"
    _imported(samples / "test_data.csv", env)
    conn = sqlite3.connect(tmp_path / "daylio.db")
    try:
        kinds = conn.execute("SELECT kind, count(*), count(mood_after), count(distance_m),"
                             " count(mood_before) FROM entries GROUP BY kind").fetchall()
    finally:
        conn.close()
    assert len(kinds) == 1 and kinds[0][0] == "checkin" and kinds[0][1] > 0
    assert kinds[0][1] == kinds[0][2] and kinds[0][3:] == (0, 0)


# ------------------------------------------------------------- walks

STRAVA = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"


def test_a_walk_in_another_apps_file_is_held_to_walking_records(tmp_path):
    env = _env(tmp_path)
    path = tmp_path / "activities.csv"
    path.write_text(STRAVA
                    # 20 km in an hour: a bus ride saved as a hike
                    + '1,"May 28, 2024, 3:53:35 PM",x,Hike,3600,20.0\n'
                    # 500 km at 4:21 a km: possible running, not walking (and slower than
                    # any pace the quick check for runs sends on to the full rule)
                    + '2,"May 20, 2024, 3:53:35 AM",x,Walk,130500,500.0\n'
                    + '3,"May 27, 2024, 3:53:35 PM",x,Walk,3600,6.0\n'
                    + '4,"May 26, 2024, 3:53:35 PM",x,Run,3600,20.0\n', encoding="utf-8")
    out = _imported(path, env)
    assert "added 2," in out and "left out 2" in out, out
    assert "line 2:" in out and "line 3:" in out and "race walking" in out
    kinds = sorted(entry["kind"] for entry in json.loads(must("export", "--format", "json",
                                                              env=env)))
    assert kinds == ["run", "walk"]


# ------------------------------------------------------------- encodings and uuids

GPX = """<?xml version="1.0" encoding="{encoding}"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Morning</name>
<type>running</type><trkseg>
<trkpt lat="52.0" lon="4.0"><time>2024-05-01T07:00:00Z</time></trkpt>
<trkpt lat="52.01" lon="4.0"><time>2024-05-01T07:06:00Z</time></trkpt>
<trkpt lat="52.02" lon="4.0"><time>2024-05-01T07:12:00Z</time></trkpt>
</trkseg></trk></gpx>
"""


@pytest.mark.parametrize("encoding, declared, bom", [
    ("utf-16-le", "UTF-16", b"\xff\xfe"),
    ("utf-16-be", "UTF-16", b"\xfe\xff"),
    ("utf-32-le", "UTF-32", b"\xff\xfe\x00\x00"),
    ("utf-32-be", "UTF-32", b"\x00\x00\xfe\xff"),
])
def test_a_gpx_file_in_utf16_or_utf32_is_told_apart_and_read(tmp_path, encoding, declared, bom):
    env = _env(tmp_path)
    path = tmp_path / "track.gpx"
    path.write_bytes(bom + GPX.format(encoding=declared).encode(encoding))
    assert "added 1," in _imported(path, env)
    assert count_entries(tmp_path / "runlog.db") == 1


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_an_export_saved_as_utf16_imports_as_it_was(tmp_path, fmt):
    env = _env(tmp_path)
    must("add", "5k", "30:00", "-d", "2024-01-01", "--felt", "relieved", "-n", "zoë", env=env)
    text = must("export", "--format", fmt, env=env)
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(text.encode("utf-16"))  # with its mark, in this machine's byte order
    other = _env(tmp_path, "other.db")
    _imported(path, other)
    assert must("export", "--format", fmt, env=other) == text


def test_a_runlog_files_uuid_is_printable_and_at_most_100_characters(tmp_path):
    env = _env(tmp_path)
    must("add", "5k", "30:00", "-d", "2024-05-01", "--no-input", env=env)
    db = tmp_path / "runlog.db"
    before = sha256(db)
    row = {"date": "2024-05-02", "kind": "run", "distance_km": 5}
    path = tmp_path / "uuids.ndjson"
    path.write_text("\n".join(json.dumps({"uuid": uuid, **row}) for uuid in (
        "fine-1", "a\x1b[31mb", "x" * 101, "c\x85d", "=HYPERLINK(\"x\")")) + "\n",
        encoding="utf-8")
    _refused(run("import", str(path), env=env), "line 2: uuid holds a control character",
             "line 3: uuid is longer than 100 characters", "line 4: uuid holds a control")
    csv_path = tmp_path / "uuids.csv"
    csv_path.write_text(KEYS + "\r\n" + "".join(
        f'{n},"{uuid}",2024-05-0{n},run,5,1800,360.0,,,,,,,,,,,\r\n'
        for n, uuid in enumerate(("ok", "e\x1bf", "y" * 150), 1)), encoding="utf-8")
    _refused(run("import", str(csv_path), env=env), "line 3: uuid holds a control character",
             "line 4: uuid is longer than 100 characters")
    assert sha256(db) == before and count_entries(db) == 1
    # 100 characters, and an id another app wrote, are fine
    good = tmp_path / "good.ndjson"
    good.write_text(json.dumps({"uuid": "z" * 100, **row}) + "\n"
                    + json.dumps({"uuid": "strava:12345 é", **row, "date": "2024-05-03"})
                    + "\n", encoding="utf-8")
    assert "added 2," in _imported(good, env)
