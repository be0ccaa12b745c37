"""``apdesk demo``: fill an empty database with a realistic North-of-England AP programme.

Deterministic for a given seed and day. Bulk rows (registers, logged learning, sign-offs) go
in through Core inserts so a 2,000-trainee programme loads in seconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import (
    ApprenticeshipStandard,
    AttendanceMark,
    BandChange,
    Base,
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    CareCertificateVersion,
    Cohort,
    Competency,
    CompetencyFramework,
    CompetencyGroup,
    CompetencySignoff,
    CriterionSignoff,
    DayReleaseSession,
    EducationProvider,
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
from apdesk.db.sequences import catch_up_id_sequence
from apdesk.domain.calendar import add_months
from apdesk.domain.enums import (
    AttendanceStatus,
    CompetencyOutcome,
    EvidenceType,
    Level2Status,
    OtjActivityKind,
    Role,
    TraineeStatus,
)
from apdesk.domain.identifiers import uln_check_digit
from apdesk.services import demo_catalogue as cast
from apdesk.services.accounts import hash_password
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.permissions import require_role
from apdesk.services.trainee_import import CARE_CERTIFICATE_2025_FROM

COHORT_SIZE = 25
DEMO_PASSWORD = "apdesk-demo"  # documented in the README; demo data only
SESSION_HOURS = Decimal(7)
COMPETENT_MEANING = "Observed in practice and competent"
CRITERION_MEANING = "Assessed against the Care Certificate criterion and met"
_FINISHED = (TraineeStatus.COMPLETED, TraineeStatus.AT_GATEWAY)
UPDATED_CARE_CERTIFICATE_PUBLISHED = date(2025, 3, 1)


class DatabaseNotEmptyError(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoSummary:
    employers: int
    cohorts: int
    trainees: int
    mentors: int
    sessions: int
    attendance_marks: int
    competency_signoffs: int
    criterion_signoffs: int


def load_demo_programme(
    database: Database,
    actor: Actor,
    *,
    trainees: int = 60,
    seed: int = 2019,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty database. ``progress(step, steps)`` is called between the building
    steps; raising from it abandons the whole load (one transaction, nothing saved)."""
    if trainees < 1:
        raise ValueError("the demo needs at least one trainee")
    with database.write() as session:
        existing = session.scalar(select(func.count(Trainee.id)))
        if existing:
            raise DatabaseNotEmptyError(
                f"This database already holds {existing} trainees; demo data only goes into an "
                "empty database. Use --database to choose a new file."
            )
        if session.scalar(select(func.count(User.id))):
            # Accounts exist, so set-up is over: only an administrator may fill the database.
            require_role(actor, (Role.ADMINISTRATOR,), "load the demo programme")
        builder = _DemoBuilder(session, random.Random(seed), today or date.today(), progress)
        summary = builder.build(trainees)
        record_change(
            session,
            actor,
            action="load_demo",
            entity="programme",
            entity_id=None,
            summary=f"Loaded the demo programme: {summary.trainees} trainees in "
            f"{summary.cohorts} cohorts (seed {seed})",
        )
        return summary


def _in_term(day: date) -> bool:
    """University teaching weeks: no day release in summer, at Christmas or at Easter."""
    christmas = (day.month == 12 and day.day > 17) or (day.month == 1 and day.day < 6)
    easter = day.month == 4 and day.day < 15
    return day.month not in (7, 8) and not christmas and not easter


