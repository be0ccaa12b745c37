"""Helpers for the Trainees tab tests: valid trainee details to spoil one field at a time,
and people in every role around a trainee for the permission tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import Employer, IcsArea, Trainee, User
from apdesk.domain.enums import Level2Status, Role, Sector
from apdesk.services.accounts import sign_in
from apdesk.services.actors import Actor
from apdesk.services.choices import service_area_choices
from apdesk.services.demo import DEMO_PASSWORD
from apdesk.services.trainees import TraineeDetails
from tests.helpers.builders import SmallProgramme


def valid_details(
    database: Database, programme: SmallProgramme, **overrides: Any
) -> TraineeDetails:
    """A new trainee who passes every rule, in the small programme's cohort and employer."""
    service = next(
        c.id for c in service_area_choices(database) if c.label == programme.service_area
    )
    details = TraineeDetails(
        first_name="Kofi",
        last_name="Mensah",
        employee_number="ESR20451",
        employer_id=programme.employer_id,
        uln="9276308686",
        email="kofi.mensah@example.nhs.uk",
        service_area_id=service,
        care_pathway="Early intervention in psychosis",
        cohort_id=programme.cohort_id,
        mentor_id=programme.mentor_id,
        contracted_hours_per_week=Decimal("37.5"),
        start_date=date(2024, 9, 9),
        planned_end_date=date(2026, 9, 8),
        maths_status=Level2Status.ACHIEVED,
        maths_evidence_on=date(2024, 6, 1),
        english_status=Level2Status.WORKING_TOWARDS,
        lived_experience=True,
    )
    return replace(details, **overrides)


def add_employer(database: Database, name: str = "Second Trust NHS FT") -> int:
    with database.write() as session:
        area = session.scalars(select(IcsArea)).first()
        assert area is not None
        employer = Employer(name=name, sector=Sector.NHS, ics_area_id=area.id)
        session.add(employer)
        session.flush()
        return employer.id


# -- people in each role, for the permission tests ---------------------------------------
@dataclass(frozen=True)
class People:
    """One person per role around one trainee, as the services see them once signed in."""

    lead: Actor
    admin: Actor
    mentor: Actor  # the trainee's assigned mentor
    other_mentor: Actor  # a mentor with other apprentices
    apprentice: Actor  # the trainee's own account
    other_apprentice: Actor  # another apprentice's account
    nobody: Actor  # APDesk open, nobody signed in

    def __getitem__(self, who: str) -> Actor:
        return getattr(self, who)


EVERYONE = ("lead", "admin", "mentor", "other_mentor", "apprentice", "other_apprentice", "nobody")


def add_people(database: Database, trainee_id: int) -> People:
    """Accounts in every role (user rows as an administrator would add them), the mentor
    assigned to ``trainee_id`` and the apprentice account linked to it."""
    accounts = (
        ("role.lead", "Lena Lead", Role.EDUCATION_LEAD),
        ("role.admin", "Adam Admin", Role.ADMINISTRATOR),
        ("role.mentor", "Mo Mentor", Role.MENTOR),
        ("role.other.mentor", "Olu Other", Role.MENTOR),
        ("role.apprentice", "Asha Account", Role.APPRENTICE),
        ("role.other.apprentice", "Oona Other", Role.APPRENTICE),
    )
    with database.write() as session:
        users = [User(username=u, full_name=name, role=role) for u, name, role in accounts]
        session.add_all(users)
        session.flush()
        trainee = session.get(Trainee, trainee_id)
        assert trainee is not None
        trainee.mentor_id = users[2].id
        trainee.account_id = users[4].id
        actors = [
            Actor(name=user.full_name, user_id=user.id, role=user.role, username=user.username)
            for user in users
        ]
    return People(*actors, nobody=Actor(name="Someone (not signed in)"))


# -- the demo programme's accounts, signed in for real -----------------------------------
def demo_sign_in(database: Database, username: str) -> Actor:
    """A demo account signed in with its password, as at the sign-in dialog."""
    return sign_in(database, username, DEMO_PASSWORD)


def busiest_mentor(database: Database) -> str:
    """The user name of the demo mentor with the most apprentices."""
    with database.read() as session:
        return session.execute(
            select(User.username)
            .join(Trainee, Trainee.mentor_id == User.id)
            .group_by(User.id)
            .order_by(func.count(Trainee.id).desc(), User.username)
            .limit(1)
        ).scalar_one()


def trainees_of(database: Database, actor: Actor) -> set[int]:
    """The trainees an account is linked to: a mentor's apprentices, an apprentice's own."""
    with database.read() as session:
        return set(
            session.scalars(
                select(Trainee.id).where(
                    (Trainee.mentor_id == actor.user_id) | (Trainee.account_id == actor.user_id)
                )
            )
        )
