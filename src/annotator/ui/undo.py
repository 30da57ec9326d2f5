"""Undo commands: every change the app makes to a project goes through one of these.

Each command calls the Project services, which commit at once: nothing waits for a "save". A
command is executed before it is pushed (`UndoStack.run`), so a refused change (a user error)
shows its sentence and never lands on the stack. Undo and redo call the services again; if one is
refused (the project changed meanwhile) the stack reports it and drops the command.

A claim edit carries the revision of the claim the user saw: when someone else (another window,
another team member) changed the claim meanwhile, the save is refused with `ClaimChangedError`,
which holds the claim as it now is, so that the inspector can show both versions. Undo and redo
of a claim edit write only when the field still holds what the command left there, at the
revision just read: they never overwrite a change made since.

Each command also says which claims a step takes away and which it wants selected once done
(`claims_taken`, `claims_to_select`); the stack says when it undoes or redoes a step
(`stepping`, `stepped`), so that the selection can follow undo and redo as in any editor
(`claim_actions.ClaimActions` does it) without the commands knowing about the window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.domain.errors import AnnotatorError, ConflictError, NotFoundError
from annotator.domain.model import Claim, Evidence, Label, Link, new_id

if TYPE_CHECKING:
    from annotator.services.api import Project

NOTE_MERGE_ID = 1001


def snippet(text: str, limit: int = 40) -> str:
    """A quote short enough for a menu: one line, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


