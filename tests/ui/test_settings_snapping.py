"""File > Settings has the switch between drags that snap to whole words and drags that select
exact characters, and the reader follows it from the next drag on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from ui_study import LEFT_TEXT, create_study

from annotator.services import author
from annotator.ui.settings import Settings
from annotator.ui.settings_dialog import SNAP_TEXT, SettingsDialog


@pytest.fixture(autouse=True)
def no_chosen_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialog's OK chooses the name for the process: none is left behind for other tests."""
    monkeypatch.setattr(author, "_chosen", "")
    monkeypatch.delenv(author.ENVIRONMENT_VARIABLE, raising=False)


def _drag(view, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 7):
        p = start + (end - start) * i / 6
        QTest.mouseMove(vp, QPoint(int(p.x()), int(p.y())))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def _before(view, offset: int) -> QPoint:  # type: ignore[no-untyped-def]
    """A viewport point just inside the left edge of the character at a code-point offset."""
    view.ensure_offset_visible(offset)
    view.prepare_visible()
    [rect, *_] = view.range_rects(view.to_qt(offset), view.to_qt(offset + 1))
    return QPoint(int(rect.left() + 1), int(rect.center().y()))


def _selected(view) -> str:  # type: ignore[no-untyped-def]
    cursor = view.textCursor()
    return view.text[view.from_qt(cursor.selectionStart()) : view.from_qt(cursor.selectionEnd())]


def _settings(qtbot, window) -> SettingsDialog:  # type: ignore[no-untyped-def]
    window.window_actions.open_settings.trigger()
    [dialog] = window.findChildren(SettingsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_unticking_snap_makes_the_next_drag_select_exact_characters(
    qtbot, window, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "study.annot"
    left, right = create_study(path)
    assert window.open_project(path, [left, right])
    view = window.pane_area.pane(0).view
    a, b = LEFT_TEXT.index("nion says"), LEFT_TEXT.index("alked out")

    _drag(view, _before(view, a), _before(view, b))
    assert _selected(view) == "union says 4,000 dockers walked"  # whole words by default

    dialog = _settings(qtbot, window)
    box = dialog.snap_words
    assert box.text() == SNAP_TEXT and box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not box.isChecked()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not window.findChildren(SettingsDialog))
    assert Settings().snap_selection_to_words() is False

    _drag(view, _before(view, a), _before(view, b))
    assert _selected(view) == "nion says 4,000 dockers w"

    # ticked again, the dialog shows it so and drags snap again
    dialog = _settings(qtbot, window)
    assert not dialog.snap_words.isChecked()
    qtbot.mouseClick(
        dialog.snap_words, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.snap_words.height() // 2)
    )
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    _drag(view, _before(view, a), _before(view, b))
    assert _selected(view) == "union says 4,000 dockers walked"


def test_cancel_keeps_the_setting(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = _settings(qtbot, window)
    dialog.snap_words.setChecked(False)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert Settings().snap_selection_to_words() is True
