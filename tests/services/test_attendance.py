"""Sessions, registers and the cohort summary, checked against what the database then holds
and against figures worked by hand."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import AttendanceMark, AuditEntry, DayReleaseSession, LearningBreak
from apdesk.domain.enums import AttendanceStatus, TraineeStatus
from apdesk.services.attendance import (
    RegisterLine,
    cohort_attendance,
    create_session,
    list_sessions,
    load_register,
    save_register,
    session_defaults,
)
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.progress import list_trainee_progress
from tests.helpers.attendance import (
    FIRST_WEDNESDAY,
    RegisterProgramme,
    add_cohort,
    add_other_trainee,
    add_register_programme,
)
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.trainees import add_people

P, L, S, U, H = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.SICKNESS,
    AttendanceStatus.UNAUTHORISED_ABSENCE,
    AttendanceStatus.ANNUAL_LEAVE,
)


@pytest.fixture
def programme(database: Database) -> RegisterProgramme:
    return add_register_programme(database)


def _audit(database: Database, action: str | None = None) -> list[AuditEntry]:
    with database.read() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(session.scalars(query))


def _marks(database: Database, session_id: int) -> dict[int, tuple]:
    with database.read() as session:
        return {
            mark.trainee_id: (mark.status, mark.minutes_attended, mark.note)
            for mark in session.scalars(
                select(AttendanceMark).where(AttendanceMark.session_id == session_id)
            )
        }


def _marked(lines: tuple[RegisterLine, ...], *marks: tuple) -> list[RegisterLine]:
    """The register's lines with (status, minutes, note) applied in order."""
    return [
        replace(line, status=status, minutes_attended=minutes, note=note)
        for line, (status, minutes, note) in zip(lines, marks, strict=True)
    ]


# -- sessions ------------------------------------------------------------------------------
def test_a_new_session_is_listed_newest_first_and_audited(
    database: Database, programme: RegisterProgramme
) -> None:
    first = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    second = create_session(
        database,
        TEST_ACTOR,
        programme.cohort_id,
        FIRST_WEDNESDAY + timedelta(days=7),
        "  Foundations   of practice ",
        "6.5",
    )

    sessions = list_sessions(database, TEST_ACTOR, programme.cohort_id)
    assert [s.session_id for s in sessions] == [second.session_id, first.session_id]
    assert sessions[0].module == "Foundations of practice"  # spaces tidied
    assert sessions[0].hours == Decimal("6.5")
    assert sessions[0].minutes == 390
    assert (sessions[1].marked, sessions[1].attended) == (0, 0)
    assert sessions[1].label == "11 Sep 2024 · Foundations · 7 h · register not taken"
    created = _audit(database, "create_session")
    assert len(created) == 2
    assert created[0].entity_id == first.session_id
    assert json.loads(created[0].after)["module"] == "Foundations"


@pytest.mark.parametrize(
    ("module", "hours", "message"),
    [
        ("Foundations", 7, "already has a session of Foundations on 11 Sep 2024"),
        ("FOUNDATIONS ", 7, "already has a session of Foundations"),
        ("Other", Decimal("0.25"), "between 0.5 and 12 hours, not 0.25"),
        ("Other", 12.5, "between 0.5 and 12 hours"),
        ("   ", 7, "Enter the module"),
    ],
)
def test_a_session_is_refused_when_duplicated_or_its_hours_are_wrong(
    database: Database, programme: RegisterProgramme, module: str, hours: object, message: str
) -> None:
    create_session(database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7)

    with pytest.raises(ActionRefusedError, match=message):
        create_session(database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, module, hours)

    with database.read() as session:
        assert session.scalar(select(func.count(DayReleaseSession.id))) == 1
    assert len(_audit(database, "create_session")) == 1


def test_the_same_module_on_another_day_and_bounds_of_hours_are_allowed(
    database: Database, programme: RegisterProgramme
) -> None:
    create_session(database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 0.5)
    thursday = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY + timedelta(1), "Foundations", 12
    )
    assert not thursday.on_day_release_weekday  # a warning for the UI, never a refusal
    assert list_sessions(database, TEST_ACTOR, programme.cohort_id)[1].on_day_release_weekday


