"""Files from elsewhere cannot hurt the log: a GPX file never makes runlog read another file
(XML external entities) or expand entities at all; a CSV export opened in a spreadsheet
runs no formula; whatever a file holds, `runlog import` takes it or refuses it with one
`Error:` line and exit 2 (never "unexpected", never a traceback, nothing written); and an
export imported into a fresh log gives the same log back, in every format.

Everything here runs the real `runlog` process on real files (relsupport)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from relsupport import count_entries, isolated_env, must, run, sha256

SECRET = "TOP-SECRET-bank-pin-4711"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def refused(done, *texts_never_shown: str) -> str:
    """The one `Error:` line of a refused command (exit 2)."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    assert "unexpected" not in done.stderr and "Traceback" not in done.stderr
    for text in texts_never_shown:
        assert text not in done.stderr and text not in done.stdout
    return lines[0]


# ---------------------------------------------------------------------------- GPX and XML

TRACK = """<trk><name>{name}</name><trkseg>
<trkpt lat="52.0" lon="4.0"><time>2024-05-01T07:00:00Z</time></trkpt>
<trkpt lat="52.02" lon="4.0"><time>2024-05-01T07:12:00Z</time></trkpt>
</trkseg></trk>"""
GPX_OPEN = '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'


def hostile_gpx(secret_file: Path) -> dict[str, str]:
    url = secret_file.as_uri()
    return {
        "external entity": f"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY x SYSTEM "{url}">]>
{GPX_OPEN}{TRACK.format(name="&x;")}</gpx>""",
        "parameter entity": f"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY % p SYSTEM "{url}"> %p;]>
{GPX_OPEN}{TRACK.format(name="run")}</gpx>""",
        "external DTD": f"""<?xml version="1.0"?>
<!DOCTYPE gpx SYSTEM "{url}">
{GPX_OPEN}{TRACK.format(name="run")}</gpx>""",
        "billion laughs": """<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "ha-ha-ha-ha-ha-ha-ha-ha-ha-ha">"""
        + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'
                  for n in range(9))
        + f"""]>
{GPX_OPEN}{TRACK.format(name="&j;")}</gpx>""",
    }


def test_the_xml_parser_gpxpy_would_use_here_is_lxml_4_which_reads_local_files(tmp_path):
    """The premise of the GPX tests below: in this environment gpxpy's own parsing puts a
    local file into the track's name (lxml before 5 resolves external entities)."""
    import gpxpy
    import gpxpy.parser
    import lxml.etree

    assert lxml.etree.LXML_VERSION < (5,), lxml.etree.LXML_VERSION
    assert gpxpy.parser.library() == "LXML"
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    document = gpxpy.parse(hostile_gpx(secret)["external entity"])
    assert SECRET in document.tracks[0].name


@pytest.mark.parametrize("case", ["external entity", "parameter entity", "external DTD",
                                  "billion laughs"])
def test_a_gpx_file_with_a_dtd_is_refused_and_no_other_file_is_read(tmp_path, case):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    gpx = tmp_path / "run.gpx"
    gpx.write_text(hostile_gpx(secret)[case])
    env = isolated_env(tmp_path)
    db = Path(env["RUNLOG_DB"])
    for fmt in ("auto", "gpx"):
        line = refused(run("import", str(gpx), "--format", fmt, env=env, timeout=30), SECRET)
        assert "DTD" in line
    assert not db.exists()  # nothing was written, not even an empty log
    must("add", "5k", "25:00", env=env)
    before = sha256(db)
    refused(run("import", str(gpx), env=env, timeout=30), SECRET)
    assert sha256(db) == before
    for fmt in ("csv", "json"):
        assert SECRET not in must("export", "--format", fmt, env=env)


def test_a_gpx_file_in_another_encoding_cannot_hide_its_dtd(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    text = hostile_gpx(secret)["external entity"].replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    gpx = tmp_path / "run.gpx"
    gpx.write_bytes(text.encode("utf-16"))
    env = isolated_env(tmp_path)
    refused(run("import", str(gpx), "--format", "gpx", env=env, timeout=30), SECRET)
    assert not Path(env["RUNLOG_DB"]).exists()


def test_an_ordinary_gpx_file_still_imports_with_its_name(tmp_path):
    gpx = tmp_path / "run.gpx"
    gpx.write_text(f'<?xml version="1.0"?>\n{GPX_OPEN}'
                   f'{TRACK.format(name="Dunes &amp; wind")}</gpx>')
    env = isolated_env(tmp_path)
    must("import", str(gpx), env=env)
    (entry,) = json.loads(must("list", "--json", env=env))
    assert entry["note"] == "Dunes & wind" and entry["distance_km"] > 2


# ---------------------------------------------------------------------------- CSV formulas

FORMULAS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd",
            "'=already quoted", "'plain apostrophe", "=HYPERLINK(\"http://x\")"]


