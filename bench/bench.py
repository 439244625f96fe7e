"""Start-up and throughput benchmarks for runlog, as ratios to the bare interpreter.

Each case runs interleaved with `python -c "import sqlite3"` (the same interpreter), so
machine noise hits both alike; the ratio is median(case) / median(floor).

    python bench/bench.py                 # every case
    python bench/bench.py add list        # only these
    python bench/bench.py --pairs 25      # more pairs for steadier medians
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

FLOOR = [sys.executable, "-c", "import sqlite3"]


def runlog_command() -> list[str]:
    script = Path(sys.executable).with_name("runlog")
    return [str(script)] if script.exists() else [sys.executable, "-m", "runlog"]


def make_log(path: Path, count: int, seed: int = 7) -> None:
    """`count` runs ending today: one a day, or for big logs several a day over ten years."""
    if count > 20_000:
        return make_big_log(path, count, seed)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from runlog.model import Entry
    from runlog.store import Store

    rng = random.Random(seed)
    emotions = ["joy", "relief", "sadness", "grief", "calm", "stress", "pride", "anxiety"]
    today = datetime.now().astimezone().replace(hour=7, minute=30, second=0, microsecond=0)
    store = Store.open(path)
    with store.transaction():
        for n in range(count):
            day = today - timedelta(days=count - 1 - n)
            distance = rng.uniform(2000, 21000)
            before = rng.randint(1, 5)
            store.insert(Entry(
                uuid=str(uuid.UUID(int=rng.getrandbits(128))),
                date=day.isoformat(),
                kind="run",
                distance_m=round(distance, 1),
                duration_s=round(distance * rng.uniform(0.28, 0.40)),
                mood_before=before,
                mood_after=max(1, min(5, before + rng.randint(-1, 2))),
                emotions=tuple(rng.sample(emotions, rng.randint(0, 2))),
                cried=rng.choice([None, None, None, "during", "after"]),
            ))
    store.close()


def make_big_log(path: Path, count: int, seed: int) -> None:
    """Many entries fast: the store makes the schema, then plain executemany fills it."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from runlog.store import Store

    rng = random.Random(seed)
    store = Store.open(path)
    days = 3650
    today = datetime.now().astimezone().replace(hour=7, minute=0, second=0, microsecond=0)

    def rows():
        for n in range(count):
            when = today - timedelta(days=days - 1 - n * days // count, minutes=2 * (n % 600))
            distance = rng.uniform(2000, 21000)
            before = rng.randint(1, 5)
            text = when.isoformat()
            yield (n + 1, str(uuid.UUID(int=rng.getrandbits(128))), text, text[:10],
                   when.timestamp(), "run", round(distance, 1),
                   round(distance * rng.uniform(0.28, 0.40)), before,
                   max(1, min(5, before + rng.randint(-1, 2))),
                   rng.choice([None, None, None, "during"]), "2026-01-01T00:00:00+00:00")

    with store.transaction():
        store.conn.executemany(
            "INSERT INTO entries (id, uuid, date, day, start_ts, kind, distance_m, duration_s,"
            " mood_before, mood_after, cried, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows())
        store.conn.execute(
            "INSERT INTO entry_emotions (entry_id, emotion, position)"
            " SELECT id, CASE id % 4 WHEN 0 THEN 'joy' WHEN 1 THEN 'relief'"
            " WHEN 2 THEN 'sadness' ELSE 'calm' END, 0 FROM entries WHERE id % 3 = 0")
    store.close()


def compile_runlog() -> None:
    """Byte-compile runlog as `pip install` does, so an editable checkout (or a shell with
    PYTHONDONTWRITEBYTECODE set) is not timed recompiling its sources on every run."""
    import compileall

    package = Path(__file__).resolve().parents[1] / "runlog"
    compileall.compile_dir(str(package), quiet=1)


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode()[-500:]}")
    return elapsed


def ratio(command: list[str], env: dict, pairs: int) -> tuple[float, float, float]:
    """Interleaved runs; returns (median case s, median floor s, ratio)."""
    timed(command, env)  # warm the page cache and .pyc files
    timed(FLOOR, env)
    case_times, floor_times = [], []
    for _ in range(pairs):
        floor_times.append(timed(FLOOR, env))
        case_times.append(timed(command, env))
    case, floor = statistics.median(case_times), statistics.median(floor_times)
    return case, floor, case / floor


STARTUP_CASES = {
    # name: (arguments, entries in the log, target ratio)
    "add": (["add", "5k", "28:30", "--before", "2", "--after", "4", "--felt", "joy,relief",
             "--no-input"], 3650, 5.0),
    "list": (["list", "--limit", "20"], 3650, 7.0),
    "mood": (["mood", "--week"], 3650, 7.0),
    "mood-1m": (["mood", "--week"], 1_000_000, 30.0),
}


SQLITE_EXPORT = """
SELECT id, uuid, date, kind, distance_m / 1000.0, duration_s,
       duration_s / (distance_m / 1000.0), mood_before, mood_after, mood_after - mood_before,
       (SELECT group_concat(emotion, ';') FROM
           (SELECT emotion FROM entry_emotions WHERE entry_id = e.id ORDER BY position)),
       cried, effort, pain, pain_where, intention, note,
       (SELECT group_concat(tag, ';') FROM
           (SELECT tag FROM tags WHERE entry_id = e.id ORDER BY position))
FROM entries e WHERE deleted_at IS NULL ORDER BY day, date, id
"""

# Runs a command and prints its peak memory: ru_maxrss of a child is only its own when the
# parent that reads it stayed small, so a tiny Python process does the reading.
PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)")


