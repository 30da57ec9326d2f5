"""One reader pane: label keys, highlights, clicks, tooltips, menus, find, pages, scrolling."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from reader_helpers import long_text, point_of, select_qt, utf16

from annotator.ui import theme
from annotator.ui.reader.view import VISIBLE

EMOJI_TEXT = (
    "😀 Emoji 🎉 first: the harbour 🚢 was closed. Then the quick brown fox jumped.\n\nEnd."
)


def formats_of(view, offset: int) -> list[tuple[int, int, QColor]]:
    view.prepare_visible()
    block = view.block_at(offset)
    return view.highlighter.layout_formats(block)


MIXED_TEXT = "Cafe\u0301 😀 שלום עולם 🎉 𝔘𝔫𝔦 — the quick brown fox jumped.\n\nEnd."


@pytest.mark.parametrize("text", [EMOJI_TEXT, MIXED_TEXT], ids=["emoji", "accents-rtl-astral"])
def test_label_key_on_selection_requests_claim_in_code_points(qtbot, area, add_text, labels, text):
    doc = add_text(text, title="Emoji")
    area.open_document(doc, 0)
    view = area.pane(0).view
    quote = "quick brown fox"
    start = text.index(quote)
    # Select with Qt positions, one space either side (trimmed before the request).
    select_qt(view, utf16(text, start - 1), utf16(text, start + len(quote) + 1))
    view.setFocus()
    with qtbot.waitSignal(area.createClaimRequested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_2)
    doc_id, s, e, label_id = blocker.args
    assert (doc_id, label_id) == (doc, labels["disputed"])
    assert text[s:e] == quote
    assert (s, e) == (start, start + len(quote))


def test_label_key_without_selection_does_nothing(qtbot, area, add_text):
    doc = add_text(EMOJI_TEXT)
    area.open_document(doc, 0)
    view = area.pane(0).view
    with qtbot.assertNotEmitted(area.createClaimRequested):
        qtbot.keyClick(view, Qt.Key.Key_1)
    assert view.toPlainText() == EMOJI_TEXT


def test_created_claim_is_highlighted_in_its_label_colour(area, project, add_text, labels):
    doc = add_text(EMOJI_TEXT)
    area.open_document(doc, 0)
    view = area.pane(0).view
    start = EMOJI_TEXT.index("harbour")
    changes = project.create_claim(doc, start, start + len("harbour"), labels["polemical"])
    area.apply_changes(changes)
    formats = formats_of(view, start)
    block_pos = view.block_at(start).position()
    expected = theme.claim_background([project.label("polemical").color], view.palette())
    assert (utf16(EMOJI_TEXT, start) - block_pos, len("harbour"), expected) in [
        (s, n, c) for s, n, c in formats
    ]
    assert area.pane(0).details.text().endswith("1 claim")
    # Deleting it removes the formats of its block.
    area.apply_changes(project.delete_claim(changes.created_id))
    assert formats_of(view, start) == []


def test_label_colour_change_recolours(area, project, add_text, labels, claim):
    doc = add_text(EMOJI_TEXT)
    claim(doc, EMOJI_TEXT, "harbour", "sourced")
    area.open_document(doc, 0)
    view = area.pane(0).view
    area.apply_changes(project.update_label(labels["sourced"], color="#1565c0"))
    ((_, _, color),) = formats_of(view, EMOJI_TEXT.index("harbour"))
    assert color == theme.claim_background(["#1565c0"], view.palette())


def test_click_selects_claim_and_repeated_clicks_cycle_outwards(qtbot, area, add_text, claim):
    text = "Alpha. The delegates met in March of that year. Omega."
    doc = add_text(text)
    outer = claim(doc, text, "The delegates met in March of that year", "sourced")
    inner = claim(doc, text, "met in March", "disputed")
    area.open_document(doc, 0)
    view = area.pane(0).view
    point = point_of(view, text.index("March") + 1)
    seen = []
    area.claimSelected.connect(seen.append)
    for _ in range(3):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert seen == [inner, outer, inner]
    assert area.selected_claims() == [(0, inner)]
    # Outside any claim: selection cleared.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, 2))
    assert seen[-1] == ""
    assert area.selected_claims() == []


def test_nested_claim_is_underlined(area, add_text, claim):
    text = "Alpha. The delegates met in March of that year. Omega."
    doc = add_text(text)
    claim(doc, text, "The delegates met in March of that year", "sourced")
    claim(doc, text, "met in March", "disputed")
    area.open_document(doc, 0)
    view = area.pane(0).view
    view.prepare_visible()
    ranges = view.block_at(0).layout().formats()
    underlined = [r for r in ranges if r.format.fontUnderline() or r.format.underlineStyle().value]
    assert len(ranges) == 3
    assert [(r.start, r.length) for r in underlined] == [
        (text.index("met in"), len("met in March"))
    ]


def test_tooltip_names_label_and_note(area, add_text, claim):
    text = "Alpha. The delegates met in March. Omega."
    doc = add_text(text)
    claim(doc, text, "met in March", "polemical", note="Nobody saw them " + "x" * 300)
    area.open_document(doc, 0)
    view = area.pane(0).view
    tip = view.tooltip_at(point_of(view, text.index("March")))
    assert "polemical" in tip
    assert "Nobody saw them" in tip
    assert "x" * 170 in tip and "x" * 210 not in tip  # the note is cut at 200 characters
    assert view.tooltip_at(point_of(view, 1)) == ""


def test_context_menu_actions(qtbot, area, add_text, claim, labels):
    text = "Alpha. The delegates met in March. Omega."
    doc = add_text(text)
    cid = claim(doc, text, "met in March", "polemical")
    area.open_document(doc, 0)
    view = area.pane(0).view
    menu = view.build_context_menu(point_of(view, text.index("March")))
    texts = [a.text() for a in menu.actions()]
    assert "Link…\tL" in texts and "Delete claim\tDel" in texts
    assert not any(t.startswith("Mark as") for t in texts)  # no selection
    delete = next(a for a in menu.actions() if a.text().startswith("Delete"))
    with qtbot.waitSignal(area.contextAction) as blocker:
        delete.trigger()
    assert blocker.args == ["delete", cid]
    change = next(a for a in menu.actions() if a.menu() is not None).menu()
    sourced = next(a for a in change.actions() if a.text().startswith("sourced"))
    with qtbot.waitSignal(area.contextAction) as blocker:
        sourced.trigger()
    assert blocker.args == [f"label:{labels['sourced']}", cid]
    # With a selection: one "Mark as" per label.
    select_qt(view, 0, 5)
    menu = view.build_context_menu(point_of(view, 1))
    marks = [a for a in menu.actions() if a.text().startswith("Mark as")]
    assert [a.text() for a in marks][:3] == [
        "Mark as sourced\t1",
        "Mark as disputed\t2",
        "Mark as polemical\t3",
    ]
    with qtbot.waitSignal(area.createClaimRequested) as blocker:
        marks[2].trigger()
    assert blocker.args == [doc, 0, 5, labels["polemical"]]


def test_find_bar_counts_and_steps(qtbot, area, add_text):
    text = "Alpha beta. 😀 alpha gamma.\n\nALPHA delta alphabet."
    doc = add_text(text)
    area.open_document(doc, 0)
    pane = area.pane(0)
    view = pane.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pane.find_bar.isVisible()
    qtbot.keyClicks(pane.find_bar.edit, "alpha")
    assert pane.find_bar.count_text() == "1 of 4"
    assert len(view.extraSelections()) == 4

    def selected() -> tuple[int, int]:
        c = view.textCursor()
        return view.from_qt(c.selectionStart()), view.from_qt(c.selectionEnd())

    assert selected() == (0, 5)
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Return)
    assert pane.find_bar.count_text() == "2 of 4"
    assert text[slice(*selected())] == "alpha"
    assert selected()[0] == text.index("alpha")
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert pane.find_bar.count_text() == "1 of 4"
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert pane.find_bar.count_text() == "4 of 4"
    pane.find_bar.case.setChecked(True)
    assert pane.find_bar.count_text().endswith("of 2")
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()
    assert view.extraSelections() == []


def test_page_markers_and_margin(area, project):
    text = long_text(12)
    second = text.index("P3.")
    from annotator.importers.base import ImportedText

    changes = project.add_document(
        ImportedText(text=text, format="pdf", title="Paged", pages=(0, second)), b"paged", "p.pdf"
    )
    area.open_document(changes.created_id, 1)
    view = area.pane(1).view
    assert view.pages == [0, second]
    assert view.viewportMargins().left() >= 40
    view.scroll_to_offset(0)
    assert [n for n, _ in view.visible_pages()][:1] == [1]
    view.center_on(second)
    pages = dict(view.visible_pages())
    assert 2 in pages
    assert 0 < pages[2] < view.viewport().height()
    area.grab()  # paints the dashed rule and the labels without errors


def test_line_spacing_and_end_of_text_reachable(qtbot, area, add_text):
    text = long_text(80) + "\n\nTHE LAST LINE."
    doc = add_text(text)
    area.open_document(doc, 0)
    view = area.pane(0).view
    area.grab()
    block = view.document().firstBlock()
    layout = block.layout()
    assert layout.lineCount() > 1
    step = layout.lineAt(1).y() - layout.lineAt(0).y()
    assert step >= layout.lineAt(0).height() * (theme.LINE_SPACING - 0.05)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    area.grab()
    _, where = view.position_y(view.to_qt(len(text) - 2))
    assert where == VISIBLE


def test_select_claim_opens_document_and_scrolls(area, add_text, claim):
    text = long_text(60, marker="The DEEP claim is here.")
    doc = add_text(text)
    cid = claim(doc, text, "DEEP claim")
    area.select_claim(cid)
    assert area.documents()[0] == doc
    view = area.pane(0).view
    assert view.current_claim == cid
    _, where = view.position_y(view.to_qt(text.index("DEEP")))
    assert where == VISIBLE
    assert area.selected_claims() == [(0, cid)]


def test_show_span_selects_passage(area, add_text):
    text = long_text(40, marker="Find THIS passage.")
    doc = add_text(text)
    start = text.index("THIS passage")
    area.show_span(doc, start, start + len("THIS passage"))
    view = area.pane(area.documents().index(doc)).view
    assert view.textCursor().selectedText() == "THIS passage"
    assert view.position_y(view.to_qt(start))[1] == VISIBLE


def test_empty_pane_shows_hint(area):
    pane = area.pane(1)
    assert pane.stack.currentWidget() is pane.hint
    assert "Choose one" in pane.hint.text()
    assert area.documents() == ["", ""]
    view = pane.view
    assert view.tooltip_at(QPoint(10, 10)) == ""


def test_user_label_key_and_label_changes(qtbot, area, project, add_text):
    doc = add_text(EMOJI_TEXT)
    area.open_document(doc, 0)
    changes = project.add_label("hearsay", "#00838f", key="h")
    area.apply_changes(changes)
    view = area.pane(0).view
    start = EMOJI_TEXT.index("harbour")
    select_qt(view, utf16(EMOJI_TEXT, start), utf16(EMOJI_TEXT, start + 7))
    with qtbot.waitSignal(area.createClaimRequested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_H)
    assert blocker.args == [doc, start, start + 7, changes.created_id]


def test_first_grab_paints_highlights_without_event_loop(qtbot, project, add_text, claim):
    """What the shell's --screenshot relies on: open, then grab, nothing in between."""
    from annotator.ui.reader import PaneArea

    text = "Plain words first. " + "HIGHLIGHTED " * 8 + "and plain words after."
    doc = add_text(text)
    claim(doc, text, "HIGHLIGHTED " * 7 + "HIGHLIGHTED", "sourced")
    area = PaneArea(project)
    qtbot.addWidget(area)
    area.resize(900, 500)
    area.open_document(doc, 0)
    image = area.grab().toImage()
    view = area.pane(0).view
    expected = theme.claim_background([project.label("sourced").color], view.palette())
    origin = view.viewport().mapTo(area, QPoint(0, 0))
    start = view.to_qt(text.index("HIGHLIGHTED"))
    rect = view.range_rects(start, start + 80)[0].translated(origin.x(), origin.y())
    colours = {
        image.pixelColor(int(rect.left()) + dx, int(rect.center().y())).name()
        for dx in range(2, int(rect.width()) - 2, 3)
    }
    assert expected.name() in colours


