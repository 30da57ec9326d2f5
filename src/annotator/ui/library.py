"""The document library: every document of the project with its metadata and claim counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import DocumentSummary, Label
from annotator.domain.titles import distinguishing_titles

if TYPE_CHECKING:
    from annotator.services.api import Project
    from annotator.ui.claim_store import ClaimStore, StoreUpdate

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
SECONDARY_ROLE = Qt.ItemDataRole.UserRole + 3
SHOWN_TITLE_ROLE = Qt.ItemDataRole.UserRole + 4
"""The part of the title that tells it from the others (the delegate's first line)."""
"""Second line of the title cell: authors · date · source kind."""

FIXED_COLUMNS = ("#", "Title", "Author", "Date", "Kind")
TITLE_MIN_WIDTH = 110
"""The narrowest the title column gets before the claim-count columns make way for it."""

_Index = QModelIndex | QPersistentModelIndex


_SWATCHES: dict[tuple[str, int], QIcon] = {}


def swatch(color: str, size: int = 12) -> QIcon:
    """A small square of a label's colour (made once per colour and size: item views ask for
    it for every visible row on every repaint)."""
    icon = _SWATCHES.get((color, size))
    if icon is None:
        icon = _SWATCHES[(color, size)] = _make_swatch(color, size)
    return icon


def _make_swatch(color: str, size: int) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(QColor(color).darker(130))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 2, 2)
    painter.end()
    return QIcon(pixmap)


class LibraryModel(QAbstractTableModel):
    """One row per document: number, title, authors, date, source kind, claims per label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: list[DocumentSummary] = []
        self._labels: list[Label] = []
        self._counts: dict[str, dict[str, int]] = {}
        self._open: set[str] = set()
        self._shown: list[str] = []

    def reload(self, project: Project | None) -> None:
        """Everything read from the project (None: nothing)."""
        if project is None:
            self.show([], [], {})
        else:
            self.show(project.documents(), project.labels(), project.claim_counts())

    def show(
        self,
        docs: list[DocumentSummary],
        labels: list[Label],
        counts: dict[str, dict[str, int]],
    ) -> None:
        """These documents, with a count column per label."""
        self.beginResetModel()
        self._docs, self._labels, self._counts = docs, labels, counts
        self._shown = distinguishing_titles([d.title for d in docs])
        self.endResetModel()

    def set_counts(self, counts: dict[str, dict[str, int]]) -> None:
        """New claim counts (after claims changed) without reloading the documents."""
        self._counts = counts
        if self._docs and self._labels:
            self.dataChanged.emit(
                self.index(0, len(FIXED_COLUMNS)),
                self.index(len(self._docs) - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.DisplayRole, SORT_ROLE],
            )

    def set_open_documents(self, ids: list[str]) -> None:
        self._open = {i for i in ids if i}
        if self._docs:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._docs) - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.FontRole],
            )

    def document_at(self, row: int) -> DocumentSummary | None:
        return self._docs[row] if 0 <= row < len(self._docs) else None

    def row_of(self, document_id: str) -> int:
        for row, doc in enumerate(self._docs):
            if doc.id == document_id:
                return row
        return -1

    # -- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._docs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED_COLUMNS) + len(self._labels)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section < 0 or section >= self.columnCount():
            return None
        if section < len(FIXED_COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return FIXED_COLUMNS[section]
            return None
        label = self._labels[section - len(FIXED_COLUMNS)]
        if role == Qt.ItemDataRole.DecorationRole:
            return swatch(label.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Claims labelled {label.name}"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._docs)):
            return None
        doc = self._docs[index.row()]
        col = index.column()
        if role == DOCUMENT_ID_ROLE:
            return doc.id
        if role == SHOWN_TITLE_ROLE:
            return self._shown[index.row()] if index.row() < len(self._shown) else doc.title
        if role == SECONDARY_ROLE:
            parts = ["; ".join(doc.authors), doc.published.iso() if doc.published else ""]
            if doc.source_kind.value != "unknown":
                parts.append(doc.source_kind.value)
            return " · ".join(p for p in parts if p)
        if role == Qt.ItemDataRole.FontRole:
            if doc.id in self._open:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [doc.title]
            if doc.authors:
                lines.append("by " + ", ".join(doc.authors))
            if doc.publisher:
                lines.append(doc.publisher)
            if doc.url or doc.accessed:
                accessed = f"accessed {doc.accessed.iso()}" if doc.accessed else ""
                lines.append(", ".join(p for p in (doc.url, accessed) if p))
            lines.append(f"{doc.format or 'text'} · {doc.text_length:,} characters")
            counts = self._counts.get(doc.id, {})
            claims = [f"{lab.name} {counts[lab.id]}" for lab in self._labels if counts.get(lab.id)]
            if claims:
                lines.append("Claims: " + ", ".join(claims))
            if doc.id in self._open:
                lines.append("Open in a pane")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == 0 or col >= len(FIXED_COLUMNS):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return None
        sort = role == SORT_ROLE
        if col == 0:
            return index.row() + 1 if sort else str(index.row() + 1)
        if col == 1:
            return doc.title.casefold() if sort else doc.title
        if col == 2:
            text = "; ".join(doc.authors)
            return text.casefold() if sort else text
        if col == 3:
            return doc.published.iso() if doc.published else ""
        if col == 4:
            return doc.source_kind.value
        if col >= self.columnCount():
            return None
        label = self._labels[col - len(FIXED_COLUMNS)]
        count = self._counts.get(doc.id, {}).get(label.id, 0)
        if sort:
            return count
        return str(count) if count else ""


class TitleDelegate(QStyledItemDelegate):
    """The title on the first line, authors · date · kind dimmed on the second."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), option.fontMetrics.height() * 2 + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        secondary = str(index.data(SECONDARY_ROLE) or "")
        title = str(index.data(SHOWN_TITLE_ROLE) or opt.text)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect.adjusted(6, 4, -6, -4)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, text_role))
        metrics = QFontMetrics(opt.font)
        line = QRect(rect.left(), rect.top(), rect.width(), metrics.height())
        painter.drawText(
            line,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, line.width()),
        )
        if secondary:
            small = QFont(opt.font)
            small.setBold(False)
            small.setPointSizeF(max(6.0, opt.font.pointSizeF() * 0.88))
            painter.setFont(small)
            dim = opt.palette.color(group, text_role)
            dim.setAlphaF(0.62)
            painter.setPen(dim)
            small_metrics = QFontMetrics(small)
            line2 = QRect(rect.left(), line.bottom() + 2, rect.width(), small_metrics.height())
            painter.drawText(
                line2,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                small_metrics.elidedText(secondary, Qt.TextElideMode.ElideRight, line2.width()),
            )
        painter.restore()


