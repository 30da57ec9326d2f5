"""Selecting text with the mouse: presses in a line's leading, whole words, Alt+drag exact,
the selection after a claim is marked."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from reader_helpers import long_text

TEXT = long_text(6)


def line_gap(view, block_number: int = 2):
    """(y in the middle of the leading between a paragraph's first two lines, the two lines,
    the block's top): the space where a press used to hit nothing."""
    for block, top in view.prepare_visible():
        if block.blockNumber() != block_number:
            continue
        layout = block.layout()
        assert layout.lineCount() >= 2
        first, second = layout.lineAt(0), layout.lineAt(1)
        bottom = top + first.y() + first.height()
        upper = top + second.y()
        assert upper - bottom > 4, "the reader's lines are spaced"
        return (bottom + upper) / 2, first, second, block, top
    raise AssertionError("block not visible")


def drag(qtbot, view, start: QPoint, end: QPoint, modifier=Qt.KeyboardModifier.NoModifier):
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, modifier, start)
    steps = 6
    for i in range(1, steps + 1):
        p = start + (end - start) * i / steps
        QTest.mouseMove(vp, QPoint(int(p.x()), int(p.y())))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, modifier, end)


def opened(area, add_text, text=TEXT):
    doc = add_text(text, title="Selection")
    area.open_document(doc, 0)
    view = area.pane(0).view
    view.scroll_to_offset(0)
    return view


def test_drag_through_the_leading_between_two_lines_selects(qtbot, area, add_text):
    view = opened(area, add_text)
    y, first, second, block, _top = line_gap(view)
    x0 = second.x() + 5
    x1 = second.x() + second.naturalTextWidth() * 0.6
    drag(qtbot, view, QPoint(int(x0), int(y)), QPoint(int(x1), int(y)))
    cursor = view.textCursor()
    assert cursor.hasSelection(), "a drag through the leading selects text"
    selected = cursor.selectedText()
    # The gap's middle belongs to one of the two lines around it: the selection is on it.
    line_texts = [
        block.text()[ln.textStart() : ln.textStart() + ln.textLength()] for ln in (first, second)
    ]
    assert any(selected.strip() in t for t in line_texts)
    assert len(selected.split()) >= 3


def test_press_in_the_leading_above_a_line_hits_that_line(qtbot, area, add_text):
    view = opened(area, add_text)
    _y, first, second, block, top = line_gap(view)
    # A quarter of the gap above the second line: closer to it than to the first.
    gap_top = top + first.y() + first.height()
    y = top + second.y() - (top + second.y() - gap_top) / 4
    x = second.x() + second.naturalTextWidth() / 2
    QTest.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(int(x), int(y)),
    )
    pos = view.textCursor().position() - block.position()
    assert second.textStart() < pos < second.textStart() + second.textLength()


def char_rect(view, offset: int):
    """The viewport rectangle of the character at a code-point offset."""
    view.ensure_offset_visible(offset)
    view.prepare_visible()
    rects = view.range_rects(view.to_qt(offset), view.to_qt(offset + 1))
    assert rects, "the character is not visible"
    return rects[0]


def on_char(view, offset: int) -> QPoint:
    return char_rect(view, offset).center().toPoint()


def before_char(view, offset: int) -> QPoint:
    r = char_rect(view, offset)
    return QPoint(int(r.left() + 1), int(r.center().y()))


def selected(view) -> str:
    cursor = view.textCursor()
    return view.text[view.from_qt(cursor.selectionStart()) : view.from_qt(cursor.selectionEnd())]


SENTENCE = 'The crew of Velmoran shipowner Thalewick Lines, "a harbour fleet", said so.'


def test_drag_from_mid_word_selects_whole_words(qtbot, area, add_text):
    view = opened(area, add_text, SENTENCE + "\n\nEnd.")
    view.snap_words = None  # as the settings say: snapping by default
    a = SENTENCE.index("crew") + 1
    b = SENTENCE.index("Lines") + 3
    drag(qtbot, view, on_char(view, a), on_char(view, b))
    assert selected(view) == "crew of Velmoran shipowner Thalewick Lines"
    # Backwards, from the middle of "Lines" to the middle of "crew": the same words.
    drag(qtbot, view, on_char(view, b), on_char(view, a))
    assert selected(view) == "crew of Velmoran shipowner Thalewick Lines"


