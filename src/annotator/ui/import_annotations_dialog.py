"""File > Import annotations…: W3C Web Annotations (JSON-LD) or Hypothesis JSON.

The import service places each claim by its selectors in one transaction; this module runs it
and then shows what happened: the counts, and every claim or link that could not be imported
(with its reason) or was placed elsewhere than its position said. Nothing is dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.ui.errors import report, show_error

if TYPE_CHECKING:
    from annotator.services.interchange import ImportReport

FILE_FILTER = "Web annotations (*.jsonld *.json);;All files (*)"


class ImportSummaryDialog(QDialog):
    def __init__(self, result: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = result
        self.setWindowTitle("Annotations imported")
        heading = QLabel(f"<b>{_esc(result.message)}</b>", self)
        heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        self.skipped = QListWidget(self)
        self.moved = QListWidget(self)
        red, amber = QColor("#c62828"), QColor("#9a6700")
        for issue in result.skipped:
            item = QListWidgetItem(f"{issue.ref} — {issue.reason}")
            item.setForeground(red)
            item.setToolTip(str(issue))
            self.skipped.addItem(item)
        for issue in result.moved:
            item = QListWidgetItem(f"{issue.ref} — {issue.reason}")
            item.setForeground(amber)
            self.moved.addItem(item)
        if result.skipped:
            layout.addWidget(
                QLabel(
                    f"{len(result.skipped)} could not be imported (not anchored or already "
                    "present):",
                    self,
                )
            )
            layout.addWidget(self.skipped, 2)
        if result.moved:
            layout.addWidget(QLabel(f"{len(result.moved)} placed by their quote; check them:"))
            layout.addWidget(self.moved, 1)
        if not result.skipped and not result.moved:
            layout.addWidget(QLabel("Every annotation was placed where its position said.", self))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.accept)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(620, 420 if (result.skipped or result.moved) else 160)

    def lines(self) -> list[str]:
        return self.report.lines()


def _esc(text: str) -> str:
    import html

    return html.escape(text)


def import_annotations_file(
    window: Any, path: Path | str | None = None
) -> ImportSummaryDialog | None:
    """Ask for a file (unless given), import it, and show the summary (window-modal)."""
    project = window.project
    if project is None:
        return None
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            window, "Import annotations", str(Path(project.path).parent), FILE_FILTER
        )
        if not chosen:
            return None
        path = chosen
    from annotator.exporters import import_annotations
    from annotator.ui.reader.loading import run_in_background

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        # Re-anchoring grows with the file (10,000 claims: about 4 s): in a worker thread, the
        # window keeps painting (input waits until the import is done).
        file = Path(path)
        result = run_in_background(lambda: import_annotations(project, file))
    except AnnotatorError as exc:
        QApplication.restoreOverrideCursor()
        show_error(window, str(exc))
        return None
    except Exception as exc:
        QApplication.restoreOverrideCursor()
        report(window, exc, f"importing {Path(path).name}")
        return None
    QApplication.restoreOverrideCursor()
    window.statusBar().showMessage(result.message, 10000)
    dialog = ImportSummaryDialog(result, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