def test_session_defaults_suggest_the_day_release_day_and_recent_modules(
    database: Database, programme: RegisterProgramme
) -> None:
    cohort = programme.cohort_id
    empty = session_defaults(database, TEST_ACTOR, cohort, date(2024, 9, 13))  # a Friday
    assert empty.suggested_date == FIRST_WEDNESDAY  # the Wednesday just gone
    assert (empty.modules, empty.hours, empty.weekday_name) == ((), Decimal(7), "Wednesday")

    create_session(database, TEST_ACTOR, cohort, date(2024, 9, 4), "Induction week", 6)
    create_session(database, TEST_ACTOR, cohort, FIRST_WEDNESDAY, "Foundations", "6.5")
    defaults = session_defaults(database, TEST_ACTOR, cohort, date(2024, 9, 13))
    assert defaults.suggested_date == date(2024, 9, 18)  # 11 Sep is held: the next one
    assert defaults.modules == ("Foundations", "Induction week")
    assert defaults.hours == Decimal("6.5")
    assert (FIRST_WEDNESDAY, "foundations") in defaults.existing


# -- the register --------------------------------------------------------------------------
def test_the_register_lists_who_was_learning_that_day(
    database: Database, programme: RegisterProgramme
) -> None:
    p = programme.programme
    withdrawn = add_other_trainee(database, p, "Wes", "Withdrawn", status=TraineeStatus.WITHDRAWN)
    marked_withdrawn = add_other_trainee(
        database, p, "Mo", "Marked", status=TraineeStatus.WITHDRAWN
    )
    later = add_other_trainee(database, p, "Lou", "Later", start=date(2024, 10, 1))
    on_break = add_other_trainee(database, p, "Bea", "Break")
    other_cohort = add_other_trainee(
        database, p, "Olu", "Other", cohort_id=add_cohort(database, p, "Other cohort")
    )
    with database.write() as session:
        session.add(
            LearningBreak(
                trainee_id=on_break,
                start_date=date(2024, 9, 10),
                end_date=date(2024, 9, 30),
                reason="Surgery",
            )
        )
    created = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    with database.write() as session:
        session.add(
            AttendanceMark(session_id=created.session_id, trainee_id=marked_withdrawn, status=S)
        )

    register = load_register(database, TEST_ACTOR, created.session_id)

    ids = [line.trainee_id for line in register.lines]
    assert ids[:4] == list(programme.trainee_ids)  # Adams, Brown, Clarke, Dunn by surname
    assert marked_withdrawn in ids
    assert {withdrawn, later, on_break, other_cohort}.isdisjoint(ids)
    assert [line.status for line in register.lines if line.trainee_id == marked_withdrawn] == [S]
    assert register.lines[0].name == "Asha Adams"
    assert register.lines[0].status is None
    assert register.session.marked == 1
    assert register.cohort_name == programme.programme.cohort


def test_saving_a_register_writes_each_mark_once_with_an_audit_entry(
    database: Database, programme: RegisterProgramme
) -> None:
    created = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    lines = load_register(database, TEST_ACTOR, created.session_id).lines
    a, b, c, d = programme.trainee_ids

    result = save_register(
        database,
        TEST_ACTOR,
        created.session_id,
        _marked(lines, (P, None, ""), (L, 300, " train delayed "), (S, None, ""), (None, None, "")),
    )

    assert (result.added, result.updated, result.cleared, result.unchanged) == (3, 0, 0, 1)
    assert result.describe() == "Register saved: 3 marked"
    assert _marks(database, created.session_id) == {
        a: (P, None, ""),
        b: (L, 300, "train delayed"),
        c: (S, None, ""),
    }
    entries = _audit(database, "record_attendance")
    assert [e.trainee_id for e in entries] == [a, b, c]
    assert entries[1].before is None
    assert json.loads(entries[1].after) == {
        "status": "late",
        "minutes_attended": 300,
        "note": "train delayed",
    }
    assert "Ben Brown, Foundations on 11 Sep 2024: late, 300 min" in entries[1].summary
    summary = list_sessions(database, TEST_ACTOR, programme.cohort_id)[0]
    assert (summary.marked, summary.attended) == (3, 2)

    # Correct one mark, clear another: only those two are written and audited.
    again = load_register(database, TEST_ACTOR, created.session_id).lines
    result = save_register(
        database,
        TEST_ACTOR,
        created.session_id,
        _marked(again, (P, None, ""), (P, None, "train delayed"), (None, None, ""), (H, None, "")),
    )
    assert (result.added, result.updated, result.cleared, result.unchanged) == (1, 1, 1, 1)
    assert _marks(database, created.session_id) == {
        a: (P, None, ""),
        b: (P, None, "train delayed"),
        d: (H, None, ""),
    }
    corrected = _audit(database, "correct_attendance")
    assert len(corrected) == 1
    assert json.loads(corrected[0].before)["status"] == "late"
    assert json.loads(corrected[0].after) == {
        "status": "present",
        "minutes_attended": None,
        "note": "train delayed",
    }
    assert "(was late)" in corrected[0].summary
    cleared = _audit(database, "clear_attendance")
    assert [(e.trainee_id, e.after) for e in cleared] == [(c, None)]
    assert json.loads(cleared[0].before)["status"] == "sickness"


