"""Saving a register onto a full disk or a read-only database: the Attendance tab says why in
the refusal every save uses, keeps the marks typed, and saves them once the cause is gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.domain.enums import AttendanceStatus
from apdesk.services.attendance import create_session, load_register
from apdesk.ui import messages
from apdesk.ui.attendance import AttendanceTab
from apdesk.ui.tab import TabContext
from tests.crash.storage import disk_full, integrity, open_read_only
from tests.helpers.attendance import FIRST_WEDNESDAY, add_register_programme
from tests.helpers.fixtures import TEST_ACTOR

CLASS_OF_30 = tuple((f"Person{n:02d}", f"Surname{n:02d}") for n in range(30))


@pytest.fixture
def session_id(database: Database) -> int:
    programme = add_register_programme(database, CLASS_OF_30)
    return create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    ).session_id


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        messages, "show_refusal", lambda _p, action, error: shown.append(f"{action}: {error}")
    )
    return shown


def register_typed(qtbot: QtBot, database: Database) -> AttendanceTab:
    """The tab open on the session, everyone marked present, nothing saved yet."""
    tab = AttendanceTab(TabContext(database, TEST_ACTOR))
    tab.today = lambda: FIRST_WEDNESDAY
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()  # Ctrl+S is the window's shortcut
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    tab.cohort_combo.setCurrentIndex(tab.cohort_combo.findText("GM Sep 2024"))
    assert tab.register_model.rowCount() == 30
    qtbot.mouseClick(tab.mark_all_button, Qt.MouseButton.LeftButton)
    assert tab.unsaved_label.isVisible()
    return tab


def press_save(qtbot: QtBot, tab: AttendanceTab) -> None:
    qtbot.keyClick(tab.register_view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def marks(database: Database, session_id: int) -> list[AttendanceStatus | None]:
    return [line.status for line in load_register(database, TEST_ACTOR, session_id).lines]


@pytest.mark.sqlite_only("fills the file's page budget")
def test_a_full_disk_is_told_and_the_register_saves_once_space_is_freed(
    qtbot: QtBot, database: Database, session_id: int, refusals: list[str]
) -> None:
    tab = register_typed(qtbot, database)
    file = Path(database.engine.url.database or "").resolve()

    with disk_full(database):
        press_save(qtbot, tab)

    assert refusals == [
        f"Save register: The database is full: free disk space on the drive that holds {file} "
        "(or ask IT to), then try again. Nothing was saved."
    ]
    assert marks(database, session_id) == [None] * 30
    assert integrity(database) == "ok"
    assert tab.unsaved_label.isVisible()  # the marks typed are still there to save
    assert tab.register_model.line(29).status is AttendanceStatus.PRESENT

    press_save(qtbot, tab)

    assert "Register saved: 30 marked" in tab.result_label.text()
    assert marks(database, session_id) == [AttendanceStatus.PRESENT] * 30
    assert len(refusals) == 1


@pytest.mark.sqlite_only("opens the SQLite file read-only")
def test_a_read_only_database_shows_the_register_but_refuses_to_save_it(
    qtbot: QtBot, database: Database, session_id: int, refusals: list[str]
) -> None:
    read_only = open_read_only(database)
    try:
        tab = register_typed(qtbot, read_only)
        press_save(qtbot, tab)
    finally:
        read_only.close()

    (refusal,) = refusals
    assert refusal.startswith("Save register: The database is read-only: APDesk cannot save to ")
    assert refusal.endswith("then try again. Nothing was saved.")
    assert tab.unsaved_label.isVisible()
    assert marks(database, session_id) == [None] * 30
    assert integrity(database) == "ok"
