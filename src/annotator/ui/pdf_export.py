"""Print report HTML to PDF with Qt's own writer (QTextDocument + QPdfWriter), no browser.

Used by annotator.exporters.pdf (which loads this module by name: only annotator.ui imports
Qt). Works in the running app and headless: without a Qt application it creates a
QApplication on the offscreen platform.
"""

from __future__ import annotations

import sys

PAGE_MARGIN_MM = 15
FOOTER_MM = 9
BASE_FONT_PT = 9.5
RESOLUTION = 300


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


def html_to_pdf(html: str, title: str = "") -> bytes:
    """An A4 PDF of `html` (Qt's rich-text subset) with a footer (title, page N of M)."""
    _ensure_app()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
    from PySide6.QtGui import (
        QColor,
        QFont,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QPen,
        QTextDocument,
    )

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

    document = QTextDocument()
    # Measure text on the writer: point sizes and Qt's px lengths scale to its resolution.
    document.documentLayout().setPaintDevice(writer)
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(BASE_FONT_PT)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(html)
    width, height = float(writer.width()), float(writer.height())
    footer = RESOLUTION * FOOTER_MM / 25.4
    body = height - footer
    document.setPageSize(QSizeF(width, body))
    pages = document.pageCount()

    small = QFont(font)
    small.setPointSizeF(7.5)
    painter = QPainter(writer)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body)
            document.drawContents(painter, QRectF(0, page * body, width, body))
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
                f"Page {page + 1} of {pages}",
            )
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
