"""Text someone else wrote never drives the terminal: notes, intentions, tags, emotion names,
file names, paths and config values reach stdout and stderr with their control, C1 and bidi
characters spelled out (`\\x1b`, `\\u202e`), and Rich markup in them is shown, not obeyed;
`--json` and exports keep the exact text.

Every check runs the real `runlog` process, piped or on a pseudo-terminal."""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relsupport import RUNLOG, isolated_env, must, run, sha256

# What no human-readable output may carry raw: C0 but newline and tab, DEL, C1, the bidi and
# direction marks, the line and paragraph separators. (runlog's own colours, on a terminal
# without NO_COLOR, are checked apart.)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                    "\u202a-\u202e\u2066-\u2069]")

# An OSC 52 clipboard write, a screen clear, a cursor move, an 8-bit CSI, a right-to-left
# override and isolate, DEL, an invisible mark, and Rich markup.
HOSTILE = ("a\x1b]52;c;aGk=\x07b\x1b[2J\x1b[1;1H\x9b31m\u202eevil\u2066x\u2069\x7f\u200f"
           "[bold red]B[/][link=https://example.com]L[/link]")
# How it reads back: every control spelled out, the markup as typed.
SHOWN = ("a\\x1b]52;c;aGk=\\x07b\\x1b[2J\\x1b[1;1H\\x9b31m\\u202eevil\\u2066x\\u2069\\x7f"
         "\\u200f[bold red]B[/][link=https://example.com]L[/link]")
# A tag (tags are lower-cased, one word); typing and import refuse C0 and C1 in a tag, not
# bidi controls, which are shown spelled out.
TAG = "tag\u202e[bold]\u2066\u200f"
TAG_SHOWN = "tag\\u202e[bold]\\u2066\\u200f"
FILE_TAG = "tag\u202e[bold]\u2066"
FILE_TAG_SHOWN = "tag\\u202e[bold]\\u2066"


def assert_safe(done, *, what=""):
    for name, text in (("stdout", done.stdout), ("stderr", done.stderr)):
        found = UNSAFE.search(text)
        assert found is None, (what, name, repr(found.group()), text)
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr, done.stderr


def safe(*args, env, code=0, input=None):
    done = run(*args, env=env, input=input)
    assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
    assert_safe(done, what=args)
    return done


def error(*args, env, code=2):
    """A refused command: one `Error:` line, nothing raw in it."""
    done = safe(*args, env=env, code=code)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    return lines[0]


@pytest.fixture()
def env(tmp_path):
    return isolated_env(tmp_path)


def entry_json(entry_id: int, env) -> dict:
    return json.loads(must("show", str(entry_id), "--json", env=env))


# -- typed on the command line ---------------------------------------------------------------


def test_hostile_text_typed_into_every_field_is_shown_escaped_everywhere(env):
    logged = safe("add", "5k", "30:00", "-b", "2", "-a", "4", "-f", "sad", "--no-input",
                  "--note", HOSTILE, "--intention", HOSTILE, "--where", HOSTILE,
                  "--pain", "3", "--tag", TAG, env=env)
    assert logged.stdout.startswith("Logged #1")
    checked_in = safe("start", "--before", "2", "--intention", HOSTILE, env=env)
    assert SHOWN in checked_in.stdout  # the confirmation line quotes the intention
    safe("add", "3k", "20:00", "-a", "3", "--no-input", env=env)  # takes up the check-in
    rested = safe("rest", "--mood", "2", "--note", HOSTILE, env=env)
    assert rested.stdout.startswith("Logged #3")

    shown = safe("show", "1", env=env).stdout
    for field in ("note", "intention", "where"):
        assert f"{field:<15}{SHOWN}\n" in shown
    assert f"tags           {TAG_SHOWN}\n" in shown
    assert SHOWN in safe("show", "2", env=env).stdout
    for command in (("list",), ("ls",), ("list", "--tag", TAG), ("stats",),
                    ("emotions",), ("emotions", "list"), ("mood",), ("mood", "--chart"),
                    ("insights",), ("config", "list"), ("db", "info")):
        safe(*command, env=env)
    assert len(must("list", "--tag", TAG, env=env).splitlines()) == 2

    changed = safe("edit", "1", "--note", "new " + HOSTILE, env=env)
    assert changed.stdout.startswith("Changed #1")
    assert f"note           new {SHOWN}\n" in safe("show", "1", env=env).stdout
    moved = safe("delete", "1", "3", "--yes", env=env)
    assert moved.stdout.startswith("Moved 2 to the trash")
    assert [line.split()[0] for line in safe("list", env=env).stdout.splitlines()] == [
        "id", "2"]
    trash = safe("trash", env=env).stdout
    assert trash.splitlines()[0].startswith("id")
    assert len(trash.splitlines()) == 3


