"""Whose claims the rows of the change log are about (`changes.owner`), found as they are written.

A row of a claim is owned by the claim's author; a row of a link by the author of both its
claims when they are one member's, by nobody when they are two members' (blind coding shows
such a link to no one but the admins, and its rows likewise). A removed claim or link is gone
when its rows are written, so its owner is read before it goes: at each flush, and before each
statement the mutation runs itself (the services delete links in SQL), for the removals
recorded so far. Rows of anything else have no owner.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event, select
from sqlalchemy.orm import Session, aliased

from annotator.services.changes import ChangeCollector, EntityRef
from annotator.storage.orm import OWNED_ENTITIES, ClaimRow, LinkRow

_CHUNK = 500


class ChangeOwners:
    """The owners of a mutation's claims and links, read while the mutation runs."""

    def __init__(self, session: Session, collector: ChangeCollector) -> None:
        self._session = session
        self._collector = collector
        self._known: dict[EntityRef, str | None] = {}
        event.listen(session, "before_flush", self._before_flush)
        event.listen(session, "do_orm_execute", self._before_statement)

    def _before_flush(self, _session: Session, _context: object, _instances: object) -> None:
        self._note_removed()

    def _before_statement(self, _state: object) -> None:
        self._note_removed()

    def _note_removed(self) -> None:
        pending = [
            r
            for r in self._collector.removed
            if r.entity in OWNED_ENTITIES and r not in self._known
        ]
        if pending:
            self._known.update(self._read(pending))

    def owners(self) -> dict[EntityRef, str | None]:
        """The owner of every claim and link the mutation touched (call after its last flush):
        those removed as read before they went, the others as they are now."""
        self._note_removed()
        rest = [
            r
            for r in (*self._collector.added, *self._collector.changed)
            if r.entity in OWNED_ENTITIES and r not in self._known
        ]
        self._known.update(self._read(rest))
        return self._known

    def _read(self, refs: list[EntityRef]) -> dict[EntityRef, str | None]:
        if not refs:
            return {}
        # On the mutation's connection, past the ORM: no autoflush, no statement events.
        conn = self._session.connection()
        found: dict[EntityRef, str | None] = {}
        claims = sorted({r.id for r in refs if r.entity == "annotation"})
        links = sorted({r.id for r in refs if r.entity == "link"})
        for chunk in _chunks(claims):
            claim_query = select(ClaimRow.id, ClaimRow.author).where(ClaimRow.id.in_(chunk))
            for claim_id, author in conn.execute(claim_query):
                found[EntityRef("annotation", claim_id)] = author
        source, target = aliased(ClaimRow), aliased(ClaimRow)
        for chunk in _chunks(links):
            link_query = (
                select(LinkRow.id, source.author, target.author)
                .join(source, source.id == LinkRow.source_id)
                .join(target, target.id == LinkRow.target_id)
                .where(LinkRow.id.in_(chunk))
            )
            for link_id, one, other in conn.execute(link_query):
                found[EntityRef("link", link_id)] = one if one == other else None
        # Not found (hidden from this member, or gone already): nobody's.
        for ref in refs:
            found.setdefault(ref, None)
        return found


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
