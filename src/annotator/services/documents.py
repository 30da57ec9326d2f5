"""Documents: import, metadata edits, removal, and document queries."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import Session

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.formatting import TextFormats, valid_spans
from annotator.domain.imported import ImportedText
from annotator.domain.location import Location, Locator
from annotator.domain.model import (
    Claim,
    Document,
    DocumentSummary,
    PartialDate,
    SourceKind,
    is_web_source,
    new_id,
    utcnow,
)
from annotator.domain.reading import ReadingCopy, find_document
from annotator.domain.text import (
    astral_positions,
    block_starts,
    normalize_newlines,
    paragraph_spans,
)
from annotator.services.changes import Changes
from annotator.services.claims import claim_span_rows
from annotator.services.texts import CachedText, TextReads, driver_connection, text_error
from annotator.storage import mapping
from annotator.storage.orm import (
    ClaimRow,
    DocumentFormatsRow,
    DocumentRow,
    LabelRow,
    LinkRow,
    OriginalRow,
)
from annotator.storage.rows import fill_document_row, new_document_row

_log = logging.getLogger(__name__)

EDITABLE_FIELDS = (
    "title",
    "authors",
    "publisher",
    "published",
    "url",
    "language",
    "source_kind",
    "provenance_note",
    "reliability_note",
    "accessed",
)


class DuplicateDocument(ValidationError):
    """The same bytes are in the project already."""

    def __init__(self, message: str, existing_id: str) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class DocumentService(TextReads):
    def documents(self) -> list[DocumentSummary]:
        with self._read() as session:
            # Metadata only: the texts live in document_texts, so listing never touches them.
            rows = session.scalars(select(DocumentRow).order_by(DocumentRow.position))
            return [mapping.document_summary(r) for r in rows]

    def document(self, document_id: str) -> Document:
        with self._read() as session:
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"No document with id {document_id}.")
            return mapping.document(row, self._text(session, document_id))

    def document_for_reading(self, document_id: str) -> ReadingCopy:
        """A document with its text, the text's block starts and astral positions (stored at
        import: nothing is scanned) and its claims' spans: what a reader shows, in one read
        transaction. A document read recently comes from the project's text cache (its
        metadata too, unless edited since), so opening it again reads little but its claims."""
        with self.read_snapshot() as conn:
            raw = driver_connection(conn)
            found = raw.execute(
                "SELECT modified FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
            if found is None:
                raise NotFoundError(f"No document with id {document_id}.")
            entry = self.texts.entry(document_id)
            offsets = entry.offsets if entry is not None else None
            if entry is None or offsets is None:
                entry, offsets = self._read_for_reading(conn, document_id)
            cached = entry.document
            if cached is not None and cached[0] == found[0]:
                document = cached[1]
            else:
                with Session(bind=conn) as session:
                    row = session.get(DocumentRow, document_id)
                    if row is None:
                        raise NotFoundError(f"No document with id {document_id}.")
                    document = mapping.document(row, entry.text)
                entry.document = (found[0], document)
            claims = claim_span_rows(conn, document_id)
            formats = _formats(conn, document_id, len(entry.text))
        return ReadingCopy(document, offsets[0], offsets[1], claims, formats)

    def text_formats(self, document_id: str) -> TextFormats:
        """The formatting of a document's text (emphasis, headings...: `domain.formatting`),
        indexed by offset; empty for a document without any."""
        with self.read_snapshot() as conn:
            length = (
                driver_connection(conn)
                .execute("SELECT text_length FROM documents WHERE id = ?", (document_id,))
                .fetchone()
            )
            if length is None:
                raise NotFoundError(f"No document with id {document_id}.")
            return _formats(conn, document_id, int(length[0]))

    def _read_for_reading(
        self, conn: Connection, document_id: str
    ) -> tuple[CachedText, tuple[list[int], list[int]]]:
        """The cache entry of a document and its offsets, read (the text too, unless the
        cache has it) and checked; damaged offsets are computed again from the text."""
        entry = self.texts.entry(document_id)
        columns = "block_starts, astral" + (", text" if entry is None else "")
        found = (
            driver_connection(conn)
            .execute(f"SELECT {columns} FROM document_texts WHERE document_id = ?", (document_id,))
            .fetchone()
        )
        if entry is None:
            text = found[2] if found is not None else None
            if not isinstance(text, str):
                raise text_error(document_id, text)
            entry = self.texts.put(document_id, text)
        if found is None:
            starts, astral = mapping.reading_offsets(document_id, entry.text, None, None)
        else:
            starts, astral = mapping.reading_offsets(document_id, entry.text, found[0], found[1])
        entry.offsets = offsets = (starts, astral)
        return entry, offsets

    def locators(self, document_ids: Collection[str] | None = None) -> dict[str, Locator]:
        """Where claims are in each document (all, or those of `document_ids`): a `Locator`
        from the stored paragraph spans and page starts; no text is read."""
        query = select(DocumentRow.id, DocumentRow.paragraphs, DocumentRow.pages)
        if document_ids is not None:
            query = query.where(DocumentRow.id.in_(list(document_ids)))
        with self._read() as session:
            rows = session.execute(query).all()
        return {doc_id: mapping.locator(paragraphs, pages) for doc_id, paragraphs, pages in rows}

    def claim_locations(self, claims: Iterable[Claim]) -> dict[str, Location]:
        """Claim id -> where the claim is (paragraph, page), for any number of claims. The
        documents' locators are kept: a text and its paragraphs never change after import."""
        listed = list(claims)
        kept: dict[str, Locator] = self.__dict__.setdefault("_locators", {})
        missing = {a.document_id for a in listed} - kept.keys()
        if missing:
            kept.update(self.locators(missing))
        empty = Locator(())
        return {a.id: kept.get(a.document_id, empty).locate(a.start) for a in listed}

    def claim_location(self, claim: Claim) -> Location:
        """Where one claim is: "paragraph 3" (`.text`), "¶ 3" (`.short`)."""
        return self.claim_locations([claim])[claim.id]

    def find_document(self, ref: str) -> DocumentSummary:
        """A document by id, by position number (1 = first), or by an unambiguous title prefix
        or id prefix (`domain.reading.find_document`)."""
        return find_document(self.documents(), ref)

    def find_by_hash(self, sha256: str) -> DocumentSummary | None:
        with self._read() as session:
            row = session.scalars(select(DocumentRow).where(DocumentRow.sha256 == sha256)).first()
            return mapping.document_summary(row) if row else None

    def original_bytes(self, document_id: str) -> bytes:
        with self._read() as session:
            row = session.get(OriginalRow, document_id)
            if row is None:
                raise NotFoundError(f"No document with id {document_id}.")
            return row.data

    def add_document(
        self, imported: ImportedText, data: bytes, file_name: str, **overrides: Any
    ) -> Changes:
        """Store an imported document and its original bytes. The same bytes twice raise
        DuplicateDocument. `overrides` set metadata fields (title, authors, published, url...)."""
        unknown = set(overrides) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValidationError(f"Not an editable document field: {', '.join(sorted(unknown))}.")
        sha = hashlib.sha256(data).hexdigest()
        existing = self.find_by_hash(sha)
        if existing is not None:
            raise DuplicateDocument(
                f"{file_name}: already in the project as “{existing.title}”.", existing.id
            )
        text = normalize_newlines(imported.text)
        starts, astral = block_starts(text), astral_positions(text)
        doc = Document(
            id=new_id(),
            title=imported.title.strip() or Path(file_name).stem.strip() or "Untitled",
            text=text,
            authors=imported.authors,
            publisher=imported.publisher,
            published=imported.published,
            url=imported.url,
            language=imported.language,
            file_name=Path(file_name).name,
            format=imported.format,
            sha256=sha,
            imported_at=utcnow(),
            paragraphs=paragraph_spans(text),
            pages=imported.pages,
            link_urls=imported.link_urls,
            flags=imported.flags,
            accessed=imported.accessed,
        )
        doc = _with_fields(doc, overrides)
        if doc.accessed is None and is_web_source(doc.format, doc.url):
            doc = replace(doc, accessed=_import_day(doc))  # unless the page says
        # Offsets of the formatting refer to the importer's text: kept when it is the text.
        formats = valid_spans(imported.formats, len(text)) if text == imported.text else ()
        with self._mutation(f"Import {doc.title}") as (session, changes):
            position = (session.scalar(select(func.max(DocumentRow.position))) or 0) + 1
            row = new_document_row(doc, position, utcnow(), starts, astral)
            row.original = OriginalRow(document_id=doc.id, data=data)
            session.add(row)
            if formats:
                row.formats = DocumentFormatsRow(
                    document_id=doc.id, spans=mapping.pack_formats(formats)
                )
            changes.add("document", doc.id)
            changes.created_id = doc.id
        return changes.done()

    def update_document(self, document_id: str, **fields: Any) -> Changes:
        """Edit metadata fields (see EDITABLE_FIELDS); values are validated by the model."""
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValidationError(f"Not an editable document field: {', '.join(sorted(unknown))}.")
        with self._mutation("Edit document details") as (session, changes):
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"No document with id {document_id}.")
            before = mapping.document(row, self._text(session, document_id))
            doc = _with_fields(before, fields)
            if "accessed" not in fields and doc.accessed is None and not before.url and doc.url:
                doc = replace(doc, accessed=_import_day(doc))  # it became a web source
            fill_document_row(row, doc)
            row.modified = mapping.naive_utc(utcnow())
            changes.change("document", document_id)
        return changes.done()

    def delete_document(self, document_id: str) -> Changes:
        with self._mutation("Remove document") as (session, changes):
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"No document with id {document_id}.")
            claims = select(ClaimRow.id).where(ClaimRow.document_id == document_id)
            # The database cascades the claims and every link touching them (also links from
            # claims in other documents): report all of them, so that listeners (search index,
            # open views, undo) drop them too.
            for link_id in session.scalars(
                select(LinkRow.id)
                .where(or_(LinkRow.source_id.in_(claims), LinkRow.target_id.in_(claims)))
                .order_by(LinkRow.created, LinkRow.id)
            ):
                changes.remove("link", link_id)
            for ann_id in session.scalars(claims.order_by(ClaimRow.start)):
                changes.remove("annotation", ann_id)
            session.delete(row)
            changes.remove("document", document_id)
        self.texts.discard(document_id)
        return changes.done()

    def claim_counts(self) -> dict[str, dict[str, int]]:
        """{document id: {label id: number of claims}} for the whole project, in one query."""
        with self._read() as session:
            rows = session.execute(
                select(ClaimRow.document_id, ClaimRow.label_id, func.count()).group_by(
                    ClaimRow.document_id, ClaimRow.label_id
                )
            )
            out: dict[str, dict[str, int]] = {}
            for doc_id, label_id, count in rows:
                out.setdefault(doc_id, {})[label_id] = count
            return out

    def _label_ids(self) -> set[str]:
        with self._read() as session:
            return set(session.scalars(select(LabelRow.id)))


