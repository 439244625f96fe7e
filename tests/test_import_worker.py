"""The second process that reads and prepares large files while the first one writes."""

from __future__ import annotations

import csv
import sys

import pytest

from helpers import SPEC_ENTRY_KEYS, assert_refused, db_state, invoke, ok, sql
from runlog.errors import InputError
from runlog.interchange import read
from runlog.store import importer
from runlog.store.import_worker import prepared_elsewhere
from runlog.store.importer import prepare
from runlog.vocab import BUILTIN_EMOTIONS

CREATED = "2026-11-21T17:00:00+00:00"


def varied_csv(path, rows: int, bad_row: int | None = None):
    """A runlog CSV whose rows leave different columns empty; row `bad_row` has month 13."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(SPEC_ENTRY_KEYS)
        for n in range(rows):
            day = f"2025-{13 if n == bad_row else n % 12 + 1:02d}-{n % 28 + 1:02d}"
            cells = {
                "uuid": f"u-{n}",
                "date": day if n % 5 == 0 else f"{day}T07:{n % 60:02d}:00+01:00",
                "kind": "run", "distance_km": f"{3 + n % 10}.5", "duration_s": str(1500 + n),
                "mood_before": str(n % 5 + 1), "mood_after": str((n + 2) % 5 + 1),
                "emotions": "joy;relief" if n % 3 == 0 else "",
                "cried": "during" if n % 4 == 0 else "",
                "effort": str(n % 10 + 1) if n % 7 == 0 else "",
                "note": 'a, "quoted"\nnote' if n % 11 == 0 else "",
                "tags": "park" if n % 2 else "",
            }
            writer.writerow([cells.get(key, "") for key in SPEC_ENTRY_KEYS])
    return path


@pytest.mark.parametrize("sample", [None, "strava/Strava-Activity-Map/activities.csv",
                                    "daylio/test_data.csv",
                                    "../gpx/offset_run.gpx"])  # ours, beside the samples
def test_the_worker_prepares_exactly_what_this_process_would(tmp_path, samples, sample):
    path = varied_csv(tmp_path / "varied.csv", 4500) if sample is None else samples / sample
    vocabulary = dict(BUILTIN_EMOTIONS)
    here = list(prepare(read(path), vocabulary, CREATED))
    elsewhere = list(prepared_elsewhere(path, "auto", mood_map={}, units="km",
                                        vocabulary=vocabulary, created=CREATED))
    assert elsewhere == here
    assert sum(chunk.records for chunk in here) > 0


def test_the_worker_reports_bad_rows_as_this_process_would(tmp_path):
    path = varied_csv(tmp_path / "varied.csv", 2500, bad_row=2400)
    vocabulary = dict(BUILTIN_EMOTIONS)
    elsewhere = list(prepared_elsewhere(path, "csv", mood_map={}, units="km",
                                        vocabulary=vocabulary, created=CREATED))
    assert elsewhere == list(prepare(read(path), vocabulary, CREATED))
    rejected = [problem for chunk in elsewhere for problem in chunk.rejected]
    assert len(rejected) == 1 and "2025-13-" in rejected[0][1], rejected


def test_a_file_gone_before_the_worker_reads_it_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(prepared_elsewhere(tmp_path / "gone.csv", "auto", mood_map={}, units="km",
                                vocabulary={}, created=CREATED))


def test_without_a_working_second_process_the_file_is_read_here(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # starts, then ends at once
    result = ok("import", str(varied_csv(tmp_path / "varied.csv", 50)))
    assert "added 50," in result.stderr
    assert sql("SELECT count(*) FROM entries") == [(50,)]


def test_a_worker_that_dies_midway_fails_the_import_with_one_line_and_writes_nothing(
        tmp_path, monkeypatch):
    ok("add", "5k", "28:30", "--date", "2026-11-20")
    before = db_state()
    dying = tmp_path / "dying-worker"
    dying.write_text(
        f"#!{sys.executable}\n"
        "import pickle, sys\n"
        "from runlog.store.importer import Prepared\n"
        "pickle.load(sys.stdin.buffer)\n"
        "pickle.dump(('chunk', Prepared(records=1)), sys.stdout.buffer)\n"
        "sys.stdout.flush()\n"
        "sys.exit(3)\n", encoding="utf-8")
    dying.chmod(0o755)
    monkeypatch.setattr(importer, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(sys, "executable", str(dying))
    result = invoke("import", str(varied_csv(tmp_path / "varied.csv", 50)))
    assert_refused(result, 1, "varied.csv", "stopped unexpectedly (exit code 3)")
    assert db_state() == before


def test_small_files_are_prepared_here_and_large_ones_by_the_worker(tmp_path, monkeypatch):
    started = []
    from runlog.store import import_worker

    real = import_worker.prepared_elsewhere
    monkeypatch.setattr(import_worker, "prepared_elsewhere",
                        lambda *args, **kwargs: started.append(args[0]) or real(*args, **kwargs))
    small = varied_csv(tmp_path / "small.csv", 30)
    monkeypatch.setattr(importer, "PARALLEL_FROM_BYTES", small.stat().st_size + 1)
    ok("import", str(small))
    assert started == []
    large = varied_csv(tmp_path / "large.csv", 60)
    ok("import", str(large))
    assert [str(path) for path in started] == [str(large)]
    # the small file's 30 rows are the large one's first 30
    assert sql("SELECT count(*) FROM entries") == [(60,)]


def test_the_worker_runs_this_runlog_even_beside_a_folder_named_runlog(tmp_path, monkeypatch):
    decoy = tmp_path / "here" / "runlog"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise SystemExit(9)\n", encoding="utf-8")
    monkeypatch.chdir(decoy.parent)
    monkeypatch.setattr(importer, "PARALLEL_FROM_BYTES", 0)

    def not_here(*args, **kwargs):
        raise AssertionError("the file was read in this process, not by the worker")

    monkeypatch.setattr(importer, "import_records", not_here)
    varied_csv(decoy.parent / "varied.csv", 40)
    result = ok("import", "varied.csv")  # a relative path, from the folder it is in
    assert "added 40," in result.stderr
