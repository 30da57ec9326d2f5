"""`ReaderView`: one document in a reader pane, and what it does with the mouse and the
keyboard: selecting text (a press anywhere in a line's box, its leading included, hits that
line; drags snap to whole words unless Alt is held or the setting is off), clicking claims
(innermost first, then outwards on each further click), label keys on a selection, the context
menu and tooltips. Layout in `layout.py`, claims in `core.py`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QElapsedTimer, QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QKeySequence, QTextBlock, QTextCursor, QTextLine
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget

from annotator.domain.words import Hit, selection_between, word_end, word_start
from annotator.ui import theme
from annotator.ui.reader.core import ReaderCore
from annotator.ui.reader.layout import ABOVE, BELOW, VISIBLE
from annotator.ui.reader.spans import ClaimSpan, trim_span

NOTE_PREVIEW = 200
"""Characters of a claim's note shown in its tooltip."""
AUTOSCROLL_MS = 40
"""How often a drag held above or below the text scrolls it by a line."""


class ReaderView(ReaderCore):
    """A read-only reader of one document with its claims highlighted. Offsets in its API
    are code points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._press_pos: QPoint | None = None
        self._press_hit: Hit | None = None
        """Where a left-button drag started (None when no drag is going on)."""
        self._drag_exact = False
        self._drag_started = False
        """Whether the pointer has gone the drag distance since the press (a click till then)."""
        self._drag_point = QPointF()
        self._double_click_at: tuple[int, QPoint] | None = None
        """When (ms) and where the last double click was: a third click selects the paragraph."""
        self._clock = QElapsedTimer()
        self._clock.start()
        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(AUTOSCROLL_MS)
        self._autoscroll.timeout.connect(self._autoscroll_step)
        self.requested_span: tuple[int, int, str] | None = None
        """The span and label of the last claim asked for, until the claim appears."""
        self.snap_words: bool | None = None
        """Whether drags snap to whole words; None: as the app's settings say."""
        self.setMouseTracking(True)

    # -- hit testing -----------------------------------------------------------------------

    def line_at(self, y: float) -> tuple[QTextBlock, QTextLine, float] | None:
        """(block, line, block top) of the visible line whose box holds viewport height `y`.

        A line's box reaches halfway into the leading above and below it (as the outline of
        the selected claim does), so a press between two lines hits the nearer one; above
        the first line or below the last one in view, the first or last line."""
        best: tuple[QTextBlock, QTextLine, float] | None = None
        previous_bottom: float | None = None
        for block, top in self.prepare_visible():
            layout = block.layout()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                line_top = top + line.y()
                if previous_bottom is not None and y < (previous_bottom + line_top) / 2:
                    return best
                best = (block, line, top)
                previous_bottom = line_top + line.height()
        return best

    def hit(self, point: QPointF | QPoint, exact: bool = False) -> Hit | None:
        """Where a viewport point is in the text (code points), found through the nearest
        line (see `line_at`). On the text of a line it is the character under the point, or,
        when `exact`, the boundary between characters nearest to it; beside the text, the
        line's start or end."""
        pt = QPointF(point)
        found = self.line_at(pt.y())
        if found is None:
            return None
        block, line, _top = found
        x = pt.x() - self.contentOffset().x()
        start = line.textStart()
        end = start + line.textLength()
        if block.next().isValid() and end >= block.length():
            end = block.length() - 1
        left, right = line.x(), line.x() + line.naturalTextWidth()
        rtl = block.textDirection() == Qt.LayoutDirection.RightToLeft
        if exact or end <= start or not left <= x <= right:
            rel = line.xToCursor(x, QTextLine.CursorPosition.CursorBetweenCharacters)
            if not exact and end > start:
                rel = start if (x < left) != rtl else end
            rel = max(start, min(rel, end))
            return Hit(self.from_qt(block.position() + rel), False)
        rel = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
        rel = max(start, min(rel, end - 1))
        return Hit(self.from_qt(block.position() + rel), True)

    def char_at(self, point: QPoint) -> int | None:
        """Qt position of the character under a viewport point, None off the text. The line
        is found as a press finds it (`line_at`: its leading included)."""
        found = self.line_at(point.y())
        if found is None:
            return None
        block, line, top = found
        line_top = top + line.y()
        if not line_top - self._extra <= point.y() < line_top + line.height() + self._extra:
            return None  # above the first or below the last line in view
        x = point.x()
        if x < line.x() or x > line.x() + line.naturalTextWidth():
            return None
        rel = line.xToCursor(x, line.CursorPosition.CursorOnCharacter)
        end = line.textStart() + line.textLength()
        rel = min(max(rel, line.textStart()), end - 1)
        if rel < 0 or rel >= block.length() - 1:
            return None
        return block.position() + rel

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

    def snapping(self) -> bool:
        """Whether drags snap to whole words (`snap_words`, else the app's setting); an
        Alt+drag selects exact characters either way."""
        if self.snap_words is not None:
            return self.snap_words
        from annotator.ui.settings import Settings

        return Settings().snap_selection_to_words()

    def mousePressEvent(self, event) -> None:
        # The text control's own hit test ignores the leading the reader adds between lines
        # (a press there lands at a line's start and the drag is lost), and selects exact
        # characters: left-button selection is done here instead.
        self.activated.emit()
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._press_pos = event.position().toPoint()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        self._drag_exact = alt or not self.snapping()
        hit = self.hit(event.position(), exact=self._drag_exact)
        if hit is None:
            return
        if self._triple_click(event.position().toPoint(), hit):
            event.accept()
            return
        cursor = self.textCursor()
        self._drag_started = False
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            # Shift+click extends the selection from its anchor.
            self._press_hit = Hit(self.from_qt(cursor.anchor()), False)
            self._drag_started = True
            self._drag_point = event.position()
            self._select_to(event.position())
        else:
            self._press_hit = hit
            cursor.setPosition(self.to_qt(hit.index))
            self.setTextCursor(cursor)
        event.accept()

    def _triple_click(self, point: QPoint, hit: Hit) -> bool:
        """A press soon after a double click, where it was: select the paragraph."""
        last, self._double_click_at = self._double_click_at, None
        if last is None or not self.text:
            return False
        when, where = last
        if self._clock.elapsed() - when > QApplication.doubleClickInterval():
            return False
        if (point - where).manhattanLength() > QApplication.startDragDistance():
            return False
        start = self.text.rfind("\n", 0, hit.index) + 1
        end = self.text.find("\n", hit.index)
        end = len(self.text) if end < 0 else end
        self.select_span(start, end)
        self._press_hit = None
        return True

    def mouseMoveEvent(self, event) -> None:
        if self._press_hit is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            super().mouseMoveEvent(event)
            return
        self._drag_point = event.position()
        y = event.position().y()
        if y < 0 or y > self.viewport().height():
            if not self._autoscroll.isActive():
                self._autoscroll.start()
        else:
            self._autoscroll.stop()
        self._select_to(event.position())
        event.accept()

    def _select_to(self, point: QPointF) -> None:
        """Select from the press to a viewport point (whole words unless the drag is exact)."""
        press = self._press_hit
        hit = self.hit(point, exact=self._drag_exact)
        if press is None or hit is None:
            return
        if not self._drag_started:
            moved = (point.toPoint() - (self._press_pos or point.toPoint())).manhattanLength()
            if moved <= QApplication.startDragDistance():
                return  # a click, not yet a drag
            self._drag_started = True
        start, end = selection_between(self.text, press, hit, snap=not self._drag_exact)
        backwards = hit.order < press.order
        anchor, position = (end, start) if backwards else (start, end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.to_qt(anchor))
        cursor.setPosition(self.to_qt(position), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def _autoscroll_step(self) -> None:
        if self._press_hit is None:
            self._autoscroll.stop()
            return
        bar = self.verticalScrollBar()
        y = self._drag_point.y()
        if y < 0:
            bar.setValue(bar.value() - 1)
        elif y > self.viewport().height():
            bar.setValue(bar.value() + 1)
        else:
            self._autoscroll.stop()
            return
        self._select_to(self._drag_point)

    def mouseReleaseEvent(self, event) -> None:
        self._autoscroll.stop()
        dragging = self._press_hit is not None
        self._press_hit = None
        if not dragging:
            super().mouseReleaseEvent(event)
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        if self.textCursor().hasSelection():
            self.copy_to_selection_clipboard()
        moved = (event.position().toPoint() - press).manhattanLength()
        if moved <= QApplication.startDragDistance() and not self.textCursor().hasSelection():
            self.click_at(event.position().toPoint())

    def mouseDoubleClickEvent(self, event) -> None:
        """A double click selects the word (or the character) under the pointer."""
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        hit = self.hit(event.position())
        if hit is None or not hit.on_char or not self.text:
            return
        start, end = word_start(self.text, hit.index), word_end(self.text, hit.index)
        if self.text[start:end].strip():
            self.select_span(start, end)
        self._press_hit = Hit(start, True)
        self._press_pos = event.position().toPoint()
        self._drag_exact = False
        self._drag_started = True
        self._double_click_at = (self._clock.elapsed(), event.position().toPoint())
        event.accept()

    def copy_to_selection_clipboard(self) -> None:
        """Put the selected text on the X11 primary selection, as a text widget does."""
        clipboard = QApplication.clipboard()
        if clipboard.supportsSelection():
            text = self.textCursor().selectedText().replace("\u2029", "\n")
            clipboard.setText(text, clipboard.Mode.Selection)

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
        self.requested_span = (span[0], span[1], label_id)
        self.createClaimRequested.emit(span[0], span[1], label_id)
        return True

    def claim_appeared(self, claim: ClaimSpan) -> bool:
        """A new claim is shown: if it is the one asked for here, drop the text selection (so
        that its label colour shows) and make it the selected claim. Returns whether it was."""
        requested = self.requested_span
        if requested is None or (claim.start, claim.end, claim.label_id) != requested:
            return False
        self.requested_span = None
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)
        self.set_current_claim(claim.id)
        return True

    # -- context menu ----------------------------------------------------------------------

    def contextMenuEvent(self, event) -> None:
        menu = self.build_context_menu(event.pos())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())  # not exec(): no nested event loop

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
