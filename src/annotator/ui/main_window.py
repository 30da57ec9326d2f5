"""The main window: lays out the panels around a project session and connects their signals.

The window owns no project state. `session.ProjectSession` holds the open project, its undo
stack and its claim store (`claim_store.ClaimStore`), and runs search, backups and the
watcher; `selection.ClaimSelection` is the one selected claim; `claim_actions.ClaimActions`
and `document_imports.DocumentImports` do what the user asks. The panels (reader panes,
library, inspector, claim list, legend, search) observe the store and the selection; none of
them depends on the order in which the others are told.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.ui.app_icon import app_icon
from annotator.ui.claim_actions import ClaimActions
from annotator.ui.claim_list import ClaimListPanel
from annotator.ui.claim_store import StoreUpdate
from annotator.ui.dock_layout import (
    DEFAULT_SIZE,
    MIN_CLAIMS_HEIGHT,
    MIN_SIDE_WIDTHS,
    DockShares,
)
from annotator.ui.document_imports import DocumentImports
from annotator.ui.errors import report, show_error
from annotator.ui.first_paint import after_first_paint
from annotator.ui.inspector import InspectorPanel
from annotator.ui.legend import LegendStrip
from annotator.ui.library import LibraryPanel
from annotator.ui.project_opening import ProjectOpening
from annotator.ui.selection import ClaimSelection
from annotator.ui.session import ProjectSession
from annotator.ui.settings import Settings
from annotator.ui.undo import EditDocumentCommand, UndoStack
from annotator.ui.window_actions import WindowActions

if TYPE_CHECKING:
    from annotator.domain.reading import ProjectReads
    from annotator.services.api import Project
    from annotator.storage.first_frame import FirstFrame
    from annotator.ui.search_panel import SearchPanel
    from annotator.ui.start_screen import StartScreen

PROJECT_FILTER = "Annotator projects (*.annot);;All files (*)"

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    projectOpened = Signal(str)
    projectClosed = Signal()
    changesApplied = Signal(object)  # Changes, after the claim store and every panel have it

    def __init__(self, settings: Settings | None = None, *, start_screen: bool = True) -> None:
        """`start_screen=False` when a project opens right after: the start screen is then
        built only if it is ever shown (a refused project), not for a first frame without it."""
        super().__init__()
        self.settings = settings or Settings()
        self.session = ProjectSession(self)
        self.store = self.session.store
        self.selection = ClaimSelection(self.store, self)
        self.pane_area: Any = None
        self._labels_dialog: Any = None
        self.setWindowIcon(app_icon())
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )
        self.claim_actions = ClaimActions(
            self.session, self.selection, self, self.settings, self._say
        )
        self.imports = DocumentImports(
            self.session, self.selection, self, self.settings, self._say, self._imported
        )
        self.opening = ProjectOpening(self, self.session, self.settings)

        # -- the central area: the start screen (built when first shown), or the banner and
        # the reader panes
        self._start_screen: StartScreen | None = None
        self.workspace = QWidget(self)
        self._workspace_layout = QVBoxLayout(self.workspace)
        self._workspace_layout.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel(self.workspace)
        self.banner.setObjectName("ReadOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#ReadOnlyBanner { background: #fff3cd; color: #5c4400; padding: 6px 10px;"
            " border-bottom: 1px solid #e0c97a; }"
        )
        self.banner.hide()
        self._workspace_layout.addWidget(self.banner)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.workspace)
        self.setCentralWidget(self.central)

        # -- the docks
        self.library = LibraryPanel(self)
        self.library.observe(self.store)
        self._search_panel: SearchPanel | None = None  # built when its dock is first shown
        self.inspector = InspectorPanel(self.store, self)
        self.claims = ClaimListPanel(self.store, self, self.settings)
        self.library_dock = self._dock("Library", "LibraryDock", self.library)
        self.search_dock = self._dock("Search", "SearchDock", QWidget(self))
        self.search_dock.visibilityChanged.connect(self._search_dock_shown)
        self.inspector_dock = self._dock("Inspector", "InspectorDock", self.inspector)
        self.claims_dock = self._dock("Claims", "ClaimsDock", self.claims)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.library_dock)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.search_dock)
        self.tabifyDockWidget(self.library_dock, self.search_dock)
        self.library_dock.raise_()
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.claims_dock)
        self.dock_shares = DockShares(
            self, [self.library_dock, self.search_dock, self.inspector_dock], self.claims_dock
        )

        self.window_actions = WindowActions(self)
        self.window_actions.build_menus()
        self.label_bar = QToolBar("Labels", self)
        self.label_bar.setObjectName("LabelsToolBar")
        self.label_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.label_bar.setMovable(False)
        self.addToolBar(self.label_bar)
        self.legend = LegendStrip(self)
        self.legend.observe(self.store)
        self.statusBar().addPermanentWidget(self.legend)
        self.statusBar().setSizeGripEnabled(True)

        self._connect()
        self._default_state = self.saveState()
        self.resize(*DEFAULT_SIZE)
        geometry, state = self.settings.window_geometry(), self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._default_layout = state is None or not self.restoreState(state)
        self._show_project_state(start_screen=start_screen)

    @property
    def start_screen(self) -> StartScreen:
        """The page shown without a project, built the first time it is needed."""
        if self._start_screen is None:
            from annotator.ui.start_screen import StartScreen

            screen = self._start_screen = StartScreen(self)
            screen.set_demo_available(_demo_available())
            # shown only without a project: its width must not widen the window with one
            screen.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            screen.newRequested.connect(self.opening.new_project_dialog)
            screen.openRequested.connect(self.opening.open_project_dialog)
            screen.recentRequested.connect(
                lambda p: self.open_project(p if "://" in p else Path(p))
            )
            screen.demoRequested.connect(self.opening.open_demo)
            self.central.insertWidget(0, screen)
        return self._start_screen

    def _connect(self) -> None:
        """Every connection between the session, the selection and the panels."""
        session, selection, store = self.session, self.selection, self.store
        session.stack.failed.connect(lambda exc: report(self, exc))
        session.changesApplied.connect(self.changesApplied)
        session.status.connect(self._say)
        session.serverState.connect(self._server_state)
        session.searchOpening.connect(self._search_opening)
        session.searchChanged.connect(self._search_changed)
        session.externalChanges.connect(self._search_catch_up)
        for observer in self._window_observers():  # the panels' connect themselves
            store.changed.connect(observer)

        selection.claimSelected.connect(self._claim_selected)
        selection.documentChanged.connect(self.claims.set_current_document)
        selection.documentChanged.connect(self.legend.set_current_document)
        selection.panesChanged.connect(
            lambda: self.library.model.set_open_documents(selection.documents())
        )

        self.library.openRequested.connect(self.open_document)
        self.library.editRequested.connect(self.edit_document_details)
        self.library.importRequested.connect(self.import_dialog)
        self.inspector.claimRequested.connect(self.select_claim)
        self.inspector.deleteRequested.connect(self.claim_actions.delete_claim)
        self.inspector.doneEditing.connect(self._back_to_pane)
        self.claims.claimSelected.connect(self.select_claim)
        self.claims.claimActivated.connect(self.select_claim)

    @property
    def search_panel(self) -> SearchPanel:
        """The search panel, built the first time its dock is shown (it sits behind the
        library's tab at start) or it is asked for, with the session's search as it stands."""
        if self._search_panel is None:
            from annotator.ui.search_panel import SearchPanel

            panel = self._search_panel = SearchPanel(self)
            panel.setMinimumWidth(MIN_SIDE_WIDTHS["SearchDock"])
            placeholder = self.search_dock.widget()
            self.search_dock.setWidget(panel)
            if placeholder is not None:
                placeholder.deleteLater()
            panel.claimActivated.connect(self.select_claim)
            panel.passageActivated.connect(self.selection.show_passage)
            panel.view.clicked.connect(lambda index: panel.activate(index.row()))
            panel.message.connect(lambda text: self._say(text, 6000))
            if self.session.search is not None:
                panel.set_service(self.session.search, self.project)
            elif self.project is not None and not self.session.ready:
                panel.set_opening()
        return self._search_panel

    def _search_dock_shown(self, visible: bool) -> None:
        if visible:
            _ = self.search_panel

    def store_observers(self) -> list[Callable[[StoreUpdate], None]]:
        """Every slot that follows the claim store, in the order they are connected: the
        panels' (connected when they are made), then the window's own."""
        panels = [
            self.selection.apply_update,
            self.library.apply_update,
            self.inspector.apply_update,
            self.claims.model.apply_update,
            self.claims.apply_update,
            self.legend.apply_update,
        ]
        return [*panels, *self._window_observers()]

    def _window_observers(self) -> list[Callable[[StoreUpdate], None]]:
        """What follows the store for the reader panes, the search panel, the Labels
        toolbar and menu, and an open labels dialog."""
        return [
            self._reader_follows,
            self._search_follows,
            self._label_actions_follow,
            self._labels_dialog_follows,
        ]

    # -- docks -------------------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        if name in MIN_SIDE_WIDTHS:
            widget.setMinimumWidth(MIN_SIDE_WIDTHS[name])
        else:
            widget.setMinimumHeight(MIN_CLAIMS_HEIGHT)
        return dock

    def docks(self) -> list[QDockWidget]:
        return [self.library_dock, self.search_dock, self.inspector_dock, self.claims_dock]

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.dock_shares.shown(self._default_layout)  # first start: comfortable sizes
        self._default_layout = False

    def reset_layout(self) -> None:
        """View > Reset layout: every dock back in its place, shown, at its default size."""
        self.restoreState(self._default_state)
        self._show_project_state()
        self.claims.columns.reset()
        self.library_dock.raise_()
        self.dock_shares.defaults()
        self.dock_shares.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.dock_shares.resized()

    # -- project lifecycle -------------------------------------------------------------------

    @property
    def project(self) -> Project | None:
        """The session's open project."""
        return self.session.project

    @property
    def stack(self) -> UndoStack:
        """The session's undo stack."""
        return self.session.stack

    @property
    def import_job(self) -> Any:
        return self.imports.job

    def open_project(self, path: Path | str | Any, open_docs: list[str] | None = None) -> bool:
        """Open a project in this window (`ProjectOpening.open_project`)."""
        return self.opening.open_project(path, open_docs)

    def open_at_start(self, path: Path, open_docs: list[str] | None = None) -> bool:
        """Open the project the app was started with, its first frame first."""
        return self.opening.open_at_start(path, open_docs)

    def showing_first_frame(self) -> bool:
        """The window shows a project's first frame: the project itself is not open yet."""
        return self.opening.frame is not None

    def adopt_project(self, project: Project, open_docs: list[str] | None) -> bool:
        docs: list[str] = []
        for ref in open_docs or []:
            try:
                docs.append(project.find_document(ref).id)
            except AnnotatorError as exc:
                show_error(self, str(exc))
        self.close_project()
        self.session.adopt(project)  # the store holds the claims before any pane shows one
        self._show_panes(project, docs, project.location)
        self._project_shown(project)
        return True

    def _show_panes(self, reads: ProjectReads, docs: list[str], location: Any) -> None:
        """The reader panes of a project (or of its first frame) at `location`: `docs` side by
        side, else the panes as the project was left; the claim list's scope and the Labels
        toolbar."""
        from annotator.ui.reader import PaneArea

        area = self.pane_area = PaneArea(reads, self.workspace)
        self._workspace_layout.addWidget(area, 1)  # the banner above keeps its own height
        area.createClaimRequested.connect(self.claim_actions.create_claim)
        area.contextAction.connect(self.claim_actions.context_action)
        area.linkSelected.connect(self._link_selected)
        self.selection.set_area(area)
        state = self.settings.project_state(location)
        if docs:
            while area.pane_count() < len(docs):
                area.add_pane()
            for pane, doc_id in enumerate(docs):
                area.open_document(doc_id, pane)
        elif state.get("panes"):
            # a stale state must never keep a project from opening
            with contextlib.suppress(Exception):
                area.restore_state(state["panes"])
        self.claims.set_scope(int(state.get("claim_scope", ClaimListPanel.SCOPE_PROJECT)))
        self._label_actions_follow(StoreUpdate(reset=True, labels_changed=True))

    def _project_shown(self, project: Project) -> None:
        """What follows once the project itself is open and its panes show: the inspector, the
        recent list, the read-only banner, the docks; search, backups and the watcher once
        it is on screen."""
        self.inspector.set_project(project, self.session.stack)
        self.settings.add_recent_project(project.location)
        reason = self.session.readonly_reason()
        self.banner.setText(f"🔒  {reason}")
        self.banner.setVisible(bool(reason))
        self._show_project_state()
        # search, backups and the watcher start once the project is on screen
        after_first_paint(self, lambda: self.session.start_services(project))
        self.projectOpened.emit(str(project.path))

    # -- a first frame before its project (ui.project_opening) --------------------------------

    def show_frame(self, frame: FirstFrame, docs: list[str]) -> None:
        """Show a project's first frame: the store holds it, the panes read from it, the docks
        and title show; the project's menus stay off. Raises what a pane could not read."""
        self.store.show_frame(frame)
        self._show_panes(frame, docs, frame.path)
        self._show_project_state()

    def keep_panes_for(self, project: Project) -> bool:
        """Show `project` in the panes its first frame is showing (the same content): the
        session adopts it (the store reads everything anew) and the panes read from it. False
        when there are no such panes."""
        if self.pane_area is None:
            return False
        self.session.adopt(project)
        self.pane_area.set_project(project)
        self._project_shown(project)
        return True

    def take_frame_off(self) -> None:
        """Take a first frame off the window: no panes, an empty store, the start screen."""
        self._remove_panes()
        self.store.set_project(None)
        self._label_actions_follow(StoreUpdate(reset=True, labels_changed=True))
        self._show_project_state()

    def _remove_panes(self) -> None:
        self.selection.set_area(None)
        if self.pane_area is not None:
            self.pane_area.hide()
            self.pane_area.setParent(None)
            self.pane_area.deleteLater()
            self.pane_area = None

    def close_project(self) -> None:
        if self.project is None:
            self.opening.drop_frame()
            return
        self.inspector.flush()
        self.imports.cancel()
        self._save_project_state()
        if self._labels_dialog is not None:
            self._labels_dialog.close()
            self._labels_dialog = None
        self.inspector.set_project(None, None)
        self._remove_panes()
        self.session.close()  # search, backups and the watcher stop before the project
        self.banner.hide()
        self._label_actions_follow(StoreUpdate(reset=True, labels_changed=True))
        self._show_project_state()
        self.projectClosed.emit()

    def _save_project_state(self) -> None:
        if self.project is None or self.pane_area is None:
            return
        try:
            panes = self.pane_area.save_state()
        except Exception:
            panes = {}
        self.settings.set_project_state(
            self.project.location,
            {"panes": panes, "claim_scope": self.claims.scope.currentIndex()},
        )

    def _show_project_state(self, *, start_screen: bool = True) -> None:
        """Show the docks, toolbar and title of the open project (or of the first frame shown
        before it opens: its project's menus stay off), or the start screen (with
        `start_screen=False`, an empty page instead while no project is open: one is about
        to open)."""
        shown = self.project.path if self.project is not None else None
        if shown is None and self.opening.frame is not None:
            shown = self.opening.frame.path
        is_open = shown is not None
        if is_open or not start_screen:
            self.central.setCurrentWidget(self.workspace)
        else:
            self.central.setCurrentWidget(self.start_screen)
        for dock in self.docks():
            dock.setVisible(is_open)
        self.label_bar.setVisible(is_open)
        self.legend.setVisible(is_open)
        self.window_actions.set_project_open(self.project is not None)
        if shown is not None:
            self.setWindowTitle(f"{shown.name} — Annotator")
            self.setWindowFilePath(str(shown))
        else:
            self.setWindowTitle("Annotator")
            if start_screen:
                self.start_screen.set_recent(self.settings.recent_projects())

    # -- following the store, the selection and the session ------------------------------------

    def _reader_follows(self, update: StoreUpdate) -> None:
        if self.pane_area is not None and update.changes is not None:
            self.pane_area.apply_changes(update.changes, update.claims)

    def _search_follows(self, update: StoreUpdate) -> None:
        if update.labels_changed and self._search_panel is not None:
            self._search_panel.reload_labels()

    def _label_actions_follow(self, update: StoreUpdate) -> None:
        if update.labels_changed:
            self.window_actions.rebuild_label_actions(
                self.store.labels(), self.label_bar, self.claim_actions.mark_selection
            )

    def _labels_dialog_follows(self, update: StoreUpdate) -> None:
        if self._labels_dialog is not None and update.changes is not None:
            self._labels_dialog.apply_changes(update.changes)

    def _server_state(self, up: bool, sentence: str) -> None:
        """The server of a team project went away (the banner says so at once) or is back."""
        if up:
            if self.session.search is not None and self.search_panel.service is None:
                self._search_changed(self.session.search)  # it opened while the server was away
            reason = self.session.readonly_reason()
            self.banner.setText(f"🔒  {reason}")
            self.banner.setVisible(bool(reason))
        else:
            self.banner.setText(f"⚠  {sentence}")
            self.banner.show()

    def _claim_selected(self, claim_id: str) -> None:
        self.inspector.set_claim(claim_id)
        self.claims.select_claim(claim_id)

    def _search_opening(self) -> None:
        if self._search_panel is not None:
            self._search_panel.set_opening()

    def _search_changed(self, service: Any) -> None:
        panel = self._search_panel
        if panel is None:  # not built yet: it takes the session's search when it is
            return
        if service is None:
            panel.shutdown()
            return
        try:
            panel.set_service(service, self.project)
        except AnnotatorError as exc:  # a team project's server went away as search opened
            self._say(f"Search is unavailable until the server is back: {exc}")
            panel.shutdown()

    def _search_catch_up(self, _changes: object) -> None:
        """Another window or program changed the project: the index catches up (its indexer
        only hears of this process's changes) and the results follow. (The panel does that:
        it is built for it if it was not yet.)"""
        self.search_panel.catch_up()

    def _link_selected(self, link_id: str) -> None:
        if self.project is None or not link_id:
            return
        try:
            link = self.project.link(link_id)
        except AnnotatorError:
            return
        self._say(f"Link: {link.relation.value}" + (f" — {link.note}" if link.note else ""), 5000)

    def _say(self, text: str, msecs: int = 10000) -> None:
        self.statusBar().showMessage(text, msecs)

    def _imported(self, document_id: str) -> None:
        self.library.select_document(document_id)

    # -- documents and panes -----------------------------------------------------------------

    def current_document(self) -> str:
        return self.selection.current_document()

    def open_document(self, document_id: str, pane: int = -1) -> None:
        if self.pane_area is None:
            return
        if pane == -2:
            pane = self.pane_area.add_pane()
        elif pane == -1:
            pane = self.pane_area.current_pane()
        elif pane >= self.pane_area.pane_count():
            pane = self.pane_area.add_pane()
        self.pane_area.open_document(document_id, max(0, pane))  # signals the change

    def select_claim(self, claim_id: str) -> None:
        """Select a claim in its pane, scrolled to, and show it in the inspector."""
        self.selection.select_claim(claim_id)

    def add_pane(self) -> None:
        if self.pane_area is not None:
            self.pane_area.add_pane()

    def remove_current_pane(self) -> None:
        if self.pane_area is not None and self.pane_area.pane_count() > 1:
            self.pane_area.remove_pane(self.pane_area.current_pane())
            self.selection._pane_changed()

    def set_sync_scroll(self, on: bool = False) -> None:
        if self.pane_area is not None:
            self.pane_area.set_sync_scroll(bool(on))

    def focus_pane(self, index: int) -> None:
        self.claim_actions.focus_pane(index)

    def _back_to_pane(self) -> None:
        if self.pane_area is not None:
            self.focus_pane(self.pane_area.current_pane())

    def focus_library(self) -> None:
        self.library_dock.show()
        self.library_dock.raise_()
        self.library.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_claim_list(self) -> None:
        self.claims_dock.show()
        self.claims_dock.raise_()
        self.claims.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def find_in_document(self) -> None:
        if self.pane_area is not None:
            self.pane_area.find_in_current()

    def edit_note(self) -> None:
        if self.inspector.current_claim():
            self.inspector_dock.show()
            self.inspector_dock.raise_()
            self.inspector.focus_note()
        else:
            self._say("Select a claim first, then press F2 to write its note.", 5000)

    def link_selected_claims(self) -> None:
        self.claim_actions.link_selected()

    def delete_selected_claim(self) -> None:
        self.claim_actions.delete_selected()

    # -- document details --------------------------------------------------------------------

    def edit_current_document_details(self) -> None:
        doc = self.current_document() or self.library.current_document()
        if doc:
            self.edit_document_details(doc)
        else:
            self._say("Open or select a document first.", 5000)

    def metadata_dialog(self, document_id: str) -> Any:
        from annotator.ui.metadata_dialog import MetadataDialog

        assert self.project is not None
        return MetadataDialog(self.project.document(document_id), self)

    def edit_document_details(self, document_id: str) -> None:
        """The document's details dialog (window-modal, not blocking: the change is made, as
        one undo step, when it is accepted)."""
        if self.project is None:
            return
        try:
            dialog = self.metadata_dialog(document_id)
        except AnnotatorError as exc:
            show_error(self, str(exc))
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_document_details(dialog))
        dialog.open()

    def apply_document_details(self, dialog: Any) -> bool:
        new, old = dialog.changed_fields()
        if not new or self.project is None:
            return False
        return self.stack.run(
            EditDocumentCommand(self.project, dialog.document.id, dialog.document.title, new, old)
        )

    # -- labels, import, export, help --------------------------------------------------------

    def labels_dialog(self) -> Any:
        from annotator.ui.labels_dialog import LabelsDialog

        if self.project is None:
            return None
        if self._labels_dialog is None:
            self._labels_dialog = LabelsDialog(self.project, self.stack, self)
            self._labels_dialog.finished.connect(self._labels_dialog_closed)
        self._labels_dialog.show()
        self._labels_dialog.raise_()
        self._labels_dialog.activateWindow()
        return self._labels_dialog

    def _labels_dialog_closed(self) -> None:
        if self._labels_dialog is not None:
            self._labels_dialog.deleteLater()
            self._labels_dialog = None

    def import_dialog(self) -> None:
        self.imports.dialog()

    def import_paths(self, paths: list[Path]) -> Any:
        return self.imports.import_paths(paths)

    def search_project(self) -> None:
        if self.project is None:
            return
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_panel.query.selectAll()

    def export_report(self) -> Any:
        from annotator.ui.export_dialog import ExportDialog

        if self.project is None:
            return None
        dialog = ExportDialog(self.project, self, search=self.search_panel)
        dialog.open()
        return dialog

    def import_annotations(self, path: Path | str | None = None) -> Any:
        from annotator.ui.import_annotations_dialog import import_annotations_file

        return import_annotations_file(self, path)

    def restore_from_backup(self) -> Any:
        from annotator.ui.backup_dialog import restore_from_backup

        if self.project is None:
            return None
        return restore_from_backup(self, self.project.path)

    def show_shortcuts(self) -> Any:
        return self.window_actions.show_shortcuts()

    # -- drag and drop, closing --------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if _local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Leave the drop handler before any dialog opens (the drag source waits for it).
        QTimer.singleShot(0, lambda: self.imports.dropped(paths, self.open_project))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.inspector.flush()
        self.settings.set_window_layout(self.saveGeometry(), self.saveState())
        self.close_project()
        self.settings.sync()
        event.accept()

    # -- screenshots -------------------------------------------------------------------------

    def save_screenshot(self, path: Path) -> bool:
        """Render the window as it is now to a PNG (grab paints it; no event is processed)."""
        return self.grab().save(str(path))

    def status_message(self) -> str:
        return self.statusBar().currentMessage()


def _local_paths(mime: Any) -> list[Path]:
    if mime is None or not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


def _demo_available() -> bool:
    try:
        from annotator.app.demo import demo_dir

        return demo_dir().is_dir()
    except ImportError:
        return False
