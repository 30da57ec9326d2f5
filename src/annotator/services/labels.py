"""Labels (claim statuses): add, rename, recolour, re-key, reorder, delete with reassignment."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from annotator.domain.colors import new_label_color
from annotator.domain.errors import ConflictError, NotFoundError, ValidationError
from annotator.domain.model import Label, check_color, check_key, new_id
from annotator.services.changes import Changes
from annotator.services.project import ProjectBase
from annotator.storage import mapping
from annotator.storage.orm import ClaimRow, LabelRow


class LabelService(ProjectBase):
    def labels(self) -> list[Label]:
        with self._read() as session:
            rows = session.scalars(select(LabelRow).order_by(LabelRow.position))
            return [mapping.label(r) for r in rows]

    def label(self, ref: str) -> Label:
        """A label by id, by name (case-insensitive) or by its key."""
        labels = self.labels()
        for lab in labels:
            if ref == lab.id:
                return lab
        for lab in labels:
            if ref.casefold() == lab.name.casefold():
                return lab
        for lab in labels:
            if lab.key is not None and ref == lab.key:
                return lab
        names = ", ".join(lab.name for lab in labels)
        raise NotFoundError(f"No label {ref!r}; the labels are: {names}.")

    def new_label_color(self) -> str:
        """A colour for a new label: the palette's farthest, in a perceptual sense, from the
        labels' colours and the link relations' colours."""
        return new_label_color(lab.color for lab in self.labels())

    def label_usage(self) -> dict[str, int]:
        with self._read() as session:
            rows = session.execute(
                select(ClaimRow.label_id, func.count()).group_by(ClaimRow.label_id)
            )
            return {label_id: n for label_id, n in rows}

    def add_label(
        self, name: str, color: str, key: str | None = None, description: str = ""
    ) -> Changes:
        name = name.strip()
        color = check_color(color)
        key = check_key(key)
        with self._mutation(f"Add label {name}") as (session, changes):
            _check_unique(session, name=name, key=key)
            position = (session.scalar(select(func.max(LabelRow.position))) or 0) + 1
            row = LabelRow(
                id=new_id(),
                name=name,
                color=color,
                key=key,
                position=position,
                builtin=False,
                description=description,
            )
            Label(row.id, name, color, key, position)  # validates the name
            session.add(row)
            changes.add("label", row.id)
            changes.created_id = row.id
        return changes.done()

    def update_label(
        self,
        label_id: str,
        *,
        name: str | None = None,
        color: str | None = None,
        key: str | object | None = ...,
        description: str | None = None,
    ) -> Changes:
        """Rename, recolour, set or clear the key (`key=None` clears it)."""
        with self._mutation("Edit label") as (session, changes):
            row = session.get(LabelRow, label_id)
            if row is None:
                raise NotFoundError(f"No label with id {label_id}.")
            if name is not None:
                name = name.strip()
                if not name:
                    raise ValidationError("A label needs a name.")
                _check_unique(session, name=name, key=None, exclude=label_id)
                row.name = name
            if color is not None:
                row.color = check_color(color)
            if key is not ...:
                if key is not None and not isinstance(key, str):
                    raise ValidationError(f"A label's key is one printable character, not {key!r}.")
                new_key = check_key(key)
                _check_unique(session, name=None, key=new_key, exclude=label_id)
                row.key = new_key
            if description is not None:
                row.description = description
            changes.change("label", label_id)
        return changes.done()

    def reorder_labels(self, label_ids: list[str]) -> Changes:
        """Set the order of the labels to `label_ids` (all of them)."""
        with self._mutation("Reorder labels") as (session, changes):
            rows = {r.id: r for r in session.scalars(select(LabelRow))}
            if set(label_ids) != set(rows) or len(label_ids) != len(rows):
                raise ValidationError("Reordering needs every label exactly once.")
            for position, label_id in enumerate(label_ids):
                if rows[label_id].position != position:
                    rows[label_id].position = position
                    changes.change("label", label_id)
        return changes.done()

    def delete_label(self, label_id: str, reassign_to: str | None = None) -> Changes:
        """Delete a label; if claims use it, `reassign_to` (another label) says where they go."""
        with self._mutation("Delete label") as (session, changes):
            row = session.get(LabelRow, label_id)
            if row is None:
                raise NotFoundError(f"No label with id {label_id}.")
            users = list(session.scalars(select(ClaimRow.id).where(ClaimRow.label_id == label_id)))
            if users:
                if reassign_to is None:
                    raise ConflictError(
                        f"{len(users)} claim(s) are labelled {row.name}; choose a label for them "
                        "before deleting it."
                    )
                if reassign_to == label_id or session.get(LabelRow, reassign_to) is None:
                    raise ValidationError("Choose another existing label for its claims.")
                session.execute(
                    update(ClaimRow)
                    .where(ClaimRow.label_id == label_id)
                    .values(label_id=reassign_to, revision=ClaimRow.revision + 1)
                )
                for ann_id in users:
                    changes.change("annotation", ann_id)
            session.delete(row)
            changes.remove("label", label_id)
        return changes.done()

    def restore_label(self, label: Label) -> Changes:
        """Put back a deleted label as it was (undo of a delete)."""
        with self._mutation("Restore label") as (session, changes):
            if session.get(LabelRow, label.id) is not None:
                raise ValidationError("That label exists already.")
            _check_unique(session, name=label.name, key=label.key)
            session.add(
                LabelRow(
                    id=label.id,
                    name=label.name,
                    color=label.color,
                    key=label.key,
                    position=label.position,
                    builtin=label.builtin,
                    description=label.description,
                )
            )
            changes.add("label", label.id)
            changes.created_id = label.id
        return changes.done()


def _check_unique(
    session: Session, *, name: str | None, key: str | None, exclude: str | None = None
) -> None:
    for row in session.scalars(select(LabelRow)):
        if row.id == exclude:
            continue
        if name is not None and row.name.casefold() == name.casefold():
            raise ValidationError(f"A label named {row.name} exists already.")
        if key is not None and row.key == key:
            raise ValidationError(f"The key {key} belongs to the label {row.name} already.")
