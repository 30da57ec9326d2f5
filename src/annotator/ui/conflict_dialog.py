"""The dialog shown when a claim edit was refused because someone changed the claim meanwhile.

It shows both versions side by side, theirs (the claim as it is now in the project) and yours
(theirs with the field you edited as you wrote it: what "Use mine" saves; fields you did not
edit stay theirs), the fields that differ in bold, and offers a choice:
"Keep theirs" (yours is dropped), "Use mine" (yours is saved over theirs as a new edit, which
undo takes back) and, for a note, "Merge by hand" (an editable note prefilled with both). The
dialog only says what was chosen (`chosen(choice, note)`); the inspector carries it out.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Claim
from annotator.ui.undo import FIELD_NAMES, snippet

KEEP_THEIRS = "theirs"
USE_MINE = "mine"
MERGED = "merged"

_ROWS = (
    ("label_id", "Label"),
    ("note", "Note"),
    ("tags", "Tags"),
    ("evidence", "Evidence"),
)


def merged_note(theirs: str, mine: str) -> str:
    """A note holding both versions, for merging by hand."""
    if not theirs.strip():
        return mine
    if not mine.strip() or mine.strip() == theirs.strip():
        return theirs
    return f"{theirs.rstrip()}\n\n{mine.strip()}"


class ConflictDialog(QDialog):
    """Theirs and yours side by side, and the choice of which one stays."""

    chosen = Signal(str, str)  # KEEP_THEIRS | USE_MINE | MERGED, the merged note ("" otherwise)

    def __init__(
        self,
        theirs: Claim,
        mine: Claim,
        field: str,
        label_name: Callable[[str], str],
        seen_revision: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.theirs, self.mine, self.field = theirs, mine, field
        self.setWindowTitle("Someone else changed this claim")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.choice = ""

        self.intro = intro = QLabel(
            f"<p><b>“{escape(snippet(theirs.quote.exact, 80))}” was changed by someone else "
            f"while you edited it.</b> Your change was not saved; nothing of theirs was "
            "overwritten. Choose which version stays.</p>",
            self,
        )
        intro.setWordWrap(True)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.addWidget(QLabel("<b>Theirs (in the project now)</b>", self), 0, 1)
        grid.addWidget(QLabel("<b>Yours (not saved)</b>", self), 0, 2)
        self.theirs_fields: dict[str, QLabel] = {}
        self.mine_fields: dict[str, QLabel] = {}
        for row, (name, title) in enumerate(_ROWS, start=1):
            differs = _value(theirs, name, label_name) != _value(mine, name, label_name)
            grid.addWidget(QLabel(f"{title}:", self), row, 0, Qt.AlignmentFlag.AlignTop)
            for column, claim, fields in (
                (1, theirs, self.theirs_fields),
                (2, mine, self.mine_fields),
            ):
                text = escape(_value(claim, name, label_name)).replace("\n", "<br>") or "—"
                cell = QLabel(f"<b>{text}</b>" if differs else text, self)
                cell.setWordWrap(True)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                grid.addWidget(cell, row, column)
                fields[name] = cell
        row = len(_ROWS) + 1
        grid.addWidget(QLabel("Changed:", self), row, 0, Qt.AlignmentFlag.AlignTop)
        local = "%Y-%m-%d %H:%M"
        grid.addWidget(
            QLabel(
                f"{theirs.modified.astimezone():{local}} · revision {theirs.revision}"
                f" · claim by {escape(theirs.author or 'unknown')}",
                self,
            ),
            row,
            1,
            Qt.AlignmentFlag.AlignTop,
        )
        edited = FIELD_NAMES[field]
        self.yours_changed = QLabel(
            f"your {edited}, written on revision {seen_revision}; the rest stays theirs", self
        )
        self.yours_changed.setWordWrap(True)
        grid.addWidget(self.yours_changed, row, 2, Qt.AlignmentFlag.AlignTop)

        self.merge_editor = QPlainTextEdit(self)
        self.merge_editor.setPlainText(merged_note(theirs.note, mine.note))
        self.merge_editor.setToolTip("The note as it should be: edit it, then save it")
        self.merge_editor.hide()

        self.keep_button = QPushButton("Keep theirs", self)
        self.keep_button.setToolTip("Drop your change and show theirs")
        self.mine_button = QPushButton("Use mine", self)
        self.mine_button.setToolTip("Save your version over theirs (Undo takes it back)")
        self.merge_button = QPushButton("Merge by hand…", self)
        self.merge_button.setToolTip("Write the note from both versions")
        self.merge_button.setVisible(field == "note")
        self.save_merged_button = QPushButton("Save merged note", self)
        self.save_merged_button.hide()
        self.keep_button.clicked.connect(lambda: self._choose(KEEP_THEIRS))
        self.mine_button.clicked.connect(lambda: self._choose(USE_MINE))
        self.merge_button.clicked.connect(self._start_merge)
        self.save_merged_button.clicked.connect(lambda: self._choose(MERGED))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (
            self.merge_button,
            self.save_merged_button,
            self.keep_button,
            self.mine_button,
        ):
            buttons.addWidget(button)
        self.keep_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.merge_editor)
        layout.addLayout(buttons)
        self.resize(640, self.sizeHint().height())

    def project_closed(self) -> None:
        """The project closed with the dialog open: nothing can be saved any more, but yours
        stays readable here to be copied."""
        self.intro.setText(
            "<p><b>The project was closed: your version was not saved.</b> "
            "Copy it from here if you need it.</p>"
        )
        for button in (self.mine_button, self.merge_button, self.save_merged_button):
            button.setEnabled(False)
        self.keep_button.setText("Close")

    def _start_merge(self) -> None:
        self.merge_editor.show()
        self.save_merged_button.show()
        self.save_merged_button.setDefault(True)
        self.merge_button.hide()
        self.merge_editor.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        note = self.merge_editor.toPlainText() if choice == MERGED else ""
        self.accept()
        self.chosen.emit(choice, note)

    def reject(self) -> None:
        """Closing the dialog keeps theirs: nothing is saved over them unasked."""
        if not self.choice:
            self.choice = KEEP_THEIRS
            super().reject()
            self.chosen.emit(KEEP_THEIRS, "")
            return
        super().reject()


def _value(claim: Claim, field: str, label_name: Callable[[str], str]) -> str:
    if field == "label_id":
        return label_name(claim.label_id)
    if field == "tags":
        return ", ".join(claim.tags)
    if field == "evidence":
        return "\n".join(f"{e.citation} <{e.url}>" if e.url else e.citation for e in claim.evidence)
    return str(getattr(claim, field))
