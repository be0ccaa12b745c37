"""Back up a SQLite database and restore one.

- To a file a person chooses (File → Back up database…, ``apdesk backup --to FILE``).
- Into a rotating set in ``data_dir()/backups``, named ``<database>-<UTC time>.sqlite3``:
  automatically when the main window closes and at start-up when the newest is a day old, or
  by ``apdesk backup``. The newest ``APDESK_BACKUPS_KEEP`` (default 10) are kept, and only
  once the new one has passed SQLite's integrity check does the oldest go.
- A restore refuses a file that fails the integrity check, is not an APDesk database or is
  from a newer APDesk; saves the database as it is first; and copies the backup in.

SQLite's online backup API copies a consistent snapshot even while APDesk (or another PC) is
writing, including what is still in the WAL file, which a plain file copy would miss. A
restore goes through the same API into the live file, in one transaction, so a failure half
way leaves the database as it was. A PostgreSQL server is backed up on the server.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apdesk.db.database import Database
from apdesk.db.migrate import SchemaAction
from apdesk.domain.enums import Role
from apdesk.paths import data_dir
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.errors import ActionRefusedError
from apdesk.services.integrity import (
    check_restorable,
    connect_to_file,
    file_problems,
    plain_sqlite_error,
    sqlite_path,
    summarise,
)
from apdesk.services.permissions import require_role
from apdesk.services.startup import OpenedDatabase, open_database

log = logging.getLogger(__name__)

PAGES_PER_STEP = 1024
BACKUPS_KEEP_VARIABLE = "APDESK_BACKUPS_KEEP"
DEFAULT_BACKUPS_KEPT = 10
DAILY = timedelta(days=1)
_STAMP = "%Y%m%dT%H%M%SZ"
SERVER_BACKUPS = (
    "This is a central database server: it is backed up on the server (e.g. pg_dump by your "
    "database administrator), not from one PC."
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # UTC, from the file's name
    size: int  # bytes


@dataclass(frozen=True)
class RotatingBackup:
    backup: BackupFile
    removed: tuple[Path, ...]  # older backups rotated out
    keep: int
    setting_problem: str | None = None  # APDESK_BACKUPS_KEEP was unusable; the default applied


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    revision_restored: str  # the backup's schema; ``opened.schema`` says if it was upgraded
    current_saved_to: Path | None  # the database as it was before; None if there was none
    current_was_damaged: bool
    opened: OpenedDatabase  # the restored database, open and brought to this APDesk's schema

    @property
    def upgraded_from(self) -> str | None:
        """The backup's older schema, when opening it upgraded it."""
        schema = self.opened.schema
        return schema.revision_before if schema.action is SchemaAction.UPGRADED else None


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backups_to_keep() -> tuple[int, str | None]:
    """How many rotating backups this PC keeps, and what was wrong with the setting if any.

    A bad value never stops backups: the default applies and the problem is reported.
    """
    value = os.environ.get(BACKUPS_KEEP_VARIABLE, "").strip()
    if not value:
        return DEFAULT_BACKUPS_KEPT, None
    if value.isdigit() and int(value) >= 1:
        return int(value), None
    problem = (
        f"{BACKUPS_KEEP_VARIABLE}={value!r} is not a whole number of 1 or more; "
        f"keeping the newest {DEFAULT_BACKUPS_KEPT} backups"
    )
    log.warning(problem)
    return DEFAULT_BACKUPS_KEPT, problem


def _name_pattern(database_path: Path) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(database_path.stem)}-(\d{{8}}T\d{{6}}Z)(?:-(\d+))?\.sqlite3")


def list_backups(database_path: Path) -> list[BackupFile]:
    """The rotating backups of this database (by file name), newest first."""
    pattern = _name_pattern(database_path)
    found: list[tuple[datetime, int, BackupFile]] = []
    for path in backups_dir().iterdir():
        match = pattern.fullmatch(path.name)
        if match is None or not path.is_file():
            continue
        taken_at = datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)
        found.append(
            (taken_at, int(match[2] or 1), BackupFile(path, taken_at, path.stat().st_size))
        )
    found.sort(key=lambda item: item[:2], reverse=True)
    return [backup for _taken, _counter, backup in found]


