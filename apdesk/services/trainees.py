"""Add and edit a trainee: the one place the rules for a trainee's details live.

The add/edit dialog, ``add_trainee``/``update_trainee`` and the spreadsheet import all turn
their input into a :class:`TraineeDetails` and check it with :func:`details_problems` and
:func:`duplicate_problems`, so a rule (and its wording) is written once. Messages start in
lower case because the import prefixes them ("Row 14: ULN 1234567890 fails its check
digit"); :func:`sentence` capitalises them for a form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import (
    AuditEntry,
    CareCertificateVersion,
    Cohort,
    CompetencyFramework,
    Employer,
    ServiceArea,
    Trainee,
    User,
)
from apdesk.domain.calendar import format_day
from apdesk.domain.enums import Level2Status, Role, TraineeStatus
from apdesk.domain.identifiers import check_uln
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.concurrency import ConflictError, conflict_error, refused_if_stale
from apdesk.services.errors import (
    ActionRefusedError,
    ProblemsRefusedError,
    RecordNotFoundError,
)
from apdesk.services.input_rules import (
    EARLIEST_DAY,
    LATEST_DAY,
    formula_start_problem,
    single_line_problem,
)
from apdesk.services.permissions import require_can_view, require_role

TRAINEE_EDITORS = (Role.EDUCATION_LEAD, Role.ADMINISTRATOR)
"""Who adds, edits and imports trainees: education leads, and administrators setting up."""
EDITING = "add or edit trainees"

CARE_CERTIFICATE_2025_FROM = date(2025, 8, 1)  # 2015 materials were withdrawn end of July 2025
MAX_CONTRACTED_HOURS = Decimal(48)  # Working Time Regulations weekly limit
MAX_FOUNDATION_DEGREE_CREDITS = 360  # an honours degree; a foundation degree is 240
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

DayFormat = Callable[[date], str]


@dataclass(frozen=True, kw_only=True)
class TraineeDetails:
    """Everything a person can enter or change about a trainee. Ids refer to the choices
    lists (apdesk.services.choices); ``None`` means not chosen yet."""

    first_name: str = ""
    last_name: str = ""
    employee_number: str = ""  # ESR assignment number, unique per employer
    employer_id: int | None = None
    uln: str | None = None
    email: str | None = None
    service_area_id: int | None = None
    care_pathway: str | None = None
    cohort_id: int | None = None
    mentor_id: int | None = None
    contracted_hours_per_week: Decimal | None = None
    start_date: date | None = None
    planned_end_date: date | None = None  # end of the practical period, before gateway
    status: TraineeStatus = TraineeStatus.IN_TRAINING
    maths_status: Level2Status = Level2Status.NOT_STARTED
    maths_evidence_on: date | None = None
    english_status: Level2Status = Level2Status.NOT_STARTED
    english_evidence_on: date | None = None
    care_certificate_version: str | None = None  # "2015" or "2025"; None: by start date
    lived_experience: bool | None = None
    foundation_degree_credits: int = 0
    foundation_degree_awarded_on: date | None = None
    employer_confirmed_gateway_on: date | None = None
    # The record's version as loaded, so a save made from it after someone else's is refused
    # (apdesk.services.concurrency). None: a new trainee, or a caller that loaded nothing.
    # Not compared: two details are equal when they say the same about the trainee.
    version: int | None = field(default=None, compare=False)

    def normalised(self) -> TraineeDetails:
        """Spaces trimmed, the ULN without spaces, blank optional text as None."""

        def text(value: str | None) -> str | None:
            return (value or "").strip() or None

        return replace(
            self,
            first_name=self.first_name.strip(),
            last_name=self.last_name.strip(),
            employee_number=self.employee_number.strip(),
            uln="".join((self.uln or "").split()) or None,
            email=text(self.email),
            care_pathway=text(self.care_pathway),
            care_certificate_version=text(self.care_certificate_version),
        )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


FIELD_ORDER: tuple[str, ...] = tuple(f.name for f in fields(TraineeDetails) if f.name != "version")
"""The order problems are listed in: the order of the form and of the import columns."""

_REQUIRED: tuple[tuple[str, str], ...] = (
    ("first_name", "first name"),
    ("last_name", "last name"),
    ("employee_number", "employee number"),
    ("employer_id", "employer"),
    ("service_area_id", "service area"),
    ("cohort_id", "cohort"),
    ("contracted_hours_per_week", "contracted hours"),
    ("start_date", "start date"),
    ("planned_end_date", "planned end date"),
)
# The database's column lengths; names and numbers never start like a spreadsheet formula.
_TEXT_FIELDS: tuple[tuple[str, str, int, bool], ...] = (
    ("uln", "ULN", 40, False),  # ten digits; the check below says so, short enough to quote
    ("first_name", "first name", 80, True),
    ("last_name", "last name", 80, True),
    ("employee_number", "employee number", 40, True),
    ("email", "e-mail address", 254, True),
    ("care_pathway", "care pathway", 120, True),
    ("care_certificate_version", "Care Certificate version", 20, False),
)
_DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("start_date", "start date"),
    ("planned_end_date", "planned end date"),
    ("maths_evidence_on", "maths evidence date"),
    ("english_evidence_on", "English evidence date"),
    ("foundation_degree_awarded_on", "foundation degree award date"),
    ("employer_confirmed_gateway_on", "employer's gateway confirmation date"),
)
_TENTH = Decimal("0.1")
_NOT_IN_THE_FUTURE: tuple[tuple[str, str], ...] = (
    ("maths_evidence_on", "maths evidence date"),
    ("english_evidence_on", "English evidence date"),
    ("foundation_degree_awarded_on", "foundation degree award date"),
    ("employer_confirmed_gateway_on", "employer's gateway confirmation date"),
)


class DetailsCheck(NamedTuple):
    """Problems by field name: errors stop a save, warnings (the temporary ULN) do not."""

    errors: dict[str, str]
    warnings: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


class TraineeDetailsRefusedError(ProblemsRefusedError):
    """A trainee's details were refused (add, edit)."""


