"""The claim list: a sortable, filterable table of the claims of one document or the project."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
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
from annotator.ui.claim_filter import FILTER_AT_ONCE_BELOW, FILTER_PAUSE_MS, ClaimFilterModel
from annotator.ui.library import swatch

CLAIM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
LABEL_ID_ROLE = Qt.ItemDataRole.UserRole + 3
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 5

COLUMNS = ("Label", "Quote", "Note", "Tags", "Document")
LABEL, QUOTE, NOTE, TAGS, DOCUMENT = range(len(COLUMNS))

_Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        CLAIM_ID_ROLE,
        DOCUMENT_ID_ROLE,
        LABEL_ID_ROLE,
        SEARCH_ROLE,
    }
)


def _flat(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


BACKGROUND_CLAIMS = 2000
"""Projects with more claims than this read them in a worker thread (12,600 claims take ~1 s)."""


def _read_claims(project: Project) -> list[Annotation]:
    """All claims of the project. Many are read in a worker thread while the event loop turns
    (without user input, as a big document opens). A change committed meanwhile (by a timer
    of this window, or by another program) may or may not be in what was read, so the read is
    repeated until the change number holds still."""
    if project.annotation_count() <= BACKGROUND_CLAIMS:
        return project.annotations()
    from annotator.ui.reader.loading import run_in_background

    for _ in range(3):
        before = project.change_number()
        claims = run_in_background(project.annotations)
        if project.change_number() == before:
            return claims
    return project.annotations()


class ClaimTableModel(QAbstractTableModel):
    """One row per claim, in the chosen sort order (document order by default).

    It is also the UI's mirror of every claim of the project: `claim()`, `counts()` and
    `labels()` answer from memory what would otherwise be a query per change or per selection.
    Changes are applied row by row (a bisect per touched claim, never a pass over all rows);
    only a batch larger than `RESET_ABOVE` claims, a label or a document change reloads."""

    RESET_ABOVE = 300

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sort: tuple[int, Qt.SortOrder] = (DOCUMENT, Qt.SortOrder.AscendingOrder)
        self._claims: list[Annotation] = []
        self._by_id: dict[str, Annotation] = {}
        self._counts: dict[str, dict[str, int]] = {}
        self._labels: dict[str, Label] = {}
        self._label_order: dict[str, int] = {}
        self._titles: dict[str, str] = {}
        self._doc_order: dict[str, int] = {}
        self._haystacks: dict[str, tuple[Annotation, str]] = {}
        """The text the filter looks in, by claim id, with the claim it was made from."""
        self._reloading = False
        self._reload_again = False

    def reload(self, project: Project | None) -> None:
        """Every claim of the project, read anew. A big project's claims are read in a worker
        thread while the window keeps painting (see `_read_claims`); a reload asked for
        meanwhile (a label changed) runs right after this one."""
        if self._reloading:
            self._reload_again = True
            return
        self._reloading = True
        try:
            self._reload(project)
            while self._reload_again:
                self._reload_again = False
                self._reload(project)
        finally:
            self._reloading = False

    def _reload(self, project: Project | None) -> None:
        if project is None:
            claims: list[Annotation] = []
        else:
            claims = _read_claims(project)
            labels = project.labels()
            docs = project.documents()
        self.beginResetModel()
        if project is None:
            self._claims, self._labels, self._titles = [], {}, {}
            self._label_order, self._doc_order = {}, {}
        else:
            self._labels = {lab.id: lab for lab in labels}
            self._label_order = {lab.id: i for i, lab in enumerate(labels)}
            self._titles = {d.id: d.title for d in docs}
            self._doc_order = {d.id: i for i, d in enumerate(docs)}
            self._claims = claims
            self._claims.sort(key=self._key, reverse=self._reverse())
        self._by_id = {c.id: c for c in self._claims}
        self._haystacks = {}
        self._counts = {}
        for claim in self._claims:
            self._count(claim, 1)
        self.endResetModel()

    # -- the mirror --------------------------------------------------------------------------

    def claim(self, claim_id: str) -> Annotation | None:
        return self._by_id.get(claim_id)

    def counts(self) -> dict[str, dict[str, int]]:
        """{document id: {label id: number of claims}}, as `Project.claim_counts()` says."""
        return {doc: dict(per_label) for doc, per_label in self._counts.items()}

    def labels(self) -> list[Label]:
        """The project's labels, in their order."""
        return list(self._labels.values())

    def _count(self, claim: Annotation, delta: int) -> None:
        per_label = self._counts.setdefault(claim.document_id, {})
        n = per_label.get(claim.label_id, 0) + delta
        if n > 0:
            per_label[claim.label_id] = n
        else:
            per_label.pop(claim.label_id, None)
            if not per_label:
                del self._counts[claim.document_id]

    # -- sorting (here, in one Python sort, rather than in the proxy's comparisons) ---------

    def _reverse(self) -> bool:
        return self._sort[1] == Qt.SortOrder.DescendingOrder

    def _key(self, claim: Annotation) -> tuple:
        """The sort key; unique (it ends with the claim's id), so that a claim's row can be
        found by bisecting and a full reload gives the very order row-by-row updates keep."""
        position = (self._doc_order.get(claim.document_id, 0), claim.start, claim.end, claim.id)
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

    def _bisect(self, key: tuple) -> int:
        """The first row whose claim does not sort before `key` (in the current order)."""
        claims, reverse = self._claims, self._reverse()
        lo, hi = 0, len(claims)
        while lo < hi:
            mid = (lo + hi) // 2
            k = self._key(claims[mid])
            if (k > key) if reverse else (k < key):
                lo = mid + 1
            else:
                hi = mid
        return lo

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

    # -- changes -----------------------------------------------------------------------------

    def apply_changes(
        self, project: Project, changes: Changes, claims: dict[str, Annotation] | None = None
    ) -> None:
        """Update only the rows of the claims a change touched: each one is replaced in place,
        removed, inserted or (its sort key changed) moved, found by bisecting. Labels or
        documents changed, or a big batch: everything is reloaded. `claims`: the changed
        claims as they are now, if the caller has read them already."""
        if changes.touches("label") or changes.touches("document"):
            self.reload(project)
            return
        ids = changes.ids("annotation")
        if not ids:
            return
        if len(ids) > self.RESET_ABOVE:
            self.reload(project)
            return
        found = claims if claims is not None else project.annotations_by_id(ids)
        for claim_id in sorted(ids):
            old, new = self._by_id.get(claim_id), found.get(claim_id)
            if old is not None and new is not None and self._key(old) == self._key(new):
                row = self.row_of(claim_id)
                self._replace(row, old, new)
                continue
            if old is not None:
                self._remove(self.row_of(claim_id), old)
            if new is not None:
                self._insert(new)

    def _replace(self, row: int, old: Annotation, new: Annotation) -> None:
        self._count(old, -1)
        self._count(new, 1)
        self._claims[row] = self._by_id[new.id] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _remove(self, row: int, old: Annotation) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._claims[row]
        del self._by_id[old.id]
        self._haystacks.pop(old.id, None)
        self._count(old, -1)
        self.endRemoveRows()

    def _insert(self, new: Annotation) -> None:
        row = self._bisect(self._key(new))
        self.beginInsertRows(QModelIndex(), row, row)
        self._claims.insert(row, new)
        self._by_id[new.id] = new
        self._count(new, 1)
        self.endInsertRows()

    def claim_at(self, row: int) -> Annotation | None:
        return self._claims[row] if 0 <= row < len(self._claims) else None

    def haystack(self, claim: Annotation) -> str:
        """What the text filter searches: quote, note, tags, document title and label name,
        case-folded; made once per claim (an edited claim is a new object, made again)."""
        cached = self._haystacks.get(claim.id)
        if cached is not None and cached[0] is claim:
            return cached[1]
        label = self._labels.get(claim.label_id)
        text = " ".join(
            (
                claim.quote.exact,
                claim.note,
                " ".join(claim.tags),
                self._titles.get(claim.document_id, ""),
                label.name if label else "",
            )
        ).casefold()
        self._haystacks[claim.id] = (claim, text)
        return text

    def matches(
        self, row: int, document_id: str | None, label_id: str, words: tuple[str, ...]
    ) -> bool:
        """Whether the claim at `row` passes the filters (the proxy's test, in plain Python:
        no model index and no data() call per row)."""
        claim = self.claim_at(row)
        if claim is None:
            return False
        if document_id is not None and claim.document_id != document_id:
            return False
        if label_id and claim.label_id != label_id:
            return False
        if words:
            haystack = self.haystack(claim)
            return all(word in haystack for word in words)
        return True

    def row_of(self, claim_id: str) -> int:
        claim = self._by_id.get(claim_id)
        if claim is None:
            return -1
        row = self._bisect(self._key(claim))
        if row < len(self._claims) and self._claims[row].id == claim_id:
            return row
        # not where its key says (cannot happen while keys are unique): look everywhere
        return next((r for r, c in enumerate(self._claims) if c.id == claim_id), -1)

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
        # A view asks for a dozen roles per cell on every repaint: the ones never answered
        # return before anything else is looked up.
        if role not in _ROLES or not index.isValid() or not (0 <= index.row() < len(self._claims)):
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
            return self.haystack(claim)
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
        self.proxy.set_label(str(self.label_filter.currentData() or ""))
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
