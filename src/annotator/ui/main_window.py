"""The main window: a project's documents side by side, the library, the inspector, the claims.

Every change goes through the window's one undo stack (`annotator.ui.commands`) and is committed
at once. The project's change listener may run in a worker thread (imports); `ChangeRelay`
brings each `Changes` to the GUI thread, where every panel refreshes from it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.services.api import Project
from annotator.services.changes import Changes
from annotator.ui import claim_ops
from annotator.ui.app_icon import app_icon
from annotator.ui.claim_list import ClaimListPanel
from annotator.ui.commands import EditDocumentCommand, UndoStack
from annotator.ui.errors import report, show_error
from annotator.ui.inspector import InspectorPanel
from annotator.ui.legend import LegendStrip
from annotator.ui.library import LibraryPanel
from annotator.ui.project_services import ProjectServices
from annotator.ui.settings import Settings
from annotator.ui.start_screen import StartScreen
from annotator.ui.window_actions import WindowActions

PROJECT_FILTER = "Annotator projects (*.annot);;All files (*)"
PROJECT_SUFFIX = ".annot"


class ChangeRelay(QObject):
    """Carries project changes to the GUI thread (queued when emitted from a worker)."""

    changed = Signal(object)


class MainWindow(QMainWindow):
    projectOpened = Signal(str)
    projectClosed = Signal()
    changesApplied = Signal(object)  # Changes, after every panel has refreshed

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.project: Project | None = None
        self.pane_area: Any = None
        self.import_job: Any = None
        self._unsubscribe: Any = None
        self._labels_dialog: Any = None
        self.setWindowIcon(app_icon())
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )

        self.stack = UndoStack(self)
        self.stack.failed.connect(lambda exc: report(self, exc))
        self.relay = ChangeRelay(self)
        self.relay.changed.connect(self._on_changes)

        self.start_screen = StartScreen(self)
        self.start_screen.newRequested.connect(self.new_project_dialog)
        self.start_screen.openRequested.connect(self.open_project_dialog)
        self.start_screen.recentRequested.connect(lambda p: self.open_project(Path(p)))
        self.start_screen.demoRequested.connect(self.open_demo)
        self.start_screen.set_demo_available(_demo_available())
        self.workspace = QWidget(self)
        self._workspace_layout = QVBoxLayout(self.workspace)
        self._workspace_layout.setContentsMargins(0, 0, 0, 0)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.start_screen)
        self.central.addWidget(self.workspace)
        self.setCentralWidget(self.central)

        self.library = LibraryPanel(self)
        self.library.openRequested.connect(self.open_document)
        self.library.editRequested.connect(self.edit_document_details)
        self.library.importRequested.connect(self.import_dialog)
        self.inspector = InspectorPanel(self)
        self.inspector.claimRequested.connect(self.select_claim)
        self.inspector.deleteRequested.connect(lambda cid: claim_ops.delete_claim(self, cid))
        self.inspector.doneEditing.connect(
            lambda: self.pane_area is not None and self.focus_pane(self.pane_area.current_pane())
        )
        self.claims = ClaimListPanel(self)
        self.claims.claimActivated.connect(self.select_claim)
        self.library_dock = self._dock("Library", "LibraryDock", self.library)
        self.inspector_dock = self._dock("Inspector", "InspectorDock", self.inspector)
        self.claims_dock = self._dock("Claims", "ClaimsDock", self.claims)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.library_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.claims_dock)
        self.resizeDocks(
            [self.library_dock, self.inspector_dock], [280, 340], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.claims_dock], [190], Qt.Orientation.Vertical)

        self.services = ProjectServices(self)  # search dock, backups, watcher, banner
        self.search_dock = self.services.dock
        self.window_actions = WindowActions(self)
        self.window_actions.build_menus()
        self.label_bar = QToolBar("Labels", self)
        self.label_bar.setObjectName("LabelsToolBar")
        self.label_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.label_bar.setMovable(False)
        self.addToolBar(self.label_bar)
        self.legend = LegendStrip(self)
        self.statusBar().addPermanentWidget(self.legend)
        self.statusBar().setSizeGripEnabled(True)

        self.resize(1400, 850)
        geometry, state = self.settings.window_geometry(), self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._default_layout = state is None or not self.restoreState(state)
        self._show_project_state()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._default_layout:  # first start: give the docks comfortable sizes
            self._default_layout = False
            self.resizeDocks(
                [self.library_dock, self.inspector_dock], [300, 340], Qt.Orientation.Horizontal
            )
            self.resizeDocks([self.claims_dock], [200], Qt.Orientation.Vertical)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    def docks(self) -> list[QDockWidget]:
        return [self.library_dock, self.search_dock, self.inspector_dock, self.claims_dock]

    # -- project lifecycle -------------------------------------------------------------------

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "New project",
            str(self._dialog_folder() / f"study{PROJECT_SUFFIX}"),
            PROJECT_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            if not Path(path).suffix:
                path += PROJECT_SUFFIX
            self.new_project(Path(path))

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open project", str(self._dialog_folder()), PROJECT_FILTER
        )
        if path:
            self.open_project(Path(path))

    def _dialog_folder(self) -> Path:
        recent = self.settings.recent_projects()
        return Path(recent[0]).parent if recent else Path.home()

    def new_project(self, path: Path) -> bool:
        try:
            project = Project.create(path)
        except AnnotatorError as exc:
            show_error(self, str(exc))
            return False
        self.adopt_project(project, [])
        return True

    def open_project(self, path: Path, open_docs: list[str] | None = None) -> bool:
        """Open a project (closing the current one). A refused file shows an error and changes
        nothing: the current project or the start screen stays."""
        try:
            project = Project.open(path)
        except AnnotatorError as exc:
            from annotator.ui.backup_dialog import open_failed

            return open_failed(self, path, exc, open_docs)
        except Exception as exc:  # a file SQLite chokes on in an unforeseen way
            report(self, exc, f"opening {path.name}")
            return False
        return self.adopt_project(project, open_docs)

    def open_demo(self) -> None:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("annotator", "Annotator"))
        path = folder / f"demo{PROJECT_SUFFIX}"
        if not path.exists():
            try:
                folder.mkdir(parents=True, exist_ok=True)
                from annotator.services.demo import build_demo

                build_demo(path).close()
            except AnnotatorError as exc:
                show_error(self, str(exc))
                return
        self.open_project(path, ["1", "2"])

    def adopt_project(self, project: Project, open_docs: list[str] | None) -> bool:
        docs: list[str] = []
        for ref in open_docs or []:
            try:
                docs.append(project.find_document(ref).id)
            except AnnotatorError as exc:
                show_error(self, str(exc))
        self.close_project()
        from annotator.ui.reader import PaneArea

        self.project = project
        self.stack.clear()
        self.pane_area = PaneArea(project, self.workspace)
        self._workspace_layout.addWidget(self.pane_area)
        area = self.pane_area
        area.claimSelected.connect(self._claim_selected)
        area.createClaimRequested.connect(
            lambda d, s, e, lab: claim_ops.create_claim(self, d, s, e, lab)
        )
        area.paneDocumentChanged.connect(self._pane_document_changed)
        area.contextAction.connect(lambda name, cid: claim_ops.context_action(self, name, cid))
        area.linkSelected.connect(self._link_selected)
        if hasattr(area, "currentPaneChanged"):
            area.currentPaneChanged.connect(self._pane_document_changed)
        from annotator.ui.tasks import on_gui_thread  # a worker's commit never emits a signal

        self._unsubscribe = project.subscribe(on_gui_thread(self.relay.changed.emit))
        self.inspector.set_project(project, self.stack)
        state = self.settings.project_state(project.path)
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
        self.settings.add_recent_project(project.path)
        self._reload_all()
        self._show_project_state()
        self.services.open(project)
        self.projectOpened.emit(str(project.path))
        return True

    def close_project(self) -> None:
        if self.project is None:
            return
        self.inspector.flush()
        if self.import_job is not None and self.import_job.running:
            self.import_job.cancel()
            self.import_job.wait()
        self._save_project_state()
        self.services.close()  # search, backups and the watcher stop before the project
        if self._labels_dialog is not None:
            self._labels_dialog.close()
            self._labels_dialog = None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.inspector.set_project(None, None)
        if self.pane_area is not None:
            self.pane_area.hide()
            self.pane_area.setParent(None)
            self.pane_area.deleteLater()
            self.pane_area = None
        self.stack.clear()
        project, self.project = self.project, None
        project.close()
        self._reload_all()
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
            self.project.path,
            {"panes": panes, "claim_scope": self.claims.scope.currentIndex()},
        )

    def _show_project_state(self) -> None:
        is_open = self.project is not None
        self.central.setCurrentWidget(self.workspace if is_open else self.start_screen)
        for dock in self.docks():
            dock.setVisible(is_open)
        self.label_bar.setVisible(is_open)
        self.legend.setVisible(is_open)
        self.window_actions.set_project_open(is_open)
        if is_open:
            assert self.project is not None
            self.setWindowTitle(f"{self.project.path.name} — Annotator")
            self.setWindowFilePath(str(self.project.path))
        else:
            self.setWindowTitle("Annotator")
            self.start_screen.set_recent(self.settings.recent_projects())

    # -- refreshing --------------------------------------------------------------------------

    def _reload_all(self) -> None:
        self.library.reload(self.project)
        self.claims.reload(self.project)
        self._pane_document_changed()
        claim_ops.rebuild_label_actions(self)

    def _on_changes(self, changes: Changes) -> None:
        if self.project is None:
            return
        # The changed claims are read once, for the reader and the claim list; a big batch
        # (an import) is not read here: the claim list reloads (in a worker thread when big)
        # and the reader takes the spans from its documents' index.
        ids = changes.ids("annotation")
        small = len(ids) <= self.claims.model.RESET_ABOVE
        claims = self.project.annotations_by_id(ids) if ids and small else None
        if self.pane_area is not None:
            self.pane_area.apply_changes(changes, claims)
            if changes.touches("label"):
                self.pane_area.reload_labels()
        # The claim list first: it mirrors every claim, and the counts the library and the
        # legend show are kept there from the changes (no query over all claims per change).
        self.claims.apply_changes(self.project, changes, claims)
        if changes.touches("document") or changes.touches("label"):
            self.library.reload(self.project)
        elif changes.touches("annotation"):
            self.library.model.set_counts(self.claims.model.counts())
        self.services.apply_changes(changes)
        self.inspector.apply_changes(changes)
        if changes.touches("label"):
            claim_ops.rebuild_label_actions(self)
        self._update_legend()
        if self._labels_dialog is not None:
            self._labels_dialog.apply_changes(changes)
        self.changesApplied.emit(changes)

    def _update_legend(self, counts: dict[str, dict[str, int]] | None = None) -> None:
        if self.project is None:
            return
        model = self.claims.model  # labels and counts from memory: this runs on every click
        if counts is None:
            counts = model.counts()
        self.legend.update_counts(model.labels(), counts, self.current_document())

    def current_document(self) -> str:
        if self.pane_area is None:
            return ""
        docs = self.pane_area.documents()
        pane = self.pane_area.current_pane()
        return docs[pane] if 0 <= pane < len(docs) else ""

    def _pane_document_changed(self, *_args: object) -> None:
        if self.pane_area is None:
            self.library.model.set_open_documents([])
            return
        self.library.model.set_open_documents(self.pane_area.documents())
        self.claims.set_current_document(self.current_document())
        self._update_legend()

    def _claim_selected(self, claim_id: str) -> None:
        self.inspector.set_claim(claim_id, self.claims.model.claim(claim_id))
        if claim_id:
            self.claims.select_claim(claim_id)
        # the pane with the interaction may have changed: scope and legend follow it
        self.claims.set_current_document(self.current_document())
        self._update_legend()

    def _link_selected(self, link_id: str) -> None:
        if self.project is None or not link_id:
            return
        try:
            link = self.project.link(link_id)
        except AnnotatorError:
            return
        self.statusBar().showMessage(
            f"Link: {link.relation.value}" + (f" — {link.note}" if link.note else ""), 5000
        )

    # -- documents and panes -----------------------------------------------------------------

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
        if self.pane_area is not None and claim_id:
            self.pane_area.select_claim(claim_id, True)
        self.inspector.set_claim(claim_id, self.claims.model.claim(claim_id))

    def add_pane(self) -> None:
        if self.pane_area is not None:
            self.pane_area.add_pane()

    def remove_current_pane(self) -> None:
        if self.pane_area is not None and self.pane_area.pane_count() > 1:
            self.pane_area.remove_pane(self.pane_area.current_pane())
            self._pane_document_changed()

    def set_sync_scroll(self, on: bool = False) -> None:
        if self.pane_area is not None:
            self.pane_area.set_sync_scroll(bool(on))

    def focus_pane(self, index: int) -> None:
        claim_ops.focus_pane(self, index)

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
            self.statusBar().showMessage(
                "Select a claim first, then press F2 to write its note.", 5000
            )

    def link_selected_claims(self) -> None:
        claim_ops.link_selected(self)

    def delete_selected_claim(self) -> None:
        claim_ops.delete_claim(self, claim_ops.selected_claim(self))

    # -- document details --------------------------------------------------------------------

    def edit_current_document_details(self) -> None:
        doc = self.current_document() or self.library.current_document()
        if doc:
            self.edit_document_details(doc)
        else:
            self.statusBar().showMessage("Open or select a document first.", 5000)

    def metadata_dialog(self, document_id: str) -> Any:
        from annotator.ui.metadata_dialog import MetadataDialog

        assert self.project is not None
        return MetadataDialog(self.project.document(document_id), self)

    def edit_document_details(self, document_id: str) -> None:
        if self.project is None:
            return
        try:
            dialog = self.metadata_dialog(document_id)
        except AnnotatorError as exc:
            show_error(self, str(exc))
            return
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        self.apply_document_details(dialog)

    def apply_document_details(self, dialog: Any) -> bool:
        new, old = dialog.changed_fields()
        if not new or self.project is None:
            return False
        return self.stack.run(
            EditDocumentCommand(self.project, dialog.document.id, dialog.document.title, new, old)
        )

    # -- labels, import, help ----------------------------------------------------------------

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
        claim_ops.import_dialog(self)

    def search_project(self) -> None:
        self.services.focus_search()

    def export_report(self) -> Any:
        return self.services.export()

    def import_annotations(self) -> Any:
        return self.services.import_annotations_dialog()

    def restore_from_backup(self) -> Any:
        return self.services.restore_dialog()

    def import_paths(self, paths: list[Path]) -> Any:
        return claim_ops.import_paths(self, paths)

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
        QTimer.singleShot(0, lambda: claim_ops.handle_dropped(self, paths))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.inspector.flush()
        self.settings.set_window_layout(self.saveGeometry(), self.saveState())
        self.close_project()
        self.settings.sync()
        event.accept()

    # -- screenshots -------------------------------------------------------------------------

    def save_screenshot(self, path: Path) -> bool:
        from PySide6.QtWidgets import QApplication

        for _ in range(5):
            QApplication.processEvents()
        return self.grab().save(str(path))

    def status_message(self) -> str:
        return self.statusBar().currentMessage()


def _local_paths(mime: Any) -> list[Path]:
    if mime is None or not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


def _demo_available() -> bool:
    try:
        from annotator.services.demo import demo_dir

        return demo_dir().is_dir()
    except ImportError:
        return False
