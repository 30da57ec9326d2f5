"""The library's Details button is there to be pressed only when a document is selected."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.services.api import Project
from annotator.ui.library import LibraryPanel


def test_details_needs_a_selected_document(qtbot, project: Project, add_text) -> None:  # type: ignore[no-untyped-def]
    first = add_text("One.", title="Velmora dock strike of 1931")
    add_text("Two.", title="Velmora Will Not Kneel")
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(300, 300)
    panel.show()
    panel.model.reload(project)
    assert not panel.details_button.isEnabled()  # a click would do nothing

    rect = panel.view.visualRect(panel.proxy.index(0, 1))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.details_button.isEnabled()
    with qtbot.waitSignal(panel.editRequested) as asked:
        qtbot.mouseClick(panel.details_button, Qt.MouseButton.LeftButton)
    assert asked.args == [first]  # row 1, sorted by number

    panel.model.reload(project)  # a reload forgets the current row
    assert not panel.details_button.isEnabled()
