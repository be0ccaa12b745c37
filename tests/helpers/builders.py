"""Build small, exact programmes for tests: one employer, provider and cohort, and trainees
whose every figure the test controls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import (
    ApprenticeshipStandard,
    CareCertificateVersion,
    Cohort,
    CompetencyFramework,
    EducationProvider,
    Employer,
    IcsArea,
    ServiceArea,
    Trainee,
    User,
)
from apdesk.domain.enums import Level2Status, ProviderKind, Role, Sector


@dataclass(frozen=True)
class SmallProgramme:
    employer_id: int
    employer: str
    cohort_id: int
    cohort: str
    service_area: str
    mentor_id: int
    mentor_username: str


def add_small_programme(
    database: Database, *, cohort_start: date = date(2024, 9, 9)
) -> SmallProgramme:
    with database.write() as session:
        area = session.scalars(select(IcsArea).where(IcsArea.name == "Greater Manchester")).one()
        service = session.scalars(
            select(ServiceArea).where(ServiceArea.name == "IAPT (NHS Talking Therapies)")
        ).one()
        standard = session.scalars(
            select(ApprenticeshipStandard).where(ApprenticeshipStandard.version == "1.1")
        ).one()
        employer = Employer(name="Test Trust NHS FT", sector=Sector.NHS, ics_area_id=area.id)
        provider = EducationProvider(
            name="Test University", kind=ProviderKind.HEI, ukprn="10012345"
        )
        session.add_all([employer, provider])
        session.flush()
        cohort = Cohort(
            name="GM Sep 2024",
            provider_id=provider.id,
            start_date=cohort_start,
            day_release_weekday=2,
            programme="FdSc Assistant Practitioner",
            standard_id=standard.id,
        )
        mentor = User(
            username="mentor.test",
            full_name="Maria Mentor",
            role=Role.MENTOR,
            professional_registration="NMC 12A3456E",
        )
        session.add_all([cohort, mentor])
        session.flush()
        return SmallProgramme(
            employer.id,
            employer.name,
            cohort.id,
            cohort.name,
            service.name,
            mentor.id,
            mentor.username,
        )


def add_trainee(database: Database, programme: SmallProgramme, **overrides: Any) -> int:
    with database.write() as session:
        service = session.scalars(
            select(ServiceArea).where(ServiceArea.name == programme.service_area)
        ).one()
        cohort = session.get(Cohort, programme.cohort_id)
        assert cohort is not None
        version = "2025" if cohort.start_date >= date(2025, 8, 1) else "2015"
        values: dict[str, Any] = {
            "first_name": "Asha",
            "last_name": "Patel",
            "employee_number": "E1001",
            "employer_id": programme.employer_id,
            "uln": "9276308686",
            "service_area_id": service.id,
            "cohort_id": programme.cohort_id,
            "mentor_id": programme.mentor_id,
            "contracted_hours_per_week": Decimal("37.5"),
            "start_date": cohort.start_date,
            "planned_end_date": date(cohort.start_date.year + 2, cohort.start_date.month, 1),
            "maths_status": Level2Status.ACHIEVED,
            "english_status": Level2Status.ACHIEVED,
            "standard_id": cohort.standard_id,
            "care_certificate_version_id": session.scalars(
                select(CareCertificateVersion.id).where(CareCertificateVersion.code == version)
            ).one(),
            "competency_framework_id": session.scalars(select(CompetencyFramework.id)).first(),
        }
        values.update(overrides)
        trainee = Trainee(**values)
        session.add(trainee)
        session.flush()
        return trainee.id
