"""`runlog mood --chart` fits the terminal it is drawn on, and every mean runlog shows is
rounded a half away from zero on its exact value (1.25 → 1.3, -1.25 → -1.3, 2.45 → 2.5,
1.15 → 1.2: not the binary float's 1.1), with the chart's dot on the mean as shown.

The real `runlog` process, piped or on a pseudo-terminal; the means are checked against an
independent computation with exact fractions."""

from __future__ import annotations

import csv
import random
import re
import subprocess
import uuid
from datetime import date, timedelta
from fractions import Fraction
from math import floor
from pathlib import Path

import pexpect
import pytest

from relsupport import RUNLOG, isolated_env, must

NOW = "2026-11-30T12:00:00+01:00"
STYLE = re.compile(r"\x1b\[[0-9;]*m")
FIRST_MONDAY = date(2025, 1, 6)


@pytest.fixture
def env(tmp_path):
    return isolated_env(tmp_path, RUNLOG_NOW=NOW)


def half_away(value: Fraction, digits: int) -> str:
    """The exact value rounded to `digits` decimals, a half away from zero, by hand."""
    scaled = floor(abs(value) * 10 ** digits + Fraction(1, 2))
    whole, part = divmod(scaled, 10 ** digits)
    text = f"{whole}.{part:0{digits}d}" if digits else str(whole)
    return ("-" if value < 0 and scaled else "") + text


def signed(value: Fraction, digits: int) -> str:
    text = half_away(value, digits)
    return text if text.startswith("-") else "+" + text


def write_weeks(path: Path, weeks: list[list[tuple[int, int, float]]],
                names: list[str], first: date = FIRST_MONDAY) -> Path:
    """One week of runs (before, after, km) per item, from FIRST_MONDAY on, each week's runs
    naming that week's emotion; written with the csv module, not runlog's code."""
    from runlog.model import ENTRY_KEYS

    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=ENTRY_KEYS, lineterminator="\r\n")
        writer.writeheader()
        serial = 0
        for week, runs in enumerate(weeks):
            for n, (before, after, km) in enumerate(runs):
                serial += 1
                day = first + timedelta(days=7 * week + n % 7)
                writer.writerow({
                    "uuid": str(uuid.UUID(int=serial)), "kind": "run",
                    "date": f"{day.isoformat()}T{6 + n % 14:02d}:{n % 60:02d}:00+01:00",
                    "distance_km": km, "duration_s": int(km * 360),
                    "mood_before": before, "mood_after": after, "emotions": names[week],
                })
    return path


def chosen_weeks(seed: int) -> list[list[tuple[int, int, float]]]:
    """Weeks whose means land on .x5 exactly, and random ones (with 2, 4, 8 or 20 runs, whose
    means are often halves, quarters, eighths and twentieths)."""
    weeks = [
        [(1, 3, 5.0), (1, 3, 5.0), (2, 2, 5.0), (1, 3, 5.0)],      # before 1.25, after 2.75
        [(3, 2, 8.0), (3, 2, 4.0), (3, 1, 6.0), (3, 2, 5.0)],      # lift -1.25
        [(2, 3, 4.0)] * 9 + [(2, 2, 3.0)] * 11,                     # after 2.45
        [(1, 1, 10.0)] * 17 + [(1, 2, 10.0)] * 3,                   # after 1.15
        [(2, 1, 3.0), (3, 2, 3.0)],                                 # after 1.5, lift -1.0
    ]
    rng = random.Random(seed)
    for _ in range(10):
        count = rng.choice((2, 4, 8, 20))
        weeks.append([(rng.randint(1, 5), rng.randint(1, 5), rng.choice((3.0, 5.0, 10.5)))
                      for _ in range(count)])
    rng.shuffle(weeks)
    return weeks


def columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_means_round_half_away_from_zero_and_the_dot_sits_on_the_mean_shown(env, tmp_path,
                                                                            seed):
    weeks = chosen_weeks(seed)
    names = ["joy", "calm", "relief", "grief", "pride", "hope", "fear", "guilt", "anger",
             "focus", "shame", "love", "hurt", "panic", "freedom"][:len(weeks)]
    must("import", str(write_weeks(tmp_path / "weeks.csv", weeks, names)), env=env)
    last_sunday = FIRST_MONDAY + timedelta(days=7 * len(weeks) - 1)
    wide = {**env, "COLUMNS": "200"}
    shown = must("mood", "--week", "--since", FIRST_MONDAY.isoformat(), "--until",
                 last_sunday.isoformat(), "--chart", env=wide)
    table = [columns(line) for line in shown.splitlines()
             if re.match(r"\d{4}-W\d\d  ", line) and "█" not in line and "●" not in line]
    chart = [line.split() for line in shown.splitlines() if "●" in line]
    assert len(table) == len(chart) == len(weeks)

    for runs, row, drawn in zip(weeks, table, chart):
        count = len(runs)
        before = Fraction(sum(r[0] for r in runs), count)
        after = Fraction(sum(r[1] for r in runs), count)
        lift = after - before
        assert row[1] == str(count)
        assert row[4:7] == [half_away(before, 1), half_away(after, 1), signed(lift, 1)], (
            runs, row)
        dots, mean = drawn[-2], drawn[-1]
        assert mean == half_away(after, 1)
        assert dots.index("●") + 1 == int(half_away(Fraction(mean), 0)), drawn

    # the same means in `emotions` (one emotion a week) and the share that lifted in `stats`
    since = ("--since", FIRST_MONDAY.isoformat(), "--until", last_sunday.isoformat())
    feelings = {columns(line)[0].rstrip(" *"): columns(line) for line in
                must("emotions", *since, env=wide).splitlines()[1:] if "  " in line}
    total = sum(map(len, weeks))
    for name, runs in zip(names, weeks):
        lift = Fraction(sum(r[1] - r[0] for r in runs), len(runs))
        row = feelings[name]
        assert row[-1] == signed(lift, 1), (name, runs, row)
        assert row[3] == half_away(Fraction(100 * len(runs), total), 0) + "%", (name, row)
    lifted = sum(r[1] > r[0] for runs in weeks for r in runs)
    [line] = [line for line in must("stats", *since, env=wide).splitlines()
              if line.startswith("Runs that lifted")]
    assert line == f"Runs that lifted your mood: {half_away(Fraction(100 * lifted, total), 0)}%"