def test_json_and_exports_keep_the_exact_text(env, tmp_path):
    must("add", "5k", "--no-input", "--note", HOSTILE, "--intention", HOSTILE,
         "--where", HOSTILE, env=env)
    entry = entry_json(1, env)
    assert (entry["note"], entry["intention"], entry["where"]) == (HOSTILE,) * 3
    listed = run("list", "--json", env=env)
    assert json.loads(listed.stdout)[0]["note"] == HOSTILE
    # Exact after parsing, yet the JSON text itself carries nothing a terminal acts on:
    # JSON escapes C0 itself, runlog also writes DEL, C1 and bidi controls as \u escapes.
    assert_safe(listed)
    assert "\\u202e" in listed.stdout and "\\u009b" in listed.stdout

    for fmt in ("csv", "json", "ndjson"):
        out = tmp_path / f"out.{fmt}"
        must("export", "--format", fmt, "-o", str(out), env=env)
        text = out.read_text(encoding="utf-8")
        if fmt == "csv":
            row = next(csv.DictReader(text.splitlines()))
        else:
            row = (json.loads(text)[0] if fmt == "json" else json.loads(text.splitlines()[0]))
        assert (row["note"], row["intention"], row["where"]) == (HOSTILE,) * 3, fmt
    streamed = must("export", "--format", "csv", env=env)  # to stdout: exact too
    assert next(csv.DictReader(streamed.splitlines()))["note"] == HOSTILE


def test_newlines_in_user_text_keep_one_line_messages_on_one_line(env):
    checked_in = safe("start", "--before", "2", "--intention", "go\nError: fake\rx", env=env)
    assert checked_in.stdout.count("\n") == 1
    assert "intention: go\\nError: fake\\rx." in checked_in.stdout
    must("add", "5k", "--no-input", "--note", "first line\nuuid           forged", env=env)
    shown = safe("show", "1", env=env).stdout.splitlines()
    # A note keeps its lines in `show`, indented under the value: no line passes for a field.
    assert "note           first line" in shown
    assert " " * 15 + "uuid           forged" in shown
    assert sum(line.startswith("uuid") for line in shown) == 1
    line = error("add", "5k", "--felt", "sad\nError: fake", "--no-input", env=env)
    assert "fake" in line


def test_error_lines_quote_hostile_input_escaped(env, tmp_path):
    must("add", "5k", "--no-input", env=env)
    before = sha256(Path(env["RUNLOG_DB"]))
    for args in (
        ("add", "5k", "--felt", "sad" + HOSTILE, "--no-input"),
        ("add", "5" + HOSTILE, "--no-input"),
        ("add", "5k", "-d", HOSTILE, "--no-input"),
        ("add", "5k", "-a", HOSTILE, "--no-input"),
        ("add", "5k", "--tag", HOSTILE * 3, "--no-input"),
        ("list", "--kind", HOSTILE),
        ("list", "--since", HOSTILE),
        ("show", "1" + HOSTILE),
        ("emotions", "add", "awe" + HOSTILE, "--valence", "positive"),
        ("emotions", "add", "awe", "--valence", HOSTILE),
        ("config", "set", "units", HOSTILE),
        ("config", "set", HOSTILE, "km"),
        ("mood", "--since", HOSTILE),
        ("insights", "--fail-on", HOSTILE),
        (HOSTILE,),
        ("list", "--" + HOSTILE),
    ):
        line = error(*args, env=env)
        assert "\\x1b" in line or "\\u202e" in line or "\\x9b" in line, (args, line)
    assert sha256(Path(env["RUNLOG_DB"])) == before