class _DemoBuilder:
    def __init__(
        self,
        session: Session,
        rng: random.Random,
        today: date,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.session = session
        self.progress = progress or (lambda _done, _total: None)
        # Every demo account shares one password, hashed once: argon2 is slow on purpose.
        self.password_hash = hash_password(DEMO_PASSWORD)
        self.rng = rng
        self.today = today
        self.uln_serial = 100_000_000

    # -- organisations and people -------------------------------------------------------
    def build(self, trainee_count: int) -> DemoSummary:
        steps = 8
        self.progress(0, steps)
        areas = {area.name: area for area in self.session.scalars(select(IcsArea))}
        employers = [
            Employer(name=name, sector=sector, ics_area_id=areas[area].id)
            for name, sector, area in cast.EMPLOYERS
        ]
        providers = [
            EducationProvider(name=name, kind=kind, ukprn=ukprn)
            for name, kind, ukprn in cast.PROVIDERS
        ]
        self.session.add_all([*employers, *providers])
        self.session.flush()
        self._add_staff(employers, mentor_count=max(4, trainee_count // 6))
        self.progress(1, steps)
        cohorts = self._add_cohorts(providers, trainee_count)
        trainees = self._add_trainees(cohorts, employers, trainee_count)
        self.progress(2, steps)
        sessions, marks = self._add_registers(cohorts, trainees)
        self.progress(3, steps)
        self._add_logged_learning_and_reviews(trainees)
        self.progress(4, steps)
        competency_rows = self._add_competency_signoffs(trainees)
        self.progress(5, steps)
        criterion_rows = self._add_criterion_signoffs(trainees)
        self.progress(6, steps)
        self._add_bands(trainees)
        self.progress(7, steps)
        return DemoSummary(
            employers=len(employers),
            cohorts=len(cohorts),
            trainees=len(trainees),
            mentors=len(self.mentors),
            sessions=sessions,
            attendance_marks=marks,
            competency_signoffs=competency_rows,
            criterion_signoffs=criterion_rows,
        )

    def _insert(self, model: type[Base], rows: list[dict[str, Any]]) -> None:
        """Core executemany: the ORM's bulk path costs ~5× more per row and adds nothing here."""
        self.session.connection().execute(model.__table__.insert(), rows)

    def _name(self) -> tuple[str, str]:
        return self.rng.choice(cast.FIRST_NAMES), self.rng.choice(cast.LAST_NAMES)

    def _add_staff(self, employers: Sequence[Employer], mentor_count: int) -> None:
        taken = {name.casefold() for name in self.session.scalars(select(User.username))}
        staff = [
            User(
                username=username,
                full_name=name,
                role=role,
                password_hash=self.password_hash,
                job_title=title,
            )
            for username, name, role, title in cast.STAFF
            if username.casefold() not in taken
        ]
        self.mentors: list[User] = []
        for number in range(1, mentor_count + 1):
            first, last = self._name()
            body = self.rng.choice(cast.MENTOR_REGISTRATIONS)
            registration = {
                "NMC": f"NMC {self.rng.randint(10, 99)}{self.rng.choice('ABCDHI')}"
                f"{self.rng.randint(1000, 9999)}{self.rng.choice('EOS')}",
                "HCPC": f"HCPC OT{self.rng.randint(10000, 99999)}",
                "SWE": f"SWE SW{self.rng.randint(100000, 999999)}",
            }[body]
            mentor = User(
                username=f"mentor{number}",
                password_hash=self.password_hash,
                full_name=f"{first} {last}",
                role=Role.MENTOR,
                employer_id=employers[number % len(employers)].id,
                job_title={
                    "NMC": "Mental health nurse",
                    "HCPC": "Occupational therapist",
                    "SWE": "Social worker",
                }[body],
                professional_registration=registration,
                mentor_trained_on=date(2021, 1, 1) + timedelta(days=self.rng.randint(0, 900)),
            )
            self.mentors.append(mentor)
        self.session.add_all([*staff, *self.mentors])
        self.session.flush()
        self.mentors_by_id = {mentor.id: mentor for mentor in self.mentors}

    def _add_cohorts(
        self, providers: Sequence[EducationProvider], trainee_count: int
    ) -> list[Cohort]:
        standards = {s.version: s for s in self.session.scalars(select(ApprenticeshipStandard))}
        cohort_count = max(len(cast.COHORT_STARTS), -(-trainee_count // COHORT_SIZE))
        cohorts = []
        for index in range(cohort_count):
            start, prefix, version = cast.COHORT_STARTS[index % len(cast.COHORT_STARTS)]
            intake = index // len(cast.COHORT_STARTS)
            suffix = f" {chr(ord('A') + intake % 26)}{intake // 26 or ''}" if intake else ""
            standard = standards.get(version) or standards["1.1"]
            cohorts.append(
                Cohort(
                    name=f"{prefix} {start:%b %Y}{suffix}",
                    provider_id=providers[index % len(providers)].id,
                    start_date=start,
                    day_release_weekday=index % 5,
                    programme=cast.PROGRAMME,
                    standard_id=standard.id,
                    planned_places=COHORT_SIZE,
                )
            )
        self.session.add_all(cohorts)
        self.session.flush()
        return cohorts

    def _next_uln(self) -> str:
        while True:
            self.uln_serial += 1
            first_nine = str(self.uln_serial + 800_000_000)
            digit = uln_check_digit(first_nine)
            if digit is not None:
                return f"{first_nine}{digit}"

    def _add_trainees(
        self, cohorts: Sequence[Cohort], employers: Sequence[Employer], count: int
    ) -> list[Trainee]:
        service_areas = list(self.session.scalars(select(ServiceArea).order_by(ServiceArea.id)))
        versions = {v.code: v for v in self.session.scalars(select(CareCertificateVersion))}
        framework = self.session.scalars(select(CompetencyFramework)).first()
        assert framework is not None, "reference data must be loaded before the demo"
        trainees = []
        for index in range(count):
            cohort = cohorts[index % len(cohorts)]
            employer = employers[self.rng.randrange(len(employers))]
            area = service_areas[self.rng.randrange(len(service_areas))]
            first, last = self._name()
            start = cohort.start_date
            end = add_months(start, 24) - timedelta(days=1)
            hours = self.rng.choice((Decimal("37.5"),) * 6 + (Decimal(30), Decimal("22.5")))
            status = self._status_for(start, end)
            maths, maths_on = self._level2(start)
            english, english_on = self._level2(start)
            finished = status in _FINISHED
            years_done = min(2, max(0, (self.today - start).days // 365))
            trainees.append(
                Trainee(
                    first_name=first,
                    last_name=last,
                    employee_number=f"{20_000_000 + index * 7 + self.rng.randint(0, 6)}",
                    employer_id=employer.id,
                    uln=self._next_uln(),
                    email=f"{first}.{last}{index}@example.nhs.uk".lower().replace("'", ""),
                    service_area_id=area.id,
                    care_pathway=self.rng.choice(cast.CARE_PATHWAYS.get(area.name, ("",))) or None,
                    cohort_id=cohort.id,
                    mentor_id=self.mentors[self.rng.randrange(len(self.mentors))].id,
                    contracted_hours_per_week=hours,
                    start_date=start,
                    planned_end_date=end,
                    status=status,
                    maths_status=Level2Status.ACHIEVED if finished else maths,
                    maths_evidence_on=maths_on or (start if finished else None),
                    english_status=Level2Status.ACHIEVED if finished else english,
                    english_evidence_on=english_on or (start if finished else None),
                    lived_experience=self.rng.choice((None, None, True, False)),
                    standard_id=cohort.standard_id,
                    care_certificate_version_id=versions[self._care_certificate_version(start)].id,
                    competency_framework_id=framework.id,
                    foundation_degree_credits=240 if finished else 120 * years_done,
                    foundation_degree_awarded_on=end if finished else None,
                    employer_confirmed_gateway_on=end if finished else None,
                )
            )
        self.session.add_all(trainees)
        self.session.flush()
        self._add_apprentice_accounts(trainees)
        for trainee in trainees:
            if trainee.status == TraineeStatus.BREAK_IN_LEARNING:
                self.session.add(
                    LearningBreak(
                        trainee_id=trainee.id,
                        start_date=self.today - timedelta(days=self.rng.randint(20, 80)),
                        reason="Maternity leave",
                    )
                )
            elif trainee.status == TraineeStatus.IN_TRAINING and self.rng.random() < 0.03:
                break_start = trainee.start_date + timedelta(days=120)
                if break_start + timedelta(days=70) < self.today:
                    self.session.add(
                        LearningBreak(
                            trainee_id=trainee.id,
                            start_date=break_start,
                            end_date=break_start + timedelta(days=56),
                            reason="Long-term sickness",
                        )
                    )
            if self.rng.random() < 0.05:
                self.session.add(
                    RplReduction(
                        trainee_id=trainee.id,
                        hours=Decimal(self.rng.choice((30, 45, 60))),
                        reason="Prior Level 3 Diploma in Health and Social Care: mapped units",
                        agreed_on=trainee.start_date,
                    )
                )
        return trainees

    def _care_certificate_version(self, start: date) -> str:
        """2015 before August 2025, 2025 after; in the spring 2025 changeover some apprentices
        took the updated version, so one cohort holds both, as real ones did."""
        if start >= CARE_CERTIFICATE_2025_FROM:
            return "2025"
        if start >= UPDATED_CARE_CERTIFICATE_PUBLISHED - timedelta(days=60):
            return self.rng.choice(("2015", "2025"))
        return "2015"

    def _add_apprentice_accounts(self, trainees: Sequence[Trainee]) -> None:
        """apprentice1, apprentice2, … so an apprentice's own view can be tried."""
        accounts = [
            User(
                username=f"apprentice{number}",
                full_name=trainee.full_name,
                role=Role.APPRENTICE,
                password_hash=self.password_hash,
                email=trainee.email,
            )
            for number, trainee in enumerate(trainees, start=1)
        ]
        self.session.add_all(accounts)
        self.session.flush()
        for trainee, account in zip(trainees, accounts, strict=True):
            trainee.account_id = account.id
        self.session.flush()

    def _status_for(self, start: date, end: date) -> TraineeStatus:
        roll = self.rng.random()
        if start > self.today:
            return TraineeStatus.IN_TRAINING
        if end < self.today:
            return (
                TraineeStatus.COMPLETED
                if roll < 0.75
                else (TraineeStatus.AT_GATEWAY if roll < 0.92 else TraineeStatus.WITHDRAWN)
            )
        if roll < 0.03:
            return TraineeStatus.WITHDRAWN
        if roll < 0.06:
            return TraineeStatus.BREAK_IN_LEARNING
        return TraineeStatus.IN_TRAINING

    def _level2(self, start: date) -> tuple[Level2Status, date | None]:
        roll = self.rng.random()
        if roll < 0.75:
            return Level2Status.ACHIEVED, start - timedelta(days=self.rng.randint(200, 3000))
        if roll < 0.85:
            return Level2Status.EXEMPT, None
        return Level2Status.WORKING_TOWARDS, None

    # -- registers, logged learning, reviews ------------------------------------------
    def _active_window(self, trainee: Trainee) -> date:
        """The last day this trainee is learning, as far as the demo's history goes."""
        last = min(self.today, trainee.planned_end_date)
        if trainee.status == TraineeStatus.WITHDRAWN:
            last = min(last, trainee.start_date + timedelta(days=200))
        return last

    def _add_registers(
        self, cohorts: Sequence[Cohort], trainees: Sequence[Trainee]
    ) -> tuple[int, int]:
        by_cohort: dict[int, list[Trainee]] = {}
        for trainee in trainees:
            by_cohort.setdefault(trainee.cohort_id, []).append(trainee)
        reliability = {t.id: self.rng.uniform(0.6, 0.99) for t in trainees}
        session_count = 0
        marks: list[dict[str, Any]] = []
        for cohort in cohorts:
            sessions = self._session_dates(cohort)
            rows = [
                {
                    "cohort_id": cohort.id,
                    "session_date": day,
                    "module": module,
                    "hours": SESSION_HOURS,
                }
                for day, module in sessions
            ]
            if not rows:
                continue
            ids = self.session.scalars(
                insert(DayReleaseSession).returning(
                    DayReleaseSession.id, sort_by_parameter_order=True
                ),
                rows,
            ).all()
            session_count += len(ids)
            for session_id, (day, _module) in zip(ids, sessions, strict=True):
                for trainee in by_cohort.get(cohort.id, []):
                    if day > self._active_window(trainee):
                        continue
                    status, minutes = self._attendance(reliability[trainee.id])
                    marks.append(
                        {
                            "session_id": session_id,
                            "trainee_id": trainee.id,
                            "status": status,
                            "minutes_attended": minutes,
                            "note": "",
                        }
                    )
        if marks:
            self._insert(AttendanceMark, marks)
        return session_count, len(marks)

    def _session_dates(self, cohort: Cohort) -> list[tuple[date, str]]:
        first = cohort.start_date + timedelta(
            days=(cohort.day_release_weekday - cohort.start_date.weekday()) % 7
        )
        last = min(self.today, add_months(cohort.start_date, 22))
        sessions = []
        day = first
        while day <= last:
            if _in_term(day):
                term = (day - cohort.start_date).days // 91
                modules = cast.YEAR_ONE_MODULES if term < 4 else cast.YEAR_TWO_MODULES
                sessions.append((day, modules[term % 4]))
            day += timedelta(days=7)
        return sessions

    def _attendance(self, reliability: float) -> tuple[AttendanceStatus, int | None]:
        roll = self.rng.random()
        if roll < reliability:
            return AttendanceStatus.PRESENT, None
        roll = self.rng.random()
        if roll < 0.35:
            return AttendanceStatus.LATE, self.rng.choice((300, 330, 360, 390))
        if roll < 0.6:
            return AttendanceStatus.SICKNESS, None
        if roll < 0.75:
            return AttendanceStatus.AUTHORISED_ABSENCE, None
        if roll < 0.9:
            return AttendanceStatus.ANNUAL_LEAVE, None
        return AttendanceStatus.UNAUTHORISED_ABSENCE, None

    def _add_logged_learning_and_reviews(self, trainees: Sequence[Trainee]) -> None:
        activities: list[dict[str, Any]] = []
        reviews: list[dict[str, Any]] = []
        for trainee in trainees:
            last = self._active_window(trainee)
            diligence = self.rng.uniform(0.2, 1.2)
            month = 0
            while (day := add_months(trainee.start_date, month) + timedelta(days=10)) <= last:
                for kind, low, high in (
                    (OtjActivityKind.PRACTICAL_TRAINING, 1, 6),
                    (OtjActivityKind.ASSIGNMENT_WRITING, 1, 5),
                    (OtjActivityKind.REVISION, 0, 2),
                ):
                    hours = round(self.rng.uniform(low, high) * diligence * 2) / 2
                    if hours:
                        activities.append(self._activity(trainee, day, kind, hours))
                if trainee.maths_status == Level2Status.WORKING_TOWARDS:
                    activities.append(
                        self._activity(trainee, day, OtjActivityKind.ENGLISH_MATHS, 2)
                    )
                month += 1
            due = add_months(trainee.start_date, 3)
            while due <= last:
                overdue_now = add_months(due, 3) > self.today and self.rng.random() < 0.15
                held = None if overdue_now else due + timedelta(days=self.rng.randint(-10, 12))
                if held is not None and held > self.today:
                    held = None  # due soon, not held yet
                reviews.append(self._review(trainee, due, held))
                if held:
                    activities.append(
                        self._activity(trainee, held, OtjActivityKind.PROGRESS_REVIEW, 1)
                    )
                due = add_months(due, 3)
        if activities:
            self._insert(OtjActivity, activities)
        if reviews:
            self._insert(ProgressReview, reviews)

    @staticmethod
    def _activity(
        trainee: Trainee, day: date, kind: OtjActivityKind, hours: float
    ) -> dict[str, Any]:
        descriptions = {
            OtjActivityKind.PRACTICAL_TRAINING: "Shadowed a care coordinator on home visits",
            OtjActivityKind.ASSIGNMENT_WRITING: "Module assignment",
            OtjActivityKind.REVISION: "Revision for module exam",
            OtjActivityKind.ENGLISH_MATHS: "Functional skills maths session",
            OtjActivityKind.PROGRESS_REVIEW: "Tripartite progress review",
        }
        return {
            "trainee_id": trainee.id,
            "activity_date": day,
            "kind": kind,
            "hours": Decimal(str(hours)),
            "description": descriptions[kind],
        }

    def _review(self, trainee: Trainee, due: date, held: date | None) -> dict[str, Any]:
        signed = None if held is None else datetime.combine(held, time(15, 0), tzinfo=UTC)
        return {
            "trainee_id": trainee.id,
            "due_date": due,
            "held_on": held,
            "apprentice_comments": ""
            if held is None
            else "Enjoying placement; wants more group work.",
            "employer_comments": "" if held is None else "Working well with the MDT.",
            "provider_comments": "" if held is None else "Assignments on track.",
            "apprentice_signed_at": signed,
            "employer_signatory": None if held is None else "Line manager",
            "employer_signed_at": signed,
            "provider_signatory": None if held is None else "Programme tutor",
            "provider_signed_at": signed,
            "otj_reviewed": held is not None,
        }

    # -- sign-offs and bands -----------------------------------------------------------
    def _progress_fraction(self, trainee: Trainee, months: int) -> float:
        elapsed = (self._active_window(trainee) - trainee.start_date).days
        return max(0.0, min(1.0, elapsed / (months * 30.4)))

    def _signature(self, trainee: Trainee, on: date) -> dict[str, Any]:
        mentor = self.mentors_by_id[trainee.mentor_id]
        return {
            "signer_id": mentor.id,
            "signer_name": mentor.full_name,
            "signer_role": f"Mentor, {mentor.job_title}",
            "signer_registration": mentor.professional_registration,
            "signed_at": datetime.combine(on, time(16, 30), tzinfo=UTC),
        }

    def _add_competency_signoffs(self, trainees: Sequence[Trainee]) -> int:
        competencies = self.session.scalars(
            select(Competency)
            .join(CompetencyGroup)
            .order_by(CompetencyGroup.position, Competency.position)
        ).all()
        rows: list[dict[str, Any]] = []
        next_id = 1
        for trainee in trainees:
            fraction = self._progress_fraction(trainee, 22) * self.rng.uniform(0.8, 1.1)
            if trainee.status in _FINISHED:
                fraction = 1.0
            for competency in competencies[: int(len(competencies) * min(fraction, 1.0))]:
                observed = self._day_within(trainee, fraction)
                signature = self._signature(trainee, observed)
                rows.append(
                    {
                        "id": next_id,
                        "trainee_id": trainee.id,
                        "competency_id": competency.id,
                        "outcome": CompetencyOutcome.COMPETENT,
                        "observed_on": observed,
                        "setting": self.rng.choice(cast.SETTINGS),
                        "evidence": f"Observed: {competency.title.lower()}.",
                        "meaning": COMPETENT_MEANING,
                        "revokes_id": None,
                        "revocation_reason": None,
                        **signature,
                    }
                )
                next_id += 1
                if self.rng.random() < 0.01:
                    rows.append(
                        {
                            "id": next_id,
                            "trainee_id": trainee.id,
                            "competency_id": competency.id,
                            "revokes_id": next_id - 1,
                            "outcome": None,
                            "setting": "",
                            "evidence": "",
                            "observed_on": observed,
                            "meaning": "Revocation of an earlier sign-off",
                            "revocation_reason": self.rng.choice(cast.REVOCATION_REASONS),
                            **signature,
                        }
                    )
                    next_id += 1
        if rows:
            self._insert(CompetencySignoff, rows)
            catch_up_id_sequence(self.session.connection(), CompetencySignoff.__table__)
        return len(rows)

    def _day_within(self, trainee: Trainee, fraction: float) -> date:
        span = max(
            1, int((self._active_window(trainee) - trainee.start_date).days * min(fraction, 1.0))
        )
        return trainee.start_date + timedelta(days=self.rng.randint(0, span))

    def _add_criterion_signoffs(self, trainees: Sequence[Trainee]) -> int:
        criteria_by_version: dict[int, list[tuple[int, bool]]] = {}
        for version_id, criterion_id, observed in self.session.execute(
            select(
                CareCertificateStandard.version_id,
                CareCertificateCriterion.id,
                CareCertificateCriterion.requires_observation,
            )
            .join(
                CareCertificateOutcome,
                CareCertificateOutcome.id == CareCertificateCriterion.outcome_id,
            )
            .join(
                CareCertificateStandard,
                CareCertificateStandard.id == CareCertificateOutcome.standard_id,
            )
            .order_by(
                CareCertificateStandard.number,
                CareCertificateOutcome.position,
                CareCertificateCriterion.position,
            )
        ):
            criteria_by_version.setdefault(version_id, []).append((criterion_id, observed))
        rows: list[dict[str, Any]] = []
        for trainee in trainees:
            criteria = criteria_by_version.get(trainee.care_certificate_version_id, [])
            # The Care Certificate is usually completed in the first 12 weeks or so.
            fraction = self._progress_fraction(trainee, 4)
            if fraction >= 1.0 and trainee.status not in _FINISHED and self.rng.random() < 0.08:
                fraction = 0.9  # a few stragglers with standards still open
            for criterion_id, observed in criteria[: int(len(criteria) * fraction)]:
                assessed = trainee.start_date + timedelta(days=self.rng.randint(7, 110))
                assessed = min(assessed, self._active_window(trainee))
                rows.append(
                    {
                        "trainee_id": trainee.id,
                        "criterion_id": criterion_id,
                        "evidence_type": EvidenceType.OBSERVED_IN_PRACTICE
                        if observed
                        else EvidenceType.KNOWLEDGE,
                        "assessed_on": assessed,
                        "evidence": "Observed during practice"
                        if observed
                        else "Workbook answers checked",
                        "meaning": CRITERION_MEANING,
                        **self._signature(trainee, assessed),
                    }
                )
        if rows:
            self._insert(CriterionSignoff, rows)
        return len(rows)

    def _add_bands(self, trainees: Sequence[Trainee]) -> None:
        lead = self.session.scalars(select(User).where(User.role == Role.EDUCATION_LEAD)).first()
        assert lead is not None
        rows = []
        for trainee in trainees:
            entry_band = "2" if self.rng.random() < 0.4 else "3"
            history = [(entry_band, trainee.start_date, "Band on entry to the apprenticeship")]
            year_two = add_months(trainee.start_date, 12)
            if entry_band == "2" and year_two <= self._active_window(trainee):
                history.append(("3", year_two, "Year one complete; Care Certificate achieved"))
            if trainee.status == TraineeStatus.COMPLETED:
                history.append(
                    (
                        "4",
                        trainee.planned_end_date + timedelta(days=45),
                        "Foundation degree awarded and end-point assessment passed",
                    )
                )
            rows += [
                {
                    "trainee_id": trainee.id,
                    "band": band,
                    "effective_from": effective,
                    "decided_by_id": lead.id,
                    "decided_by_name": lead.full_name,
                    "reason": reason,
                }
                for band, effective, reason in history
            ]
        self._insert(BandChange, rows)
