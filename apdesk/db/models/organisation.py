"""Who runs the programme: areas, employers, education providers, cohorts and user accounts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apdesk.db.models.base import Base, UtcDateTime, enum_column_type, utc_now
from apdesk.domain.enums import ProviderKind, Role, Sector


class IcsArea(Base):
    """An integrated care system (formerly STP) area, within an NHS England region."""

    __tablename__ = "ics_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    region: Mapped[str] = mapped_column(String(80))
    former_stp_name: Mapped[str | None] = mapped_column(String(120))


class ServiceArea(Base):
    __tablename__ = "service_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_mental_health: Mapped[bool] = mapped_column(default=False)


class Employer(Base):
    """An NHS trust or an NHS-commissioned third-sector (PIVO) provider employing apprentices."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    sector: Mapped[Sector] = mapped_column(enum_column_type(Sector, "sector"))
    ics_area_id: Mapped[int] = mapped_column(ForeignKey("ics_areas.id"), index=True)
    ods_code: Mapped[str | None] = mapped_column(String(10))

    ics_area: Mapped[IcsArea] = relationship()


class EducationProvider(Base):
    """The university (HEI) or college (FE) delivering the foundation degree on day release."""

    __tablename__ = "education_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[ProviderKind] = mapped_column(enum_column_type(ProviderKind, "kind"))
    ukprn: Mapped[str] = mapped_column(String(8), unique=True)


class User(Base):
    """An account. Accounts are deactivated, never deleted, so old sign-offs keep their signer."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "role"))
    email: Mapped[str | None] = mapped_column(String(254))
    job_title: Mapped[str | None] = mapped_column(String(120))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"), index=True)
    professional_registration: Mapped[str | None] = mapped_column(String(80))
    mentor_trained_on: Mapped[date | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    employer: Mapped[Employer | None] = relationship()


class Cohort(Base):
    """A group of apprentices who started together with one provider and day-release weekday."""

    __tablename__ = "cohorts"
    __table_args__ = (
        CheckConstraint("day_release_weekday BETWEEN 0 AND 6", name="day_release_weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("education_providers.id"), index=True)
    start_date: Mapped[date]
    day_release_weekday: Mapped[int]  # Monday = 0, as datetime.date.weekday()
    programme: Mapped[str] = mapped_column(String(160))
    standard_id: Mapped[int] = mapped_column(ForeignKey("apprenticeship_standards.id"))
    planned_places: Mapped[int | None]

    provider: Mapped[EducationProvider] = relationship()


__all__ = [
    "Cohort",
    "EducationProvider",
    "Employer",
    "IcsArea",
    "ServiceArea",
    "User",
]