def test_a_hostile_config_file_and_environment_are_quoted_escaped(env):
    config = Path(env["XDG_CONFIG_HOME"]) / "runlog" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('week_start = "\\u001b[2J\\u202emonday"\n', encoding="utf-8")
    assert "\\x1b[2J\\u202emonday" in error("stats", env=env, code=1)
    config.unlink()
    must("add", "5k", "--no-input", env=env)
    line = error("list", env={**env, "RUNLOG_UNITS": "k\x1b]0;title\x07m"})
    assert "k\\x1b]0;title\\x07m" in line


def test_a_db_path_with_control_characters_is_shown_escaped(env, tmp_path):
    folder = tmp_path / "logs\x1b[2J\u202e"
    folder.mkdir()
    path = folder / "run\x9blog.db"
    assert safe("--db", str(path), "db", "path", env=env).stdout == (
        f"{tmp_path}/logs\\x1b[2J\\u202e/run\\x9blog.db\n")
    line = error("--db", str(path), "show", "1", env=env, code=1)
    assert "logs\\x1b[2J\\u202e" in line or "no log" in line.lower() or "#1" in line
    safe("--db", str(path), "add", "5k", "--no-input", env=env)
    info = safe("--db", str(path), "db", "info", env=env).stdout
    assert "logs\\x1b[2J\\u202e/run\\x9blog.db" in info
    backup = folder / "back\x1b[31mup.db"
    done = safe("--db", str(path), "db", "backup", str(backup), env=env)
    assert "back\\x1b[31mup.db" in done.stdout + done.stderr


# -- read from imported files ----------------------------------------------------------------

STRAVA_HEADER = ["Activity ID", "Activity Date", "Activity Name", "Activity Type",
                 "Elapsed Time", "Distance", "Activity Description"]


def write_csv(path: Path, header, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_an_imported_strava_export_is_shown_escaped_and_kept_exact(env, tmp_path):
    strava = write_csv(tmp_path / "activities.csv", STRAVA_HEADER, [
        ["101", "Nov 1, 2026, 7:00:00 AM", "Morning Run", "Run", "1800", "5.0", HOSTILE],
        ["102", "Nov 2, 2026, 7:00:00 AM", "Tempo " + HOSTILE, "Run", "1500", "4.0", ""],
        ["103", "Nov 3, 2026, 7:00:00 AM", "Spin", "Ride\x1b[2J\u202e", "3600", "30.0", ""],
    ])
    done = safe("import", str(strava), env=env)
    assert done.stderr.startswith(f"{strava}: added 2, skipped 0 as duplicates, 1 as other "
                                  "sports (1 Ride\\x1b[2J\\u202e), rejected 0; distances read "
                                  "in kilometres")
    assert f"note           {SHOWN}\n" in safe("show", "1", env=env).stdout
    assert f"note           Tempo {SHOWN}\n" in safe("show", "2", env=env).stdout
    assert entry_json(1, env)["note"] == HOSTILE
    assert entry_json(2, env)["note"] == "Tempo " + HOSTILE
    safe("list", env=env)
    safe("import", str(strava), "--dry-run", env=env)


def test_an_imported_runlog_csv_and_ndjson_are_shown_escaped_and_kept_exact(env, tmp_path):
    from runlog.model import ENTRY_KEYS

    def row(n: int) -> dict:
        return {"uuid": f"00000000-0000-4000-8000-00000000000{n}",
                "date": f"2026-11-0{n}T07:00:00+01:00", "kind": "run", "distance_km": 5,
                "duration_s": 1800, "mood_after": 4, "emotions": ["sadness"],
                "where": HOSTILE, "intention": HOSTILE, "note": HOSTILE + "\nsecond line",
                "tags": [FILE_TAG]}

    first = row(1)
    runlog_csv = write_csv(tmp_path / "runs.csv", ENTRY_KEYS, [[
        ";".join(first[key]) if key in ("emotions", "tags") else first.get(key, "")
        for key in ENTRY_KEYS]])
    ndjson = tmp_path / "runs.ndjson"
    ndjson.write_text(json.dumps(row(2)) + "\n", encoding="utf-8")
    for path in (runlog_csv, ndjson):
        done = safe("import", str(path), env=env)
        assert done.stderr.startswith(f"{path}: added 1,")
    for entry_id in (1, 2):
        shown = safe("show", str(entry_id), env=env).stdout
        assert f"where          {SHOWN}\n" in shown
        assert f"note           {SHOWN}\n{'':15}second line\n" in shown
        assert entry_json(entry_id, env)["note"] == HOSTILE + "\nsecond line"
        assert f"tags           {FILE_TAG_SHOWN}\n" in shown
        assert entry_json(entry_id, env)["tags"] == [FILE_TAG]
    for command in (("list",), ("stats",), ("mood", "--since", "2026-10-01"),
                    ("insights", "--as-of", "2026-11-03")):
        safe(*command, env=env)


def test_file_names_with_control_characters_are_shown_escaped(env, tmp_path):
    name = "runs\x1b]52;c;aGk=\x07\u202e\x9b[bold].csv"
    good = write_csv(tmp_path / name, STRAVA_HEADER,
                     [["7", "Nov 1, 2026, 7:00:00 AM", "Easy", "Run", "1800", "5.0", ""]])
    shown = str(tmp_path / "runs\\x1b]52;c;aGk=\\x07\\u202e\\x9b[bold].csv")
    done = safe("import", str(good), env=env)
    assert done.stderr.startswith(f"{shown}: added 1,")
    missing = tmp_path / ("gone\x1b[2J\n" + name)
    line = error("import", str(missing), env=env)
    assert "gone\\x1b[2J" in line and "\\u202e" in line
    unknown = tmp_path / ("what\x1b[2J.txt")
    unknown.write_text("hello\n", encoding="utf-8")
    done = safe("import", str(good), str(unknown), env=env, code=2)
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"{shown}: added 0, skipped 1 as duplicates")
    assert lines[1].startswith("Error: ") and "what\\x1b[2J.txt" in lines[1]
    assert lines[2].startswith("In all (2 files):") and len(lines) == 3
    # Bytes that are not UTF-8 in a file name: shown as their \x escapes, no crash.
    raw = os.fsencode(tmp_path) + b"/bad\xff\x9b.csv"
    done = run("import", os.fsdecode(raw), env=env)
    assert done.returncode == 2 and "bad\\xff\\x9b.csv" in done.stderr
    assert_safe(done)


