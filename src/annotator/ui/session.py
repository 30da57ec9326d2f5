"""The open project and everything that lives as long as it: the undo stack, the claim store,
the change relay, search, automatic backups and the watch for other writers.

`ProjectSession` is a QObject without widgets; the window is a view of it. Every committed
change reaches the session through the project's change listener, which may run in a worker
thread (imports): `tasks.on_gui_thread` brings the `Changes` to the GUI thread (a worker never
emits a Qt signal), where the session hands it
to the claim store (every panel observes the store) and then says `changesApplied`. Changes
made by another window or program are found by the watcher and take the very same path; on a
server, by the follower of the server's change log (`services.follow`), which also says when
the server goes away (edits are refused until it is back) and when it returns.

Search, backups and the watcher start with `start_services` (the window calls it once it has
painted the project: start-up shows the project first). The search index opens on the app's
task runner (checking, catching up or rebuilding it grows with the project), the backup at open
too (then every minute from a timer; the scheduler decides when one is due), and the watcher
is polled every second. `ready` turns True and `servicesStarted` is emitted when search is up.
`close` stops everything (the tasks waited for) before the project itself is closed.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.domain.errors import AnnotatorError
from annotator.ui.claim_store import ClaimStore
from annotator.ui.tasks import Task, on_gui_thread, runner
from annotator.ui.undo import UndoStack

if TYPE_CHECKING:
    from annotator.services.api import Project
    from annotator.services.changes import Changes

log = logging.getLogger(__name__)

WATCH_INTERVAL_MS = 1000
BACKUP_INTERVAL_MS = 60_000


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
    serverState = Signal(bool, str)  # a server project's server: up, or gone (and the sentence)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.stack = UndoStack(self)
        self.store = ClaimStore(self)
        self.tasks = runner()
        self._unsubscribe: Any = None
        self.ready = False
        self._generation = 0
        self._search_task: Task | None = None
        self._backup_task: Task | None = None
        self.search: Any = None
        self.scheduler: Any = None
        self.watcher: Any = None
        self.follower: Any = None
        self.server_gone = False
        """Whether the open project's server went away (edits are refused until it is back)."""
        self._readonly_before: tuple[bool, str] | None = None
        self.store_change_number: int | None = None
        """The project's change number when the store read it (the watcher or the follower
        starts from it)."""
        self._own_numbers: set[int] = set()
        self._reload_when_back = False
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
        from annotator.services.api import Project

        return Project.open(path)

    @staticmethod
    def create_file(path: Path) -> Project:
        from annotator.services.api import Project

        return Project.create(path)

    def adopt(self, project: Project) -> None:
        """Make `project` the open one (closing the one open before)."""
        self.close()
        self.project = project
        self.stack.clear()
        self._generation += 1
        self._unsubscribe = project.subscribe(on_gui_thread(self._on_changes))
        # Where the follower (a server) or the watcher (a file) starts: read before the store
        # reads the claims (a change in between is applied twice, which the store takes in its
        # stride), so that nothing committed by another program after it is missed.
        self.store_change_number = project.change_number()
        self._own_numbers = set()
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
        if self.watcher is None and self.project.server is None:
            self._own_numbers.add(changes.change_number)  # for the watcher, once it starts
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
        if project.server is not None:
            self._follow(project)
            return
        try:
            from annotator.services.watch import ExternalChangeWatcher

            # from the number the store read at: what another program committed since
            # reaches the store too
            self.watcher = ExternalChangeWatcher(
                project, since=self.store_change_number, own=self._own_numbers
            )
        except Exception as exc:  # the project works without it; say so once
            log.warning("cannot watch %s for other writers: %s", project.path, exc)
            self.watcher = None
        else:
            self.watch_timer.start()

    # -- a project on a server: following its change log ---------------------------------------

    def _follow(self, project: Project) -> None:
        """Follow the server's change log from a thread of its own (`services.follow`): other
        members' changes take the relay, as the watcher's do; the server going and coming
        back is said with `serverState`. The follower never touches Qt: its reports reach
        the GUI thread through `on_gui_thread`."""
        from annotator.services.follow import ServerFollower

        generation = self._generation
        try:
            follower = ServerFollower(
                project,
                lambda changes: self._on_followed(generation, changes),
                on_gui_thread(lambda up, reason: self._on_server_state(generation, up, reason)),
                since=self.store_change_number,
                deliver=on_gui_thread(lambda report: report()),
            )
        except AnnotatorError as exc:  # gone already: the follower's own retries start later
            self.status.emit(str(exc), 10000)
            return
        self.follower = follower
        follower.start()

    def _on_followed(self, generation: int, changes: Changes) -> None:
        """In the GUI thread: another member's changes, as the follower read them."""
        if generation != self._generation or self.project is None:
            return
        try:
            self._on_changes(changes)  # the same path as this window's own changes
        except AnnotatorError as exc:  # the server went away meanwhile: read all when back
            log.info("applying another member's changes failed: %s", exc)
            self._reload_when_back = True
            return
        self.externalChanges.emit(changes)

    def _on_server_state(self, generation: int, up: bool, reason: str) -> None:
        """In the GUI thread: the server went away (edits are refused at once with one
        sentence: nothing is acknowledged that is not on the server) or came back."""
        project = self.project
        if generation != self._generation or project is None:
            return
        from annotator.services.follow import CHANGE_REFUSED, SERVER_GONE

        if not up and not self.server_gone:
            self.server_gone = True
            self._readonly_before = (project.readonly, project.readonly_reason)
            project.readonly, project.readonly_reason = True, CHANGE_REFUSED
            log.info("server gone: %s", reason)
            self.serverState.emit(False, SERVER_GONE)
        elif up and self.server_gone:
            self.server_gone = False
            if self._readonly_before is not None:
                project.readonly, project.readonly_reason = self._readonly_before
                self._readonly_before = None
            if self._reload_when_back:
                self._reload_when_back = False
                self.store.reload()
            self.serverState.emit(True, "")
            self.status.emit("The server is back; the project is up to date.", 6000)

    def _open_search(self, project: Project, generation: int) -> None:
        self.searchOpening.emit()

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
        self.searchChanged.emit(None)  # views let go of the service before it closes
        if self.watcher is not None:
            with contextlib.suppress(Exception):
                self.watcher.close()
            self.watcher = None
        if self.follower is not None:
            self.follower.stop()
            self.follower = None
        if self.server_gone and self.project is not None and self._readonly_before:
            self.project.readonly, self.project.readonly_reason = self._readonly_before
        self.server_gone, self._readonly_before = False, None
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
        self._on_changes(changes)  # the same path as this window's own changes
        self.externalChanges.emit(changes)
        self.status.emit("The project was changed in another window or program; updated.", 4000)
        return changes

    def maybe_backup(self) -> None:
        """Back up on the task runner if one is due (copying and verifying the file grows with
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
                self.status.emit(error, 15000)

        self._backup_task = self.tasks.submit(work, done, owner=self)

    def wait_for_backup(self) -> None:
        if self._backup_task is not None:
            self._backup_task.wait()
            self._backup_task = None
