"""The legend: a strip of coloured chips, one per label, with its claim counts."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from annotator.domain.model import Label


class LegendStrip(QWidget):
    """`■ sourced 3 (1)`: 3 claims in the project, 1 in the current pane's document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 0, 4, 0)
        self._layout.setSpacing(14)
        self.chips: list[QLabel] = []

    def update_counts(
        self,
        labels: list[Label],
        counts: dict[str, dict[str, int]],
        current_document: str = "",
    ) -> None:
        for chip in self.chips:
            self._layout.removeWidget(chip)
            chip.hide()
            chip.setParent(None)
            chip.deleteLater()
        self.chips = []
        totals: dict[str, int] = {}
        for per_label in counts.values():
            for label_id, n in per_label.items():
                totals[label_id] = totals.get(label_id, 0) + n
        here = counts.get(current_document, {}) if current_document else {}
        for label in labels:
            total = totals.get(label.id, 0)
            text = (
                f"<span style='color:{label.color}; font-size:large'>■</span>&nbsp;"
                f"{escape(label.name)} <b>{total}</b>"
            )
            tip = f"{label.name}: {total} claim{'s' if total != 1 else ''} in the project"
            if current_document:
                text += f" ({here.get(label.id, 0)})"
                tip += f", {here.get(label.id, 0)} in the current document"
            if label.key:
                tip += f". Key {label.key} marks a selection as {label.name}."
            chip = QLabel(text, self)
            chip.setTextFormat(Qt.TextFormat.RichText)
            chip.setToolTip(tip)
            self._layout.addWidget(chip)
            self.chips.append(chip)

    def texts(self) -> list[str]:
        """The chips as plain text (for tests and accessibility)."""
        from PySide6.QtGui import QTextDocument

        out = []
        for chip in self.chips:
            doc = QTextDocument()
            doc.setHtml(chip.text())
            out.append(doc.toPlainText().replace("\xa0", " "))
        return out
