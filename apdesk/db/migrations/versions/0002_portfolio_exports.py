"""portfolio exports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from apdesk.db.append_only import install_append_only_triggers

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portfolio_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.Column("exported_by_id", sa.Integer(), nullable=True),
        sa.Column("exported_by_name", sa.String(length=160), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exported_by_id"], ["users.id"], name=op.f("fk_portfolio_exports_exported_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["trainees.id"], name=op.f("fk_portfolio_exports_trainee_id_trainees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_exports")),
    )
    with op.batch_alter_table("portfolio_exports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portfolio_exports_digest"), ["digest"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_portfolio_exports_trainee_id"), ["trainee_id"], unique=False
        )
    install_append_only_triggers(op.get_bind(), ("portfolio_exports",))


def downgrade() -> None:
    with op.batch_alter_table("portfolio_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_exports_trainee_id"))
        batch_op.drop_index(batch_op.f("ix_portfolio_exports_digest"))
    op.drop_table("portfolio_exports")