def test_csv_export_runs_no_formula_in_a_spreadsheet_and_imports_back_the_same(tmp_path):
    env = isolated_env(tmp_path / "a")
    source = tmp_path / "source.json"
    source.write_text(json.dumps([
        {"uuid": f"{text.strip()}-{n}", "date": f"2026-11-{n + 1:02d}T07:00:00+01:00", "kind": "run",
         "distance_km": 5, "duration_s": 1500, "mood_before": 4, "mood_after": 3,
         "note": text, "intention": text, "where": text, "tags": [f"={n}", "x"]}
        for n, text in enumerate(FORMULAS)]), encoding="utf-8")
    must("import", str(source), env=env)
    dump = tmp_path / "log.csv"
    must("export", "--format", "csv", "-o", str(dump), env=env)
    with open(dump, newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == len(FORMULAS)
    for row in rows:
        for key in ("uuid", "emotions", "where", "intention", "note", "tags"):
            cell = row[key]
            assert not cell.startswith(FORMULA_STARTS), (key, cell)
        assert row["mood_lift"] == "-1"  # numbers stay numbers
    assert [row["note"] for row in rows[:7]] == ["'" + text for text in FORMULAS[:7]]
    assert rows[6]["note"] == "''=already quoted"
    assert rows[7]["note"] == "'plain apostrophe"  # no formula: written as it is
    fresh = isolated_env(tmp_path / "b")
    must("import", str(dump), env=fresh)
    listed = json.loads(must("list", "--json", env=fresh))
    assert sorted(entry["note"] for entry in listed) == sorted(FORMULAS)
    assert sorted(entry["uuid"] for entry in listed) == sorted(
        f"{text.strip()}-{n}" for n, text in enumerate(FORMULAS))
    assert without_ids(must("export", "--format", "json", env=fresh)) == without_ids(
        must("export", "--format", "json", env=env))


def without_ids(text: str) -> list[dict]:
    entries = json.loads(text)
    for entry in entries:
        entry.pop("id", None)
    return entries


# ---------------------------------------------------------------------------- round trips

HOSTILE_TEXT = ('=cmd|\' /C calc\'!A0 "quoted", a;semi\\colon\nsecond line\r\n'
                "'lead ünïcødé 🏃‍♀️ \u202e\x1b[31m")


def build_full_log(root: Path) -> dict:
    """A log with every field set somewhere, hostile text, a custom emotion, tags holding
    `;` and `\\`, and an entry in the trash."""
    env = isolated_env(root)
    must("emotions", "add", "awe", "--valence", "positive", env=env)
    must("emotions", "add", "dread", "--valence", "negative", env=env)
    must("add", "10k", "55:00", "-d", "2026-11-01 07:30", "-b", "2", "-a", "4",
         "-f", "sad,relieved,awe", "--cried", "during", "-e", "7", "--pain", "3",
         "--where", "-left knee", "-i", HOSTILE_TEXT, "-n", HOSTILE_TEXT,
         "--tag", "a;b", "--tag", "back\\slash", "--tag", "=x", "--tag", "\\;", env=env)
    must("rest", "-d", "2026-11-02", "--mood", "2", "--felt", "dread", "-n", "+legs", env=env)
    must("add", "5k", "30:00", "-d", "2026-11-03 18:00", "-a", "5", "-f", "awe",
         "-n", "@trashed", env=env)
    must("add", "3k", "18:00", "-d", "2026-11-04", "--tag", "plain", env=env)
    must("delete", "3", "--yes", env=env)
    return env


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_export_into_a_fresh_log_gives_the_same_log_in_every_format(tmp_path, fmt):
    env = build_full_log(tmp_path / "a")
    dump = tmp_path / f"log.{fmt}"
    must("export", "--format", fmt, "--include-deleted", "-o", str(dump), env=env)
    fresh = isolated_env(tmp_path / "b")
    must("import", str(dump), env=fresh)
    again = tmp_path / f"again.{fmt}"
    must("export", "--format", fmt, "--include-deleted", "-o", str(again), env=fresh)
    assert again.read_text(encoding="utf-8") == dump.read_text(encoding="utf-8")
    for args in (["list", "--json"], ["trash", "--json"], ["emotions", "list", "--json"]):
        assert without_ids(must(*args, env=fresh)) == without_ids(must(*args, env=env)), args
    live = json.loads(must("list", "--json", env=fresh))
    (run_entry,) = [entry for entry in live if entry["distance_km"] == 10]
    assert run_entry["tags"] == ["a;b", "back\\slash", "=x", "\\;"]
    assert run_entry["note"] == HOSTILE_TEXT and run_entry["where"] == "-left knee"
    assert [entry["note"] for entry in json.loads(must("trash", "--json", env=fresh))] == [
        "@trashed"]


def test_csv_including_the_trash_says_which_entries_are_trashed(tmp_path):
    env = build_full_log(tmp_path / "a")
    text = must("export", "--format", "csv", "--include-deleted", env=env)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0])[-2:] == ["deleted_at", "valences"]
    assert [bool(row["deleted_at"]) for row in rows] == [False, False, True, False]
    assert rows[0]["valences"] == "awe=positive" and rows[1]["valences"] == "dread=negative"
    assert rows[0]["tags"] == "a\\;b;back\\\\slash;=x;\\\\\\;"


