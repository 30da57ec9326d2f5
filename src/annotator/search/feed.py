"""What the indexer reads from the project: bulk, read-only, in one SQL transaction.

`Project.annotations()` builds ORM objects and domain objects for every claim: ~8 s for 100,000
claims, more than a tenth of a full rebuild. The index needs flat records, so this module reads
the tables with SQLAlchemy Core (~0.6 s for the same claims, tags, evidence and links) inside
one transaction, which also gives a consistent snapshot together with the change number. It is
the one place where `annotator.search` reads SQL directly; it never writes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from annotator.storage.mapping import aware
from annotator.storage.orm import (
    ClaimRow,
    DocumentRow,
    DocumentTextRow,
    EvidenceRow,
    LinkRow,
    ProjectMetaRow,
    TagRow,
)

if TYPE_CHECKING:
    from annotator.services.api import Project

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    id: str
    document_id: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    label_id: str
    note: str
    author: str
    created: datetime
    modified: datetime
    tags: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    link_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    id: str
    position: int
    paragraphs: tuple[tuple[int, int], ...]
    pages: tuple[int, ...] = ()
    """Start offset of each page (paged sources); empty otherwise."""


@contextmanager
def snapshot(project: Project) -> Iterator[Connection]:
    """One read transaction on the project: everything read inside it is one consistent state,
    and (a deferred BEGIN in WAL mode) it never holds up the app's or another process's writes."""
    with project.read_snapshot() as conn:
        yield conn


def change_number(conn: Connection) -> int:
    value = conn.scalar(select(ProjectMetaRow.value).where(ProjectMetaRow.key == "change_number"))
    return int(value) if value else 0


def documents(conn: Connection, ids: Collection[str] | None = None) -> list[DocumentRecord]:
    """Documents (without their text), in project order."""
    query = select(
        DocumentRow.id, DocumentRow.position, DocumentRow.paragraphs, DocumentRow.pages
    ).order_by(DocumentRow.position)
    rows = []
    if ids is None:
        rows = list(conn.execute(query))
    else:
        wanted = list(ids)
        for i in range(0, len(wanted), _CHUNK):
            rows += conn.execute(query.where(DocumentRow.id.in_(wanted[i : i + _CHUNK])))
    return [
        DocumentRecord(
            r[0],
            r[1],
            tuple((int(s), int(e)) for s, e in json.loads(r[2] or "[]")),
            tuple(int(p) for p in json.loads(r[3] or "[]")),
        )
        for r in rows
    ]


def document_text(conn: Connection, document_id: str) -> str:
    query = select(DocumentTextRow.text).where(DocumentTextRow.document_id == document_id)
    return conn.scalar(query) or ""


def claims(
    conn: Connection,
    ids: Collection[str] | None = None,
    document_ids: Collection[str] | None = None,
    *,
    with_links: bool = True,
) -> list[ClaimRecord]:
    """Claims with their tags, evidence and links: all of them, or those with the given ids, or
    those of the given documents."""
    table = ClaimRow.__table__
    base = select(table)
    if ids is None and document_ids is None:
        rows = list(conn.execute(base.order_by(table.c.document_id, table.c.start)))
        tags = _grouped(conn, select(TagRow.annotation_id, TagRow.tag).order_by(TagRow.position))
        evidence = _grouped(
            conn,
            select(EvidenceRow.annotation_id, EvidenceRow.citation, EvidenceRow.url).order_by(
                EvidenceRow.position
            ),
        )
        links = _links(conn, None)
    else:
        column = table.c.id if ids is not None else table.c.document_id
        wanted = list(ids if ids is not None else document_ids or ())
        rows = []
        for i in range(0, len(wanted), _CHUNK):
            rows += conn.execute(base.where(column.in_(wanted[i : i + _CHUNK])))
        found = [r.id for r in rows]
        tags, evidence = defaultdict(list), defaultdict(list)
        for i in range(0, len(found), _CHUNK):
            chunk = found[i : i + _CHUNK]
            tags.update(
                _grouped(
                    conn,
                    select(TagRow.annotation_id, TagRow.tag)
                    .where(TagRow.annotation_id.in_(chunk))
                    .order_by(TagRow.position),
                )
            )
            evidence.update(
                _grouped(
                    conn,
                    select(EvidenceRow.annotation_id, EvidenceRow.citation, EvidenceRow.url)
                    .where(EvidenceRow.annotation_id.in_(chunk))
                    .order_by(EvidenceRow.position),
                )
            )
        links = _links(conn, found) if with_links else {}
    out = []
    for r in rows:
        claim_links = links.get(r.id, ())
        out.append(
            ClaimRecord(
                id=r.id,
                document_id=r.document_id,
                start=r.start,
                end=r.end,
                exact=r.exact,
                prefix=r.prefix,
                suffix=r.suffix,
                label_id=r.label_id,
                note=r.note,
                author=r.author,
                created=aware(r.created),
                modified=aware(r.modified),
                tags=tuple(t[0] for t in tags.get(r.id, ())),
                evidence=tuple(" ".join(p for p in e if p) for e in evidence.get(r.id, ())),
                relations=tuple(rel for _, rel in claim_links),
                link_ids=tuple(lid for lid, _ in claim_links),
            )
        )
    return out


def link_ends(conn: Connection, link_ids: Collection[str]) -> set[str]:
    """Claim ids at either end of the given (existing) links."""
    wanted = list(link_ids)
    out: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        rows = conn.execute(
            select(LinkRow.source_id, LinkRow.target_id).where(
                LinkRow.id.in_(wanted[i : i + _CHUNK])
            )
        )
        for source, target in rows:
            out.update((source, target))
    return out


def _grouped(conn: Connection, query: object) -> defaultdict[str, list[tuple[str, ...]]]:
    out: defaultdict[str, list[tuple[str, ...]]] = defaultdict(list)
    for row in conn.execute(query):  # type: ignore[call-overload]
        out[row[0]].append(tuple(v or "" for v in row[1:]))
    return out


def _links(conn: Connection, claim_ids: list[str] | None) -> dict[str, list[tuple[str, str]]]:
    """{claim id: [(link id, relation)]} for every link touching the claims (or all)."""
    query = select(LinkRow.id, LinkRow.source_id, LinkRow.target_id, LinkRow.relation)
    out: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    if claim_ids is None:
        batches = [conn.execute(query)]
    else:
        batches = []
        for i in range(0, len(claim_ids), _CHUNK):
            chunk = claim_ids[i : i + _CHUNK]
            batches.append(conn.execute(query.where(LinkRow.source_id.in_(chunk))))
            batches.append(conn.execute(query.where(LinkRow.target_id.in_(chunk))))
    wanted = None if claim_ids is None else set(claim_ids)
    seen: set[tuple[str, str]] = set()
    for batch in batches:
        for link_id, source, target, relation in batch:
            for end in (source, target):
                if (wanted is None or end in wanted) and (end, link_id) not in seen:
                    seen.add((end, link_id))
                    out[end].append((link_id, relation))
    return out


def changes_since(conn: Connection, number: int) -> list[tuple[int, str, str, str]]:
    """Outbox rows after change `number`: (change_number, entity, id, op), in order."""
    from annotator.storage.orm import ChangeRow

    rows = conn.execute(
        select(ChangeRow.change_number, ChangeRow.entity, ChangeRow.entity_id, ChangeRow.op)
        .where(ChangeRow.change_number > number)
        .order_by(ChangeRow.seq)
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def project_id(conn: Connection) -> str:
    value = conn.scalar(select(ProjectMetaRow.value).where(ProjectMetaRow.key == "project_id"))
    return str(value or "")
