"""Dialogs that sign off a Care Certificate criterion or revoke a sign-off.

Both say what the signature means before it is given, validate as the mentor types (OK stays
disabled until the entry is complete), and can be reopened with what was typed when the
service refuses, so nothing is lost. Tests replace the ``ask`` classmethods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.enums import EvidenceType
from apdesk.services.care_certificate import (
    EVIDENCE_LABELS,
    MINIMUM_REASON_LENGTH,
    CriterionView,
    SignoffView,
)
from apdesk.services.choices import Choice
from apdesk.services.signatures import CRITERION_MEANING, REVOCATION_MEANING

ERROR_STYLE = "color: #b00020;"
DATE_FORMAT = "d MMM yyyy"  # as format_day writes it: 25 Nov 2026


@dataclass(frozen=True)
class CriterionSignoffRequest:
    signer_id: int
    evidence_type: EvidenceType
    assessed_on: date
    evidence: str


@dataclass(frozen=True)
class RevocationRequest:
    signer_id: int
    reason: str


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _show_error(label: QLabel, message: str, visible: bool) -> None:
    label.setText(message)
    label.setVisible(bool(message) and visible)


def _with_error(field: QWidget, error: QLabel) -> QWidget:
    """A field with its message directly beneath, so a hidden message leaves no gap."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(error)
    layout.addStretch(1)  # any spare height goes below the message, not between
    return box