def latest_good_backup(database_path: Path) -> BackupFile | None:
    """The newest rotating backup that passes every check a restore makes."""
    for backup in list_backups(database_path):
        try:
            check_restorable(backup.path)
        except ActionRefusedError as refusal:
            log.warning("Backup %s cannot be restored: %s", backup.path, refusal)
            continue
        return backup
    return None


def daily_backup_due(database: Database, now: datetime | None = None) -> bool:
    path = sqlite_path(database)
    if path is None or not path.exists():
        return False
    backups = list_backups(path)
    return not backups or (now or datetime.now(UTC)) - backups[0].taken_at >= DAILY


# -- making backups ----------------------------------------------------------------------------
def _database_file(database: Database) -> Path:
    path = sqlite_path(database)
    if path is None:
        raise ActionRefusedError(SERVER_BACKUPS)
    return path


def _copy(source: Path, target: Path, progress: Progress | None, *, source_read_only: bool) -> None:
    """Copy ``source`` page by page into ``target``, which only takes that name once it has
    passed SQLite's integrity check: never a half-written or damaged file under it."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)

    def report(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        with (
            closing(connect_to_file(source, read_only=source_read_only)) as src,
            closing(sqlite3.connect(partial, isolation_level=None)) as dst,
        ):
            src.backup(dst, pages=PAGES_PER_STEP, progress=report)
            # One self-contained file: opening it later leaves no -wal or -shm beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
        problems = file_problems(partial)
        if problems:
            raise ActionRefusedError(
                f"The copy of {source.name} failed SQLite's integrity check ({summarise(problems)})"
                ", so it was not kept. The database itself may be damaged: run `apdesk check`."
            )
        partial.replace(target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise ActionRefusedError(
            f"The copy of {source.name} could not be made: {plain_sqlite_error(error)}"
        ) from error
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ActionRefusedError(f"The backup could not be written: {error.strerror}") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def backup_database(
    database: Database, actor: Actor, target: Path, progress: Progress | None = None
) -> Path:
    """Copy the database to a file the person chose."""
    require_role(actor, (Role.ADMINISTRATOR,), "back up the database")
    source = _database_file(database)
    if target.resolve() == source.resolve():
        raise ActionRefusedError("Choose a different file from the database itself")
    _copy(source, target, progress, source_read_only=False)
    return target


def _new_backup_path(database_path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime(_STAMP)
    path = backups_dir() / f"{database_path.stem}-{stamp}.sqlite3"
    counter = 1
    while path.exists():  # two backups in one second, e.g. restore then close
        counter += 1
        path = backups_dir() / f"{database_path.stem}-{stamp}-{counter}.sqlite3"
    return path


def _take_backup(database_path: Path, now: datetime, progress: Progress | None) -> BackupFile:
    target = _new_backup_path(database_path, now)
    _copy(database_path, target, progress, source_read_only=False)
    return BackupFile(target, now.astimezone(UTC).replace(microsecond=0), target.stat().st_size)


def rotate_backups(database_path: Path, keep: int, spare: Iterable[Path] = ()) -> tuple[Path, ...]:
    """Remove this database's oldest rotating backups beyond the newest ``keep``."""
    spared = {path.resolve() for path in spare}
    removed: list[Path] = []
    for backup in list_backups(database_path)[keep:]:
        if backup.path.resolve() in spared:
            continue
        try:
            backup.path.unlink()
        except OSError as error:  # open elsewhere (Windows): the next rotation tries again
            log.warning("Could not remove old backup %s: %s", backup.path, error)
            continue
        removed.append(backup.path)
    return tuple(removed)


def _back_up_and_rotate(
    database_path: Path, progress: Progress | None, now: datetime | None
) -> RotatingBackup:
    keep, problem = backups_to_keep()
    backup = _take_backup(database_path, now or datetime.now(UTC), progress)
    return RotatingBackup(backup, rotate_backups(database_path, keep), keep, problem)


def back_up_to_rotating_set(
    database: Database, actor: Actor, progress: Progress | None = None
) -> RotatingBackup:
    """``apdesk backup``: an administrator adds a backup to the rotating set now."""
    require_role(actor, (Role.ADMINISTRATOR,), "back up the database")
    return _back_up_and_rotate(_database_file(database), progress, None)


