"""What every signing dialog shares: the signature block, the statement the signature will
record, the reason a revocation needs, an OK button that stays off until the entry is
complete (Ctrl+Return presses it), and reopening with what was typed when the service
refuses.

The signer is always the signed-in mentor, who re-enters their password for every
signature: :class:`SignerField` shows "Signing as …" and takes the password, once for every
dialog. A wrong password comes back from the service (which counts it towards the lock-out)
and :func:`ask_until_saved` shows it under the password field, with everything else as it
was typed. :class:`RevokeDialog` is the whole revocation dialog; competencies and Care
Certificate criteria subclass it only to describe the record being revoked and to word it
as their tab does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from apdesk.services.accounts import SignInRefusedError
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.signatures import REVOCATION_MEANING, SignerDetails
from apdesk.services.signoff_records import MIN_REASON_LENGTH
from apdesk.ui import messages
from apdesk.ui.widgets.validated_fields import FieldMessage, date_edit, to_qdate

STATEMENT_STYLE = "background: #eef3fb; border: 1px solid #9fb6d8; padding: 8px;"
SIGN_KEYS = ("Ctrl+Return", "Ctrl+Enter")
PASSWORD_NAME = "Your password"
MISSING_PASSWORD = "Enter your password: it is your signature."

Values = TypeVar("Values")
Saved = TypeVar("Saved")


# -- pieces ----------------------------------------------------------------------------------


def run_modal(dialog: QDialog, read: Callable[[], Values | None]) -> Values | None:
    """Show ``dialog`` modally (the body of an ``ask``): ``read()`` on OK, None on Cancel."""
    try:
        return read() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def field_and_message(field: QWidget, message: QLabel) -> QWidget:
    """A form field with its message directly beneath, so a hidden message leaves no gap."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(message)
    box.setFocusProxy(field)
    return box


def text_box(
    placeholder: str, accessible_name: str, *, lines: int, grows: bool = False
) -> QPlainTextEdit:
    """A plain-text box for evidence or a reason; Tab leaves it rather than typing a tab.

    ``lines`` high, or at least that when it ``grows`` with the dialog.
    """
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setAccessibleName(accessible_name)
    box.setTabChangesFocus(True)
    height = box.fontMetrics().lineSpacing() * lines + 12
    if grows:
        box.setMinimumHeight(height)
    else:
        box.setFixedHeight(height)
    return box


def day_field(earliest: date, today: date, accessible_name: str) -> QDateEdit:
    """Today, and no earlier than ``earliest`` (the trainee's start): a signature records what
    has already happened while the trainee was on the programme."""
    edit = date_edit(today, accessible_name)
    if earliest <= today:
        edit.setDateRange(to_qdate(earliest), to_qdate(today))
    return edit


class StatementLabel(QLabel):
    """What the signature will record, in words, shown before OK is pressed."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(STATEMENT_STYLE)
        self.setAccessibleName(accessible_name)


class SignerField(QGroupBox):
    """The signature block: who signs (the signed-in mentor, as the record will print them)
    and their password, re-entered for every signature, with the message beneath it.

    ``refusal`` is what the services said about the password last time (wrong, with the
    tries left before the account locks): shown under the empty field to try again.
    """

    changed = Signal()

    def __init__(
        self, signer: SignerDetails, *, refusal: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Your signature", parent)
        self.signer = signer
        self._refusal = refusal
        self.signing_as = QLabel(f"Signing as {signer.signing_as}")
        self.signing_as.setTextFormat(Qt.TextFormat.PlainText)
        self.signing_as.setAccessibleName("Signing as")
        self.signing_as.setWordWrap(True)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(PASSWORD_NAME)
        self.password_edit.setPlaceholderText("Re-enter your password to sign")
        self.message = FieldMessage()
        self.message.setAccessibleName("Password message")
        password_label = QLabel("Your &password:")
        password_label.setBuddy(self.password_edit)
        form = QFormLayout(self)
        form.addRow(self.signing_as)
        form.addRow(password_label, field_and_message(self.password_edit, self.message))
        self.setFocusProxy(self.password_edit)
        self.password_edit.textChanged.connect(self._typed)

    def _typed(self, _text: str) -> None:
        self._refusal = None  # a new try: the old refusal no longer describes what is typed
        self.changed.emit()

    def password(self) -> str:
        """As typed: a password's spaces are part of it."""
        return self.password_edit.text()

    def problem(self, *, show_empty: bool = True) -> str:
        if self._refusal:
            return self._refusal
        return MISSING_PASSWORD if show_empty and not self.password() else ""

    def validate(self, *, show_empty: bool = True) -> bool:
        """Show the refusal or what is missing, if anything; whether a password is typed."""
        self.message.show_message(self.problem(show_empty=show_empty) or None)
        return bool(self.password())


# -- the dialogs -----------------------------------------------------------------------------


