"""File > Import annotations…: W3C Web Annotations (JSON-LD) or Hypothesis JSON.

The import service places each claim by its selectors in one transaction; this module runs it
on the app's task runner (re-anchoring grows with the file: 10,000 claims take about 4 s, and
the window keeps working meanwhile) and then shows what happened: the counts, and every claim
or link that could not be imported (with its reason) or was placed elsewhere than its position
said. Nothing is dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
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


class AnnotationImport(QObject):
    """One import of an annotation file under way; `finished` carries the summary dialog (or
    None when the file was refused: the error dialog has said why)."""

    finished = Signal(object)

    def __init__(self, window: Any, path: Path) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.dialog: ImportSummaryDialog | None = None
        self.done = False

    def start(self) -> None:
        from annotator.exporters import import_annotations
        from annotator.ui.tasks import runner

        project, file = self.window.project, self.path
        assert project is not None  # checked by import_annotations_file
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self.window.statusBar().showMessage(f"Importing annotations from {file.name}…")
        runner().submit(
            lambda: import_annotations(project, file), self._imported, self._failed, owner=self
        )

    def _end(self) -> None:
        QApplication.restoreOverrideCursor()
        self.window.statusBar().clearMessage()
        self.done = True

    def _imported(self, result: Any) -> None:
        self._end()
        self.window.statusBar().showMessage(result.message, 10000)
        dialog = self.dialog = ImportSummaryDialog(result, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.finished.emit(dialog)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        if isinstance(exc, AnnotatorError):
            show_error(self.window, str(exc))
        else:
            report(self.window, exc, f"importing {self.path.name}")
        self.finished.emit(None)


def import_annotations_file(window: Any, path: Path | str | None = None) -> AnnotationImport | None:
    """Ask for a file (unless given) and import it in the background; the summary shows
    (window-modal) when it is done. None: no project, or no file chosen."""
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
    job = AnnotationImport(window, Path(path))
    job.start()
    return job
