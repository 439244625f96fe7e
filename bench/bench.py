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
from datetime import datetime, timedelta, timezone
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


# What a journal holds: built-in emotions, a few intentions and tags, and notes as people
# write them (a sentence or two; commas, quotes, a line break now and then, other scripts).
JOURNAL_EMOTIONS = ("joy", "pride", "relief", "calm", "gratitude", "hope", "excitement",
                    "contentment", "energy", "sadness", "grief", "anxiety", "stress",
                    "frustration", "tiredness", "loneliness", "nostalgia")
JOURNAL_INTENTIONS = ("easy recovery", "tempo 3x10 min", "just get out the door",
                      "long and slow", "strides at the end", "clear my head",
                      "run with the club", "hill repeats", "no watch, by feel",
                      "negative split", "test the new shoes", "breathe through it")
JOURNAL_TAGS = ("easy", "long-run", "tempo", "intervals", "race", "trail", "commute",
                "recovery", "hills", "club", "treadmill", "morning")
JOURNAL_OPENINGS = (
    "Legs heavy at first, then they woke up.",
    "Rain the whole way, but I didn't mind.",
    "Felt strong on the hills, weak on the flat.",
    'Coach said "keep it easy", so I did, mostly.',
    "Couldn't stop thinking about work.",
    "Cried a little at the turnaround; it helped.",
    "Ran past the old house, all those memories.",
    "Café stop at km 8 — naïve of me to think I'd skip it.",
    "Über windy by the river, Gegenwind the whole way back.",
    "Ça allait mieux après le pont.",
    "Quiet streets, frost on the grass, 🙂 all the way.",
    "Knee twinged around 5 km, eased off, it settled.",
    "New shoes: too soft? Too early to say.",
    "Slept badly, ran anyway, glad I did.",
)
JOURNAL_CLOSINGS = (
    "", "", "Good day.", "Tomorrow: rest.", "Need to eat better before long ones.",
    "Next time, start slower.", "Grateful for this body, aches and all.",
    "Watch said 5:12/km, felt like 4:40.", "Felt like the old days.",
    "Note to self: \"enough\" is a pace too.", "Mum called halfway, walked 2 min.",
)


def write_journal_csv(path: Path, count: int, *, seed: int = 11, sparse: bool = False) -> None:
    """A runlog CSV of `count` runs over the last ten years (oldest first). Journal rows
    (`sparse` False): most runs have two emotions, a note of a sentence or two (some with
    commas, quotes, a line break, other scripts), an intention and a tag, as a kept journal
    has; sparse rows have moods, an emotion on a third of them, and no text."""
    import csv

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from runlog.model import ENTRY_KEYS

    rng = random.Random(seed)
    start = datetime(2016, 1, 1, 6, 0, tzinfo=timezone(timedelta(hours=1)))
    step_s = 3650 * 86400 // count
    choice, randint, uniform, random_ = rng.choice, rng.randint, rng.uniform, rng.random
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(ENTRY_KEYS)
        for n in range(count):
            when = (start + timedelta(seconds=n * step_s)).isoformat()
            distance_km = round(uniform(2, 21), 3)
            duration_s = round(distance_km * uniform(280, 400))
            before = randint(1, 5)
            after = max(1, min(5, before + randint(-1, 2)))
            row = ["", str(uuid.UUID(int=rng.getrandbits(128))), when, "run", distance_km,
                   duration_s, "", before, after, "", "", "", "", "", "", "", "", ""]
            if sparse:
                if n % 3 == 0:
                    row[10] = choice(JOURNAL_EMOTIONS)
            elif random_() < 0.85:
                row[10] = ";".join(rng.sample(JOURNAL_EMOTIONS, 2))
                row[12] = randint(3, 9)  # effort
                note = choice(JOURNAL_OPENINGS)
                closing = choice(JOURNAL_CLOSINGS)
                if closing:
                    note += ("\n" if random_() < 0.1 else " ") + closing
                row[16] = note
                row[15] = choice(JOURNAL_INTENTIONS)
                row[17] = choice(JOURNAL_TAGS)
                if random_() < 0.1:
                    row[13], row[14] = randint(1, 4), choice(("left knee", "calf", "hip"))
                if random_() < 0.05:
                    row[11] = choice(("during", "after"))
            writer.writerow(row)


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


def journal_log(workdir: Path, size: int, env: dict) -> Path:
    """A log of `size` journal runs (`write_journal_csv`), made by importing them."""
    database = workdir / f"journal-{size}.db"
    if not database.exists():
        csv_file = journal_csv(workdir, size)
        subprocess.run(runlog_command() + ["--db", str(database), "import", str(csv_file)],
                       env=env, check=True, stderr=subprocess.DEVNULL)
    return database


