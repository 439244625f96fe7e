"""Bad input everywhere: whatever is typed or imported, runlog accepts it (exit 0) or refuses
it (exit 2, one `Error:` line, nothing written) — never a traceback, never the catch-all
"unexpected" error, never exit 1 for input. Text that looks like SQL or a format string is
stored exactly as typed.

Hypothesis drives the CLI in-process (CliRunner, through RunlogGroup.main like the console
script) with a modest number of examples, derandomized so that a run is repeatable. Known
failures found this way are pinned by the plain tests at the end.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import subprocess
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import runlog.config
from helpers import assert_refused, db_path, db_state, invoke, ok, sql
from relsupport import RUNLOG
from runlog.model import ENTRY_KEYS, KINDS

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

SQL = "'); DROP TABLE entries; --"
FORMAT = "{0} %s %(x)s {entry.__class__}"
NASTY = [
    SQL, FORMAT, "Robert'); DELETE FROM entries WHERE ('1'='1", "%n%n%n%n", "${HOME} $(id)",
    "ünïcødé 🏃‍♀️ שלום \u202eevil", "line one\nline two", "tab\there", "\r\n", "", " ", "-",
    "--", "-5", "1e309", "nan", "inf", "NaN", "0x10", "٣", "５ｋ", "None", "null", "true",
    "x" * 5000, "\\", "\"quoted\"", "semi;colon", "com,ma", "\x1b[31mred\x1b[0m",
]
# Any text a shell can pass as one argument (no NUL; surrogates are tested with real bytes
# in a subprocess below, as only a real process gets them from the terminal).
ANY_TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                   max_size=30)


class Grammar:
    """One input grammar: values it must accept, values it must refuse, and anything at all."""

    def __init__(self, good: tuple[str, ...], bad: tuple[str, ...] = ()):
        self.good = st.sampled_from(good)
        self.anything = st.one_of(st.sampled_from(bad + tuple(NASTY)), ANY_TEXT)

    @property
    def mixed(self) -> st.SearchStrategy[str]:
        """Mostly what a runner might type, sometimes anything at all."""
        return st.one_of(self.good, self.good, self.anything)


def values(*plausible: str) -> st.SearchStrategy[str]:
    """Mostly what a runner might type (right or wrong), sometimes anything at all."""
    typed = st.sampled_from(plausible)
    return st.one_of(typed, typed, typed, st.sampled_from(NASTY), ANY_TEXT)


DISTANCE = Grammar(("5k", "5 km", "10K", "3.1mi", "3.1 miles", "800m", "1500 metres", "half",
                    "half marathon", "marathon", "5", "5.5", "5,5", "1e3", "1000km", "0.001m"),
                   ("0", "-5k", "1001km", "1,500", "5 parsecs"))
DURATION = Grammar(("28:30", "1:02:03", "45m", "45 min", "1h5m", "1h05m30s", "90s", "48h",
                    "45", "1h30", "1.5h"), ("0:00", "49h", "28:3", "60:00", "1:60:00", "5 30s"))
WHEN = Grammar(("today", "yesterday", "3 days ago", "fri", "last friday", "2026-11-20",
                "2026-11-20T07:30", "2026-11-20T07:30+05:30", "2026-11-20T07:30:00Z",
                "Nov 20 7am", "1900-01-01", "a week ago", "now", "2026-03-29T02:30",
                "2026-10-25T02:30", "1901-06-01T12:00", "yesterday 7am"),
               ("tomorrow", "2026-11-22", "1899-12-31", "0001-01-01", "9999-12-31",
                "2026-02-30", "99999999 days ago", "Nov 20 7am EST", "20/11/2026 25:00"))
MOOD = Grammar(("1", "5", "awful", "bad", "okay", "meh", "good", "great", "rad", "OK", " 3 "),
               ("0", "6", "3.0", "fine"))
FELT = Grammar(("sad", "sad,relieved", "Grief", "happy, proud", "joy,joy", "angry",
                "vulnerable", ","), ("sadd", "numb", " "))
EFFORT = Grammar(("1", "10", " 7 ", "+3"), ("0", "11", "5.5", "-1", "999999999999999999999"))
PAIN = Grammar(("0", "10", "-0", "4"), ("11", "-1", "4.5"))
ADD_KIND = Grammar(("run", "walk", "run-walk", "trail", "treadmill", "race", "RUN"),
                   ("rest", "checkin", "Ride"))
EDIT_KIND = Grammar(KINDS, ("Ride",))
CRIED = Grammar(("during", "after", "both", "DURING"), ("Before", "yes"))
TAG = Grammar(("park", "Long Run", "a,b", "a,,b", "🏃", "rain , park", SQL, FORMAT),
              ("x" * 41, " "))
TEXT = Grammar(tuple(NASTY) + ("cried at the bridge",))  # free text: anything goes
CLEAR = Grammar(("distance", "time", "before", "after", "felt", "cried", "effort", "pain",
                 "where", "intention", "note", "tags", "Note"), ("kind", "date", "mood"))

ADD_OPTIONS = {
    "--distance": DISTANCE, "--time": DURATION, "--date": WHEN, "--kind": ADD_KIND,
    "--before": MOOD, "--after": MOOD, "--felt": FELT, "--cried": CRIED, "--effort": EFFORT,
    "--pain": PAIN, "--where": TEXT, "--intention": TEXT, "--note": TEXT, "--tag": TAG,
}
EDIT_OPTIONS = {**ADD_OPTIONS, "--kind": EDIT_KIND, "--clear": CLEAR}
TEXT_FIELDS = {"--where": "where", "--intention": "intention", "--note": "note"}
REPEATABLE = ("--felt", "--tag", "--clear")


@st.composite
def option_sets(draw, options: dict) -> dict[str, list[str]]:
    """Some of the options, each with values its grammar accepts; then, most of the time,
    one of them given something else (a wrong value, or anything at all)."""
    names = draw(st.lists(st.sampled_from(sorted(options)), unique=True, max_size=6))
    chosen = {name: draw(st.lists(options[name].good, min_size=1,
                                  max_size=2 if name in REPEATABLE else 1)) for name in names}
    if names and draw(st.integers(0, 2)):
        spoiled = draw(st.sampled_from(names))
        chosen[spoiled][-1] = draw(options[spoiled].anything)
    return chosen


def as_args(chosen: dict[str, list[str]]) -> list[str]:
    # `--opt=value`: a value starting with "-" is still the value, never another option.
    return [f"{name}={value}" for name, given_values in chosen.items() for value in given_values]


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr("runlog.clock.now", lambda: datetime(2026, 11, 21, 18, 0).astimezone())


@pytest.fixture
def one_run(frozen_now):
    ok("add", "5k", "28:30", "-d", "2026-11-20 07:30", "-f", "sad", "--tag", "park",
       "-n", "the first run")


# The hint of RunlogGroup.main's last line of defence: an exception nobody expected.
CATCH_ALL = "set RUNLOG_DEBUG=1 to see the traceback"


def _settled(result):
    """The outcome of one in-process command, with its connections closed (an in-process
    command's store can sit in a reference cycle; a real process closes it on exit)."""
    gc.collect()
    event(f"exit {result.exit_code}")  # `pytest --hypothesis-show-statistics` shows the mix
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert CATCH_ALL not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception)
    return result


