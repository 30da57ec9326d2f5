"""The main window's actions and menus, with their mnemonics and shortcuts.

`WindowActions` is given the window (typed loosely: this module must not import the window's,
which imports it) and calls its slots; the per-label actions are made anew from the claim
store's labels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar

from annotator.domain.model import Label
from annotator.ui.library import swatch

MAX_PANE_SHORTCUTS = 9


class WindowActions:
    """Every QAction of the main window, created once and put into the menus."""

    def __init__(self, window: Any) -> None:
        self.window = window
        w = window

        def act(
            text: str,
            slot: object = None,
            shortcut: str
            | QKeySequence
            | QKeySequence.StandardKey
            | list[QKeySequence]
            | None = None,
            tip: str = "",
            enabled: bool = True,
        ) -> QAction:
            action = QAction(text, w)
            if shortcut is not None:
                if isinstance(shortcut, list):
                    action.setShortcuts(shortcut)
                else:
                    action.setShortcut(QKeySequence(shortcut))
            if tip:
                action.setStatusTip(tip)
                action.setToolTip(tip)
            if slot is not None:
                action.triggered.connect(lambda _checked=False, s=slot: s())  # type: ignore[operator]
            action.setEnabled(enabled)
            w.addAction(action)  # shortcuts work even while the menu bar is hidden
            return action

        # File
        self.new_project = act("&New project…", w.opening.new_project_dialog, "Ctrl+N")
        self.open_project = act("&Open project…", w.opening.open_project_dialog, "Ctrl+O")
        self.open_team_project = act(
            "Open &team project…",
            w.opening.open_team_project_dialog,
            None,
            "Open a project on a PostgreSQL server, shared by a team",
        )
        self.import_documents = act(
            "&Import documents…", w.import_dialog, "Ctrl+I", "Import files into the project"
        )
        self.export_report = act(
            "&Export report…", w.export_report, "Ctrl+E", "Export the study as a report"
        )
        self.import_annotations = act(
            "Import &annotations…",
            w.import_annotations,
            None,
            "Import W3C Web Annotations (JSON-LD) or Hypothesis JSON",
        )
        self.restore_backup = act(
            "Restore from &backup…",
            w.restore_from_backup,
            None,
            "Replace the project with one of its automatic backups",
        )
        self.close_project = act("&Close project", w.close_project, "Ctrl+W")
        self.open_settings = act(
            "Se&ttings…", self.show_settings, None, "Your name on your claims, the recent list"
        )
        self.open_settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit = act("&Quit", w.close, QKeySequence.StandardKey.Quit)
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        # Edit
        self.undo = w.stack.createUndoAction(w, "&Undo")
        self.undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo = w.stack.createRedoAction(w, "&Redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        w.addAction(self.undo)
        w.addAction(self.redo)
        self.undo.setProperty("shortcutText", "Undo the last change")
        self.redo.setProperty("shortcutText", "Redo")
        self.link = act(
            "&Link claims…", w.link_selected_claims, "L", "Link the claims selected in two panes"
        )
        self.delete_claim = act(
            "&Delete claim", w.delete_selected_claim, QKeySequence(Qt.Key.Key_Delete)
        )
        self.edit_note = act("Edit &note", w.edit_note, "F2", "Write a note on the selected claim")
        self.find = act("&Find in document…", w.find_in_document, "Ctrl+F")
        self.search = act(
            "&Search the project…",
            w.search_project,
            "Ctrl+Shift+F",
            "Search every claim and document",
        )
        self.labels = act("La&bels…", w.labels_dialog, None, "Add, rename, recolour labels")
        self.document_details = act(
            "Document &details…",
            w.edit_current_document_details,
            "Ctrl+D",
            "Edit the details of the current pane's document",
        )

        # View
        self.add_pane = act("&Add a pane", w.add_pane, "Ctrl+Shift+N")
        self.remove_pane = act("&Remove the current pane", w.remove_current_pane)
        self.sync_scroll = act("&Synchronised scrolling", w.set_sync_scroll)
        self.sync_scroll.setCheckable(True)
        self.sync_scroll.triggered.disconnect()
        self.sync_scroll.toggled.connect(w.set_sync_scroll)
        self.focus_panes = [
            act(f"Pane &{i + 1}", lambda i=i: w.focus_pane(i), f"Ctrl+{i + 1}")
            for i in range(MAX_PANE_SHORTCUTS)
        ]
        self.focus_library = act("&Library", w.focus_library, "Ctrl+Shift+B")
        self.focus_claims = act("&Claim list", w.focus_claim_list, "Ctrl+Shift+L")
        self.focus_inspector = act("&Inspector", w.edit_note, None)
        self.reset_layout = act(
            "Reset &layout", w.reset_layout, None, "Put the panels back where they started"
        )

        # Team
        self.agreement = act(
            "&Agreement…", self.show_agreement, None, "How far the annotators agree"
        )
        self.adjudicate = act(
            "A&djudicate…", self.show_adjudication, None, "Settle the units annotators disagree on"
        )

        # Help
        self.user_guide = act("&User guide", self.show_user_guide, None, "Read the user guide")
        self.search_syntax = act(
            "&Search syntax", self.show_search_syntax, None, "The query language of the search"
        )
        self.shortcuts = act("&Keyboard shortcuts", self.show_shortcuts, "Ctrl+/")
        self.shortcuts.setShortcuts([QKeySequence("Ctrl+/"), QKeySequence("F1")])
        self.about = act("&About Annotator", self.show_about)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        self.project_actions = [
            self.import_documents,
            self.export_report,
            self.import_annotations,
            self.restore_backup,
            self.search,
            self.close_project,
            self.link,
            self.delete_claim,
            self.edit_note,
            self.find,
            self.labels,
            self.document_details,
            self.add_pane,
            self.remove_pane,
            self.sync_scroll,
            *self.focus_panes,
            self.focus_library,
            self.focus_claims,
            self.focus_inspector,
            self.agreement,
            self.adjudicate,
        ]

    def build_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        bar.clear()
        file = bar.addMenu("&File")
        file.addAction(self.new_project)
        file.addAction(self.open_project)
        file.addAction(self.open_team_project)
        self.recent_menu = QMenu("Open &recent", w)
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addAction(self.import_documents)
        file.addAction(self.import_annotations)
        file.addAction(self.export_report)
        file.addSeparator()
        file.addAction(self.restore_backup)
        file.addAction(self.close_project)
        file.addSeparator()
        file.addAction(self.open_settings)
        file.addAction(self.quit)

        edit = bar.addMenu("&Edit")
        edit.addAction(self.undo)
        edit.addAction(self.redo)
        edit.addSeparator()
        self.mark_menu = QMenu("&Mark selection as", w)
        edit.addMenu(self.mark_menu)
        edit.addAction(self.link)
        edit.addAction(self.delete_claim)
        edit.addAction(self.edit_note)
        edit.addSeparator()
        edit.addAction(self.find)
        edit.addAction(self.search)
        edit.addSeparator()
        edit.addAction(self.document_details)
        edit.addAction(self.labels)

        view = bar.addMenu("&View")
        self.view_menu = view
        for dock in w.docks():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addAction(self.add_pane)
        view.addAction(self.remove_pane)
        view.addAction(self.sync_scroll)
        view.addSeparator()
        go = view.addMenu("&Go to")
        for action in self.focus_panes[:4]:
            go.addAction(action)
        go.addSeparator()
        go.addAction(self.focus_library)
        go.addAction(self.focus_claims)
        go.addAction(self.focus_inspector)
        view.addSeparator()
        view.addAction(self.reset_layout)

        team = bar.addMenu("&Team")
        team.addAction(self.agreement)
        team.addAction(self.adjudicate)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.user_guide)
        help_menu.addAction(self.search_syntax)
        help_menu.addAction(self.shortcuts)
        help_menu.addAction(self.about)

    def rebuild_label_actions(
        self, labels: list[Label], bar: QToolBar, mark: Callable[[str], object]
    ) -> None:
        """The Labels toolbar and Edit > Mark selection as: one entry per label; `mark(label
        id)` marks the current pane's text selection."""
        w = self.window
        bar.clear()
        menu = self.mark_menu
        menu.clear()
        for label in labels:
            key = f" ({label.key})" if label.key else ""
            action = QAction(swatch(label.color, 14), label.name, w)
            action.setToolTip(f"Mark the selection as {label.name}{key}")
            action.setStatusTip(f"Mark the selected text as a claim labelled {label.name}")
            action.triggered.connect(lambda _=False, lid=label.id: mark(lid))
            bar.addAction(action)
            # the key is shown but not registered: the reader handles it with the selection
            menu_action = QAction(swatch(label.color, 14), f"{label.name}\t{label.key or ''}", w)
            menu_action.triggered.connect(lambda _=False, lid=label.id: mark(lid))
            menu.addAction(menu_action)
        if not labels:
            return
        bar.addSeparator()
        bar.addAction(self.link)
        bar.addAction(self.delete_claim)
        bar.addSeparator()
        bar.addAction(self.find)
        bar.addAction(self.add_pane)

    def set_project_open(self, is_open: bool) -> None:
        for action in self.project_actions:
            action.setEnabled(is_open)
        self.mark_menu.setEnabled(is_open)

    def fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        recent = self.window.settings.recent_projects()
        for i, path in enumerate(recent):
            name = path if "://" in path else Path(path).name  # a server's URL has no password
            text = f"&{i + 1}  {name}" if i < 9 else name
            action = menu.addAction(text)
            action.setStatusTip(path)
            action.triggered.connect(
                lambda _=False, p=path: self.window.open_project(p if "://" in p else Path(p))
            )
        if not recent:
            menu.addAction("No recent projects").setEnabled(False)
        menu.addSeparator()
        menu.addAction("&Clear the list", self._clear_recent)

    def _clear_recent(self) -> None:
        self.window.settings.clear_recent_projects()
        self.window._show_project_state()

    def show_shortcuts(self) -> Any:
        from annotator.ui.shortcuts import ShortcutsDialog

        keys = []
        if self.window.project is not None:
            keys = [(lab.key, lab.name) for lab in self.window.project.labels() if lab.key]
        dialog = ShortcutsDialog(self.window.menuBar(), keys, parent=self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_settings(self) -> Any:
        from annotator.ui.settings_dialog import open_settings

        return open_settings(self.window, self.window.settings)

    def show_agreement(self) -> Any:
        from annotator.ui.agreement_panel import show_agreement

        return show_agreement(self.window)

    def show_adjudication(self) -> Any:
        from annotator.ui.adjudication_dialog import show_adjudication

        return show_adjudication(self.window)

    def show_user_guide(self) -> Any:
        from annotator.ui.help_viewer import show_user_guide

        return show_user_guide(self.window)

    def show_search_syntax(self) -> Any:
        from annotator.ui.help_viewer import show_search_syntax

        return show_search_syntax(self.window)

    def show_about(self) -> None:
        from annotator import __version__

        QMessageBox.about(
            self.window,
            "About Annotator",
            f"<h3>Annotator {__version__}</h3>"
            "<p>Mark, judge and link the claims of polemical sources, side by side.</p>"
            "<p>Every change is saved at once in the project file.</p>",
        )
