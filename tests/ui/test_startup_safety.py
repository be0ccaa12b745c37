"""What the desktop does to keep the database safe: a damaged file found at start-up (by the
cheap look as it opens, or by the quick check behind the window) is explained and its latest
good backup offered; a file on a network share is warned about; backups are made when the
window closes and once a day."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from apdesk import app
from apdesk.db.database import Database
from apdesk.services.accounts import create_first_administrator
from apdesk.services.actors import Actor
from apdesk.services.backup import automatic_backup, backups_dir, list_backups
from apdesk.services.errors import ActionRefusedError
from apdesk.services.startup import DatabaseDamagedError, find_damage, open_database
from apdesk.ui import automatic_backup as automatic_backup_ui
from apdesk.ui import main_window, messages
from apdesk.ui.automatic_backup import back_up_if_due
from apdesk.ui.dialogs import network_share
from apdesk.ui.dialogs.damaged_database import CHOOSE, QUIT, RESTORE, recover_damaged_database
from apdesk.ui.dialogs.network_share import warn_if_on_network_share
from apdesk.ui.main_window import MainWindow
from tests.helpers.backups import (
    add_lead,
    corrupt_middle_page,
    corrupt_schema_page,
    sqlite_file,
    stamp_revision,
    usernames,
)
from tests.helpers.loading import settle_background_loads

pytestmark = pytest.mark.sqlite_only("damaged files, network shares and file backups are SQLite's")

PASSWORD = "harbour-lantern-41"


@pytest.fixture
def admin(database: Database) -> Actor:
    return create_first_administrator(
        database, username="sam.admin", full_name="Sam Admin", password=PASSWORD
    )


@pytest.fixture
def damaged(database: Database, admin: Actor) -> Path:
    """The database, backed up with one change in it, then damaged on disk."""
    add_lead(database, admin, "before.damage")
    automatic_backup(database, now=datetime.now(UTC) - timedelta(days=2))
    database.close()
    path = sqlite_file(database)
    corrupt_middle_page(path)
    return path


class Offers:
    """messages.choose answered by button text, remembering what was offered and said."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
        self.answers = list(answers)
        self.offered: list[list[str]] = []
        self.texts: list[str] = []
        monkeypatch.setattr(messages, "choose", self.choose)

    def choose(self, _parent: object, _title: str, text: str, options: list[str]) -> int:
        self.offered.append(options)
        self.texts.append(text)
        return options.index(self.answers.pop(0))


def damage_of(path: Path) -> DatabaseDamagedError:
    with pytest.raises(DatabaseDamagedError) as raised:
        open_database(str(path))
    return raised.value


# -- a damaged database at start-up ---------------------------------------------------------
def test_a_damaged_database_is_explained_and_its_latest_good_backup_restored(
    qtbot: QtBot, damaged: Path, monkeypatch: pytest.MonkeyPatch, admin: Actor
) -> None:
    offers = Offers(monkeypatch, RESTORE)
    told: list[str] = []
    monkeypatch.setattr(messages, "show_information", lambda _p, _t, text: told.append(text))

    opened = recover_damaged_database(None, damage_of(damaged))

    assert opened is not None
    try:
        assert offers.offered == [[RESTORE, CHOOSE, QUIT]]
        assert str(damaged) in offers.texts[0] and "because it is damaged" in offers.texts[0]
        assert "The latest good backup was taken" in offers.texts[0]
        assert "before.damage" in usernames(opened.database, admin)
        assert "The damaged database is kept at" in told[0]
    finally:
        opened.database.close()
    assert list(backups_dir().glob("apdesk-*-damaged.sqlite3"))


def test_without_a_backup_another_file_can_be_chosen(
    qtbot: QtBot, database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_file(database), other)
    database.close()
    corrupt_middle_page(sqlite_file(database))
    offers = Offers(monkeypatch, CHOOSE)
    monkeypatch.setattr(messages, "ask_open_path", lambda *_: str(other))

    opened = recover_damaged_database(None, damage_of(sqlite_file(database)))

    assert opened is not None and opened.database.url.endswith("other.sqlite3")
    opened.database.close()
    assert offers.offered == [[CHOOSE, QUIT]]
    assert "No good backup of it was found" in offers.texts[0]


