"""The claim store and the claim list follow changes row by row, and what they hold (order,
filters, counts) is always what a full reload from the project would show."""

from __future__ import annotations

import pytest
from app_helpers import LEFT_TEXT, RIGHT_TEXT, Study, reopen
from PySide6.QtCore import Qt

from annotator.services.api import Project
from annotator.services.changes import Changes, EntityRef
from annotator.ui.claim_list import (
    CLAIM_ID_ROLE,
    COLUMNS,
    DOCUMENT,
    LABEL,
    NOTE,
    QUOTE,
    TAGS,
    ClaimListPanel,
    ClaimTableModel,
)
from annotator.ui.claim_store import ClaimStore

WORDS = ("union", "police", "pickets", "dockers", "strike", "gates", "morning", "payroll")


def _spans(text: str) -> list[tuple[int, int]]:
    """Every word of a text as a span (many claims, some sharing a start)."""
    out, start = [], 0
    for word in text.split():
        start = text.index(word, start)
        out.append((start, start + len(word)))
        start += len(word)
    return out


def _ids(panel: ClaimListPanel) -> list[str]:
    proxy = panel.proxy
    return [proxy.index(r, 0).data(CLAIM_ID_ROLE) for r in range(proxy.rowCount())]


def _store(project: Project) -> ClaimStore:
    store = ClaimStore()
    store.set_project(project)
    return store


def _fresh(qtbot, project: Project, panel: ClaimListPanel) -> ClaimListPanel:  # type: ignore[no-untyped-def]
    """A panel of a store read anew from the project, with the same sort, scope and filters."""
    other = ClaimListPanel(_store(project))
    qtbot.addWidget(other)
    column, order = panel.model._sort
    other.model.sort(column, order)
    other.set_current_document(panel._current_document)
    other.set_scope(panel.scope.currentIndex())
    other.filter.setText(panel.filter.text())
    other.label_filter.setCurrentIndex(panel.label_filter.currentIndex())
    return other


def _check(qtbot, project: Project, panel: ClaimListPanel) -> None:  # type: ignore[no-untyped-def]
    fresh = _fresh(qtbot, project, panel)
    model, reloaded = panel.model, fresh.model
    assert [model.claim_at(r) for r in range(model.rowCount())] == [
        reloaded.claim_at(r) for r in range(reloaded.rowCount())
    ]
    assert _ids(panel) == _ids(fresh)
    assert panel.store.counts() == project.claim_counts()
    assert panel.store.claims() == fresh.store.claims()
    assert panel.count.text() == fresh.count.text()
    for row in range(model.rowCount()):
        claim = model.claim_at(row)
        assert claim is not None and model.row_of(claim.id) == row
        assert model.claim(claim.id) == claim


@pytest.mark.parametrize(
    ("column", "order"),
    [
        (DOCUMENT, Qt.SortOrder.AscendingOrder),
        (LABEL, Qt.SortOrder.AscendingOrder),
        (LABEL, Qt.SortOrder.DescendingOrder),
        (QUOTE, Qt.SortOrder.AscendingOrder),
        (NOTE, Qt.SortOrder.DescendingOrder),
        (TAGS, Qt.SortOrder.AscendingOrder),
    ],
)
def test_changes_applied_row_by_row_equal_a_reload(  # type: ignore[no-untyped-def]
    qtbot, qtmodeltester, study: Study, column: int, order: Qt.SortOrder
) -> None:
    with Project.open(study.path) as project:
        labels = [lab.id for lab in project.labels()]
        made: list[str] = []
        for i, (s, e) in enumerate(_spans(LEFT_TEXT)[:12]):
            changes = project.create_claim(study.left, s, e, labels[i % 3], note=WORDS[i % 8])
            made.append(changes.created_id or "")
        panel = ClaimListPanel(_store(project))
        qtbot.addWidget(panel)
        qtmodeltester.check(panel.proxy)  # stays connected: checks every signal below
        panel.view.sortByColumn(column, order)
        panel.set_current_document(study.left)
        resets: list[int] = []
        panel.model.modelReset.connect(lambda: resets.append(1))

        def apply(changes) -> None:  # type: ignore[no-untyped-def]
            panel.store.apply(changes)
            _check(qtbot, project, panel)

        _check(qtbot, project, panel)
        for s, e in _spans(RIGHT_TEXT)[:5]:  # create
            apply(project.create_claim(study.right, s, e, labels[1], tags=["harbour"]))
        apply(project.update_claim(made[0], note="zzz last by note"))  # a new sort key
        apply(project.update_claim(made[1], label_id=labels[2]))  # relabel
        apply(project.update_claim(made[2], tags=["aaa", "first"]))
        gone = project.annotation(made[3])
        apply(project.delete_claim(made[3]))  # delete, then undo it
        apply(project.restore_claim(gone))
        panel.filter.setText("payroll")  # a text filter: an edit hides or shows the row
        _check(qtbot, project, panel)
        apply(project.update_claim(made[4], note="payroll records"))
        apply(project.update_claim(made[7], note="nothing to see"))
        panel.filter.setText("")
        panel.label_filter.setCurrentIndex(panel.label_filter.findData(labels[0]))
        apply(project.update_claim(made[5], label_id=labels[0]))  # into the label filter
        apply(project.update_claim(made[6], label_id=labels[1]))  # out of it
        panel.set_scope(ClaimListPanel.SCOPE_DOCUMENT)
        apply(project.delete_claim(made[8]))
        assert resets == []  # all of it row by row


