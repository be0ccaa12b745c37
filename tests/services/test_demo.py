"""The demo programme looks like a real northern AP programme, and is the same every time."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import AttendanceMark, BandChange, Employer, IcsArea, Trainee
from apdesk.domain.enums import Sector
from apdesk.services.demo import DatabaseNotEmptyError, load_demo_programme
from apdesk.services.progress import list_trainee_progress
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR


def test_the_demo_is_a_whole_programme(demo_database: Database) -> None:
    rows = list_trainee_progress(demo_database, TEST_ACTOR, as_of=DEMO_DAY)
    with demo_database.read() as session:
        sectors = set(session.scalars(select(Employer.sector)))
        areas_used = set(
            session.scalars(select(IcsArea.name).join(Employer, Employer.ics_area_id == IcsArea.id))
        )
        marks = session.scalar(select(func.count(AttendanceMark.id)))
        bands = session.scalar(select(func.count(BandChange.id)))

    assert len(rows) == 40
    assert len({row.cohort for row in rows}) >= 3
    assert sectors == {Sector.NHS, Sector.THIRD_SECTOR}
    assert len(areas_used) == 7
    assert marks and marks > 1000 and bands and bands >= 40
    statuses = Counter(row.status.value for row in rows)
    assert statuses["in_training"] > 0 and statuses["completed"] > 0
    partly_signed = [
        r for r in rows if 0 < r.assessment.competencies_signed < r.assessment.competencies_total
    ]
    assert partly_signed, "some apprentices are part-way through their competencies"
    assert {r.assessment.care_certificate.standards_total for r in rows} == {15, 16}
    assert any(r.at_risk for r in rows) and not all(r.at_risk for r in rows)


def test_same_seed_same_programme(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from apdesk.services.startup import open_database

    other = open_database(str(tmp_path_factory.mktemp("other") / "b.sqlite3")).database
    for target in (database, other):
        load_demo_programme(target, TEST_ACTOR, trainees=12, seed=99, today=DEMO_DAY)

    def people(target: Database) -> list[tuple[str, str, str | None]]:
        with target.read() as session:
            return session.execute(
                select(Trainee.first_name, Trainee.last_name, Trainee.uln).order_by(Trainee.id)
            ).all()

    assert people(database) == people(other)
    other.close()


def test_the_demo_only_goes_into_an_empty_database(demo_database: Database) -> None:
    with pytest.raises(DatabaseNotEmptyError, match="already holds 40 trainees"):
        load_demo_programme(demo_database, TEST_ACTOR, trainees=5, today=DEMO_DAY)
