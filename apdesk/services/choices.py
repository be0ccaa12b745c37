"""Short lists for pickers and filters: an id and the words a person chooses by."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import Cohort, Employer, ServiceArea, Trainee, User
from apdesk.domain.enums import Role, TraineeStatus
from apdesk.services.actors import Actor
from apdesk.services.permissions import visible_trainees


@dataclass(frozen=True)
class Choice:
    id: int
    label: str
    detail: str = ""  # a second line of context, e.g. a trainee's cohort


def trainee_choices(database: Database, actor: Actor) -> list[Choice]:
    """The trainees the actor may see (see apdesk.services.permissions)."""
    with database.read() as session:
        rows = session.execute(
            select(Trainee.id, Trainee.first_name, Trainee.last_name, Cohort.name, Trainee.status)
            .join(Cohort, Cohort.id == Trainee.cohort_id)
            .where(visible_trainees(actor))
            .order_by(Trainee.last_name, Trainee.first_name)
        )
        return [
            Choice(
                trainee_id,
                f"{first} {last}",
                cohort if status is TraineeStatus.IN_TRAINING else f"{cohort}, {status.label}",
            )
            for trainee_id, first, last, cohort, status in rows
        ]


def mentor_choices(database: Database) -> list[Choice]:
    """Active mentor accounts: the people who may sign off supervised practice."""
    with database.read() as session:
        rows = session.execute(
            select(User.id, User.full_name, User.professional_registration)
            .where(User.role == Role.MENTOR, User.is_active.is_(True))
            .order_by(User.full_name)
        )
        return [Choice(user_id, name, registration or "") for user_id, name, registration in rows]


def cohort_choices(database: Database) -> list[Choice]:
    with database.read() as session:
        rows = session.execute(
            select(Cohort.id, Cohort.name, Cohort.start_date).order_by(
                Cohort.start_date, Cohort.name
            )
        )
        return [
            Choice(cohort_id, name, f"started {start:%d %b %Y}") for cohort_id, name, start in rows
        ]


def employer_choices(database: Database) -> list[Choice]:
    with database.read() as session:
        rows = session.execute(
            select(Employer.id, Employer.name, Employer.sector).order_by(Employer.name)
        )
        return [Choice(employer_id, name, sector.label) for employer_id, name, sector in rows]


def service_area_choices(database: Database) -> list[Choice]:
    with database.read() as session:
        rows = session.execute(select(ServiceArea.id, ServiceArea.name).order_by(ServiceArea.name))
        return [Choice(area_id, name) for area_id, name in rows]
