"""Day-release sessions and their registers: create a session, take or correct the register,
and see how a cohort is attending and keeping up with its off-the-job (OTJ) hours.

Attendance marks are editable records (not sign-offs): a wrong mark is corrected in place,
and every change is written to the audit trail with what it was before and after.

Sessions and registers are the education lead's: they create sessions and take registers;
administrators may look (they set databases up); mentors and apprentices see attendance
through a trainee's own progress, never a cohort's register.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from apdesk.db.database import Database
from apdesk.db.models import (
    AttendanceMark,
    AuditEntry,
    Cohort,
    DayReleaseSession,
    LearningBreak,
    Trainee,
)
from apdesk.db.models.base import utc_now
from apdesk.domain.attendance import AttendanceSummary, summarise_attendance
from apdesk.domain.calendar import format_day
from apdesk.domain.enums import AttendanceStatus, Role, TraineeStatus
from apdesk.domain.otj import OtjProgress
from apdesk.domain.units import format_number, format_plain
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.concurrency import ConflictError, conflict_error, refused_if_stale
from apdesk.services.errors import ActionRefusedError
from apdesk.services.input_rules import multi_line_problem
from apdesk.services.permissions import require_role
from apdesk.services.programme_rules import load_programme_rules
from apdesk.services.progress import TraineeProgress, list_trainee_progress

MIN_SESSION_HOURS = Decimal("0.5")
MAX_SESSION_HOURS = Decimal(12)
DEFAULT_SESSION_HOURS = Decimal(7)
MAX_MODULE_LENGTH = 160  # the column's length
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Statuses where minutes attended mean something: a late arrival or an early leaver.
MINUTES_APPLY = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})
# Who takes registers and adds sessions, and who may look at them (a tuple, not a set, so a
# refusal names the roles in the same order every time).
TAKES_REGISTERS = (Role.EDUCATION_LEAD,)
SEES_REGISTERS = (Role.EDUCATION_LEAD, Role.ADMINISTRATOR)
SEEING = "see cohort registers"
# Whoever finished their practical period was in training up to its planned end.
_FINISHED = frozenset({TraineeStatus.AT_GATEWAY, TraineeStatus.COMPLETED})


def hours_text(hours: Decimal) -> str:
    """Session hours as timetabled, to the quarter hour: ``7``, ``6.5``, ``0.25``."""
    return f"{Decimal(hours).normalize():f}"


# -- plain values handed to the UI -------------------------------------------------------
@dataclass(frozen=True)
class SessionSummary:
    """One day-release session and how far its register has been taken."""

    session_id: int
    cohort_id: int
    session_date: date
    module: str
    hours: Decimal
    marked: int
    attended: int
    on_day_release_weekday: bool  # False: a warning, never a refusal (sessions get moved)

    @property
    def minutes(self) -> int:
        """The session's length in whole minutes, the most anyone can attend."""
        return int(self.hours * 60)

    @property
    def label(self) -> str:
        """``25 Nov 2026 · Psychosocial Interventions · 7 h · 18 of 20 attended``."""
        hours = f"{hours_text(self.hours)} h"
        taken = (
            f"{self.attended} of {self.marked} attended" if self.marked else "register not taken"
        )
        return f"{format_day(self.session_date)} · {self.module} · {hours} · {taken}"


@dataclass(frozen=True)
class RegisterLine:
    """One apprentice on a register: their mark (None until marked), minutes and note."""

    trainee_id: int
    name: str
    status: AttendanceStatus | None
    minutes_attended: int | None = None
    note: str = ""
    trainee_status: TraineeStatus = TraineeStatus.IN_TRAINING


@dataclass(frozen=True)
class Register:
    session: SessionSummary
    cohort_name: str
    lines: tuple[RegisterLine, ...]
    version: int  # hand back to save_register: a save made after someone else's is refused


