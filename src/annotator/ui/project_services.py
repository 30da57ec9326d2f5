"""What runs beside an open project: search, automatic backups, and watching for other writers.

`ProjectServices` belongs to the main window. When a project opens, and only once the window has
painted it (start-up shows the project first), it opens the `SearchService` in a worker thread
(checking, catching up or rebuilding an index grows with the project; its repair message, if
any, goes to the status bar), takes the backup at open in another worker (`BackupScheduler`,
then every minute from a timer; the scheduler decides when one is due) and starts polling
`ExternalChangeWatcher` every second: changes made by another window or program go through the
window's own change relay, exactly like its own. `ready` turns True and `started` is emitted
when search is up. When the project closes everything is stopped (the workers joined) before
the project itself is closed. It also owns the search dock, the read-only banner and the File
menu's export, import-annotations and restore actions."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from annotator.domain.errors import AnnotatorError
from annotator.services.changes import Changes
from annotator.ui.first_paint import after_first_paint
from annotator.ui.search_panel import SearchPanel
from annotator.ui.tasks import Task, runner

if TYPE_CHECKING:
    from annotator.services.api import Project
    from annotator.ui.main_window import MainWindow

log = logging.getLogger(__name__)

WATCH_INTERVAL_MS = 1000
BACKUP_INTERVAL_MS = 60_000


class ProjectServices(QObject):
    started = Signal()  # search, backups and the watcher run for the open project

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ready = False
        self._generation = 0
        self.tasks = runner()
        self._search_task: Task | None = None
        self._backup_task: Task | None = None
        self.search: Any = None
        self.scheduler: Any = None
        self.watcher: Any = None
        self.panel = SearchPanel(window)
        self.panel.claimActivated.connect(self._claim_activated)
        self.panel.passageActivated.connect(self._passage_activated)
        self.panel.message.connect(lambda text: window.statusBar().showMessage(text, 6000))
        self.dock = window._dock("Search", "SearchDock", self.panel)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.library_dock, self.dock)
        window.library_dock.raise_()
        self.banner = QLabel(window.workspace)
        self.banner.setObjectName("ReadOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#ReadOnlyBanner { background: #fff3cd; color: #5c4400; padding: 6px 10px;"
            " border-bottom: 1px solid #e0c97a; }"
        )
        self.banner.hide()
        window._workspace_layout.insertWidget(0, self.banner)
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_INTERVAL_MS)
        self.watch_timer.timeout.connect(self.poll_watcher)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_INTERVAL_MS)
        self.backup_timer.timeout.connect(self.maybe_backup)

    # -- actions -----------------------------------------------------------------------------

    def focus_search(self) -> None:
        if self.window.project is None:
            return
        self.dock.show()
        self.dock.raise_()
        self.panel.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.panel.query.selectAll()

    def export(self) -> Any:
        from annotator.ui.export_dialog import ExportDialog

        if self.window.project is None:
            return None
        dialog = ExportDialog(self.window.project, self.window, search=self.panel)
        dialog.open()
        return dialog

    def import_annotations_dialog(self, path: Any = None) -> Any:
        from annotator.ui.import_annotations_dialog import import_annotations_file

        return import_annotations_file(self.window, path)

    def restore_dialog(self) -> Any:
        from annotator.ui.backup_dialog import restore_from_backup

        project = self.window.project
        if project is None:
            return None
        return restore_from_backup(self.window, project.path)

    # -- life cycle --------------------------------------------------------------------------

    def open(self, project: Project) -> None:
        """Start search, backups and the watcher for `project`, after the window's first paint
        (`ready` turns True and `started` is emitted once they run). The search index opens in
        a worker thread: checking, catching up or rebuilding it grows with the project."""
        reason = getattr(project, "readonly_reason", "")
        self.banner.setText(f"🔒  {reason}")
        self.banner.setVisible(bool(reason))
        self.ready = False
        self._generation += 1
        generation = self._generation
        after_first_paint(self.window, lambda: self._start(project, generation))

    def _start(self, project: Project, generation: int) -> None:
        if generation != self._generation or self.window.project is not project:
            return  # closed (or another project opened) before the first paint
        self._open_search(project, generation)
        from annotator.services.backup_schedule import BackupScheduler

        self.scheduler = BackupScheduler(project)
        self.maybe_backup()
        self.backup_timer.start()
        try:
            from annotator.services.watch import ExternalChangeWatcher

            self.watcher = ExternalChangeWatcher(project)
        except Exception as exc:  # the project works without it; say so once
            log.warning("cannot watch %s for other writers: %s", project.path, exc)
            self.watcher = None
        else:
            self.watch_timer.start()

    def _open_search(self, project: Project, generation: int) -> None:
        self.panel.set_opening()

        def work() -> tuple[Any, str]:
            try:
                from annotator.search import SearchService

                return SearchService(project), ""
            except AnnotatorError as exc:
                return None, f"Search is unavailable: {exc}"
            except Exception as exc:
                log.exception("opening the search index failed")
                return None, f"Search is unavailable ({type(exc).__name__})."

        self._search_task = self.tasks.submit(
            work, lambda opened: self._search_opened(generation, *opened), owner=self
        )

    def _search_opened(self, generation: int, service: Any, error: str) -> None:
        """In the GUI thread, when the worker has opened (or failed to open) the index."""
        if generation != self._generation or self.window.project is None:
            if service is not None:  # the project closed meanwhile
                with contextlib.suppress(Exception):
                    service.close()
            return
        self.search = service
        if service is not None:
            try:
                service.start()
            except Exception as exc:
                log.exception("starting the search indexer failed")
                with contextlib.suppress(Exception):
                    service.close()
                self.search, error = None, f"Search is unavailable ({type(exc).__name__})."
        project = self.window.project
        self.panel.set_service(self.search, project if self.search is not None else None)
        if error:
            self._status(error)
        elif self.search is not None and self.search.repair_message:
            self._status(self.search.repair_message)
        self.ready = True
        self.started.emit()

    def close(self) -> None:
        """Stop everything; call before the project itself closes."""
        self._generation += 1  # a search index still opening is closed when it arrives
        self.ready = False
        task, self._search_task = self._search_task, None
        if task is not None:  # it reads the project, which is about to close
            task.wait()
            opened = task.result[0] if task.result else None
            if opened is not None and opened is not self.search:
                with contextlib.suppress(Exception):  # opened for a project now closing
                    opened.close()
            task.cancelled = True  # its continuation must not adopt it
        self.watch_timer.stop()
        self.backup_timer.stop()
        self.wait_for_backup()  # it reads the project, which is about to close
        self.panel.shutdown()
        if self.watcher is not None:
            with contextlib.suppress(Exception):
                self.watcher.close()
            self.watcher = None
        if self.search is not None:
            with contextlib.suppress(Exception):
                self.search.close()
            self.search = None
        self.scheduler = None
        self.banner.hide()

    # -- timers ------------------------------------------------------------------------------

    def poll_watcher(self) -> Changes | None:
        if self.watcher is None or self.window.project is None:
            return None
        try:
            changes = self.watcher.poll()
        except Exception as exc:
            log.info("polling for other writers failed: %s", exc)
            return None
        if changes is None:
            return None
        self.window.relay.changed.emit(changes)  # the same path as the window's own changes
        if self.search is not None:  # the indexer only hears of this process's changes
            self.panel.catch_up()
        self._status("The project was changed in another window or program; updated.", 4000)
        return changes

    def maybe_backup(self) -> None:
        """Back up in a worker thread if one is due (copying and verifying the file grows with
        the project); a failure is said in the status bar. One backup at a time."""
        scheduler = self.scheduler
        if scheduler is None or (self._backup_task and not self._backup_task.done()):
            return

        def work() -> str:
            from annotator.services.backup import BackupError

            try:
                scheduler.maybe_backup()
            except BackupError as exc:
                return str(exc)
            except Exception as exc:
                log.exception("backup failed")
                return f"The automatic backup failed ({type(exc).__name__})."
            return ""

        def done(error: str) -> None:
            if error:
                self._status(error, 15000)

        self._backup_task = self.tasks.submit(work, done, owner=self)

    def wait_for_backup(self) -> None:
        if self._backup_task is not None:
            self._backup_task.wait()
            self._backup_task = None

    # -- routing -----------------------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        if changes.touches("label"):
            self.panel.reload_labels()

    def _claim_activated(self, claim_id: str) -> None:
        self.window.select_claim(claim_id)

    def _passage_activated(self, document_id: str, start: int, end: int) -> None:
        area = self.window.pane_area
        if area is not None:
            area.show_span(document_id, start, end)
            self.window._pane_document_changed()

    def _status(self, text: str, msecs: int = 10000) -> None:
        self.window.statusBar().showMessage(text, msecs)
