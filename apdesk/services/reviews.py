"""Progress reviews and breaks in learning: the two records that pace an apprenticeship.

A progress review is tripartite: it counts only when the apprentice, the employer and the
provider have all signed and the OTJ hours were looked at together, so a review missing any
of those is refused rather than stored half-done. A break in learning stops the OTJ clock and
the review schedule, so starting and ending one also moves the trainee's status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import LearningBreak, ProgressReview, Trainee
from apdesk.db.models.base import utc_now
from apdesk.domain.breaks import BreakInLearning, validate_breaks
from apdesk.domain.calendar import format_day
from apdesk.domain.enums import Role, TraineeStatus
from apdesk.domain.units import tenth
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.errors import ActionRefusedError, ProblemsRefusedError, RecordNotFoundError
from apdesk.services.input_rules import multi_line_problem, single_line_problem
from apdesk.services.permissions import require_can_view, require_role
from apdesk.services.progress import trainee_progress

MAX_SIGNATORY_LENGTH = 160  # the column's length
PACING = (Role.EDUCATION_LEAD,)
"""Who records progress reviews and breaks in learning: the education lead, for the provider."""


@dataclass(frozen=True)
class ReviewRecord:
    """A progress review, scheduled (``held_on`` None) or held and signed by all three."""

    review_id: int
    trainee_id: int
    due_date: date
    held_on: date | None
    apprentice_comments: str
    employer_comments: str
    provider_comments: str
    apprentice_signed_at: datetime | None
    employer_signatory: str | None
    employer_signed_at: datetime | None
    provider_signatory: str | None
    provider_signed_at: datetime | None
    otj_reviewed: bool
    otj_hours_at_review: Decimal | None

    @property
    def held(self) -> bool:
        return self.held_on is not None

    def days_overdue(self, as_of: date) -> int:
        """Days past its due date a review not yet held is at ``as_of`` (0 when not late)."""
        if self.held_on is not None:
            return 0
        return max((as_of - self.due_date).days, 0)

    def describe(self, as_of: date) -> str:
        """E.g. "Due 1 Sep 2026, held 4 Sep 2026" or "Due 1 Sep 2026: overdue by 85 days"."""
        due = f"Due {format_day(self.due_date)}"
        if self.held_on is not None:
            return f"{due}, held {format_day(self.held_on)}"
        late = self.days_overdue(as_of)
        if late:
            return f"{due}: overdue by {late} day{'' if late == 1 else 's'}"
        return f"{due}: not yet held"


@dataclass(frozen=True)
class BreakRecord:
    break_id: int
    trainee_id: int
    start_date: date
    end_date: date | None  # last day of the break; None while it goes on
    reason: str

    @property
    def ongoing(self) -> bool:
        return self.end_date is None

    def describe(self) -> str:
        words = BreakInLearning(self.start_date, self.end_date).describe()
        return f"{words[:1].upper()}{words[1:]}: {self.reason}"


def _review_record(review: ProgressReview) -> ReviewRecord:
    return ReviewRecord(
        review_id=review.id,
        trainee_id=review.trainee_id,
        due_date=review.due_date,
        held_on=review.held_on,
        apprentice_comments=review.apprentice_comments,
        employer_comments=review.employer_comments,
        provider_comments=review.provider_comments,
        apprentice_signed_at=review.apprentice_signed_at,
        employer_signatory=review.employer_signatory,
        employer_signed_at=review.employer_signed_at,
        provider_signatory=review.provider_signatory,
        provider_signed_at=review.provider_signed_at,
        otj_reviewed=review.otj_reviewed,
        otj_hours_at_review=review.otj_hours_at_review,
    )


def _snapshot(row: ProgressReview | LearningBreak) -> dict[str, object]:
    return {
        column.key: getattr(row, column.key)
        for column in type(row).__table__.columns
        if column.key not in ("id", "recorded_at")
    }


def list_reviews(database: Database, actor: Actor, trainee_id: int) -> list[ReviewRecord]:
    """The trainee's reviews, scheduled and held, earliest due first."""
    with database.read() as session:
        require_can_view(session, actor, trainee_id)
        reviews = session.scalars(
            select(ProgressReview)
            .where(ProgressReview.trainee_id == trainee_id)
            .order_by(ProgressReview.due_date, ProgressReview.id)
        )
        return [_review_record(review) for review in reviews]


