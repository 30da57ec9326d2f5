"""A search result card in the real window shows the claim's quote and where the claim is."""

from __future__ import annotations

from annotator.ui.search_model import HtmlRole


def test_a_result_card_shows_the_quote_and_its_paragraph(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    opened.window_actions.search.trigger()
    panel.query.clear()
    panel.query.setFocus()
    qtbot.keyClicks(panel.query, "dockers")
    qtbot.waitUntil(
        lambda: panel.results is not None and panel.results.query == "dockers", timeout=5000
    )
    card = str(panel.model.index(0, 0).data(HtmlRole))
    hit = panel.model.hit(0)
    assert card.startswith(hit.snippet_html) and "<b>dockers</b>" in card
    assert hit.location is not None and hit.location.text in card
