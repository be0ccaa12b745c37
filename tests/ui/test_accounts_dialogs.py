"""The account dialogs as people use them: signing in (and being refused), creating a new
database's first administrator, changing a password, and an administrator adding a mentor,
resetting a password and deactivating an account. Outcomes are checked through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.domain.enums import Role
from apdesk.services import accounts
from apdesk.services.accounts import SignInRefusedError, UserSummary
from apdesk.services.actors import Actor
from apdesk.ui import messages
from apdesk.ui.dialogs.add_account import AddAccountDialog
from apdesk.ui.dialogs.change_password import ChangePasswordDialog
from apdesk.ui.dialogs.sign_in import FirstAdministratorDialog, SignInDialog
from apdesk.ui.dialogs.user_accounts import ResetPasswordDialog, UserAccountsDialog
from apdesk.ui.models.users import DEACTIVATED_COLOUR, STATE_COLUMN, UserAccountsModel
from tests.helpers.accounts import (
    ADMIN_PASSWORD,
    MENTOR_PASSWORD,
    add_education_lead,
    add_mentor,
    first_administrator,
)
from tests.helpers.builders import add_small_programme

NEW_PASSWORD = "lighthouse-quill-88"


@pytest.fixture
def admin(database: Database) -> Actor:
    return first_administrator(database)


@pytest.fixture
def mentor(database: Database, admin: Actor) -> Actor:
    return add_mentor(database, admin)


def _show(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _user(database: Database, admin: Actor, username: str) -> UserSummary:
    return next(u for u in accounts.list_users(database, admin) if u.username == username)


def _drive_modal(qtbot: QtBot, steps: Callable[[QDialog], None]) -> list[BaseException]:
    """Run ``steps`` on the next modal dialog once it is open; never leaves it blocking."""
    errors: list[BaseException] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        assert isinstance(dialog, QDialog)
        try:
            steps(dialog)
        except BaseException as error:  # reported by the test after the dialog closes
            errors.append(error)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, run)
    return errors


# -- signing in ----------------------------------------------------------------------------


def test_a_wrong_password_says_tries_left_and_keeps_the_user_name(
    qtbot: QtBot, database: Database, mentor: Actor
) -> None:
    dialog = _show(qtbot, SignInDialog(database))
    assert dialog.windowTitle() == "Sign in to APDesk"
    assert database.url.removeprefix("sqlite:///") in dialog.database_name.toolTip()
    assert not dialog.sign_in_button.isEnabled()  # nothing typed yet

    qtbot.keyClicks(dialog.username, "maria.jones")
    qtbot.keyClicks(dialog.password, "not-my-password")
    _click(qtbot, dialog.sign_in_button)

    assert dialog.isVisible() and dialog.actor is None
    assert dialog.refusal.isVisible()
    assert "4 more tries" in dialog.refusal.text()
    assert dialog.username.text() == "maria.jones"
    assert dialog.password.hasSelectedText()  # typing again replaces the wrong password

    qtbot.keyClicks(dialog.password, MENTOR_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor == mentor
    assert dialog.actor.role is Role.MENTOR
    # The right password cleared the failure count: five more wrong tries before a lock.
    with pytest.raises(SignInRefusedError, match="4 more tries"):
        accounts.sign_in(database, "maria.jones", "wrong again")


def test_sign_in_loops_until_the_right_password(
    qtbot: QtBot, database: Database, mentor: Actor
) -> None:
    seen: list[str] = []

    def steps(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        assert dialog.username.text() == "maria.jones"  # prefilled for "Switch user"
        qtbot.keyClicks(dialog.password, "wrong")
        _click(qtbot, dialog.sign_in_button)
        seen.append(dialog.refusal.text())
        qtbot.keyClicks(dialog.password, MENTOR_PASSWORD)
        _click(qtbot, dialog.sign_in_button)

    errors = _drive_modal(qtbot, steps)
    actor = SignInDialog.sign_in(None, database, prefill_username="maria.jones")

    assert errors == []
    assert seen == ["The password is not right (4 more tries before the account locks)."]
    assert actor == mentor


def test_cancelling_sign_in_returns_none(qtbot: QtBot, database: Database, mentor: Actor) -> None:
    errors = _drive_modal(qtbot, lambda dialog: dialog.reject())
    assert SignInDialog.sign_in(None, database) is None
    assert errors == []


def test_locked_and_deactivated_accounts_are_explained(
    qtbot: QtBot, database: Database, admin: Actor, mentor: Actor
) -> None:
    dialog = _show(qtbot, SignInDialog(database, prefill_username="maria.jones"))
    for _ in range(accounts.MAX_FAILED_SIGN_INS):
        qtbot.keyClicks(dialog.password, "wrong password")
        _click(qtbot, dialog.sign_in_button)
    assert "Too many wrong passwords" in dialog.refusal.text()

    qtbot.keyClicks(dialog.password, MENTOR_PASSWORD)  # right, but locked now
    _click(qtbot, dialog.sign_in_button)
    assert "is locked until" in dialog.refusal.text()
    assert dialog.actor is None

    accounts.set_active(database, admin, mentor.user_id or 0, False)
    qtbot.keyClicks(dialog.password, MENTOR_PASSWORD)
    _click(qtbot, dialog.sign_in_button)
    assert "Maria Jones's account is deactivated" in dialog.refusal.text()
    assert dialog.username.text() == "maria.jones"


# -- the first administrator ---------------------------------------------------------------


def test_creating_the_first_administrator(qtbot: QtBot, database: Database) -> None:
    assert accounts.needs_first_administrator(database)
    dialog = _show(qtbot, FirstAdministratorDialog(database))
    assert not dialog.save_button.isEnabled()

    qtbot.keyClicks(dialog.full_name, "Sam Patel")
    qtbot.keyClicks(dialog.username, "sam.patel")
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.repeat, "shorter")
    assert dialog.messages["password"].text() == "A password needs at least 10 characters"
    assert dialog.messages["repeat"].text() == "The two passwords are not the same"
    assert not dialog.save_button.isEnabled()

    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "sam.patel-2026")
    assert dialog.messages["password"].text() == "A password must not contain the user name"

    dialog.password.clear()
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    qtbot.keyClicks(dialog.repeat, ADMIN_PASSWORD)
    assert dialog.messages["password"].isHidden() and dialog.messages["repeat"].isHidden()
    assert dialog.save_button.isEnabled()
    _click(qtbot, dialog.save_button)

    assert dialog.result() == QDialog.DialogCode.Accepted
    created = dialog.created
    assert created is not None and created.role is Role.ADMINISTRATOR
    assert created.name == "Sam Patel"
    assert not accounts.needs_first_administrator(database)
    assert accounts.sign_in(database, "sam.patel", ADMIN_PASSWORD) == created


def test_a_second_first_administrator_is_refused_in_the_form(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    dialog = _show(qtbot, FirstAdministratorDialog(database))
    qtbot.keyClicks(dialog.full_name, "Late Comer")
    qtbot.keyClicks(dialog.username, "late.comer")
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.repeat, NEW_PASSWORD)
    _click(qtbot, dialog.save_button)

    assert dialog.isVisible() and dialog.created is None
    assert dialog.summary.text() == "This database already has an administrator."
    assert dialog.username.text() == "late.comer"  # nothing typed is lost
    assert dialog.password.text() == NEW_PASSWORD


# -- changing your password ----------------------------------------------------------------


def test_changing_your_password(qtbot: QtBot, database: Database, mentor: Actor) -> None:
    dialog = _show(qtbot, ChangePasswordDialog(database, mentor))
    qtbot.keyClicks(dialog.current, "not-the-password")
    qtbot.keyClicks(dialog.new_password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.repeat, NEW_PASSWORD[:-1])
    assert dialog.messages["repeat"].text() == "The two passwords are not the same"
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.repeat, NEW_PASSWORD[-1])
    _click(qtbot, dialog.save_button)

    # A wrong current password: said under that field, the new ones kept.
    assert dialog.isVisible()
    assert "4 more tries" in dialog.messages["current"].text()
    assert dialog.new_password.text() == NEW_PASSWORD
    assert dialog.repeat.text() == NEW_PASSWORD
    assert accounts.sign_in(database, "maria.jones", MENTOR_PASSWORD) == mentor

    qtbot.keyClicks(dialog.current, MENTOR_PASSWORD)
    _click(qtbot, dialog.save_button)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert accounts.sign_in(database, "maria.jones", NEW_PASSWORD) == mentor
    with pytest.raises(SignInRefusedError):
        accounts.sign_in(database, "maria.jones", MENTOR_PASSWORD)


def test_the_new_password_must_differ_from_the_current_one(
    qtbot: QtBot, database: Database, mentor: Actor
) -> None:
    dialog = _show(qtbot, ChangePasswordDialog(database, mentor))
    for field in (dialog.current, dialog.new_password, dialog.repeat):
        qtbot.keyClicks(field, MENTOR_PASSWORD)
    assert dialog.messages["password"].text() == (
        "Choose a password different from the current one"
    )
    assert not dialog.save_button.isEnabled()


def test_change_password_classmethod_returns_false_on_cancel(
    qtbot: QtBot, database: Database, mentor: Actor
) -> None:
    errors = _drive_modal(qtbot, lambda dialog: dialog.reject())
    assert ChangePasswordDialog.change(None, database, mentor) is False
    assert errors == []


# -- adding an account ---------------------------------------------------------------------


def test_a_mentor_account_needs_registration_training_and_employer(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    programme = add_small_programme(database)
    dialog = _show(qtbot, AddAccountDialog(database, admin))
    assert not dialog.mentor_box.isEnabled()  # no role chosen yet

    qtbot.keyClicks(dialog.full_name, "Priya Shah")
    qtbot.keyClicks(dialog.username, "priya.shah")
    dialog.role.setFocus()
    dialog.role.setCurrentIndex(dialog.role.findData(Role.MENTOR.value))
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.repeat, NEW_PASSWORD)

    assert dialog.mentor_box.isEnabled()
    assert not dialog.save_button.isEnabled()
    needed = dialog.still_needed.text()
    assert "Professional registration" in needed and "Mentor training date" in needed
    assert "Employer" in needed

    qtbot.keyClicks(dialog.registration, "NMC 98B7654E")
    _click(qtbot, dialog.trained_on.check)
    dialog.trained_on.edit.setDate(date(2023, 5, 17))
    assert not dialog.save_button.isEnabled()  # still no employer
    dialog.employer.setCurrentIndex(dialog.employer.findData(programme.employer_id))
    assert dialog.save_button.isEnabled()
    _click(qtbot, dialog.save_button)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.created is not None and dialog.created.role is Role.MENTOR
    user = _user(database, admin, "priya.shah")
    assert user.full_name == "Priya Shah"
    assert user.professional_registration == "NMC 98B7654E"
    assert user.mentor_trained_on == date(2023, 5, 17)
    assert user.employer == programme.employer
    assert accounts.sign_in(database, "priya.shah", NEW_PASSWORD) == dialog.created


def test_other_roles_do_not_get_mentor_details(
    qtbot: QtBot, database: Database, admin: Actor
) -> None:
    dialog = _show(qtbot, AddAccountDialog(database, admin))
    dialog.role.setCurrentIndex(dialog.role.findData(Role.MENTOR.value))
    qtbot.keyClicks(dialog.registration, "NMC 11A1111A")  # typed, then the role changed
    dialog.role.setCurrentIndex(dialog.role.findData(Role.EDUCATION_LEAD.value))
    assert not dialog.mentor_box.isEnabled()
    qtbot.keyClicks(dialog.full_name, "Eve Lead")
    qtbot.keyClicks(dialog.username, "eve.lead")
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.repeat, NEW_PASSWORD)
    _click(qtbot, dialog.save_button)

    user = _user(database, admin, "eve.lead")
    assert user.role is Role.EDUCATION_LEAD
    assert user.professional_registration is None and user.mentor_trained_on is None
    assert dialog.registration.text() == "NMC 11A1111A"  # kept in case the role changes back


def test_a_taken_user_name_is_refused_keeping_the_form(
    qtbot: QtBot,
    database: Database,
    admin: Actor,
    mentor: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refusals: list[str] = []
    monkeypatch.setattr(messages, "show_refusal", lambda _p, _a, error: refusals.append(str(error)))
    dialog = _show(qtbot, AddAccountDialog(database, admin))
    qtbot.keyClicks(dialog.full_name, "Maria Jones Two")
    qtbot.keyClicks(dialog.username, "Maria.Jones")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.APPRENTICE.value))
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.repeat, NEW_PASSWORD)
    _click(qtbot, dialog.save_button)

    assert refusals == ["The user name Maria.Jones is taken"]
    assert dialog.isVisible() and dialog.full_name.text() == "Maria Jones Two"


# -- the accounts list ---------------------------------------------------------------------


def _accounts_dialog(qtbot: QtBot, database: Database, admin: Actor) -> UserAccountsDialog:
    dialog = _show(qtbot, UserAccountsDialog(database, admin))
    assert isinstance(dialog, UserAccountsDialog)
    return dialog


def _click_user(qtbot: QtBot, dialog: UserAccountsDialog, user_id: int | None) -> int:
    row = dialog.model.row_of(user_id or 0)
    assert row is not None
    rect = dialog.table.visualRect(dialog.model.index(row, 1))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return row


def test_deactivating_and_reactivating_an_account(
    qtbot: QtBot,
    database: Database,
    admin: Actor,
    mentor: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    questions: list[str] = []
    monkeypatch.setattr(
        messages, "ask", lambda _p, _t, question: questions.append(question) or True
    )
    dialog = _accounts_dialog(qtbot, database, admin)
    assert dialog.model.rowCount() == 2
    assert not dialog.active_button.isEnabled()  # nothing chosen

    _click_user(qtbot, dialog, mentor.user_id)
    assert dialog.active_button.text() == "&Deactivate"
    _click(qtbot, dialog.active_button)

    assert "Deactivate Maria Jones (maria.jones)?" in questions[0]
    assert not _user(database, admin, "maria.jones").is_active
    with pytest.raises(SignInRefusedError, match="deactivated"):
        accounts.sign_in(database, "maria.jones", MENTOR_PASSWORD)
    row = dialog.model.row_of(mentor.user_id or 0)
    assert row is not None
    state = dialog.model.index(row, STATE_COLUMN)
    assert state.data() == "Deactivated"
    assert state.data(Qt.ItemDataRole.ForegroundRole) == DEACTIVATED_COLOUR
    assert dialog.selected_user() == _user(database, admin, "maria.jones")  # still chosen
    assert dialog.active_button.text() == "Reac&tivate"
    assert dialog.changed

    _click(qtbot, dialog.active_button)
    assert _user(database, admin, "maria.jones").is_active
    assert accounts.sign_in(database, "maria.jones", MENTOR_PASSWORD) == mentor


def test_saying_no_deactivates_nothing(
    qtbot: QtBot,
    database: Database,
    admin: Actor,
    mentor: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(messages, "ask", lambda *_args: False)
    dialog = _accounts_dialog(qtbot, database, admin)
    _click_user(qtbot, dialog, mentor.user_id)
    _click(qtbot, dialog.active_button)
    assert _user(database, admin, "maria.jones").is_active
    assert not dialog.changed


def test_deactivating_yourself_is_refused(
    qtbot: QtBot, database: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusals: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "ask", lambda *_args: True)
    monkeypatch.setattr(
        messages, "show_refusal", lambda _p, action, error: refusals.append((action, str(error)))
    )
    dialog = _accounts_dialog(qtbot, database, admin)
    _click_user(qtbot, dialog, admin.user_id)
    _click(qtbot, dialog.active_button)
    assert refusals == [("Deactivating the account", "You cannot deactivate your own account")]
    assert _user(database, admin, "sam.admin").is_active


def test_adding_from_the_list_selects_the_new_account(
    qtbot: QtBot, database: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def add(_parent: QWidget, database: Database, actor: Actor) -> Actor:
        return add_education_lead(database, actor)

    monkeypatch.setattr(AddAccountDialog, "ask", add)
    dialog = _accounts_dialog(qtbot, database, admin)
    _click(qtbot, dialog.add_button)
    assert dialog.model.rowCount() == 2
    selected = dialog.selected_user()
    assert selected is not None and selected.username == "eve.lead"
    assert dialog.changed


def test_resetting_a_password_unlocks_the_account(
    qtbot: QtBot,
    database: Database,
    admin: Actor,
    mentor: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for _ in range(accounts.MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInRefusedError):
            accounts.sign_in(database, "maria.jones", "wrong")
    opened: list[ResetPasswordDialog] = []

    def ask(_parent: QWidget, database: Database, actor: Actor, user: UserSummary) -> bool:
        reset = _show(qtbot, ResetPasswordDialog(database, actor, user))
        assert isinstance(reset, ResetPasswordDialog)
        opened.append(reset)
        qtbot.keyClicks(reset.password, "maria.jones-new")  # contains the user name
        assert "must not contain the user name" in reset.messages["password"].text()
        reset.password.clear()
        qtbot.keyClicks(reset.password, NEW_PASSWORD)
        qtbot.keyClicks(reset.repeat, NEW_PASSWORD)
        _click(qtbot, reset.save_button)
        return reset.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(ResetPasswordDialog, "ask", ask)
    dialog = _accounts_dialog(qtbot, database, admin)
    row = _click_user(qtbot, dialog, mentor.user_id)
    assert dialog.model.index(row, STATE_COLUMN).data().startswith("Locked until")
    _click(qtbot, dialog.reset_button)

    assert opened and opened[0].user.username == "maria.jones"
    assert accounts.sign_in(database, "maria.jones", NEW_PASSWORD) == mentor
    assert dialog.model.index(row, STATE_COLUMN).data() == "Active"


def test_only_administrators_see_the_accounts(
    qtbot: QtBot, database: Database, admin: Actor, mentor: Actor
) -> None:
    dialog = _accounts_dialog(qtbot, database, mentor)
    assert dialog.model.rowCount() == 0
    assert dialog.refusal.isVisible()
    assert "Maria Jones cannot manage user accounts" in dialog.refusal.text()
    assert not dialog.add_button.isEnabled()


def test_user_accounts_model(
    qtmodeltester: object, database: Database, admin: Actor, mentor: Actor
) -> None:
    model = UserAccountsModel(accounts.list_users(database, admin))
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(2)] == ["sam.admin", "maria.jones"]
    assert model.index(1, 4).data() == "1 Mar 2024"
