"""Importing files in the background, with a progress dialog and Cancel.

The project's SQLite engine allows use from another thread (check_same_thread=False, one
transaction at a time under the project's lock), so the import service runs on the app's task
runner (`ui.tasks`); its progress and outcome reach the GUI thread through the runner, and the
project's change listeners (called on the worker) are handed over by the main window.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.app.imports import ImportResult
from annotator.ui.tasks import Task, runner

if TYPE_CHECKING:
    from annotator.services.api import Project


class ImportJob(QObject):
    """One import: the work on the runner, and the progress dialog. `cancel()` stops before
    the next file."""

    done = Signal(list, bool)  # results, cancelled
    failed = Signal(object)

    def __init__(self, project: Project, paths: Sequence[Path], parent: QWidget) -> None:
        super().__init__(parent)
        self.project = project
        self.paths = list(paths)
        self.results: list[ImportResult] = []
        self._cancel = threading.Event()
        self.task: Task | None = None
        self.dialog = QProgressDialog("Importing…", "Cancel", 0, len(self.paths), parent)
        self.dialog.setWindowTitle("Import")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.running = False

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self) -> None:
        self.running = True
        self.dialog.setValue(0)
        tasks = runner()
        project, paths, stop = self.project, self.paths, self._cancel

        def progress(done: int, total: int, current: Path) -> bool:  # on the worker
            tasks.post(lambda: self._progress(done, total, current.name))
            return not stop.is_set()

        def work() -> list[ImportResult]:
            from annotator.app.imports import import_files

            return import_files(project, paths, progress)

        self.task = tasks.submit(work, self._finished, self._failed, owner=self)

    def cancel(self) -> None:
        self._cancel.set()
        self.dialog.setLabelText("Cancelling after the current file…")

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the import has ended (the project is about to close)."""
        return self.task is None or self.task.wait(msecs / 1000)

    def _progress(self, done: int, total: int, name: str) -> None:
        if not self.running:
            return
        self.dialog.setMaximum(max(1, total))
        self.dialog.setValue(min(done, total))
        if done < total and not self.cancelled:
            self.dialog.setLabelText(f"Importing {name} ({done + 1} of {total})…")

    def _stop(self) -> None:
        self.running = False
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()

    def _finished(self, results: list[ImportResult]) -> None:
        self.results = results
        self._stop()
        self.done.emit(results, self.cancelled)

    def _failed(self, exc: BaseException) -> None:
        self._stop()
        self.failed.emit(exc)


def summarize(results: Sequence[ImportResult], total: int, cancelled: bool) -> tuple[str, str]:
    """(one sentence for the error dialog or "" when all went well, details)."""
    refused = [r for r in results if r.status == "refused"]
    duplicates = [r for r in results if r.status == "duplicate"]
    details = "\n".join(r.message for r in results)
    if cancelled and len(results) < total:
        return (
            f"Import cancelled: {len(results)} of {total} files were handled before stopping.",
            details,
        )
    if refused:
        if len(refused) == 1 and total == 1:
            return refused[0].message, ""
        return (
            f"{len(refused)} of {total} files could not be imported; the others were imported.",
            "\n".join(r.message for r in refused),
        )
    if duplicates and len(duplicates) == total:
        if total == 1:
            return duplicates[0].message, ""
        return f"All {total} files are in the project already.", details
    return "", details
