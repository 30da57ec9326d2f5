"""The library tells documents with the same start of title apart."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.services.api import Project
from annotator.ui.library import SHOWN_TITLE_ROLE, LibraryPanel

WIKI = "Tidewater Workers League"  # the titles of the suite's own samples
ARTICLE = "The Tidewater Workers League and the harbour-closure campaign"


def test_library_shows_the_distinguishing_part(qtbot, project: Project, add_text) -> None:  # type: ignore[no-untyped-def]
    add_text("One.", title=WIKI)
    add_text("Two.", title=ARTICLE)
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 300)
    panel.show()
    panel.model.reload(project)
    model = panel.model
    shown = {model.index(r, 1).data(): model.index(r, 1).data(SHOWN_TITLE_ROLE) for r in (0, 1)}
    assert shown == {
        WIKI: WIKI,
        ARTICLE: "TWL \u2026 and the harbour-closure campaign",
    }
    # The full title stays for sorting, filtering and the tooltip.
    panel.filter.setText("harbour-closure")
    assert panel.proxy.rowCount() == 1
    assert ARTICLE in panel.proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    panel.view.grab()  # the delegate paints the shown title without error
