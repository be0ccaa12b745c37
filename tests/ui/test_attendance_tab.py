"""The Attendance tab as an education lead uses it: choose the cohort, add the session, take
the register with single keys, save with Ctrl+S, and see the cohort summary change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.domain.enums import AttendanceStatus
from apdesk.services.actors import Actor
from apdesk.services.attendance import (
    SessionDefaults,
    cohort_attendance,
    create_session,
    list_sessions,
    load_register,
)
from apdesk.services.choices import cohort_choices
from apdesk.services.progress import list_trainee_progress
from apdesk.ui import messages
from apdesk.ui.attendance import NOT_FOR_YOU, READ_ONLY, AttendanceTab
from apdesk.ui.dialogs.new_session import NewSession, NewSessionDialog
from apdesk.ui.models.cohort_attendance import (
    CohortSummaryModel,
    ModuleAttendanceModel,
)
from apdesk.ui.models.columns import ROW_ROLE as SUMMARY_ROW_ROLE
from apdesk.ui.models.register import MINUTES, NAME, STATUS, RegisterModel
from apdesk.ui.tab import Changed, TabContext
from apdesk.ui.widgets.register_view import LEGEND
from tests.helpers.attendance import (
    FIRST_WEDNESDAY,
    RegisterProgramme,
    add_cohort,
    add_register_programme,
)
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR
from tests.helpers.loading import wait_loaded
from tests.helpers.trainees import busiest_mentor, demo_sign_in

P, L, S = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.SICKNESS
AS_OF = date(2024, 9, 12)  # the day after the first session


@pytest.fixture
def programme(database: Database) -> RegisterProgramme:
    programme = add_register_programme(database)
    add_cohort(database, programme.programme, "Later cohort")  # listed last: the default
    return programme


def open_tab(qtbot: QtBot, database: Database, today: date = AS_OF) -> AttendanceTab:
    tab = AttendanceTab(TabContext(database, TEST_ACTOR))
    tab.today = lambda: today
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    wait_loaded(qtbot, tab)
    return tab


def choose_cohort(tab: AttendanceTab, name: str) -> None:
    tab.cohort_combo.setCurrentIndex(tab.cohort_combo.findText(name))


def statuses(database: Database, session_id: int) -> list[tuple]:
    return [
        (line.name, line.status, line.minutes_attended)
        for line in load_register(database, TEST_ACTOR, session_id).lines
    ]


def test_taking_a_register_from_the_keyboard(
    qtbot: QtBot,
    database: Database,
    programme: RegisterProgramme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[SessionDefaults] = []

    def fill_in(_parent: object, defaults: SessionDefaults, draft: object = None) -> NewSession:
        asked.append(defaults)
        return NewSession(defaults.suggested_date, "Foundations", Decimal(7))

    monkeypatch.setattr(NewSessionDialog, "ask", fill_in)
    tab = open_tab(qtbot, database)
    assert tab.cohort_combo.currentText() == "Later cohort"
    choose_cohort(tab, "GM Sep 2024")
    assert tab.session_combo.count() == 0
    assert not tab.register_view.isEnabled()

    qtbot.mouseClick(tab.new_session_button, Qt.MouseButton.LeftButton)

    assert asked[0].suggested_date == FIRST_WEDNESDAY  # the day-release day just gone
    (session,) = list_sessions(database, TEST_ACTOR, programme.cohort_id)
    assert tab.session_combo.currentData() == session.session_id
    view, model = tab.register_view, tab.register_model
    assert [model.line(row).name for row in range(model.rowCount())] == [
        "Asha Adams",
        "Ben Brown",
        "Cara Clarke",
        "Dev Dunn",
    ]
    assert view.currentIndex().row() == 0

    qtbot.keyClick(view, Qt.Key.Key_P)
    assert view.currentIndex().row() == 1  # moved on
    qtbot.keyClick(view, Qt.Key.Key_L)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)  # the minutes cell is open for typing
    assert view.currentIndex().column() == MINUTES
    qtbot.keyClicks(editor, "300")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits on its next turn of the loop
    qtbot.waitUntil(lambda: view.currentIndex().row() == 2)
    assert model.line(1).minutes_attended == 300
    assert view.currentIndex().column() == STATUS  # back where the keys were pressed
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert tab.unsaved_label.isVisible()
    assert model.line(3).status is None
    assert tab.count_label.text() == "3 of 4 marked"

    qtbot.mouseClick(tab.mark_all_button, Qt.MouseButton.LeftButton)
    assert [model.line(row).status for row in range(4)] == [P, L, S, P]  # only Dev was unmarked
    assert statuses(database, session.session_id)[0][1] is None  # nothing saved yet

    with qtbot.waitSignal(tab.data_changed) as announced:
        qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_loaded(qtbot, tab)  # the cohort's figures, worked out again

    assert announced.args == [Changed.ATTENDANCE.value]
    assert statuses(database, session.session_id) == [
        ("Asha Adams", P, None),
        ("Ben Brown", L, 300),
        ("Cara Clarke", S, None),
        ("Dev Dunn", P, None),
    ]
    progress = {
        p.name: p.assessment
        for p in list_trainee_progress(database, TEST_ACTOR, cohort="GM Sep 2024", as_of=AS_OF)
    }
    assert progress["Ben Brown"].otj is not None
    assert progress["Ben Brown"].otj.actual == Decimal("5.0")  # 300 minutes of a late arrival
    assert progress["Cara Clarke"].attendance.percentage == Decimal(0)
    assert not tab.unsaved_label.isVisible()
    assert "Register saved: 4 marked" in tab.result_label.text()
    assert "3 of 4 attended" in tab.session_combo.currentText()

    summary = {
        tab.summary_model.index(row, 0).data(SUMMARY_ROW_ROLE).name: row
        for row in range(tab.summary_model.rowCount())
    }
    cara = tab.summary_model.index(summary["Cara Clarke"], 1)
    assert cara.data() == "0%"
    assert cara.data(Qt.ItemDataRole.BackgroundRole) is not None  # tinted: below 85%
    assert "Attendance 0.0% is below 85%" in cara.data(Qt.ItemDataRole.ToolTipRole)
    asha = tab.summary_model.index(summary["Asha Adams"], 1)
    assert asha.data() == "100%"
    assert "Cohort attendance 75%" in tab.overall_label.text()  # 3 of 4
    assert tab.module_model.index(0, 0).data() == "Foundations"
    assert tab.module_model.index(0, 3).data() == "75%"


def test_a_late_mark_without_minutes_is_refused_and_nothing_is_saved(
    qtbot: QtBot,
    database: Database,
    programme: RegisterProgramme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    refusals: list[str] = []
    monkeypatch.setattr(
        messages, "show_refusal", lambda _p, action, error: refusals.append(f"{action}: {error}")
    )
    tab = open_tab(qtbot, database)
    choose_cohort(tab, "GM Sep 2024")
    view = tab.register_view

    qtbot.keyClick(view, Qt.Key.Key_P)
    qtbot.keyClick(view, Qt.Key.Key_L)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # no minutes typed
    ben = tab.register_model.index(1, NAME)
    assert "enter the minutes attended" in ben.data(Qt.ItemDataRole.ToolTipRole)
    assert ben.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "1 to fix" in tab.count_label.text()

    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert refusals == [
        "Save register: Ben Brown is marked late: enter the minutes attended (1–420)"
    ]
    assert all(status is None for _name, status, _m in statuses(database, held.session_id))
    assert tab.unsaved_label.isVisible()  # what was typed is kept
    assert tab.register_model.line(0).status is P
    assert view.currentIndex().row() == 1  # taken to the minutes to fill in
    assert view.currentIndex().column() == MINUTES

    qtbot.keyClicks(QApplication.focusWidget(), "330")
    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # typed, not Enter
    assert statuses(database, held.session_id)[:2] == [
        ("Asha Adams", P, None),
        ("Ben Brown", L, 330),
    ]


def test_switching_session_with_unsaved_changes_asks_first(
    qtbot: QtBot,
    database: Database,
    programme: RegisterProgramme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    create_session(database, TEST_ACTOR, programme.cohort_id, date(2024, 9, 18), "Foundations", 7)
    answers = [False, True]
    questions: list[str] = []
    monkeypatch.setattr(
        messages, "ask", lambda _p, _t, question: questions.append(question) or answers.pop(0)
    )
    tab = open_tab(qtbot, database, today=date(2024, 9, 20))
    choose_cohort(tab, "GM Sep 2024")
    newest = tab.session_combo.currentData()
    assert tab.session_combo.currentText().startswith("18 Sep 2024")
    qtbot.keyClick(tab.register_view, Qt.Key.Key_P)

    tab.session_combo.setCurrentIndex(1)  # "No": stay, keep the mark typed

    assert "not saved the Foundations register for 18 Sep 2024" in questions[0]
    assert tab.session_combo.currentData() == newest
    assert tab.register_model.line(0).status is P
    assert tab.register_model.is_dirty()

    tab.session_combo.setCurrentIndex(1)  # "Yes": discard and show the other register

    assert len(questions) == 2
    assert tab.session_combo.currentData() == first.session_id
    assert not tab.register_model.is_dirty()
    assert (
        list_sessions(database, TEST_ACTOR, programme.cohort_id)[0].marked == 0
    )  # nothing was saved
    assert tab.can_close()  # nothing unsaved now: no question
    assert len(questions) == 2


def test_switching_cohort_or_closing_with_unsaved_changes_asks(
    qtbot: QtBot,
    database: Database,
    programme: RegisterProgramme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_session(database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7)
    questions: list[str] = []
    monkeypatch.setattr(messages, "ask", lambda _p, _t, q: questions.append(q) or False)
    tab = open_tab(qtbot, database)
    choose_cohort(tab, "GM Sep 2024")
    qtbot.keyClick(tab.register_view, Qt.Key.Key_H)

    choose_cohort(tab, "Later cohort")
    assert tab.cohort_combo.currentText() == "GM Sep 2024"
    assert not tab.can_close()
    assert len(questions) == 2
    assert tab.register_model.line(0).status is AttendanceStatus.ANNUAL_LEAVE


def test_an_edit_elsewhere_does_not_throw_away_a_register_being_typed(
    qtbot: QtBot, database: Database, programme: RegisterProgramme
) -> None:
    create_session(database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7)
    tab = open_tab(qtbot, database)
    choose_cohort(tab, "GM Sep 2024")
    qtbot.keyClick(tab.register_view, Qt.Key.Key_U)

    tab.on_data_changed(Changed.TRAINEES)  # another tab changed a trainee

    assert tab.register_model.line(0).status is AttendanceStatus.UNAUTHORISED_ABSENCE
    assert tab.unsaved_label.isVisible()


def test_the_status_drop_down_and_delete_key(
    qtbot: QtBot, database: Database, programme: RegisterProgramme
) -> None:
    create_session(database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7)
    tab = open_tab(qtbot, database)
    choose_cohort(tab, "GM Sep 2024")
    view = tab.register_view
    cell = tab.register_model.index(2, STATUS)
    view.setCurrentIndex(cell)

    view.edit(cell)
    combo = QApplication.focusWidget()
    combo.setCurrentIndex(combo.findData(S.value))
    combo.activated.emit(combo.currentIndex())
    assert tab.register_model.line(2).status is S

    view.setCurrentIndex(cell)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert tab.register_model.line(2).status is None
    assert not tab.unsaved_label.isVisible()  # back as loaded


def test_the_new_session_dialog_checks_as_you_type(qtbot: QtBot) -> None:
    defaults = SessionDefaults(
        cohort_id=1,
        cohort_name="GM Sep 2024",
        day_release_weekday=2,
        suggested_date=FIRST_WEDNESDAY,
        modules=("Foundations", "Induction week"),
        hours=Decimal(7),
        existing=frozenset({(FIRST_WEDNESDAY, "foundations")}),
    )
    dialog = NewSessionDialog(defaults)
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.module_combo.currentText() == "Foundations"
    assert not dialog.ok_button.isEnabled()  # already held that day
    assert "already has a session of Foundations on 11 Sep 2024" in dialog.module_error.text()

    dialog.module_combo.lineEdit().clear()
    assert "Enter the module" in dialog.module_error.text()
    qtbot.keyClicks(dialog.module_combo.lineEdit(), "Communication  skills")
    assert dialog.ok_button.isEnabled()
    assert not dialog.module_error.isVisible()
    assert not dialog.weekday_note.isVisible()

    dialog.date_edit.setDate(dialog.date_edit.date().addDays(1))
    assert "is a Thursday, not the cohort's day-release day (Wednesday)" in (
        dialog.weekday_note.text()
    )
    assert dialog.ok_button.isEnabled()  # a warning, not a refusal
    dialog.hours_spin.setValue(6.5)

    assert dialog.result_value() == NewSession(
        date(2024, 9, 12), "Communication skills", Decimal("6.5")
    )


def test_a_refused_new_session_keeps_what_was_typed(
    qtbot: QtBot,
    database: Database,
    programme: RegisterProgramme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_session(database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7)
    typed = NewSession(FIRST_WEDNESDAY, "Foundations", Decimal(7))  # a clash the dialog missed
    drafts: list[NewSession | None] = []

    def ask(_parent: object, _defaults: object, draft: NewSession | None = None) -> object:
        drafts.append(draft)
        return typed if len(drafts) == 1 else None  # then the person cancels

    refusals: list[str] = []
    monkeypatch.setattr(NewSessionDialog, "ask", ask)
    monkeypatch.setattr(messages, "show_refusal", lambda _p, _a, e: refusals.append(str(e)))
    tab = open_tab(qtbot, database)
    choose_cohort(tab, "GM Sep 2024")

    tab.new_session()

    assert drafts == [None, typed]
    assert "already has a session of Foundations" in refusals[0]
    assert len(list_sessions(database, TEST_ACTOR, programme.cohort_id)) == 1


def test_the_tab_over_the_demo_programme(qtbot: QtBot, demo_database: Database) -> None:
    tab = open_tab(qtbot, demo_database, today=DEMO_DAY)
    cohort = cohort_choices(demo_database)[-1]
    assert tab.cohort_combo.currentText() == cohort.label
    summary = cohort_attendance(demo_database, TEST_ACTOR, cohort.id, DEMO_DAY)

    assert tab.summary_model.rowCount() == len(summary.trainees)
    assert tab.module_model.rowCount() == len(summary.modules)
    assert tab.session_combo.count() == len(list_sessions(demo_database, TEST_ACTOR, cohort.id))
    assert tab.register_model.rowCount() > 0
    tinted = [
        row
        for row in range(tab.summary_model.rowCount())
        if tab.summary_model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    ]
    assert len(tinted) == summary.needing_attention


def test_the_models_pass_qt_model_checks(qtmodeltester, demo_database: Database) -> None:
    cohort = cohort_choices(demo_database)[-2]
    register_model = RegisterModel()
    session = list_sessions(demo_database, TEST_ACTOR, cohort.id)[0]
    register_model.set_register(load_register(demo_database, TEST_ACTOR, session.session_id))
    register_model.set_status(0, AttendanceStatus.LATE)  # a flagged, changed row too
    qtmodeltester.check(register_model, force_py=True)

    summary = cohort_attendance(demo_database, TEST_ACTOR, cohort.id, DEMO_DAY)
    summary_model = CohortSummaryModel(summary.trainees)
    qtmodeltester.check(summary_model, force_py=True)
    summary_model.sort(1, Qt.SortOrder.DescendingOrder)
    percentages = [
        summary_model.index(row, 0).data(SUMMARY_ROW_ROLE).attendance.percentage
        for row in range(summary_model.rowCount())
    ]
    known = [p for p in percentages if p is not None]
    assert known == sorted(known, reverse=True)
    summary_model.sort(0)
    assert [
        summary_model.index(row, 0).data(SUMMARY_ROW_ROLE) for row in range(len(percentages))
    ] == list(summary.trainees)  # back to surname order
    qtmodeltester.check(ModuleAttendanceModel(summary.modules), force_py=True)


def test_opening_another_database_starts_afresh(
    qtbot: QtBot, database: Database, programme: RegisterProgramme, demo_database: Database
) -> None:
    create_session(database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7)
    tab = open_tab(qtbot, database)
    choose_cohort(tab, "GM Sep 2024")
    qtbot.keyClick(tab.register_view, Qt.Key.Key_P)

    tab.set_context(TabContext(demo_database, TEST_ACTOR))

    assert not tab.register_model.is_dirty()
    assert tab.cohort_combo.currentText() == cohort_choices(demo_database)[-1].label
    assert tab.register_model.session is not None
    session_ids = {
        s.session_id
        for s in list_sessions(demo_database, TEST_ACTOR, tab.cohort_combo.currentData())
    }
    assert tab.register_model.session.session_id in session_ids


def test_the_cohort_chosen_is_remembered(
    qtbot: QtBot, database: Database, programme: RegisterProgramme
) -> None:
    first = open_tab(qtbot, database)
    choose_cohort(first, "GM Sep 2024")
    first.close()

    again = open_tab(qtbot, database)

    assert again.cohort_combo.currentText() == "GM Sep 2024"


# -- who is signed in --------------------------------------------------------------------
def open_as(qtbot: QtBot, database: Database, actor: Actor) -> AttendanceTab:
    tab = AttendanceTab(TabContext(database, actor))
    tab.today = lambda: DEMO_DAY
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_an_administrator_reads_registers_but_does_not_mark_them(
    qtbot: QtBot, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []
    monkeypatch.setattr(NewSessionDialog, "ask", lambda *args: asked.append(args))
    admin = demo_sign_in(demo_database, "admin")

    tab = open_as(qtbot, demo_database, admin)

    assert tab.register_model.rowCount() > 0  # the register is shown…
    before = tab.register_model.lines()
    for hidden in (tab.new_session_button, tab.mark_all_button, tab.save_button):
        assert hidden.isHidden()
    assert tab.legend.text() == READ_ONLY  # no keys to learn
    tab.register_view.setCurrentIndex(tab.register_model.index(0, STATUS))
    qtbot.keyClick(tab.register_view, Qt.Key.Key_U)  # …but keys mark nobody
    tab.mark_all_present()
    tab.new_session()
    assert tab.register_model.lines() == before and not tab.register_model.is_dirty()
    assert not tab.save_action.isEnabled() and asked == []
    assert not tab.register_model.flags(tab.register_model.index(0, STATUS)) & (
        Qt.ItemFlag.ItemIsEditable
    )


def test_a_mentor_signed_in_sees_no_register_and_nothing_is_asked(
    qtbot: QtBot, demo_database: Database
) -> None:
    tab = open_as(qtbot, demo_database, TEST_ACTOR)
    assert tab.cohort_combo.count() > 0 and tab.register_model.rowCount() > 0
    mentor = demo_sign_in(demo_database, busiest_mentor(demo_database))

    tab.set_context(TabContext(demo_database, mentor))  # the services would refuse

    assert tab.cohort_combo.count() == 0 and tab.session_combo.count() == 0
    assert tab.register_model.rowCount() == 0 and tab.summary_model.rowCount() == 0
    assert tab.overall_label.text() == NOT_FOR_YOU
    assert tab.new_session_button.isHidden() and tab.save_button.isHidden()

    tab.set_context(TabContext(demo_database, TEST_ACTOR))

    assert tab.cohort_combo.count() > 0 and tab.register_model.rowCount() > 0
    assert not tab.new_session_button.isHidden() and not tab.save_button.isHidden()
    assert tab.legend.text() == LEGEND
