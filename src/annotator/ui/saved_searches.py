"""The search panel's saved searches: saving the current query, the Saved menu, deleting one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from annotator.domain.errors import AnnotatorError


class SavedSearches:
    """Keeps queries in the project (`Project.save_search`) and lists them in `menu`.

    `project` returns the open project (or None), `run` shows a saved query, `say` puts one
    sentence in the status bar, `fail` shows an error in the panel."""

    def __init__(
        self,
        parent: QWidget,
        menu: QMenu,
        project: Callable[[], Any],
        run: Callable[[str], object],
        say: Callable[[str], object],
        fail: Callable[[str], object],
    ) -> None:
        self.parent = parent
        self.menu = menu
        self._project = project
        self._run = run
        self._say = say
        self._fail = fail
        menu.aboutToShow.connect(self.fill_menu)

    def save(self, text: str, name: str | None = None) -> bool:
        """Keep `text` under `name`; False when nothing was saved now. Without a name, one is
        asked for (window-modal, not blocking) and the search is saved once it is given."""
        project = self._project()
        if project is None:
            return False
        text = text.strip()
        if not text:
            self._say("Type a query first, then save it.")
            return False
        if name is None:
            ask = QInputDialog(self.parent)
            ask.setObjectName("SaveSearchName")
            ask.setWindowTitle("Save search")
            ask.setLabelText("Name:")
            ask.setTextValue(text[:40])
            ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            ask.textValueSelected.connect(lambda chosen: self.save(text, chosen))
            ask.open()
            return False
        try:
            project.save_search(name, text)
        except AnnotatorError as exc:
            self._fail(str(exc))
            return False
        self._say(f"Saved the search “{name.strip()}”.")
        return True

    def fill_menu(self) -> None:
        menu = self.menu
        menu.clear()
        project = self._project()
        saved = project.saved_searches() if project is not None else []
        for item in saved:
            action = menu.addAction(item.name)
            action.setToolTip(item.query)
            action.setStatusTip(item.query)
            action.triggered.connect(lambda _=False, q=item.query: self._run(q))
        if not saved:
            menu.addAction("No saved searches").setEnabled(False)
            return
        menu.addSeparator()
        delete = menu.addMenu("Delete")
        for item in saved:
            action = delete.addAction(item.name)
            action.triggered.connect(lambda _=False, i=item.id: self.delete(i))

    def delete(self, search_id: str) -> None:
        project = self._project()
        if project is not None:
            try:
                project.delete_saved_search(search_id)
            except AnnotatorError as exc:
                self._say(str(exc))
