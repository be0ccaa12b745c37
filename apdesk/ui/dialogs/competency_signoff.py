"""The sign-off and revocation dialogs of supervised practice.

Each shows exactly what will be recorded and by whom before OK is pressed, validates as the
mentor types (a red line under the field, OK disabled until it is right), and returns plain
values from ``ask``; the tab hands them to the services. Passing ``initial`` back in after a
refusal reopens the dialog with everything that was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.enums import CompetencyOutcome
from apdesk.services.choices import Choice
from apdesk.services.supervised_practice import (
    COMMON_SETTINGS,
    MAX_SETTING_LENGTH,
    MEANINGS,
    MIN_REASON_LENGTH,
    CompetencyView,
    StandingSignoff,
)

ERROR_STYLE = "color: #b00020;"
STATEMENT_STYLE = "background: #eef3fb; border: 1px solid #9fb6d8; padding: 8px;"


@dataclass(frozen=True)
class SignoffRequest:
    outcome: CompetencyOutcome
    observed_on: date
    setting: str
    evidence: str
    signer_id: int


@dataclass(frozen=True)
class RevocationRequest:
    reason: str
    signer_id: int


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


def _mentor_combo(mentors: Sequence[Choice], chosen: int | None) -> QComboBox:
    combo = QComboBox()
    combo.addItem("Choose the mentor who is signing…", None)
    for mentor in mentors:
        text = f"{mentor.label} ({mentor.detail})" if mentor.detail else mentor.label
        combo.addItem(text, mentor.id)
    index = combo.findData(chosen) if chosen is not None else -1
    combo.setCurrentIndex(max(index, 0))
    return combo


def _read_only(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CompetencySignoffDialog(QDialog):
    """Record what the mentor observed, against one competency of one trainee."""

    def __init__(
        self,
        *,
        trainee_name: str,
        competency: CompetencyView,
        mentors: Sequence[Choice],
        mentor_id: int | None,
        earliest: date,
        today: date,
        initial: SignoffRequest | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Sign off {competency.code} for {trainee_name}")
        self._earliest, self._today = earliest, today
        self.setup_ui(trainee_name, competency, mentors, mentor_id)
        if initial is not None:
            self._fill(initial)
        self._validate()

    def setup_ui(
        self,
        trainee_name: str,
        competency: CompetencyView,
        mentors: Sequence[Choice],
        mentor_id: int | None,
    ) -> None:
        self.competency_label = _read_only(
            f"<b>{escape(competency.code)} {escape(competency.title)}</b><br>"
            f"{escape(competency.description)}"
        )
        self.competency_label.setAccessibleName("Competency")
        trainee_label = _read_only(trainee_name)
        trainee_label.setTextFormat(Qt.TextFormat.PlainText)
        trainee_label.setAccessibleName("Trainee")

        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setDateRange(
            QDate(self._earliest.year, self._earliest.month, self._earliest.day),
            QDate(self._today.year, self._today.month, self._today.day),
        )
        self.date_edit.setDate(QDate(self._today.year, self._today.month, self._today.day))
        self.date_edit.setAccessibleName("Date observed")
        self.date_error = _error_label()

        self.setting_combo = QComboBox()
        self.setting_combo.setEditable(True)
        self.setting_combo.addItems(COMMON_SETTINGS)
        self.setting_combo.setCurrentIndex(-1)
        self.setting_combo.lineEdit().setPlaceholderText("Where was the practice observed?")
        self.setting_combo.lineEdit().setMaxLength(MAX_SETTING_LENGTH)
        self.setting_combo.setAccessibleName("Setting")

        self.competent_radio = QRadioButton("&Competent")
        self.not_yet_radio = QRadioButton("&Not yet competent")
        self.competent_radio.setChecked(True)
        self.outcome_group = QButtonGroup(self)
        self.outcome_group.addButton(self.competent_radio)
        self.outcome_group.addButton(self.not_yet_radio)
        outcome_box = QGroupBox("Outcome")
        outcome_layout = QHBoxLayout(outcome_box)
        outcome_layout.addWidget(self.competent_radio)
        outcome_layout.addWidget(self.not_yet_radio)
        outcome_layout.addStretch()

        self.evidence_edit = QPlainTextEdit()
        self.evidence_edit.setPlaceholderText(
            "What you observed, and what it shows (required for a competent sign-off)"
        )
        self.evidence_edit.setTabChangesFocus(True)
        self.evidence_edit.setAccessibleName("Evidence and notes")
        self.evidence_edit.setMinimumHeight(90)
        self.evidence_error = _error_label()

        self.mentor_combo = _mentor_combo(mentors, mentor_id)
        self.mentor_combo.setAccessibleName("Supervising mentor")
        self.mentor_error = _error_label()

        self.statement_label = QLabel()
        self.statement_label.setWordWrap(True)
        self.statement_label.setStyleSheet(STATEMENT_STYLE)
        self.statement_label.setAccessibleName("Statement to be recorded")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Sign off")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Trainee:", trainee_label)
        form.addRow("Competency:", self.competency_label)
        date_label = QLabel("Date &observed:")
        date_label.setBuddy(self.date_edit)
        form.addRow(date_label, self.date_edit)
        form.addRow("", self.date_error)
        setting_label = QLabel("Se&tting:")
        setting_label.setBuddy(self.setting_combo)
        form.addRow(setting_label, self.setting_combo)
        form.addRow(outcome_box)
        evidence_label = QLabel("&Evidence / notes:")
        evidence_label.setBuddy(self.evidence_edit)
        form.addRow(evidence_label, self.evidence_edit)
        form.addRow("", self.evidence_error)
        mentor_label = QLabel("Supervising &mentor:")
        mentor_label.setBuddy(self.mentor_combo)
        form.addRow(mentor_label, self.mentor_combo)
        form.addRow("", self.mentor_error)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.statement_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        self.setTabOrder(self.date_edit, self.setting_combo)
        self.setTabOrder(self.setting_combo, self.competent_radio)
        self.setTabOrder(self.competent_radio, self.evidence_edit)
        self.setTabOrder(self.evidence_edit, self.mentor_combo)
        self.setTabOrder(self.mentor_combo, self.buttons)

        self.date_edit.dateChanged.connect(self._validate)
        self.outcome_group.buttonToggled.connect(self._validate)
        self.evidence_edit.textChanged.connect(self._validate)
        self.mentor_combo.currentIndexChanged.connect(self._validate)
        self.date_edit.setFocus()

    def _fill(self, values: SignoffRequest) -> None:
        self.date_edit.setDate(
            QDate(values.observed_on.year, values.observed_on.month, values.observed_on.day)
        )
        self.setting_combo.setEditText(values.setting)
        competent = values.outcome is CompetencyOutcome.COMPETENT
        (self.competent_radio if competent else self.not_yet_radio).setChecked(True)
        self.evidence_edit.setPlainText(values.evidence)
        index = self.mentor_combo.findData(values.signer_id)
        self.mentor_combo.setCurrentIndex(max(index, 0))

    def outcome(self) -> CompetencyOutcome:
        if self.competent_radio.isChecked():
            return CompetencyOutcome.COMPETENT
        return CompetencyOutcome.NOT_YET_COMPETENT

    def _validate(self) -> None:
        observed = _to_date(self.date_edit.date())
        date_problem = ""
        if observed > self._today:
            date_problem = "The date observed cannot be in the future."
        elif observed < self._earliest:
            date_problem = f"The trainee started on {format_day(self._earliest)}."
        _show_error(self.date_error, date_problem)
        evidence_problem = ""
        if (
            self.outcome() is CompetencyOutcome.COMPETENT
            and not self.evidence_edit.toPlainText().strip()
        ):
            evidence_problem = "Describe what you observed: a competent sign-off needs evidence."
        _show_error(self.evidence_error, evidence_problem)
        mentor_id = self.mentor_combo.currentData()
        _show_error(
            self.mentor_error, "" if mentor_id is not None else "Choose the mentor who is signing."
        )
        signer = self.mentor_combo.currentText() if mentor_id is not None else "(no mentor chosen)"
        self.statement_label.setText(
            f"This statement will be recorded:<br><b>“{MEANINGS[self.outcome()]}”</b><br>"
            f"signed by {escape(signer)}, observed {format_day(observed)}. The record cannot "
            "be edited afterwards; a mistake is corrected by revoking it with a reason."
        )
        self.ok_button.setEnabled(not (date_problem or evidence_problem or mentor_id is None))

    def result_values(self) -> SignoffRequest:
        return SignoffRequest(
            outcome=self.outcome(),
            observed_on=_to_date(self.date_edit.date()),
            setting=self.setting_combo.currentText().strip(),
            evidence=self.evidence_edit.toPlainText().strip(),
            signer_id=int(self.mentor_combo.currentData()),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        trainee_name: str,
        competency: CompetencyView,
        mentors: Sequence[Choice],
        mentor_id: int | None,
        earliest: date,
        today: date,
        initial: SignoffRequest | None = None,
    ) -> SignoffRequest | None:
        dialog = cls(
            trainee_name=trainee_name,
            competency=competency,
            mentors=mentors,
            mentor_id=mentor_id,
            earliest=earliest,
            today=today,
            initial=initial,
            parent=parent,
        )
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.result_values()
            return None
        finally:
            dialog.deleteLater()


class RevokeSignoffDialog(QDialog):
    """Withdraw a standing sign-off, saying why; the original record stays as it was."""

    def __init__(
        self,
        *,
        trainee_name: str,
        competency: CompetencyView,
        signoff: StandingSignoff,
        mentors: Sequence[Choice],
        mentor_id: int | None,
        initial: RevocationRequest | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Revoke the sign-off of {competency.code} for {trainee_name}")
        self.setup_ui(trainee_name, competency, signoff, mentors, mentor_id)
        if initial is not None:
            self.reason_edit.setPlainText(initial.reason)
            self.mentor_combo.setCurrentIndex(max(self.mentor_combo.findData(initial.signer_id), 0))
        self._validate()

    def setup_ui(
        self,
        trainee_name: str,
        competency: CompetencyView,
        signoff: StandingSignoff,
        mentors: Sequence[Choice],
        mentor_id: int | None,
    ) -> None:
        registration = f" ({signoff.signer_registration})" if signoff.signer_registration else ""
        record = _read_only(
            f"<b>{escape(competency.code)} {escape(competency.title)}</b> for "
            f"{escape(trainee_name)}<br>“{MEANINGS[signoff.outcome]}”, observed "
            f"{format_day(signoff.observed_on)}, signed by "
            f"{escape(signoff.signer_name)}{escape(registration)}"
        )
        record.setAccessibleName("Sign-off to revoke")

        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(
            "Why this sign-off was wrong, e.g. recorded against the wrong apprentice"
        )
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setAccessibleName("Reason for revoking")
        self.reason_edit.setMinimumHeight(80)
        self.reason_error = _error_label()
        self.mentor_combo = _mentor_combo(mentors, mentor_id)
        self.mentor_combo.setAccessibleName("Mentor revoking")
        self.mentor_error = _error_label()
        note = QLabel(
            "The sign-off is not deleted: a revocation is added to the history with your "
            "reason, and the competency returns to its previous standing."
        )
        note.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Revoke")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Sign-off:", record)
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason_edit)
        form.addRow(reason_label, self.reason_edit)
        form.addRow("", self.reason_error)
        mentor_label = QLabel("Revoking &mentor:")
        mentor_label.setBuddy(self.mentor_combo)
        form.addRow(mentor_label, self.mentor_combo)
        form.addRow("", self.mentor_error)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

        self.reason_edit.textChanged.connect(self._validate)
        self.mentor_combo.currentIndexChanged.connect(self._validate)
        self.reason_edit.setFocus()

    def _validate(self) -> None:
        length = len(self.reason_edit.toPlainText().strip())
        reason_problem = (
            f"Give the reason in at least {MIN_REASON_LENGTH} characters ({length} so far)."
            if length < MIN_REASON_LENGTH
            else ""
        )
        _show_error(self.reason_error, reason_problem)
        mentor_id = self.mentor_combo.currentData()
        _show_error(
            self.mentor_error, "" if mentor_id is not None else "Choose the mentor revoking."
        )
        self.ok_button.setEnabled(not reason_problem and mentor_id is not None)

    def result_values(self) -> RevocationRequest:
        return RevocationRequest(
            reason=self.reason_edit.toPlainText().strip(),
            signer_id=int(self.mentor_combo.currentData()),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        trainee_name: str,
        competency: CompetencyView,
        signoff: StandingSignoff,
        mentors: Sequence[Choice],
        mentor_id: int | None,
        initial: RevocationRequest | None = None,
    ) -> RevocationRequest | None:
        dialog = cls(
            trainee_name=trainee_name,
            competency=competency,
            signoff=signoff,
            mentors=mentors,
            mentor_id=mentor_id,
            initial=initial,
            parent=parent,
        )
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.result_values()
            return None
        finally:
            dialog.deleteLater()
