"""``apdesk backup``, ``backups``, ``restore`` and ``check``: the command line's side of backups
and integrity checks (apdesk.cli wires them in and turns refusals into exit codes).

``check``, ``backups`` and ``restore`` never open the database the normal way first: they must
work on a file too damaged to open (opening runs SQLite's quick check and refuses one).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from apdesk.db.database import Database
from apdesk.paths import resolve_database_url
from apdesk.services.accounts import sign_in
from apdesk.services.actors import Actor
from apdesk.services.backup import (
    BACKUPS_KEEP_VARIABLE,
    back_up_to_rotating_set,
    backup_database,
    backups_dir,
    list_backups,
    restore_database,
)
from apdesk.services.errors import ActionRefusedError
from apdesk.services.integrity import check_database
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.startup import DatabaseDamagedError, DatabaseUnavailableError, open_database

AskPassword = Callable[[str], str]


def add_backup_commands(commands: argparse._SubParsersAction) -> None:
    backup = commands.add_parser(
        "backup",
        help="back up the SQLite database (administrators)",
        description="Without --to, into the rotating set in the data folder's backups folder, "
        f"keeping the newest {BACKUPS_KEEP_VARIABLE} (default 10). Every backup is checked "
        "with SQLite's integrity check before it is kept.",
    )
    backup.add_argument("--to", type=Path, metavar="FILE", help="copy to this file instead")
    commands.add_parser("backups", help="list this database's rotating backups, newest first")
    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup (the current one is backed up first)",
        description="Refuses a file that fails SQLite's integrity check, is not an APDesk "
        "database or was saved by a newer APDesk. A sound database is replaced only by an "
        "administrator (--user NAME); a damaged one (which nobody can sign in to) by whoever "
        "runs this. An older backup is upgraded as it is opened.",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    commands.add_parser(
        "check",
        help="SQLite integrity and foreign-key checks and the audit chain; exit 1 on problems",
    )


def back_up(database: Database, actor: Actor, args: argparse.Namespace) -> None:
    if args.to is not None:
        target = backup_database(database, actor, args.to)
        print(f"Backed up {database.display_name} to {target} (integrity check: ok).")
        return
    result = back_up_to_rotating_set(database, actor)
    if result.setting_problem:
        print(f"warning: {result.setting_problem}")
    print(f"Backed up to {result.backup.path} (integrity check: ok).")
    print(f"Keeping the newest {result.keep} backups in {result.backup.path.parent}.")
    for removed in result.removed:
        print(f"Removed the oldest: {removed.name}")


def _database_file(database_url: str | None) -> Path:
    url = make_url(resolve_database_url(database_url))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise ActionRefusedError(
            "This is a central database server: it is backed up and restored on the server "
            "(e.g. pg_dump and pg_restore by your database administrator), not from one PC."
        )
    return Path(url.database)


def list_rotating_backups(args: argparse.Namespace) -> None:
    path = _database_file(args.database)
    backups = list_backups(path)
    if not backups:
        print(f"No backups of {path.name} in {backups_dir()} yet.")
        return
    print(f"Backups of {path.name} in {backups_dir()}, newest first:")
    for backup in backups:
        taken = backup.taken_at.astimezone().strftime("%d %b %Y %H:%M")
        print(f"  {taken}  {backup.size / 1_048_576:8.1f} MB  {backup.path}")


def restore(args: argparse.Namespace, ask_password: AskPassword) -> None:
    path = _database_file(args.database)
    actor = _administrator(args, path, ask_password)
    try:
        result = restore_database(path, args.file, actor)
    except PermissionDeniedError as refusal:
        if actor is not None:
            raise
        raise ActionRefusedError(
            f"{refusal} {path} passed its integrity check, so only an administrator may "
            "replace it: apdesk --user NAME restore FILE"
        ) from refusal
    try:
        if result.current_saved_to is not None:
            state = "damaged database" if result.current_was_damaged else "database as it was"
            print(f"The {state} is saved at {result.current_saved_to}")
        print(f"Restored {path} from {result.restored_from} (schema {result.revision_restored}).")
        if result.upgraded_from is not None:
            print(
                f"It was upgraded from schema {result.upgraded_from} to this APDesk's; the "
                f"copy from before the upgrade is {result.opened.schema.backup}."
            )
    finally:
        result.opened.database.close()


def _administrator(args: argparse.Namespace, path: Path, ask_password: AskPassword) -> Actor | None:
    """The --user account signed in to the current database; None when there is none or it is
    too damaged to sign in to (the restore service then decides whether that is enough)."""
    if not args.user or not path.exists():
        return None
    try:
        opened = open_database(str(path))
    except DatabaseDamagedError:
        return None
    try:
        password = ask_password(f"APDesk password for {args.user}: ")
        return sign_in(opened.database, args.user, password)
    finally:
        opened.database.close()


def check(args: argparse.Namespace) -> bool:
    """Print each check with its result; True when every one passed."""
    url = resolve_database_url(args.database)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        raise DatabaseUnavailableError(f"There is no database file at {parsed.database}.")
    try:
        database = Database(url)
    except (NoSuchModuleError, ModuleNotFoundError, ArgumentError, ValueError) as error:
        raise DatabaseUnavailableError(f"APDesk cannot open {url}: {error}") from None
    try:
        print(f"Checking {database.display_name}")
        results = check_database(database)
    finally:
        database.close()
    width = max(len(result.name) for result in results)
    for result in results:
        print(f"  {result.name:<{width}}  {'' if result.passed else 'PROBLEM: '}{result.detail}")
    failed = [result for result in results if not result.passed]
    if not failed:
        print(f"All {len(results)} checks passed.")
        return True
    print(
        f"{len(failed)} of {len(results)} checks found problems. A backup can be restored with "
        "`apdesk restore FILE` (`apdesk backups` lists them)."
    )
    return False
