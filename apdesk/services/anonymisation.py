"""Anonymise withdrawn apprentices once the trust's retention period has passed.

What is replaced: what identifies the person (name, ULN, email, employee number, care
pathway, lived experience) and free text written about them (review comments, break and RPL
reasons, OTJ descriptions, register notes); their account is unlinked and deactivated.
What stays: everything the programme's statistics count (cohort, employer, service area,
dates, statuses, hours, marks, sign-off outcomes).

What cannot change: append-only records (the audit trail, sign-offs, band decisions, exported
portfolios' records) refuse UPDATE by trigger, so the personal details already written into
them are kept. The README ("Data protection") explains why and what that means. The entries
written here name trainees by id only, so anonymising adds no personal details to them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import (
    AttendanceMark,
    AuditEntry,
    BandChange,
    CompetencySignoff,
    CriterionSignoff,
    DayReleaseSession,
    LearningBreak,
    OtjActivity,
    PortfolioExport,
    ProgressReview,
    RplReduction,
    Trainee,
)
from apdesk.domain.calendar import add_months, format_day
from apdesk.domain.enums import Role, TraineeStatus
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.permissions import require_role
from apdesk.services.programme_rules import load_programme_rules

ANONYMISE_ACTION = "anonymise_trainee"
ANONYMISING = "anonymise withdrawn apprentices"
NEUTRAL_TEXT = "[Removed when this record was anonymised]"
RULE_NAME = "retention_years_after_withdrawal in programme_rules.yaml"

# Free text written about the apprentice: it may name them, their health or family.
FREE_TEXT: tuple[tuple[type[Any], tuple[str, ...]], ...] = (
    (ProgressReview, ("apprentice_comments", "employer_comments", "provider_comments")),
    (LearningBreak, ("reason",)),
    (RplReduction, ("reason",)),
    (OtjActivity, ("description",)),
    (AttendanceMark, ("note",)),
)
IDENTIFYING_FIELDS = (
    "first_name",
    "last_name",
    "uln",
    "email",
    "employee_number",
    "care_pathway",
    "lived_experience",
)


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawn trainee and when they withdrew, as far as the records tell."""

    trainee_id: int
    name: str
    cohort: str
    withdrawn_on: date
    # True: the day the status was set to withdrawn (audit trail). False: no such entry (loaded
    # in bulk, or before the audit trail), so the last day any learning was recorded.
    from_status_change: bool
    anonymised_on: date | None

    @property
    def basis(self) -> str:
        return "status set to withdrawn" if self.from_status_change else "last learning recorded"

    def retained_until(self, years: int) -> date:
        return add_months(self.withdrawn_on, 12 * years)


@dataclass(frozen=True)
class RetainedRecords:
    """Records about the anonymised trainees left as written: nothing may rewrite them."""

    audit_entries: int = 0
    portfolio_exports: int = 0
    signoffs: int = 0
    band_decisions: int = 0

    def describe(self) -> str:
        parts = [
            (self.audit_entries, "audit entry", "audit entries"),
            (self.portfolio_exports, "portfolio export record", "portfolio export records"),
            (self.signoffs, "sign-off", "sign-offs"),
            (self.band_decisions, "band decision", "band decisions"),
        ]
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts)


@dataclass(frozen=True)
class AnonymisationReport:
    dry_run: bool
    retention_years: int
    withdrawn_before: date | None  # None when one trainee was named
    trainees: tuple[Withdrawal, ...]
    retained: RetainedRecords


def latest_day_to_anonymise(today: date, retention_years: int) -> date:
    """Trainees who withdrew on or before this day are past the retention period today."""
    return add_months(today, -12 * retention_years)


def anonymise_withdrawn(
    database: Database,
    actor: Actor,
    *,
    withdrawn_before: date | None = None,
    dry_run: bool = False,
    today: date | None = None,
    retention_years: int | None = None,
) -> AnonymisationReport:
    """Anonymise everyone who withdrew before ``withdrawn_before`` (default: everyone past the
    retention period), all in one transaction. A date inside the period is refused."""
    require_role(actor, (Role.ADMINISTRATOR,), ANONYMISING)
    day = today or date.today()
    years = retention_years or load_programme_rules().retention_years_after_withdrawal
    latest = latest_day_to_anonymise(day, years)
    before = withdrawn_before or latest + timedelta(days=1)
    if add_months(before - timedelta(days=1), 12 * years) > day:
        raise ActionRefusedError(
            f"Withdrawn before {format_day(before)} reaches inside the {years}-year retention "
            f"period ({RULE_NAME}): today only those who withdrew on or before "
            f"{format_day(latest)} may be anonymised. Nothing was changed."
        )
    with _transaction(database, dry_run) as session:
        withdrawn = _withdrawals(session, _withdrawn_trainees(session))
        chosen = [
            w
            for w in withdrawn
            if w.anonymised_on is None
            and w.withdrawn_on < before
            and w.retained_until(years) <= day
        ]
        return _finish(session, actor, chosen, years, before, dry_run=dry_run)