def _mentor_combo(mentors: Sequence[Choice], signer_id: int | None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName("Mentor signing")
    for mentor in mentors:
        label = f"{mentor.label} ({mentor.detail})" if mentor.detail else mentor.label
        combo.addItem(label, mentor.id)
    combo.setCurrentIndex(combo.findData(signer_id) if signer_id is not None else -1)
    combo.setPlaceholderText("Choose the mentor who assessed it")
    return combo


def _read_only_text(text: str, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setReadOnly(True)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setMaximumHeight(box.fontMetrics().lineSpacing() * 4 + 12)
    return box


def _meaning_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName("What the signature means")
    label.setStyleSheet("padding: 6px; background: #f1f4f8; border: 1px solid #c9d3df;")
    return label


class CriterionSignoffDialog(QDialog):
    """Sign off one criterion: how it was evidenced, when, on what evidence, and by whom."""

    def __init__(
        self,
        criterion: CriterionView,
        *,
        trainee_name: str,
        start_date: date,
        mentors: Sequence[Choice],
        signer_id: int | None = None,
        initial: CriterionSignoffRequest | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.criterion = criterion
        self.trainee_name = trainee_name
        self.start_date = start_date
        self.today = today or date.today()
        self.mentors = mentors
        self._touched = False  # errors about empty fields wait until the mentor has typed
        self.setup_ui(signer_id if initial is None else initial.signer_id)
        if initial is not None:
            self._fill(initial)
        self._validate()

    def setup_ui(self, signer_id: int | None) -> None:
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
        self.type_error = _error_label()
        for widget in (
            self.observed_radio,
            self.knowledge_radio,
            self.observation_note,
            self.type_error,
        ):
            evidence_layout.addWidget(widget)

        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName("Assessed on")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(DATE_FORMAT)
        start, today = _qdate(self.start_date), _qdate(self.today)
        if start <= today:
            self.date_edit.setDateRange(start, today)
        self.date_edit.setDate(today)
        self.date_error = _error_label()

        self.evidence_edit = QPlainTextEdit()
        self.evidence_edit.setAccessibleName("Evidence")
        self.evidence_edit.setTabChangesFocus(True)
        self.evidence_edit.setPlaceholderText(
            "What was observed or checked, e.g. 'Observed handwashing before and after care "
            "on Ward 4' or 'Workbook section 3 answers checked'"
        )
        self.evidence_edit.setMaximumHeight(self.evidence_edit.fontMetrics().lineSpacing() * 5)
        self.evidence_error = _error_label()

        self.mentor_combo = _mentor_combo(self.mentors, signer_id)
        self.mentor_error = _error_label()
        self.meaning_label = _meaning_label()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Sign off")
        self.ok_button.setToolTip("Sign off (Ctrl+Return)")
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._accept_if_valid)

        form = QFormLayout()
        form.addRow("Criterion:", self.criterion_text)
        form.addRow("Evidence type:", evidence_box)
        assessed_label = QLabel("&Assessed on:")
        assessed_label.setBuddy(self.date_edit)
        form.addRow(assessed_label, _with_error(self.date_edit, self.date_error))
        evidence_label = QLabel("E&vidence:")
        evidence_label.setBuddy(self.evidence_edit)
        form.addRow(evidence_label, _with_error(self.evidence_edit, self.evidence_error))
        mentor_label = QLabel("&Mentor signing:")
        mentor_label.setBuddy(self.mentor_combo)
        form.addRow(mentor_label, _with_error(self.mentor_combo, self.mentor_error))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.meaning_label)
        layout.addWidget(self.buttons)

        self.evidence_group.buttonToggled.connect(self._validate)
        self.date_edit.dateChanged.connect(self._validate)
        self.evidence_edit.textChanged.connect(self._touch)
        self.mentor_combo.currentIndexChanged.connect(self._validate)
        self.setTabOrder(self.observed_radio, self.knowledge_radio)
        self.setTabOrder(self.knowledge_radio, self.date_edit)
        self.setTabOrder(self.date_edit, self.evidence_edit)
        self.setTabOrder(self.evidence_edit, self.mentor_combo)
        self.setTabOrder(self.mentor_combo, self.buttons)
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
        self.date_edit.setDate(_qdate(initial.assessed_on))
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
        signer = self.mentor_combo.currentData()
        evidence = self.evidence_edit.toPlainText().strip()
        if kind is None or signer is None or not evidence or self._date_problem():
            return None
        return CriterionSignoffRequest(
            int(signer), kind, self.date_edit.date().toPython(), evidence
        )

    def _date_problem(self) -> str:
        if self.start_date > self.today:
            return (
                f"{self.trainee_name} starts on {format_day(self.start_date)}; nothing can be "
                "assessed before then"
            )
        return ""

    def _touch(self) -> None:
        self._touched = True
        self._validate()

    def _validate(self) -> None:
        _show_error(self.date_error, self._date_problem(), True)
        _show_error(
            self.type_error,
            "" if self.evidence_type() else "Choose how the criterion was evidenced",
            self._touched,
        )
        evidence = self.evidence_edit.toPlainText().strip()
        _show_error(
            self.evidence_error,
            "" if evidence else "Describe the evidence the criterion was assessed on",
            self._touched,
        )
        _show_error(
            self.mentor_error,
            "" if self.mentors else "There are no active mentors to sign; add one first",
            True,
        )
        signer = self.mentor_combo.currentText().split(" (")[0] or "The mentor"
        kind = self.evidence_type()
        how = f" ({EVIDENCE_LABELS[kind].lower()})" if kind else ""
        self.meaning_label.setText(
            f"By signing, {signer} states: “{CRITERION_MEANING}”{how}. The signature is "
            "recorded with their name and registration and cannot be edited, only revoked."
        )
        self.ok_button.setEnabled(self.request() is not None)

    def _accept_if_valid(self) -> None:
        if self.request() is not None:
            self.accept()
        else:
            self._touched = True
            self._validate()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        criterion: CriterionView,
        *,
        trainee_name: str,
        start_date: date,
        mentors: Sequence[Choice],
        signer_id: int | None = None,
        initial: CriterionSignoffRequest | None = None,
    ) -> CriterionSignoffRequest | None:
        dialog = cls(
            criterion,
            trainee_name=trainee_name,
            start_date=start_date,
            mentors=mentors,
            signer_id=signer_id,
            initial=initial,
            parent=parent,
        )
        try:
            return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class RevokeSignoffDialog(QDialog):
    """Withdraw a sign-off: a new record with a reason, signed by a mentor."""

    def __init__(
        self,
        criterion: CriterionView,
        signoff: SignoffView,
        *,
        trainee_name: str,
        mentors: Sequence[Choice],
        signer_id: int | None = None,
        initial: RevocationRequest | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.criterion = criterion
        self.signoff = signoff
        self.trainee_name = trainee_name
        self.mentors = mentors
        self._touched = False
        self.setup_ui(signer_id if initial is None else initial.signer_id)
        if initial is not None:
            self.reason_edit.setPlainText(initial.reason)
        self._validate()

    def setup_ui(self, signer_id: int | None) -> None:
        self.setWindowTitle(f"Revoke the sign-off of {self.criterion.code}")
        self.setMinimumWidth(560)
        heading = QLabel(
            f"Revoke the sign-off of {self.criterion.code} for <b>{self.trainee_name}</b>. "
            "The sign-off stays on record, marked as revoked, with your reason."
        )
        heading.setWordWrap(True)
        s = self.signoff
        details = _read_only_text(
            f"{self.criterion.code}  {self.criterion.text}\n"
            f"{s.evidence_label}, assessed {format_day(s.assessed_on)}, signed by "
            f"{s.signer}\nEvidence: {s.evidence}",
            "Sign-off being revoked",
        )
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setAccessibleName("Reason for revoking")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(
            "Why the sign-off cannot stand, e.g. 'Recorded against the wrong apprentice'"
        )
        self.reason_edit.setMaximumHeight(self.reason_edit.fontMetrics().lineSpacing() * 5)
        self.reason_error = _error_label()
        self.mentor_combo = _mentor_combo(self.mentors, signer_id)
        self.meaning_label = _meaning_label()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Re&voke sign-off")
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._accept_if_valid)

        form = QFormLayout()
        form.addRow("Sign-off:", details)
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason_edit)
        form.addRow(reason_label, _with_error(self.reason_edit, self.reason_error))
        mentor_label = QLabel("&Mentor revoking:")
        mentor_label.setBuddy(self.mentor_combo)
        form.addRow(mentor_label, self.mentor_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.meaning_label)
        layout.addWidget(self.buttons)

        self.reason_edit.textChanged.connect(self._touch)
        self.mentor_combo.currentIndexChanged.connect(self._validate)
        self.setTabOrder(self.reason_edit, self.mentor_combo)
        self.setTabOrder(self.mentor_combo, self.buttons)
        self.reason_edit.setFocus()

    def request(self) -> RevocationRequest | None:
        reason = self.reason_edit.toPlainText().strip()
        signer = self.mentor_combo.currentData()
        if signer is None or len(reason) < MINIMUM_REASON_LENGTH:
            return None
        return RevocationRequest(int(signer), reason)

    def _touch(self) -> None:
        self._touched = True
        self._validate()

    def _validate(self) -> None:
        length = len(self.reason_edit.toPlainText().strip())
        _show_error(
            self.reason_error,
            ""
            if length >= MINIMUM_REASON_LENGTH
            else f"Give a reason of at least {MINIMUM_REASON_LENGTH} characters ({length} so far)",
            self._touched,
        )
        signer = self.mentor_combo.currentText().split(" (")[0] or "The mentor"
        self.meaning_label.setText(
            f"By signing, {signer} states: “{REVOCATION_MEANING}”. The criterion goes back to "
            "not signed off until it is assessed again."
        )
        self.ok_button.setEnabled(self.request() is not None)

    def _accept_if_valid(self) -> None:
        if self.request() is not None:
            self.accept()
        else:
            self._touched = True
            self._validate()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        criterion: CriterionView,
        signoff: SignoffView,
        *,
        trainee_name: str,
        mentors: Sequence[Choice],
        signer_id: int | None = None,
        initial: RevocationRequest | None = None,
    ) -> RevocationRequest | None:
        dialog = cls(
            criterion,
            signoff,
            trainee_name=trainee_name,
            mentors=mentors,
            signer_id=signer_id,
            initial=initial,
            parent=parent,
        )
        try:
            return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
