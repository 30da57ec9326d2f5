"""The Link dialog: which relation holds between two claims (keys 1-4), a note, the direction."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Claim, Relation
from annotator.ui.muted_label import MutedLabel
from annotator.ui.undo import snippet

RELATIONS = (
    (Relation.CORROBORATES, "supports the same fact"),
    (Relation.CONTRADICTS, "states the opposite"),
    (Relation.REPEATS, "says the same thing again, without new evidence"),
    (Relation.CITES, "refers to the other as its source"),
)


def relation_colors() -> dict[str, str]:
    try:
        from annotator.ui.theme import RELATION_COLORS

        return dict(RELATION_COLORS)
    except ImportError:
        return {
            "corroborates": "#2e7d32",
            "contradicts": "#c62828",
            "repeats": "#6a1b9a",
            "cites": "#1565c0",
        }


class LinkDialog(QDialog):
    """Asks how `source` relates to `target`; the swap button turns the direction around."""

    def __init__(
        self,
        source: Claim,
        target: Claim,
        titles: dict[str, str],
        parent: QWidget | None = None,
        relation: str = Relation.CORROBORATES.value,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link claims")
        self.source, self.target = source, target
        self._titles = titles

        self._source_label = QLabel(self)
        self._target_label = QLabel(self)
        for label in (self._source_label, self._target_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setFrameShape(QFrame.Shape.StyledPanel)
            label.setMargin(6)
            label.setMinimumWidth(220)
        self._arrow = QLabel("→", self)
        font = self._arrow.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self._arrow.setFont(font)
        self._arrow.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.swap_button = QPushButton("&Swap direction", self)
        self.swap_button.setToolTip("Turn the link around (S)")
        self.swap_button.setAutoDefault(False)
        self.swap_button.clicked.connect(self.swap)

        direction = QHBoxLayout()
        direction.addWidget(self._source_label, 1)
        direction.addWidget(self._arrow)
        direction.addWidget(self._target_label, 1)

        self.group = QButtonGroup(self)
        grid = QGridLayout()
        colors = relation_colors()
        for i, (rel, meaning) in enumerate(RELATIONS):
            button = QRadioButton(f"{i + 1}   {rel.value}", self)
            button.setToolTip(f"The left claim {meaning}. Key {i + 1}.")
            self.group.addButton(button, i)
            chip = QLabel(self)
            chip.setFixedSize(14, 14)
            chip.setStyleSheet(f"background: {colors.get(rel.value, '#888')}; border-radius: 3px;")
            hint = MutedLabel(meaning, self)
            grid.addWidget(chip, i, 0)
            grid.addWidget(button, i, 1)
            grid.addWidget(hint, i, 2)
        self.set_relation(relation)

        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Optional note on this link")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Link")
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(direction)
        swap_row = QHBoxLayout()
        swap_row.addStretch(1)
        swap_row.addWidget(self.swap_button)
        layout.addLayout(swap_row)
        layout.addWidget(QLabel("<b>Relation</b> — press 1-4, then Enter:", self))
        layout.addLayout(grid)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self._show_direction()
        checked = self.group.checkedButton()
        if checked is not None:
            checked.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """1-4 pick the relation and S swaps, wherever the focus is but in the note field
        (which takes the keys itself, so they never reach the dialog)."""
        plain = not (
            event.modifiers()
            & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            )
        )
        text = event.text()
        if plain and text in ("1", "2", "3", "4"):
            button = self.group.button(int(text) - 1)
            if button is not None:
                button.setChecked(True)
                button.setFocus()
            event.accept()
            return
        if plain and text.lower() == "s":
            self.swap()
            event.accept()
            return
        super().keyPressEvent(event)

    def _describe(self, claim: Claim) -> str:
        from html import escape

        title = escape(snippet(self._titles.get(claim.document_id, ""), 50))
        return f"“{escape(snippet(claim.quote.exact, 120))}”<br><small><i>{title}</i></small>"

    def _show_direction(self) -> None:
        self._source_label.setText(self._describe(self.source))
        self._target_label.setText(self._describe(self.target))

    def swap(self) -> None:
        self.source, self.target = self.target, self.source
        self._show_direction()

    def set_relation(self, relation: str) -> None:
        for i, (rel, _meaning) in enumerate(RELATIONS):
            if rel.value == relation:
                button = self.group.button(i)
                if button is not None:
                    button.setChecked(True)
                return

    def relation(self) -> str:
        index = max(0, self.group.checkedId())
        return RELATIONS[index][0].value

    def note_text(self) -> str:
        return self.note.text().strip()