def in_form_order(problems: Mapping[str, str]) -> dict[str, str]:
    """Problems in the order of the form and the import columns; other keys (an import's
    band, a missing framework) come last."""
    rank = {name: n for n, name in enumerate(FIELD_ORDER)}
    return {key: problems[key] for key in sorted(problems, key=lambda k: rank.get(k, len(rank)))}


def suggested_care_certificate_version(start: date) -> str:
    """The version an apprentice starting on ``start`` works to, unless told otherwise."""
    return "2025" if start >= CARE_CERTIFICATE_2025_FROM else "2015"


def details_problems(
    details: TraineeDetails,
    *,
    today: date,
    known_versions: Collection[str],
    day_format: DayFormat = format_day,
) -> DetailsCheck:
    """The rules a trainee's own details must meet, whatever they were entered through."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    for name, words in _REQUIRED:
        if getattr(details, name) in (None, ""):
            errors[name] = f"{words} is required"
    for name, words, limit, formula_matters in _TEXT_FIELDS:
        text = getattr(details, name) or ""
        problem = single_line_problem(words, text, limit)
        if problem is None and formula_matters:
            problem = formula_start_problem(words, text)
        if problem:
            errors[name] = problem
    if details.uln and "uln" not in errors:
        uln_check = check_uln(details.uln)
        if not uln_check.valid:
            errors["uln"] = uln_check.message
        elif uln_check.temporary:
            warnings["uln"] = uln_check.message
    if details.email and "email" not in errors and not _EMAIL.fullmatch(details.email):
        errors["email"] = f"e-mail address '{details.email}' is not a valid address"
    hours = details.contracted_hours_per_week
    if hours is not None:
        hours_problem = _hours_problem(hours)
        if hours_problem:
            errors["contracted_hours_per_week"] = hours_problem
    for name, words in _DATE_FIELDS:
        value = getattr(details, name)
        if value is not None and not EARLIEST_DAY <= value <= LATEST_DAY:
            errors[name] = (
                f"{words} {day_format(value)} is not a real date for an apprenticeship: "
                f"use a date from {EARLIEST_DAY.year} to {LATEST_DAY.year}"
            )
    start, end = details.start_date, details.planned_end_date
    if start and end and end <= start and "planned_end_date" not in errors:
        errors["planned_end_date"] = (
            f"planned end date {day_format(end)} is not after the start date"
        )
    for name, words in _NOT_IN_THE_FUTURE:
        value = getattr(details, name)
        if value is not None and value > today and name not in errors:
            errors[name] = f"{words} {day_format(value)} is in the future"
    version = details.care_certificate_version
    if version and version not in known_versions and "care_certificate_version" not in errors:
        allowed = " or ".join(sorted(known_versions))
        errors["care_certificate_version"] = (
            f"Care Certificate version must be {allowed}, not '{version}'"
        )
    credits = details.foundation_degree_credits
    if not 0 <= credits <= MAX_FOUNDATION_DEGREE_CREDITS:
        errors["foundation_degree_credits"] = (
            f"foundation degree credits must be between 0 and {MAX_FOUNDATION_DEGREE_CREDITS}"
        )
    return DetailsCheck(errors, warnings)


def _hours_problem(hours: Decimal) -> str | None:
    """Hours a week are more than 0, at most 48, and in tenths (the form's and the database's
    precision: 37.25 would be stored as 37.3 without a word)."""
    if not hours.is_finite():
        return "contracted hours must be a number"
    # 1E+999999999 written out in full would be a billion digits.
    shown = f"{hours.normalize():f}" if -7 < hours.adjusted() < 7 else f"{hours:.3E}"
    if not Decimal(0) < hours <= MAX_CONTRACTED_HOURS:
        return f"contracted hours {shown} must be more than 0 and at most 48"
    if hours != hours.quantize(_TENTH):
        return f"contracted hours {shown} must be in tenths of an hour, e.g. 37.5"
    return None


@dataclass
class ExistingTrainees:
    """Who already holds an employee number or a ULN, for the duplicate rules."""

    staff: dict[tuple[int, str], int] = field(default_factory=dict)  # (employer, number) → id
    ulns: dict[str, tuple[int, str]] = field(default_factory=dict)  # ULN → (id, name)
    employer_names: dict[int, str] = field(default_factory=dict)

    def add(
        self, trainee_id: int, employer_id: int, number: str, uln: str | None, name: str
    ) -> None:
        self.staff.setdefault(staff_key(employer_id, number), trainee_id)
        if uln and not check_uln(uln).temporary:
            self.ulns.setdefault(uln, (trainee_id, name))

    @classmethod
    def load(cls, session: Session, details: TraineeDetails | None = None) -> ExistingTrainees:
        """Everyone (for an import), or only those who clash with ``details`` (for a form)."""
        names = session.execute(select(Employer.id, Employer.name)).all()
        existing = cls(employer_names=dict(names))
        query = select(
            Trainee.id,
            Trainee.employer_id,
            Trainee.employee_number,
            Trainee.uln,
            Trainee.first_name,
            Trainee.last_name,
        )
        if details is not None:
            same_staff = (Trainee.employer_id == details.employer_id) & (
                func.lower(Trainee.employee_number) == details.employee_number.lower()
            )
            query = query.where(same_staff | (Trainee.uln == (details.uln or "")))
        for trainee_id, employer_id, number, uln, first, last in session.execute(query):
            existing.add(trainee_id, employer_id, number, uln, f"{first} {last}")
        return existing


def staff_key(employer_id: int, employee_number: str) -> tuple[int, str]:
    return employer_id, employee_number.strip().casefold()


def duplicate_problems(
    details: TraineeDetails, existing: ExistingTrainees, trainee_id: int | None = None
) -> dict[str, str]:
    """An employee number already used at the same employer, or a ULN on another trainee.

    The temporary ULN 9999999999 is shared by everyone still waiting for a real one.
    """
    problems: dict[str, str] = {}
    if details.employer_id is not None and details.employee_number:
        holder = existing.staff.get(staff_key(details.employer_id, details.employee_number))
        if holder is not None and holder != trainee_id:
            employer = existing.employer_names.get(details.employer_id, "this employer")
            problems["employee_number"] = (
                f"employee number {details.employee_number} at {employer} is already in APDesk"
            )
    uln = details.uln
    if uln:
        uln_check = check_uln(uln)
        owner = existing.ulns.get(uln) if uln_check.valid and not uln_check.temporary else None
        if owner is not None and owner[0] != trainee_id:
            problems["uln"] = f"ULN {uln} already belongs to {owner[1]}"
    return problems


@dataclass(frozen=True)
class TraineeReferences:
    """What a trainee's details imply: the cohort's standard, the version and framework ids."""

    cohort_standards: dict[int, int]
    care_certificate_versions: dict[str, int]  # code → id
    framework_id: int | None

    @classmethod
    def load(cls, session: Session) -> TraineeReferences:
        return cls(
            cohort_standards=dict(session.execute(select(Cohort.id, Cohort.standard_id)).all()),
            care_certificate_versions=dict(
                session.execute(
                    select(CareCertificateVersion.code, CareCertificateVersion.id)
                ).all()
            ),
            framework_id=session.scalar(
                select(CompetencyFramework.id).order_by(CompetencyFramework.id.desc()).limit(1)
            ),
        )

    def version_id(self, details: TraineeDetails) -> int:
        assert details.start_date is not None
        code = details.care_certificate_version or suggested_care_certificate_version(
            details.start_date
        )
        return self.care_certificate_versions[code]


_COPIED_AS_THEY_ARE = tuple(name for name in FIELD_ORDER if name != "care_certificate_version")


def apply_details(trainee: Trainee, details: TraineeDetails, references: TraineeReferences) -> None:
    """Copy checked details onto a trainee; the standard follows the cohort."""
    assert details.cohort_id is not None
    for name in _COPIED_AS_THEY_ARE:
        setattr(trainee, name, getattr(details, name))
    trainee.standard_id = references.cohort_standards[details.cohort_id]
    trainee.care_certificate_version_id = references.version_id(details)


def new_trainee(details: TraineeDetails, references: TraineeReferences) -> Trainee:
    """A trainee made from checked details, on the newest competency framework."""
    assert references.framework_id is not None
    trainee = Trainee(competency_framework_id=references.framework_id)
    apply_details(trainee, details, references)
    return trainee


def trainee_snapshot(trainee: Trainee) -> dict[str, object]:
    """The trainee's own columns, for the audit trail's before/after."""
    return {
        column.key: getattr(trainee, column.key)
        for column in Trainee.__table__.columns
        if column.key not in ("id", "created_at", "version")
    }


@dataclass(frozen=True)
class CareCertificateVersionChoice:
    code: str
    label: str


def care_certificate_versions(database: Database) -> list[CareCertificateVersionChoice]:
    with database.read() as session:
        rows = session.execute(
            select(CareCertificateVersion.code, CareCertificateVersion.title).order_by(
                CareCertificateVersion.code
            )
        )
        return [CareCertificateVersionChoice(code, title) for code, title in rows]


def trainee_details(database: Database, actor: Actor, trainee_id: int) -> TraineeDetails:
    """One trainee's details as entered, for someone allowed to see their records."""
    with database.read() as session:
        return _details_of(require_can_view(session, actor, trainee_id))


