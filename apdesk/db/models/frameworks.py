"""Reference frameworks loaded from resources/: the apprenticeship standard and its KSBs,
supervised-practice competency frameworks, and the Care Certificate versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apdesk.db.models.base import Base, enum_column_type
from apdesk.domain.enums import KsbKind


class ApprenticeshipStandard(Base):
    """One version of an apprenticeship standard, e.g. ST0215 v1.1."""

    __tablename__ = "apprenticeship_standards"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10))
    version: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(160))
    level: Mapped[int]
    approved_for_delivery: Mapped[date | None]
    # Fixed minimum OTJ hours for starts from 1 August 2025 (funding rules), where published.
    otj_minimum_hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 1))

    ksbs: Mapped[list[Ksb]] = relationship(back_populates="standard", order_by="Ksb.id")

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"


class Ksb(Base):
    """A knowledge, skill or behaviour statement of a standard, referenced by code (K1, S4, B2)."""

    __tablename__ = "ksbs"
    __table_args__ = (UniqueConstraint("standard_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("apprenticeship_standards.id"))
    code: Mapped[str] = mapped_column(String(10))
    kind: Mapped[KsbKind] = mapped_column(enum_column_type(KsbKind, "kind"))
    text: Mapped[str] = mapped_column(Text)

    standard: Mapped[ApprenticeshipStandard] = relationship(back_populates="ksbs")


competency_ksbs = Table(
    "competency_ksbs",
    Base.metadata,
    Column("competency_id", ForeignKey("competencies.id"), primary_key=True),
    Column("ksb_id", ForeignKey("ksbs.id"), primary_key=True),
)


class CompetencyFramework(Base):
    __tablename__ = "competency_frameworks"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(160))
    standard_id: Mapped[int] = mapped_column(ForeignKey("apprenticeship_standards.id"))

    groups: Mapped[list[CompetencyGroup]] = relationship(
        back_populates="framework", order_by="CompetencyGroup.position"
    )


class CompetencyGroup(Base):
    """A key responsibility grouping competencies (e.g. community engagement)."""

    __tablename__ = "competency_groups"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("competency_frameworks.id"))
    code: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]

    framework: Mapped[CompetencyFramework] = relationship(back_populates="groups")
    competencies: Mapped[list[Competency]] = relationship(
        back_populates="group", order_by="Competency.position"
    )


class Competency(Base):
    __tablename__ = "competencies"
    __table_args__ = (UniqueConstraint("group_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("competency_groups.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int]

    group: Mapped[CompetencyGroup] = relationship(back_populates="competencies")
    ksbs: Mapped[list[Ksb]] = relationship(secondary=competency_ksbs, order_by="Ksb.id")


class CareCertificateVersion(Base):
    """The 2015 Care Certificate (15 standards) or the March 2025 update (16 standards)."""

    __tablename__ = "care_certificate_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    published: Mapped[date | None]

    standards: Mapped[list[CareCertificateStandard]] = relationship(
        back_populates="version", order_by="CareCertificateStandard.number"
    )


class CareCertificateStandard(Base):
    __tablename__ = "care_certificate_standards"
    __table_args__ = (UniqueConstraint("version_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("care_certificate_versions.id"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))

    version: Mapped[CareCertificateVersion] = relationship(back_populates="standards")
    outcomes: Mapped[list[CareCertificateOutcome]] = relationship(
        back_populates="standard", order_by="CareCertificateOutcome.position"
    )


class CareCertificateOutcome(Base):
    __tablename__ = "care_certificate_outcomes"
    __table_args__ = (UniqueConstraint("standard_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("care_certificate_standards.id"))
    code: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int]

    standard: Mapped[CareCertificateStandard] = relationship(back_populates="outcomes")
    criteria: Mapped[list[CareCertificateCriterion]] = relationship(
        back_populates="outcome", order_by="CareCertificateCriterion.position"
    )


class CareCertificateCriterion(Base):
    __tablename__ = "care_certificate_criteria"
    __table_args__ = (UniqueConstraint("outcome_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("care_certificate_outcomes.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    requires_observation: Mapped[bool]
    position: Mapped[int]

    outcome: Mapped[CareCertificateOutcome] = relationship(back_populates="criteria")