class UndoStack(QUndoStack):
    """The one undo stack of a project window."""

    failed = Signal(object)  # an exception raised while undoing or redoing
    stepping = Signal(object, bool)  # a command is about to be undone (True) or redone (False)
    stepped = Signal(object, bool)  # ... and was (not emitted when it was refused)
    """`stepped` comes once the stack's own undo or redo is over (its index moved): what
    listens may push a command (the inspector saving a note it was showing) without pushing
    into a step still in progress."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[tuple[ProjectCommand, bool]] = []
        self.indexChanged.connect(self._steps_over)

    def step_done(self, command: ProjectCommand, undoing: bool) -> None:
        """A command was undone or redone; `stepped` says so once the index has moved."""
        self._steps.append((command, undoing))

    def _steps_over(self, _index: int) -> None:
        steps, self._steps = self._steps, []
        for command, undoing in steps:
            self.stepped.emit(command, undoing)

    def run(
        self,
        command: ProjectCommand,
        on_stale: Callable[[ClaimChangedError], None] | None = None,
    ) -> bool:
        """Execute `command` and push it; a refused change is reported and not pushed.
        `on_stale`: who settles a save refused because the claim changed meanwhile (else it is
        reported like any refusal)."""
        command.stack = self
        try:
            command.execute()
        except ClaimChangedError as exc:
            if on_stale is None:
                self.failed.emit(exc)
            else:
                on_stale(exc)
            return False
        except AnnotatorError as exc:
            self.failed.emit(exc)
            return False
        self.push(command)
        return True


class ProjectCommand(QUndoCommand):
    """A change to the project. Subclasses implement `execute`, `do_undo` and `do_redo`."""

    def __init__(self, project: Project, text: str) -> None:
        super().__init__(text)
        self.project = project
        self.stack: UndoStack | None = None
        self._pushed = False

    def execute(self) -> None:
        """The first run, before the command is on the stack; raises on refusal."""
        self.do_redo()

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push calls redo(): the change is done already
            self._pushed = True
            return
        self._guard(self.do_redo, undoing=False)

    def undo(self) -> None:
        self._guard(self.do_undo, undoing=True)

    def do_redo(self) -> None:
        raise NotImplementedError

    def do_undo(self) -> None:
        raise NotImplementedError

    def claims_taken(self, undoing: bool) -> tuple[str, ...]:
        """The claims the undo (or the redo) of this command takes away."""
        return ()

    def claims_to_select(self, undoing: bool) -> tuple[str, ...]:
        """The claims to select once this command is undone (or redone), each in its pane;
        the last is the one to make the selected claim."""
        return ()

    def _guard(self, action: Any, undoing: bool) -> None:
        if self.stack is not None:
            self.stack.stepping.emit(self, undoing)
        try:
            action()
        except AnnotatorError as exc:
            self.setObsolete(True)
            if self.stack is not None:
                self.stack.failed.emit(exc)
            return
        if self.stack is not None:
            self.stack.step_done(self, undoing)


# -- claims ------------------------------------------------------------------------------------


class CreateClaimCommand(ProjectCommand):
    def __init__(
        self, project: Project, document_id: str, start: int, end: int, label_id: str, quote: str
    ) -> None:
        super().__init__(project, f"Create claim “{snippet(quote)}”")
        self.document_id = document_id
        self.start, self.end = start, end
        self.label_id = label_id
        self.claim_id = new_id()
        self._saved: Claim | None = None
        self._links: list[Link] = []

    def execute(self) -> None:
        self.project.create_claim(
            self.document_id, self.start, self.end, self.label_id, annotation_id=self.claim_id
        )

    def do_undo(self) -> None:
        self._saved = self.project.annotation(self.claim_id)
        self._links = self.project.links(self.claim_id)
        self.project.delete_claim(self.claim_id)

    def do_redo(self) -> None:
        assert self._saved is not None
        self.project.restore_claim(self._saved, self._links)

    def claims_taken(self, undoing: bool) -> tuple[str, ...]:
        return (self.claim_id,) if undoing else ()

    def claims_to_select(self, undoing: bool) -> tuple[str, ...]:
        return () if undoing else (self.claim_id,)


class DeleteClaimCommand(ProjectCommand):
    def __init__(self, project: Project, claim: Claim) -> None:
        super().__init__(project, f"Delete claim “{snippet(claim.quote.exact)}”")
        self.claim_id = claim.id
        self._saved = claim
        self._links: list[Link] = []

    def do_redo(self) -> None:
        """Delete the claim as it was seen (or restored by undo), never a version changed
        since by someone else."""
        seen = self._saved.revision
        now = self.project.annotation(self.claim_id)
        if now.revision != seen:
            raise ConflictError(
                f"Not deleted: this claim was changed meanwhile (it is at revision "
                f"{now.revision} now); look at the change first."
            )
        self._links = self.project.links(self.claim_id)
        self.project.delete_claim(self.claim_id, expected_revision=seen)
        self._saved = now

    def do_undo(self) -> None:
        self.project.restore_claim(self._saved, self._links)

    def claims_taken(self, undoing: bool) -> tuple[str, ...]:
        return () if undoing else (self.claim_id,)

    def claims_to_select(self, undoing: bool) -> tuple[str, ...]:
        return (self.claim_id,) if undoing else ()


class ClaimChangedError(ConflictError):
    """A claim edit refused because the claim changed since the user saw it: `theirs` is the
    claim as it now is, `seen` as the user saw it, `field` and `value` the refused edit."""

    def __init__(self, message: str, theirs: Claim, seen: Claim, field: str, value: Any) -> None:
        super().__init__(message)
        self.theirs, self.seen, self.field, self.value = theirs, seen, field, value

    @property
    def mine(self) -> Claim:
        """Theirs with the refused edit: the claim as saving yours over theirs leaves it (only
        the field edited is yours)."""
        return replace(self.theirs, **{self.field: self.value})


FIELD_NAMES = {  # a claim field in the user's words
    "label_id": "label",
    "note": "note",
    "tags": "tags",
    "evidence": "evidence",
}

_FIELD_TEXT = {
    "note": "Edit note of claim “{}”",
    "tags": "Edit tags of claim “{}”",
    "evidence": "Edit evidence of claim “{}”",
}


class EditClaimCommand(ProjectCommand):
    """Relabel a claim or change its note, tags or evidence, as the user saw it (`claim`, with
    its revision). Consecutive note edits of one claim merge into one undo step."""

    def __init__(
        self, project: Project, claim: Claim, field: str, value: Any, label_name: str = ""
    ) -> None:
        if field == "label_id":
            text = (
                f"Relabel claim “{snippet(claim.quote.exact)}” as {label_name or 'another label'}"
            )
        else:
            text = _FIELD_TEXT[field].format(snippet(claim.quote.exact))
        super().__init__(project, text)
        self.claim_id = claim.id
        self.field = field
        self.seen = claim
        """The claim as the user saw it when making this edit."""
        self.revision = claim.revision
        """The revision the first save expects (the one the user saw)."""
        self.saved_revision = claim.revision + 1
        """The revision the claim has after this command's latest save."""
        self.old: Any = getattr(claim, field)
        self.new: Any = tuple(value) if field in ("tags", "evidence") else value

    def execute(self) -> None:
        try:
            self.project.update_claim(
                self.claim_id, expected_revision=self.revision, **{self.field: self.new}
            )
        except ConflictError as exc:
            theirs = self._now()
            if theirs is None or theirs.revision == self.revision:
                raise
            raise ClaimChangedError(
                f"Not saved: this claim was changed meanwhile (it is at revision "
                f"{theirs.revision} now, you edited revision {self.revision}).",
                theirs,
                self.seen,
                self.field,
                self.new,
            ) from exc
        self.saved_revision = self.revision + 1

    def _now(self) -> Claim | None:
        try:
            return self.project.annotation(self.claim_id)
        except NotFoundError:
            return None

    def _apply(self, expect: Any, value: Any, doing: str) -> None:
        """Write `value` if the field still holds `expect` (what this command left there),
        at the revision just read; refuse otherwise."""
        now = self._now()
        if now is None:
            raise NotFoundError(f"Not {doing}: the claim was deleted meanwhile.")
        current = getattr(now, self.field)
        if self.field in ("tags", "evidence"):
            current = tuple(current)
        if current != expect:
            raise ConflictError(
                f"Not {doing}: the {FIELD_NAMES[self.field]} of this claim was changed "
                f"meanwhile (it is at revision {now.revision} now), and {doing[:-2]}ing "
                "would overwrite that change."
            )
        try:
            self.project.update_claim(
                self.claim_id, expected_revision=now.revision, **{self.field: value}
            )
        except ConflictError as exc:
            raise ConflictError(
                f"Not {doing}: this claim was changed meanwhile, and {doing[:-2]}ing "
                "would overwrite that change."
            ) from exc

    def do_redo(self) -> None:
        self._apply(self.old, self.new, "redone")

    def do_undo(self) -> None:
        self._apply(self.new, self.old, "undone")

    def claims_to_select(self, undoing: bool) -> tuple[str, ...]:
        return (self.claim_id,)  # the claim whose label, note, tags or evidence changed back

    def id(self) -> int:
        return NOTE_MERGE_ID if self.field == "note" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            isinstance(other, EditClaimCommand)
            and other.field == "note"
            and self.field == "note"
            and other.claim_id == self.claim_id
            and other.revision == self.saved_revision  # nothing came between the two saves
        ):
            self.new = other.new
            self.saved_revision = other.saved_revision
            return True
        return False


