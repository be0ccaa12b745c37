"""The Care Certificate, criterion by criterion: what a trainee has signed off, signing off and
revoking criteria, and the cohort matrix an education lead reads.

Two versions are in use (2015: 15 standards; March 2025: 16), so every view is built from the
trainee's own version. Sign-offs are append-only: a revocation is a new record pointing at the
one it withdraws, and ``apdesk.domain.signoffs.current_signoffs`` reads what stands today.
Views are assembled in a handful of bulk queries, never one per criterion or per trainee.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import (
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    CareCertificateVersion,
    Cohort,
    CriterionSignoff,
    Trainee,
)
from apdesk.domain.calendar import format_day
from apdesk.domain.care_certificate import (
    CareCertificateProgress,
    StandardProgress,
    care_certificate_progress,
)
from apdesk.domain.enums import EvidenceType, TraineeStatus
from apdesk.domain.signoffs import SignoffRecord, current_signoffs
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.signatures import CRITERION_MEANING, REVOCATION_MEANING, mentor_signature

MINIMUM_REASON_LENGTH = 10
EVIDENCE_LABELS = {
    EvidenceType.OBSERVED_IN_PRACTICE: "Observed in practice",
    EvidenceType.KNOWLEDGE: "Knowledge evidence",
}


# ---------------------------------------------------------------------------------------------
# What the services return


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
    mentor_id: int | None  # the assigned mentor, offered first as the signer
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


# ---------------------------------------------------------------------------------------------
# Reading


def care_certificate_overview(database: Database, trainee_id: int) -> CertificateView:
    with database.read() as session:
        trainee = _trainee(session, trainee_id)
        version = trainee.care_certificate_version
        structure = _structure(session, [version.id]).get(version.id, [])
        query = _records_query().where(CriterionSignoff.trainee_id == trainee.id)
        progress = _progress(structure, _records(session, query).get(trainee.id, []))
        return CertificateView(
            trainee_id=trainee.id,
            trainee_name=trainee.full_name,
            trainee_status=trainee.status,
            start_date=trainee.start_date,
            mentor_id=trainee.mentor_id,
            version_code=version.code,
            version_title=version.title,
            standards=tuple(StandardSummary.from_progress(s) for s in progress.standards),
            completed_on=progress.completed_on,
        )


def standard_detail(database: Database, trainee_id: int, standard_number: int) -> StandardView:
    with database.read() as session:
        trainee = _trainee(session, trainee_id)
        standard = session.scalars(
            select(CareCertificateStandard).where(
                CareCertificateStandard.version_id == trainee.care_certificate_version_id,
                CareCertificateStandard.number == standard_number,
            )
        ).one_or_none()
        if standard is None:
            raise RecordNotFoundError(
                f"The {trainee.care_certificate_version.code} Care Certificate has no "
                f"standard {standard_number}"
            )
        rows = session.execute(
            select(CareCertificateOutcome, CareCertificateCriterion)
            .join(
                CareCertificateCriterion,
                CareCertificateCriterion.outcome_id == CareCertificateOutcome.id,
            )
            .where(CareCertificateOutcome.standard_id == standard.id)
            .order_by(CareCertificateOutcome.position, CareCertificateCriterion.position)
        ).all()
        criterion_ids = [criterion.id for _outcome, criterion in rows]
        signoffs = session.scalars(
            select(CriterionSignoff).where(
                CriterionSignoff.trainee_id == trainee.id,
                CriterionSignoff.criterion_id.in_(criterion_ids),
            )
        ).all()
        standing = current_signoffs(_record(s) for s in signoffs)
        by_id = {s.id: s for s in signoffs}
        revoked_criteria = {
            by_id[s.revokes_id].criterion_id
            for s in signoffs
            if s.revokes_id is not None and s.revokes_id in by_id
        }
        outcomes: dict[int, tuple[CareCertificateOutcome, list[CriterionView]]] = {}
        for outcome, criterion in rows:
            record = standing.get(criterion.id)
            outcomes.setdefault(outcome.id, (outcome, []))[1].append(
                CriterionView(
                    criterion_id=criterion.id,
                    code=criterion.code,
                    text=criterion.text,
                    requires_observation=criterion.requires_observation,
                    current=_signoff_view(by_id[record.id]) if record else None,
                    has_revoked=criterion.id in revoked_criteria,
                )
            )
        progress = care_certificate_progress(
            [(standard.number, standard.title, criterion_ids)],
            {item: record.signed_on for item, record in standing.items()},
        ).standards[0]
        return StandardView(
            trainee_id=trainee.id,
            trainee_name=trainee.full_name,
            version_code=trainee.care_certificate_version.code,
            number=standard.number,
            title=standard.title,
            outcomes=tuple(
                OutcomeView(outcome.code, outcome.title, tuple(criteria))
                for outcome, criteria in outcomes.values()
            ),
            completed_on=progress.completed_on,
        )


def criterion_history(
    database: Database, trainee_id: int, criterion_id: int
) -> tuple[HistoryEntry, ...]:
    """Every record for one criterion of one trainee, oldest first."""
    with database.read() as session:
        signoffs = session.scalars(
            select(CriterionSignoff)
            .where(
                CriterionSignoff.trainee_id == trainee_id,
                CriterionSignoff.criterion_id == criterion_id,
            )
            .order_by(CriterionSignoff.id)
        ).all()
        standing = current_signoffs(_record(s) for s in signoffs)
        revoked_by = {s.revokes_id: s.id for s in signoffs if s.revokes_id is not None}
        standing_ids = {record.id for record in standing.values()}
        return tuple(
            HistoryEntry(
                record=_signoff_view(s),
                revokes_id=s.revokes_id,
                revocation_reason=s.revocation_reason,
                revoked_by_id=revoked_by.get(s.id),
                standing=s.id in standing_ids,
            )
            for s in signoffs
        )


def cohort_matrix(database: Database, cohort_id: int) -> CohortMatrix:
    """Trainees × standards for one cohort, whichever Care Certificate version each is on."""
    with database.read() as session:
        cohort = session.get(Cohort, cohort_id)
        if cohort is None:
            raise RecordNotFoundError("That cohort no longer exists")
        trainees = session.execute(
            select(
                Trainee.id,
                Trainee.first_name,
                Trainee.last_name,
                Trainee.status,
                Trainee.care_certificate_version_id,
            )
            .where(Trainee.cohort_id == cohort_id)
            .order_by(Trainee.last_name, Trainee.first_name, Trainee.id)
        ).all()
        version_ids = {row.care_certificate_version_id for row in trainees}
        codes = dict(
            session.execute(
                select(CareCertificateVersion.id, CareCertificateVersion.code).where(
                    CareCertificateVersion.id.in_(version_ids)
                )
            ).all()
        )
        structure = _structure(session, version_ids)
        records = _records(
            session,
            _records_query()
            .join(Trainee, Trainee.id == CriterionSignoff.trainee_id)
            .where(Trainee.cohort_id == cohort_id),
        )

    numbers = tuple(sorted({n for standards in structure.values() for n, _t, _c in standards}))
    titles: dict[int, list[str]] = defaultdict(list)
    for version_id in sorted(structure, key=lambda v: codes[v]):
        for number, title, _criteria in structure[version_id]:
            if title not in titles[number]:
                titles[number].append(title)
    rows = []
    for trainee_id, first, last, status, version_id in trainees:
        progress = _progress(structure.get(version_id, []), records.get(trainee_id, []))
        by_number = {s.number: s for s in progress.standards}
        rows.append(
            MatrixRow(
                trainee_id=trainee_id,
                name=f"{first} {last}",
                status=status,
                version_code=codes[version_id],
                cells=tuple(
                    MatrixCell(s.signed, s.total, s.completed_on, applicable=True)
                    if (s := by_number.get(number))
                    else NOT_APPLICABLE
                    for number in numbers
                ),
                completed_on=progress.completed_on,
            )
        )
    return CohortMatrix(
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        standard_numbers=numbers,
        standard_titles=tuple(" / ".join(titles[n]) for n in numbers),
        rows=tuple(rows),
    )


# ---------------------------------------------------------------------------------------------
# Changing


def sign_off_criterion(
    database: Database,
    actor: Actor,
    *,
    trainee_id: int,
    criterion_id: int,
    signer_id: int,
    evidence_type: EvidenceType | str,
    assessed_on: date,
    evidence: str,
    today: date | None = None,
) -> SignoffResult:
    """Record that a mentor assessed a criterion as met. Refused, with the reason, when a rule
    of the Care Certificate or of the sign-off record says it cannot stand."""
    today = today or date.today()
    evidence = evidence.strip()
    try:
        kind = EvidenceType(evidence_type)
    except ValueError:
        raise ActionRefusedError(f"'{evidence_type}' is not a kind of evidence") from None
    with database.write() as session:
        trainee = _trainee(session, trainee_id)
        criterion, standard = _criterion(session, criterion_id)
        version = trainee.care_certificate_version
        if trainee.status is TraineeStatus.WITHDRAWN:
            raise ActionRefusedError(
                f"{trainee.full_name} has withdrawn from the programme; nothing more can be "
                "signed off"
            )
        if standard.version_id != version.id:
            raise ActionRefusedError(
                f"{criterion.code} belongs to the {standard.version.code} Care Certificate; "
                f"{trainee.full_name} is on the {version.code} version"
            )
        if kind is EvidenceType.KNOWLEDGE and criterion.requires_observation:
            raise ActionRefusedError(
                f"{criterion.code} must be observed in practice; knowledge evidence cannot "
                "sign it off"
            )
        if assessed_on > today:
            raise ActionRefusedError(
                f"The assessment date {format_day(assessed_on)} is in the future"
            )
        if assessed_on < trainee.start_date:
            raise ActionRefusedError(
                f"The assessment date {format_day(assessed_on)} is before {trainee.full_name} "
                f"started on {format_day(trainee.start_date)}"
            )
        if not evidence:
            raise ActionRefusedError("Describe the evidence the criterion was assessed on")
        existing = _standing(session, trainee.id, [criterion.id]).get(criterion.id)
        if existing is not None:
            earlier = session.get(CriterionSignoff, existing.id)
            assert earlier is not None
            raise ActionRefusedError(
                f"{criterion.code} is already signed off by {earlier.signer_name} on "
                f"{format_day(earlier.assessed_on)}; revoke that sign-off first"
            )
        signature = mentor_signature(session, signer_id)
        signoff = CriterionSignoff(
            trainee_id=trainee.id,
            criterion_id=criterion.id,
            evidence_type=kind,
            assessed_on=assessed_on,
            evidence=evidence,
            **signature.columns(CRITERION_MEANING),
        )
        session.add(signoff)
        session.flush()
        record_change(
            session,
            actor,
            action="sign_off",
            entity="criterion_signoff",
            entity_id=signoff.id,
            trainee_id=trainee.id,
            summary=f"Signed off Care Certificate {criterion.code} for {trainee.full_name} "
            f"({signature.signer_name})",
            after=_snapshot(signoff, criterion.code),
        )
        summary = _standard_summary(session, trainee.id, standard)
        message = f"{criterion.code} signed off for {trainee.full_name}."
        if summary.complete and summary.completed_on:
            message += (
                f" Standard {standard.number} is complete on {format_day(summary.completed_on)}."
            )
        return SignoffResult(signoff.id, criterion.code, summary, message)


def revoke_criterion_signoff(
    database: Database,
    actor: Actor,
    *,
    signoff_id: int,
    signer_id: int,
    reason: str,
    today: date | None = None,
) -> SignoffResult:
    """Withdraw a sign-off by recording a revocation that points at it, with the reason."""
    reason = reason.strip()
    if len(reason) < MINIMUM_REASON_LENGTH:
        raise ActionRefusedError(
            f"Give a reason of at least {MINIMUM_REASON_LENGTH} characters for the revocation"
        )
    with database.write() as session:
        signoff = session.get(CriterionSignoff, signoff_id)
        if signoff is None:
            raise RecordNotFoundError("That sign-off no longer exists")
        trainee = _trainee(session, signoff.trainee_id)
        criterion, standard = _criterion(session, signoff.criterion_id)
        if signoff.revokes_id is not None:
            raise ActionRefusedError("A revocation cannot itself be revoked; sign off again")
        already = session.scalar(
            select(CriterionSignoff.id).where(CriterionSignoff.revokes_id == signoff.id)
        )
        if already is not None:
            raise ActionRefusedError(
                f"The sign-off of {criterion.code} on {format_day(signoff.assessed_on)} "
                "is already revoked"
            )
        signature = mentor_signature(session, signer_id)
        revocation = CriterionSignoff(
            trainee_id=trainee.id,
            criterion_id=criterion.id,
            revokes_id=signoff.id,
            evidence_type=None,
            assessed_on=today or date.today(),
            evidence="",
            revocation_reason=reason,
            **signature.columns(REVOCATION_MEANING),
        )
        session.add(revocation)
        session.flush()
        record_change(
            session,
            actor,
            action="revoke",
            entity="criterion_signoff",
            entity_id=revocation.id,
            trainee_id=trainee.id,
            summary=f"Revoked the sign-off of Care Certificate {criterion.code} for "
            f"{trainee.full_name}: {reason}",
            before=_snapshot(signoff, criterion.code),
            after=_snapshot(revocation, criterion.code),
        )
        summary = _standard_summary(session, trainee.id, standard)
        message = f"The sign-off of {criterion.code} for {trainee.full_name} is revoked."
        return SignoffResult(revocation.id, criterion.code, summary, message)


# ---------------------------------------------------------------------------------------------
# Helpers: bulk queries and conversions

_RECORD_COLUMNS = (
    CriterionSignoff.trainee_id,
    CriterionSignoff.id,
    CriterionSignoff.criterion_id,
    CriterionSignoff.assessed_on,
    CriterionSignoff.revokes_id,
)
Structure = list[tuple[int, str, list[int]]]  # (standard number, title, criterion ids)


def _trainee(session: Session, trainee_id: int) -> Trainee:
    trainee = session.get(Trainee, trainee_id)
    if trainee is None:
        raise RecordNotFoundError("That trainee no longer exists")
    return trainee


def _criterion(
    session: Session, criterion_id: int
) -> tuple[CareCertificateCriterion, CareCertificateStandard]:
    row = session.execute(
        select(CareCertificateCriterion, CareCertificateStandard)
        .join(
            CareCertificateOutcome, CareCertificateOutcome.id == CareCertificateCriterion.outcome_id
        )
        .join(
            CareCertificateStandard,
            CareCertificateStandard.id == CareCertificateOutcome.standard_id,
        )
        .where(CareCertificateCriterion.id == criterion_id)
    ).one_or_none()
    if row is None:
        raise RecordNotFoundError("That Care Certificate criterion no longer exists")
    return row[0], row[1]


def _structure(session: Session, version_ids: Iterable[int]) -> dict[int, Structure]:
    """Per version: its standards in order, each with its criterion ids, in one query."""
    standards: dict[int, dict[int, tuple[int, str, list[int]]]] = defaultdict(dict)
    for version_id, standard_id, number, title, criterion_id in session.execute(
        select(
            CareCertificateStandard.version_id,
            CareCertificateStandard.id,
            CareCertificateStandard.number,
            CareCertificateStandard.title,
            CareCertificateCriterion.id,
        )
        .outerjoin(
            CareCertificateOutcome, CareCertificateOutcome.standard_id == CareCertificateStandard.id
        )
        .outerjoin(
            CareCertificateCriterion,
            CareCertificateCriterion.outcome_id == CareCertificateOutcome.id,
        )
        .where(CareCertificateStandard.version_id.in_(list(version_ids)))
        .order_by(
            CareCertificateStandard.number,
            CareCertificateOutcome.position,
            CareCertificateCriterion.position,
        )
    ):
        entry = standards[version_id].setdefault(standard_id, (number, title, []))
        if criterion_id is not None:  # a standard with no criteria on file is never complete
            entry[2].append(criterion_id)
    return {version: list(by_id.values()) for version, by_id in standards.items()}


def _records_query() -> Select:
    return select(*_RECORD_COLUMNS)


def _records(session: Session, query: Select) -> dict[int, list[SignoffRecord]]:
    """Criterion sign-off records per trainee, as the domain's SignoffRecord."""
    grouped: dict[int, list[SignoffRecord]] = defaultdict(list)
    for trainee_id, record_id, criterion_id, assessed_on, revokes_id in session.execute(query):
        grouped[trainee_id].append(
            SignoffRecord(record_id, criterion_id, assessed_on, True, revokes_id)
        )
    return grouped