# -- a hostile log file -----------------------------------------------------------------------


def hostile_emotion_log(env) -> str:
    """A log someone else made: an emotion name full of controls and markup, on a run."""
    must("add", "5k", "30:00", "-b", "2", "-a", "4", "-f", "sad", "--no-input", env=env)
    name = "grief\x1b[2J\u202e[bold red]x[/]\x9b"
    conn = sqlite3.connect(env["RUNLOG_DB"])
    with conn:
        conn.execute("INSERT INTO emotions VALUES (?, 'negative', 0)", (name,))
        conn.execute("INSERT INTO entry_emotions VALUES (1, ?, 1)", (name,))
    conn.close()
    return "grief\\x1b[2J\\u202e[bold red]x[/]\\x9b"


def test_a_hostile_vocabulary_in_the_log_is_shown_escaped(env):
    shown = hostile_emotion_log(env)
    for command in (("show", "1"), ("emotions",), ("emotions", "list")):
        assert shown in safe(*command, env=env).stdout, command
    assert "grief\\x1b[2J" in safe("mood", env=env).stdout  # the felt-most column is cut
    listed = safe("list", env=env).stdout.splitlines()
    assert len(listed) == 2 and "sadness, grief\\x1b" in listed[1]  # cut to 80 columns


# -- on a terminal ------------------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")


def on_terminal(*args: str, env: dict) -> str:
    """What `runlog ARGS` writes to a terminal, with the terminal's CRLF line ends as LF."""
    child = pexpect.spawn(str(RUNLOG), list(args), env=env, encoding="utf-8", timeout=20,
                          dimensions=(40, 100))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before.replace("\r\n", "\n")


