"""Import and export never lose an entry, leak a file or obey a hostile one.

`export -o` never writes over the log (by any name) or through a link planted where it
writes; an import into a log that does not exist yet makes it only with something in it and
never removes what another runlog wrote there meanwhile; standard input and pipes are read
once, whole; a file obeys the rules typing obeys (dates, tags, emotions), a run no one could
have run in another app's file is left out and named, and whatever a file holds is imported,
left out or refused with its line named: never an "unexpected" error.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from relsupport import RUNLOG, count_entries, isolated_env, listing, must, run, sha256

# A file this size is read by the second process (importer.PARALLEL_FROM_BYTES is 8 MiB).
BIG_ROWS = 80_000


def ndjson_runs(path: Path, rows: int, *, first: int = 0, last_line: str | None = None) -> Path:
    """`rows` plausible runs (5 to 14 km at about 5:30 a km), seven minutes apart from 2015
    on (run `n` starts at minute 7n: no two the same run), one per line; `last_line`
    replaces the last one."""
    base = datetime(2015, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    with open(path, "w", encoding="utf-8") as out:
        for n in range(first, first + rows):
            if last_line is not None and n == first + rows - 1:
                out.write(last_line + "\n")
                break
            km = 5 + n % 10
            start = (base + timedelta(minutes=7 * n)).isoformat()
            out.write(f'{{"uuid": "run-{n}", "date": "{start}", "kind": "run", '
                      f'"distance_km": {km}, "duration_s": {km * 330 + n % 60}, '
                      f'"mood_after": {1 + n % 5}}}\n')
    return path


def log_in(tmp_path: Path) -> tuple[Path, dict]:
    """A log with one run in a folder of its own, and the environment that uses it."""
    db = tmp_path / "data" / "runlog.db"
    env = isolated_env(tmp_path, db=db)
    must("add", "5k", "28:30", "-d", "2026-11-01 07:30", "-n", "keep me", env=env)
    return db, env


def refused(done: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit 2 with one `Error:` line holding `fragments`, no traceback, nothing on stdout."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert "unexpected" not in lines[0] and "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def notes(env: dict) -> list[str]:
    return [entry["note"] for entry in json.loads(must("list", "--json", env=env))]


def tags_of(db: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(db)
    try:
        found: dict[str, list[str]] = {}
        for uuid, tag in conn.execute("SELECT e.uuid, t.tag FROM entries e JOIN tags t"
                                      " ON t.entry_id = e.id ORDER BY e.id, t.position"):
            found.setdefault(uuid, []).append(tag)
        return found
    finally:
        conn.close()


# -- export -o: never the log, never through a link ------------------------------------------

@pytest.mark.parametrize("how", ["the log", "its -wal", "its -shm", "a link to it",
                                 "a hard link to it", "a path through .."])
def test_export_to_the_log_itself_is_refused_and_the_log_untouched(tmp_path, how):
    db, env = log_in(tmp_path)
    folder = db.parent
    target = {
        "the log": db, "its -wal": Path(f"{db}-wal"), "its -shm": Path(f"{db}-shm"),
        "a link to it": tmp_path / "link.csv", "a hard link to it": tmp_path / "hard.csv",
        "a path through ..": folder / ".." / "data" / "runlog.db",
    }[how]
    if how == "a link to it":
        target.symlink_to(db)
    elif how == "a hard link to it":
        os.link(db, target)
    before, files = sha256(db), listing(folder)

    for fmt in ("csv", "ndjson"):
        refused(run("export", "--format", fmt, "-o", str(target), env=env),
                str(target), "database itself")
    assert sha256(db) == before and listing(folder) == files
    assert notes(env) == ["keep me"]
    assert must("db", "check", env=env).strip() == "ok"


def test_export_never_writes_through_a_link_planted_at_its_temporary_or_its_output(tmp_path):
    db, env = log_in(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    # Where a predictable temporary would be, and the output itself: links to the victim.
    for name in ("runs.csv.part", ".runs.csv.part", "runs.csv.tmp"):
        (out / name).symlink_to(victim)
    (out / "link.csv").symlink_to(victim)

    must("export", "-o", str(out / "runs.csv"), env=env)
    must("export", "-o", str(out / "link.csv"), env=env)

    assert victim.read_text(encoding="utf-8") == "precious\n"
    for name in ("runs.csv", "link.csv"):  # the link itself is replaced by the export
        written = out / name
        assert not written.is_symlink() and "keep me" in written.read_text(encoding="utf-8")
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert sorted(listing(out)) == sorted(["runs.csv.part", ".runs.csv.part", "runs.csv.tmp",
                                           "link.csv", "runs.csv"]), "a temporary was left"


def test_export_to_a_folder_is_refused_and_to_standard_output_or_a_fifo_streams_there(tmp_path):
    db, env = log_in(tmp_path)
    folder = tmp_path / "exports"
    folder.mkdir()
    refused(run("export", "-o", str(folder), env=env), "is a folder")
    assert listing(folder) == []

    for name in ("-", "/dev/stdout"):
        done = run("export", "--format", "ndjson", "-o", name, env=env)
        assert done.returncode == 0, done.stderr
        assert [json.loads(line)["note"] for line in done.stdout.splitlines()] == ["keep me"]
    assert os.path.islink("/dev/stdout"), "/dev/stdout must never be replaced"

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = run("export", "--format", "ndjson", "-o", str(fifo), env=env, timeout=30)
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["note"] for line in received[0].decode().splitlines()] == ["keep me"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert [name for name in listing(tmp_path) if "pipe" in name] == ["pipe"]


# -- an import into a log that does not exist yet ---------------------------------------------

def _start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(RUNLOG), *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_until_writing(process: subprocess.Popen, folder: Path) -> None:
    """Until the import has put something in the log's folder (it is writing by then)."""
    deadline = time.monotonic() + 60
    while not (folder.exists() and any(folder.iterdir())):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import wrote nothing in a minute"
        time.sleep(0.02)
    time.sleep(0.3)


