"""Format detection by content, errors raised before reading, and a light package import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from runlog.errors import InputError
from runlog.interchange import FORMATS, detect_format, read
from runlog.model import ENTRY_KEYS


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("strava/geo-activity-playground/activities.csv", "strava"),
        ("strava/Strava-Activity-Map/activities.csv", "strava"),
        ("garmin/Activities.csv", "garmin"),
        # written for runlog, pytrainer-style (<?xml version='1.0'...): absolute, so
        # `samples / name` is this path
        (Path(__file__).resolve().parents[1] / "data" / "gpx" / "offset_run.gpx", "gpx"),
        ("gpx/2025-08-30 20_29_18.085 BC Cadzand-Bad.gpx", "gpx"),
        ("fit/2022-05-29-15-53-35_Laufen_Landal_Park.fit", "fit"),
        ("fit/strava-android-app-201.10-b1218918.fit", "fit"),
        ("daylio/sample.csv", "daylio"),
        ("daylio/test_data.csv", "daylio"),
    ],
)
def test_samples(samples, name, fmt):
    assert detect_format(samples / name) == fmt


def test_a_fit_file_named_csv_is_fit(samples, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_bytes((samples / "fit/garmin-fenix-5-run.fit").read_bytes())
    assert detect_format(path) == "fit"


HEADER = ",".join(ENTRY_KEYS)
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("run.gpx", HEADER + "\r\n", "csv"),
        ("export.json", "\ufeff" + HEADER + "\n", "csv"),
        ("export.csv", '\n  [{"uuid": "x"}]', "json"),
        ("export.json", '{"uuid": "x"}\n{"uuid": "y"}\n', "ndjson"),
        ("track.xml", '<?xml version="1.0"?>\n<gpx version="1.1">', "gpx"),
        ("a.txt", "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time\n", "strava"),
        ("b.txt", "Activity Type,Date,Favorite,Title,Distance\r\n", "garmin"),
        ("c.txt", "Title,Activity Type,Date,Time,Distance\n", "garmin"),
        ("d.gpx", "full_date,date,weekday,time,mood,activities,note_title,note\n", "daylio"),
    ],
)
def test_content_wins_over_the_extension(tmp_path, name, text, fmt):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert detect_format(path) == fmt


def test_an_empty_file_says_it_is_empty(tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="^the file is empty$"):
        detect_format(path)


@pytest.mark.parametrize(
    "content",
    [
        b"date,km\n2024-01-01,5\n",
        b"just some words",
        b'<?xml version="1.0"?><kml/>',
        b"\x00\x01\x02\x03",
    ],
)
def test_undetectable_files_name_the_format_choices(tmp_path, content):
    path = tmp_path / "mystery.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        detect_format(path)
    assert raised.value.message.startswith("cannot tell its format")
    assert raised.value.hint == "pass --format " + "|".join(FORMATS)
    with pytest.raises(InputError):
        read(path)  # read() raises at once too, not when iterated


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "nope.csv", "csv")


def test_an_unknown_format_or_unit_is_an_input_error(samples):
    with pytest.raises(InputError, match="unknown import format 'kml'"):
        read(samples / "garmin/Activities.csv", "kml")
    with pytest.raises(InputError, match="units must be km or mi"):
        read(samples / "garmin/Activities.csv", units="furlong")


def test_importing_the_package_loads_no_parsers():
    code = (
        "import sys, runlog.interchange\n"
        "heavy = {'gpxpy', 'fitdecode', 'dateutil', 'csv', 'json', 'uuid', 'lxml'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_reading_a_csv_format_loads_no_gps_parsers(samples):
    names = ["strava/geo-activity-playground/activities.csv", "garmin/Activities.csv",
             "daylio/test_data.csv"]  # fmt: skip
    code = (
        "import sys\nfrom pathlib import Path\nfrom runlog.interchange import read\n"
        f"for name in {names!r}:\n"
        f"    list(read(Path({str(samples)!r}) / name))\n"
        "print(sorted({'gpxpy', 'fitdecode', 'dateutil'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
