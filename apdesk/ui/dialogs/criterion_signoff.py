"""Dialogs that sign off a Care Certificate criterion or revoke a sign-off.

Both say what the signature will record, and whose it is (the signed-in mentor, who
re-enters their password), before it is given, validate as the mentor types (OK stays
disabled until the entry is complete), and can be reopened with what was typed when the
service refuses, so nothing is lost. Tests replace the ``ask`` classmethods. What all
signing dialogs share is in :mod:`apdesk.ui.dialogs.signing`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.enums import EvidenceType
from apdesk.services.care_certificate_views import EVIDENCE_LABELS, CriterionView, SignoffView
from apdesk.services.signatures import CRITERION_MEANING, SignerDetails
from apdesk.ui.dialogs.signing import (
    RevokeDialog,
    SignerField,
    SigningDialog,
    StatementLabel,
    day_field,
    field_and_message,
    text_box,
)
from apdesk.ui.widgets.validated_fields import FieldMessage, to_qdate


@dataclass(frozen=True)
class CriterionSignoffRequest:
    evidence_type: EvidenceType
    assessed_on: date
    evidence: str
    password: str = field(repr=False)  # the signer's, re-entered: never logged


@dataclass(frozen=True)
class RevocationRequest:
    reason: str
    password: str = field(repr=False)


def _read_only_text(text: str, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setReadOnly(True)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setMaximumHeight(box.fontMetrics().lineSpacing() * 4 + 12)
    return box


class CriterionSignoffDialog(SigningDialog):
    """Sign off one criterion: how it was evidenced, when and on what evidence, signed by the
    signed-in mentor with their password."""

    quiet_until_typed = True

    def __init__(
        self,
        criterion: CriterionView,
        *,
        trainee_name: str,
        start_date: date,
        signer: SignerDetails,
        initial: CriterionSignoffRequest | None = None,
        refusal: str | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.criterion = criterion
        self.trainee_name = trainee_name
        self.start_date = start_date
        self.today = today or date.today()
        self.setup_ui(signer, refusal)
        if initial is not None:
            self._fill(initial)
        if refusal:  # the password was refused: everything else stands, try it again
            self._touched = True
            self.signer.setFocus()
        self.validate()

    def setup_ui(self, signer: SignerDetails, refusal: str | None) -> None:
        self.setWindowTitle(f"Sign off {self.criterion.code}")
        self.setMinimumWidth(560)
        heading = QLabel(f"Sign off a Care Certificate criterion for <b>{self.trainee_name}</b>")
        self.criterion_text = _read_only_text(
            f"{self.criterion.code}  {self.criterion.text}", "Criterion"
        )

        self.observed_radio = QRadioButton(f"&{EVIDENCE_LABELS[EvidenceType.OBSERVED_IN_PRACTICE]}")
        self.knowledge_radio = QRadioButton(f"&{EVIDENCE_LABELS[EvidenceType.KNOWLEDGE]}")
        self.evidence_group = QButtonGroup(self)
        for radio in (self.observed_radio, self.knowledge_radio):
            radio.setAccessibleName(radio.text().replace("&", ""))
            self.evidence_group.addButton(radio)
        self.observation_note = QLabel()
        self.observation_note.setWordWrap(True)
        if self.criterion.requires_observation:
            self.observed_radio.setChecked(True)
            self.knowledge_radio.setEnabled(False)
            self.knowledge_radio.setToolTip("This criterion must be observed in practice")
            self.observation_note.setText(
                f"{self.criterion.code} must be observed in workplace practice, so knowledge "
                "evidence cannot sign it off."
            )
        else:
            self.observation_note.hide()
        evidence_box = QWidget()
        evidence_layout = QVBoxLayout(evidence_box)
        evidence_layout.setContentsMargins(0, 0, 0, 0)
        self.type_error = FieldMessage()
        for widget in (
            self.observed_radio,
            self.knowledge_radio,
            self.observation_note,
            self.type_error,
        ):
            evidence_layout.addWidget(widget)

        self.date_edit = day_field(self.start_date, self.today, "Assessed on")
        self.date_error = FieldMessage()

        self.evidence_edit = text_box(
            "What was observed or checked, e.g. 'Observed handwashing before and after care "
            "on Ward 4' or 'Workbook section 3 answers checked'",
            "Evidence",
            lines=4,
        )
        self.evidence_error = FieldMessage()

        self.signer = SignerField(signer, refusal=refusal)
        self.password_edit, self.password_error = self.signer.password_edit, self.signer.message
        self.meaning_label = StatementLabel("What the signature means")
        self.meaning_label.setTextFormat(Qt.TextFormat.PlainText)  # names as typed

        form = QFormLayout()
        form.addRow("Criterion:", self.criterion_text)
        form.addRow("Evidence type:", evidence_box)
        assessed_label = QLabel("&Assessed on:")
        assessed_label.setBuddy(self.date_edit)
        form.addRow(assessed_label, field_and_message(self.date_edit, self.date_error))
        evidence_label = QLabel("E&vidence:")
        evidence_label.setBuddy(self.evidence_edit)
        form.addRow(evidence_label, field_and_message(self.evidence_edit, self.evidence_error))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.signer)
        layout.addWidget(self.meaning_label)
        layout.addWidget(self.add_buttons("&Sign off"))

        self.evidence_group.buttonToggled.connect(self.validate)
        self.date_edit.dateChanged.connect(self.validate)
        self.evidence_edit.textChanged.connect(self.touch)
        self.signer.changed.connect(self.touch)
        self.setTabOrder(self.observed_radio, self.knowledge_radio)
        self.setTabOrder(self.knowledge_radio, self.date_edit)
        self.setTabOrder(self.date_edit, self.evidence_edit)
        self.setTabOrder(self.evidence_edit, self.password_edit)
        self.setTabOrder(self.password_edit, self.buttons)
        # With the evidence type fixed, the first thing to do is describe the evidence.
        first = self.evidence_edit if self.criterion.requires_observation else self.observed_radio
        first.setFocus()

    def _fill(self, initial: CriterionSignoffRequest) -> None:
        radio = (
            self.knowledge_radio
            if initial.evidence_type is EvidenceType.KNOWLEDGE and self.knowledge_radio.isEnabled()
            else self.observed_radio
        )
        radio.setChecked(True)
        self.date_edit.setDate(to_qdate(initial.assessed_on))
        self.evidence_edit.setPlainText(initial.evidence)

    def evidence_type(self) -> EvidenceType | None:
        if self.observed_radio.isChecked():
            return EvidenceType.OBSERVED_IN_PRACTICE
        if self.knowledge_radio.isChecked():
            return EvidenceType.KNOWLEDGE
        return None

    def request(self) -> CriterionSignoffRequest | None:
        """What was entered, or None while something is missing."""
        kind = self.evidence_type()
        password = self.signer.password()
        evidence = self.evidence_edit.toPlainText().strip()
        if kind is None or not password or not evidence or self._date_problem():
            return None
        return CriterionSignoffRequest(kind, self.date_edit.date().toPython(), evidence, password)

    answer = request  # what ask() returns on OK

    def is_complete(self) -> bool:
        return self.request() is not None

    def _date_problem(self) -> str:
        if self.start_date > self.today:
            return (
                f"{self.trainee_name} starts on {format_day(self.start_date)}; nothing can be "
                "assessed before then"
            )
        return ""

    def validate(self) -> None:
        shown = self.shows_empty_problems()
        self.date_error.show_message(self._date_problem() or None)
        kind = self.evidence_type()
        self.type_error.show_message(
            "Choose how the criterion was evidenced" if shown and not kind else None
        )
        evidence = self.evidence_edit.toPlainText().strip()
        missing = "Describe the evidence the criterion was assessed on"
        self.evidence_error.show_message(missing if shown and not evidence else None)
        self.signer.validate(show_empty=shown)
        how = f" ({EVIDENCE_LABELS[kind].lower()})" if kind else ""
        self.meaning_label.setText(
            f"By signing, {self.signer.signer.name} states: “{CRITERION_MEANING}”{how}. "
            f"The signature is recorded as {self.signer.signer.printed}, with the date and "
            "time you sign, and cannot be edited, only revoked."
        )
        self.ok_button.setEnabled(self.is_complete())


class RevokeSignoffDialog(RevokeDialog):
    """Withdraw a sign-off: a new record with a reason, signed by the signed-in mentor."""

    quiet_until_typed = True
    ok_text = "Re&voke sign-off"
    reason_placeholder = (
        "Why the sign-off cannot stand, e.g. 'Recorded against the wrong apprentice'"
    )
    reason_problem = "Give a reason of at least {minimum} characters ({length} so far)"

    def __init__(
        self,
        criterion: CriterionView,
        signoff: SignoffView,
        *,
        trainee_name: str,
        signer: SignerDetails,
        initial: RevocationRequest | None = None,
        refusal: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        details = _read_only_text(
            f"{criterion.code}  {criterion.text}\n"
            f"{signoff.evidence_label}, assessed {format_day(signoff.assessed_on)}, signed by "
            f"{signoff.signer}\nEvidence: {signoff.evidence}",
            "Sign-off being revoked",
        )
        super().__init__(
            title=f"Revoke the sign-off of {criterion.code}",
            heading=(
                f"Revoke the sign-off of {criterion.code} for <b>{trainee_name}</b>. "
                "The sign-off stays on record, marked as revoked, with your reason."
            ),
            record=details,
            signer=signer,
            reason=initial.reason if initial else "",
            refusal=refusal,
            parent=parent,
        )
        self.criterion = criterion
        self.signoff = signoff
        self.trainee_name = trainee_name
        self.meaning_label = self.statement_label  # as the sign-off dialog names it

    def consequence(self) -> str:
        return "The criterion goes back to not signed off until it is assessed again."

    def request(self) -> RevocationRequest | None:
        if not self.is_complete():
            return None
        return RevocationRequest(self.reason(), self.password())

    answer = request  # what ask() returns on OK