def test_highlighting_is_lazy_for_many_claims(area, project, add_text, labels):
    text = long_text(400)
    doc = add_text(text)
    for s in range(0, len(text) - 20, len(text) // 300):
        project.create_claim(doc, s, s + 12, labels["sourced"])
    area.open_document(doc, 0)
    view = area.pane(0).view
    area.grab()
    formatted = view.highlighter._formatted
    assert 0 < len(formatted) < 40  # only the blocks in view, not the ~300 claims' blocks
    view.scroll_to_offset(len(text) // 2)
    area.grab()
    assert any(line > 200 for line in view.highlighter._formatted)


def test_click_in_a_pane_makes_it_current(qtbot, area, add_text):
    a = add_text("First document.")
    b = add_text("Second document.")
    area.open_document(a, 0)
    area.open_document(b, 1)
    area.open_document(a)  # already shown in pane 0
    assert area.current_pane() == 0
    seen = []
    area.currentPaneChanged.connect(seen.append)
    qtbot.mouseClick(area.pane(1).view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(30, 30))
    assert area.current_pane() == 1
    assert seen == [1]
    assert area.current_document() == b


def test_hover_shows_tooltip(qtbot, area, add_text, claim):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    text = "Alpha. The delegates met in March. Omega."
    doc = add_text(text)
    claim(doc, text, "met in March", "disputed", note="Only one witness says so.")
    area.open_document(doc, 0)
    view = area.pane(0).view
    point = point_of(view, text.index("March"))
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert "Only one witness says so." in QToolTip.text()
    assert "disputed" in QToolTip.text()
    QToolTip.hideText()


def test_f3_and_escape_in_the_view(qtbot, area, add_text):
    doc = add_text("one two one two one")
    area.open_document(doc, 0)
    pane = area.pane(0)
    view = pane.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F3)  # opens the bar
    assert pane.find_bar.isVisible()
    qtbot.keyClicks(pane.find_bar.edit, "one")
    assert pane.find_bar.count_text() == "1 of 3"
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F3)
    assert pane.find_bar.count_text() == "2 of 3"
    qtbot.keyClick(view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert pane.find_bar.count_text() == "1 of 3"
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()


def test_a_highlighted_paragraph_is_spaced_in_the_first_paint(qtbot, project, add_text, claim):
    """Setting a block's highlight drops its lines; the first paint must still show them spaced
    (it showed a claim's paragraph with tight lines until the next paint: on a start-up whose
    first frame stays a moment, the text visibly jumped)."""
    from annotator.ui.reader import PaneArea

    text = "A heading\n\n" + "Plain words first, then " + "HIGHLIGHTED words " * 20 + "end."
    doc = add_text(text)
    claim(doc, text, "HIGHLIGHTED words " * 3 + "HIGHLIGHTED", "sourced")
    area = PaneArea(project)
    qtbot.addWidget(area)
    area.resize(700, 500)
    area.open_document(doc, 0)
    area.grab()  # the first paint
    view = area.pane(0).view
    block = view.block_at(text.index("Plain"))
    layout = block.layout()
    assert layout.lineCount() > 2
    step = layout.lineAt(1).y() - layout.lineAt(0).y()
    assert layout.lineAt(0).y() > 0
    assert step >= layout.lineAt(0).height() * (theme.LINE_SPACING - 0.05)
