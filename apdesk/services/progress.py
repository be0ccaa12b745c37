"""Each trainee's progress against every programme rule, assembled in a few bulk queries.

The domain rules do the judging; this module only gathers the records they need, for one
trainee (detail panels) or a whole programme (tables, reports, the CLI) without N+1 queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from apdesk.db.database import Database
from apdesk.db.models import (
    ApprenticeshipStandard,
    AttendanceMark,
    BandChange,
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    Cohort,
    Competency,
    CompetencyGroup,
    CompetencySignoff,
    CriterionSignoff,
    DayReleaseSession,
    Employer,
    IcsArea,
    LearningBreak,
    OtjActivity,
    ProgressReview,
    RplReduction,
    ServiceArea,
    Trainee,
    User,
)
from apdesk.domain.attendance import AttendanceSummary, summarise_attendance
from apdesk.domain.bands import BandFacts, BandReadiness, band_readiness
from apdesk.domain.calendar import months_between
from apdesk.domain.care_certificate import (
    CareCertificateProgress,
    StandardProgress,
    care_certificate_progress,
)
from apdesk.domain.checks import Checklist
from apdesk.domain.enums import AttendanceStatus, CompetencyOutcome, Sector, TraineeStatus
from apdesk.domain.gateway import GatewayFacts, gateway_checklist
from apdesk.domain.otj import (
    BreakInLearning,
    LoggedLearning,
    OtjPlan,
    OtjProgress,
    learning_from_attendance,
    otj_actual,
    otj_progress,
    plan_otj,
)
from apdesk.domain.otj_learning import otj_actual_from_totals
from apdesk.domain.reviews import ReviewStatus, review_status
from apdesk.domain.risk import risk_reasons
from apdesk.domain.signoffs import SignoffRecord, current_signoffs
from apdesk.services.actors import Actor
from apdesk.services.permissions import (
    PermissionDeniedError,
    limit_to_visible,
    require_can_view,
)
from apdesk.services.programme_rules import ProgrammeRules, load_programme_rules
from apdesk.services.progress_totals import (
    LearningTotals,
    competent_counts,
    learning_totals,
    standard_totals,
)


@dataclass(frozen=True)
class TraineeAssessment:
    """Every rule's verdict on one trainee at one date, each with its reasons."""

    otj_plan: OtjPlan | None
    otj: OtjProgress | None
    otj_problem: str | None  # why there is no plan, e.g. an end date before the start
    otj_exclusions: tuple[str, ...]
    attendance: AttendanceSummary
    review: ReviewStatus | None  # None when no review is owed (not in training)
    care_certificate: CareCertificateProgress
    competencies_signed: int
    competencies_total: int
    band: str | None
    band_readiness: BandReadiness
    gateway: Checklist
    risks: tuple[str, ...]


@dataclass(frozen=True)
class TraineeProgress:
    """One row of the programme: who the trainee is and how they are doing."""

    trainee_id: int
    name: str
    uln: str | None
    employer: str
    sector: Sector
    ics_area: str
    region: str
    service_area: str
    cohort: str
    mentor: str | None
    status: TraineeStatus
    start_date: date
    planned_end_date: date
    assessment: TraineeAssessment

    @property
    def at_risk(self) -> bool:
        return bool(self.assessment.risks)


def list_trainee_progress(
    database: Database, actor: Actor, *, cohort: str | None = None, as_of: date | None = None
) -> list[TraineeProgress]:
    """Progress of every trainee the actor may see (or one cohort's, by name), ordered by
    cohort then name: everyone for staff, assigned apprentices for a mentor, their own record
    for an apprentice."""
    if actor.role is None:
        raise PermissionDeniedError("Sign in to see trainees' records.")
    with database.read() as session:
        query = limit_to_visible(_trainee_rows(), actor)
        if cohort is not None:
            query = query.where(Cohort.name == cohort)
        return _assess(session, query, as_of or date.today(), load_programme_rules())


