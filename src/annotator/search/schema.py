"""The Whoosh schema of the search index, and how claims and passages become index documents.

Lean on purpose (rebuild speed is measured in benchmarks/search_bench.py): one index holds both
kinds of documents (`kind` is "claim" or "passage"); only the key and a passage's span are
stored, because the text shown in results is read from the project (the truth) for the few hits
on a page. Document-level facts (title, publication date) and label names are NOT indexed in
claims: `doc:`, `published:` and `label:` are resolved against the project when a query is parsed,
so renaming a document or a label never needs reindexing. Creation and modification times live
only in numeric columns (date ranges and sorting read them, see engine.ColumnRange), which cost
far less than Whoosh's NUMERIC/DATETIME fields (16 terms per value); the author is an unscored
keyword. Measured: ~39 postings per claim; each one costs the rebuild time.

Bump `SCHEMA_VERSION` whenever the schema or what goes into it changes: an index of another
version is rebuilt on open.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from annotator.domain.location import within_paragraph

if TYPE_CHECKING:
    from whoosh.analysis import Analyzer
    from whoosh.fields import Schema

    from annotator.search.feed import ClaimRecord

SCHEMA_VERSION = 3
"""3: joined words are indexed whole and by their parts (`index_analyzer`)."""

CLAIM = "claim"
PASSAGE = "passage"

# Free words search these fields of a claim, with these weights.
CLAIM_TEXT_FIELDS: dict[str, float] = {"quote": 2.0, "note": 1.5, "extra": 1.0, "context": 0.3}
PASSAGE_TEXT_FIELDS: dict[str, float] = {"passage": 1.0}
POSITIONAL_FIELDS = frozenset({"quote", "note", "passage"})
"""Fields indexed with positions: the only ones where "exact phrases" can match."""

CLAIM_ONLY_FIELDS = frozenset(
    {"label", "tag", "author", "note", "quote", "relation", "created", "modified"}
)


@functools.cache
def stemming_analyzer() -> Analyzer:
    """The analyzer of query text (one instance: its stem cache is shared); see
    `annotator.search.analysis`."""
    from annotator.search.analysis import query_analyzer

    return query_analyzer()


@functools.cache
def index_analyzer() -> Analyzer:
    """The analyzer of indexed text and snippets: joined words whole and by their parts."""
    from annotator.search.analysis import parts_analyzer

    return parts_analyzer()


def build_schema() -> Schema:
    """The schema of the index on disk."""
    from whoosh import columns, fields

    stem = index_analyzer()
    return fields.Schema(
        key=fields.ID(unique=True, stored=True),  # "c:<claim id>" or "p:<document id>:<n>"
        kind=fields.ID,
        doc_id=fields.ID,
        label=fields.ID,  # label id
        author=fields.KEYWORD(lowercase=True),  # words of the author's name
        tag=fields.KEYWORD(lowercase=True, commas=True),
        relation=fields.KEYWORD,  # relations of the claim's links, either direction
        links=fields.KEYWORD,  # ids of the claim's links (to find them when a link goes)
        quote=fields.TEXT(analyzer=stem),
        note=fields.TEXT(analyzer=stem),
        context=fields.TEXT(analyzer=stem, phrase=False),  # 32 characters either side
        extra=fields.TEXT(analyzer=stem, phrase=False),  # tag words, evidence citations
        passage=fields.TEXT(analyzer=stem),
        span=fields.STORED,  # (start, end) of a passage
        pos=fields.COLUMN(columns.NumericColumn("q", default=0)),  # start offset
        t_created=fields.COLUMN(columns.NumericColumn("q", default=0)),  # epoch ms
        t_modified=fields.COLUMN(columns.NumericColumn("q", default=0)),
    )


@functools.cache
def query_schema() -> Schema:
    """The fields a user may name in a query, with the analyzers that parse their values.

    `doc`, `published` and `label` are resolved to document and label ids before Whoosh sees
    the query (see annotator.search.query); the placeholder field carries those resolved parts
    through Whoosh's parser.
    """
    from whoosh import fields

    stem = stemming_analyzer()
    return fields.Schema(
        author=fields.KEYWORD(lowercase=True),
        tag=fields.KEYWORD(lowercase=True, commas=True),
        relation=fields.KEYWORD(lowercase=True),
        quote=fields.TEXT(analyzer=stem),
        note=fields.TEXT(analyzer=stem),
        context=fields.TEXT(analyzer=stem),
        extra=fields.TEXT(analyzer=stem),
        passage=fields.TEXT(analyzer=stem),
        zzslot=fields.ID,
    )


def author_words(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", name.lower()))


def epoch_ms(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def claim_key(claim_id: str) -> str:
    return f"c:{claim_id}"


def passage_key(document_id: str, index: int) -> str:
    return f"p:{document_id}:{index}"


def context_text(prefix: str, suffix: str) -> str:
    """The text around a claim's quote that search sees: cut at the paragraph's edges, and
    without the word the 32 characters cut in two at either end."""
    before, after = within_paragraph(prefix, suffix)
    if before == prefix and len(before.split()) > 1:
        before = before.split(None, 1)[1]
    if after == suffix and len(after.split()) > 1:
        after = after.rsplit(None, 1)[0]
    return f"{before.strip()} … {after.strip()}".strip()


def claim_fields(rec: ClaimRecord) -> dict[str, Any]:
    """The index document of a claim (empty fields left out: Whoosh skips them faster)."""
    extra = " ".join((*rec.tags, *rec.evidence))
    fields: dict[str, Any] = {
        "key": claim_key(rec.id),
        "kind": CLAIM,
        "doc_id": rec.document_id,
        "label": rec.label_id,
        "quote": rec.exact,
        "context": context_text(rec.prefix, rec.suffix),
        "pos": rec.start,
        "t_created": epoch_ms(rec.created),
        "t_modified": epoch_ms(rec.modified),
    }
    if rec.author:
        fields["author"] = author_words(rec.author)
    if rec.note:
        fields["note"] = rec.note
    if extra:
        fields["extra"] = extra
    if rec.tags:
        fields["tag"] = ",".join(t.replace(",", " ") for t in rec.tags)
    if rec.relations:
        fields["relation"] = " ".join(sorted(set(rec.relations)))
    if rec.link_ids:
        fields["links"] = " ".join(rec.link_ids)
    return fields


def passage_fields(document_id: str, index: int, start: int, end: int, text: str) -> dict[str, Any]:
    return {
        "key": passage_key(document_id, index),
        "kind": PASSAGE,
        "doc_id": document_id,
        "passage": text,
        "span": (start, end),
        "pos": start,
    }
