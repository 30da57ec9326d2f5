"""The Agreement panel: how far the project's annotators agree, per pair, per document, per label.

A window of its own (Team > Agreement…), over `annotator.services.agreement`: the figures are
those of `annotator agreement --json`, and the matching rule is stated above them. It follows
the project's changes while it is open.

The figures are computed on the GUI thread for now: 5,000 claims of two annotators in one
document measure in about half a second here. The app's one task runner for background work is
where this read belongs once it exists (`measure_project_agreement` touches no Qt object, so it
can run there as it is, with the tables filled in the continuation).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.services.agreement import agreement_json, measure_project_agreement
from annotator.services.api import Project
from annotator.ui.refresh_on_changes import RefreshOnChanges

NONE = "—"


def number(value: float | None, percent: bool = False) -> str:
    """A figure as the panel shows it: two decimals, a percentage, or a dash when undefined."""
    if value is None:
        return NONE
    return f"{value:.0%}" if percent else f"{value:.2f}"


def fill_table(table: QTableWidget, headers: list[str], rows: list[list[tuple[str, str]]]) -> None:
    """Rows of (text, tooltip) cells; read-only."""
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, (text, tip) in enumerate(row):
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if tip:
                item.setToolTip(tip)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def _table(parent: QWidget, name: str) -> QTableWidget:
    table = QTableWidget(parent)
    table.setObjectName(name)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    return table


def _why(value: float | None, reason: str | None) -> str:
    return f"Undefined: {reason}." if value is None and reason else ""


class AgreementPanel(QDialog):
    """The agreement figures of the open project (not modal; follows changes)."""

    def __init__(self, project: Project, window: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.setWindowTitle("Agreement between annotators")
        self.setObjectName("AgreementPanel")
        self.project = project
        self.window_ = window
        self.data: dict[str, Any] = {}
        self._pending = RefreshOnChanges(
            self, self.refresh, ("annotation", "label", "document"), window
        )

        layout = QVBoxLayout(self)
        self.rule = QLabel(self)
        self.rule.setObjectName("rule")
        self.rule.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.rule)
        layout.addWidget(self.summary)
        self.tabs = QTabWidget(self)
        self.pairs = _table(self, "pairs")
        self.documents = _table(self, "documents")
        self.labels = _table(self, "labels")
        self.tabs.addTab(self.pairs, "&Pairs")
        self.tabs.addTab(self.documents, "&Documents")
        self.tabs.addTab(self.labels, "&Labels")
        layout.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        self.adjudicate_button = QPushButton("&Adjudicate…", self)
        self.adjudicate_button.setToolTip("Settle the units the annotators disagree on")
        self.adjudicate_button.clicked.connect(self._adjudicate)
        self.adjudicate_button.setEnabled(window is not None)
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.adjudicate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.resize(760, 460)
        self.refresh()

    def _adjudicate(self) -> None:
        from annotator.ui.adjudication_dialog import show_adjudication

        show_adjudication(self.window_)

    def closeEvent(self, event: Any) -> None:
        self._pending.cancel()
        super().closeEvent(event)

    def refresh(self) -> None:
        """Measure again and show the figures."""
        self.data = data = agreement_json(measure_project_agreement(self.project))
        self.rule.setText(f"<b>Matching.</b> {data['rule']} The value compared is the label.")
        names = [a["name"] for a in data["annotators"]]
        claims = sum(a["claims"] for a in data["annotators"])
        if len(names) < 2:
            who = f", all by {names[0]}" if names else ""
            self.summary.setText(
                f"Agreement needs claims by two or more annotators; this project has {claims} "
                f"claim{'s' if claims != 1 else ''}{who}."
            )
        else:
            alpha = number(data["krippendorff_alpha"])
            why = _why(data["krippendorff_alpha"], data["krippendorff_alpha_reason"])
            unmatched = ", ".join(f"{a} {len(cs)}" for a, cs in data["unmatched"].items())
            self.summary.setText(
                f"{len(names)} annotators ({', '.join(names)}), {claims} claims, "
                f"{data['units']} unit{'s' if data['units'] != 1 else ''} coded by two or more. "
                f"Krippendorff's alpha (nominal, all annotators): <b>{alpha}</b>"
                + (f" ({why})" if why else "")
                + f".<br>Unmatched claims (no other annotator's claim matched): {unmatched}."
            )
        self._fill_pairs(data)
        self._fill_documents(data)
        self._fill_labels(data)

    def _fill_pairs(self, data: dict[str, Any]) -> None:
        rows = []
        for pair in data["pairs"]:
            a, b = pair["annotators"]
            rows.append(
                [
                    (f"{a} – {b}", ""),
                    (str(pair["units"]), "Units matched between the two"),
                    (
                        number(pair["percent_agreement"], percent=True),
                        _why(pair["percent_agreement"], pair["percent_agreement_reason"]),
                    ),
                    (
                        number(pair["cohen_kappa"]),
                        _why(pair["cohen_kappa"], pair["cohen_kappa_reason"]),
                    ),
                    (
                        f"{pair['unmatched'][a]} / {pair['unmatched'][b]}",
                        f"Claims of {a} / of {b} the other did not match",
                    ),
                ]
            )
        fill_table(self.pairs, ["Pair", "Units", "Agreement", "Cohen's kappa", "Unmatched"], rows)

    def _fill_documents(self, data: dict[str, Any]) -> None:
        rows = []
        for doc in data["by_document"]:
            unmatched = sum(doc["unmatched"].values())
            rows.append(
                [
                    (str(doc["document_number"] or "?"), ""),
                    (doc["title"], doc["title"]),
                    (str(doc["units"]), ""),
                    (
                        number(doc["krippendorff_alpha"]),
                        _why(doc["krippendorff_alpha"], doc["krippendorff_alpha_reason"]),
                    ),
                    (str(unmatched), ", ".join(f"{a} {n}" for a, n in doc["unmatched"].items())),
                ]
            )
        fill_table(self.documents, ["#", "Document", "Units", "Alpha", "Unmatched"], rows)

    def _fill_labels(self, data: dict[str, Any]) -> None:
        rows = []
        for item in data["by_label"]:
            rows.append(
                [
                    (item["label"], ""),
                    (
                        str(sum(item["claims"].values())),
                        ", ".join(f"{a} {n}" for a, n in item["claims"].items()),
                    ),
                    (str(item["units"]), ""),
                    (str(item["unmatched"]), ""),
                    (
                        number(item["specific_agreement"], percent=True),
                        _why(item["specific_agreement"], item["specific_agreement_reason"]),
                    ),
                    (
                        number(item["krippendorff_alpha"]),
                        _why(item["krippendorff_alpha"], item["krippendorff_alpha_reason"]),
                    ),
                ]
            )
        fill_table(
            self.labels,
            ["Label", "Claims", "Units", "Unmatched", "Specific agreement", "Alpha"],
            rows,
        )


def show_agreement(window: Any) -> AgreementPanel | None:
    """Open (or raise) the window's Agreement panel; it closes with the project."""
    if window.project is None:
        return None
    panel = window.findChild(AgreementPanel)
    if panel is None or panel.project is not window.project:
        panel = AgreementPanel(window.project, window)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.projectClosed.connect(panel.close)
    panel.show()
    panel.raise_()
    panel.activateWindow()
    return panel
