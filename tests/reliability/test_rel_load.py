"""Many runlogs at once: writers and readers interleaved never fail.

(Twenty `runlog add`s started at the same moment on a fresh database is
tests/test_subprocess.py::test_twenty_adds_at_once_on_a_fresh_database_all_succeed.)
"""

from __future__ import annotations

import json
import os
import threading

from helpers import db_path
from relsupport import count_entries, integrity, run

WRITERS = 4
ADDS_EACH = 10


def test_four_writers_and_a_list_loop_interleaved_never_fail():
    env = dict(os.environ)
    writes: list[tuple[int, int, str, str]] = []
    reads: list[tuple[int, str, str]] = []
    writers_done = threading.Event()

    def writer(number: int) -> None:
        for n in range(ADDS_EACH):
            done = run("add", f"{number + 1}.{n + 1}k", f"{20 + n}:00", "--note",
                       f"writer {number} run {n}", "--tag", f"w{number}", env=env)
            writes.append((number, done.returncode, done.stdout, done.stderr))

    def reader() -> None:
        # Keeps reading while the writers write, then once more when they are done.
        while True:
            finished = writers_done.is_set()
            done = run("list", "--json", "--limit", "1000", env=env)
            reads.append((done.returncode, done.stdout, done.stderr))
            if finished:
                return

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    reading = threading.Thread(target=reader)
    reading.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    writers_done.set()
    reading.join(timeout=120)

    assert len(writes) == WRITERS * ADDS_EACH
    failed = [(w, code, err) for w, code, _, err in writes if code != 0 or err]
    assert not failed, failed
    assert all(out.startswith("Logged #") for _, _, out, _ in writes)
    assert len(reads) >= 3, "the reader never overlapped the writers"
    counts = []
    for code, out, err in reads:
        assert (code, err) == (0, ""), (code, err)
        listed = json.loads(out)  # every read is one whole JSON document
        ids = [entry["id"] for entry in listed]
        assert len(ids) == len(set(ids))
        counts.append(len(listed))
    # Each add commits whole, so a reader sees the log only grow, one entry at a time.
    assert counts == sorted(counts), counts
    assert any(0 < count < WRITERS * ADDS_EACH for count in counts), "no read between writes"
    assert counts[-1] == WRITERS * ADDS_EACH
    assert count_entries(db_path()) == WRITERS * ADDS_EACH
    final = json.loads(reads[-1][1])
    assert sorted(e["note"] for e in final) == sorted(
        f"writer {w} run {n}" for w in range(WRITERS) for n in range(ADDS_EACH))
    assert integrity(db_path()) == ["ok"]
