"""The Trainees tab as a person uses it: filtering and sorting the table, the selected trainee
in full, adding and editing a trainee, recording a review or a break, importing a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.domain.enums import TraineeStatus
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError
from apdesk.services.progress import TraineeProgress, list_trainee_progress
from apdesk.services.reviews import list_breaks, list_reviews
from apdesk.services.trainee_import import import_trainees
from apdesk.services.trainees import DetailsCheck, TraineeDetailsRefusedError, trainee_details
from apdesk.ui import messages
from apdesk.ui.dialogs import trainee_dialog
from apdesk.ui.dialogs.break_dialog import BreakDialog
from apdesk.ui.dialogs.import_dialog import ImportDialog
from apdesk.ui.dialogs.review_dialog import ReviewDialog
from apdesk.ui.dialogs.trainee_dialog import TraineeDialog
from apdesk.ui.models.import_report import ImportReportModel
from apdesk.ui.models.trainees import (
    COLUMNS,
    ROW_ROLE,
    TraineeFilter,
    TraineeFilterProxy,
    TraineeTableModel,
)
from apdesk.ui.tab import TabContext
from apdesk.ui.trainees import TraineesTab
from tests.helpers.builders import SmallProgramme, add_small_programme
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR
from tests.helpers.import_files import good_row, write_csv
from tests.helpers.loading import wait_loaded
from tests.helpers.trainees import busiest_mentor, demo_sign_in, trainees_of


def open_tab(qtbot: QtBot, database: Database) -> TraineesTab:
    tab = TraineesTab(TabContext(database, TEST_ACTOR))
    tab.as_of = DEMO_DAY
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    wait_loaded(qtbot, tab)
    return tab


@pytest.fixture
def tab(qtbot: QtBot, demo_database: Database) -> TraineesTab:
    return open_tab(qtbot, demo_database)


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        messages, "show_refusal", lambda _p, action, error: shown.append(f"{action}: {error}")
    )
    return shown


def shown_rows(tab: TraineesTab) -> list[TraineeProgress]:
    return [tab.proxy.index(r, 0).data(ROW_ROLE) for r in range(tab.proxy.rowCount())]


# -- the table -------------------------------------------------------------------------
def test_typing_in_the_filter_narrows_the_table(qtbot: QtBot, tab: TraineesTab) -> None:
    target = shown_rows(tab)[0]

    qtbot.keyClicks(tab.filter_edit, target.cohort)

    assert {row.cohort for row in shown_rows(tab)} == {target.cohort}
    assert 0 < tab.proxy.rowCount() < 40
    assert tab.count_label.text().startswith(f"Showing {tab.proxy.rowCount()} of 40 trainees")

    tab.filter_edit.clear()
    assert tab.proxy.rowCount() == 40
    assert tab.count_label.text().startswith("40 trainees, ")


def test_the_filter_finds_a_uln(qtbot: QtBot, tab: TraineesTab) -> None:
    target = next(row for row in shown_rows(tab) if row.uln)
    qtbot.keyClicks(tab.filter_edit, target.uln)
    assert [row.trainee_id for row in shown_rows(tab)] == [target.trainee_id]


def test_picking_cohort_employer_status_and_at_risk_filters(qtbot: QtBot, tab: TraineesTab) -> None:
    everyone = shown_rows(tab)
    cohort = everyone[-1].cohort
    tab.cohort_filter.setCurrentIndex(tab.cohort_filter.findText(cohort))
    assert {row.cohort for row in shown_rows(tab)} == {cohort}
    employer = shown_rows(tab)[0].employer
    tab.employer_filter.setCurrentIndex(tab.employer_filter.findText(employer))
    both = shown_rows(tab)
    assert both and all(row.cohort == cohort and row.employer == employer for row in both)

    tab.clear_filters()
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("at_gateway"))
    assert {row.status for row in shown_rows(tab)} == {TraineeStatus.AT_GATEWAY}
    tab.status_filter.setCurrentIndex(0)

    qtbot.mouseClick(tab.at_risk_only, Qt.MouseButton.LeftButton)

    at_risk = sum(1 for row in everyone if row.at_risk)
    assert 0 < at_risk < 40
    assert len(shown_rows(tab)) == at_risk and all(row.at_risk for row in shown_rows(tab))
    assert tab.count_label.text() == f"Showing {at_risk} of 40 trainees, {at_risk} at risk"


def test_clicking_a_header_sorts_by_that_column(qtbot: QtBot, tab: TraineesTab) -> None:
    header = tab.table.horizontalHeader()
    column = [c.title for c in COLUMNS].index("Attendance")
    x = header.sectionViewportPosition(column) + 10

    def percentages() -> list:
        return [row.assessment.attendance.percentage for row in shown_rows(tab)]

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    first = percentages()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    second = percentages()

    known = [p for p in first if p is not None]
    assert known == sorted(known) or known == sorted(known, reverse=True)
    assert [p for p in second if p is not None] == list(reversed(known))


def test_at_risk_rows_explain_why(demo_database: Database) -> None:
    model = TraineeTableModel(list_trainee_progress(demo_database, TEST_ACTOR, as_of=DEMO_DAY))
    risky = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ROW_ROLE).at_risk)
    tooltip = model.index(risky, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("At risk:\n• ")
    assert model.index(risky, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_the_models_pass_qt_model_checks(
    qtmodeltester, demo_database: Database, database: Database, tmp_path: Path
) -> None:
    model = TraineeTableModel(list_trainee_progress(demo_database, TEST_ACTOR, as_of=DEMO_DAY))
    qtmodeltester.check(model, force_py=True)
    proxy = TraineeFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(TraineeFilter(text="a", at_risk_only=True))
    qtmodeltester.check(proxy, force_py=True)

    programme = add_small_programme(database)
    rows = [good_row(programme, n) for n in range(3)]
    rows[1]["uln"] = "1234567890"
    rows[2]["uln"] = "9999999999"
    report = import_trainees(database, write_csv(tmp_path / "t.csv", rows), TEST_ACTOR)
    report_model = ImportReportModel()
    report_model.set_report(report)
    assert report_model.rowCount() == 2
    qtmodeltester.check(report_model, force_py=True)


# -- the detail panel --------------------------------------------------------------------
def test_an_at_risk_trainee_shows_why_with_progress_gateway_and_reviews(
    tab: TraineesTab, demo_database: Database
) -> None:
    overdue = next(
        row
        for row in shown_rows(tab)
        if row.at_risk
        and any(
            r.days_overdue(DEMO_DAY)
            for r in list_reviews(demo_database, TEST_ACTOR, row.trainee_id)
        )
    )

    assert tab.select_trainee(overdue.trainee_id)

    detail = tab.detail
    assert detail.title.text() == overdue.name
    assert detail.risks.isVisible()
    for reason in overdue.assessment.risks:
        assert reason.split(":")[0] in detail.risks.text()
    assert "overdue by" in detail.reviews_text.text()
    assert "✓" in detail.gateway.text() or "✗" in detail.gateway.text()
    assert f"of {overdue.assessment.competencies_total} signed off" in detail.competencies.text()
    assert not detail.otj_calculation.isVisible()
    detail.otj_toggle.click()
    assert detail.otj_calculation.isVisible()
    assert "Required OTJ" in detail.otj_calculation.text()


def test_a_trainee_not_at_risk_shows_no_risk_box(tab: TraineesTab) -> None:
    calm = next(row for row in shown_rows(tab) if not row.at_risk)
    tab.select_trainee(calm.trainee_id)
    assert tab.detail.title.text() == calm.name
    assert not tab.detail.risks.isVisible()


def test_recording_a_review_through_the_panel(
    qtbot: QtBot, tab: TraineesTab, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainee = next(row for row in shown_rows(tab) if row.status is TraineeStatus.IN_TRAINING)
    tab.select_trainee(trainee.trainee_id)
    held_before = sum(
        1 for r in list_reviews(demo_database, TEST_ACTOR, trainee.trainee_id) if r.held
    )

    def drive(parent: QWidget, context: TabContext, progress: TraineeProgress, reviews):
        dialog = ReviewDialog(context, progress, reviews, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        assert not dialog.save_button.isEnabled()
        dialog.review.setCurrentIndex(dialog.review.count() - 1)  # not on the schedule
        qtbot.keyClicks(dialog.apprentice_comments, "Enjoying the group work")
        qtbot.keyClicks(dialog.employer_signatory, "Lee Manager")
        qtbot.mouseClick(dialog.apprentice_signed, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(dialog.provider_signatory, "Pat Tutor")
        assert dialog.messages["otj_reviewed"].isHidden()  # not reached yet: listed below
        assert dialog.still_needed.text() == "Still to fill in: the OTJ review"
        assert not dialog.save_button.isEnabled()
        dialog.otj_reviewed.setChecked(True)
        assert dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.saved_id

    monkeypatch.setattr(ReviewDialog, "ask", drive)
    qtbot.mouseClick(tab.detail.record_review_button, Qt.MouseButton.LeftButton)

    reviews = list_reviews(demo_database, TEST_ACTOR, trainee.trainee_id)
    assert sum(1 for r in reviews if r.held) == held_before + 1
    recorded = next(r for r in reviews if r.provider_signatory == "Pat Tutor")
    assert recorded.employer_signatory == "Lee Manager" and recorded.otj_reviewed
    assert recorded.apprentice_comments == "Enjoying the group work"
    assert "signed by Lee Manager, Pat Tutor" in tab.detail.reviews_text.text()
    assert tab.current_trainee_id() == trainee.trainee_id


def test_a_review_without_signatures_shows_each_problem_once_touched(
    qtbot: QtBot, tab: TraineesTab
) -> None:
    trainee = shown_rows(tab)[0]
    dialog = ReviewDialog(tab.context, trainee, [], tab)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.employer_signatory, "x")
    dialog.employer_signatory.clear()
    assert dialog.messages["employer_signatory"].text() == (
        "The employer must sign: enter the signatory's name"
    )
    assert dialog.messages["employer_signatory"].is_error


def test_starting_and_ending_a_break_through_the_panel(
    qtbot: QtBot, tab: TraineesTab, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainee = next(
        row
        for row in shown_rows(tab)
        if row.status is TraineeStatus.IN_TRAINING
        and not list_breaks(demo_database, TEST_ACTOR, row.trainee_id)
    )
    tab.select_trainee(trainee.trainee_id)

    def start(parent: QWidget, context: TabContext, trainee_id: int, name: str) -> bool:
        dialog = BreakDialog(context, trainee_id, name, None, parent)
        qtbot.addWidget(dialog)
        assert not dialog.save_button.isEnabled()  # no reason yet
        qtbot.keyClicks(dialog.reason, "Maternity leave")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(BreakDialog, "ask_start", start)
    qtbot.mouseClick(tab.detail.start_break_button, Qt.MouseButton.LeftButton)

    assert trainee_details(demo_database, TEST_ACTOR, trainee.trainee_id).status is (
        TraineeStatus.BREAK_IN_LEARNING
    )
    assert tab.current_trainee().status is TraineeStatus.BREAK_IN_LEARNING
    assert "ongoing: Maternity leave" in tab.detail.breaks_text.text()
    assert tab.detail.end_break_button.isEnabled()

    def end(parent: QWidget, context: TabContext, trainee_id: int, name: str, ongoing) -> bool:
        dialog = BreakDialog(context, trainee_id, name, ongoing, parent)
        qtbot.addWidget(dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(BreakDialog, "ask_end", end)
    qtbot.mouseClick(tab.detail.end_break_button, Qt.MouseButton.LeftButton)

    assert (
        trainee_details(demo_database, TEST_ACTOR, trainee.trainee_id).status
        is TraineeStatus.IN_TRAINING
    )
    assert not tab.detail.end_break_button.isEnabled()


# -- adding and editing ------------------------------------------------------------------
def test_editing_a_trainee_shows_a_bad_uln_as_typed_then_saves_the_fix(
    qtbot: QtBot, tab: TraineesTab, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainee = shown_rows(tab)[3]
    tab.select_trainee(trainee.trainee_id)
    announced: list[str] = []
    tab.data_changed.connect(announced.append)

    def drive(parent: QWidget, context: TabContext, trainee_id: int | None = None) -> int | None:
        dialog = TraineeDialog(context, trainee_id, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.windowTitle() == f"Edit {trainee.name}"
        dialog.uln.clear()
        qtbot.keyClicks(dialog.uln, "1234567890")
        message = dialog.messages["uln"]
        assert message.isVisible() and message.is_error
        assert message.text() == "ULN 1234567890 fails its check digit"
        assert not dialog.save_button.isEnabled()

        dialog.uln.clear()
        qtbot.keyClicks(dialog.uln, "9999999999")
        assert message.isVisible() and not message.is_error  # amber: a warning only
        assert "temporary ULN" in message.text()
        assert dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.saved_id

    monkeypatch.setattr(TraineeDialog, "ask", drive)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)

    assert trainee_details(demo_database, TEST_ACTOR, trainee.trainee_id).uln == "9999999999"
    assert tab.current_trainee().uln == "9999999999"
    assert "ULN 9999999999" in tab.detail.subtitle.text()
    assert announced == ["trainees"]


def test_double_clicking_a_row_opens_the_editor(
    qtbot: QtBot, tab: TraineesTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int | None] = []
    monkeypatch.setattr(
        TraineeDialog, "ask", lambda _p, _c, trainee_id=None: opened.append(trainee_id)
    )
    target = shown_rows(tab)[2]
    rect = tab.table.visualRect(tab.proxy.index(2, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [target.trainee_id]


@pytest.fixture
def empty_tab(qtbot: QtBot, database: Database) -> Iterator[tuple[TraineesTab, SmallProgramme]]:
    programme = add_small_programme(database)
    yield open_tab(qtbot, database), programme


def fill_new_trainee(qtbot: QtBot, dialog: TraineeDialog, programme: SmallProgramme) -> None:
    qtbot.keyClicks(dialog.first_name, "Kofi")
    qtbot.keyClicks(dialog.last_name, "Mensah")
    qtbot.keyClicks(dialog.uln, "9276308686")
    dialog.employer.setCurrentIndex(dialog.employer.findData(programme.employer_id))
    qtbot.keyClicks(dialog.employee_number, "ESR20451")
    dialog.service_area.setCurrentIndex(dialog.service_area.findText(programme.service_area))
    dialog.cohort.setCurrentIndex(dialog.cohort.findData(programme.cohort_id))


def test_adding_a_trainee_with_ctrl_n(
    qtbot: QtBot,
    empty_tab: tuple[TraineesTab, SmallProgramme],
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab, programme = empty_tab

    def drive(parent: QWidget, context: TabContext, trainee_id: int | None = None) -> int | None:
        dialog = TraineeDialog(context, trainee_id, parent)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Add a trainee"
        assert not dialog.save_button.isEnabled()
        assert "first name" in dialog.still_needed.text().lower()
        assert dialog.messages["first_name"].isHidden()  # not shouted at before typing
        fill_new_trainee(qtbot, dialog, programme)
        assert dialog.still_needed.isHidden()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.saved_id

    monkeypatch.setattr(TraineeDialog, "ask", drive)
    tab.activateWindow()
    tab.filter_edit.setFocus()
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    [added] = shown_rows(tab)
    assert added.name == "Kofi Mensah" and tab.current_trainee_id() == added.trainee_id
    saved = trainee_details(database, TEST_ACTOR, added.trainee_id)
    assert (saved.employee_number, saved.uln, saved.cohort_id) == (
        "ESR20451",
        "9276308686",
        programme.cohort_id,
    )
    assert tab.count_label.text().startswith("1 trainee, ")


def test_a_refusal_from_the_service_keeps_what_was_typed(
    qtbot: QtBot,
    empty_tab: tuple[TraineesTab, SmallProgramme],
    refusals: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab, programme = empty_tab
    dialog = TraineeDialog(tab.context, None, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_new_trainee(qtbot, dialog, programme)

    # Someone else saves the same employee number between the last check and Save.
    taken = "employee number ESR20451 at Test Trust NHS FT is already in APDesk"

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise TraineeDetailsRefusedError({"employee_number": taken})

    monkeypatch.setattr(trainee_dialog, "add_trainee", refuse)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() != QDialog.DialogCode.Accepted
    assert refusals == [
        "Saving the trainee: Employee number ESR20451 at Test Trust NHS FT is already in APDesk"
    ]
    assert dialog.messages["employee_number"].isVisible()
    assert (dialog.first_name.text(), dialog.employee_number.text()) == ("Kofi", "ESR20451")


def test_a_general_refusal_is_shown_and_the_dialog_stays_open(
    qtbot: QtBot,
    empty_tab: tuple[TraineesTab, SmallProgramme],
    refusals: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab, programme = empty_tab
    dialog = TraineeDialog(tab.context, None, tab)
    qtbot.addWidget(dialog)
    fill_new_trainee(qtbot, dialog, programme)
    monkeypatch.setattr(
        trainee_dialog, "check_trainee_details", lambda *_a, **_k: DetailsCheck({}, {})
    )

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise ActionRefusedError("The database is read-only")

    monkeypatch.setattr(trainee_dialog, "add_trainee", refuse)
    dialog.accept()
    assert refusals == ["Saving the trainee: The database is read-only"]
    assert dialog.first_name.text() == "Kofi"


# -- importing ----------------------------------------------------------------------------
def test_importing_a_file_with_a_bad_row_shows_the_report_then_imports_the_fix(
    qtbot: QtBot,
    empty_tab: tuple[TraineesTab, SmallProgramme],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab, programme = empty_tab
    rows = [good_row(programme, n) for n in range(5)]
    rows[2]["uln"] = "1234567890"
    rows[3]["uln"] = "9999999999"
    path = write_csv(tmp_path / "cohort.csv", rows)
    monkeypatch.setattr(messages, "ask_open_path", lambda *_: str(path))

    def drive(parent: QWidget, context: TabContext) -> int:
        dialog = ImportDialog(context, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        assert not dialog.import_button.isEnabled()
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)

        assert dialog.headline.text() == "1 problem in 5 rows — nothing was imported (1 warning)"
        model = dialog.table.model()
        assert model.rowCount() == 2
        assert model.index(0, 0).data() == "4"
        assert model.index(0, 1).data() == "ULN 1234567890 fails its check digit"
        assert model.index(1, 1).data().startswith("Warning: ULN 9999999999 is the temporary")
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
        assert "Row 4: ULN 1234567890 fails its check digit" in QGuiApplication.clipboard().text()

        rows[2]["uln"] = "9276308686"
        write_csv(path, rows)
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert dialog.headline.text() == "Imported 5 trainees (1 warning)"
        assert not dialog.import_button.isEnabled()
        dialog.reject()
        return dialog.imported

    monkeypatch.setattr(ImportDialog, "ask", drive)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, tab)

    assert tab.proxy.rowCount() == 5
    assert tab.count_label.text().startswith("5 trainees")


def test_a_file_that_cannot_be_read_is_explained(
    qtbot: QtBot,
    empty_tab: tuple[TraineesTab, SmallProgramme],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab, _programme = empty_tab
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    monkeypatch.setattr(messages, "ask_open_path", lambda *_: str(notes))
    dialog = ImportDialog(tab.context, tab)
    qtbot.addWidget(dialog)
    dialog.choose_file()
    dialog.run(dry_run=True)
    assert dialog.headline.text() == "notes.txt: choose a .csv or .xlsx file"
    assert dialog.imported == 0


# -- who is signed in --------------------------------------------------------------------
def open_as(qtbot: QtBot, database: Database, actor: Actor) -> TraineesTab:
    tab = TraineesTab(TabContext(database, actor))
    tab.as_of = DEMO_DAY
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    qtbot.waitExposed(tab)
    wait_loaded(qtbot, tab)
    return tab


def editing_buttons(tab: TraineesTab) -> list[QPushButton]:
    return [tab.add_button, tab.edit_button, tab.import_button]


def pacing_buttons(tab: TraineesTab) -> list[QPushButton]:
    detail = tab.detail
    return [detail.record_review_button, detail.start_break_button, detail.end_break_button]


@pytest.fixture
def dialogs_opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which dialogs the tab tried to open (none of them really opens)."""
    opened: list[str] = []
    monkeypatch.setattr(TraineeDialog, "ask", lambda *_a, **_k: opened.append("trainee"))
    monkeypatch.setattr(ImportDialog, "ask", lambda *_a, **_k: opened.append("import") or 0)
    return opened