class LibraryFilterModel(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)


class LibraryPanel(QWidget):
    """The library dock: a filter, the table, and Import / Details buttons."""

    openRequested = Signal(str, int)  # document id, pane (-1: current, -2: a new pane)
    editRequested = Signal(str)
    importRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LibraryModel(self)
        self.proxy = LibraryFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter documents")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() * 2 + 10)
        self.view.setItemDelegateForColumn(1, TitleDelegate(self.view))
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.horizontalHeader().setHighlightSections(False)
        self.view.horizontalHeader().setSectionsMovable(True)
        self.view.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.horizontalHeader().customContextMenuRequested.connect(self._header_menu)
        self._hidden_columns = {2, 3, 4}  # shown on the title's second line; header menu shows
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.activated.connect(self._activated)
        self.model.modelReset.connect(self._size_columns)

        self.import_button = QPushButton("&Import…", self)
        self.import_button.setToolTip("Import documents (Ctrl+I) — or drop files on the window")
        self.import_button.clicked.connect(self.importRequested)
        self.details_button = QPushButton("&Details…", self)
        self.details_button.setToolTip("Edit the selected document's details")
        self.details_button.clicked.connect(self._edit_current)
        # Enabled only with a document to edit (a click with none selected did nothing).
        self.view.selectionModel().currentChanged.connect(self._enable_details)
        self.proxy.modelReset.connect(self._enable_details)
        self.proxy.layoutChanged.connect(self._enable_details)
        self._enable_details()

        buttons = QHBoxLayout()
        buttons.setSpacing(0)  # the stretch parts them; at the dock's narrowest they still fit
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.details_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def _count_width(self) -> int:
        return self.fontMetrics().horizontalAdvance("00") + 12

    def _size_columns(self) -> None:
        header = self.view.horizontalHeader()
        header.setMinimumSectionSize(20)
        header.setStretchLastSection(False)
        count_width = self._count_width()
        for col in range(self.model.columnCount()):
            self.view.setColumnHidden(col, self._hidden(col))
            if col == 1:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            elif col >= len(FIXED_COLUMNS):
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
                header.resizeSection(col, count_width)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for col in range(self.model.columnCount()):
            if col == 1:
                continue
            name = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
            if col >= len(FIXED_COLUMNS):
                name = self.model.headerData(
                    col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
                )
            action = menu.addAction(str(name))
            action.setCheckable(True)
            action.setChecked(col not in self._hidden_columns)
            action.toggled.connect(lambda on, c=col: self.show_column(c, on))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.horizontalHeader().mapToGlobal(pos))  # no nested event loop

    def show_column(self, column: int, on: bool) -> None:
        if on:
            self._hidden_columns.discard(column)
        else:
            self._hidden_columns.add(column)
        self.view.setColumnHidden(column, self._hidden(column))

    def counts_shown(self) -> bool:
        """Whether the claim-count columns fit beside a readable title (a narrow library
        leaves them out: the legend and each row's tooltip have the counts too)."""
        labels = self.model.columnCount() - len(FIXED_COLUMNS)
        room = self.view.viewport().width() - self.view.columnWidth(0) - 4
        return room - labels * self._count_width() >= TITLE_MIN_WIDTH

    def _hidden(self, column: int) -> bool:
        if column in self._hidden_columns:
            return True
        return column >= len(FIXED_COLUMNS) and not self.counts_shown()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        for col in range(len(FIXED_COLUMNS), self.model.columnCount()):
            hidden = self._hidden(col)
            if self.view.isColumnHidden(col) != hidden:
                self.view.setColumnHidden(col, hidden)

    def reload(self, project: Project | None) -> None:
        current = self.current_document()
        self.model.reload(project)
        if current:
            self.select_document(current)

    def observe(self, store: ClaimStore) -> None:
        """Show the documents, labels and claim counts of `store`, and follow it."""
        self._store = store
        store.changed.connect(self.apply_update)
        self._show_store()

    def apply_update(self, update: StoreUpdate) -> None:
        if update.reset or update.documents_changed or update.labels_changed:
            self._show_store()
        elif update.counts_changed:
            self.model.set_counts(self._store.counts())

    def _show_store(self) -> None:
        current = self.current_document()
        store = self._store
        self.model.show(store.documents(), store.labels(), store.counts())
        if current:
            self.select_document(current)

    def current_document(self) -> str:
        index = self.view.currentIndex()
        return str(index.data(DOCUMENT_ID_ROLE) or "") if index.isValid() else ""

    def select_document(self, document_id: str) -> None:
        row = self.model.row_of(document_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 1))
        self.view.setCurrentIndex(index)

    def _activated(self, index: QModelIndex) -> None:
        doc_id = index.data(DOCUMENT_ID_ROLE)
        if doc_id:
            self.openRequested.emit(str(doc_id), -1)

    def _enable_details(self, *_args: object) -> None:
        self.details_button.setEnabled(bool(self.current_document()))

    def _edit_current(self) -> None:
        doc_id = self.current_document()
        if doc_id:
            self.editRequested.emit(doc_id)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        doc_id = str(index.data(DOCUMENT_ID_ROLE))
        menu = QMenu(self)
        for text, pane in (
            ("Open in &left pane", 0),
            ("Open in &right pane", 1),
            ("Open in a &new pane", -2),
        ):
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, p=pane: self.openRequested.emit(doc_id, p))
            menu.addAction(action)
        menu.addSeparator()
        details = QAction("Edit &details…", menu)
        details.triggered.connect(lambda: self.editRequested.emit(doc_id))
        menu.addAction(details)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.viewport().mapToGlobal(pos))  # no nested event loop
