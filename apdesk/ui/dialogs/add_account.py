"""Add a user account (administrators only), and the checks every account form shares.

A mentor's professional registration, training date and employer are printed with each of
their sign-offs, so the form asks for them, and requires them, only for mentor accounts.
The service is still the judge: its refusal is shown and what was typed stays in the form.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.enums import Role
from apdesk.services.accounts import NewUser, add_user, password_problem, username_problem
from apdesk.services.actors import Actor
from apdesk.services.choices import employer_choices
from apdesk.ui.widgets.validated_fields import OptionalDateEdit, ValidatedDialog

if TYPE_CHECKING:
    from apdesk.db.database import Database


def password_edit(accessible_name: str) -> QLineEdit:
    """A line edit that never shows what is typed."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible_name)
    return edit


def full_name_problem(full_name: str) -> str | None:
    if not full_name.strip():
        return "Enter the full name as it should appear on sign-offs"
    return None


def new_password_problems(password: str, repeat: str, username: str = "") -> dict[str, str]:
    """Problems with a new password and its repetition, keyed "password" and "repeat"."""
    problems: dict[str, str] = {}
    problem = password_problem(password, username.strip())
    if problem:
        problems["password"] = problem
    if not repeat:
        problems["repeat"] = "Type the password again"
    elif repeat != password:
        problems["repeat"] = "The two passwords are not the same"
    return problems


class AddAccountDialog(ValidatedDialog):
    action_name = "Adding the account"

    def __init__(self, database: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.created: Actor | None = None
        self.setWindowTitle("Add a user account")
        self.setup_ui()
        self.finish_setup()
        self._role_changed()

    @classmethod
    def ask(cls, parent: QWidget | None, database: Database, actor: Actor) -> Actor | None:
        """The new account (as an Actor), or None when the person cancelled."""
        dialog = cls(database, actor, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.created if accepted else None
        finally:
            dialog.deleteLater()

    # -- building ---------------------------------------------------------------------
    def setup_ui(self) -> None:
        person = QFormLayout()
        self.full_name = self.add_row(person, "full_name", "&Full name", QLineEdit())
        self.full_name.setPlaceholderText("As printed on sign-offs, e.g. Maria Jones")
        self.username = self.add_row(person, "username", "&User name", QLineEdit())
        self.username.setPlaceholderText("Letters, digits, dots and hyphens, e.g. maria.jones")
        self.role = self.add_row(person, "role", "&Role", QComboBox())
        self.role.addItem("Choose a role…", None)
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.email = self.add_row(person, "email", "E-&mail (optional)", QLineEdit())
        self.email.setPlaceholderText("name@example.nhs.uk")
        self.job_title = self.add_row(person, "job_title", "&Job title (optional)", QLineEdit())

        self.mentor_box = QGroupBox("Mentor details (printed with every sign-off)")
        mentor = QFormLayout(self.mentor_box)
        self.registration = self.add_row(
            mentor,
            "professional_registration",
            "Professional re&gistration",
            QLineEdit(placeholderText="e.g. NMC 12A3456E"),
        )
        self.trained_on = self.add_row(
            mentor,
            "mentor_trained_on",
            "Mentor trained &on",
            OptionalDateEdit("Mentor training date"),
            needed="Mentor training date",
        )
        self.trained_on.edit.setMaximumDate(self.trained_on.edit.date())  # today: not ahead
        self.employer = self.add_row(mentor, "employer_id", "&Employer", QComboBox())
        self.employer.addItem("Choose the mentor's employer…", None)
        for choice in employer_choices(self.database):
            self.employer.addItem(f"{choice.label} ({choice.detail})", choice.id)
        self.mentor_note = QLabel("Only mentor accounts have these.")
        self.mentor_note.setStyleSheet("color: #57606a;")
        mentor.addRow(self.mentor_note)

        passwords = QFormLayout()
        self.password = self.add_row(
            passwords, "password", "&Password", password_edit("Initial password")
        )
        self.repeat = self.add_row(
            passwords,
            "repeat",
            "Repeat pass&word",
            password_edit("Repeat the initial password"),
            needed="Repeat password",
        )
        hint = QLabel(
            "An initial password of at least 10 characters. Give it to the person yourself; "
            "they can change it once signed in."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #57606a;")

        self.save_button.setText("&Add account")
        layout = QVBoxLayout(self)
        layout.addLayout(person)
        layout.addWidget(self.mentor_box)
        layout.addLayout(passwords)
        layout.addWidget(hint)
        self.footer(layout)
        self.setMinimumWidth(560)

        order: list[QWidget] = [
            self.full_name,
            self.username,
            self.role,
            self.email,
            self.job_title,
            self.registration,
            self.trained_on.check,
            self.trained_on.edit,
            self.employer,
            self.password,
            self.repeat,
            self.buttons,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.full_name.setFocus()

    # -- values -----------------------------------------------------------------------
    def chosen_role(self) -> Role | None:
        value = self.role.currentData()
        return Role(value) if value is not None else None

    def new_user(self) -> NewUser:
        """What the form holds now, as the service takes it."""
        mentor = self.chosen_role() is Role.MENTOR
        return NewUser(
            username=self.username.text().strip(),
            full_name=" ".join(self.full_name.text().split()),
            role=self.chosen_role() or Role.APPRENTICE,
            password=self.password.text(),
            email=self.email.text().strip() or None,
            job_title=self.job_title.text().strip() or None,
            employer_id=self.employer.currentData() if mentor else None,
            professional_registration=(self.registration.text().strip() or None)
            if mentor
            else None,
            mentor_trained_on=self.trained_on.value() if mentor else None,
        )

    def _role_changed(self) -> None:
        mentor = self.chosen_role() is Role.MENTOR
        self.mentor_box.setEnabled(mentor)
        self.mentor_note.setVisible(not mentor)

    # -- checking and saving ----------------------------------------------------------
    def check(self) -> tuple[dict[str, str], dict[str, str]]:
        errors: dict[str, str] = {}
        for name, problem in (
            ("full_name", full_name_problem(self.full_name.text())),
            ("username", username_problem(self.username.text())),
        ):
            if problem:
                errors[name] = problem
        role = self.chosen_role()
        if role is None:
            errors["role"] = "Choose the account's role"
        email = self.email.text().strip()
        if email and ("@" not in email or " " in email):
            errors["email"] = "An e-mail address looks like name@example.nhs.uk"
        if role is Role.MENTOR:
            if not self.registration.text().strip():
                errors["professional_registration"] = (
                    "A mentor needs their professional registration, e.g. NMC 12A3456E"
                )
            trained_on = self.trained_on.value()
            if trained_on is None:
                errors["mentor_trained_on"] = "Tick and enter the date of mentor training"
            elif trained_on > date.today():
                errors["mentor_trained_on"] = "The mentor training date cannot be in the future"
            if self.employer.currentData() is None:
                errors["employer_id"] = "Choose the mentor's employer"
        problems = new_password_problems(
            self.password.text(), self.repeat.text(), self.username.text()
        )
        errors.update(problems)
        return errors, {}

    def save(self) -> None:
        self.created = add_user(self.database, self.actor, self.new_user())