def test_the_exact_halves_read_as_the_issue_asks(env, tmp_path):
    weeks = [
        [(1, 1, 5.0), (1, 1, 5.0), (2, 1, 5.0), (1, 1, 5.0)],       # 1.25
        [(3, 2, 5.0), (3, 2, 5.0), (3, 1, 5.0), (3, 2, 5.0)],       # lift -1.25
        [(2, 3, 4.0)] * 9 + [(2, 2, 3.0)] * 11,                      # 2.45
        [(1, 1, 10.0)] * 17 + [(1, 2, 10.0)] * 3,                    # 1.15
    ]
    must("import", str(write_weeks(tmp_path / "w.csv", weeks, ["joy", "calm", "hope", "fear"])),
         env=env)
    shown = must("mood", "--since", FIRST_MONDAY.isoformat(), "--until",
                 (FIRST_MONDAY + timedelta(days=27)).isoformat(), "--chart", env=env)
    rows = [columns(line) for line in shown.splitlines()
            if re.match(r"\d{4}-W\d\d  ", line) and "●" not in line]
    assert [row[4] for row in rows] == ["1.3", "3.0", "2.0", "1.0"]      # before
    assert [row[6] for row in rows] == ["-0.3", "-1.3", "+0.5", "+0.2"]  # lift
    assert [row[5] for row in rows] == ["1.0", "1.8", "2.5", "1.2"]      # after
    dots = [line.split()[-2:] for line in shown.splitlines() if "●" in line]
    assert dots == [["●····", "1.0"], ["·●···", "1.8"], ["··●··", "2.5"], ["●····", "1.2"]]
    assert dots[2][0].index("●") + 1 == 3  # 2.45 shows 2.5; its dot is at 3, as 2.5 is


# -- the chart fits the terminal ---------------------------------------------------------


def long_log(tmp_path: Path, env: dict) -> None:
    rng = random.Random(7)
    weeks = [[(rng.randint(1, 5), rng.randint(1, 5), rng.choice((3.0, 12.5, 42.2)))
              for _ in range(rng.randint(1, 6))] for _ in range(90)]
    # 90 weeks up to the week before NOW's
    must("import", str(write_weeks(tmp_path / "long.csv", weeks, ["joy"] * 90,
                                   first=date(2025, 3, 3))), env=env)


def chart_on_terminal(env: dict, columns: int, *args: str) -> list[str]:
    shown = {key: value for key, value in env.items() if key != "COLUMNS"}
    child = pexpect.spawn(str(RUNLOG), ["mood", "--chart", *args],
                          env={**shown, "TERM": "xterm-256color"}, encoding="utf-8",
                          timeout=30, dimensions=(300, columns))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return STYLE.sub("", child.before).replace("\r\n", "\n").rstrip("\n").split("\n")


@pytest.mark.parametrize("args", [(), ("--month",), ("--year",), ("--last", "52")])
def test_the_chart_and_the_whole_mood_report_fit_a_terminal_of_any_width(env, tmp_path, args):
    long_log(tmp_path, env)
    bars = {}
    for width in (40, 60, 80, 120):
        lines = chart_on_terminal(env, width, *args)
        too_wide = [line for line in lines if len(line) > width]
        assert not too_wide, (width, too_wide)
        drawn = [line for line in lines if "█" in line]
        assert drawn and all("●" in line or line.endswith("–") for line in drawn)
        assert "…" not in "\n".join(lines)
        bars[width] = max(line.count("█") for line in drawn)
    # the bars use the room there is: wider terminal, longer bars
    assert bars[40] < bars[60] < bars[80] < bars[120]
    assert bars[120] >= 80


def test_a_piped_chart_follows_columns(env, tmp_path):
    long_log(tmp_path, env)
    for width, units in [(w, u) for w in (40, 60, 80, 120) for u in ("km", "mi")]:
        done = subprocess.run([str(RUNLOG), "--units", units, "mood", "--chart", "--month"],
                              env={**env, "COLUMNS": str(width)}, capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
        table, chart, *words = done.stdout.rstrip("\n").split("\n\n")
        assert "█" in chart
        assert max(map(len, chart.split("\n"))) in range(width - 12, width + 1), chart
        assert all(len(line) <= width for part in words for line in part.split("\n"))
