"""Link connectors show their direction (an arrowhead at the target, a dot at the source), in
relation colours that no label shares; a relation that looks like a label is drawn dashed."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from annotator.domain.colors import DISTINCT, RELATION_COLORS, delta_e
from annotator.ui import theme

LEFT = "Alpha. The delegates met in March of that year. Omega.\n\nMore text follows here."
RIGHT = "Beta. Nobody met in March, the minutes say. Gamma.\n\nAnd more."


def linked(area, project, add_text, claim, relation="contradicts", right_to_left=False):
    docs = [add_text(LEFT, title="Left"), add_text(RIGHT, title="Right")]
    a = claim(docs[0], LEFT, "The delegates met in March")
    b = claim(docs[1], RIGHT, "Nobody met in March")
    source, target = (b, a) if right_to_left else (a, b)
    project.create_link(source, target, relation)
    area.open_document(docs[0], 0)
    area.open_document(docs[1], 1)
    gutter = area.gutter(0)
    [connector] = gutter.connectors()
    return gutter, connector


def is_colour(image: QImage, color: QColor, x: float, y: float) -> bool:
    c = image.pixelColor(int(x), int(y))
    diff = abs(c.red() - color.red()) + abs(c.green() - color.green())
    return diff + abs(c.blue() - color.blue()) < 90


def wide_at(image: QImage, color: QColor, x: float, y: float) -> bool:
    """Whether the drawing is wider than the curve at `x`: coloured 2 px above and below the
    curve's height (the curve itself is under 3 px thick; the arrowhead 7 px wide)."""
    return is_colour(image, color, x, y - 2) and is_colour(image, color, x, y + 2)


def test_arrowhead_at_the_target_end(qtbot, area, project, add_text, claim):
    gutter, connector = linked(area, project, add_text, claim)
    assert connector.target_right
    head = connector.head()
    tip = head.at(0)
    assert tip == connector.end
    assert all(head.at(i).x() < tip.x() for i in (1, 2)), "pointing into the right pane"
    image = gutter.grab().toImage()
    color = theme.relation_color("contradicts", gutter.palette())
    # The head is a filled triangle 8 px long and 7 px wide; beside the source's small dot the
    # curve is a thin line.
    assert wide_at(image, color, tip.x() - 6.5, tip.y())
    assert not wide_at(image, color, connector.start.x() + 6.5, connector.start.y())


def test_arrowhead_follows_a_link_made_from_the_right(qtbot, area, project, add_text, claim):
    gutter, connector = linked(area, project, add_text, claim, right_to_left=True)
    assert not connector.target_right
    tip = connector.head().at(0)
    assert tip == connector.start
    assert all(connector.head().at(i).x() > tip.x() for i in (1, 2)), "pointing left"
    image = gutter.grab().toImage()
    color = theme.relation_color("contradicts", gutter.palette())
    assert wide_at(image, color, tip.x() + 6.5, tip.y())
    assert not wide_at(image, color, connector.end.x() - 6.5, connector.end.y())


def test_relation_colours_differ_from_label_colours(project):
    labels = [lab.color for lab in project.labels()]
    for relation, color in RELATION_COLORS.items():
        for label in labels:
            assert delta_e(color, label) >= DISTINCT, (relation, label)
    colors = list(RELATION_COLORS.values())
    for i, a in enumerate(colors):
        for b in colors[i + 1 :]:
            assert delta_e(a, b) >= DISTINCT


def test_a_label_recoloured_like_a_relation_makes_its_connectors_dashed(
    qtbot, area, project, add_text, claim, labels
):
    gutter, _connector = linked(area, project, add_text, claim, relation="cites")
    gutter.grab()
    assert gutter._dashed == set()
    area.apply_changes(project.update_label(labels["sourced"], color=RELATION_COLORS["cites"]))
    gutter.grab()
    assert gutter._dashed == {"cites"}