def export_case(workdir: Path, size: int, pairs: int) -> bool:
    """`runlog export --format csv` against `sqlite3 -csv` selecting the same rows."""
    if shutil.which("sqlite3") is None:
        print("export-1m: skipped, the sqlite3 command-line shell is not installed")
        return True
    database = workdir / f"export-{size}.db"
    make_log(database, size)
    env = {**os.environ, "RUNLOG_DB": str(database), "HOME": str(workdir),
           "XDG_CONFIG_HOME": str(workdir / "config")}
    runlog_export = runlog_command() + ["export", "--format", "csv", "-o",
                                        str(workdir / "out.csv")]
    sqlite_export = ["sqlite3", "-csv", str(database), SQLITE_EXPORT]
    os.sync()  # the setup's writes are flushed now, not during the timed runs
    runlog_times, sqlite_times = [], []
    for _ in range(pairs):
        sqlite_times.append(timed(sqlite_export, env))
        runlog_times.append(timed(runlog_export, env))
    peak = subprocess.run([sys.executable, "-c", PEAK, *runlog_export], env=env,
                          capture_output=True, text=True, check=True).stdout.strip()
    case, floor = statistics.median(runlog_times), statistics.median(sqlite_times)
    ok = case / floor <= 2.5 and int(peak) <= 100
    print(f"export   {size:>10,}{case * 1000:>11.0f}{floor * 1000:>10.0f}{case / floor:>7.2f}x"
          f"{2.5:>7.1f}x  {'yes' if ok else 'NO'}   (floor: sqlite3 -csv; peak {peak} MiB,"
          " target 100)")
    return ok


def import_case(workdir: Path, size: int, pairs: int) -> bool:
    """`runlog import` of a runlog CSV into an empty log, in rows per second."""
    source = workdir / f"source-{size}.db"
    make_log(source, size)
    csv_file = workdir / f"import-{size}.csv"
    env = {**os.environ, "HOME": str(workdir), "XDG_CONFIG_HOME": str(workdir / "config")}
    subprocess.run(runlog_command() + ["--db", str(source), "export", "-o", str(csv_file)],
                   env=env, check=True, stderr=subprocess.DEVNULL)
    os.sync()  # the setup's writes are flushed now, not during the timed runs
    rates = []
    for n in range(pairs):
        target = workdir / f"import-{n}.db"
        seconds = timed(runlog_command() + ["--db", str(target), "import", str(csv_file)], env)
        rates.append(size / seconds)
        for leftover in workdir.glob(f"import-{n}.db*"):
            leftover.unlink()
    rate = statistics.median(rates)
    ok = rate >= 100_000
    print(f"import   {size:>10,}{size / rate * 1000:>11.0f}{'':>10}{rate:>8,.0f}/s"
          f"  ≥100,000/s  {'yes' if ok else 'NO'}   (runs: "
          + ", ".join(f"{r:,.0f}/s" for r in rates) + ")")
    return ok


THROUGHPUT_CASES = {"export-1m": (export_case, 1_000_000), "import-1m": (import_case, 1_000_000)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*",
                        help=f"from: {', '.join([*STARTUP_CASES, *THROUGHPUT_CASES])}")
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args()
    chosen = args.cases or [*STARTUP_CASES, *THROUGHPUT_CASES]
    compile_runlog()
    workdir = Path(tempfile.mkdtemp(prefix="runlog-bench-"))
    try:
        print(f"python {sys.version.split()[0]}, {args.pairs} interleaved pairs, medians")
        print(f"{'case':<8}{'entries':>10}{'runlog ms':>11}{'floor ms':>10}{'ratio':>8}"
              f"{'target':>8}  ok")
        failed = False
        for name in chosen:
            if name in THROUGHPUT_CASES:
                case_function, size = THROUGHPUT_CASES[name]
                failed |= not case_function(workdir, size, min(args.pairs, 5))
                continue
            arguments, size, target = STARTUP_CASES[name]
            database = workdir / f"{name}-{size}.db"
            make_log(database, size)
            env = {**os.environ, "RUNLOG_DB": str(database), "HOME": str(workdir),
                   "XDG_CONFIG_HOME": str(workdir / "config"), "NO_COLOR": "1"}
            case, floor, times = ratio(runlog_command() + arguments, env, args.pairs)
            ok = times <= target
            failed |= not ok
            print(f"{name:<8}{size:>10,}{case * 1000:>11.1f}{floor * 1000:>10.1f}"
                  f"{times:>7.2f}x{target:>7.1f}x  {'yes' if ok else 'NO'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
