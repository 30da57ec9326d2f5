"""The Qt item models pass pytest-qt's model tester, and the claim list filters and sorts."""

from __future__ import annotations

from app_helpers import LEFT_CLAIM, LEFT_TEXT, RIGHT_CLAIM, RIGHT_TEXT, Study
from PySide6.QtCore import Qt

from annotator.services.api import Project
from annotator.ui.claim_list import (
    CLAIM_ID_ROLE,
    DOCUMENT,
    LABEL,
    QUOTE,
    ClaimListPanel,
    ClaimTableModel,
)
from annotator.ui.claim_store import ClaimStore
from annotator.ui.library import LibraryModel, LibraryPanel


def _store(project: Project) -> ClaimStore:
    store = ClaimStore()
    store.set_project(project)
    return store


def _annotate(project: Project, study: Study) -> tuple[str, str, str]:
    s, e = study.span(LEFT_TEXT, LEFT_CLAIM)
    a = project.create_claim(
        study.left,
        s,
        e,
        project.label("disputed").id,
        note="payroll says otherwise",
        tags=["numbers"],
    ).created_id
    s, e = study.span(RIGHT_TEXT, RIGHT_CLAIM)
    b = project.create_claim(study.right, s, e, project.label("sourced").id).created_id
    s, e = study.span(LEFT_TEXT, "fewer than 900 pickets")
    c = project.create_claim(study.left, s, e, project.label("sourced").id).created_id
    assert a and b and c
    return a, b, c


def test_library_model(qtbot, qtmodeltester, study: Study) -> None:  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        _annotate(project, study)
        model = LibraryModel()
        model.reload(project)
        qtmodeltester.check(model)
        assert model.rowCount() == 2
        assert model.columnCount() == 5 + 3
        tip = model.headerData(5, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert tip == "Claims labelled sourced"
        assert model.data(model.index(0, 1)) == "Union pamphlet"
        assert model.data(model.index(0, 5)) == "1"  # sourced
        assert model.data(model.index(0, 6)) == "1"  # disputed
        assert model.data(model.index(1, 6)) == ""
        model.set_open_documents([study.left])
        assert model.data(model.index(0, 1), Qt.ItemDataRole.FontRole).bold()

        panel = LibraryPanel()
        qtbot.addWidget(panel)
        panel.reload(project)
        qtmodeltester.check(panel.proxy)
        panel.filter.setText("encyclo")
        assert panel.proxy.rowCount() == 1
        with qtbot.waitSignal(panel.openRequested) as blocker:
            panel.view.activated.emit(panel.proxy.index(0, 1))
        assert blocker.args == [study.right, -1]


def test_claim_model_filter_and_sort(qtbot, qtmodeltester, study: Study) -> None:  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        a, b, c = _annotate(project, study)
        store = _store(project)
        model = ClaimTableModel(store)
        qtmodeltester.check(model)
        panel = ClaimListPanel(store)
        qtbot.addWidget(panel)
        qtmodeltester.check(panel.proxy)
        proxy = panel.proxy

        def ids() -> list[str]:
            return [proxy.index(r, 0).data(CLAIM_ID_ROLE) for r in range(proxy.rowCount())]

        assert panel.count.text() == "3 claims"
        panel.view.sortByColumn(DOCUMENT, Qt.SortOrder.AscendingOrder)
        assert ids() == [a, c, b]  # document order, then position
        panel.view.sortByColumn(QUOTE, Qt.SortOrder.AscendingOrder)
        assert ids() == [a, b, c]  # "4,000 d…" < "about…" < "fewer…"
        panel.view.sortByColumn(LABEL, Qt.SortOrder.DescendingOrder)
        assert ids()[0] == a  # disputed after sourced in label order
        panel.filter.setText("payroll")
        assert ids() == [a]
        assert panel.count.text() == "1 of 3 claims"
        panel.filter.setText("")
        panel.label_filter.setCurrentIndex(panel.label_filter.findText("sourced"))
        assert sorted(ids()) == sorted([b, c])
        panel.label_filter.setCurrentIndex(0)
        panel.set_current_document(study.right)
        panel.set_scope(ClaimListPanel.SCOPE_DOCUMENT)
        assert ids() == [b]
        panel.set_scope(ClaimListPanel.SCOPE_PROJECT)
        assert len(ids()) == 3
        with qtbot.waitSignal(panel.claimActivated) as blocker:
            panel.view.activated.emit(proxy.index(0, QUOTE))
        assert blocker.args == [ids()[0]]


def test_claim_model_follows_changes_row_by_row(qtbot, qtmodeltester, study: Study) -> None:  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        a, b, c = _annotate(project, study)
        store = _store(project)
        model = ClaimTableModel(store)
        qtmodeltester.check(model)  # stays connected: checks every signal below
        resets: list[int] = []
        model.modelReset.connect(lambda: resets.append(1))
        store.apply(project.update_claim(a, note="new note"))
        assert model.data(model.index(model.row_of(a), 2)) == "new note"
        store.apply(project.delete_claim(b))
        assert model.row_of(b) == -1 and model.rowCount() == 2
        s, e = study.span(RIGHT_TEXT, RIGHT_CLAIM)
        changes = project.create_claim(study.right, s, e, project.label("1").id)
        store.apply(changes)
        assert model.row_of(changes.created_id or "") == 2
        assert resets == []  # no full reload for claim edits
        store.apply(project.update_label(project.label("1").id, name="checked"))
        assert resets == [1]
        assert model.data(model.index(model.row_of(c), 0)) == "checked"


def test_library_counts_follow_claims(qtbot, qtmodeltester, study: Study) -> None:  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        model = LibraryModel()
        model.reload(project)
        qtmodeltester.check(model)
        assert model.data(model.index(1, 5)) == ""
        _annotate(project, study)
        model.set_counts(project.claim_counts())
        assert model.data(model.index(1, 5)) == "1"


def test_claim_filter_waits_for_typing_to_pause_in_a_very_big_list(
    qtbot, monkeypatch, study: Study
) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui import claim_list

    with Project.open(study.path) as project:
        _annotate(project, study)
        panel = ClaimListPanel(_store(project))
        qtbot.addWidget(panel)
        monkeypatch.setattr(claim_list, "FILTER_AT_ONCE_BELOW", 2)  # 3 claims: "very big"
        panel.filter.setText("pay")
        panel.filter.setText("payroll")
        assert panel.proxy.rowCount() == 3  # not yet: typing
        qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1, timeout=2000)
        assert panel.count.text() == "1 of 3 claims"
