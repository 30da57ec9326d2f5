"""The claim list dock: scope, label filter, text filter, and the table of claims.

The model of every claim is `claim_model.ClaimTableModel` (also the window's mirror of the
project's claims); what the table shows of it is `claim_filter.ClaimFilterModel`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Annotation
from annotator.services.api import Project
from annotator.services.changes import Changes
from annotator.ui.claim_filter import FILTER_AT_ONCE_BELOW, FILTER_PAUSE_MS, ClaimFilterModel
from annotator.ui.claim_model import (
    CLAIM_ID_ROLE,
    COLUMNS,
    DOCUMENT,
    LABEL,
    NOTE,
    QUOTE,
    TAGS,
    ClaimTableModel,
)
from annotator.ui.library import swatch

__all__ = [
    "CLAIM_ID_ROLE",
    "COLUMNS",
    "DOCUMENT",
    "LABEL",
    "NOTE",
    "QUOTE",
    "TAGS",
    "ClaimListPanel",
    "ClaimTableModel",
]


class ClaimListPanel(QWidget):
    """The claim list dock: scope, label filter, text filter, and the table."""

    claimActivated = Signal(str)

    SCOPE_DOCUMENT, SCOPE_PROJECT = 0, 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ClaimTableModel(self)
        self.proxy = ClaimFilterModel(self.model, self)
        self._current_document = ""

        self.scope = QComboBox(self)
        self.scope.addItems(["This document", "Whole project"])
        self.scope.setToolTip("Show the claims of the current pane's document or of the project")
        self.scope.setCurrentIndex(self.SCOPE_PROJECT)
        self.scope.currentIndexChanged.connect(self._apply_scope)

        self.label_filter = QComboBox(self)
        self.label_filter.setToolTip("Show only the claims with this label")
        self.label_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_label(str(self.label_filter.currentData() or ""))
        )

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter claims (quote, note, tags, document)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_typed)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_PAUSE_MS)
        self._filter_timer.timeout.connect(lambda: self.proxy.set_text(self.filter.text()))

        self.count = QLabel(self)
        self.count.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(DOCUMENT, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.resizeSection(LABEL, 110)
        header.resizeSection(QUOTE, 420)
        header.resizeSection(NOTE, 300)
        header.resizeSection(TAGS, 140)
        header.setSectionResizeMode(DOCUMENT, QHeaderView.ResizeMode.Stretch)
        self.view.activated.connect(self._activated)

        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)

        bar = QHBoxLayout()
        bar.addWidget(self.scope)
        bar.addWidget(self.label_filter)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._update_count()

    def reload(self, project: Project | None) -> None:
        current = self.current_claim()
        chosen = str(self.label_filter.currentData() or "")
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItem("All labels", "")
        if project is not None:
            for label in project.labels():
                self.label_filter.addItem(swatch(label.color), label.name, label.id)
        found = self.label_filter.findData(chosen)
        self.label_filter.setCurrentIndex(max(0, found))
        self.label_filter.blockSignals(False)
        # Remembered, not applied: the reload filters anew, once.
        self.proxy.set_label(str(self.label_filter.currentData() or ""), refilter=False)
        self.model.reload(project)
        if current:
            self.select_claim(current)
        self._update_count()

    def apply_changes(
        self, project: Project, changes: Changes, claims: dict[str, Annotation] | None = None
    ) -> None:
        if changes.touches("label"):
            self.reload(project)
            return
        current = self.current_claim()
        self.model.apply_changes(project, changes, claims)
        if current and self.current_claim() != current and self.model.claim(current):
            self.select_claim(current)  # its row moved (a new sort key) or was reloaded
        self._update_count()

    def set_current_document(self, document_id: str) -> None:
        if document_id == self._current_document:
            return
        self._current_document = document_id
        if self.scope.currentIndex() == self.SCOPE_DOCUMENT:
            self._apply_scope()

    def set_scope(self, scope: int) -> None:
        self.scope.setCurrentIndex(scope)

    def _apply_scope(self) -> None:
        if self.scope.currentIndex() == self.SCOPE_DOCUMENT:
            self.proxy.set_document(self._current_document)
        else:
            self.proxy.set_document(None)
        self._update_count()

    def current_claim(self) -> str:
        index = self.view.currentIndex()
        return str(index.data(CLAIM_ID_ROLE) or "") if index.isValid() else ""

    def select_claim(self, claim_id: str) -> None:
        """Make the claim's row current (no activation, so nothing scrolls elsewhere)."""
        if not claim_id:
            self.view.clearSelection()
            return
        index = self.proxy.quote_index(claim_id)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def _activated(self, index: QModelIndex) -> None:
        claim_id = index.data(CLAIM_ID_ROLE)
        if claim_id:
            self.claimActivated.emit(str(claim_id))

    def _filter_typed(self, text: str) -> None:
        """Filter at once in a list of ordinary size; in a very big one, once typing pauses."""
        if self.model.rowCount() < FILTER_AT_ONCE_BELOW:
            self._filter_timer.stop()
            self.proxy.set_text(text)
        else:
            self._filter_timer.start()

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        word = "claim" if total == 1 else "claims"
        self.count.setText(f"{total} {word}" if shown == total else f"{shown} of {total} {word}")