def _details_of(trainee: Trainee) -> TraineeDetails:
    return TraineeDetails(
        first_name=trainee.first_name,
        last_name=trainee.last_name,
        employee_number=trainee.employee_number,
        employer_id=trainee.employer_id,
        uln=trainee.uln,
        email=trainee.email,
        service_area_id=trainee.service_area_id,
        care_pathway=trainee.care_pathway,
        cohort_id=trainee.cohort_id,
        mentor_id=trainee.mentor_id,
        contracted_hours_per_week=trainee.contracted_hours_per_week,
        start_date=trainee.start_date,
        planned_end_date=trainee.planned_end_date,
        status=trainee.status,
        maths_status=trainee.maths_status,
        maths_evidence_on=trainee.maths_evidence_on,
        english_status=trainee.english_status,
        english_evidence_on=trainee.english_evidence_on,
        care_certificate_version=trainee.care_certificate_version.code,
        lived_experience=trainee.lived_experience,
        foundation_degree_credits=trainee.foundation_degree_credits,
        foundation_degree_awarded_on=trainee.foundation_degree_awarded_on,
        employer_confirmed_gateway_on=trainee.employer_confirmed_gateway_on,
        version=trainee.version,
    )


def check_trainee_details(
    database: Database,
    actor: Actor,
    details: TraineeDetails,
    trainee_id: int | None = None,
    *,
    today: date | None = None,
) -> DetailsCheck:
    """Every problem with ``details`` for a new trainee (or trainee ``trainee_id``), by field.

    Only for those who may save: the duplicate rules name whoever already holds a ULN.
    """
    require_role(actor, TRAINEE_EDITORS, EDITING)
    with database.read() as session:
        return _check(session, details.normalised(), trainee_id, today or date.today())


