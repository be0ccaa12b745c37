"""Helpers for the Trainees tab tests: valid trainee details to spoil one field at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import Employer, IcsArea
from apdesk.domain.enums import Level2Status, Sector
from apdesk.services.choices import service_area_choices
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
