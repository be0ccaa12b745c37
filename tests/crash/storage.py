"""A full disk and a read-only database, made on purpose for a test.

Both work as root (CI runs as root, which file permissions do not stop) and need no mount:
SQLite's own page budget stands in for the disk, and the database's own read-only modes for
a read-only file or server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from apdesk.db.database import Database
from apdesk.services.startup import open_database


@contextmanager
def disk_full(database: Database) -> Iterator[None]:
    """Until the block ends the file cannot grow by a single page, as on a full disk.

    ``max_page_count`` never goes below the file's size, so asking for 1 stops it where it is.
    The pool is emptied on the way in and out, so every connection gets (then loses) it.
    """

    def no_room(dbapi_connection: Any, _record: Any) -> None:
        with closing(dbapi_connection.cursor()) as cursor:
            cursor.execute("PRAGMA max_page_count = 1")

    event.listen(database.engine, "connect", no_room)
    database.engine.dispose()
    try:
        yield
    finally:
        event.remove(database.engine, "connect", no_room)
        database.engine.dispose()


@contextmanager
def refusing_changes(database: Database) -> Iterator[None]:
    """Until the block ends the database takes no changes: SQLite's ``query_only``, or a
    PostgreSQL session whose transactions are read-only (as on a standby server)."""

    def read_only(dbapi_connection: Any, _record: Any) -> None:
        with closing(dbapi_connection.cursor()) as cursor:
            if database.is_sqlite:
                cursor.execute("PRAGMA query_only = ON")
            else:
                cursor.execute("SET SESSION default_transaction_read_only = on")
                dbapi_connection.commit()

    event.listen(database.engine, "connect", read_only)
    database.engine.dispose()
    try:
        yield
    finally:
        event.remove(database.engine, "connect", read_only)
        database.engine.dispose()


def open_read_only(database: Database) -> Database:
    """The same SQLite file opened again, read-only, as from a read-only share or medium."""
    path = Path(database.engine.url.database or "")
    return open_database(f"sqlite:///file:{path}?mode=ro&uri=true").database


def integrity(database: Database) -> str:
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql("PRAGMA integrity_check").all()
    return "; ".join(str(row[0]) for row in rows)
