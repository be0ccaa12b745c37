"""Helpers for the account and audit-trail dialog tests: real accounts made through the
services (first administrator, then others added by that administrator), and tampering
with the audit log the way someone with a SQLite browser could."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from sqlalchemy import text

from apdesk.db.database import Database
from apdesk.domain.enums import Role
from apdesk.services.accounts import NewUser, add_user, create_first_administrator
from apdesk.services.actors import Actor

ADMIN_PASSWORD = "harbour-lantern-41"
MENTOR_PASSWORD = "meadow-compass-27"
LEAD_PASSWORD = "orchard-ribbon-63"


def first_administrator(database: Database) -> Actor:
    return create_first_administrator(
        database, username="sam.admin", full_name="Sam Admin", password=ADMIN_PASSWORD
    )


def add_mentor(
    database: Database,
    admin: Actor,
    *,
    username: str = "maria.jones",
    full_name: str = "Maria Jones",
    employer_id: int | None = None,
) -> Actor:
    return add_user(
        database,
        admin,
        NewUser(
            username,
            full_name,
            Role.MENTOR,
            MENTOR_PASSWORD,
            employer_id=employer_id,
            professional_registration="NMC 12A3456E",
            mentor_trained_on=date(2024, 3, 1),
        ),
    )


def add_education_lead(database: Database, admin: Actor) -> Actor:
    return add_user(
        database, admin, NewUser("eve.lead", "Eve Lead", Role.EDUCATION_LEAD, LEAD_PASSWORD)
    )


def database_file(database: Database) -> Path:
    assert database.url.startswith("sqlite:///"), database.url
    return Path(database.url.removeprefix("sqlite:///"))


def tamper_with_audit_summary(database: Database, entry_id: int, summary: str) -> None:
    """Edit one audit entry behind APDesk's back, as the file's owner or a server's
    superuser could: switch off the append-only trigger, update."""
    if database.is_sqlite:
        connection = sqlite3.connect(database_file(database))
        try:
            connection.execute("DROP TRIGGER audit_log_no_update")
            connection.execute("UPDATE audit_log SET summary = ? WHERE id = ?", (summary, entry_id))
            connection.commit()
        finally:
            connection.close()
        return
    with database.engine.begin() as connection:
        connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        connection.execute(
            text("UPDATE audit_log SET summary = :summary WHERE id = :id"),
            {"summary": summary, "id": entry_id},
        )
