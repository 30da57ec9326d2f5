"""The claim list's filter model: what it shows is the claims of the model that pass the
filters, in the model's order, whichever way it got there (one pass on the GUI thread, a pass in
a worker thread for a big list, row-by-row changes, a new sort), and a filter change keeps the
current claim selected while it is still shown."""

from __future__ import annotations

import time

import pytest
from app_helpers import LEFT_TEXT, RIGHT_TEXT, Study
from PySide6.QtCore import QTimer

from annotator.domain.model import Claim
from annotator.services.api import Project
from annotator.ui import claim_filter
from annotator.ui.claim_filter import ClaimFilterModel
from annotator.ui.claim_list import CLAIM_ID_ROLE, NOTE, ClaimListPanel
from annotator.ui.claim_store import ClaimStore

NOTES = ("payroll", "police report", "union minutes", "harbour board", "pickets")


def _shown(panel: ClaimListPanel) -> list[str]:
    """The rows shown once a filter pass on the task runner (if any) has ended."""
    proxy = panel.proxy
    panel.qtbot.waitUntil(lambda: not proxy.busy(), timeout=10_000)  # type: ignore[attr-defined]
    return [proxy.index(r, 0).data(CLAIM_ID_ROLE) for r in range(proxy.rowCount())]


def _expected(panel: ClaimListPanel) -> list[str]:
    """What passes the filters, worked out from the project's claims by hand."""
    words = panel.filter.text().casefold().split()
    label = str(panel.label_filter.currentData() or "")
    document = panel._current_document if panel.scope.currentIndex() == 0 else None
    out = []
    for claim in panel.model.claims():
        if document is not None and claim.document_id != document:
            continue
        if label and claim.label_id != label:
            continue
        if all(word in panel.model.haystack(claim) for word in words):
            out.append(claim.id)
    return out


def _claims(project: Project, study: Study) -> list[str]:
    labels = [lab.id for lab in project.labels()]
    made = []
    for doc, text in ((study.left, LEFT_TEXT), (study.right, RIGHT_TEXT)):
        start = 0
        for i, word in enumerate(text.split()[:20]):
            start = text.index(word, start)
            changes = project.create_claim(
                doc, start, start + len(word), labels[i % 3], note=NOTES[i % len(NOTES)]
            )
            made.append(changes.created_id or "")
            start += len(word)
    return made


@pytest.fixture
def panel(qtbot, qtmodeltester, study: Study):  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        _claims(project, study)
        store = ClaimStore()
        store.set_project(project)
        panel = ClaimListPanel(store)
        qtbot.addWidget(panel)
        qtmodeltester.check(panel.proxy)  # stays connected: checks every signal below
        panel.project = project  # type: ignore[attr-defined]
        panel.qtbot = qtbot  # type: ignore[attr-defined]
        yield panel


@pytest.fixture(params=["at once", "in a worker thread"])
def where(request, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    if request.param == "in a worker thread":
        monkeypatch.setattr(claim_filter, "BACKGROUND_FILTER", 0)
    return str(request.param)


def test_every_filter_shows_what_passes_it(panel, study: Study, where: str) -> None:  # type: ignore[no-untyped-def]
    assert len(_shown(panel)) == 40
    for text in ("pay", "payroll", "union minutes", "zzz", "", "POLICE"):
        panel.filter.setText(text)
        assert _shown(panel) == _expected(panel), text
    panel.label_filter.setCurrentIndex(2)
    assert _shown(panel) == _expected(panel)
    panel.filter.setText("harbour")
    panel.set_current_document(study.right)
    panel.set_scope(ClaimListPanel.SCOPE_DOCUMENT)
    assert _shown(panel) == _expected(panel)
    assert 0 < len(_shown(panel)) < 40
    assert panel.count.text() == f"{len(_shown(panel))} of 40 claims"
    panel.view.sortByColumn(NOTE, panel.view.horizontalHeader().sortIndicatorOrder())
    assert _shown(panel) == _expected(panel)


def test_a_filter_change_keeps_the_current_claim(panel) -> None:  # type: ignore[no-untyped-def]
    panel.filter.setText("payroll")
    target = _shown(panel)[2]
    panel.select_claim(target)
    panel.filter.setText("pay")  # still shown, at another row
    assert panel.current_claim() == target
    assert panel.view.selectionModel().selectedRows()[0].data(CLAIM_ID_ROLE) == target
    panel.filter.setText("police")  # filtered out: nothing is current
    assert panel.current_claim() == ""
    assert panel.view.selectionModel().selectedRows() == []


def test_a_change_during_a_filter_in_the_background_is_shown(  # type: ignore[no-untyped-def]
    panel, study: Study, monkeypatch
) -> None:
    """The window keeps working while the worker filters: a change applied then is in what the
    filter shows, without a second pass, and a newer filter typed meanwhile wins."""
    monkeypatch.setattr(claim_filter, "BACKGROUND_FILTER", 0)
    project: Project = panel.project
    plain = ClaimFilterModel.passes
    slow: list[int] = []

    def slow_passes(self, claim: Claim) -> bool:  # type: ignore[no-untyped-def]
        if not slow:
            slow.append(1)
            time.sleep(0.3)
        return plain(self, claim)

    monkeypatch.setattr(ClaimFilterModel, "passes", slow_passes)
    passes: list[int] = []
    plain_start = ClaimFilterModel._start_pass

    def counted(self, claims, attempt):  # type: ignore[no-untyped-def]
        passes.append(1)
        return plain_start(self, claims, attempt)

    monkeypatch.setattr(ClaimFilterModel, "_start_pass", counted)
    start = RIGHT_TEXT.index("pickets")

    def change() -> None:
        changes = project.create_claim(
            study.right, start, start + 7, project.labels()[0].id, note="payroll too"
        )
        panel.store.apply(changes)

    QTimer.singleShot(100, change)
    panel.filter.setText("payroll")
    assert panel.proxy.busy()  # the pass runs on the task runner, the window goes on
    panel.qtbot.wait(300)  # the change comes while the worker filters
    assert _shown(panel) == _expected(panel)
    assert len(_shown(panel)) == 9  # 8 made by the fixture, and the one made meanwhile
    assert passes == [1]  # the pass's rows were brought up to date, not thrown away

    panel.filter.setText("police")
    police = _shown(panel)
    panel.filter.setText("")
    _shown(panel)
    slow.clear()
    QTimer.singleShot(100, lambda: panel.proxy.set_text("union"))
    panel.proxy.set_text("police")  # the worker filters for "police"; "union" comes meanwhile
    panel.filter.setText("union")  # what the panel says, as the timer's filter did
    assert _shown(panel) == _expected(panel)
    assert _shown(panel) != police
