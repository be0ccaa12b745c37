"""One apprentice's evidence portfolio, gathered from the records for printing.

The progress rules, band history, reviews and breaks come from the services that own them,
so the portfolio can never disagree with the tabs; the sign-off histories, register and
framework come from a handful of bulk queries in one read transaction.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from apdesk.db.database import Database
from apdesk.db.models import (
    AttendanceMark,
    AuditEntry,
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    Competency,
    CompetencyFramework,
    CompetencyGroup,
    CompetencySignoff,
    CriterionSignoff,
    DayReleaseSession,
    Ksb,
    OtjActivity,
    PortfolioExport,
    Trainee,
)
from apdesk.domain.attendance import summarise_attendance
from apdesk.domain.bands import BandReadiness
from apdesk.domain.calendar import add_months
from apdesk.domain.enums import AttendanceStatus, CompetencyOutcome
from apdesk.domain.otj import LoggedLearning, OtjPlan, learning_from_attendance, otj_actual
from apdesk.domain.signoffs import SignoffRecord, current_signoffs
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.bands import band_overview
from apdesk.services.care_certificate_views import EVIDENCE_LABELS
from apdesk.services.errors import RecordNotFoundError
from apdesk.services.permissions import require_can_view
from apdesk.services.portfolio_digest import Facts, describe_changes, digest_of, portfolio_facts
from apdesk.services.portfolio_views import (
    ApprenticeDetails,
    AttendanceSection,
    BandLine,
    BandSection,
    BreakLine,
    CareCertificateSection,
    CompetencyEntry,
    CompetencyGroupEntry,
    CriterionEntry,
    KsbLine,
    ModuleLine,
    OtjPoint,
    OtjSummary,
    OutcomeEntry,
    Portfolio,
    ReviewLine,
    Signature,
    SignoffLine,
    StandardEntry,
    SupervisedPracticeSection,
)
from apdesk.services.progress import TraineeProgress, trainee_progress
from apdesk.services.reviews import ReviewRecord, list_breaks, list_reviews
from apdesk.services.signoff_records import latest_standing, revoked_by


@dataclass(frozen=True)
class PreparedPortfolio:
    """A portfolio ready to print: its content, the records it covers and their digest."""

    portfolio: Portfolio
    facts: Facts
    digest: str


@dataclass(frozen=True)
class PortfolioCheck:
    """A printed digest compared with the records as they are now."""

    trainee_id: int
    trainee_name: str
    printed_digest: str
    current_digest: str
    exported_at: datetime | None  # None when this database never recorded that export
    exported_by: str | None
    changes: tuple[str, ...]  # what differs from the records as exported, when known

    @property
    def matches(self) -> bool:
        return self.printed_digest == self.current_digest


_OUTCOME_WORDS = {
    CompetencyOutcome.COMPETENT: "Competent",
    CompetencyOutcome.NOT_YET_COMPETENT: "Not yet competent",
}
_ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def portfolio_content(
    database: Database,
    actor: Actor,
    trainee_id: int,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
) -> Portfolio:
    """Everything the portfolio prints for one trainee the actor may see, as of a date."""
    day = as_of or date.today()
    try:
        progress = trainee_progress(database, actor, trainee_id, as_of=day)
    except LookupError:
        raise RecordNotFoundError(f"No trainee with id {trainee_id}") from None
    bands = band_overview(database, actor, trainee_id, as_of=day)
    reviews = list_reviews(database, actor, trainee_id)
    breaks = list_breaks(database, actor, trainee_id)
    with database.read() as session:
        trainee = session.get(Trainee, trainee_id)
        if trainee is None:  # removed between the two reads
            raise RecordNotFoundError(f"No trainee with id {trainee_id}")
        details = _details(trainee, progress)
        marks = _register(session, trainee_id)
        attendance = _attendance(session, trainee_id, marks, progress, day)
        certificate = _care_certificate(session, trainee, progress)
        practice, competency_ksbs = _supervised_practice(session, trainee)
        coverage = _ksb_coverage(session, trainee, practice, competency_ksbs)
        audit_head = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()))
    assessment = progress.assessment
    return Portfolio(
        trainee_id=trainee_id,
        as_of=day,
        exported_at=now or datetime.now(UTC),
        exported_by=actor.name,
        apprentice=details,
        breaks=tuple(BreakLine(b.break_id, b.start_date, b.end_date, b.reason) for b in breaks),
        attendance=attendance,
        care_certificate=certificate,
        reviews=tuple(_review_line(review, day) for review in reviews),
        supervised_practice=practice,
        ksb_coverage=coverage,
        bands=BandSection(
            current_band=bands.current_band,
            next_band_checks=bands.checks,
            next_band_summary=_readiness_sentence(bands.readiness),
            history=tuple(
                BandLine(
                    record_id=entry.id,
                    band=entry.band,
                    previous_band=entry.previous_band,
                    effective_from=entry.effective_from,
                    decided_by=entry.decided_by_name,
                    reason=entry.reason,
                    recorded_at=entry.recorded_at,
                    overridden=tuple(check.reason for check in entry.overridden_checks),
                )
                for entry in bands.history
            ),
        ),
        gateway=assessment.gateway.checks,
        risks=assessment.risks,
        audit_head=audit_head,
    )


def prepare_portfolio(
    database: Database, actor: Actor, trainee_id: int, *, as_of: date | None = None
) -> PreparedPortfolio:
    portfolio = portfolio_content(database, actor, trainee_id, as_of=as_of)
    facts = portfolio_facts(portfolio)
    return PreparedPortfolio(portfolio, facts, digest_of(facts))


def record_export(database: Database, actor: Actor, prepared: PreparedPortfolio) -> None:
    """Keep what an exported portfolio covered, so a later check can say what changed."""
    portfolio = prepared.portfolio
    with database.write() as session:
        require_can_view(session, actor, portfolio.trainee_id)
        export = PortfolioExport(
            trainee_id=portfolio.trainee_id,
            digest=prepared.digest,
            exported_at=portfolio.exported_at,
            exported_by_id=actor.user_id,
            exported_by_name=actor.name,
            facts=json.dumps(prepared.facts, sort_keys=True, ensure_ascii=False),
        )
        session.add(export)
        session.flush()
        record_change(
            session,
            actor,
            action="export_portfolio",
            entity="portfolio_export",
            entity_id=export.id,
            trainee_id=portfolio.trainee_id,
            summary=f"Evidence portfolio of {portfolio.apprentice.name} exported",
            after={"digest": prepared.digest},
        )


def check_portfolio(
    database: Database, actor: Actor, trainee_id: int, printed_digest: str
) -> PortfolioCheck:
    """Compare a portfolio's printed digest with the trainee's records now and, when this
    database kept that export, list what changed since."""
    current = prepare_portfolio(database, actor, trainee_id)
    with database.read() as session:
        export = session.scalars(
            select(PortfolioExport)
            .where(
                PortfolioExport.trainee_id == trainee_id,
                PortfolioExport.digest == printed_digest,
            )
            .order_by(PortfolioExport.id.desc())
            .limit(1)
        ).first()
        exported = (
            (export.exported_at, export.exported_by_name, json.loads(export.facts))
            if export is not None
            else None
        )
    changes: tuple[str, ...] = ()
    if exported is not None and printed_digest != current.digest:
        changes = tuple(describe_changes(exported[2], current.facts))
    return PortfolioCheck(
        trainee_id=trainee_id,
        trainee_name=current.portfolio.apprentice.name,
        printed_digest=printed_digest,
        current_digest=current.digest,
        exported_at=exported[0] if exported else None,
        exported_by=exported[1] if exported else None,
        changes=changes,
    )


def portfolio_filename(name: str, uln: str | None, trainee_id: int) -> str:
    """E.g. "Portfolio_Kieran_Singh_1234567890.pdf": plain ASCII, safe on every file system."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_") or "trainee"
    return f"Portfolio_{words}_{uln or f'id{trainee_id}'}.pdf"