def automatic_backup(
    database: Database, progress: Progress | None = None, now: datetime | None = None
) -> RotatingBackup | None:
    """APDesk's own backup (window closed, daily): whoever is signed in, since it only copies
    the file into this PC user's own data folder. None for a database server."""
    path = sqlite_path(database)
    if path is None or not path.exists():
        return None
    return _back_up_and_rotate(path, progress, now)


# -- restoring ---------------------------------------------------------------------------------
def restore_database(
    database_path: Path, backup: Path, actor: Actor | None, progress: Progress | None = None
) -> RestoreResult:
    """Replace the database at ``database_path`` with ``backup``, then open it.

    Only an administrator may replace a sound database. A damaged one (or a missing one) can
    be restored by whoever is at the PC: nobody can sign in to it, and anyone who can damage
    the file could replace it anyway, so a sign-in would protect nothing. Either way the
    database as it was is kept in the backups folder first.
    """
    if backup.resolve() == database_path.resolve():
        raise ActionRefusedError("That file is the database itself: choose a backup.")
    exists = database_path.exists()
    damage = file_problems(database_path, read_only=False) if exists else []
    if exists and not damage:
        require_role(
            actor or Actor.from_environment(),
            (Role.ADMINISTRATOR,),
            "restore the database from a backup",
        )
    candidate = check_restorable(backup)
    now = datetime.now(UTC)
    saved: Path | None = None
    if damage:
        saved = _move_damaged_aside(database_path, now)
    elif exists:
        saved = _take_backup(database_path, now, None).path
    if database_path.exists():
        _restore_into_live_file(candidate.path, database_path, progress)
    else:
        _copy(candidate.path, database_path, progress, source_read_only=True)
    keep, _problem = backups_to_keep()
    rotate_backups(database_path, keep, spare=[backup])
    opened = open_database(str(database_path))
    try:
        _record_restore(opened.database, actor, backup, candidate.revision, saved, bool(damage))
    except BaseException:
        opened.database.close()
        raise
    return RestoreResult(backup, candidate.revision, saved, bool(damage), opened)


def _move_damaged_aside(database_path: Path, now: datetime) -> Path:
    """Keep the damaged file (and its journal) for IT support, out of the database's place."""
    stamp = now.strftime(_STAMP)
    target = backups_dir() / f"{database_path.stem}-{stamp}-damaged.sqlite3"
    try:
        shutil.move(database_path, target)
        for suffix in ("-wal", "-journal"):  # committed pages may still be in either
            companion = database_path.with_name(database_path.name + suffix)
            if companion.exists():
                shutil.move(companion, target.with_name(target.name + suffix))
        database_path.with_name(database_path.name + "-shm").unlink(missing_ok=True)
    except OSError as error:
        raise ActionRefusedError(
            f"The damaged database could not be moved aside ({error.strerror}). Close APDesk "
            "everywhere else it is open and try again."
        ) from error
    return target


def _restore_into_live_file(backup: Path, database_path: Path, progress: Progress | None) -> None:
    def report(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        with (
            closing(connect_to_file(backup, read_only=True)) as src,
            closing(connect_to_file(database_path, read_only=False)) as dst,
        ):
            src.backup(dst, pages=PAGES_PER_STEP, progress=report)
    except sqlite3.Error as error:
        raise ActionRefusedError(
            f"The backup could not be copied in ({plain_sqlite_error(error)}); the database "
            "was left as it was."
        ) from error


def _record_restore(
    database: Database,
    actor: Actor | None,
    backup: Path,
    revision: str,
    saved: Path | None,
    was_damaged: bool,
) -> None:
    """The restored database's own trail says it was restored, by whom, and where the old
    one went. Without a user id: accounts are the backup's, not the replaced database's."""
    who = Actor(name=(actor or Actor.from_environment()).name)
    before = "the damaged database" if was_damaged else "the database as it was"
    summary = f"Database restored from the backup {backup.name} (schema {revision})"
    if saved is not None:
        summary += f"; {before} is kept as {saved}"
    with database.write() as session:
        record_change(
            session,
            who,
            action="restore",
            entity="database",
            entity_id=None,
            summary=summary,
            after={"backup": str(backup), "saved_as": str(saved) if saved else None},
        )