def test_saving_an_unchanged_register_writes_nothing(
    database: Database, programme: RegisterProgramme
) -> None:
    created = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    lines = load_register(database, TEST_ACTOR, created.session_id).lines
    save_register(database, TEST_ACTOR, created.session_id, _marked(lines, *[(P, None, "")] * 4))
    before = len(_audit(database))

    result = save_register(
        database,
        TEST_ACTOR,
        created.session_id,
        load_register(database, TEST_ACTOR, created.session_id).lines,
    )

    assert (result.changed, result.unchanged) == (0, 4)
    assert len(_audit(database)) == before


@pytest.mark.parametrize(
    ("mark", "message"),
    [
        ((L, None, ""), "Ben Brown is marked late: enter the minutes attended \\(1–420\\)"),
        ((L, 0, ""), "minutes attended must be between 1 and 420"),
        ((L, 421, ""), "421 minutes is more than the 420-minute session"),
        ((P, 500, ""), "500 minutes is more than the 420-minute session"),
        ((S, 60, ""), "Ben Brown is sickness: minutes attended are only for present or late"),
    ],
)
def test_a_register_with_a_bad_line_is_refused_and_nothing_is_saved(
    database: Database, programme: RegisterProgramme, mark: tuple, message: str
) -> None:
    created = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    lines = load_register(database, TEST_ACTOR, created.session_id).lines
    audit_before = len(_audit(database))

    with pytest.raises(ActionRefusedError, match=message):
        save_register(
            database,
            TEST_ACTOR,
            created.session_id,
            _marked(lines, (P, None, ""), mark, (P, None, ""), (P, None, "")),
        )

    assert _marks(database, created.session_id) == {}
    assert len(_audit(database)) == audit_before


def test_a_late_arrival_for_the_whole_session_and_an_early_leaver_are_accepted(
    database: Database, programme: RegisterProgramme
) -> None:
    created = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    lines = load_register(database, TEST_ACTOR, created.session_id).lines
    save_register(
        database,
        TEST_ACTOR,
        created.session_id,
        _marked(lines, (L, 420, ""), (L, 1, ""), (P, 240, "left at 1pm"), (None, None, "")),
    )
    a, b, c, _d = programme.trainee_ids
    assert _marks(database, created.session_id) == {
        a: (L, 420, ""),
        b: (L, 1, ""),
        c: (P, 240, "left at 1pm"),
    }


def test_a_register_naming_someone_outside_the_cohort_or_twice_is_refused(
    database: Database, programme: RegisterProgramme
) -> None:
    p = programme.programme
    outsider = add_other_trainee(
        database, p, "Olu", "Other", cohort_id=add_cohort(database, p, "Other cohort")
    )
    created = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    lines = load_register(database, TEST_ACTOR, created.session_id).lines
    stranger = RegisterLine(outsider, "Olu Other", P)

    with pytest.raises(ActionRefusedError, match=r"Not in GM Sep 2024.*Olu Other"):
        save_register(database, TEST_ACTOR, created.session_id, [*lines, stranger])
    twice = replace(lines[0], status=P)
    with pytest.raises(ActionRefusedError, match="Asha Adams appears twice"):
        save_register(database, TEST_ACTOR, created.session_id, [twice, twice])
    assert _marks(database, created.session_id) == {}


def test_a_missing_session_is_refused_in_words(database: Database) -> None:
    with pytest.raises(ActionRefusedError, match="no longer exists"):
        load_register(database, TEST_ACTOR, 999)
    with pytest.raises(ActionRefusedError, match="cohort no longer exists"):
        create_session(database, TEST_ACTOR, 999, FIRST_WEDNESDAY, "Foundations", 7)


