"""Keeping PostgreSQL's id sequences ahead of rows inserted with explicit ids.

SQLite picks the next rowid from the table itself; PostgreSQL draws it from a sequence that
only moves when it hands out an id. Rows written with their own ids (the demo's bulk sign-offs,
where a revocation names the id of the row before it) leave the sequence behind, and the next
ordinary insert would collide with them.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, func, select


def catch_up_id_sequence(connection: Connection, table: Table) -> None:
    """Move ``table``'s id sequence past its largest id (nothing to do on SQLite)."""
    if connection.dialect.name != "postgresql":
        return
    largest = connection.scalar(select(func.max(table.c.id)))
    if largest is None:
        return
    connection.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), largest)))
