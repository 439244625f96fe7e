"""Each insights warning ends with the help that fits it: a warning about mood points to
professional support and, in a crisis, local emergency services; a warning about the body
(pain, a jump in mileage) points to a physiotherapist or doctor and never to emergency
services. No finding reads as a diagnosis.

The real `runlog` process on a log imported from a generated runlog NDJSON file; `insights
--as-of` fixes the day looked at."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from relsupport import isolated_env, must

AS_OF = date(2026, 11, 20)
MOOD_LINE = ("Running can be part of healing, but it is not a substitute for professional "
             "support. If you are in crisis, contact your local emergency services.")
BODY_LINE = ("If something hurts or doesn't feel right, a physiotherapist or doctor is the "
             "right person to ask.")


def _run(n: int, days_ago: int, km: float, **fields) -> dict:
    return {"uuid": f"w-{n}", "date": f"{AS_OF - timedelta(days=days_ago)}T07:00:00+01:00",
            "kind": "run", "distance_km": km, "duration_s": round(km * 360), **fields}


def _worrying_log() -> list[dict]:
    """Six weeks of easy 3 km runs, then a last week of long painful runs with low moods:
    a mileage spike (warning), running through pain (warning) and a low mood streak
    (warning), with nothing else."""
    runs = []
    for days_ago in range(7, 42, 3):  # the history: about 3 runs a week of 3 km
        runs.append(_run(len(runs), days_ago, 3.0, mood_before=3, mood_after=2))
    for days_ago in (1, 3, 5):  # the last week: 15 km each, painful
        runs.append(_run(len(runs), days_ago, 15.0, mood_before=2, mood_after=1, pain=6))
    return runs


def _never_a_diagnosis(message: str) -> None:
    body = message.replace(MOOD_LINE, "").replace(BODY_LINE, "").lower()
    for word in ("injur", "diagnos", "disorder", "depress", "you have", "you are"):
        assert word not in body, word


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    root = tmp_path_factory.mktemp("warnings")
    env = isolated_env(root)
    path = root / "log.ndjson"
    path.write_text("".join(json.dumps(row) + "\n" for row in _worrying_log()),
                    encoding="utf-8")
    must("import", str(path), env=env)
    as_json = json.loads(must("insights", "--as-of", AS_OF.isoformat(), "--json", env=env))
    # The terminal text wraps at the width; the words are compared with spaces collapsed.
    text = " ".join(must("insights", "--as-of", AS_OF.isoformat(), env=env).split())
    return {f["code"]: f for f in as_json["findings"]}, text


def test_only_the_mood_warning_carries_emergency_services(findings):
    by_code, text = findings
    warnings = {code for code, f in by_code.items() if f["severity"] == "warning"}
    assert warnings == {"mileage_spike", "running_through_pain", "low_mood_streak"}
    message = by_code["low_mood_streak"]["message"]
    assert message.splitlines()[-1] == MOOD_LINE
    assert "physiotherapist" not in message
    assert [code for code in warnings if "emergency" in by_code[code]["message"]] == [
        "low_mood_streak"]
    assert text.count("emergency services") == 1
    _never_a_diagnosis(message)


@pytest.mark.parametrize("code", ["running_through_pain", "mileage_spike"])
def test_a_body_warning_points_to_a_physiotherapist_or_doctor_not_emergency_services(
        findings, code):
    by_code, _ = findings
    message = by_code[code]["message"]
    assert message.splitlines()[-1] == BODY_LINE
    assert message.count(BODY_LINE) == 1
    assert "emergency" not in message.lower() and "crisis" not in message.lower()
    _never_a_diagnosis(message)


def test_the_text_output_says_the_body_line_once_per_body_warning(findings):
    _, text = findings
    assert text.count(BODY_LINE) == 2
