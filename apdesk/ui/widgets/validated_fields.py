"""Form pieces for dialogs that validate as the person types: a message under each field
(red for what stops a save, amber for a warning) and date fields with calendar pop-ups."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from apdesk.services.errors import ActionRefusedError, ProblemsRefusedError, sentence
from apdesk.services.input_rules import EARLIEST_DAY, LATEST_DAY
from apdesk.ui import messages

DATE_FORMAT = "d MMM yyyy"  # as apdesk.domain.calendar.format_day writes dates: 25 Nov 2026
ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5300"  # amber dark enough to read on white (WCAG AA)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(value: date, accessible_name: str) -> QDateEdit:
    edit = QDateEdit(to_qdate(value))
    # Qt's own range (1752–9999) lets a slip of the keyboard reach dates no rule expects:
    # a start in 9999 has no planned end two years on.
    edit.setDateRange(to_qdate(EARLIEST_DAY), to_qdate(LATEST_DAY))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setAccessibleName(accessible_name)
    return edit


class FieldMessage(QLabel):
    """The sentence under a field saying what is wrong with it; hidden when all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()
        self.is_error = False

    def show_message(self, message: str | None, *, error: bool = True) -> None:
        self.is_error = bool(message) and error
        if not message:
            self.clear()
            self.hide()
            return
        colour = ERROR_COLOUR if error else WARNING_COLOUR
        self.setStyleSheet(f"color: {colour};")
        self.setText(message)
        self.show()


def with_message(field: QWidget) -> tuple[QWidget, FieldMessage]:
    """``field`` with its message label underneath, as one widget for a form row."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    message = FieldMessage()
    layout.addWidget(message)
    return box, message


class OptionalDateEdit(QWidget):
    """A date that may be left out (an evidence date not yet known): a tick box switches the
    calendar field on; unticked, the value is None."""

    changed = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox("Date:")
        self.check.setAccessibleName(f"{accessible_name} known")
        self.edit = date_edit(date.today(), accessible_name)
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        if value is not None:
            self.edit.setDate(to_qdate(value))
        self.check.setChecked(value is not None)


W = TypeVar("W", bound=QWidget)


class ValidatedDialog(QDialog):
    """A form checked by a service's rules as the person types.

    Subclasses build rows with :meth:`add_row`, call :meth:`finish_setup`, and implement
    :meth:`check` (the problems now, by field) and :meth:`save` (call the service). A field's
    error shows once the person has been there; untouched required fields are listed under
    the form instead, so a fresh form is not a wall of red. Save stays off until there are
    no errors; a refusal from the service is shown under the fields, keeping what was typed.
    """

    action_name = "Saving"  # how a refusal names what was not done

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, str] = {}
        self.messages: dict[str, FieldMessage] = {}
        self._touched: set[str] = set()
        self._quiet = True  # filling the form in code is not the person editing it
        self.summary = FieldMessage()
        self.still_needed = QLabel()
        self.still_needed.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # -- for subclasses ---------------------------------------------------------------
    def check(self) -> tuple[Mapping[str, str], Mapping[str, str]]:
        """Errors and warnings for what the form holds now, by field name."""
        raise NotImplementedError

    def save(self) -> None:
        """Call the service; raise its refusal."""
        raise NotImplementedError

    def add_row(
        self, form: QFormLayout, name: str, label: str, widget: W, *, needed: str | None = None
    ) -> W:
        """A form row: the field with its message underneath, both known by ``name``.
        ``needed`` names the field in the "Still to fill in" list when the label alone is
        too short to say what is missing."""
        words = label.replace("&", "")
        if isinstance(widget, QComboBox):  # long names elide rather than widen the dialog
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(16)
        if not widget.accessibleName():
            widget.setAccessibleName(words)
        box, message = with_message(widget)
        box.setFocusProxy(widget)
        form.addRow(label, box)
        self.fields[name] = widget
        self.labels[name] = needed or words
        self.messages[name] = message
        return widget

    def footer(self, layout: QBoxLayout) -> None:
        layout.addWidget(self.summary)
        layout.addWidget(self.still_needed)
        layout.addWidget(self.buttons)

    def finish_setup(self, *, show_all: bool = False) -> None:
        """Start listening to the fields and check the form once."""
        for name, widget in self.fields.items():
            self._watch(name, widget)
        if show_all:
            self.touch_all()
        self._quiet = False
        self.validate()

    def touch_all(self) -> None:
        self._touched = set(self.fields)

    # -- checking -----------------------------------------------------------------------
    def _watch(self, name: str, widget: QWidget) -> None:
        def edited(*_args: object) -> None:
            self.edited(name)

        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(edited)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(edited)
        elif isinstance(widget, QAbstractSpinBox) and not isinstance(widget, QDateEdit):
            widget.valueChanged.connect(edited)  # type: ignore[attr-defined]
        elif isinstance(widget, QDateEdit):
            widget.dateChanged.connect(edited)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(edited)
        elif isinstance(widget, OptionalDateEdit):
            widget.changed.connect(edited)

    def edited(self, name: str) -> None:
        if self._quiet:
            return
        self._touched.add(name)
        self.validate()

    def validate(self) -> bool:
        errors, warnings = self.check()
        self.show_problems(errors, warnings)
        self.save_button.setEnabled(not errors)
        return not errors

    def show_problems(self, errors: Mapping[str, str], warnings: Mapping[str, str]) -> None:
        untouched: list[str] = []
        for name, message in self.messages.items():
            error, warning = errors.get(name), warnings.get(name)
            if error and name in self._touched:
                message.show_message(sentence(error))
            elif warning:
                message.show_message(sentence(warning), error=False)
            else:
                message.show_message(None)
                if error:
                    untouched.append(self.labels[name])
            self.fields[name].setAccessibleDescription(message.text())
        general = [sentence(text) for name, text in errors.items() if name not in self.fields]
        self.summary.show_message("\n".join(general) or None)
        self.still_needed.setText(f"Still to fill in: {', '.join(untouched)}" if untouched else "")
        self.still_needed.setVisible(bool(untouched))

    def accept(self) -> None:
        if not self.validate():
            return
        try:
            self.save()
        except ProblemsRefusedError as refusal:
            self.touch_all()
            self.show_problems(refusal.problems, {})
            messages.show_refusal(self, self.action_name, refusal)
            return
        except ActionRefusedError as refusal:
            messages.show_refusal(self, self.action_name, refusal)
            return
        super().accept()
