"""The undo commands on a real project: do, undo, redo, merge, refusal."""

from __future__ import annotations

from app_helpers import LEFT_CLAIM, LEFT_TEXT, RIGHT_CLAIM, RIGHT_TEXT, Study

from annotator.domain.model import Evidence
from annotator.services.api import Project
from annotator.ui.undo import (
    AddLabelCommand,
    CreateClaimCommand,
    CreateLinkCommand,
    DeleteClaimCommand,
    DeleteLabelCommand,
    DeleteLinkCommand,
    EditClaimCommand,
    EditDocumentCommand,
    EditLabelCommand,
    ReorderLabelsCommand,
    UndoStack,
    snippet,
)


def _claim(project: Project, stack: UndoStack, doc: str, text: str, quote: str, label: str) -> str:
    start = text.index(quote)
    command = CreateClaimCommand(
        project, doc, start, start + len(quote), project.label(label).id, quote
    )
    assert stack.run(command)
    return command.claim_id


def test_snippet_is_short_and_one_line() -> None:
    assert snippet("a  b\nc") == "a b c"
    long = "word " * 30
    out = snippet(long, 40)
    assert len(out) <= 41 and out.endswith("…")


def test_create_undo_redo_claim_keeps_its_id_and_links(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    stack = UndoStack()
    with Project.open(study.path) as project:
        left = _claim(project, stack, study.left, LEFT_TEXT, LEFT_CLAIM, "disputed")
        right = _claim(project, stack, study.right, RIGHT_TEXT, RIGHT_CLAIM, "sourced")
        assert stack.undoText() == f"Create claim “{RIGHT_CLAIM}”"
        assert stack.run(CreateLinkCommand(project, left, right, "contradicts", "payroll"))
        assert stack.undoText() == "Link claims (contradicts)"
        [link] = project.links()
        # delete the left claim: its link goes too; undo brings both back
        assert stack.run(DeleteClaimCommand(project, project.annotation(left)))
        assert project.links() == []
        stack.undo()
        assert project.annotation(left).quote.exact == LEFT_CLAIM
        assert project.links() == [link]
        stack.undo()  # the link
        assert project.links() == []
        stack.undo()  # the right claim
        assert [a.id for a in project.annotations()] == [left]
        stack.redo()
        stack.redo()
        assert project.annotation(right).quote.exact == RIGHT_CLAIM
        assert project.links() == [link]


def test_note_edits_of_one_claim_merge_into_one_step(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    stack = UndoStack()
    with Project.open(study.path) as project:
        claim_id = _claim(project, stack, study.left, LEFT_TEXT, LEFT_CLAIM, "disputed")
        for text in ("P", "Payroll", "Payroll says 850"):
            stack.run(EditClaimCommand(project, project.annotation(claim_id), "note", text))
        assert stack.count() == 2
        assert stack.undoText().startswith("Edit note of claim")
        stack.undo()
        assert project.annotation(claim_id).note == ""
        stack.redo()
        assert project.annotation(claim_id).note == "Payroll says 850"
        # tags and evidence are separate steps
        claim = project.annotation(claim_id)
        stack.run(EditClaimCommand(project, claim, "tags", ("numbers", "strike")))
        stack.run(
            EditClaimCommand(
                project,
                project.annotation(claim_id),
                "evidence",
                (Evidence("Payroll 1931", "https://example.org/p"),),
            )
        )
        stack.run(
            EditClaimCommand(
                project, project.annotation(claim_id), "label_id", project.label("1").id, "sourced"
            )
        )
        assert stack.undoText() == f"Relabel claim “{LEFT_CLAIM}” as sourced"
        assert stack.count() == 5
        stack.undo()
        stack.undo()
        claim = project.annotation(claim_id)
        assert claim.evidence == () and claim.tags == ("numbers", "strike")
        assert claim.label_id == project.label("disputed").id


def test_a_refused_change_is_reported_and_not_pushed(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    stack = UndoStack()
    failures: list[object] = []
    stack.failed.connect(failures.append)
    with Project.open(study.path) as project:
        bad = CreateClaimCommand(project, study.left, 5, 5, project.label("1").id, "")
        assert not stack.run(bad)
        assert stack.count() == 0
        assert "non-empty span" in str(failures[0])


def test_document_and_label_commands(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    stack = UndoStack()
    with Project.open(study.path) as project:
        claim_id = _claim(project, stack, study.left, LEFT_TEXT, LEFT_CLAIM, "polemical")
        stack.run(
            EditDocumentCommand(
                project,
                study.left,
                "Union pamphlet",
                {"publisher": "Quay Union", "published": "1931-05"},
                {"publisher": "", "published": ""},
            )
        )
        assert project.document(study.left).published is not None
        stack.undo()
        assert project.document(study.left).publisher == ""
        assert project.document(study.left).published is None

        add = AddLabelCommand(project, "checked", "#1565c0", "4")
        assert stack.run(add)
        stack.run(EditLabelCommand(project, project.label(add.label_id), name="verified"))
        assert stack.undoText() == "Rename label checked to verified"
        order = [lab.id for lab in project.labels()]
        stack.run(ReorderLabelsCommand(project, order, list(reversed(order))))
        assert project.labels()[0].name == "verified"
        polemical = project.label("polemical")
        stack.run(DeleteLabelCommand(project, polemical, add.label_id, "verified"))
        assert project.annotation(claim_id).label_id == add.label_id
        stack.undo()
        assert project.annotation(claim_id).label_id == polemical.id
        assert project.label("polemical").color == polemical.color
        while stack.canUndo():
            stack.undo()
        assert [lab.name for lab in project.labels()] == ["sourced", "disputed", "polemical"]
        while stack.canRedo():
            stack.redo()
        assert "verified" in [lab.name for lab in project.labels()]


def test_delete_link_and_undo(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    stack = UndoStack()
    with Project.open(study.path) as project:
        a = _claim(project, stack, study.left, LEFT_TEXT, LEFT_CLAIM, "disputed")
        b = _claim(project, stack, study.right, RIGHT_TEXT, RIGHT_CLAIM, "sourced")
        project.create_link(a, b, "contradicts")
        [link] = project.links()
        stack.run(DeleteLinkCommand(project, link))
        assert stack.undoText() == "Remove link (contradicts)"
        assert project.links() == []
        stack.undo()
        assert project.links() == [link]
