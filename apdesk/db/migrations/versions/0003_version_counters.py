"""version counters on trainees and day-release sessions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:30:00

Optimistic concurrency for the records two people edit at once: a trainee's details and a
session's register. Existing rows start at version 1, as the ORM numbers new ones.

On PostgreSQL it also refreshes the append-only trigger function, which now raises an
integrity violation (as SQLite's triggers do) rather than a generic error.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from apdesk.db.append_only import install_append_only_triggers

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_VERSIONED = ("trainees", "day_release_sessions")


def upgrade() -> None:
    for table in _VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
            )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        install_append_only_triggers(
            bind,
            (
                "competency_signoffs",
                "care_certificate_signoffs",
                "band_history",
                "audit_log",
                "portfolio_exports",
            ),
        )


def downgrade() -> None:
    for table in _VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
