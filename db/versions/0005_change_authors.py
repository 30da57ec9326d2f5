"""changes: who wrote each row of the change log, and whose claims it is about

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:10:00

Two new nullable columns of `changes`, nothing else changes: `author` (who made the change) and
`owner` (for a row of a claim, the claim's author; of a link, the author of both its claims when
they are one member's). Rows written before have neither. On a server, the rights (set up again
after an upgrade) keep a member's rows of others' claims hidden from them under blind coding,
and write the member's name into `author`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("owner", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_column("owner")
        batch_op.drop_column("author")
