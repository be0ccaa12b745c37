"""The audit log and the bookkeeping of reference-data loads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from apdesk.db.models.base import Base, UtcDateTime, utc_now


class AuditEntry(Base):
    """One change of record. Append-only and hash-chained: each entry hashes the previous one."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None]
    trainee_id: Mapped[int | None] = mapped_column(index=True)  # no FK: the log outlives rows
    summary: Mapped[str] = mapped_column(Text)
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON
    # Unique, so two writers can never both extend the chain from the same entry (a fork).
    previous_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class PortfolioExport(Base):
    """An evidence portfolio as exported: the digest printed on it and the records it covered,
    so a later check can say what changed since. Append-only, like the audit log."""

    __tablename__ = "portfolio_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), index=True)
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    exported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    exported_by_name: Mapped[str] = mapped_column(String(160))
    facts: Mapped[str] = mapped_column(Text)  # JSON: the records the digest covers


class ReferenceDataLoad(Base):
    """Which version (by SHA-256) of each resources/ file was last loaded into this database."""

    __tablename__ = "reference_data_loads"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class OrganisationSetting(Base):
    """Settings that belong to the organisation rather than one person's desktop."""

    __tablename__ = "organisation_settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
