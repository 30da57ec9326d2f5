# ruff: noqa: E501  (QUERY_HELP is the reference's table, one row a line)
"""The search panel's result list: a Qt item model over `SearchHit`s and a delegate that paints
each hit as a card (label chip, document title, snippet with the matched words in bold).

`QUERY_HELP` is the query-language table of docs/reference.md (a test keeps them equal),
shown by the panel's "?" button.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from annotator.search.results import SearchHit
from annotator.ui import theme

HitRole = Qt.ItemDataRole.UserRole + 1
HtmlRole = Qt.ItemDataRole.UserRole + 2
ColorRole = Qt.ItemDataRole.UserRole + 3
TitleRole = Qt.ItemDataRole.UserRole + 4

QUERY_HELP = """\
| you type | finds |
|---|---|
| `Board shillings` | claims with all these words in the quote, the note, the tags or the evidence (and, ranked last, in the 32 characters around the quote). Words are stemmed: `worker` finds *workers*, *workers'* |
| `"the day rate"` | the exact phrase (in quotes or notes; common words such as *the* are skipped) |
| `strike OR stoppage`, `Board AND NOT union`, `(a OR b) c` | boolean operators, in capitals; `NOT x` alone means everything but *x* |
| `Velmorra~`, `Vlmorra~2` | fuzzy: up to one (or two) typing mistakes |
| `shill*` | words starting so |
| `label:disputed`, `label:2`, `label:"my label"`, `label:(sourced OR disputed)` | by label name, key or id |
| `tag:numbers`, `tag:"loaded language"`, `tag:loaded*` | by tag (the whole tag; any case) |
| `doc:velmora`, `doc:"dock strike"`, `doc:3f2a9c1d` | claims in documents whose title has these words, or whose id starts so |
| `author:alice` | claims made by that person |
| `note:archive`, `quote:revolution` | a word in that field only |
| `relation:contradicts` | claims with a link of that kind (`corroborates`, `contradicts`, `repeats`, `cites`) |
| `created:2026-01..2026-03`, `modified:>=2026-02-01`, `created:..2025` | when the claim was made or last changed (dates in UTC) |
| `published:2017`, `published:>2015`, `published:2010..2014` | the document's publication date |
| `*:*` (or nothing) | everything |

Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. `A..B` includes both ends (`2026-01..2026-03` runs
"""

Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractListModel):
    """The hits shown so far (the pages loaded), read-only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._colors: dict[str, str] = {}

    def set_label_colors(self, colors: dict[str, str]) -> None:
        self._colors = dict(colors)
        if self._hits:
            self.dataChanged.emit(self.index(0), self.index(len(self._hits) - 1))

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def refresh_hits(self, hits: list[SearchHit]) -> bool:
        """Take new hits that look the same as the shown ones (a relevance score may differ,
        and is not shown) without a reset: no card is laid out again. False: they differ."""
        if len(hits) != len(self._hits) or any(
            replace(new, score=None) != replace(old, score=None)
            for new, old in zip(hits, self._hits, strict=True)
        ):
            return False
        self._hits = list(hits)
        return True

    def append_hits(self, hits: list[SearchHit]) -> None:
        seen = {(h.kind, h.claim_id, h.document_id, h.start) for h in self._hits}
        new = [h for h in hits if (h.kind, h.claim_id, h.document_id, h.start) not in seen]
        if not new:
            return
        first = len(self._hits)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._hits.extend(new)
        self.endInsertRows()

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        hit = self.hit(index.row())
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.snippet_text
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"{hit.document_title}" + (f" — {hit.label}" if hit.label else "")
            return f"{where}\n{hit.quote[:400]}" + (f"\nNote: {hit.note[:300]}" if hit.note else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.label or 'Passage'} in {hit.document_title}: {hit.snippet_text}"
        if role == HitRole:
            return hit
        if role == HtmlRole:
            return hit.card_html  # the quote; beneath it other matches and the location
        if role == TitleRole:
            return hit.document_title
        if role == ColorRole:
            return self._colors.get(hit.label_id or "", "")
        return None


class SnippetDelegate(QStyledItemDelegate):
    """A result as a small card: a label chip and the document's title on the first line, the
    snippet (rich text, hits in bold) wrapped below."""

    PAD = 8
    CHIP_GAP = 6

    def _document(
        self,
        index: QModelIndex | QPersistentModelIndex,
        width: int,
        font: Any,
        muted: QColor | None = None,
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        if muted is not None:  # the card's secondary lines (where else it matched, where it is)
            doc.setDefaultStyleSheet(f".muted {{ color: {muted.name()}; }}")
        doc.setHtml(str(index.data(HtmlRole) or ""))
        doc.setTextWidth(max(40, width))
        return doc

    def _title_height(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.height()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = option.rect.width()
        widget = option.widget
        if width <= 0 and isinstance(widget, QWidget):
            width = widget.width()
        width = max(120, width) - 2 * self.PAD
        doc = self._document(index, width, option.font)
        height = self._title_height(option) + 4 + doc.size().height() + 2 * self.PAD
        return QSize(
            width + 2 * self.PAD, int(min(height, 8 * option.fontMetrics.height() + 2 * self.PAD))
        )

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if isinstance(widget, QWidget) else None
        painter.save()
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        text_color = pal.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        rect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        # first line: label chip + document title
        fm = opt.fontMetrics
        small = theme.small_font(opt.font, 0.9)
        painter.setFont(small)
        sfm = painter.fontMetrics()
        x = rect.left()
        label = ""
        hit = index.data(HitRole)
        if isinstance(hit, SearchHit):
            label = hit.label or ("Passage" if hit.kind == "passage" else "")
        if label:
            color = QColor(str(index.data(ColorRole) or "#9e9e9e"))
            chip_w = sfm.horizontalAdvance(label) + 12
            chip = QRectF(x, rect.top() + 1, chip_w, fm.height() - 2)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.blend(color, pal.color(QPalette.ColorRole.Base), 0.35))
            painter.drawRoundedRect(chip, 4, 4)
            painter.setPen(
                pal.color(QPalette.ColorRole.Text)
            )  # the chip is light when selected too
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label)
            x += int(chip_w) + self.CHIP_GAP
        title = str(index.data(TitleRole) or "")
        muted = text_color if selected else theme.muted_text_color(pal)
        painter.setPen(muted)
        title_rect = QRectF(x, rect.top(), rect.right() - x, fm.height())
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            sfm.elidedText(title, Qt.TextElideMode.ElideRight, int(title_rect.width())),
        )
        # the snippet
        top = rect.top() + fm.height() + 4
        doc = self._document(index, rect.width(), opt.font, muted)
        painter.translate(rect.left(), top)
        clip = QRectF(0, 0, rect.width(), rect.bottom() - top)
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, text_color)
        ctx.clip = clip
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
        # a thin rule between cards
        painter.save()
        painter.setPen(theme.rule_color(pal))
        painter.drawLine(
            opt.rect.left() + self.PAD,
            opt.rect.bottom(),
            opt.rect.right() - self.PAD,
            opt.rect.bottom(),
        )
        painter.restore()
