"""A project file read with the standard library's sqlite3: what the window's first frame shows.

Loading SQLAlchemy and the services takes longer than building and painting the whole window
(`docs/benchmarks.md`, start-up). So when the app starts with a project file, the window is
painted from a `FirstFrame` (its labels, documents, claims, links and the texts of the open
documents, read here with sqlite3 alone) and the project is opened through the services right
after that frame is on screen (`ui.project_opening.ProjectOpening.show_first_frame`); the
window then reads everything again from the project but the documents the panes show (the
frame and the project hold the same project: the same id and change number, checked).

A frame is read only from a file whose schema is this version's (`storage.revisions`); anything
unexpected (no such file, not a project, an older or newer schema, a damaged page in what the
frame reads, a hot journal a read-only connection cannot roll back) gives no frame, and the
project is opened the usual way, which says what is wrong; so does a damaged page in a text a
pane then reads from the frame (the window drops the frame). A frame never writes: its
connection is read-only (which may leave an empty -wal and -shm beside a file in WAL mode, as
any reader does).

Rows are turned into domain objects by `storage.mapping`, as the services' rows are: both
give the same labels, documents, claims and links (a test compares them).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from annotator.domain.errors import NotFoundError
from annotator.domain.location import Locator
from annotator.domain.model import Claim, DocumentSummary, Evidence, Label, Link
from annotator.domain.reading import (
    ClaimSpanRow,
    ReadingCopy,
    find_document,
    links_touching,
)
from annotator.storage import mapping
from annotator.storage.revisions import HEAD_REVISION
from annotator.storage.sqlite_files import readonly_uri

CLAIM_SPANS_SQL = (
    'SELECT id, start, "end", label_id FROM annotations WHERE document_id = ? ORDER BY start, id'
)
"""(id, start, end, label id) of a document's claims in text order: answered from the index
ix_annotations_document_spans alone, already in its order (the services read it too)."""

_CLAIM_COLUMNS = (
    'a.id, a.document_id, a.start, a."end", a.exact, a.prefix, a.suffix, a.label_id, a.note, '
    "a.author, a.created, a.modified, a.revision"
)
"""The columns `mapping.claim_from_values` takes, in its order."""

_DATETIMES = frozenset({"imported_at", "modified", "created"})
"""Columns stored as SQLAlchemy's SQLite DATETIME text ("2026-12-02 07:41:52.394000")."""

_BATCH = 500
"""Claims read by id at most this many at a time (SQLite's limit on parameters is higher)."""


def _plain_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> SimpleNamespace:
    """A row with its columns as attributes and its values as the ORM would give them."""
    row = SimpleNamespace()
    for (name, *_), value in zip(cursor.description, values, strict=True):
        if name in _DATETIMES and isinstance(value, str):
            value = datetime.fromisoformat(value)
        elif name == "builtin":
            value = bool(value)
        setattr(row, name, value)
    return row