def _expected_text(option: str, value: str) -> str | None:
    """What a text option stores: trimmed, empty as null; `--note -` reads standard input
    (empty in these tests)."""
    return None if option == "--note" and value == "-" else (value.strip() or None)


# -- add and edit ----------------------------------------------------------------------------


@FUZZ
@given(chosen=option_sets(ADD_OPTIONS),
       positionals=st.one_of(st.tuples(DISTANCE.mixed, DURATION.mixed),
                             st.tuples(st.one_of(DISTANCE.mixed, DURATION.mixed)), st.tuples()))
@example(chosen={"--note": [SQL], "--intention": [FORMAT], "--where": [SQL]},
         positionals=("5k",))
def test_add_accepts_or_refuses_any_input_and_refusals_write_nothing(one_run, chosen,
                                                                     positionals):
    before = db_state()
    result = _settled(invoke("add", *as_args(chosen), "--json", "--", *positionals))
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert_refused(result, 2)
        assert db_state() == before
        return
    added = json.loads(result.stdout)
    stored = json.loads(ok("show", str(added["id"]), "--json").stdout)
    assert stored == {key: added[key] for key in stored}
    for option, key in TEXT_FIELDS.items():
        if option in chosen:
            assert stored[key] == _expected_text(option, chosen[option][-1]), key


