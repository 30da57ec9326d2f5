"""`ReaderView`: one document in a reader pane, and what it does with the mouse and the
keyboard: clicking claims (innermost first, then outwards on each further click), label keys
on a selection, the context menu and tooltips. Layout in `layout.py`, claims in `core.py`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget

from annotator.ui import theme
from annotator.ui.reader.core import ReaderCore
from annotator.ui.reader.layout import ABOVE, BELOW, VISIBLE
from annotator.ui.reader.spans import ClaimSpan, trim_span

NOTE_PREVIEW = 200
"""Characters of a claim's note shown in its tooltip."""


class ReaderView(ReaderCore):
    """A read-only reader of one document with its claims highlighted. Offsets in its API
    are code points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._press_pos: QPoint | None = None
        self.setMouseTracking(True)

    # -- hit testing -----------------------------------------------------------------------

    def char_at(self, point: QPoint) -> int | None:
        """Qt position of the character under a viewport point, None off the text."""
        x, y = point.x(), point.y()
        for block, top in self.prepare_visible():
            layout = block.layout()
            height = self.blockBoundingRect(block).height()
            if not (top <= y < top + height):
                continue
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                line_top = top + line.y() - self._extra
                if not (line_top <= y < top + line.y() + line.height()):
                    continue
                if x < line.x() or x > line.x() + line.naturalTextWidth():
                    return None
                rel = line.xToCursor(x, line.CursorPosition.CursorOnCharacter)
                end = line.textStart() + line.textLength()
                rel = min(max(rel, line.textStart()), end - 1)
                if rel < 0 or rel >= block.length() - 1:
                    return None
                return block.position() + rel
            return None
        return None

    def claims_at_point(self, point: QPoint) -> list[ClaimSpan]:
        pos = self.char_at(point)
        if pos is None:
            return []
        return self.claims.at(self.from_qt(pos))

    def click_at(self, point: QPoint) -> str:
        """Select the innermost claim under the point, or the next enclosing one when a claim
        there is selected already; returns the selected claim id ("" for none)."""
        claims = self.claims_at_point(point)
        ids = [c.id for c in claims]
        if not ids:
            chosen = ""
        elif self.current_claim in ids:
            chosen = ids[(ids.index(self.current_claim) + 1) % len(ids)]
        else:
            chosen = ids[0]
        self.set_current_claim(chosen)
        self.claimClicked.emit(chosen)
        return chosen

    # -- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        self.activated.emit()
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        moved = (event.position().toPoint() - press).manhattanLength()
        if moved <= QApplication.startDragDistance() and not self.textCursor().hasSelection():
            self.click_at(event.position().toPoint())

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.activated.emit()

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, point: QPoint) -> str:
        """Rich text naming the claims under a point (innermost first) and their notes."""
        claims = self.claims_at_point(point)
        if not claims:
            return ""
        parts: list[str] = []
        for claim in claims[:4]:
            color = theme.strong_color(self.highlighter.color(claim.label_id), self.palette())
            name = html.escape(self.highlighter.label_name(claim.label_id))
            note = self.note_of(claim.id)
            if len(note) > NOTE_PREVIEW:
                note = note[:NOTE_PREVIEW].rstrip() + "…"
            line = f"<b style='color:{color.name()}'>&#9632; {name}</b>"
            if note:
                line += "<br>" + html.escape(note).replace("\n", "<br>")
            parts.append(line)
        if len(claims) > 4:
            parts.append(f"… and {len(claims) - 4} more claims here")
        text = "<hr>".join(parts)
        if len(claims) > 1:
            text += "<br><i>Click again to select the enclosing claim.</i>"
        return f"<div style='max-width: 360px'>{text}</div>"

    # -- keys ------------------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Find):
            self.findRequested.emit()
            event.accept()
            return
        if event.key() == Qt.Key.Key_F3:
            self.findStepRequested.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escapePressed.emit()
            event.accept()
            return
        blocked = (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        text = event.text()
        if text and text.isprintable() and not (event.modifiers() & blocked):
            label = self.highlighter.label_by_key(text)
            if label is not None:
                self.request_claim(label.id)
                event.accept()
                return
        super().keyPressEvent(event)

    def selection_span(self) -> tuple[int, int] | None:
        """The selected text as code points, whitespace trimmed; None without a selection."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.from_qt(cursor.selectionStart())
        end = self.from_qt(cursor.selectionEnd())
        return trim_span(self.text, start, end)

    def request_claim(self, label_id: str) -> bool:
        """Ask for a claim on the selection (the shell saves it); False without a selection."""
        span = self.selection_span()
        if span is None:
            return False
        self.createClaimRequested.emit(span[0], span[1], label_id)
        return True

    # -- context menu ----------------------------------------------------------------------

    def contextMenuEvent(self, event) -> None:
        menu = self.build_context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def build_context_menu(self, point: QPoint) -> QMenu:
        """The menu for a viewport point: mark the selection, act on the claim there, copy."""
        menu = QMenu(self)
        labels = self.highlighter.ordered_labels()
        if self.selection_span() is not None and labels:
            for label in labels:
                text = f"Mark as {label.name}" + (f"\t{label.key}" if label.key else "")
                action = menu.addAction(text)
                action.triggered.connect(lambda _=False, lid=label.id: self.request_claim(lid))
            menu.addSeparator()
        claims = self.claims_at_point(point)
        if claims:
            ids = [c.id for c in claims]
            claim = (
                claims[ids.index(self.current_claim)] if self.current_claim in ids else claims[0]
            )
            if claim.id != self.current_claim:
                self.set_current_claim(claim.id)
                self.claimClicked.emit(claim.id)
            sub = menu.addMenu("Change label")
            for label in labels:
                action = sub.addAction(label.name + (f"\t{label.key}" if label.key else ""))
                action.setCheckable(True)
                action.setChecked(label.id == claim.label_id)
                action.triggered.connect(
                    lambda _=False, n=f"label:{label.id}", c=claim.id: self.contextAction.emit(n, c)
                )
            link = menu.addAction("Link…\tL")
            link.triggered.connect(lambda _=False, c=claim.id: self.contextAction.emit("link", c))
            delete = menu.addAction("Delete claim\tDel")
            delete.triggered.connect(
                lambda _=False, c=claim.id: self.contextAction.emit("delete", c)
            )
            menu.addSeparator()
        copy_keys = QKeySequence(QKeySequence.StandardKey.Copy).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        copy = menu.addAction(f"Copy\t{copy_keys}")
        copy.setEnabled(self.textCursor().hasSelection())
        copy.triggered.connect(self.copy)
        select_all = menu.addAction("Select all")
        select_all.triggered.connect(self.selectAll)
        return menu


__all__ = ["ABOVE", "BELOW", "VISIBLE", "ReaderView"]
