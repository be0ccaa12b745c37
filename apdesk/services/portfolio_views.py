"""What an evidence portfolio holds: plain frozen values, never ORM objects.

``Portfolio`` is everything the PDF prints for one apprentice. Its *records* (details,
register counts, sign-offs, reviews, band decisions) are what the verification digest
covers; its *assessment* (OTJ to date, readiness, the gateway checklist) is worked out on
the export date and printed beside them, so a portfolio re-checked next month still matches
while nothing recorded has changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from apdesk.domain.checks import Check


@dataclass(frozen=True)
class Signature:
    """The signature manifestation: who signed, in what capacity, when, and what it means."""

    name: str
    role: str
    registration: str | None
    signed_at: datetime  # UTC
    meaning: str


@dataclass(frozen=True)
class SignoffLine:
    """One record of a sign-off history, as signed: a sign-off or a revocation of one."""

    record_id: int
    assessed_on: date
    outcome: str  # "Competent", "Not yet competent", "Signed off"; "Revocation" on a revocation
    evidence_kind: str  # setting (supervised practice) or evidence type (Care Certificate)
    evidence: str
    signature: Signature
    revokes_id: int | None  # set on a revocation: the record it withdraws
    revocation_reason: str | None
    revoked_by_id: int | None  # set on a sign-off a later record withdrew

    @property
    def is_revocation(self) -> bool:
        return self.revokes_id is not None

    @property
    def state(self) -> str:
        if self.is_revocation:
            return f"Revokes record {self.revokes_id}"
        if self.revoked_by_id is not None:
            return f"Revoked by record {self.revoked_by_id}"
        return "Standing"


@dataclass(frozen=True)
class ApprenticeDetails:
    name: str
    uln: str | None
    employee_number: str
    email: str | None
    employer: str
    sector: str
    ics_area: str
    region: str
    service_area: str
    care_pathway: str | None
    cohort: str
    mentor: str | None
    status: str
    start_date: date
    planned_end_date: date
    contracted_hours_per_week: Decimal
    programme: str  # e.g. "ST0215 v1.1 Healthcare assistant practitioner (Level 5)"
    competency_framework: str
    care_certificate_version: str
    maths: str  # e.g. "Achieved"
    maths_evidence_on: date | None
    english: str
    english_evidence_on: date | None
    foundation_degree_credits: int
    foundation_degree_awarded_on: date | None
    employer_confirmed_gateway_on: date | None


@dataclass(frozen=True)
class BreakLine:
    break_id: int
    start_date: date
    end_date: date | None
    reason: str


@dataclass(frozen=True)
class ModuleLine:
    """One day-release module's register for this apprentice."""

    module: str
    sessions_marked: int
    attended: int
    late: int
    absent: int  # every kind of absence
    annual_leave: int
    percentage: Decimal | None  # None when nothing could count


@dataclass(frozen=True)
class OtjPoint:
    """Cumulative OTJ hours at a month end: what the plan expected and what was counted."""

    on: date
    expected: Decimal
    actual: Decimal


@dataclass(frozen=True)
class OtjSummary:
    required: Decimal | None
    expected_to_date: Decimal | None
    actual: Decimal | None
    sentence: str  # the rule's own reason, or why there is no plan
    explanation: tuple[str, ...]
    warnings: tuple[str, ...]
    exclusions: tuple[str, ...]
    points: tuple[OtjPoint, ...]
    logged_entries: int  # OTJ log entries (besides the register), for the record
    logged_hours: Decimal


@dataclass(frozen=True)
class AttendanceSection:
    summary: str  # e.g. "Attended 18 of 20 sessions (90.0%), 2 late"
    percentage: Decimal | None
    modules: tuple[ModuleLine, ...]
    otj: OtjSummary


@dataclass(frozen=True)
class CriterionEntry:
    code: str
    text: str
    requires_observation: bool
    status: str  # "Signed off" or "Not signed off"
    records: tuple[SignoffLine, ...]  # the whole history, oldest first


@dataclass(frozen=True)
class OutcomeEntry:
    code: str
    title: str
    criteria: tuple[CriterionEntry, ...]


@dataclass(frozen=True)
class StandardEntry:
    number: int
    title: str
    signed: int
    total: int
    completed_on: date | None
    outcomes: tuple[OutcomeEntry, ...]


@dataclass(frozen=True)
class CareCertificateSection:
    version: str  # e.g. "The Care Certificate (2025)"
    summary: str
    complete: bool
    standards: tuple[StandardEntry, ...]


@dataclass(frozen=True)
class ReviewLine:
    review_id: int
    due_date: date
    held_on: date | None
    state: str  # e.g. "Due 1 Sep 2026, held 4 Sep 2026"
    otj_hours_at_review: Decimal | None
    apprentice_comments: str
    employer_comments: str
    provider_comments: str
    apprentice_signed_at: datetime | None
    employer_signatory: str | None
    employer_signed_at: datetime | None
    provider_signatory: str | None
    provider_signed_at: datetime | None


@dataclass(frozen=True)
class CompetencyEntry:
    code: str
    title: str
    ksb_codes: tuple[str, ...]
    status: str  # "Competent", "Not yet competent", "Not yet assessed"
    records: tuple[SignoffLine, ...]  # the whole history, oldest first


@dataclass(frozen=True)
class CompetencyGroupEntry:
    code: str
    title: str
    competencies: tuple[CompetencyEntry, ...]

    @property
    def signed(self) -> int:
        return sum(1 for c in self.competencies if c.status == "Competent")


@dataclass(frozen=True)
class SupervisedPracticeSection:
    framework: str
    summary: str  # e.g. "31 of 40 competencies signed off"
    groups: tuple[CompetencyGroupEntry, ...]


@dataclass(frozen=True)
class KsbLine:
    """One KSB of the standard and the competencies that evidence it."""

    code: str
    kind: str  # "Knowledge", "Skill", "Behaviour"
    text: str
    competencies: tuple[str, ...]  # codes of the competencies mapped to it
    signed: tuple[str, ...]  # those signed off competent

    @property
    def covered(self) -> bool:
        return bool(self.signed)


@dataclass(frozen=True)
class BandLine:
    record_id: int
    band: str
    previous_band: str | None
    effective_from: date
    decided_by: str
    reason: str
    recorded_at: datetime  # UTC
    overridden: tuple[str, ...]  # reasons of unmet checks the decision overrode


@dataclass(frozen=True)
class BandSection:
    current_band: str | None
    next_band_checks: tuple[Check, ...]
    next_band_summary: str
    history: tuple[BandLine, ...]


@dataclass(frozen=True)
class Portfolio:
    trainee_id: int
    as_of: date  # the export date: every assessment is worked out on it
    exported_at: datetime  # UTC
    exported_by: str
    apprentice: ApprenticeDetails
    breaks: tuple[BreakLine, ...]
    attendance: AttendanceSection
    care_certificate: CareCertificateSection
    reviews: tuple[ReviewLine, ...]
    supervised_practice: SupervisedPracticeSection
    ksb_coverage: tuple[KsbLine, ...]
    bands: BandSection
    gateway: tuple[Check, ...]
    risks: tuple[str, ...]
    audit_head: str | None  # hash of the newest audit entry when exported
