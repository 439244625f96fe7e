"""A many-file import stopped part way: exit 130, and a line saying exactly how many files
are in the log (found when a signal landed between two files and the import said nothing
but "it is kept", exit 0)."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from relsupport import RUNLOG, integrity, isolated_env


def _gpx_runs(folder: Path, count: int) -> list[str]:
    """`count` distinct 5 km runs of 600 points each, a day apart."""
    folder.mkdir()
    paths = []
    for n in range(count):
        start = datetime(2024, 1, 1, 7, 0, tzinfo=timezone.utc) + timedelta(days=n)
        points = "".join(
            f'<trkpt lat="{52 + i * 0.0000757:.7f}" lon="4.9">'
            f"<time>{(start + timedelta(seconds=3 * i)):%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
            for i in range(600))
        path = folder / f"run{n:04d}.gpx"
        path.write_text('<?xml version="1.0"?><gpx version="1.1" creator="t" '
                        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>r</name>'
                        f"<trkseg>{points}</trkseg></trk></gpx>", encoding="utf-8")
        paths.append(str(path))
    return paths


def _entries(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_many_file_import_says_how_many_files_are_in_the_log(tmp_path, stop):
    paths = _gpx_runs(tmp_path / "runs", 400)
    env = isolated_env(tmp_path)
    db = Path(env["RUNLOG_DB"])
    process = subprocess.Popen([str(RUNLOG), "import", *paths], env=env, text=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while _entries(db) < 30 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the import ended before it could be stopped"
    process.send_signal(stop)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    line = err.strip().splitlines()[-1]
    found = re.fullmatch(r"Error: interrupted(?: during (\S+), which was not imported| after "
                         r"(\S+) was imported)?: (\d+) of 400 files imported, the rest not; "
                         r"import them again to add the rest \(what is in the log already is "
                         r"skipped\)", line)
    assert found, line
    assert int(found[3]) == _entries(db) >= 30  # exactly the files said
    assert integrity(db) == ["ok"]
    if found[1]:  # the file named as not imported is not in the log
        day = (datetime(2024, 1, 1) + timedelta(days=paths.index(found[1]))).date()
        with sqlite3.connect(db) as conn:
            assert not conn.execute("SELECT 1 FROM entries WHERE date LIKE ?",
                                    (f"{day.isoformat()}%",)).fetchall()
    # and no reading process is left behind (the workers share the import's session)
    def left() -> list[str]:
        return subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True,
                              text=True).stdout.split()

    deadline = time.monotonic() + 10
    while left() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left() == [], subprocess.run(["ps", "-o", "pid,args", "-s", str(process.pid)],
                                        capture_output=True, text=True).stdout


def test_a_killed_many_file_import_leaves_no_reader_behind(tmp_path):
    """SIGKILL (or the OOM killer) can't be caught: the pool's readers end with their
    parent rather than stay, idle, for ever."""
    paths = _gpx_runs(tmp_path / "runs", 400)
    env = isolated_env(tmp_path)
    db = Path(env["RUNLOG_DB"])
    process = subprocess.Popen([str(RUNLOG), "import", *paths], env=env, text=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)

    def session() -> list[str]:
        return subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True,
                              text=True).stdout.split()

    deadline = time.monotonic() + 120
    while (_entries(db) < 30 or len(session()) < 3) and process.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None and len(session()) >= 3, "no pool to kill"
    process.kill()
    process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while session() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session() == []
    assert integrity(db) == ["ok"]
