"""Progress reviews are recorded only when all three parties signed and the OTJ hours were
reviewed; breaks in learning move the trainee's status and never overlap."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry, LearningBreak, OtjActivity, ProgressReview
from apdesk.domain.enums import OtjActivityKind, TraineeStatus
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError, ProblemsRefusedError
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.reviews import (
    add_break_in_learning,
    end_break_in_learning,
    list_breaks,
    list_reviews,
    record_review,
)
from apdesk.services.trainees import trainee_details
from tests.helpers.builders import add_small_programme, add_trainee
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.trainees import add_people

TODAY = date(2024, 12, 20)  # the small programme's cohort starts on 9 Sep 2024


@pytest.fixture
def trainee_id(database: Database) -> int:
    trainee = add_trainee(database, add_small_programme(database))
    with database.write() as session:
        session.add(
            OtjActivity(
                trainee_id=trainee,
                activity_date=date(2024, 10, 1),
                kind=OtjActivityKind.PRACTICAL_TRAINING,
                hours=12.5,
            )
        )
        session.add(ProgressReview(trainee_id=trainee, due_date=date(2024, 12, 9)))
    return trainee


def signed(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "held_on": date(2024, 12, 12),
        "apprentice_comments": "Enjoying the placement",
        "employer_comments": "Working well with the team",
        "provider_comments": "Assignments on track",
        "apprentice_signed": True,
        "employer_signatory": " Lee Manager ",
        "provider_signatory": "Pat Tutor",
        "otj_reviewed": True,
        "today": TODAY,
    }
    return values | overrides


def test_a_scheduled_review_is_recorded_with_signatures_and_otj_hours(
    database: Database, trainee_id: int
) -> None:
    [due] = list_reviews(database, TEST_ACTOR, trainee_id)
    assert due.days_overdue(TODAY) == 11
    assert due.describe(TODAY) == "Due 9 Dec 2024: overdue by 11 days"
    before = datetime.now(UTC) - timedelta(seconds=1)

    review_id = record_review(
        database, TEST_ACTOR, trainee_id=trainee_id, review_id=due.review_id, **signed()
    )

    [held] = list_reviews(database, TEST_ACTOR, trainee_id)
    assert held.review_id == review_id == due.review_id
    assert held.held_on == date(2024, 12, 12) and held.days_overdue(TODAY) == 0
    assert held.describe(TODAY) == "Due 9 Dec 2024, held 12 Dec 2024"
    assert held.employer_signatory == "Lee Manager" and held.provider_signatory == "Pat Tutor"
    for stamp in (held.apprentice_signed_at, held.employer_signed_at, held.provider_signed_at):
        assert stamp is not None and stamp >= before and stamp.tzinfo is not None
    assert held.otj_reviewed
    assert held.otj_hours_at_review is not None and held.otj_hours_at_review >= 12
    with database.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "record_review")
        ).one()
    assert json.loads(entry.before or "{}")["held_on"] is None
    assert json.loads(entry.after or "{}")["held_on"] == "2024-12-12"


def test_an_unscheduled_review_is_added_with_its_due_date(
    database: Database, trainee_id: int
) -> None:
    record_review(
        database, TEST_ACTOR, trainee_id=trainee_id, due_date=date(2024, 11, 1), **signed()
    )
    reviews = list_reviews(database, TEST_ACTOR, trainee_id)
    assert [(r.due_date, r.held_on) for r in reviews] == [
        (date(2024, 11, 1), date(2024, 12, 12)),
        (date(2024, 12, 9), None),
    ]


def test_a_review_missing_a_signature_or_the_otj_review_is_refused(
    database: Database, trainee_id: int
) -> None:
    with pytest.raises(ProblemsRefusedError) as refusal:
        record_review(
            database,
            TEST_ACTOR,
            trainee_id=trainee_id,
            **signed(apprentice_signed=False, provider_signatory=" ", otj_reviewed=False),
        )
    assert refusal.value.problems == {
        "apprentice_signed": "The apprentice must sign the review",
        "provider_signatory": "The provider must sign: enter the signatory's name",
        "otj_reviewed": "The OTJ hours must be reviewed at every progress review",
    }
    assert [r.held_on for r in list_reviews(database, TEST_ACTOR, trainee_id)] == [None]


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        (date(2024, 12, 21), "The review date 21 Dec 2024 is in the future"),
        (
            date(2024, 9, 8),
            "The review date 8 Sep 2024 is before the apprenticeship started on 9 Sep 2024",
        ),
    ],
)
def test_a_review_dated_in_the_future_or_before_the_start_is_refused(
    database: Database, trainee_id: int, held_on: date, message: str
) -> None:
    with pytest.raises(ActionRefusedError, match=message):
        record_review(database, TEST_ACTOR, trainee_id=trainee_id, **signed(held_on=held_on))


def test_a_review_already_held_cannot_be_recorded_again(
    database: Database, trainee_id: int
) -> None:
    [due] = list_reviews(database, TEST_ACTOR, trainee_id)
    record_review(database, TEST_ACTOR, trainee_id=trainee_id, review_id=due.review_id, **signed())
    with pytest.raises(ActionRefusedError, match="was already held on 12 Dec 2024"):
        record_review(
            database, TEST_ACTOR, trainee_id=trainee_id, review_id=due.review_id, **signed()
        )


def status(database: Database, trainee_id: int) -> TraineeStatus:
    return trainee_details(database, TEST_ACTOR, trainee_id).status


def test_a_break_puts_the_trainee_on_a_break_until_it_ends(
    database: Database, trainee_id: int
) -> None:
    break_id = add_break_in_learning(
        database,
        TEST_ACTOR,
        trainee_id=trainee_id,
        start_date=date(2024, 11, 4),
        reason="Long-term sickness",
        today=TODAY,
    )
    assert status(database, trainee_id) is TraineeStatus.BREAK_IN_LEARNING
    [ongoing] = list_breaks(database, TEST_ACTOR, trainee_id)
    assert ongoing.break_id == break_id and ongoing.ongoing
    assert ongoing.describe() == "Break in learning from 4 Nov 2024, ongoing: Long-term sickness"

    end_break_in_learning(
        database, TEST_ACTOR, trainee_id=trainee_id, end_date=date(2024, 12, 1), today=TODAY
    )

    assert status(database, trainee_id) is TraineeStatus.IN_TRAINING
    [ended] = list_breaks(database, TEST_ACTOR, trainee_id)
    assert ended.end_date == date(2024, 12, 1)
    with database.read() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["add_break", "change_status", "end_break", "change_status"]


def test_a_past_break_is_history_and_leaves_the_status(database: Database, trainee_id: int) -> None:
    add_break_in_learning(
        database,
        TEST_ACTOR,
        trainee_id=trainee_id,
        start_date=date(2024, 10, 1),
        end_date=date(2024, 10, 20),
        reason="Bereavement",
        today=TODAY,
    )
    assert status(database, trainee_id) is TraineeStatus.IN_TRAINING
    with pytest.raises(ActionRefusedError, match="overlaps"):
        add_break_in_learning(
            database,
            TEST_ACTOR,
            trainee_id=trainee_id,
            start_date=date(2024, 10, 15),
            reason="Sickness",
            today=TODAY,
        )
    with database.read() as session:
        assert len(session.scalars(select(LearningBreak)).all()) == 1


@pytest.mark.parametrize(
    ("start", "end", "reason", "message"),
    [
        (date(2024, 12, 21), None, "Sickness", "in the future: record it once it has started"),
        (date(2024, 9, 1), None, "Sickness", "starts before the apprenticeship starts"),
        (date(2024, 10, 1), date(2024, 9, 30), "Sickness", "cannot end before it starts"),
        (date(2024, 10, 1), date(2024, 12, 21), "Sickness", "leave it blank while the break"),
        (date(2024, 10, 1), None, "  ", "Give the reason for the break"),
    ],
)
def test_impossible_breaks_are_refused(
    database: Database,
    trainee_id: int,
    start: date,
    end: date | None,
    reason: str,
    message: str,
) -> None:
    with pytest.raises(ActionRefusedError, match=message):
        add_break_in_learning(
            database,
            TEST_ACTOR,
            trainee_id=trainee_id,
            start_date=start,
            end_date=end,
            reason=reason,
            today=TODAY,
        )
    assert status(database, trainee_id) is TraineeStatus.IN_TRAINING


def test_ending_a_break_needs_one_going_on(database: Database, trainee_id: int) -> None:
    with pytest.raises(ActionRefusedError, match="has no break in learning going on"):
        end_break_in_learning(
            database, TEST_ACTOR, trainee_id=trainee_id, end_date=TODAY, today=TODAY
        )


# -- who may do what ----------------------------------------------------------------------
LEAD_ONLY = "that needs an education lead account."


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", f"Adam Admin cannot record progress reviews: {LEAD_ONLY}"),
        ("mentor", f"Mo Mentor cannot record progress reviews: {LEAD_ONLY}"),
        ("apprentice", f"Asha Account cannot record progress reviews: {LEAD_ONLY}"),
        ("nobody", "Sign in to record progress reviews."),
    ],
)
def test_only_an_education_lead_records_a_review(
    database: Database, trainee_id: int, who: str, refusal: str | None
) -> None:
    people = add_people(database, trainee_id)
    [due] = list_reviews(database, TEST_ACTOR, trainee_id)

    def record() -> int:
        return record_review(
            database, people[who], trainee_id=trainee_id, review_id=due.review_id, **signed()
        )

    if refusal is None:
        record()
        assert list_reviews(database, TEST_ACTOR, trainee_id)[0].held
    else:
        with pytest.raises(PermissionDeniedError) as refused:
            record()
        assert str(refused.value) == refusal
        assert [r.held_on for r in list_reviews(database, TEST_ACTOR, trainee_id)] == [None]
        assert audit_actions(database) == []


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", f"Adam Admin cannot record breaks in learning: {LEAD_ONLY}"),
        ("mentor", f"Mo Mentor cannot record breaks in learning: {LEAD_ONLY}"),
        ("apprentice", f"Asha Account cannot record breaks in learning: {LEAD_ONLY}"),
    ],
)
def test_only_an_education_lead_starts_or_ends_a_break(
    database: Database, trainee_id: int, who: str, refusal: str | None
) -> None:
    people = add_people(database, trainee_id)

    def start(actor: Actor) -> None:
        add_break_in_learning(
            database,
            actor,
            trainee_id=trainee_id,
            start_date=date(2024, 11, 4),
            reason="Sickness",
            today=TODAY,
        )

    def end(actor: Actor) -> None:
        end_break_in_learning(
            database, actor, trainee_id=trainee_id, end_date=date(2024, 12, 1), today=TODAY
        )

    if refusal is None:
        start(people[who])
        end(people[who])
        ended = [b.end_date for b in list_breaks(database, TEST_ACTOR, trainee_id)]
        assert ended == [date(2024, 12, 1)]
        return
    with pytest.raises(PermissionDeniedError) as refused:
        start(people[who])
    assert str(refused.value) == refusal
    assert list_breaks(database, TEST_ACTOR, trainee_id) == []
    start(TEST_ACTOR)
    with pytest.raises(PermissionDeniedError) as refused_end:
        end(people[who])
    assert str(refused_end.value) == refusal
    assert status(database, trainee_id) is TraineeStatus.BREAK_IN_LEARNING


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", None),
        ("mentor", None),
        ("apprentice", None),
        ("other_mentor", "Olu Other cannot see Asha Patel's records."),
        ("other_apprentice", "Oona Other cannot see Asha Patel's records."),
        ("nobody", "Sign in to see trainees' records."),
    ],
)
def test_reviews_and_breaks_are_read_by_staff_the_mentor_and_the_apprentice(
    database: Database, trainee_id: int, who: str, refusal: str | None
) -> None:
    people = add_people(database, trainee_id)
    add_break_in_learning(
        database,
        TEST_ACTOR,
        trainee_id=trainee_id,
        start_date=date(2024, 10, 1),
        end_date=date(2024, 10, 20),
        reason="Bereavement",
        today=TODAY,
    )

    if refusal is None:
        assert [r.due_date for r in list_reviews(database, people[who], trainee_id)] == [
            date(2024, 12, 9)
        ]
        assert [b.reason for b in list_breaks(database, people[who], trainee_id)] == ["Bereavement"]
        return
    for listing in (list_reviews, list_breaks):
        with pytest.raises(PermissionDeniedError) as refused:
            listing(database, people[who], trainee_id)
        assert str(refused.value) == refusal


def audit_actions(database: Database) -> list[str]:
    with database.read() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
