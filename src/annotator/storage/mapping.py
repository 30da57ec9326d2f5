"""Conversions between ORM rows and domain objects. Only this package sees rows."""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from annotator.domain.adjudication import Judgement, Settlement
from annotator.domain.formatting import FormatSpan, TextFormats, flatten
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
from annotator.storage.orm import (
    ClaimRow,
    DocumentRow,
    DocumentTextRow,
    EvidenceRow,
    LabelRow,
    LinkRow,
    SettlementJudgementRow,
    SettlementRow,
    TagRow,
)


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


def fill_document_row(row: DocumentRow, doc: Document) -> None:
    """Copy the metadata of `doc` into `row` (the text is set once, at import)."""
    row.title = doc.title
    row.authors = json.dumps(list(doc.authors), ensure_ascii=False)
    row.publisher = doc.publisher
    row.published = doc.published.iso() if doc.published else ""
    row.url = doc.url
    row.language = doc.language
    row.source_kind = doc.source_kind.value
    row.provenance_note = doc.provenance_note
    row.reliability_note = doc.reliability_note
    row.accessed = doc.accessed.iso() if doc.accessed else ""


def new_document_row(
    doc: Document,
    position: int,
    now: datetime,
    block_starts: Sequence[int],
    astral: Sequence[int],
) -> DocumentRow:
    """The rows of a new document: its metadata, with its text and the text's derived data
    (`domain.text.block_starts` and `astral_positions` of `doc.text`) as `row.body`."""
    row = DocumentRow(
        id=doc.id,
        position=position,
        file_name=doc.file_name,
        format=doc.format,
        sha256=doc.sha256,
        imported_at=naive_utc(doc.imported_at),
        text_length=len(doc.text),
        paragraphs=json.dumps([list(p) for p in doc.paragraphs]),
        pages=json.dumps(list(doc.pages)),
        link_urls=json.dumps(list(doc.link_urls), ensure_ascii=False),
        flags=json.dumps(list(doc.flags), ensure_ascii=False),
        modified=naive_utc(now),
    )
    row.body = DocumentTextRow(
        document_id=doc.id,
        block_starts=pack_offsets(block_starts),
        astral=pack_offsets(astral),
        text=doc.text,
    )
    fill_document_row(row, doc)
    return row


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


ANNOTATION_COLUMNS = (
    ClaimRow.id,
    ClaimRow.document_id,
    ClaimRow.start,
    ClaimRow.end,
    ClaimRow.exact,
    ClaimRow.prefix,
    ClaimRow.suffix,
    ClaimRow.label_id,
    ClaimRow.note,
    ClaimRow.author,
    ClaimRow.created,
    ClaimRow.modified,
    ClaimRow.revision,
)
"""The columns `claim_from_values` takes, in its order (bulk reads select these)."""


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


def fill_claim_row(row: ClaimRow, ann: Claim) -> None:
    row.id = ann.id
    row.document_id = ann.document_id
    row.start = ann.start
    row.end = ann.end
    row.exact = ann.quote.exact
    row.prefix = ann.quote.prefix
    row.suffix = ann.quote.suffix
    row.label_id = ann.label_id
    row.note = ann.note
    row.author = ann.author
    row.created = naive_utc(ann.created)
    row.modified = naive_utc(ann.modified)
    row.revision = ann.revision
    row.tags = [TagRow(position=i, tag=t) for i, t in enumerate(ann.tags)]
    row.evidence = [
        EvidenceRow(position=i, citation=e.citation, url=e.url) for i, e in enumerate(ann.evidence)
    ]


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


def new_link_row(item: Link) -> LinkRow:
    return LinkRow(
        id=item.id,
        source_id=item.source_id,
        target_id=item.target_id,
        relation=item.relation.value,
        note=item.note,
        author=item.author,
        created=naive_utc(item.created),
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


def new_settlement_row(item: Settlement) -> SettlementRow:
    return SettlementRow(
        id=item.id,
        document_id=item.document_id,
        claim_id=item.claim_id,
        start=item.start,
        end=item.end,
        label=item.label,
        settled_by=item.settled_by,
        settled_at=naive_utc(item.settled_at),
        judgements=[
            SettlementJudgementRow(
                position=n, claim_id=j.claim_id, author=j.author, label_id=j.label_id, label=j.label
            )
            for n, j in enumerate(item.judgements)
        ],
    )
