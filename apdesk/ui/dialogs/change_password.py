"""Change your own password: the current one, then the new one twice, checked as typed.

A wrong current password counts towards the lock-out like a wrong sign-in, so the refusal
(with the tries left) is shown under that field; the new passwords stay as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from apdesk.services.accounts import SignInRefusedError, change_password
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError, sentence
from apdesk.ui.dialogs.add_account import new_password_problems, password_edit
from apdesk.ui.widgets.validated_fields import ValidatedDialog

if TYPE_CHECKING:
    from apdesk.db.database import Database


class ChangePasswordDialog(ValidatedDialog):
    action_name = "Changing the password"

    def __init__(self, database: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.setWindowTitle("Change your password")
        self.setup_ui()
        self.finish_setup()

    @classmethod
    def change(cls, parent: QWidget | None, database: Database, actor: Actor) -> bool:
        """True once the password is changed; False when the person cancelled."""
        dialog = cls(database, actor, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def setup_ui(self) -> None:
        intro = QLabel(f"Change the password of {self.actor.name}.")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.current = self.add_row(
            form, "current", "&Current password", password_edit("Current password")
        )
        self.new_password = self.add_row(
            form, "password", "&New password", password_edit("New password")
        )
        self.repeat = self.add_row(
            form,
            "repeat",
            "&Repeat new password",
            password_edit("Repeat the new password"),
            needed="Repeat new password",
        )
        self.save_button.setText("C&hange password")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        self.footer(layout)
        self.setMinimumWidth(460)
        QWidget.setTabOrder(self.current, self.new_password)
        QWidget.setTabOrder(self.new_password, self.repeat)
        QWidget.setTabOrder(self.repeat, self.buttons)
        self.current.setFocus()

    def check(self) -> tuple[dict[str, str], dict[str, str]]:
        errors: dict[str, str] = {}
        current, new = self.current.text(), self.new_password.text()
        if not current:
            errors["current"] = "Enter your current password"
        errors.update(new_password_problems(new, self.repeat.text()))
        if new and new == current:
            errors["password"] = "Choose a password different from the current one"
        return errors, {}

    def save(self) -> None:
        change_password(self.database, self.actor, self.current.text(), self.new_password.text())

    def accept(self) -> None:
        """Show a refusal in the form, not in a message box: the person fixes it here."""
        if not self.validate():
            return
        try:
            self.save()
        except SignInRefusedError as refusal:
            self.messages["current"].show_message(sentence(str(refusal)))
            self.current.selectAll()
            self.current.setFocus()
            return
        except ActionRefusedError as refusal:
            self.summary.show_message(sentence(str(refusal)))
            return
        QDialog.accept(self)
