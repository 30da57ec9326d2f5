"""A selected search result keeps its secondary lines readable: the claim's paragraph is drawn
in the selection's text colour on the selection, not in a fixed grey that vanishes on it."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from annotator.ui.search_model import SnippetDelegate


def _search(qtbot, opened, query: str):  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    opened.window_actions.search.trigger()
    panel.query.clear()
    panel.query.setFocus()
    qtbot.keyClicks(panel.query, query)
    qtbot.waitUntil(
        lambda: panel.results is not None and panel.results.query == query, timeout=5000
    )
    return panel


def _render(view, delegate: SnippetDelegate, index, width: int, selected: bool) -> QImage:  # type: ignore[no-untyped-def]
    opt = QStyleOptionViewItem()
    opt.widget = view
    opt.palette = view.palette()
    opt.font = view.font()
    opt.fontMetrics = view.fontMetrics()
    opt.state = QStyle.StateFlag.State_Enabled | (
        QStyle.StateFlag.State_Selected if selected else QStyle.StateFlag.State_None
    )
    opt.rect = QRect(0, 0, width, 400)
    height = delegate.sizeHint(opt, index).height()
    opt.rect = QRect(0, 0, width, height)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(view.palette().color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    delegate.paint(painter, opt, index)
    painter.end()
    return image


def test_the_location_line_stays_readable_on_a_selected_card(qtbot, opened, study) -> None:  # type: ignore[no-untyped-def]
    panel = _search(qtbot, opened, "dockers")
    view = panel.view
    delegate = view.itemDelegate()
    assert isinstance(delegate, SnippetDelegate)
    index = panel.model.index(0, 0)
    hit = panel.model.hit(0)
    assert hit is not None and hit.location is not None
    width = 320
    # Where the location line is: the last line of the card's text.
    doc = delegate._document(index, width - 2 * delegate.PAD, view.font())
    doc.size()  # lays the document out
    block = doc.lastBlock()
    layout = block.layout()
    assert layout is not None and layout.lineCount() > 0
    line = layout.lineAt(layout.lineCount() - 1)
    line_top, line_height = layout.position().y() + line.y(), line.height()
    top = delegate.PAD + view.fontMetrics().height() + 4 + int(line_top)
    band = range(top + 2, top + int(line_height) - 2)

    selected_text = view.palette().color(QPalette.ColorRole.HighlightedText)
    image = _render(view, delegate, index, width, selected=True)

    def close_to(color: QColor, target: QColor) -> bool:
        return (
            abs(color.red() - target.red())
            + abs(color.green() - target.green())
            + abs(color.blue() - target.blue())
            < 60
        )

    text_pixels = sum(
        close_to(image.pixelColor(x, y), selected_text)
        for y in band
        for x in range(delegate.PAD, width // 2)
    )
    assert text_pixels > 20, "the paragraph is not drawn in the selection's text colour"
