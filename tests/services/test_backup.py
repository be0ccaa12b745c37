"""Backups and restores through the services: the rotating set keeps N, a new backup is
checked before old ones go, and a restore refuses bad files and loses nothing it replaces."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command

from apdesk.db.database import Database, create_database_engine
from apdesk.db.migrate import SchemaAction, alembic_config
from apdesk.services import backup as backup_service
from apdesk.services.accounts import create_first_administrator
from apdesk.services.actors import Actor
from apdesk.services.audit import list_audit_entries, verify_audit_chain
from apdesk.services.backup import (
    automatic_backup,
    back_up_to_rotating_set,
    backup_database,
    backups_dir,
    daily_backup_due,
    latest_good_backup,
    list_backups,
    restore_database,
)
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.startup import DatabaseDamagedError, open_database
from tests.helpers.backups import (
    add_lead,
    corrupt_middle_page,
    corrupted_copy,
    sqlite_file,
    stamp_revision,
    usernames,
)
from tests.helpers.fixtures import ADMIN_ACTOR, TEST_ACTOR

pytestmark = pytest.mark.sqlite_only(
    "backs up and restores SQLite files; a server is backed up by its own tools"
)

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def admin(database: Database) -> Actor:
    return create_first_administrator(
        database, username="sam.admin", full_name="Sam Admin", password="harbour-lantern-41"
    )


def test_the_rotating_set_keeps_the_newest_n(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APDESK_BACKUPS_KEEP", "3")
    made = []
    for hour in range(5):
        result = automatic_backup(database, now=START + timedelta(hours=hour))
        assert result is not None and result.keep == 3
        made.append(result.backup.path)

    kept = list_backups(sqlite_file(database))
    assert [backup.path for backup in kept] == made[:1:-1]  # the newest three, newest first
    assert not made[0].exists() and not made[1].exists()
    assert kept[0].taken_at == START + timedelta(hours=4)
    assert kept[0].path.name == "apdesk-20261125T130000Z.sqlite3"
    assert not list(backups_dir().glob("*.partial"))


def test_two_backups_in_one_second_are_both_kept(database: Database) -> None:
    first = automatic_backup(database, now=START)
    second = automatic_backup(database, now=START)
    assert first is not None and second is not None
    assert second.backup.path.name == "apdesk-20261125T090000Z-2.sqlite3"
    assert list_backups(sqlite_file(database))[0].path == second.backup.path


def test_an_unusable_keep_setting_falls_back_to_ten_and_says_so(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APDESK_BACKUPS_KEEP", "none")
    result = automatic_backup(database, now=START)
    assert result is not None and result.keep == 10
    assert result.setting_problem is not None and "APDESK_BACKUPS_KEEP='none'" in (
        result.setting_problem
    )


def test_a_backup_that_fails_its_check_is_dropped_and_the_old_ones_stay(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APDESK_BACKUPS_KEEP", "2")
    for hour in range(2):
        automatic_backup(database, now=START + timedelta(hours=hour))
    before = list_backups(sqlite_file(database))
    monkeypatch.setattr(
        backup_service, "file_problems", lambda *_a, **_k: ["Page 7: btreeInitPage() error 11"]
    )

    with pytest.raises(ActionRefusedError, match="failed SQLite's integrity check"):
        automatic_backup(database, now=START + timedelta(hours=2))

    assert list_backups(sqlite_file(database)) == before
    assert sorted(backups_dir().iterdir()) == sorted(backup.path for backup in before)


def test_each_database_rotates_its_own_backups(tmp_path: Path, database: Database) -> None:
    shutil.copy(sqlite_file(database), tmp_path / "other.sqlite3")
    other = open_database(str(tmp_path / "other.sqlite3")).database
    try:
        automatic_backup(database, now=START)
        automatic_backup(other, now=START)
        assert [b.path.name for b in list_backups(sqlite_file(other))] == [
            "other-20261125T090000Z.sqlite3"
        ]
        assert len(list_backups(sqlite_file(database))) == 1
    finally:
        other.close()


def test_a_daily_backup_is_due_when_the_newest_is_a_day_old(database: Database) -> None:
    assert daily_backup_due(database, now=START)
    automatic_backup(database, now=START)
    assert not daily_backup_due(database, now=START + timedelta(hours=23))
    assert daily_backup_due(database, now=START + timedelta(hours=24))


def test_backups_are_an_administrators_action(
    database: Database, admin: Actor, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDeniedError, match="needs an administrator"):
        back_up_to_rotating_set(database, TEST_ACTOR)
    with pytest.raises(PermissionDeniedError, match="Sign in to back up"):
        backup_database(database, Actor(name="nobody"), tmp_path / "copy.sqlite3")
    assert not list(backups_dir().iterdir()) and not (tmp_path / "copy.sqlite3").exists()

    result = back_up_to_rotating_set(database, admin)
    assert result.backup.path.exists()


def test_a_copy_to_a_chosen_file_is_one_sound_self_contained_file(
    database: Database, admin: Actor, tmp_path: Path
) -> None:
    target = backup_database(database, admin, tmp_path / "copy.sqlite3")
    with closing(sqlite3.connect(target)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == [
        "copy.sqlite3"
    ]


def test_a_database_server_is_backed_up_on_the_server(
    database: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A database that is not SQLite, without needing a server's driver installed.
    monkeypatch.setattr(Database, "is_sqlite", property(lambda _self: False))
    assert automatic_backup(database) is None
    assert not daily_backup_due(database)
    with pytest.raises(ActionRefusedError, match="backed up on the server"):
        back_up_to_rotating_set(database, admin)


# -- restoring ---------------------------------------------------------------------------------
def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(
    database: Database, admin: Actor
) -> None:
    path = sqlite_file(database)
    add_lead(database, admin, "before.backup")
    taken = back_up_to_rotating_set(database, admin).backup.path
    add_lead(database, admin, "after.backup")
    assert {"before.backup", "after.backup"} <= usernames(database, admin)
    database.close()  # as the app does before it restores

    result = restore_database(path, taken, admin)
    restored = result.opened.database
    try:
        names = usernames(restored, admin)
        assert "before.backup" in names and "after.backup" not in names
        # The database as it was went into the backups folder first, whole.
        assert result.current_saved_to is not None
        assert result.current_saved_to.parent == backups_dir()
        saved = open_database(str(result.current_saved_to)).database
        assert "after.backup" in usernames(saved, admin)
        saved.close()
        # The restored database's own trail says so, and the chain still holds.
        newest = list_audit_entries(restored, admin, limit=1)[0]
        assert newest.action == "restore" and taken.name in newest.summary
        assert str(result.current_saved_to) in newest.summary
        assert verify_audit_chain(restored).intact
        assert not result.current_was_damaged
    finally:
        restored.close()


def test_restore_works_while_other_connections_hold_the_file(
    database: Database, admin: Actor
) -> None:
    """Another APDesk still has the file open: it sees the restored pages, not a swapped file."""
    taken = back_up_to_rotating_set(database, admin).backup.path
    add_lead(database, admin, "after.backup")
    usernames(database, admin)  # leaves a pooled connection open

    result = restore_database(sqlite_file(database), taken, admin)
    result.opened.database.close()

    assert "after.backup" not in usernames(database, admin)


def test_a_corrupted_backup_is_refused_and_nothing_changes(
    database: Database, admin: Actor, tmp_path: Path
) -> None:
    add_lead(database, admin, "still.here")
    taken = back_up_to_rotating_set(database, admin).backup.path
    damaged = corrupted_copy(taken, tmp_path / "damaged.sqlite3")
    backups_before = sorted(backups_dir().iterdir())

    with pytest.raises(ActionRefusedError, match="failed SQLite's integrity check"):
        restore_database(sqlite_file(database), damaged, admin)

    assert "still.here" in usernames(database, admin)
    assert sorted(backups_dir().iterdir()) == backups_before  # nothing saved, nothing rotated


def test_a_file_that_is_not_an_apdesk_database_is_refused(
    database: Database, admin: Actor, tmp_path: Path
) -> None:
    other = tmp_path / "someone-elses.sqlite3"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.execute("INSERT INTO alembic_version VALUES ('0001')")
        connection.commit()
    text = tmp_path / "notes.sqlite3"
    text.write_text("Not a database at all, just some notes.\n" * 200)

    with pytest.raises(ActionRefusedError, match="is not an APDesk database"):
        restore_database(sqlite_file(database), other, admin)
    with pytest.raises(ActionRefusedError, match="not a SQLite database file"):
        restore_database(sqlite_file(database), text, admin)
    with pytest.raises(ActionRefusedError, match="There is no file"):
        restore_database(sqlite_file(database), tmp_path / "missing.sqlite3", admin)
    with pytest.raises(ActionRefusedError, match="the database itself"):
        restore_database(sqlite_file(database), sqlite_file(database), admin)


def test_a_backup_from_a_newer_apdesk_is_refused(
    database: Database, admin: Actor, tmp_path: Path
) -> None:
    newer = tmp_path / "newer.sqlite3"
    shutil.copy(back_up_to_rotating_set(database, admin).backup.path, newer)
    stamp_revision(newer, "9999")

    with pytest.raises(ActionRefusedError, match=r"newer version of APDesk \(schema 9999\)"):
        restore_database(sqlite_file(database), newer, admin)


def test_a_backup_from_an_older_apdesk_is_upgraded_on_opening(
    database: Database, admin: Actor, tmp_path: Path
) -> None:
    older = tmp_path / "first-release.sqlite3"
    engine = create_database_engine(f"sqlite:///{older}", foreign_keys=False, pooled=False)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    engine.dispose()

    result = restore_database(sqlite_file(database), older, admin)
    try:
        assert result.revision_restored == "0001"
        assert result.opened.schema.action is SchemaAction.UPGRADED
        assert result.opened.schema.revision_before == "0001"
    finally:
        result.opened.database.close()


def test_only_an_administrator_may_replace_a_sound_database(
    database: Database, admin: Actor
) -> None:
    taken = back_up_to_rotating_set(database, admin).backup.path
    add_lead(database, admin, "after.backup")

    with pytest.raises(PermissionDeniedError, match="needs an administrator"):
        restore_database(sqlite_file(database), taken, TEST_ACTOR)
    with pytest.raises(PermissionDeniedError, match="Sign in to restore"):
        restore_database(sqlite_file(database), taken, None)

    assert "after.backup" in usernames(database, admin)
    assert len(list_backups(sqlite_file(database))) == 1  # no safety copy was needed


def test_a_damaged_database_can_be_restored_without_signing_in(
    database: Database, admin: Actor
) -> None:
    path = sqlite_file(database)
    add_lead(database, admin, "before.damage")
    taken = back_up_to_rotating_set(database, admin).backup.path
    database.close()
    corrupt_middle_page(path)
    with pytest.raises(DatabaseDamagedError, match="is damaged"):
        open_database(str(path))

    result = restore_database(path, taken, None)
    try:
        assert "before.damage" in usernames(result.opened.database, ADMIN_ACTOR)
        assert result.current_was_damaged
        kept = result.current_saved_to
        assert kept is not None and kept.name.endswith("-damaged.sqlite3") and kept.exists()
        newest = list_audit_entries(result.opened.database, ADMIN_ACTOR, limit=1)[0]
        assert "(not signed in)" in newest.actor_name and "damaged database" in newest.summary
    finally:
        result.opened.database.close()
    # The damaged file is evidence for IT, never offered as a backup nor rotated away.
    assert kept not in [backup.path for backup in list_backups(path)]


def test_the_latest_good_backup_skips_a_damaged_one(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = automatic_backup(database, now=START)
    bad = automatic_backup(database, now=START + timedelta(hours=1))
    assert good is not None and bad is not None
    corrupt_middle_page(bad.backup.path)

    latest = latest_good_backup(sqlite_file(database))
    assert latest is not None and latest.path == good.backup.path
    good.backup.path.unlink()
    assert latest_good_backup(sqlite_file(database)) is None
