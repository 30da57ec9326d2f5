"""Help > Keyboard shortcuts: every shortcut of the menus plus the keys of the reader."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

READER_KEYS: tuple[tuple[str, str], ...] = (
    ("Select text, then a label's key", "Mark the selection as a claim with that label"),
    ("Click a highlighted claim", "Select it (click again to reach a claim nested inside)"),
    ("L", "Link the claims selected in two panes"),
    ("Del", "Delete the selected claim"),
    ("F2", "Edit the selected claim's note"),
    ("Ctrl+F", "Find in the current document"),
    ("Enter / Shift+Enter (find bar)", "Next / previous match"),
    ("Esc", "Close the find bar"),
    ("Esc (in the inspector)", "Back to the document"),
)

LINK_DIALOG_KEYS: tuple[tuple[str, str], ...] = (
    ("1 / 2 / 3 / 4", "corroborates / contradicts / repeats / cites"),
    ("S", "Swap the direction"),
    ("Enter", "Create the link"),
)


def _clean(text: str) -> str:
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&").rstrip("…. ")


def menu_shortcuts(menubar: QMenuBar) -> list[tuple[str, list[tuple[str, str]]]]:
    """(menu title, [(keys, action)]) for every menu action that has a shortcut."""
    sections = []
    for top in menubar.actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        rows: list[tuple[str, str]] = []
        _collect(menu, rows)
        if rows:
            sections.append((_clean(top.text()), rows))
    return sections


def _collect(menu: QMenu, rows: list[tuple[str, str]], prefix: str = "") -> None:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            _collect(sub, rows, f"{prefix}{_clean(action.text())} › ")
            continue
        keys = [
            k.toString(QKeySequence.SequenceFormat.NativeText)
            for k in action.shortcuts()
            if not k.isEmpty()
        ]
        if keys:
            text = action.property("shortcutText") or _clean(action.text())
            rows.append((", ".join(keys), prefix + str(text)))


class ShortcutsDialog(QDialog):
    def __init__(
        self,
        menubar: QMenuBar,
        label_keys: Sequence[tuple[str, str]] = (),
        extra: Sequence[QAction] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(620, 640)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter shortcuts")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "Does"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

        sections = menu_shortcuts(menubar)
        labels = [(key, f"Label the selection {name}") for key, name in label_keys]
        sections.append(("In a document", [*labels, *READER_KEYS]))
        sections.append(("In the Link dialog", list(LINK_DIALOG_KEYS)))
        for title, rows in sections:
            head = QTreeWidgetItem([title, ""])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(head)
            for keys, does in rows:
                self.tree.addTopLevelItem(QTreeWidgetItem([f"    {keys}", does]))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.text(1):
                out.append((item.text(0).strip(), item.text(1)))
        return out

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is None or not item.text(1):
                continue
            hay = f"{item.text(0)} {item.text(1)}".casefold()
            item.setHidden(bool(needle) and needle not in hay)