def _readiness_sentence(readiness: BandReadiness) -> str:
    if readiness.next_band is None:
        return "No further band on this programme"
    checklist = readiness.checklist
    if readiness.ready:
        return f"Ready for Band {readiness.next_band}: every check is met"
    return (
        f"Not yet ready for Band {readiness.next_band}: "
        f"{checklist.met_count} of {len(checklist.checks)} checks met"
    )


def _framework_label(framework: CompetencyFramework) -> str:
    """E.g. "Mental health Assistant Practitioner: key responsibilities (MH-AP v1.0)"."""
    return f"{framework.title} ({framework.code} v{framework.version})"


def _details(trainee: Trainee, progress: TraineeProgress) -> ApprenticeDetails:
    standard = trainee.standard
    framework = trainee.competency_framework
    return ApprenticeDetails(
        name=trainee.full_name,
        uln=trainee.uln,
        employee_number=trainee.employee_number,
        email=trainee.email,
        employer=progress.employer,
        sector=progress.sector.label,
        ics_area=progress.ics_area,
        region=progress.region,
        service_area=progress.service_area,
        care_pathway=trainee.care_pathway,
        cohort=progress.cohort,
        mentor=progress.mentor,
        status=trainee.status.label,
        start_date=trainee.start_date,
        planned_end_date=trainee.planned_end_date,
        contracted_hours_per_week=trainee.contracted_hours_per_week,
        programme=(
            f"{standard.code} v{standard.version} {standard.title} (Level {standard.level})"
        ),
        competency_framework=_framework_label(framework),
        care_certificate_version=trainee.care_certificate_version.title,
        maths=trainee.maths_status.label,
        maths_evidence_on=trainee.maths_evidence_on,
        english=trainee.english_status.label,
        english_evidence_on=trainee.english_evidence_on,
        foundation_degree_credits=trainee.foundation_degree_credits,
        foundation_degree_awarded_on=trainee.foundation_degree_awarded_on,
        employer_confirmed_gateway_on=trainee.employer_confirmed_gateway_on,
    )