# ---------------------------------------------------------------------------- hostile files

STRAVA_HEADER = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
GARMIN_HEADER = "Activity Type,Date,Favorite,Title,Distance,Time\n"
KEYS = ("id,uuid,date,kind,distance_km,duration_s,pace_s_per_km,mood_before,mood_after,"
        "mood_lift,emotions,cried,effort,pain,where,intention,note,tags\r\n")
ENTRY = {"uuid": "u-1", "date": "2026-11-01", "kind": "run", "distance_km": 5}


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE_FILES = {
    "strava offset +2500": STRAVA_HEADER + '1,"2022-05-29 15:53:35 +2500",x,Run,1800,5.0\n',
    "strava offset +99:00": STRAVA_HEADER + '1,"2022-05-29T15:53:35+99:00",x,Run,1800,5.0\n',
    "strava year 9999 west": STRAVA_HEADER + '1,"9999-12-31 23:59:59 -2359",x,Run,1800,5\n',
    "strava year 1 east": STRAVA_HEADER + '1,"0001-01-01 00:00:00 +2359",x,Run,1800,5\n',
    "strava distance 1e400": STRAVA_HEADER + '1,"May 29, 2022, 3:53:35 PM",x,Run,1800,1e400\n',
    "strava 31 February": STRAVA_HEADER + '1,"Feb 31, 2022, 3:53:35 PM",x,Run,1800,5\n',
    "garmin year 1": GARMIN_HEADER + "Running,0001-01-01 00:00:01,false,x,5.0,00:30:00\n",
    "garmin offset +25:00": GARMIN_HEADER
    + "Running,2024-01-01T00:00:00+25:00,false,x,5,00:30:00\n",
    "garmin time 1e400": GARMIN_HEADER + "Running,2024-01-01 07:00:00,false,x,5.0,00:00:1e400\n",
    "daylio year 1": "full_date,date,weekday,time,mood,activities,note_title,note\n"
                     "0001-01-01,x,x,00:00,good,,,\n",
    "json nested 100,000 deep": "[" + deep(100_000) + "]",
    "json object nested 100,000 deep": "[" + '{"a":' * 100_000 + "1" + "}" * 100_000 + "]",
    "ndjson nested 100,000 deep": '{"note":' + deep(100_000) + "}\n",
    "json number of 5000 digits": '[{"uuid": "u", "date": "2026-11-01", "kind": "run", '
                                  '"distance_km": ' + "9" * 5000 + "}]",
    "json NaN": '[{"uuid": "u", "date": "2026-11-01", "kind": "run", "distance_km": NaN}]',
    "json Infinity": '[{"uuid": "u", "date": "2026-11-01", "kind": "run", "duration_s": '
                     "Infinity}]",
    "json list for an entry": "[[1, 2]]",
    "json number for a note": json.dumps([{**ENTRY, "note": 5}]),
    "json object for a kind": json.dumps([{**ENTRY, "kind": {"a": 1}}]),
    "json list of lists for tags": json.dumps([{**ENTRY, "tags": [["a"]]}]),
    "json offset with seconds": json.dumps([{**ENTRY, "date": "2026-11-01T07:00:00+01:00:30"}]),
    "json bad deleted_at": json.dumps([{**ENTRY, "deleted_at": "yesterday"}]),
    "json bad valences": json.dumps([{**ENTRY, "emotions": ["joy"],
                                      "valences": {"joy": "ecstatic"}}]),
    "json valences for an emotion not named": json.dumps([{**ENTRY,
                                                           "valences": {"awe": "positive"}}]),
    "ndjson a string": '"just text"\n',
    "ndjson a huge key": json.dumps({**ENTRY, "x" * 100_000: 1}) + "\n",
    "csv year 0": KEYS + ",u,0000-01-01,run,5,,,,,,,,,,,,,\r\n",
    "csv year 10000": KEYS + ",u,10000-01-01,run,5,,,,,,,,,,,,,\r\n",
    "csv mood of 5000 digits": KEYS + ",u,2026-11-01,run,5,,,," + "9" * 5000 + ",,,,,,,,,\r\n",
    "csv distance nan": KEYS + ",u,2026-11-01,run,nan,,,,,,,,,,,,,\r\n",
    "fit header then garbage": b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT" + bytes(range(256)) * 4,
    "gpx not well-formed": '<?xml version="1.0"?><gpx version="1.1"><trk><name>x</trk>',
}


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_a_hostile_file_is_refused_with_one_line_and_nothing_written(tmp_path, name):
    content = HOSTILE_FILES[name]
    path = tmp_path / "file"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    env = isolated_env(tmp_path)
    db = Path(env["RUNLOG_DB"])
    refused(run("import", str(path), env=env, timeout=60))
    assert not db.exists()
    must("add", "5k", "25:00", "-d", "2026-11-01 07:00", env=env)
    before = sha256(db)
    refused(run("import", str(path), env=env, timeout=60))
    assert sha256(db) == before and count_entries(db) == 1


