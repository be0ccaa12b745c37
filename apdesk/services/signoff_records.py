"""The rules every kind of sign-off record shares: competencies and Care Certificate criteria.

Both tables are append-only. A sign-off is refused for a trainee who has left, for a date in
the future or before the trainee started; a correction is a revocation record that points at
the record it withdraws, gives a reason of at least ``MIN_REASON_LENGTH`` characters and is
itself final. Every signature is the signed-in mentor's, given by re-entering their
password (:func:`confirm_signer`). Each rule is written once here. What differs between the
kinds is data on a :class:`SignoffKind`: which statuses close signing, and the sentences a
refusal uses (each tab's users already know its own wording, so the sentences were kept word
for word).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import CompetencySignoff, CriterionSignoff, Trainee
from apdesk.domain.calendar import format_day
from apdesk.domain.enums import Role, TraineeStatus
from apdesk.domain.signoffs import SignoffRecord, current_signoffs
from apdesk.services.accounts import confirm_password
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.permissions import require_role
from apdesk.services.signatures import REVOCATION_MEANING, Signature

MIN_REASON_LENGTH = 10
"""Characters a revocation's reason needs, so a later reader understands the correction."""

SignoffModel = TypeVar("SignoffModel", CompetencySignoff, CriterionSignoff)


def confirm_signer(database: Database, actor: Actor, password: str, doing: str) -> None:
    """Before a signature is written: only a mentor signs, and only with their own password.

    The role needs no database, so a non-mentor is refused before their password is tried;
    the password is checked in its own transaction (apdesk.services.accounts), so a wrong one
    counts towards the lock-out although nothing is signed. Whether this mentor may sign for
    this trainee is checked in the signing transaction (require_can_sign_for).
    """
    require_role(actor, (Role.MENTOR,), doing)
    confirm_password(database, actor, password)


@dataclass(frozen=True)
class SignoffKind:
    """When one kind of sign-off is closed to new records, and how its refusals are worded.

    The templates are ``str.format`` strings; the names each one may use are listed beside it.
    """

    closed_statuses: frozenset[TraineeStatus]
    closed: str  # {trainee}, {status}
    trainee_missing: str  # {trainee_id}
    record_missing: str  # {signoff_id}
    date_in_future: str  # {day}
    date_before_start: str  # {day}, {trainee}, {start}
    short_reason: str  # {minimum}
    revoking_a_revocation: str
    already_revoked: str  # {revoker}, {revoked_on}, {reason} and the caller's own details

    def trainee(self, session: Session, trainee_id: int) -> Trainee:
        trainee = session.get(Trainee, trainee_id)
        if trainee is None:
            raise RecordNotFoundError(self.trainee_missing.format(trainee_id=trainee_id))
        return trainee

    def record(self, session: Session, model: type[SignoffModel], signoff_id: int) -> SignoffModel:
        record = session.get(model, signoff_id)
        if record is None:
            raise RecordNotFoundError(self.record_missing.format(signoff_id=signoff_id))
        return record

    def signing_closed(self, trainee: Trainee) -> str | None:
        """Why no new sign-off can be recorded for this trainee, or None if one can."""
        if trainee.status in self.closed_statuses:
            return self.closed.format(
                trainee=trainee.full_name, status=trainee.status.label.lower()
            )
        return None

    def refuse_if_closed(self, trainee: Trainee) -> None:
        closed = self.signing_closed(trainee)
        if closed:
            raise ActionRefusedError(closed)

    def check_date(self, day: date, *, today: date, trainee: Trainee) -> None:
        """A sign-off records what already happened, while the trainee was on the programme."""
        if day > today:
            raise ActionRefusedError(self.date_in_future.format(day=format_day(day)))
        if day < trainee.start_date:
            raise ActionRefusedError(
                self.date_before_start.format(
                    day=format_day(day),
                    trainee=trainee.full_name,
                    start=format_day(trainee.start_date),
                )
            )

    def check_reason(self, reason: str) -> None:
        """``reason`` already stripped of surrounding spaces."""
        if len(reason) < MIN_REASON_LENGTH:
            raise ActionRefusedError(self.short_reason.format(minimum=MIN_REASON_LENGTH))

    def check_revocable(self, session: Session, original: SignoffModel, **details: object) -> None:
        """Only a sign-off can be revoked, and only once; ``details`` fill the wording."""
        if original.revokes_id is not None:
            raise ActionRefusedError(self.revoking_a_revocation)
        model = type(original)
        already = session.scalar(select(model).where(model.revokes_id == original.id))
        if already is not None:
            raise ActionRefusedError(
                self.already_revoked.format(
                    revoker=already.signer_name,
                    revoked_on=format_day(already.signed_at.date()),
                    reason=already.revocation_reason,
                    **details,
                )
            )


COMPETENCY_SIGNOFFS = SignoffKind(
    closed_statuses=frozenset({TraineeStatus.WITHDRAWN, TraineeStatus.COMPLETED}),
    closed="{trainee} is {status}: no new sign-offs can be recorded",
    trainee_missing="No trainee with id {trainee_id}",
    record_missing="No sign-off with id {signoff_id}",
    date_in_future=(
        "The date observed, {day}, is in the future: sign off only what has already been observed"
    ),
    date_before_start="The date observed, {day}, is before {trainee} started on {start}",
    short_reason=(
        "Give the reason for revoking in at least {minimum} characters, "
        "so anyone reading the record later understands the correction"
    ),
    revoking_a_revocation=(
        "That record is itself a revocation and cannot be revoked; record a new sign-off instead"
    ),
    already_revoked="That sign-off was already revoked by {revoker} on {revoked_on}: {reason}",
)

# Only withdrawal closes the Care Certificate (competencies also close on completion): kept as
# the two tabs were built; a decision for the programme, not for this module.
CRITERION_SIGNOFFS = SignoffKind(
    closed_statuses=frozenset({TraineeStatus.WITHDRAWN}),
    closed="{trainee} has withdrawn from the programme; nothing more can be signed off",
    trainee_missing="That trainee no longer exists",
    record_missing="That sign-off no longer exists",
    date_in_future="The assessment date {day} is in the future",
    date_before_start="The assessment date {day} is before {trainee} started on {start}",
    short_reason="Give a reason of at least {minimum} characters for the revocation",
    revoking_a_revocation="A revocation cannot itself be revoked; sign off again",
    already_revoked="The sign-off of {code} on {signed_on} is already revoked",
)


def revocation_columns(signature: Signature, original: SignoffModel, reason: str) -> dict[str, Any]:
    """The columns every revocation record has: what it revokes, why, and who signed it."""
    return {
        "revokes_id": original.id,
        "revocation_reason": reason,
        **signature.columns(REVOCATION_MEANING),
    }


def revoked_by(records: Iterable[SignoffModel]) -> dict[int, int]:
    """Revoked record id → the id of the revocation that withdrew it."""
    return {r.revokes_id: r.id for r in records if r.revokes_id is not None}


def latest_standing(records: Iterable[SignoffRecord]) -> dict[int, SignoffRecord]:
    """Per item the latest record that is neither a revocation nor revoked, whatever it says.

    The domain rule answers "which positive sign-off stands"; asked with every record counted
    as positive, it answers "which record stands", be it "competent" or "not yet".
    """
    return current_signoffs(replace(record, positive=True) for record in records)


def audit_snapshot(record: object, names: Iterable[str]) -> dict[str, Any]:
    """The named columns of a record, in that order, as the audit log keeps them."""
    return {name: getattr(record, name) for name in names}
