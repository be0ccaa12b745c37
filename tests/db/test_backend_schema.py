"""The schema, its append-only triggers and its id sequences hold on whichever database
server the run uses (SQLite files by default, PostgreSQL with APDESK_TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import IntegrityError

from apdesk.db.append_only import APPEND_ONLY_TABLES
from apdesk.db.database import Database, create_database_engine
from apdesk.db.migrate import SchemaAction, alembic_config
from apdesk.db.migrations import HEAD_REVISION
from apdesk.db.models import Base, CompetencySignoff, User
from apdesk.domain.enums import Role
from apdesk.services.startup import open_database


def _differences(connection: Connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def _guarded_tables(connection: Connection) -> set[str]:
    """Tables with a trigger refusing changes, read from the database's own catalogue."""
    if connection.dialect.name == "sqlite":
        rows = connection.execute(
            text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        )
        names = {(table, name) for table, name in rows}
        return {
            t for t, _ in names if (t, f"{t}_no_update") in names and (t, f"{t}_no_delete") in names
        }
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname = c.relname || '_append_only'"
        )
    )
    return set(rows.scalars())


def test_every_revision_replayed_gives_the_models_schema(new_database_url: str) -> None:
    engine = create_database_engine(new_database_url, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            assert _differences(connection) == []
            assert _guarded_tables(connection) == set(APPEND_ONLY_TABLES)
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == HEAD_REVISION
    finally:
        engine.dispose()


def test_a_first_start_creates_the_models_schema_with_its_guards(new_database_url: str) -> None:
    opened = open_database(new_database_url)
    try:
        assert opened.schema.action is SchemaAction.CREATED
        assert opened.reference_files_loaded  # reference data went in on the first start
        with opened.database.engine.connect() as connection:
            assert _differences(connection) == []
            assert _guarded_tables(connection) == set(APPEND_ONLY_TABLES)
        again = open_database(new_database_url)
        again.database.close()
        assert again.schema.action is SchemaAction.CURRENT
    finally:
        opened.database.close()


def test_changing_a_sign_off_is_refused_as_an_integrity_error(demo_database: Database) -> None:
    with demo_database.read() as session:
        first = session.scalars(select(CompetencySignoff.id).order_by(CompetencySignoff.id)).first()
    for statement in (
        "UPDATE competency_signoffs SET evidence = 'edited' WHERE id = :id",
        "DELETE FROM competency_signoffs WHERE id = :id",
    ):
        with pytest.raises(IntegrityError, match="append-only"), demo_database.write() as session:
            session.execute(text(statement), {"id": first})


def test_a_sign_off_after_the_demo_takes_the_next_free_id(demo_database: Database) -> None:
    """The demo writes sign-offs with their own ids; the next one must not collide."""
    with demo_database.write() as session:
        largest = session.scalar(select(func.max(CompetencySignoff.id)))
        earlier = session.get(CompetencySignoff, largest)
        mentor = session.get(User, earlier.signer_id)
        assert mentor is not None and mentor.role is Role.MENTOR
        revocation = CompetencySignoff(
            trainee_id=earlier.trainee_id,
            competency_id=earlier.competency_id,
            revokes_id=earlier.id,
            observed_on=date(2026, 11, 20),
            signer_id=mentor.id,
            signer_name=mentor.full_name,
            signer_role="Mentor",
            meaning="Revocation of an earlier sign-off",
            revocation_reason="Recorded against the wrong apprentice",
        )
        session.add(revocation)
        session.flush()
        assert revocation.id == largest + 1