def _check(
    session: Session, details: TraineeDetails, trainee_id: int | None, today: date
) -> DetailsCheck:
    references = TraineeReferences.load(session)
    check = details_problems(
        details, today=today, known_versions=references.care_certificate_versions
    )
    errors = dict(check.errors)
    for name, message in _reference_problems(session, details, trainee_id).items():
        errors.setdefault(name, message)
    existing = ExistingTrainees.load(session, details)
    for name, message in duplicate_problems(details, existing, trainee_id).items():
        errors.setdefault(name, message)
    if references.framework_id is None:
        errors["competency_framework"] = (
            "no competency framework is loaded: check the resources folder"
        )
    return DetailsCheck(in_form_order(errors), check.warnings)


def _reference_problems(
    session: Session, details: TraineeDetails, trainee_id: int | None
) -> dict[str, str]:
    """Chosen records that have gone, and status changes that belong to another action."""
    problems: dict[str, str] = {}
    for name, table, words in (
        ("employer_id", Employer, "employer"),
        ("service_area_id", ServiceArea, "service area"),
        ("cohort_id", Cohort, "cohort"),
    ):
        chosen = getattr(details, name)
        if chosen is not None and session.get(table, chosen) is None:
            problems[name] = f"the chosen {words} no longer exists; choose another"
    current, current_mentor = None, None
    if trainee_id is not None:
        found = session.execute(
            select(Trainee.status, Trainee.mentor_id).where(Trainee.id == trainee_id)
        ).first()
        if found is not None:
            current, current_mentor = found
    # A mentor whose account was deactivated since may stay on an unrelated edit.
    if details.mentor_id is not None and details.mentor_id != current_mentor:
        mentor = session.get(User, details.mentor_id)
        if mentor is None or mentor.role is not Role.MENTOR or not mentor.is_active:
            problems["mentor_id"] = "the chosen mentor is not an active mentor; choose another"
    on_break = TraineeStatus.BREAK_IN_LEARNING
    if details.status is on_break and current is not on_break:
        problems["status"] = "a break in learning is started with 'Start break…', not here"
    elif current is on_break and details.status is TraineeStatus.IN_TRAINING:
        problems["status"] = "end the break in learning with 'End break…' to return to training"
    return problems