# -- links -------------------------------------------------------------------------------------


class CreateLinkCommand(ProjectCommand):
    def __init__(
        self, project: Project, source_id: str, target_id: str, relation: str, note: str = ""
    ) -> None:
        super().__init__(project, f"Link claims ({relation})")
        self.source_id, self.target_id = source_id, target_id
        self.relation, self.note = relation, note
        self.link_id = new_id()
        self._saved: Link | None = None

    def execute(self) -> None:
        self.project.create_link(
            self.source_id, self.target_id, self.relation, note=self.note, link_id=self.link_id
        )
        self._saved = self.project.link(self.link_id)

    def do_undo(self) -> None:
        self.project.delete_link(self.link_id)

    def do_redo(self) -> None:
        assert self._saved is not None
        self.project.restore_link(self._saved)

    def claims_to_select(self, undoing: bool) -> tuple[str, ...]:
        return (self.target_id, self.source_id)  # the two ends, as they were when linked


class DeleteLinkCommand(ProjectCommand):
    def __init__(self, project: Project, link: Link) -> None:
        super().__init__(project, f"Remove link ({link.relation.value})")
        self.link_id = link.id
        self._saved = link

    def do_redo(self) -> None:
        self._saved = self.project.link(self.link_id)
        self.project.delete_link(self.link_id)

    def do_undo(self) -> None:
        self.project.restore_link(self._saved)

    def claims_to_select(self, undoing: bool) -> tuple[str, ...]:
        return (self._saved.target_id, self._saved.source_id)


# -- documents ---------------------------------------------------------------------------------


class EditDocumentCommand(ProjectCommand):
    """Edit a document's metadata fields (`new` and `old` map field names to values)."""

    def __init__(
        self, project: Project, document_id: str, title: str, new: dict[str, Any], old: dict
    ) -> None:
        super().__init__(project, f"Edit details of “{snippet(title)}”")
        self.document_id = document_id
        self.new, self.old = dict(new), dict(old)

    def do_redo(self) -> None:
        self.project.update_document(self.document_id, **self.new)

    def do_undo(self) -> None:
        self.project.update_document(self.document_id, **self.old)


# -- labels ------------------------------------------------------------------------------------


