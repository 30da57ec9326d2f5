"""The search panel (Edit > Search the project, Ctrl+Shift+F): results as you type.

Typing restarts a 200 ms debounce; the search then runs on the app's task runner
(`ui.tasks`), and a newer search supersedes an older one, whose answer is dropped. The panel
holds no SQL: it calls `SearchService.search()` and shows its `SearchResults` (hits as cards,
facets as toggles (`ui.search_facets`), the notice, "Did you mean …?", more pages on demand).
A single click on a result selects its claim or passage (as a double click or Enter does). A
search error never reaches Qt: its one sentence is shown in the panel. Saved searches are
`ui.saved_searches`.
"""

from __future__ import annotations

import html
import logging
import time
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.search.results import SearchHit, SearchResults
from annotator.ui.saved_searches import SavedSearches
from annotator.ui.search_facets import chip_tooltip, facets_html, parse_chip_link
from annotator.ui.search_model import QUERY_HELP, SearchResultsModel, SnippetDelegate
from annotator.ui.tasks import runner

log = logging.getLogger(__name__)

DEBOUNCE_MS = 200
REFRESH_DELAY_MS = 400
"""After the index took new changes, the shown search runs again once none came for this long
(a search with facets costs tens of milliseconds of the GIL: not after every claim of a burst,
and not while the next one is being made)..."""
REFRESH_MAX_WAIT_MS = 2000
"""...but at least this soon after the first of them."""
PAGE_SIZE = 50
SORTS = (("Relevance", "relevance"), ("Last changed", "date"), ("Document order", "document"))


def _search(service: Any, request: dict[str, Any]) -> SearchResults | str:
    """One search (worker thread): its results, or the one sentence the panel shows."""
    try:
        results: SearchResults = service.search(**request)
    except AnnotatorError as exc:
        return str(exc)
    except Exception as exc:  # never into Qt: the panel shows one sentence
        return f"The search failed unexpectedly ({type(exc).__name__}); try again."
    return results


def _update_quietly(service: Any) -> None:
    try:
        service.update()
    except Exception as exc:  # an index update that fails is retried by the next search
        log.info("background search update failed: %s", exc)


