"""The selection follows undo and redo, driven with real key presses: Del then Ctrl+Z selects
the claim brought back (in its pane, in the inspector, its row current in the claim list); redo
of a mark selects the claim made again; undo of a mark selects its neighbour, or nothing; undo
of a relabel selects the claim relabelled; undo and redo of a link select its two claims."""

from __future__ import annotations

import pytest
from app_helpers import LEFT_TEXT, RIGHT_TEXT, Study, run_modal
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from annotator.ui.claim_list import CLAIM_ID_ROLE
from annotator.ui.link_dialog import LinkDialog

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _mark(qtbot, window, pane: int, doc: str, text: str, quote: str, key: str = "2") -> str:  # type: ignore[no-untyped-def]
    """Select `quote` in a pane and press a label key, as a user does; the new claim's id."""
    start = text.index(quote)
    window.pane_area.show_span(doc, start, start + len(quote))
    view = window.pane_area.pane(pane).view
    view.setFocus()
    before = {a.id for a in window.project.annotations()}
    qtbot.keyClick(view, key)
    [new] = [a.id for a in window.project.annotations() if a.id not in before]
    return str(new)


def _point_of(view, offset: int) -> QPoint:  # type: ignore[no-untyped-def]
    view.ensure_offset_visible(offset)
    view.prepare_visible()
    pos = view.to_qt(offset)
    rects = view.range_rects(pos, pos + 1)
    assert rects, "the character is not visible"
    return rects[0].center().toPoint()