def trainee_progress(
    database: Database, actor: Actor, trainee_id: int, as_of: date | None = None
) -> TraineeProgress:
    with database.read() as session:
        require_can_view(session, actor, trainee_id)
        found = _assess(
            session,
            _trainee_rows().where(Trainee.id == trainee_id),
            as_of or date.today(),
            load_programme_rules(),
        )
    if not found:
        raise LookupError(f"No trainee with id {trainee_id}")
    return found[0]


def cohort_names(database: Database) -> list[str]:
    with database.read() as session:
        return list(session.scalars(select(Cohort.name).order_by(Cohort.start_date, Cohort.name)))


_Mentor = aliased(User)


def _trainee_rows() -> Select:
    return (
        select(
            Trainee,
            Employer.name,
            Employer.sector,
            IcsArea.name,
            IcsArea.region,
            ServiceArea.name,
            Cohort.name,
            _Mentor.full_name,
            ApprenticeshipStandard.otj_minimum_hours,
            ApprenticeshipStandard.code,
        )
        .join(Employer, Employer.id == Trainee.employer_id)
        .join(IcsArea, IcsArea.id == Employer.ics_area_id)
        .join(ServiceArea, ServiceArea.id == Trainee.service_area_id)
        .join(Cohort, Cohort.id == Trainee.cohort_id)
        .join(ApprenticeshipStandard, ApprenticeshipStandard.id == Trainee.standard_id)
        .outerjoin(_Mentor, _Mentor.id == Trainee.mentor_id)
        .order_by(Cohort.start_date, Cohort.name, Trainee.last_name, Trainee.first_name)
    )


def _by_trainee(session: Session, query: Select, ids: set[int]) -> dict[int, list]:
    """Rows of ``query`` (trainee id first) grouped by trainee, the id dropped.

    Run on the Core connection: these are plain column rows, and the ORM's row loading would
    cost several times more for the hundreds of thousands a large programme has.
    """
    grouped: dict[int, list] = defaultdict(list)
    for trainee_id, *values in session.connection().execute(query):
        if trainee_id in ids:
            grouped[trainee_id].append(values)
    return grouped


def _in(column: InstrumentedAttribute[int], ids: set[int], total: int) -> ColumnElement[bool]:
    """Filter by trainee only when a subset is asked for: IN with thousands of ids is slow."""
    return column.in_(ids) if len(ids) < total else true()


_EXACT_UP_TO = 50
"""Up to this many trainees (one trainee's panel, a small cohort) are assessed entry by entry
with the domain's own rules; more are totalled by the database (progress_totals). A test
checks the two agree for every demo trainee."""