@FUZZ
@given(chosen=option_sets(EDIT_OPTIONS))
@example(chosen={"--note": [FORMAT], "--intention": [SQL], "--where": [FORMAT]})
def test_edit_accepts_or_refuses_any_input_and_refusals_write_nothing(one_run, chosen):
    before = db_state()
    result = _settled(invoke("edit", "1", *as_args(chosen), "--json"))
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert_refused(result, 2)
        assert db_state() == before
        return
    shown = json.loads(result.stdout)
    stored = json.loads(ok("show", "1", "--json").stdout)
    assert stored == shown
    for option, key in TEXT_FIELDS.items():
        if option in chosen:
            assert stored[key] == _expected_text(option, chosen[option][-1]), key


@FUZZ
@given(command=st.sampled_from(["list", "mood", "stats", "emotions", "insights", "export"]),
       since=st.one_of(st.none(), WHEN.mixed), until=st.one_of(st.none(), WHEN.mixed),
       kind=st.one_of(st.none(), EDIT_KIND.mixed), felt=st.one_of(st.none(), FELT.mixed),
       tag=st.one_of(st.none(), TAG.mixed))
def test_report_filters_accept_or_refuse_any_input(one_run, command, since, until, kind, felt,
                                                   tag):
    args = [command]
    if since is not None:
        args.append(f"--{'as-of' if command == 'insights' else 'since'}={since}")
    if until is not None and command in ("list", "mood", "export"):
        args.append(f"--until={until}")
    if command == "list":
        args += [f"--{name}={value}" for name, value in
                 (("kind", kind), ("felt", felt), ("tag", tag)) if value is not None]
    before = db_state()
    result = _settled(invoke(*args))
    assert result.exit_code in (0, 2), (args, result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert_refused(result, 2)
    assert db_state() == before  # reading never writes


@FUZZ
@given(entry_id=st.one_of(st.integers(min_value=-2**70, max_value=2**70), ANY_TEXT.map(str)),
       command=st.sampled_from([["show"], ["edit", "--after", "3"], ["delete", "--yes"],
                                ["restore"]]))
def test_entry_numbers_are_found_missing_or_refused(one_run, entry_id, command):
    before = db_state()
    args = [command[0], *command[1:], "--", str(entry_id)]
    result = _settled(invoke(*args))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    if result.exit_code:
        assert_refused(result, result.exit_code)
        assert db_state() == before


# -- import ---------------------------------------------------------------------------------------

PREFIXES = [b"", b"[", b"{", b"<gpx", b'<?xml version="1.0"?><gpx>', b"\xef\xbb\xbf",
            b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT", b"\x0e\x10\xd9\x07\xff\x00\x00\x00.FIT",
            ",".join(ENTRY_KEYS).encode() + b"\r\n",
            b"Activity ID,Activity Date,Activity Name,Activity Type\n",
            b"Activity Type,Date,Favorite,Title,Distance\n",
            b"full_date,date,weekday,time,mood,activities,note_title,note\n"]


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=600),
       fmt=st.sampled_from(["auto", "auto", "csv", "json", "ndjson", "strava", "garmin", "gpx",
                            "fit", "daylio"]))
def test_import_of_random_bytes_is_accepted_or_refused(one_run, tmp_path, prefix, body, fmt):
    path = tmp_path / "random.bin"
    path.write_bytes(prefix + body)
    before = db_state()
    result = _settled(invoke("import", "--format", fmt, str(path)))
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), lines
        assert db_state() == before


