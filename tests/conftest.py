"""Every test runs with its own data, config and home folders, never the real ones."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
# Real exports from other projects, copied with their licences (data/samples/NOTICE.md).
SAMPLES = DATA / "samples"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("RUNLOG_DB", str(tmp_path / "runlog.db"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    for name in ("RUNLOG_UNITS", "RUNLOG_DEBUG", "RUNLOG_NOW", "EDITOR", "VISUAL"):
        monkeypatch.delenv(name, raising=False)
    import time

    time.tzset()
    yield home
    monkeypatch.undo()
    time.tzset()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test (`rep_setup`, `rep_call`, `rep_teardown`), so a
    fixture's teardown can check only what is true for a test that ran and passed:
    `call = getattr(request.node, "rep_call", None)`, then `call is not None and call.passed`."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def samples() -> Path:
    """tests/data/samples, part of the checkout: missing is an error, never a skip."""
    if not (SAMPLES / "NOTICE.md").is_file():
        pytest.fail(f"the test data folder {SAMPLES} is missing or incomplete", pytrace=False)
    return SAMPLES
