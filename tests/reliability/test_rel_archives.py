"""`runlog import` takes Strava's bulk export zip and .gz files whole, through the real
command, and an archive can't hurt: a bomb, a truncated download or a hostile name is refused
in one line with the log untouched, and nothing unpacked stays behind, whatever way runlog
stops (Ctrl-C and SIGTERM included).

The export is a real one (tests/data/archives/strava-export/, SOURCES.md), zipped in Strava's
layout; expected values are read from its activities.csv with the csv module.
"""

from __future__ import annotations

import csv
import gzip
import json
import signal
import sqlite3
import subprocess
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from relsupport import RUNLOG, count_entries, integrity, isolated_env, must, run, sha256

DATA = Path(__file__).resolve().parents[1] / "data"
EXPORT = DATA / "archives" / "strava-export"
SAMPLES = DATA / "samples"
GPX = SAMPLES / "gpx" / "2025-09-03 11_32_33.996 Cadzand-Bad.gpx"
FIT = SAMPLES / "fit" / "garmin-fenix-5-run.fit"
FIT_IN_EXPORT = "activities/12866632127.fit.gz"  # the file its activities.csv's row names
LISTED_NOTE = ("export_12345.zip: 1 activity file under activities/ is a row of activities.csv, "
               "read from the list, whatever sport the list gives it")


def export_zip(folder: Path, extra: dict[str, bytes] | None = None, *,
               method: int = zipfile.ZIP_DEFLATED) -> Path:
    """The real export zipped as Strava zips it, with the files it lacks here (SOURCES.md)
    as stand-ins, a planned route (a real GPX under routes/) and a photo."""
    members = {path.relative_to(EXPORT).as_posix(): path.read_bytes()
               for path in sorted(EXPORT.rglob("*")) if path.is_file()}
    members.update({"profile.csv": b"Athlete ID,Email Address\n",
                    "logins.csv": b"IP Address,Login Source,Login Date & Time\n",
                    "profile.jpg": b"\xff\xd8\xff\xe0 stand-in",
                    "media/1.jpg": b"\xff\xd8\xff\xe0 stand-in",
                    "routes/1.gpx": GPX.read_bytes()})
    members.update(extra or {})
    path = folder / "export_12345.zip"
    with zipfile.ZipFile(path, "w", method) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def setting(tmp_path: Path) -> tuple[Path, dict, Path]:
    """A log path, an environment using it, and the private TMPDIR runlog unpacks into."""
    temporary = tmp_path / "tmp"
    temporary.mkdir(parents=True)
    db = tmp_path / "data" / "runlog.db"
    return db, isolated_env(tmp_path, db=db, TMPDIR=str(temporary)), temporary


def typed(archive: Path, env: dict) -> subprocess.CompletedProcess:
    """`runlog import NAME` typed in the archive's folder, as a runner does."""
    return run("import", archive.name, env=env, cwd=archive.parent)


def line_of(stderr: str, start: str) -> str:
    found = [line for line in stderr.splitlines() if line.startswith(start)]
    assert len(found) == 1, (start, stderr)
    return found[0]


def expected_run() -> tuple[datetime, float, float]:
    """Start (UTC), distance (km) and elapsed time (s) of the export's one run, read with
    the csv module: Strava's dates are UTC; the second Distance column is in metres."""
    with open(EXPORT / "activities.csv", newline="", encoding="utf-8") as handle:
        header, row = list(csv.reader(handle))[:2]
    start = datetime.strptime(row[header.index("Activity Date")], "%b %d, %Y, %I:%M:%S %p")
    metres = float(row[len(header) - 1 - header[::-1].index("Distance")])
    return start.replace(tzinfo=timezone.utc), metres / 1000, float(row[5])