def add_trainee(
    database: Database, actor: Actor, details: TraineeDetails, *, today: date | None = None
) -> int:
    """Save a new trainee, or refuse with every problem; returns the new trainee's id."""
    require_role(actor, TRAINEE_EDITORS, EDITING)
    details = details.normalised()
    with database.write() as session:
        check = _check(session, details, None, today or date.today())
        if check.errors:
            raise TraineeDetailsRefusedError(check.errors)
        trainee = new_trainee(details, TraineeReferences.load(session))
        session.add(trainee)
        session.flush()
        record_change(
            session,
            actor,
            action="add",
            entity="trainee",
            entity_id=trainee.id,
            trainee_id=trainee.id,
            summary=f"Added {trainee.full_name}",
            after=trainee_snapshot(trainee),
        )
        return trainee.id


def update_trainee(
    database: Database,
    actor: Actor,
    trainee_id: int,
    details: TraineeDetails,
    *,
    today: date | None = None,
) -> None:
    """Save changed details, or refuse with every problem. Saving no change records nothing.

    Details loaded before someone else saved the trainee (an older ``details.version``) are
    refused with a :class:`ConflictError` naming who and when, unless they match the record
    as it now is (nothing would be lost). ``version`` None skips that check.
    """
    require_role(actor, TRAINEE_EDITORS, EDITING)
    details = details.normalised()
    with refused_if_stale(database, lambda session: _conflict(session, actor, trainee_id)):
        _update(database, actor, trainee_id, details, today or date.today())