LEFT_OUT_GPX = {
    "time in year 0": (f'{GPX_OPEN}<trk><trkseg><trkpt lat="1" lon="1">'
                       "<time>0000-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>",
                       "left out 1 (tracks without times: 1)"),
    "latitude nan, longitude inf": (
        f'{GPX_OPEN}<trk><trkseg>'
        '<trkpt lat="nan" lon="1"><time>2024-01-01T00:00:00Z</time></trkpt>'
        '<trkpt lat="1" lon="inf"><time>2024-01-01T00:10:00Z</time></trkpt>'
        "</trkseg></trk></gpx>",
        "left out 1 (tracks without times: 1), rejected 0; points without coordinates, "
        "skipped: 2"),
}


@pytest.mark.parametrize("name", list(LEFT_OUT_GPX))
def test_a_gpx_track_with_no_real_time_or_place_is_left_out_and_said(tmp_path, name):
    """No real moment, or no point with real coordinates: the track is left out and named,
    not the file refused (a history of many tracks keeps the rest); nothing is written."""
    content, said = LEFT_OUT_GPX[name]
    path = tmp_path / "file.gpx"
    path.write_text(content, encoding="utf-8")
    env = isolated_env(tmp_path)
    db = Path(env["RUNLOG_DB"])
    done = run("import", str(path), env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "added 0" in done.stderr and said in done.stderr
    assert "Traceback" not in done.stderr
    assert not db.exists()


def test_a_line_longer_than_any_entry_is_refused_without_reading_it_whole(tmp_path):
    """An NDJSON 'line' of 80 MiB with no line end, and a CSV one: refused, not loaded."""
    env = isolated_env(tmp_path)
    for name, head in (("long.ndjson", '{"note": "'), ("long.csv", KEYS + ",u,2026-11-01,")):
        path = tmp_path / name
        with open(path, "w", encoding="utf-8", newline="") as stream:
            stream.write(head)
            for _ in range(80):
                stream.write("x" * (1 << 20))
        line = refused(run("import", str(path), env=env, timeout=120))
        assert "MiB" in line, line
    assert not Path(env["RUNLOG_DB"]).exists()


# ---------------------------------------------------------------------------- Daylio

DAYLIO = ("full_date,date,weekday,time,mood,activities,note_title,note\n"
          "2024-05-01,May 1,Wednesday,10:00 pm,good,work,,first thought\n"
          "2024-05-01,May 1,Wednesday,10:00 pm,good,work,,a second thought\n"
          "2024-05-01,May 1,Wednesday,9:00 pm,good,work,,an hour before\n")


def test_two_daylio_check_ins_in_the_same_minute_are_both_kept_and_only_once(tmp_path):
    path = tmp_path / "daylio.csv"
    path.write_text(DAYLIO, encoding="utf-8")
    env = isolated_env(tmp_path)
    must("import", str(path), env=env)
    must("import", str(path), env=env)
    notes = sorted(entry["note"] for entry in json.loads(must("list", "--json", env=env)))
    assert notes == ["a second thought", "an hour before", "first thought"]
