"""document texts in a table of their own, with their block starts and astral positions;
a covering index for the claims a reader loads

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:00:00

`documents.text` came before `text_length`, `paragraphs`, `pages`...: SQLite walked the whole
overflow chain of a 10 MB text to read any of those. The text moves to `document_texts`, with
what the reader derives from it, computed here once for the documents already imported (texts
never change after import). The claim index `(document_id, start)` becomes `(document_id,
start, id, end, label_id)`: a reader's query of a document's claims reads the index alone.

Everything runs in the one transaction of the upgrade (db/env.py): a failure leaves the file as
it was.
"""

from __future__ import annotations

import re
import sys
from array import array
from itertools import accumulate

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen copies of what this revision stores (annotator.domain.text.block_starts and
# astral_positions, annotator.storage.mapping.pack_offsets, as of 0002): a migration keeps
# computing what it computed when it was written, whatever later code does.
_BLOCK_BREAK = re.compile("[\n\r\u2029\ufdd0\ufdd1]")
_RARE_BREAKS = ("\r", "\u2029", "\ufdd0", "\ufdd1")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _block_starts(text: str) -> list[int]:
    if any(ch in text for ch in _RARE_BREAKS):
        return [0, *(m.end() for m in _BLOCK_BREAK.finditer(text))]
    return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]


def _astral(text: str) -> list[int]:
    return [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]


def _pack(values: list[int]) -> bytes:
    packed = array("q", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def upgrade() -> None:
    op.create_table(
        "document_texts",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("block_starts", sa.LargeBinary(), nullable=False),
        sa.Column("astral", sa.LargeBinary(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_texts_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_texts")),
    )
    conn = op.get_bind()
    insert = sa.text(
        "INSERT INTO document_texts (document_id, block_starts, astral, text) "
        "VALUES (:id, :starts, :astral, :text)"
    )
    ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM documents ORDER BY position")]
    for doc_id in ids:  # one text in memory at a time
        text = conn.execute(
            sa.text("SELECT text FROM documents WHERE id = :id"), {"id": doc_id}
        ).scalar_one()
        if not isinstance(text, str):
            raise RuntimeError(f"the text of document {doc_id} cannot be read as text")
        conn.execute(
            insert,
            {
                "id": doc_id,
                "starts": _pack(_block_starts(text)),
                "astral": _pack(_astral(text)),
                "text": text,
            },
        )
    lost = conn.exec_driver_sql(
        "SELECT count(*) FROM documents AS d WHERE NOT EXISTS (SELECT 1 FROM document_texts AS t "
        "WHERE t.document_id = d.id AND t.text = d.text)"
    ).scalar_one()
    if lost:
        raise RuntimeError(f"{lost} document text(s) did not copy intact")

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("text")

    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_index("ix_annotations_document_start")
        batch_op.create_index(
            "ix_annotations_document_spans",
            ["document_id", "start", "id", "end", "label_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_index("ix_annotations_document_spans")
        batch_op.create_index(
            "ix_annotations_document_start", ["document_id", "start"], unique=False
        )

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE documents SET text = (SELECT t.text FROM document_texts AS t "
        "WHERE t.document_id = documents.id) "
        "WHERE id IN (SELECT document_id FROM document_texts)"
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.alter_column("text", server_default=None)

    op.drop_table("document_texts")
