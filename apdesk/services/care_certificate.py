"""The Care Certificate, criterion by criterion: what a trainee has signed off, signing off and
revoking criteria, and the cohort matrix an education lead reads.

Whoever reads a trainee's certificate must be allowed to see that trainee (an apprentice
their own, a mentor their assigned apprentices, staff everyone); only the assigned mentor
signs, signed in and re-entering their password, and never for their own record.

Two versions are in use (2015: 15 standards; March 2025: 16), so every view is built from the
trainee's own version. Sign-offs are append-only: a revocation is a new record pointing at the
one it withdraws, and ``apdesk.domain.signoffs.current_signoffs`` reads what stands today.
Views are assembled in a handful of bulk queries, never one per criterion or per trainee.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

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
from apdesk.domain.care_certificate import CareCertificateProgress, care_certificate_progress
from apdesk.domain.enums import EvidenceType, Role
from apdesk.domain.signoffs import SignoffRecord, current_signoffs
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.care_certificate_views import (
    NOT_APPLICABLE,
    CertificateView,
    CohortMatrix,
    CriterionView,
    HistoryEntry,
    MatrixCell,
    MatrixRow,
    OutcomeView,
    SignoffResult,
    SignoffView,
    StandardSummary,
    StandardView,
)
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.permissions import (
    STAFF_WHO_SEE_EVERYONE,
    PermissionDeniedError,
    require_can_sign_for,
    require_can_view,
    visible_trainees,
)
from apdesk.services.progress import CareCertificateStructure, care_certificate_structure
from apdesk.services.signatures import CRITERION_MEANING, mentor_signature
from apdesk.services.signoff_records import (
    CRITERION_SIGNOFFS,
    audit_snapshot,
    confirm_signer,
    latest_standing,
    revocation_columns,
    revoked_by,
)

SIGNING = "sign off Care Certificate criteria"  # what a refusal says a non-mentor cannot do
REVOKING = "revoke Care Certificate sign-offs"

# ---------------------------------------------------------------------------------------------
# Reading


def _viewable(session: Session, actor: Actor, trainee_id: int) -> Trainee:
    """The trainee, if they exist (in this tab's words) and the actor may see them."""
    trainee = CRITERION_SIGNOFFS.trainee(session, trainee_id)
    require_can_view(session, actor, trainee.id)
    return trainee


def care_certificate_overview(database: Database, actor: Actor, trainee_id: int) -> CertificateView:
    with database.read() as session:
        trainee = _viewable(session, actor, trainee_id)
        version = trainee.care_certificate_version
        structure = care_certificate_structure(session, [version.id]).get(version.id, [])
        query = _records_query().where(CriterionSignoff.trainee_id == trainee.id)
        progress = _progress(
            structure, current_signoffs(_records(session, query).get(trainee.id, []))
        )
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


def standard_detail(
    database: Database, actor: Actor, trainee_id: int, standard_number: int
) -> StandardView:
    with database.read() as session:
        trainee = _viewable(session, actor, trainee_id)
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
        progress = _progress([(standard.number, standard.title, criterion_ids)], standing)
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
            completed_on=progress.standards[0].completed_on,
        )


def criterion_history(
    database: Database, actor: Actor, trainee_id: int, criterion_id: int
) -> tuple[HistoryEntry, ...]:
    """Every record for one criterion of one trainee, oldest first."""
    with database.read() as session:
        _viewable(session, actor, trainee_id)
        signoffs = session.scalars(
            select(CriterionSignoff)
            .where(
                CriterionSignoff.trainee_id == trainee_id,
                CriterionSignoff.criterion_id == criterion_id,
            )
            .order_by(CriterionSignoff.id)
        ).all()
        standing_ids = {record.id for record in latest_standing(map(_record, signoffs)).values()}
        revokers = revoked_by(signoffs)
        return tuple(
            HistoryEntry(
                record=_signoff_view(s),
                revokes_id=s.revokes_id,
                revocation_reason=s.revocation_reason,
                revoked_by_id=revokers.get(s.id),
                standing=s.id in standing_ids,
            )
            for s in signoffs
        )


