"""The labels editor: add, rename, recolour, reorder, set the key, delete (asking where the
claims of a label in use go). Every change is an undoable command and is saved at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.colors import RELATION_COLORS, collides
from annotator.domain.model import Label
from annotator.services.api import Project
from annotator.services.changes import Changes
from annotator.ui.library import swatch
from annotator.ui.muted_label import MutedLabel
from annotator.ui.undo import (
    AddLabelCommand,
    DeleteLabelCommand,
    EditLabelCommand,
    ReorderLabelsCommand,
    UndoStack,
)

RESERVED_KEYS = {"l": "Link claims"}
"""Plain keys the main window uses; a label cannot have them."""


class ReassignDialog(QDialog):
    """Asks which label the claims of a label being deleted should get."""

    def __init__(self, label: Label, count: int, others: list[Label], parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(f"Delete label {label.name}")
        claims = "1 claim is" if count == 1 else f"{count} claims are"
        text = QLabel(f"{claims} labelled {label.name}. Which label should they get?", self)
        text.setWordWrap(True)
        self.choice = QComboBox(self)
        for other in others:
            self.choice.addItem(swatch(other.color), other.name, other.id)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Move and delete")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.choice)
        layout.addWidget(buttons)

    def chosen(self) -> str:
        return str(self.choice.currentData() or "")


class LabelsDialog(QDialog):
    def __init__(self, project: Project, stack: UndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Labels")
        self.setMinimumSize(520, 360)
        self.project, self.stack = project, stack
        self._labels: list[Label] = []
        self._usage: dict[str, int] = {}
        self._loading = False

        self.list = QListWidget(self)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.currentRowChanged.connect(self._show_current)
        self.list.model().rowsMoved.connect(self._dragged)

        self.name = QLineEdit(self)
        self.name.editingFinished.connect(self._name_edited)
        self.key = QLineEdit(self)
        self.key.setMaxLength(1)
        self.key.setMaximumWidth(60)
        self.key.setToolTip("The key that gives a selection this label (one character)")
        self.key.editingFinished.connect(self._key_edited)
        self.color_button = QPushButton("C&olour…", self)
        self.color_button.clicked.connect(self._choose_color)
        self.usage = MutedLabel("", self)
        self.color_note = QLabel(self)
        """Says when the colour looks like another label's or a link relation's."""
        self.color_note.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Key:", self.key)
        form.addRow("Colour:", self.color_button)
        form.addRow("", self.color_note)
        form.addRow("", self.usage)

        self.add_button = QPushButton("&Add", self)
        self.add_button.clicked.connect(lambda: self.add_label())
        self.delete_button = QPushButton("&Delete…", self)
        self.delete_button.clicked.connect(lambda: self.delete_label(self.current_label_id()))
        self.up_button = QPushButton("Move &up", self)
        self.up_button.clicked.connect(lambda: self.move_label(-1))
        self.down_button = QPushButton("Move do&wn", self)
        self.down_button.clicked.connect(lambda: self.move_label(1))
        side = QVBoxLayout()
        side.addLayout(form)
        row = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            row.addWidget(button)
        side.addStretch(1)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        # Enter confirms the field being edited; it must not press a button as well.
        buttons: list[object] = [
            self.color_button,
            self.add_button,
            self.delete_button,
            self.up_button,
            self.down_button,
            *close.buttons(),
        ]
        for candidate in buttons:
            if isinstance(candidate, QPushButton):
                candidate.setAutoDefault(False)
                candidate.setDefault(False)

        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(row)
        layout.addWidget(close)
        self.reload()

    # -- showing -----------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        current = select or self.current_label_id()
        self._loading = True
        self._labels = self.project.labels()
        self._usage = self.project.label_usage()
        self.list.clear()
        for label in self._labels:
            key = f"   [{label.key}]" if label.key else ""
            item = QListWidgetItem(swatch(label.color, 14), f"{label.name}{key}")
            item.setData(Qt.ItemDataRole.UserRole, label.id)
            item.setToolTip(label.description or label.name)
            self.list.addItem(item)
        self._loading = False
        ids = [lab.id for lab in self._labels]
        self.list.setCurrentRow(ids.index(current) if current in ids else 0)
        self._show_current()

    def apply_changes(self, changes: Changes) -> None:
        if changes.touches("label") or changes.touches("annotation"):
            self.reload()

    def current_label_id(self) -> str:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def _label(self, label_id: str) -> Label | None:
        return next((lab for lab in self._labels if lab.id == label_id), None)

    def _show_current(self, *_args: object) -> None:
        if self._loading:
            return
        label = self._label(self.current_label_id())
        for widget in (self.name, self.key, self.color_button, self.delete_button):
            widget.setEnabled(label is not None)
        if label is None:
            return
        self.name.setText(label.name)
        self.key.setText(label.key or "")
        self.color_button.setIcon(swatch(label.color, 16))
        self.color_button.setText(f"{label.color}…")
        self.color_note.setText(self._color_note(label))
        self.color_note.setVisible(bool(self.color_note.text()))
        count = self._usage.get(label.id, 0)
        self.usage.setText(f"{count} claim{'s' if count != 1 else ''}")
        row = self.list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self._labels) - 1)

    def _color_note(self, label: Label) -> str:
        """A warning when a label's colour could be taken for another label's or a relation's."""
        labels = [
            o.name for o in self._labels if o.id != label.id and collides(label.color, [o.color])
        ]
        relations = [r for r, c in RELATION_COLORS.items() if collides(label.color, [c])]
        parts = []
        if labels:
            parts.append("Looks like the colour of " + ", ".join(labels) + ".")
        if relations:
            parts.append(
                "Looks like the colour of "
                + ", ".join(f"“{r}”" for r in relations)
                + " links: their connectors are drawn dashed."
            )
        return " ".join(parts)

    # -- changes -----------------------------------------------------------------------------

    def add_label(self, name: str = "", color: str = "", key: str | None = None) -> str:
        """Add a label (a fresh name, colour and free digit key unless given); returns its id."""
        names = {lab.name.casefold() for lab in self._labels}
        keys = {lab.key for lab in self._labels}
        if not name:
            n = len(self._labels) + 1
            while f"label {n}" in names:
                n += 1
            name = f"label {n}"
        if not color:
            color = self.project.new_label_color()
        if key is None:
            key = next((str(d) for d in range(1, 10) if str(d) not in keys), None)
        command = AddLabelCommand(self.project, name, color, key)
        if not self.stack.run(command):
            return ""
        self.reload(select=command.label_id)
        self.name.setFocus()
        self.name.selectAll()
        return command.label_id

    def _edit(self, label_id: str, **new: object) -> bool:
        label = self._label(label_id)
        if label is None:
            return False
        ok = self.stack.run(EditLabelCommand(self.project, label, **new))
        self.reload(select=label_id)
        return ok

    def rename(self, label_id: str, name: str) -> bool:
        label = self._label(label_id)
        if label is None or name.strip() == label.name or not name.strip():
            self._show_current()
            return False
        return self._edit(label_id, name=name.strip())

    def set_key(self, label_id: str, key: str) -> bool:
        label = self._label(label_id)
        if label is None or (key or None) == label.key:
            return False
        if key.lower() in RESERVED_KEYS:
            from annotator.ui.errors import show_error

            show_error(
                self,
                f"The key {key} is taken by “{RESERVED_KEYS[key.lower()]}”; "
                "choose another key for the label.",
            )
            self._show_current()
            return False
        return self._edit(label_id, key=key or None)

    def set_color(self, label_id: str, color: str) -> bool:
        label = self._label(label_id)
        if label is None or color.lower() == label.color:
            return False
        return self._edit(label_id, color=color.lower())

    def _name_edited(self) -> None:
        if not self._loading:
            self.rename(self.current_label_id(), self.name.text())

    def _key_edited(self) -> None:
        if not self._loading:
            self.set_key(self.current_label_id(), self.key.text().strip())

    def _choose_color(self) -> None:
        label = self._label(self.current_label_id())
        if label is None:
            return
        # window-modal, not blocking (no nested event loop): the colour is set when chosen
        picker = QColorDialog(QColor(label.color), self)
        picker.setWindowTitle(f"Colour of {label.name}")
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.colorSelected.connect(
            lambda color: self.set_color(label.id, color.name()) if color.isValid() else None
        )
        picker.open()

    def move_label(self, step: int) -> bool:
        row = self.list.currentRow()
        ids = [lab.id for lab in self._labels]
        target = row + step
        if not (0 <= row < len(ids) and 0 <= target < len(ids)):
            return False
        new = list(ids)
        new[row], new[target] = new[target], new[row]
        ok = self.stack.run(ReorderLabelsCommand(self.project, ids, new))
        self.reload(select=ids[row])
        return ok

    def _dragged(self, *_args: object) -> None:
        if self._loading:
            return
        old = [lab.id for lab in self._labels]
        new = [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
        ]
        if new != old and sorted(new) == sorted(old):
            current = self.current_label_id()
            self.stack.run(ReorderLabelsCommand(self.project, old, new))
            self.reload(select=current)

    def delete_label(self, label_id: str) -> bool:
        """Delete a label; True when deleted now. A label some claims carry is deleted once the
        question of which label they get is answered (window-modal, not blocking)."""
        label = self._label(label_id)
        if label is None:
            return False
        others = [lab for lab in self._labels if lab.id != label_id]
        if not others:
            from annotator.ui.errors import show_error

            show_error(self, "A project needs at least one label.")
            return False
        count = self._usage.get(label_id, 0)
        if not count:
            return self._delete(label, None)
        ask = ReassignDialog(label, count, others, self)
        ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ask.accepted.connect(lambda: self._delete(label, ask.chosen()))
        ask.open()
        return False

    def _delete(self, label: Label, reassign: str | None) -> bool:
        """Delete `label`, its claims given the label `reassign` (one undo step)."""
        name = next((lab.name for lab in self._labels if lab.id == reassign), "")
        ok = self.stack.run(DeleteLabelCommand(self.project, label, reassign, name))
        self.reload()
        return ok
