"""Whether commits of a project open in this process stay visible to other processes: another
process opens and closes the file between two commits and must see the second one
(`annotator.storage.sqlite_files` says how they could stop being visible)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.services.api import Project

COUNT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
print(conn.execute("SELECT count(*) FROM annotations").fetchone()[0])
conn.close()
"""


def seen_elsewhere(path: Path) -> int:
    """The number of claims another process reads (it opens and closes the file)."""
    out = subprocess.run(
        [sys.executable, "-c", COUNT, str(path)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return int(out.stdout)


def commits_stay_visible(project: Project, path: Path) -> None:
    doc = project.documents()[0].id
    label = project.labels()[0].id
    project.create_claim(doc, 0, 4, label)
    before = seen_elsewhere(path)
    project.create_claim(doc, 5, 9, label)
    assert seen_elsewhere(path) == before + 1, "a commit is invisible to other programs"
    assert Path(f"{path}-wal").exists()
