"""Fixtures for the integration of search, export/import and backups into the main window: a
real project with claims, the real window, a real index and real backups, all under tmp_path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from ui_study import LEFT_TEXT, RIGHT_TEXT, add_study_documents

from annotator.services.api import Project


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
    changes = project.create_claim(doc, start, start + len(quote), label_id, **kw)
    assert changes.created_id
    return changes.created_id


@pytest.fixture
def study(tmp_path: Path) -> Study:
    path = tmp_path / "study.annot"
    with Project.create(path) as project:
        left, right = add_study_documents(project)
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
def opened(qtbot, window, study: Study):  # type: ignore[no-untyped-def]
    assert window.open_project(study.path, [study.left, study.right])
    # search, the backup at open and the watcher start after the first paint, in the background
    qtbot.waitUntil(lambda: window.session.ready, timeout=10000)
    window.session.wait_for_backup()
    return window
