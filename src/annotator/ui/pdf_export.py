"""Print report HTML to PDF with Qt's own writer (QTextDocument + QPdfWriter), no browser.

The printer of annotator.exporters.pdf: the export dialog and `annotator export` register
`html_to_pdf` there (only annotator.ui imports Qt; the core never imports the UI). Works in
the running app and headless: without a Qt application it creates a QApplication on the
offscreen platform. Qt's rich text and painting on a PDF writer are
reentrant, so the app prints in a worker QThread (a QThread, not a plain Python thread: Qt's
text layout starts timers, which need the thread's event dispatcher).

Qt lays a document out in time that grows with the square of its top-level tables (a report of
6,000 claims, each its own table, took 25 s to parse and lay out). So the HTML may mark where it
can be cut (FLOW_BREAK, between top-level elements); the pieces are laid out as separate
documents of about CHUNK_CHARS each and printed one after the other on the same pages, every
piece starting where the one before it ended (a blank frame of that height at its top), so the
pages read as one document.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QFont, QPdfWriter, QTextDocument

PAGE_MARGIN_MM = 15
FOOTER_MM = 9
BASE_FONT_PT = 9.5
RESOLUTION = 300
FLOW_BREAK = "<!--flow-->"
"""A place in the body (between top-level elements) where the document may be cut."""
CHUNK_CHARS = 30_000
"""Characters of HTML per separately laid-out piece. From 30,000 to 300,000 the time stays
linear; small pieces also keep each call into Qt short (about 30 ms), and PySide holds the GIL
through a call, so a window printing a PDF in a worker thread keeps turning (measured: longest
pause 90-140 ms at 30,000, 190 ms at 100,000, seconds for one document)."""

_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


def _ensure_app() -> None:
    """A Qt application must exist to lay text out. Reuse the running one; else create a
    QApplication (not a QGuiApplication: a later QWidget, e.g. in the same test session,
    needs the widgets kind) on the offscreen platform, which needs no display."""
    from PySide6.QtWidgets import QApplication

    global _APP
    if QApplication.instance() is None:
        _APP = QApplication([sys.argv[0] if sys.argv else "annotator", "-platform", "offscreen"])


_APP = None
"""The application this module created, kept for the life of the process."""


def split_html(html: str, limit: int | None = None) -> list[str]:
    """`html` cut at its FLOW_BREAKs into whole documents of about `limit` (CHUNK_CHARS)
    characters of body each, every one with the original head and body tag. Without breaks:
    `[html]`."""
    limit = CHUNK_CHARS if limit is None else limit
    start = _BODY.search(html)
    end = html.rfind("</body>")
    if FLOW_BREAK not in html or start is None or end < start.end():
        return [html]
    head, body, tail = html[: start.end()], html[start.end() : end], html[end:]
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in body.split(FLOW_BREAK):
        if current and size + len(piece) > limit:
            chunks.append(head + "".join(current) + tail)
            current, size = [], 0
        current.append(piece)
        size += len(piece)
    chunks.append(head + "".join(current) + tail)
    return chunks


def html_to_pdf(html: str, title: str = "") -> bytes:
    """An A4 PDF of `html` (Qt's rich-text subset) with a footer (title, page N of M)."""
    _ensure_app()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(
        QMarginsF(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("Annotator")
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(BASE_FONT_PT)
    footer = RESOLUTION * FOOTER_MM / 25.4
    body = float(writer.height()) - footer
    pages = _lay_out(split_html(html), writer, font, body)
    _print(pages, writer, font, body, footer, title)
    buffer.close()
    return bytes(data.data())


def _document(html: str, writer: QPdfWriter, font: QFont) -> QTextDocument:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    # Measure text on the writer: point sizes and Qt's px lengths scale to its resolution.
    document.documentLayout().setPaintDevice(writer)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(html)
    return document


def _spacer(document: QTextDocument, height: float) -> None:
    """A blank frame of `height` at the top of `document`, after an empty line of its own (Qt
    keeps a line before a frame) and before all of the document's own content."""
    from PySide6.QtGui import QTextCursor, QTextFrameFormat

    shape = QTextFrameFormat()
    shape.setHeight(height)
    shape.setMargin(0)
    shape.setPadding(0)
    shape.setBorder(0)
    cursor = QTextCursor(document)
    cursor.insertBlock()
    cursor.insertFrame(shape)


def _spacer_room(html: str, writer: QPdfWriter, font: QFont, size: QSizeF) -> float:
    """How much room the lines around a spacer frame take in a document with `html`'s head
    and body tag: the empty line Qt keeps before a frame at the top, and the one after it."""
    start = _BODY.search(html)
    probe = _document(html[: start.end()] if start else "", writer, font)
    _spacer(probe, size.height() / 2)
    probe.setPageSize(size)
    layout = probe.documentLayout()
    frame = layout.frameBoundingRect(probe.rootFrame().childFrames()[0])
    after = layout.blockBoundingRect(probe.lastBlock())
    return float(frame.top() + after.height())


def _content_end(document: QTextDocument) -> float:
    """Where the document's content ends: the bottom of its last top-level table, or the top of
    the empty block Qt keeps after all content, whichever is lower."""
    layout = document.documentLayout()
    end = layout.blockBoundingRect(document.lastBlock()).top()
    frames = document.rootFrame().childFrames()
    if frames:
        end = max(end, layout.frameBoundingRect(frames[-1]).bottom())
    return float(end)


def _lay_out(
    chunks: list[str], writer: QPdfWriter, font: QFont, body: float
) -> list[list[tuple[QTextDocument, int]]]:
    """For each printed page, the (document, page of that document) to draw on it."""
    from PySide6.QtCore import QSizeF

    size = QSizeF(float(writer.width()), body)
    pages: list[list[tuple[QTextDocument, int]]] = [[]]
    used = 0.0  # height taken on the last page
    lead: float | None = None  # the room the empty lines around a spacer take
    for html in chunks:
        document = _document(html, writer, font)
        if used > 0:
            if lead is None:
                lead = _spacer_room(html, writer, font, size)
            _spacer(document, max(1.0, used - lead))
        document.setPageSize(size)
        count = document.pageCount()
        for k in range(count):
            if k:
                pages.append([])
            pages[-1].append((document, k))
        end = _content_end(document)
        used = max(0.0, end - (count - 1) * body)
        if used >= body:
            pages.append([])
            used = 0.0
    if not pages[-1] and len(pages) > 1:
        pages.pop()
    return pages


def _print(
    pages: list[list[tuple[QTextDocument, int]]],
    writer: QPdfWriter,
    font: QFont,
    body: float,
    footer: float,
    title: str,
) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QPainter, QPen

    width = float(writer.width())
    small = QFont(font)
    small.setPointSizeF(7.5)
    painter = QPainter(writer)
    try:
        for number, parts in enumerate(pages):
            if number:
                writer.newPage()
            for document, k in parts:
                painter.save()
                painter.translate(0, -k * body)
                document.drawContents(painter, QRectF(0, k * body, width, body))
                painter.restore()
            painter.setPen(QPen(QColor("#d8dee6"), RESOLUTION / 150))
            line_y = body + footer * 0.35
            painter.drawLine(0, int(line_y), int(width), int(line_y))
            painter.setPen(QColor("#5f6b7a"))
            painter.setFont(small)
            text_box = QRectF(0, line_y, width, footer - footer * 0.35)
            painter.drawText(
                text_box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title
            )
            painter.drawText(
                text_box,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"Page {number + 1} of {len(pages)}",
            )
    finally:
        painter.end()
