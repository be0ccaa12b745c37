"""Day-release sessions at the university or college and the register taken for each."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apdesk.db.models.base import Base, UtcDateTime, enum_column_type, utc_now
from apdesk.db.models.organisation import Cohort
from apdesk.domain.enums import AttendanceStatus


class DayReleaseSession(Base):
    __tablename__ = "day_release_sessions"
    __table_args__ = (UniqueConstraint("cohort_id", "session_date", "module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    session_date: Mapped[date]
    module: Mapped[str] = mapped_column(String(160))
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    # The register's version: saving marks bumps it (the marks are its rows), so two people
    # taking the same register cannot silently overwrite each other's marks.
    version: Mapped[int] = mapped_column(server_default=text("1"))

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    cohort: Mapped[Cohort] = relationship()


class AttendanceMark(Base):
    __tablename__ = "attendance_marks"
    __table_args__ = (UniqueConstraint("session_id", "trainee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("day_release_sessions.id"))
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column_type(AttendanceStatus, "status"))
    minutes_attended: Mapped[int | None]  # for late arrivals and early leavers
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    session: Mapped[DayReleaseSession] = relationship()
