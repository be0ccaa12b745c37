"""Builders for the supervised-practice tests: extra accounts, a second framework, counts."""

from __future__ import annotations

from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import (
    ApprenticeshipStandard,
    AuditEntry,
    Competency,
    CompetencyFramework,
    CompetencyGroup,
    CompetencySignoff,
    User,
)
from apdesk.domain.enums import Role


def add_user(
    database: Database,
    username: str,
    *,
    full_name: str,
    role: Role = Role.MENTOR,
    active: bool = True,
    registration: str | None = "HCPC OT12345",
    job_title: str | None = "Occupational Therapist",
) -> int:
    with database.write() as session:
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            is_active=active,
            professional_registration=registration,
            job_title=job_title,
        )
        session.add(user)
        session.flush()
        return user.id


def add_other_framework_competency(database: Database) -> int:
    """A competency of a framework no test trainee follows."""
    with database.write() as session:
        standard_id = session.scalars(select(ApprenticeshipStandard.id)).first()
        assert standard_id is not None
        framework = CompetencyFramework(
            code="OTHER", version="1.0", title="Another framework", standard_id=standard_id
        )
        session.add(framework)
        session.flush()
        group = CompetencyGroup(framework_id=framework.id, code="X1", title="Other", position=1)
        session.add(group)
        session.flush()
        competency = Competency(
            group_id=group.id, code="X1.1", title="Elsewhere", description="Not ours", position=1
        )
        session.add(competency)
        session.flush()
        return competency.id


def count_signoff_records(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(CompetencySignoff.id))) or 0


def audit_entries(database: Database, action: str) -> list[AuditEntry]:
    with database.read() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )
