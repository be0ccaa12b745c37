"""Two people with the same trainee or the same register open at once, on real widgets: the
second to save is told who changed it and when, keeps everything they typed on screen, and
can reload the saved version to make their change again. The database keeps the first save."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry, User
from apdesk.domain.calendar import format_day
from apdesk.domain.enums import AttendanceStatus, Role
from apdesk.services.actors import Actor
from apdesk.services.attendance import create_session, load_register
from apdesk.services.trainees import trainee_details
from apdesk.ui import messages
from apdesk.ui.attendance import AttendanceTab
from apdesk.ui.dialogs.trainee_dialog import TraineeDialog
from apdesk.ui.models.register import STATUS
from apdesk.ui.tab import TabContext
from tests.helpers.attendance import FIRST_WEDNESDAY, add_register_programme
from tests.helpers.builders import add_small_programme
from tests.helpers.builders import add_trainee as build
from tests.helpers.trainees import People, add_people

RELOAD = "while you were editing — reload to see their changes, then make yours again"
P, S = AttendanceStatus.PRESENT, AttendanceStatus.SICKNESS


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        messages, "show_refusal", lambda _p, action, error: shown.append((action, str(error)))
    )
    return shown


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every yes/no question asked, each answered yes."""
    asked: list[str] = []

    def answer_yes(_parent: object, _title: str, question: str) -> bool:
        asked.append(question)
        return True

    monkeypatch.setattr(messages, "ask", answer_yes)
    return asked


def newest_change_time(database: Database, **matching: object) -> str:
    """When the newest matching audit entry was written, as the message shows it."""
    with database.read() as session:
        newest = select(AuditEntry).filter_by(**matching).order_by(AuditEntry.id.desc())
        local = session.scalars(newest).first().occurred_at.astimezone()  # type: ignore[union-attr]
    return f"{local:%H:%M} on {format_day(local.date())}"


# -- two trainee dialogs ------------------------------------------------------------------
def open_dialog(qtbot: QtBot, database: Database, actor: Actor, trainee_id: int) -> TraineeDialog:
    dialog = TraineeDialog(TabContext(database, actor), trainee_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def retype(qtbot: QtBot, field: object, text: str) -> None:
    field.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(field, text)  # type: ignore[arg-type]


@pytest.fixture
def asha(database: Database) -> tuple[int, People]:
    trainee_id = build(database, add_small_programme(database))
    return trainee_id, add_people(database, trainee_id)


def test_the_second_trainee_dialog_to_save_is_refused_and_keeps_what_was_typed(
    qtbot: QtBot,
    database: Database,
    asha: tuple[int, People],
    refusals: list[tuple[str, str]],
    questions: list[str],
) -> None:
    trainee_id, people = asha
    lenas = open_dialog(qtbot, database, people.lead, trainee_id)
    adams = open_dialog(qtbot, database, people.admin, trainee_id)

    qtbot.keyClicks(adams.care_pathway, "Crisis team")
    qtbot.mouseClick(adams.save_button, Qt.MouseButton.LeftButton)
    assert adams.result() == QDialog.DialogCode.Accepted

    qtbot.keyClicks(lenas.email, "asha.patel@example.nhs.uk")
    retype(qtbot, lenas.hours.lineEdit(), "30")
    qtbot.mouseClick(lenas.save_button, Qt.MouseButton.LeftButton)

    when = newest_change_time(database, entity="trainee", entity_id=trainee_id)
    message = f"Asha Patel's record was changed by Adam Admin at {when} {RELOAD}"
    assert refusals == [("Saving the trainee", message)]
    assert lenas.isVisible() and lenas.result() != QDialog.DialogCode.Accepted
    assert (lenas.email.text(), lenas.hours.value()) == ("asha.patel@example.nhs.uk", 30.0)
    assert lenas.care_pathway.text() == ""  # her copy, not Adam's: nothing was merged in
    assert lenas.conflict_bar.isVisible()
    assert "Adam Admin" in lenas.conflict_bar.message.text()
    saved = trainee_details(database, people.lead, trainee_id)
    assert (saved.care_pathway, saved.email, saved.contracted_hours_per_week) == (
        "Crisis team",
        None,
        Decimal("37.5"),
    )

    # Saving again from the same copy is refused again: only a reload moves her on.
    qtbot.mouseClick(lenas.save_button, Qt.MouseButton.LeftButton)
    assert len(refusals) == 2 and lenas.isVisible()

    qtbot.mouseClick(lenas.conflict_bar.reload_button, Qt.MouseButton.LeftButton)
    assert questions and "Replace what you typed" in questions[0]
    assert (lenas.care_pathway.text(), lenas.email.text()) == ("Crisis team", "")
    assert lenas.conflict_bar.isHidden()

    qtbot.keyClicks(lenas.email, "asha.patel@example.nhs.uk")
    retype(qtbot, lenas.hours.lineEdit(), "30")
    qtbot.mouseClick(lenas.save_button, Qt.MouseButton.LeftButton)
    assert lenas.result() == QDialog.DialogCode.Accepted
    both = trainee_details(database, people.lead, trainee_id)
    assert (both.care_pathway, both.email, both.contracted_hours_per_week) == (
        "Crisis team",
        "asha.patel@example.nhs.uk",
        Decimal(30),
    )


# -- two attendance tabs on one register --------------------------------------------------
@dataclass(frozen=True)
class SharedRegister:
    session_id: int
    lena: Actor
    lou: Actor


@pytest.fixture
def shared_register(database: Database) -> SharedRegister:
    programme = add_register_programme(database)
    lena = add_people(database, programme.trainee_ids[0]).lead
    with database.write() as session:
        user = User(username="lead.two", full_name="Lou Second", role=Role.EDUCATION_LEAD)
        session.add(user)
        session.flush()
        lou = Actor(user.full_name, user.id, user.role, user.username)
    created = create_session(database, lena, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7)
    return SharedRegister(created.session_id, lena, lou)


def open_tab(qtbot: QtBot, database: Database, actor: Actor) -> AttendanceTab:
    tab = AttendanceTab(TabContext(database, actor))
    tab.today = lambda: FIRST_WEDNESDAY
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def mark(qtbot: QtBot, tab: AttendanceTab, row: int, key: Qt.Key) -> None:
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    view = tab.register_view
    view.setFocus()
    view.setCurrentIndex(tab.register_model.index(row, STATUS))
    qtbot.keyClick(view, key)


def on_screen(tab: AttendanceTab) -> list[AttendanceStatus | None]:
    model = tab.register_model
    return [model.line(row).status for row in range(model.rowCount())]


def in_database(database: Database, register: SharedRegister) -> list[AttendanceStatus | None]:
    return [
        line.status for line in load_register(database, register.lena, register.session_id).lines
    ]


def test_the_second_register_to_save_is_refused_and_keeps_its_marks(
    qtbot: QtBot,
    database: Database,
    shared_register: SharedRegister,
    refusals: list[tuple[str, str]],
    questions: list[str],
) -> None:
    lenas = open_tab(qtbot, database, shared_register.lena)
    lous = open_tab(qtbot, database, shared_register.lou)
    assert lenas.session_combo.currentData() == lous.session_combo.currentData()

    mark(qtbot, lous, 1, Qt.Key.Key_S)  # Ben Brown off sick
    qtbot.mouseClick(lous.save_button, Qt.MouseButton.LeftButton)
    assert in_database(database, shared_register) == [None, S, None, None]

    mark(qtbot, lenas, 0, Qt.Key.Key_P)  # Asha Adams, then Cara Clarke
    mark(qtbot, lenas, 2, Qt.Key.Key_P)
    qtbot.mouseClick(lenas.save_button, Qt.MouseButton.LeftButton)

    when = newest_change_time(database, entity="attendance_mark")
    assert refusals == [
        (
            "Save register",
            f"The Foundations register for 11 Sep 2024 was changed by Lou Second at {when} "
            f"{RELOAD}",
        )
    ]
    assert on_screen(lenas) == [P, None, P, None]  # her marks, still to be saved
    assert lenas.register_model.is_dirty() and lenas.unsaved_label.isVisible()
    assert lenas.conflict_bar.isVisible()
    assert in_database(database, shared_register) == [None, S, None, None]

    qtbot.mouseClick(lenas.conflict_bar.reload_button, Qt.MouseButton.LeftButton)
    assert questions and "Discard your changes?" in questions[0]
    assert on_screen(lenas) == [None, S, None, None]  # Lou's save, as it is now
    assert lenas.conflict_bar.isHidden() and not lenas.register_model.is_dirty()

    mark(qtbot, lenas, 0, Qt.Key.Key_P)
    mark(qtbot, lenas, 2, Qt.Key.Key_P)
    qtbot.mouseClick(lenas.save_button, Qt.MouseButton.LeftButton)
    assert len(refusals) == 1
    assert in_database(database, shared_register) == [P, S, P, None]
