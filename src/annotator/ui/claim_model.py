"""The claim list's table model: every claim of the claim store, in the order the list is sorted
by. The claims themselves are held by `claim_store.ClaimStore`; what the list shows of them,
filtered, is `claim_filter.ClaimFilterModel`; the dock around both is
`claim_list.ClaimListPanel`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from annotator.domain.model import Claim, Label
from annotator.ui.claim_store import ClaimStore, StoreUpdate, bisect_claims, reading_order
from annotator.ui.library import swatch

__all__ = ["AUTHOR", "WHERE", "ClaimTableModel", "bisect_claims", "make_sort_key", "relaid"]

CLAIM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
LABEL_ID_ROLE = Qt.ItemDataRole.UserRole + 3

COLUMNS = ("Label", "Quote", "Note", "Tags", "Author", "Document", "Location")
LABEL, QUOTE, NOTE, TAGS, AUTHOR, DOCUMENT, WHERE = range(len(COLUMNS))
"""`AUTHOR` is who made the claim (a team study has several); `WHERE` is the claim's location in
its document: "¶ 3", "p. 2, ¶ 14" in a paged source."""

_Index = QModelIndex | QPersistentModelIndex
ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        CLAIM_ID_ROLE,
        DOCUMENT_ID_ROLE,
        LABEL_ID_ROLE,
    }
)


@contextmanager
def relaid(
    model: QAbstractItemModel, rows: Sequence[Claim], row_of: Callable[[str], int]
) -> Iterator[None]:
    """A layout change of `model`, whose rows are `rows` until the body has changed them: every
    persistent index (the current claim, the selection) then follows its claim to the row
    `row_of` finds it at, or goes when the claim is no longer there."""
    model.layoutAboutToBeChanged.emit()
    persistent = model.persistentIndexList()
    ids = [rows[i.row()].id if 0 <= i.row() < len(rows) else "" for i in persistent]
    yield
    moved = []
    for claim_id, index in zip(ids, persistent, strict=True):
        row = row_of(claim_id) if claim_id else -1
        moved.append(model.index(row, index.column()) if row >= 0 else QModelIndex())
    model.changePersistentIndexList(persistent, moved)
    model.layoutChanged.emit()


def _flat(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


SortKey = Callable[[Claim], tuple]


def make_sort_key(column: int, label_order: dict[str, int], doc_order: dict[str, int]) -> SortKey:
    """The sort key of a column; unique (it ends with the claim's id), so that a claim's row
    can be found by bisecting and a full reload gives the very order row-by-row updates keep."""

    position = reading_order(doc_order)
    if column == LABEL:
        return lambda c: (label_order.get(c.label_id, 0), *position(c))
    if column == QUOTE:
        return lambda c: (" ".join(c.quote.exact.split()).casefold(), *position(c))
    if column == NOTE:
        return lambda c: (" ".join(c.note.split()).casefold(), *position(c))
    if column == TAGS:
        return lambda c: (", ".join(c.tags).casefold(), *position(c))
    if column == AUTHOR:
        return lambda c: (c.author.casefold(), *position(c))
    return position


class ClaimTableModel(QAbstractTableModel):
    """One row per claim of a `ClaimStore`, in the chosen sort order (reading order by
    default). It observes the store: an update is applied row by row (a bisect per touched
    claim, never a pass over all rows); a reset of the store resets the rows."""

    claimMoving = Signal(str)  # a claim's row is about to move (a new sort key)
    claimMoved = Signal(str)  # ... and has moved

    def __init__(self, store: ClaimStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._sort: tuple[int, Qt.SortOrder] = (DOCUMENT, Qt.SortOrder.AscendingOrder)
        self._sort_key: SortKey = make_sort_key(DOCUMENT, {}, {})
        self._claims: list[Claim] = []
        self._labels: dict[str, Label] = {}
        self._haystacks: dict[str, tuple[Claim, str]] = {}
        """The text the filter looks in, by claim id, with the claim it was made from."""
        store.changed.connect(self.apply_update)
        self._reset()

    def _reset(self) -> None:
        """Every claim of the store, in the current order (the store's reading order is the
        default one: no sort then; another order is one Python sort)."""
        store = self.store
        self.beginResetModel()
        self._labels = {lab.id: lab for lab in store.labels()}
        label_order = {lab.id: i for i, lab in enumerate(store.labels())}
        self._sort_key = make_sort_key(self._sort[0], label_order, store.document_order())
        self._claims = list(store.claims())
        if self._sort != (DOCUMENT, Qt.SortOrder.AscendingOrder):
            self._claims.sort(key=self._sort_key, reverse=self.descending())
        self._haystacks = {}
        self.endResetModel()

    # -- the store ---------------------------------------------------------------------------

    def claim(self, claim_id: str) -> Claim | None:
        return self.store.claim(claim_id)

    def labels(self) -> list[Label]:
        """The labels the rows are shown with, in their order."""
        return list(self._labels.values())

    # -- sorting (here, in one Python sort, rather than in a proxy's comparisons) ----------

    def descending(self) -> bool:
        return self._sort[1] == Qt.SortOrder.DescendingOrder

    def sort_key(self, claim: Claim) -> tuple:
        """The claim's key in the current order (see `make_sort_key`)."""
        return self._sort_key(claim)

    def _bisect(self, key: tuple) -> int:
        """The first row whose claim does not sort before `key` (in the current order)."""
        return bisect_claims(self._claims, key, self.sort_key, self.descending())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        label_order = {lab_id: i for i, lab_id in enumerate(self._labels)}
        self._sort_key = make_sort_key(column, label_order, self.store.document_order())
        with relaid(self, self._claims, self.row_of):
            self._claims.sort(key=self.sort_key, reverse=self.descending())

    # -- changes -----------------------------------------------------------------------------

    def apply_update(self, update: StoreUpdate) -> None:
        """Follow the store: each touched claim is replaced in place, removed, inserted or
        (its sort key changed) moved, found by bisecting; a reset of the store resets."""
        if update.reset:
            self._reset()
            return
        for old in update.removed:
            row = self._find(old)
            if row >= 0:
                self._remove(row, old)
        for old, new in update.changed:
            row = self._find(old)
            if row >= 0 and self.sort_key(old) == self.sort_key(new):
                self._replace(row, new)
                continue
            if row < 0:
                self._insert(new)
                continue
            self.claimMoving.emit(new.id)
            self._remove(row, old)
            self._insert(new)
            self.claimMoved.emit(new.id)
        for new in update.added:
            if self._find(new) < 0:
                self._insert(new)

    def _find(self, claim: Claim) -> int:
        """The row of `claim` (found by its key as given), else -1."""
        row = self._bisect(self.sort_key(claim))
        return row if row < len(self._claims) and self._claims[row].id == claim.id else -1

    def _replace(self, row: int, new: Claim) -> None:
        self._claims[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _remove(self, row: int, old: Claim) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._claims[row]
        self._haystacks.pop(old.id, None)
        self.endRemoveRows()

    def _insert(self, new: Claim) -> None:
        row = self._bisect(self.sort_key(new))
        self.beginInsertRows(QModelIndex(), row, row)
        self._claims.insert(row, new)
        self.endInsertRows()

    def claims(self) -> list[Claim]:
        """Every claim, in the list's order (the model's own list: read it, never change it)."""
        return self._claims

    def claim_at(self, row: int) -> Claim | None:
        return self._claims[row] if 0 <= row < len(self._claims) else None

    def haystack(self, claim: Claim) -> str:
        """What the text filter searches: quote, note, tags, author, document title and label
        name, case-folded; made once per claim (an edited claim is a new object, made again)."""
        cached = self._haystacks.get(claim.id)
        if cached is not None and cached[0] is claim:
            return cached[1]
        label = self._labels.get(claim.label_id)
        text = " ".join(
            (
                claim.quote.exact,
                claim.note,
                " ".join(claim.tags),
                claim.author,
                self.store.title(claim.document_id),
                label.name if label else "",
            )
        ).casefold()
        self._haystacks[claim.id] = (claim, text)
        return text

    def row_of(self, claim_id: str) -> int:
        """The row of the claim as the store holds it, else -1."""
        claim = self.store.claim(claim_id)
        if claim is None:
            return -1
        row = self._find(claim)
        if row >= 0:
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
        if role not in ROLES or not index.isValid() or not (0 <= index.row() < len(self._claims)):
            return None
        return self.cell(self._claims[index.row()], index.column(), role)

    def cell(self, claim: Claim, col: int, role: int) -> Any:
        """What `data()` answers for `claim` in column `col` (also for the filtered list)."""
        label = self._labels.get(claim.label_id)
        if role == CLAIM_ID_ROLE:
            return claim.id
        if role == DOCUMENT_ID_ROLE:
            return claim.document_id
        if role == LABEL_ID_ROLE:
            return claim.label_id
        if role == Qt.ItemDataRole.DecorationRole and col == LABEL and label:
            return swatch(label.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == QUOTE:
                return claim.quote.exact[:2000]
            if col == NOTE and claim.note:
                return claim.note[:2000]
            if col == TAGS and claim.tags:
                return ", ".join(claim.tags)
            if col == AUTHOR and claim.author:
                return claim.author
            if col == DOCUMENT:
                return self.store.title(claim.document_id) or None  # the whole title
            if col == WHERE:
                return self.store.location(claim).text
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
        if col == AUTHOR:
            return claim.author
        if col == DOCUMENT:
            return self.store.title(claim.document_id)
        if col == WHERE:
            return self.store.location(claim).short
        return None
