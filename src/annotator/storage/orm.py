"""SQLAlchemy 2 typed models of the project file. ORM objects never leave `annotator.storage`.

Only portable constructs: the same schema is meant to run on PostgreSQL later.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProjectMetaRow(Base):
    """Key/value facts about the project: its id, the change number, when it was created."""

    __tablename__ = "project_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    authors: Mapped[str] = mapped_column(Text, default="")  # JSON list
    publisher: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[str] = mapped_column(String(10), default="")  # YYYY[-MM[-DD]]
    url: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(35), default="")
    source_kind: Mapped[str] = mapped_column(String(16), default="unknown")
    provenance_note: Mapped[str] = mapped_column(Text, default="")
    reliability_note: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(16), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text_length: Mapped[int] = mapped_column(Integer)
    paragraphs: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[start, end], ...]
    pages: Mapped[str] = mapped_column(Text, default="[]")  # JSON [start, ...]
    link_urls: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    flags: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    accessed: Mapped[str] = mapped_column(String(10), default="")  # YYYY-MM-DD or ""
    modified: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    original: Mapped[OriginalRow] = relationship(
        back_populates="document", cascade="all, delete-orphan", lazy="raise"
    )
    # The database cascades a removal (passive_deletes): removing a document never loads its
    # 10 MB text just to delete it.
    body: Mapped[DocumentTextRow] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        lazy="raise",
        passive_deletes=True,
    )
    formats: Mapped[DocumentFormatsRow | None] = relationship(
        cascade="all, delete-orphan", lazy="raise", passive_deletes=True
    )


class DocumentTextRow(Base):
    """A document's text, apart from its metadata, with what the reader derives from it.

    Kept out of `documents` so that no query of metadata walks the text's overflow pages (in
    SQLite a column stored after a 10 MB value costs a walk of its page chain to read). The
    derived columns are computed once at import (texts never change): the start of every text
    block (`domain.text.block_starts`) and the positions of the characters above U+FFFF
    (`domain.text.astral_positions`), each packed by `storage.mapping.pack_offsets`. They come
    before the text, so reading them never touches it.
    """

    __tablename__ = "document_texts"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    block_starts: Mapped[bytes] = mapped_column(LargeBinary)
    astral: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text)
    document: Mapped[DocumentRow] = relationship(back_populates="body")


class DocumentFormatsRow(Base):
    """The formatting of a document's text (emphasis, headings...: `domain.formatting`), as
    spans packed by `storage.mapping.pack_offsets` of `domain.formatting.flatten`. Written at
    import; a document without formatting has no row."""

    __tablename__ = "document_formats"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    spans: Mapped[bytes] = mapped_column(LargeBinary)


class OriginalRow(Base):
    """The original bytes of an imported file, kept apart so listing documents never loads them."""

    __tablename__ = "document_originals"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    document: Mapped[DocumentRow] = relationship(back_populates="original")


class LabelRow(Base):
    __tablename__ = "labels"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    color: Mapped[str] = mapped_column(String(7))
    key: Mapped[str | None] = mapped_column(String(4), nullable=True, unique=True)
    position: Mapped[int] = mapped_column(Integer)
    builtin: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(Text, default="")


class ClaimRow(Base):
    __tablename__ = "annotations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    label_id: Mapped[str] = mapped_column(ForeignKey("labels.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    modified: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    tags: Mapped[list[TagRow]] = relationship(
        cascade="all, delete-orphan", order_by="TagRow.position", lazy="selectin"
    )
    evidence: Mapped[list[EvidenceRow]] = relationship(
        cascade="all, delete-orphan", order_by="EvidenceRow.position", lazy="selectin"
    )

    # Covers what a reader loads of a document's claims (id, span, label) in text order: the
    # query reads the index alone, never the rows with their quotes and notes.
    __table_args__ = (
        Index("ix_annotations_document_spans", "document_id", "start", "id", "end", "label_id"),
    )


class TagRow(Base):
    __tablename__ = "annotation_tags"
    annotation_id: Mapped[str] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    tag: Mapped[str] = mapped_column(String(200), index=True)


class EvidenceRow(Base):
    __tablename__ = "evidence"
    annotation_id: Mapped[str] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    citation: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text, nullable=True)


class LinkRow(Base):
    __tablename__ = "links"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_id: Mapped[str] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[str] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("source_id", "target_id", "relation"),)


class SettlementRow(Base):
    """An adjudicator's decision on a unit of claims (`annotator.domain.adjudication`).

    `claim_id` is the settled claim the adjudicator made (NULL: the unit was rejected as not a
    claim). It has no foreign key on purpose: deleting the settled claim must not delete the
    record, and undoing that deletion (the claim comes back with its id) restores the link.
    """

    __tablename__ = "settlements"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    claim_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(80), default="")
    settled_by: Mapped[str] = mapped_column(String(200), default="")
    settled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    judgements: Mapped[list[SettlementJudgementRow]] = relationship(
        cascade="all, delete-orphan",
        order_by="SettlementJudgementRow.position",
        lazy="selectin",
        passive_deletes=True,
    )


class SettlementJudgementRow(Base):
    """A claim a settlement settled, as it was then (its id, author and label): a record that
    outlives the claim, so `claim_id` has no foreign key."""

    __tablename__ = "settlement_judgements"
    settlement_id: Mapped[str] = mapped_column(
        ForeignKey("settlements.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[str] = mapped_column(String(36), index=True)
    author: Mapped[str] = mapped_column(String(200), default="")
    label_id: Mapped[str] = mapped_column(String(36))
    label: Mapped[str] = mapped_column(String(80), default="")


OWNED_ENTITIES = ("annotation", "link")
"""The entities whose change rows have an owner (`ChangeRow.owner`)."""


class ChangeRow(Base):
    """The outbox: one row per entity touched, written in the transaction that touched it.

    `seq` is the project-wide change number; the search indexer (and later sync) replays rows
    after the last number it applied.
    """

    __tablename__ = "changes"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_number: Mapped[int] = mapped_column(Integer, index=True)
    entity: Mapped[str] = mapped_column(String(16))  # document, annotation, link, label
    entity_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))  # added, changed, removed
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """Who made the change (on a team server, the member's role: the server writes it)."""
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """Whose claim the row is about: a claim's author; a link's, the author of both its claims
    when they are one member's (else none). None on rows of anything else. Under blind coding a
    member who is not an admin reads only the claim and link rows they own."""


class SavedSearchRow(Base):
    __tablename__ = "saved_searches"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    query: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SettingRow(Base):
    """Per-project preferences (remembered export choices, layout) as JSON values."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
