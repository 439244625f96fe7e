"""Every test runs with its own data, config and home folders, never the real ones."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


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


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside the checkout")
    return SAMPLES
