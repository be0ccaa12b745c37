"""Trainees whose band readiness a test controls: records that meet the Band 3 checklist."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import (
    AttendanceMark,
    BandChange,
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    CriterionSignoff,
    DayReleaseSession,
    Trainee,
)
from apdesk.domain.enums import AttendanceStatus, EvidenceType
from tests.helpers.builders import SmallProgramme


def add_band(
    database: Database, trainee_id: int, band: str, effective_from: date, reason: str = "Entry"
) -> None:
    """A band history row written straight in, as an import or an older record would be."""
    with database.write() as session:
        session.add(
            BandChange(
                trainee_id=trainee_id,
                band=band,
                effective_from=effective_from,
                decided_by_name="Earlier lead",
                reason=reason,
            )
        )


def complete_care_certificate(
    database: Database, programme: SmallProgramme, trainee_id: int, on: date
) -> None:
    """Every criterion of the trainee's Care Certificate version signed off on ``on``."""
    with database.write() as session:
        trainee = session.get(Trainee, trainee_id)
        assert trainee is not None
        criteria = session.scalars(
            select(CareCertificateCriterion.id)
            .join(CareCertificateOutcome)
            .join(CareCertificateStandard)
            .where(CareCertificateStandard.version_id == trainee.care_certificate_version_id)
        ).all()
        session.add_all(
            CriterionSignoff(
                trainee_id=trainee_id,
                criterion_id=criterion_id,
                evidence_type=EvidenceType.KNOWLEDGE,
                assessed_on=on,
                evidence="Workbook checked",
                signer_id=programme.mentor_id,
                signer_name="Maria Mentor",
                signer_role="Mentor",
                meaning="Assessed against the Care Certificate criterion and met",
            )
            for criterion_id in criteria
        )


def attend_day_release(
    database: Database, programme: SmallProgramme, trainee_id: int, days: list[date]
) -> None:
    """A day-release session on each day with the trainee marked present."""
    with database.write() as session:
        for day in days:
            existing = session.scalar(
                select(DayReleaseSession).where(
                    DayReleaseSession.cohort_id == programme.cohort_id,
                    DayReleaseSession.session_date == day,
                )
            )
            if existing is None:
                existing = DayReleaseSession(
                    cohort_id=programme.cohort_id,
                    session_date=day,
                    module="Foundations",
                    hours=Decimal(7),
                )
                session.add(existing)
                session.flush()
            session.add(
                AttendanceMark(
                    session_id=existing.id,
                    trainee_id=trainee_id,
                    status=AttendanceStatus.PRESENT,
                )
            )


def make_ready_for_band_3(database: Database, programme: SmallProgramme, trainee_id: int) -> None:
    """Care Certificate complete and full attendance; time in training is up to the test."""
    complete_care_certificate(database, programme, trainee_id, date(2024, 12, 2))
    attend_day_release(
        database, programme, trainee_id, [date(2024, 9, 11), date(2024, 9, 18), date(2025, 1, 8)]
    )
