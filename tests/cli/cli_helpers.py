"""Helpers of the CLI tests: run the real `annotator` command in a subprocess, tamper with a
project file. (A module of its own: `conftest` is a name several test folders use.)"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from own_samples import OWN_ARTICLE, OWN_SAMPLES, OWN_WIKI

SAMPLES = OWN_SAMPLES
"""The suite's own messy sample documents (tests/fixtures/sources)."""
ARTICLE = OWN_ARTICLE
WIKI = OWN_WIKI

_ENV = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
_ENV.pop("PYTHONWARNINGS", None)

Run = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`annotator ARGS...` in a subprocess. No run may ever print a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "annotator", *(str(a) for a in args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=_ENV,
        cwd=cwd,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a user error (exit status 1)."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("annotator: ")
    return lines[0]


def copy_project(source: Path, target: Path) -> Path:
    """A byte copy of a closed project (its WAL has been checkpointed on close)."""
    assert not Path(f"{source}-wal").exists() or Path(f"{source}-wal").stat().st_size == 0
    shutil.copyfile(source, target)
    return target


def sql(path: Path, *statements: str) -> None:
    """Change a project behind Annotator's back, as a damaged or tampered file would be."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