def test_an_apprentice_sees_only_their_own_row_and_nothing_to_change(
    qtbot: QtBot, demo_database: Database, dialogs_opened: list[str]
) -> None:
    apprentice = demo_sign_in(demo_database, "apprentice3")
    [own_id] = trainees_of(demo_database, apprentice)

    tab = open_as(qtbot, demo_database, apprentice)

    assert [row.trainee_id for row in shown_rows(tab)] == [own_id]
    assert tab.model.rowCount() == 1
    assert tab.count_label.text().startswith("1 trainee, ")
    assert tab.current_trainee_id() == own_id  # their record is open beside the table
    assert tab.detail.title.text() == shown_rows(tab)[0].name
    assert all(button.isHidden() for button in editing_buttons(tab) + pacing_buttons(tab))
    assert tab.filters.isHidden()
    qtbot.keyClick(tab, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tab, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    rect = tab.table.visualRect(tab.proxy.index(0, 0))
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialogs_opened == []


def test_a_mentor_sees_only_their_apprentices_read_only(
    qtbot: QtBot, demo_database: Database, dialogs_opened: list[str]
) -> None:
    mentor = demo_sign_in(demo_database, busiest_mentor(demo_database))
    theirs = trainees_of(demo_database, mentor)

    tab = open_as(qtbot, demo_database, mentor)

    assert {row.trainee_id for row in shown_rows(tab)} == theirs
    assert 1 < len(theirs) < 40
    assert {row.mentor for row in shown_rows(tab)} == {mentor.name}
    assert all(button.isHidden() for button in editing_buttons(tab))
    tab.select_trainee(shown_rows(tab)[0].trainee_id)
    assert all(button.isHidden() for button in pacing_buttons(tab))
    assert tab.detail.title.text() == shown_rows(tab)[0].name  # they read the full record
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    tab.edit_trainee()  # e.g. Edit → Edit trainee from the menu: still nothing
    assert dialogs_opened == []


def test_someone_else_signing_in_changes_rows_and_buttons(
    qtbot: QtBot, demo_database: Database
) -> None:
    tab = open_as(qtbot, demo_database, TEST_ACTOR)
    assert tab.model.rowCount() == 40
    assert not any(button.isHidden() for button in editing_buttons(tab) + pacing_buttons(tab))
    admin = demo_sign_in(demo_database, "admin")

    apprentice = demo_sign_in(demo_database, "apprentice1")
    tab.set_context(TabContext(demo_database, apprentice))
    wait_loaded(qtbot, tab)

    assert {row.trainee_id for row in shown_rows(tab)} == trainees_of(demo_database, apprentice)
    assert all(button.isHidden() for button in editing_buttons(tab) + pacing_buttons(tab))

    tab.set_context(TabContext(demo_database, admin))
    wait_loaded(qtbot, tab)

    assert tab.model.rowCount() == 40
    assert not any(button.isHidden() for button in editing_buttons(tab))
    assert all(button.isHidden() for button in pacing_buttons(tab))  # reviews: education lead
