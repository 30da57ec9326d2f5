"""The find bar of a reader pane (Ctrl+F): every match highlighted, next/previous, a count."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.ui import theme

if TYPE_CHECKING:
    from annotator.ui.reader.view import ReaderView

MAX_MATCHES = 100_000
LARGE_TEXT = 2_000_000
"""Above this many characters, searching waits for a pause in typing."""


def find_spans(text: str, query: str, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Code-point spans of the (non-overlapping) occurrences of `query` in `text`."""
    if not query:
        return []
    flags = 0 if case_sensitive else re.IGNORECASE
    out: list[tuple[int, int]] = []
    for match in re.finditer(re.escape(query), text, flags):
        out.append(match.span())
        if len(out) >= MAX_MATCHES:
            break
    return out


class FindBar(QWidget):
    """Searches the text of one `ReaderView`."""

    closed = Signal()

    def __init__(self, view: ReaderView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.spans: list[tuple[int, int]] = []
        self.current = -1
        self.setObjectName("findBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 4)
        layout.setSpacing(4)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.case = QToolButton(self)
        self.case.setText("Aa")
        self.case.setCheckable(True)
        self.case.setAutoRaise(True)
        self.case.setToolTip("Match case")
        self.prev_button = QToolButton(self)
        self.prev_button.setArrowType(Qt.ArrowType.UpArrow)
        self.prev_button.setAutoRaise(True)
        self.prev_button.setToolTip("Previous match (Shift+Enter, Shift+F3)")
        self.next_button = QToolButton(self)
        self.next_button.setArrowType(Qt.ArrowType.DownArrow)
        self.next_button.setAutoRaise(True)
        self.next_button.setToolTip("Next match (Enter, F3)")
        self.count = QLabel(self)
        self.count.setMinimumWidth(84)
        self.count.setFont(theme.small_font())
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close (Escape)")
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.case)
        layout.addWidget(self.prev_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(220)
        self._timer.timeout.connect(self.search)
        self.edit.textChanged.connect(self._text_changed)
        self.case.toggled.connect(lambda _on: self.search())
        self.prev_button.clicked.connect(lambda: self.step(backward=True))
        self.next_button.clicked.connect(lambda: self.step(backward=False))
        close.clicked.connect(self.close_bar)
        self.hide()

    # -- opening and closing ---------------------------------------------------------------

    def open_bar(self) -> None:
        self.show()
        selected = self.view.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < 200:
            self.edit.setText(selected)
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        self.search()

    def close_bar(self) -> None:
        self._timer.stop()
        self.spans, self.current = [], -1
        self.view.set_find_matches([])
        self.hide()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return super().eventFilter(watched, event)
            key = event.key()
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F3):
                if self._timer.isActive():
                    self.search()
                self.step(backward=shift)
                return True
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)

    # -- searching -------------------------------------------------------------------------

    def _text_changed(self, _text: str) -> None:
        if len(self.view.text) > LARGE_TEXT:
            self._timer.start()
        else:
            self.search()

    def search(self) -> int:
        """Find every match of the query; selects the first at or after the cursor."""
        self._timer.stop()
        self.spans = find_spans(self.view.text, self.edit.text(), self.case.isChecked())
        self.view.set_find_matches(self.spans)
        self.current = -1
        if self.spans:
            cursor = self.view.textCursor()
            start = self.view.from_qt(min(cursor.selectionStart(), cursor.position()))
            i = bisect_left(self.spans, (start, -1))
            self._select(i if i < len(self.spans) else 0)
        self._update_count()
        return len(self.spans)

    def step(self, backward: bool = False) -> int:
        """Select the next (or previous) match, wrapping around; returns its index or -1."""
        if not self.spans:
            return -1
        if self.current < 0:
            cursor = self.view.textCursor()
            here = self.view.from_qt(cursor.selectionStart())
            i = bisect_left(self.spans, (here, -1))
            i = (i - 1) if backward else i
        else:
            i = self.current + (-1 if backward else 1)
        self._select(i % len(self.spans))
        self._update_count()
        return self.current

    def _select(self, index: int) -> None:
        self.current = index
        start, end = self.spans[index]
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.view.to_qt(start))
        cursor.setPosition(self.view.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cursor)
        self.view.ensure_offset_visible(start)

    def _update_count(self) -> None:
        query = self.edit.text()
        palette = self.palette()
        if not query:
            self.count.setText("")
        elif not self.spans:
            self.count.setText("No matches")
            self.count.setStyleSheet(f"color: {theme.strong_color('#c62828', palette).name()}")
            return
        else:
            more = "+" if len(self.spans) >= MAX_MATCHES else ""
            self.count.setText(f"{self.current + 1} of {len(self.spans)}{more}")
        self.count.setStyleSheet("")

    def count_text(self) -> str:
        return self.count.text()