@dataclass(frozen=True)
class SaveResult:
    """What saving a register changed; unchanged lines are not written or audited."""

    added: int
    updated: int
    cleared: int
    unchanged: int

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.cleared

    def describe(self) -> str:
        if not self.changed:
            return "Nothing to save: the register is as it was"
        parts = [
            f"{count} {words}"
            for count, words in (
                (self.added, "marked"),
                (self.updated, "corrected"),
                (self.cleared, "cleared"),
            )
            if count
        ]
        return "Register saved: " + ", ".join(parts)


@dataclass(frozen=True)
class SessionDefaults:
    """What the "New session" dialog starts from for a cohort."""

    cohort_id: int
    cohort_name: str
    day_release_weekday: int  # Monday = 0
    suggested_date: date
    modules: tuple[str, ...]  # most recently taught first
    hours: Decimal
    existing: frozenset[tuple[date, str]]  # (date, module casefolded) already held

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.day_release_weekday]


@dataclass(frozen=True)
class TraineeAttendance:
    """One apprentice's attendance and OTJ figures, with why they need attention (if they do)."""

    trainee_id: int
    name: str
    status: TraineeStatus
    attendance: AttendanceSummary
    otj: OtjProgress | None
    otj_problem: str | None
    concerns: tuple[str, ...]

    @property
    def needs_attention(self) -> bool:
        return bool(self.concerns)


@dataclass(frozen=True)
class ModuleAttendance:
    module: str
    sessions: int
    last_session: date
    attendance: AttendanceSummary


@dataclass(frozen=True)
class CohortAttendance:
    cohort_id: int
    cohort_name: str
    as_of: date
    alert_percent: Decimal
    overall: AttendanceSummary
    trainees: tuple[TraineeAttendance, ...]
    modules: tuple[ModuleAttendance, ...]  # most recently taught first

    @property
    def needing_attention(self) -> int:
        return sum(1 for trainee in self.trainees if trainee.needs_attention)


# -- sessions ------------------------------------------------------------------------------
def list_sessions(database: Database, actor: Actor, cohort_id: int) -> list[SessionSummary]:
    """The cohort's sessions, newest first, each with how many are marked and attended."""
    require_role(actor, SEES_REGISTERS, SEEING)
    with database.read() as session:
        return _session_summaries(session, _cohort(session, cohort_id))


def create_session(
    database: Database,
    actor: Actor,
    cohort_id: int,
    session_date: date,
    module: str,
    hours: Decimal | float | str,
) -> SessionSummary:
    """Add a day-release session to a cohort's timetable, ready for its register."""
    require_role(actor, TAKES_REGISTERS, "add day-release sessions")
    module = " ".join(module.split())
    hours = _valid_hours(hours)
    if not module:
        raise ActionRefusedError("Enter the module taught in this session")
    if len(module) > MAX_MODULE_LENGTH:
        raise ActionRefusedError(f"The module name is too long (at most {MAX_MODULE_LENGTH})")
    with database.write() as session:
        cohort = _cohort(session, cohort_id)
        clash = session.scalar(
            select(DayReleaseSession.module).where(
                DayReleaseSession.cohort_id == cohort_id,
                DayReleaseSession.session_date == session_date,
                func.lower(DayReleaseSession.module) == module.lower(),
            )
        )
        if clash is not None:
            raise ActionRefusedError(
                f"{cohort.name} already has a session of {clash} on {format_day(session_date)}"
            )
        created = DayReleaseSession(
            cohort_id=cohort_id, session_date=session_date, module=module, hours=hours
        )
        session.add(created)
        session.flush()
        record_change(
            session,
            actor,
            action="create_session",
            entity="day_release_session",
            entity_id=created.id,
            summary=(
                f"Added a {hours_text(hours)} h {module} session for {cohort.name} "
                f"on {format_day(session_date)}"
            ),
            after={"cohort": cohort.name, "date": session_date, "module": module, "hours": hours},
        )
        return _summary(created, cohort, marked=0, attended=0)


