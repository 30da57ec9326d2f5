"""The search panel after a change: it searches again a little later, only when shown, and
lays its list out again only when the hits differ."""

from __future__ import annotations

from annotator.services.api import Project


def _wait_results(qtbot, panel, query: str):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: panel.results is not None and panel.results.query == query, timeout=5000
    )
    return panel.results


def _searches(panel) -> list[int]:  # type: ignore[no-untyped-def]
    runs: list[int] = []
    original = panel.run_search

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(1)
        return original(*args, **kwargs)

    panel.run_search = counted
    return runs


def test_a_refresh_with_the_same_hits_keeps_the_list(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    opened.search_dock.show()
    opened.search_dock.raise_()
    panel = opened.search_panel
    qtbot.waitUntil(panel.on_screen)
    panel.set_query("dockers")
    res = _wait_results(qtbot, panel, "dockers")
    assert [h.claim_id for h in res.hits] == [study.dockers]
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    runs = _searches(panel)
    project: Project = opened.project
    # a change that the query does not find: searched again, the list kept as it is
    project.update_claim(study.payroll, note="nothing about the walkout")
    before = panel.results
    qtbot.waitUntil(lambda: panel.results is not before, timeout=5000)
    assert runs and resets == []
    assert [h.claim_id for h in panel.results.hits] == [study.dockers]
    # a change that it does find: the list shows it
    project.update_claim(study.pickets, note="dockers too")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    assert resets == [1]


def test_a_hidden_panel_searches_again_when_shown(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    runs = _searches(panel)
    for n, (hide, show) in enumerate(
        [
            (opened.library_dock.raise_, opened.search_dock.raise_),  # a tab behind the library
            (opened.search_dock.hide, opened.search_dock.show),  # closed
        ]
    ):
        hide()
        qtbot.waitUntil(lambda: not panel.on_screen())
        opened.project.update_claim(study.pickets, note=f"dockers too, {n}")
        opened.session.search.wait_until_current(5)
        qtbot.waitUntil(lambda: panel._stale, timeout=5000)  # the index's "updated" came
        assert len(runs) == n
        show()
        qtbot.waitUntil(lambda: len(runs) == n + 1, timeout=5000)  # noqa: B023
        assert not panel._stale


def test_a_burst_of_index_updates_searches_again_once(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    opened.search_dock.show()
    opened.search_dock.raise_()
    panel = opened.search_panel
    qtbot.waitUntil(panel.on_screen)
    qtbot.waitUntil(lambda: not panel.refresh_timer.isActive(), timeout=5000)
    runs = _searches(panel)
    for _ in range(5):
        panel._index_updated()
        qtbot.wait(30)
    assert runs == []  # not while they keep coming
    qtbot.waitUntil(lambda: runs == [1], timeout=5000)
    qtbot.wait(500)
    assert runs == [1]
