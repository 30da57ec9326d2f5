"""No silent overwrite in the app: every claim edit carries the revision the inspector showed.
A second `Project.open` of the same file is the other team member: when they change the claim
while a note is being typed, the note stays as typed, the debounced save is refused, and the
conflict dialog shows both versions; each choice does what it says (checked in the file).
Undo and redo of an edit whose field changed since are refused with one sentence."""

from __future__ import annotations

import pytest
from app_helpers import LEFT_CLAIM, LEFT_TEXT, Study, reopen
from PySide6.QtCore import Qt

from annotator.services.api import Project
from annotator.ui.conflict_dialog import ConflictDialog, merged_note
from annotator.ui.undo import ClaimChangedError, DeleteClaimCommand, EditClaimCommand, UndoStack

THEIR_NOTE = "Police records say 900 — O'Brien's count"
MY_NOTE = "Payroll says 850"


def _claim(qtbot, window, study: Study) -> str:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.session.watcher is not None, timeout=30000)
    window.session.watch_timer.stop()  # the test polls for the other member's changes itself
    start = LEFT_TEXT.index(LEFT_CLAIM)
    label_id = window.project.label("disputed").id
    claim_id = window.claim_actions.create_claim(
        study.left, start, start + len(LEFT_CLAIM), label_id
    )
    assert claim_id
    window.select_claim(claim_id)
    assert window.inspector.current_claim() == claim_id
    return str(claim_id)


def _claim_in(project: Project, study: Study) -> str:
    start = LEFT_TEXT.index(LEFT_CLAIM)
    label = project.label("disputed").id
    claim_id = project.create_claim(study.left, start, start + len(LEFT_CLAIM), label).created_id
    assert claim_id is not None
    return claim_id