def test_a_failed_import_into_a_new_log_keeps_a_run_another_runlog_added_meanwhile(tmp_path):
    """The issue's reproduction: 300,000 lines whose last is bad, into a path with no log,
    and `runlog add` to the same path while it runs: the added run survives."""
    source = ndjson_runs(tmp_path / "big.ndjson", 300_000,
                         last_line='{"uuid": "bad", "date": "2019-13-45", "kind": "run"}')
    db = tmp_path / "new" / "runlog.db"
    env = isolated_env(tmp_path, db=db)

    importing = _start(["import", str(source)], env)
    _wait_until_writing(importing, db.parent)
    assert importing.poll() is None, "the import ended before the add: nothing was tested"
    added = run("add", "5k", "28:30", "-n", "added while importing", env=env)
    _, stderr = importing.communicate(timeout=300)

    assert added.returncode == 0, added.stderr
    assert importing.returncode == 2, stderr
    assert "line 300000" in stderr and "unexpected" not in stderr
    assert db.exists(), "the log another runlog wrote was deleted"
    assert notes(env) == ["added while importing"]
    assert listing(db.parent) == ["runlog.db"], "the import left a file behind"
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_an_import_into_a_new_log_that_others_wrote_meanwhile_adds_to_what_they_wrote(tmp_path):
    """A good file into a path with no log, while an `add` and another import write there:
    the log ends with all three, each once."""
    source = ndjson_runs(tmp_path / "big.ndjson", 200_000)
    other = ndjson_runs(tmp_path / "other.ndjson", 500, first=300_000)
    db = tmp_path / "new" / "runlog.db"
    env = isolated_env(tmp_path, db=db)

    importing = _start(["import", str(source)], env)
    _wait_until_writing(importing, db.parent)
    assert importing.poll() is None, "the import ended before the others wrote"
    second = run("import", str(other), env=env)  # into the new log too: the first to finish
    added = run("add", "5k", "28:30", "-n", "added while importing", env=env)
    assert importing.poll() is None, "the import ended before the others wrote"
    _, stderr = importing.communicate(timeout=300)

    assert (added.returncode, second.returncode, importing.returncode) == (0, 0, 0), (
        added.stderr, second.stderr, stderr)
    assert "added 200000," in stderr, stderr
    assert count_entries(db) == 200_000 + 500 + 1
    assert "added while importing" in notes(env)
    assert listing(db.parent) == ["runlog.db"]
    assert must("db", "check", env=env).strip() == "ok"


