"""Fixtures for the reader tests: a real project and a PaneArea shown offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator

import pytest

from annotator.services.api import Project


@pytest.fixture
def labels(project: Project) -> dict[str, str]:
    return {lab.name: lab.id for lab in project.labels()}


@pytest.fixture
def area(qtbot, project: Project) -> Iterator:
    from annotator.ui.reader import PaneArea

    widget = PaneArea(project)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


@pytest.fixture
def claim(project: Project, labels: dict[str, str]) -> Callable[..., str]:
    """`claim(doc_id, text, quote, label="disputed", note="", nth=0)` creates a claim on the
    nth occurrence of quote and returns its id."""

    def make(
        doc_id: str, text: str, quote: str, label: str = "disputed", note: str = "", nth: int = 0
    ) -> str:
        start = -1
        for _ in range(nth + 1):
            start = text.index(quote, start + 1)
        changes = project.create_claim(doc_id, start, start + len(quote), labels[label], note=note)
        assert changes.created_id is not None
        return changes.created_id

    return make
