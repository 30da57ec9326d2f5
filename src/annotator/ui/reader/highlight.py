"""Claim highlighting and the source's formatting with QTextLayout formats, one block at a time.

Formats are set on a block's layout only when the block is about to be painted (the view calls
`ensure` for the visible blocks), so opening a document with thousands of claims costs nothing
up-front, and changing one claim only forgets the formats of the blocks it touches. The
source's formatting (emphasis, strong, code, links, headings: `domain.formatting`) is merged into
the same formats, so an italic title keeps its italics under a label's colour.
"""

from __future__ import annotations

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextLayout,
)

from annotator.domain.formatting import FormatKind, TextFormats
from annotator.domain.model import Label
from annotator.domain.text import Utf16Map
from annotator.ui import theme
from annotator.ui.reader.spans import ClaimIndex, ClaimSpan, styled_segments

UNKNOWN_LABEL_COLOR = "#9e9e9e"
HEADING_SCALE = {1: 1.3, 2: 1.15, 3: 1.05}
"""Font size of headings relative to the text (deeper headings are bold at the text's size)."""


class Highlighter:
    """Applies the claims of a `ClaimIndex` as character formats to a document's blocks."""

    def __init__(self, document: QTextDocument) -> None:
        self.document = document
        self.labels: dict[str, Label] = {}
        self.palette = QPalette()
        self._formats: dict[tuple[str, ...], QTextCharFormat] = {}
        self._styled: dict[tuple[tuple[str, ...], frozenset[FormatKind]], QTextCharFormat] = {}
        self.text_formats = TextFormats()
        """The source's formatting of the text shown (set on load)."""
        self._font_size = -1.0
        self._done: dict[int, int] = {}
        """Block (line) number -> generation its formats were computed for."""
        self._formatted: set[int] = set()
        """Blocks that carry formats now (need clearing when their claims go)."""
        self._generation = 0

    # -- state -----------------------------------------------------------------------------

    def reset(self, text_formats: TextFormats | None = None) -> None:
        """A new text was loaded (with its formatting): no block carries formats."""
        self._done.clear()
        self._formatted.clear()
        self.text_formats = text_formats if text_formats is not None else TextFormats()

    def set_labels(self, labels: list[Label], palette: QPalette) -> None:
        self.labels = {label.id: label for label in labels}
        self.palette = QPalette(palette)
        self.recolor()

    def recolor(self) -> None:
        """Colours changed: every block is formatted again when next painted."""
        self._formats.clear()
        self._styled.clear()
        self._generation += 1

    def invalidate(self, blocks: set[int] | range) -> None:
        for block in blocks:
            self._done.pop(block, None)

    def color(self, label_id: str) -> str:
        label = self.labels.get(label_id)
        return label.color if label is not None else UNKNOWN_LABEL_COLOR

    def label_name(self, label_id: str) -> str:
        label = self.labels.get(label_id)
        return label.name if label is not None else "unknown label"

    def label_by_key(self, key: str) -> Label | None:
        for label in self.labels.values():
            if label.key is not None and label.key == key:
                return label
        return None

    def ordered_labels(self) -> list[Label]:
        return sorted(self.labels.values(), key=lambda lab: (lab.position, lab.name))

    # -- formatting ------------------------------------------------------------------------

    def is_current(self, line: int) -> bool:
        return self._done.get(line) == self._generation

    def ensure(self, block: QTextBlock, line: int, claims: ClaimIndex, umap: Utf16Map) -> bool:
        """Set the block's formats if they are out of date; True when the block was relaid
        out (its line positions were reset by Qt)."""
        if len(self.text_formats):
            size = self.document.defaultFont().pointSizeF()
            if size != self._font_size:  # headings are sized from the text's font: again
                self._font_size = size
                self._styled.clear()
                self._generation += 1
        if self._done.get(line) == self._generation:
            return False
        self._done[line] = self._generation
        segments = claims.segments(line)
        styles = []
        if len(self.text_formats):
            lo, hi = claims.lines.block_start(line), claims.lines.block_end(line)
            styles = self.text_formats.overlapping(lo, hi)
        if not segments and not styles and line not in self._formatted:
            return False
        base = block.position()
        ranges: list[QTextLayout.FormatRange] = []
        if styles:
            pieces = [
                (seg.start, seg.end, self.styled_format(seg.claims, seg.kinds))
                for seg in styled_segments(segments, styles, lo, hi)
            ]
        else:
            pieces = [(seg.start, seg.end, self.format_for(seg.claims)) for seg in segments]
        for seg_start, seg_end, fmt in pieces:
            start = umap.to_utf16(seg_start) - base
            end = umap.to_utf16(seg_end) - base
            if end <= start:
                continue
            r = QTextLayout.FormatRange()
            r.start = start
            r.length = end - start
            r.format = fmt
            ranges.append(r)
        block.layout().setFormats(ranges)
        if ranges:
            self._formatted.add(line)
        else:
            self._formatted.discard(line)
        # setFormats drops the block's line layout: have Qt lay the block out again now.
        self.document.markContentsDirty(base, block.length())
        return True

    def format_for(self, claims: tuple[ClaimSpan, ...]) -> QTextCharFormat:
        """Format of text covered by `claims` (outermost first)."""
        key = tuple(c.label_id for c in claims)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            colors = [self.color(label_id) for label_id in key]
            fmt.setBackground(theme.claim_background(colors, self.palette))
            if len(key) > 1:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(theme.strong_color(colors[-1], self.palette))
            self._formats[key] = fmt
        return fmt

    def styled_format(
        self, claims: tuple[ClaimSpan, ...], kinds: frozenset[FormatKind]
    ) -> QTextCharFormat:
        """Format of text covered by `claims` (may be none) in the source's formatting
        `kinds`: the look of the source with the claims' colours over it."""
        key = (tuple(c.label_id for c in claims), kinds)
        fmt = self._styled.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            for kind in sorted(kinds):
                self._apply(fmt, kind)
            if claims:
                fmt.merge(self.format_for(claims))
            self._styled[key] = fmt
        return fmt

    def _apply(self, fmt: QTextCharFormat, kind: FormatKind) -> None:
        if kind is FormatKind.EMPHASIS:
            fmt.setFontItalic(True)
        elif kind is FormatKind.STRONG:
            fmt.setFontWeight(QFont.Weight.Bold)
        elif kind is FormatKind.CODE:
            fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            fmt.setFontFamilies([fixed.family()])
            fmt.setFontFixedPitch(True)
        elif kind is FormatKind.LINK:
            fmt.setForeground(self.palette.color(QPalette.ColorRole.Link))
        elif level := kind.heading_level:
            fmt.setFontWeight(QFont.Weight.Bold)
            scale = HEADING_SCALE.get(level)
            if scale and self._font_size > 0:
                fmt.setFontPointSize(self._font_size * scale)

    def layout_formats(self, block: QTextBlock) -> list[tuple[int, int, QColor]]:
        """(start, length, background) of the formats on a block (for tests and tools)."""
        return [
            (r.start, r.length, r.format.background().color()) for r in block.layout().formats()
        ]
