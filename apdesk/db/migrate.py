"""Bring a database to the schema this version of APDesk expects.

- An empty database is created from the models and stamped at head (not replayed revision by
  revision), as Alembic's documentation recommends.
- A database at head is left alone without importing Alembic at all: start-up stays fast.
- An older one is copied aside (SQLite) and upgraded.
- One written by a newer APDesk is refused rather than damaged.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from apdesk.db.database import Database, create_database_engine
from apdesk.db.migrations import HEAD_REVISION
from apdesk.db.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaAction(StrEnum):
    CREATED = "created"
    UPGRADED = "upgraded"
    CURRENT = "current"


class DatabaseTooNewError(RuntimeError):
    """The database was written by a newer APDesk; opening it could lose data."""


@dataclass(frozen=True)
class SchemaResult:
    action: SchemaAction
    revision_before: str | None
    backup: Path | None = None


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(connection: Connection):  # -> alembic.config.Config, imported lazily
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {revision.revision for revision in script.walk_revisions()}


def ensure_schema(database: Database) -> SchemaResult:
    with database.engine.connect() as connection:
        revision = current_revision(connection)
        has_tables = bool(inspect(connection).get_table_names())
        connection.rollback()
    if revision == HEAD_REVISION:
        return SchemaResult(SchemaAction.CURRENT, revision)
    if revision is None and not has_tables:
        _create_and_stamp(database)
        return SchemaResult(SchemaAction.CREATED, None)
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNewError(
            f"{database.display_name} was written by a newer version of APDesk "
            f"(schema {revision}). Install the newer APDesk to open it; nothing was changed."
        )
    if revision is None:
        raise RuntimeError(
            f"{database.display_name} holds tables that are not an APDesk database; "
            "choose another file or an empty database."
        )
    backup = _copy_aside(database, revision)
    _upgrade(database)
    return SchemaResult(SchemaAction.UPGRADED, revision, backup)


def _create_and_stamp(database: Database) -> None:
    from alembic import command

    with database.engine.begin() as connection:
        Base.metadata.create_all(connection)
        command.stamp(alembic_config(connection), "head")


def _upgrade(database: Database) -> None:
    from alembic import command

    # Batch mode rebuilds SQLite tables; with foreign keys enforced that would cascade or fail.
    engine = create_database_engine(database.url, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()


def _copy_aside(database: Database, revision: str) -> Path | None:
    """Copy a SQLite file before upgrading it, with SQLite's online backup (safe under WAL)."""
    if not database.is_sqlite or not database.engine.url.database:
        return None
    source = Path(database.engine.url.database)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = source.with_name(f"{source.stem}.before-upgrade-from-{revision}-{stamp}.sqlite3")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target