def session_defaults(
    database: Database, actor: Actor, cohort_id: int, today: date
) -> SessionDefaults:
    """Starting values for a new session: the cohort's day-release day, the module in hand."""
    require_role(actor, SEES_REGISTERS, SEEING)
    with database.read() as session:
        cohort = _cohort(session, cohort_id)
        rows = session.execute(
            select(
                DayReleaseSession.session_date, DayReleaseSession.module, DayReleaseSession.hours
            )
            .where(DayReleaseSession.cohort_id == cohort_id)
            .order_by(DayReleaseSession.session_date.desc(), DayReleaseSession.id.desc())
        ).all()
    modules = tuple(dict.fromkeys(module for _day, module, _hours in rows))
    held = {day for day, _module, _hours in rows}
    # The register is usually taken on or just after the day: the latest day-release day
    # not yet on the timetable, or else the next one to come.
    latest = today - timedelta(days=(today.weekday() - cohort.day_release_weekday) % 7)
    suggested = latest if latest not in held else latest + timedelta(days=7)
    return SessionDefaults(
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        day_release_weekday=cohort.day_release_weekday,
        suggested_date=suggested,
        modules=modules,
        hours=Decimal(rows[0][2]) if rows else DEFAULT_SESSION_HOURS,
        existing=frozenset((day, module.casefold()) for day, module, _hours in rows),
    )


# -- the register --------------------------------------------------------------------------
def load_register(database: Database, actor: Actor, session_id: int) -> Register:
    """The session and a line for everyone expected at it, marked or not, by surname.

    Expected: the cohort's apprentices learning on that day. Someone on a break or
    withdrawn appears only if they already have a mark, so it can still be seen and corrected.
    """
    require_role(actor, SEES_REGISTERS, SEEING)
    with database.read() as session:
        found = _day_release_session(session, session_id)
        cohort = found.cohort
        marks = {
            mark.trainee_id: mark
            for mark in session.scalars(
                select(AttendanceMark).where(AttendanceMark.session_id == session_id)
            )
        }
        on_register = Trainee.cohort_id == cohort.id
        if marks:  # marked people who have since moved cohort stay on this register
            on_register = on_register | Trainee.id.in_(list(marks))
        trainees = list(session.scalars(select(Trainee).where(on_register)))
        on_break = _on_break(session, [t.id for t in trainees], found.session_date)
        lines = []
        for trainee in sorted(trainees, key=lambda t: (t.last_name.casefold(), t.first_name)):
            mark = marks.get(trainee.id)
            if mark is None and not _expected(trainee, found.session_date, on_break):
                continue
            lines.append(
                RegisterLine(
                    trainee_id=trainee.id,
                    name=trainee.full_name,
                    status=mark.status if mark else None,
                    minutes_attended=mark.minutes_attended if mark else None,
                    note=mark.note if mark else "",
                    trainee_status=trainee.status,
                )
            )
        attended = sum(1 for mark in marks.values() if mark.status.attended)
        return Register(
            session=_summary(found, cohort, marked=len(marks), attended=attended),
            cohort_name=cohort.name,
            lines=tuple(lines),
            version=found.version,
        )


def register_problems(lines: Sequence[RegisterLine], session_minutes: int) -> dict[int, str]:
    """Why a line cannot be saved, by trainee id; empty when every line is fine.

    Shared by the service (which refuses) and the grid (which flags the row as it is typed).
    """
    problems: dict[int, str] = {}
    for line in lines:
        minutes = line.minutes_attended
        note_problem = multi_line_problem(f"{line.name}: the note", line.note)
        if note_problem:
            problems[line.trainee_id] = note_problem
        elif line.status is AttendanceStatus.LATE and minutes is None:
            problems[line.trainee_id] = (
                f"{line.name} is marked late: enter the minutes attended (1–{session_minutes})"
            )
        elif minutes is None:
            continue
        elif line.status is None or line.status not in MINUTES_APPLY:
            what = line.status.label.lower() if line.status else "not marked"
            problems[line.trainee_id] = (
                f"{line.name} is {what}: minutes attended are only for present or late"
            )
        elif minutes > session_minutes:
            problems[line.trainee_id] = (
                f"{line.name}: {minutes} minutes is more than the {session_minutes}-minute session"
            )
        elif minutes < 1:
            problems[line.trainee_id] = (
                f"{line.name}: minutes attended must be between 1 and {session_minutes}"
            )
    return problems


