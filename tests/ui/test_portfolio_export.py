"""Exporting an evidence portfolio from the window: the trainee detail's button and the File
menu, a save dialog, then the system viewer opening the saved PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.ui import messages
from apdesk.ui.main_window import MainWindow
from apdesk.ui.practice import SupervisedPracticeTab
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.loading import wait_loaded
from tests.helpers.practice import demo_apprentice_username, demo_sign_in, demo_trainee


@pytest.fixture
def viewer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the system viewer was asked to open (none is started in tests)."""
    opened: list[str] = []
    monkeypatch.setattr(messages, "open_in_viewer", lambda path: opened.append(path) or True)
    return opened


def _window(qtbot: QtBot, database: Database, actor=TEST_ACTOR) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(database, actor)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.trainees_tab)  # staff start on the Dashboard
    wait_loaded(qtbot, window)
    return window


def test_the_detail_button_saves_the_selected_trainees_portfolio_and_opens_it(
    qtbot: QtBot,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    viewer: list[str],
) -> None:
    window = _window(qtbot, demo_database)
    tab = window.trainees_tab
    trainee_id = demo_trainee(demo_database)
    assert tab.select_trainee(trainee_id)
    name = tab.current_trainee().name
    asked: list[str] = []

    def save_as(_parent, _title, suggested, _filters):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(tmp_path / "for-epa")  # typed without the extension

    monkeypatch.setattr(messages, "ask_save_path", save_as)
    assert tab.detail.portfolio_button.isVisible()
    qtbot.mouseClick(tab.detail.portfolio_button, Qt.MouseButton.LeftButton)

    saved = tmp_path / "for-epa.pdf"
    assert viewer == [str(saved)]
    assert asked and asked[0].endswith(".pdf") and "Portfolio_" in asked[0]
    first_page = PdfReader(saved).pages[0].extract_text()
    assert name in first_page


def test_the_file_menu_exports_the_trainee_chosen_in_the_current_tab(
    qtbot: QtBot,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    viewer: list[str],
) -> None:
    window = _window(qtbot, demo_database)
    trainee_id = demo_trainee(demo_database, index=2)
    practice = next(t for _title, t in window.all_tabs if isinstance(t, SupervisedPracticeTab))
    window.tabs.setCurrentWidget(practice)
    wait_loaded(qtbot, practice)
    practice.picker.choose(trainee_id)
    monkeypatch.setattr(messages, "ask_save_path", lambda *_: str(tmp_path / "menu.pdf"))

    window.portfolio_action.trigger()

    assert viewer == [str(tmp_path / "menu.pdf")]
    keywords = str(PdfReader(tmp_path / "menu.pdf").metadata["/Keywords"])
    assert f"apdesk-trainee:{trainee_id}" in keywords


def test_without_a_chosen_trainee_the_menu_says_what_to_do(
    qtbot: QtBot, demo_database: Database, monkeypatch: pytest.MonkeyPatch, viewer: list[str]
) -> None:
    told: list[str] = []
    monkeypatch.setattr(messages, "show_information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(messages, "ask_save_path", lambda *_: pytest.fail("no dialog expected"))
    window = _window(qtbot, demo_database)
    window.trainees_tab.table.setCurrentIndex(window.trainees_tab.proxy.index(-1, -1))

    window.portfolio_action.trigger()

    assert told and "Choose a trainee first" in told[0]
    assert viewer == []


def test_a_refused_save_is_explained_and_nothing_is_opened(
    qtbot: QtBot,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    viewer: list[str],
) -> None:
    refusals: list[str] = []
    monkeypatch.setattr(
        messages, "show_refusal", lambda _p, action, error: refusals.append(f"{action}: {error}")
    )
    monkeypatch.setattr(
        messages, "ask_save_path", lambda *_: str(tmp_path / "missing" / "folder" / "p.pdf")
    )
    window = _window(qtbot, demo_database)
    assert window.trainees_tab.select_trainee(demo_trainee(demo_database))

    qtbot.mouseClick(window.trainees_tab.detail.portfolio_button, Qt.MouseButton.LeftButton)

    assert refusals and "Cannot write in" in refusals[0]
    assert viewer == []


def test_an_apprentice_exports_their_own_portfolio(
    qtbot: QtBot,
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    viewer: list[str],
) -> None:
    trainee_id = demo_trainee(demo_database)
    apprentice = demo_sign_in(demo_database, demo_apprentice_username(demo_database, trainee_id))
    window = _window(qtbot, demo_database, apprentice)
    assert window.trainees_tab.select_trainee(trainee_id)
    monkeypatch.setattr(messages, "ask_save_path", lambda *_: str(tmp_path / "mine.pdf"))

    window.portfolio_action.trigger()

    assert viewer == [str(tmp_path / "mine.pdf")]
