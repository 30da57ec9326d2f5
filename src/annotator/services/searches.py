"""Saved searches, kept in the project."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import new_id
from annotator.services.changes import Changes
from annotator.services.project import ProjectBase
from annotator.storage.orm import SavedSearchRow


@dataclass(frozen=True)
class SavedSearch:
    id: str
    name: str
    query: str


class SavedSearchService(ProjectBase):
    def saved_searches(self) -> list[SavedSearch]:
        with self._read() as session:
            rows = session.scalars(select(SavedSearchRow).order_by(SavedSearchRow.position))
            return [SavedSearch(r.id, r.name, r.query) for r in rows]

    def save_search(self, name: str, query: str) -> Changes:
        """Save `query` under `name`, replacing a saved search of that name."""
        name = name.strip()
        if not name or not query.strip():
            raise ValidationError("A saved search needs a name and a query.")
        with self._mutation("Save search") as (session, changes):
            row = session.scalars(select(SavedSearchRow).where(SavedSearchRow.name == name)).first()
            if row is None:
                position = (session.scalar(select(func.max(SavedSearchRow.position))) or 0) + 1
                row = SavedSearchRow(id=new_id(), name=name, query=query, position=position)
                session.add(row)
                changes.add("saved_search", row.id)
            else:
                row.query = query
                changes.change("saved_search", row.id)
            changes.created_id = row.id
        return changes.done()

    def delete_saved_search(self, search_id: str) -> Changes:
        with self._mutation("Delete saved search") as (session, changes):
            row = session.get(SavedSearchRow, search_id)
            if row is None:
                raise NotFoundError("No such saved search.")
            session.delete(row)
            changes.remove("saved_search", search_id)
        return changes.done()