class SearchPanel(QWidget):
    claimActivated = Signal(str)
    passageActivated = Signal(str, int, int)  # document id, start, end
    resultsShown = Signal(object)  # SearchResults, after the list is updated
    message = Signal(str)  # for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SearchPanel")
        self.service: Any = None
        self.project: Any = None
        self.filters: dict[str, set[str]] = {}
        self.results: SearchResults | None = None
        self.error = ""
        self._generation = 0
        self._loading_more = False
        self._stale = False  # the index changed while the panel was out of sight
        self._dock_watched = False
        self._unsubscribe: Any = None
        self.tasks = runner()
        self._task_key = f"search-{id(self)}"
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.timeout.connect(self._refresh)
        self._refresh_since = 0.0

        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Search claims — e.g. label:disputed strike")
        self.query.setClearButtonEnabled(True)
        self.query.textEdited.connect(lambda _t: self.schedule())
        self.query.returnPressed.connect(self._return_pressed)
        self.help_button = QToolButton(self)
        self.help_button.setText("?")
        self.help_button.setToolTip("The query language")
        self.help_button.clicked.connect(self.show_help)

        self.kind_group = QButtonGroup(self)
        self.claims_button = self._toggle("Claims", "Search the claims")
        self.passages_button = self._toggle("Passages", "Search the paragraphs of the sources")
        self.claims_button.setChecked(True)
        self.kind_group.addButton(self.claims_button)
        self.kind_group.addButton(self.passages_button)
        self.kind_group.buttonToggled.connect(self._kind_toggled)
        self.sort = QComboBox(self)
        for text, value in SORTS:
            self.sort.addItem(text, value)
        self.sort.setToolTip("Order of the results")
        self.sort.currentIndexChanged.connect(lambda _i: self.run_search())
        self.save_button = QToolButton(self)
        self.save_button.setText("Save…")
        self.save_button.setToolTip("Keep this search in the project")
        # not connected directly: clicked(bool) would hand `checked` over as the name
        self.save_button.clicked.connect(lambda: self.save_current_search())
        self.saved_button = QToolButton(self)
        self.saved_button.setText("Saved")
        self.saved_button.setToolTip("Saved searches of this project")
        self.saved_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.saved_menu = QMenu(self.saved_button)
        self.saved_button.setMenu(self.saved_menu)
        self.saved = SavedSearches(
            self,
            self.saved_menu,
            lambda: self.project,
            self.set_query,
            self.message.emit,
            self._show_error,
        )
        # Three short rows, so that the dock stays as narrow as the library it shares a tab with
        # (MIN_SIDE_WIDTHS in dock_layout): nothing is clipped at the dock's narrowest.
        self.sort.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.sort.setMinimumContentsLength(6)
        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self.query, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.help_button)
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.claims_button)
        row.addWidget(self.passages_button)
        row.addStretch(1)
        order = QHBoxLayout()
        order.setSpacing(4)
        order.addWidget(self.sort, 1)
        order.addWidget(self.saved_button)

        self.notice = QLabel(self)
        self.notice.setObjectName("SearchNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.linkActivated.connect(self._notice_link)
        self.notice.hide()
        self.facets = QLabel(self)
        self.facets.setObjectName("SearchFacets")
        self.facets.setWordWrap(True)
        self.facets.setTextFormat(Qt.TextFormat.RichText)
        self.facets.linkActivated.connect(self._facet_link)
        self.facets.linkHovered.connect(self._facet_hovered)
        self.facets.hide()

        self.model = SearchResultsModel(self)
        self.view = QListView(self)
        self.view.setObjectName("SearchResults")
        self.view.setModel(self.model)
        self.view.setItemDelegate(SnippetDelegate(self.view))
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        # One click selects (issue: a highlighted row while the inspector said "No claim
        # selected"); Enter and a double click do the same.
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(lambda index: self.activate(index.row()))
        self.view.verticalScrollBar().valueChanged.connect(self._scrolled)

        self.summary = QLabel(self)
        self.summary.setObjectName("SearchSummary")
        self.more_button = QPushButton("More results", self)
        self.more_button.setFlat(True)
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.more_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(5)
        layout.addLayout(top)
        layout.addLayout(row)
        layout.addLayout(order)
        layout.addWidget(self.notice)
        layout.addWidget(self.facets)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.setFocusProxy(self.query)
        self.setEnabled(False)

    def _toggle(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.setAutoRaise(False)
        return button

    # -- life cycle --------------------------------------------------------------------------

    def set_service(self, service: Any, project: Any) -> None:
        """Use `service` (a started SearchService) for `project`; None clears the panel."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._generation += 1
        for key in (self._task_key, self._task_key + "-more"):
            self.tasks.cancel(key)
            self.tasks.wait(key)  # no search may read a service about to close
        self._watch_dock()
        self.service, self.project = service, project
        self.filters = {}
        self.results = None
        self.error = ""
        self._stale = False
        self.refresh_timer.stop()
        self.model.set_hits([])
        self._show_meta()
        self.setEnabled(service is not None)
        if service is not None:
            # Called on the indexer's thread: handed to the GUI thread as plain Python.
            tasks = self.tasks
            self._unsubscribe = service.on_updated(lambda _n: tasks.post(self._index_updated))
            self.reload_labels()
            self.run_search()

    def set_opening(self) -> None:
        """Cleared and disabled while the project's index opens in the background."""
        self.set_service(None, None)
        self.summary.setText("Opening the search index…")

    def shutdown(self) -> None:
        self.timer.stop()
        self.refresh_timer.stop()
        self.set_service(None, None)

    def reload_labels(self) -> None:
        if self.project is not None:
            self.model.set_label_colors({lab.id: lab.color for lab in self.project.labels()})

    # -- searching ---------------------------------------------------------------------------

    def kind(self) -> str:
        return "passages" if self.passages_button.isChecked() else "claims"

    def current_sort(self) -> str:
        return str(self.sort.currentData())

    def set_query(self, text: str, run: bool = True) -> None:
        self.query.setText(text)
        if run:
            self.run_search()

    def schedule(self) -> None:
        self.timer.start()

    def request(self, page: int = 1, page_size: int = PAGE_SIZE) -> dict[str, Any]:
        return {
            "query": self.query.text(),
            "kind": self.kind(),
            "filters": {k: sorted(v) for k, v in self.filters.items() if v},
            "sort": self.current_sort(),
            "page": page,
            "page_size": page_size,
        }

    def run_search(self, page_size: int = PAGE_SIZE) -> None:
        self.timer.stop()
        if self.service is None:
            return
        self._generation += 1
        self._loading_more = False
        self._submit(self.request(1, page_size), append=False)

    def load_more(self) -> None:
        res = self.results
        if self.service is None or res is None or self._loading_more:
            return
        loaded = self.model.rowCount()
        if loaded >= res.total:
            return
        self._loading_more = True
        page = loaded // PAGE_SIZE + 1
        self._submit(self.request(page, PAGE_SIZE), append=True)

    def _submit(self, request: dict[str, Any], append: bool) -> None:
        """Search on the runner; a newer search supersedes this one (and a page being
        loaded), a newer page an older page."""
        service, generation = self.service, self._generation
        key = self._task_key + ("-more" if append else "")
        if not append:
            self.tasks.cancel(self._task_key + "-more")
        self.tasks.submit(
            lambda: _search(service, request),
            lambda outcome: self._on_done(generation, outcome, append),
            key=key,
            owner=self,
        )

    def pending(self) -> bool:
        """A search is running or waiting (for tests and the benchmarks)."""
        return not all(self.tasks.wait(self._task_key + k, 0) for k in ("", "-more"))

    def _scrolled(self, value: int) -> None:
        bar = self.view.verticalScrollBar()
        if bar.maximum() > 0 and value >= bar.maximum() - 4:
            self.load_more()

    def _on_done(self, generation: int, outcome: SearchResults | str, append: bool) -> None:
        if generation != self._generation:
            return  # an answer to an older query
        if append:
            self._loading_more = False
        if isinstance(outcome, str):
            self.error = outcome
            if not append:
                self.results = None
                self.model.set_hits([])
            self._show_meta()
            return
        self.error = ""
        results = outcome
        if append:
            self.model.append_hits(results.hits)
            self.results = results
        elif self.model.refresh_hits(results.hits):
            # The same hits (a refresh after a change that shows nothing new here): the list
            # stays as it is, without laying out every card again or scrolling.
            self.results = results
        else:
            self.results = results
            self.model.set_hits(results.hits)
            if results.hits:
                self.view.scrollToTop()
        self._show_meta()
        self.resultsShown.emit(results)

    def catch_up(self) -> None:
        """The project was changed by another program (the indexer hears only this one's
        changes): bring the index up to date, ahead of any search asked for after, and show."""
        service = self.service
        if service is None:
            return
        self.tasks.submit(lambda: _update_quietly(service), key=self._task_key, replaceable=False)
        self._index_updated()

    def _index_updated(self) -> None:
        """The index applied new changes: show them soon (see REFRESH_DELAY_MS)."""
        if self.service is None:
            return
        now = time.monotonic()
        if not self.refresh_timer.isActive():
            self._refresh_since = now
        left = self._refresh_since + REFRESH_MAX_WAIT_MS / 1000 - now
        self.refresh_timer.start(max(0, min(REFRESH_DELAY_MS, int(left * 1000))))

    def _refresh(self, force: bool = False) -> None:
        """Run the shown search again (keeping as many results as loaded). A panel out of
        sight (closed, or a tab behind the library) searches again when it is shown."""
        if self.service is None or self.timer.isActive():
            return  # a typed query runs anyway
        if not force and not self.on_screen():
            self._stale = True
            return
        self._stale = False
        self.run_search(max(PAGE_SIZE, self.model.rowCount()))

    def on_screen(self) -> bool:
        """Shown and not covered: a dock tabbed behind another one stays "visible" to Qt."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._watch_dock()
        if self._stale:
            self._refresh(force=True)

    def _watch_dock(self) -> None:
        """Hear when the dock holding the panel is shown, its tab chosen above all."""
        if self._dock_watched:
            return
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QDockWidget):
            parent = parent.parentWidget()
        if isinstance(parent, QDockWidget):
            parent.visibilityChanged.connect(self._dock_visibility)
            self._dock_watched = True

    def _dock_visibility(self, visible: bool) -> None:
        if visible and self._stale:
            self._refresh(force=True)

    def _kind_toggled(self, _button: Any, on: bool) -> None:
        if on:
            self._kind_changed()

    def _kind_changed(self) -> None:
        passages = self.kind() == "passages"
        self.query.setPlaceholderText(
            'Search the sources\' paragraphs — e.g. "no longer" doc:pamphlet'
            if passages
            else "Search claims — e.g. label:disputed strike"
        )
        # passages have document facets only
        self.filters = {k: v for k, v in self.filters.items() if k == "document" or not passages}
        self.run_search()

    def _return_pressed(self) -> None:
        if self.timer.isActive():
            self.run_search()
        elif self.model.rowCount():
            self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.view.setCurrentIndex(self.model.index(0))

    # -- notice, facets, summary -------------------------------------------------------------

    def _show_meta(self) -> None:
        res = self.results
        parts = []
        if self.error:
            parts.append(f'<span style="color:#c62828">{html.escape(self.error)}</span>')
        if res is not None and res.notice:
            parts.append(html.escape(res.notice))
        if res is not None and res.did_you_mean:
            dym = html.escape(res.did_you_mean)
            parts.append(f'Did you mean <a href="dym:"><b><i>{dym}</i></b></a>?')
        self.notice.setText("<br>".join(parts))
        self.notice.setVisible(bool(parts))
        self.facets.setText(self._facets_html(res))
        self.facets.setVisible(bool(self.facets.text()))
        if res is None:
            self.summary.setText("" if self.error else "Type to search the project.")
            self.more_button.hide()
            return
        shown = self.model.rowCount()
        what = "claim" if res.kind == "claims" else "passage"
        count = f"{res.total} {what}{'s' if res.total != 1 else ''}"
        if res.total == 0:
            count = f"No {what}s found"
        elif shown < res.total:
            count = f"{shown} of {count}"
        self.summary.setText(f"{count} · {res.elapsed_ms:.0f} ms")
        self.more_button.setVisible(shown < res.total)
        self.more_button.setText(f"More results ({res.total - shown})")

    def _facets_html(self, res: SearchResults | None) -> str:
        return facets_html(res, self.filters)

    def _facet_link(self, href: str) -> None:
        self.toggle_filter(*parse_chip_link(href))

    def _facet_hovered(self, href: str) -> None:
        """The chip under the pointer shows its full text (a document's whole title) as the
        facets' tooltip."""
        self.facets.setToolTip(chip_tooltip(self.results, href))

    def _show_error(self, text: str) -> None:
        self.error = text
        self._show_meta()

    def toggle_filter(self, key: str, value: str) -> None:
        active = self.filters.setdefault(key, set())
        if value in active:
            active.discard(value)
        else:
            active.add(value)
        self.run_search()

    def _notice_link(self, href: str) -> None:
        if href.startswith("dym:") and self.results is not None and self.results.did_you_mean:
            self.set_query(self.results.did_you_mean)

    # -- activation --------------------------------------------------------------------------

    def current_hit(self) -> SearchHit | None:
        return self.model.hit(self.view.currentIndex().row())

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activate(index.row())

    def activate(self, row: int) -> None:
        hit = self.model.hit(row)
        if hit is None:
            return
        if hit.kind == "claim" and hit.claim_id:
            self.claimActivated.emit(hit.claim_id)
        else:
            self.passageActivated.emit(hit.document_id, hit.start, hit.end)

    def claim_ids(self) -> frozenset[str] | None:
        """The claims the current query finds (for "export the search results"), or None."""
        res = self.results
        if self.service is None or res is None or res.kind != "claims" or not self.has_query():
            return None
        found: set[str] = set()
        page = 1
        while True:
            out = self.service.search(**self.request(page, 1000) | {"kind": "claims"})
            found.update(h.claim_id for h in out.hits if h.claim_id)
            if page >= out.pages:
                return frozenset(found)
            page += 1

    def has_query(self) -> bool:
        return bool(self.query.text().strip()) or any(self.filters.values())

    # -- saved searches ----------------------------------------------------------------------

    def save_current_search(self, name: str | None = None) -> bool:
        return self.saved.save(self.query.text(), name)

    def fill_saved_menu(self) -> None:
        self.saved.fill_menu()

    def delete_saved(self, search_id: str) -> None:
        self.saved.delete(search_id)

    # -- help --------------------------------------------------------------------------------

    def show_help(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setWindowTitle("Search: the query language")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        browser = QTextBrowser(dialog)
        browser.setOpenExternalLinks(False)
        browser.setMarkdown(QUERY_HELP)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        dialog.resize(820, 560)
        dialog.show()
        self.help_dialog = dialog
        return dialog
