"""A large import takes the fast paths (a second process prepares the rows; into an empty
log the indexes are built once at the end) and must keep every rule of the small one:
journal text comes back exactly as the file has it, and an activity already in the log
from another source is still recognised (issue 11, items 7 and 12).

Expected values come from reading the file with the csv module, not from runlog."""

from __future__ import annotations

import csv
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from relsupport import count_entries, isolated_env, must, run, sha256

from runlog.model import ENTRY_KEYS
from runlog.store.importer import PARALLEL_FROM_BYTES

FIT = (Path(__file__).resolve().parents[1] / "data" / "samples" / "fit"
       / "2022-05-29-15-53-35_Laufen_Landal_Park.fit")
FIT_START = datetime(2022, 5, 29, 15, 53, 35, tzinfo=timezone.utc)  # its session's start_time
NOTES = ("Legs heavy at first, then they woke up.", 'Coach said "easy", so: easy.',
         "Café stop — naïve, I know.\nTomorrow: rest.", "Über windy; Gegenwind all the way.",
         "Quiet streets 🙂, frost on the grass", "Knee twinged at 5 km, eased off")
EMOTIONS = ("joy", "relief", "calm", "pride", "sadness", "anxiety", "tiredness", "hope")
TAGS = ("easy", "long-run", "tempo", "trail")


def _journal_csv(path: Path, *, extra: list[list] = ()) -> list[list]:
    """A runlog CSV of journal runs, every two hours from 2010, past the size from which a
    second process prepares the rows; `extra` rows go last. Returns the rows written."""
    rng = random.Random(5)
    start = datetime(2010, 1, 1, 6, 0, tzinfo=timezone(timedelta(hours=1)))
    rows, n = [], 0
    size = 0
    while size < PARALLEL_FROM_BYTES + (1 << 20):
        row = ["", str(uuid.UUID(int=rng.getrandbits(128))),
               (start + timedelta(hours=2 * n)).isoformat(), "run",
               f"{rng.uniform(3, 20):.3f}", str(rng.randint(1200, 7000)), "",
               str(rng.randint(1, 5)), str(rng.randint(1, 5)), "",
               ";".join(rng.sample(EMOTIONS, 2)), "", str(rng.randint(1, 10)), "", "",
               "negative split", rng.choice(NOTES), rng.choice(TAGS)]
        rows.append(row)
        size += sum(len(cell.encode()) for cell in row) + 40
        n += 1
    rows.extend(extra)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(ENTRY_KEYS)
        writer.writerows(rows)
    assert path.stat().st_size >= PARALLEL_FROM_BYTES
    return rows


def _exported(env) -> list[dict]:
    out = must("export", "--format", "csv", env=env)
    return list(csv.DictReader(out.splitlines(keepends=True)))


def _summary(stderr: str, path: Path) -> str:
    (line,) = [line for line in stderr.splitlines() if line.startswith(f"{path}: ")]
    return line


@pytest.mark.parametrize("into", ["a new log", "a log with entries"])
def test_a_large_journal_import_keeps_every_text_as_the_file_has_it(tmp_path, into):
    env = isolated_env(tmp_path)
    big = tmp_path / "journal.csv"
    rows = _journal_csv(big)
    if into == "a log with entries":
        must("import", str(FIT), env=env)
    done = run("import", str(big), env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"added {len(rows)}, skipped 0 as duplicates" in _summary(done.stderr, big)
    exported = {row["uuid"]: row for row in _exported(env)}
    for row in rows[::97] + rows[-3:]:
        got = exported[row[1]]
        assert (got["date"], got["emotions"], got["intention"], got["note"], got["tags"],
                got["effort"]) == (row[2], row[10], row[15], row[16], row[17], row[12])
    assert count_entries(tmp_path / "runlog.db") == len(rows) + (into != "a new log")


def test_a_large_import_into_a_log_still_knows_the_same_run_from_another_source(tmp_path):
    env = isolated_env(tmp_path)
    must("import", str(FIT), env=env)  # 3.32 km from 2022-05-29 15:53:35 UTC

    def at(seconds: int) -> str:
        return (FIT_START + timedelta(seconds=seconds)).astimezone(
            timezone(timedelta(hours=2))).isoformat()

    def planted(number: int, seconds: int, distance_km: str) -> list:
        return ["", f"00000000-0000-4000-8000-{number:012d}", at(seconds), "run", distance_km,
                "1428", "", "", "", "", "", "", "", "", "", "", "", ""]

    big = tmp_path / "journal.csv"
    rows = _journal_csv(big, extra=[
        planted(1, 0, "3.821"),  # the same second, 15 % longer (another app's GPS)
        planted(2, 40, ""),      # no distance, 40 s later
        planted(3, 90, ""),      # no distance, 90 s later: another run
    ])
    log = tmp_path / "runlog.db"
    done = run("import", str(big), env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"added {len(rows) - 2}, skipped 2 as duplicates" in _summary(done.stderr, big)
    assert count_entries(log) == len(rows) - 2 + 1
    kept = {row["uuid"] for row in _exported(env)}
    assert "00000000-0000-4000-8000-000000000003" in kept
    assert not kept & {"00000000-0000-4000-8000-000000000001",
                       "00000000-0000-4000-8000-000000000002"}
    # and the same file again adds nothing and writes nothing
    before = sha256(log)
    again = run("import", str(big), env=env, timeout=300)
    assert again.returncode == 0 and "added 0," in _summary(again.stderr, big)
    assert sha256(log) == before
