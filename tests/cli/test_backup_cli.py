"""``apdesk backup``, ``backups``, ``restore`` and ``check`` as an administrator (or IT) would
run them: what they print and their exit codes."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from apdesk.cli import main
from apdesk.db.database import Database
from apdesk.services.backup import backups_dir
from tests.helpers.accounts import tamper_with_audit_summary
from tests.helpers.backups import corrupt_middle_page, corrupted_copy, sqlite_file, stamp_revision

pytestmark = pytest.mark.sqlite_only("backs up, restores and checks SQLite files")

PASSWORD = "harbour-lantern-41"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(
    database: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    """The database file, with a first administrator 'admin' whose password the CLI is given."""
    monkeypatch.setenv("APDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("APDESK_NEW_PASSWORD", PASSWORD)
    path = str(sqlite_file(database))
    code, _, _ = run(
        capsys, "--database", path, "user", "add", "admin", "--name", "Ada Admin",
        "--role", "administrator",
    )  # fmt: skip
    assert code == 0
    return path


def add_lead(capsys: pytest.CaptureFixture[str], db: str, username: str) -> None:
    code, _, err = run(
        capsys, "--database", db, "--user", "admin", "user", "add", username,
        "--name", username.title(), "--role", "education_lead",
    )  # fmt: skip
    assert code == 0, err


def accounts(capsys: pytest.CaptureFixture[str], db: str) -> str:
    code, out, err = run(capsys, "--database", db, "--user", "admin", "user", "list")
    assert code == 0, err
    return out


def test_backup_needs_an_administrator(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, _, err = run(capsys, "--database", db, "backup")
    assert code == 1 and "Sign in to back up the database" in err
    assert not list(backups_dir().iterdir())


def test_backup_into_the_rotating_set_keeps_the_newest_n(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APDESK_BACKUPS_KEEP", "2")
    outputs = [run(capsys, "--database", db, "--user", "admin", "backup") for _ in range(3)]

    assert [code for code, _, _ in outputs] == [0, 0, 0]
    first, last = outputs[0][1], outputs[2][1]
    assert f"Backed up to {backups_dir()}" in first and "(integrity check: ok)" in first
    assert "Keeping the newest 2 backups" in last and "Removed the oldest: apdesk-" in last
    assert len(list(backups_dir().glob("apdesk-*.sqlite3"))) == 2

    code, out, _ = run(capsys, "--database", db, "backups")
    assert code == 0 and out.count("apdesk-") == 2 and "newest first" in out


def test_backup_to_a_chosen_file(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    target = tmp_path / "for-the-auditor.sqlite3"
    code, out, _ = run(capsys, "--database", db, "--user", "admin", "backup", "--to", str(target))
    assert code == 0 and str(target) in out
    code, out, _ = run(capsys, "--database", str(target), "check")
    assert code == 0 and "All 3 checks passed." in out


def test_a_bad_keep_setting_is_reported_and_backups_go_on(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APDESK_BACKUPS_KEEP", "-3")
    code, out, _ = run(capsys, "--database", db, "--user", "admin", "backup")
    assert code == 0 and "warning: APDESK_BACKUPS_KEEP='-3'" in out and "newest 10" in out


def test_restore_saves_the_current_database_and_says_where(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    add_lead(capsys, db, "before.backup")
    run(capsys, "--database", db, "--user", "admin", "backup")
    backup = next(backups_dir().glob("apdesk-*.sqlite3"))
    add_lead(capsys, db, "after.backup")

    code, out, err = run(capsys, "--database", db, "--user", "admin", "restore", str(backup))

    assert code == 0, err
    assert "The database as it was is saved at" in out and f"Restored {db} from {backup}" in out
    listed = accounts(capsys, db)
    assert "before.backup" in listed and "after.backup" not in listed


def test_restoring_a_sound_database_needs_an_administrator(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    run(capsys, "--database", db, "--user", "admin", "backup")
    backup = next(backups_dir().glob("apdesk-*.sqlite3"))
    add_lead(capsys, db, "after.backup")

    code, _, err = run(capsys, "--database", db, "restore", str(backup))

    assert code == 1
    assert "passed its integrity check, so only an administrator may replace it" in err
    assert "apdesk --user NAME restore FILE" in err
    assert "after.backup" in accounts(capsys, db)


def test_restore_refuses_bad_files_with_plain_messages(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    run(capsys, "--database", db, "--user", "admin", "backup")
    backup = next(backups_dir().glob("apdesk-*.sqlite3"))
    damaged = corrupted_copy(backup, tmp_path / "damaged.sqlite3")
    newer = tmp_path / "newer.sqlite3"
    shutil.copy(backup, newer)
    stamp_revision(newer, "9999")

    refusals = {
        "damaged": run(capsys, "--database", db, "--user", "admin", "restore", str(damaged)),
        "newer": run(capsys, "--database", db, "--user", "admin", "restore", str(newer)),
        "missing": run(capsys, "--database", db, "--user", "admin", "restore", "nowhere.db"),
    }

    assert {name: code for name, (code, _, _) in refusals.items()} == dict.fromkeys(refusals, 1)
    assert "damaged.sqlite3 failed SQLite's integrity check" in refusals["damaged"][2]
    assert "saved by a newer version of APDesk (schema 9999)" in refusals["newer"][2]
    assert "There is no file nowhere.db" in refusals["missing"][2]
    assert "Traceback" not in "".join(err for _, _, err in refusals.values())


def test_a_damaged_database_is_refused_by_every_command_but_restored_without_signing_in(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    add_lead(capsys, db, "before.damage")
    run(capsys, "--database", db, "--user", "admin", "backup")
    backup = next(backups_dir().glob("apdesk-*.sqlite3"))
    corrupt_middle_page(Path(db))

    code, _, err = run(capsys, "--database", db, "--user", "admin", "user", "list")
    assert code == 2 and "is damaged, so APDesk will not use it" in err and "apdesk restore" in err

    code, out, _ = run(capsys, "--database", db, "check")
    assert code == 1 and "Integrity check  PROBLEM:" in out

    code, out, err = run(capsys, "--database", db, "restore", str(backup))
    assert code == 0, err
    assert "The damaged database is saved at" in out and "-damaged.sqlite3" in out
    assert "before.damage" in accounts(capsys, db)


def test_check_passes_a_sound_database(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(capsys, "--database", db, "check")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split() == ["Integrity", "check", "ok"]
    assert lines[2].split() == ["Foreign", "keys", "ok"]
    assert lines[3].startswith("  Audit trail") and "intact, 1 entry; head hash" in lines[3]
    assert lines[4] == "All 3 checks passed."


def test_check_finds_a_tampered_audit_trail_and_orphaned_rows(
    capsys: pytest.CaptureFixture[str], db: str, database: Database
) -> None:
    tamper_with_audit_summary(database, 1, "nothing to see here")
    with closing(sqlite3.connect(db)) as connection:
        connection.execute(
            "INSERT INTO portfolio_exports (trainee_id, digest, exported_at, exported_by_name, "
            "facts) VALUES (4242, 'x', '2026-11-25 09:00:00', 'Nobody', '{}')"
        )
        connection.commit()

    code, out, _ = run(capsys, "--database", db, "check")

    out = " ".join(out.split())  # the names are padded into a column
    assert code == 1
    assert "Foreign keys PROBLEM: 1 row in portfolio_exports refers to missing trainees" in out
    assert "Audit trail PROBLEM: Audit entry 1" in out and "was changed after it was written" in (
        out
    )
    assert "2 of 3 checks found problems" in out


def test_check_and_restore_say_when_there_is_nothing_to_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--database", str(tmp_path / "none.sqlite3"), "check")
    assert code == 2 and "There is no database file at" in err
    assert not (tmp_path / "none.sqlite3").exists()  # checking never creates one

    server = "postgresql+psycopg://apdesk@db-server.invalid/apdesk"
    code, _, err = run(capsys, "--database", server, "restore", "backup.sqlite3")
    assert code == 1 and "restored on the server" in err
