"""The Supervised practice tab as a mentor uses it: pick the apprentice, pick the competency,
sign off what was observed with their password, and revoke a mistake with a reason; and as
everyone else sees it: readable, with no sign-off controls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.domain.enums import CompetencyOutcome, Role, TraineeStatus
from apdesk.services.actors import Actor
from apdesk.services.progress import list_trainee_progress
from apdesk.services.signatures import SignerDetails
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
from tests.helpers.fixtures import ADMIN_ACTOR, TEST_ACTOR
from tests.helpers.loading import wait_loaded
from tests.helpers.practice import (
    PASSWORD,
    WRONG_PASSWORD,
    add_user,
    answer_dialogs,
    count_signoff_records,
    demo_apprentice_username,
    demo_mentor_username,
    demo_sign_in,
    demo_trainee,
    failed_sign_ins,
    set_trainee,
    signed_in,
)

OBSERVED = date.today() - timedelta(days=3)
MARIA = SignerDetails("Maria Mentor", "Mentor", "NMC 12A3456E")


@dataclass(frozen=True)
class Scene:
    tab: SupervisedPracticeTab
    trainee_id: int
    other_id: int
    mentor_id: int
    mentor: Actor  # Maria Mentor, signed in: both trainees' assigned mentor
    programme: SmallProgramme


@pytest.fixture
def scene(qtbot: QtBot, database: Database) -> Scene:
    programme = add_small_programme(database)
    other_id = add_trainee(database, programme, first_name="Ben", last_name="Jones",
                           employee_number="E1002")  # fmt: skip
    trainee_id = add_trainee(database, programme)  # Asha Patel
    mentor = signed_in(database, programme.mentor_id)
    tab = open_tab(qtbot, database, mentor)
    return Scene(tab, trainee_id, other_id, programme.mentor_id, mentor, programme)


def open_tab(qtbot: QtBot, database: Database, actor: Actor) -> SupervisedPracticeTab:
    tab = SupervisedPracticeTab(TabContext(database, actor))
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    wait_loaded(qtbot, tab)
    return tab


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
    framework = competency_tree(database, TEST_ACTOR, trainee_id)
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
        "password": PASSWORD,
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
    assert calls[0]["signer"] == MARIA  # the signed-in mentor signs: nobody is chosen
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
        return RevocationRequest("Signed for the wrong apprentice.", PASSWORD)

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
    stored = competency_history(database, scene.mentor, scene.trainee_id, competency_id)
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
    assert [call["refusal"] for call in calls] == [None, None]  # not a password problem
    assert status_shown(tab, "R1.1") is CompetencyStatus.NOT_YET_ASSESSED
    assert competency_tree(database, TEST_ACTOR, scene.trainee_id).signed == 0


def test_no_sign_off_button_for_a_withdrawn_trainee(
    qtbot: QtBot, scene: Scene, database: Database
) -> None:
    from apdesk.db.models import Trainee

    with database.write() as session:
        session.get(Trainee, scene.trainee_id).status = TraineeStatus.WITHDRAWN
    tab = scene.tab
    tab.on_data_changed(Changed.TRAINEES)  # as the Trainees tab would announce
    wait_loaded(qtbot, tab)
    choose_by_typing(qtbot, tab, "Asha Patel (GM Sep 2024, Withdrawn)")
    click_competency(qtbot, tab, "R1.1")

    assert not tab.sign_button.isEnabled()
    assert tab.closed_label.isVisible()
    assert "no new sign-offs" in tab.closed_label.text()


def test_the_picker_follows_changes_from_other_tabs(
    qtbot: QtBot, scene: Scene, database: Database
) -> None:
    tab = scene.tab
    assert tab.picker.count() == 2
    new_id = add_trainee(
        database, scene.programme, first_name="Cara", last_name="Ng", employee_number="E1003"
    )
    tab.on_data_changed(Changed.TRAINEES)
    wait_loaded(qtbot, tab)
    assert tab.picker.findData(new_id) >= 0
    assert tab.picker.count() == 3


def test_the_tree_model_passes_qt_model_checks(qtmodeltester, demo_database: Database) -> None:
    progress = list_trainee_progress(demo_database, TEST_ACTOR)
    part_way = next(p for p in progress if 0 < p.assessment.competencies_signed < 29)
    framework = competency_tree(demo_database, TEST_ACTOR, part_way.trainee_id)
    model = CompetencyTreeModel(framework)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 5
    assert sum(model.rowCount(model.index(row, 0)) for row in range(5)) == 29
    assert model.index(0, 0).data(ROW_ROLE).code == "R1"
    assert model.parent(model.index(0, 0, model.index(1, 0))).row() == 1


def test_the_sign_off_dialog_validates_as_the_mentor_types(qtbot: QtBot, scene: Scene) -> None:
    framework = competency_tree(scene.tab.database, scene.mentor, scene.trainee_id)
    competency = framework.groups[0].competencies[0]
    dialog = CompetencySignoffDialog(
        trainee_name="Asha Patel",
        competency=competency,
        signer=SignerDetails("Maria Mentor", "Mentor, Mental health nurse", "NMC 12A3456E"),
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
    assert (
        "signed by Maria Mentor (Mentor, Mental health nurse, NMC 12A3456E), observed 3 Mar 2025"
        in dialog.statement_label.text()
    )
    assert dialog.signer.signing_as.text() == "Signing as Maria Mentor, NMC 12A3456E"
    assert dialog.password_edit.echoMode() is QLineEdit.EchoMode.Password
    assert dialog.password_edit.accessibleName() == "Your password"
    assert dialog.password_error.text() == "Enter your password: it is your signature."

    qtbot.mouseClick(dialog.not_yet_radio, Qt.MouseButton.LeftButton)
    assert not dialog.ok_button.isEnabled()  # no evidence needed to say "not yet", but a password
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    assert dialog.ok_button.isEnabled()
    assert not dialog.password_error.isVisible()
    assert "“Observed in practice; not yet competent”" in dialog.statement_label.text()

    qtbot.mouseClick(dialog.competent_radio, Qt.MouseButton.LeftButton)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.evidence_edit, "Booked the referral with consent.")
    qtbot.keyClicks(dialog.setting_combo.lineEdit(), "Service user's home")
    assert dialog.ok_button.isEnabled()
    assert not dialog.evidence_error.isVisible()

    dialog.password_edit.clear()
    assert not dialog.ok_button.isEnabled()
    assert dialog.password_error.isVisible()
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    assert dialog.result_values() == SignoffRequest(
        outcome=CompetencyOutcome.COMPETENT,
        observed_on=date(2025, 3, 3),
        setting="Service user's home",
        evidence="Booked the referral with consent.",
        password=PASSWORD,
    )
    assert PASSWORD not in repr(dialog.result_values())  # never in a log or a traceback


def test_the_sign_off_dialog_reopens_with_earlier_values(qtbot: QtBot, scene: Scene) -> None:
    framework = competency_tree(scene.tab.database, scene.mentor, scene.trainee_id)
    earlier = request(scene, outcome=CompetencyOutcome.NOT_YET_COMPETENT, observed_on=OBSERVED)
    refusal = "The password is not right (4 more tries before the account locks)."
    dialog = CompetencySignoffDialog(
        trainee_name="Asha Patel",
        competency=framework.groups[0].competencies[0],
        signer=MARIA,
        earliest=date(2024, 9, 9),
        today=date.today(),
        initial=earlier,
        refusal=refusal,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.password_edit.text() == ""  # cleared: typed again
    assert dialog.password_error.text() == refusal
    assert not dialog.ok_button.isEnabled()
    assert dialog.focusWidget() is dialog.password_edit
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    assert not dialog.password_error.isVisible()
    assert dialog.result_values() == earlier


def test_the_revoke_dialog_needs_a_reason(qtbot: QtBot, scene: Scene, database: Database) -> None:
    framework = competency_tree(database, scene.mentor, scene.trainee_id)
    competency = framework.groups[0].competencies[0]
    signoff = StandingSignoff(7, CompetencyOutcome.COMPETENT, OBSERVED, "Maria Mentor", "NMC 1")
    dialog = RevokeSignoffDialog(
        trainee_name="Asha Patel",
        competency=competency,
        signoff=signoff,
        signer=MARIA,
    )
    qtbot.addWidget(dialog)
    dialog.show()

    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "Too short")
    assert not dialog.ok_button.isEnabled()
    assert "(9 so far)" in dialog.reason_error.text()
    qtbot.keyClicks(dialog.reason_edit, "!")
    assert not dialog.ok_button.isEnabled()  # the reason is enough; the password is not there
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    assert dialog.ok_button.isEnabled()
    assert dialog.result_values() == RevocationRequest("Too short!", PASSWORD)
    assert dialog.statement_label.text().startswith(
        "This statement will be recorded with your reason: “Revocation of an earlier sign-off”, "
        "signed by Maria Mentor (Mentor, NMC 12A3456E), with the date and time you sign."
    )


# -- signing with the password, through the real dialog ----------------------------------------


def test_a_mentor_signs_with_their_password_in_the_real_dialog(
    qtbot: QtBot, scene: Scene, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = scene.tab
    boxes: list[str] = []
    monkeypatch.setattr(messages, "show_refusal", lambda _p, _a, error: boxes.append(str(error)))
    choose_by_typing(qtbot, tab, "Asha Patel (GM Sep 2024)")
    click_competency(qtbot, tab, "R2.1")
    evidence = "Collated the patient experience questionnaires and followed up two."

    def wrong_password(dialog: CompetencySignoffDialog) -> None:
        assert dialog.signer.signing_as.text() == "Signing as Maria Mentor, NMC 12A3456E"
        assert not dialog.ok_button.isEnabled()  # nothing happens without the password
        qtbot.keyClicks(dialog.setting_combo.lineEdit(), "MDT meeting")
        qtbot.keyClicks(dialog.evidence_edit, evidence)
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.password_edit, WRONG_PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    def right_password(dialog: CompetencySignoffDialog) -> None:
        # Shown in the dialog: the service's words, with the tries left; nothing lost.
        assert dialog.password_error.isVisible()
        assert dialog.password_error.text() == (
            "The password is not right (4 more tries before the account locks). Nothing was signed."
        )
        assert dialog.password_edit.text() == ""
        assert dialog.evidence_edit.toPlainText() == evidence
        assert dialog.setting_combo.currentText() == "MDT meeting"
        assert not dialog.ok_button.isEnabled()
        assert count_signoff_records(database) == 0
        assert failed_sign_ins(database, scene.mentor_id) == 1
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    errors = answer_dialogs(wrong_password, right_password)
    qtbot.mouseClick(tab.sign_button, Qt.MouseButton.LeftButton)

    assert errors == []
    assert boxes == []  # the password refusal was said in the dialog, not in a message box
    assert status_shown(tab, "R2.1") is CompetencyStatus.COMPETENT
    assert tab.summary_label.text() == "1 of 29 competencies signed off"
    [entry] = tab.history
    assert (entry.signer_name, entry.signer_registration) == ("Maria Mentor", "NMC 12A3456E")
    assert entry.evidence == evidence
    assert "Signed by Maria Mentor (Mentor, NMC 12A3456E)" in tab.history_view.toPlainText()
    assert failed_sign_ins(database, scene.mentor_id) == 0
    assert stored_status(database, scene.trainee_id, "R2.1") is CompetencyStatus.COMPETENT


def test_a_mentor_revokes_with_their_password_in_the_real_dialog(
    qtbot: QtBot, scene: Scene, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = scene.tab
    choose_by_typing(qtbot, tab, "Ben Jones (GM Sep 2024)")
    click_competency(qtbot, tab, "R1.3")
    fake_sign_dialog(monkeypatch, request(scene))
    qtbot.mouseClick(tab.sign_button, Qt.MouseButton.LeftButton)
    assert status_shown(tab, "R1.3") is CompetencyStatus.COMPETENT
    monkeypatch.undo()

    def revoke(dialog: RevokeSignoffDialog) -> None:
        qtbot.keyClicks(dialog.reason_edit, "Observed a different apprentice that day.")
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        # The tab's own Ctrl+Return must not open a second dialog over this one.
        qtbot.keyClick(tab.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    errors = answer_dialogs(revoke)
    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)

    assert errors == []
    assert status_shown(tab, "R1.3") is CompetencyStatus.NOT_YET_ASSESSED
    assert [entry.is_revocation for entry in tab.history] == [False, True]
    assert tab.history[1].signer_name == "Maria Mentor"


# -- who sees what ---------------------------------------------------------------------------


def sign_off_controls_shown(tab: SupervisedPracticeTab) -> bool:
    shown = tab.sign_button.isVisibleTo(tab), tab.revoke_button.isVisibleTo(tab)
    shortcuts = tuple(shortcut.isEnabled() for shortcut in tab.sign_shortcuts)
    assert len(set(shown + shortcuts)) == 1, (shown, shortcuts)  # all or nothing
    return shown[0]


def test_an_apprentice_reads_their_own_framework_with_no_sign_off_controls(
    qtbot: QtBot, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainee_id = demo_trainee(demo_database, index=3)
    apprentice = demo_sign_in(demo_database, demo_apprentice_username(demo_database, trainee_id))
    asked = fake_sign_dialog(monkeypatch)
    tab = open_tab(qtbot, demo_database, apprentice)

    assert not sign_off_controls_shown(tab)
    assert tab.picker.count() == 1  # only themselves, already chosen
    assert tab.picker.trainee_id() == trainee_id
    assert tab.model.rowCount() == 5  # the framework is there to read
    click_competency(qtbot, tab, "R1.1")
    assert "KSBs (ST0215)" in tab.details_view.toPlainText()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    tab.sign_off()  # even called directly, nothing asks to sign
    assert asked == []


@pytest.mark.parametrize("staff", [TEST_ACTOR, ADMIN_ACTOR], ids=["education lead", "admin"])
def test_staff_read_anyone_with_no_sign_off_controls(
    qtbot: QtBot, scene: Scene, staff: Actor
) -> None:
    tab = open_tab(qtbot, scene.tab.database, staff)
    assert not sign_off_controls_shown(tab)
    assert tab.picker.count() == 2 and tab.picker.trainee_id() is None
    choose_by_typing(qtbot, tab, "Asha Patel (GM Sep 2024)")
    assert tab.summary_label.text() == "0 of 29 competencies signed off"


def test_a_mentor_lists_only_their_own_apprentices(qtbot: QtBot, demo_database: Database) -> None:
    trainee_id = demo_trainee(demo_database)
    mentor = demo_sign_in(demo_database, demo_mentor_username(demo_database, trainee_id))
    tab = open_tab(qtbot, demo_database, mentor)

    assert sign_off_controls_shown(tab)
    listed = {tab.picker.itemData(row) for row in range(tab.picker.count())}
    everyone = list_trainee_progress(demo_database, TEST_ACTOR)
    theirs = {p.trainee_id for p in list_trainee_progress(demo_database, mentor)}
    assert trainee_id in listed
    assert listed == theirs
    assert len(listed) < len(everyone)


def test_switching_user_changes_the_controls_and_the_list(
    qtbot: QtBot, scene: Scene, database: Database
) -> None:
    tab = scene.tab
    choose_by_typing(qtbot, tab, "Asha Patel (GM Sep 2024)")
    assert sign_off_controls_shown(tab)
    asha_id = add_user(database, "asha", full_name="Asha Patel", role=Role.APPRENTICE)
    set_trainee(database, scene.trainee_id, account_id=asha_id)

    tab.set_context(TabContext(database, signed_in(database, asha_id)))
    wait_loaded(qtbot, tab)

    assert not sign_off_controls_shown(tab)
    assert tab.picker.count() == 1 and tab.picker.trainee_id() == scene.trainee_id

    tab.set_context(TabContext(database, scene.mentor))
    wait_loaded(qtbot, tab)
    assert sign_off_controls_shown(tab)
    assert tab.picker.count() == 2
