"""User accounts, for administrators: add an account, reset a forgotten password (which also
unlocks it), deactivate someone who has left or reactivate them. Accounts are never deleted.

Hiding this from other roles is a courtesy; the services refuse anyone else, and that
refusal is shown here in place of the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from apdesk.services import accounts
from apdesk.services.accounts import UserSummary
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError, sentence
from apdesk.ui import messages
from apdesk.ui.dialogs.add_account import AddAccountDialog, new_password_problems, password_edit
from apdesk.ui.models.users import COLUMN_WIDTHS, UserAccountsModel
from apdesk.ui.widgets.validated_fields import ERROR_COLOUR, ValidatedDialog

if TYPE_CHECKING:
    from apdesk.db.database import Database


class ResetPasswordDialog(ValidatedDialog):
    """An administrator sets a new password for someone who forgot theirs or is locked out."""

    action_name = "Resetting the password"

    def __init__(
        self, database: Database, actor: Actor, user: UserSummary, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.user = user
        self.setWindowTitle(f"Reset the password of {user.full_name}")
        self.setup_ui()
        self.finish_setup()

    @classmethod
    def ask(
        cls, parent: QWidget | None, database: Database, actor: Actor, user: UserSummary
    ) -> bool:
        """True once the password is reset; False when the person cancelled."""
        dialog = cls(database, actor, user, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def setup_ui(self) -> None:
        intro = QLabel(
            f"A new password for {self.user.full_name} ({self.user.username}). Resetting also "
            "unlocks the account. Give them the password yourself and ask them to change it."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.password = self.add_row(
            form, "password", "&New password", password_edit("New password")
        )
        self.repeat = self.add_row(
            form,
            "repeat",
            "&Repeat new password",
            password_edit("Repeat the new password"),
            needed="Repeat new password",
        )
        self.save_button.setText("Re&set password")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        self.footer(layout)
        self.setMinimumWidth(460)
        QWidget.setTabOrder(self.password, self.repeat)
        QWidget.setTabOrder(self.repeat, self.buttons)
        self.password.setFocus()

    def check(self) -> tuple[dict[str, str], dict[str, str]]:
        problems = new_password_problems(
            self.password.text(), self.repeat.text(), self.user.username
        )
        return problems, {}

    def save(self) -> None:
        accounts.reset_password(self.database, self.actor, self.user.id, self.password.text())


class UserAccountsDialog(QDialog):
    def __init__(self, database: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.changed = False  # True once an account was added, reset or (de)activated
        self.setWindowTitle("User accounts")
        self.setup_ui()
        self.reload()

    @classmethod
    def manage(cls, parent: QWidget | None, database: Database, actor: Actor) -> bool:
        """Show the accounts; True when any changed (mentor lists elsewhere may need a reload)."""
        dialog = cls(database, actor, parent)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()

    # -- building ---------------------------------------------------------------------
    def setup_ui(self) -> None:
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.refusal.hide()

        self.model = UserAccountsModel()
        self.table = QTableView()
        self.table.setAccessibleName("User accounts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(False)  # the service's order first
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.reset_password)

        self.add_button = QPushButton("&Add account…")
        self.add_button.setShortcut("Ctrl+N")
        self.add_button.setToolTip("Add an account (Ctrl+N)")
        self.reset_button = QPushButton("&Reset password…")
        self.active_button = QPushButton("&Deactivate")
        self.add_button.clicked.connect(self.add_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)

        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #57606a;")
        actions = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.active_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.count_label)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        # No default button: Enter in the table must not add an account or close the list.
        for button in (*close.buttons(), self.add_button, self.reset_button, self.active_button):
            button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.refusal)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(close)
        self.resize(1080, 520)
        QWidget.setTabOrder(self.table, self.add_button)
        QWidget.setTabOrder(self.add_button, self.reset_button)
        QWidget.setTabOrder(self.reset_button, self.active_button)
        QWidget.setTabOrder(self.active_button, close)

    # -- loading ----------------------------------------------------------------------
    def reload(self, select_user_id: int | None = None) -> None:
        keep = select_user_id if select_user_id is not None else self._selected_id()
        try:
            users = accounts.list_users(self.database, self.actor)
        except ActionRefusedError as refusal:
            self.refusal.setText(sentence(str(refusal)))
            self.refusal.show()
            self.model.set_rows([])
            self.add_button.setEnabled(False)
            self._update_buttons()
            return
        self.refusal.hide()
        self.model.set_rows(users)
        active = sum(1 for user in users if user.is_active)
        self.count_label.setText(f"{active} active, {len(users) - active} deactivated")
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.model.index(row, 0))
        self._update_buttons()

    def selected_user(self) -> UserSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected_id(self) -> int | None:
        user = self.selected_user()
        return user.id if user else None

    def _update_buttons(self) -> None:
        user = self.selected_user()
        self.reset_button.setEnabled(user is not None)
        self.active_button.setEnabled(user is not None)
        if user is not None and not user.is_active:
            self.active_button.setText("Reac&tivate")
            self.active_button.setToolTip(f"Let {user.full_name} sign in again")
        else:
            self.active_button.setText("&Deactivate")
            self.active_button.setToolTip(
                "Stop this account signing in; its sign-offs keep their name"
            )

    # -- actions ----------------------------------------------------------------------
    def add_account(self) -> None:
        created = AddAccountDialog.ask(self, self.database, self.actor)
        if created is not None:
            self.changed = True
            self.reload(select_user_id=created.user_id)

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is not None and ResetPasswordDialog.ask(self, self.database, self.actor, user):
            self.changed = True
            self.reload(select_user_id=user.id)

    def toggle_active(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        activate = not user.is_active
        if activate:
            title, doing = "Reactivate account", "Reactivating the account"
            question = f"Reactivate {user.full_name} ({user.username})? They can sign in again."
        else:
            title, doing = "Deactivate account", "Deactivating the account"
            question = (
                f"Deactivate {user.full_name} ({user.username})? They will no longer be able to "
                "sign in. Their sign-offs and records keep their name, and you can reactivate "
                "the account later."
            )
        if not messages.ask(self, title, question):
            return
        try:
            accounts.set_active(self.database, self.actor, user.id, activate)
        except ActionRefusedError as refusal:
            messages.show_refusal(self, doing, refusal)
            return
        self.changed = True
        self.reload(select_user_id=user.id)
