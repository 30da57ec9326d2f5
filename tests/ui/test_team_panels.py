"""The Agreement panel and the Adjudication dialog, driven with real clicks in the real window on
a real project file holding the claims of two annotators."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from ui_study import LEFT_TEXT, RIGHT_TEXT, create_study

from annotator.services.agreement import agreement_json, measure_project_agreement
from annotator.services.api import Project
from annotator.ui.adjudication_dialog import NOT_A_CLAIM, AdjudicationDialog
from annotator.ui.agreement_panel import AgreementPanel


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def _mark(project: Project, who: str, doc: str, text: str, quote: str, label: str) -> str:
    project.set_author(who)
    start, end = _span(text, quote)
    changes = project.create_claim(doc, start, end, project.label(label).id, note=f"{who}")
    assert changes.created_id
    return changes.created_id


@pytest.fixture
def team(tmp_path: Path) -> dict[str, object]:
    """ann and bob agree on the dockers, differ on the pickets, and bob alone marked the payroll
    sentence. The app then works as "judge"."""
    path = tmp_path / "team.annot"
    left, right = create_study(path)
    with Project.open(path) as p:
        ids: dict[str, object] = {
            "path": path,
            "left": left,
            "right": right,
            "ann1": _mark(p, "ann", left, LEFT_TEXT, "4,000 dockers walked out", "disputed"),
            "bob1": _mark(p, "bob", left, LEFT_TEXT, "4,000 dockers walked out", "disputed"),
            "ann2": _mark(p, "ann", left, LEFT_TEXT, "fewer than 900 pickets", "sourced"),
            "bob2": _mark(p, "bob", left, LEFT_TEXT, "fewer than 900 pickets at", "polemical"),
            "bob3": _mark(p, "bob", right, RIGHT_TEXT, "not supported by payroll", "sourced"),
        }
        p.set_author("judge")
    return ids


def _click_row(qtbot, table: QTableWidget, row: int, column: int = 0) -> None:  # type: ignore[no-untyped-def]
    item = table.item(row, column)
    assert item is not None
    rect = table.visualItemRect(item)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _cells(table: QTableWidget, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def _agreement(path: Path) -> dict[str, object]:
    with Project.open(path, readonly=True) as p:
        return agreement_json(measure_project_agreement(p))


def test_agreement_panel_shows_the_figures_and_follows_changes(  # type: ignore[no-untyped-def]
    qtbot, window, team
) -> None:
    assert window.open_project(team["path"], [team["left"], team["right"]])
    window.window_actions.agreement.trigger()
    panel = window.findChild(AgreementPanel)
    assert panel is not None and panel.isVisible()
    assert "50%" in panel.rule.text() and "overlap coefficient" in panel.rule.text()
    assert "2 annotators (ann, bob), 5 claims, 2 units" in panel.summary.text()
    assert "ann 0, bob 1" in panel.summary.text()
    # (d,d) and (s,p): po = 1/2; ann d1 s1, bob d1 p1: pe = 1/4; kappa = (1/2 - 1/4)/(3/4) = 1/3.
    assert _cells(panel.pairs, 0) == ["ann – bob", "2", "50%", "0.33", "0 / 1"]
    tab_bar = panel.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(1).center())
    assert panel.tabs.currentWidget() is panel.documents
    assert panel.documents.rowCount() == 2
    assert _cells(panel.documents, 0)[:3] == ["1", "Union pamphlet", "2"]
    assert _cells(panel.documents, 1)[1:] == ["Harbour encyclopedia", "0", "—", "1"]
    assert "only one annotator (bob)" in panel.documents.item(1, 3).toolTip()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(2).center())
    labels = {_cells(panel.labels, r)[0]: _cells(panel.labels, r) for r in range(3)}
    assert labels["disputed"][1:4] == ["2", "1", "0"]
    assert labels["sourced"][1:4] == ["2", "1", "1"]
    # ann marks the payroll sentence too: the panel follows, and kappa is measured again.
    with Project.open(team["path"]) as other:
        other.set_author("ann")
        s, e = _span(RIGHT_TEXT, "not supported by payroll")
        other.create_claim(team["right"], s, e, other.label("sourced").id)
    qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    assert _cells(panel.pairs, 0)[1] == "3"
    # A change made in this window reaches the panel by itself.
    window.project.set_author("bob")
    s, e = _span(RIGHT_TEXT, "Contemporary police records")
    window.project.create_claim(team["right"], s, e, window.project.label("sourced").id)
    qtbot.waitUntil(lambda: "7 claims" in panel.summary.text())
    window.close_project()
    qtbot.waitUntil(lambda: window.findChild(AgreementPanel) is None)


def test_adjudication_dialog_settles_confirms_rejects_and_undoes(  # type: ignore[no-untyped-def]
    qtbot, window, team
) -> None:
    path = team["path"]
    before = _agreement(path)
    assert window.open_project(path, [team["left"], team["right"]])
    window.window_actions.agreement.trigger()
    panel = window.findChild(AgreementPanel)
    qtbot.mouseClick(panel.adjudicate_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(AdjudicationDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.units.rowCount() == 2
    assert dialog.summary.text() == "2 open disagreements."
    assert _cells(dialog.units, 0)[:4] == [
        "1", "Union pamphlet", "labels differ", "ann: sourced · bob: polemical",
    ]  # fmt: skip
    assert _cells(dialog.units, 1)[2:4] == ["one annotator", "bob: sourced"]

    # The unit's claims side by side; clicking bob's selects it in the reader.
    _click_row(qtbot, dialog.units, 0, 2)
    assert dialog.claims.rowCount() == 2
    assert _cells(dialog.claims, 0) == ["ann", "sourced", "fewer than 900 pickets", "ann"]
    assert _cells(dialog.claims, 1) == ["bob", "polemical", "fewer than 900 pickets at", "bob"]
    _click_row(qtbot, dialog.claims, 1, 1)
    assert window.inspector.claim is not None and window.inspector.claim.id == team["bob2"]
    pane = window.pane_area._panes[0]
    assert pane.view.current_claim == team["bob2"]
    assert dialog.span_choice.currentData() == team["bob2"]
    assert dialog.confirm_button.isEnabled() is False
    # Choosing a label proposes the span of a claim that has it.
    _click_row(qtbot, dialog.claims, 0, 1)
    assert dialog.span_choice.currentData() == team["ann2"]
    assert dialog.label_choice.currentText() == "sourced"
    dialog.label_choice.setFocus()
    qtbot.keyClick(dialog.label_choice, Qt.Key.Key_Down)  # disputed: nobody's label here
    assert dialog.span_choice.currentData() == team["ann2"]
    qtbot.keyClick(dialog.label_choice, Qt.Key.Key_Down)  # polemical: bob's
    assert dialog.label_choice.currentText() == "polemical"
    assert dialog.span_choice.currentData() == team["bob2"]

    # Settle as "disputed" over bob's span (chosen above).
    dialog.label_choice.setCurrentIndex(dialog.label_choice.findText("disputed"))
    qtbot.mouseClick(dialog.settle_button, Qt.MouseButton.LeftButton)
    assert dialog.units.rowCount() == 1
    assert dialog.summary.text() == "1 open disagreement; 1 settled."
    assert window.stack.undoText() == "Settle “fewer than 900 pickets at” as disputed"
    with Project.open(path, readonly=True) as p:
        (settlement,) = p.settlements()
        claim = p.annotation(settlement.claim_id or "")
        assert settlement.settled_by == "judge" and claim.author == "judge"
        assert claim.quote.exact == "fewer than 900 pickets at"
        assert claim.label_id == p.label("disputed").id
        assert [(j.claim_id, j.author, j.label) for j in settlement.judgements] == [
            (team["ann2"], "ann", "sourced"),
            (team["bob2"], "bob", "polemical"),
        ]
    assert window.claims.model.claim(settlement.claim_id) is not None  # the window followed
    assert _agreement(path) == before

    # Edit > Undo brings the unit back; Edit > Redo settles it again.
    window.window_actions.undo.trigger()
    qtbot.waitUntil(lambda: dialog.units.rowCount() == 2)
    with Project.open(path, readonly=True) as p:
        assert p.settlements() == [] and len(p.annotations()) == 5
    window.window_actions.redo.trigger()
    qtbot.waitUntil(lambda: dialog.units.rowCount() == 1)

    # bob's lone claim: confirm it, undo, then reject it.
    _click_row(qtbot, dialog.units, 0, 2)
    assert dialog.confirm_button.isEnabled()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.units.rowCount() == 0
    assert dialog.summary.text() == "No open disagreement; 2 settled."
    with Project.open(path, readonly=True) as p:
        confirmed = p.settlements()[-1]
        assert confirmed.label == "sourced" and not confirmed.rejected
        assert [j.claim_id for j in confirmed.judgements] == [team["bob3"]]
    window.stack.undo()
    qtbot.waitUntil(lambda: dialog.units.rowCount() == 1)
    _click_row(qtbot, dialog.units, 0, 2)
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    assert dialog.units.rowCount() == 0
    assert window.stack.undoText().endswith("as not a claim")
    with Project.open(path, readonly=True) as p:
        rejected = p.settlements()[-1]
        assert rejected.rejected and rejected.claim_id is None
        assert len(p.annotations()) == 6  # the five of the annotators and one settled claim
    assert _agreement(path) == before
    assert dialog.label_choice.findText(NOT_A_CLAIM) >= 0
