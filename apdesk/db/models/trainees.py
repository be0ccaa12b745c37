"""The apprentice and everything recorded about their programme over time."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apdesk.db.models.base import Base, UtcDateTime, enum_column_type, utc_now
from apdesk.db.models.frameworks import (
    ApprenticeshipStandard,
    CareCertificateVersion,
    CompetencyFramework,
)
from apdesk.db.models.organisation import Cohort, Employer, ServiceArea, User
from apdesk.domain.enums import Level2Status, OtjActivityKind, TraineeStatus


class Trainee(Base):
    __tablename__ = "trainees"
    # An ESR assignment number is unique within its employer only; a second post carries "-2".
    __table_args__ = (UniqueConstraint("employer_id", "employee_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    employee_number: Mapped[str] = mapped_column(String(40))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    # Not unique in the database: the temporary ULN 9999999999 is shared until a real one comes.
    uln: Mapped[str | None] = mapped_column(String(10), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"), index=True)
    care_pathway: Mapped[str | None] = mapped_column(String(120))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    contracted_hours_per_week: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    start_date: Mapped[date]
    planned_end_date: Mapped[date]  # end of the practical period, before gateway
    status: Mapped[TraineeStatus] = mapped_column(
        enum_column_type(TraineeStatus, "status"), default=TraineeStatus.IN_TRAINING
    )
    maths_status: Mapped[Level2Status] = mapped_column(
        enum_column_type(Level2Status, "maths_status"), default=Level2Status.NOT_STARTED
    )
    maths_evidence_on: Mapped[date | None]
    english_status: Mapped[Level2Status] = mapped_column(
        enum_column_type(Level2Status, "english_status"), default=Level2Status.NOT_STARTED
    )
    english_evidence_on: Mapped[date | None]
    lived_experience: Mapped[bool | None]  # optional, self-declared
    standard_id: Mapped[int] = mapped_column(ForeignKey("apprenticeship_standards.id"))
    care_certificate_version_id: Mapped[int] = mapped_column(
        ForeignKey("care_certificate_versions.id")
    )
    competency_framework_id: Mapped[int] = mapped_column(ForeignKey("competency_frameworks.id"))
    foundation_degree_credits: Mapped[int] = mapped_column(default=0)
    foundation_degree_awarded_on: Mapped[date | None]
    employer_confirmed_gateway_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Bumped by every ORM update, which also checks it is still the value read: two people
    # editing the same trainee cannot silently overwrite each other (apdesk.services.concurrency).
    version: Mapped[int] = mapped_column(server_default=text("1"))

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    employer: Mapped[Employer] = relationship()
    service_area: Mapped[ServiceArea] = relationship()
    cohort: Mapped[Cohort] = relationship()
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id])
    account: Mapped[User | None] = relationship(foreign_keys=[account_id])
    standard: Mapped[ApprenticeshipStandard] = relationship()
    care_certificate_version: Mapped[CareCertificateVersion] = relationship()
    competency_framework: Mapped[CompetencyFramework] = relationship()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class LearningBreak(Base):
    """A break in learning: the apprentice pauses and the OTJ clock pauses with them."""

    __tablename__ = "breaks_in_learning"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]  # None while the break goes on
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RplReduction(Base):
    """Recognition of prior learning agreed at the start, reducing the planned OTJ hours."""

    __tablename__ = "rpl_reductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    reason: Mapped[str] = mapped_column(Text)
    agreed_on: Mapped[date]


class OtjActivity(Base):
    """Learning logged outside day release; the OTJ rule decides whether its kind counts."""

    __tablename__ = "otj_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    activity_date: Mapped[date]
    kind: Mapped[OtjActivityKind] = mapped_column(enum_column_type(OtjActivityKind, "kind"))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    description: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ProgressReview(Base):
    """A tripartite progress review (apprentice, employer, provider) due every 3 months."""

    __tablename__ = "progress_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    due_date: Mapped[date]
    held_on: Mapped[date | None]
    apprentice_comments: Mapped[str] = mapped_column(Text, default="")
    employer_comments: Mapped[str] = mapped_column(Text, default="")
    provider_comments: Mapped[str] = mapped_column(Text, default="")
    apprentice_signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    employer_signatory: Mapped[str | None] = mapped_column(String(160))
    employer_signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    provider_signatory: Mapped[str | None] = mapped_column(String(160))
    provider_signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    otj_reviewed: Mapped[bool] = mapped_column(default=False)
    otj_hours_at_review: Mapped[Decimal | None] = mapped_column(Numeric(7, 1))


class BandChange(Base):
    """One step of the band history: Band 2/3 in year one, 3 in year two, 4 on completion."""

    __tablename__ = "band_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    band: Mapped[str] = mapped_column(String(3))
    effective_from: Mapped[date]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_name: Mapped[str] = mapped_column(String(160))
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
