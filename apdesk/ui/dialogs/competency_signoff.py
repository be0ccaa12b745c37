"""The sign-off and revocation dialogs of supervised practice.

Each shows exactly what will be recorded and by whom (the signed-in mentor, whose password
it asks for) before OK is pressed, validates as the mentor types (a red line under the
field, OK disabled until it is right), and returns plain values from ``ask``; the tab hands
them to the services, which check the password. Passing ``initial`` back in after a
refusal reopens the dialog with everything that was typed. What all signing dialogs share
is in :mod:`apdesk.ui.dialogs.signing`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.enums import CompetencyOutcome
from apdesk.services.signatures import SignerDetails
from apdesk.services.supervised_practice import (
    COMMON_SETTINGS,
    MAX_SETTING_LENGTH,
    MEANINGS,
    CompetencyView,
    StandingSignoff,
)
from apdesk.ui.dialogs.signing import (
    RevokeDialog,
    SignerField,
    SigningDialog,
    StatementLabel,
    day_field,
    field_and_message,
    text_box,
)
from apdesk.ui.widgets.validated_fields import FieldMessage, from_qdate, to_qdate


@dataclass(frozen=True)
class SignoffRequest:
    outcome: CompetencyOutcome
    observed_on: date
    setting: str
    evidence: str
    password: str = field(repr=False)  # the signer's, re-entered: never logged


@dataclass(frozen=True)
class RevocationRequest:
    reason: str
    password: str = field(repr=False)


def _read_only(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CompetencySignoffDialog(SigningDialog):
    """Record what the mentor observed, against one competency of one trainee."""

    def __init__(
        self,
        *,
        trainee_name: str,
        competency: CompetencyView,
        signer: SignerDetails,
        earliest: date,
        today: date,
        initial: SignoffRequest | None = None,
        refusal: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Sign off {competency.code} for {trainee_name}")
        self._earliest, self._today = earliest, today
        self.setup_ui(trainee_name, competency, signer, refusal)
        if initial is not None:
            self._fill(initial)
        if refusal:  # the password was refused: everything else stands, try it again
            self.signer.setFocus()
        self.validate()

    def setup_ui(
        self,
        trainee_name: str,
        competency: CompetencyView,
        signer: SignerDetails,
        refusal: str | None,
    ) -> None:
        self.competency_label = _read_only(
            f"<b>{escape(competency.code)} {escape(competency.title)}</b><br>"
            f"{escape(competency.description)}"
        )
        self.competency_label.setAccessibleName("Competency")
        trainee_label = _read_only(trainee_name)
        trainee_label.setTextFormat(Qt.TextFormat.PlainText)
        trainee_label.setAccessibleName("Trainee")

        self.date_edit = day_field(self._earliest, self._today, "Date observed")
        self.date_error = FieldMessage()

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

        self.evidence_edit = text_box(
            "What you observed, and what it shows (required for a competent sign-off)",
            "Evidence and notes",
            lines=5,
            grows=True,
        )
        self.evidence_error = FieldMessage()

        self.signer = SignerField(signer, refusal=refusal)
        self.password_edit, self.password_error = self.signer.password_edit, self.signer.message
        self.statement_label = StatementLabel("Statement to be recorded")

        form = QFormLayout()
        form.addRow("Trainee:", trainee_label)
        form.addRow("Competency:", self.competency_label)
        date_label = QLabel("Date &observed:")
        date_label.setBuddy(self.date_edit)
        form.addRow(date_label, field_and_message(self.date_edit, self.date_error))
        setting_label = QLabel("Se&tting:")
        setting_label.setBuddy(self.setting_combo)
        form.addRow(setting_label, self.setting_combo)
        form.addRow(outcome_box)
        evidence_label = QLabel("&Evidence / notes:")
        evidence_label.setBuddy(self.evidence_edit)
        form.addRow(evidence_label, field_and_message(self.evidence_edit, self.evidence_error))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.signer)
        layout.addWidget(self.statement_label)
        layout.addWidget(self.add_buttons("&Sign off"))
        self.setMinimumWidth(560)

        self.setTabOrder(self.date_edit, self.setting_combo)
        self.setTabOrder(self.setting_combo, self.competent_radio)
        self.setTabOrder(self.competent_radio, self.evidence_edit)
        self.setTabOrder(self.evidence_edit, self.password_edit)
        self.setTabOrder(self.password_edit, self.buttons)

        self.date_edit.dateChanged.connect(self.validate)
        self.outcome_group.buttonToggled.connect(self.validate)
        self.evidence_edit.textChanged.connect(self.validate)
        self.signer.changed.connect(self.validate)
        self.date_edit.setFocus()

    def _fill(self, values: SignoffRequest) -> None:
        self.date_edit.setDate(to_qdate(values.observed_on))
        self.setting_combo.setEditText(values.setting)
        competent = values.outcome is CompetencyOutcome.COMPETENT
        (self.competent_radio if competent else self.not_yet_radio).setChecked(True)
        self.evidence_edit.setPlainText(values.evidence)
        # Never the password: after a refusal it is typed again.

    def outcome(self) -> CompetencyOutcome:
        if self.competent_radio.isChecked():
            return CompetencyOutcome.COMPETENT
        return CompetencyOutcome.NOT_YET_COMPETENT

    def _date_problem(self) -> str:
        observed = from_qdate(self.date_edit.date())
        if observed > self._today:
            return "The date observed cannot be in the future."
        if observed < self._earliest:
            return f"The trainee started on {format_day(self._earliest)}."
        return ""

    def _evidence_problem(self) -> str:
        if (
            self.outcome() is CompetencyOutcome.COMPETENT
            and not self.evidence_edit.toPlainText().strip()
        ):
            return "Describe what you observed: a competent sign-off needs evidence."
        return ""

    def is_complete(self) -> bool:
        return not (self._date_problem() or self._evidence_problem() or not self.signer.password())

    def validate(self) -> None:
        self.date_error.show_message(self._date_problem() or None)
        self.evidence_error.show_message(self._evidence_problem() or None)
        self.signer.validate()
        observed = from_qdate(self.date_edit.date())
        self.statement_label.setText(
            f"This statement will be recorded:<br><b>“{MEANINGS[self.outcome()]}”</b><br>"
            f"signed by {escape(self.signer.signer.printed)}, observed {format_day(observed)}, "
            "with the date and time you sign. The record cannot be edited afterwards; a "
            "mistake is corrected by revoking it with a reason."
        )
        self.ok_button.setEnabled(self.is_complete())

    def result_values(self) -> SignoffRequest:
        return SignoffRequest(
            outcome=self.outcome(),
            observed_on=from_qdate(self.date_edit.date()),
            setting=self.setting_combo.currentText().strip(),
            evidence=self.evidence_edit.toPlainText().strip(),
            password=self.signer.password(),
        )

    answer = result_values  # what ask() returns on OK


class RevokeSignoffDialog(RevokeDialog):
    """Withdraw a standing sign-off, saying why; the original record stays as it was."""

    statement_name = "What revoking does"
    reason_placeholder = "Why this sign-off was wrong, e.g. recorded against the wrong apprentice"

    def __init__(
        self,
        *,
        trainee_name: str,
        competency: CompetencyView,
        signoff: StandingSignoff,
        signer: SignerDetails,
        initial: RevocationRequest | None = None,
        refusal: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        registration = f" ({signoff.signer_registration})" if signoff.signer_registration else ""
        record = _read_only(
            f"<b>{escape(competency.code)} {escape(competency.title)}</b> for "
            f"{escape(trainee_name)}<br>“{MEANINGS[signoff.outcome]}”, observed "
            f"{format_day(signoff.observed_on)}, signed by "
            f"{escape(signoff.signer_name)}{escape(registration)}"
        )
        record.setAccessibleName("Sign-off to revoke")
        super().__init__(
            title=f"Revoke the sign-off of {competency.code} for {trainee_name}",
            record=record,
            signer=signer,
            reason=initial.reason if initial else "",
            refusal=refusal,
            parent=parent,
        )

    def consequence(self) -> str:
        return (
            "The sign-off is not deleted: the revocation is added to the history, and the "
            "competency returns to its previous standing."
        )

    def result_values(self) -> RevocationRequest:
        return RevocationRequest(reason=self.reason(), password=self.password())

    answer = result_values  # what ask() returns on OK