def _with_fields(doc: Document, fields: dict[str, Any]) -> Document:
    """A copy of `doc` with user-given metadata, converted and validated."""
    values = dict(fields)
    if "title" in values:
        values["title"] = str(values["title"]).strip()
        if not values["title"]:
            raise ValidationError("A document needs a title.")
    if "authors" in values:
        authors = values["authors"]
        if isinstance(authors, str):
            authors = [a for a in (p.strip() for p in authors.split(";")) if a]
        values["authors"] = tuple(str(a).strip() for a in authors if str(a).strip())
    if "published" in values:
        date = values["published"]
        if isinstance(date, str):
            values["published"] = PartialDate.parse(date) if date.strip() else None
        elif date is not None and not isinstance(date, PartialDate):
            values["published"] = PartialDate.parse(str(date))  # 2017 -> 2017
    if "source_kind" in values:
        try:
            values["source_kind"] = SourceKind(str(values["source_kind"]).lower())
        except ValueError:
            kinds = ", ".join(k.value for k in SourceKind)
            raise ValidationError(
                f"Not a source kind: {values['source_kind']!r}; use one of {kinds}."
            ) from None
    if "accessed" in values:
        values["accessed"] = accessed_date(values["accessed"])
    for key in ("publisher", "url", "language", "provenance_note", "reliability_note"):
        if key in values:
            values[key] = str(values[key] or "").strip()
    return replace(doc, **values)


def _import_day(doc: Document) -> PartialDate:
    """The (local) day a document was imported: its accessed date when nothing better is known."""
    day = doc.imported_at.astimezone().date()
    return PartialDate(day.year, day.month, day.day)


def accessed_date(value: object) -> PartialDate | None:
    """The day a web source was read, from `YYYY-MM-DD` (or a PartialDate); empty means
    unknown. Anything else raises ValidationError with one sentence."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    date = value if isinstance(value, PartialDate) else None
    if date is None:
        try:
            date = PartialDate.parse(str(value))
        except ValidationError:
            date = None
    if date is None or date.day is None:
        raise ValidationError(
            f"Not a day: {str(value)!r}. Give the accessed date as YYYY-MM-DD, such as 2026-12-02."
        )
    return date


def _formats(conn: Connection, document_id: str, length: int) -> TextFormats:
    found = (
        driver_connection(conn)
        .execute("SELECT spans FROM document_formats WHERE document_id = ?", (document_id,))
        .fetchone()
    )
    return mapping.stored_formats(document_id, found[0] if found else None, length)