# -- attendance and OTJ ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Mark:
    module: str
    on: date
    session_hours: Decimal
    status: AttendanceStatus
    minutes_attended: int | None


def _register(session: Session, trainee_id: int) -> list[_Mark]:
    rows = session.execute(
        select(
            DayReleaseSession.module,
            DayReleaseSession.session_date,
            DayReleaseSession.hours,
            AttendanceMark.status,
            AttendanceMark.minutes_attended,
        )
        .join(DayReleaseSession, DayReleaseSession.id == AttendanceMark.session_id)
        .where(AttendanceMark.trainee_id == trainee_id)
        .order_by(DayReleaseSession.session_date)
    )
    return [
        _Mark(module, on, Decimal(hours), status, minutes)
        for module, on, hours, status, minutes in rows
    ]


def _attendance(
    session: Session, trainee_id: int, marks: list[_Mark], progress: TraineeProgress, day: date
) -> AttendanceSection:
    by_module: dict[str, list[AttendanceStatus]] = defaultdict(list)
    first_seen: dict[str, date] = {}
    for mark in marks:
        by_module[mark.module].append(mark.status)
        first_seen.setdefault(mark.module, mark.on)
    modules = []
    for module in sorted(by_module, key=lambda name: (first_seen[name], name)):
        summary = summarise_attendance(by_module[module])
        leave = summary.by_status[AttendanceStatus.ANNUAL_LEAVE]
        modules.append(
            ModuleLine(
                module=module,
                sessions_marked=summary.marked,
                attended=summary.attended,
                late=summary.late,
                absent=summary.marked - summary.attended - leave,
                annual_leave=leave,
                percentage=summary.percentage,
            )
        )
    activities = session.execute(
        select(OtjActivity.activity_date, OtjActivity.kind, OtjActivity.hours).where(
            OtjActivity.trainee_id == trainee_id
        )
    ).all()
    learning = [LoggedLearning(on, kind, Decimal(hours)) for on, kind, hours in activities]
    for mark in marks:
        entry = learning_from_attendance(
            mark.on, mark.session_hours, mark.status, mark.minutes_attended
        )
        if entry is not None:
            learning.append(entry)
    assessment = progress.assessment
    plan, otj = assessment.otj_plan, assessment.otj
    return AttendanceSection(
        summary=assessment.attendance.describe(),
        percentage=assessment.attendance.percentage,
        modules=tuple(modules),
        otj=OtjSummary(
            required=otj.required if otj else None,
            expected_to_date=otj.expected_to_date if otj else None,
            actual=otj.actual if otj else None,
            sentence=otj.reason if otj else f"No OTJ plan: {assessment.otj_problem}",
            explanation=plan.explanation if plan else (),
            warnings=plan.warnings if plan else (),
            exclusions=assessment.otj_exclusions,
            points=_otj_points(plan, learning, day) if plan else (),
            logged_entries=len(activities),
            logged_hours=sum((Decimal(hours) for _on, _kind, hours in activities), Decimal(0)),
        ),
    )


def _otj_points(plan: OtjPlan, learning: list[LoggedLearning], day: date) -> tuple[OtjPoint, ...]:
    """Cumulative planned and counted hours at each month end from the start to ``day``."""
    last = min(day, plan.effective_end)
    points = []
    months = 1
    point = plan.start
    while point < last:
        point = min(add_months(plan.start, months), last)
        points.append(
            OtjPoint(
                point, plan.expected_by(point), otj_actual(learning, plan, point).counted_hours
            )
        )
        months += 1
    return tuple(points)


