"""Is a database sound, and is a file one this APDesk can restore?

SQLite checks its own pages (``integrity_check``; ``quick_check`` skips comparing indexes with
their tables) and its foreign keys; APDesk adds the audit trail's hash chain. A damaged file is
reported in plain words, never as a traceback.

Every open first takes a cheap look (``sanity_problems``: the header and the schema readable,
milliseconds on any size of file). The quick check reads every page, about 2 s for a 600 MB
file, so the desktop runs it after its window is up (``startup.find_damage``, on a worker
thread); the
CLI runs it as it opens, and `apdesk check` runs the full integrity check.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from apdesk.db.database import BUSY_TIMEOUT_MS, Database
from apdesk.db.migrate import known_revisions
from apdesk.services.audit import verify_audit_chain
from apdesk.services.errors import ActionRefusedError

MAX_PROBLEMS = 20  # SQLite stops listing after this many; one is enough to refuse a file
# Tables only an APDesk database has together (alembic_version alone is any Alembic app's).
APDESK_TABLES = frozenset({"alembic_version", "audit_log", "users", "trainees"})


def sqlite_path(database: Database) -> Path | None:
    """The file behind a SQLite database; None for a server or an in-memory database."""
    name = database.engine.url.database
    if not database.is_sqlite or name in (None, "", ":memory:"):
        return None
    return Path(name)


def connect_to_file(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A plain sqlite3 connection that never creates a missing file (``mode=rw``/``ro``).

    Read-write for the database in use, so what is still in its WAL file is checked too;
    read-only for a file that is only being looked at, such as a backup.
    """
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def plain_sqlite_error(error: sqlite3.Error) -> str:
    """SQLite's terse messages in words a person can pass on to IT support."""
    message = str(error)
    if "file is not a database" in message:
        return "it is not a SQLite database file, or its first page is damaged"
    if "malformed" in message:
        return f"its contents are damaged (SQLite: {message})"
    if "unable to open" in message:
        return f"the file cannot be opened (SQLite: {message})"
    return f"SQLite: {message}"


def page_problems(connection: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """What SQLite's integrity_check (or quick_check) finds; empty when the file is sound."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = connection.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})").fetchall()
    except sqlite3.DatabaseError as error:  # damage bad enough that the check cannot run
        return [plain_sqlite_error(error)]
    found = [str(row[0]) for row in rows]
    if found == ["ok"]:
        return []
    # Drop SQLite's "*** in database main ***" headings: there is only ever the one database.
    return [
        line for text in found for line in text.splitlines() if line and not line.startswith("***")
    ]


def file_problems(path: Path, *, quick: bool = False, read_only: bool = True) -> list[str]:
    """Check a SQLite file's pages; an unopenable file is a problem too."""
    try:
        with closing(connect_to_file(path, read_only=read_only)) as connection:
            return page_problems(connection, quick=quick)
    except sqlite3.Error as error:
        return [plain_sqlite_error(error)]


def sanity_problems(path: Path) -> list[str]:
    """What a cheap look finds: a file that is not SQLite, a damaged first page or schema.

    Reads the header and ``sqlite_master`` only, never the tables' pages.
    """
    try:
        with closing(connect_to_file(path, read_only=False)) as connection:
            connection.execute("PRAGMA schema_version").fetchone()  # the header
            connection.execute(
                "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master"
            ).fetchall()
    except sqlite3.Error as error:
        return [plain_sqlite_error(error)]
    return []


def summarise(problems: list[str]) -> str:
    more = len(problems) - 1
    return problems[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


@dataclass(frozen=True)
class RestorableFile:
    path: Path
    revision: str


def check_restorable(path: Path) -> RestorableFile:
    """Refuse, in plain words, a file that is damaged, not APDesk's, or from a newer APDesk."""
    if not path.is_file():
        raise ActionRefusedError(f"There is no file {path}.")
    problems = file_problems(path)
    if problems:
        raise ActionRefusedError(
            f"{path.name} failed SQLite's integrity check, so it cannot be restored: "
            f"{summarise(problems)}."
        )
    with closing(connect_to_file(path, read_only=True)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        revision = None
        if tables >= APDESK_TABLES:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None:
        raise ActionRefusedError(f"{path.name} is not an APDesk database.")
    if revision[0] not in known_revisions():
        raise ActionRefusedError(
            f"{path.name} was saved by a newer version of APDesk (schema {revision[0]}), so "
            "this version cannot restore it. Install the newer APDesk to use it."
        )
    return RestorableFile(path, revision[0])


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    detail: str


def check_database(database: Database) -> list[CheckResult]:
    """Every check `apdesk check` runs, each with its result; none stops the others."""
    path = sqlite_path(database)
    if path is None:
        results = [
            CheckResult(
                "Integrity check",
                True,
                "not run here: the PostgreSQL server looks after its own storage "
                "(ask its administrator, e.g. amcheck)",
            ),
            CheckResult("Foreign keys", True, "enforced by the PostgreSQL server on every write"),
        ]
    else:
        problems = file_problems(path, read_only=False)
        results = [
            CheckResult("Integrity check", not problems, summarise(problems) if problems else "ok"),
            _foreign_key_check(path),
        ]
    return [*results, _audit_chain_check(database)]


def _foreign_key_check(path: Path) -> CheckResult:
    name = "Foreign keys"
    try:
        with closing(connect_to_file(path, read_only=False)) as connection:
            rows = connection.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.Error as error:
        return CheckResult(name, False, f"could not be checked: {plain_sqlite_error(error)}")
    if not rows:
        return CheckResult(name, True, "ok")
    orphans: dict[tuple[str, str], list[int]] = defaultdict(list)
    for table, row_id, parent, _key in rows:
        orphans[(table, parent)].append(row_id)
    detail = "; ".join(
        f"{len(ids)} row{'s' if len(ids) > 1 else ''} in {table} refer{'' if len(ids) > 1 else 's'}"
        f" to missing {parent} (row ids {', '.join(map(str, ids[:10]))}"
        f"{', …' if len(ids) > 10 else ''})"
        for (table, parent), ids in orphans.items()
    )
    return CheckResult(name, False, detail)


def _audit_chain_check(database: Database) -> CheckResult:
    name = "Audit trail"
    try:
        chain = verify_audit_chain(database)
    except DBAPIError as error:
        return CheckResult(name, False, f"could not be read: {error.orig}")
    if not chain.intact:
        return CheckResult(name, False, f"{chain.problem}")
    entries = "1 entry" if chain.entries == 1 else f"{chain.entries} entries"
    return CheckResult(name, True, f"intact, {entries}; head hash {chain.head_hash}")
