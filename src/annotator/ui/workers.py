"""Background work: importing files in a QThread with a progress dialog and Cancel.

The project's SQLite engine allows use from another thread (check_same_thread=False, one
transaction at a time under the project's lock), so the worker calls the import service directly;
the project's change listeners then run in the worker thread, and the main window relays them to
the GUI thread through a queued signal.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.app.imports import ImportResult
from annotator.services.api import Project


class ImportWorker(QObject):
    """Runs `import_files` and reports progress; `cancel()` stops before the next file."""

    progress = Signal(int, int, str)  # done, total, current file name
    finished = Signal(list)  # list[ImportResult]
    failed = Signal(object)  # an unexpected exception

    def __init__(self, project: Project, paths: Sequence[Path]) -> None:
        super().__init__()
        self.project = project
        self.paths = list(paths)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, current: Path) -> bool:
        self.progress.emit(done, total, current.name)
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        from annotator.app.imports import import_files

        try:
            results = import_files(self.project, self.paths, self._progress)
        except Exception as exc:  # reported in the GUI thread, never lost
            self.failed.emit(exc)
            return
        self.finished.emit(results)


class ImportJob(QObject):
    """One import: the worker, its thread, and the progress dialog."""

    done = Signal(list, bool)  # results, cancelled
    failed = Signal(object)

    def __init__(self, project: Project, paths: Sequence[Path], parent: QWidget) -> None:
        super().__init__(parent)
        self.paths = list(paths)
        self.results: list[ImportResult] = []
        self.worker = ImportWorker(project, self.paths)
        self._thread = QThread(self)
        self._thread.setObjectName("import")
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self.worker.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.worker.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)

        self.dialog = QProgressDialog("Importing…", "Cancel", 0, len(self.paths), parent)
        self.dialog.setWindowTitle("Import")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.running = False

    def start(self) -> None:
        self.running = True
        self.dialog.setValue(0)
        self._thread.start()

    def cancel(self) -> None:
        self.worker.cancel()
        self.dialog.setLabelText("Cancelling after the current file…")

    def wait(self, msecs: int = 30000) -> bool:
        return self._thread.wait(msecs)

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, name: str) -> None:
        self.dialog.setMaximum(max(1, total))
        self.dialog.setValue(min(done, total))
        if done < total and not self.worker.cancelled:
            self.dialog.setLabelText(f"Importing {name} ({done + 1} of {total})…")

    def _stop(self) -> None:
        self.running = False
        self._thread.quit()
        self._thread.wait()
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()

    @Slot(list)
    def _finished(self, results: list[ImportResult]) -> None:
        self.results = results
        self._stop()
        self.done.emit(results, self.worker.cancelled)

    @Slot(object)
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
