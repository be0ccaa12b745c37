"""Per-trainee totals for the programme's progress rules, added up by the database.

A regional programme holds millions of register marks and sign-off records; reading them
all into Python to total them took 15 s at 10,000 trainees. These queries return a few rows
per trainee instead. The rules stay in the domain: the totals are handed to the same
functions the one-trainee path uses (``otj_actual_from_totals``, ``StandardProgress``), and
a test checks the two paths agree for every demo trainee.

Hours are summed as whole hundredths, as the domain's Decimals would, so a total can never
round differently from adding the entries one by one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from apdesk.db.models import (
    AttendanceMark,
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    CompetencySignoff,
    CriterionSignoff,
    DayReleaseSession,
    OtjActivity,
    Trainee,
)
from apdesk.domain.enums import AttendanceStatus, CompetencyOutcome, OtjActivityKind
from apdesk.domain.otj_learning import Exclusion, ExclusionKey, counts_towards_otj

_COUNTED = -1  # the date bucket of learning inside the practical period and up to as_of
_BY_DATE = {
    0: Exclusion.BEFORE_START,
    1: Exclusion.AFTER_END,
    2: Exclusion.AFTER_AS_OF,
}
HUNDREDTHS = Decimal(100)


@dataclass
class LearningTotals:
    """One trainee's register marks and OTJ log, totalled."""

    statuses: Counter[AttendanceStatus] = field(default_factory=Counter)
    counted: Decimal = Decimal(0)  # hours inside [start, planned end] and up to as_of
    excluded: dict[ExclusionKey, Decimal] = field(default_factory=dict)
    last_learning_on: date | None = None  # the latest day with learning logged, up to as_of

    def exclude(self, key: ExclusionKey, hours: Decimal) -> None:
        self.excluded[key] = self.excluded.get(key, Decimal(0)) + hours

    def learnt_on(self, day: date | None) -> None:
        if day is not None and (self.last_learning_on is None or day > self.last_learning_on):
            self.last_learning_on = day


def _hours(hundredths: Any) -> Decimal:
    return Decimal(round(hundredths or 0)) / HUNDREDTHS


def _date_bucket(day: Any, as_of: date) -> Any:
    """Where a day falls for the trainee: before the start, after the planned end, after
    ``as_of``, or counted. Valid only for a trainee with no break in learning (a break moves
    the end and pauses the clock; those trainees are totalled entry by entry)."""
    return case(
        (day < Trainee.start_date, 0),
        (day > Trainee.planned_end_date, 1),
        (day > as_of, 2),
        else_=_COUNTED,
    )


def _register_learning() -> Any:
    """Hundredths of an hour a register mark evidences, as ``learning_from_attendance``."""
    session_hours = func.round(DayReleaseSession.hours * 100)
    minutes = func.round(AttendanceMark.minutes_attended * 100.0 / 60)
    present = AttendanceMark.status == AttendanceStatus.PRESENT
    attended = AttendanceMark.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE])
    return case(
        (DayReleaseSession.hours <= 0, 0),
        (and_(present, AttendanceMark.minutes_attended.is_(None)), session_hours),
        (
            and_(attended, AttendanceMark.minutes_attended.is_not(None)),
            case((minutes < session_hours, minutes), else_=session_hours),
        ),
        else_=0,
    )


