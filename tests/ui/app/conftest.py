"""Fixtures for the application shell's tests: a real project file, the real main window (with the
real reader area), a private settings folder, and error dialogs that record instead of blocking."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import LEFT_TEXT, RIGHT_TEXT, Study

from annotator.importers.base import ImportedText
from annotator.services.api import Project


@pytest.fixture
def private_settings() -> Path:
    """This test's own QSettings folder (set for every test by the root conftest)."""
    return Path(os.environ["ANNOTATOR_SETTINGS_DIR"])


@pytest.fixture
def study(tmp_path: Path) -> Study:
    """A project file with two documents, built through the services and closed again."""
    path = tmp_path / "study.annot"
    with Project.create(path) as project:
        ids = []
        for n, (title, text) in enumerate(
            (("Union pamphlet", LEFT_TEXT), ("Harbour encyclopedia", RIGHT_TEXT)), 1
        ):
            imported = ImportedText(text=text, format="text", title=title)
            changes = project.add_document(imported, f"{n}{text}".encode(), f"doc{n}.txt")
            assert changes.created_id
            ids.append(changes.created_id)
    return Study(path, ids[0], ids[1])


@pytest.fixture
def window(qtbot) -> Iterator:  # type: ignore[no-untyped-def]
    from annotator.ui.app import make_application
    from annotator.ui.main_window import MainWindow

    make_application()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win.import_job is not None and win.import_job.running:
        win.import_job.cancel()
        win.import_job.wait()
    win.close()


@pytest.fixture
def opened(window, study: Study):  # type: ignore[no-untyped-def]
    """The window with the study open, its two documents side by side."""
    assert window.open_project(study.path, [study.left, study.right])
    assert window.pane_area.documents()[:2] == [study.left, study.right]
    return window