@pytest.mark.parametrize("no_color", [True, False])
def test_on_a_terminal_user_text_is_escaped_and_colours_are_runlogs_own(env, no_color):
    shown = hostile_emotion_log(env)
    must("add", "5k", "--no-input", "--note", HOSTILE, "--tag", TAG, env=env)
    terminal_env = {**env, "TERM": "xterm-256color"}
    if not no_color:
        del terminal_env["NO_COLOR"]
    for args in (("list",), ("emotions", "list"), ("emotions",), ("mood",), ("show", "2")):
        out = on_terminal(*args, env=terminal_env)
        escapes = re.findall("\x1b\\[[0-9;]*m", out)
        if no_color:
            assert escapes == [], (args, out)  # NO_COLOR: not even bold
        elif args != ("show", "2"):
            assert "\x1b[1m" in escapes, (args, out)  # the table headers are still bold
        # Apart from runlog's own styles, nothing raw: no OSC, no C1, no bidi.
        assert UNSAFE.search(re.sub("\x1b\\[[0-9;]*m", "", out)) is None, (args, out)
    assert "grief" in on_terminal("list", env=terminal_env)
    vocabulary = re.sub("\x1b\\[[0-9;]*m", "", on_terminal("emotions", "list",
                                                           env=terminal_env))
    assert shown in vocabulary  # markup shown as typed, not obeyed
    assert SHOWN in on_terminal("show", "2", env=terminal_env)


# -- any text ---------------------------------------------------------------------------------

CONTROLS = st.sampled_from(
    [chr(c) for c in range(0x20) if c not in (0x0A, 0x00)] + ["\x7f"]
    + [chr(c) for c in range(0x80, 0xA0)]
    + list("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    + ["[bold]", "[/]", "[link=x]", ":smile:", "\\x1b", "é", "🏃", " "])
TEXTS = st.lists(st.one_of(CONTROLS, st.text(alphabet="ab -,", max_size=3)), min_size=1,
                 max_size=12).map("".join)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_any_text_in_any_field_is_shown_safely_and_kept_exactly(tmp_path_factory, text):
    text = f"<{text}>"  # nothing for runlog to trim
    env = isolated_env(tmp_path_factory.mktemp("any"))
    # a tag holding C0 or C1 is refused (tested elsewhere); bidi controls stay in it
    tag = "t" + "".join(c for c in text[:30] if not (c < " " or "\x7f" <= c <= "\x9f"))
    done = safe("add", "5k", "--no-input", "--note", text, "--where", text, "--intention",
                text, "--tag", tag, env=env)
    assert done.stdout.startswith("Logged #1")
    assert_safe(run("show", "1", env=env))
    listed = run("list", "--json", env=env)
    assert_safe(listed)
    entry = json.loads(listed.stdout)[0]
    assert (entry["note"], entry["where"], entry["intention"]) == (text,) * 3


# -- the escaping itself ------------------------------------------------------------------------

ESCAPED = ([chr(c) for c in range(0x20) if c not in (0x0A, 0x09)] + ["\x7f"]
           + [chr(c) for c in range(0x80, 0xA0)]
           + list("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
                  "\u2066\u2067\u2068\u2069"))


@pytest.mark.parametrize("char", ESCAPED, ids=lambda c: f"U+{ord(c):04X}")
def test_every_control_and_bidi_character_is_spelled_out(char):
    from runlog.safetext import json_text, one_line, visible

    shown = visible(f"a{char}b")
    assert shown.startswith("a\\") and shown.endswith("b") and shown.isascii()
    assert shown.isprintable() and visible(shown) == shown == one_line(shown)
    assert json.loads(json_text(json.dumps(f"a{char}b", ensure_ascii=False))) == f"a{char}b"
    assert UNSAFE.search(json_text(json.dumps(f"a{char}b", ensure_ascii=False))) is None


def test_ordinary_text_passes_unchanged_and_one_line_spells_out_line_breaks():
    from runlog.safetext import json_text, one_line, visible

    ordinary = ("Tränen am Fluss, 涙, دموع, 👩‍👩‍👧 🏳️‍🌈, C:\\runs\\x1b.csv, [bold], :smile:,"
                " tab\there\nnext line")
    assert visible(ordinary) is ordinary
    assert json_text(json.dumps(ordinary, ensure_ascii=False)) == json.dumps(
        ordinary, ensure_ascii=False)
    assert one_line("a\tb\nc\r") == "a\\tb\\nc\\r"
    # A byte Python could not decode in a file name is shown as that byte.
    assert visible(os.fsdecode(b"bad\xff\x9b.csv")) == "bad\\xff\\x9b.csv"
    assert json.loads(json_text(json.dumps("\udcff", ensure_ascii=False))) == "\udcff"
