"""A big project's claims are read into the claim store on the task runner: the window keeps
turning meanwhile, and what the store holds is what a plain read gives, also when a change or
another reload comes in during the read."""

from __future__ import annotations

import time

import pytest
from app_helpers import LEFT_TEXT, Study, reopen
from PySide6.QtCore import QTimer

from annotator.services.api import Project
from annotator.ui import claim_store
from annotator.ui.claim_list import ClaimTableModel
from annotator.ui.claim_store import ClaimStore


def _ids(store: ClaimStore) -> list[str]:
    return [c.id for c in store.claims()]


def _read(qtbot, project: Project) -> ClaimStore:  # type: ignore[no-untyped-def]
    """A store of `project`, once its read (on the task runner for a big one) is in."""
    store = ClaimStore()
    store.set_project(project)
    qtbot.waitUntil(lambda: not store.reading(), timeout=10_000)
    return store


@pytest.fixture
def project(study: Study):  # type: ignore[no-untyped-def]
    with reopen(study.path) as project:
        label = project.label("disputed").id
        start = 0
        for word in LEFT_TEXT.split()[:30]:
            start = LEFT_TEXT.index(word, start)
            project.create_claim(study.left, start, start + len(word), label)
            start += len(word)
        yield project


@pytest.fixture
def in_background(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(claim_store, "BACKGROUND_CLAIMS", 0)


def _slow(monkeypatch, project: Project, seconds: float, during=None) -> list[int]:  # type: ignore[no-untyped-def]
    """Make `project.annotations()` take `seconds` in the worker; `during()` runs from the
    event loop meanwhile. Returns the list of reads made."""
    reads: list[int] = []
    plain = Project.annotations

    def slow_read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(1)
        if len(reads) == 1:
            time.sleep(seconds)
        return plain(self, *args, **kwargs)

    monkeypatch.setattr(Project, "annotations", slow_read)
    if during is not None:
        QTimer.singleShot(int(seconds * 500), during)
    return reads


def test_reading_in_the_background_gives_what_a_plain_read_gives(
    qtbot, project, in_background, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    _slow(monkeypatch, project, 0.4)
    store = _read(qtbot, project)
    timer.stop()
    assert len(ticks) >= 10  # the event loop kept turning during the 0.4 s read
    monkeypatch.setattr(claim_store, "BACKGROUND_CLAIMS", 10**9)
    plain = _read(qtbot, project)
    assert _ids(store) == _ids(plain) and store.claim_count() == project.annotation_count() > 20
    assert store.counts() == project.claim_counts()
    model = ClaimTableModel(store)
    assert [model.claim_at(r).id for r in range(model.rowCount())] == _ids(plain)


def test_a_change_during_the_read_is_not_lost(
    qtbot, project, study, in_background, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    other = reopen(study.path)

    def change() -> None:
        start = LEFT_TEXT.index("Harbour")
        other.create_claim(study.left, start, start + 7, other.label("sourced").id)

    reads = _slow(monkeypatch, project, 0.4, during=change)
    before = project.annotation_count()
    store = _read(qtbot, project)
    other.close()
    assert len(reads) >= 2  # the change number moved: read again
    assert store.claim_count() == before + 1 == project.annotation_count()
    assert store.counts() == project.claim_counts()


def test_a_label_made_during_the_read_is_read_with_its_claim(
    qtbot, project, study, in_background, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Labels and documents are read with the claims, again when the change number moved: a
    claim with a label made meanwhile (by another program) shows that label's name."""
    other = reopen(study.path)

    def change() -> None:
        label = other.add_label("Newly made", "#123456").created_id or ""
        start = LEFT_TEXT.index("Harbour")
        other.create_claim(study.left, start, start + 7, label)

    _slow(monkeypatch, project, 0.4, during=change)
    store = _read(qtbot, project)
    other.close()
    assert [label.name for label in store.labels()][-1] == "Newly made"
    model = ClaimTableModel(store)
    names = {model.data(model.index(r, 0)) for r in range(model.rowCount())}
    assert "Newly made" in names and "?" not in names


def test_a_reload_asked_for_during_the_read_runs_after_it(
    qtbot, project, in_background, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    store = ClaimStore()
    resets: list[int] = []
    store.changed.connect(lambda update: resets.append(update.reset))
    store.project = project
    reads = _slow(monkeypatch, project, 0.4, during=store.reload)
    store.reload()
    qtbot.waitUntil(lambda: len(resets) == 2 and not store.reading(), timeout=10_000)
    assert len(reads) == 2 and store.claim_count() == project.annotation_count()
    assert resets == [True, True]  # one after the other: observers see both, in order
