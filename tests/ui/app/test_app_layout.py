"""The docks at a small window and back: each keeps a width at which it is readable, takes its
share back when the window grows, and View > Reset layout puts everything where it started."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from annotator.ui.main_window import MIN_SIDE_WIDTHS


def _settle(qtbot, window, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    qtbot.wait(100)  # the docks get their share back once the layout has settled


def _widths(window) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        "library": window.library_dock.width(),
        "inspector": window.inspector_dock.width(),
        "panes": window.pane_area.width(),
        "claims": window.claims_dock.height(),
    }


def test_docks_stay_readable_at_1000_by_700_and_take_their_share_back(  # type: ignore[no-untyped-def]
    qtbot, opened, study
) -> None:
    _settle(qtbot, opened, 1400, 850)
    opened.reset_layout()
    qtbot.wait(50)
    big = _widths(opened)
    assert big["library"] >= 280 and big["inspector"] >= 320  # the default layout
    library = opened.library.view
    counts = range(5, library.model().columnCount())
    assert len(counts) == 3 and not any(library.isColumnHidden(c) for c in counts)

    _settle(qtbot, opened, 1000, 700)
    small = _widths(opened)
    assert small["inspector"] >= MIN_SIDE_WIDTHS["InspectorDock"]
    assert small["library"] >= MIN_SIDE_WIDTHS["LibraryDock"]
    assert small["panes"] >= 400  # the documents keep most of the room
    # a narrow library keeps its titles readable: the count columns make way
    assert library.columnWidth(1) >= 100
    assert all(library.isColumnHidden(c) for c in counts)
    inspector = opened.inspector
    opened.select_claim(
        opened.claim_actions.create_claim(study.left, 0, 7, opened.project.labels()[0].id)
    )
    assert inspector.current_claim()
    # note, tags and evidence are wide enough to read and type in, and not cut off
    for field in (inspector.note, inspector.tags, inspector.evidence):
        assert field.width() >= 170, field
        right = field.mapTo(opened.inspector_dock, field.rect().topRight()).x()
        assert right <= opened.inspector_dock.width()

    _settle(qtbot, opened, 1400, 850)

    def taken_back() -> None:
        back = _widths(opened)
        for name in ("library", "inspector", "claims"):
            assert abs(back[name] - big[name]) <= 12, (name, big, back)

    qtbot.waitUntil(taken_back, timeout=3000)
    assert not any(library.isColumnHidden(c) for c in counts)


def test_a_dock_the_user_resized_keeps_its_share(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    """The user's width is taken when a separator drag ends (the mouse released on the window;
    the offscreen platform moves no separator for synthetic events, so the drag's effect is
    made with `resizeDocks`, as QMainWindow's separator does)."""
    _settle(qtbot, opened, 1400, 850)
    opened.resizeDocks([opened.inspector_dock], [450], Qt.Orientation.Horizontal)
    x = (opened.centralWidget().geometry().right() + opened.inspector_dock.geometry().left()) // 2
    y = opened.inspector_dock.geometry().center().y()
    qtbot.mouseRelease(opened, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    qtbot.waitUntil(lambda: abs(opened.dock_shares.shares["InspectorDock"] * 1400 - 450) <= 12)
    chosen = opened.inspector_dock.width()
    _settle(qtbot, opened, 1000, 700)
    assert opened.inspector_dock.width() < chosen
    _settle(qtbot, opened, 1400, 850)
    qtbot.waitUntil(lambda: abs(opened.inspector_dock.width() - chosen) <= 12, timeout=3000)


def test_reset_layout_restores_the_default_layout(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    _settle(qtbot, opened, 1400, 850)
    opened.inspector_dock.close()
    opened.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, opened.claims_dock)
    opened.search_dock.raise_()
    assert not opened.inspector_dock.isVisible()
    action = opened.window_actions.reset_layout
    assert action in opened.window_actions.view_menu.actions()
    action.trigger()
    qtbot.wait(50)
    assert opened.inspector_dock.isVisible()
    assert opened.dockWidgetArea(opened.claims_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert opened.dockWidgetArea(opened.inspector_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert opened.dockWidgetArea(opened.library_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert opened.tabifiedDockWidgets(opened.library_dock) == [opened.search_dock]
    assert not opened.library_dock.visibleRegion().isEmpty()  # the library's tab in front
    assert abs(opened.inspector_dock.width() - 340) <= 12
    assert abs(opened.library_dock.width() - 300) <= 12


def test_the_side_panels_fit_their_dock_at_its_narrowest(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    """Nothing of the search panel or the library is clipped when their dock is at its minimum
    width (the search panel's controls once read "S……", "Pa…es" and "Rele" there)."""
    for dock, panel in (
        ("SearchDock", opened.search_panel),
        ("LibraryDock", opened.library),
        ("InspectorDock", opened.inspector),
    ):
        assert panel.minimumSizeHint().width() <= MIN_SIDE_WIDTHS[dock], dock