def cohort_matrix(database: Database, actor: Actor, cohort_id: int) -> CohortMatrix:
    """Trainees × standards for one cohort, whichever Care Certificate version each is on.

    A staff list: education leads and administrators see every row, a mentor only the rows of
    their own apprentices; an apprentice is refused (their own certificate is in the overview).
    """
    if actor.role is None:
        raise PermissionDeniedError("Sign in to see the cohort matrix.")
    if actor.role not in STAFF_WHO_SEE_EVERYONE and actor.role is not Role.MENTOR:
        raise PermissionDeniedError(
            f"{actor.name} cannot see the cohort matrix: it lists other apprentices' records."
        )
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
            .where(Trainee.cohort_id == cohort_id, visible_trainees(actor))
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
        structure = care_certificate_structure(session, version_ids)
        records = _records(
            session,
            _records_query()
            .join(Trainee, Trainee.id == CriterionSignoff.trainee_id)
            .where(Trainee.cohort_id == cohort_id, visible_trainees(actor)),
        )

    numbers = tuple(sorted({n for standards in structure.values() for n, _t, _c in standards}))
    titles: dict[int, list[str]] = defaultdict(list)
    for version_id in sorted(structure, key=lambda v: codes[v]):
        for number, title, _criteria in structure[version_id]:
            if title not in titles[number]:
                titles[number].append(title)
    rows = []
    for trainee_id, first, last, status, version_id in trainees:
        standing = current_signoffs(records.get(trainee_id, []))
        progress = _progress(structure.get(version_id, []), standing)
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
    password: str,
    evidence_type: EvidenceType | str,
    assessed_on: date,
    evidence: str,
    today: date | None = None,
) -> SignoffResult:
    """Record that the signed-in mentor assessed a criterion as met, signed with their
    password re-entered. Refused, with the reason, when a rule of the Care Certificate or of
    the sign-off record says it cannot stand."""
    today = today or date.today()
    evidence = evidence.strip()
    try:
        kind = EvidenceType(evidence_type)
    except ValueError:
        raise ActionRefusedError(f"'{evidence_type}' is not a kind of evidence") from None
    confirm_signer(database, actor, password, SIGNING)
    with database.write() as session:
        trainee = CRITERION_SIGNOFFS.trainee(session, trainee_id)
        require_can_sign_for(session, actor, trainee.id)
        criterion, standard = _criterion(session, criterion_id)
        version = trainee.care_certificate_version
        CRITERION_SIGNOFFS.refuse_if_closed(trainee)
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
        CRITERION_SIGNOFFS.check_date(assessed_on, today=today, trainee=trainee)
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
        signature = mentor_signature(session, actor)
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
    password: str,
    reason: str,
    today: date | None = None,
) -> SignoffResult:
    """Withdraw a sign-off by recording a revocation that points at it, with the reason,
    signed like a sign-off: by the assigned mentor, password re-entered."""
    reason = reason.strip()
    CRITERION_SIGNOFFS.check_reason(reason)
    confirm_signer(database, actor, password, REVOKING)
    with database.write() as session:
        signoff = CRITERION_SIGNOFFS.record(session, CriterionSignoff, signoff_id)
        trainee = CRITERION_SIGNOFFS.trainee(session, signoff.trainee_id)
        require_can_sign_for(session, actor, trainee.id)
        criterion, standard = _criterion(session, signoff.criterion_id)
        CRITERION_SIGNOFFS.check_revocable(
            session, signoff, code=criterion.code, signed_on=format_day(signoff.assessed_on)
        )
        signature = mentor_signature(session, actor)
        revocation = CriterionSignoff(
            trainee_id=trainee.id,
            criterion_id=criterion.id,
            evidence_type=None,
            assessed_on=today or date.today(),  # a revocation is dated the day it is made
            evidence="",
            **revocation_columns(signature, signoff, reason),
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


def _progress(
    structure: CareCertificateStructure, standing: Mapping[int, SignoffRecord]
) -> CareCertificateProgress:
    """Progress against ``structure`` given the standing sign-off of each criterion."""
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
    structure = care_certificate_structure(session, [standard.version_id])[standard.version_id]
    [entry] = [entry for entry in structure if entry[0] == standard.number]
    progress = _progress([entry], _standing(session, trainee_id, entry[2]))
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


_AUDITED = (
    "evidence_type", "assessed_on", "evidence", "signer_name", "signer_registration",
    "meaning", "revokes_id", "revocation_reason",
)  # fmt: skip


def _snapshot(signoff: CriterionSignoff, code: str) -> dict[str, object]:
    """The record as the audit log keeps it, named by its criterion's code."""
    return {"criterion": code, **audit_snapshot(signoff, _AUDITED)}