def _update(
    database: Database, actor: Actor, trainee_id: int, details: TraineeDetails, today: date
) -> None:
    with database.write() as session:
        trainee = session.get(Trainee, trainee_id)
        if trainee is None:
            raise RecordNotFoundError("This trainee no longer exists")
        if details.version is not None and details.version != trainee.version:
            if details == _details_of(trainee):
                return
            raise _conflict(session, actor, trainee_id)
        check = _check(session, details, trainee_id, today)
        if check.errors:
            raise TraineeDetailsRefusedError(check.errors)
        before = trainee_snapshot(trainee)
        apply_details(trainee, details, TraineeReferences.load(session))
        after = trainee_snapshot(trainee)
        changed = [key for key in after if after[key] != before[key]]
        if not changed:
            return
        session.flush()  # the version check: raises StaleDataError if another writer won
        record_change(
            session,
            actor,
            action="edit",
            entity="trainee",
            entity_id=trainee.id,
            trainee_id=trainee.id,
            summary=f"Edited {trainee.full_name}: {', '.join(changed).replace('_', ' ')}",
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )


def _conflict(session: Session, actor: Actor, trainee_id: int) -> ConflictError:
    trainee = session.get(Trainee, trainee_id)
    name = trainee.full_name if trainee is not None else "This trainee"
    return conflict_error(
        session,
        actor,
        f"{name}'s record",
        (AuditEntry.entity == "trainee") & (AuditEntry.entity_id == trainee_id),
    )


def find_trainee(database: Database, actor: Actor, reference: str) -> int:
    """The id of the trainee a person named by id or by ULN (ten digits), if they may see them."""
    text = "".join(reference.split())
    if not text.isdigit():
        raise ActionRefusedError(f"'{reference}' is neither a trainee id nor a ULN (ten digits)")
    by_uln = len(text) == 10
    matching = Trainee.uln == text if by_uln else Trainee.id == int(text)
    with database.read() as session:
        found = session.scalars(select(Trainee.id).where(matching)).all()
        if not found:
            raise RecordNotFoundError(f"No trainee with {'ULN' if by_uln else 'id'} {text}")
        if len(found) > 1:
            raise ActionRefusedError(f"More than one trainee has ULN {text}; use the trainee id")
        require_can_view(session, actor, found[0])
        return found[0]
