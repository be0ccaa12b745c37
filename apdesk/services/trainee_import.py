"""Import trainees from a CSV or XLSX file: every row is checked, then all or nothing is saved.

The same service backs ``apdesk import-trainees`` and the desktop's import dialog. A row is
read into the same :class:`TraineeDetails` the add/edit dialog produces and checked by the
same rules (apdesk.services.trainees); only reading the text (dates, numbers, names of
employers and cohorts) and repeats within the file are this module's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import BandChange, Cohort, Employer, ServiceArea, User
from apdesk.domain.enums import Level2Status, Role
from apdesk.domain.identifiers import check_uln
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.input_rules import EARLIEST_DAY, LATEST_DAY
from apdesk.services.permissions import require_role
from apdesk.services.spreadsheets import Sheet, SheetRow, read_sheet
from apdesk.services.trainees import (
    CARE_CERTIFICATE_2025_FROM,
    MAX_CONTRACTED_HOURS,
    TRAINEE_EDITORS,
    ExistingTrainees,
    TraineeDetails,
    TraineeReferences,
    details_problems,
    duplicate_problems,
    in_form_order,
    new_trainee,
    staff_key,
    trainee_snapshot,
)

__all__ = [
    "CARE_CERTIFICATE_2025_FROM",
    "IMPORT_COLUMNS",
    "MAX_CONTRACTED_HOURS",
    "ImportColumn",
    "ImportReport",
    "RowProblem",
    "import_trainees",
    "parse_day",
    "read_day",
    "trainee_snapshot",
]

Progress = Callable[[int, int], None]  # (rows checked, rows in the file)


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
    ImportColumn("start_date", True, "Apprenticeship start: DD/MM/YYYY, 31-Jan-2026 or YYYY-MM-DD"),
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
# The TraineeDetails field each column fills, so problems come out in the form's order.
_FIELD_OF_COLUMN = {
    "employer": "employer_id",
    "service_area": "service_area_id",
    "cohort": "cohort_id",
    "mentor": "mentor_id",
    "contracted_hours": "contracted_hours_per_week",
    "maths_level2": "maths_status",
    "maths_evidence_date": "maths_evidence_on",
    "english_level2": "english_status",
    "english_evidence_date": "english_evidence_on",
}
_COLUMN_WORDS = {
    "uln": "ULN",
    "email": "e-mail address",
    "english_level2": "English level2",
    "english_evidence_date": "English evidence date",
}
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e\+?\d+", re.IGNORECASE)  # 9.28E+09: Excel rounded it
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
    """Names in the file → ids, and who is already in APDesk, loaded once per import."""

    employers: dict[str, int]
    cohorts: dict[str, int]
    service_areas: dict[str, int]
    mentors: dict[str, int]
    references: TraineeReferences
    existing: ExistingTrainees

    @classmethod
    def load(cls, session: Session) -> _Lookups:
        def by_name(rows: object) -> dict[str, int]:
            return {_lookup_key(name): row_id for row_id, name in rows}  # type: ignore[attr-defined]

        return cls(
            employers=by_name(session.execute(select(Employer.id, Employer.name))),
            cohorts=by_name(session.execute(select(Cohort.id, Cohort.name))),
            service_areas=by_name(session.execute(select(ServiceArea.id, ServiceArea.name))),
            mentors=by_name(
                session.execute(select(User.id, User.username).where(User.role == Role.MENTOR))
            ),
            references=TraineeReferences.load(session),
            existing=ExistingTrainees.load(session),
        )


@dataclass(frozen=True)
class _CheckedRow:
    details: TraineeDetails
    band: str | None
    errors: list[str]
    warnings: list[str]


def import_trainees(
    database: Database,
    path: Path,
    actor: Actor,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportReport:
    """Check every row, then save all of them or none.

    ``progress(done, total)`` is called after each row is checked; if it raises (the person
    cancelled), the transaction rolls back and the exception propagates. Only an education
    lead or an administrator may import: anyone else is refused before the file is read
    (PermissionDeniedError). A file that is not a table at all raises UnreadableFileError;
    every other problem is in the report, by row and column, and then nothing is saved.
    """
    require_role(actor, TRAINEE_EDITORS, "import trainees")
    sheet = read_sheet(path)
    file_errors = _column_problems(sheet)
    if file_errors:
        return ImportReport(path.name, len(sheet.rows), 0, dry_run, tuple(file_errors))
    if not sheet.rows:
        empty = RowProblem(None, "The file has column names but no trainees")
        return ImportReport(path.name, 0, 0, dry_run, (empty,))

    today = today or date.today()
    total = len(sheet.rows)
    with database.write() as session:
        lookups = _Lookups.load(session)
        errors: list[RowProblem] = []
        warnings = _sheet_warnings(sheet)
        drafts: list[tuple[TraineeDetails, str | None]] = []
        seen_staff: dict[tuple[int, str], int] = {}
        seen_ulns: dict[str, int] = {}
        for done, row in enumerate(sheet.rows, start=1):
            checked = _check_row(row, lookups, today)
            row_errors = checked.errors
            if not row_errors:  # a row with other errors is not trusted to say what repeats
                row_errors = _repeats(checked.details, row.number, seen_staff, seen_ulns)
            errors += [RowProblem(row.number, message) for message in row_errors]
            warnings += [RowProblem(row.number, message) for message in checked.warnings]
            if not row_errors:
                drafts.append((checked.details, checked.band))
            if progress is not None:
                progress(done, total)

        if errors or dry_run:
            imported = 0 if errors else len(drafts)
            session.rollback()
            return ImportReport(path.name, total, imported, dry_run, tuple(errors), tuple(warnings))

        trainees = [(new_trainee(details, lookups.references), band) for details, band in drafts]
        session.add_all(trainee for trainee, _ in trainees)
        session.flush()
        for trainee, band in trainees:
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
        return ImportReport(path.name, total, len(trainees), False, (), tuple(warnings))


def _repeats(
    details: TraineeDetails,
    row_number: int,
    seen_staff: dict[tuple[int, str], int],
    seen_ulns: dict[str, int],
) -> list[str]:
    """An employee number or a (real) ULN already used by an earlier row of the file."""
    problems: dict[str, str] = {}
    assert details.employer_id is not None
    key = staff_key(details.employer_id, details.employee_number)
    if key in seen_staff:
        problems["employee_number"] = (
            f"employee number {details.employee_number} repeats row {seen_staff[key]}"
        )
    seen_staff.setdefault(key, row_number)
    uln = details.uln
    if uln and not check_uln(uln).temporary:
        if uln in seen_ulns:
            problems["uln"] = f"ULN {uln} repeats row {seen_ulns[uln]}"
        seen_ulns.setdefault(uln, row_number)
    return list(in_form_order(problems).values())


def _column_problems(sheet: Sheet) -> list[RowProblem]:
    """Columns missing, unknown (a misspelt optional column would lose its data) or named
    twice (which of the two is meant?)."""
    headers = sheet.headers
    missing = [c.name for c in IMPORT_COLUMNS if c.required and c.name not in headers]
    unknown = [h for h in dict.fromkeys(headers) if h and h not in _KNOWN_COLUMNS]
    problems = [RowProblem(None, f"Missing column '{name}'") for name in missing]
    problems += [RowProblem(None, f"Unknown column '{_shown(name)}'") for name in unknown]
    problems += [
        RowProblem(
            None, f"Column '{_shown(name)}' appears more than once: columns {' and '.join(letters)}"
        )
        for name, letters in sheet.repeated_headers().items()
    ]
    return problems


def _sheet_warnings(sheet: Sheet) -> list[RowProblem]:
    warnings = [RowProblem(None, note) for note in sheet.notes]
    warnings += [
        RowProblem(
            cell.row,
            f"column {cell.column} has no column name, so '{cell.text}' in it was not imported",
        )
        for cell in sheet.stray_cells
    ]
    return warnings


def _column_words(column: str) -> str:
    return _COLUMN_WORDS.get(column, column.replace("_", " "))


def _shown(text: str, limit: int = 40) -> str:
    """Cell text quoted in a message, cut short: a 5,000-character cell is not repeated."""
    return text if len(text) <= limit else f"{text[:limit]}…"


def _spreadsheet_day(day: date) -> str:
    """Dates in import messages are written as people type them in a spreadsheet."""
    return f"{day:%d/%m/%Y}"


def _check_row(row: SheetRow, lookups: _Lookups, today: date) -> _CheckedRow:
    """Read a row into TraineeDetails and check it: text that cannot be read is reported
    by this module; everything else by the shared trainee rules."""
    problems: dict[str, str] = {  # field → what is wrong with its text; the first one stays
        _FIELD_OF_COLUMN.get(column, column): f"{_column_words(column)} {problem}"
        for column, problem in row.cell_problems.items()
    }
    notes: dict[str, str] = {}  # field → how a value was read, when the person should check
    # A cell already reported is read as blank, so the parsers below (which only report
    # text they cannot read) never overwrite its message.
    values = {k: v for k, v in row.values.items() if k not in row.cell_problems}

    def report(field: str, message: str) -> None:
        problems.setdefault(field, message)

    def look_up(kind: str, table: Mapping[str, int], column: str, field: str) -> int | None:
        name = values.get(column, "")
        if not name:
            return None
        found = table.get(_lookup_key(name))
        if found is None:
            report(field, f"unknown {kind} '{_shown(name)}'")
        return found

    def day(column: str, field: str) -> date | None:
        return _parse_date(values, column, field, problems, notes)

    for column, field in (("uln", "uln"), ("employee_number", "employee_number")):
        text = values.get(column, "")
        if _SCIENTIFIC.fullmatch(text):
            report(
                field,
                f"{_column_words(column)} '{text}' was rounded by Excel into a short number: "
                f"format the {_column_words(column)} column as Text and enter them again",
            )
    uln = values.get("uln", "")
    if re.fullmatch(r"\d{10}\.0+", uln):  # a number column saved by a program: 9276308686.0
        uln = uln.split(".")[0]

    details = TraineeDetails(
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        employee_number=values.get("employee_number", ""),
        employer_id=look_up("employer", lookups.employers, "employer", "employer_id"),
        uln=uln or None,
        email=values.get("email"),
        service_area_id=look_up(
            "service area", lookups.service_areas, "service_area", "service_area_id"
        ),
        care_pathway=values.get("care_pathway"),
        cohort_id=look_up("cohort", lookups.cohorts, "cohort", "cohort_id"),
        mentor_id=look_up(
            "mentor (user name of a mentor account)", lookups.mentors, "mentor", "mentor_id"
        ),
        contracted_hours_per_week=_parse_hours(values.get("contracted_hours", ""), problems),
        start_date=day("start_date", "start_date"),
        planned_end_date=day("planned_end_date", "planned_end_date"),
        maths_status=_parse_level2(values, "maths_level2", "maths_status", problems),
        maths_evidence_on=day("maths_evidence_date", "maths_evidence_on"),
        english_status=_parse_level2(values, "english_level2", "english_status", problems),
        english_evidence_on=day("english_evidence_date", "english_evidence_on"),
        care_certificate_version=values.get("care_certificate_version"),
        lived_experience=_parse_yes_no(values.get("lived_experience", ""), problems),
    ).normalised()
    band = _parse_band(values.get("band", ""), report)

    check = details_problems(
        details,
        today=today,
        known_versions=lookups.references.care_certificate_versions,
        day_format=_spreadsheet_day,
    )
    for name, message in check.errors.items():
        report(name, message)
    for name, message in duplicate_problems(details, lookups.existing).items():
        report(name, message)
    if lookups.references.framework_id is None:
        report(
            "competency_framework", "no competency framework is loaded: check the resources folder"
        )
    warnings = {**notes, **check.warnings}
    return _CheckedRow(
        details,
        band,
        list(in_form_order(problems).values()),
        list(in_form_order(warnings).values()),
    )


def _lookup_key(name: str) -> str:
    """Names match whatever their case and spacing: 'test  trust nhs ft' is Test Trust NHS FT."""
    return " ".join(name.split()).casefold()


def _parse_band(text: str, report: Callable[[str, str], None]) -> str | None:
    """'3', 'Band 3' or 'band3' → '3'."""
    if not text:
        return None
    found = re.fullmatch(r"(?:band\s*)?([23])", text.strip(), re.IGNORECASE)
    if found is None:
        report("band", f"band on entry must be 2 or 3, not '{_shown(text)}'")
        return None
    return found[1]


_EXCEL_DAY_ZERO = date(1899, 12, 30)  # serial 1 is 1 Jan 1900 (Excel counts a 29 Feb 1900)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
# English whatever the desktop's locale: these are the words trusts' spreadsheets hold.
_MONTHS = {name: n for n, name in enumerate(_MONTH_NAMES, start=1)} | {
    name[:3]: n for n, name in enumerate(_MONTH_NAMES, start=1)
}
_MONTHS["sept"] = 9
# Year first is never ambiguous: 2026-01-31, 2026/01/31, and a time after it (lower-cased).
_YEAR_FIRST = re.compile(
    r"(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?z?)?"
)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})")
_NAMED_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s/.-]*([a-z]+)\.?[\s/.,-]*(\d{4}|\d{2})")
_MONTH_FIRST = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_EXCEL_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")  # 10000 is 18 May 1927, 73050 31 Dec 2099


class DayNotReadError(ValueError):
    """A text that is not a date; ``reason`` finishes "start date '…' is not a date"."""

    def __init__(self, text: str, reason: str = " (use DD/MM/YYYY)") -> None:
        super().__init__(text)
        self.reason = reason


def parse_day(text: str) -> date:
    """A date as typed in England (never the US order): see :func:`read_day`."""
    return read_day(text)[0]


def read_day(text: str) -> tuple[date, bool]:
    """A date as trusts' spreadsheets hold it, and whether it was an Excel serial number.

    31/01/2026, 31/01/26, 31.01.2026, 31-Jan-2026, 31 January 2026, January 31, 2026,
    2026-01-31 or 2026/01/31 (with or without a time) and Excel's serial 46053 are all
    31 January 2026.
    01/31/2026 is refused (there is no month 31) rather than swapped; a two-digit year
    is 2000–2069 or 1970–1999.
    """
    cleaned = " ".join(text.split()).lower()
    serial = _EXCEL_SERIAL.fullmatch(cleaned)
    if serial:
        return _plausible(text, _EXCEL_DAY_ZERO + timedelta(days=int(serial[1]))), True
    if found := _YEAR_FIRST.fullmatch(cleaned):
        year, month, day = found[1], found[3], found[4]
    elif found := _DAY_MONTH_YEAR.fullmatch(cleaned):
        day, month, year = found[1], found[3], found[4]
        if int(month) > 12 >= int(day) and int(month) <= 31:
            raise DayNotReadError(
                text,
                f": dates are day/month/year and there is no month {int(month)} "
                f"(write {int(month):02d}/{int(day):02d}/{year})",
            )
    elif found := _NAMED_MONTH.fullmatch(cleaned) or _MONTH_FIRST.fullmatch(cleaned):
        named = found.re is _MONTH_FIRST
        words, day = (found[1], found[2]) if named else (found[2], found[1])
        year = found[3]
        if words not in _MONTHS:
            raise DayNotReadError(text)
        month = str(_MONTHS[words])
    else:
        raise DayNotReadError(text)
    full_year = int(year) if len(year) == 4 else int(year) + (2000 if int(year) < 70 else 1900)
    try:
        found_day = date(full_year, int(month), int(day))
    except ValueError as error:  # 31/02/2025
        raise DayNotReadError(text) from error
    return _plausible(text, found_day), False


def _plausible(text: str, day: date) -> date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise DayNotReadError(
            text, f": APDesk takes dates from {EARLIEST_DAY.year} to {LATEST_DAY.year}"
        )
    return day


def _parse_date(
    values: Mapping[str, str],
    column: str,
    field: str,
    problems: dict[str, str],
    notes: dict[str, str],
) -> date | None:
    text = values.get(column, "")
    if not text:
        return None
    words = _column_words(column)
    try:
        day, from_serial = read_day(text)
    except DayNotReadError as error:
        problems[field] = f"{words} '{_shown(text)}' is not a date{error.reason}"
        return None
    if from_serial:
        notes[field] = f"{words} {text} was read as an Excel date number: {_spreadsheet_day(day)}"
    return day


def _parse_hours(text: str, problems: dict[str, str]) -> Decimal | None:
    if not text:
        return None
    try:
        hours = Decimal(text)
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite():
        problems["contracted_hours_per_week"] = f"contracted hours '{_shown(text)}' is not a number"
        return None
    return hours


def _parse_level2(
    values: Mapping[str, str], column: str, field: str, problems: dict[str, str]
) -> Level2Status:
    text = "_".join(values.get(column, "").lower().replace("-", " ").split())
    if not text:
        return Level2Status.NOT_STARTED
    try:
        return Level2Status(text)
    except ValueError:
        allowed = ", ".join(status.value for status in Level2Status)
        shown = _shown(values[column])
        problems[field] = f"{_column_words(column)} '{shown}' must be one of {allowed}"
        return Level2Status.NOT_STARTED


def _parse_yes_no(text: str, problems: dict[str, str]) -> bool | None:
    answer = text.strip().lower()
    if not answer:
        return None
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    problems["lived_experience"] = f"lived experience '{_shown(text)}' must be yes, no or blank"
    return None
