"""`LinkGutter`: the splitter handle between two reader panes, drawing a curve from each claim in
the left pane to the claim it is linked to in the right pane, with an arrowhead at the link's
target (a dot marks its source)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSplitter, QSplitterHandle, QToolTip

from annotator.ui import theme
from annotator.ui.reader.layout import ABOVE, BELOW, VISIBLE

if TYPE_CHECKING:
    from annotator.domain.model import Link
    from annotator.ui.reader.area import LinkIndex
    from annotator.ui.reader.pane import ReaderPane
    from annotator.ui.reader.view import ReaderView

GUTTER_WIDTH = 56
HIT_WIDTH = 9.0
INSET = 4.0
HEAD_LENGTH = 8.0
HEAD_WIDTH = 7.0
"""The arrowhead at a connector's target end."""


@dataclass
class Connector:
    """One drawn link: its curve (gutter coordinates) and where its ends are."""

    link_id: str
    relation: str
    left_claim: str
    right_claim: str
    path: QPainterPath
    start: QPointF
    end: QPointF
    left_where: int
    right_where: int
    target_right: bool = True
    """Whether the link's target is the right claim (the arrowhead is at `end`)."""

    @property
    def offscreen(self) -> bool:
        return self.left_where != VISIBLE or self.right_where != VISIBLE

    @property
    def target(self) -> tuple[QPointF, int, int]:
        """(end point, where the claim is, direction into its pane: +1 right, -1 left)."""
        if self.target_right:
            return self.end, self.right_where, 1
        return self.start, self.left_where, -1

    @property
    def source(self) -> tuple[QPointF, int, int]:
        if self.target_right:
            return self.start, self.left_where, -1
        return self.end, self.right_where, 1

    def head(self) -> QPolygonF:
        """The arrowhead at the target end: its tip on the end point, pointing into the
        target's pane (the curve runs level there)."""
        tip, _where, direction = self.target
        return arrowhead(tip, direction)


