"""The Care Certificate tab as a mentor and an education lead use it: choose a trainee, open a
standard, sign off and revoke criteria through the dialogs (the mentor's password re-entered),
and read the cohort matrix; and as an apprentice sees it: their own certificate, no sign-off
controls and no matrix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.domain.enums import EvidenceType, Role
from apdesk.services.actors import Actor
from apdesk.services.care_certificate import (
    care_certificate_overview,
    cohort_matrix,
    criterion_history,
    standard_detail,
)
from apdesk.services.signatures import SignerDetails
from apdesk.ui import messages
from apdesk.ui.care_certificate import CareCertificateTab
from apdesk.ui.dialogs.criterion_signoff import (
    CriterionSignoffDialog,
    CriterionSignoffRequest,
    RevocationRequest,
    RevokeSignoffDialog,
)
from apdesk.ui.models.care_certificate import (
    COMPLETE_BACKGROUND,
    NOT_APPLICABLE_BACKGROUND,
    PROGRESS_ROLE,
    ROW_ROLE,
    CohortMatrixModel,
    CriteriaTreeModel,
    HistoryModel,
    StandardsModel,
)
from apdesk.ui.tab import Changed, TabContext
from tests.helpers.builders import SmallProgramme, add_small_programme, add_trainee
from tests.helpers.care_certificate import add_user, criteria_of, sign, version_id
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.loading import wait_loaded
from tests.helpers.practice import (
    PASSWORD,
    WRONG_PASSWORD,
    answer_dialogs,
    demo_apprentice_username,
    demo_mentor_username,
    demo_sign_in,
    demo_trainee,
    failed_sign_ins,
    set_trainee,
    signed_in,
)

START = date.today() - timedelta(days=120)  # the dialogs date sign-offs up to today
MARIA = SignerDetails("Maria Mentor", "Mentor", "NMC 12A3456E")


@dataclass(frozen=True)
class Cohort:
    programme: SmallProgramme
    asha: int  # on the 2015 version
    ben: int  # on the 2025 version
    mentor: Actor  # Maria Mentor, signed in: both apprentices' assigned mentor


@pytest.fixture
def cohort(database: Database) -> Cohort:
    programme = add_small_programme(database, cohort_start=START)
    asha = add_trainee(
        database, programme, care_certificate_version_id=version_id(database, "2015")
    )
    ben = add_trainee(
        database,
        programme,
        first_name="Ben",
        last_name="Adams",
        employee_number="E2",
        care_certificate_version_id=version_id(database, "2025"),
    )
    return Cohort(programme, asha, ben, signed_in(database, programme.mentor_id))


def open_tab(qtbot: QtBot, database: Database, actor: Actor = TEST_ACTOR) -> CareCertificateTab:
    tab = CareCertificateTab(TabContext(database, actor))
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitActive(tab):  # shortcuts only reach an active window
        tab.activateWindow()
    wait_loaded(qtbot, tab)
    return tab


def click(
    qtbot: QtBot, view: QAbstractItemView, index: QModelIndex, *, double: bool = False
) -> None:
    view.scrollTo(index)
    centre = view.visualRect(index).center()
    assert view.viewport().rect().contains(centre)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    if double:  # QTest sends only the second click's event: a real double-click has both
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def standard_row(tab: CareCertificateTab, number: int) -> QModelIndex:
    return tab.standards_model.index(tab.standards_model.row_of(number), StandardsModel.STANDARD)


def criterion_index(tab: CareCertificateTab, code: str) -> QModelIndex:
    for criterion in standard_detail(
        tab.database, TEST_ACTOR, tab.overview.trainee_id, tab._standard_number
    ).criteria:  # type: ignore[union-attr,arg-type]
        if criterion.code == code:
            return tab.criteria_model.criterion_index(criterion.criterion_id)
    raise AssertionError(f"no criterion {code}")


class FakeAsk:
    """Stands in for a dialog's ask(): records each call and answers from a list."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, Any]] = []

    def __call__(self, _parent: QWidget, *args: Any, **kwargs: Any) -> Any:
        self.calls.append({"args": args, **kwargs})
        return self.answers.pop(0)