def save_register(
    database: Database,
    actor: Actor,
    session_id: int,
    lines: Sequence[RegisterLine],
    *,
    version: int | None = None,
) -> SaveResult:
    """Save the register in one transaction: every line is checked first, then only changed
    marks are written, each with an audit entry. A line with no status clears its mark.

    The register is one record: ``version`` is :attr:`Register.version` as loaded, and a save
    that would change any mark after someone else saved this register is refused with a
    :class:`ConflictError` naming who and when. None skips that check (nothing was loaded).
    """
    require_role(actor, TAKES_REGISTERS, "take registers")
    seen: set[int] = set()
    for line in lines:
        if line.trainee_id in seen:
            raise ActionRefusedError(f"{line.name} appears twice on the register")
        seen.add(line.trainee_id)
    with refused_if_stale(database, lambda session: _conflict(session, actor, session_id, seen)):
        return _save(database, actor, session_id, lines, version, seen)


def _save(
    database: Database,
    actor: Actor,
    session_id: int,
    lines: Sequence[RegisterLine],
    version: int | None,
    seen: set[int],
) -> SaveResult:
    with database.write() as session:
        found = _day_release_session(session, session_id)
        minutes = int(found.hours * 60)
        marks = {
            mark.trainee_id: mark
            for mark in session.scalars(
                select(AttendanceMark).where(AttendanceMark.session_id == session_id)
            )
        }
        changing = [line for line in lines if _changes(marks.get(line.trainee_id), line)]
        if version is not None and version != found.version and changing:
            raise _conflict(session, actor, session_id, seen)
        problems = register_problems(lines, minutes)
        if problems:
            listed = list(problems.values())
            more = f"\n…and {len(listed) - 8} more" if len(listed) > 8 else ""
            raise ActionRefusedError("\n".join(listed[:8]) + more)
        members = _cohort_members(session, found.cohort_id, seen)
        outsiders = [line.name for line in lines if line.trainee_id not in members | marks.keys()]
        if outsiders:
            raise ActionRefusedError(
                f"Not in {found.cohort.name}, so not on this register: {', '.join(outsiders)}"
            )
        if changing:
            # The marks are the register's rows, so the session's version stands for them.
            # Rewriting a column unchanged makes the ORM bump (and check) that version; doing
            # it before the marks makes a concurrent PostgreSQL save wait here, then fail as
            # stale, rather than collide on a mark.
            flag_modified(found, "module")
            session.flush()
        counts = {"added": 0, "updated": 0, "cleared": 0, "unchanged": 0}
        for line in lines:
            counts[_save_line(session, actor, found, marks.get(line.trainee_id), line)] += 1
        return SaveResult(**counts)


def _conflict(
    session: Session, actor: Actor, session_id: int, trainee_ids: set[int]
) -> ConflictError:
    found = _day_release_session(session, session_id)
    day = format_day(found.session_date)
    # Mark entries name their register only in words (a cleared mark's row is gone).
    on_this_register = (
        (AuditEntry.entity == "attendance_mark")
        & AuditEntry.trainee_id.in_(sorted(trainee_ids))
        & AuditEntry.summary.contains(f", {_register_words(found)}: ", autoescape=True)
    )
    return conflict_error(
        session, actor, f"The {found.module} register for {day}", on_this_register
    )


def _register_words(found: DayReleaseSession) -> str:
    return f"{found.module} on {format_day(found.session_date)}"


def _mark_values(mark: AttendanceMark | None) -> dict[str, object] | None:
    if mark is None:
        return None
    return {"status": mark.status, "minutes_attended": mark.minutes_attended, "note": mark.note}


def _line_values(line: RegisterLine) -> dict[str, object] | None:
    if line.status is None:
        return None
    return {
        "status": line.status,
        "minutes_attended": line.minutes_attended,
        "note": line.note.strip(),
    }