class LinkGutter(QSplitterHandle):
    """Draws and hit-tests the connectors between the panes on its left and right. Dragging
    where there is no connector resizes the panes, as any splitter handle does."""

    linkClicked = Signal(str)

    def __init__(self, orientation: Qt.Orientation, splitter: QSplitter, area) -> None:
        super().__init__(orientation, splitter)
        self._area = area
        self.selected_link = ""
        self._hover = ""
        self._connectors: list[Connector] = []
        self._dashed: set[str] = set()
        """Relations whose colour looks like a label's: their connectors are dashed."""
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.SplitHCursor)

    # -- geometry --------------------------------------------------------------------------

    def panes(self) -> tuple[ReaderPane, ReaderPane] | None:
        splitter = self.splitter()
        index = splitter.indexOf(self)
        if index <= 0 or index >= splitter.count():
            return None
        left, right = splitter.widget(index - 1), splitter.widget(index)
        return left, right  # type: ignore[return-value]

    def connectors(self) -> list[Connector]:
        """The connectors as they are drawn now (computed fresh)."""
        self._connectors = self._compute()
        return self._connectors

    def _compute(self) -> list[Connector]:
        panes = self.panes()
        if panes is None:
            return []
        left, right = panes
        if not left.document_id or not right.document_id:
            return []
        if not len(left.view.claims) or not len(right.view.claims):
            return []
        index = self._area.link_index()
        if not index.links:
            return []
        # Only the links of the claims in view (found through the blocks in view and the
        # links indexed by claim) and the selected link can be drawn: a big document has
        # thousands of links, and a frame must not walk them all.
        lvis, rvis = left.view.visible_map(), right.view.visible_map()
        pairs = self._pairs_in_view(index, left.view, right.view, lvis, rvis)
        if not pairs:
            return []
        lpos = left.view.claim_positions([lc for _, lc, _ in pairs], lvis)
        rpos = right.view.claim_positions([rc for _, _, rc in pairs], rvis)
        ltop = self.mapFromGlobal(left.view.viewport().mapToGlobal(QPoint(0, 0))).y()
        rtop = self.mapFromGlobal(right.view.viewport().mapToGlobal(QPoint(0, 0))).y()
        lh = left.view.viewport().height()
        rh = right.view.viewport().height()
        width = float(self.width())
        out: list[Connector] = []
        for link, lc, rc in pairs:
            ly, lwhere = lpos[lc]
            ry, rwhere = rpos[rc]
            if lwhere != VISIBLE and rwhere != VISIBLE and link.id != self.selected_link:
                # Neither end in view: nothing to point at. (Drawn as lines crossing the
                # gutter, the links of a big document cost ~400 ms a frame, a grey blur.)
                continue
            y0 = ltop + _clamp(ly, 6, lh - 6)
            y1 = rtop + _clamp(ry, 6, rh - 6)
            start, end = QPointF(INSET, y0), QPointF(width - INSET, y1)
            path = QPainterPath(start)
            path.cubicTo(QPointF(width * 0.55, y0), QPointF(width * 0.45, y1), end)
            out.append(
                Connector(
                    link.id,
                    str(link.relation),
                    lc,
                    rc,
                    path,
                    start,
                    end,
                    lwhere,
                    rwhere,
                    target_right=link.target_id == rc,
                )
            )
        return out

    def _pairs_in_view(
        self, index: LinkIndex, left: ReaderView, right: ReaderView, lvis: Any, rvis: Any
    ) -> list[tuple[Link, str, str]]:
        """(link, left claim, right claim) of the links joining the two views whose left or
        right claim starts in view, or which are selected, in the order of the links."""
        lclaims, rclaims = left.claims, right.claims
        lspan, rspan = left.visible_span(lvis), right.visible_span(rvis)
        candidates: dict[str, Link] = {}
        for claims, (lo, hi) in ((lclaims, lspan), (rclaims, rspan)):
            if lo < 0:
                continue
            for claim in claims.in_range(lo, hi):
                for link in index.by_claim.get(claim.id, ()):
                    candidates[link.id] = link
        selected = index.by_id.get(self.selected_link) if self.selected_link else None
        if selected is not None:
            candidates[selected.id] = selected
        found: list[tuple[int, Link, str, str]] = []
        for link in candidates.values():
            if link.source_id in lclaims and link.target_id in rclaims:
                lc, rc = link.source_id, link.target_id
            elif link.target_id in lclaims and link.source_id in rclaims:
                lc, rc = link.target_id, link.source_id
            else:
                continue
            if link.id != self.selected_link:
                ls, rs = lclaims.claims[lc].start, rclaims.claims[rc].start
                if not (lspan[0] <= ls < lspan[1] or rspan[0] <= rs < rspan[1]):
                    continue
            found.append((index.order[link.id], link, lc, rc))
        found.sort(key=lambda f: f[0])
        return [(link, lc, rc) for _, link, lc, rc in found]

    def connector_at(self, point: QPointF | QPoint) -> Connector | None:
        """The connector under a point (nearest first among overlapping ones)."""
        pt = QPointF(point)
        stroker = QPainterPathStroker()
        stroker.setWidth(HIT_WIDTH)
        stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
        hits = [c for c in self.connectors() if stroker.createStroke(c.path).contains(pt)]
        if not hits:
            return None
        selected = [c for c in hits if c.link_id == self.selected_link]
        return selected[0] if selected else hits[-1]

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        window = pal.color(QPalette.ColorRole.Window)
        p.fillRect(self.rect(), window)
        rule = theme.rule_color(pal)
        p.setPen(QPen(rule, 1))
        p.drawLine(QPointF(0.5, 0), QPointF(0.5, self.height()))
        p.drawLine(QPointF(self.width() - 0.5, 0), QPointF(self.width() - 0.5, self.height()))
        connectors = self.connectors()
        labels = self._area.label_colors() if hasattr(self._area, "label_colors") else []
        self._dashed = {
            c.relation for c in connectors if theme.relation_looks_like_label(c.relation, labels)
        }
        # Offscreen ones first, the selected one last: what matters is drawn on top.
        order = sorted(
            connectors,
            key=lambda c: (not c.offscreen, c.link_id in (self.selected_link, self._hover)),
        )
        for c in order:
            self._paint_connector(p, c, pal)
        p.end()

    def _paint_connector(self, p: QPainter, c: Connector, pal: QPalette) -> None:
        color = theme.relation_color(c.relation, pal)
        emphasised = c.link_id in (self.selected_link, self._hover)
        if c.offscreen and not emphasised:
            color.setAlphaF(0.38)
        if emphasised:
            halo = QColor(color)
            halo.setAlphaF(0.22)
            p.setPen(QPen(halo, 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(c.path)
        width = 2.6 if c.link_id == self.selected_link else (2.2 if emphasised else 1.6)
        style = Qt.PenStyle.DashLine if c.relation in self._dashed else Qt.PenStyle.SolidLine
        p.setPen(QPen(color, width, style, Qt.PenCapStyle.FlatCap))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(c.path)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        point, where, direction = c.source
        if where == VISIBLE:
            p.drawEllipse(point, 2.8, 2.8)
        else:
            p.drawPolygon(_arrow(point, up=where == ABOVE, inward=-direction))
        point, where, direction = c.target
        if where == VISIBLE:
            p.drawPolygon(c.head())  # the direction: from the dot to the arrowhead
        else:
            p.drawPolygon(_arrow(point, up=where == ABOVE, inward=-direction))

    # -- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self.connector_at(event.position())
            if hit is not None:
                self.selected_link = hit.link_id
                self.update()
                self.linkClicked.emit(hit.link_id)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if not (event.buttons() & Qt.MouseButton.LeftButton):
            hit = self.connector_at(event.position())
            hover = hit.link_id if hit is not None else ""
            if hover != self._hover:
                self._hover = hover
                self.setCursor(
                    QCursor(
                        Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.SplitHCursor
                    )
                )
                self.update()
            if hit is not None:
                QToolTip.showText(event.globalPosition().toPoint(), self._area.link_tooltip(hit))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        if self._hover:
            self._hover = ""
            self.update()
        super().leaveEvent(event)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value)) if high >= low else low


def arrowhead(tip: QPointF, direction: int) -> QPolygonF:
    """A triangle with its tip at `tip`, pointing right (+1) or left (-1)."""
    back = tip.x() - HEAD_LENGTH * direction
    half = HEAD_WIDTH / 2
    return QPolygonF([tip, QPointF(back, tip.y() - half), QPointF(back, tip.y() + half)])


def _arrow(point: QPointF, up: bool, inward: int) -> QPolygonF:
    """A small triangle at a clamped end, pointing to where the claim is (up or down)."""
    x, y = point.x() + 2 * inward, point.y()
    d = -1 if up else 1
    return QPolygonF([QPointF(x - 4, y), QPointF(x + 4, y), QPointF(x, y + 6 * d)])


__all__ = [
    "ABOVE",
    "BELOW",
    "GUTTER_WIDTH",
    "VISIBLE",
    "Connector",
    "LinkGutter",
    "arrowhead",
]