def test_choosing_a_trainee_shows_their_version_and_standards(
    qtbot: QtBot, database: Database, cohort: Cohort
) -> None:
    tab = open_tab(qtbot, database)

    tab.picker.choose(cohort.ben)

    assert tab.version_label.text() == "2025 version, 16 standards"
    assert tab.standards_model.rowCount() == 16
    assert standard_row(tab, 16).data() == "16. Awareness of learning disability and autism"
    assert tab.summary_label.text() == "0 of 16 standards complete, 0 of 215 criteria signed off"
    assert tab.standard_label.text().startswith("Standard 1: Understand your role")

    tab.picker.choose(cohort.asha)
    assert tab.version_label.text() == "2015 version, 15 standards"
    assert tab.standards_model.rowCount() == 15


def test_signing_off_a_criterion_through_the_dialog(
    qtbot: QtBot, database: Database, cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_tab(qtbot, database, cohort.mentor)
    tab.picker.choose(cohort.asha)
    click(qtbot, tab.standards_view, standard_row(tab, 11))
    assert tab.standard_label.text().startswith("Standard 11: Safeguarding children")
    click(qtbot, tab.criteria_view, criterion_index(tab, "11.1a"))
    assert tab.sign_button.isEnabled() and not tab.revoke_button.isEnabled()
    assessed = date.today() - timedelta(days=3)
    ask = FakeAsk(
        CriterionSignoffRequest(EvidenceType.KNOWLEDGE, assessed, "Workbook checked", PASSWORD)
    )
    monkeypatch.setattr(CriterionSignoffDialog, "ask", ask)

    assert tab.criteria_view.hasFocus()
    with qtbot.waitSignal(tab.data_changed) as announced:
        qtbot.keyClick(tab.criteria_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert announced.args == [Changed.SIGNOFFS.value]
    assert ask.calls[0]["args"][0].code == "11.1a"
    assert ask.calls[0]["signer"] == MARIA  # the signed-in mentor: nobody is chosen
    [stored] = [
        c for c in standard_detail(database, TEST_ACTOR, cohort.asha, 11).criteria if c.signed
    ]
    assert stored.code == "11.1a" and stored.current is not None
    assert stored.current.assessed_on == assessed
    assert stored.current.evidence == "Workbook checked"
    assert standard_row(tab, 11).siblingAtColumn(StandardsModel.PROGRESS).data(PROGRESS_ROLE) == (
        1,
        2,
    )
    assert tab.criteria_view.currentIndex().data(ROW_ROLE).code == "11.1a"  # selection kept
    assert tab.history_model.rowCount() == 1
    assert not tab.sign_button.isEnabled() and tab.revoke_button.isEnabled()
    assert "11.1a signed off for Asha Patel" in tab.result_label.text()

    # The second criterion completes the standard: it turns green with its date.
    click(qtbot, tab.criteria_view, criterion_index(tab, "11.1b"))
    monkeypatch.setattr(
        CriterionSignoffDialog,
        "ask",
        FakeAsk(
            CriterionSignoffRequest(EvidenceType.KNOWLEDGE, date.today(), "Discussion", PASSWORD)
        ),
    )
    qtbot.mouseClick(tab.sign_button, Qt.MouseButton.LeftButton)

    row = standard_row(tab, 11)
    assert row.siblingAtColumn(StandardsModel.PROGRESS).data(PROGRESS_ROLE) == (2, 2)
    today = date.today()
    assert row.siblingAtColumn(StandardsModel.COMPLETED).data() == (f"{today.day} {today:%b %Y}")
    assert row.data(Qt.ItemDataRole.BackgroundRole) == COMPLETE_BACKGROUND
    overview = care_certificate_overview(database, TEST_ACTOR, cohort.asha)
    assert overview.standards[10].completed_on == today
    assert "Standard 11 is complete" in tab.result_label.text()


def test_a_refused_sign_off_reopens_the_dialog_with_what_was_typed(
    qtbot: QtBot, database: Database, cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_tab(qtbot, database, cohort.mentor)
    tab.picker.choose(cohort.asha)
    click(qtbot, tab.criteria_view, criterion_index(tab, "1.1a"))
    # Meanwhile, on another PC, the same criterion is signed off.
    sign(database, cohort.asha, criteria_of(database, "2015", 1)[0], cohort.mentor, START)
    typed = CriterionSignoffRequest(EvidenceType.KNOWLEDGE, date.today(), "Long evidence", PASSWORD)
    ask = FakeAsk(typed, None)  # refused, then the mentor cancels
    refusals: list[str] = []
    monkeypatch.setattr(CriterionSignoffDialog, "ask", ask)
    monkeypatch.setattr(messages, "show_refusal", lambda _p, _a, error: refusals.append(str(error)))

    tab.sign_off_selected()

    assert refusals == [
        f"1.1a is already signed off by Maria Mentor on {START.day} {START:%b %Y}; "
        "revoke that sign-off first"
    ]
    assert ask.calls[1]["initial"] == typed
    assert ask.calls[1]["refusal"] is None  # not a password problem: said in a message box
    assert standard_detail(database, TEST_ACTOR, cohort.asha, 1).signed == 1


def test_revoking_a_sign_off_through_the_dialog(
    qtbot: QtBot, database: Database, cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    criterion = criteria_of(database, "2015", 12)[0]
    sign(database, cohort.asha, criterion, cohort.mentor, START + timedelta(days=5))
    tab = open_tab(qtbot, database, cohort.mentor)
    tab.picker.choose(cohort.asha)
    click(qtbot, tab.standards_view, standard_row(tab, 12))
    click(qtbot, tab.criteria_view, criterion_index(tab, "12.1a"))
    assert tab.revoke_button.isEnabled()
    ask = FakeAsk(RevocationRequest("Signed on the wrong day", PASSWORD))
    monkeypatch.setattr(RevokeSignoffDialog, "ask", ask)

    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)

    assert ask.calls[0]["signer"] == MARIA
    history = criterion_history(database, TEST_ACTOR, cohort.asha, criterion.id)
    assert [h.state for h in history] == [
        "Revoked",
        f"Revokes #{history[0].record.signoff_id}",
    ]
    assert history[1].revocation_reason == "Signed on the wrong day"
    status = tab.criteria_view.currentIndex().siblingAtColumn(CriteriaTreeModel.STATUS)
    assert status.data() == "Not signed off (revoked)"
    assert tab.history_model.rowCount() == 2
    assert tab.history_model.index(1, 6).data() == "Reason: Signed on the wrong day"
    assert standard_row(tab, 12).siblingAtColumn(StandardsModel.COMPLETED).data() == "–"
    assert tab.sign_button.isEnabled()


def test_the_signoff_dialog_enforces_observation_and_evidence(
    qtbot: QtBot, database: Database, cohort: Cohort
) -> None:
    observed = standard_detail(database, TEST_ACTOR, cohort.asha, 1).criteria[2]  # 1.1c
    dialog = CriterionSignoffDialog(
        observed, trainee_name="Asha Patel", start_date=START, signer=MARIA
    )
    qtbot.addWidget(dialog)

    assert observed.code == "1.1c" and observed.requires_observation
    assert dialog.observed_radio.isChecked() and not dialog.knowledge_radio.isEnabled()
    assert "1.1c must be observed in workplace practice" in dialog.observation_note.text()
    assert "Assessed against the Care Certificate criterion and met" in dialog.meaning_label.text()
    assert "recorded as Maria Mentor (Mentor, NMC 12A3456E)" in dialog.meaning_label.text()
    assert dialog.signer.signing_as.text() == "Signing as Maria Mentor, NMC 12A3456E"
    assert dialog.password_edit.accessibleName() == "Your password"
    assert not dialog.password_error.isVisibleTo(dialog)  # quiet until something is typed
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.evidence_edit, "x")
    dialog.evidence_edit.clear()
    assert dialog.evidence_error.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.evidence_edit, "Observed on Ward 4")
    assert not dialog.evidence_error.isVisibleTo(dialog)
    assert not dialog.ok_button.isEnabled()  # the password is the signature
    assert dialog.password_error.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    assert dialog.ok_button.isEnabled() and not dialog.password_error.isVisibleTo(dialog)
    assert dialog.request() == CriterionSignoffRequest(
        EvidenceType.OBSERVED_IN_PRACTICE, date.today(), "Observed on Ward 4", PASSWORD
    )

    knowledge = standard_detail(database, TEST_ACTOR, cohort.asha, 1).criteria[0]  # 1.1a
    second = CriterionSignoffDialog(
        knowledge, trainee_name="Asha Patel", start_date=START, signer=MARIA
    )
    qtbot.addWidget(second)
    qtbot.keyClicks(second.evidence_edit, "Workbook")
    assert second.knowledge_radio.isEnabled()
    assert not second.ok_button.isEnabled()  # no evidence type and no password yet
    second.knowledge_radio.click()
    assert not second.ok_button.isEnabled()
    qtbot.keyClicks(second.password_edit, PASSWORD)
    assert second.ok_button.isEnabled()
    assert second.request().evidence_type is EvidenceType.KNOWLEDGE  # type: ignore[union-attr]


def test_the_revoke_dialog_needs_a_reason(qtbot: QtBot, database: Database, cohort: Cohort) -> None:
    criterion = criteria_of(database, "2015", 12)[0]
    sign(database, cohort.asha, criterion, cohort.mentor, START + timedelta(days=5))
    signed = standard_detail(database, TEST_ACTOR, cohort.asha, 12).criteria[0]
    assert signed.current is not None
    dialog = RevokeSignoffDialog(signed, signed.current, trainee_name="Asha Patel", signer=MARIA)
    qtbot.addWidget(dialog)

    qtbot.keyClicks(dialog.reason_edit, "too short")
    assert not dialog.ok_button.isEnabled()
    assert "(9 so far)" in dialog.reason_error.text() and dialog.reason_error.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.reason_edit, "!")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    assert dialog.ok_button.isEnabled()
    assert dialog.request() == RevocationRequest("too short!", PASSWORD)
    assert "Revocation of an earlier sign-off" in dialog.meaning_label.text()
    assert "signed by Maria Mentor (Mentor, NMC 12A3456E)" in dialog.meaning_label.text()


