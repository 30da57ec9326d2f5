"""The claim list's model: every claim of the project, in the chosen sort order, and the
window's in-memory mirror of them (see `ClaimTableModel`). What the list shows of it, filtered,
is `claim_filter.ClaimFilterModel`; the dock around both is `claim_list.ClaimListPanel`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QWidget

from annotator.domain.model import Annotation, DocumentSummary, Label
from annotator.services.api import Project
from annotator.services.changes import Changes
from annotator.ui.library import swatch

CLAIM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
LABEL_ID_ROLE = Qt.ItemDataRole.UserRole + 3

COLUMNS = ("Label", "Quote", "Note", "Tags", "Document")
LABEL, QUOTE, NOTE, TAGS, DOCUMENT = range(len(COLUMNS))

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


def bisect_claims(
    claims: Sequence[Annotation],
    key: tuple,
    sort_key: Callable[[Annotation], tuple],
    descending: bool,
) -> int:
    """The first position in `claims` (sorted by `sort_key`, `descending` or not) whose claim
    does not sort before `key`."""
    lo, hi = 0, len(claims)
    while lo < hi:
        mid = (lo + hi) // 2
        k = sort_key(claims[mid])
        if (k > key) if descending else (k < key):
            lo = mid + 1
        else:
            hi = mid
    return lo


@contextmanager
def relaid(
    model: QAbstractItemModel, rows: Sequence[Annotation], row_of: Callable[[str], int]
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


BACKGROUND_CLAIMS = 2000
"""Projects with more claims than this read them on the task runner (12,600 claims: ~1 s)."""

SortKey = Callable[[Annotation], tuple]


def make_sort_key(column: int, label_order: dict[str, int], doc_order: dict[str, int]) -> SortKey:
    """The sort key of a column; unique (it ends with the claim's id), so that a claim's row
    can be found by bisecting and a full reload gives the very order row-by-row updates keep."""

    def position(claim: Annotation) -> tuple:
        return (doc_order.get(claim.document_id, 0), claim.start, claim.end, claim.id)

    if column == LABEL:
        return lambda c: (label_order.get(c.label_id, 0), *position(c))
    if column == QUOTE:
        return lambda c: (" ".join(c.quote.exact.split()).casefold(), *position(c))
    if column == NOTE:
        return lambda c: (" ".join(c.note.split()).casefold(), *position(c))
    if column == TAGS:
        return lambda c: (", ".join(c.tags).casefold(), *position(c))
    return position


Counts = dict[str, dict[str, int]]


def add_count(counts: Counts, claim: Annotation, delta: int) -> None:
    """Count `claim` in (+1) or out (-1) of {document id: {label id: claims}}."""
    per_label = counts.setdefault(claim.document_id, {})
    n = per_label.get(claim.label_id, 0) + delta
    if n > 0:
        per_label[claim.label_id] = n
    else:
        per_label.pop(claim.label_id, None)
        if not per_label:
            del counts[claim.document_id]


class _Mirror:
    """What the model holds of a project, read and made in one go (in a worker thread for a big
    project): labels and documents with their orders, and the claims sorted and counted."""

    def __init__(self, project: Project | None, column: int, descending: bool) -> None:
        self.labels: list[Label] = project.labels() if project is not None else []
        self.docs: list[DocumentSummary] = project.documents() if project is not None else []
        claims = project.annotations() if project is not None else []
        self.label_order = {lab.id: i for i, lab in enumerate(self.labels)}
        self.doc_order = {d.id: i for i, d in enumerate(self.docs)}
        self.sort(column, descending, claims)

    def sort(self, column: int, descending: bool, claims: list[Annotation]) -> None:
        """Hold `claims`, in the order of `column`, indexed and counted."""
        self.key_column, self.descending = column, descending
        self.key = make_sort_key(column, self.label_order, self.doc_order)
        claims.sort(key=self.key, reverse=descending)
        self.counts: Counts = {}
        for claim in claims:
            add_count(self.counts, claim, 1)
        self.claims = claims
        self.by_id = {c.id: c for c in claims}


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
        self._sort_key: SortKey = make_sort_key(DOCUMENT, {}, {})
        self._claims: list[Annotation] = []
        self._by_id: dict[str, Annotation] = {}
        self._counts: dict[str, dict[str, int]] = {}
        self._labels: dict[str, Label] = {}
        self._label_order: dict[str, int] = {}
        self._titles: dict[str, str] = {}
        self._doc_order: dict[str, int] = {}
        self._haystacks: dict[str, tuple[Annotation, str]] = {}
        """The text the filter looks in, by claim id, with the claim it was made from."""
        self._reading = False
        self._task_key = f"claim-read-{id(self)}"

    def reload(self, project: Project | None) -> None:
        """Every claim of the project, read anew: at once up to BACKGROUND_CLAIMS claims, else
        on the app's task runner while the window goes on (`busy()`), the rows replaced when
        it is read. A change committed meanwhile (by this window, or by another program) may
        or may not be in what was read, so the read is repeated until the change number holds
        still; a reload asked for meanwhile supersedes the one under way."""
        if project is None or project.annotation_count() <= BACKGROUND_CLAIMS:
            if self._reading:
                from annotator.ui.tasks import runner

                runner().cancel(self._task_key)
                self._reading = False
            self._apply(_Mirror(project, self._sort[0], self.descending()))
            return
        self._read(project, 0)

    def busy(self) -> bool:
        """The project's claims are being read on the task runner."""
        return self._reading

    def _read(self, project: Project, attempt: int) -> None:
        from annotator.ui.tasks import runner

        self._reading = True
        column, descending, before = self._sort[0], self.descending(), project.change_number()
        runner().submit(
            lambda: _Mirror(project, column, descending),
            lambda mirror: self._read_done(project, mirror, before, attempt),
            lambda error: self._read_failed(project, error),
            key=self._task_key,
            owner=self,
        )

    def _read_done(self, project: Project, mirror: _Mirror, before: int, attempt: int) -> None:
        if project.change_number() != before:
            if attempt < 2:
                self._read(project, attempt + 1)
                return
            mirror = _Mirror(project, self._sort[0], self.descending())
        self._reading = False
        self._apply(mirror)

    def _read_failed(self, project: Project, error: BaseException) -> None:
        """The read failed (the project closed meanwhile, or its file went): keep the rows."""
        import logging

        self._reading = False
        logging.getLogger(__name__).info("reading the claims failed: %s", error)

    def _apply(self, mirror: _Mirror) -> None:
        if (mirror.key_column, mirror.descending) != (self._sort[0], self.descending()):
            mirror.sort(self._sort[0], self.descending(), mirror.claims)  # sorted meanwhile
        self.beginResetModel()
        self._labels = {lab.id: lab for lab in mirror.labels}
        self._label_order, self._doc_order = mirror.label_order, mirror.doc_order
        self._titles = {d.id: d.title for d in mirror.docs}
        self._sort_key = mirror.key
        self._claims, self._by_id, self._counts = mirror.claims, mirror.by_id, mirror.counts
        self._haystacks = {}
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
        add_count(self._counts, claim, delta)

    # -- sorting (here, in one Python sort, rather than in a proxy's comparisons) ----------

    def descending(self) -> bool:
        return self._sort[1] == Qt.SortOrder.DescendingOrder

    def sort_key(self, claim: Annotation) -> tuple:
        """The claim's key in the current order (see `make_sort_key`)."""
        return self._sort_key(claim)

    def _bisect(self, key: tuple) -> int:
        """The first row whose claim does not sort before `key` (in the current order)."""
        return bisect_claims(self._claims, key, self.sort_key, self.descending())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._sort_key = make_sort_key(column, self._label_order, self._doc_order)
        with relaid(self, self._claims, self.row_of):
            self._claims.sort(key=self.sort_key, reverse=self.descending())

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
            if old is not None and new is not None and self.sort_key(old) == self.sort_key(new):
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
        row = self._bisect(self.sort_key(new))
        self.beginInsertRows(QModelIndex(), row, row)
        self._claims.insert(row, new)
        self._by_id[new.id] = new
        self._count(new, 1)
        self.endInsertRows()

    def claims(self) -> list[Annotation]:
        """Every claim, in the list's order (the model's own list: read it, never change it)."""
        return self._claims

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

    def row_of(self, claim_id: str) -> int:
        claim = self._by_id.get(claim_id)
        if claim is None:
            return -1
        row = self._bisect(self.sort_key(claim))
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
        if role not in ROLES or not index.isValid() or not (0 <= index.row() < len(self._claims)):
            return None
        return self.cell(self._claims[index.row()], index.column(), role)

    def cell(self, claim: Annotation, col: int, role: int) -> Any:
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