def review_problems(
    *,
    started_on: date,
    held_on: date | None,
    apprentice_signed: bool,
    employer_signatory: str,
    provider_signatory: str,
    otj_reviewed: bool,
    today: date,
    apprentice_comments: str = "",
    employer_comments: str = "",
    provider_comments: str = "",
) -> dict[str, str]:
    """What stops a review from being recorded, by field; the dialog shows these as typed."""
    problems: dict[str, str] = {}
    for name, words, text in (
        ("apprentice_comments", "The apprentice's comments", apprentice_comments),
        ("employer_comments", "The employer's comments", employer_comments),
        ("provider_comments", "The provider's comments", provider_comments),
    ):
        problem = multi_line_problem(words, text, plural=True)
        if problem:
            problems[name] = problem
    if held_on is None:
        problems["held_on"] = "Enter the date the review was held"
    elif held_on > today:
        problems["held_on"] = f"The review date {format_day(held_on)} is in the future"
    elif held_on < started_on:
        problems["held_on"] = (
            f"The review date {format_day(held_on)} is before the apprenticeship started "
            f"on {format_day(started_on)}"
        )
    if not apprentice_signed:
        problems["apprentice_signed"] = "The apprentice must sign the review"
    for name, party, signatory in (
        ("employer_signatory", "employer", employer_signatory),
        ("provider_signatory", "provider", provider_signatory),
    ):
        if not signatory.strip():
            problems[name] = f"The {party} must sign: enter the signatory's name"
            continue
        problem = single_line_problem(
            f"The {party}'s signatory's name", signatory.strip(), MAX_SIGNATORY_LENGTH
        )
        if problem:
            problems[name] = problem
    if not otj_reviewed:
        problems["otj_reviewed"] = "The OTJ hours must be reviewed at every progress review"
    return problems


def _trainee(session: Session, trainee_id: int) -> Trainee:
    trainee = session.get(Trainee, trainee_id)
    if trainee is None:
        raise RecordNotFoundError("This trainee no longer exists")
    return trainee


def record_review(
    database: Database,
    actor: Actor,
    *,
    trainee_id: int,
    review_id: int | None = None,
    due_date: date | None = None,
    held_on: date,
    apprentice_comments: str = "",
    employer_comments: str = "",
    provider_comments: str = "",
    apprentice_signed: bool,
    employer_signatory: str,
    provider_signatory: str,
    otj_reviewed: bool,
    today: date | None = None,
) -> int:
    """Record a held review: a scheduled one (``review_id``) or a new one due ``due_date``
    (the held date when neither is given). Returns the review's id.

    The three signatures are stamped now (UTC); the OTJ hours counted at the held date are
    kept with the review, as the figure the three parties looked at.
    """
    require_role(actor, PACING, "record progress reviews")
    today = today or date.today()
    try:  # read first: the figure is the trainee's progress at the held date
        progress = trainee_progress(database, actor, trainee_id, as_of=min(held_on, today))
    except LookupError as error:
        raise RecordNotFoundError("This trainee no longer exists") from error
    otj_hours = tenth(progress.assessment.otj.actual) if progress.assessment.otj else None

    with database.write() as session:
        trainee = _trainee(session, trainee_id)
        problems = review_problems(
            started_on=trainee.start_date,
            held_on=held_on,
            apprentice_signed=apprentice_signed,
            employer_signatory=employer_signatory,
            provider_signatory=provider_signatory,
            otj_reviewed=otj_reviewed,
            today=today,
            apprentice_comments=apprentice_comments,
            employer_comments=employer_comments,
            provider_comments=provider_comments,
        )
        review: ProgressReview | None = None
        if review_id is not None:
            review = session.get(ProgressReview, review_id)
            if review is None or review.trainee_id != trainee_id:
                problems["review_id"] = "The chosen review is not one of this trainee's"
            elif review.held_on is not None:
                problems["review_id"] = (
                    f"The review due {format_day(review.due_date)} was already held on "
                    f"{format_day(review.held_on)}"
                )
        if problems:
            raise ProblemsRefusedError(problems)

        before = _snapshot(review) if review is not None else None
        if review is None:
            review = ProgressReview(trainee_id=trainee_id, due_date=due_date or held_on)
            session.add(review)
        signed_at = utc_now()
        review.held_on = held_on
        review.apprentice_comments = apprentice_comments.strip()
        review.employer_comments = employer_comments.strip()
        review.provider_comments = provider_comments.strip()
        review.apprentice_signed_at = signed_at
        review.employer_signatory = employer_signatory.strip()
        review.employer_signed_at = signed_at
        review.provider_signatory = provider_signatory.strip()
        review.provider_signed_at = signed_at
        review.otj_reviewed = True
        review.otj_hours_at_review = otj_hours
        session.flush()
        record_change(
            session,
            actor,
            action="record_review",
            entity="progress_review",
            entity_id=review.id,
            trainee_id=trainee_id,
            summary=(
                f"Progress review held {format_day(held_on)} recorded for {trainee.full_name}"
            ),
            before=before,
            after=_snapshot(review),
        )
        return review.id


def list_breaks(database: Database, actor: Actor, trainee_id: int) -> list[BreakRecord]:
    """The trainee's breaks in learning, earliest first."""
    with database.read() as session:
        require_can_view(session, actor, trainee_id)
        breaks = session.scalars(
            select(LearningBreak)
            .where(LearningBreak.trainee_id == trainee_id)
            .order_by(LearningBreak.start_date, LearningBreak.id)
        )
        return [BreakRecord(b.id, b.trainee_id, b.start_date, b.end_date, b.reason) for b in breaks]


