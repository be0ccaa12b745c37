"""Database triggers that make sign-offs and the audit log append-only.

The services never update or delete these rows; the triggers make sure nothing else does
either (a script, a hand edit in a SQLite browser), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event

from apdesk.db.models import Base

APPEND_ONLY_TABLES = (
    "competency_signoffs",
    "care_certificate_signoffs",
    "band_history",  # a band decision is corrected by recording another, never edited
    "audit_log",
    "portfolio_exports",  # what each exported portfolio covered: evidence for its checks
)


def _sqlite_statements(table: str) -> list[str]:
    message = f"{table} is append-only: record a correction as a new entry"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def _postgresql_statements(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION apdesk_refuse_change()",
    ]


# psycopg reads "%" as a parameter marker even without parameters, hence "%%". The error code
# is an integrity violation, as SQLite's RAISE(ABORT) is, so both reach callers as IntegrityError.
_POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION apdesk_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%% is append-only: record a correction as a new entry', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""


def install_append_only_triggers(
    connection: Connection, tables: tuple[str, ...] = APPEND_ONLY_TABLES
) -> None:
    """Refuse UPDATE and DELETE on ``tables``; a migration names the tables it created, so
    replaying an old migration never reaches for a table a later one adds."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        statements = [s for table in tables for s in _sqlite_statements(table)]
    elif dialect == "postgresql":
        statements = [_POSTGRESQL_FUNCTION]
        statements += [s for table in tables for s in _postgresql_statements(table)]
    else:
        raise NotImplementedError(f"append-only triggers are not written for {dialect}")
    for statement in statements:
        connection.exec_driver_sql(statement)


@event.listens_for(Base.metadata, "after_create")
def _after_create(target: Any, connection: Connection, **_: Any) -> None:
    install_append_only_triggers(connection)
