"""Fixtures of the reliability tests: backups go to a data folder inside tmp_path; helpers to
mount a small tmpfs (root only) for full-disk and read-only-disk tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from disk_helpers import Mount

from annotator.services.api import Project


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Backups of every test go to tmp_path/data, never to the user's data folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def claims_project(project: Project, add_text: Callable[..., str]) -> Project:
    """A project with one document and three claims (each with tags), one link."""
    text = "The council met in secret. The bishop denied every charge. The letters were forged."
    doc = add_text(text, title="Chronicle")
    label = project.labels()[0].id
    ids = []
    for start, end in ((0, 26), (27, 58), (59, 83)):
        changes = project.create_claim(doc, start, end, label, tags=["a", "b", "c"])
        assert changes.created_id is not None
        ids.append(changes.created_id)
    project.create_link(ids[0], ids[1], "contradicts")
    return project


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """`tmpfs(size="2m")` mounts a small tmpfs and returns its folder; unmounted afterwards.
    Skips the test unless running as root where `mount` works (containers, CI as root)."""
    mounted: list[Path] = []

    def mount(size: str = "2m") -> Path:
        if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("mounting a small tmpfs needs root")
        folder = tmp_path / f"tmpfs{len(mounted)}"
        folder.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