def _assess(
    session: Session, query: Select, as_of: date, rules: ProgrammeRules
) -> list[TraineeProgress]:
    rows = session.execute(query).all()
    ids = {row[0].id for row in rows}
    if not ids:
        return []
    total = session.scalar(select(func.count(Trainee.id))) or 0
    which = _in(Trainee.id, ids, total)

    breaks = _by_trainee(
        session,
        select(LearningBreak.trainee_id, LearningBreak.start_date, LearningBreak.end_date)
        .where(_in(LearningBreak.trainee_id, ids, total))
        .order_by(LearningBreak.start_date),
        ids,
    )
    rpl = dict(
        session.execute(
            select(RplReduction.trainee_id, func.sum(RplReduction.hours))
            .where(_in(RplReduction.trainee_id, ids, total))
            .group_by(RplReduction.trainee_id)
        ).all()
    )
    reviews = _by_trainee(
        session,
        select(ProgressReview.trainee_id, ProgressReview.due_date, ProgressReview.held_on).where(
            _in(ProgressReview.trainee_id, ids, total)
        ),
        ids,
    )
    bands: dict[int, str] = {}
    for trainee_id, band in session.execute(
        select(BandChange.trainee_id, BandChange.band)
        .where(_in(BandChange.trainee_id, ids, total), BandChange.effective_from <= as_of)
        .order_by(BandChange.effective_from, BandChange.id)
    ):
        bands[trainee_id] = band
    competencies_per_framework = dict(
        session.execute(
            select(CompetencyGroup.framework_id, func.count(Competency.id))
            .join(Competency, Competency.group_id == CompetencyGroup.id)
            .group_by(CompetencyGroup.framework_id)
        ).all()
    )
    care_certificates = care_certificate_structure(session)

    few = len(ids) <= _EXACT_UP_TO
    # The database's date buckets assume no break in learning (a break moves the end of the
    # practical period and pauses the clock), so those trainees are read entry by entry too.
    by_entry = ids if few else ids & set(breaks)
    entries = _learning_entries(session, by_entry, total) if by_entry else {}
    totals = {} if few else learning_totals(session, which, as_of)
    if few:
        signoffs = _signoff_records(session, ids, total)
    else:
        competent = competent_counts(session, which)
        standards = standard_totals(session, which)

    results = []
    for trainee, employer, sector, ics, region, service, cohort, mentor, minimum, code in rows:
        version = trainee.care_certificate_version_id
        structure = care_certificates.get(version, [])
        if few:
            competency_records, criterion_records = signoffs.get(trainee.id, ([], []))
            signed = _competent(competency_records)
            certificate = _certificate_from_records(structure, criterion_records)
        else:
            signed = competent.get(trainee.id, 0)
            certificate = _certificate_from_totals(structure, standards, trainee.id, version)
        assessment = _assess_one(
            trainee,
            as_of=as_of,
            rules=rules,
            standard_minimum=minimum,
            standard_code=code,
            learning=entries.get(trainee.id) or totals.get(trainee.id) or LearningTotals(),
            breaks=[BreakInLearning(start, end) for start, end in breaks.get(trainee.id, [])],
            rpl_hours=Decimal(rpl.get(trainee.id) or 0),
            reviews=reviews.get(trainee.id, []),
            band=bands.get(trainee.id),
            competencies_signed=signed,
            competencies_total=competencies_per_framework.get(trainee.competency_framework_id, 0),
            certificate=certificate,
        )
        results.append(
            TraineeProgress(
                trainee_id=trainee.id,
                name=trainee.full_name,
                uln=trainee.uln,
                employer=employer,
                sector=sector,
                ics_area=ics,
                region=region,
                service_area=service,
                cohort=cohort,
                mentor=mentor,
                status=trainee.status,
                start_date=trainee.start_date,
                planned_end_date=trainee.planned_end_date,
                assessment=assessment,
            )
        )
    return results


@dataclass(frozen=True)
class _LearningEntries:
    """One trainee's register marks and OTJ log, entry by entry."""

    statuses: tuple[AttendanceStatus, ...]
    learning: tuple[LoggedLearning, ...]


def _learning_entries(session: Session, ids: set[int], total: int) -> dict[int, _LearningEntries]:
    marks = _by_trainee(
        session,
        select(
            AttendanceMark.trainee_id,
            AttendanceMark.status,
            AttendanceMark.minutes_attended,
            DayReleaseSession.session_date,
            DayReleaseSession.hours,
        )
        .join(DayReleaseSession, DayReleaseSession.id == AttendanceMark.session_id)
        .where(_in(AttendanceMark.trainee_id, ids, total)),
        ids,
    )
    activities = _by_trainee(
        session,
        select(
            OtjActivity.trainee_id,
            OtjActivity.activity_date,
            OtjActivity.kind,
            OtjActivity.hours,
        ).where(_in(OtjActivity.trainee_id, ids, total)),
        ids,
    )
    found = {}
    for trainee_id in ids:
        learning = [
            LoggedLearning(on=day, kind=kind, hours=Decimal(hours))
            for day, kind, hours in activities.get(trainee_id, [])
        ]
        statuses = []
        for status, minutes, day, hours in marks.get(trainee_id, []):
            statuses.append(status)
            entry = learning_from_attendance(day, Decimal(hours), status, minutes)
            if entry is not None:
                learning.append(entry)
        found[trainee_id] = _LearningEntries(tuple(statuses), tuple(learning))
    return found


