"""The main window driven like a user: real widgets, the real reader, a real project file."""

from __future__ import annotations

from pathlib import Path

from app_helpers import LEFT_CLAIM, LEFT_TEXT, RIGHT_CLAIM, RIGHT_TEXT, Study, reopen, run_modal
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from annotator.services.api import Project
from annotator.ui.link_dialog import LinkDialog


def _activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _mark(qtbot, window, pane: int, doc: str, text: str, quote: str, key: str) -> str:  # type: ignore[no-untyped-def]
    """Select `quote` in a pane and press a label key, as a user does; returns the claim id."""
    start = text.index(quote)
    window.pane_area.show_span(doc, start, start + len(quote))
    view = window.pane_area.pane(pane).view
    view.setFocus()
    before = set(window.project.claims_by_id([])) | {a.id for a in window.project.annotations()}
    qtbot.keyClick(view, key)
    [new] = [a.id for a in window.project.annotations() if a.id not in before]
    return new


def test_open_project_shows_two_documents_side_by_side(opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    assert opened.windowTitle() == "study.annot — Annotator"
    assert opened.central.currentWidget() is opened.workspace
    assert opened.pane_area.documents()[:2] == [study.left, study.right]
    assert opened.library.model.rowCount() == 2
    assert opened.settings.recent_projects()[0] == str(study.path.resolve())


def test_label_key_creates_claim_then_undo_and_redo(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    claim_id = _mark(qtbot, opened, 0, study.left, LEFT_TEXT, LEFT_CLAIM, "2")
    with reopen(study.path) as project:  # a separate connection: it is really saved
        claim = project.annotation(claim_id)
        assert claim.quote.exact == LEFT_CLAIM
        assert claim.start == LEFT_TEXT.index(LEFT_CLAIM)  # code points, after the emoji
        assert project.label(claim.label_id).name == "disputed"
    assert opened.inspector.current_claim() == claim_id
    assert opened.inspector.document_title.text() == "Union pamphlet · paragraph 2"
    assert opened.window_actions.undo.text() == f"&Undo Create claim “{LEFT_CLAIM}”"
    assert opened.legend.texts()[1] == "■ disputed 1 (1)"

    qtbot.keyClick(opened.pane_area.pane(0).view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with reopen(study.path) as project:
        assert project.annotations() == []
    assert claim_id not in opened.pane_area.pane(0).view.claims
    assert opened.inspector.current_claim() == ""

    qtbot.keyClick(
        opened.pane_area.pane(0).view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    with reopen(study.path) as project:
        assert project.annotation(claim_id).quote.exact == LEFT_CLAIM
    assert claim_id in opened.pane_area.pane(0).view.claims


def test_link_claims_across_panes_with_the_keyboard(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    left = _mark(qtbot, opened, 0, study.left, LEFT_TEXT, LEFT_CLAIM, "2")
    right = _mark(qtbot, opened, 1, study.right, RIGHT_TEXT, RIGHT_CLAIM, "1")
    assert sorted(opened.pane_area.selected_claims()) == [(0, left), (1, right)]

    def choose(dialog: object) -> None:
        assert isinstance(dialog, LinkDialog)
        assert (dialog.source.id, dialog.target.id) == (left, right)  # left → right
        qtbot.keyClick(dialog, "2")  # contradicts
        dialog.note.setText("payroll")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    run_modal(qtbot, lambda: qtbot.keyClick(opened.pane_area.pane(1).view, "l"), choose)
    with reopen(study.path) as project:
        [link] = project.links()
    assert (link.source_id, link.target_id, link.relation.value, link.note) == (
        left,
        right,
        "contradicts",
        "payroll",
    )
    gutter = opened.pane_area.gutter(0)
    assert [c.link_id for c in gutter.connectors()] == [link.id]
    assert opened.inspector.links.topLevelItemCount() == 1  # the right claim is shown

    opened.stack.undo()
    with reopen(study.path) as project:
        assert project.links() == []
    assert gutter.connectors() == []
    opened.stack.redo()
    assert [c.link_id for c in gutter.connectors()] == [link.id]


def test_link_needs_two_selected_claims(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    opened.link_selected_claims()
    assert "select a claim in each of two panes" in opened.status_message()


def test_note_tags_evidence_saved_as_you_go_and_kept(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    claim_id = _mark(qtbot, opened, 0, study.left, LEFT_TEXT, LEFT_CLAIM, "2")
    inspector = opened.inspector
    qtbot.keyClick(opened.pane_area.pane(0).view, Qt.Key.Key_F2)
    assert inspector.note.hasFocus()
    qtbot.keyClicks(inspector.note, "Payroll shows 850")
    qtbot.waitUntil(lambda: opened.project.annotation(claim_id).note == "Payroll shows 850")
    inspector.note.insertPlainText(" — not 4 000 ✓")  # non-ASCII goes in without keyClicks
    inspector.flush()
    note = "Payroll shows 850 — not 4 000 ✓"
    assert opened.project.annotation(claim_id).note == note
    assert opened.stack.count() == 2  # create + one merged note step
    assert opened.stack.undoText() == f"Edit note of claim “{LEFT_CLAIM}”"

    inspector.tags.setFocus()
    qtbot.keyClicks(inspector.tags, "numbers, strike")
    qtbot.keyClick(inspector.tags, Qt.Key.Key_Return)
    assert opened.project.annotation(claim_id).tags == ("numbers", "strike")
    assert inspector.tag_completer.model().stringList() == ["numbers", "strike"]

    inspector.add_evidence("Payroll ledger 1931", "https://example.org/payroll")
    [evidence] = opened.project.annotation(claim_id).evidence
    assert (evidence.citation, evidence.url) == (
        "Payroll ledger 1931",
        "https://example.org/payroll",
    )
    assert inspector.evidence.item(0, 2).text() == "↗"
    label_index = inspector.label_combo.findData(opened.project.label("polemical").id)
    inspector.label_combo.setCurrentIndex(label_index)
    inspector.label_combo.activated.emit(label_index)
    assert opened.project.annotation(claim_id).label_id == opened.project.label("polemical").id

    inspector.note.setFocus()
    qtbot.keyClick(inspector.note, Qt.Key.Key_Escape)  # back to the document
    assert opened.pane_area.pane(0).view.hasFocus()

    opened.close()
    with reopen(study.path) as project:
        claim = project.annotation(claim_id)
        assert claim.note == note
        assert claim.tags == ("numbers", "strike")
        assert claim.evidence[0].url == "https://example.org/payroll"


def test_delete_key_deletes_the_selected_claim_with_undo(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    claim_id = _mark(qtbot, opened, 0, study.left, LEFT_TEXT, LEFT_CLAIM, "3")
    qtbot.keyClick(opened.pane_area.pane(0).view, Qt.Key.Key_Delete)
    assert opened.project.annotations() == []
    assert opened.stack.undoText() == f"Delete claim “{LEFT_CLAIM}”"
    opened.stack.undo()
    assert opened.project.annotation(claim_id).quote.exact == LEFT_CLAIM


def test_toolbar_label_marks_the_selection(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    start = RIGHT_TEXT.index(RIGHT_CLAIM)
    opened.pane_area.show_span(study.right, start, start + len(RIGHT_CLAIM))
    [sourced] = [a for a in opened.label_bar.actions() if a.text() == "sourced"]
    sourced.trigger()
    [claim] = opened.project.annotations()
    assert claim.quote.exact == RIGHT_CLAIM


def _drop(window, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)
    assert event.isAccepted()


def test_import_by_drag_and_drop_fills_the_panes(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.annot"
    Project.create(path).close()
    assert window.open_project(path)
    files = []
    for name, text in (("pamphlet.txt", LEFT_TEXT), ("entry.txt", RIGHT_TEXT)):
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    _drop(window, files)
    qtbot.waitUntil(
        lambda: window.import_job is not None and bool(window.import_job.results), timeout=10000
    )
    qtbot.waitUntil(lambda: all(window.pane_area.documents()[:2]))
    titles = [d.title for d in window.project.documents()]
    assert len(titles) == 2
    assert window.library.model.rowCount() == 2
    assert "Imported 2 documents" in window.status_message()
    docs = window.project.documents()
    assert window.pane_area.documents()[:2] == [d.id for d in docs]


def test_a_refused_import_is_an_error_dialog(qtbot, window, tmp_path: Path, error_dialogs) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.annot"
    Project.create(path).close()
    assert window.open_project(path)
    bad = tmp_path / "nothing.txt"
    bad.write_bytes(b"")
    job = window.import_paths([bad])
    with qtbot.waitSignal(job.done, timeout=10000):
        pass
    qtbot.waitUntil(lambda: bool(error_dialogs))
    assert error_dialogs[-1][0] == "nothing.txt: the file is empty."
    assert window.project.documents() == []


def test_a_damaged_file_shows_an_error_and_changes_nothing(
    qtbot, window, study: Study, tmp_path: Path, error_dialogs
) -> None:  # type: ignore[no-untyped-def]
    damaged = tmp_path / "damaged.annot"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x13" * 3000)
    before = damaged.read_bytes()
    assert not window.open_project(damaged)
    assert error_dialogs and "damaged" in error_dialogs[-1][0]
    assert "\n" not in error_dialogs[-1][0]
    assert window.central.currentWidget() is window.start_screen
    assert damaged.read_bytes() == before

    not_a_project = tmp_path / "notes.annot"
    not_a_project.write_text("just text", encoding="utf-8")
    assert window.open_project(study.path)
    assert not window.open_project(not_a_project)
    assert "not an Annotator project" in error_dialogs[-1][0]
    assert window.project is not None and window.project.path == study.path  # still open


def test_metadata_editor_edits_fields_with_undo(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.publisher.setText("Quay Workers' Union")
        dialog.published.setText("1931-03-14")
        dialog.reliability_note.setPlainText("Partisan: the union's own figures.")
        dialog.accept()

    run_modal(qtbot, lambda: opened.edit_document_details(study.left), fill)
    with reopen(study.path) as project:
        doc = project.document(study.left)
        assert doc.publisher == "Quay Workers' Union"
        assert doc.published is not None and doc.published.iso() == "1931-03-14"
        assert doc.reliability_note == "Partisan: the union's own figures."
    assert opened.stack.undoText() == "Edit details of “Union pamphlet”"
    opened.stack.undo()
    with reopen(study.path) as project:
        doc = project.document(study.left)
        assert (doc.publisher, doc.published, doc.reliability_note) == ("", None, "")


def test_claim_list_activation_selects_the_claim_in_its_pane(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    left = _mark(qtbot, opened, 0, study.left, LEFT_TEXT, LEFT_CLAIM, "2")
    right = _mark(qtbot, opened, 1, study.right, RIGHT_TEXT, RIGHT_CLAIM, "1")
    panel = opened.claims
    assert panel.model.rowCount() == 2
    panel.filter.setText("4,000")
    assert panel.proxy.rowCount() == 1
    index = panel.proxy.index(0, 1)
    panel.view.setCurrentIndex(index)
    opened.inspector.set_claim(right)
    panel.view.activated.emit(index)
    assert (0, left) in opened.pane_area.selected_claims()
    assert opened.inspector.current_claim() == left


def test_layout_and_open_documents_are_restored(qtbot, window, study: Study) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui.main_window import MainWindow

    assert window.open_project(study.path, [study.right, study.left])
    window.claims.set_scope(window.claims.SCOPE_DOCUMENT)
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    assert again.start_screen.recent.count() == 1
    assert again.open_project(study.path)
    assert again.pane_area.documents()[:2] == [study.right, study.left]
    assert again.claims.scope.currentIndex() == again.claims.SCOPE_DOCUMENT
    again.close()


def test_shortcuts_window_lists_the_keyboard_map(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    dialog = opened.show_shortcuts()
    rows = dict(dialog.rows())
    for keys in ("Ctrl+N", "Ctrl+O", "Ctrl+I", "Ctrl+W", "Ctrl+Z", "Ctrl+F", "L", "Del", "F2"):
        assert keys in rows or any(k.startswith(keys) for k in rows), keys
    assert rows["Ctrl+1"] == "Go to › Pane 1"
    assert rows["1"] == "Label the selection sourced"
    dialog.close()


def test_new_project_from_the_window(qtbot, window, tmp_path: Path, error_dialogs) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fresh.annot"
    assert window.opening.new_project(path)
    assert [lab.name for lab in window.project.labels()] == ["sourced", "disputed", "polemical"]
    assert [a.text() for a in window.label_bar.actions()][:3] == [
        "sourced",
        "disputed",
        "polemical",
    ]
    assert not window.opening.new_project(path)  # exists already: one sentence, nothing changes
    assert "exists already" in error_dialogs[-1][0]
    window.close_project()
    assert window.central.currentWidget() is window.start_screen
    assert window.windowTitle() == "Annotator"


def test_context_actions_and_inspector_links(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    left = _mark(qtbot, opened, 0, study.left, LEFT_TEXT, LEFT_CLAIM, "2")
    right = _mark(qtbot, opened, 1, study.right, RIGHT_TEXT, RIGHT_CLAIM, "1")
    area = opened.pane_area
    area.contextAction.emit(f"label:{opened.project.label('polemical').id}", left)
    assert opened.project.annotation(left).label_id == opened.project.label("polemical").id
    assert opened.stack.undoText() == f"Relabel claim “{LEFT_CLAIM}” as polemical"

    def accept(dialog) -> None:  # type: ignore[no-untyped-def]
        assert (dialog.source.id, dialog.target.id) == (left, right)  # left pane → right pane
        dialog.accept()

    run_modal(qtbot, lambda: area.contextAction.emit("link", right), accept)
    [link] = opened.project.links()
    assert link.relation.value == "corroborates"

    opened.select_claim(right)
    links = opened.inspector.links
    assert links.topLevelItemCount() == 1
    assert links.topLevelItem(0).text(0) == "← corroborates"  # the left one corroborates it
    assert links.topLevelItem(0).text(2) == "Union pamphlet"
    opened.inspector._link_activated(links.topLevelItem(0))  # double-click: go to the other
    assert opened.inspector.current_claim() == left
    assert (0, left) in area.selected_claims()
    links.setCurrentItem(links.topLevelItem(0))
    opened.inspector.remove_link_button.click()
    assert opened.project.links() == []
    assert opened.stack.undoText() == "Remove link (corroborates)"
    area.contextAction.emit("delete", left)
    assert [a.id for a in opened.project.annotations()] == [right]


def test_focus_keys_move_between_panes_and_docks(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, opened)
    opened.focus_pane(1)
    assert opened.pane_area.pane(1).view.hasFocus()
    assert opened.pane_area.current_pane() == 1
    qtbot.keyClick(opened.pane_area.pane(1).view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert opened.pane_area.pane(0).view.hasFocus()
    qtbot.keyClick(
        opened.pane_area.pane(0).view,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert opened.claims.view.hasFocus()


def test_import_can_be_cancelled(qtbot, window, tmp_path: Path, error_dialogs) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui.workers import ImportJob

    path = tmp_path / "empty.annot"
    Project.create(path).close()
    assert window.open_project(path)
    files = []
    for n in range(5):
        files.append(tmp_path / f"note{n}.txt")
        files[-1].write_text(f"Note number {n}.", encoding="utf-8")
    job = ImportJob(window.project, files, window)
    job.cancel()  # as if Cancel were pressed before the first file
    with qtbot.waitSignal(job.done, timeout=10000) as blocker:
        job.start()
    results, cancelled = blocker.args
    assert cancelled and results == []
    assert window.project.documents() == []
    assert not job.running


def test_dark_palette_when_asked(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPalette

    from annotator.ui.app import apply_style

    app = QApplication.instance()
    before = app.palette()
    try:
        monkeypatch.setenv("ANNOTATOR_COLOR_SCHEME", "dark")
        apply_style(app)
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 100
        monkeypatch.setenv("ANNOTATOR_COLOR_SCHEME", "light")
        apply_style(app)
        assert app.palette().color(QPalette.ColorRole.Window).lightness() > 150
    finally:
        app.setPalette(before)
