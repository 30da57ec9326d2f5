"""The open project and everything that lives as long as it: the undo stack, the claim store,
the change relay, search, automatic backups and the watch for other writers.

`ProjectSession` is a QObject without widgets; the window is a view of it. Every committed
change reaches the session through the project's change listener, which may run in a worker
thread (imports): the relay brings the `Changes` to the GUI thread, where the session hands it
to the claim store (every panel observes the store) and then says `changesApplied`. Changes
made by another window or program are found by the watcher and take the very same path.

Search, backups and the watcher start with `start_services` (the window calls it once it has
painted the project: start-up shows the project first). The search index opens in a worker
thread (checking, catching up or rebuilding it grows with the project), the backup at open in
another (then every minute from a timer; the scheduler decides when one is due), and the
watcher is polled every second. `ready` turns True and `servicesStarted` is emitted when search
is up. `close` stops everything (the workers joined) before the project itself is closed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from annotator.domain.errors import AnnotatorError
from annotator.services.api import Project
from annotator.services.changes import Changes
from annotator.ui.claim_store import ClaimStore
from annotator.ui.commands import UndoStack

log = logging.getLogger(__name__)

WATCH_INTERVAL_MS = 1000
BACKUP_INTERVAL_MS = 60_000


class _Relay(QObject):
    """Lives in the GUI thread; what workers emit on it arrives queued."""

    changed = Signal(object)  # Changes, from the project's listener (any thread)
    searchOpened = Signal(int, object, str)  # generation, SearchService | None, error
    status = Signal(str, int)  # a message for the status bar, milliseconds


class ProjectSession(QObject):
    """The open project (or none), its undo stack and claim store, and its background services."""

    projectOpened = Signal(object)  # Project, once the store holds its claims
    projectClosing = Signal()  # the project is still open: save what views hold
    projectClosed = Signal()
    changesApplied = Signal(object)  # Changes, once the claim store (and every observer) has it
    externalChanges = Signal(object)  # Changes made by another window or program
    searchOpening = Signal()
    searchChanged = Signal(object)  # SearchService, or None when search stops or failed
    servicesStarted = Signal()  # search, backups and the watcher run for the open project
    status = Signal(str, int)  # a message for the status bar, milliseconds

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.stack = UndoStack(self)
        self.store = ClaimStore(self)
        self._relay = _Relay(self)
        self._relay.changed.connect(self._on_changes)
        self._relay.searchOpened.connect(self._search_opened)
        self._relay.status.connect(self.status)
        self._unsubscribe: Any = None
        self.ready = False
        self._generation = 0
        self._search_thread: threading.Thread | None = None
        self._backup_thread: threading.Thread | None = None
        self.search: Any = None
        self.scheduler: Any = None
        self.watcher: Any = None
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_INTERVAL_MS)
        self.watch_timer.timeout.connect(self.poll_watcher)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_INTERVAL_MS)
        self.backup_timer.timeout.connect(self.maybe_backup)

    # -- the project ---------------------------------------------------------------------------

    @staticmethod
    def open_file(path: Path) -> Project:
        """Open a project file (raises AnnotatorError with one clear sentence)."""
        return Project.open(path)

    @staticmethod
    def create_file(path: Path) -> Project:
        return Project.create(path)

    def adopt(self, project: Project) -> None:
        """Make `project` the open one (closing the one open before)."""
        self.close()
        self.project = project
        self.stack.clear()
        self._generation += 1
        self._unsubscribe = project.subscribe(self._relay.changed.emit)
        self.store.set_project(project)
        self.projectOpened.emit(project)

    def close(self) -> None:
        """Stop the services, then close the project; nothing happens without one."""
        if self.project is None:
            return
        self.projectClosing.emit()
        self.stop_services()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.stack.clear()
        project, self.project = self.project, None
        self.store.set_project(None)
        project.close()
        self.projectClosed.emit()

    def readonly_reason(self) -> str:
        return str(getattr(self.project, "readonly_reason", "") or "")

    # -- changes -------------------------------------------------------------------------------

    def _on_changes(self, changes: Changes) -> None:
        """In the GUI thread: the claim store applies the change set (its observers follow)."""
        if self.project is None:
            return
        self.store.apply(changes)
        self.changesApplied.emit(changes)

    # -- services ------------------------------------------------------------------------------

    def start_services(self, project: Project) -> None:
        """Start search, backups and the watcher for `project` (if it is still the open one
        and they do not run yet); `servicesStarted` follows once search is up."""
        if project is not self.project or self.scheduler is not None:
            return
        self._open_search(project, self._generation)
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
        self.searchOpening.emit()
        relay = self._relay

        def opened(service: Any, error: str) -> None:
            try:
                relay.searchOpened.emit(generation, service, error)
            except RuntimeError:  # the session is gone (the application quit meanwhile)
                if service is not None:
                    service.close()

        def work() -> None:
            try:
                from annotator.search import SearchService

                service: Any = SearchService(project)
            except AnnotatorError as exc:
                opened(None, f"Search is unavailable: {exc}")
            except Exception as exc:
                log.exception("opening the search index failed")
                opened(None, f"Search is unavailable ({type(exc).__name__}).")
            else:
                opened(service, "")

        self._search_thread = threading.Thread(target=work, name="search-open", daemon=True)
        self._search_thread.start()

    def _search_opened(self, generation: int, service: Any, error: str) -> None:
        """In the GUI thread, when the worker has opened (or failed to open) the index."""
        if generation != self._generation or self.project is None:
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
        self.searchChanged.emit(self.search)
        if error:
            self.status.emit(error, 10000)
        elif self.search is not None and self.search.repair_message:
            self.status.emit(self.search.repair_message, 10000)
        self.ready = True
        self.servicesStarted.emit()

    def stop_services(self) -> None:
        """Stop search, backups and the watcher; done before the project closes."""
        self._generation += 1  # a search index still opening is closed when it arrives
        self.ready = False
        if self._search_thread is not None:  # it reads the project, which is about to close
            self._search_thread.join()
            self._search_thread = None
            QApplication.sendPostedEvents(self._relay)
        self.watch_timer.stop()
        self.backup_timer.stop()
        self.wait_for_backup()  # it reads the project, which is about to close
        self.searchChanged.emit(None)  # views let go of the service before it closes
        if self.watcher is not None:
            with contextlib.suppress(Exception):
                self.watcher.close()
            self.watcher = None
        if self.search is not None:
            with contextlib.suppress(Exception):
                self.search.close()
            self.search = None
        self.scheduler = None

    def poll_watcher(self) -> Changes | None:
        """Look for changes made by another window or program; they go through the relay,
        exactly like this window's own."""
        if self.watcher is None or self.project is None:
            return None
        try:
            changes = self.watcher.poll()
        except Exception as exc:
            log.info("polling for other writers failed: %s", exc)
            return None
        if changes is None:
            return None
        self._relay.changed.emit(changes)
        self.externalChanges.emit(changes)
        self.status.emit("The project was changed in another window or program; updated.", 4000)
        return changes

    def maybe_backup(self) -> None:
        """Back up in a worker thread if one is due (copying and verifying the file grows with
        the project); a failure is said in the status bar. One backup at a time."""
        scheduler = self.scheduler
        if scheduler is None or (self._backup_thread and self._backup_thread.is_alive()):
            return
        relay = self._relay

        def work() -> None:
            from annotator.services.backup import BackupError

            try:
                scheduler.maybe_backup()
            except BackupError as exc:
                relay.status.emit(str(exc), 15000)
            except Exception as exc:
                log.exception("backup failed")
                relay.status.emit(f"The automatic backup failed ({type(exc).__name__}).", 15000)

        self._backup_thread = threading.Thread(target=work, name="backup", daemon=True)
        self._backup_thread.start()

    def wait_for_backup(self) -> None:
        if self._backup_thread is not None:
            self._backup_thread.join()
            self._backup_thread = None