# Per column: cells a runlog export could hold, and cells it could not.
CELLS = {
    "id": (("", "1", "77"), ("x",)),
    "uuid": ((), ("",)),  # drawn below: fresh, or shared with other rows (duplicates)
    "date": (("2026-11-20", "2026-11-20T07:30:00+01:00", "2026-07-01T07:30:00+02:00",
              "2026-11-20T07:30:00Z", "2026-11-20T07:30:00.5+01:00", "1900-01-01"),
             ("2026-02-30", "20-11-2026", "", "2026-11-20T07:30:00+05:30:15", "2026-11-20T07:30")),
    "kind": (KINDS, ("Ride", "", "RUN")),
    "distance_km": (("", "5", "0.8", "21.0975", "1000", "1e-3"), ("0", "-1", "1001", "nan", "5k")),
    "duration_s": (("", "1800", "90.5", "172800"), ("0", "172801", "inf", "28:30")),
    "pace_s_per_km": (("", "360", "x"), ()),  # derived: ignored on import
    "mood_before": (("", "1", "5"), ("0", "6", "3.0")),
    "mood_after": (("", "1", "5"), ("0", "6", "good")),
    "mood_lift": (("", "2", "x"), ()),  # derived: ignored on import
    "emotions": (("", "sadness", "sadness;relief", "joy;pride"),
                 ("joy;joy", "sadness;;relief", "Sadness", "nope", ";")),
    "cried": (("", "during", "after", "both"), ("never", "During")),
    "effort": (("", "1", "10"), ("0", "11", "7.5")),
    "pain": (("", "0", "10"), ("11", "-1")),
    "where": (("", "left knee", SQL, FORMAT), ()),
    "intention": (("", "let go", FORMAT, SQL), ()),
    "note": (("", "a note", "multi\nline", SQL, FORMAT, "x" * 5000), ()),
    "tags": (("", "park", "park;rain", "long-run"), ("a;;b", "x;x", "Long Run", ";")),
}
SHARED_UUIDS = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"]


@st.composite
def csv_rows(draw) -> list[str]:
    """A row a runlog export could hold; most of the time with one cell spoiled (a value
    that column can't hold, or anything at all); now and then of the wrong width."""
    cells = []
    for key in ENTRY_KEYS:
        if key == "uuid":
            cells.append(draw(st.one_of(st.uuids(version=4).map(str), st.uuids(version=4).map(
                str), st.sampled_from(SHARED_UUIDS))))
        else:
            cells.append(draw(st.sampled_from(CELLS[key][0])))
    if draw(st.integers(0, 2)):
        spoiled = draw(st.integers(0, len(ENTRY_KEYS) - 1))
        wrong = CELLS[ENTRY_KEYS[spoiled]][1]
        cells[spoiled] = draw(st.one_of(st.sampled_from(wrong + tuple(NASTY)), ANY_TEXT))
    if draw(st.integers(0, 9)) == 0:
        cells = cells[:draw(st.integers(0, len(cells)))]
    return cells


@FUZZ
@given(rows=st.lists(csv_rows(), min_size=1, max_size=4))
def test_import_of_random_runlog_csv_rows_is_all_or_nothing(one_run, tmp_path, rows):
    path = tmp_path / "runs.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(ENTRY_KEYS)
        writer.writerows(rows)
    before = db_state()
    known = {row[0] for row in sql("SELECT uuid FROM entries")}
    result = _settled(invoke("import", str(path)))
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), lines
        assert "nothing imported" in lines[0] or "cannot" in lines[0], lines[0]
        assert db_state() == before
        return
    # Accepted: the text of each new row is stored exactly as it was in the file. (Of rows
    # sharing a uuid the first one not skipped as an already-logged run is kept.)
    exported = {e["uuid"]: e for e in json.loads(ok("export", "--format", "json",
                                                    "--include-deleted").stdout)}
    texts: dict[str, set] = {}
    for cells in rows:
        if len(cells) == len(ENTRY_KEYS):  # an empty row is a blank line, skipped
            row = dict(zip(ENTRY_KEYS, cells))
            texts.setdefault(row["uuid"], set()).add(
                tuple(row[key] or None for key in ("where", "intention", "note")))
    for row_uuid, candidates in texts.items():
        entry = exported.get(row_uuid)
        if row_uuid not in known and entry is not None:
            assert (entry["where"], entry["intention"], entry["note"]) in candidates


# -- config ---------------------------------------------------------------------------------------


@FUZZ
@given(key=values("units", "week_start", "dayfirst", "Units", "colour"),
       value=values("km", "mi", "KM", "miles", "monday", "sunday", "Sunday", "tuesday", "true",
                    "false", "yes", "no", "on", "off", "1", "0", "maybe"))