def break_problems(
    *, start_date: date, end_date: date | None, reason: str, today: date
) -> dict[str, str]:
    """What is wrong with a break as entered, before it is compared with the others."""
    problems: dict[str, str] = {}
    if start_date > today:
        problems["start_date"] = (
            f"The break starts on {format_day(start_date)}, in the future: record it once "
            "it has started"
        )
    if end_date is not None:
        if end_date < start_date:
            problems["end_date"] = "The break cannot end before it starts"
        elif end_date > today:
            problems["end_date"] = (
                f"The last day {format_day(end_date)} is in the future: leave it blank while "
                "the break goes on"
            )
    if not reason.strip():
        problems["reason"] = "Give the reason for the break"
    elif problem := multi_line_problem("The reason", reason):
        problems["reason"] = problem
    return problems


def _status_change(
    session: Session, actor: Actor, trainee: Trainee, status: TraineeStatus, summary: str
) -> None:
    if trainee.status is status:
        return
    before = {"status": trainee.status}
    trainee.status = status
    record_change(
        session,
        actor,
        action="change_status",
        entity="trainee",
        entity_id=trainee.id,
        trainee_id=trainee.id,
        summary=summary,
        before=before,
        after={"status": status},
    )


def add_break_in_learning(
    database: Database,
    actor: Actor,
    *,
    trainee_id: int,
    start_date: date,
    end_date: date | None = None,
    reason: str,
    today: date | None = None,
) -> int:
    """Record a break: an ongoing one (no end) puts the trainee on a break in learning; a
    past one (with its last day) is history and leaves the status alone."""
    require_role(actor, PACING, "record breaks in learning")
    today = today or date.today()
    with database.write() as session:
        trainee = _trainee(session, trainee_id)
        problems = break_problems(
            start_date=start_date, end_date=end_date, reason=reason, today=today
        )
        if end_date is None and trainee.status is not TraineeStatus.IN_TRAINING:
            problems["start_date"] = (
                "Only an apprentice in training can start a break "
                f"({trainee.full_name} is {trainee.status.label.lower()})"
            )
        if not problems:
            overlap = _overlap(session, trainee, BreakInLearning(start_date, end_date))
            if overlap:
                problems["start_date"] = overlap
        if problems:
            raise ProblemsRefusedError(problems)
        record = LearningBreak(
            trainee_id=trainee_id, start_date=start_date, end_date=end_date, reason=reason.strip()
        )
        session.add(record)
        session.flush()
        record_change(
            session,
            actor,
            action="add_break",
            entity="break_in_learning",
            entity_id=record.id,
            trainee_id=trainee_id,
            summary=f"{trainee.full_name}: {BreakInLearning(start_date, end_date).describe()}",
            after=_snapshot(record),
        )
        if end_date is None:
            _status_change(
                session,
                actor,
                trainee,
                TraineeStatus.BREAK_IN_LEARNING,
                f"{trainee.full_name} started a break in learning: {reason.strip()}",
            )
        return record.id


def _overlap(session: Session, trainee: Trainee, new: BreakInLearning) -> str | None:
    existing = [
        BreakInLearning(start, end)
        for start, end in session.execute(
            select(LearningBreak.start_date, LearningBreak.end_date).where(
                LearningBreak.trainee_id == trainee.id
            )
        )
    ]
    try:
        validate_breaks([*existing, new], trainee.start_date)
    except ValueError as error:
        return str(error)
    return None


def end_break_in_learning(
    database: Database,
    actor: Actor,
    *,
    trainee_id: int,
    end_date: date,
    today: date | None = None,
) -> None:
    """End the break going on, on its last day ``end_date``; the trainee is back in training."""
    require_role(actor, PACING, "record breaks in learning")
    today = today or date.today()
    with database.write() as session:
        trainee = _trainee(session, trainee_id)
        ongoing = session.scalars(
            select(LearningBreak).where(
                LearningBreak.trainee_id == trainee_id, LearningBreak.end_date.is_(None)
            )
        ).first()
        if ongoing is None:
            raise ActionRefusedError(f"{trainee.full_name} has no break in learning going on")
        problems: Mapping[str, str] = {
            key: message
            for key, message in break_problems(
                start_date=ongoing.start_date, end_date=end_date, reason=ongoing.reason, today=today
            ).items()
            if key == "end_date"
        }
        if problems:
            raise ProblemsRefusedError(problems)
        before = _snapshot(ongoing)
        ongoing.end_date = end_date
        record_change(
            session,
            actor,
            action="end_break",
            entity="break_in_learning",
            entity_id=ongoing.id,
            trainee_id=trainee_id,
            summary=f"{trainee.full_name}: break in learning ended on {format_day(end_date)}",
            before=before,
            after=_snapshot(ongoing),
        )
        if trainee.status is TraineeStatus.BREAK_IN_LEARNING:
            _status_change(
                session,
                actor,
                trainee,
                TraineeStatus.IN_TRAINING,
                f"{trainee.full_name} is back in training after a break in learning",
            )
