"""`ReadingLayout`: a read-only QPlainTextEdit laid out for reading.

A serif font; lines spaced by `theme.LINE_SPACING` (QPlainTextEdit ignores the block format's
line height, so the lines of each block are moved apart just before the block is shown; Qt's
line-based scrolling and hit-testing follow, since they read line positions from the layouts);
a text column centred in wide panes; geometry and scrolling helpers in code points.
`ReaderCore` adds claims and painting on top, `ReaderView` the interaction.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QPainter, QPalette, QTextBlock, QTextLine, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.ui import theme
from annotator.ui.reader.spans import FastUtf16Map, LineIndex

DOCUMENT_MARGIN = 18
PAGE_LABEL_WIDTH = 46

ABOVE, VISIBLE, BELOW = -1, 0, 1
"""Where a position is relative to the viewport."""

VisibleMap = tuple[dict[int, tuple[QTextBlock, float]], int]


class SideArea(QWidget):
    """A margin beside the text column (centring, page numbers), painted like the page."""

    def __init__(self, view: ReadingLayout, *, pages: bool) -> None:
        super().__init__(view)
        self._view = view
        self._pages = pages

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        base = self._view.viewport().palette().color(QPalette.ColorRole.Base)
        painter.fillRect(event.rect(), base)
        if self._pages:
            self._view.paint_margin(painter, self.width())


def cursor_x(line: QTextLine, position: int) -> float:
    value: Any = line.cursorToX(position)
    return float(value[0] if isinstance(value, tuple) else value)


RTL_CHARS = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
"""Characters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...)."""


def char_spans(line: QTextLine, start: int, end: int) -> list[tuple[float, float]]:
    """The x extents that block positions `[start, end)` take on a line holding
    right-to-left text: one per glyph run (a logical range can be several pieces on screen),
    merged where they touch. (`cursorToX` is ambiguous where a right-to-left run meets a
    left-to-right one: it gives the first letter of the run no width.)"""
    pieces = sorted(
        (r.left(), r.right())
        for r in (run.boundingRect() for run in line.glyphRuns(start, end - start))
    )
    merged: list[tuple[float, float]] = []
    for a, b in pieces:
        if merged and a <= merged[-1][1] + 0.5:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return [(a, b) for a, b in merged if b > a]


class ReadingLayout(QPlainTextEdit):
    viewChanged = Signal()
    """Scrolled, resized or re-laid out: whatever is drawn at claim positions must follow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.document().setUndoRedoEnabled(False)
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        self.text = ""
        self.umap: FastUtf16Map = FastUtf16Map("")
        self.lines = LineIndex("")
        self.pages: list[int] = []
        self._lines_match = True
        self._extra = 0
        self._margins = (0, 0)
        self._fixing_range = False
        self._pending_top: int | None = None
        self._left = SideArea(self, pages=True)
        self._right = SideArea(self, pages=False)
        self.setFont(theme.reading_font())
        self._update_spacing()
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._fix_scroll_range)
        bar.valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)

    def set_text(
        self,
        text: str,
        pages: list[int],
        umap: FastUtf16Map | None = None,
        lines: LineIndex | None = None,
    ) -> None:
        """Show a text; `umap` and `lines` may come computed already (off the GUI thread)."""
        self.text = text
        self.umap = umap if umap is not None else FastUtf16Map(text)
        self.lines = lines if lines is not None else LineIndex(text)
        self.pages = list(pages)
        self._pending_top = None
        self.setPlainText(text)
        self._lines_match = self.document().blockCount() == len(self.lines)
        self._update_margins()

    # -- hooks for subclasses --------------------------------------------------------------

    def format_block(self, block: QTextBlock, line: int) -> None:
        """Called for each block about to be shown, before its lines are spaced."""

    def paint_margin(self, painter: QPainter, width: int) -> None:
        """Paint the left margin (page numbers)."""

    def view_scrolled(self) -> None:
        """Called after every scroll and resize."""

    # -- offsets ---------------------------------------------------------------------------

    def to_qt(self, offset: int) -> int:
        return self.umap.to_utf16(max(0, min(offset, len(self.text))))

    def from_qt(self, position: int) -> int:
        return self.umap.from_utf16(position)

    def line_of(self, block: QTextBlock) -> int:
        if self._lines_match:
            return block.blockNumber()
        return self.lines.block_of(self.from_qt(block.position()))

    def block_at(self, offset: int) -> QTextBlock:
        return self.document().findBlock(self.to_qt(offset))

    # -- line spacing and the text column --------------------------------------------------

    def _update_spacing(self) -> None:
        spacing = QFontMetricsF(self.font()).lineSpacing()
        self._extra = max(0, round(spacing * (theme.LINE_SPACING - 1.0)))

    def line_step(self) -> float:
        return QFontMetricsF(self.font()).lineSpacing() + self._extra

    def _respace(self, block: QTextBlock) -> bool:
        """Spread the lines of a freshly laid-out block (Qt puts its first line at y=0)."""
        layout = block.layout()
        n = layout.lineCount()
        if n == 0 or self._extra <= 0 or layout.lineAt(0).y() != 0:
            return False
        extra = self._extra
        for i in range(n):
            line = layout.lineAt(i)
            line.setPosition(QPointF(line.x(), line.y() + extra * (i + 1)))
        return True

    def ensure_block(self, block: QTextBlock) -> None:
        """Laid out, formatted and spaced: ready to be shown."""
        layout = self.document().documentLayout()
        if block.layout().lineCount() == 0:
            layout.blockBoundingRect(block)
        if self.text:
            self.format_block(block, self.line_of(block))
            if block.layout().lineCount() == 0:
                # new formats dropped the block's lines: lay it out again now, so that it is
                # spaced before this paint (else it showed unspaced until the next one)
                layout.blockBoundingRect(block)
        self._respace(block)

    def prepare_visible(self) -> list[tuple[QTextBlock, float]]:
        """Get the visible blocks ready to paint; returns them with their top (viewport y)."""
        out: list[tuple[QTextBlock, float]] = []
        block = self.firstVisibleBlock()
        if not block.isValid():
            return out
        self.ensure_block(block)
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        height = self.viewport().height()
        while block.isValid() and top <= height:
            if block.isVisible():
                self.ensure_block(block)
                out.append((block, top))
                top += self.blockBoundingRect(block).height()
            block = block.next()
        return out

    def _update_margins(self) -> None:
        total = self.viewport().width() + self._margins[0] + self._margins[1]
        fm = QFontMetricsF(self.font())
        column = fm.averageCharWidth() * theme.MEASURE_CHARS + 2 * DOCUMENT_MARGIN
        side = max(0, int((total - column) / 2))
        left = max(side, PAGE_LABEL_WIDTH if self.pages else 0)
        right = side
        if (left, right) != self._margins:
            self._margins = (left, right)
            self.setViewportMargins(left, 0, right, 0)
        rect = self.contentsRect()
        vp = self.viewport().geometry()
        self._left.setGeometry(QRect(rect.left(), rect.top(), left, rect.height()))
        self._right.setGeometry(QRect(vp.right() + 1, rect.top(), right, rect.height()))
        self._left.setVisible(left > 0)
        self._right.setVisible(right > 0)

    def resizeEvent(self, event) -> None:
        # A new width re-wraps every line, and Qt's line-numbered scroll position would then
        # point elsewhere in the text: keep the top line where it was.
        rewrap = bool(self.text) and event.oldSize().width() != event.size().width()
        top = self.top_offset() if rewrap and event.oldSize().width() > 0 else None
        super().resizeEvent(event)
        self._update_margins()
        if top is not None:
            self.scroll_to_offset(top)
        self._scrolled()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending_top is not None:
            self.scroll_to_offset(self._pending_top)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_left"):
            self._update_spacing()
            self._update_margins()
            self.document().markContentsDirty(0, self.document().characterCount())

    def _fix_scroll_range(self, _minimum: int, maximum: int) -> None:
        """Qt computes the last scroll position from block heights before our line spacing;
        recompute it with spaced lines so that the end of the text can be reached."""
        if self._fixing_range or not self.isVisible() or self.centerOnScroll():
            return
        doc = self.document()
        layout = doc.documentLayout()
        visible = self.viewport().height() - doc.documentMargin() - 1
        y = 0.0
        from_bottom = 0
        block = doc.lastBlock()
        while block.isValid():
            if not block.isVisible():
                block = block.previous()
                continue
            layout.blockBoundingRect(block)
            self._respace(block)
            y += layout.blockBoundingRect(block).height()
            tl = block.layout()
            count = tl.lineCount()
            if y > visible:
                n = 0
                while n < count and tl.lineAt(n).naturalTextRect().top() < y - visible:
                    n += 1
                from_bottom += count - n
                break
            from_bottom += count
            block = block.previous()
        true_max = max(0, doc.lineCount() - from_bottom)
        if true_max != maximum:
            self._fixing_range = True
            try:
                bar = self.verticalScrollBar()
                bar.setMaximum(true_max)
                bar.setPageStep(max(1, from_bottom))
            finally:
                self._fixing_range = False

    def _scrolled(self, _value: int = 0) -> None:
        self.view_scrolled()
        self._left.update()
        self.viewChanged.emit()

    # -- geometry --------------------------------------------------------------------------

    def visible_map(self) -> VisibleMap:
        """The visible blocks by number (with their top), and the first block's number."""
        visible = self.prepare_visible()
        first = visible[0][0].blockNumber() if visible else self.firstVisibleBlock().blockNumber()
        return {b.blockNumber(): (b, top) for b, top in visible}, first

    def position_y(self, position: int, visible: VisibleMap | None = None) -> tuple[float, int]:
        """(y in the viewport of the middle of the line holding a Qt position, where): where
        is ABOVE, VISIBLE or BELOW the viewport; y is clamped to the viewport."""
        vis, first = visible if visible is not None else self.visible_map()
        block = self.document().findBlock(position)
        number = block.blockNumber()
        if number in vis:
            b, top = vis[number]
            line = b.layout().lineForTextPosition(position - b.position())
            y = top + (line.y() + line.height() / 2 if line.isValid() else 0)
            if y < 0:
                return 0.0, ABOVE
            if y > self.viewport().height():
                return float(self.viewport().height()), BELOW
            return y, VISIBLE
        if number < first:
            return 0.0, ABOVE
        return float(self.viewport().height()), BELOW

    def visible_range(self) -> tuple[int, int]:
        """Code-point offsets of the first and last characters in view."""
        vp = self.viewport().rect()
        first = self.cursorForPosition(vp.topLeft()).position()
        last = self.cursorForPosition(vp.bottomRight()).position()
        return self.from_qt(first), self.from_qt(last)

    def range_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles covering the Qt range `[start, end)` where it is visible."""
        rects: list[QRectF] = []
        for block, top in self.prepare_visible():
            bpos = block.position()
            if bpos + block.length() <= start or bpos >= end:
                continue
            layout = block.layout()
            text = block.text()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                ls, le = bpos + line.textStart(), bpos + line.textStart() + line.textLength()
                s, e = max(start, ls), min(end, le)
                if s >= e:
                    continue
                y, h = top + line.y(), line.height()
                if RTL_CHARS.search(text, line.textStart(), line.textStart() + line.textLength()):
                    for x1, x2 in char_spans(line, s - bpos, e - bpos):
                        rects.append(QRectF(x1, y, x2 - x1, h))
                    continue
                x1 = cursor_x(line, s - bpos)
                x2 = cursor_x(line, e - bpos)
                rects.append(QRectF(min(x1, x2), y, abs(x2 - x1), h))
        return rects

    # -- scrolling -------------------------------------------------------------------------

    def top_offset(self) -> int:
        """Code-point offset of the first character of the top line in view."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return 0
        self.ensure_block(block)
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        layout = block.layout()
        pos = block.position()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if top + line.y() + line.height() / 2 > 0:
                pos += line.textStart()
                break
        return self.from_qt(pos)

    def scroll_to_offset(self, offset: int, y: float = 0.0) -> None:
        """Scroll so that the middle of the line holding `offset` (code points) is `y` pixels
        below the top of the viewport (as near as line-by-line scrolling allows); y=0 puts
        that line at the top."""
        self._pending_top = offset if (y == 0 and not self.isVisible()) else None
        position = self.to_qt(offset)
        block = self.document().findBlock(position)
        if not block.isValid():
            return
        self.ensure_block(block)
        line = block.layout().lineForTextPosition(position - block.position())
        index = line.lineNumber() if line.isValid() else 0
        # Walk up from the target line, laying out the blocks above (unlaid blocks count as one
        # line in Qt's line numbering), until the lines passed fill `y`.
        need = y - self.line_step() / 2
        while need > 0:
            if index == 0:
                previous = block.previous()
                if not previous.isValid():
                    break
                block = previous
                if block.isVisible():
                    self.ensure_block(block)
                    index = block.layout().lineCount()
                continue
            height = block.layout().lineAt(index - 1).height() + self._extra
            if need < height / 2:
                break
            need -= height
            index -= 1
        self.verticalScrollBar().setValue(block.firstLineNumber() + index)

    def center_on(self, offset: int) -> None:
        self.scroll_to_offset(offset, self.viewport().height() / 2)

    def ensure_offset_visible(self, offset: int) -> None:
        """Centre `offset` unless it is comfortably in view already."""
        y, where = self.position_y(self.to_qt(offset))
        margin = self.line_step() * 2
        if where != VISIBLE or y < margin or y > self.viewport().height() - margin:
            self.center_on(offset)
