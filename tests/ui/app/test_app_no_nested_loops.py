"""Dialogs, questions and menus open without a nested event loop: each call returns at once with
the dialog (window-modal) or menu on screen, the window's own loop keeps turning, and what the
user answers is carried out when it is answered."""

from __future__ import annotations

import re
from pathlib import Path

from app_helpers import Study
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QDialogButtonBox,
    QInputDialog,
    QMenu,
    QMessageBox,
)

from annotator.ui.metadata_dialog import MetadataDialog

UI = Path(__file__).resolve().parents[3] / "src" / "annotator" / "ui"


def _loop_turns(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The window's event loop runs while a dialog is open (a zero timer fires)."""
    fired: list[int] = []
    QTimer.singleShot(0, lambda: fired.append(1))
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)


def _one(window, kind):  # type: ignore[no-untyped-def]
    found = [w for w in window.findChildren(kind) if w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def test_document_details_open_without_blocking(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    opened.edit_document_details(study.left)  # returns with the dialog up
    dialog = _one(opened, MetadataDialog)
    qtbot.waitExposed(dialog)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    _loop_turns(qtbot)
    dialog.publisher.setText("Quay Workers' Union")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert opened.project.document(study.left).publisher == "Quay Workers' Union"
    assert opened.stack.undoText() == "Edit details of “Union pamphlet”"


def test_library_menu_pops_up_and_leads_to_the_details(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    view = opened.library.view
    index = view.model().index(0, 1)
    point = view.visualRect(index).center()
    view.customContextMenuRequested.emit(point)  # what a right-click asks for
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and menu.isVisible()
    _loop_turns(qtbot)
    [details] = [a for a in menu.actions() if a.text() == "Edit &details…"]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(details).center())
    dialog = _one(opened, MetadataDialog)
    assert dialog.document.id == study.left
    dialog.reject()


def test_label_colour_is_chosen_without_blocking(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    labels = opened.labels_dialog()
    labels.list.setCurrentRow(0)
    qtbot.mouseClick(labels.color_button, Qt.MouseButton.LeftButton)
    picker = _one(labels, QColorDialog)
    assert picker.windowModality() == Qt.WindowModality.WindowModal
    _loop_turns(qtbot)
    picker.setCurrentColor(QColor("#00838f"))
    ok = picker.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert opened.project.labels()[0].color == "#00838f"
    labels.close()


def test_saving_a_search_asks_its_name_without_blocking(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    opened.window_actions.search.trigger()
    qtbot.waitUntil(lambda: panel.save_button.isVisible() and panel.isEnabled(), timeout=10000)
    panel.query.setText("label:disputed dockers")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    ask = _one(opened, QInputDialog)
    assert ask.objectName() == "SaveSearchName"
    _loop_turns(qtbot)
    ask.setTextValue("Disputed dockers")
    qtbot.keyClick(ask, Qt.Key.Key_Return)
    assert [(s.name, s.query) for s in opened.project.saved_searches()] == [
        ("Disputed dockers", "label:disputed dockers")
    ]


def test_an_error_shows_without_blocking(qtbot, opened, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui.errors import ErrorDialog, show_error

    monkeypatch.setattr(ErrorDialog, "open", QMessageBox.open)  # the real box, not the record
    dialog = show_error(opened, "The file is gone.")
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    _loop_turns(qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not opened.findChildren(ErrorDialog), timeout=2000)


def test_no_nested_event_loops_in_the_desktop_code() -> None:
    """Only the app's own loop (`app.exec()`) and the one-shot screenshot command, which runs
    before any loop, turn events themselves; the file pickers are the platform's native
    dialogs (QFileDialog's static getters)."""
    found = []
    for path in sorted(UI.rglob("*.py")):
        for line in path.read_text("utf-8").splitlines():
            code = line.split("#", 1)[0]
            if re.search(
                r"\.exec\(|\bexec_\(|processEvents|QEventLoop\(|\.get(Text|Item|Int|Double|Color)\(",
                code,
            ):
                found.append(f"{path.relative_to(UI)}: {code.strip()}")
    assert found == [
        "app.py: return app.exec()",
        "app.py: app.processEvents()",
        "app.py: app.processEvents()",
    ]