def _progress(structure: Structure, records: Iterable[SignoffRecord]) -> CareCertificateProgress:
    standing = current_signoffs(records)
    return care_certificate_progress(
        structure, {item: record.signed_on for item, record in standing.items()}
    )


def _standing(
    session: Session, trainee_id: int, criterion_ids: Sequence[int]
) -> dict[int, SignoffRecord]:
    query = _records_query().where(
        CriterionSignoff.trainee_id == trainee_id,
        CriterionSignoff.criterion_id.in_(criterion_ids),
    )
    return current_signoffs(_records(session, query).get(trainee_id, []))


def _standard_summary(
    session: Session, trainee_id: int, standard: CareCertificateStandard
) -> StandardSummary:
    criterion_ids = list(
        session.scalars(
            select(CareCertificateCriterion.id)
            .join(
                CareCertificateOutcome,
                CareCertificateOutcome.id == CareCertificateCriterion.outcome_id,
            )
            .where(CareCertificateOutcome.standard_id == standard.id)
        )
    )
    standing = _standing(session, trainee_id, criterion_ids)
    progress = care_certificate_progress(
        [(standard.number, standard.title, criterion_ids)],
        {item: record.signed_on for item, record in standing.items()},
    )
    return StandardSummary.from_progress(progress.standards[0])


