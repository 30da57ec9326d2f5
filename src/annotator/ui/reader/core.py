"""`ReaderCore`: the reading layout plus the document's claims, highlighted with QTextLayout
formats (block by block, when shown), the selected claim, find matches and page markers.
Offsets in its API are code points; Qt positions stay inside."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from annotator.domain.model import Label
from annotator.ui import theme
from annotator.ui.reader.highlight import Highlighter
from annotator.ui.reader.layout import ABOVE, BELOW, DOCUMENT_MARGIN, VISIBLE, ReadingLayout
from annotator.ui.reader.loading import PreparedText, prepare_text
from annotator.ui.reader.spans import ClaimIndex, ClaimSpan

MAX_FIND_SELECTIONS = 2000
"""Find matches are drawn as extra selections only in the visible range, and at most this many."""


class ReaderCore(ReadingLayout):
    claimClicked = Signal(str)
    """The user clicked a claim (its id) or text without claims ("")."""
    createClaimRequested = Signal(int, int, str)
    """start, end (code points, whitespace trimmed), label id."""
    contextAction = Signal(str, str)
    """("delete" | "link" | "label:<id>", claim id) from the context menu."""
    findRequested = Signal()
    findStepRequested = Signal(bool)
    """F3 (False) / Shift+F3 (True: backwards)."""
    escapePressed = Signal()
    activated = Signal()
    """The user focused or clicked this view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document_id = ""
        self.claims = ClaimIndex(self.lines)
        self.current_claim = ""
        self.notes_cache: dict[str, str] = {}
        self.note_lookup: Callable[[str], str] | None = None
        """Returns a claim's note (the view keeps no notes); set by the pane."""
        self._find_starts: list[int] = []
        self._find_ends: list[int] = []
        self.highlighter = Highlighter(self.document())

    # -- loading ---------------------------------------------------------------------------

    def load(
        self,
        document_id: str,
        text: str,
        claims: Iterable[ClaimSpan],
        labels: list[Label],
        pages: Iterable[int] = (),
    ) -> None:
        """Show a document: its text, its claims, its page starts (code points)."""
        self.load_prepared(document_id, prepare_text(text, claims, pages), labels)

    def load_prepared(self, document_id: str, prepared: PreparedText, labels: list[Label]) -> None:
        """Show a text prepared by `prepare_text` (possibly in a worker thread)."""
        self.document_id = document_id
        self.current_claim = ""
        self._find_starts, self._find_ends = [], []
        self.notes_cache.clear()
        self.highlighter.reset(prepared.formats)
        self.highlighter.set_labels(labels, self.palette())
        self.setExtraSelections([])
        self.claims = prepared.claims
        self.set_text(prepared.text, prepared.pages, prepared.umap, prepared.lines)
        self.viewport().update()
        self.viewChanged.emit()

    def set_labels(self, labels: list[Label]) -> None:
        self.highlighter.set_labels(labels, self.palette())
        self.refresh_extra_selections()
        self.viewport().update()

    def set_claims(self, claims: Iterable[ClaimSpan]) -> None:
        """Replace all claims (every block is formatted again when next shown)."""
        self.claims.reset(claims)
        self.highlighter.recolor()
        self.notes_cache.clear()
        if self.current_claim not in self.claims:
            self.current_claim = ""
        self.refresh_extra_selections()
        self.viewport().update()
        self.viewChanged.emit()

    def upsert_claim(self, claim: ClaimSpan) -> None:
        """Add or change one claim: only the blocks it touches (before and after) are
        formatted again."""
        self.highlighter.invalidate(self.claims.upsert(claim))
        self.notes_cache.pop(claim.id, None)
        if claim.id == self.current_claim:
            self.refresh_extra_selections()
        self.viewport().update()

    def remove_claim(self, claim_id: str) -> None:
        self.highlighter.invalidate(self.claims.remove(claim_id))
        self.notes_cache.pop(claim_id, None)
        if claim_id == self.current_claim:
            self.current_claim = ""
            self.refresh_extra_selections()
        self.viewport().update()

    def format_block(self, block: QTextBlock, line: int) -> None:
        self.highlighter.ensure(block, line, self.claims, self.umap)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange) and hasattr(
            self, "highlighter"
        ):
            self.highlighter.set_labels(list(self.highlighter.labels.values()), self.palette())
            self.refresh_extra_selections()

    def view_scrolled(self) -> None:
        if hasattr(self, "highlighter"):  # not while the base class is being set up
            self.refresh_extra_selections()

    def note_of(self, claim_id: str) -> str:
        if claim_id not in self.notes_cache:
            note = ""
            if self.note_lookup is not None:
                try:
                    note = self.note_lookup(claim_id)
                except Exception:  # a claim deleted meanwhile: show no note
                    note = ""
            self.notes_cache[claim_id] = note
        return self.notes_cache[claim_id]

    # -- positions of claims ---------------------------------------------------------------

    def visible_span(self, visible: Any = None) -> tuple[int, int]:
        """Code points `[lo, hi)` of the blocks in view ((-1, -1) when none): a claim starting
        before `lo` is ABOVE, one starting at `hi` or later is BELOW."""
        vis = (visible if visible is not None else self.visible_map())[0]
        blocks = [b for b, _top in vis.values()]
        if not blocks:
            return -1, -1
        first = min(blocks, key=lambda b: b.position())
        last = max(blocks, key=lambda b: b.position())
        return self.from_qt(first.position()), self.from_qt(last.position() + last.length())

    def claim_positions(
        self, claim_ids: Iterable[str], visible: Any = None
    ) -> dict[str, tuple[float, int]]:
        """Viewport y and ABOVE/VISIBLE/BELOW of the start of each claim shown here.

        Claims starting before the first or after the last block in view are placed by
        comparing offsets, without asking Qt (the link gutter asks on every frame)."""
        if visible is None:
            visible = self.visible_map()
        lo, hi = self.visible_span(visible)
        below = float(self.viewport().height())
        out: dict[str, tuple[float, int]] = {}
        spans = self.claims.claims
        for cid in claim_ids:
            claim = spans.get(cid)
            if claim is None:
                continue
            if claim.start < lo:
                out[cid] = (0.0, ABOVE)
            elif 0 <= hi <= claim.start:
                out[cid] = (below, BELOW)
            else:
                out[cid] = self.position_y(self.to_qt(claim.start), visible)
        return out

    def claim_color(self, claim_id: str) -> QColor:
        claim = self.claims.get(claim_id)
        return QColor(self.highlighter.color(claim.label_id) if claim else "#9e9e9e")

    # -- selections ------------------------------------------------------------------------

    def set_current_claim(self, claim_id: str, scroll: bool = False) -> None:
        """Mark a claim as the selected one (stronger background and an outline)."""
        self.current_claim = claim_id if claim_id in self.claims else ""
        self.refresh_extra_selections()
        if scroll and self.current_claim:
            self.ensure_offset_visible(self.claims.claims[self.current_claim].start)
        self.viewport().update()

    def select_span(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensure_offset_visible(start)

    def set_find_matches(self, spans: list[tuple[int, int]]) -> None:
        """Spans (code points, sorted) to show as find matches."""
        self._find_starts = [self.to_qt(s) for s, _ in spans]
        self._find_ends = [self.to_qt(e) for _, e in spans]
        self.refresh_extra_selections()

    def refresh_extra_selections(self) -> None:
        """Find matches in view and the selected claim, as extra selections (cheap: a screen's
        worth at most, never the whole document)."""
        selections: list[QTextEdit.ExtraSelection] = []
        if self._find_starts:
            vp = self.viewport().rect()
            first = self.cursorForPosition(vp.topLeft()).position()
            last = self.cursorForPosition(vp.bottomRight()).position()
            i0 = bisect_left(self._find_ends, first)
            i1 = min(bisect_right(self._find_starts, last + 1), i0 + MAX_FIND_SELECTIONS)
            fmt = QTextCharFormat()
            fmt.setBackground(theme.find_match_background(self.palette()))
            for i in range(i0, i1):
                selections.append(self._selection(self._find_starts[i], self._find_ends[i], fmt))
        claim = self.claims.get(self.current_claim)
        if claim is not None:
            fmt = QTextCharFormat()
            color = self.highlighter.color(claim.label_id)
            fmt.setBackground(theme.selected_claim_background(color, self.palette()))
            selections.append(self._selection(self.to_qt(claim.start), self.to_qt(claim.end), fmt))
        self.setExtraSelections(selections)

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        return sel

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        self.prepare_visible()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_current_outline(painter)
        self._paint_page_rules(painter)
        painter.end()

    def _paint_current_outline(self, painter: QPainter) -> None:
        claim = self.claims.get(self.current_claim)
        if claim is None:
            return
        rects = self.range_rects(self.to_qt(claim.start), self.to_qt(claim.end))
        if not rects:
            return
        color = theme.strong_color(self.highlighter.color(claim.label_id), self.palette())
        # One ring around the whole claim: each line's box reaches halfway into the spacing
        # above and below, so the boxes of consecutive lines merge.
        pad = max(1.0, self._extra / 2)
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        for r in rects:
            path.addRoundedRect(r.adjusted(-3, -pad, 3, pad), 4, 4)
        painter.setPen(QPen(color, 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path.simplified())

    def visible_pages(self) -> list[tuple[int, float]]:
        """(page number, viewport y just above its first line) of the page starts in view."""
        if not self.pages:
            return []
        start, end = self.visible_range()
        i0 = bisect_left(self.pages, start)
        i1 = bisect_right(self.pages, end)
        out: list[tuple[int, float]] = []
        visible = self.visible_map()
        for i in range(max(0, i0 - 1), i1):
            y, where = self.position_y(self.to_qt(self.pages[i]), visible)
            if where == VISIBLE:
                out.append((i + 1, y - self.line_step() / 2))
        return out

    def _paint_page_rules(self, painter: QPainter) -> None:
        pages = self.visible_pages()
        if not pages:
            return
        painter.setPen(QPen(theme.rule_color(self.palette()), 1, Qt.PenStyle.DashLine))
        width = self.viewport().width()
        for number, y in pages:
            if number > 1:
                yy = round(y) + 0.5
                painter.drawLine(QPointF(DOCUMENT_MARGIN / 2, yy), QPointF(width - 4, yy))

    def paint_margin(self, painter: QPainter, width: int) -> None:
        """Page numbers ("p. 3") in the left margin, level with the page starts."""
        pages = self.visible_pages()
        if not pages:
            return
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = theme.small_font(self.font(), 0.72)
        painter.setFont(font)
        painter.setPen(theme.muted_text_color(self.palette()))
        height = QFontMetricsF(font).height()
        top = self.viewport().geometry().top() - self._left.geometry().top()
        align = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for number, y in pages:
            painter.drawText(QRectF(0, top + y + 1, width - 6, height), align, f"p. {number}")
