"""The claim list dock: scope, label filter, text filter, and the table of claims.

The claims are the claim store's (`claim_store.ClaimStore`); `claim_model.ClaimTableModel`
puts them in the list's order and `claim_filter.ClaimFilterModel` shows those that pass the
filters. A click on a row (or moving to it with the keys) says `claimSelected`; the window's
selection then selects that claim in its pane, and the list follows the selection back through
`select_claim`. How the columns share the width is `claim_columns.ClaimColumns`.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Claim
from annotator.ui.claim_columns import ClaimColumns
from annotator.ui.claim_filter import FILTER_AT_ONCE_BELOW, FILTER_PAUSE_MS, ClaimFilterModel
from annotator.ui.claim_model import (
    AUTHOR,
    CLAIM_ID_ROLE,
    COLUMNS,
    DOCUMENT,
    LABEL,
    NOTE,
    QUOTE,
    TAGS,
    WHERE,
    ClaimTableModel,
)
from annotator.ui.claim_store import ClaimStore, StoreUpdate
from annotator.ui.library import swatch
from annotator.ui.settings import Settings

__all__ = [
    "AUTHOR",
    "CLAIM_ID_ROLE",
    "COLUMNS",
    "DOCUMENT",
    "LABEL",
    "NOTE",
    "QUOTE",
    "TAGS",
    "WHERE",
    "ClaimListPanel",
    "ClaimTableModel",
]


class ClaimTable(QTableView):
    """The table; `rowChosen` says which row the user pressed or moved to with the keys (never
    a row made current by the program or by a change of the rows)."""

    rowChosen = Signal(QModelIndex)
    viewportResized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The viewport changed size (a scroll area hears of it here)."""
        super().resizeEvent(event)
        self.viewportResized.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and event.button() == Qt.MouseButton.LeftButton:
            self.rowChosen.emit(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        before = self.currentIndex()
        super().keyPressEvent(event)
        current = self.currentIndex()
        if current.isValid() and current != before:
            self.rowChosen.emit(current)


class ClaimListPanel(QWidget):
    """The claim list dock: scope, label filter, text filter, and the table."""

    claimSelected = Signal(str)  # a row pressed or reached with the keys
    claimActivated = Signal(str)  # a row double-clicked or Enter pressed on it

    SCOPE_DOCUMENT, SCOPE_PROJECT = 0, 1

    def __init__(
        self, store: ClaimStore, parent: QWidget | None = None, settings: Settings | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._authors: set[str] = set()  # the claims' authors ("" not counted) since a reset
        self.model = ClaimTableModel(store, self)
        self.proxy = ClaimFilterModel(self.model, self)
        self._current_document = ""
        self._kept = ""  # the current claim across a reset of the rows

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
        self.filter.setPlaceholderText("Filter claims (quote, note, tags, author, document)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_typed)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_PAUSE_MS)
        self._filter_timer.timeout.connect(lambda: self.proxy.set_text(self.filter.text()))

        self.count = QLabel(self)
        self.count.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        self.view = ClaimTable(self)
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
        self.view.horizontalHeader().setHighlightSections(False)
        self.columns = ClaimColumns(self.view, settings)
        self.view.viewportResized.connect(self.columns.fit)
        self.view.activated.connect(self._activated)
        self.view.rowChosen.connect(self._chosen)
        self._moving = ""  # the current claim while its row moves (a new sort key)
        self.model.claimMoving.connect(self._claim_moving)
        self.model.claimMoved.connect(self._claim_moved)
        self.model.modelAboutToBeReset.connect(self._keep_current)
        self.model.modelReset.connect(self._restore_current)
        store.changed.connect(self.apply_update)

        for model in (self.proxy, self.model):  # "n of m": the total changes unseen too
            for signal in (
                model.rowsInserted,
                model.rowsRemoved,
                model.modelReset,
                model.layoutChanged,
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
        self._fill_label_filter()
        self._count_authors(store.claims())
        self._update_count()

    def apply_update(self, update: StoreUpdate) -> None:
        """The label filter follows the store's labels, the Author column the claims' authors
        (the rows follow the store by themselves)."""
        if update.labels_changed:
            self._fill_label_filter()
        if update.reset:
            self._authors = set()
            self._count_authors(self.store.claims())
        else:
            self._count_authors([*update.added, *(new for _old, new in update.changed)])

    def _count_authors(self, claims: Iterable[Claim]) -> None:
        """Note the claims' authors (a set made in one pass: 2 ms for 100,000 claims) until
        there are two, a team study: the Author column shows then. A claim taken away does
        not uncount its author until the next reset."""
        if len(self._authors) < 2:
            self._authors |= {claim.author for claim in claims}
            self._authors.discard("")
        self.columns.set_many_authors(len(self._authors) > 1)

    def _fill_label_filter(self) -> None:
        chosen = str(self.label_filter.currentData() or "")
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItem("All labels", "")
        for label in self.store.labels():
            self.label_filter.addItem(swatch(label.color), label.name, label.id)
        found = self.label_filter.findData(chosen)
        self.label_filter.setCurrentIndex(max(0, found))
        self.label_filter.blockSignals(False)
        self.proxy.set_label(str(self.label_filter.currentData() or ""))

    def _claim_moving(self, claim_id: str) -> None:
        self._moving = claim_id if claim_id == self.current_claim() else ""

    def _claim_moved(self, claim_id: str) -> None:
        """A claim's row moved (a removal and an insertion): it stays current."""
        if self._moving == claim_id:
            self.select_claim(claim_id)
        self._moving = ""

    def _keep_current(self) -> None:
        self._kept = self.current_claim()

    def _restore_current(self) -> None:
        if self._kept and self.store.claim(self._kept) is not None:
            self.select_claim(self._kept)
        self._kept = ""
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
        """Highlight the claim's row and scroll to it (says nothing: the list follows); ""
        or a claim the list does not show: nothing is highlighted."""
        index = self.proxy.quote_index(claim_id) if claim_id else QModelIndex()
        if not index.isValid():
            self.view.selectionModel().clear()  # no current row either: Del acts on nothing
            return
        if (
            self.view.currentIndex().row() != index.row()
            or not self.view.selectionModel().isRowSelected(index.row(), QModelIndex())
        ):
            self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _chosen(self, index: QModelIndex) -> None:
        claim_id = index.data(CLAIM_ID_ROLE)
        if claim_id:
            self.claimSelected.emit(str(claim_id))

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
