"""Importing documents into the open project: the file dialog, dropped files, and the import
running in the background with its progress dialog; new documents go into the empty panes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.ui.errors import report, show_error
from annotator.ui.selection import ClaimSelection
from annotator.ui.session import ProjectSession
from annotator.ui.settings import Settings

PROJECT_SUFFIX = ".annot"


class DocumentImports:
    """Imports documents; `job` is the import running (or the last one), else None."""

    def __init__(
        self,
        session: ProjectSession,
        selection: ClaimSelection,
        parent: QWidget,
        settings: Settings,
        say: Callable[[str, int], None],
        imported: Callable[[str], None],
    ) -> None:
        self.session = session
        self.selection = selection
        self.parent = parent
        self.settings = settings
        self.say = say
        self.imported = imported  # told the last new document (the library selects it)
        self.job: Any = None

    def dialog(self) -> None:
        if self.session.project is None:
            return
        from annotator.importers.base import supported_extensions

        patterns = " ".join(f"*{ext}" for ext in supported_extensions())
        paths, _ = QFileDialog.getOpenFileNames(
            self.parent,
            "Import documents",
            str(self.settings.value("import/folder", str(Path.home()))),
            f"Documents ({patterns});;All files (*)",
        )
        if paths:
            self.settings.set_value("import/folder", str(Path(paths[0]).parent))
            self.import_paths([Path(p) for p in paths])

    def import_paths(self, paths: list[Path]) -> Any:
        """Import in the background with a progress dialog; returns the job (or None)."""
        from annotator.ui.workers import ImportJob

        project = self.session.project
        if project is None or not paths:
            return None
        if self.job is not None and self.job.running:
            show_error(
                self.parent, "An import is running already; wait for it to finish, or cancel it."
            )
            return None
        job = ImportJob(project, paths, self.parent)
        job.done.connect(lambda results, cancelled: self._done(job, results, cancelled))
        job.failed.connect(lambda exc: report(self.parent, exc, "importing"))
        self.job = job
        job.start()
        return job

    def cancel(self) -> None:
        """Stop an import still running and wait for it (the project is about to close)."""
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.job.wait()

    def _done(self, job: Any, results: list, cancelled: bool) -> None:
        from annotator.ui.workers import summarize

        new_docs = [r.document_id for r in results if r.status == "imported" and r.document_id]
        count = len(new_docs)
        self.say(
            f"Imported {count} document{'s' if count != 1 else ''}"
            + (" (cancelled)" if cancelled else "")
            + ".",
            8000,
        )
        area = self.selection.area
        if area is not None:
            # new documents go into the empty panes, left to right: drop two, see them side by side
            empty = [i for i, d in enumerate(area.documents()) if not d]
            for pane, doc_id in zip(empty, new_docs, strict=False):
                area.open_document(doc_id, pane)
        if new_docs:
            self.imported(new_docs[-1])
        if cancelled:
            return
        message, details = summarize(results, len(job.paths), cancelled)
        if message:
            show_error(self.parent, message, details, "Import")

    def dropped(self, paths: list[Path], open_project: Callable[[Path], object]) -> None:
        """Files dropped on the window: a project file opens, documents are imported."""
        projects = [p for p in paths if p.suffix.lower() == PROJECT_SUFFIX]
        if projects:
            open_project(projects[0])
            return
        if self.session.project is None:
            show_error(
                self.parent,
                "Open or create a project first, then drop documents on the window to import them.",
            )
            return
        self.import_paths(paths)