class SigningDialog(QDialog):
    """A dialog that records a signature: OK (and Ctrl+Return) only once it is complete.

    Subclasses build their form, call :meth:`add_buttons`, and implement :meth:`is_complete`
    and :meth:`validate`. Where ``quiet_until_typed`` is set, messages about what is still
    empty wait until the person has typed or pressed OK, so a fresh form is not all red.
    """

    quiet_until_typed = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._touched = False

    def sizeHint(self) -> QSize:
        """At least the minimum width, so Qt measures the wrapped labels at the width the
        dialog opens with rather than a narrower one, and leaves no empty band."""
        return super().sizeHint().expandedTo(QSize(self.minimumWidth(), 0))

    def add_buttons(self, ok_text: str) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setToolTip(f"{ok_text.replace('&', '')} (Ctrl+Return)")
        self.buttons.accepted.connect(self._accept_if_complete)
        self.buttons.rejected.connect(self.reject)
        for keys in SIGN_KEYS:
            QShortcut(QKeySequence(keys), self, activated=self._accept_if_complete)
        return self.buttons

    @classmethod
    def ask(cls, parent: QWidget | None, *args: Any, **kwargs: Any) -> Any:
        """Show the dialog, built from the constructor's arguments, and wait: its
        :meth:`answer` on OK, None on Cancel. Tests replace this, so no dialog blocks a run."""
        dialog = cls(*args, parent=parent, **kwargs)
        return run_modal(dialog, dialog.answer)

    def answer(self) -> object:
        """What :meth:`ask` returns when OK is pressed."""
        raise NotImplementedError

    def is_complete(self) -> bool:
        raise NotImplementedError

    def validate(self) -> None:
        """Update every message and the OK button to what the form holds now."""
        raise NotImplementedError

    def shows_empty_problems(self) -> bool:
        return self._touched or not self.quiet_until_typed

    def touch(self) -> None:
        self._touched = True
        self.validate()

    def _accept_if_complete(self) -> None:
        if self.is_complete():
            self.accept()
        else:
            self.touch()


class RevokeDialog(SigningDialog):
    """Withdraw a sign-off: a new record with a reason, signed by the signed-in mentor with
    their password; the original stays.

    A subclass passes the record being revoked (a widget describing it) and sets the words:
    the class attributes below, and :meth:`consequence` for what revoking does.
    """

    ok_text = "&Revoke"
    record_label = "Sign-off:"
    reason_placeholder = ""
    reason_problem = "Give the reason in at least {minimum} characters ({length} so far)."
    statement_name = "What the signature means"

    def __init__(
        self,
        *,
        title: str,
        record: QWidget,
        heading: str = "",
        signer: SignerDetails,
        reason: str = "",
        refusal: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setup_ui(record, heading, signer, refusal)
        if reason:  # reopened after a refusal: what was typed
            self.reason_edit.setPlainText(reason)
        if refusal:
            self.touch()  # reopened: say what is still missing, as after pressing OK
            self.signer.setFocus()
        self.validate()

    def setup_ui(
        self, record: QWidget, heading: str, signer: SignerDetails, refusal: str | None
    ) -> None:
        self.setMinimumWidth(560)
        self.reason_edit = text_box(self.reason_placeholder, "Reason for revoking", lines=4)
        self.reason_error = FieldMessage()
        self.signer = SignerField(signer, refusal=refusal)
        self.password_edit = self.signer.password_edit
        self.statement_label = StatementLabel(self.statement_name)
        self.statement_label.setTextFormat(Qt.TextFormat.PlainText)  # names as typed

        form = QFormLayout()
        form.addRow(self.record_label, record)
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason_edit)
        form.addRow(reason_label, field_and_message(self.reason_edit, self.reason_error))
        layout = QVBoxLayout(self)
        if heading:
            heading_label = QLabel(heading)
            heading_label.setWordWrap(True)
            layout.addWidget(heading_label)
        layout.addLayout(form)
        layout.addWidget(self.signer)
        layout.addWidget(self.statement_label)
        layout.addStretch(1)  # height spare once the wrapped labels are laid out wide
        layout.addWidget(self.add_buttons(self.ok_text))

        self.reason_edit.textChanged.connect(self.touch)
        self.signer.changed.connect(self.validate)
        self.setTabOrder(self.reason_edit, self.password_edit)
        self.setTabOrder(self.password_edit, self.buttons)
        self.reason_edit.setFocus()

    def consequence(self) -> str:
        """What revoking does to the item, in the tab's words."""
        raise NotImplementedError

    def statement(self) -> str:
        return (
            f"This statement will be recorded with your reason: “{REVOCATION_MEANING}”, "
            f"signed by {self.signer.signer.printed}, with the date and time you sign. "
            f"{self.consequence()}"
        )

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def password(self) -> str:
        return self.signer.password()

    def is_complete(self) -> bool:
        return bool(self.password()) and len(self.reason()) >= MIN_REASON_LENGTH

    def validate(self) -> None:
        length = len(self.reason())
        problem = (
            self.reason_problem.format(minimum=MIN_REASON_LENGTH, length=length)
            if length < MIN_REASON_LENGTH
            else ""
        )
        shown = self.shows_empty_problems()
        self.reason_error.show_message(problem if shown else None)
        self.signer.validate(show_empty=shown)
        self.statement_label.setText(self.statement())
        self.ok_button.setEnabled(self.is_complete())


# -- asking until the service accepts ---------------------------------------------------------


def ask_until_saved(
    parent: QWidget,
    action: str,
    ask: Callable[[Values | None, str | None], Values | None],
    save: Callable[[Values], Saved],
    *,
    reopen_when_missing: bool = True,
) -> tuple[Saved | None, bool]:
    """Ask with a dialog and save what it returns; on a refusal say why and ask again.

    ``ask`` gets back what was typed last time (None the first time), so the dialog reopens
    with nothing lost, and the password refusal, if that was the reason: a wrong password is
    said in the dialog, under the field, not in a message box. A record gone missing reopens
    it only if ``reopen_when_missing``. Returns what ``save`` returned (None when the person
    cancelled) and whether anything was refused on the way, which may have been news from
    another PC worth showing.
    """
    values: Values | None = None
    refusal: str | None = None
    refused = False
    while True:
        values = ask(values, refusal)
        refusal = None
        if values is None:
            return None, refused
        try:
            return save(values), refused
        except SignInRefusedError as error:  # the password: nothing was signed
            refusal = str(error)
            refused = True
        except (ActionRefusedError, RecordNotFoundError) as error:
            messages.show_refusal(parent, action, error)
            refused = True
            if isinstance(error, RecordNotFoundError) and not reopen_when_missing:
                return None, refused