def test_the_matrix_shows_the_cohort_and_opens_a_cell(
    qtbot: QtBot, database: Database, cohort: Cohort
) -> None:
    sign(
        database,
        cohort.asha,
        criteria_of(database, "2015", 12)[0],
        cohort.mentor,
        START + timedelta(days=9),
    )
    tab = open_tab(qtbot, database)
    qtbot.mouseClick(tab.matrix_button, Qt.MouseButton.LeftButton)
    model = tab.matrix_model

    assert tab.pages.currentIndex() == tab.MATRIX_PAGE
    assert tab.cohort_combo.currentText().startswith("GM Sep 2024")
    assert model.rowCount() == 2
    assert model.columnCount() == 2 + 16 + 1
    assert [model.index(r, CohortMatrixModel.NAME).data() for r in range(2)] == [
        "Ben Adams",
        "Asha Patel",
    ]
    column_16 = CohortMatrixModel.FIRST_STANDARD + 15
    column_12 = CohortMatrixModel.FIRST_STANDARD + 11
    assert model.index(1, column_16).data() == "n/a"
    assert model.index(1, column_16).data(Qt.ItemDataRole.BackgroundRole) == (
        NOT_APPLICABLE_BACKGROUND
    )
    assert model.index(0, column_16).data() == "0/7"
    assert model.index(1, column_12).data() == "✓ 1/1"
    assert model.index(1, column_12).data(Qt.ItemDataRole.BackgroundRole) == COMPLETE_BACKGROUND
    assert model.index(1, model.summary_column()).data() == "1/15"
    assert "2015 and 2025 versions" in tab.matrix_summary.text()

    with qtbot.waitSignal(tab.matrix_view.doubleClicked):
        click(qtbot, tab.matrix_view, model.index(1, column_12), double=True)

    assert tab.pages.currentIndex() == tab.APPRENTICE_PAGE
    assert tab.picker.trainee_id() == cohort.asha
    assert tab.standard_label.text().startswith("Standard 12: Basic life support — complete on")

    qtbot.mouseClick(tab.matrix_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.matrix_view.doubleClicked):
        click(qtbot, tab.matrix_view, model.index(0, column_16), double=True)
    assert tab.picker.trainee_id() == cohort.ben  # Ben's standard 16 exists
    assert tab.standard_label.text().startswith("Standard 16: Awareness of learning disability")

    qtbot.mouseClick(tab.matrix_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.matrix_view.doubleClicked):
        click(qtbot, tab.matrix_view, model.index(1, column_16), double=True)
    assert tab.pages.currentIndex() == tab.MATRIX_PAGE  # Asha's n/a cell opens nothing

    tab.matrix_view.setCurrentIndex(model.index(0, column_12))  # from the keyboard: Return
    qtbot.keyClick(tab.matrix_view, Qt.Key.Key_Return)
    assert tab.pages.currentIndex() == tab.APPRENTICE_PAGE
    assert tab.picker.trainee_id() == cohort.ben
    assert tab.standard_label.text().startswith("Standard 12: Basic life support")


