"""The evidence of a claim, edited as a table of citations and URLs (web addresses open in the
browser)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Evidence
from annotator.ui.undo import evidence_list

OPEN_SYMBOL = "↗"


def openable(url: str) -> bool:
    """Only web addresses open in the browser (never file: or other schemes)."""
    scheme = QUrl(url.strip()).scheme().lower()
    return scheme in ("http", "https")


class EvidenceEditor(QWidget):
    """Citation and URL per row; `edited` says the rows the user left (a tuple of Evidence)."""

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3, self)
        table = self.table
        table.setHorizontalHeaderLabels(["Citation", "URL", ""])
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 28)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        row = table.verticalHeader().defaultSectionSize()
        table.setMinimumHeight(row * 3 + 8)
        table.setMaximumHeight(row * 4 + 8)
        table.itemChanged.connect(self._item_edited)
        table.cellClicked.connect(self._cell_clicked)
        self.add_button = QPushButton("&Add evidence", self)
        self.add_button.clicked.connect(lambda: self.add())
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self.remove_current)
        self.open_button = QPushButton("Open link", self)
        self.open_button.setToolTip("Open the selected evidence URL in your browser")
        self.open_button.clicked.connect(lambda: self.open(self.table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table)
        layout.addLayout(buttons)

    def show_evidence(self, evidence: tuple[Evidence, ...]) -> None:
        """Show these rows (left alone when they are what is shown: an edit goes on)."""
        if self.rows() == evidence:
            return
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for item in evidence:
            self._append(item.citation, item.url or "")
        self.table.blockSignals(False)

    def rows(self) -> tuple[Evidence, ...]:
        pairs = []
        for row in range(self.table.rowCount()):
            cite, url = self.table.item(row, 0), self.table.item(row, 1)
            pairs.append((cite.text() if cite else "", url.text() if url else ""))
        try:
            return evidence_list(pairs)
        except AnnotatorError:
            return ()

    def _append(self, citation: str, url: str) -> int:
        table = self.table
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, QTableWidgetItem(citation))
        url_item = QTableWidgetItem(url)
        if url:
            url_item.setToolTip(url)
        table.setItem(row, 1, url_item)
        open_item = QTableWidgetItem(OPEN_SYMBOL if openable(url) else "")
        open_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        open_item.setToolTip("Open in your browser" if openable(url) else "")
        open_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        table.setItem(row, 2, open_item)
        return row

    def add(self, citation: str = "", url: str = "") -> None:
        """Add a row; an empty one is edited at once (saved when a cell is filled)."""
        self.table.blockSignals(True)
        row = self._append(citation, url)
        self.table.blockSignals(False)
        if citation or url:
            self.edited.emit(self.rows())
            return
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        item = self.table.item(row, 0)
        if item is not None:
            self.table.editItem(item)

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        self.edited.emit(self.rows())

    def _item_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == 2:
            return
        row = item.row()
        url_item, open_item = self.table.item(row, 1), self.table.item(row, 2)
        if url_item is not None and open_item is not None:
            self.table.blockSignals(True)
            open_item.setText(OPEN_SYMBOL if openable(url_item.text()) else "")
            self.table.blockSignals(False)
        self.edited.emit(self.rows())

    def _cell_clicked(self, row: int, column: int) -> None:
        if column == 2:
            self.open(row)

    def open(self, row: int) -> bool:
        """Open the row's URL in the system browser, if it is a web address."""
        item = self.table.item(row, 1) if row >= 0 else None
        if item is None or not openable(item.text()):
            return False
        return QDesktopServices.openUrl(QUrl(item.text().strip()))
