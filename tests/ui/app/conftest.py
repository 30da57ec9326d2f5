"""Fixtures for the application shell's tests: a real project file, the real main window (with the
real reader area), a private settings folder, and error dialogs that record instead of blocking."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from app_helpers import Study
from ui_study import create_study


@pytest.fixture
def private_settings() -> Path:
    """This test's own QSettings folder (set for every test by the root conftest)."""
    return Path(os.environ["ANNOTATOR_SETTINGS_DIR"])


@pytest.fixture
def study(tmp_path: Path) -> Study:
    """A project file with two documents, built through the services and closed again."""
    path = tmp_path / "study.annot"
    return Study(path, *create_study(path))


@pytest.fixture
def opened(window, study: Study):  # type: ignore[no-untyped-def]
    """The window with the study open, its two documents side by side."""
    assert window.open_project(study.path, [study.left, study.right])
    assert window.pane_area.documents()[:2] == [study.left, study.right]
    return window