def test_the_tab_refreshes_when_another_tab_signs(
    qtbot: QtBot, database: Database, cohort: Cohort
) -> None:
    tab = open_tab(qtbot, database)
    tab.picker.choose(cohort.ben)
    assert standard_row(tab, 16).siblingAtColumn(StandardsModel.PROGRESS).data(PROGRESS_ROLE) == (
        0,
        7,
    )
    sign(database, cohort.ben, criteria_of(database, "2025", 16)[0], cohort.mentor, START)

    tab.on_data_changed(Changed.SIGNOFFS.value)
    wait_loaded(qtbot, tab)

    assert standard_row(tab, 16).siblingAtColumn(StandardsModel.PROGRESS).data(PROGRESS_ROLE) == (
        1,
        7,
    )


def test_the_models_pass_qt_model_checks(qtmodeltester: Any, demo_database: Database) -> None:
    from apdesk.services.choices import cohort_choices, trainee_choices

    trainee = trainee_choices(demo_database, TEST_ACTOR)[0].id
    overview = care_certificate_overview(demo_database, TEST_ACTOR, trainee)
    standards = StandardsModel()
    standards.set_view(overview)
    qtmodeltester.check(standards, force_py=True)

    criteria = CriteriaTreeModel()
    detail = standard_detail(demo_database, TEST_ACTOR, trainee, 1)
    criteria.set_standard(detail)
    qtmodeltester.check(criteria, force_py=True)
    assert criteria.rowCount() == len(detail.outcomes)

    history = HistoryModel()
    history.set_history(
        criterion_history(demo_database, TEST_ACTOR, trainee, detail.criteria[0].criterion_id)
    )
    qtmodeltester.check(history, force_py=True)

    matrix = CohortMatrixModel()
    matrix.set_matrix(cohort_matrix(demo_database, TEST_ACTOR, cohort_choices(demo_database)[0].id))
    qtmodeltester.check(matrix, force_py=True)
    matrix.sort(CohortMatrixModel.FIRST_STANDARD + 12, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(matrix, force_py=True)


# -- signing with the password, through the real dialog ----------------------------------------


def test_a_mentor_signs_a_criterion_with_their_password_in_the_real_dialog(
    qtbot: QtBot, database: Database, cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes: list[str] = []
    monkeypatch.setattr(messages, "show_refusal", lambda _p, _a, error: boxes.append(str(error)))
    tab = open_tab(qtbot, database, cohort.mentor)
    tab.picker.choose(cohort.asha)
    click(qtbot, tab.standards_view, standard_row(tab, 11))
    click(qtbot, tab.criteria_view, criterion_index(tab, "11.1a"))

    def wrong_password(dialog: CriterionSignoffDialog) -> None:
        assert dialog.signer.signing_as.text() == "Signing as Maria Mentor, NMC 12A3456E"
        dialog.knowledge_radio.click()
        qtbot.keyClicks(dialog.evidence_edit, "Safeguarding children workbook checked")
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.password_edit, WRONG_PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    def right_password(dialog: CriterionSignoffDialog) -> None:
        assert dialog.password_error.isVisibleTo(dialog)
        assert dialog.password_error.text() == (
            "The password is not right (4 more tries before the account locks). Nothing was signed."
        )
        assert dialog.password_edit.text() == ""
        assert dialog.knowledge_radio.isChecked()
        assert dialog.evidence_edit.toPlainText() == "Safeguarding children workbook checked"
        assert not dialog.ok_button.isEnabled()
        assert standard_detail(database, TEST_ACTOR, cohort.asha, 11).signed == 0
        assert failed_sign_ins(database, cohort.programme.mentor_id) == 1
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    errors = answer_dialogs(wrong_password, right_password)
    qtbot.mouseClick(tab.sign_button, Qt.MouseButton.LeftButton)

    assert errors == []
    assert boxes == []  # said in the dialog, not in a message box
    status = tab.criteria_view.currentIndex().siblingAtColumn(CriteriaTreeModel.STATUS)
    today = date.today()
    assert status.data() == f"✓ Signed {today.day} {today:%b %Y}"
    assert "11.1a signed off for Asha Patel" in tab.result_label.text()
    [record] = criterion_history(
        database, TEST_ACTOR, cohort.asha, criteria_of(database, "2015", 11)[0].id
    )
    assert record.record.signer == "Maria Mentor (NMC 12A3456E)"
    assert record.record.evidence_type is EvidenceType.KNOWLEDGE


# -- who sees what ---------------------------------------------------------------------------


def sign_off_controls_shown(tab: CareCertificateTab) -> bool:
    shown = (  # hidden, not merely disabled (the buttons' page may be the one not showing)
        not tab.sign_button.isHidden(),
        not tab.revoke_button.isHidden(),
        tab.sign_action.isVisible(),
    )
    assert len(set(shown)) == 1, shown  # all or nothing
    return shown[0]


def test_an_apprentice_sees_their_certificate_with_no_sign_off_controls(
    qtbot: QtBot, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainee_id = next(  # one still working through the certificate
        trainee
        for trainee in (demo_trainee(demo_database, index=n) for n in range(20))
        if not care_certificate_overview(demo_database, TEST_ACTOR, trainee).complete
    )
    apprentice = demo_sign_in(demo_database, demo_apprentice_username(demo_database, trainee_id))
    asked = FakeAsk()
    monkeypatch.setattr(CriterionSignoffDialog, "ask", asked)
    tab = open_tab(qtbot, demo_database, apprentice)

    assert not sign_off_controls_shown(tab)
    assert not tab.matrix_button.isVisibleTo(tab)  # the matrix lists other apprentices
    assert tab.picker.count() == 1 and tab.picker.trainee_id() == trainee_id
    assert tab.standards_model.rowCount() in (15, 16)  # their certificate, readable
    index = tab.criteria_model.first_unsigned()
    assert index.isValid()
    click(qtbot, tab.criteria_view, index, double=True)  # opens the dialog for a mentor
    qtbot.keyClick(tab.criteria_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    tab.sign_off_selected()
    assert asked.calls == []


def test_an_education_lead_reads_with_no_sign_off_controls(
    qtbot: QtBot, database: Database, cohort: Cohort
) -> None:
    tab = open_tab(qtbot, database, TEST_ACTOR)
    assert not sign_off_controls_shown(tab)
    assert tab.matrix_button.isVisibleTo(tab)
    tab.picker.choose(cohort.ben)
    assert tab.version_label.text() == "2025 version, 16 standards"


def test_a_mentor_lists_and_sees_in_the_matrix_only_their_apprentices(
    qtbot: QtBot, demo_database: Database
) -> None:
    trainee_id = demo_trainee(demo_database)
    mentor = demo_sign_in(demo_database, demo_mentor_username(demo_database, trainee_id))
    tab = open_tab(qtbot, demo_database, mentor)

    assert sign_off_controls_shown(tab)
    listed = {tab.picker.itemData(row) for row in range(tab.picker.count())}
    assert trainee_id in listed
    qtbot.mouseClick(tab.matrix_button, Qt.MouseButton.LeftButton)
    seen: set[int] = set()
    for index in range(tab.cohort_combo.count()):
        tab.cohort_combo.setCurrentIndex(index)
        rows = tab.matrix_model.rowCount()
        seen |= {tab.matrix_model.index(row, 0).data(ROW_ROLE).trainee_id for row in range(rows)}
    assert seen == listed
    assert tab.matrix_summary.text().startswith("Your apprentices: ")


def test_switching_to_an_apprentice_hides_the_controls_and_the_matrix(
    qtbot: QtBot, database: Database, cohort: Cohort
) -> None:
    tab = open_tab(qtbot, database, cohort.mentor)
    qtbot.mouseClick(tab.matrix_button, Qt.MouseButton.LeftButton)
    assert sign_off_controls_shown(tab) and tab.matrix_model.rowCount() == 2
    asha = add_user(database, "asha", full_name="Asha Patel", role=Role.APPRENTICE)
    set_trainee(database, cohort.asha, account_id=asha)

    tab.set_context(TabContext(database, signed_in(database, asha)))
    wait_loaded(qtbot, tab)

    assert not sign_off_controls_shown(tab)
    assert tab.pages.currentIndex() == tab.APPRENTICE_PAGE
    assert not tab.matrix_button.isVisibleTo(tab)
    assert tab.matrix_model.rowCount() == 0  # Ben's row is gone with the mentor
    assert tab.picker.count() == 1 and tab.picker.trainee_id() == cohort.asha
    assert tab.version_label.text() == "2015 version, 15 standards"