def test_a_strava_export_imports_its_runs_once(tmp_path):
    db, env, temporary = setting(tmp_path)
    done = typed(export_zip(tmp_path), env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr
    # the CSV's row is the run; its FIT original, which the row names, is that row (not
    # read again), and the planned route under routes/ (a GPX) is no run at all
    assert "added 1" in line_of(done.stderr, "export_12345.zip:activities.csv:")
    assert line_of(done.stderr, "export_12345.zip: 1 activity file") == LISTED_NOTE
    assert f"export_12345.zip:{FIT_IN_EXPORT}:" not in done.stderr
    assert "routes/1.gpx" not in done.stderr
    assert count_entries(db) == 1
    (entry,) = json.loads(must("list", "--json", env=env))
    start, km, seconds = expected_run()
    assert datetime.fromisoformat(entry["date"]) == start
    assert abs(entry["distance_km"] - km) < 0.005 and abs(entry["duration_s"] - seconds) <= 1
    assert list(temporary.iterdir()) == []
    # and a second time, nothing
    again = typed(export_zip(tmp_path), env)
    assert again.returncode == 0, again.stderr
    assert count_entries(db) == 1
    assert list(temporary.iterdir()) == []


def test_a_run_re_typed_as_a_ride_on_strava_is_not_imported_from_its_fit(tmp_path):
    """A ride recorded in run mode, then re-typed as Ride on Strava: the export's row says
    Ride, its FIT file still says running. The row is the activity: nothing is added."""
    text = (EXPORT / "activities.csv").read_text(encoding="utf-8")
    header, row = list(csv.reader(text.splitlines()))[:2]
    assert row[header.index("Activity Type")] == "Run"
    assert row[header.index("Filename")] == FIT_IN_EXPORT
    assert text.count(",Laufen Landal Park,Run,") == 1
    ride = text.replace(",Laufen Landal Park,Run,", ",Laufen Landal Park,Ride,")
    db, env, temporary = setting(tmp_path)
    done = typed(export_zip(tmp_path, {"activities.csv": ride.encode("utf-8")}), env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr
    listed = line_of(done.stderr, "export_12345.zip:activities.csv:")
    assert "added 0" in listed and "1 as other sports (1 Ride)" in listed, listed
    assert line_of(done.stderr, "export_12345.zip: 1 activity file") == LISTED_NOTE
    assert FIT_IN_EXPORT not in done.stderr
    assert not db.exists() or count_entries(db) == 0
    assert list(temporary.iterdir()) == []


def test_an_activity_file_no_row_names_is_still_imported(tmp_path):
    """A file under activities/ that the list lacks is read: a copy of the row's run under
    another name is known by its start time; a run the list lacks is added."""
    db, env, temporary = setting(tmp_path)
    archive = export_zip(tmp_path, {"activities/99.fit.gz": (EXPORT / FIT_IN_EXPORT).read_bytes(),
                                    "activities/100.fit.gz": gzip.compress(FIT.read_bytes())})
    done = typed(archive, env)
    assert done.returncode == 0, done.stderr
    assert "added 1" in line_of(done.stderr, "export_12345.zip:activities.csv:")
    copy = line_of(done.stderr, "export_12345.zip:activities/99.fit.gz:")
    assert "added 0" in copy and "skipped 1 as duplicates" in copy, copy
    assert "added 1" in line_of(done.stderr, "export_12345.zip:activities/100.fit.gz:")
    assert line_of(done.stderr, "export_12345.zip: 1 activity file") == LISTED_NOTE
    assert count_entries(db) == 2
    assert list(temporary.iterdir()) == []


def test_a_gz_imports_as_the_file_it_holds_also_from_a_pipe(tmp_path):
    plain_db, plain_env, _ = setting(tmp_path / "plain")
    must("import", str(GPX), env=plain_env)
    packed = tmp_path / "walk.gpx.gz"
    packed.write_bytes(gzip.compress(GPX.read_bytes()))
    for how in ("file", "pipe"):
        db, env, temporary = setting(tmp_path / how)
        if how == "file":
            done = typed(packed, env)
        else:
            with open(packed, "rb") as stdin:
                done = subprocess.run([str(RUNLOG), "import", "-"], env=env, stdin=stdin,
                                      capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "added 1" in done.stderr, done.stderr
        assert (json.loads(must("list", "--json", env=env))
                == json.loads(must("list", "--json", env=plain_env)))
        assert list(temporary.iterdir()) == []
    assert count_entries(plain_db) == 1


def refused_and_untouched(tmp_path: Path, archive: Path, *fragments: str) -> str:
    db, env, temporary = setting(tmp_path)
    must("add", "5k", "28:30", "-d", "2026-11-01 07:30", env=env)
    before = sha256(db)
    done = typed(archive, env)
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert "Traceback" not in done.stderr and "unexpected" not in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert sha256(db) == before
    assert list(temporary.iterdir()) == []
    return lines[0]


def test_a_gzip_bomb_is_refused_and_changes_nothing(tmp_path):
    bomb = tmp_path / "runs.csv.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (64 << 20), compresslevel=9))
    refused_and_untouched(tmp_path, bomb, "runs.csv.gz", "refused", "200 times its size")


def test_a_zip_bomb_inside_an_export_is_refused_and_changes_nothing(tmp_path):
    archive = export_zip(tmp_path, {"activities/9.gpx": b"\0" * (40 << 20)})
    refused_and_untouched(tmp_path, archive, "export_12345.zip", "activities/9.gpx",
                          "200 times its size")


def test_a_download_that_stopped_half_way_ends_early(tmp_path):
    whole = export_zip(tmp_path).read_bytes()
    cut = tmp_path / "export_12345 (1).zip"
    cut.write_bytes(whole[:len(whole) // 2])
    refused_and_untouched(tmp_path, cut, "the file ends early (truncated)")
    packed = tmp_path / "walk.gpx.gz"
    packed.write_bytes(gzip.compress(GPX.read_bytes())[:-100])
    refused_and_untouched(tmp_path / "gz", packed, "walk.gpx.gz: the file ends early (truncated)")


def test_an_encrypted_member_is_refused_alone(tmp_path):
    """The other files of the archive are imported; the one runlog can't read is named in an
    Error line and the exit status says something was rejected."""
    archive = export_zip(tmp_path, {"activities/77.gpx": GPX.read_bytes()})
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo("activities/77.gpx")
    data[info.header_offset + 6] |= 0x1  # the local header's "encrypted" flag ...
    central = data.rfind(b"activities/77.gpx") - 46  # the list comes last; 46-byte entries
    assert data[central:central + 4] == b"PK\x01\x02"
    data[central + 8] |= 0x1  # ... and its entry in the list
    archive.write_bytes(bytes(data))
    db, env, temporary = setting(tmp_path)
    done = typed(archive, env)
    assert done.returncode == 2, done.stderr
    error = line_of(done.stderr, "Error: export_12345.zip:activities/77.gpx:")
    assert "encrypted" in error
    assert count_entries(db) == 1
    assert list(temporary.iterdir()) == []


def test_hostile_member_names_reach_the_terminal_escaped(tmp_path):
    archive = export_zip(tmp_path, {"activities/\x1b]0;owned\x07\u202e.gpx": b"<gpx"})
    db, env, temporary = setting(tmp_path)
    done = typed(archive, env)
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr and "\x07" not in done.stderr
    assert "activities/\\x1b]0;owned\\x07\\u202e.gpx" in done.stderr
    assert "Traceback" not in done.stderr
    assert count_entries(db) == 1
    assert list(temporary.iterdir()) == []


def test_nothing_unpacked_stays_after_sigterm_or_ctrl_c(tmp_path):
    """A big archive is being imported; runlog is stopped as soon as it has unpacked:
    its private folder goes with it, and the log is whole."""
    fit = gzip.compress(FIT.read_bytes(), compresslevel=1)
    members = {f"activities/{n}.fit.gz": fit for n in range(5000)}
    archive = export_zip(tmp_path, members, method=zipfile.ZIP_STORED)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        db, env, temporary = setting(tmp_path / signum.name)
        must("add", "5k", "28:30", "-d", "2026-11-01 07:30", env=env)
        process = subprocess.Popen([str(RUNLOG), "import", str(archive)], env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while not any(folder.is_dir() and any(folder.iterdir())
                          for folder in temporary.iterdir()):
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "runlog never unpacked the archive"
                time.sleep(0.01)
            process.send_signal(signum)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode != 0, stderr
        assert "Traceback" not in stderr, stderr
        assert list(temporary.iterdir()) == [], signum
        assert integrity(db) == ["ok"]
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] >= 1
        finally:
            conn.close()