def _changes(mark: AttendanceMark | None, line: RegisterLine) -> bool:
    return _mark_values(mark) != _line_values(line)


def _save_line(
    session: Session,
    actor: Actor,
    found: DayReleaseSession,
    mark: AttendanceMark | None,
    line: RegisterLine,
) -> str:
    note = line.note.strip()
    before, after = _mark_values(mark), _line_values(line)
    if before == after:
        return "unchanged"
    where = _register_words(found)
    if mark is None:
        assert line.status is not None  # before == after covers "unmarked and still unmarked"
        mark = AttendanceMark(
            session_id=found.id,
            trainee_id=line.trainee_id,
            status=line.status,
            minutes_attended=line.minutes_attended,
            note=note,
            recorded_by_id=actor.user_id,
        )
        session.add(mark)
        session.flush()
        action, outcome, summary = "record_attendance", "added", _mark_words(line.status, line)
    elif line.status is None:
        session.delete(mark)
        action, outcome, summary = "clear_attendance", "cleared", "mark cleared"
    else:
        was = mark.status.label.lower()
        mark.status = line.status
        mark.minutes_attended = line.minutes_attended
        mark.note = note
        mark.recorded_by_id = actor.user_id
        mark.recorded_at = utc_now()
        action, outcome = "correct_attendance", "updated"
        summary = f"{_mark_words(line.status, line)} (was {was})"
    record_change(
        session,
        actor,
        action=action,
        entity="attendance_mark",
        entity_id=mark.id,
        trainee_id=line.trainee_id,
        summary=f"{line.name}, {where}: {summary}",
        before=before,
        after=after,
    )
    return outcome


def _mark_words(status: AttendanceStatus, line: RegisterLine) -> str:
    words = status.label.lower()
    return f"{words}, {line.minutes_attended} min" if line.minutes_attended else words


# -- the cohort's figures ------------------------------------------------------------------
def cohort_attendance(
    database: Database, actor: Actor, cohort_id: int, as_of: date
) -> CohortAttendance:
    """Attendance and OTJ for each apprentice in the cohort, and attendance per module.

    Per-apprentice figures come from the programme's progress rules (list_trainee_progress),
    so this tab and the trainees table can never disagree. The cohort and module figures
    count the marks on this cohort's registers held by ``as_of``. A cohort's figures are for
    education leads and administrators.
    """
    require_role(actor, SEES_REGISTERS, "see a cohort's attendance")
    rules = load_programme_rules()
    with database.read() as session:
        cohort = _cohort(session, cohort_id)
        rows = session.execute(
            select(DayReleaseSession.module, DayReleaseSession.session_date, AttendanceMark.status)
            .outerjoin(AttendanceMark, AttendanceMark.session_id == DayReleaseSession.id)
            .where(DayReleaseSession.cohort_id == cohort_id)
            .where(DayReleaseSession.session_date <= as_of)
        ).all()
        name = cohort.name
    statuses: dict[str, list[AttendanceStatus]] = defaultdict(list)
    held: dict[str, set[date]] = defaultdict(set)
    for module, day, status in rows:
        held[module].add(day)
        if status is not None:
            statuses[module].append(status)
    modules = sorted(
        (
            ModuleAttendance(
                module=module,
                sessions=len(days),
                last_session=max(days),
                attendance=summarise_attendance(statuses[module]),
            )
            for module, days in held.items()
        ),
        key=lambda m: (m.last_session, m.module),
        reverse=True,
    )
    trainees = tuple(  # by surname, as list_trainee_progress orders them
        _trainee_attendance(progress, rules.attendance_alert_percent)
        for progress in list_trainee_progress(database, actor, cohort=name, as_of=as_of)
    )
    return CohortAttendance(
        cohort_id=cohort_id,
        cohort_name=name,
        as_of=as_of,
        alert_percent=rules.attendance_alert_percent,
        overall=summarise_attendance(s for _m, _d, s in rows if s is not None),
        trainees=trainees,
        modules=tuple(modules),
    )