def learning_totals(
    session: Session, which: ColumnElement[bool], as_of: date
) -> dict[int, LearningTotals]:
    """Totals per trainee; ``which`` selects the trainees (a condition on Trainee)."""
    totals: dict[int, LearningTotals] = defaultdict(LearningTotals)
    learnt = _register_learning()
    day = DayReleaseSession.session_date
    bucket = _date_bucket(day, as_of)
    marks = (
        select(
            AttendanceMark.trainee_id,
            AttendanceMark.status,
            bucket,
            func.count(),
            func.sum(learnt),
            func.max(case((and_(learnt > 0, day <= as_of), day))),
        )
        .join(DayReleaseSession, DayReleaseSession.id == AttendanceMark.session_id)
        .join(Trainee, Trainee.id == AttendanceMark.trainee_id)
        .where(which)
        .group_by(AttendanceMark.trainee_id, AttendanceMark.status, bucket)
    )
    for trainee_id, status, where, count, hundredths, last in session.execute(marks):
        entry = totals[trainee_id]
        entry.statuses[AttendanceStatus(status)] += count
        _add(entry, where, OtjActivityKind.THEORY, _hours(hundredths))
        entry.learnt_on(last)

    day = OtjActivity.activity_date
    bucket = _date_bucket(day, as_of)
    activities = (
        select(
            OtjActivity.trainee_id,
            OtjActivity.kind,
            bucket,
            func.sum(func.round(OtjActivity.hours * 100)),
            func.max(case((day <= as_of, day))),
        )
        .join(Trainee, Trainee.id == OtjActivity.trainee_id)
        .where(which)
        .group_by(OtjActivity.trainee_id, OtjActivity.kind, bucket)
    )
    for trainee_id, kind, where, hundredths, last in session.execute(activities):
        entry = totals[trainee_id]
        _add(entry, where, OtjActivityKind(kind), _hours(hundredths))
        entry.learnt_on(last)
    return totals


def _add(entry: LearningTotals, bucket: int, kind: OtjActivityKind, hours: Decimal) -> None:
    if bucket != _COUNTED:
        entry.exclude((_BY_DATE[bucket], None), hours)
    elif not counts_towards_otj(kind):
        entry.exclude((Exclusion.NEVER_COUNTS, kind), hours)
    else:
        entry.counted += hours


def competent_counts(session: Session, which: ColumnElement[bool]) -> dict[int, int]:
    """Competencies each trainee is signed off competent in now (``current_signoffs``: per
    competency the latest record neither a revocation nor revoked, and competent)."""
    record, revocation = CompetencySignoff, aliased(CompetencySignoff)
    latest = (
        select(record.trainee_id, func.max(record.id).label("id"))
        .join(Trainee, Trainee.id == record.trainee_id)
        .where(which, record.revokes_id.is_(None))
        .where(~exists().where(revocation.revokes_id == record.id))
        .group_by(record.trainee_id, record.competency_id)
        .subquery()
    )
    query = (
        select(latest.c.trainee_id, func.count())
        .join(record, record.id == latest.c.id)
        .where(record.outcome == CompetencyOutcome.COMPETENT)
        .group_by(latest.c.trainee_id)
    )
    return dict(session.execute(query).all())


def standard_totals(
    session: Session, which: ColumnElement[bool]
) -> dict[tuple[int, int, int], tuple[int, date]]:
    """(trainee, version, standard number) → criteria signed off now and the latest date of
    those sign-offs (each criterion's standing record: the latest neither revoked nor a
    revocation)."""
    record, revocation = CriterionSignoff, aliased(CriterionSignoff)
    latest = (
        select(record.criterion_id, func.max(record.id).label("id"))
        .join(Trainee, Trainee.id == record.trainee_id)
        .where(which, record.revokes_id.is_(None))
        .where(~exists().where(revocation.revokes_id == record.id))
        .group_by(record.trainee_id, record.criterion_id)
        .subquery()
    )
    query = (
        select(
            record.trainee_id,
            CareCertificateStandard.version_id,
            CareCertificateStandard.number,
            func.count(),
            func.max(record.assessed_on),
        )
        .select_from(latest)
        .join(record, record.id == latest.c.id)
        .join(CareCertificateCriterion, CareCertificateCriterion.id == latest.c.criterion_id)
        .join(
            CareCertificateOutcome, CareCertificateOutcome.id == CareCertificateCriterion.outcome_id
        )
        .join(
            CareCertificateStandard,
            CareCertificateStandard.id == CareCertificateOutcome.standard_id,
        )
        .group_by(
            record.trainee_id, CareCertificateStandard.version_id, CareCertificateStandard.number
        )
    )
    return {
        (trainee, version, number): (signed, last)
        for trainee, version, number, signed, last in session.execute(query)
    }
