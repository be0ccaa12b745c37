"""Helpers for the backup, restore and check tests: damaging a file the way a failing disk or
an interrupted copy would, and stamping a copy as if a newer APDesk had written it."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from apdesk.db.database import Database
from apdesk.domain.enums import Role
from apdesk.services.accounts import NewUser, add_user, list_users
from apdesk.services.actors import Actor

PAGE_SIZE = 4096


def corrupt_middle_page(path: Path) -> None:
    """Overwrite the page in the middle of the file with garbage (a whole page, so it cannot
    land in a page's unused space and go unnoticed)."""
    data = bytearray(path.read_bytes())
    start = (len(data) // PAGE_SIZE // 2) * PAGE_SIZE
    data[start : start + PAGE_SIZE] = bytes((i * 7 + 3) % 256 for i in range(PAGE_SIZE))
    path.write_bytes(data)


def corrupt_schema_page(path: Path) -> None:
    """Overwrite the first page after its 100-byte file header: the schema (sqlite_master)
    can no longer be read, which even the cheap look at every open notices."""
    data = bytearray(path.read_bytes())
    data[100:PAGE_SIZE] = bytes((i * 11 + 5) % 256 for i in range(100, PAGE_SIZE))
    path.write_bytes(data)


def corrupted_copy(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    corrupt_middle_page(target)
    return target


def stamp_revision(path: Path, revision: str) -> None:
    """Set the schema revision as a newer (or older) APDesk would have left it."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        connection.commit()


def add_lead(database: Database, admin: Actor, username: str) -> None:
    """A change made through the services (audited), easy to look for afterwards."""
    add_user(
        database,
        admin,
        NewUser(username, username.replace(".", " ").title(), Role.EDUCATION_LEAD, "lantern-41-x"),
    )


def usernames(database: Database, admin: Actor) -> set[str]:
    return {user.username for user in list_users(database, admin)}


def sqlite_file(database: Database) -> Path:
    assert database.url.startswith("sqlite:///"), database.url
    return Path(database.url.removeprefix("sqlite:///"))
