"""File → Restore from backup…, clicked through as an administrator would: the list of
backups, the confirmation, the restore, signing in again, and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.domain.enums import Role
from apdesk.services.accounts import create_first_administrator
from apdesk.services.actors import Actor
from apdesk.services.backup import automatic_backup, backups_dir, list_backups
from apdesk.ui import messages
from apdesk.ui.dialogs.restore_backup import RestoreBackupDialog, age
from apdesk.ui.dialogs.sign_in import SignInDialog
from apdesk.ui.main_window import MainWindow
from tests.helpers.backups import add_lead, corrupted_copy, sqlite_file, usernames
from tests.helpers.fixtures import TEST_ACTOR

pytestmark = pytest.mark.sqlite_only("restores SQLite files from backups")

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def admin(database: Database) -> Actor:
    return create_first_administrator(
        database, username="sam.admin", full_name="Sam Admin", password="harbour-lantern-41"
    )


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every message shown, by kind, instead of a modal box."""
    shown: dict[str, list[str]] = {"information": [], "refusal": [], "question": []}
    monkeypatch.setattr(
        messages, "show_information", lambda _p, _t, text: shown["information"].append(text)
    )
    monkeypatch.setattr(
        messages, "show_refusal", lambda _p, _a, error: shown["refusal"].append(str(error))
    )
    monkeypatch.setattr(messages, "choose", lambda *_: 2)  # an empty database: "Start empty"
    return shown


def answer(monkeypatch: pytest.MonkeyPatch, told: dict[str, list[str]], yes: bool) -> None:
    monkeypatch.setattr(
        messages, "ask", lambda _p, _t, question: told["question"].append(question) or yes
    )