def _signoff_records(
    session: Session, ids: set[int], total: int
) -> dict[int, tuple[list[SignoffRecord], list[SignoffRecord]]]:
    """Per trainee every competency and criterion sign-off record, for the domain's rules."""
    found: dict[int, tuple[list[SignoffRecord], list[SignoffRecord]]] = defaultdict(
        lambda: ([], [])
    )
    for trainee_id, record_id, item, day, outcome, revokes in session.execute(
        select(
            CompetencySignoff.trainee_id,
            CompetencySignoff.id,
            CompetencySignoff.competency_id,
            CompetencySignoff.observed_on,
            CompetencySignoff.outcome,
            CompetencySignoff.revokes_id,
        ).where(_in(CompetencySignoff.trainee_id, ids, total))
    ):
        positive = outcome == CompetencyOutcome.COMPETENT
        found[trainee_id][0].append(SignoffRecord(record_id, item, day, positive, revokes))
    for trainee_id, record_id, item, day, revokes in session.execute(
        select(
            CriterionSignoff.trainee_id,
            CriterionSignoff.id,
            CriterionSignoff.criterion_id,
            CriterionSignoff.assessed_on,
            CriterionSignoff.revokes_id,
        ).where(_in(CriterionSignoff.trainee_id, ids, total))
    ):
        found[trainee_id][1].append(SignoffRecord(record_id, item, day, True, revokes))
    return found


def _competent(records: list[SignoffRecord]) -> int:
    return len(current_signoffs(records))


def _certificate_from_records(
    structure: CareCertificateStructure, records: list[SignoffRecord]
) -> CareCertificateProgress:
    standing = current_signoffs(records)
    return care_certificate_progress(
        structure, {item: record.signed_on for item, record in standing.items()}
    )


def _certificate_from_totals(
    structure: CareCertificateStructure,
    totals: dict[tuple[int, int, int], tuple[int, date]],
    trainee_id: int,
    version_id: int,
) -> CareCertificateProgress:
    standards = []
    for number, title, criteria in structure:
        count = len(set(criteria))
        signed, last = totals.get((trainee_id, version_id, number), (0, None))
        complete = count > 0 and signed == count
        standards.append(StandardProgress(number, title, count, signed, last if complete else None))
    return CareCertificateProgress(tuple(standards))


CareCertificateStructure = list[tuple[int, str, list[int]]]
"""A Care Certificate version's standards in order: (number, title, criterion ids)."""


def care_certificate_structure(
    session: Session, version_ids: Iterable[int] | None = None
) -> dict[int, CareCertificateStructure]:
    """Per Care Certificate version (every version, or those asked for), in one query.

    The Care Certificate tab and the programme's progress both read the standards from here.
    A standard with no criteria on file is kept, with none, so it can never be complete.
    """
    query = (
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
        .order_by(
            CareCertificateStandard.number,
            CareCertificateOutcome.position,
            CareCertificateCriterion.position,
        )
    )
    if version_ids is not None:
        query = query.where(CareCertificateStandard.version_id.in_(list(version_ids)))
    standards: dict[int, dict[int, tuple[int, str, list[int]]]] = defaultdict(dict)
    for version_id, standard_id, number, title, criterion_id in session.execute(query):
        entry = standards[version_id].setdefault(standard_id, (number, title, []))
        if criterion_id is not None:
            entry[2].append(criterion_id)
    return {version: list(by_id.values()) for version, by_id in standards.items()}


