"""One selected claim for the whole window, driven with the mouse and the keys: a click on a
claim-list row selects the claim in its pane and shows it in the inspector, a claim clicked in a
pane highlights its row, Del deletes what is highlighted and moves on to a neighbour, and the
inspector shows the selected claim of the current pane. Changes from another program reach every
panel whatever the order the panels hear of them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from app_helpers import LEFT_TEXT, RIGHT_TEXT, Study
from PySide6.QtCore import SIGNAL, QPoint, Qt
from PySide6.QtWidgets import QApplication

from annotator.ui.claim_list import CLAIM_ID_ROLE


def _activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _mark(window, doc: str, text: str, quote: str, label: str = "disputed") -> str:  # type: ignore[no-untyped-def]
    start = text.index(quote)
    label_id = window.project.label(label).id
    claim_id = window.claim_actions.create_claim(doc, start, start + len(quote), label_id)
    assert claim_id
    return str(claim_id)


def _point_of(view, offset: int) -> QPoint:  # type: ignore[no-untyped-def]
    """A viewport point on the character at a code-point offset (scrolled into view)."""
    view.ensure_offset_visible(offset)
    view.prepare_visible()
    pos = view.to_qt(offset)
    rects = view.range_rects(pos, pos + 1)
    assert rects, "the character is not visible"
    return rects[0].center().toPoint()


def _click_row(qtbot, window, claim_id: str) -> None:  # type: ignore[no-untyped-def]
    panel = window.claims
    index = panel.proxy.quote_index(claim_id)
    assert index.isValid()
    rect = panel.view.visualRect(index)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _highlighted(window) -> list[str]:  # type: ignore[no-untyped-def]
    """The claims whose rows the claim list highlights."""
    rows = window.claims.view.selectionModel().selectedRows()
    return [str(index.data(CLAIM_ID_ROLE)) for index in rows]


@pytest.fixture
def claims(opened, study: Study) -> dict[str, str]:  # type: ignore[no-untyped-def]
    made = {
        "harbour": _mark(opened, study.left, LEFT_TEXT, "Harbour report"),
        "dockers": _mark(opened, study.left, LEFT_TEXT, "4,000 dockers walked out"),
        "pickets": _mark(opened, study.left, LEFT_TEXT, "fewer than 900 pickets"),
        "records": _mark(opened, study.right, RIGHT_TEXT, "Contemporary police records"),
        "payroll": _mark(opened, study.right, RIGHT_TEXT, "payroll records", "sourced"),
    }
    opened.selection.clear()
    return made


def test_a_click_on_a_claim_list_row_selects_the_claim_in_its_pane(  # type: ignore[no-untyped-def]
    qtbot, opened, claims
) -> None:
    area, inspector = opened.pane_area, opened.inspector
    assert inspector.current_claim() == "" and _highlighted(opened) == []
    _click_row(qtbot, opened, claims["dockers"])  # one click, not a double-click
    assert (0, claims["dockers"]) in area.selected_claims()
    assert area.current_pane() == 0
    assert inspector.current_claim() == claims["dockers"]
    assert _highlighted(opened) == [claims["dockers"]]

    _click_row(qtbot, opened, claims["records"])  # a claim of the other pane's document
    assert (1, claims["records"]) in area.selected_claims()
    assert area.current_pane() == 1
    assert inspector.current_claim() == claims["records"]
    assert _highlighted(opened) == [claims["records"]]

    qtbot.keyClick(opened.claims.view, Qt.Key.Key_Down)  # the keys move the selection too
    assert inspector.current_claim() == claims["payroll"]
    assert (1, claims["payroll"]) in area.selected_claims()


def test_a_claim_selected_in_a_pane_highlights_its_row(qtbot, opened, claims) -> None:  # type: ignore[no-untyped-def]
    view = opened.pane_area.pane(1).view
    point = _point_of(view, RIGHT_TEXT.index("payroll records") + 2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.inspector.current_claim() == claims["payroll"]
    assert _highlighted(opened) == [claims["payroll"]]
    assert opened.claims.current_claim() == claims["payroll"]
    # a click beside any claim: nothing selected, nothing highlighted
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(view, 3))
    assert opened.inspector.current_claim() == ""
    assert _highlighted(opened) == []


def test_del_twice_deletes_the_claim_then_its_neighbour(qtbot, opened, claims) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    project, list_view = opened.project, opened.claims.view
    _click_row(qtbot, opened, claims["dockers"])
    qtbot.keyClick(list_view, Qt.Key.Key_Delete)
    left = {a.id for a in project.annotations() if a.document_id == opened.pane_area.documents()[0]}
    assert left == {claims["harbour"], claims["pickets"]}
    # the next claim of the document is selected, highlighted and shown
    assert _highlighted(opened) == [claims["pickets"]]
    assert opened.inspector.current_claim() == claims["pickets"]
    assert (0, claims["pickets"]) in opened.pane_area.selected_claims()

    qtbot.keyClick(list_view, Qt.Key.Key_Delete)  # the second Del deletes that one
    assert project.claims_by_id([claims["pickets"]]) == {}
    assert _highlighted(opened) == [claims["harbour"]]  # the one before: the last one left

    qtbot.keyClick(list_view, Qt.Key.Key_Delete)
    assert project.claims_by_id([claims["harbour"]]) == {}
    assert _highlighted(opened) == []  # no claim left in the document: nothing highlighted
    assert opened.inspector.current_claim() == ""
    assert opened.pane_area.selected_claims() == []

    before = len(project.annotations())
    qtbot.keyClick(list_view, Qt.Key.Key_Delete)  # nothing highlighted: nothing deleted
    assert len(project.annotations()) == before == 2
    assert "Select a claim first" in opened.status_message()
    opened.stack.undo()  # and every step is undoable
    assert claims["harbour"] in {a.id for a in project.annotations()}


def test_the_inspector_shows_the_selected_claim_of_the_current_pane(  # type: ignore[no-untyped-def]
    qtbot, opened, claims
) -> None:
    _activate(qtbot, opened)
    left_view, right_view = (opened.pane_area.pane(i).view for i in (0, 1))
    point = _point_of(left_view, LEFT_TEXT.index("4,000") + 1)
    qtbot.mouseClick(left_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    point = _point_of(right_view, RIGHT_TEXT.index("police records") + 1)
    qtbot.mouseClick(right_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.inspector.current_claim() == claims["records"]
    qtbot.keyClick(right_view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # pane 1
    assert opened.pane_area.current_pane() == 0
    assert opened.inspector.current_claim() == claims["dockers"]
    assert _highlighted(opened) == [claims["dockers"]]
    qtbot.keyClick(left_view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # pane 2
    assert opened.inspector.current_claim() == claims["records"]
    assert _highlighted(opened) == [claims["records"]]


def test_search_results_and_passages_select_through_the_same_entry(opened, claims) -> None:  # type: ignore[no-untyped-def]
    opened.search_panel.claimActivated.emit(claims["pickets"])
    assert opened.inspector.current_claim() == claims["pickets"]
    assert (0, claims["pickets"]) in opened.pane_area.selected_claims()
    start = RIGHT_TEXT.index("payroll")
    opened.search_panel.passageActivated.emit(opened.pane_area.documents()[1], start, start + 7)
    assert opened.pane_area.current_pane() == 1
    assert opened.pane_area.pane(1).view.selection_span() is not None


@pytest.mark.parametrize("order", ["as connected", "reversed"])
def test_another_programs_changes_reach_every_panel_in_any_order(  # type: ignore[no-untyped-def]
    qtbot, opened, claims, study: Study, order: str
) -> None:
    qtbot.waitUntil(lambda: opened.session.watcher is not None, timeout=10000)
    store = opened.store
    observers = opened.store_observers()
    assert store.receivers(SIGNAL("changed(PyObject)")) == len(observers)  # the list is whole
    if order == "reversed":
        store.changed.disconnect()
        for observer in reversed(observers):
            store.changed.connect(observer)
    opened.select_claim(claims["records"])
    code = (  # another program changes the project
        "import sys\n"
        "from annotator.services.api import Project\n"
        "path, right, records, pickets, harbour, start = sys.argv[1:]\n"
        "with Project.open(path) as p:\n"
        "    s = int(start)\n"
        "    p.create_claim(right, s, s + 18, p.label('sourced').id,"
        " annotation_id='from-elsewhere')\n"
        "    p.update_claim(records, label_id=p.label('polemical').id)\n"
        "    p.delete_claim(pickets)\n"
        "    p.update_claim(harbour, note='the headline')\n"
    )
    args = [str(study.path), study.right, claims["records"], claims["pickets"], claims["harbour"]]
    args.append(str(RIGHT_TEXT.index("Encyclopedia entry")))
    subprocess.run([sys.executable, "-c", code, *args], check=True, timeout=120)
    new = "from-elsewhere"
    assert opened.session.poll_watcher() is not None
    project = opened.project
    now = {a.id: a for a in project.annotations()}
    counts = project.claim_counts()
    # the store and the claim list
    assert store.counts() == counts and {c.id for c in store.claims()} == set(now)
    model = opened.claims.model
    assert [model.claim_at(r) for r in range(model.rowCount())] == store.claims()
    assert opened.claims.count.text() == "5 claims"
    # the library and the legend
    assert opened.library.model._counts == counts
    polemical = project.label("polemical").id
    assert (
        opened.legend.texts()[2]
        == f"■ polemical {sum(c.get(polemical, 0) for c in counts.values())} (1)"
    )
    # the reader panes
    left, right = (opened.pane_area.pane(i).view for i in (0, 1))
    assert new in right.claims and claims["pickets"] not in left.claims
    assert right.claims.get(claims["records"]).label_id == polemical
    # the inspector shows the selected claim as it now is
    assert opened.inspector.current_claim() == claims["records"]
    combo = opened.inspector.label_combo
    assert combo.currentData() == polemical
    # and the claim list still highlights it
    assert _highlighted(opened) == [claims["records"]]
    opened.select_claim(claims["harbour"])
    assert opened.inspector.note.toPlainText() == "the headline"


def test_a_click_on_a_search_result_selects_the_claim(qtbot, opened, claims) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: opened.session.ready and opened.session.search is not None, timeout=30000
    )
    opened.search_project()  # the search dock in front
    panel = opened.search_panel

    def found() -> bool:
        panel.set_query("pickets")
        res = panel.results
        return res is not None and any(h.claim_id == claims["pickets"] for h in res.hits)

    qtbot.waitUntil(found, timeout=15000)
    row = next(
        r for r in range(panel.model.rowCount()) if panel.model.hit(r).claim_id == claims["pickets"]
    )
    rect = panel.view.visualRect(panel.model.index(row, 0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.inspector.current_claim() == claims["pickets"]
    assert (0, claims["pickets"]) in opened.pane_area.selected_claims()
    assert _highlighted(opened) == [claims["pickets"]]
