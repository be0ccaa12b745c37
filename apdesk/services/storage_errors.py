"""A full disk or a read-only database, told to the person in words they can act on.

The database reports these as driver errors from deep inside a save (the INSERT that needs a
new page, or the COMMIT that writes the log). Every statement and commit passes through the
engine, so one SQLAlchemy ``handle_error`` hook turns them into a :class:`StorageError`: an
:class:`ActionRefusedError`, which every refusal path in the UI and the CLI already shows.
The failed transaction is rolled back as usual, so nothing of the action is saved.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, ExceptionContext

from apdesk.services.errors import ActionRefusedError

# SQLite's primary result codes (the low byte of an extended code such as SQLITE_READONLY_DBMOVED).
_SQLITE_READONLY = 8
_SQLITE_FULL = 13
# PostgreSQL's SQLSTATEs: disk_full, and read_only_sql_transaction (a standby, or a server
# or database set to read-only by its administrator).
_POSTGRESQL_DISK_FULL = "53100"
_POSTGRESQL_READ_ONLY = "25006"
_NOTHING_SAVED = "Nothing was saved."


class StorageError(ActionRefusedError):
    """The database could not store the change (full disk, read-only file); nothing was saved."""


class DatabaseFullError(StorageError):
    pass


class DatabaseReadOnlyError(StorageError):
    pass


def report_storage_errors(engine: Engine) -> None:
    """From now on, a full or read-only database raises a StorageError from ``engine``."""
    if not event.contains(engine, "handle_error", _translate):
        event.listen(engine, "handle_error", _translate)


def _translate(context: ExceptionContext) -> None:
    if context.engine is None:  # SQLAlchemy names the engine in every case it documents
        return
    error = storage_error(context.original_exception, context.engine.url)
    if error is not None:
        raise error from context.original_exception


def storage_error(driver_error: BaseException, url: URL) -> StorageError | None:
    """The person's version of ``driver_error`` from the database at ``url``, or None when
    the error is about something else."""
    kind = _sqlite_kind(driver_error) or _postgresql_kind(driver_error)
    file = url.database if url.get_backend_name() == "sqlite" else None
    if kind == "full":
        if file:
            return DatabaseFullError(
                f"The database is full: free disk space on the drive that holds "
                f"{_shown(file)} (or ask IT to), then try again. {_NOTHING_SAVED}"
            )
        return DatabaseFullError(
            "The database is full: the database server has run out of disk space. Ask your "
            f"database administrator to free some, then try again. {_NOTHING_SAVED}"
        )
    if kind == "read-only":
        if file:
            return DatabaseReadOnlyError(
                f"The database is read-only: APDesk cannot save to {_shown(file)}. Check that "
                "the file and its folder are not read-only and that your account may change "
                f"them (ask IT if not), then try again. {_NOTHING_SAVED}"
            )
        return DatabaseReadOnlyError(
            "The database is read-only: the database server is accepting no changes (it "
            "may be a read-only copy, or closed for maintenance). Ask your database "
            f"administrator. {_NOTHING_SAVED}"
        )
    return None


def _sqlite_kind(error: BaseException) -> str | None:
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    return {_SQLITE_FULL: "full", _SQLITE_READONLY: "read-only"}.get(code & 0xFF)


def _postgresql_kind(error: BaseException) -> str | None:
    state = getattr(error, "sqlstate", None)
    return {_POSTGRESQL_DISK_FULL: "full", _POSTGRESQL_READ_ONLY: "read-only"}.get(str(state))


def _shown(database_path: str) -> str:
    """The file as a person finds it in their file manager, not as a URI."""
    path = database_path.removeprefix("file:").split("?", 1)[0]
    return str(Path(path).resolve())
