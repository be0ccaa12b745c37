"""The models and the Alembic revisions describe the same schema, whichever way a database
was made, and opening a database never damages one it does not understand."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from apdesk.db.database import Database, create_database_engine
from apdesk.db.migrate import (
    MIGRATIONS_DIR,
    DatabaseTooNewError,
    SchemaAction,
    alembic_config,
    ensure_schema,
)
from apdesk.db.migrations import HEAD_REVISION
from apdesk.db.models import Base


def _differences(url: str) -> list:
    engine = create_database_engine(url, pooled=False)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    return differences


def _triggers(url: str) -> set[str]:
    engine = create_database_engine(url, pooled=False)
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        found = set(names.scalars())
    engine.dispose()
    return found


def test_head_constant_matches_the_newest_revision() -> None:
    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == HEAD_REVISION


def test_an_empty_file_migrates_to_head_and_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    engine = create_database_engine(url, foreign_keys=False, pooled=False)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()

    assert _differences(url) == []
    assert "competency_signoffs_no_update" in _triggers(url)


def test_a_new_database_is_created_stamped_and_matches_the_migrated_one(tmp_path: Path) -> None:
    created_url = f"sqlite:///{tmp_path / 'created.sqlite3'}"
    migrated_url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    engine = create_database_engine(migrated_url, foreign_keys=False, pooled=False)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()

    database = Database(created_url)
    result = ensure_schema(database)
    with database.read() as session:
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    database.close()

    assert result.action is SchemaAction.CREATED
    assert revision == HEAD_REVISION
    assert _differences(created_url) == []
    assert _triggers(created_url) == _triggers(migrated_url)


def test_a_database_at_head_is_left_alone(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    ensure_schema(database)
    assert ensure_schema(database).action is SchemaAction.CURRENT
    database.close()


def test_a_database_from_a_newer_apdesk_is_refused_untouched(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'newer.sqlite3'}")
    ensure_schema(database)
    with database.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        schema_before = session.execute(text("SELECT sql FROM sqlite_master")).scalars().all()

    with pytest.raises(DatabaseTooNewError, match="newer version of APDesk"):
        ensure_schema(database)

    with database.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        assert (
            session.execute(text("SELECT sql FROM sqlite_master")).scalars().all() == schema_before
        )
    database.close()


def test_a_file_holding_other_tables_is_refused(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with database.write() as session:
        session.execute(text("CREATE TABLE recipes (id INTEGER PRIMARY KEY)"))
    with pytest.raises(RuntimeError, match="not an APDesk database"):
        ensure_schema(database)
    database.close()


def test_a_database_from_the_first_release_is_copied_aside_and_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "first.sqlite3"
    url = f"sqlite:///{path}"
    engine = create_database_engine(url, foreign_keys=False, pooled=False)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(
            text("INSERT INTO organisation_settings (key, value) VALUES ('kept', '\"yes\"')")
        )
    engine.dispose()
    assert "portfolio_exports_no_update" not in _triggers(url)

    database = Database(url)
    result = ensure_schema(database)
    with database.read() as session:
        kept = session.execute(text("SELECT value FROM organisation_settings")).scalar()
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    database.close()

    assert result.action is SchemaAction.UPGRADED and result.revision_before == "0001"
    assert result.backup is not None and result.backup.exists()
    assert (kept, revision) == ('"yes"', HEAD_REVISION)
    assert _differences(url) == []
    assert {"portfolio_exports_no_update", "portfolio_exports_no_delete"} <= _triggers(url)