# -- sign-offs -------------------------------------------------------------------------------


def _signature(record: CompetencySignoff | CriterionSignoff) -> Signature:
    return Signature(
        name=record.signer_name,
        role=record.signer_role,
        registration=record.signer_registration,
        signed_at=record.signed_at,
        meaning=record.meaning,
    )


def _history_by_item(
    records: Sequence[CompetencySignoff] | Sequence[CriterionSignoff],
    item_of: dict[int, int],
    line: dict[int, SignoffLine],
) -> dict[int, tuple[SignoffLine, ...]]:
    grouped: dict[int, list[SignoffLine]] = defaultdict(list)
    for record in records:
        grouped[item_of[record.id]].append(line[record.id])
    return {item: tuple(lines) for item, lines in grouped.items()}


def _competency_lines(records: Sequence[CompetencySignoff]) -> dict[int, SignoffLine]:
    revokers = revoked_by(records)
    return {
        r.id: SignoffLine(
            record_id=r.id,
            assessed_on=r.observed_on,
            outcome=_OUTCOME_WORDS[r.outcome] if r.outcome else "Revocation",
            evidence_kind=r.setting,
            evidence=r.evidence,
            signature=_signature(r),
            revokes_id=r.revokes_id,
            revocation_reason=r.revocation_reason,
            revoked_by_id=revokers.get(r.id),
        )
        for r in records
    }


def _criterion_lines(records: Sequence[CriterionSignoff]) -> dict[int, SignoffLine]:
    revokers = revoked_by(records)
    return {
        r.id: SignoffLine(
            record_id=r.id,
            assessed_on=r.assessed_on,
            outcome="Revocation" if r.revokes_id is not None else "Signed off",
            evidence_kind=EVIDENCE_LABELS[r.evidence_type] if r.evidence_type else "",
            evidence=r.evidence,
            signature=_signature(r),
            revokes_id=r.revokes_id,
            revocation_reason=r.revocation_reason,
            revoked_by_id=revokers.get(r.id),
        )
        for r in records
    }


def _care_certificate(
    session: Session, trainee: Trainee, progress: TraineeProgress
) -> CareCertificateSection:
    version = trainee.care_certificate_version
    rows = session.execute(
        select(CareCertificateStandard, CareCertificateOutcome, CareCertificateCriterion)
        .join(
            CareCertificateOutcome, CareCertificateOutcome.standard_id == CareCertificateStandard.id
        )
        .join(
            CareCertificateCriterion,
            CareCertificateCriterion.outcome_id == CareCertificateOutcome.id,
        )
        .where(CareCertificateStandard.version_id == version.id)
        .order_by(
            CareCertificateStandard.number,
            CareCertificateOutcome.position,
            CareCertificateCriterion.position,
        )
    ).all()
    records = session.scalars(
        select(CriterionSignoff)
        .where(CriterionSignoff.trainee_id == trainee.id)
        .order_by(CriterionSignoff.id)
    ).all()
    history = _history_by_item(
        records, {r.id: r.criterion_id for r in records}, _criterion_lines(records)
    )
    signed = current_signoffs(
        SignoffRecord(r.id, r.criterion_id, r.assessed_on, True, r.revokes_id) for r in records
    )
    outcomes: dict[int, dict[int, list[CriterionEntry]]] = defaultdict(dict)
    titles: dict[int, str] = {}
    outcome_titles: dict[int, tuple[str, str]] = {}
    for standard, outcome, criterion in rows:
        titles[standard.number] = standard.title
        outcome_titles[outcome.id] = (outcome.code, outcome.title)
        outcomes[standard.number].setdefault(outcome.id, []).append(
            CriterionEntry(
                code=criterion.code,
                text=criterion.text,
                requires_observation=criterion.requires_observation,
                status="Signed off" if criterion.id in signed else "Not signed off",
                records=history.get(criterion.id, ()),
            )
        )
    certificate = progress.assessment.care_certificate
    completed = {s.number: s for s in certificate.standards}
    standards = tuple(
        StandardEntry(
            number=number,
            title=titles[number],
            signed=completed[number].signed,
            total=completed[number].total,
            completed_on=completed[number].completed_on,
            outcomes=tuple(
                OutcomeEntry(*outcome_titles[outcome_id], tuple(criteria))
                for outcome_id, criteria in by_outcome.items()
            ),
        )
        for number, by_outcome in outcomes.items()
    )
    done = sum(1 for s in standards if s.total and s.signed == s.total)
    signed_total = sum(s.signed for s in standards)
    criteria_total = sum(s.total for s in standards)
    return CareCertificateSection(
        version=version.title,
        summary=(
            f"{done} of {len(standards)} standards complete, "
            f"{signed_total} of {criteria_total} criteria signed off"
        ),
        complete=certificate.complete,
        standards=standards,
    )


