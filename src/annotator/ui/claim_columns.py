"""How the claim list's columns share its width, and the user's own widths and columns, kept.

Quote and Note are the columns worth reading: they share whatever width the compact columns
(Label, Tags, Author, Document, Location) leave, so that every column is in view at any window
size (below the columns' minimum widths a horizontal scrollbar appears); in a wide list Tags,
Author and Document take a little more, up to GROWTH times their width. A long document title
or author is cut with an ellipsis; the cell's tooltip gives it whole.

The user resizes a compact column by dragging its edge (Quote and Note take up the
difference), and moves the boundary between Quote and Note to share their width otherwise;
columns are shown or hidden from the header's context menu. Those choices are kept in the
settings (`claims/columns`) as other layout is. The Author column shows by itself once the
claims have more than one author (a team study) unless the user chose otherwise: in a study of
one it would repeat one name on every row, in the width Quote and Note need.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from annotator.ui.claim_model import AUTHOR, COLUMNS, DOCUMENT, LABEL, NOTE, QUOTE, TAGS, WHERE
from annotator.ui.settings import Settings

SETTINGS_KEY = "claims/columns"
QUOTE_SHARE = 0.6
"""Quote's part of the width Quote and Note share, until the user moves their boundary."""
MIN_SHARED = 90
"""The narrowest Quote or Note gets before the list scrolls sideways."""
MIN_COMPACT = 36
STRETCHED = (QUOTE, NOTE)
GROWING = (TAGS, AUTHOR, DOCUMENT)
"""Compact columns whose text varies in length: at their default width they grow a little
with a wide list (up to GROWTH times, from a list of REFERENCE_WIDTH pixels on)."""
REFERENCE_WIDTH = 1000
GROWTH = 1.6


