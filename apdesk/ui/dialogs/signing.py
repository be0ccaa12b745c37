"""What every signing dialog shares: who signs, the statement the signature will record, the
reason a revocation needs, an OK button that stays off until the entry is complete
(Ctrl+Return presses it), and reopening with what was typed when the service refuses.

Who signs is chosen in one place, :class:`SignerField`: the password re-entry the accounts
issue brings is added there once, not in every dialog. :class:`RevokeDialog` is the whole
revocation dialog; competencies and Care Certificate criteria subclass it only to describe
the record being revoked and to word it as their tab does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from apdesk.services.choices import Choice
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.signoff_records import MIN_REASON_LENGTH
from apdesk.ui import messages
from apdesk.ui.widgets.validated_fields import FieldMessage, date_edit, to_qdate

STATEMENT_STYLE = "background: #eef3fb; border: 1px solid #9fb6d8; padding: 8px;"
SIGN_KEYS = ("Ctrl+Return", "Ctrl+Enter")

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


class SignerField(QWidget):
    """Who signs, with the message saying what is missing beneath.

    Until accounts arrive the signer is one of the active mentors. The empty choice is either
    a first item (``prompt_as_item``) or the combo's placeholder; ``missing`` is shown while
    nobody is chosen and ``no_mentors`` when there is nobody to choose (empty: say nothing).
    """

    changed = Signal()

    def __init__(
        self,
        mentors: Sequence[Choice],
        signer_id: int | None,
        *,
        accessible_name: str,
        prompt: str,
        prompt_as_item: bool = False,
        missing: str = "",
        no_mentors: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mentors = tuple(mentors)
        self._prompt_as_item = prompt_as_item
        self._missing, self._no_mentors = missing, no_mentors
        self.combo = QComboBox()
        self.combo.setAccessibleName(accessible_name)
        if prompt_as_item:
            self.combo.addItem(prompt, None)
        for mentor in self.mentors:
            label = f"{mentor.label} ({mentor.detail})" if mentor.detail else mentor.label
            self.combo.addItem(label, mentor.id)
        if not prompt_as_item:
            self.combo.setPlaceholderText(prompt)
        self.choose(signer_id)
        self.message = FieldMessage()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.combo)
        layout.addWidget(self.message)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(self.changed)

    def choose(self, signer_id: int | None) -> None:
        index = self.combo.findData(signer_id) if signer_id is not None else -1
        self.combo.setCurrentIndex(max(index, 0) if self._prompt_as_item else index)

    def signer_id(self) -> int | None:
        value = self.combo.currentData()
        return int(value) if value is not None else None

    def signer_text(self) -> str:
        """The signer as listed, with their registration; empty while nobody is chosen."""
        return self.combo.currentText() if self.signer_id() is not None else ""

    def signer_name(self) -> str:
        chosen = self.signer_id()
        return next((m.label for m in self.mentors if m.id == chosen), "")

    def problem(self) -> str:
        if not self.mentors and self._no_mentors:
            return self._no_mentors
        return self._missing if self.signer_id() is None else ""

    def validate(self) -> bool:
        """Show what is missing, if anything; whether someone is chosen."""
        self.message.show_message(self.problem() or None)
        return self.signer_id() is not None


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
    """Withdraw a sign-off: a new record with a reason, signed by a mentor; the original stays.

    A subclass passes the record being revoked (a widget describing it) and sets the words:
    the class attributes below, and :meth:`statement` for what the signature records.
    """

    ok_text = "&Revoke"
    record_label = "Sign-off:"
    mentor_label = "Revoking &mentor:"
    mentor_name = "Mentor revoking"
    mentor_prompt = "Choose the mentor who is signing…"
    mentor_prompt_as_item = False
    mentor_missing = ""
    reason_placeholder = ""
    reason_problem = "Give the reason in at least {minimum} characters ({length} so far)."
    statement_name = "What the signature means"

    def __init__(
        self,
        *,
        title: str,
        record: QWidget,
        heading: str = "",
        mentors: Sequence[Choice],
        signer_id: int | None,
        reason: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setup_ui(record, heading, mentors, signer_id)
        if reason:  # reopened after a refusal: what was typed
            self.reason_edit.setPlainText(reason)
        self.validate()

    def setup_ui(
        self, record: QWidget, heading: str, mentors: Sequence[Choice], signer_id: int | None
    ) -> None:
        self.setMinimumWidth(560)
        self.reason_edit = text_box(self.reason_placeholder, "Reason for revoking", lines=4)
        self.reason_error = FieldMessage()
        self.signer = SignerField(
            mentors,
            signer_id,
            accessible_name=self.mentor_name,
            prompt=self.mentor_prompt,
            prompt_as_item=self.mentor_prompt_as_item,
            missing=self.mentor_missing,
        )
        self.mentor_combo, self.mentor_error = self.signer.combo, self.signer.message
        self.statement_label = StatementLabel(self.statement_name)

        form = QFormLayout()
        form.addRow(self.record_label, record)
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason_edit)
        form.addRow(reason_label, field_and_message(self.reason_edit, self.reason_error))
        mentor_label = QLabel(self.mentor_label)
        mentor_label.setBuddy(self.mentor_combo)
        form.addRow(mentor_label, self.signer)
        layout = QVBoxLayout(self)
        if heading:
            heading_label = QLabel(heading)
            heading_label.setWordWrap(True)
            layout.addWidget(heading_label)
        layout.addLayout(form)
        layout.addWidget(self.statement_label)
        layout.addStretch(1)  # height spare once the wrapped labels are laid out wide
        layout.addWidget(self.add_buttons(self.ok_text))

        self.reason_edit.textChanged.connect(self.touch)
        self.signer.changed.connect(self.validate)
        self.setTabOrder(self.reason_edit, self.mentor_combo)
        self.setTabOrder(self.mentor_combo, self.buttons)
        self.reason_edit.setFocus()

    def statement(self, signer: str) -> str:
        """What the signature records; ``signer`` is the chosen mentor's name, or empty."""
        raise NotImplementedError

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def is_complete(self) -> bool:
        return self.signer.signer_id() is not None and len(self.reason()) >= MIN_REASON_LENGTH

    def validate(self) -> None:
        length = len(self.reason())
        problem = (
            self.reason_problem.format(minimum=MIN_REASON_LENGTH, length=length)
            if length < MIN_REASON_LENGTH
            else ""
        )
        self.reason_error.show_message(problem if self.shows_empty_problems() else None)
        self.signer.validate()
        self.statement_label.setText(self.statement(self.signer.signer_name()))
        self.ok_button.setEnabled(self.is_complete())


# -- asking until the service accepts ---------------------------------------------------------


def ask_until_saved(
    parent: QWidget,
    action: str,
    ask: Callable[[Values | None], Values | None],
    save: Callable[[Values], Saved],
    *,
    reopen_when_missing: bool = True,
) -> tuple[Saved | None, bool]:
    """Ask with a dialog and save what it returns; on a refusal say why and ask again.

    ``ask`` gets back what was typed last time (None the first time), so the dialog reopens
    with nothing lost. A record gone missing reopens it only if ``reopen_when_missing``.
    Returns what ``save`` returned (None when the person cancelled) and whether anything
    was refused on the way, which may have been news from another PC worth showing.
    """
    values: Values | None = None
    refused = False
    while True:
        values = ask(values)
        if values is None:
            return None, refused
        try:
            return save(values), refused
        except (ActionRefusedError, RecordNotFoundError) as error:
            messages.show_refusal(parent, action, error)
            refused = True
            if isinstance(error, RecordNotFoundError) and not reopen_when_missing:
                return None, refused
