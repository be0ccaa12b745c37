"""Add a day-release session to a cohort's timetable: the date, the module and its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.services.attendance import (
    MAX_SESSION_HOURS,
    MIN_SESSION_HOURS,
    WEEKDAYS,
    SessionDefaults,
)

ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #8a5300;"


@dataclass(frozen=True)
class NewSession:
    session_date: date
    module: str
    hours: Decimal


class NewSessionDialog(QDialog):
    def __init__(
        self,
        defaults: SessionDefaults,
        draft: NewSession | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.defaults = defaults
        self.setWindowTitle(f"New session for {defaults.cohort_name}")
        self.setup_ui()
        start = draft or NewSession(
            defaults.suggested_date,
            defaults.modules[0] if defaults.modules else "",
            defaults.hours,
        )
        day = start.session_date
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.module_combo.setCurrentText(start.module)
        self.hours_spin.setValue(float(start.hours))
        self._validate()

    @classmethod
    def ask(
        cls, parent: QWidget | None, defaults: SessionDefaults, draft: NewSession | None = None
    ) -> NewSession | None:
        """Show the dialog; the session described, or None when cancelled."""
        dialog = cls(defaults, draft, parent)
        try:
            return dialog.result_value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def setup_ui(self) -> None:
        self.date_edit = QDateEdit(calendarPopup=True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName("Session date")
        self.date_edit.dateChanged.connect(self._validate)
        self.weekday_note = QLabel(wordWrap=True)
        self.weekday_note.setStyleSheet(NOTE_STYLE)

        self.module_combo = QComboBox(editable=True)
        self.module_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.module_combo.setMinimumContentsLength(36)
        self.module_combo.setAccessibleName("Module")
        self.module_combo.addItems(list(self.defaults.modules))
        self.module_combo.lineEdit().setPlaceholderText("The module taught")
        self.module_combo.lineEdit().setMaxLength(160)
        self.module_combo.currentTextChanged.connect(self._validate)
        self.module_error = QLabel(wordWrap=True)
        self.module_error.setStyleSheet(ERROR_STYLE)

        self.hours_spin = QDoubleSpinBox(suffix=" h", decimals=2, singleStep=0.5)
        self.hours_spin.setRange(float(MIN_SESSION_HOURS), float(MAX_SESSION_HOURS))
        self.hours_spin.setAccessibleName("Hours")

        form = QFormLayout()
        form.addRow("&Date:", self.date_edit)
        form.addRow("", self.weekday_note)
        form.addRow("&Module:", self.module_combo)
        form.addRow("", self.module_error)
        form.addRow("&Hours:", self.hours_spin)
        for field in (self.date_edit, self.module_combo, self.hours_spin):
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(field)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Add session")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"{self.defaults.cohort_name} has day release on {self.defaults.weekday_name}s.")
        )
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.date_edit, self.module_combo)
        self.setTabOrder(self.module_combo, self.hours_spin)

    def result_value(self) -> NewSession:
        return NewSession(
            session_date=self.date_edit.date().toPython(),
            module=" ".join(self.module_combo.currentText().split()),
            hours=Decimal(str(round(self.hours_spin.value(), 2))),
        )

    def _validate(self) -> None:
        value = self.result_value()
        weekday = value.session_date.weekday()
        self.weekday_note.setText(
            ""
            if weekday == self.defaults.day_release_weekday
            else f"{format_day(value.session_date)} is a {WEEKDAYS[weekday]}, not the "
            f"cohort's day-release day ({self.defaults.weekday_name}). That is allowed."
        )
        self.weekday_note.setVisible(bool(self.weekday_note.text()))
        error = ""
        if not value.module:
            error = "Enter the module taught in this session."
        elif (value.session_date, value.module.casefold()) in self.defaults.existing:
            error = (
                f"{self.defaults.cohort_name} already has a session of {value.module} on "
                f"{format_day(value.session_date)}."
            )
        self.module_error.setText(error)
        self.module_error.setVisible(bool(error))
        self.ok_button.setEnabled(not error)