def _trainee_attendance(progress: TraineeProgress, alert_percent: Decimal) -> TraineeAttendance:
    assessment = progress.assessment
    concerns: list[str] = []
    # Like the at-risk rules: only someone in training is behind; a break has its own status.
    if progress.status is TraineeStatus.IN_TRAINING:
        if assessment.otj is not None and assessment.otj.behind:
            concerns.append(assessment.otj.reason)
        percent = assessment.attendance.percentage
        if percent is not None and percent < alert_percent:
            concerns.append(
                f"Attendance {format_number(percent)}% is below {format_plain(alert_percent)}%"
            )
    return TraineeAttendance(
        trainee_id=progress.trainee_id,
        name=progress.name,
        status=progress.status,
        attendance=assessment.attendance,
        otj=assessment.otj,
        otj_problem=assessment.otj_problem,
        concerns=tuple(concerns),
    )


# -- helpers -------------------------------------------------------------------------------
def _valid_hours(hours: Decimal | float | str) -> Decimal:
    try:
        value = Decimal(str(hours)).quantize(Decimal("0.01"))
    except ArithmeticError as error:
        raise ActionRefusedError(f"{hours!r} is not a number of hours") from error
    if not MIN_SESSION_HOURS <= value <= MAX_SESSION_HOURS:
        raise ActionRefusedError(
            f"A session lasts between {hours_text(MIN_SESSION_HOURS)} and "
            f"{hours_text(MAX_SESSION_HOURS)} hours, not {hours_text(value)}"
        )
    return value


def _cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise ActionRefusedError("That cohort no longer exists; choose another")
    return cohort


def _day_release_session(session: Session, session_id: int) -> DayReleaseSession:
    found = session.get(DayReleaseSession, session_id)
    if found is None:
        raise ActionRefusedError("That session no longer exists; choose another")
    return found


def _summary(
    found: DayReleaseSession, cohort: Cohort, *, marked: int, attended: int
) -> SessionSummary:
    return SessionSummary(
        session_id=found.id,
        cohort_id=found.cohort_id,
        session_date=found.session_date,
        module=found.module,
        hours=Decimal(found.hours),
        marked=marked,
        attended=attended,
        on_day_release_weekday=found.session_date.weekday() == cohort.day_release_weekday,
    )


def _session_summaries(session: Session, cohort: Cohort) -> list[SessionSummary]:
    attended = func.sum(
        case((AttendanceMark.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]), 1))
    )
    rows = session.execute(
        select(DayReleaseSession, func.count(AttendanceMark.id), attended)
        .outerjoin(AttendanceMark, AttendanceMark.session_id == DayReleaseSession.id)
        .where(DayReleaseSession.cohort_id == cohort.id)
        .group_by(DayReleaseSession.id)
        .order_by(DayReleaseSession.session_date.desc(), DayReleaseSession.module)
    ).all()
    return [
        _summary(found, cohort, marked=marked, attended=int(present or 0))
        for found, marked, present in rows
    ]


def _cohort_members(session: Session, cohort_id: int, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Trainee.id).where(Trainee.cohort_id == cohort_id, Trainee.id.in_(ids))
        )
    )


def _on_break(session: Session, trainee_ids: list[int], day: date) -> set[int]:
    if not trainee_ids:
        return set()
    return set(
        session.scalars(
            select(LearningBreak.trainee_id).where(
                LearningBreak.trainee_id.in_(trainee_ids),
                LearningBreak.start_date <= day,
                (LearningBreak.end_date.is_(None)) | (LearningBreak.end_date >= day),
            )
        )
    )


def _expected(trainee: Trainee, day: date, on_break: set[int]) -> bool:
    """Whether an unmarked apprentice belongs on the register for ``day``."""
    if day < trainee.start_date or trainee.id in on_break:
        return False
    if trainee.status is TraineeStatus.IN_TRAINING:
        return True
    return trainee.status in _FINISHED and day <= trainee.planned_end_date
