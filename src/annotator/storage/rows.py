"""Domain objects into ORM rows: what a change writes (`storage.mapping` reads them back)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from annotator.domain.adjudication import Settlement
from annotator.domain.model import Claim, Document, Link
from annotator.storage.mapping import naive_utc, pack_offsets
from annotator.storage.orm import (
    ClaimRow,
    DocumentRow,
    DocumentTextRow,
    EvidenceRow,
    LinkRow,
    SettlementJudgementRow,
    SettlementRow,
    TagRow,
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