def test_punctuation_is_included_only_when_the_drag_ends_on_it(qtbot, area, add_text):
    view = opened(area, add_text, SENTENCE + "\n\nEnd.")
    a = SENTENCE.index("harbour") + 2
    drag(qtbot, view, on_char(view, a), on_char(view, SENTENCE.index("fleet") + 2))
    assert selected(view) == "harbour fleet"
    quote = SENTENCE.index('"a')
    drag(qtbot, view, on_char(view, quote), on_char(view, SENTENCE.index('",')))
    assert selected(view) == '"a harbour fleet"'


def test_alt_drag_selects_exact_characters(qtbot, area, add_text):
    view = opened(area, add_text, SENTENCE + "\n\nEnd.")
    a = SENTENCE.index("rew")
    b = SENTENCE.index("Lines") + 4
    drag(qtbot, view, before_char(view, a), before_char(view, b), Qt.KeyboardModifier.AltModifier)
    assert selected(view) == "rew of Velmoran shipowner Thalewick Line"


def test_setting_turns_snapping_off(qtbot, area, add_text):
    from annotator.ui.settings import Settings

    view = opened(area, add_text, SENTENCE + "\n\nEnd.")
    Settings().set_snap_selection_to_words(False)
    try:
        assert not view.snapping()
        a, b = SENTENCE.index("rew"), SENTENCE.index("Lines") + 4
        drag(qtbot, view, before_char(view, a), before_char(view, b))
        assert selected(view) == "rew of Velmoran shipowner Thalewick Line"
    finally:
        Settings().set_snap_selection_to_words(True)
    assert view.snapping()


MIXED = (
    "Cafe\u0301 \U0001f600 \u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd \U0001f389 "
    "\U0001d518\U0001d52b\U0001d526 \u2014 the quick brown fox jumped.\n\nEnd."
)


def test_snapped_drag_with_emoji_accents_and_rtl_requests_code_points(
    qtbot, area, add_text, labels
):
    view = opened(area, add_text, MIXED)
    a = MIXED.index("\U0001d52b")  # inside an astral-plane word
    b = MIXED.index("brown") + 2
    drag(qtbot, view, on_char(view, a), on_char(view, b))
    assert selected(view) == "\U0001d518\U0001d52b\U0001d526 \u2014 the quick brown"
    with qtbot.waitSignal(area.createClaimRequested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_2)
    _doc, s, e, _label = blocker.args
    assert MIXED[s:e] == "\U0001d518\U0001d52b\U0001d526 \u2014 the quick brown"
    # A word with a combining accent, pressed on its last letter, dragged to the emoji.
    drag(qtbot, view, on_char(view, 3), on_char(view, MIXED.index("\U0001f600")))
    assert selected(view) == "Cafe\u0301 \U0001f600"
    # Right-to-left words: from inside the first Hebrew word to inside the second, both whole.
    # (Inner letters: at the ends of a right-to-left run `range_rects` is approximate.)
    w = MIXED.index("\u05e9\u05dc\u05d5\u05dd")
    drag(qtbot, view, on_char(view, w + 1), on_char(view, w + 6))
    assert selected(view) == "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd"


def test_marking_clears_the_selection_and_selects_the_new_claim(
    qtbot, area, project, add_text, labels
):
    view = opened(area, add_text, SENTENCE + "\n\nEnd.")
    # The shell's part, as the window does it: save the claim, pass the change to the area.
    made: list[str] = []

    def save(doc_id: str, start: int, end: int, label_id: str) -> None:
        changes = project.create_claim(doc_id, start, end, label_id)
        made.append(changes.created_id)
        area.apply_changes(changes)

    area.createClaimRequested.connect(save)
    seen: list[str] = []
    area.claimSelected.connect(seen.append)
    a, b = SENTENCE.index("Thalewick") + 2, SENTENCE.index("Lines") + 1
    drag(qtbot, view, on_char(view, a), on_char(view, b))
    assert selected(view) == "Thalewick Lines"
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert len(made) == 1
    assert not view.textCursor().hasSelection(), "the label colour shows, not the selection"
    assert view.current_claim == made[0]
    assert area.selected_claims() == [(0, made[0])]
    assert seen == [made[0]]
    claim = project.annotation(made[0])
    assert (claim.start, claim.end) == (SENTENCE.index("Thalewick"), SENTENCE.index(","))
    # A claim made elsewhere (another window, the CLI) selects nothing here.
    start = SENTENCE.index("harbour")
    area.apply_changes(project.create_claim(view.document_id, start, start + 7, labels["sourced"]))
    assert view.current_claim == made[0]


