"""Panes side by side: connectors between linked claims, synchronised scrolling, panes added
and removed, state saved and restored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from reader_helpers import long_text

from annotator.ui.reader.view import ABOVE, VISIBLE


@pytest.fixture
def linked(area, project, add_text, claim):
    """Two long documents in the two panes, one link between a claim in each."""
    left_text = long_text(70, marker="LEFT claim about March.")
    right_text = long_text(90, marker="RIGHT claim that repeats it.")
    left = add_text(left_text, title="Left source")
    right = add_text(right_text, title="Right source")
    a = claim(left, left_text, "LEFT claim about March", "disputed")
    b = claim(right, right_text, "RIGHT claim that repeats it", "sourced")
    link = project.create_link(a, b, "repeats").created_id
    area.open_document(left, 0)
    area.open_document(right, 1)
    area.select_claim(a)
    area.select_claim(b)
    area.grab()
    return {
        "left": left,
        "right": right,
        "a": a,
        "b": b,
        "link": link,
        "left_text": left_text,
        "right_text": right_text,
    }


def test_gutter_draws_one_connector_and_click_selects_both(qtbot, area, linked):
    gutter = area.gutter(0)
    (connector,) = gutter.connectors()
    assert connector.link_id == linked["link"]
    assert (connector.left_claim, connector.right_claim) == (linked["a"], linked["b"])
    assert connector.relation == "repeats"
    assert connector.left_where == connector.right_where == VISIBLE
    area.select_claim("")  # nothing changes for an unknown claim
    area.pane(0).view.set_current_claim("")
    area.pane(1).view.set_current_claim("")
    middle = connector.path.pointAtPercent(0.5).toPoint()
    with qtbot.waitSignal(area.linkSelected) as blocker:
        qtbot.mouseClick(gutter, Qt.MouseButton.LeftButton, pos=middle)
    assert blocker.args == [linked["link"]]
    assert area.selected_claims() == [(0, linked["a"]), (1, linked["b"])]
    assert gutter.selected_link == linked["link"]
    # Away from the curve: no link.
    assert gutter.connector_at(middle + type(middle)(0, 40)) is None


def test_connector_follows_scrolling(area, linked):
    gutter = area.gutter(0)
    (before,) = gutter.connectors()
    bar = area.pane(0).view.verticalScrollBar()
    bar.setValue(bar.value() + 3)
    (after,) = gutter.connectors()
    assert after.start.y() < before.start.y()
    assert after.end.y() == before.end.y()
    # Scrolled far away, the end is clamped to the edge and marked as above.
    bar.setValue(bar.maximum())
    (far,) = gutter.connectors()
    assert far.left_where == ABOVE
    area.grab()


def test_link_changes_reach_the_gutter(area, project, linked):
    area.apply_changes(project.delete_link(linked["link"]))
    assert area.gutter(0).connectors() == []
    area.apply_changes(project.create_link(linked["a"], linked["b"], "contradicts"))
    (connector,) = area.gutter(0).connectors()
    assert connector.relation == "contradicts"
    area.apply_changes(project.delete_claim(linked["a"]))
    assert area.gutter(0).connectors() == []
    assert linked["a"] not in area.pane(0).view.claims


def test_sync_scroll_keeps_linked_claims_level(area, linked):
    left, right = area.pane(0).view, area.pane(1).view
    area.set_sync_scroll(True)
    assert area.sync_scroll()
    left.scroll_to_offset(linked["left_text"].index("LEFT claim"), 200)
    area.grab()
    ly, lwhere = left.claim_positions([linked["a"]])[linked["a"]]
    ry, rwhere = right.claim_positions([linked["b"]])[linked["b"]]
    assert lwhere == rwhere == VISIBLE
    assert abs(ly - ry) <= right.line_step()
    # Scrolling the right pane moves the left one back in step.
    right.scroll_to_offset(linked["right_text"].index("RIGHT claim"), 420)
    area.grab()
    ly, _ = left.claim_positions([linked["a"]])[linked["a"]]
    ry, _ = right.claim_positions([linked["b"]])[linked["b"]]
    assert abs(ly - ry) <= left.line_step()
    area.set_sync_scroll(False)
    before = right.verticalScrollBar().value()
    left.verticalScrollBar().setValue(0)
    assert right.verticalScrollBar().value() == before


def test_sync_scroll_without_links_is_proportional(area, add_text):
    a = add_text(long_text(50), title="A")
    b = add_text(long_text(100), title="B")
    area.open_document(a, 0)
    area.open_document(b, 1)
    area.grab()
    area.set_sync_scroll(True)
    left, right = area.pane(0).view.verticalScrollBar(), area.pane(1).view.verticalScrollBar()
    left.setValue(left.maximum() // 2)
    assert abs(right.value() / right.maximum() - 0.5) < 0.05


def test_third_pane_added_and_removed(area, add_text, project, claim):
    texts = [long_text(5) + f" doc{i}" for i in range(3)]
    docs = [add_text(t, title=f"Doc {i}") for i, t in enumerate(texts)]
    x = claim(docs[1], texts[1], "P1.")
    y = claim(docs[2], texts[2], "P2.")
    project.create_link(x, y, "corroborates")
    area.open_document(docs[0])
    area.open_document(docs[1])
    assert area.documents() == docs[:2]
    index = area.add_pane()
    assert (index, area.pane_count()) == (2, 3)
    assert area.open_document(docs[2]) == 2  # the first empty pane
    area.grab()
    assert len(area.gutter(1).connectors()) == 1
    assert area.gutter(0).connectors() == []
    area.remove_pane(0)
    assert area.pane_count() == 2
    assert area.documents() == docs[1:]
    area.grab()
    assert len(area.gutter(0).connectors()) == 1
    assert area.open_document(docs[1]) == 0  # already shown
    assert area.current_pane() == 0


def test_pane_chooser_lists_documents(qtbot, area, add_text, project):
    a = add_text("Alpha text.", title="Alpha")
    area.apply_changes(project.update_document(a, title="Alpha renamed"))
    b = add_text("Beta text.", title="Beta")
    from annotator.services.changes import Changes, EntityRef

    area.apply_changes(Changes(change_number=0, added=(EntityRef("document", b),)))
    combo = area.pane(1).combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Choose a document…",
        "Alpha renamed",
        "Beta",
    ]
    seen = []
    area.paneDocumentChanged.connect(lambda i, d: seen.append((i, d)))
    combo.activated.emit(2)
    assert seen == [(1, b)]
    assert area.documents() == ["", b]
    area.apply_changes(project.delete_document(b))
    assert area.documents() == ["", ""]
    assert seen[-1] == (1, "")


def test_save_and_restore_state(qtbot, project, area, linked):
    from annotator.ui.reader import PaneArea

    area.pane(0).view.scroll_to_offset(linked["left_text"].index("P40."))
    area.add_pane()
    area.set_sync_scroll(False)
    state = area.save_state()
    assert [p["document"] for p in state["panes"]] == [linked["left"], linked["right"], ""]
    assert state["panes"][0]["offset"] == linked["left_text"].index("P40.")

    other = PaneArea(project)
    qtbot.addWidget(other)
    other.resize(1200, 700)
    other.show()
    qtbot.waitExposed(other)
    other.restore_state(state)
    assert other.documents() == area.documents()
    assert other.pane(0).view.top_offset() == state["panes"][0]["offset"]
    assert other.pane(1).view.top_offset() == state["panes"][1]["offset"]
    assert other.save_state()["panes"] == state["panes"]
    # A document gone from the project leaves its pane empty.
    state["panes"][1]["document"] = "no-such-document"
    other.restore_state(state)
    assert other.documents() == [linked["left"], "", ""]


def test_find_in_current_opens_find_bar(area, add_text):
    doc = add_text("Some text to search.")
    area.open_document(doc, 1)
    area.find_in_current()
    assert area.current_pane() == 1
    assert area.pane(1).find_bar.isVisible()


def test_gutter_hover_marks_connector(qtbot, area, linked):
    gutter = area.gutter(0)
    (connector,) = gutter.connectors()
    middle = connector.path.pointAtPercent(0.5).toPoint()
    qtbot.mouseMove(gutter, middle)
    assert gutter._hover == linked["link"]
    assert gutter.cursor().shape() == Qt.CursorShape.PointingHandCursor


CONTRACT_METHODS = (
    "pane_count", "add_pane", "remove_pane", "open_document", "documents", "current_pane",
    "selected_claims", "select_claim", "show_span", "apply_changes", "reload_labels",
    "set_sync_scroll", "find_in_current", "save_state", "restore_state",
)  # fmt: skip
CONTRACT_SIGNALS = (
    "claimSelected", "createClaimRequested", "linkSelected", "paneDocumentChanged",
    "contextAction",
)  # fmt: skip


def test_contract_api_is_complete(area):
    for name in CONTRACT_METHODS:
        assert callable(getattr(area, name)), name
    for signal in CONTRACT_SIGNALS:
        assert hasattr(area, signal), signal
    assert area.pane_count() == 2


def test_big_document_opens_in_the_background(qtbot, area, add_text, claim):
    from PySide6.QtCore import QTimer

    from annotator.ui.reader.loading import BACKGROUND_CHARS

    big_text = long_text(BACKGROUND_CHARS // 300 + 100, marker="BIG claim here.")
    assert len(big_text) > BACKGROUND_CHARS
    big = add_text(big_text, title="Big")
    cid = claim(big, big_text, "BIG claim")
    small = add_text("A small document.", title="Small")
    area.apply_changes(area.project.update_document(big, title="Big"))  # fresh summaries
    seen = []
    area.paneDocumentChanged.connect(lambda i, d: seen.append((i, d)))
    assert area.open_document(big, 0) == 0
    assert not area.loading_done()  # prepared on the task runner, the window goes on
    area.select_claim(cid)  # asked for meanwhile: selected once the document shows
    qtbot.waitUntil(area.loading_done, timeout=10_000)
    view = area.pane(0).view
    assert view.current_claim == cid
    assert view.document_id == big
    assert cid in view.claims
    assert view.toPlainText() == big_text
    assert seen == [(0, big)]
    # A later request made while the big one is still loading wins.
    other = add_text("Another small one.", title="Other")
    area.apply_changes(area.project.update_document(other, title="Other"))
    area.open_document(small, 0)
    QTimer.singleShot(0, lambda: area.open_document(other, 0))
    area.open_document(big, 0)
    # The later request wins, whether its timer fired while the big one loaded or after.
    qtbot.waitUntil(lambda: area.documents()[0] == other, timeout=5000)
    assert area.pane(0).stack.currentWidget() is area.pane(0).view


@pytest.mark.parametrize("threshold", [0, 10_000], ids=["from-the-span-index", "from-claims"])
def test_changed_claims_reach_the_view_either_way(
    area, add_text, project, labels, monkeypatch, threshold
):
    """A big batch (more than SPANS_ABOVE claims, given without the claims) is shown from the
    document's span index; a small one from the changed claims. Both give the same view."""
    from annotator.ui.reader import area as area_module

    monkeypatch.setattr(area_module, "SPANS_ABOVE", threshold)
    text = long_text(12)
    doc = add_text(text, title="Shown")
    other_text = long_text(3)
    other = add_text(other_text, title="Not shown")
    area.open_document(doc, 0)
    view = area.pane(0).view
    start = text.index("P3.")
    made = project.create_claim(doc, start, start + 3, labels["disputed"])
    elsewhere = project.create_claim(other, 0, 3, labels["sourced"])
    claim_id, other_id = made.created_id, elsewhere.created_id
    area.apply_changes(made)
    area.apply_changes(elsewhere)
    assert view.claims.get(claim_id) == (claim_id, start, start + 3, labels["disputed"])
    assert other_id not in view.claims
    area.apply_changes(project.update_claim(claim_id, label_id=labels["sourced"]))
    assert view.claims.get(claim_id) == (claim_id, start, start + 3, labels["sourced"])
    area.apply_changes(project.delete_claim(claim_id))
    assert claim_id not in view.claims
