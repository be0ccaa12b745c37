"""Open a database for the app or the CLI: check it is sound, migrate it, then load changed
reference data.

A cheap look at the file (its header and schema) always comes first. SQLite's quick check of
every page follows at once for the CLI; the desktop asks for it later (``find_damage``, run
off the GUI thread once the window is up), since it takes seconds on a large file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from apdesk.db.database import Database
from apdesk.db.migrate import SchemaResult, current_revision, ensure_schema
from apdesk.db.migrations import HEAD_REVISION
from apdesk.db.reference_data import load_changed_files
from apdesk.paths import resolve_database_url, resources_dir
from apdesk.services.integrity import file_problems, sanity_problems, sqlite_path, summarise
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


def _upgrade_due(database: Database) -> bool:
    """An upgrade rewrites tables, so it never starts on a file not quick-checked first."""
    try:
        with database.engine.connect() as connection:
            revision = current_revision(connection)
            connection.rollback()
    except DBAPIError:
        return True  # unreadable: the quick check says why
    return revision is not None and revision != HEAD_REVISION


def find_damage(database: Database) -> DatabaseDamagedError | None:
    """SQLite's quick check of every page of a SQLite file; None when sound (or a server)."""
    path = sqlite_path(database)
    if path is None or not path.exists():
        return None
    problems = file_problems(path, quick=True, read_only=False)
    return DatabaseDamagedError(path, problems) if problems else None


def open_database(url: str | None = None, *, quick_check: bool = True) -> OpenedDatabase:
    """Open, migrate and load reference data; refuse a damaged or unreachable database.

    ``quick_check=False`` leaves SQLite's page-by-page check to the caller (``find_damage``),
    keeping only the cheap look at the header and schema here.
    """
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
        problems = sanity_problems(path)
        if not problems and (quick_check or _upgrade_due(database)):
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
