"""The legend: a strip of coloured chips, one per label, with its claim counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from annotator.domain.model import Label

if TYPE_CHECKING:
    from annotator.ui.claim_store import ClaimStore, StoreUpdate

GAP = 14.0
"""Pixels between two chips."""


@dataclass(frozen=True)
class _Chip:
    color: str
    name: str
    total: str
    here: str  # " (1)", or "" without a current document
    tip: str


class LegendStrip(QWidget):
    """`■ sourced 3 (1)`: 3 claims in the project, 1 in the current pane's document.

    Painted in one widget (no label per chip): the counts change on every claim made, and
    only a change of width lays the status bar out again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chips: list[_Chip] = []
        self._boxes: list[QRectF] = []
        self._store: ClaimStore | None = None
        self._document = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def observe(self, store: ClaimStore) -> None:
        """Show the labels and claim counts of `store`, and follow it."""
        self._store = store
        store.changed.connect(self.apply_update)
        self._refresh()

    def apply_update(self, update: StoreUpdate) -> None:
        if update.counts_changed or update.labels_changed or update.reset:
            self._refresh()

    def set_current_document(self, document_id: str) -> None:
        """The document of the current pane: its counts are shown in brackets."""
        if document_id != self._document:
            self._document = document_id
            self._refresh()

    def _refresh(self) -> None:
        if self._store is not None:
            self.update_counts(self._store.labels(), self._store.counts(), self._document)

    def update_counts(
        self,
        labels: list[Label],
        counts: dict[str, dict[str, int]],
        current_document: str = "",
    ) -> None:
        totals: dict[str, int] = {}
        for per_label in counts.values():
            for label_id, n in per_label.items():
                totals[label_id] = totals.get(label_id, 0) + n
        here = counts.get(current_document, {}) if current_document else {}
        chips: list[_Chip] = []
        for label in labels:
            total = totals.get(label.id, 0)
            tip = f"{label.name}: {total} claim{'s' if total != 1 else ''} in the project"
            in_doc = ""
            if current_document:
                in_doc = f" ({here.get(label.id, 0)})"
                tip += f", {here.get(label.id, 0)} in the current document"
            if label.key:
                tip += f". Key {label.key} marks a selection as {label.name}."
            chips.append(_Chip(label.color, label.name, str(total), in_doc, tip))
        if chips == self._chips:
            return
        old_width = self._width()
        self._chips = chips
        self.setAccessibleName("Legend: " + "; ".join(self.texts()))
        if self._width() != old_width:
            self.updateGeometry()
        self.update()

    def texts(self) -> list[str]:
        """The chips as plain text (for tests and accessibility)."""
        return [f"■ {c.name} {c.total}{c.here}" for c in self._chips]

    # -- geometry and painting -----------------------------------------------------------------

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _widths(self) -> list[tuple[float, float, float, float]]:
        """Per chip: the square's side, then the widths of the name, the total, the rest."""
        fm, bold = QFontMetricsF(self.font()), QFontMetricsF(self._bold())
        side = round(fm.height() * 0.75)
        return [
            (
                side,
                fm.horizontalAdvance(f" {c.name} "),
                bold.horizontalAdvance(c.total),
                fm.horizontalAdvance(c.here),
            )
            for c in self._chips
        ]

    def _width(self) -> int:
        widths = [sum(w) for w in self._widths()]
        return round(sum(widths) + GAP * max(0, len(widths) - 1) + 8)

    def sizeHint(self) -> QSize:
        return QSize(self._width(), round(QFontMetricsF(self.font()).height() * 1.4))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        height = float(self.height())
        baseline = (height + fm.ascent() - fm.descent()) / 2
        x = 4.0
        self._boxes = []
        for chip, (side, name_w, total_w, here_w) in zip(self._chips, self._widths(), strict=True):
            start = x
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(chip.color))
            painter.drawRoundedRect(QRectF(x, (height - side) / 2, side, side), 2, 2)
            x += side
            painter.setPen(text_color)
            painter.setFont(self.font())
            painter.drawText(int(x), int(baseline), f" {chip.name} ")
            x += name_w
            painter.setFont(self._bold())
            painter.drawText(int(x), int(baseline), chip.total)
            x += total_w
            painter.setFont(self.font())
            if chip.here:
                painter.drawText(int(x), int(baseline), chip.here)
                x += here_w
            self._boxes.append(QRectF(start, 0, x - start, height))
            x += GAP
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for box, chip in zip(self._boxes, self._chips, strict=False):
                if box.contains(event.pos().toPointF()):
                    QToolTip.showText(event.globalPos(), chip.tip, self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)
