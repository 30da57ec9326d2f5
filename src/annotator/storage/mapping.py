"""Conversions from stored rows to domain objects. Only this package sees rows.

A row is anything with the columns as attributes: an ORM row, or a plain row that
`storage.first_frame` read with the standard library's sqlite3 (this module imports no
SQLAlchemy, so that the first frame of the window can be read before it is loaded). What
turns domain objects into ORM rows is in `storage.rows`."""

from __future__ import annotations

import json
import logging
import sys
from array import array
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from annotator.domain.adjudication import Judgement, Settlement
from annotator.domain.formatting import FormatSpan, TextFormats, flatten
from annotator.domain.location import Locator
from annotator.domain.model import (
    Claim,
    Document,
    DocumentSummary,
    Evidence,
    Label,
    Link,
    PartialDate,
    QuoteSelector,
    Relation,
    SourceKind,
)

if TYPE_CHECKING:
    from annotator.storage.orm import ClaimRow, DocumentRow, LabelRow, LinkRow, SettlementRow

_log = logging.getLogger(__name__)


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _date(text: str) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def document_summary(row: DocumentRow) -> DocumentSummary:
    return DocumentSummary(
        id=row.id,
        title=row.title,
        authors=tuple(json.loads(row.authors or "[]")),
        publisher=row.publisher,
        published=_date(row.published),
        url=row.url,
        language=row.language,
        source_kind=SourceKind(row.source_kind),
        format=row.format,
        file_name=row.file_name,
        text_length=row.text_length,
        imported_at=aware(row.imported_at),
        position=row.position,
        accessed=_date(row.accessed or ""),
    )


def pack_offsets(values: Sequence[int]) -> bytes:
    """Offsets as a BLOB: 64-bit signed little-endian integers, one after the other (the
    format of the derived columns of `document_texts`)."""
    packed = array("q", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def unpack_offsets(data: bytes) -> list[int]:
    """The offsets `pack_offsets` packed; ValueError for a BLOB that cannot be one."""
    if len(data) % 8:
        raise ValueError(f"A packed offset list has 8 bytes per offset, not {len(data)} bytes.")
    values = array("q")
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    return values.tolist()


def pack_formats(spans: Sequence[FormatSpan]) -> bytes:
    """Formatting spans as a BLOB (`document_formats.spans`)."""
    return pack_offsets(flatten(spans))


def unpack_formats(data: bytes, length: int) -> TextFormats:
    """The spans `pack_formats` packed, for a text of `length` code points (spans outside it,
    as a damaged BLOB would give, are dropped)."""
    if len(data) % 8:
        raise ValueError(f"A packed offset list has 8 bytes per offset, not {len(data)} bytes.")
    values = array("q")
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    return TextFormats.from_flat(values, length)  # the array as it is: no list of ints made


def document(row: DocumentRow, text: str) -> Document:
    """The document of a metadata row and its text (kept in `document_texts`)."""
    return Document(
        id=row.id,
        title=row.title,
        text=text,
        authors=tuple(json.loads(row.authors or "[]")),
        publisher=row.publisher,
        published=_date(row.published),
        url=row.url,
        language=row.language,
        source_kind=SourceKind(row.source_kind),
        provenance_note=row.provenance_note,
        reliability_note=row.reliability_note,
        file_name=row.file_name,
        format=row.format,
        sha256=row.sha256,
        imported_at=aware(row.imported_at),
        paragraphs=tuple((int(s), int(e)) for s, e in json.loads(row.paragraphs or "[]")),
        pages=tuple(int(p) for p in json.loads(row.pages or "[]")),
        link_urls=tuple(json.loads(row.link_urls or "[]")),
        flags=tuple(json.loads(row.flags or "[]")),
        accessed=_date(row.accessed or ""),
    )


def label(row: LabelRow) -> Label:
    return Label(
        id=row.id,
        name=row.name,
        color=row.color,
        key=row.key,
        position=row.position,
        builtin=row.builtin,
        description=row.description,
    )


def annotation(row: ClaimRow) -> Claim:
    return Claim(
        id=row.id,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        quote=QuoteSelector(row.exact, row.prefix, row.suffix),
        label_id=row.label_id,
        note=row.note,
        tags=tuple(t.tag for t in row.tags),
        evidence=tuple(Evidence(e.citation, e.url) for e in row.evidence),
        author=row.author,
        created=aware(row.created),
        modified=aware(row.modified),
        revision=row.revision,
    )


def claim_from_values(
    values: Sequence[Any], tags: Iterable[str], evidence: Iterable[Evidence]
) -> Claim:
    """A claim from a row of ANNOTATION_COLUMNS and its tags and evidence in their order:
    the same claim `annotation(row)` makes from an ORM row."""
    (ann_id, doc_id, start, end, exact, prefix, suffix, label_id, note, author) = values[:10]
    created, modified, revision = values[10:13]
    return Claim(
        id=ann_id,
        document_id=doc_id,
        start=start,
        end=end,
        quote=QuoteSelector(exact, prefix, suffix),
        label_id=label_id,
        note=note,
        tags=tuple(tags),
        evidence=tuple(evidence),
        author=author,
        created=aware(created),
        modified=aware(modified),
        revision=revision,
    )


def link(row: LinkRow) -> Link:
    return Link(
        id=row.id,
        source_id=row.source_id,
        target_id=row.target_id,
        relation=Relation(row.relation),
        note=row.note,
        author=row.author,
        created=aware(row.created),
    )


def settlement(row: SettlementRow) -> Settlement:
    return Settlement(
        id=row.id,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        claim_id=row.claim_id,
        label=row.label,
        settled_by=row.settled_by,
        settled_at=aware(row.settled_at),
        judgements=tuple(
            Judgement(claim_id=j.claim_id, author=j.author, label_id=j.label_id, label=j.label)
            for j in row.judgements
        ),
    )


def reading_offsets(
    document_id: str, text: str, starts_blob: object, astral_blob: object
) -> tuple[list[int], list[int]]:
    """The block starts and astral positions of `text` as stored at import (`document_texts`),
    checked; damaged or missing ones (None) are computed again from the text, with a warning:
    the reader still shows the text right (`check` reports the damage)."""
    from annotator.domain.text import astral_positions, block_starts

    try:
        if starts_blob is None or astral_blob is None:
            raise ValueError("no offsets stored")
        starts = unpack_offsets(starts_blob)  # type: ignore[arg-type]
        astral = unpack_offsets(astral_blob)  # type: ignore[arg-type]
        if not starts or starts[0] != 0 or starts[-1] > len(text):
            raise ValueError("block starts outside the text")
        if astral and not 0 <= astral[-1] < len(text):
            raise ValueError("astral positions outside the text")
    except (TypeError, ValueError) as exc:
        _log.warning("Recomputing the offsets of document %s (%s).", document_id, exc)
        return block_starts(text), astral_positions(text)
    return starts, astral


def stored_formats(document_id: str, blob: object, length: int) -> TextFormats:
    """The formatting stored for a text of `length` code points (None: none stored); a damaged
    BLOB is ignored with a warning: the text shows unformatted."""
    if blob is None:
        return TextFormats()
    try:
        return unpack_formats(blob, length)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        _log.warning("Ignoring the damaged formatting of document %s (%s).", document_id, exc)
        return TextFormats()


def locator(paragraphs: str | None, pages: str | None) -> Locator:
    """Where claims are in a document, from its stored paragraph spans and page starts."""
    return Locator(
        [(int(s), int(e)) for s, e in json.loads(paragraphs or "[]")],
        [int(p) for p in json.loads(pages or "[]")],
    )
