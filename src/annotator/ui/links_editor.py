"""The links of a claim: relation, direction and the other claim, with a way to go to the
other claim or remove the link."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Claim, Link
from annotator.ui.library import swatch
from annotator.ui.link_dialog import relation_colors
from annotator.ui.undo import snippet


class LinksEditor(QWidget):
    """`claimRequested`: go to the other claim (double-click, Enter); `removeRequested`: the
    link chosen is to go."""

    claimRequested = Signal(str)
    removeRequested = Signal(str)  # link id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        tree = self.tree
        tree.setColumnCount(3)
        tree.setHeaderLabels(["Relation", "Other claim", "Document"])
        tree.setRootIsDecorated(False)
        row = self.fontMetrics().height() + 8
        tree.setMinimumHeight(row * 3 + 8)
        tree.setMaximumHeight(row * 6 + 8)
        tree.setAllColumnsShowFocus(True)
        tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        tree.itemActivated.connect(self.go_to)
        tree.itemDoubleClicked.connect(self.go_to)
        self.remove_button = QPushButton("Remove link", self)
        self.remove_button.clicked.connect(self.remove_current)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.remove_button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(tree)
        layout.addLayout(self.buttons)

    def show_links(
        self,
        claim: Claim | None,
        links: list[Link],
        others: dict[str, Claim],
        title: Callable[[str], str],
    ) -> None:
        """The links of `claim`; `others`: the claims at their other ends, by id."""
        self.tree.clear()
        if claim is None:
            self.remove_button.setEnabled(False)
            return
        colors = relation_colors()
        for link in links:
            outgoing = link.source_id == claim.id
            other = others.get(link.target_id if outgoing else link.source_id)
            if other is None:
                continue
            arrow = "→" if outgoing else "←"
            item = QTreeWidgetItem(
                [
                    f"{arrow} {link.relation.value}",
                    snippet(other.quote.exact, 80),
                    title(other.document_id),
                ]
            )
            item.setIcon(0, swatch(colors.get(link.relation.value, "#888888")))
            item.setData(0, Qt.ItemDataRole.UserRole, link.id)
            item.setData(1, Qt.ItemDataRole.UserRole, other.id)
            rel = link.relation.value
            tip = (
                f"This claim {rel} the other one."
                if outgoing
                else f"The other claim {rel} this one."
            )
            if link.note:
                tip += f"\n{link.note}"
            for col in range(3):
                item.setToolTip(col, tip)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        self.remove_button.setEnabled(bool(links))

    def go_to(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        other = item.data(1, Qt.ItemDataRole.UserRole)
        if other:
            self.claimRequested.emit(str(other))

    def remove_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.removeRequested.emit(str(item.data(0, Qt.ItemDataRole.UserRole)))
