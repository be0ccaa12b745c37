"""Copy the database to a file a person chooses (File → Backup).

SQLite's online backup API copies a consistent snapshot even while APDesk (or another PC)
is writing, including what is still in the WAL file, which a plain file copy would miss.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from apdesk.db.database import Database
from apdesk.services.errors import ActionRefusedError

PAGES_PER_STEP = 1024


def backup_database(
    database: Database, target: Path, progress: Callable[[int, int], None] | None = None
) -> Path:
    if not database.is_sqlite or not database.engine.url.database:
        raise ActionRefusedError(
            "This is a central database server: it is backed up on the server (e.g. pg_dump "
            "by your database administrator), not from one PC."
        )
    source = Path(database.engine.url.database)
    if target.resolve() == source.resolve():
        raise ActionRefusedError("Choose a different file from the database itself")
    partial = target.with_name(target.name + ".partial")

    def report(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
            src.backup(dst, pages=PAGES_PER_STEP, progress=report)
        src.close()
        dst.close()
        partial.replace(target)  # never leave a half-written file under the chosen name
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ActionRefusedError(f"The backup could not be written: {error.strerror}") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