def _record(signoff: CriterionSignoff) -> SignoffRecord:
    return SignoffRecord(
        id=signoff.id,
        item_id=signoff.criterion_id,
        signed_on=signoff.assessed_on,
        positive=True,  # a criterion is met or not yet signed: there is no negative record
        revokes_id=signoff.revokes_id,
    )


def _signoff_view(signoff: CriterionSignoff) -> SignoffView:
    return SignoffView(
        signoff_id=signoff.id,
        assessed_on=signoff.assessed_on,
        evidence_type=signoff.evidence_type,
        evidence=signoff.evidence,
        signer_name=signoff.signer_name,
        signer_role=signoff.signer_role,
        signer_registration=signoff.signer_registration,
        meaning=signoff.meaning,
        signed_at=signoff.signed_at,
    )


def _snapshot(signoff: CriterionSignoff, code: str) -> dict[str, object]:
    return {
        "criterion": code,
        "evidence_type": signoff.evidence_type,
        "assessed_on": signoff.assessed_on,
        "evidence": signoff.evidence,
        "signer_name": signoff.signer_name,
        "signer_registration": signoff.signer_registration,
        "meaning": signoff.meaning,
        "revokes_id": signoff.revokes_id,
        "revocation_reason": signoff.revocation_reason,
    }
