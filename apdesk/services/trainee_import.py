"""Import trainees from a CSV or XLSX file: every row is checked, then all or nothing is saved.

The same service backs ``apdesk import-trainees`` and the desktop's import dialog.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import (
    BandChange,
    CareCertificateVersion,
    Cohort,
    CompetencyFramework,
    Employer,
    ServiceArea,
    Trainee,
    User,
)
from apdesk.domain.enums import Level2Status, Role, TraineeStatus
from apdesk.domain.identifiers import check_uln
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.spreadsheets import SheetRow, read_sheet

CARE_CERTIFICATE_2025_FROM = date(2025, 8, 1)  # 2015 materials were withdrawn end of July 2025
MAX_CONTRACTED_HOURS = Decimal(48)  # Working Time Regulations weekly limit


@dataclass(frozen=True)
class ImportColumn:
    name: str
    required: bool
    meaning: str


IMPORT_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("first_name", True, "Given name"),
    ImportColumn("last_name", True, "Family name"),
    ImportColumn("employee_number", True, "ESR assignment number; unique per employer"),
    ImportColumn("employer", True, "Employer name as held in APDesk"),
    ImportColumn("uln", False, "Unique Learner Number (10 digits); 9999999999 while awaited"),
    ImportColumn("email", False, "Work e-mail address"),
    ImportColumn("service_area", True, "Service area as held in APDesk, e.g. IAPT"),
    ImportColumn("care_pathway", False, "Care pathway, e.g. Early intervention in psychosis"),
    ImportColumn("cohort", True, "Cohort name as held in APDesk"),
    ImportColumn("mentor", False, "User name of the assigned mentor"),
    ImportColumn("contracted_hours", True, "Contracted hours per week, e.g. 37.5"),
    ImportColumn("start_date", True, "Apprenticeship start, YYYY-MM-DD or DD/MM/YYYY"),
    ImportColumn("planned_end_date", True, "Planned end of the practical period (before gateway)"),
    ImportColumn("maths_level2", False, "not_started, working_towards, achieved or exempt"),
    ImportColumn("maths_evidence_date", False, "Date of the maths evidence"),
    ImportColumn("english_level2", False, "not_started, working_towards, achieved or exempt"),
    ImportColumn("english_evidence_date", False, "Date of the English evidence"),
    ImportColumn("care_certificate_version", False, "2015 or 2025; blank: by start date"),
    ImportColumn("lived_experience", False, "yes, no or blank (optional, self-declared)"),
    ImportColumn("band", False, "Agenda for Change band on entry: 2 or 3"),
)
_KNOWN_COLUMNS = {column.name for column in IMPORT_COLUMNS}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # None: about the file as a whole
    message: str

    def __str__(self) -> str:
        return self.message if self.row is None else f"Row {self.row}: {self.message}"


@dataclass(frozen=True)
class ImportReport:
    file_name: str
    rows_read: int
    imported: int
    dry_run: bool
    errors: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Lookups:
    employers: dict[str, Employer]
    cohorts: dict[str, Cohort]
    service_areas: dict[str, ServiceArea]
    mentors: dict[str, User]
    care_certificates: dict[str, CareCertificateVersion]
    framework: CompetencyFramework | None
    existing_staff: set[tuple[int, str]] = field(default_factory=set)
    existing_ulns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> _Lookups:
        def by_name(rows: list) -> dict:
            return {row.name.casefold(): row for row in rows}

        lookups = cls(
            employers=by_name(list(session.scalars(select(Employer)))),
            cohorts=by_name(list(session.scalars(select(Cohort)))),
            service_areas=by_name(list(session.scalars(select(ServiceArea)))),
            mentors={
                user.username.casefold(): user
                for user in session.scalars(select(User).where(User.role == Role.MENTOR))
            },
            care_certificates={v.code: v for v in session.scalars(select(CareCertificateVersion))},
            framework=session.scalars(
                select(CompetencyFramework).order_by(CompetencyFramework.id.desc())
            ).first(),
        )
        for employer_id, number, uln, first, last in session.execute(
            select(
                Trainee.employer_id,
                Trainee.employee_number,
                Trainee.uln,
                Trainee.first_name,
                Trainee.last_name,
            )
        ):
            lookups.existing_staff.add((employer_id, number.casefold()))
            if uln:
                lookups.existing_ulns[uln] = f"{first} {last}"
        return lookups


def import_trainees(
    database: Database, path: Path, actor: Actor, *, dry_run: bool = False
) -> ImportReport:
    sheet = read_sheet(path)
    missing = [c.name for c in IMPORT_COLUMNS if c.required and c.name not in sheet.headers]
    unknown = [h for h in sheet.headers if h and h not in _KNOWN_COLUMNS]
    file_errors = [RowProblem(None, f"Missing column '{name}'") for name in missing]
    file_errors += [RowProblem(None, f"Unknown column '{name}'") for name in unknown]
    if file_errors:
        return ImportReport(path.name, len(sheet.rows), 0, dry_run, tuple(file_errors))
    if not sheet.rows:
        empty = RowProblem(None, "The file has column names but no trainees")
        return ImportReport(path.name, 0, 0, dry_run, (empty,))

    with database.write() as session:
        lookups = _Lookups.load(session)
        errors: list[RowProblem] = []
        warnings: list[RowProblem] = []
        drafts: list[tuple[Trainee, str | None]] = []
        seen_staff: dict[tuple[int, str], int] = {}
        seen_ulns: dict[str, int] = {}
        for row in sheet.rows:
            row_errors, row_warnings, draft = _build_trainee(row, lookups)
            if draft is not None:
                trainee, _band = draft
                staff_key = (trainee.employer_id, trainee.employee_number.casefold())
                if staff_key in lookups.existing_staff:
                    row_errors.append(
                        f"employee number {trainee.employee_number} at "
                        f"{row.values['employer']} is already in APDesk"
                    )
                elif staff_key in seen_staff:
                    row_errors.append(
                        f"employee number {trainee.employee_number} repeats row "
                        f"{seen_staff[staff_key]}"
                    )
                seen_staff.setdefault(staff_key, row.number)
                uln = trainee.uln
                if uln and not check_uln(uln).temporary:
                    if uln in lookups.existing_ulns:
                        row_errors.append(
                            f"ULN {uln} already belongs to {lookups.existing_ulns[uln]}"
                        )
                    elif uln in seen_ulns:
                        row_errors.append(f"ULN {uln} repeats row {seen_ulns[uln]}")
                    seen_ulns.setdefault(uln, row.number)
            errors += [RowProblem(row.number, message) for message in row_errors]
            warnings += [RowProblem(row.number, message) for message in row_warnings]
            if draft is not None and not row_errors:
                drafts.append(draft)

        if errors or dry_run:
            imported = 0 if errors else len(drafts)
            session.rollback()
            return ImportReport(
                path.name, len(sheet.rows), imported, dry_run, tuple(errors), tuple(warnings)
            )

        session.add_all(trainee for trainee, _ in drafts)
        session.flush()
        for trainee, band in drafts:
            if band:
                session.add(
                    BandChange(
                        trainee_id=trainee.id,
                        band=band,
                        effective_from=trainee.start_date,
                        decided_by_id=actor.user_id,
                        decided_by_name=actor.name,
                        reason="Band on entry, from import",
                    )
                )
            record_change(
                session,
                actor,
                action="import",
                entity="trainee",
                entity_id=trainee.id,
                trainee_id=trainee.id,
                summary=f"Imported {trainee.full_name} from {path.name}",
                after=trainee_snapshot(trainee),
            )
        return ImportReport(path.name, len(sheet.rows), len(drafts), False, (), tuple(warnings))


def trainee_snapshot(trainee: Trainee) -> dict[str, object]:
    """The trainee's own columns, for the audit trail's before/after."""
    return {
        column.key: getattr(trainee, column.key)
        for column in Trainee.__table__.columns
        if column.key not in ("id", "created_at")
    }


def _build_trainee(
    row: SheetRow, lookups: _Lookups
) -> tuple[list[str], list[str], tuple[Trainee, str | None] | None]:
    values = row.values
    errors: list[str] = []
    warnings: list[str] = []

    for column in IMPORT_COLUMNS:
        if column.required and not values.get(column.name):
            errors.append(f"{column.name.replace('_', ' ')} is required")

    def look_up(kind: str, table: Mapping[str, object], key: str) -> object | None:
        name = values.get(key, "")
        if not name:
            return None
        found = table.get(name.casefold())
        if found is None:
            errors.append(f"unknown {kind} '{name}'")
        return found

    employer = look_up("employer", lookups.employers, "employer")
    cohort = look_up("cohort", lookups.cohorts, "cohort")
    service_area = look_up("service area", lookups.service_areas, "service_area")
    mentor = look_up("mentor (user name of a mentor account)", lookups.mentors, "mentor")

    uln = "".join(values.get("uln", "").split()) or None
    if uln:
        uln_check = check_uln(uln)
        if not uln_check.valid:
            errors.append(uln_check.message)
        elif uln_check.temporary:
            warnings.append(uln_check.message)

    hours = _parse_hours(values.get("contracted_hours", ""), errors)
    start = _parse_date(values, "start_date", errors)
    end = _parse_date(values, "planned_end_date", errors)
    if start and end and end <= start:
        errors.append(f"planned end date {end:%d/%m/%Y} is not after the start date")
    maths = _parse_level2(values, "maths_level2", errors)
    english = _parse_level2(values, "english_level2", errors)
    maths_on = _parse_date(values, "maths_evidence_date", errors)
    english_on = _parse_date(values, "english_evidence_date", errors)
    lived = _parse_yes_no(values.get("lived_experience", ""), errors)
    band = values.get("band", "") or None
    if band is not None and band not in ("2", "3"):
        errors.append(f"band on entry must be 2 or 3, not '{band}'")

    version_code = values.get("care_certificate_version", "")
    if not version_code and start:
        version_code = "2025" if start >= CARE_CERTIFICATE_2025_FROM else "2015"
    care_certificate = lookups.care_certificates.get(version_code) if version_code else None
    if version_code and care_certificate is None:
        errors.append(f"Care Certificate version must be 2015 or 2025, not '{version_code}'")
    if lookups.framework is None:
        errors.append("no competency framework is loaded: check the resources folder")

    if errors:
        return errors, warnings, None
    assert isinstance(employer, Employer) and isinstance(cohort, Cohort)
    assert isinstance(service_area, ServiceArea) and lookups.framework is not None
    assert start and end and hours and care_certificate
    trainee = Trainee(
        first_name=values["first_name"],
        last_name=values["last_name"],
        employee_number=values["employee_number"],
        employer_id=employer.id,
        uln=uln,
        email=values.get("email") or None,
        service_area_id=service_area.id,
        care_pathway=values.get("care_pathway") or None,
        cohort_id=cohort.id,
        mentor_id=mentor.id if isinstance(mentor, User) else None,
        contracted_hours_per_week=hours,
        start_date=start,
        planned_end_date=end,
        status=TraineeStatus.IN_TRAINING,
        maths_status=maths,
        maths_evidence_on=maths_on,
        english_status=english,
        english_evidence_on=english_on,
        lived_experience=lived,
        standard_id=cohort.standard_id,
        care_certificate_version_id=care_certificate.id,
        competency_framework_id=lookups.framework.id,
    )
    return errors, warnings, (trainee, band)


def parse_day(text: str) -> date:
    """A date as typed in England: YYYY-MM-DD, or DD/MM/YYYY (never the US order)."""
    text = text.strip()
    if "/" in text:
        day, month, year = text.split("/")
        if len(year) != 4:
            raise ValueError(text)
        return date(int(year), int(month), int(day))
    return date.fromisoformat(text)


def _parse_date(values: Mapping[str, str], key: str, errors: list[str]) -> date | None:
    text = values.get(key, "")
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        errors.append(f"{key.replace('_', ' ')} '{text}' is not a date (use DD/MM/YYYY)")
        return None


def _parse_hours(text: str, errors: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        hours = Decimal(text)
    except InvalidOperation:
        errors.append(f"contracted hours '{text}' is not a number")
        return None
    if not Decimal(0) < hours <= MAX_CONTRACTED_HOURS:
        errors.append(f"contracted hours {text} must be more than 0 and at most 48")
        return None
    return hours


def _parse_level2(values: Mapping[str, str], key: str, errors: list[str]) -> Level2Status:
    text = values.get(key, "").strip().lower().replace(" ", "_")
    if not text:
        return Level2Status.NOT_STARTED
    try:
        return Level2Status(text)
    except ValueError:
        allowed = ", ".join(status.value for status in Level2Status)
        errors.append(f"{key.replace('_', ' ')} '{values[key]}' must be one of {allowed}")
        return Level2Status.NOT_STARTED


def _parse_yes_no(text: str, errors: list[str]) -> bool | None:
    answer = text.strip().lower()
    if not answer:
        return None
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    errors.append(f"lived experience '{text}' must be yes, no or blank")
    return None
