"""the formatting of document texts (emphasis, headings... as spans) in a table of their own;
the day a web source was read (`documents.accessed`)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 05:00:00

`document_formats` holds, per document, the spans `annotator.domain.formatting` describes,
packed as 64-bit little-endian integers (start, end, kind, start, end, kind...). A table of its
own, like `document_texts`: reading the formatting never walks a text's overflow pages, and a
document without formatting (plain text, every document imported before this revision) has no
row. Documents already imported keep their text and claims as they are and show unformatted.

`documents.accessed` (YYYY-MM-DD or empty): for the web sources already imported (HTML pages
and documents with a URL) the day they were imported, the best date known of when the page was
read; the user can correct it.

Everything runs in the one transaction of the upgrade (db/env.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_formats",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("spans", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_formats_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_formats")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("accessed", sa.String(length=10), nullable=False, server_default="")
        )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.alter_column("accessed", server_default=None)
    conn = op.get_bind()
    day = (
        "substr(imported_at, 1, 10)"
        if conn.dialect.name == "sqlite"
        else "CAST(CAST(imported_at AS DATE) AS VARCHAR(10))"
    )
    op.execute(f"UPDATE documents SET accessed = {day} WHERE format = 'html' OR url != ''")


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("accessed")
    op.drop_table("document_formats")
