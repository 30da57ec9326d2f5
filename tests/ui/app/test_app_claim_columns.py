"""The claim list's columns, driven with the mouse and the keys: an Author column in a team
study (sorted by a click on its header, found by the text filter), every column in view at
1000x700 with Quote and Note taking the width, long titles cut with the whole in the tooltip,
and the user's own column widths kept for the next window."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import LEFT_TEXT, RIGHT_TEXT, Study
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from annotator.services.api import Project
from annotator.services.author import ENVIRONMENT_VARIABLE
from annotator.ui.claim_columns import GROWING, GROWTH, SETTINGS_KEY
from annotator.ui.claim_list import (
    AUTHOR,
    COLUMNS,
    DOCUMENT,
    LABEL,
    NOTE,
    QUOTE,
    TAGS,
    WHERE,
)

COMPACT = (LABEL, TAGS, AUTHOR, DOCUMENT, WHERE)


def _mark_as(monkeypatch, path: Path, author: str, doc: str, text: str, quote: str) -> None:  # type: ignore[no-untyped-def]
    """A claim made by `author` through another connection to the project file."""
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, author)
    with Project.open(path) as project:
        start = text.index(quote)
        project.create_claim(doc, start, start + len(quote), project.label("disputed").id)


@pytest.fixture
def team(monkeypatch, study: Study) -> Study:  # type: ignore[no-untyped-def]
    """The study with claims by two authors."""
    _mark_as(monkeypatch, study.path, "Ada", study.left, LEFT_TEXT, "4,000 dockers walked out")
    _mark_as(monkeypatch, study.path, "Ben", study.left, LEFT_TEXT, "fewer than 900 pickets")
    _mark_as(monkeypatch, study.path, "Ada", study.right, RIGHT_TEXT, "about 900 pickets")
    _mark_as(monkeypatch, study.path, "Ben", study.right, RIGHT_TEXT, "payroll records")
    return study


def _settle(qtbot, window, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    qtbot.wait(100)


def _column(window, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    model = window.claims.view.model()
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


def _header_point(window, column: int, x: int | None = None) -> QPoint:  # type: ignore[no-untyped-def]
    header = window.claims.view.horizontalHeader()
    left = header.sectionViewportPosition(column)
    return QPoint(left + header.sectionSize(column) // 2 if x is None else left + x, 8)


def _drag_edge(qtbot, window, column: int, by: int) -> None:  # type: ignore[no-untyped-def]
    """Drag the right edge of a column's header section `by` pixels, as a user does."""
    header = window.claims.view.horizontalHeader()
    viewport = header.viewport()
    edge = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    start = QPoint(edge, header.height() // 2)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 5):
        qtbot.mouseMove(viewport, start + QPoint(by * step // 4, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(by, 0))


def _all_in_view(window) -> None:  # type: ignore[no-untyped-def]
    view = window.claims.view
    header = view.horizontalHeader()
    width = view.viewport().width()
    assert header.length() <= width
    assert not view.horizontalScrollBar().isVisible()
    for column in range(len(COLUMNS)):
        if not header.isSectionHidden(column):
            right = header.sectionViewportPosition(column) + header.sectionSize(column)
            assert 0 <= right <= width, COLUMNS[column]


def test_a_team_study_shows_the_author_sorted_and_filtered(qtbot, window, team: Study) -> None:  # type: ignore[no-untyped-def]
    assert window.open_project(team.path, [team.left, team.right])
    view = window.claims.view
    header = view.horizontalHeader()
    assert view.model().headerData(AUTHOR, Qt.Orientation.Horizontal) == "Author"
    assert not header.isSectionHidden(AUTHOR)  # two authors: the column shows by itself
    assert sorted(_column(window, AUTHOR)) == ["Ada", "Ada", "Ben", "Ben"]

    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=_header_point(window, AUTHOR)
    )
    assert header.sortIndicatorSection() == AUTHOR
    authors = _column(window, AUTHOR)
    assert authors == sorted(
        authors, reverse=header.sortIndicatorOrder() != Qt.SortOrder.AscendingOrder
    )
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=_header_point(window, AUTHOR)
    )
    assert _column(window, AUTHOR) == list(reversed(authors))  # the other way round

    window.claims.filter.setFocus()
    qtbot.keyClicks(window.claims.filter, "ben")
    qtbot.waitUntil(lambda: _column(window, AUTHOR) == ["Ben", "Ben"])
    assert window.claims.count.text() == "2 of 4 claims"
    assert "author" in window.claims.filter.placeholderText()


def test_the_author_column_shows_once_a_second_author_marks(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, window, study: Study
) -> None:
    _mark_as(monkeypatch, study.path, "Ada", study.left, LEFT_TEXT, "4,000 dockers walked out")
    assert window.open_project(study.path, [study.left, study.right])
    header = window.claims.view.horizontalHeader()
    assert header.isSectionHidden(AUTHOR)  # one author: her name on every row says nothing
    _all_in_view(window)

    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "Ben")  # a colleague marks in this window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    start = RIGHT_TEXT.index("payroll records")
    window.pane_area.show_span(study.right, start, start + len("payroll records"))
    view = window.pane_area.pane(1).view
    view.setFocus()
    qtbot.keyClick(view, "1")
    assert sorted(_column(window, AUTHOR)) == ["Ada", "Ben"]
    assert not header.isSectionHidden(AUTHOR)
    _all_in_view(window)
    assert not window.settings.value(SETTINGS_KEY)  # nothing the user chose is recorded


