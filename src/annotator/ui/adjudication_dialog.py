"""The Adjudication window: the units annotators disagree on, side by side, settled one by one.

Above, the open units (`Project.disagreements`): labels that differ on one region of the text, and
claims only one annotator made. Below, the selected unit's claims, one row each: the annotator,
the label, the quote and the note. The adjudicator chooses a label (or "Not a claim") and
settles; a claim only one annotator made can be confirmed (settled with its own label) or
rejected (settled as not a claim: no claim is made). Every settlement is one undoable step
(`SettleCommand`) on the window's undo stack, and a settled unit leaves the list. Clicking a
claim selects it in the reader when the window offers `select_claim(claim_id)`.

The list is computed on the GUI thread for now (the agreement matching of the project's claims:
about 0.35 s for 5,000 claims of two annotators here); like the Agreement panel's figures, it is
a Qt-free read meant for the app's task runner once there is one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.adjudication import ONE_ANNOTATOR, Disagreement
from annotator.services.adjudication import OpenDisagreements
from annotator.services.api import Project
from annotator.ui.refresh_on_changes import RefreshOnChanges
from annotator.ui.undo import SettleCommand, UndoStack, snippet

NOT_A_CLAIM = "Not a claim"
CLAIM_ID = Qt.ItemDataRole.UserRole


def _item(text: str, tip: str = "", data: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if tip:
        item.setToolTip(tip)
    if data:
        item.setData(CLAIM_ID, data)
    return item


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    return table


class AdjudicationDialog(QDialog):
    """The open disagreements of a project, and the controls that settle them (not modal)."""

    settled = Signal(str)  # the settlement id, once committed

    def __init__(
        self, project: Project, stack: UndoStack, window: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self.setWindowTitle("Adjudicate disagreements")
        self.setObjectName("AdjudicationDialog")
        self.project = project
        self.stack = stack
        self.window_ = window
        self.found: OpenDisagreements | None = None
        self._pending = RefreshOnChanges(
            self, self.refresh, ("annotation", "settlement", "label", "document"), window
        )

        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.units = _table(split, "units", ["#", "Document", "Kind", "Labels", "Quote"])
        self.claims = _table(split, "claims", ["Annotator", "Label", "Quote", "Note"])
        split.addWidget(self.units)
        split.addWidget(self.claims)
        layout.addWidget(split, 1)

        row = QHBoxLayout()
        settle_as = QLabel("Settle &as:", self)
        row.addWidget(settle_as)
        self.label_choice = QComboBox(self)
        self.label_choice.setObjectName("label_choice")
        settle_as.setBuddy(self.label_choice)
        row.addWidget(self.label_choice)
        span_label = QLabel("&Span of:", self)
        row.addWidget(span_label)
        self.span_choice = QComboBox(self)
        self.span_choice.setObjectName("span_choice")
        self.span_choice.setToolTip("Whose span the settled claim takes")
        span_label.setBuddy(self.span_choice)
        row.addWidget(self.span_choice, 1)
        self.settle_button = QPushButton("&Settle", self)
        self.settle_button.setToolTip("Make the settled claim with the chosen label")
        self.confirm_button = QPushButton("&Confirm", self)
        self.confirm_button.setToolTip("Settle the claim with its own label")
        self.reject_button = QPushButton("&Reject", self)
        self.reject_button.setToolTip("Settle the unit as not a claim: no claim is made")
        for button in (self.settle_button, self.confirm_button, self.reject_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        layout.addLayout(row)
        bottom = QHBoxLayout()
        self.note = QLabel(
            "A settled claim is yours, over the span chosen; the annotators' claims stay as they "
            "are and agreement leaves settled claims out.",
            self,
        )
        self.note.setWordWrap(True)
        bottom.addWidget(self.note, 1)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

        self.units.itemSelectionChanged.connect(self._show_unit)
        self.label_choice.activated.connect(self._span_follows_label)
        self.claims.itemClicked.connect(self._claim_clicked)
        self.settle_button.clicked.connect(self.settle_chosen)
        self.confirm_button.clicked.connect(self.confirm_unit)
        self.reject_button.clicked.connect(self.reject_unit)
        self.stack.indexChanged.connect(lambda _i: self._pending.request())
        self.resize(900, 560)
        self.refresh()

    # -- the list ----------------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:
        self._pending.cancel()
        super().closeEvent(event)

    def refresh(self) -> None:
        """List the open units again, keeping the selected one when it is still open."""
        keep = self.current_unit()
        keep_id = keep.reference if keep is not None else ""
        self.found = found = self.project.disagreements()
        names = {lab.id: lab.name for lab in self.project.labels()}
        self.label_choice.clear()
        for label_id, name in names.items():
            self.label_choice.addItem(name, label_id)
        self.label_choice.addItem(NOT_A_CLAIM, None)
        agreement = found.agreement
        self.units.blockSignals(True)
        self.units.setRowCount(len(found.disagreements))
        for r, unit in enumerate(found.disagreements):
            first = min(unit.claims, key=lambda c: (c.start, -c.end, c.claim_id))
            quote = found.claim(first.claim_id).quote.exact
            title = agreement.document_titles.get(unit.document_id, "")
            labels = " · ".join(f"{c.annotator}: {c.label}" for c in unit.claims)
            number = agreement.document_numbers.get(unit.document_id)
            self.units.setItem(r, 0, _item(str(number or "?"), data=unit.reference))
            self.units.setItem(r, 1, _item(title, title))
            self.units.setItem(r, 2, _item(unit.kind))
            self.units.setItem(r, 3, _item(labels, labels))
            self.units.setItem(r, 4, _item(snippet(quote, 80), quote))
        self.units.resizeColumnsToContents()
        self.units.blockSignals(False)
        count = len(found.disagreements)
        settled = len(found.settlements)
        if count:
            self.summary.setText(
                f"{count} open disagreement{'s' if count != 1 else ''}"
                + (f"; {settled} settled." if settled else ".")
            )
        elif len(agreement.annotators) < 2 and not settled:
            self.summary.setText("Nothing to adjudicate: the project has one annotator or none.")
        else:
            self.summary.setText(f"No open disagreement; {settled} settled.")
        rows = [u.reference for u in found.disagreements]
        row = rows.index(keep_id) if keep_id in rows else (0 if rows else -1)
        if row >= 0:
            self.units.selectRow(row)
        self._show_unit()

    def current_unit(self) -> Disagreement | None:
        if self.found is None:
            return None
        rows = self.units.selectionModel().selectedRows() if self.units.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        units = self.found.disagreements
        return units[row] if 0 <= row < len(units) else None

    def _show_unit(self) -> None:
        unit = self.current_unit()
        found = self.found
        self.claims.setRowCount(0)
        self.span_choice.clear()
        for button in (self.settle_button, self.confirm_button, self.reject_button):
            button.setEnabled(unit is not None)
        self.confirm_button.setEnabled(unit is not None and unit.kind == ONE_ANNOTATOR)
        if unit is None or found is None:
            return
        self.claims.setRowCount(len(unit.claims))
        for r, span in enumerate(unit.claims):
            claim = found.claim(span.claim_id)
            self.claims.setItem(r, 0, _item(span.annotator, data=claim.id))
            self.claims.setItem(r, 1, _item(span.label))
            self.claims.setItem(r, 2, _item(claim.quote.exact, claim.quote.exact))
            self.claims.setItem(r, 3, _item(claim.note, claim.note))
            self.span_choice.addItem(
                f"{span.annotator}: “{snippet(claim.quote.exact, 30)}”", claim.id
            )
        self.claims.resizeColumnsToContents()
        self.claims.resizeRowsToContents()
        index = self.label_choice.findData(found.claim(unit.claims[0].claim_id).label_id)
        if index >= 0:
            self.label_choice.setCurrentIndex(index)

    def _span_follows_label(self, _index: int = 0) -> None:
        """Choosing a label proposes the span of a claim that has it (the span stays free)."""
        unit, found = self.current_unit(), self.found
        label_id = self.label_choice.currentData()
        if unit is None or found is None or label_id is None:
            return
        for span in unit.claims:
            if found.claim(span.claim_id).label_id == label_id:
                self.span_choice.setCurrentIndex(self.span_choice.findData(span.claim_id))
                return

    def _claim_clicked(self, item: QTableWidgetItem) -> None:
        first = self.claims.item(item.row(), 0)
        claim_id = first.data(CLAIM_ID) if first is not None else None
        select = getattr(self.window_, "select_claim", None)
        if claim_id and callable(select):
            select(claim_id)
        index = self.span_choice.findData(claim_id)
        if index >= 0:
            self.span_choice.setCurrentIndex(index)

    # -- settling ----------------------------------------------------------------------------

    def settle_chosen(self) -> bool:
        """Settle the selected unit with the label chosen (or as not a claim)."""
        label_id = self.label_choice.currentData()
        return self._settle(
            label_id, self.label_choice.currentText(), self.span_choice.currentData()
        )

    def confirm_unit(self) -> bool:
        """Settle a claim only one annotator made with its own label."""
        unit = self.current_unit()
        if unit is None or self.found is None:
            return False
        claim = self.found.claim(unit.claims[0].claim_id)
        return self._settle(claim.label_id, unit.claims[0].label, claim.id)

    def reject_unit(self) -> bool:
        """Settle the selected unit as not a claim."""
        return self._settle(None, NOT_A_CLAIM, None)

    def _settle(self, label_id: str | None, label_name: str, span_of: str | None) -> bool:
        unit = self.current_unit()
        if unit is None or self.found is None:
            return False
        quote = self.found.claim(span_of or unit.claims[0].claim_id).quote.exact
        command = SettleCommand(
            self.project, unit.claim_ids, label_id, quote, label_name, span_of=span_of
        )
        done = self.stack.run(command)  # a refusal is reported by the stack's owner
        if done:
            self.settled.emit(command.settlement_id)
            self.refresh()
            self._pending.cancel()  # the change's own notices asked for this refresh too
        return done


def show_adjudication(window: Any) -> AdjudicationDialog | None:
    """Open (or raise) the window's Adjudication dialog; it closes with the project."""
    if window is None or window.project is None:
        return None
    dialog = window.findChild(AdjudicationDialog)
    if dialog is None or dialog.project is not window.project:
        dialog = AdjudicationDialog(window.project, window.stack, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.projectClosed.connect(dialog.close)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
