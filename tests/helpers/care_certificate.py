"""Care Certificate test helpers: look up versions and criteria, add accounts that can sign in,
sign criteria as a signed-in mentor, and count the SQL statements a view costs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event, select

from apdesk.db.database import Database
from apdesk.db.models import (
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    CareCertificateVersion,
    User,
)
from apdesk.domain.enums import EvidenceType, Role
from apdesk.services.accounts import hash_password
from apdesk.services.actors import Actor
from apdesk.services.care_certificate import sign_off_criterion
from tests.helpers.practice import PASSWORD


@dataclass(frozen=True)
class CriterionRef:
    id: int
    code: str
    requires_observation: bool


def version_id(database: Database, code: str) -> int:
    with database.read() as session:
        return session.scalars(
            select(CareCertificateVersion.id).where(CareCertificateVersion.code == code)
        ).one()


def criteria_of(database: Database, version: str, standard: int) -> list[CriterionRef]:
    """The criteria of one standard of one version, in the order the standard lists them."""
    with database.read() as session:
        rows = session.execute(
            select(
                CareCertificateCriterion.id,
                CareCertificateCriterion.code,
                CareCertificateCriterion.requires_observation,
            )
            .join(
                CareCertificateOutcome,
                CareCertificateOutcome.id == CareCertificateCriterion.outcome_id,
            )
            .join(
                CareCertificateStandard,
                CareCertificateStandard.id == CareCertificateOutcome.standard_id,
            )
            .join(
                CareCertificateVersion,
                CareCertificateVersion.id == CareCertificateStandard.version_id,
            )
            .where(
                CareCertificateVersion.code == version,
                CareCertificateStandard.number == standard,
            )
            .order_by(CareCertificateOutcome.position, CareCertificateCriterion.position)
        )
        return [CriterionRef(*row) for row in rows]


def add_user(database: Database, username: str, **values: Any) -> int:
    """An account whose password is tests.helpers.practice.PASSWORD."""
    with database.write() as session:
        user = User(
            username=username,
            full_name=values.pop("full_name", username.replace(".", " ").title()),
            role=values.pop("role", Role.MENTOR),
            password_hash=hash_password(PASSWORD),
            **values,
        )
        session.add(user)
        session.flush()
        return user.id


def evidence_for(criterion: CriterionRef) -> EvidenceType:
    return (
        EvidenceType.OBSERVED_IN_PRACTICE
        if criterion.requires_observation
        else (EvidenceType.KNOWLEDGE)
    )


def sign(
    database: Database,
    trainee_id: int,
    criterion: CriterionRef,
    mentor: Actor,
    on: date,
    *,
    today: date | None = None,
) -> int:
    """Sign one criterion off as ``mentor`` (signed in, password PASSWORD) with the evidence
    type it allows; the new record's id."""
    return sign_off_criterion(
        database,
        mentor,
        trainee_id=trainee_id,
        criterion_id=criterion.id,
        password=PASSWORD,
        evidence_type=evidence_for(criterion),
        assessed_on=on,
        evidence=f"Evidence for {criterion.code}",
        today=today or on,
    ).record_id


@contextmanager
def counting_statements(database: Database) -> Iterator[list[str]]:
    """Collect every SQL statement the block sends, to show a view is built in bulk."""
    statements: list[str] = []

    def collect(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", collect)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", collect)
