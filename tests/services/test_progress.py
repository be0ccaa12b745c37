"""A trainee's progress figures come from their records through the domain rules: checked
here on a trainee whose every record the test wrote, so each figure can be worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import (
    AttendanceMark,
    CareCertificateCriterion,
    Competency,
    CompetencySignoff,
    CriterionSignoff,
    DayReleaseSession,
    LearningBreak,
    OtjActivity,
    ProgressReview,
)
from apdesk.domain.enums import (
    AttendanceStatus,
    CompetencyOutcome,
    EvidenceType,
    OtjActivityKind,
    TraineeStatus,
)
from apdesk.services.progress import list_trainee_progress, trainee_progress
from tests.helpers.builders import add_small_programme, add_trainee
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR

AS_OF = date(2024, 10, 31)


def _signature(mentor_id: int) -> dict[str, object]:
    return {
        "signer_id": mentor_id,
        "signer_name": "Maria Mentor",
        "signer_role": "Mentor",
        "meaning": "Observed in practice and competent",
    }


def _build_records(database: Database) -> int:
    programme = add_small_programme(database)  # cohort starts Mon 9 Sep 2024, 37.5 h/week
    trainee_id = add_trainee(database, programme)
    with database.write() as session:
        sessions = [
            DayReleaseSession(
                cohort_id=programme.cohort_id,
                session_date=day,
                module="Foundations",
                hours=Decimal(7),
            )
            for day in (date(2024, 9, 11), date(2024, 9, 18), date(2024, 9, 25), date(2024, 10, 2))
        ]
        session.add_all(sessions)
        session.flush()
        marks = [
            (AttendanceStatus.PRESENT, None),  # 7 h
            (AttendanceStatus.LATE, 300),  # 5 h
            (AttendanceStatus.SICKNESS, None),
            (AttendanceStatus.ANNUAL_LEAVE, None),  # not a session they could attend
        ]
        session.add_all(
            AttendanceMark(
                session_id=s.id, trainee_id=trainee_id, status=status, minutes_attended=m
            )
            for s, (status, m) in zip(sessions, marks, strict=True)
        )
        session.add_all(
            OtjActivity(trainee_id=trainee_id, activity_date=day, kind=kind, hours=Decimal(hours))
            for day, kind, hours in (
                (date(2024, 10, 10), OtjActivityKind.PRACTICAL_TRAINING, 10),
                (date(2024, 10, 11), OtjActivityKind.ENGLISH_MATHS, 3),  # never counts
                (date(2024, 10, 14), OtjActivityKind.PROGRESS_REVIEW, 1),  # never counts
                (date(2024, 11, 20), OtjActivityKind.ASSIGNMENT_WRITING, 4),  # after as_of
            )
        )
        first, second = session.scalars(select(Competency).limit(2)).all()
        revoked = CompetencySignoff(
            trainee_id=trainee_id,
            competency_id=first.id,
            outcome=CompetencyOutcome.COMPETENT,
            observed_on=date(2024, 10, 1),
            **_signature(programme.mentor_id),
        )
        session.add(revoked)
        session.flush()
        session.add_all(
            [
                CompetencySignoff(
                    trainee_id=trainee_id,
                    competency_id=first.id,
                    revokes_id=revoked.id,
                    observed_on=date(2024, 10, 1),
                    revocation_reason="Wrong competency",
                    **_signature(programme.mentor_id),
                ),
                CompetencySignoff(
                    trainee_id=trainee_id,
                    competency_id=second.id,
                    outcome=CompetencyOutcome.COMPETENT,
                    observed_on=date(2024, 10, 3),
                    **_signature(programme.mentor_id),
                ),
            ]
        )
        criteria = session.scalars(
            select(CareCertificateCriterion.id).where(
                CareCertificateCriterion.code.in_(["1.1a", "1.1b"])
            )
        ).all()
        session.add_all(
            CriterionSignoff(
                trainee_id=trainee_id,
                criterion_id=criterion_id,
                evidence_type=EvidenceType.KNOWLEDGE,
                assessed_on=date(2024, 9, 20),
                **_signature(programme.mentor_id),
            )
            for criterion_id in criteria
        )
    return trainee_id


def test_figures_worked_by_hand(database: Database) -> None:
    trainee_id = _build_records(database)

    progress = trainee_progress(database, TEST_ACTOR, trainee_id, as_of=AS_OF)
    a = progress.assessment

    # Attendance: 2 attended (present, late) of 3 possible (annual leave is not a possible session).
    assert (a.attendance.attended, a.attendance.possible) == (2, 3)
    # OTJ: 7 h present + 5 h late + 10 h practical = 22 h; 3 h maths and 1 h review excluded.
    assert a.otj is not None and a.otj.actual == Decimal("22.0")
    assert any("English and maths" in line for line in a.otj_exclusions)
    # Plan: 9 Sep 2024 – 1 Sep 2026, capped at 30 h/week under the 2022–25 rules.
    assert a.otj_plan is not None and a.otj_plan.weekly_hours_counted == Decimal(30)
    assert a.competencies_signed == 1  # the first was revoked
    assert a.care_certificate.signed == 2 and not a.care_certificate.complete
    assert a.care_certificate.standards_total == 15
    assert progress.status is TraineeStatus.IN_TRAINING
    assert "Attendance 66.6% is below 85%" in a.risks
    assert a.review is not None and a.review.next_due == date(2024, 12, 9)
    assert not a.review.overdue


def test_overdue_review_and_break_in_learning(database: Database) -> None:
    programme = add_small_programme(database)
    learning = add_trainee(database, programme)
    paused = add_trainee(
        database,
        programme,
        employee_number="E2",
        uln="9999999999",
        status=TraineeStatus.BREAK_IN_LEARNING,
    )
    with database.write() as session:
        session.add(
            ProgressReview(
                trainee_id=learning, due_date=date(2024, 12, 9), held_on=date(2024, 12, 2)
            )
        )
        session.add(
            LearningBreak(trainee_id=paused, start_date=date(2025, 1, 6), reason="Maternity leave")
        )

    rows = {
        row.trainee_id: row
        for row in list_trainee_progress(database, TEST_ACTOR, as_of=date(2025, 3, 10))
    }

    review = rows[learning].assessment.review
    assert review is not None and review.overdue and review.next_due == date(2025, 3, 2)
    assert any("review" in reason.lower() for reason in rows[learning].assessment.risks)
    assert rows[paused].assessment.review is None  # no reviews are owed during a break
    assert rows[paused].assessment.risks == ()
    plan = rows[paused].assessment.otj_plan
    assert plan is not None and plan.effective_end > plan.planned_end  # the clock paused


def test_cohort_filter_and_ordering(demo_database: Database) -> None:
    everyone = list_trainee_progress(demo_database, TEST_ACTOR, as_of=date(2026, 11, 25))
    cohort = everyone[0].cohort
    only = list_trainee_progress(demo_database, TEST_ACTOR, cohort=cohort, as_of=date(2026, 11, 25))
    assert len(everyone) == 40
    assert only and {row.cohort for row in only} == {cohort}
    assert [row.trainee_id for row in only] == [
        r.trainee_id for r in everyone if r.cohort == cohort
    ]


def test_each_role_sees_only_the_trainees_it_may(demo_database: Database) -> None:
    from apdesk.services.accounts import sign_in
    from apdesk.services.permissions import PermissionDeniedError

    everyone = list_trainee_progress(demo_database, TEST_ACTOR, as_of=date(2026, 11, 25))
    mentor = sign_in(demo_database, "mentor1", "apdesk-demo")
    apprentice = sign_in(demo_database, "apprentice1", "apdesk-demo")

    mentored = list_trainee_progress(demo_database, mentor, as_of=date(2026, 11, 25))
    own = list_trainee_progress(demo_database, apprentice, as_of=date(2026, 11, 25))

    assert len(everyone) == 40
    assert mentored and len(mentored) < 40
    assert {row.mentor for row in mentored} == {mentor.name}
    assert [row.name for row in own] == [apprentice.name]
    someone_else = next(row for row in everyone if row.name != apprentice.name)
    with pytest.raises(PermissionDeniedError, match="cannot see"):
        trainee_progress(demo_database, apprentice, someone_else.trainee_id)


@pytest.mark.parametrize("as_of", [DEMO_DAY, date(2025, 6, 1)])
def test_database_totals_agree_with_the_rules_entry_by_entry(
    demo_database: Database, monkeypatch: pytest.MonkeyPatch, as_of: date
) -> None:
    """The programme list totals in SQL; one trainee's panel applies the domain's rules to
    every entry. Every figure and sentence must be the same either way."""
    from apdesk.services import progress

    monkeypatch.setattr(progress, "_EXACT_UP_TO", 0)  # the list as a large programme gets it
    totalled = list_trainee_progress(demo_database, TEST_ACTOR, as_of=as_of)
    monkeypatch.undo()
    assert len(totalled) == 40
    for row in totalled:
        exact = trainee_progress(demo_database, TEST_ACTOR, row.trainee_id, as_of=as_of)
        assert row == exact, row.name
