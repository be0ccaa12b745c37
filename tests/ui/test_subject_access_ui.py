"""Tools → Subject access export: an administrator picks a folder and gets the JSON and the
PDF of the selected trainee; nobody else can use the menu item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry
from apdesk.ui import messages
from apdesk.ui import subject_access as subject_access_ui
from apdesk.ui.main_window import MainWindow
from tests.helpers.fixtures import ADMIN_ACTOR, TEST_ACTOR
from tests.helpers.loading import wait_loaded
from tests.helpers.practice import demo_trainee


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window told the person (no message box is shown in tests)."""
    shown: list[str] = []
    monkeypatch.setattr(
        messages, "show_information", lambda _parent, _title, text: shown.append(text)
    )
    return shown


def _window(qtbot: QtBot, database: Database, actor) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(database, actor)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.trainees_tab)  # staff start on the Dashboard
    wait_loaded(qtbot, window)
    return window


def test_an_administrator_exports_the_selected_trainee_into_a_chosen_folder(
    qtbot: QtBot,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    told: list[str],
) -> None:
    window = _window(qtbot, demo_database, ADMIN_ACTOR)
    trainee_id = demo_trainee(demo_database)
    assert window.trainees_tab.select_trainee(trainee_id)
    name = window.trainees_tab.current_trainee().name
    asked: list[str] = []

    def choose(_parent, title, _start):  # type: ignore[no-untyped-def]
        asked.append(title)
        return str(tmp_path)

    monkeypatch.setattr(subject_access_ui, "ask_folder", choose)
    assert window.subject_access_action.isEnabled()

    window.subject_access_action.trigger()

    assert asked == [f"Choose a folder for everything held on {name}"]
    json_file = next(tmp_path.glob("SubjectAccess_*.json"))
    pdf_file = next(tmp_path.glob("SubjectAccess_*.pdf"))
    assert json.loads(json_file.read_text(encoding="utf-8"))["trainee"]["id"] == trainee_id
    assert name in PdfReader(pdf_file).pages[0].extract_text()
    assert told and str(tmp_path) in told[-1]
    assert json_file.name in told[-1] and pdf_file.name in told[-1]


def test_cancelling_the_folder_writes_nothing(
    qtbot: QtBot,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    told: list[str],
) -> None:
    window = _window(qtbot, demo_database, ADMIN_ACTOR)
    assert window.trainees_tab.select_trainee(demo_trainee(demo_database))
    monkeypatch.setattr(subject_access_ui, "ask_folder", lambda *_: None)

    window.subject_access_action.trigger()

    assert list(tmp_path.rglob("SubjectAccess_*")) == [] and told == []
    with demo_database.read() as session:
        exports = session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "subject_access_export")
        )
    assert exports == 0


def test_the_menu_item_is_for_administrators_only(qtbot: QtBot, demo_database: Database) -> None:
    window = _window(qtbot, demo_database, TEST_ACTOR)
    assert not window.subject_access_action.isEnabled()
    tools = next(
        action.menu()
        for action in window.menuBar().actions()
        if action.text().replace("&", "") == "Tools"
    )
    assert window.subject_access_action in tools.actions()
