"""The search panel's document chips show short titles that tell the documents apart, and the
whole title when the pointer rests on a chip."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from annotator.services.api import Project

TITLE_LEFT = "Tidewater Workers League: the dockers' strike of 1889 as the union told it"
TITLE_RIGHT = "Tidewater Workers League and the harbour encyclopedia's account"


def test_document_chips_are_short_and_hover_shows_the_full_title(qtbot, window, study) -> None:  # type: ignore[no-untyped-def]
    with Project.open(study.path) as project:
        project.update_document(study.left, title=TITLE_LEFT)
        project.update_document(study.right, title=TITLE_RIGHT)
    assert window.open_project(study.path, [study.left, study.right])
    qtbot.waitUntil(lambda: window.session.ready, timeout=10000)
    window.session.wait_for_backup()
    panel = window.search_panel
    window.window_actions.search.trigger()
    panel.query.clear()
    panel.query.setFocus()
    query = "strike OR pickets OR payroll OR dockers"
    qtbot.keyClicks(panel.query, query)
    qtbot.waitUntil(
        lambda: panel.results is not None and panel.results.query == query, timeout=5000
    )
    text = panel.facets.text()
    # the chips lead with what differs, cut short; the whole title is the link's title
    assert "TWL … the dockers" in text and "TWL … and the harbour" in text
    assert f">&nbsp;{TITLE_LEFT}" not in text and f">&nbsp;{TITLE_RIGHT}" not in text
    assert f'title="{TITLE_RIGHT}"' in text.replace("&#x27;", "'")

    # rest the pointer on each part of the facets until it is over a document chip
    facets = panel.facets
    qtbot.waitUntil(lambda: facets.isVisible() and facets.width() > 0, timeout=5000)
    seen: set[str] = set()
    for y in range(2, facets.height(), 4):
        for x in range(2, facets.width(), 6):
            QTest.mouseMove(facets, QPoint(x, y))
            seen.add(facets.toolTip())
    assert TITLE_LEFT in seen and TITLE_RIGHT in seen
    QTest.mouseMove(facets, QPoint(facets.width() - 1, facets.height() - 1))
