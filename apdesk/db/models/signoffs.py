"""Sign-offs: records of a mentor's professional judgement. Append-only.

A correction is never an edit: it is a new record that revokes an earlier one, with a reason.
Database triggers (see apdesk.db.append_only) refuse UPDATE and DELETE on these tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from apdesk.db.models.base import Base, UtcDateTime, enum_column_type, utc_now
from apdesk.domain.enums import CompetencyOutcome, EvidenceType


class SignatureColumns:
    """Who signed, copied at the moment of signing so later account edits never alter it."""

    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(160))
    signer_role: Mapped[str] = mapped_column(String(80))
    signer_registration: Mapped[str | None] = mapped_column(String(80))
    meaning: Mapped[str] = mapped_column(Text)  # e.g. "Observed in practice and competent"
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revocation_reason: Mapped[str | None] = mapped_column(Text)


class CompetencySignoff(SignatureColumns, Base):
    __tablename__ = "competency_signoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"))
    # Set on a revocation record: the earlier sign-off it withdraws. Outcome is then empty.
    # Indexed: the progress totals ask of every record whether a later one revokes it.
    revokes_id: Mapped[int | None] = mapped_column(ForeignKey("competency_signoffs.id"), index=True)
    outcome: Mapped[CompetencyOutcome | None] = mapped_column(
        enum_column_type(CompetencyOutcome, "outcome")
    )
    observed_on: Mapped[date]
    setting: Mapped[str] = mapped_column(String(160), default="")
    evidence: Mapped[str] = mapped_column(Text, default="")


class CriterionSignoff(SignatureColumns, Base):
    __tablename__ = "care_certificate_signoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("care_certificate_criteria.id"))
    revokes_id: Mapped[int | None] = mapped_column(
        ForeignKey("care_certificate_signoffs.id"), index=True
    )
    evidence_type: Mapped[EvidenceType | None] = mapped_column(
        enum_column_type(EvidenceType, "evidence_type")
    )
    assessed_on: Mapped[date]
    evidence: Mapped[str] = mapped_column(Text, default="")