def test_killed_interrupted_or_refused_imports_into_a_new_log_leave_no_log(tmp_path):
    """SIGKILL halfway leaves no log (a new log appears whole or not at all); Ctrl-C, a
    refused file or a dry run leave nothing but the folder made for it (kept: another runlog
    may be about to write in it); the import, run again, completes."""
    source = ndjson_runs(tmp_path / "big.ndjson", 200_000)
    db = tmp_path / "new" / "runlog.db"
    env = isolated_env(tmp_path, db=db)
    done = run("import", "--dry-run", str(source), env=env, timeout=300)
    assert done.returncode == 0 and "would add 200000," in done.stderr, done.stderr
    assert not db.parent.exists(), "a dry run made the log's folder"
    bad = ndjson_runs(tmp_path / "bad.ndjson", 50, last_line="{not json")
    refused(run("import", str(bad), env=env), "line 50")
    assert listing(db.parent) == [] and stat.S_IMODE(db.parent.stat().st_mode) == 0o700

    killed = _start(["import", str(source)], env)
    _wait_until_writing(killed, db.parent)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.communicate(timeout=60)
    assert not db.exists(), "a killed import left a log that is not the whole file"
    for leftover in db.parent.iterdir():  # its own temporary, at most: never the log's name
        leftover.unlink()

    interrupted = _start(["import", str(source)], env)
    _wait_until_writing(interrupted, db.parent)
    os.killpg(interrupted.pid, signal.SIGINT)
    _, stderr = interrupted.communicate(timeout=60)
    assert interrupted.returncode == 130, stderr
    assert len(stderr.splitlines()) == 1 and "Interrupted" in stderr
    assert listing(db.parent) == [], "an interrupted import left a file behind"
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700

    done = run("import", str(source), env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert count_entries(db) == 200_000 and listing(db.parent) == ["runlog.db"]


# -- standard input, pipes and devices ---------------------------------------------------------

@pytest.mark.parametrize("how", ["-", "/dev/stdin", "a FIFO", "<(...)", "/dev/stdin < FILE"])
def test_import_reads_standard_input_and_pipes_once_and_whole(tmp_path, how):
    """A file big enough for the second process, through every kind of pipe: all of it is
    imported, named as given, and the copy made of it is gone afterwards."""
    source = ndjson_runs(tmp_path / "runs.ndjson", BIG_ROWS)
    assert source.stat().st_size > 8 << 20
    temp = tmp_path / "tmpdir"
    temp.mkdir()
    db = tmp_path / "data" / "runlog.db"
    env = isolated_env(tmp_path, db=db, TMPDIR=str(temp), RUNLOG=str(RUNLOG),
                       SOURCE=str(source), FIFO=str(tmp_path / "fifo"))
    script, name = {
        "-": ('cat "$SOURCE" | "$RUNLOG" import -', "-"),
        "/dev/stdin": ('cat "$SOURCE" | "$RUNLOG" import /dev/stdin', "/dev/stdin"),
        "a FIFO": ('mkfifo "$FIFO"; cat "$SOURCE" > "$FIFO" & "$RUNLOG" import "$FIFO"',
                   str(tmp_path / "fifo")),
        "<(...)": ('"$RUNLOG" import <(cat "$SOURCE")', "/dev/fd/"),
        "/dev/stdin < FILE": ('"$RUNLOG" import /dev/stdin < "$SOURCE"', "/dev/stdin"),
    }[how]
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(name) and f": added {BIG_ROWS}," in done.stderr, done.stderr
    assert count_entries(db) == BIG_ROWS
    assert list(temp.iterdir()) == [], "the copy of the pipe was left behind"


def test_import_refuses_a_device_a_terminal_or_a_bad_pipe_and_leaves_no_copy(tmp_path):
    db, env = log_in(tmp_path)
    temp = tmp_path / "tmpdir"
    temp.mkdir()
    env = {**env, "TMPDIR": str(temp)}
    before = sha256(db)
    refused(run("import", "/dev/zero", env=env, timeout=30), "/dev/zero", "device")
    refused(run("import", "-", input="not,a,runlog\nfile,at,all\n", env=env), "-: ", "format")
    bad = ndjson_runs(tmp_path / "bad.ndjson", 20, last_line='{"uuid": "x", "date": "2019-02-30"}')
    refused(run("import", "-", input=bad.read_text(), env=env), "-: ", "line 20")
    assert sha256(db) == before
    assert list(temp.iterdir()) == []


# -- what a file may hold: as typed ---------------------------------------------------------

def _tomorrow() -> str:
    return (date.today() + timedelta(days=1)).isoformat()


def _in_an_hour() -> str:
    return (datetime.now(timezone.utc) + timedelta(hours=1)).astimezone().isoformat(
        timespec="seconds")


@pytest.mark.parametrize("when", [
    "0001-01-01", "0001-01-01T00:00:00+01:00", "1899-12-31", "9999-12-31",
    "9999-12-31T23:59:59+14:00", "tomorrow", "in an hour"])
@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
def test_a_file_date_typing_would_refuse_is_refused_with_its_line(tmp_path, when, fmt):
    """Year 1 once went in and broke `stats` for good; every date typing refuses (before
    1900, in the future) is refused in a file, the line named, the log unchanged."""
    db, env = log_in(tmp_path)
    day = {"tomorrow": _tomorrow(), "in an hour": _in_an_hour()}.get(when, when)
    lines = [{"uuid": f"u{n}", "date": f"2020-0{n}-01", "kind": "run", "distance_km": 5,
              "duration_s": 1800} for n in (1, 2)]
    lines.append({"uuid": "u3", "date": day, "kind": "run", "distance_km": 5, "duration_s": 1800})
    path = tmp_path / f"dates.{fmt}"
    if fmt == "ndjson":
        path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        line = "line 3"
    else:
        header = must("export", "--format", "csv", env=env).splitlines()[0]
        keys = header.split(",")
        path.write_text(header + "\n" + "".join(
            ",".join(str(row.get(key, "")) for key in keys) + "\n" for row in lines),
            encoding="utf-8")
        line = "line 4"
    before = sha256(db)
    refused(run("import", str(path), env=env), line)
    assert sha256(db) == before
    assert run("stats", env=env).returncode == 0


HOSTILE = {
    "nested a million deep": '{"note": ' + "[" * 1_000_000 + "]" * 1_000_000 + "}",
    "a number past a float": '{"uuid": "h", "date": "2020-01-01", "kind": "run", '
                             '"distance_km": 1e400}',
    "NaN": '{"uuid": "h", "date": "2020-01-01", "kind": "run", "distance_km": NaN}',
    "a date that is a number": '{"uuid": "h", "date": 20200101, "kind": "run", '
                               '"distance_km": 5}',
    "a huge integer": '{"uuid": "h", "date": "2020-01-01", "kind": "run", "mood_after": '
                      + "9" * 5000 + "}",
    "a lone surrogate": '{"uuid": "h", "date": "2020-01-01", "kind": "run", '
                        '"distance_km": 5, "note": "\\ud800"}',
    "emotions that are not a list": '{"uuid": "h", "date": "2020-01-01", "kind": "run", '
                                    '"distance_km": 5, "emotions": {"a": 1}}',
}


@pytest.mark.parametrize("size", ["small", "read by the second process"])
@pytest.mark.parametrize("what", list(HOSTILE))
def test_a_hostile_line_is_refused_with_its_line_never_an_unexpected_error(tmp_path, what, size):
    db, env = log_in(tmp_path)
    rows = 10 if size == "small" else BIG_ROWS
    path = ndjson_runs(tmp_path / "hostile.ndjson", rows, last_line=HOSTILE[what])
    before = sha256(db)
    done = run("import", str(path), env=env, timeout=300)
    error = refused(done)
    # the line, or (caught past the reader) the line it got past
    assert f"line {rows}" in error or f"after line {rows - 1}" in error, error
    assert sha256(db) == before


def test_whatever_a_reader_raises_is_a_refusal_of_the_file(tmp_path, monkeypatch):
    """The pipeline's own guard, whatever the readers let through: a reader that fails
    midway (a bug, a file nobody foresaw) refuses the file with the line it got past."""
    from helpers import db_state, invoke

    import runlog.interchange
    from runlog.interchange import Row

    real = runlog.interchange.read

    def failing(*args, **kwargs):  # past the readers' own guards
        for record in real(*args, **kwargs):
            yield record
            if isinstance(record, Row) and record.line == 2:
                raise ValueError("a reader's bug")

    monkeypatch.setattr(runlog.interchange, "read", failing)
    path = ndjson_runs(tmp_path / "runs.ndjson", 5)
    invoke("add", "5k", "28:30", "-d", "2026-11-01 07:30")
    before = db_state()
    for fresh in (False, True):
        args = ("--db", str(tmp_path / "fresh" / "runlog.db")) if fresh else ()
        result = invoke(*args, "import", str(path))
        assert result.exit_code == 2, (result.exit_code, result.stderr)
        assert "after line 2" in result.stderr and "a reader's bug" in result.stderr
        assert "unexpected" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert db_state() == before
    assert not (tmp_path / "fresh" / "runlog.db").exists()


# -- what is left out: runs no one could have run ---------------------------------------------

def _gpx_track(start: datetime, km: float, minutes: float, name: str) -> str:
    """A track due north from 52°N: `km` kilometres in `minutes`, in ten steps."""
    points = []
    for step in range(11):
        lat = 52.0 + km / 111.2 * step / 10
        moment = (start + timedelta(minutes=minutes * step / 10)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(f'<trkpt lat="{lat:.6f}" lon="5.0"><time>{moment}</time></trkpt>')
    return f"<trk><name>{name}</name><trkseg>{''.join(points)}</trkseg></trk>"


def test_a_run_no_one_could_have_run_in_another_apps_file_is_left_out_and_named(tmp_path):
    db, env = log_in(tmp_path)
    start = datetime(2025, 6, 1, 7, 0, tzinfo=timezone.utc)
    gpx = tmp_path / "tracks.gpx"
    gpx.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1">'
        + _gpx_track(start, 5, 30, "a real run")
        + _gpx_track(start + timedelta(days=1), 5, 11, "the ride home, saved as a run")
        + _gpx_track(start + timedelta(days=2), 8, 45, "another real run")
        + "</gpx>", encoding="utf-8")
    done = run("import", str(gpx), env=env)
    assert done.returncode == 0, done.stderr
    line = done.stderr.strip()
    assert ": added 2," in line and "left out 1 that no one could have run (line 2: " in line
    assert "world record" in line and line.endswith("rejected 0")
    assert set(notes(env)) == {"keep me", "a real run", "another real run"}

    # runlog's own files keep what its log held: a run kept with `add --force` comes back
    must("add", "10k", "20:00", "-d", "2026-11-02 07:30", "--force", "-n", "forced", env=env)
    copy = tmp_path / "export.ndjson"
    must("export", "--format", "ndjson", "-o", str(copy), env=env)
    fresh = isolated_env(tmp_path, db=tmp_path / "copy" / "runlog.db")
    done = run("import", str(copy), env=fresh)
    assert done.returncode == 0 and "left out" not in done.stderr, done.stderr
    assert "forced" in notes(fresh) and count_entries(tmp_path / "copy" / "runlog.db") == 4


def test_imported_tags_and_emotions_are_made_what_typed_ones_are(tmp_path):
    db, env = log_in(tmp_path)
    given = ["Long Run", "  PARK ", "park", "Trail,Hills", "  "]
    must("add", "5k", "28:30", "-d", "2026-11-03 07:30", *[
        arg for tag in given if tag.strip() for arg in ("--tag", tag)], env=env)
    typed = [entry["tags"] for entry in json.loads(must("list", "--json", env=env))
             if entry["date"].startswith("2026-11-03")]
    path = tmp_path / "tags.ndjson"
    path.write_text(json.dumps({"uuid": "tagged", "date": "2026-11-04", "kind": "run",
                                "distance_km": 5, "tags": given}) + "\n", encoding="utf-8")
    must("import", str(path), env=env)
    assert typed == [["long-run", "park", "trail", "hills"]]
    assert tags_of(db)["tagged"] == typed[0]

    # emotions are named as typing names them: any case, or the adjective
    path.write_text(json.dumps({"uuid": "felt", "date": "2026-11-04", "kind": "run",
                                "distance_km": 5, "emotions": ["Relieved", "JOY", "joy"]})
                    + "\n", encoding="utf-8")
    must("import", str(path), env=env)
    felt = [entry["emotions"] for entry in json.loads(must("list", "--json", env=env))
            if entry["uuid"] == "felt"]
    assert felt == [["relief", "joy"]]

    path.write_text(json.dumps({"uuid": "long", "date": "2026-11-05", "kind": "run",
                                "distance_km": 5, "tags": ["x" * 41]}) + "\n", encoding="utf-8")
    before = sha256(db)
    refused(run("import", str(path), env=env), "line 1", "longer than 40")
    assert sha256(db) == before


def test_an_export_with_custom_emotions_imports_into_a_fresh_log(tmp_path):
    """A custom emotion travels with the export: the fresh log learns it, with its valence."""
    db, env = log_in(tmp_path)
    must("emotions", "add", "awe", "--valence", "positive", env=env)
    must("add", "8k", "45:00", "-d", "2026-11-06 07:30", "-f", "awe,relieved", env=env)
    for fmt in ("csv", "json", "ndjson"):
        exported = tmp_path / f"export.{fmt}"
        must("export", "--format", fmt, "-o", str(exported), env=env)
        fresh = isolated_env(tmp_path, db=tmp_path / fmt / "runlog.db")
        done = run("import", str(exported), env=fresh)
        assert done.returncode == 0, done.stderr
        assert "awe (positive)" in done.stderr, done.stderr
        vocabulary = {row["name"]: row["valence"]
                      for row in json.loads(must("emotions", "list", "--json", env=fresh))}
        assert vocabulary["awe"] == "positive"
        assert must("export", "--format", fmt, env=fresh) == exported.read_text(encoding="utf-8")

    # without a valence, an emotion the log doesn't know still refuses the record
    path = tmp_path / "unknown.ndjson"
    path.write_text(json.dumps({"uuid": "w", "date": "2026-11-07", "kind": "run",
                                "distance_km": 5, "emotions": ["wonder"]}) + "\n", encoding="utf-8")
    refused(run("import", str(path), env=env), "line 1", "wonder")


def test_check_ins_in_the_same_minute_with_the_same_mood_are_all_kept(tmp_path):
    """Only activities with a distance are matched by start and distance: two journal
    entries in one minute, from Daylio or from runlog's own files, are two entries."""
    db, env = log_in(tmp_path)
    daylio = tmp_path / "daylio.csv"
    daylio.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2024-03-01,1 March,Friday,8:15 pm,meh,,,\"first thought\"\n"
        "2024-03-01,1 March,Friday,8:15 pm,meh,,,\"second thought\"\n", encoding="utf-8")
    done = run("import", str(daylio), env=env)
    assert done.returncode == 0 and ": added 2," in done.stderr, done.stderr
    checkins = tmp_path / "checkins.ndjson"
    checkins.write_text("".join(json.dumps(
        {"uuid": f"c{n}", "date": "2024-03-02T20:15:00+01:00", "kind": "checkin",
         "mood_after": 3, "note": f"thought {n}"}) + "\n" for n in (1, 2)), encoding="utf-8")
    done = run("import", str(checkins), env=env)
    assert done.returncode == 0 and ": added 2," in done.stderr, done.stderr
    assert {"first thought", "second thought", "thought 1", "thought 2"} <= set(notes(env))
