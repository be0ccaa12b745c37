"""Signing in at start-up or to switch user, and creating a new database's first administrator.

On a shared trust PC the dialog says which database it signs in to. A refusal (wrong
password with the tries left, locked until a time, deactivated) is shown under the fields
and the dialog stays open with the user name kept, so it loops until success or Cancel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from apdesk.services import accounts
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError, sentence
from apdesk.ui.dialogs.add_account import (
    full_name_problem,
    new_password_problems,
    password_edit,
    username_problem,
)
from apdesk.ui.widgets.validated_fields import ERROR_COLOUR, ValidatedDialog

if TYPE_CHECKING:
    from apdesk.db.database import Database

HINT_STYLE = "color: #57606a;"
SQLITE_PREFIX = "sqlite:///"
DATABASE_NAME_WIDTH = 380  # pixels; a long path is elided in the middle, whole in the tooltip


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def database_label(database: Database) -> QLabel:
    """The database's name, small: people on shared PCs see which one they are using."""
    name = database.display_name
    if name.startswith(SQLITE_PREFIX):  # a file on this PC: its path says it all
        name = name.removeprefix(SQLITE_PREFIX)
    label = QLabel()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    label.setStyleSheet(HINT_STYLE)
    shown = label.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, DATABASE_NAME_WIDTH)
    label.setText(f"Database: {shown}")
    label.setToolTip(name)
    label.setAccessibleName("Database")
    label.setAccessibleDescription(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SignInDialog(QDialog):
    def __init__(
        self, database: Database, *, prefill_username: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.actor: Actor | None = None
        self.setWindowTitle("Sign in to APDesk")
        self.setup_ui()
        self.username.setText(prefill_username)
        (self.password if prefill_username else self.username).setFocus()
        self._update()

    @classmethod
    def sign_in(
        cls, parent: QWidget | None, database: Database, *, prefill_username: str = ""
    ) -> Actor | None:
        """The signed-in account, or None when the person cancelled. The dialog stays open
        through refusals, so this returns only on success or Cancel."""
        dialog = cls(database, prefill_username=prefill_username, parent=parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.actor if accepted else None
        finally:
            dialog.deleteLater()

    def setup_ui(self) -> None:
        self.heading = _heading("Sign in to APDesk")
        self.database_name = database_label(self.database)

        self.username = QLineEdit()
        self.username.setAccessibleName("User name")
        self.username.setMaxLength(80)
        self.password = password_edit("Password")
        form = QFormLayout()
        form.addRow("&User name:", self.username)
        form.addRow("&Password:", self.password)

        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.refusal.setAccessibleName("Why you are not signed in")
        self.refusal.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = self.buttons.addButton(
            "&Sign in", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.database_name)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.refusal)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

        QWidget.setTabOrder(self.username, self.password)
        QWidget.setTabOrder(self.password, self.sign_in_button)
        self.username.textChanged.connect(self._update)
        self.password.textChanged.connect(self._update)

    def _update(self) -> None:
        self.sign_in_button.setEnabled(
            bool(self.username.text().strip()) and bool(self.password.text())
        )

    def show_refusal(self, message: str) -> None:
        self.refusal.setText(sentence(message))
        self.refusal.setVisible(bool(message))
        self.password.setAccessibleDescription(message)

    def accept(self) -> None:
        if not self.sign_in_button.isEnabled():
            return
        try:
            actor = accounts.sign_in(self.database, self.username.text(), self.password.text())
        except ActionRefusedError as refusal:
            self.show_refusal(str(refusal))
            # Kept, selected: typing again replaces it, nothing typed is silently lost.
            self.password.selectAll()
            self.password.setFocus()
            return
        self.actor = actor
        super().accept()


class FirstAdministratorDialog(ValidatedDialog):
    """A new database has no accounts: whoever sets it up becomes its first administrator."""

    action_name = "Creating the administrator"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.created: Actor | None = None
        self.setWindowTitle("Create the first administrator")
        self.setup_ui()
        self.finish_setup()

    @classmethod
    def create(cls, parent: QWidget | None, database: Database) -> Actor | None:
        """The new administrator, signed in; None when the person cancelled."""
        dialog = cls(database, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.created if accepted else None
        finally:
            dialog.deleteLater()

    def setup_ui(self) -> None:
        heading = _heading("Create the first administrator")
        intro = QLabel(
            "This database has no accounts yet: you are creating its first administrator, "
            "who will then add everyone else's accounts."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.full_name = self.add_row(form, "full_name", "&Full name", QLineEdit())
        self.full_name.setPlaceholderText("As printed on records, e.g. Sam Patel")
        self.username = self.add_row(form, "username", "&User name", QLineEdit())
        self.username.setPlaceholderText("e.g. sam.patel")
        self.password = self.add_row(form, "password", "&Password", password_edit("Password"))
        self.repeat = self.add_row(
            form,
            "repeat",
            "&Repeat password",
            password_edit("Repeat the password"),
            needed="Repeat password",
        )
        self.save_button.setText("&Create administrator")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(database_label(self.database))
        layout.addWidget(intro)
        layout.addLayout(form)
        self.footer(layout)
        self.setMinimumWidth(480)
        QWidget.setTabOrder(self.full_name, self.username)
        QWidget.setTabOrder(self.username, self.password)
        QWidget.setTabOrder(self.password, self.repeat)
        QWidget.setTabOrder(self.repeat, self.buttons)
        self.full_name.setFocus()

    def check(self) -> tuple[dict[str, str], dict[str, str]]:
        errors: dict[str, str] = {}
        for name, problem in (
            ("full_name", full_name_problem(self.full_name.text())),
            ("username", username_problem(self.username.text())),
        ):
            if problem:
                errors[name] = problem
        errors.update(
            new_password_problems(self.password.text(), self.repeat.text(), self.username.text())
        )
        return errors, {}

    def save(self) -> None:
        self.created = accounts.create_first_administrator(
            self.database,
            username=self.username.text().strip(),
            full_name=" ".join(self.full_name.text().split()),
            password=self.password.text(),
        )

    def accept(self) -> None:
        """A refusal (the user name is taken) is shown under the form, everything kept."""
        if not self.validate():
            return
        try:
            self.save()
        except ActionRefusedError as refusal:
            self.summary.show_message(sentence(str(refusal)))
            return
        QDialog.accept(self)
