"""What the claim list shows: the claims of its model (`claim_model.ClaimTableModel`) that pass
the filters (text, label, document), in the model's order.

Not a QSortFilterProxyModel: a proxy asks a Python `filterAcceptsRow` once per claim for every
change of a filter, and at 100,000 claims those calls alone held the window 0.3-1.2 s a
keystroke. Here the filter is one pass in plain Python over the model's list (each claim's
case-folded search text made once), on the app's task runner once the list has
BACKGROUND_FILTER claims or more (the window keeps working; a newer filter supersedes the pass,
and the claims the source changed meanwhile are patched into its rows when it ends), and the
new rows replace the old in one layout change that keeps the current claim and the selection
where they were. Between filter changes
the rows follow the model's signals one by one (an edit hides or shows a row as a reload
would), found by bisecting in the model's sort order.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from annotator.domain.model import Claim
from annotator.ui.claim_model import (
    COLUMNS,
    QUOTE,
    ROLES,
    ClaimTableModel,
    bisect_claims,
    relaid,
)

FILTER_AT_ONCE_BELOW = 20_000
"""Up to this many claims the text filter follows every keystroke; above it, it waits for
FILTER_PAUSE_MS of quiet typing."""
FILTER_PAUSE_MS = 200
BACKGROUND_FILTER = 20_000
"""From this many claims on, a new filter is worked out on the task runner."""

_Index = QModelIndex | QPersistentModelIndex


class ClaimFilterModel(QAbstractTableModel):
    """The claims of `source` that pass the filters, as a table with the source's columns."""

    def __init__(self, source: ClaimTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._rows: list[Claim] = []
        self._words: tuple[str, ...] = ()
        self._label_id = ""
        self._document_id: str | None = None
        self._touched: set[str] | None = None
        """While a filter is worked out in the background: the claims the source changed."""
        self._reordered = False
        """Whether the source was sorted anew while a filter was worked out."""
        self._pending = False
        """A pass runs on the task runner; its rows replace the shown ones when it ends."""
        self._task_key = f"claim-filter-{id(self)}"
        source.rowsAboutToBeRemoved.connect(self._source_removing)
        source.rowsInserted.connect(self._source_inserted)
        source.dataChanged.connect(self._source_changed)
        source.layoutChanged.connect(self._source_reordered)
        source.modelReset.connect(self._refilter)
        self._refilter()

    # -- the filters -------------------------------------------------------------------------

    def set_text(self, text: str) -> None:
        self._set(words=tuple(text.casefold().split()))

    def set_label(self, label_id: str, *, refilter: bool = True) -> None:
        """`refilter=False`: only remember it (the source is about to reload, which filters)."""
        if refilter:
            self._set(label_id=label_id)
        else:
            self._label_id = label_id

    def set_document(self, document_id: str | None) -> None:
        """Only the claims of this document; None: the whole project."""
        self._set(document_id=document_id)

    def _set(self, **values: Any) -> None:
        if all(getattr(self, "_" + name) == value for name, value in values.items()):
            return
        for name, value in values.items():
            setattr(self, "_" + name, value)
        self._refilter()

    def passes(self, claim: Claim) -> bool:
        if self._document_id is not None and claim.document_id != self._document_id:
            return False
        if self._label_id and claim.label_id != self._label_id:
            return False
        if self._words:
            haystack = self._source.haystack(claim)
            return all(word in haystack for word in self._words)
        return True

    def _refilter(self) -> None:
        """Show what passes the filters now: at once below BACKGROUND_FILTER claims, else
        worked out on the task runner (see the module docstring)."""
        claims = self._source.claims()
        if len(claims) < BACKGROUND_FILTER:
            if self._pending:
                self._cancel_pass()
            self._show(self._passing(claims))
            return
        self._start_pass(claims, 0)

    def busy(self) -> bool:
        """A filter pass is under way (what is shown is the previous filter's rows)."""
        return self._pending

    def _start_pass(self, claims: list[Claim], attempt: int) -> None:
        from annotator.ui.tasks import runner

        touched: set[str] = set()
        self._touched, self._reordered, self._pending = touched, False, True
        snapshot = list(claims)
        # The worker reads the filters as they are; a filter changed meanwhile starts a new
        # pass, which drops this one's rows whatever they were.
        runner().submit(
            lambda: self._passing(snapshot),
            lambda rows: self._pass_done(rows, touched, attempt),
            key=self._task_key,
            owner=self,
        )

    def _cancel_pass(self) -> None:
        from annotator.ui.tasks import runner

        runner().cancel(self._task_key)
        self._touched, self._pending = None, False

    def _pass_done(self, rows: list[Claim], touched: set[str], attempt: int) -> None:
        if touched is not self._touched:
            return  # a newer pass is under way
        self._touched, self._pending = None, False
        if self._reordered:  # sorted anew meanwhile: the rows' order is the old one
            if attempt < 2:
                self._start_pass(self._source.claims(), attempt + 1)
                return
            rows, touched = self._passing(self._source.claims()), set()
        self._show(self._patched(rows, touched))

    def _passing(self, claims: list[Claim]) -> list[Claim]:
        return [c for c in claims if self.passes(c)]

    def _patched(self, rows: list[Claim], touched: set[str]) -> list[Claim]:
        """`rows`, worked out from an earlier list of the source's claims, brought up to date
        with the claims the source changed meanwhile (while the worker filtered): each one is
        taken out and, as it is now, put back if it passes."""
        if not touched:
            return rows
        rows = [c for c in rows if c.id not in touched]
        for claim_id in touched:
            claim = self._source.claim(claim_id)
            if claim is not None and self.passes(claim):
                rows.insert(self._position(claim, rows), claim)
        return rows

    def _show(self, rows: list[Claim]) -> None:
        """Replace the rows in one layout change; every persistent index (the current claim,
        the selection) follows its claim, or goes if its claim is no longer shown."""
        with relaid(self, self._rows, self.row_of):
            self._rows = rows

    # -- following the source ----------------------------------------------------------------

    def _position(self, claim: Claim, rows: list[Claim] | None = None) -> int:
        """Where `claim` is or would be among the rows (or `rows`), in the source's order."""
        source = self._source
        return bisect_claims(
            self._rows if rows is None else rows,
            source.sort_key(claim),
            source.sort_key,
            source.descending(),
        )

    def _find(self, claim: Claim) -> int:
        """The row showing `claim` (or a claim of the same id and sort key), else -1."""
        row = self._position(claim)
        return row if row < len(self._rows) and self._rows[row].id == claim.id else -1

    def _insert(self, claim: Claim) -> None:
        row = self._position(claim)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, claim)
        self.endInsertRows()

    def _remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def _note(self, claim: Claim) -> None:
        if self._touched is not None:
            self._touched.add(claim.id)

    def _source_removing(self, _parent: QModelIndex, first: int, last: int) -> None:
        for source_row in range(last, first - 1, -1):
            claim = self._source.claim_at(source_row)
            if claim is None:
                continue
            self._note(claim)
            row = self._find(claim)
            if row >= 0:
                self._remove(row)

    def _source_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        for source_row in range(first, last + 1):
            claim = self._source.claim_at(source_row)
            if claim is None:
                continue
            self._note(claim)
            if self.passes(claim):
                self._insert(claim)

    def _source_changed(self, top: QModelIndex, bottom: QModelIndex, *_roles: object) -> None:
        """Claims replaced in place (same sort key): shown, hidden or repainted by the filter."""
        for source_row in range(top.row(), bottom.row() + 1):
            claim = self._source.claim_at(source_row)
            if claim is None:
                continue
            self._note(claim)
            row = self._find(claim)
            if row >= 0 and self.passes(claim):
                self._rows[row] = claim
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            elif row >= 0:
                self._remove(row)
            elif self.passes(claim):
                self._insert(claim)

    def _source_reordered(self, *_args: object) -> None:
        """The source was sorted anew: the same claims, in its new order."""
        self._reordered = True
        shown = {c.id for c in self._rows}
        self._show([c for c in self._source.claims() if c.id in shown])

    # -- the table ---------------------------------------------------------------------------

    def claim_at(self, row: int) -> Claim | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, claim_id: str) -> int:
        """The row showing this claim, or -1 (not in the project, or filtered out)."""
        claim = self._source.claim(claim_id)
        return self._find(claim) if claim is not None else -1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The view's header sorts the source (one Python sort); the rows follow it."""
        if column >= 0:
            self._source.sort(column, order)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return self._source.headerData(section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ROLES or not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        return self._source.cell(self._rows[index.row()], index.column(), role)

    def quote_index(self, claim_id: str) -> QModelIndex:
        """The index of the claim's quote cell (invalid when it is not shown)."""
        row = self.row_of(claim_id)
        return self.index(row, QUOTE) if row >= 0 else QModelIndex()
