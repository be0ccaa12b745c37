"""Long work runs off the GUI thread; cancelling stops it and saves nothing."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.services.demo import load_demo_programme
from apdesk.services.programme import count_trainees
from apdesk.ui.background import OperationCancelled, Progress, run_in_background
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR


def cancel_when_shown() -> None:
    shown = [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QProgressDialog) and widget.isVisible()
    ]
    if shown:  # press its Cancel button, as a person would
        shown[0].findChild(QPushButton).click()
    else:
        QTimer.singleShot(50, cancel_when_shown)


def test_the_result_comes_back_from_another_thread(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    main_thread = threading.get_ident()
    assert (
        run_in_background(parent, "Work", "Working…", lambda _p: threading.get_ident())
        != main_thread
    )


def test_an_error_in_the_work_is_raised_here(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def fail(_progress: Progress) -> None:
        raise ValueError("Row 3: bad date")

    with pytest.raises(ValueError, match="Row 3: bad date"):
        run_in_background(parent, "Work", "Working…", fail)


def test_cancelling_stops_the_work(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    steps: list[int] = []

    def slow(progress: Progress) -> None:
        for step in range(200):
            progress(step, 200)
            steps.append(step)
            time.sleep(0.02)

    QTimer.singleShot(0, cancel_when_shown)
    with pytest.raises(OperationCancelled):
        run_in_background(parent, "Slow work", "Working…", slow)
    assert 0 < len(steps) < 200


def test_a_cancelled_demo_load_saves_nothing(qtbot: QtBot, database: Database) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def load(progress: Progress) -> object:
        def slowed(done: int, total: int) -> None:
            time.sleep(0.3)  # long enough for the dialog to appear and be cancelled
            progress(done, total)

        return load_demo_programme(
            database, TEST_ACTOR, trainees=20, today=DEMO_DAY, progress=slowed
        )

    QTimer.singleShot(0, cancel_when_shown)
    with pytest.raises(OperationCancelled):
        run_in_background(parent, "Demo", "Loading…", load)
    assert count_trainees(database) == 0