def test_every_column_is_in_view_at_1000_by_700_and_quote_and_note_take_the_rest(  # type: ignore[no-untyped-def]
    qtbot, window, team: Study
) -> None:
    assert window.open_project(team.path, [team.left, team.right])
    header = window.claims.view.horizontalHeader()
    _settle(qtbot, window, 1000, 700)
    _all_in_view(window)
    assert header.length() == window.claims.view.viewport().width()  # no gap either
    small = {c: header.sectionSize(c) for c in range(len(COLUMNS))}
    assert small[QUOTE] > small[NOTE] >= 90  # the columns worth reading
    assert all(small[QUOTE] > small[c] for c in COMPACT)

    _settle(qtbot, window, 1900, 1000)
    _all_in_view(window)
    big = {c: header.sectionSize(c) for c in range(len(COLUMNS))}
    assert big[LABEL] == small[LABEL] and big[WHERE] == small[WHERE]  # compact at any width
    for column in GROWING:  # a little room for longer titles, tags and names
        assert small[column] < big[column] <= small[column] * GROWTH + 1
    assert big[QUOTE] > small[QUOTE] + 300 and big[NOTE] > small[NOTE] + 200


def test_a_long_title_is_cut_and_given_whole_in_the_tooltip(qtbot, window, team: Study) -> None:  # type: ignore[no-untyped-def]
    title = "Harbour encyclopedia, second edition, revised and much enlarged by many hands"
    with Project.open(team.path) as project:
        project.update_document(team.right, title=title)
    assert window.open_project(team.path, [team.left, team.right])
    _settle(qtbot, window, 1000, 700)
    view = window.claims.view
    model = view.model()
    [row] = [r for r in range(model.rowCount()) if model.index(r, DOCUMENT).data() == title][:1]
    index = model.index(row, DOCUMENT)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == title
    assert view.fontMetrics().horizontalAdvance(title) > view.columnWidth(DOCUMENT)  # cut
    assert view.textElideMode() == Qt.TextElideMode.ElideRight
    _all_in_view(window)


def test_the_users_column_widths_are_kept_for_the_next_window(  # type: ignore[no-untyped-def]
    qtbot, window, team: Study
) -> None:
    assert window.open_project(team.path, [team.left, team.right])
    _settle(qtbot, window, 1400, 850)
    view = window.claims.view
    header = view.horizontalHeader()
    label, document = header.sectionSize(LABEL), header.sectionSize(DOCUMENT)
    _drag_edge(qtbot, window, LABEL, 40)
    _drag_edge(qtbot, window, DOCUMENT, 60)
    assert header.sectionSize(LABEL) == label + 40
    assert header.sectionSize(DOCUMENT) == document + 60
    _all_in_view(window)  # Quote and Note made room

    quote = header.sectionSize(QUOTE)
    _drag_edge(qtbot, window, QUOTE, -80)  # the boundary between Quote and Note
    assert header.sectionSize(QUOTE) == pytest.approx(quote - 80, abs=2)
    _all_in_view(window)
    shared = header.sectionSize(QUOTE), header.sectionSize(NOTE)
    assert window.settings.value(SETTINGS_KEY)
    window.close()

    from annotator.ui.main_window import MainWindow

    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.open_project(team.path, [team.left, team.right])
    _settle(qtbot, again, 1400, 850)
    header = again.claims.view.horizontalHeader()
    assert header.sectionSize(LABEL) == label + 40
    assert header.sectionSize(DOCUMENT) == document + 60
    assert header.sectionSize(QUOTE) == pytest.approx(shared[0], abs=2)
    assert header.sectionSize(NOTE) == pytest.approx(shared[1], abs=2)

    again.reset_layout()  # View › Reset layout: the columns too
    assert header.sectionSize(LABEL) == label
    assert header.sectionSize(DOCUMENT) == document
    again.close()


def test_a_column_hidden_from_the_header_menu_stays_hidden(qtbot, window, team: Study) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMenu

    assert window.open_project(team.path, [team.left, team.right])
    header = window.claims.view.horizontalHeader()
    header.customContextMenuRequested.emit(_header_point(window, TAGS))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    [tags] = [a for a in menu.actions() if a.text() == "Tags"]
    assert tags.isChecked()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(tags).center())
    assert header.isSectionHidden(TAGS)
    _all_in_view(window)
    assert header.length() == window.claims.view.viewport().width()
    window.close()

    from annotator.ui.main_window import MainWindow

    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    assert again.open_project(team.path, [team.left, team.right])
    assert again.claims.view.horizontalHeader().isSectionHidden(TAGS)
    assert not again.claims.view.horizontalHeader().isSectionHidden(AUTHOR)
    again.close()
