"""The Supervised practice tab as a mentor uses it: pick the apprentice, pick the competency,
sign off what was observed, and revoke a mistake with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.domain.enums import CompetencyOutcome, TraineeStatus
from apdesk.services.choices import mentor_choices
from apdesk.services.progress import list_trainee_progress
from apdesk.services.supervised_practice import (
    CompetencyStatus,
    StandingSignoff,
    competency_history,
    competency_tree,
)
from apdesk.ui import messages
from apdesk.ui.dialogs.competency_signoff import (
    CompetencySignoffDialog,
    RevocationRequest,
    RevokeSignoffDialog,
    SignoffRequest,
)
from apdesk.ui.models.competencies import (
    ROW_ROLE,
    STATUS_COLUMN,
    CompetencyTreeModel,
)
from apdesk.ui.practice import SupervisedPracticeTab
from apdesk.ui.tab import Changed, TabContext
from tests.helpers.builders import SmallProgramme, add_small_programme, add_trainee
from tests.helpers.fixtures import TEST_ACTOR

OBSERVED = date.today() - timedelta(days=3)


@dataclass(frozen=True)
class Scene:
    tab: SupervisedPracticeTab
    trainee_id: int
    other_id: int
    mentor_id: int
    programme: SmallProgramme


@pytest.fixture
def scene(qtbot: QtBot, database: Database) -> Scene:
    programme = add_small_programme(database)
    other_id = add_trainee(database, programme, first_name="Ben", last_name="Jones",
                           employee_number="E1002")  # fmt: skip
    trainee_id = add_trainee(database, programme)  # Asha Patel
    tab = SupervisedPracticeTab(TabContext(database, TEST_ACTOR))
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    return Scene(tab, trainee_id, other_id, programme.mentor_id, programme)


def choose_by_typing(qtbot: QtBot, tab: SupervisedPracticeTab, text: str) -> None:
    tab.picker.lineEdit().clear()
    qtbot.keyClicks(tab.picker.lineEdit(), text)
    qtbot.keyClick(tab.picker.lineEdit(), Qt.Key.Key_Return)


def competency_row(tab: SupervisedPracticeTab, code: str, column: int = 0) -> QModelIndex:
    model = tab.model
    for group_row in range(model.rowCount()):
        group = model.index(group_row, 0)
        for row in range(model.rowCount(group)):
            index = model.index(row, column, group)
            if index.siblingAtColumn(0).data(ROW_ROLE).code == code:
                return index
    raise AssertionError(f"no row for {code}")


def click_competency(qtbot: QtBot, tab: SupervisedPracticeTab, code: str) -> None:
    index = competency_row(tab, code)
    tab.tree.scrollTo(index)
    rect = tab.tree.visualRect(index)
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.current_competency() is not None
    assert tab.current_competency().code == code


def status_shown(tab: SupervisedPracticeTab, code: str) -> CompetencyStatus:
    index = competency_row(tab, code, STATUS_COLUMN)
    status = index.siblingAtColumn(0).data(ROW_ROLE).status
    # Shown in words and colour, never colour alone.
    assert index.data(Qt.ItemDataRole.DisplayRole).endswith(status.value)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    return status


def stored_status(database: Database, trainee_id: int, code: str) -> CompetencyStatus:
    framework = competency_tree(database, trainee_id)
    return next(c for g in framework.groups for c in g.competencies if c.code == code).status


def fake_sign_dialog(monkeypatch: pytest.MonkeyPatch, *answers: SignoffRequest | None):
    calls: list[dict[str, Any]] = []
    queue = list(answers)

    def ask(parent: Any, **kwargs: Any) -> SignoffRequest | None:
        calls.append(kwargs)
        return queue.pop(0)

    monkeypatch.setattr(CompetencySignoffDialog, "ask", ask)
    return calls


def request(scene: Scene, **overrides: Any) -> SignoffRequest:
    values: dict[str, Any] = {
        "outcome": CompetencyOutcome.COMPETENT,
        "observed_on": OBSERVED,
        "setting": "Community team base",
        "evidence": "Referred a service user to the link worker and followed it up.",
        "signer_id": scene.mentor_id,
    }
    values.update(overrides)
    return SignoffRequest(**values)


def test_sign_off_then_revoke_from_the_tab(
    qtbot: QtBot, scene: Scene, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = scene.tab
    choose_by_typing(qtbot, tab, "Asha Patel (GM Sep 2024)")
    assert tab.picker.trainee_id() == scene.trainee_id
    assert tab.summary_label.text() == "0 of 29 competencies signed off"

    click_competency(qtbot, tab, "R1.2")
    assert status_shown(tab, "R1.2") is CompetencyStatus.NOT_YET_ASSESSED
    assert "Care navigation" in tab.details_view.toPlainText()
    assert "K16 (knowledge)" in tab.details_view.toPlainText()
    assert "Nothing recorded yet" in tab.history_view.toPlainText()
    assert tab.sign_button.isEnabled()
    assert not tab.revoke_button.isEnabled()

    calls = fake_sign_dialog(monkeypatch, request(scene))
    with qtbot.waitSignal(tab.data_changed) as announced:
        qtbot.mouseClick(tab.sign_button, Qt.MouseButton.LeftButton)

    assert announced.args == [Changed.SIGNOFFS.value]
    assert calls[0]["trainee_name"] == "Asha Patel"
    assert calls[0]["competency"].code == "R1.2"
    assert calls[0]["mentor_id"] == scene.mentor_id  # the assigned mentor is offered first
    assert calls[0]["earliest"] == date(2024, 9, 9)
    assert status_shown(tab, "R1.2") is CompetencyStatus.COMPETENT
    assert tab.current_competency().code == "R1.2"  # the selection stays put
    assert tab.summary_label.text() == "1 of 29 competencies signed off"
    assert tab.model.index(0, STATUS_COLUMN).data() == "1/6 signed off"
    assert "Observed in practice and competent" in tab.history_view.toPlainText()
    assert len(tab.history) == 1
    assert tab.revoke_button.isEnabled()
    assert stored_status(database, scene.trainee_id, "R1.2") is CompetencyStatus.COMPETENT
    assert stored_status(database, scene.other_id, "R1.2") is CompetencyStatus.NOT_YET_ASSESSED

    revocations: list[dict[str, Any]] = []

    def ask_reason(parent: Any, **kwargs: Any) -> RevocationRequest:
        revocations.append(kwargs)
        return RevocationRequest("Signed for the wrong apprentice.", scene.mentor_id)

    monkeypatch.setattr(RevokeSignoffDialog, "ask", ask_reason)
    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)

    assert revocations[0]["signoff"].signoff_id == tab.history[0].signoff_id
    assert status_shown(tab, "R1.2") is CompetencyStatus.NOT_YET_ASSESSED
    assert tab.summary_label.text() == "0 of 29 competencies signed off"
    assert len(tab.history) == 2
    history_text = tab.history_view.toPlainText()
    assert "REVOKED by record" in history_text
    assert "Reason: Signed for the wrong apprentice." in history_text
    assert not tab.revoke_button.isEnabled()
    competency_id = tab.current_competency().competency_id
    stored = competency_history(database, scene.trainee_id, competency_id)
    assert [entry.is_revocation for entry in stored] == [False, True]
    assert stored[1].revokes_id == stored[0].signoff_id
    assert stored_status(database, scene.trainee_id, "R1.2") is CompetencyStatus.NOT_YET_ASSESSED


def test_ctrl_return_signs_not_yet_competent(
    qtbot: QtBot, scene: Scene, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = scene.tab
    choose_by_typing(qtbot, tab, "Ben Jones (GM Sep 2024)")
    click_competency(qtbot, tab, "R3.1")
    fake_sign_dialog(
        monkeypatch, request(scene, outcome=CompetencyOutcome.NOT_YET_COMPETENT, evidence="")
    )

    qtbot.keyClick(tab.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert status_shown(tab, "R3.1") is CompetencyStatus.NOT_YET_COMPETENT
    assert "Observed in practice; not yet competent" in tab.history_view.toPlainText()
    assert stored_status(database, scene.other_id, "R3.1") is CompetencyStatus.NOT_YET_COMPETENT
    assert tab.revoke_button.isEnabled()  # a standing record can be revoked, whatever it says


def test_a_refusal_reopens_the_dialog_with_what_was_typed(
    qtbot: QtBot, scene: Scene, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = scene.tab
    choose_by_typing(qtbot, tab, "Asha Patel (GM Sep 2024)")
    click_competency(qtbot, tab, "R1.1")
    refused = request(scene, observed_on=date(2024, 9, 1))  # before Asha started
    calls = fake_sign_dialog(monkeypatch, refused, None)
    refusals: list[str] = []
    monkeypatch.setattr(
        messages, "show_refusal", lambda _parent, action, error: refusals.append(str(error))
    )

    qtbot.mouseClick(tab.sign_button, Qt.MouseButton.LeftButton)

    assert refusals == ["The date observed, 1 Sep 2024, is before Asha Patel started on 9 Sep 2024"]
    assert [call["initial"] for call in calls] == [None, refused]
    assert status_shown(tab, "R1.1") is CompetencyStatus.NOT_YET_ASSESSED
    assert competency_tree(database, scene.trainee_id).signed == 0


def test_no_sign_off_button_for_a_withdrawn_trainee(
    qtbot: QtBot, scene: Scene, database: Database
) -> None:
    from apdesk.db.models import Trainee

    with database.write() as session:
        session.get(Trainee, scene.trainee_id).status = TraineeStatus.WITHDRAWN
    tab = scene.tab
    tab.on_data_changed(Changed.TRAINEES)  # as the Trainees tab would announce
    choose_by_typing(qtbot, tab, "Asha Patel (GM Sep 2024, Withdrawn)")
    click_competency(qtbot, tab, "R1.1")

    assert not tab.sign_button.isEnabled()
    assert tab.closed_label.isVisible()
    assert "no new sign-offs" in tab.closed_label.text()


def test_the_picker_follows_changes_from_other_tabs(scene: Scene, database: Database) -> None:
    tab = scene.tab
    assert tab.picker.count() == 2
    new_id = add_trainee(
        database, scene.programme, first_name="Cara", last_name="Ng", employee_number="E1003"
    )
    tab.on_data_changed(Changed.TRAINEES)
    assert tab.picker.findData(new_id) >= 0
    assert tab.picker.count() == 3


def test_the_tree_model_passes_qt_model_checks(qtmodeltester, demo_database: Database) -> None:
    progress = list_trainee_progress(demo_database)
    part_way = next(p for p in progress if 0 < p.assessment.competencies_signed < 29)
    framework = competency_tree(demo_database, part_way.trainee_id)
    model = CompetencyTreeModel(framework)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 5
    assert sum(model.rowCount(model.index(row, 0)) for row in range(5)) == 29
    assert model.index(0, 0).data(ROW_ROLE).code == "R1"
    assert model.parent(model.index(0, 0, model.index(1, 0))).row() == 1


def test_the_sign_off_dialog_validates_as_the_mentor_types(qtbot: QtBot, scene: Scene) -> None:
    framework = competency_tree(scene.tab.database, scene.trainee_id)
    competency = framework.groups[0].competencies[0]
    dialog = CompetencySignoffDialog(
        trainee_name="Asha Patel",
        competency=competency,
        mentors=mentor_choices(scene.tab.database),
        mentor_id=scene.mentor_id,
        earliest=date(2024, 9, 9),
        today=date(2025, 3, 3),
    )
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.date_edit.date().toPython() == date(2025, 3, 3)  # today by default
    assert dialog.date_edit.maximumDate().toPython() == date(2025, 3, 3)  # never the future
    assert not dialog.ok_button.isEnabled()
    assert dialog.evidence_error.isVisible()
    assert "“Observed in practice and competent”" in dialog.statement_label.text()
    assert "Maria Mentor" in dialog.statement_label.text()

    qtbot.mouseClick(dialog.not_yet_radio, Qt.MouseButton.LeftButton)
    assert dialog.ok_button.isEnabled()  # no evidence needed to say "not yet"
    assert "“Observed in practice; not yet competent”" in dialog.statement_label.text()

    qtbot.mouseClick(dialog.competent_radio, Qt.MouseButton.LeftButton)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.evidence_edit, "Booked the referral with consent.")
    qtbot.keyClicks(dialog.setting_combo.lineEdit(), "Service user's home")
    assert dialog.ok_button.isEnabled()
    assert not dialog.evidence_error.isVisible()

    dialog.mentor_combo.setCurrentIndex(0)  # "Choose the mentor…"
    assert not dialog.ok_button.isEnabled()
    assert dialog.mentor_error.isVisible()
    dialog.mentor_combo.setCurrentIndex(dialog.mentor_combo.findData(scene.mentor_id))
    assert dialog.result_values() == SignoffRequest(
        outcome=CompetencyOutcome.COMPETENT,
        observed_on=date(2025, 3, 3),
        setting="Service user's home",
        evidence="Booked the referral with consent.",
        signer_id=scene.mentor_id,
    )


def test_the_sign_off_dialog_reopens_with_earlier_values(qtbot: QtBot, scene: Scene) -> None:
    framework = competency_tree(scene.tab.database, scene.trainee_id)
    earlier = request(scene, outcome=CompetencyOutcome.NOT_YET_COMPETENT, observed_on=OBSERVED)
    dialog = CompetencySignoffDialog(
        trainee_name="Asha Patel",
        competency=framework.groups[0].competencies[0],
        mentors=mentor_choices(scene.tab.database),
        mentor_id=None,
        earliest=date(2024, 9, 9),
        today=date.today(),
        initial=earlier,
    )
    qtbot.addWidget(dialog)
    assert dialog.result_values() == earlier


def test_the_revoke_dialog_needs_a_reason(qtbot: QtBot, scene: Scene, database: Database) -> None:
    framework = competency_tree(database, scene.trainee_id)
    competency = framework.groups[0].competencies[0]
    signoff = StandingSignoff(7, CompetencyOutcome.COMPETENT, OBSERVED, "Maria Mentor", "NMC 1")
    dialog = RevokeSignoffDialog(
        trainee_name="Asha Patel",
        competency=competency,
        signoff=signoff,
        mentors=mentor_choices(database),
        mentor_id=scene.mentor_id,
    )
    qtbot.addWidget(dialog)
    dialog.show()

    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "Too short")
    assert not dialog.ok_button.isEnabled()
    assert "(9 so far)" in dialog.reason_error.text()
    qtbot.keyClicks(dialog.reason_edit, "!")
    assert dialog.ok_button.isEnabled()
    assert dialog.result_values() == RevocationRequest("Too short!", scene.mentor_id)