def test_config_set_accepts_or_refuses_any_key_and_value(key, value):
    config = runlog.config.config_path()
    before = config.read_bytes() if config.exists() else None
    result = _settled(invoke("config", "set", "--", key, value))
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert_refused(result, 2)
        assert (config.read_bytes() if config.exists() else None) == before
        return
    stored = json.loads(ok("config", "list", "--json").stdout)[key]
    assert stored == runlog.config.parse_value(key, value)
    assert ok("config", "get", key).stdout.strip() == str(stored).lower()


@FUZZ
@given(name=values("awe", "Awe", "self-doubt", "awe2", "joy", "happy", "a" * 31, "-"),
       valence=values("positive", "negative", "mixed", "Mixed", "neutral"))
def test_emotions_add_accepts_or_refuses_any_name(one_run, name, valence):
    before = db_state()
    result = _settled(invoke("emotions", "add", "--valence", valence, "--", name))
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert_refused(result, 2)
        assert db_state() == before
        return
    names = {e["name"] for e in json.loads(ok("emotions", "list", "--json").stdout)}
    assert name.strip().lower() in names


# -- SQL and format strings are data -----------------------------------------------------------


@pytest.mark.parametrize("text", [SQL, FORMAT], ids=["sql", "format-string"])
def test_sql_and_format_string_text_is_stored_verbatim(frozen_now, tmp_path, text):
    added = json.loads(ok("add", "5k", "28:30", "-n", text, "-i", text, "--where", text,
                          "--tag", text, "--json").stdout)
    shown = json.loads(ok("show", str(added["id"]), "--json").stdout)
    assert (shown["note"], shown["intention"], shown["where"]) == (text, text, text)
    assert shown["tags"] == ["-".join(text.lower().split())]  # tags: lower-case, one word
    ok("edit", str(added["id"]), "-n", text + " (edited)")
    assert json.loads(ok("show", str(added["id"]), "--json").stdout)["note"] == text + " (edited)"
    ok("rest", "-n", text)
    ok("start", "--intention", text)
    ran = json.loads(ok("add", "3k", "--json").stdout)
    assert ran["intention"] == text  # through the pre-run check-in table and back
    # Filters and unknown names quote it back literally, never run or format it.
    line = assert_refused(invoke("add", "5k", "--felt", text), 2)
    assert text.split()[0] in line and "<class" not in line
    assert json.loads(ok("list", "--tag", text, "--json").stdout)[0]["id"] == added["id"]
    path = tmp_path / "runs.ndjson"
    path.write_text(json.dumps({"uuid": str(uuid.uuid4()), "date": "2026-11-01", "kind": "run",
                                "distance_km": 5, "note": text, "intention": text,
                                "where": text}) + "\n", encoding="utf-8")
    ok("import", str(path))
    imported = json.loads(ok("list", "--json", "--limit", "1", "--since", "2026-11-01",
                             "--until", "2026-11-01").stdout)[0]
    assert (imported["note"], imported["intention"], imported["where"]) == (text, text, text)
    assert sql("SELECT count(*) FROM sqlite_master WHERE name = 'entries'") == [(1,)]
    assert sql("SELECT count(*) FROM entries") == [(4,)]  # the run, the rest day, 3k, import


# -- failures the fuzzing found, pinned ---------------------------------------------------------

HEADER = ",".join(ENTRY_KEYS)


def _csv_row(**cells: str) -> str:
    row = {key: "" for key in ENTRY_KEYS}
    row.update(uuid=str(uuid.uuid4()), date="2026-11-01", kind="run", distance_km="5")
    row.update(cells)
    buffer = io.StringIO()
    csv.writer(buffer).writerow([row[key] for key in ENTRY_KEYS])
    return buffer.getvalue()


DATABASE_WOULD_REFUSE = {
    "csv-run-without-distance-or-time": ("csv", _csv_row(distance_km="")),
    "csv-utc-offset-with-seconds": ("csv", _csv_row(date="2026-11-01T07:00:00+05:30:15")),
    "ndjson-run-without-distance-or-time": (
        "ndjson", '{"uuid": "u-1", "date": "2026-11-01", "kind": "run"}\n'),
    "ndjson-lone-surrogate-in-note": (
        "ndjson", '{"uuid": "u-4", "date": "2026-11-01", "kind": "rest", "note": "\\ud800"}\n'),
}


