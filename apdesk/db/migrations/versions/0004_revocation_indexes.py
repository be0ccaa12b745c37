"""indexes on what each sign-off revokes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:40:00

The programme's progress totals ask, for every sign-off record, whether a later record
revokes it; without these indexes that is a scan of the table per record.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TABLES = ("competency_signoffs", "care_certificate_signoffs")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_revokes_id"), ["revokes_id"])


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_revokes_id"))
