"""Fixtures for the integration of search, export/import and backups into the main window: a
real project with claims, the real window, a real index and real backups, all under tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.importers.base import ImportedText
from annotator.services.api import Project

LEFT_TEXT = (
    "Harbour report 🚢 from the strike.\n\n"
    "The union says 4,000 dockers walked out on the first morning.\n\n"
    "Police counted fewer than 900 pickets at the gates."
)
RIGHT_TEXT = (
    "Encyclopedia entry.\n\n"
    "Contemporary police records list about 900 pickets at the gates.\n\n"
    "The union's figure of 4,000 is not supported by payroll records."
)


@dataclass
class Study:
    path: Path
    left: str
    right: str
    dockers: str  # claim ids
    pickets: str
    payroll: str


def _claim(project: Project, doc: str, text: str, quote: str, label: str, **kw: object) -> str:
    start = text.index(quote)
    label_id = project.label(label).id
    changes = project.create_annotation(doc, start, start + len(quote), label_id, **kw)
    assert changes.created_id
    return changes.created_id


@pytest.fixture
def study(tmp_path: Path) -> Study:
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
        left, right = ids
        dockers = _claim(
            project,
            left,
            LEFT_TEXT,
            "4,000 dockers walked out",
            "disputed",
            note="Union figure, no payroll source.",
            tags=["strike"],
        )
        pickets = _claim(
            project, right, RIGHT_TEXT, "about 900 pickets", "sourced", tags=["strike", "police"]
        )
        payroll = _claim(project, right, RIGHT_TEXT, "not supported by payroll records", "sourced")
    return Study(path, left, right, dockers, pickets, payroll)


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
    win.close()


@pytest.fixture
def opened(qtbot, window, study: Study):  # type: ignore[no-untyped-def]
    assert window.open_project(study.path, [study.left, study.right])
    # search, the backup at open and the watcher start after the first paint, in the background
    qtbot.waitUntil(lambda: window.services.ready, timeout=10000)
    window.services.wait_for_backup()
    return window
