"""The claim list says where each claim is in a reader's terms ("¶ 3"; "p. 2, ¶ 5" in a paged
source), follows new documents and edits, and sorts by it in reading order."""

from __future__ import annotations

import time

from app_helpers import LEFT_TEXT, RIGHT_TEXT, Study
from PySide6.QtCore import QPoint, Qt

from annotator.domain.imported import ImportedText
from annotator.ui.claim_list import CLAIM_ID_ROLE, WHERE, ClaimListPanel

PAGED = "Page one opens.\n\nStill page one.\n\nPage two starts here.\n\nA later claim is here."


def _mark(window, doc: str, text: str, quote: str) -> str:  # type: ignore[no-untyped-def]
    start = text.index(quote)
    label_id = window.project.label("disputed").id
    claim_id = window.claim_actions.create_claim(doc, start, start + len(quote), label_id)
    assert claim_id
    return str(claim_id)


def _shown(panel) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Claim id -> the text the Location column shows, row by row as the view has them."""
    model = panel.view.model()
    out = {}
    for row in range(model.rowCount()):
        claim_id = str(model.index(row, 0).data(CLAIM_ID_ROLE))
        out[claim_id] = model.index(row, WHERE).data()
    return out


def test_claim_list_shows_paragraph_and_page(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    panel = opened.claims
    panel.set_scope(ClaimListPanel.SCOPE_PROJECT)
    assert panel.view.model().headerData(WHERE, Qt.Orientation.Horizontal) == "Location"
    dockers = _mark(opened, study.left, LEFT_TEXT, "4,000 dockers walked out")
    title = _mark(opened, study.left, LEFT_TEXT, "Harbour report")
    payroll = _mark(opened, study.right, RIGHT_TEXT, "payroll records")
    qtbot.waitUntil(lambda: len(_shown(panel)) == 3, timeout=5000)
    assert _shown(panel) == {title: "¶ 1", dockers: "¶ 2", payroll: "¶ 3"}
    # the cell is on screen and its tooltip says it in words
    index = panel.proxy.quote_index(payroll).siblingAtColumn(WHERE)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "paragraph 3"
    assert panel.view.visualRect(index).width() >= panel.fontMetrics().horizontalAdvance("¶ 3")

    # a paged document imported now: its claims give the page too
    project = opened.project
    changes = project.add_document(
        ImportedText(text=PAGED, format="pdf", title="Paged", pages=(0, PAGED.index("Page two"))),
        PAGED.encode(),
        "paged.pdf",
    )
    paged = changes.created_id
    assert paged
    qtbot.waitUntil(lambda: paged in opened.store.document_order(), timeout=5000)
    later = _mark(opened, paged, PAGED, "later claim")
    first = _mark(opened, paged, PAGED, "Still page one")
    qtbot.waitUntil(lambda: len(_shown(panel)) == 5, timeout=5000)
    shown = _shown(panel)
    assert shown[later] == "p. 2, ¶ 4" and shown[first] == "p. 1, ¶ 2"

    # a click on the Location header sorts in reading order (document, then place)
    header = panel.view.horizontalHeader()
    x = header.sectionViewportPosition(WHERE) + header.sectionSize(WHERE) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    model = panel.view.model()
    order = [str(model.index(r, 0).data(CLAIM_ID_ROLE)) for r in range(model.rowCount())]
    assert order in (
        [title, dockers, payroll, first, later],
        [later, first, payroll, dockers, title],
    )


def test_locations_stay_cheap_for_many_claims(opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    """The location of a claim is two bisections in its document's cached locator: 100,000
    look-ups take well under a second (no query, no text read)."""
    store = opened.store
    claim_id = _mark(opened, study.left, LEFT_TEXT, "4,000 dockers walked out")
    claim = store.claim(claim_id)
    assert claim is not None
    t0 = time.perf_counter()
    for _ in range(100_000):
        store.location(claim)
    assert time.perf_counter() - t0 < 4.0
    assert store.location(claim).short == "¶ 2"