def _assess_one(
    trainee: Trainee,
    *,
    as_of: date,
    rules: ProgrammeRules,
    standard_minimum: Decimal | None,
    standard_code: str,
    learning: _LearningEntries | LearningTotals,
    breaks: list[BreakInLearning],
    rpl_hours: Decimal,
    reviews: list,
    band: str | None,
    competencies_signed: int,
    competencies_total: int,
    certificate: CareCertificateProgress,
) -> TraineeAssessment:
    if isinstance(learning, _LearningEntries):
        attendance = summarise_attendance(learning.statuses)
        last_learning = max((e.on for e in learning.learning if e.on <= as_of), default=None)
    else:
        attendance = summarise_attendance(learning.statuses.elements())
        last_learning = learning.last_learning_on

    plan: OtjPlan | None = None
    progress: OtjProgress | None = None
    problem: str | None = None
    exclusions: tuple[str, ...] = ()
    try:
        plan = plan_otj(
            trainee.start_date,
            trainee.planned_end_date,
            trainee.contracted_hours_per_week,
            standard_minimum_hours=standard_minimum,
            rpl_hours=rpl_hours,
            breaks=breaks,
            as_of=as_of,
            standard=standard_code,
        )
    except ValueError as error:
        problem = str(error)
    if plan is not None:
        if isinstance(learning, _LearningEntries):
            actual = otj_actual(learning.learning, plan, as_of)
        else:
            actual = otj_actual_from_totals(learning.counted, learning.excluded, plan, as_of)
        exclusions = actual.exclusions
        progress = otj_progress(plan, actual, as_of, tolerance_percent=rules.otj_behind_percent)

    # Reviews are owed while learning; a break, the gateway or the end of the programme stops them.
    review = (
        review_status(
            trainee.start_date,
            [held for _due, held in reviews if held is not None],
            as_of,
            scheduled_due=[due for due, held in reviews if held is None],
        )
        if trainee.status is TraineeStatus.IN_TRAINING
        else None
    )
    maths_english_met = trainee.maths_status.is_met and trainee.english_status.is_met
    end = plan.effective_end if plan else trainee.planned_end_date
    readiness = band_readiness(
        BandFacts(
            current_band=band,
            status=trainee.status,
            months_in_training=_months_in_training(trainee.start_date, as_of, plan),
            care_certificate_complete=certificate.complete,
            attendance_percent=attendance.percentage,
            competencies_signed=competencies_signed,
            competencies_total=competencies_total,
            foundation_degree_awarded=trainee.foundation_degree_awarded_on is not None,
            maths_english_met=maths_english_met,
        ),
        rules.bands,
    )
    gateway = (
        gateway_checklist(
            GatewayFacts(
                maths=trainee.maths_status,
                english=trainee.english_status,
                care_certificate_complete=certificate.complete,
                competencies_signed=competencies_signed,
                competencies_total=competencies_total,
                foundation_degree_awarded=trainee.foundation_degree_awarded_on is not None,
                foundation_degree_credits=trainee.foundation_degree_credits,
                required_credits=rules.gateway_required_credits,
                otj=progress,
                employer_confirmed=trainee.employer_confirmed_gateway_on is not None,
            )
        )
        if progress is not None
        else Checklist(())
    )
    risks = risk_reasons(
        status=trainee.status,
        otj=progress,
        attendance=attendance,
        review=review,
        last_learning_on=last_learning,
        as_of=as_of,
        maths_english_met=maths_english_met,
        months_to_planned_end=months_between(as_of, end) if end > as_of else Decimal(0),
        min_attendance_percent=rules.attendance_alert_percent,
        started_on=trainee.start_date,
    )
    if problem and trainee.status is TraineeStatus.IN_TRAINING:
        risks = (f"No OTJ plan: {problem}", *risks)
    return TraineeAssessment(
        otj_plan=plan,
        otj=progress,
        otj_problem=problem,
        otj_exclusions=exclusions,
        attendance=attendance,
        review=review,
        care_certificate=certificate,
        competencies_signed=competencies_signed,
        competencies_total=competencies_total,
        band=band,
        band_readiness=readiness,
        gateway=gateway,
        risks=risks,
    )


def _months_in_training(start: date, as_of: date, plan: OtjPlan | None) -> Decimal:
    """Calendar months since the start with breaks in learning taken out."""
    if as_of <= start:
        return Decimal(0)
    if plan is None:
        return months_between(start, as_of)
    active = plan.active_days_elapsed(as_of)
    calendar_days = (as_of - start).days + 1
    return months_between(start, as_of) * Decimal(active) / Decimal(calendar_days)