def _click_text(qtbot, window, pane: int, text: str, quote: str) -> None:  # type: ignore[no-untyped-def]
    view = window.pane_area.pane(pane).view
    point = _point_of(view, text.index(quote) + 1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def _click_row(qtbot, window, claim_id: str) -> None:  # type: ignore[no-untyped-def]
    panel = window.claims
    index = panel.proxy.quote_index(claim_id)
    assert index.isValid()
    rect = panel.view.visualRect(index)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _key(qtbot, window, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:  # type: ignore[no-untyped-def]
    """A shortcut pressed where the keyboard focus is."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifiers)


def _selected(window) -> str:  # type: ignore[no-untyped-def]
    """The selected claim, after checking that every panel agrees on it."""
    claim_id = window.selection.claim()
    assert window.inspector.current_claim() == claim_id
    rows = window.claims.view.selectionModel().selectedRows()
    assert [str(index.data(CLAIM_ID_ROLE)) for index in rows] == ([claim_id] if claim_id else [])
    assert window.claims.current_claim() == claim_id
    area = window.pane_area
    if claim_id:
        assert (area.current_pane(), claim_id) in area.selected_claims()
    else:
        assert all(pane != area.current_pane() for pane, _c in area.selected_claims())
    return str(claim_id)


@pytest.fixture
def claims(qtbot, opened, study: Study) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    made = {
        "harbour": _mark(qtbot, opened, 0, study.left, LEFT_TEXT, "Harbour report"),
        "dockers": _mark(qtbot, opened, 0, study.left, LEFT_TEXT, "4,000 dockers walked out"),
        "pickets": _mark(qtbot, opened, 0, study.left, LEFT_TEXT, "fewer than 900 pickets"),
        "records": _mark(qtbot, opened, 1, study.right, RIGHT_TEXT, "Contemporary police"),
    }
    opened.stack.clear()
    return made


def test_undo_of_del_selects_the_claim_brought_back_and_redo_its_neighbour(  # type: ignore[no-untyped-def]
    qtbot, opened, claims
) -> None:
    _click_row(qtbot, opened, claims["dockers"])
    assert _selected(opened) == claims["dockers"]
    qtbot.keyClick(opened.claims.view, Qt.Key.Key_Delete)
    assert _selected(opened) == claims["pickets"]  # Del moves on to the neighbour

    _key(qtbot, opened, Qt.Key.Key_Z, CTRL)
    assert opened.project.annotation(claims["dockers"])
    assert _selected(opened) == claims["dockers"]  # in its pane, the inspector and the list
    assert opened.pane_area.current_pane() == 0

    _key(qtbot, opened, Qt.Key.Key_Z, CTRL_SHIFT)  # redo the delete: the neighbour again
    assert opened.project.claims_by_id([claims["dockers"]]) == {}
    assert _selected(opened) == claims["pickets"]

    _key(qtbot, opened, Qt.Key.Key_Y, CTRL)
    assert opened.stack.canRedo() is False
    _key(qtbot, opened, Qt.Key.Key_Z, CTRL)
    assert _selected(opened) == claims["dockers"]


def test_undo_of_del_selects_the_claim_when_another_pane_is_current(  # type: ignore[no-untyped-def]
    qtbot, opened, claims
) -> None:
    _click_text(qtbot, opened, 0, LEFT_TEXT, "fewer than 900")
    assert _selected(opened) == claims["pickets"]
    qtbot.keyClick(opened.pane_area.pane(0).view, Qt.Key.Key_Delete)
    assert _selected(opened) == claims["dockers"]  # no claim after it: the one before
    _click_text(qtbot, opened, 1, RIGHT_TEXT, "Contemporary police")
    assert _selected(opened) == claims["records"]
    assert opened.pane_area.current_pane() == 1

    qtbot.keyClick(opened.pane_area.pane(1).view, Qt.Key.Key_Z, CTRL)
    assert _selected(opened) == claims["pickets"]
    assert opened.pane_area.current_pane() == 0  # its pane became the current one
    assert "fewer than 900 pickets" in opened.inspector.quote.text()


def test_redo_of_a_mark_selects_the_claim_made_again(qtbot, opened, study: Study, claims) -> None:  # type: ignore[no-untyped-def]
    new = _mark(qtbot, opened, 1, study.right, RIGHT_TEXT, "payroll records", "1")
    assert _selected(opened) == new
    view = opened.pane_area.pane(1).view

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # undo the mark: its neighbour is selected
    assert opened.project.claims_by_id([new]) == {}
    assert _selected(opened) == claims["records"]

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL_SHIFT)
    assert opened.project.annotation(new).quote.exact == "payroll records"
    assert _selected(opened) == new
    assert opened.pane_area.current_pane() == 1

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    _click_text(qtbot, opened, 0, LEFT_TEXT, "4,000 dockers")  # another claim, another pane
    assert _selected(opened) == claims["dockers"]
    qtbot.keyClick(opened.pane_area.pane(0).view, Qt.Key.Key_Y, CTRL)  # redo with Ctrl+Y
    assert _selected(opened) == new


def test_undo_of_the_only_mark_leaves_nothing_selected(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    new = _mark(qtbot, opened, 1, study.right, RIGHT_TEXT, "payroll records")
    assert _selected(opened) == new
    qtbot.keyClick(opened.pane_area.pane(1).view, Qt.Key.Key_Z, CTRL)
    assert opened.project.annotations() == []
    assert _selected(opened) == ""  # no neighbour: nothing dangles in any panel
    assert opened.pane_area.selected_claims() == []
    assert opened.inspector.current_claim() == ""


def test_undo_of_a_mark_not_selected_leaves_the_selection(  # type: ignore[no-untyped-def]
    qtbot, opened, study: Study, claims
) -> None:
    new = _mark(qtbot, opened, 1, study.right, RIGHT_TEXT, "payroll records")
    _click_row(qtbot, opened, claims["harbour"])
    assert _selected(opened) == claims["harbour"]
    qtbot.keyClick(opened.claims.view, Qt.Key.Key_Z, CTRL)
    assert opened.project.claims_by_id([new]) == {}
    assert _selected(opened) == claims["harbour"]


def test_undo_of_a_relabel_selects_the_claim_relabelled(qtbot, opened, claims) -> None:  # type: ignore[no-untyped-def]
    project = opened.project
    polemical = project.label("polemical").id
    opened.claim_actions.context_action(f"label:{polemical}", claims["dockers"])  # its menu
    assert project.annotation(claims["dockers"]).label_id == project.label("polemical").id
    _click_text(qtbot, opened, 1, RIGHT_TEXT, "Contemporary police")
    assert _selected(opened) == claims["records"]

    qtbot.keyClick(opened.pane_area.pane(1).view, Qt.Key.Key_Z, CTRL)
    assert project.annotation(claims["dockers"]).label_id == project.label("disputed").id
    assert _selected(opened) == claims["dockers"]


def test_undo_and_redo_of_a_link_select_its_two_claims(qtbot, opened, claims) -> None:  # type: ignore[no-untyped-def]
    left, right = claims["dockers"], claims["records"]
    _click_text(qtbot, opened, 0, LEFT_TEXT, "4,000 dockers")
    _click_text(qtbot, opened, 1, RIGHT_TEXT, "Contemporary police")

    def choose(dialog: object) -> None:
        assert isinstance(dialog, LinkDialog)
        qtbot.keyClick(dialog, "2")  # contradicts
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    run_modal(qtbot, lambda: qtbot.keyClick(opened.pane_area.pane(1).view, "l"), choose)
    [link] = opened.project.links()
    _activate(qtbot, opened)
    # nothing selected in the right pane, another claim in the left one
    view0, view1 = (opened.pane_area.pane(i).view for i in (0, 1))
    qtbot.mouseClick(view1.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(view1, 3))
    _click_text(qtbot, opened, 0, LEFT_TEXT, "Harbour report")
    assert sorted(opened.pane_area.selected_claims()) == [(0, claims["harbour"])]

    qtbot.keyClick(view0, Qt.Key.Key_Z, CTRL)  # undo the link: both its claims are selected
    assert opened.project.links() == []
    assert sorted(opened.pane_area.selected_claims()) == [(0, left), (1, right)]
    assert _selected(opened) == left  # the link's source is the selected claim

    _click_text(qtbot, opened, 1, RIGHT_TEXT, "Contemporary police")
    assert _selected(opened) == right
    qtbot.keyClick(view1, Qt.Key.Key_Z, CTRL_SHIFT)  # redo: the selected end stays selected
    assert [x.id for x in opened.project.links()] == [link.id]
    assert sorted(opened.pane_area.selected_claims()) == [(0, left), (1, right)]
    assert _selected(opened) == right


def test_undo_while_a_note_is_typed_saves_the_note_after_the_undo(qtbot, opened, claims) -> None:  # type: ignore[no-untyped-def]
    """Undo selects another claim, so the inspector saves the note being typed: that save is
    pushed once the undo is over, never into it (the stack stays whole: the note's step
    replaces the delete's redo, as any new change does)."""
    project, stack, inspector = opened.project, opened.stack, opened.inspector
    _click_row(qtbot, opened, claims["dockers"])
    qtbot.keyClick(opened.claims.view, Qt.Key.Key_Delete)
    assert _selected(opened) == claims["pickets"]
    inspector.note.setFocus()
    qtbot.keyClicks(inspector.note, "count them")  # not saved yet: the save waits for a pause

    qtbot.keyClick(opened.claims.view, Qt.Key.Key_Z, CTRL)
    assert _selected(opened) == claims["dockers"]  # brought back
    assert project.annotation(claims["pickets"]).note == "count them"  # saved on leaving it
    assert stack.undoText() == "Edit note of claim “fewer than 900 pickets”"
    assert not stack.canRedo()  # a new change: the delete is no longer redoable
    assert stack.index() == stack.count() == 1

    qtbot.keyClick(opened.claims.view, Qt.Key.Key_Z, CTRL)  # the note
    assert project.annotation(claims["pickets"]).note == ""
    assert _selected(opened) == claims["pickets"]
    assert project.annotation(claims["dockers"])  # the delete stays undone
    assert not stack.canUndo() and stack.canRedo()
