"""The desktop as a user meets it: first start on an empty database, the trainees table,
filtering and sorting it, and the window remembering itself."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.services.programme import count_trainees
from apdesk.services.progress import list_trainee_progress
from apdesk.ui import messages
from apdesk.ui.main_window import MainWindow
from apdesk.ui.models.trainees import COLUMNS, ROW_ROLE, TraineeTableModel
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR


def open_window(qtbot: QtBot, database: Database) -> MainWindow:
    window = MainWindow(database, TEST_ACTOR)
    qtbot.addWidget(window)
    window.show()
    return window


def test_an_empty_database_is_offered_demo_data(
    qtbot: QtBot, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apdesk.app import offer_demo_data

    questions: list[str] = []
    monkeypatch.setattr(messages, "ask", lambda _p, _t, q: questions.append(q) or True)
    window = open_window(qtbot, database)

    offer_demo_data(window)
    window.refresh()

    assert "holds no trainees" in questions[0]
    assert count_trainees(database) == 60
    assert window.trainees_tab.proxy.rowCount() == 60
    offer_demo_data(window)  # not asked again once there are trainees
    assert len(questions) == 1


def test_declining_demo_data_leaves_the_database_empty(
    qtbot: QtBot, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apdesk.app import offer_demo_data

    monkeypatch.setattr(messages, "ask", lambda *_: False)
    offer_demo_data(open_window(qtbot, database))
    assert count_trainees(database) == 0


def test_typing_in_the_filter_narrows_the_table(qtbot: QtBot, demo_database: Database) -> None:
    window = open_window(qtbot, demo_database)
    window.trainees_tab.show_trainees(list_trainee_progress(demo_database, as_of=DEMO_DAY))
    tab = window.trainees_tab
    proxy = tab.proxy
    target = proxy.index(0, 0).data(ROW_ROLE)

    qtbot.keyClicks(tab.filter_edit, target.cohort)

    cohorts = {proxy.index(r, 0).data(ROW_ROLE).cohort for r in range(proxy.rowCount())}
    assert cohorts == {target.cohort}
    assert 0 < proxy.rowCount() < 40
    assert tab.count_label.text().startswith(f"Showing {proxy.rowCount()} of 40 trainees")

    tab.filter_edit.clear()
    assert proxy.rowCount() == 40


def test_clicking_a_header_sorts_by_that_column(qtbot: QtBot, demo_database: Database) -> None:
    window = open_window(qtbot, demo_database)
    tab = window.trainees_tab
    tab.show_trainees(list_trainee_progress(demo_database, as_of=DEMO_DAY))
    header = tab.table.horizontalHeader()
    column = [c.title for c in COLUMNS].index("Attendance")
    x = header.sectionViewportPosition(column) + 10

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    first = [
        tab.proxy.index(r, column).data(ROW_ROLE).assessment.attendance.percentage
        for r in range(40)
    ]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    second = [
        tab.proxy.index(r, column).data(ROW_ROLE).assessment.attendance.percentage
        for r in range(40)
    ]

    known = [p for p in first if p is not None]
    assert known == sorted(known) or known == sorted(known, reverse=True)
    assert [p for p in second if p is not None] == list(reversed(known))


def test_at_risk_rows_explain_why(demo_database: Database) -> None:
    model = TraineeTableModel(list_trainee_progress(demo_database, as_of=DEMO_DAY))
    risky = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ROW_ROLE).at_risk)
    tooltip = model.index(risky, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("At risk:\n• ")
    assert model.index(risky, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_the_model_passes_qt_model_checks(qtmodeltester, demo_database: Database) -> None:
    model = TraineeTableModel(list_trainee_progress(demo_database, as_of=DEMO_DAY))
    qtmodeltester.check(model, force_py=True)


def test_window_size_is_remembered(qtbot: QtBot, database: Database) -> None:
    window = open_window(qtbot, database)
    window.resize(700, 500)  # the offscreen screen is 800 × 600
    window.close()
    again = open_window(qtbot, database)
    assert (again.width(), again.height()) == (700, 500)


def test_status_bar_shows_database_and_user(qtbot: QtBot, database: Database) -> None:
    window = open_window(qtbot, database)
    assert database.display_name in window.database_label.text()
    assert TEST_ACTOR.name in window.user_label.text()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_qt_setters_do_not_leak_references_to_none(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per call until the interpreter
    aborts (shared/design.md). The dependency pin keeps it out; this test proves it."""
    window = QMainWindow()
    qtbot.addWidget(window)
    before = sys.getrefcount(None)
    for n in range(10_000):
        window.setWindowTitle(f"APDesk {n}")
    assert sys.getrefcount(None) >= before - 100
