"""settlements: an adjudicator's decisions on the units of claims annotators disagree on

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:30:00

Two new tables, nothing else changes: `settlements` (who settled a unit, when, the settled claim
or none for a rejection) and `settlement_judgements` (the claims each settlement settled, with
their authors and labels as they were). Neither claim id has a foreign key: the record outlives
the claims it names.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settlements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("settled_by", sa.String(length=200), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_settlements_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlements")),
    )
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_settlements_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_settlements_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "settlement_judgements",
        sa.Column("settlement_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("label_id", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["settlement_id"],
            ["settlements.id"],
            name=op.f("fk_settlement_judgements_settlement_id_settlements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("settlement_id", "position", name=op.f("pk_settlement_judgements")),
    )
    with op.batch_alter_table("settlement_judgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_settlement_judgements_claim_id"), ["claim_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("settlement_judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlement_judgements_claim_id"))
    op.drop_table("settlement_judgements")
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlements_document_id"))
        batch_op.drop_index(batch_op.f("ix_settlements_claim_id"))
    op.drop_table("settlements")