def _other_member_changes(window, study: Study, claim_id: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    """The other member saves through their own connection; this window hears of it."""
    with reopen(study.path) as other:
        if "label" in fields:
            fields["label_id"] = other.label(fields.pop("label")).id
        other.update_claim(claim_id, **fields)  # type: ignore[arg-type]
    assert window.session.poll_watcher() is not None


def _type_note_while_they_change_it(qtbot, window, study: Study) -> tuple[str, ConflictDialog]:  # type: ignore[no-untyped-def]
    claim_id = _claim(qtbot, window, study)
    inspector = window.inspector
    inspector._note_timer.setInterval(3000)  # the save waits until the other member has saved
    inspector.note.setFocus()
    qtbot.keyClicks(inspector.note, MY_NOTE)
    assert inspector._note_timer.isActive()
    _other_member_changes(window, study, claim_id, note=THEIR_NOTE, label="polemical")
    # the inspector follows their change, but not in the note being typed
    assert inspector.label_combo.currentData() == window.project.label("polemical").id
    assert inspector.note.toPlainText() == MY_NOTE
    qtbot.waitUntil(lambda: inspector.conflict is not None, timeout=20000)  # the debounced save
    dialog = inspector.conflict
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    with reopen(study.path) as project:
        assert project.annotation(claim_id).note == THEIR_NOTE  # nothing overwritten
    assert inspector.note.toPlainText() == MY_NOTE  # nor the text typed
    # both versions, side by side
    assert "O&#x27;Brien" in dialog.theirs_fields["note"].text()
    assert MY_NOTE in dialog.mine_fields["note"].text()
    assert "polemical" in dialog.theirs_fields["label_id"].text()
    # yours is theirs with your note: what "Use mine" saves (their label stays)
    assert dialog.mine_fields["label_id"].text() == "polemical"
    assert dialog.mine_fields["note"].text() == f"<b>{MY_NOTE}</b>"
    assert dialog.theirs.revision == 2
    assert "your note, written on revision 1" in dialog.yours_changed.text()
    assert dialog.merge_button.isVisible()
    return claim_id, dialog


def test_keep_theirs_drops_the_note_typed(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    claim_id, dialog = _type_note_while_they_change_it(qtbot, opened, study)
    steps = opened.stack.count()
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and opened.inspector.conflict is None
    with reopen(study.path) as project:
        claim = project.annotation(claim_id)
        assert (claim.note, claim.label_id) == (THEIR_NOTE, project.label("polemical").id)
    assert opened.inspector.note.toPlainText() == THEIR_NOTE
    assert opened.stack.count() == steps


def test_use_mine_saves_over_theirs_as_an_undoable_edit(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    claim_id, dialog = _type_note_while_they_change_it(qtbot, opened, study)
    steps = opened.stack.count()
    qtbot.mouseClick(dialog.mine_button, Qt.MouseButton.LeftButton)
    with reopen(study.path) as project:
        claim = project.annotation(claim_id)
        # my note, their label: only what I edited is mine
        assert (claim.note, claim.label_id) == (MY_NOTE, project.label("polemical").id)
    assert opened.inspector.note.toPlainText() == MY_NOTE
    assert opened.inspector.label_combo.currentData() == opened.project.label("polemical").id
    assert opened.stack.count() == steps + 1
    opened.stack.undo()  # takes mine back to theirs
    with reopen(study.path) as project:
        assert project.annotation(claim_id).note == THEIR_NOTE
    assert opened.inspector.note.toPlainText() == THEIR_NOTE


def test_merge_by_hand_saves_the_note_written_from_both(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    claim_id, dialog = _type_note_while_they_change_it(qtbot, opened, study)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    editor = dialog.merge_editor
    assert editor.isVisible()
    assert editor.toPlainText() == f"{THEIR_NOTE}\n\n{MY_NOTE}"
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " (both)")
    qtbot.mouseClick(dialog.save_merged_button, Qt.MouseButton.LeftButton)
    merged = f"{THEIR_NOTE}\n\n{MY_NOTE} (both)"
    with reopen(study.path) as project:
        claim = project.annotation(claim_id)
        assert (claim.note, claim.label_id) == (merged, project.label("polemical").id)
    assert opened.inspector.note.toPlainText() == merged


def test_closing_the_dialog_keeps_theirs(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    claim_id, dialog = _type_note_while_they_change_it(qtbot, opened, study)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    with reopen(study.path) as project:
        assert project.annotation(claim_id).note == THEIR_NOTE
    assert opened.inspector.note.toPlainText() == THEIR_NOTE


def test_a_relabel_on_a_stale_claim_is_refused_and_shown(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    """The store has not heard of their change yet: the label chosen in the inspector carries
    the revision shown, which is stale."""
    claim_id = _claim(qtbot, opened, study)
    with reopen(study.path) as other:
        other.update_claim(claim_id, note=THEIR_NOTE)
    inspector = opened.inspector
    combo = inspector.label_combo
    combo.setCurrentIndex(combo.findData(opened.project.label("sourced").id))
    combo.activated.emit(combo.currentIndex())
    dialog = inspector.conflict
    assert isinstance(dialog, ConflictDialog)
    assert not dialog.merge_button.isVisible()  # merging by hand is for notes
    assert dialog.mine_fields["label_id"].text() == "<b>sourced</b>"
    assert dialog.mine_fields["note"].text() == dialog.theirs_fields["note"].text()
    qtbot.mouseClick(dialog.mine_button, Qt.MouseButton.LeftButton)
    with reopen(study.path) as project:
        claim = project.annotation(claim_id)
        assert (claim.note, claim.label_id) == (THEIR_NOTE, project.label("sourced").id)
    assert combo.currentData() == opened.project.label("sourced").id
    assert inspector.note.toPlainText() == THEIR_NOTE


def test_undo_after_their_change_does_not_overwrite_it(  # type: ignore[no-untyped-def]
    qtbot, opened, study: Study, error_dialogs
) -> None:
    claim_id = _claim(qtbot, opened, study)
    inspector = opened.inspector
    inspector.note.setFocus()
    qtbot.keyClicks(inspector.note, MY_NOTE)
    inspector.flush()
    assert opened.stack.undoText().startswith("Edit note of claim")
    _other_member_changes(opened, study, claim_id, note=THEIR_NOTE)
    opened.stack.undo()
    assert error_dialogs[-1][0] == (
        "Not undone: the note of this claim was changed meanwhile (it is at revision 3 now), "
        "and undoing would overwrite that change."
    )
    with reopen(study.path) as project:
        assert project.annotation(claim_id).note == THEIR_NOTE
    assert inspector.note.toPlainText() == THEIR_NOTE


def test_undo_of_another_field_keeps_their_change(qtbot, opened, study: Study) -> None:  # type: ignore[no-untyped-def]
    """They changed the label, I undo my note: their label stays, my note goes."""
    claim_id = _claim(qtbot, opened, study)
    inspector = opened.inspector
    inspector.note.setFocus()
    qtbot.keyClicks(inspector.note, MY_NOTE)
    inspector.flush()
    _other_member_changes(opened, study, claim_id, label="sourced")
    opened.stack.undo()
    with reopen(study.path) as project:
        claim = project.annotation(claim_id)
        assert (claim.note, claim.label_id) == ("", project.label("sourced").id)


@pytest.mark.parametrize("step", ["undo", "redo"])
def test_undo_and_redo_commands_refuse_a_changed_field(qtbot, study: Study, step: str) -> None:  # type: ignore[no-untyped-def]
    stack = UndoStack()
    failures: list[Exception] = []
    stack.failed.connect(failures.append)
    with Project.open(study.path) as mine, Project.open(study.path) as theirs:
        claim_id = _claim_in(mine, study)
        assert stack.run(EditClaimCommand(mine, mine.annotation(claim_id), "tags", ("a",)))
        if step == "redo":
            stack.undo()
        theirs.update_claim(claim_id, tags=["theirs"])
        stack.undo() if step == "undo" else stack.redo()
        assert mine.annotation(claim_id).tags == ("theirs",)
        assert str(failures[-1]).startswith(f"Not {step}ne: the tags of this claim")
        # a save of a stale revision: refused, with both versions for the dialog
        stale = mine.annotation(claim_id)
        theirs.update_claim(claim_id, note="theirs")
        refused: list[ClaimChangedError] = []
        assert not stack.run(EditClaimCommand(mine, stale, "note", "mine"), refused.append)
        assert refused[0].theirs.note == "theirs" and refused[0].mine.note == "mine"
        assert refused[0].seen == stale and refused[0].mine.revision == stale.revision + 1
        assert mine.annotation(claim_id).note == "theirs"


def test_merged_note_holds_both() -> None:
    assert merged_note("", "mine") == "mine"
    assert merged_note("theirs", " ") == "theirs"
    assert merged_note("same", "same") == "same"
    assert merged_note("theirs\n", "mine") == "theirs\n\nmine"


SPEECH = "The minister said the unemployment figures were invented by the statistics office."


@pytest.mark.pg
def test_on_a_server_their_change_arrives_and_the_note_typed_is_kept(  # type: ignore[no-untyped-def]
    qtbot, window, pg_database: str, pg_server
) -> None:
    """A team project: the other member's change reaches the inspector through the follower
    while a note is typed; the save is refused and "Use mine" saves over their revision."""
    from annotator.importers.base import ImportedText

    with Project.create(pg_database) as p:
        p.add_document(ImportedText(text=SPEECH, format="text", title="Speech"), b"", "s.txt")
    assert window.open_project(pg_database, ["1"])
    qtbot.waitUntil(lambda: window.session.follower is not None, timeout=15000)
    qtbot.waitUntil(lambda: window.session.follower.connected, timeout=15000)
    project = window.project
    doc, labels = project.documents()[0].id, project.labels()
    claim_id = window.claim_actions.create_claim(doc, 0, 12, labels[0].id)
    assert claim_id
    window.select_claim(claim_id)
    inspector = window.inspector
    inspector._note_timer.setInterval(60000)  # saved when the test says (focus out)
    inspector.note.setFocus()
    qtbot.keyClicks(inspector.note, MY_NOTE)
    with Project.open(pg_database) as member:
        member.update_claim(claim_id, note=THEIR_NOTE, label_id=labels[1].id)
    qtbot.waitUntil(lambda: inspector.label_combo.currentData() == labels[1].id, timeout=10000)
    assert inspector.note.toPlainText() == MY_NOTE
    inspector.flush()
    dialog = inspector.conflict
    assert isinstance(dialog, ConflictDialog)
    assert "O&#x27;Brien" in dialog.theirs_fields["note"].text()
    qtbot.mouseClick(dialog.mine_button, Qt.MouseButton.LeftButton)
    with Project.open(pg_database) as member:
        claim = member.annotation(claim_id)
        assert (claim.note, claim.label_id) == (MY_NOTE, labels[1].id)
    assert inspector.note.toPlainText() == MY_NOTE


def test_redo_of_a_delete_keeps_a_claim_they_changed_since(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    stack = UndoStack()
    failures: list[Exception] = []
    stack.failed.connect(failures.append)
    with Project.open(study.path) as mine, Project.open(study.path) as theirs:
        claim_id = _claim_in(mine, study)
        assert stack.run(DeleteClaimCommand(mine, mine.annotation(claim_id)))
        stack.undo()  # back, as it was
        theirs.update_claim(claim_id, note=THEIR_NOTE)
        stack.redo()
        assert mine.annotation(claim_id).note == THEIR_NOTE
        assert str(failures[-1]).startswith("Not deleted: this claim was changed meanwhile")


def test_a_conflict_met_while_closing_the_project_says_yours_was_not_saved(  # type: ignore[no-untyped-def]
    qtbot, opened, study: Study
) -> None:
    claim_id = _claim(qtbot, opened, study)
    inspector = opened.inspector
    inspector._note_timer.setInterval(60000)
    inspector.note.setFocus()
    qtbot.keyClicks(inspector.note, MY_NOTE)
    with reopen(study.path) as other:
        other.update_claim(claim_id, note=THEIR_NOTE)
    opened.close_project()  # the pending note is saved first, and refused
    dialog = inspector.conflict
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    assert "your version was not saved" in dialog.intro.text()
    assert not dialog.mine_button.isEnabled() and MY_NOTE in dialog.mine_fields["note"].text()
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with reopen(study.path) as project:
        assert project.annotation(claim_id).note == THEIR_NOTE


def test_a_key_relabel_or_delete_of_a_claim_changed_unseen_is_refused(  # type: ignore[no-untyped-def]
    qtbot, opened, study: Study, error_dialogs
) -> None:
    """The window has not yet heard of their change: what it shows is what a relabel or a
    delete expects; once it has heard, both work."""
    claim_id = _claim(qtbot, opened, study)
    with reopen(study.path) as other:
        other.update_claim(claim_id, note=THEIR_NOTE)
    sourced = opened.project.label("sourced").id
    assert not opened.claim_actions.relabel_claim(claim_id, sourced)
    assert error_dialogs[-1][0].startswith("Not saved: this claim was changed meanwhile")
    assert not opened.claim_actions.delete_claim(claim_id)
    assert error_dialogs[-1][0].startswith("Not deleted: this claim was changed meanwhile")
    with reopen(study.path) as project:
        claim = project.annotation(claim_id)
        assert (claim.note, claim.label_id) == (THEIR_NOTE, project.label("disputed").id)
    assert opened.session.poll_watcher() is not None  # now the window shows their note
    assert opened.claim_actions.relabel_claim(claim_id, sourced)
    assert opened.claim_actions.delete_claim(claim_id)
    with reopen(study.path) as project:
        assert claim_id not in project.claims_by_id([claim_id])