class AddLabelCommand(ProjectCommand):
    def __init__(self, project: Project, name: str, color: str, key: str | None = None) -> None:
        super().__init__(project, f"Add label {name}")
        self.name, self.color, self.key = name, color, key
        self.label_id = ""
        self._saved: Label | None = None

    def execute(self) -> None:
        changes = self.project.add_label(self.name, self.color, self.key)
        assert changes.created_id is not None
        self.label_id = changes.created_id

    def do_undo(self) -> None:
        self._saved = self.project.label(self.label_id)
        self.project.delete_label(self.label_id)

    def do_redo(self) -> None:
        assert self._saved is not None
        self.project.restore_label(self._saved)


class EditLabelCommand(ProjectCommand):
    """Rename, recolour or re-key a label (`new`/`old`: name, color, key)."""

    def __init__(self, project: Project, label: Label, **new: Any) -> None:
        if "name" in new:
            text = f"Rename label {label.name} to {new['name']}"
        elif "color" in new:
            text = f"Recolour label {label.name}"
        elif "key" in new:
            text = f"Change the key of label {label.name}"
        else:
            text = f"Edit label {label.name}"
        super().__init__(project, text)
        self.label_id = label.id
        self.new = new
        self.old = {k: getattr(label, k) for k in new}

    def do_redo(self) -> None:
        self.project.update_label(self.label_id, **self.new)

    def do_undo(self) -> None:
        self.project.update_label(self.label_id, **self.old)


class ReorderLabelsCommand(ProjectCommand):
    def __init__(self, project: Project, old: Sequence[str], new: Sequence[str]) -> None:
        super().__init__(project, "Reorder labels")
        self.old, self.new = list(old), list(new)

    def do_redo(self) -> None:
        self.project.reorder_labels(self.new)

    def do_undo(self) -> None:
        self.project.reorder_labels(self.old)


class DeleteLabelCommand(ProjectCommand):
    """Delete a label; its claims (if any) move to `reassign_to`, and back on undo."""

    def __init__(
        self, project: Project, label: Label, reassign_to: str | None, reassign_name: str = ""
    ) -> None:
        text = f"Delete label {label.name}"
        if reassign_to:
            text += f" (claims to {reassign_name})" if reassign_name else ""
        super().__init__(project, text)
        self._saved = label
        self.reassign_to = reassign_to
        self._claims: list[str] = []

    def do_redo(self) -> None:
        self._saved = self.project.label(self._saved.id)
        self._claims = [a.id for a in self.project.annotations(label_id=self._saved.id)]
        self.project.delete_label(self._saved.id, self.reassign_to)

    def do_undo(self) -> None:
        self.project.restore_label(self._saved)
        for claim_id in self._claims:
            self.project.update_claim(claim_id, label_id=self._saved.id)


# -- adjudication ------------------------------------------------------------------------------


class SettleCommand(ProjectCommand):
    """Settle a unit of claims with a label (a settled claim is made) or, with no label, reject
    it as not a claim. Undo removes the settlement and its settled claim; redo settles again
    with the same ids."""

    def __init__(
        self,
        project: Project,
        claim_ids: Sequence[str],
        label_id: str | None,
        quote: str,
        label_name: str = "",
        span_of: str | None = None,
    ) -> None:
        if label_id is None:
            text = f"Reject “{snippet(quote)}” as not a claim"
        else:
            text = f"Settle “{snippet(quote)}” as {label_name or 'a label'}"
        super().__init__(project, text)
        self.claim_ids = tuple(claim_ids)
        self.label_id = label_id
        self.span_of = span_of
        self.settlement_id = new_id()
        self.claim_id = new_id() if label_id is not None else None

    def do_redo(self) -> None:
        self.project.settle(
            self.claim_ids,
            self.label_id,
            span_of=self.span_of,
            settlement_id=self.settlement_id,
            claim_id=self.claim_id,
        )

    def do_undo(self) -> None:
        self.project.remove_settlement(self.settlement_id)

    def claims_taken(self, undoing: bool) -> tuple[str, ...]:
        return (self.claim_id,) if undoing and self.claim_id else ()


def evidence_list(items: Sequence[tuple[str, str]]) -> tuple[Evidence, ...]:
    """Evidence from (citation, url) pairs, skipping empty rows."""
    out = []
    for citation, url in items:
        citation, url = citation.strip(), url.strip()
        if citation or url:
            out.append(Evidence(citation, url or None))
    return tuple(out)
