"""A watch archive through the real `runlog import`: many FIT files in one command, fast,
giving the same log as importing them one by one; damaged files in a runner's words; and
read_ahead (the many-file reader) in order, bounded, and stopped cleanly by Ctrl-C.

Expected entries come from fitdecode's reading of the files (not from runlog); the archive
is real files (tests/data/fit_more, tests/data/samples/fit) plus files written by
bench/fit_archive.py's FIT writer, which fitdecode reads with its CRC check on.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from datetime import timezone
from pathlib import Path

import fitdecode
import pytest

from relsupport import count_entries, isolated_env, run, sha256

ROOT = Path(__file__).resolve().parents[2]
REAL = sorted((ROOT / "tests" / "data" / "fit_more").glob("*.fit")) + sorted(
    (ROOT / "tests" / "data" / "samples" / "fit").glob("*.fit"))
KINDS = {"running": "run", "walking": "walk", "hiking": "walk"}


def _writer():
    spec = importlib.util.spec_from_file_location("fit_archive", ROOT / "bench" / "fit_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_entries(paths: list[Path]) -> set[tuple]:
    """(UTC start, kind, distance m rounded to cm) of every run or walk whose start is a
    real date, as fitdecode reads the files."""
    out = set()
    for path in paths:
        with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.DISABLED,
                                 error_handling=fitdecode.ErrorHandling.IGNORE) as reader:
            try:
                for frame in reader:
                    if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                        values = {f.name: f.value for f in frame.fields}
                        kind = KINDS.get(values["sport"])
                        start = values["start_time"]
                        if kind and not isinstance(start, int):
                            if values.get("sub_sport") == "trail":
                                kind = "trail"
                            elif values.get("sub_sport") in ("treadmill", "indoor_running"):
                                kind = "treadmill"
                            out.add((start.strftime("%Y-%m-%dT%H:%M:%S"), kind,
                                     round(values["total_distance"], 2)))
            except fitdecode.FitError:
                pass
    return out


def log_entries(db: Path) -> set[tuple]:
    conn = sqlite3.connect(db)
    try:
        from datetime import datetime

        rows = conn.execute("SELECT start_ts, kind, distance_m FROM entries").fetchall()
    finally:
        conn.close()
    out = set()
    for start, kind, distance in rows:
        moment = (datetime.fromtimestamp(start, timezone.utc) if isinstance(start, (int, float))
                  else datetime.fromisoformat(start).astimezone(timezone.utc))
        out.add((moment.strftime("%Y-%m-%dT%H:%M:%S"), kind, round(distance, 2)))
    return out


def table(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(
            "SELECT uuid, date, kind, distance_m, duration_s, source FROM entries").fetchall())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> list[Path]:
    """15 written files and the real ones, copied into one folder."""
    folder = tmp_path_factory.mktemp("archive")
    paths = _writer().make_archive(folder / "written", 15, seed=5)
    for path in REAL:
        copy = folder / path.name
        copy.write_bytes(path.read_bytes())
        paths.append(copy)
    return paths


def test_an_archive_in_one_command_is_the_log_of_its_files_one_by_one(tmp_path, archive):
    together = isolated_env(tmp_path / "a")
    done = run("import", *map(str, archive), env=together, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "placeholder dates (1989-12-31, before 2000)" in done.stderr  # said, not hidden
    one_by_one = isolated_env(tmp_path / "b")
    for path in archive:
        single = run("import", str(path), env=one_by_one)
        assert single.returncode == 0, single.stderr
    assert table(Path(together["RUNLOG_DB"])) == table(Path(one_by_one["RUNLOG_DB"]))
    # what fitdecode reads, less the placeholder starts (and the runs no one could have run
    # that the importer leaves out: none here but the few-metre test activities)
    assert log_entries(Path(together["RUNLOG_DB"])) == expected_entries(archive)


def test_three_hundred_fit_files_in_one_command_add_each_run_once(tmp_path):
    """Many files go through the parallel reading path (a process pool); every run or walk
    is imported once and every ride is named. (Speed is bench/fit_archive.py's to measure.)"""
    paths = _writer().make_archive(tmp_path / "fits", 300, seed=9)
    env = isolated_env(tmp_path)
    done = run("import", *map(str, paths), env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    # the writer names each file by its sport; values are checked against fitdecode on
    # fewer files above
    rides = sum(path.name.endswith("_cycling.fit") for path in paths)
    assert 0 < rides < 100
    assert count_entries(Path(env["RUNLOG_DB"])) == 300 - rides
    lines = done.stderr.splitlines()
    assert len(lines) == 1, "many files: one line in all"
    assert lines[0].startswith(f"In all (300 files): added {300 - rides}, skipped 0 as "
                               f"duplicates, {rides} as other sports ({rides} cycling)")
    again = run("import", *map(str, paths), env=env, timeout=300)
    assert again.returncode == 0 and f"added 0, skipped {300 - rides}" in again.stderr


@pytest.mark.parametrize(("cut", "said"), [
    (200, "the file ends early (truncated), before any session summary"),
    (None, "the file is damaged at byte"),
])
def test_a_damaged_fit_is_refused_in_words_and_changes_nothing(tmp_path, cut, said):
    env = isolated_env(tmp_path)
    good = ROOT / "tests" / "data" / "samples" / "fit" / "garmin-fenix-5-run.fit"
    assert run("import", str(good), env=env).returncode == 0
    db = Path(env["RUNLOG_DB"])
    before = (sha256(db), count_entries(db))
    data = bytearray((ROOT / "tests" / "data" / "fit_more" / "garmin-fenix-5-walk.fit")
                     .read_bytes())
    if cut:
        data = data[:cut]
    else:
        data[14 + 0] = 0x40  # still a definition, but ...
        data[14 + 2] = 7  # ... of an architecture that does not exist
    bad = tmp_path / "bad.fit"
    bad.write_bytes(bytes(data))
    done = run("import", str(bad), env=env)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"Error: {bad}: ") and said in line
    assert "line " not in line and "Fit" not in line and "Error" not in line[6:]
    assert (sha256(db), count_entries(db)) == before


def _script(body: str, tmp_path: Path, marker: str, *args: str):
    script = tmp_path / "drive.py"
    script.write_text(textwrap.dedent(body))
    env = {**os.environ, "RUNLOG_TEST_MARKER": marker}
    return subprocess.Popen([sys.executable, str(script), *args], cwd=str(tmp_path), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group, as in a shell


def _marked(marker: str) -> list[int]:
    """Processes (ours) whose environment carries `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as stream:
                    if marker.encode() in stream.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


DRIVE = """
    import sys, json
    sys.path.insert(0, {root!r})
    from runlog.store import readahead
    from runlog.store.readahead import read_ahead

    def main():
        paths = [line.strip() for line in open(sys.argv[1])]
        items = [(p, p) for p in paths]
        def plain(result):
            if isinstance(result, list):
                return [type(r).__name__ + ":" + repr(getattr(r, "entry", r)) for r in result]
            return result
        readahead.PARALLEL_FROM_FILES = 10**9
        serial = [(n, plain(r)) for n, r in read_ahead(items, "auto", mood_map=None, units="km")]
        readahead.PARALLEL_FROM_FILES = 1
        pooled = [(n, plain(r)) for n, r in read_ahead(items, "auto", mood_map=None, units="km")]
        print(json.dumps([serial == pooled, [n for n, _ in pooled] == paths,
                          [r for _, r in pooled if not isinstance(r, list)]]))
        sys.stdout.flush()
        if sys.argv[2:] == ["slow"]:
            print("reading", flush=True)
            for _ in range(50):  # again and again, slowly: Ctrl-C comes meanwhile
                for name, records in read_ahead(items, "auto", mood_map=None, units="km"):
                    import time; time.sleep(0.01)

    if __name__ == "__main__":
        try:
            main()
        except KeyboardInterrupt:
            print("stopped", flush=True)
"""


def test_read_ahead_in_a_pool_is_the_serial_reading_in_order_and_ctrl_c_stops_it(tmp_path,
                                                                                  archive):
    text = tmp_path / "notes.fit"
    text.write_text("not a fit file\n")
    items = [*map(str, archive), str(text)]
    (tmp_path / "list").write_text("\n".join(items))
    marker = uuid.uuid4().hex
    driver = _script(DRIVE.format(root=str(ROOT)), tmp_path, marker, str(tmp_path / "list"),
                     "slow")
    try:
        import json

        same, in_order, refusals = json.loads(driver.stdout.readline())
        assert same and in_order
        assert refusals == [["InputError", "cannot tell its format",
                             "pass --format csv|json|ndjson|strava|garmin|gpx|tcx|fit|daylio"]]
        assert driver.stdout.readline() == "reading\n"
        time.sleep(1.5)  # the pool is up and reading
        assert len(_marked(marker)) >= 2  # the driver and its workers
        os.killpg(driver.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to all of them
        out, err = driver.communicate(timeout=30)
    finally:
        if driver.poll() is None:
            driver.kill()
    assert out == "stopped\n"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    deadline = time.monotonic() + 10
    while _marked(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _marked(marker) == []  # no worker left behind
