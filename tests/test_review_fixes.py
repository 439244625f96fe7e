"""Regression tests for faults found in review: each names what used to go wrong."""

from __future__ import annotations

import os

import pytest

from helpers import Clock, assert_refused, db_path, invoke, local, ok, ok_json


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    clock = Clock(local(2026, 11, 21, 18, 0))
    monkeypatch.setattr("runlog.clock.now", clock)
    return clock


def test_config_set_mends_a_value_that_stops_every_command(isolated_home):
    config = isolated_home / "config" / "runlog" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('units = "miles"\nweek_start = "sunday"\n', encoding="utf-8")
    assert_refused(invoke("add", "5", "30:00"), 1, "units")
    ok("config", "set", "units", "mi")
    assert ok_json("config", "list") == {"units": "mi", "week_start": "sunday",
                                         "dayfirst": False}


@pytest.mark.parametrize("blank", [["--intention", "  "], ["--felt", ","]])
def test_a_blank_start_is_refused_and_keeps_the_waiting_check_in(blank):
    ok("start", "--before", "awful", "--intention", "let it go")
    assert_refused(invoke("start", *blank), 2, "say how you feel")
    run = ok_json("add", "5k", "30:00")
    assert (run["mood_before"], run["intention"]) == (1, "let it go")


def test_purging_a_run_does_not_reopen_its_check_in():
    ok("start", "--before", "awful", "--intention", "let it go")
    ok("add", "5k", "30:00")
    ok("delete", "1", "--yes")
    ok("purge", "--yes")
    later = ok_json("add", "3k", "20:00")
    assert (later["mood_before"], later["intention"]) == (None, None)


def test_a_prompt_error_with_brackets_is_shown_not_parsed(monkeypatch):
    answers = iter(["", "[/red]", "4", "", ""])
    monkeypatch.setattr("runlog.cli.add.interactive", lambda no_input: True)
    monkeypatch.setattr("rich.prompt.Prompt.ask", lambda *a, **k: next(answers))
    result = ok("add", "5k", "30:00")
    assert "[/red]" in result.stderr  # the refusal quoted the answer, as text
    assert ok_json("show", "1")["mood_after"] == 4


@pytest.mark.parametrize("editor", ["no-such-editor-anywhere", "vim '"])
def test_an_editor_that_cannot_start_is_bad_input(editor):
    assert_refused(invoke("add", "5k", "30:00", "--edit", env={"EDITOR": editor}), 2,
                   "editor")
    assert not db_path().exists()


def test_refusals_on_a_fresh_install_create_no_database():
    assert_refused(invoke("emotions", "add", "joy", "--valence", "positive"), 2, "already")
    ok("start", "--cancel")
    assert not db_path().exists()


def test_a_dry_run_import_keeps_a_folder_the_user_made(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    source = tmp_path / "runs.ndjson"
    source.write_text('{"uuid": "u1", "date": "2026-11-01", "kind": "run", '
                      '"distance_km": 5}\n', encoding="utf-8")
    ok("--db", str(folder / "x.db"), "import", "--dry-run", str(source))
    assert folder.is_dir() and not (folder / "x.db").exists()


def test_a_failed_edit_hands_back_the_edited_entry(monkeypatch):
    ok("add", "5k", "30:00")

    def broken_update(*args, **kwargs):
        from runlog.errors import StorageError

        raise StorageError("the disk is full")

    monkeypatch.setattr("runlog.store.Store.update", broken_update)
    result = invoke("edit", "1", "--after", "great")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    import json

    assert json.loads(lines[0])["mood_after"] == 5
    assert "runlog edit" in lines[1] and lines[-1].startswith("Error: ")
    assert ok_json("show", "1")["mood_after"] is None


def test_ctrl_c_in_a_later_file_says_what_was_kept(tmp_path, monkeypatch):
    from runlog.store import importer

    first, second = tmp_path / "a.ndjson", tmp_path / "b.ndjson"
    first.write_text('{"uuid": "a1", "date": "2026-11-01", "kind": "run", "distance_km": 5}\n',
                     encoding="utf-8")
    second.write_text('{"uuid": "b1", "date": "2026-11-02", "kind": "run", "distance_km": 6}\n',
                      encoding="utf-8")
    real = importer.import_records
    calls = []

    def interrupted_second_time(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "import_records", interrupted_second_time)
    result = invoke("import", str(first), str(second))
    assert result.exit_code == 130
    last = result.stderr.splitlines()[-1]
    assert "b.ndjson, which was not imported: 1 of 2 files imported, the rest not" in last, last
    assert [entry["uuid"] for entry in ok_json("list")] == ["a1"]


def test_ctrl_c_during_an_import_into_a_fresh_log_leaves_no_database(tmp_path, monkeypatch):
    from runlog.store import importer

    source = tmp_path / "a.ndjson"
    source.write_text('{"uuid": "a1", "date": "2026-11-01", "kind": "run", "distance_km": 5}\n',
                      encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "import_records", interrupted)
    fresh = tmp_path / "new" / "runlog.db"
    result = invoke("--db", str(fresh), "import", str(source))
    assert result.exit_code == 130
    assert "Interrupted" in result.stderr and "Traceback" not in result.stderr
    # the folder runlog made is left, empty: another runlog may be about to use it
    assert not fresh.exists() and list(fresh.parent.iterdir()) == []
