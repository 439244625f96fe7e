"""README's recipes do what they say, and keep private data private."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from relsupport import RUNLOG, isolated_env, must

README = Path(__file__).resolve().parents[2] / "README.md"


def _recipe(comment_start: str) -> str:
    """The command under the README comment that starts with `comment_start`."""
    lines = README.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.startswith(comment_start):
            rest = [text for text in lines[number + 1:] if not text.startswith("#")]
            return rest[0]
    raise AssertionError(f"no recipe starting {comment_start!r} in README")


def test_no_recipe_writes_a_predictable_file_in_tmp():
    text = README.read_text(encoding="utf-8")
    assert not re.search(r"[>|]\s*/tmp/", text), "a recipe writes to a shared /tmp path"


def test_the_cron_recipe_mails_the_findings_and_leaves_no_file(tmp_path):
    env = isolated_env(tmp_path)
    for _ in range(3):  # three painful runs in a fortnight: a warning
        must("add", "5k", "30:00", "--pain", "6", "--no-input", env=env)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "runlog").symlink_to(RUNLOG)
    mailed = tmp_path / "mailed.txt"
    mail = bin_dir / "mail"
    mail.write_text(f"#!/bin/sh\ncat > {mailed}\n")
    mail.chmod(0o700)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env.update(PATH=f"{bin_dir}{os.pathsep}{env['PATH']}", TMPDIR=str(scratch), USER="runner")
    recipe = _recipe("# From cron")
    done = subprocess.run(["bash", "-c", recipe], env=env, capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert '"running_through_pain"' in mailed.read_text()
    assert list(scratch.iterdir()) == []


def test_every_test_named_in_the_promises_table_exists():
    """Each promise in README names the tests that prove it: those tests must exist, so a
    renamed or deleted test can't leave a promise unproved."""
    import ast

    text = README.read_text(encoding="utf-8")
    table = text[text.index("## What runlog promises"):text.index("## Speed")]
    tests_dir = README.parent / "tests"
    named = re.findall(r"`((?:tests/)?[\w/]*test_\w+\.py)(?:::(\w+))?`", table)
    assert len(named) > 30
    missing = []
    for path, name in named:
        file = README.parent / path if path.startswith("tests/") else tests_dir / "reliability" / path
        if not file.is_file():
            missing.append(path)
            continue
        if name:
            defined = {node.name for node in ast.walk(ast.parse(file.read_text(encoding="utf-8")))
                       if isinstance(node, ast.FunctionDef)}
            if name not in defined:
                missing.append(f"{path}::{name}")
    assert missing == []