def _supervised_practice(
    session: Session, trainee: Trainee
) -> tuple[SupervisedPracticeSection, dict[str, tuple[str, ...]]]:
    """The framework with every competency's history, and each competency's KSB codes."""
    framework = trainee.competency_framework
    groups = session.scalars(
        select(CompetencyGroup)
        .where(CompetencyGroup.framework_id == framework.id)
        .order_by(CompetencyGroup.position)
        .options(selectinload(CompetencyGroup.competencies).selectinload(Competency.ksbs))
    ).all()
    records = session.scalars(
        select(CompetencySignoff)
        .where(CompetencySignoff.trainee_id == trainee.id)
        .order_by(CompetencySignoff.id)
    ).all()
    history = _history_by_item(
        records, {r.id: r.competency_id for r in records}, _competency_lines(records)
    )
    domain = [
        SignoffRecord(
            r.id,
            r.competency_id,
            r.observed_on,
            r.outcome is CompetencyOutcome.COMPETENT,
            r.revokes_id,
        )
        for r in records
    ]
    competent = set(current_signoffs(domain))
    assessed = set(latest_standing(domain))
    ksbs: dict[str, tuple[str, ...]] = {}
    entries = []
    for group in groups:
        competencies = []
        for competency in group.competencies:
            codes = tuple(ksb.code for ksb in competency.ksbs)
            ksbs[competency.code] = codes
            competencies.append(
                CompetencyEntry(
                    code=competency.code,
                    title=competency.title,
                    ksb_codes=codes,
                    status=_status(competency.id, competent, assessed),
                    records=history.get(competency.id, ()),
                )
            )
        entries.append(CompetencyGroupEntry(group.code, group.title, tuple(competencies)))
    signed = sum(group.signed for group in entries)
    total = sum(len(group.competencies) for group in entries)
    return (
        SupervisedPracticeSection(
            framework=_framework_label(framework),
            summary=f"{signed} of {total} competencies signed off",
            groups=tuple(entries),
        ),
        ksbs,
    )


def _status(competency_id: int, competent: set[int], assessed: set[int]) -> str:
    if competency_id in competent:
        return "Competent"
    return "Not yet competent" if competency_id in assessed else "Not yet assessed"


def _ksb_coverage(
    session: Session,
    trainee: Trainee,
    practice: SupervisedPracticeSection,
    competency_ksbs: dict[str, tuple[str, ...]],
) -> tuple[KsbLine, ...]:
    signed = {
        competency.code
        for group in practice.groups
        for competency in group.competencies
        if competency.status == "Competent"
    }
    mapped: dict[str, list[str]] = defaultdict(list)
    for competency, codes in competency_ksbs.items():
        for code in codes:
            mapped[code].append(competency)
    ksbs = session.scalars(
        select(Ksb).where(Ksb.standard_id == trainee.standard_id).order_by(Ksb.id)
    ).all()
    return tuple(
        KsbLine(
            code=ksb.code,
            kind=ksb.kind.value.capitalize(),
            text=ksb.text,
            competencies=tuple(mapped.get(ksb.code, ())),
            signed=tuple(c for c in mapped.get(ksb.code, ()) if c in signed),
        )
        for ksb in ksbs
    )


def _review_line(review: ReviewRecord, day: date) -> ReviewLine:
    return ReviewLine(
        review_id=review.review_id,
        due_date=review.due_date,
        held_on=review.held_on,
        state=review.describe(day),
        otj_hours_at_review=review.otj_hours_at_review,
        apprentice_comments=review.apprentice_comments,
        employer_comments=review.employer_comments,
        provider_comments=review.provider_comments,
        apprentice_signed_at=review.apprentice_signed_at,
        employer_signatory=review.employer_signatory,
        employer_signed_at=review.employer_signed_at,
        provider_signatory=review.provider_signatory,
        provider_signed_at=review.provider_signed_at,
    )