def test_double_click_selects_a_word_and_a_third_click_the_paragraph(qtbot, area, add_text):
    text = SENTENCE + "\n\nEnd."
    view = opened(area, add_text, text)
    point = on_char(view, SENTENCE.index("shipowner") + 3)
    vp = view.viewport()
    QTest.mouseDClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert selected(view) == "shipowner"
    QTest.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert selected(view) == SENTENCE


def test_a_small_jitter_is_a_click_not_a_selection(qtbot, area, add_text, claim):
    text = SENTENCE + "\n\nEnd."
    doc = add_text(text)
    cid = claim(doc, text, "Thalewick Lines")
    area.open_document(doc, 0)
    view = area.pane(0).view
    start = on_char(view, text.index("Thalewick") + 8)
    drag(qtbot, view, start, start + QPoint(2, 0))
    assert not view.textCursor().hasSelection()
    assert view.current_claim == cid


def test_shift_click_extends_the_selection(qtbot, area, add_text):
    view = opened(area, add_text, SENTENCE + "\n\nEnd.")
    a = SENTENCE.index("crew") + 1
    drag(qtbot, view, on_char(view, a), on_char(view, SENTENCE.index("Velmoran") + 2))
    assert selected(view) == "crew of Velmoran"
    QTest.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ShiftModifier,
        on_char(view, SENTENCE.index("Thalewick") + 2),
    )
    assert selected(view) == "crew of Velmoran shipowner Thalewick"


def test_drag_below_the_view_scrolls_and_keeps_selecting(qtbot, area, add_text):
    view = opened(area, add_text, long_text(60))
    vp = view.viewport()
    start = on_char(view, 10)
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(vp, QPoint(start.x() + 40, vp.height() // 2))
    below = QPoint(start.x() + 40, vp.height() + 30)
    QTest.mouseMove(vp, below)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() >= 5, timeout=5000)
    QTest.mouseMove(vp, below)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, below)
    cursor = view.textCursor()
    assert cursor.selectionStart() <= view.to_qt(10)
    assert view.from_qt(cursor.selectionEnd()) > view.visible_range()[0]
    assert not view._autoscroll.isActive()


def test_a_click_in_the_leading_selects_the_claim_of_the_nearer_line(
    qtbot, area, project, add_text, labels
):
    view = opened(area, add_text)
    _y, first, second, block, top = line_gap(view)
    start = view.from_qt(block.position() + second.textStart())
    area.apply_changes(project.create_claim(view.document_id, start, start + 12, labels["sourced"]))
    [cid] = list(view.claims.claims)
    seen: list[str] = []
    area.claimSelected.connect(seen.append)
    # A quarter of the gap above the second line: nearer to it, so its claim is clicked.
    gap_top = top + first.y() + first.height()
    y = top + second.y() - (top + second.y() - gap_top) / 4
    x = second.x() + 10
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y)))
    assert seen == [cid]
    # A quarter of the gap below the first line: nearer to the first line, no claim there.
    y = gap_top + (top + second.y() - gap_top) / 4
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y)))
    assert seen == [cid, ""]


def test_rectangles_of_right_to_left_text_follow_the_glyphs(qtbot, area, add_text):
    view = opened(area, add_text, MIXED)
    w = MIXED.index("\u05e9\u05dc\u05d5\u05dd")
    rects = [char_rect(view, w + k) for k in range(9)]  # two Hebrew words and the space
    for r in rects:
        assert 0 < r.width() < 20, r  # one letter, not a whole run
    lefts = [r.left() for r in rects]
    assert lefts == sorted(lefts, reverse=True), "right to left"
    # A claim over both words is outlined by one piece covering exactly them.
    view.prepare_visible()
    [piece] = view.range_rects(view.to_qt(w), view.to_qt(w + 9))
    assert piece.left() == min(r.left() for r in rects)
    assert piece.right() == max(r.right() for r in rects)
    # The drag from the first letter to the last of a word, ends of the run included.
    drag(qtbot, view, on_char(view, w), on_char(view, w + 3))
    assert selected(view) == "\u05e9\u05dc\u05d5\u05dd"
