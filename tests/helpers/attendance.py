"""A cohort ready for a register: four apprentices with known names, plus a second cohort."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import Cohort
from apdesk.domain.enums import TraineeStatus
from tests.helpers.builders import SmallProgramme, add_small_programme, add_trainee

# Surnames sort in this order, so register rows are predictable.
NAMES = (("Asha", "Adams"), ("Ben", "Brown"), ("Cara", "Clarke"), ("Dev", "Dunn"))
FIRST_WEDNESDAY = date(2024, 9, 11)  # the cohort (GM Sep 2024) has day release on Wednesdays


@dataclass(frozen=True)
class RegisterProgramme:
    programme: SmallProgramme
    trainee_ids: tuple[int, ...]  # in NAMES order

    @property
    def cohort_id(self) -> int:
        return self.programme.cohort_id


def add_register_programme(database: Database, names: tuple[tuple[str, str], ...] = NAMES):
    programme = add_small_programme(database)
    ids = tuple(
        add_trainee(
            database,
            programme,
            first_name=first,
            last_name=last,
            employee_number=f"E{n:04d}",
        )
        for n, (first, last) in enumerate(names)
    )
    return RegisterProgramme(programme, ids)


def add_cohort(database: Database, like: SmallProgramme, name: str, weekday: int = 1) -> int:
    """A second, empty cohort with the same provider and standard."""
    with database.write() as session:
        model = session.scalars(select(Cohort).where(Cohort.id == like.cohort_id)).one()
        cohort = Cohort(
            name=name,
            provider_id=model.provider_id,
            start_date=date(2025, 2, 24),
            day_release_weekday=weekday,
            programme=model.programme,
            standard_id=model.standard_id,
        )
        session.add(cohort)
        session.flush()
        return cohort.id


def add_other_trainee(
    database: Database,
    programme: SmallProgramme,
    first: str,
    last: str,
    *,
    status: TraineeStatus = TraineeStatus.IN_TRAINING,
    cohort_id: int | None = None,
    start: date | None = None,
) -> int:
    overrides: dict[str, object] = {
        "first_name": first,
        "last_name": last,
        "employee_number": f"X-{first}-{last}",
        "status": status,
    }
    if cohort_id is not None:
        overrides["cohort_id"] = cohort_id
    if start is not None:
        overrides["start_date"] = start
    return add_trainee(database, programme, **overrides)
