"""Links between claims: corroborates, contradicts, repeats, cites."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import Link, Relation, new_id, utcnow
from annotator.domain.reading import links_touching
from annotator.services.changes import Changes
from annotator.services.project import ProjectBase
from annotator.storage import mapping
from annotator.storage.orm import ClaimRow, LinkRow
from annotator.storage.rows import new_link_row


def parse_relation(value: str) -> Relation:
    try:
        return Relation(value.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Relation)
        raise ValidationError(f"Not a relation: {value!r}; use one of {names}.") from None


class LinkService(ProjectBase):
    def links(
        self,
        annotation_id: str | None = None,
        annotation_ids: Iterable[str] | None = None,
    ) -> list[Link]:
        """All links, or those touching one claim, or touching any of a set of claims."""
        with self._read() as session:
            query = select(LinkRow).order_by(LinkRow.created, LinkRow.id)
            if annotation_id is not None:
                query = query.where(
                    or_(LinkRow.source_id == annotation_id, LinkRow.target_id == annotation_id)
                )
            rows = list(session.scalars(query))
        result = [mapping.link(r) for r in rows]
        return result if annotation_ids is None else links_touching(result, annotation_ids)

    def link(self, link_id: str) -> Link:
        with self._read() as session:
            row = session.get(LinkRow, link_id)
            if row is None:
                raise NotFoundError(f"No link with id {link_id}.")
            return mapping.link(row)

    def create_link(
        self,
        source_id: str,
        target_id: str,
        relation: Relation | str,
        *,
        note: str = "",
        link_id: str | None = None,
    ) -> Changes:
        rel = relation if isinstance(relation, Relation) else parse_relation(relation)
        item = Link(
            id=link_id or new_id(),
            source_id=source_id,
            target_id=target_id,
            relation=rel,
            note=note,
            author=self.author,
            created=utcnow(),
        )
        with self._mutation(f"Link claims ({rel.value})") as (session, changes):
            for claim in (source_id, target_id):
                if session.get(ClaimRow, claim) is None:
                    raise NotFoundError(f"No claim with id {claim}.")
            _refuse_duplicate(session, source_id, target_id, rel)
            session.add(new_link_row(item))
            changes.add("link", item.id)
            changes.created_id = item.id
        return changes.done()

    def restore_link(self, item: Link) -> Changes:
        """Put back a deleted link as it was (undo)."""
        with self._mutation("Restore link") as (session, changes):
            for claim in (item.source_id, item.target_id):
                if session.get(ClaimRow, claim) is None:
                    raise NotFoundError("A linked claim is no longer in the project.")
            if session.get(LinkRow, item.id) is not None:
                raise ValidationError("That link exists already.")
            _refuse_duplicate(session, item.source_id, item.target_id, item.relation)
            session.add(new_link_row(item))
            changes.add("link", item.id)
            changes.created_id = item.id
        return changes.done()

    def update_link(
        self, link_id: str, *, relation: Relation | str | None = None, note: str | None = None
    ) -> Changes:
        with self._mutation("Edit link") as (session, changes):
            row = session.get(LinkRow, link_id)
            if row is None:
                raise NotFoundError(f"No link with id {link_id}.")
            if relation is not None:
                rel = relation if isinstance(relation, Relation) else parse_relation(relation)
                if rel.value != row.relation:
                    _refuse_duplicate(session, row.source_id, row.target_id, rel)
                row.relation = rel.value
            if note is not None:
                row.note = note
            changes.change("link", link_id)
        return changes.done()

    def delete_link(self, link_id: str) -> Changes:
        with self._mutation("Remove link") as (session, changes):
            row = session.get(LinkRow, link_id)
            if row is None:
                raise NotFoundError(f"No link with id {link_id}.")
            session.delete(row)
            changes.remove("link", link_id)
        return changes.done()


def _refuse_duplicate(session: Session, source_id: str, target_id: str, rel: Relation) -> None:
    # Corroborating and contradicting are symmetric: B→A is the same link as A→B.
    ends = [(source_id, target_id)]
    if rel in (Relation.CORROBORATES, Relation.CONTRADICTS):
        ends.append((target_id, source_id))
    duplicate = session.scalars(
        select(LinkRow.id).where(
            or_(*(and_(LinkRow.source_id == a, LinkRow.target_id == b) for a, b in ends)),
            LinkRow.relation == rel.value,
        )
    ).first()
    if duplicate is not None:
        raise ValidationError("These claims are linked that way already.")