# -- the cohort summary ----------------------------------------------------------------------
def test_cohort_attendance_per_trainee_per_module_and_overall(
    database: Database, programme: RegisterProgramme
) -> None:
    cohort = programme.cohort_id
    timetable = [
        (FIRST_WEDNESDAY, "Foundations"),
        (date(2024, 9, 18), "Foundations"),
        (date(2024, 9, 25), "Communication"),
        (date(2024, 10, 2), "Communication"),
    ]
    asha = [(P, None), (P, None), (L, 300), (P, None)]  # 4 of 4; OTJ 7 + 7 + 5 + 7 = 26 h
    ben = [(P, None), (S, None), (U, None), (H, None)]  # 1 of 3: leave not counted
    for (day, module), a, b in zip(timetable, asha, ben, strict=True):
        held = create_session(database, TEST_ACTOR, cohort, day, module, 7)
        lines = load_register(database, TEST_ACTOR, held.session_id).lines
        save_register(
            database,
            TEST_ACTOR,
            held.session_id,
            _marked(lines, (*a, ""), (*b, ""), (None, None, ""), (None, None, "")),
        )
    # A session after the date asked about counts in neither the cohort nor the module figure.
    create_session(database, TEST_ACTOR, cohort, date(2024, 11, 6), "Later module", 7)
    as_of = date(2024, 10, 31)

    summary = cohort_attendance(database, TEST_ACTOR, cohort, as_of)

    assert summary.cohort_name == "GM Sep 2024"
    assert (summary.overall.attended, summary.overall.possible) == (5, 7)
    assert summary.overall.percentage == Decimal("71.4")
    modules = {m.module: m for m in summary.modules}
    assert [m.module for m in summary.modules] == ["Communication", "Foundations"]
    assert modules["Foundations"].attendance.percentage == Decimal("75.0")  # 3 of 4
    assert modules["Communication"].attendance.percentage == Decimal("66.6")  # 2 of 3
    assert modules["Communication"].sessions == 2

    rows = {row.name: row for row in summary.trainees}
    assert list(rows) == ["Asha Adams", "Ben Brown", "Cara Clarke", "Dev Dunn"]
    asha_row, ben_row = rows["Asha Adams"], rows["Ben Brown"]
    assert asha_row.attendance.percentage == Decimal(100)
    assert ben_row.attendance.percentage == Decimal("33.3")
    assert rows["Cara Clarke"].attendance.percentage is None
    assert asha_row.otj is not None
    assert asha_row.otj.actual == Decimal("26.0")
    # The same figures as the programme's progress rules give, not a second calculation.
    progress = {
        p.name: p
        for p in list_trainee_progress(database, TEST_ACTOR, cohort="GM Sep 2024", as_of=as_of)
    }
    for name, row in rows.items():
        assert row.otj == progress[name].assessment.otj
        assert row.attendance == progress[name].assessment.attendance
    assert any("Attendance 33.3% is below 85%" in reason for reason in ben_row.concerns)
    assert not any("Attendance" in reason for reason in asha_row.concerns)
    assert [r.needs_attention for r in rows.values()] == [
        bool(progress[name].assessment.otj and progress[name].assessment.otj.behind)
        or name == "Ben Brown"
        for name in rows
    ]


def test_someone_withdrawn_is_listed_but_never_flagged(
    database: Database, programme: RegisterProgramme
) -> None:
    gone = add_other_trainee(
        database, programme.programme, "Wes", "Withdrawn", status=TraineeStatus.WITHDRAWN
    )
    held = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    save_register(database, TEST_ACTOR, held.session_id, [RegisterLine(gone, "Wes Withdrawn", U)])

    summary = cohort_attendance(database, TEST_ACTOR, programme.cohort_id, date(2024, 12, 31))

    row = next(r for r in summary.trainees if r.trainee_id == gone)
    assert row.attendance.percentage == Decimal(0)
    assert row.concerns == ()
    assert row.status is TraineeStatus.WITHDRAWN


def test_cohort_attendance_over_the_demo_matches_the_progress_rules(
    demo_database: Database,
) -> None:
    from apdesk.services.choices import cohort_choices
    from tests.helpers.fixtures import DEMO_DAY

    cohort = cohort_choices(demo_database)[-2]
    summary = cohort_attendance(demo_database, TEST_ACTOR, cohort.id, DEMO_DAY)
    progress = list_trainee_progress(demo_database, TEST_ACTOR, cohort=cohort.label, as_of=DEMO_DAY)

    assert [row.trainee_id for row in summary.trainees] == [p.trainee_id for p in progress]
    assert summary.overall.marked > 0
    assert sum(m.attendance.marked for m in summary.modules) == summary.overall.marked
    flagged = {row.trainee_id for row in summary.trainees if row.needs_attention}
    expected = {
        p.trainee_id
        for p in progress
        if p.status is TraineeStatus.IN_TRAINING
        and (
            (p.assessment.otj is not None and p.assessment.otj.behind)
            or (
                p.assessment.attendance.percentage is not None
                and p.assessment.attendance.percentage < 85
            )
        )
    }
    assert flagged == expected
    assert flagged  # the demo has people behind; the test would be empty otherwise


