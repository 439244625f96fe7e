"""What the reliability tests share: running the real `runlog` process in an environment of
its own, building a realistic log, and looking at files from the outside (hashes, folder
listings, SQLite's own integrity check)."""

from __future__ import annotations

import csv
import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from runlog.model import ENTRY_KEYS

RUNLOG = Path(sys.executable).with_name("runlog")
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def isolated_env(root: Path, *, db: Path | None = None, **extra: str) -> dict:
    """An environment whose home, XDG folders and database all live under `root`.

    Module-scoped fixtures run before conftest's (function-scoped) isolation, so they must
    never inherit the real HOME: everything runlog could read or write is pinned here."""
    home = root / "home"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("RUNLOG_", "XDG_")) and key not in ("EDITOR", "VISUAL")}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        RUNLOG_DB=str(db or root / "runlog.db"),
        NO_COLOR="1",
        COLUMNS="80",
        TZ="Europe/Amsterdam",
    )
    env.update(extra)
    return env


def run(*args: str, env: dict | None = None, input: str | None = None, timeout: float = 60,
        **popen) -> subprocess.CompletedProcess:
    """`runlog ARGS` as a script runs it: stdin a pipe (or /dev/null), output captured."""
    return subprocess.run([str(RUNLOG), *args], env=env, input=input, capture_output=True,
                          text=True, timeout=timeout,
                          stdin=None if input is not None else subprocess.DEVNULL, **popen)


def must(*args: str, env: dict | None = None, input: str | None = None) -> str:
    done = run(*args, env=env, input=input)
    assert done.returncode == 0, (args, done.returncode, done.stdout, done.stderr)
    return done.stdout


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def integrity(path: Path) -> list[str]:
    """SQLite's own verdict, through a plain sqlite3 connection (not runlog's code)."""
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def count_entries(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()


def write_runlog_csv(path: Path, rows: int, *, first: int = 0, year: int = 2015) -> Path:
    """A runlog-format CSV (header = ENTRY_KEYS) of `rows` distinct runs, written with the
    csv module directly so that 200,000 rows take about a second. Uuids are unique (and
    disjoint for disjoint `first` ranges); dates are long before anything `add` logs."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(ENTRY_KEYS)
        for n in range(first, first + rows):
            writer.writerow((
                "",
                str(uuid.UUID(int=n + 1)),
                f"{year + n % 9}-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00+01:00",
                "run",
                5 + n % 20,
                1500 + n % 3000,
                "",
                1 + n % 5,
                1 + (n * 3) % 5,
                "",
                "joy;relief" if n % 3 == 0 else "",
                "",
                1 + n % 10,
                n % 11,
                "",
                "",
                f"run {n}",
                "park" if n % 2 else "",
            ))
    return path


def build_real_log(root: Path) -> tuple[Path, dict]:
    """A realistic runlog database made by the real console script: a few hundred imported
    runs, runs with emotions, tags and notes, a rest day, a pre-run check-in taken up by a
    run, a custom emotion and an entry in the trash. Returns (path, environment)."""
    root.mkdir(parents=True, exist_ok=True)
    db = root / "data" / "runlog.db"
    env = isolated_env(root, db=db)
    must("import", str(write_runlog_csv(root / "history.csv", 300)), env=env)
    must("add", "10k", "55:00", "-d", "2026-11-01 07:30", "-b", "2", "-a", "4", "-f",
         "sad,relieved", "--cried", "during", "--tag", "long", "-n", "cried at the bridge",
         env=env)
    must("rest", "-d", "2026-11-02", "--mood", "2", "--felt", "guilty", "-n", "legs heavy",
         env=env)
    must("emotions", "add", "awe", "--valence", "positive", env=env)
    must("start", "--before", "2", "--intention", "let the argument go", env=env)
    must("add", "5k", "28:30", "-a", "5", "-f", "awe", "--pain", "3", "--where", "left knee",
         env=env)
    must("delete", "1", "--yes", env=env)
    assert not Path(f"{db}-wal").exists(), "the log must be one self-contained file"
    return db, env