def click_in_dialog(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, row: int | None, screenshot: Path | None = None
) -> None:
    """Replace the dialog's modal exec() with a person clicking a row and Restore."""

    def exec_(dialog: RestoreBackupDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        if screenshot is not None:
            dialog.grab().save(str(screenshot))
        if row is None:
            dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
        else:
            item = dialog.table.topLevelItem(row)
            rect = dialog.table.visualItemRect(item)
            qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(RestoreBackupDialog, "exec", exec_)


def open_window(qtbot: QtBot, database: Database, actor: Actor) -> MainWindow:
    window = MainWindow(database, actor)
    qtbot.addWidget(window)
    window.show()
    return window


def test_restoring_a_listed_backup_brings_it_back_and_signs_in_again(
    qtbot: QtBot,
    database: Database,
    admin: Actor,
    monkeypatch: pytest.MonkeyPatch,
    told: dict[str, list[str]],
    tmp_path: Path,
) -> None:
    add_lead(database, admin, "before.backup")
    older = automatic_backup(database, now=START)
    add_lead(database, admin, "after.backup")
    automatic_backup(database, now=START + timedelta(hours=1))
    assert older is not None
    window = open_window(qtbot, database, admin)
    click_in_dialog(monkeypatch, qtbot, row=1, screenshot=tmp_path / "restore.png")
    answer(monkeypatch, told, yes=True)
    signed_in: list[str] = []

    def sign_in(_cls: object, _parent: object, database: Database) -> Actor:
        signed_in.append(database.url)
        return admin

    monkeypatch.setattr(SignInDialog, "sign_in", classmethod(sign_in))

    window.restore_action.trigger()

    assert older.backup.path.name in told["question"][0]
    assert "saved in the backups folder first" in told["question"][0]
    assert signed_in == [database.url]  # the same file, restored, needed a new sign-in
    assert window.database is not database
    names = usernames(window.database, admin)
    assert "before.backup" in names and "after.backup" not in names
    assert "The database as it was is kept at" in told["information"][0]
    assert len(list_backups(sqlite_file(database))) == 3  # the two, plus the one saved first
    assert not told["refusal"]


def test_the_list_shows_backups_newest_first_with_age_and_size(
    qtbot: QtBot, database: Database, tmp_path: Path
) -> None:
    backups = [automatic_backup(database, now=START + timedelta(days=days)) for days in (0, 1, 2)]
    listed = list_backups(sqlite_file(database))
    dialog = RestoreBackupDialog(listed, sqlite_file(database))
    qtbot.addWidget(dialog)
    dialog.show()

    rows = [dialog.table.topLevelItem(i) for i in range(dialog.table.topLevelItemCount())]
    assert [row.text(3) for row in rows] == [b.backup.path.name for b in reversed(backups) if b]
    assert rows[0].text(0).endswith(START.astimezone().strftime("%H:%M"))
    assert "Nov 2026" in rows[0].text(0) and rows[0].text(2).endswith(("KB", "MB"))
    assert dialog.table.currentItem() is rows[0] and dialog.restore_button.isEnabled()

    centre = dialog.table.visualItemRect(rows[2]).center()
    # A real double click: QTest's lone double-click event lacks the press before it.
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen == listed[2].path


def test_with_no_backups_the_dialog_says_so_and_offers_browsing(
    qtbot: QtBot, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "from-it-support.sqlite3"
    monkeypatch.setattr(messages, "ask_open_path", lambda *_: str(elsewhere))
    dialog = RestoreBackupDialog([], sqlite_file(database))
    qtbot.addWidget(dialog)
    dialog.show()
    hints = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "There are no backups of apdesk.sqlite3" in hints
    assert not dialog.restore_button.isEnabled()
    assert dialog.table.topLevelItemCount() == 0

    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)

    assert dialog.chosen == elsewhere and dialog.result() == QDialog.DialogCode.Accepted


def test_age_reads_like_a_person_would_say_it() -> None:
    assert age(START, START + timedelta(seconds=20)) == "just now"
    assert age(START, START + timedelta(minutes=1)) == "1 minute ago"
    assert age(START, START + timedelta(hours=5, minutes=3)) == "5 hours ago"
    assert age(START, START + timedelta(days=2)) == "2 days ago"


def test_saying_no_to_the_confirmation_changes_nothing(
    qtbot: QtBot,
    database: Database,
    admin: Actor,
    monkeypatch: pytest.MonkeyPatch,
    told: dict[str, list[str]],
) -> None:
    automatic_backup(database, now=START)
    add_lead(database, admin, "after.backup")
    window = open_window(qtbot, database, admin)
    click_in_dialog(monkeypatch, qtbot, row=0)
    answer(monkeypatch, told, yes=False)

    window.restore_action.trigger()

    assert told["question"] and window.database is database
    assert "after.backup" in usernames(database, admin)
    assert len(list(backups_dir().iterdir())) == 1


def test_cancelling_the_list_asks_nothing(
    qtbot: QtBot,
    database: Database,
    admin: Actor,
    monkeypatch: pytest.MonkeyPatch,
    told: dict[str, list[str]],
) -> None:
    automatic_backup(database, now=START)
    window = open_window(qtbot, database, admin)
    click_in_dialog(monkeypatch, qtbot, row=None)
    answer(monkeypatch, told, yes=True)

    window.restore_action.trigger()

    assert told == {"information": [], "refusal": [], "question": []}


def test_a_damaged_file_chosen_by_browsing_is_refused_and_work_goes_on(
    qtbot: QtBot,
    database: Database,
    admin: Actor,
    monkeypatch: pytest.MonkeyPatch,
    told: dict[str, list[str]],
    tmp_path: Path,
) -> None:
    taken = automatic_backup(database, now=START)
    assert taken is not None
    damaged = corrupted_copy(taken.backup.path, tmp_path / "damaged.sqlite3")
    monkeypatch.setattr(RestoreBackupDialog, "choose", classmethod(lambda *_a: damaged))
    answer(monkeypatch, told, yes=True)
    add_lead(database, admin, "after.backup")
    window = open_window(qtbot, database, admin)

    window.restore_action.trigger()

    assert "damaged.sqlite3 failed SQLite's integrity check" in told["refusal"][0]
    assert window.database is database
    window.refresh()  # the database it closed for the restore reopens on demand
    assert "after.backup" in usernames(window.database, admin)


def test_nobody_signing_in_after_a_restore_closes_the_window(
    qtbot: QtBot,
    database: Database,
    admin: Actor,
    monkeypatch: pytest.MonkeyPatch,
    told: dict[str, list[str]],
) -> None:
    automatic_backup(database, now=START)
    window = open_window(qtbot, database, admin)
    click_in_dialog(monkeypatch, qtbot, row=0)
    answer(monkeypatch, told, yes=True)
    monkeypatch.setattr(SignInDialog, "sign_in", classmethod(lambda *_a: None))

    window.restore_action.trigger()

    assert told["information"] and not window.isVisible()


def test_only_administrators_see_restore_enabled(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    assert open_window(qtbot, database, admin).restore_action.isEnabled()
    lead = open_window(qtbot, database, TEST_ACTOR)
    assert not lead.restore_action.isEnabled()
    assert "&Restore from backup…" in [
        a.text() for a in lead.menuBar().actions()[0].menu().actions()
    ]
    assert TEST_ACTOR.role is Role.EDUCATION_LEAD
