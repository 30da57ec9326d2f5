"""The claim list: a sortable, filterable table of the claims of one document or the project."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
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

from annotator.domain.model import Annotation, Label
from annotator.services.api import Project
from annotator.services.changes import Changes
from annotator.ui.library import swatch

CLAIM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
LABEL_ID_ROLE = Qt.ItemDataRole.UserRole + 3
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 5

COLUMNS = ("Label", "Quote", "Note", "Tags", "Document")
LABEL, QUOTE, NOTE, TAGS, DOCUMENT = range(len(COLUMNS))

_Index = QModelIndex | QPersistentModelIndex


def _flat(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class ClaimTableModel(QAbstractTableModel):
    """One row per claim, in document order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sort: tuple[int, Qt.SortOrder] = (DOCUMENT, Qt.SortOrder.AscendingOrder)
        self._claims: list[Annotation] = []
        self._labels: dict[str, Label] = {}
        self._label_order: dict[str, int] = {}
        self._titles: dict[str, str] = {}
        self._doc_order: dict[str, int] = {}

    def reload(self, project: Project | None) -> None:
        self.beginResetModel()
        if project is None:
            self._claims, self._labels, self._titles = [], {}, {}
        else:
            labels = project.labels()
            docs = project.documents()
            self._labels = {lab.id: lab for lab in labels}
            self._label_order = {lab.id: i for i, lab in enumerate(labels)}
            self._titles = {d.id: d.title for d in docs}
            self._doc_order = {d.id: i for i, d in enumerate(docs)}
            self._claims = project.annotations()
            self._claims.sort(key=self._key, reverse=self._reverse())
        self.endResetModel()

    # -- sorting (here, in one Python sort, rather than in the proxy's comparisons) ---------

    def _reverse(self) -> bool:
        return self._sort[1] == Qt.SortOrder.DescendingOrder

    def _key(self, claim: Annotation) -> tuple:
        position = (self._doc_order.get(claim.document_id, 0), claim.start, claim.end)
        column = self._sort[0]
        if column == LABEL:
            return (self._label_order.get(claim.label_id, 0), *position)
        if column == QUOTE:
            return (" ".join(claim.quote.exact.split()).casefold(), *position)
        if column == NOTE:
            return (" ".join(claim.note.split()).casefold(), *position)
        if column == TAGS:
            return (", ".join(claim.tags).casefold(), *position)
        return position

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [
            self._claims[i.row()].id if 0 <= i.row() < len(self._claims) else "" for i in persistent
        ]
        self._claims.sort(key=self._key, reverse=self._reverse())
        rows = {c.id: r for r, c in enumerate(self._claims)}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(rows[cid], i.column()) if cid in rows else QModelIndex()
                for cid, i in zip(ids, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def apply_changes(self, project: Project, changes: Changes) -> None:
        """Update only the rows of the claims a change touched (labels or documents changed:
        everything is reloaded, since names and order may differ)."""
        if changes.touches("label") or changes.touches("document"):
            self.reload(project)
            return
        ids = changes.ids("annotation")
        if not ids:
            return
        found = project.annotations_by_id(ids)
        rows = {claim.id: row for row, claim in enumerate(self._claims)}
        for claim_id in ids:
            row = rows.get(claim_id)
            claim = found.get(claim_id)
            if row is not None and claim is not None:
                self._claims[row] = claim
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        gone = sorted((rows[i] for i in ids if i in rows and i not in found), reverse=True)
        for row in gone:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._claims[row]
            self.endRemoveRows()
        new = [found[i] for i in ids if i in found and i not in rows]
        for claim in sorted(new, key=self._key, reverse=self._reverse()):
            keys = [self._key(c) for c in self._claims]
            row = _insertion_row(keys, self._key(claim), self._reverse())
            self.beginInsertRows(QModelIndex(), row, row)
            self._claims.insert(row, claim)
            self.endInsertRows()

    def claim_at(self, row: int) -> Annotation | None:
        return self._claims[row] if 0 <= row < len(self._claims) else None

    def row_of(self, claim_id: str) -> int:
        for row, claim in enumerate(self._claims):
            if claim.id == claim_id:
                return row
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._claims)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._claims)):
            return None
        claim = self._claims[index.row()]
        col = index.column()
        label = self._labels.get(claim.label_id)
        if role == CLAIM_ID_ROLE:
            return claim.id
        if role == DOCUMENT_ID_ROLE:
            return claim.document_id
        if role == LABEL_ID_ROLE:
            return claim.label_id
        if role == SEARCH_ROLE:
            return " ".join(
                (
                    claim.quote.exact,
                    claim.note,
                    " ".join(claim.tags),
                    self._titles.get(claim.document_id, ""),
                    label.name if label else "",
                )
            ).casefold()
        if role == Qt.ItemDataRole.DecorationRole and col == LABEL and label:
            return swatch(label.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == QUOTE:
                return claim.quote.exact[:2000]
            if col == NOTE and claim.note:
                return claim.note[:2000]
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == LABEL:
            return label.name if label else "?"
        if col == QUOTE:
            return _flat(claim.quote.exact)
        if col == NOTE:
            return _flat(claim.note)
        if col == TAGS:
            return ", ".join(claim.tags)
        if col == DOCUMENT:
            return self._titles.get(claim.document_id, "")
        return None


def _insertion_row(keys: list[tuple], key: tuple, reverse: bool) -> int:
    """Where `key` goes in `keys` (sorted ascending, or descending with `reverse`)."""
    from bisect import bisect_right

    if not reverse:
        return bisect_right(keys, key)
    lo, hi = 0, len(keys)
    while lo < hi:  # descending: first position whose key is smaller
        mid = (lo + hi) // 2
        if keys[mid] >= key:
            lo = mid + 1
        else:
            hi = mid
    return lo


class ClaimFilterModel(QSortFilterProxyModel):
    """Filters by text (quote, note, tags, document, label), by label and by document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._text = ""
        self._label_id = ""
        self._document_id: str | None = None

    def _change(self, name: str, value: object) -> None:
        if hasattr(self, "endFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            setattr(self, name, value)
            self.endFilterChange()
        else:
            setattr(self, name, value)
            self.invalidateFilter()

    def set_text(self, text: str) -> None:
        self._change("_text", text.casefold().strip())

    def set_label(self, label_id: str) -> None:
        self._change("_label_id", label_id)

    def set_document(self, document_id: str | None) -> None:
        """Only the claims of this document; None: the whole project."""
        self._change("_document_id", document_id)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the source model (one Python sort, not a comparison per call);
        the proxy only filters, keeping the source's order."""
        model = self.sourceModel()
        if model is not None and column >= 0:
            model.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._document_id is not None and index.data(DOCUMENT_ID_ROLE) != self._document_id:
            return False
        if self._label_id and index.data(LABEL_ID_ROLE) != self._label_id:
            return False
        if self._text:
            haystack = str(index.data(SEARCH_ROLE) or "")
            return all(word in haystack for word in self._text.split())
        return True


class ClaimListPanel(QWidget):
    """The claim list dock: scope, label filter, text filter, and the table."""

    claimActivated = Signal(str)

    SCOPE_DOCUMENT, SCOPE_PROJECT = 0, 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ClaimTableModel(self)
        self.proxy = ClaimFilterModel(self)
        self.proxy.setSourceModel(self.model)
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
        self.filter.textChanged.connect(self.proxy.set_text)

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
        self.proxy.set_label(str(self.label_filter.currentData() or ""))
        self.model.reload(project)
        if current:
            self.select_claim(current)
        self._update_count()

    def apply_changes(self, project: Project, changes: Changes) -> None:
        if changes.touches("label"):
            self.reload(project)
            return
        self.model.apply_changes(project, changes)
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
        row = self.model.row_of(claim_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, QUOTE))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def _activated(self, index: QModelIndex) -> None:
        claim_id = index.data(CLAIM_ID_ROLE)
        if claim_id:
            self.claimActivated.emit(str(claim_id))

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        word = "claim" if total == 1 else "claims"
        self.count.setText(f"{total} {word}" if shown == total else f"{shown} of {total} {word}")
