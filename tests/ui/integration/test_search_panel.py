"""The search dock inside the real window: typing, facets, did-you-mean, notices, activation,
passages, saved searches, and the model's consistency."""

from __future__ import annotations

import re
from pathlib import Path

from annotator.services.api import Project

README = Path(__file__).resolve().parents[3] / "docs" / "reference.md"


def _type(qtbot, panel, text: str) -> None:  # type: ignore[no-untyped-def]
    panel.query.clear()
    panel.query.setFocus()
    qtbot.keyClicks(panel.query, text)


def _wait_results(qtbot, panel, query: str):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: panel.results is not None and panel.results.query == query, timeout=5000
    )
    return panel.results


def test_shortcut_focuses_search_and_typing_shows_results(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    action = opened.window_actions.search
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+F"
    action.trigger()
    assert opened.search_dock.isVisible()
    _type(qtbot, panel, "dockers")
    res = _wait_results(qtbot, panel, "dockers")
    assert [h.claim_id for h in res.hits] == [study.dockers]
    assert panel.model.rowCount() == 1
    assert "<b>dockers</b>" in panel.model.hit(0).snippet_html
    assert "1 claim" in panel.summary.text()


def test_facet_click_filters_and_toggles_back(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    _type(qtbot, panel, "strike OR pickets OR payroll OR dockers")
    res = _wait_results(qtbot, panel, panel.query.text())
    assert res.total == 3
    sourced = next(v for v in res.facets["label"] if v.label == "sourced")
    assert f'href="label:{sourced.value}"' in panel.facets.text()
    panel.facets.linkActivated.emit(f"label:{sourced.value}")
    qtbot.waitUntil(lambda: panel.results.total == 2, timeout=5000)
    assert {h.claim_id for h in panel.results.hits} == {study.pickets, study.payroll}
    assert "✓" in panel.facets.text()
    panel.facets.linkActivated.emit(f"label:{sourced.value}")
    qtbot.waitUntil(lambda: panel.results.total == 3, timeout=5000)


def test_did_you_mean_link_runs_the_suggestion(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    _type(qtbot, panel, "dockrs")
    res = _wait_results(qtbot, panel, "dockrs")
    assert res.did_you_mean
    assert "Did you mean" in panel.notice.text() and panel.notice.isVisibleTo(panel)
    panel.notice.linkActivated.emit("dym:")
    res = _wait_results(qtbot, panel, res.did_you_mean)
    assert study.dockers in [h.claim_id for h in res.hits]


def test_malformed_query_shows_the_notice(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    _type(qtbot, panel, '"dockers walked')
    res = _wait_results(qtbot, panel, '"dockers walked')
    assert res.notice
    assert res.notice.split()[0] in panel.notice.text()
    assert panel.error == ""


def test_activation_selects_the_claim_in_a_pane(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    _type(qtbot, panel, "payroll")
    _wait_results(qtbot, panel, "payroll")
    panel.view.setCurrentIndex(panel.model.index(0))
    panel.view.activated.emit(panel.model.index(0))
    assert (1, study.payroll) in opened.pane_area.selected_claims()
    assert opened.inspector.current_claim() == study.payroll


def _click_row(qtbot, panel, row: int) -> None:  # type: ignore[no-untyped-def]
    """One left click in the middle of a result row, as a user makes it."""
    from PySide6.QtCore import Qt

    panel.view.scrollTo(panel.model.index(row))
    rect = panel.view.visualRect(panel.model.index(row))
    assert rect.isValid() and not rect.isEmpty()
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_single_click_on_a_result_selects_the_claim(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    opened.search_dock.raise_()
    qtbot.waitUntil(panel.on_screen)
    _type(qtbot, panel, "payroll OR dockers")
    res = _wait_results(qtbot, panel, "payroll OR dockers")
    assert {h.claim_id for h in res.hits} == {study.payroll, study.dockers}
    assert opened.inspector.current_claim() != res.hits[0].claim_id
    for row, hit in enumerate(res.hits):
        _click_row(qtbot, panel, row)
        assert opened.inspector.current_claim() == hit.claim_id
        assert any(cid == hit.claim_id for _, cid in opened.pane_area.selected_claims())
        assert panel.view.currentIndex().row() == row  # the row stays highlighted, and says so


def test_a_single_click_on_a_passage_shows_it(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    opened.search_dock.raise_()
    qtbot.waitUntil(panel.on_screen)
    panel.passages_button.click()
    _type(qtbot, panel, "morning")
    res = _wait_results(qtbot, panel, "morning")
    assert res.kind == "passages" and res.hits
    _click_row(qtbot, panel, 0)
    pane = opened.pane_area.documents().index(res.hits[0].document_id)
    view = opened.pane_area._panes[pane].view
    assert "morning" in view.textCursor().selectedText()


def test_passages_mode_activation_shows_the_span(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    opened.pane_area.open_document(study.right, 0)
    panel.passages_button.click()
    _type(qtbot, panel, "morning")
    res = _wait_results(qtbot, panel, "morning")
    assert res.kind == "passages" and res.hits
    hit = res.hits[0]
    assert hit.document_id == study.left
    panel.activate(0)
    pane = opened.pane_area.documents().index(study.left)
    view = opened.pane_area._panes[pane].view
    assert "morning" in view.textCursor().selectedText()


def test_saved_search_round_trip(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    _type(qtbot, panel, "label:disputed")
    _wait_results(qtbot, panel, "label:disputed")
    assert panel.save_current_search("Disputed claims")
    with Project.open(study.path) as other:
        assert [(s.name, s.query) for s in other.saved_searches()] == [
            ("Disputed claims", "label:disputed")
        ]
    panel.query.clear()
    panel.fill_saved_menu()
    entry = next(a for a in panel.saved_menu.actions() if a.text() == "Disputed claims")
    entry.trigger()
    res = _wait_results(qtbot, panel, "label:disputed")
    assert [h.claim_id for h in res.hits] == [study.dockers]
    delete_menu = next(a.menu() for a in panel.saved_menu.actions() if a.menu())
    delete_menu.actions()[0].trigger()
    assert opened.project.saved_searches() == []


def test_new_claim_appears_in_the_visible_results(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    opened.search_dock.raise_()  # on screen (a tab behind the library refreshes when shown)
    qtbot.waitUntil(panel.on_screen)
    _type(qtbot, panel, "report")
    res = _wait_results(qtbot, panel, "report")
    assert res.total == 0
    text = opened.project.document(study.left).text
    start = text.index("Harbour report")
    label = opened.project.label("polemical").id
    opened.project.create_claim(study.left, start, start + 14, label)
    qtbot.waitUntil(lambda: panel.results.total == 1, timeout=5000)


def test_help_shows_the_readme_table(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTextBrowser

    from annotator.ui.help_viewer import section
    from annotator.ui.search_model import QUERY_HELP

    dialog = opened.search_panel.show_help()
    browser = dialog.findChild(QTextBrowser)
    assert browser is not None
    shown = browser.toPlainText()
    # the dialog shows the query table itself, not a pointer to it
    assert "label:disputed" in shown.replace("`", "") and "label:disputed" in QUERY_HELP
    syntax = section(README.read_text(), "The query language")
    rows = [line for line in syntax.splitlines() if line.startswith("| `")]
    assert rows and all(row in QUERY_HELP for row in rows)
    dialog.close()


def test_results_model_passes_the_model_tester(qtbot, qtmodeltester, opened) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    _type(qtbot, panel, "strike OR pickets OR payroll")
    _wait_results(qtbot, panel, panel.query.text())
    assert panel.model.rowCount() >= 2
    qtmodeltester.check(panel.model)
    grab = panel.view.viewport().grab()
    assert not grab.isNull()
    assert re.search(r"\d+ claims", panel.summary.text())