def anonymise_trainee(
    database: Database,
    actor: Actor,
    trainee_id: int,
    *,
    dry_run: bool = False,
    today: date | None = None,
    retention_years: int | None = None,
) -> AnonymisationReport:
    """Anonymise one trainee, refusing anyone not withdrawn or still inside the period."""
    require_role(actor, (Role.ADMINISTRATOR,), ANONYMISING)
    day = today or date.today()
    years = retention_years or load_programme_rules().retention_years_after_withdrawal
    with _transaction(database, dry_run) as session:
        trainee = session.get(Trainee, trainee_id)
        if trainee is None:
            raise RecordNotFoundError(f"No trainee with id {trainee_id}")
        if trainee.status is not TraineeStatus.WITHDRAWN:
            raise ActionRefusedError(
                f"{trainee.full_name} has not withdrawn (status: {trainee.status.label}); "
                "only withdrawn apprentices are anonymised. Nothing was changed."
            )
        (withdrawal,) = _withdrawals(session, [trainee])
        if withdrawal.anonymised_on is not None:
            raise ActionRefusedError(
                f"Trainee {trainee_id} was already anonymised on "
                f"{format_day(withdrawal.anonymised_on)}."
            )
        kept_until = withdrawal.retained_until(years)
        if kept_until > day:
            raise ActionRefusedError(
                f"{trainee.full_name} withdrew on {format_day(withdrawal.withdrawn_on)} "
                f"({withdrawal.basis}); their records are kept until {format_day(kept_until)} "
                f"({years}-year retention, {RULE_NAME}). Nothing was changed."
            )
        return _finish(session, actor, [withdrawal], years, None, dry_run=dry_run)


def _transaction(database: Database, dry_run: bool) -> AbstractContextManager[Session]:
    """A dry run only reads: it takes no write lock, so it never holds up other PCs."""
    return database.read() if dry_run else database.write()


def _finish(
    session: Session,
    actor: Actor,
    chosen: Sequence[Withdrawal],
    years: int,
    before: date | None,
    *,
    dry_run: bool,
) -> AnonymisationReport:
    retained = _retained(session, [w.trainee_id for w in chosen])
    if not dry_run:
        for withdrawal in chosen:
            _anonymise(session, actor, withdrawal, years)
    return AnonymisationReport(dry_run, years, before, tuple(chosen), retained)


def _withdrawn_trainees(session: Session) -> list[Trainee]:
    return list(
        session.scalars(
            select(Trainee).where(Trainee.status == TraineeStatus.WITHDRAWN).order_by(Trainee.id)
        )
    )


def _withdrawals(session: Session, trainees: Sequence[Trainee]) -> list[Withdrawal]:
    ids = [trainee.id for trainee in trainees]
    status_set: dict[int, date] = {}
    anonymised: dict[int, date] = {}
    entries = session.execute(
        select(AuditEntry.trainee_id, AuditEntry.action, AuditEntry.occurred_at, AuditEntry.after)
        .where(AuditEntry.trainee_id.in_(ids), AuditEntry.entity == "trainee")
        .order_by(AuditEntry.id)
    )
    for trainee_id, action, occurred_at, after in entries:
        on = occurred_at.astimezone().date()  # the day as people there saw it
        if action == ANONYMISE_ACTION:
            anonymised[trainee_id] = on
        elif _sets_withdrawn(after):
            status_set[trainee_id] = on  # the latest wins: a return and a second withdrawal
    last_learning = _last_learning(session, ids)
    return [
        Withdrawal(
            trainee_id=trainee.id,
            name=trainee.full_name,
            cohort=trainee.cohort.name,
            withdrawn_on=status_set.get(trainee.id)
            or max(last_learning.get(trainee.id, trainee.start_date), trainee.start_date),
            from_status_change=trainee.id in status_set,
            anonymised_on=anonymised.get(trainee.id),
        )
        for trainee in trainees
    ]


def _sets_withdrawn(after: str | None) -> bool:
    if not after:
        return False
    try:
        values = json.loads(after)
    except ValueError:
        return False
    return isinstance(values, dict) and values.get("status") == TraineeStatus.WITHDRAWN.value