# Repeated or empty names are tidied, as `add --felt sad,sad` tidies them, not refused.
TIDIED = {
    "csv-same-emotion-twice": ("csv", _csv_row(emotions="sadness;sadness"), ["sadness"], []),
    "csv-same-tag-twice": ("csv", _csv_row(tags="park;park"), [], ["park"]),
    "csv-empty-tag": ("csv", _csv_row(tags="park;;rain"), [], ["park", "rain"]),
    "ndjson-same-emotion-twice": (
        "ndjson", '{"uuid": "u-2", "date": "2026-11-01", "kind": "run", "distance_km": 5,'
                  ' "emotions": ["sadness", "sadness"]}\n', ["sadness"], []),
    "ndjson-empty-tag": (
        "ndjson", '{"uuid": "u-3", "date": "2026-11-01", "kind": "run", "distance_km": 5,'
                  ' "tags": [""]}\n', [], []),
}


@pytest.mark.parametrize("case", list(TIDIED))
def test_import_tidies_repeated_and_empty_names(one_run, tmp_path, case):
    fmt, body, emotions, tags = TIDIED[case]
    path = tmp_path / f"runs.{fmt}"
    path.write_text((HEADER + "\r\n" if fmt == "csv" else "") + body, encoding="utf-8")
    result = invoke("import", str(path))
    assert result.exit_code == 0, result.stderr
    imported = [entry for entry in json.loads(ok("list", "--json").stdout)
                if entry["note"] != "the first run"]
    assert len(imported) == 1
    assert (imported[0]["emotions"], imported[0]["tags"]) == (emotions, tags)


@pytest.mark.parametrize("case", list(DATABASE_WOULD_REFUSE))
def test_import_refuses_a_record_the_database_would_refuse_as_bad_input(one_run, tmp_path, case):
    fmt, body = DATABASE_WOULD_REFUSE[case]
    path = tmp_path / f"runs.{fmt}"
    path.write_text((HEADER + "\r\n" if fmt == "csv" else "") + body, encoding="utf-8")
    before = db_state()
    result = invoke("import", str(path))
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert "line " in lines[0] and "nothing imported" in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    assert db_state() == before


@pytest.mark.parametrize("args", [["show", "9223372036854775808"],
                                  ["edit", "9223372036854775808", "--after", "3"],
                                  ["delete", "9223372036854775808", "--yes"],
                                  ["restore", "9223372036854775808"],
                                  ["list", "--limit", "9223372036854775808"]],
                         ids=["show", "edit", "delete", "restore", "list-limit"])
def test_an_entry_number_too_big_for_sqlite_is_no_crash(one_run, args):
    before = db_state()
    result = invoke(*args)
    assert CATCH_ALL not in result.stderr, result.stderr
    assert result.exit_code in (0, 1, 2)
    if result.exit_code:
        assert_refused(result, result.exit_code)
    assert db_state() == before


NOT_UTF8 = "caf\udce9"  # what Python makes of the bytes b"caf\xe9" from a Latin-1 terminal


@pytest.mark.parametrize("args", [["add", "5k", "--note", NOT_UTF8],
                                  ["add", "5k", "--intention", NOT_UTF8],
                                  ["add", "5k", "--where", NOT_UTF8],
                                  ["add", "5k", "--tag", NOT_UTF8],
                                  ["rest", "--note", NOT_UTF8],
                                  ["edit", "1", "--note", NOT_UTF8]],
                         ids=["add-note", "add-intention", "add-where", "add-tag", "rest-note",
                              "edit-note"])
def test_text_that_is_not_utf8_is_refused_or_kept_never_a_crash(one_run, args):
    """A real process: argv bytes that are not UTF-8 reach Python as lone surrogates."""
    before = db_state()
    argv = [os.fsencode(str(RUNLOG))] + [os.fsencode(arg) for arg in args]
    done = subprocess.run(argv, env=dict(os.environ), capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=30)
    stderr = done.stderr.decode("utf-8", "replace")
    assert CATCH_ALL not in stderr and "Traceback" not in stderr, stderr
    assert done.returncode in (0, 2), (done.returncode, stderr)
    if done.returncode == 2:
        assert db_state() == before
        assert stderr.splitlines()[-1].startswith("Error: ")
    assert Path(db_path()).exists()