def test_selection_stays_on_a_claim_whose_row_moves(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        labels = [lab.id for lab in project.labels()]
        ids = [
            project.create_claim(study.left, s, e, labels[0]).created_id or ""
            for s, e in _spans(LEFT_TEXT)[:6]
        ]
        panel = ClaimListPanel(_store(project))
        qtbot.addWidget(panel)
        panel.view.sortByColumn(LABEL, Qt.SortOrder.AscendingOrder)
        panel.select_claim(ids[0])
        panel.store.apply(project.update_claim(ids[0], label_id=labels[2]))
        assert panel.current_claim() == ids[0]
        assert panel.model.row_of(ids[0]) == len(ids) - 1  # moved to the end


def test_a_big_batch_reloads_once(qtbot, study: Study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        label = project.labels()[0].id
        store = _store(project)
        model = ClaimTableModel(store)
        monkeypatch.setattr(ClaimStore, "RESET_ABOVE", 3)
        resets: list[int] = []
        model.modelReset.connect(lambda: resets.append(1))
        for s, e in _spans(LEFT_TEXT)[:5]:
            store.apply(project.create_claim(study.left, s, e, label))
        assert resets == []
        batch = Changes(
            change_number=project.change_number(),
            added=tuple(EntityRef("annotation", a.id) for a in project.annotations()),
        )
        store.apply(batch)
        assert resets == [1]
        assert model.rowCount() == 5 and store.counts() == project.claim_counts()
        assert len(COLUMNS) == model.columnCount()


def test_window_counts_follow_every_kind_of_change(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    """Library and legend counts come from the claim store: after creating, undoing,
    redoing, relabelling, deleting and another program's changes they equal a fresh query."""
    project = opened.project
    labels = [lab.id for lab in project.labels()]
    # the watcher starts after the window's first paint
    qtbot.waitUntil(lambda: opened.session.watcher is not None, timeout=10000)

    def check() -> None:
        counts = project.claim_counts()
        assert opened.store.counts() == counts
        assert opened.library.model._counts == counts
        totals = {lab: sum(c.get(lab, 0) for c in counts.values()) for lab in labels}
        here = counts.get(opened.current_document(), {})
        names = [lab.name for lab in project.labels()]
        assert opened.legend.texts() == [
            f"■ {name} {totals[lab]} ({here.get(lab, 0)})"
            for name, lab in zip(names, labels, strict=True)
        ]

    actions = opened.claim_actions
    spans = _spans(LEFT_TEXT)
    made = [
        actions.create_claim(study.left, s, e, labels[i % 3]) for i, (s, e) in enumerate(spans[:4])
    ]
    assert all(made)
    check()
    opened.stack.undo()
    check()
    opened.stack.redo()
    check()
    assert actions.relabel_claim(made[0], labels[1])
    check()
    assert actions.delete_claim(made[1])
    check()
    opened.stack.undo()  # the claim comes back
    check()
    with reopen(study.path) as other:  # another program
        s, e = _spans(RIGHT_TEXT)[2]
        other.create_claim(study.right, s, e, labels[2])
        other.delete_claim(made[2])
    assert opened.session.poll_watcher() is not None
    check()
    opened.pane_area.open_document(study.right, 0)  # the legend's "here" follows the pane
    check()


def test_selecting_claims_reads_nothing_again(qtbot, opened, study: Study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The inspector takes the claim from the claim store and reads the tags in use only when
    the tags field is about to be edited."""
    actions = opened.claim_actions

    project = opened.project
    label = project.labels()[0].id
    made = [actions.create_claim(study.left, s, e, label) for s, e in _spans(LEFT_TEXT)[:3]]
    project.update_claim(made[0], tags=["harbour", "strike"])
    calls: list[str] = []
    for name in ("tags_in_use", "annotation", "claim_counts", "links"):
        original = getattr(project, name)

        def counted(*args, _name=name, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(project, name, counted)
    for claim_id in (made[1], made[2], made[1]):
        opened.select_claim(claim_id)
        assert opened.inspector.current_claim() == claim_id
    assert [c for c in calls if c != "links"] == []
    s, e = _spans(LEFT_TEXT)[5]
    assert actions.create_claim(study.left, s, e, label)
    assert calls.count("links") == 3  # one per selection above; none for the new claim
    inspector = opened.inspector
    opened.activateWindow()
    inspector.tags.setFocus()
    qtbot.waitUntil(inspector.tags.hasFocus)
    assert calls.count("tags_in_use") == 1
    assert inspector.tag_completer.model().stringList() == ["harbour", "strike"]