class ClaimColumns(QObject):
    """Fits the columns of the claim table `view` to its width and keeps the user's choices
    (`fit` is to be called when the view's viewport changes size)."""

    def __init__(self, view: QTableView, settings: Settings | None) -> None:
        super().__init__(view)
        self.view = view
        self.header = view.horizontalHeader()
        self.settings = settings
        self._fitting = False
        self._many_authors = False
        chars = view.fontMetrics().averageCharWidth()
        advance = view.fontMetrics().horizontalAdvance
        self.defaults = {
            LABEL: advance("polemical") + 40,  # the swatch, the text, the sort arrow
            TAGS: 14 * chars,
            AUTHOR: 14 * chars,
            DOCUMENT: 18 * chars,
            WHERE: advance("p. 888, ¶ 8888") + 16,
        }
        self.widths: dict[int, int] = {}
        self.quote_share = QUOTE_SHARE
        self.chosen: dict[int, bool] = {}  # column -> shown, as the user chose
        self._read()

        header = self.header
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(MIN_COMPACT)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._menu)
        header.sectionResized.connect(self._resized)
        model = view.model()  # after the header has laid out the new rows (connected first)
        model.layoutChanged.connect(self.fit)
        model.modelReset.connect(self.fit)
        self._show_chosen()
        self.fit()

    # -- what the user chose -------------------------------------------------------------------

    def _read(self) -> None:
        if self.settings is None:
            return
        try:
            saved = json.loads(str(self.settings.value(SETTINGS_KEY, "") or "{}"))
        except ValueError:
            saved = {}
        if not isinstance(saved, dict):
            return
        names = {name: col for col, name in enumerate(COLUMNS)}
        widths = saved.get("widths")
        for name, width in widths.items() if isinstance(widths, dict) else []:
            if name in names and names[name] not in STRETCHED and isinstance(width, int):
                self.widths[names[name]] = max(MIN_COMPACT, width)
        share = saved.get("quote_share")
        if isinstance(share, int | float) and 0.05 <= share <= 0.95:
            self.quote_share = float(share)
        shown = saved.get("shown")
        for name, on in shown.items() if isinstance(shown, dict) else []:
            if name in names and names[name] != QUOTE and isinstance(on, bool):
                self.chosen[names[name]] = on

    def _write(self) -> None:
        if self.settings is None:
            return
        state = {
            "widths": {COLUMNS[col]: width for col, width in sorted(self.widths.items())},
            "quote_share": round(self.quote_share, 3),
            "shown": {COLUMNS[col]: on for col, on in sorted(self.chosen.items())},
        }
        self.settings.set_value(SETTINGS_KEY, json.dumps(state))

    def reset(self) -> None:
        """Every column back to its default width and visibility (View › Reset layout)."""
        self.widths.clear()
        self.chosen.clear()
        self.quote_share = QUOTE_SHARE
        self._write()
        self._show_chosen()
        self.fit()

    def set_many_authors(self, many: bool) -> None:
        """Whether the claims have more than one author (the Author column shows by itself)."""
        if many != self._many_authors:
            self._many_authors = many
            self._show_chosen()
            self.fit()

    def shown(self, column: int) -> bool:
        if column == QUOTE:
            return True
        if column in self.chosen:
            return self.chosen[column]
        return self._many_authors if column == AUTHOR else True

    def set_shown(self, column: int, on: bool) -> None:
        """Show or hide a column as the user chose (kept)."""
        if column == QUOTE:
            return
        self.chosen[column] = on
        self._write()
        self._show_chosen()
        self.fit()

    def _show_chosen(self) -> None:
        self._fitting = True  # a section shown or hidden is resized: not by the user
        try:
            for column in range(len(COLUMNS)):
                self.header.setSectionHidden(column, not self.shown(column))
        finally:
            self._fitting = False

    def _menu(self, pos: QPoint) -> None:
        menu = QMenu(self.header)
        for column, name in enumerate(COLUMNS):
            if column == QUOTE:
                continue
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(self.shown(column))
            action.toggled.connect(lambda on, c=column: self.set_shown(c, on))
        menu.addSeparator()
        menu.addAction("Reset columns", self.reset)
        menu.popup(self.header.mapToGlobal(pos))

    # -- fitting -------------------------------------------------------------------------------

    def width(self, column: int) -> int:
        """The width a compact column is given: the user's, else its default (a little more
        in a wide list for Tags, Author and Document)."""
        if column in self.widths:
            return self.widths[column]
        base = self.defaults.get(column, 100)
        if column not in GROWING:
            return base
        wide = self.view.viewport().width() / REFERENCE_WIDTH
        return round(base * min(GROWTH, max(1.0, wide)))

    def fit(self) -> None:
        """Compact columns at their widths; Quote and Note share what is left."""
        header, available = self.header, self.view.viewport().width()
        self._fitting = True
        try:
            compact = 0
            for column in range(len(COLUMNS)):
                if column in STRETCHED or header.isSectionHidden(column):
                    continue
                width = self.width(column)
                compact += width
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
            shared = available - compact
            if header.isSectionHidden(NOTE):
                sizes = {QUOTE: max(MIN_SHARED, shared)}
            else:
                quote = round(shared * self.quote_share)
                sizes = {QUOTE: max(MIN_SHARED, quote), NOTE: max(MIN_SHARED, shared - quote)}
            for column, width in sizes.items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
            visible = sum(header.sectionSize(c) for c in range(header.count()))
            if header.length() != visible:
                # A hidden section that took space back after a change of the rows (Qt
                # leaves a gap of its minimum size): hiding it again gives the space back.
                for column in range(header.count()):
                    if header.isSectionHidden(column):
                        header.setSectionHidden(column, False)
                        header.setSectionHidden(column, True)
        finally:
            self._fitting = False

    def _resized(self, column: int, old: int, new: int) -> None:
        """The user dragged a column's edge: keep the width (a compact column) or the share
        (Quote and Note), and fit the rest."""
        header = self.header
        if self._fitting or old == 0 or new == 0 or header.isSectionHidden(column):
            return  # the program's, or a section shown or hidden
        if column in STRETCHED and not header.isSectionHidden(NOTE):
            shared = header.sectionSize(QUOTE) + header.sectionSize(NOTE)
            compact = sum(
                self.width(c)
                for c in range(len(COLUMNS))
                if c not in STRETCHED and not header.isSectionHidden(c)
            )
            total = max(shared, self.view.viewport().width() - compact, 2 * MIN_SHARED)
            quote = new if column == QUOTE else total - new
            self.quote_share = min(0.95, max(0.05, quote / total))
        elif column not in STRETCHED:
            self.widths[column] = max(MIN_COMPACT, new)
        self._write()
        self.fit()