def _last_learning(session: Session, ids: Sequence[int]) -> dict[int, date]:
    """The last day anything about each trainee's learning was recorded."""
    sources = (
        (
            select(AttendanceMark.trainee_id, func.max(DayReleaseSession.session_date))
            .join(DayReleaseSession, DayReleaseSession.id == AttendanceMark.session_id)
            .where(AttendanceMark.trainee_id.in_(ids))
            .group_by(AttendanceMark.trainee_id)
        ),
        _latest(OtjActivity.trainee_id, OtjActivity.activity_date, ids),
        _latest(ProgressReview.trainee_id, ProgressReview.held_on, ids),
        _latest(CompetencySignoff.trainee_id, CompetencySignoff.observed_on, ids),
        _latest(CriterionSignoff.trainee_id, CriterionSignoff.assessed_on, ids),
        _latest(
            LearningBreak.trainee_id,
            func.coalesce(LearningBreak.end_date, LearningBreak.start_date),
            ids,
        ),
    )
    latest: dict[int, date] = {}
    for query in sources:
        for trainee_id, day in session.execute(query):
            if isinstance(day, str):  # SQLite's MAX over COALESCE loses the column type
                day = date.fromisoformat(day)
            if day is not None and (trainee_id not in latest or day > latest[trainee_id]):
                latest[trainee_id] = day
    return latest


def _latest(trainee_column: Any, day_column: Any, ids: Sequence[int]) -> Any:
    return (
        select(trainee_column, func.max(day_column))
        .where(trainee_column.in_(ids))
        .group_by(trainee_column)
    )


def _retained(session: Session, ids: Sequence[int]) -> RetainedRecords:
    if not ids:
        return RetainedRecords()
    accounts = [
        account
        for account in session.scalars(select(Trainee.account_id).where(Trainee.id.in_(ids)))
        if account is not None
    ]
    about = [AuditEntry.trainee_id.in_(ids)]
    if accounts:
        about += [
            (AuditEntry.entity == "user") & AuditEntry.entity_id.in_(accounts),
            AuditEntry.actor_id.in_(accounts),
        ]

    def count(query: Any) -> int:
        return session.scalar(query) or 0

    return RetainedRecords(
        audit_entries=count(select(func.count(AuditEntry.id)).where(or_(*about))),
        portfolio_exports=count(
            select(func.count(PortfolioExport.id)).where(PortfolioExport.trainee_id.in_(ids))
        ),
        signoffs=count(
            select(func.count(CompetencySignoff.id)).where(CompetencySignoff.trainee_id.in_(ids))
        )
        + count(
            select(func.count(CriterionSignoff.id)).where(CriterionSignoff.trainee_id.in_(ids))
        ),
        band_decisions=count(
            select(func.count(BandChange.id)).where(BandChange.trainee_id.in_(ids))
        ),
    )


def _anonymise(session: Session, actor: Actor, withdrawal: Withdrawal, years: int) -> None:
    trainee = session.get_one(Trainee, withdrawal.trainee_id)
    trainee.first_name = "Anonymised"
    trainee.last_name = f"apprentice {trainee.id}"
    trainee.uln = None
    trainee.email = None
    trainee.employee_number = f"ANON-{trainee.id}"  # unique per employer, as the column needs
    trainee.care_pathway = None
    trainee.lived_experience = None
    cleared = {
        model.__tablename__: changed
        for model, fields in FREE_TEXT
        if (changed := _clear_text(session, model, fields, trainee.id))
    }
    account = _retire_account(trainee)
    record_change(
        session,
        actor,
        action=ANONYMISE_ACTION,
        entity="trainee",
        entity_id=trainee.id,
        trainee_id=trainee.id,
        summary=f"Anonymised trainee {trainee.id}: withdrew {withdrawal.withdrawn_on.isoformat()} "
        f"({withdrawal.basis}), past the {years}-year retention period",
        after={
            "fields_replaced": list(IDENTIFYING_FIELDS),
            "free_text_replaced": cleared,
            "account": account,
        },
    )


def _clear_text(session: Session, model: type[Any], fields: Iterable[str], trainee_id: int) -> int:
    """Row by row through the ORM, so version counters and their checks still apply."""
    changed = 0
    for row in session.scalars(select(model).where(model.trainee_id == trainee_id)):
        touched = False
        for field in fields:
            if getattr(row, field):
                setattr(row, field, NEUTRAL_TEXT)
                touched = True
        changed += touched
    return changed


def _retire_account(trainee: Trainee) -> dict[str, object] | None:
    """Unlink the sign-in account; an apprentice's own account is also emptied and closed.
    It is kept (not deleted) because audit entries refer to it by id."""
    account = trainee.account
    if account is None:
        return None
    trainee.account = None
    if account.role is not Role.APPRENTICE:  # someone's staff account: not this record's
        return {"id": account.id, "unlinked": True, "deactivated": False}
    account.username = f"anonymised-{account.id}"
    account.full_name = f"Anonymised apprentice {trainee.id}"
    account.email = None
    account.job_title = None
    account.professional_registration = None
    account.password_hash = None  # no password can match: nobody signs in as them again
    account.is_active = False
    account.failed_sign_ins = 0
    account.locked_until = None
    return {"id": account.id, "unlinked": True, "deactivated": True}
