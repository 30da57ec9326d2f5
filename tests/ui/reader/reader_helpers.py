"""Helpers shared by the reader tests."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor

PARAGRAPH = (
    "Sources disagree about the meeting. One account says the delegates met in March, "
    "another that they never met at all. The minutes, if they exist, were never published. "
)


def long_text(paragraphs: int = 60, marker: str = "") -> str:
    """Many paragraphs; paragraph i starts with "P<i>." (and `marker` in the middle one)."""
    parts = []
    for i in range(paragraphs):
        body = f"P{i}. " + PARAGRAPH * 2
        if marker and i == paragraphs // 2:
            body += marker
        parts.append(body.strip())
    return "\n\n".join(parts)


def utf16(text: str, offset: int) -> int:
    """Qt's position of a code-point offset, computed independently of the code under test."""
    return len(text[:offset].encode("utf-16-le")) // 2


def select_qt(view, start16: int, end16: int) -> None:
    cursor = QTextCursor(view.document())
    cursor.setPosition(start16)
    cursor.setPosition(end16, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def point_of(view, offset: int) -> QPoint:
    """A viewport point on the character at a code-point offset (scrolls it into view)."""
    view.ensure_offset_visible(offset)
    view.prepare_visible()
    pos = view.to_qt(offset)
    rects = view.range_rects(pos, pos + 1)
    assert rects, "the character is not visible"
    return rects[0].center().toPoint()
