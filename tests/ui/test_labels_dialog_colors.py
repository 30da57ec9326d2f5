"""The labels editor gives each new label a colour far from the labels' and the relations'."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain.colors import DISTINCT, RELATION_COLORS, nearest_distance
from annotator.services.api import Project
from annotator.ui.labels_dialog import LabelsDialog
from annotator.ui.undo import UndoStack


def test_add_button_gives_distinct_colours(qtbot, project: Project) -> None:  # type: ignore[no-untyped-def]
    dialog = LabelsDialog(project, UndoStack())
    qtbot.addWidget(dialog)
    dialog.show()
    # The user recolours a built-in label to a palette colour: the next label avoids it.
    sourced = project.label("sourced")
    dialog.set_color(sourced.id, "#c0ca33")
    before = [lab.color for lab in project.labels()]
    for _ in range(4):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    colors = [lab.color for lab in project.labels()]
    new = colors[len(before) :]
    assert len(new) == 4
    for i, color in enumerate(new):
        assert nearest_distance(color, [*before, *new[:i]]) >= 12, color
        assert nearest_distance(color, RELATION_COLORS.values()) >= DISTINCT, color


def test_a_colour_like_a_relation_or_label_is_pointed_out(qtbot, project: Project) -> None:  # type: ignore[no-untyped-def]
    from annotator.domain.colors import RELATION_COLORS

    dialog = LabelsDialog(project, UndoStack())
    qtbot.addWidget(dialog)
    dialog.show()
    sourced = project.label("sourced")
    dialog.list.setCurrentRow(0)
    assert dialog.current_label_id() == sourced.id
    assert dialog.color_note.isHidden()
    dialog.set_color(sourced.id, RELATION_COLORS["cites"])
    assert "cites" in dialog.color_note.text() and "dashed" in dialog.color_note.text()
    dialog.set_color(sourced.id, "#c42a2a")  # the red of "polemical", nearly
    assert "polemical" in dialog.color_note.text()
    assert not dialog.color_note.isHidden()