# -- who may do what ----------------------------------------------------------------------
SEEING_NEEDS = "that needs an education lead or administrator account."
TAKING_NEEDS = "that needs an education lead account."


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", None),  # administrators may look at registers
        ("mentor", f"Mo Mentor cannot see cohort registers: {SEEING_NEEDS}"),
        ("apprentice", f"Asha Account cannot see cohort registers: {SEEING_NEEDS}"),
        ("nobody", "Sign in to see cohort registers."),
    ],
)
def test_registers_and_sessions_are_seen_by_education_leads_and_administrators(
    database: Database, programme: RegisterProgramme, who: str, refusal: str | None
) -> None:
    people = add_people(database, programme.trainee_ids[0])
    created = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    cohort, day = programme.cohort_id, date(2024, 9, 13)
    actor = people[who]

    if refusal is None:
        assert [s.session_id for s in list_sessions(database, actor, cohort)] == [
            created.session_id
        ]
        assert len(load_register(database, actor, created.session_id).lines) == 4
        assert session_defaults(database, actor, cohort, day).modules == ("Foundations",)
        assert len(cohort_attendance(database, actor, cohort, day).trainees) == 4
        return
    for look in (
        lambda: list_sessions(database, actor, cohort),
        lambda: load_register(database, actor, created.session_id),
        lambda: session_defaults(database, actor, cohort, day),
    ):
        with pytest.raises(PermissionDeniedError) as refused:
            look()
        assert str(refused.value) == refusal
    with pytest.raises(PermissionDeniedError) as refused_figures:
        cohort_attendance(database, actor, cohort, day)
    assert str(refused_figures.value) == refusal.replace(
        "see cohort registers", "see a cohort's attendance"
    )


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", f"Adam Admin cannot take registers: {TAKING_NEEDS}"),
        ("mentor", f"Mo Mentor cannot take registers: {TAKING_NEEDS}"),
        ("apprentice", f"Asha Account cannot take registers: {TAKING_NEEDS}"),
        ("nobody", "Sign in to take registers."),
    ],
)
def test_only_an_education_lead_takes_a_register(
    database: Database, programme: RegisterProgramme, who: str, refusal: str | None
) -> None:
    people = add_people(database, programme.trainee_ids[0])
    created = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    lines = load_register(database, TEST_ACTOR, created.session_id).lines
    marked = _marked(lines, (P, None, ""), (P, None, ""), (S, None, ""), (U, None, ""))

    if refusal is None:
        assert save_register(database, people[who], created.session_id, marked).added == 4
        assert _marks(database, created.session_id)[programme.trainee_ids[2]][0] is S
        return
    with pytest.raises(PermissionDeniedError) as refused:
        save_register(database, people[who], created.session_id, marked)
    assert str(refused.value) == refusal
    assert _marks(database, created.session_id) == {}
    assert _audit(database, "record_attendance") == []


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", f"Adam Admin cannot add day-release sessions: {TAKING_NEEDS}"),
        ("mentor", f"Mo Mentor cannot add day-release sessions: {TAKING_NEEDS}"),
        ("apprentice", f"Asha Account cannot add day-release sessions: {TAKING_NEEDS}"),
    ],
)
def test_only_an_education_lead_adds_a_session(
    database: Database, programme: RegisterProgramme, who: str, refusal: str | None
) -> None:
    people = add_people(database, programme.trainee_ids[0])

    def create() -> object:
        return create_session(
            database, people[who], programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
        )

    if refusal is None:
        create()
        assert len(list_sessions(database, TEST_ACTOR, programme.cohort_id)) == 1
        return
    with pytest.raises(PermissionDeniedError) as refused:
        create()
    assert str(refused.value) == refusal
    assert list_sessions(database, TEST_ACTOR, programme.cohort_id) == []
    assert _audit(database, "create_session") == []
