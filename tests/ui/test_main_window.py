"""The main window as a person uses it: first start, menus, switching database, backup and
export, and the window remembering itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.services.accounts import sign_in
from apdesk.services.actors import Actor
from apdesk.services.programme import count_trainees
from apdesk.services.startup import open_database
from apdesk.ui import messages
from apdesk.ui.dialogs.sign_in import SignInDialog
from apdesk.ui.main_window import MainWindow
from tests.helpers.fixtures import ADMIN_ACTOR
from tests.helpers.loading import wait_loaded


def open_window(qtbot: QtBot, database: Database, actor: Actor = ADMIN_ACTOR) -> MainWindow:
    window = MainWindow(database, actor)
    qtbot.addWidget(window)
    window.show()
    return window


def test_an_empty_database_is_offered_the_demo_programme(
    qtbot: QtBot, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    offers: list[list[str]] = []
    monkeypatch.setattr(messages, "choose", lambda _p, _t, _x, options: offers.append(options) or 0)
    window = open_window(qtbot, database)

    window.offer_first_steps()
    wait_loaded(qtbot, window)

    assert offers == [["Load demo programme", "Import trainees…", "Start empty"]]
    assert count_trainees(database) == 60
    assert window.dashboard_tab.tiles["started"].value() == 60  # the tab shown reloaded
    assert window.trainees_tab.model.rowCount() == 0  # the others load as they are shown
    window.tabs.setCurrentWidget(window.trainees_tab)
    wait_loaded(qtbot, window)
    assert window.trainees_tab.proxy.rowCount() == 60
    window.offer_first_steps()  # not offered again once there are trainees
    assert len(offers) == 1


def test_starting_empty_leaves_the_database_empty(
    qtbot: QtBot, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "choose", lambda *_: 2)
    open_window(qtbot, database).offer_first_steps()
    assert count_trainees(database) == 0


def test_switching_database_reloads_every_tab(
    qtbot: QtBot, database: Database, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, database)
    window.refresh()
    wait_loaded(qtbot, window)
    assert window.trainees_tab.proxy.rowCount() == 0
    chosen = demo_database.url.removeprefix("sqlite:///")  # a file's path or a server's address
    monkeypatch.setattr(messages, "ask_open_path", lambda *_: chosen)
    monkeypatch.setattr(SignInDialog, "sign_in", classmethod(lambda *_a, **_k: ADMIN_ACTOR))

    window.open_action.trigger()
    wait_loaded(qtbot, window)

    assert window.dashboard_tab.tiles["started"].value() == 40
    window.tabs.setCurrentWidget(window.trainees_tab)
    wait_loaded(qtbot, window)
    assert window.trainees_tab.proxy.rowCount() == 40
    assert chosen in window.database_label.text()
    assert window.settings.value("database/last_url") == window.database.url
    window.database.close()  # the window opened it; the fixtures close only their own


def test_a_database_that_cannot_be_opened_is_explained(
    qtbot: QtBot, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(
        messages, "ask_text", lambda *_: "postgresql+psycopg://nobody@127.0.0.1:1/x"
    )
    monkeypatch.setattr(messages, "show_error", lambda _p, _t, text: errors.append(text))
    window = open_window(qtbot, database)

    window.connect_action.trigger()

    assert errors and "cannot open" in errors[0]
    assert window.database is database  # still working on the one it had


@pytest.mark.sqlite_only("backs up a SQLite file; a server is backed up by its own tools")
def test_backup_copies_a_database_that_opens(
    qtbot: QtBot, demo_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "backup.sqlite3"
    told: list[str] = []
    monkeypatch.setattr(messages, "ask_save_path", lambda *_: str(target))
    monkeypatch.setattr(messages, "show_information", lambda _p, _t, text: told.append(text))
    window = open_window(qtbot, demo_database)

    window.backup_action.trigger()

    assert told and str(target) in told[0]
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    copy = open_database(str(target)).database
    assert count_trainees(copy) == 40
    copy.close()


def test_export_writes_every_trainee_to_a_workbook(
    qtbot: QtBot, demo_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "trainees.xlsx"
    monkeypatch.setattr(messages, "ask_save_path", lambda *_: str(target))
    monkeypatch.setattr(messages, "show_information", lambda *_: None)
    window = open_window(qtbot, demo_database)

    window.export_action.trigger()

    workbook = load_workbook(target, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    assert rows[0][:3] == ("id", "name", "uln") and len(rows) == 41


def test_find_trainee_focuses_the_filter(qtbot: QtBot, database: Database) -> None:
    window = open_window(qtbot, database)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.find_action.trigger()
    assert window.tabs.currentWidget() is window.trainees_tab
    qtbot.waitUntil(window.trainees_tab.filter_edit.hasFocus, timeout=2000)


def test_window_size_is_remembered(qtbot: QtBot, database: Database) -> None:
    window = open_window(qtbot, database)
    window.resize(1100, 700)
    window.close()
    again = open_window(qtbot, database)
    assert (again.width(), again.height()) == (1100, 700)


def test_every_tab_fits_a_1024_by_768_screen(qtbot: QtBot, demo_database: Database) -> None:
    window = open_window(qtbot, demo_database)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 740, window.tabs.tabText(index)


def test_each_role_sees_its_own_tabs_and_tools(qtbot: QtBot, demo_database: Database) -> None:
    mentor = sign_in(demo_database, "mentor1", "apdesk-demo")
    window = open_window(qtbot, demo_database, mentor)
    visible = [
        window.tabs.tabText(i) for i in range(window.tabs.count()) if window.tabs.isTabVisible(i)
    ]
    assert "&Attendance" not in visible and "Supervised &practice" in visible
    assert "Dashboard" not in visible
    assert not window.accounts_action.isEnabled() and not window.backup_action.isEnabled()
    assert "Signed in: " in window.user_label.text() and "(mentor)" in window.user_label.text()


def test_switch_user_hands_the_window_to_the_next_person(
    qtbot: QtBot, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = sign_in(demo_database, "edlead1", "apdesk-demo")
    apprentice = sign_in(demo_database, "apprentice1", "apdesk-demo")
    window = open_window(qtbot, demo_database, apprentice)
    monkeypatch.setattr(SignInDialog, "sign_in", classmethod(lambda *_a, **_k: lead))

    window.switch_user_action.trigger()

    assert window.actor == lead
    assert window.audit_action.isEnabled() and not window.accounts_action.isEnabled()
    assert all(window.tabs.isTabVisible(i) for i in range(window.tabs.count()))
    assert "Helen Barker" in window.user_label.text()