def test_quitting_opens_nothing_and_leaves_the_file_alone(
    qtbot: QtBot, damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = damaged.read_bytes()
    Offers(monkeypatch, QUIT)
    assert recover_damaged_database(None, damage_of(damaged)) is None
    assert damaged.read_bytes() == before


def test_a_remembered_damaged_database_is_not_swapped_for_another(
    qtbot: QtBot, damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrupt_schema_page(damaged)  # damage the cheap look at opening already finds
    monkeypatch.setattr(messages, "show_error", lambda *_: pytest.fail("no fallback expected"))
    with pytest.raises(DatabaseDamagedError):
        app._open(str(damaged), fall_back=True)


def test_opening_takes_only_a_cheap_look_and_the_quick_check_finds_the_rest(
    damaged: Path,
) -> None:
    """The page-by-page check takes seconds on a large file: the desktop runs it later."""
    opened = open_database(str(damaged), quick_check=False)
    try:
        damage = find_damage(opened.database)
    finally:
        opened.database.close()
    assert damage is not None and damage.path == damaged
    assert "btreeInitPage" in damage.problems[0] or "malformed" in damage.problems[0]
    with pytest.raises(DatabaseDamagedError):
        open_database(str(damaged))  # the CLI's way: checked before anything else


def test_a_database_to_be_upgraded_is_quick_checked_first_even_when_asked_not_to(
    damaged: Path,
) -> None:
    """An upgrade rewrites tables: it never starts on a file that has not passed the check."""
    stamp_revision(damaged, "0001")
    before = damaged.read_bytes()
    with pytest.raises(DatabaseDamagedError):
        open_database(str(damaged), quick_check=False)
    assert damaged.read_bytes() == before


class QuitWhenChecked:
    """Stands in for the QApplication: its event loop runs until the window's database check
    (and whatever it leads to) is over, then closes the main window."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.windows: list[MainWindow] = []
        self.errors: list[str] = []

    def exec(self) -> int:
        self.windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        for window in self.windows:
            self.qtbot.waitUntil(lambda w=window: not w.checking_database, timeout=30_000)
            settle_background_loads()
            window.close()
        return 0


@pytest.fixture
def started_app(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, admin: Actor) -> QuitWhenChecked:
    """app.main as far as the window, with nobody to type a password."""
    stand_in = QuitWhenChecked(qtbot)
    monkeypatch.setattr(messages, "show_information", lambda *_: None)
    # A tab reading the damaged file before the background check answers reports an error;
    # a real message box would wait for a click that never comes.
    monkeypatch.setattr(messages, "show_error", lambda _p, _t, text: stand_in.errors.append(text))
    monkeypatch.setattr(app, "configure_logging", lambda: None)
    monkeypatch.setattr(app, "create_application", lambda _argv: stand_in)
    monkeypatch.setattr(app.sys, "excepthook", app.sys.excepthook)
    return stand_in


def test_damage_found_after_the_window_is_up_restores_the_latest_good_backup(
    started_app: QuitWhenChecked,
    damaged: Path,
    monkeypatch: pytest.MonkeyPatch,
    admin: Actor,
) -> None:
    """The whole start: the window opens at once, the quick check behind it finds the damage,
    the backup is restored, the person signs in to it, and the daily backup and the backup on
    closing are made of the restored database."""
    # The empty database's offer comes first (the check has not answered yet), then the
    # damage, then the offer again for the restored database, which is empty of trainees too.
    offers = Offers(monkeypatch, "Start empty", RESTORE, "Start empty")
    signed_in: list[str] = []

    def who_signs_in(_parent: object, database: Database) -> Actor:
        signed_in.append(database.url)
        return admin

    monkeypatch.setattr(app, "who_signs_in", who_signs_in)
    monkeypatch.setattr(main_window, "who_signs_in", who_signs_in)

    assert app.main(["apdesk-gui", "--database", str(damaged)]) == 0

    [window] = started_app.windows
    assert signed_in == [f"sqlite:///{damaged}"] * 2  # the damaged file, then the restored one
    assert offers.offered[1] == [RESTORE, CHOOSE, QUIT]
    assert str(damaged) in offers.texts[1] and "because it is damaged" in offers.texts[1]
    assert window.database is not None and find_damage(window.database) is None
    restored = open_database(str(damaged)).database
    assert "before.damage" in usernames(restored, admin)
    restored.close()
    window.database.close()
    # The two-day-old backup restored, then the daily one and the one on closing.
    assert len(list_backups(damaged)) == 3
    assert list(backups_dir().glob("apdesk-*-damaged.sqlite3"))


def test_quitting_at_the_damaged_offer_closes_the_window_and_backs_nothing_up(
    started_app: QuitWhenChecked, damaged: Path, monkeypatch: pytest.MonkeyPatch, admin: Actor
) -> None:
    Offers(monkeypatch, "Start empty", QUIT)
    monkeypatch.setattr(app, "who_signs_in", lambda *_: admin)
    before = list_backups(damaged)

    assert app.main(["apdesk-gui", "--database", str(damaged)]) == 0

    [window] = started_app.windows
    assert not window.isVisible()
    assert list_backups(damaged) == before  # no daily backup, none on closing
    assert find_damage_in(damaged)  # left for IT support as it was


def find_damage_in(path: Path) -> list[str]:
    damage = damage_of(path)
    return damage.problems


def test_a_sound_database_is_backed_up_daily_once_its_check_has_passed(
    started_app: QuitWhenChecked, database: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    Offers(monkeypatch, "Start empty")
    monkeypatch.setattr(app, "who_signs_in", lambda *_: admin)
    path = sqlite_file(database)

    assert app.main(["apdesk-gui", "--database", str(path)]) == 0

    [window] = started_app.windows
    window.database.close()
    assert len(list_backups(path)) == 2  # the daily backup, then the one on closing


# -- a database on a network share ---------------------------------------------------------
def test_a_database_on_a_network_share_is_warned_about_without_blocking(
    qtbot: QtBot, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []

    def location(path: Path) -> str:
        seen.append(path)
        return "N: is a network drive"

    monkeypatch.setattr(network_share, "database_network_location", location)

    box = warn_if_on_network_share(None, database)

    assert box is not None
    qtbot.addWidget(box)
    assert seen == [sqlite_file(database)]
    assert box.isVisible() and box.windowModality() is Qt.WindowModality.NonModal
    assert box.icon() is QMessageBox.Icon.Warning
    assert "N: is a network drive" in box.text() and "PostgreSQL" in box.text()


def test_a_database_on_this_pc_gets_no_warning(qtbot: QtBot, database: Database) -> None:
    assert warn_if_on_network_share(None, database) is None


# -- automatic backups ---------------------------------------------------------------------
def test_closing_the_apps_window_backs_up_and_a_tests_window_does_not(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    plain = MainWindow(database, admin)
    qtbot.addWidget(plain)
    plain.show()
    plain.close()
    assert list_backups(sqlite_file(database)) == []

    window = MainWindow(database, admin, automatic_backups=True)
    qtbot.addWidget(window)
    window.show()
    window.close()
    backups = list_backups(sqlite_file(database))
    assert len(backups) == 1 and backups[0].size > 0


def test_the_daily_backup_runs_once_a_day(qtbot: QtBot, database: Database, admin: Actor) -> None:
    window = MainWindow(database, admin)
    qtbot.addWidget(window)
    window.show()

    made = back_up_if_due(window, database)
    assert made is not None and made.exists()
    assert str(made) in window.statusBar().currentMessage()
    assert back_up_if_due(window, database) is None  # the newest is not a day old
    assert len(list_backups(sqlite_file(database))) == 1


def test_a_failed_automatic_backup_is_shown(
    qtbot: QtBot, database: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, _t, text: errors.append(text))

    def no_room(*_args: object) -> None:
        raise ActionRefusedError("The backup could not be written: No space left on device")

    monkeypatch.setattr(automatic_backup_ui, "automatic_backup", no_room)
    window = MainWindow(database, admin, automatic_backups=True)
    qtbot.addWidget(window)
    window.show()

    window.close()

    assert "No space left on device" in errors[0] and "was not changed" in errors[0]
    assert not window.isVisible()  # a failed backup never keeps the window open
