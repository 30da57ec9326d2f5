"""A narrow pane ends its details line in "…" (the whole line on hover), not cut mid-word."""

from __future__ import annotations

from annotator.services.api import Project
from annotator.ui.reader.pane import ElidedLabel, ReaderPane


def test_a_narrow_panes_details_end_in_an_ellipsis(qtbot, project: Project, add_text) -> None:  # type: ignore[no-untyped-def]
    doc_id = add_text(
        "For eleven days now the quays of Velmora have stood silent.",
        title="Velmora Will Not Kneel",
        authors=["Tomás Ó Ceallaigh"],
        publisher="Velmora Quay Workers' Union",
    )
    pane = ReaderPane()
    qtbot.addWidget(pane)
    pane.resize(700, 400)
    pane.show()
    pane.document = project.document(doc_id)
    pane.details.show()
    pane.update_details()
    details = pane.details
    assert isinstance(details, ElidedLabel)
    whole = details.text()
    assert whole.endswith("0 claims") and details.toolTip() == whole
    qtbot.waitUntil(lambda: details.shown_text() == whole)

    pane.resize(220, 400)  # narrower than the line: it ends in "…" within the pane
    qtbot.waitUntil(lambda: details.shown_text() != whole)
    shown = details.shown_text()
    assert shown.endswith("…") and whole.startswith(shown[:-1].rstrip())
    assert details.fontMetrics().horizontalAdvance(shown) <= details.contentsRect().width()
    assert details.geometry().right() <= pane.width()
    pane.grab()  # paints without error