def journal_csv(workdir: Path, size: int) -> Path:
    csv_file = workdir / f"journal-{size}.csv"
    if not csv_file.exists():
        write_journal_csv(csv_file, size)
    return csv_file


def export_case(workdir: Path, size: int, pairs: int, journal: bool = False) -> bool:
    """`runlog export --format csv` against `sqlite3 -csv` selecting the same rows."""
    name = "export-1m-journal" if journal else "export-1m"
    if shutil.which("sqlite3") is None:
        print(f"{name}: skipped, the sqlite3 command-line shell is not installed")
        return True
    env = {**os.environ, "HOME": str(workdir), "XDG_CONFIG_HOME": str(workdir / "config")}
    if journal:
        database = journal_log(workdir, size, env)
    else:
        database = workdir / f"export-{size}.db"
        make_log(database, size)
    env["RUNLOG_DB"] = str(database)
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
    print(f"{name:<18}{size:>10,}{case * 1000:>11.0f}{floor * 1000:>10.0f}{case / floor:>7.2f}x"
          f"{2.5:>7.1f}x  {'yes' if ok else 'NO'}   (floor: sqlite3 -csv; peak {peak} MiB,"
          " target 100)")
    return ok


def import_case(workdir: Path, size: int, pairs: int, journal: bool = False,
                existing: bool = False) -> bool:
    """`runlog import` of a runlog CSV, in rows per second: into an empty log, or into
    one that already holds ten years of runs (`existing`). Sparse rows are a log's export
    (moods, some emotions); journal rows are `write_journal_csv`'s."""
    name = "import-1m" + ("-journal" if journal else "") + ("-existing" if existing else "")
    env = {**os.environ, "HOME": str(workdir), "XDG_CONFIG_HOME": str(workdir / "config")}
    if journal:
        csv_file = journal_csv(workdir, size)
    else:
        csv_file = workdir / f"import-{size}.csv"
        if not csv_file.exists():
            source = workdir / f"source-{size}.db"
            make_log(source, size)
            subprocess.run(runlog_command() + ["--db", str(source), "export", "-o",
                                               str(csv_file)],
                           env=env, check=True, stderr=subprocess.DEVNULL)
    kept = workdir / "existing.db"
    if existing and not kept.exists():
        make_log(kept, 3650)  # ten years of daily runs ending today, beside the file's
    os.sync()  # the setup's writes are flushed now, not during the timed runs
    rates = []
    for n in range(pairs):
        target = workdir / f"import-{n}.db"
        if existing:
            shutil.copyfile(kept, target)
        seconds = timed(runlog_command() + ["--db", str(target), "import", str(csv_file)], env)
        rates.append(size / seconds)
        for leftover in workdir.glob(f"import-{n}.db*"):
            leftover.unlink()
    rate = statistics.median(rates)
    ok = rate >= 100_000
    print(f"{name:<18}{size:>10,}{size / rate * 1000:>11.0f}{'':>10}{rate:>8,.0f}/s"
          f"  ≥100,000/s  {'yes' if ok else 'NO'}   (runs: "
          + ", ".join(f"{r:,.0f}/s" for r in rates) + ")")
    return ok


THROUGHPUT_CASES = {
    "export-1m": (export_case, 1_000_000, {}),
    "export-1m-journal": (export_case, 1_000_000, {"journal": True}),
    "import-1m": (import_case, 1_000_000, {}),
    "import-1m-journal": (import_case, 1_000_000, {"journal": True}),
    "import-1m-journal-existing": (import_case, 1_000_000, {"journal": True, "existing": True}),
}


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
        print(f"{'case':<18}{'entries':>10}{'runlog ms':>11}{'floor ms':>10}{'ratio':>8}"
              f"{'target':>8}  ok")
        failed = False
        for name in chosen:
            if name in THROUGHPUT_CASES:
                case_function, size, options = THROUGHPUT_CASES[name]
                failed |= not case_function(workdir, size, min(args.pairs, 5), **options)
                continue
            arguments, size, target = STARTUP_CASES[name]
            database = workdir / f"{name}-{size}.db"
            make_log(database, size)
            env = {**os.environ, "RUNLOG_DB": str(database), "HOME": str(workdir),
                   "XDG_CONFIG_HOME": str(workdir / "config"), "NO_COLOR": "1"}
            case, floor, times = ratio(runlog_command() + arguments, env, args.pairs)
            ok = times <= target
            failed |= not ok
            print(f"{name:<18}{size:>10,}{case * 1000:>11.1f}{floor * 1000:>10.1f}"
                  f"{times:>7.2f}x{target:>7.1f}x  {'yes' if ok else 'NO'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