class FirstFrame:
    """The read-only picture of a project file that the window's first frame is painted from.

    It answers `domain.reading.ProjectReads` (what the claim store and the reader panes read):
    labels, documents, locators and links are read when the frame is; claims too, unless the
    project has more than `max_claims` (a big project's claims are read in the background, as
    they are when it opens the usual way: the frame then holds none); documents' texts are read
    when a pane asks for them. Reads may come from the task runner's threads (a big document is
    prepared there), one at a time."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        labels: list[Label],
        documents: list[DocumentSummary],
        locators: dict[str, Locator],
        claims: list[Claim] | None,
        links: list[Link],
        facts: tuple[int, str],
    ) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.Lock()
        self._labels = labels
        self._documents = documents
        self._locators = locators
        self._claims = claims
        self._by_id = {c.id: c for c in claims} if claims is not None else {}
        self._links = links
        self._change_number, self._project_id = facts

    # -- reading a frame -------------------------------------------------------------------

    @classmethod
    def read(cls, path: Path, *, max_claims: int) -> FirstFrame | None:
        """The frame of the project file at `path`, or None when the file is not one that this
        version opens as it is (the usual open then says why, or upgrades it)."""
        # SQLite alone opens the file: a file of ours closed by Python while a connection of
        # this process holds locks on it drops those locks (POSIX locks belong to the process),
        # so this code never opens a project file itself (`storage.sqlite_files`).
        if not path.is_file():
            return None
        try:
            conn = sqlite3.connect(
                readonly_uri(path), uri=True, timeout=1.0, check_same_thread=False
            )
        except (OSError, sqlite3.Error, ValueError):
            return None
        try:
            conn.isolation_level = None  # transactions are begun here, for reads only
            conn.execute("PRAGMA query_only = ON")
            frame = cls._read(path, conn, max_claims)
        except Exception:  # a damaged or unexpected file: the usual open says what is wrong
            frame = None
        if frame is None:
            conn.close()
        return frame

    @classmethod
    def _read(cls, path: Path, conn: sqlite3.Connection, max_claims: int) -> FirstFrame | None:
        with _snapshot(conn):
            tables = {
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not {"alembic_version", "project_meta"} <= tables:
                return None
            revisions = [r for (r,) in conn.execute("SELECT version_num FROM alembic_version")]
            if revisions != [HEAD_REVISION]:
                return None
            conn.row_factory = _plain_row
            try:
                labels = [
                    mapping.label(row)
                    for row in conn.execute("SELECT * FROM labels ORDER BY position")
                ]
                rows = conn.execute(
                    "SELECT id, position, title, authors, publisher, published, url, language, "
                    "source_kind, format, file_name, text_length, imported_at, accessed, "
                    "paragraphs, pages FROM documents ORDER BY position"
                ).fetchall()
                links = [
                    mapping.link(row)
                    for row in conn.execute("SELECT * FROM links ORDER BY created, id")
                ]
            finally:
                conn.row_factory = None
            documents = [mapping.document_summary(row) for row in rows]
            locators = {row.id: mapping.locator(row.paragraphs, row.pages) for row in rows}
            meta = dict(
                conn.execute(
                    "SELECT key, value FROM project_meta "
                    "WHERE key IN ('change_number', 'project_id')"
                ).fetchall()
            )
            (count,) = conn.execute("SELECT count(*) FROM annotations").fetchone()
            claims = _claims(conn, "", ()) if count <= max_claims else None
        facts = (int(meta.get("change_number", 0)), str(meta.get("project_id", "")))
        return cls(path, conn, labels, documents, locators, claims, links, facts)

    def close(self) -> None:
        """Close the frame's connection (after a read in progress); reads after this fail.
        The window closes it before the project itself is opened: see `storage.sqlite_files`."""
        with self._lock:
            self._conn.close()

    # -- what the window reads (domain.reading.ProjectReads) ---------------------------------

    def labels(self) -> list[Label]:
        return list(self._labels)

    def documents(self) -> list[DocumentSummary]:
        return list(self._documents)

    def find_document(self, ref: str) -> DocumentSummary:
        return find_document(self._documents, ref)

    def locators(self, document_ids: Collection[str] | None = None) -> dict[str, Locator]:
        if document_ids is None:
            return dict(self._locators)
        return {d: self._locators[d] for d in document_ids if d in self._locators}

    def claims_complete(self) -> bool:
        """Whether the frame holds every claim (False: the project has too many to read
        before the first frame; `annotations()` then gives none)."""
        return self._claims is not None

    def annotations(
        self, document_id: str | None = None, label_id: str | None = None
    ) -> list[Claim]:
        return [
            c
            for c in self._claims or ()
            if (document_id is None or c.document_id == document_id)
            and (label_id is None or c.label_id == label_id)
        ]

    def annotation(self, annotation_id: str) -> Claim:
        found = self.claims_by_id([annotation_id])
        if annotation_id not in found:
            raise NotFoundError(f"No claim with id {annotation_id}.")
        return found[annotation_id]

    def claims_by_id(self, ids: Iterable[str]) -> dict[str, Claim]:
        wanted = list(ids)
        if self._claims is not None:
            return {i: self._by_id[i] for i in wanted if i in self._by_id}
        out: dict[str, Claim] = {}
        with self._lock, _snapshot(self._conn):
            for i in range(0, len(wanted), _BATCH):
                chunk = wanted[i : i + _BATCH]
                marks = ", ".join("?" * len(chunk))
                found = _claims(self._conn, f"WHERE a.id IN ({marks})", chunk)
                out.update((c.id, c) for c in found)
        return out

    def claim_spans(self, document_id: str) -> list[ClaimSpanRow]:
        with self._lock:
            rows: list[ClaimSpanRow] = self._conn.execute(
                CLAIM_SPANS_SQL, (document_id,)
            ).fetchall()
        return rows

    def links(
        self,
        annotation_id: str | None = None,
        annotation_ids: Iterable[str] | None = None,
    ) -> list[Link]:
        links = list(self._links)
        if annotation_id is not None:
            links = links_touching(links, [annotation_id])
        return links if annotation_ids is None else links_touching(links, annotation_ids)

    def link(self, link_id: str) -> Link:
        found = next((k for k in self._links if k.id == link_id), None)
        if found is None:
            raise NotFoundError(f"No link with id {link_id}.")
        return found

    def change_number(self) -> int:
        """The project's change number when the frame was read: the same number (and id) in
        the project opened after it means the same content."""
        return self._change_number

    def project_id(self) -> str:
        return self._project_id

    def document_for_reading(self, document_id: str) -> ReadingCopy:
        """A document with its text, offsets, claims' spans and formatting, in one read."""
        conn = self._conn
        with self._lock, _snapshot(conn):
            conn.row_factory = _plain_row
            try:
                row = conn.execute(
                    "SELECT * FROM documents WHERE id = ?", (document_id,)
                ).fetchone()
            finally:
                conn.row_factory = None
            stored = conn.execute(
                "SELECT text, block_starts, astral FROM document_texts WHERE document_id = ?",
                (document_id,),
            ).fetchone()
            if row is None or stored is None or not isinstance(stored[0], str):
                raise NotFoundError(f"No document with id {document_id} could be read.")
            text: str = stored[0]
            starts, astral = mapping.reading_offsets(document_id, text, stored[1], stored[2])
            claims = conn.execute(CLAIM_SPANS_SQL, (document_id,)).fetchall()
            formats = conn.execute(
                "SELECT spans FROM document_formats WHERE document_id = ?", (document_id,)
            ).fetchone()
        return ReadingCopy(
            mapping.document(row, text),
            starts,
            astral,
            claims,
            mapping.stored_formats(document_id, formats[0] if formats else None, len(text)),
        )


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: what is read in it is one state of the file."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def _claims(conn: sqlite3.Connection, where: str, params: Iterable[str]) -> list[Claim]:
    """The claims matching `where` (on `annotations a`), in document order, with their tags
    and evidence in their order: three queries, as the services read them."""
    args = list(params)
    rows = conn.execute(
        f"SELECT {_CLAIM_COLUMNS} FROM annotations a JOIN documents d ON d.id = a.document_id "
        f'{where} ORDER BY d.position, a.start, a."end"',
        args,
    ).fetchall()
    tags: dict[str, list[str]] = {}
    for claim_id, tag in conn.execute(
        f"SELECT t.annotation_id, t.tag FROM annotation_tags t JOIN annotations a "
        f"ON a.id = t.annotation_id {where} ORDER BY t.annotation_id, t.position",
        args,
    ):
        tags.setdefault(claim_id, []).append(tag)
    evidence: dict[str, list[Evidence]] = {}
    for claim_id, citation, url in conn.execute(
        f"SELECT e.annotation_id, e.citation, e.url FROM evidence e JOIN annotations a "
        f"ON a.id = e.annotation_id {where} ORDER BY e.annotation_id, e.position",
        args,
    ):
        evidence.setdefault(claim_id, []).append(Evidence(citation, url))
    return [
        mapping.claim_from_values(
            (*r[:10], datetime.fromisoformat(r[10]), datetime.fromisoformat(r[11]), r[12]),
            tags.get(r[0], ()),
            evidence.get(r[0], ()),
        )
        for r in rows
    ]
