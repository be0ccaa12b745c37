"""What the Care Certificate services return: plain frozen values, never ORM objects.

A trainee's certificate by standard, one standard's outcomes and criteria, a criterion's
append-only history, the result of a sign-off or revocation, and the cohort matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from apdesk.domain.calendar import format_day
from apdesk.domain.care_certificate import StandardProgress
from apdesk.domain.enums import EvidenceType, TraineeStatus

EVIDENCE_LABELS = {
    EvidenceType.OBSERVED_IN_PRACTICE: "Observed in practice",
    EvidenceType.KNOWLEDGE: "Knowledge evidence",
}


@dataclass(frozen=True)
class StandardSummary:
    """One standard of a trainee's certificate: how many criteria are signed off."""

    number: int
    title: str
    signed: int
    total: int
    completed_on: date | None

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.signed == self.total

    @classmethod
    def from_progress(cls, progress: StandardProgress) -> StandardSummary:
        return cls(
            progress.number, progress.title, progress.signed, progress.total, progress.completed_on
        )


@dataclass(frozen=True)
class CertificateView:
    trainee_id: int
    trainee_name: str
    trainee_status: TraineeStatus
    start_date: date
    mentor_id: int | None  # the assigned mentor: the only one who may sign
    version_code: str  # "2015" or "2025"
    version_title: str
    standards: tuple[StandardSummary, ...]
    completed_on: date | None  # when the last standard completed, if all have

    @property
    def complete(self) -> bool:
        return bool(self.standards) and all(s.complete for s in self.standards)

    @property
    def version_label(self) -> str:
        return f"{self.version_code} version, {len(self.standards)} standards"

    @property
    def standards_complete(self) -> int:
        return sum(1 for s in self.standards if s.complete)

    @property
    def signed(self) -> int:
        return sum(s.signed for s in self.standards)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.standards)

    def describe(self) -> str:
        if self.complete and self.completed_on:
            return f"Care Certificate complete on {format_day(self.completed_on)}"
        return (
            f"{self.standards_complete} of {len(self.standards)} standards complete, "
            f"{self.signed} of {self.total} criteria signed off"
        )


@dataclass(frozen=True)
class SignoffView:
    """A sign-off record as signed: the signer's details were copied at the time."""

    signoff_id: int
    assessed_on: date
    evidence_type: EvidenceType | None  # None on a revocation record
    evidence: str
    signer_name: str
    signer_role: str
    signer_registration: str | None
    meaning: str
    signed_at: datetime

    @property
    def signer(self) -> str:
        if self.signer_registration:
            return f"{self.signer_name} ({self.signer_registration})"
        return self.signer_name

    @property
    def evidence_label(self) -> str:
        return EVIDENCE_LABELS[self.evidence_type] if self.evidence_type else ""


@dataclass(frozen=True)
class CriterionView:
    criterion_id: int
    code: str
    text: str
    requires_observation: bool
    current: SignoffView | None  # the standing sign-off, if the criterion is signed off
    has_revoked: bool  # an earlier sign-off was withdrawn

    @property
    def signed(self) -> bool:
        return self.current is not None


@dataclass(frozen=True)
class OutcomeView:
    code: str
    title: str
    criteria: tuple[CriterionView, ...]

    @property
    def signed(self) -> int:
        return sum(1 for c in self.criteria if c.signed)


@dataclass(frozen=True)
class StandardView:
    trainee_id: int
    trainee_name: str
    version_code: str
    number: int
    title: str
    outcomes: tuple[OutcomeView, ...]
    completed_on: date | None

    @property
    def criteria(self) -> tuple[CriterionView, ...]:
        return tuple(c for outcome in self.outcomes for c in outcome.criteria)

    @property
    def signed(self) -> int:
        return sum(1 for c in self.criteria if c.signed)

    @property
    def total(self) -> int:
        return len(self.criteria)


@dataclass(frozen=True)
class HistoryEntry:
    """One record in a criterion's append-only history."""

    record: SignoffView
    revokes_id: int | None  # set on a revocation: the sign-off it withdraws
    revocation_reason: str | None
    revoked_by_id: int | None  # set on a sign-off that a later record revoked
    standing: bool  # this sign-off is the one that counts today

    @property
    def is_revocation(self) -> bool:
        return self.revokes_id is not None

    @property
    def state(self) -> str:
        if self.is_revocation:
            return f"Revokes #{self.revokes_id}"
        if self.revoked_by_id is not None:
            return "Revoked"
        return "Current" if self.standing else "Superseded"


@dataclass(frozen=True)
class SignoffResult:
    """What a sign-off or revocation changed, for the window to say and show."""

    record_id: int
    criterion_code: str
    standard: StandardSummary  # the standard after the change
    message: str


@dataclass(frozen=True)
class MatrixCell:
    signed: int
    total: int
    completed_on: date | None
    applicable: bool  # False: the standard is not in this trainee's version

    @property
    def complete(self) -> bool:
        return self.applicable and self.total > 0 and self.signed == self.total

    @property
    def text(self) -> str:
        return f"{self.signed}/{self.total}" if self.applicable else "n/a"


NOT_APPLICABLE = MatrixCell(0, 0, None, applicable=False)


@dataclass(frozen=True)
class MatrixRow:
    trainee_id: int
    name: str
    status: TraineeStatus
    version_code: str
    cells: tuple[MatrixCell, ...]  # one per column of the matrix, standard 1 first
    completed_on: date | None  # the certificate, when every standard is complete

    @property
    def standards_total(self) -> int:
        return sum(1 for cell in self.cells if cell.applicable)

    @property
    def standards_complete(self) -> int:
        return sum(1 for cell in self.cells if cell.complete)


@dataclass(frozen=True)
class CohortMatrix:
    cohort_id: int
    cohort_name: str
    standard_numbers: tuple[int, ...]  # the columns: 1 … the largest version's last standard
    standard_titles: tuple[str, ...]  # per column; "2015 title / 2025 title" where they differ
    rows: tuple[MatrixRow, ...]

    @property
    def certificates_complete(self) -> int:
        return sum(1 for row in self.rows if row.completed_on is not None)
