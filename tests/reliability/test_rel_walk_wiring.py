import json

import pytest
from relsupport import isolated_env, must


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path)


def test_round_distances_in_miles_are_mile_numbers(env):
    must("--units", "mi", "add", "1.2k", "8:00", "-d", "2026-11-17", "--no-input", env=env)
    out = must("--units", "mi", "add", "1.7k", "11:00", "-d", "2026-11-18", "--no-input", env=env)
    assert "★ First time past 1 mi" in out, out
    stats = must("--units", "mi", "stats", env=env)
    assert "First time past 1 mi" in stats, stats
    assert "First time past 1 mi" not in must("--units", "km", "stats", env=env)


def test_a_run_after_a_longer_walk_is_the_longest_run_in_insights(env):
    must("add", "4k", "24:00", "-d", "2026-11-16", "--no-input", env=env)
    must("add", "12k", "2:30:00", "--kind", "walk", "-d", "2026-11-17", "--no-input", env=env)
    must("add", "8k", "48:00", "-d", "2026-11-18", "--no-input", env=env)
    found = json.loads(must("insights", "--as-of", "2026-11-20", "--json", env=env))
    messages = [f["message"] for f in found["findings"] if f["code"] == "milestone"]
    assert any(m.startswith("Longest run yet: 8.00 km") for m in messages), messages
    assert any(m.startswith("First time past 5K") for m in messages), messages
