"""Open a database for the app or the CLI: migrate it, then load changed reference data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from apdesk.db.database import Database
from apdesk.db.migrate import SchemaResult, ensure_schema
from apdesk.db.reference_data import load_changed_files
from apdesk.paths import resolve_database_url, resources_dir
from apdesk.services.integrity import file_problems, sqlite_path, summarise
from apdesk.services.storage_errors import report_storage_errors


class DatabaseUnavailableError(RuntimeError):
    """The database cannot be reached or read: a server down, a locked or unreadable file."""


class DatabaseDamagedError(DatabaseUnavailableError):
    """The SQLite file fails SQLite's quick check: using it could lose or garble records."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(
            f"The database file {path} is damaged, so APDesk will not use it: "
            f"{summarise(problems)}. Restore a backup (File → Restore from backup…, or "
            "`apdesk restore FILE`); `apdesk check` lists every problem."
        )


@dataclass(frozen=True)
class OpenedDatabase:
    database: Database
    schema: SchemaResult
    reference_files_loaded: tuple[str, ...]


def open_database(url: str | None = None) -> OpenedDatabase:
    resolved = resolve_database_url(url)
    try:
        database = Database(resolved)
    except (NoSuchModuleError, ModuleNotFoundError) as error:
        raise DatabaseUnavailableError(
            f"APDesk cannot open {make_url(resolved).render_as_string(hide_password=True)}: "
            f"its database driver is not installed ({error}). For PostgreSQL install "
            'APDesk with the postgresql extra: pip install -e ".[postgresql]"'
        ) from None
    except (ArgumentError, ValueError) as error:  # not a database address at all
        raise DatabaseUnavailableError(f"{resolved!r} is not a database address: {error}") from None
    path = sqlite_path(database)
    if path is not None and path.exists():
        # Before anything writes to it: a damaged file is reported, not made worse.
        problems = file_problems(path, quick=True, read_only=False)
        if problems:
            database.close()
            raise DatabaseDamagedError(path, problems)
    try:
        schema = ensure_schema(database)
        with database.write() as session:
            loaded = load_changed_files(session, resources_dir())
    except OperationalError as error:
        database.close()
        raise DatabaseUnavailableError(
            f"APDesk cannot open {database.display_name}: {error.orig}"
        ) from error
    except Exception:
        database.close()
        raise
    # Only now: a failure while opening is told as "cannot open" above; from here on, a full
    # disk or a read-only file is told as the reason a save was refused.
    report_storage_errors(database.engine)
    return OpenedDatabase(database, schema, tuple(loaded))
