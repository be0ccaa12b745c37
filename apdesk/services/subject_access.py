"""Everything APDesk holds on one apprentice, for a subject access request (UK GDPR art. 15).

Rows are exported column by column, so a column added later is exported without anyone
remembering to add it here; only :data:`NEVER_EXPORTED` columns are left out. The structure
is described in the README ("Data protection") and in the file's own ``about`` block.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from apdesk import __version__
from apdesk.db.database import Database
from apdesk.db.models import (
    AttendanceMark,
    AuditEntry,
    BandChange,
    Base,
    CareCertificateCriterion,
    Competency,
    CompetencySignoff,
    CriterionSignoff,
    DayReleaseSession,
    LearningBreak,
    OtjActivity,
    PortfolioExport,
    ProgressReview,
    RplReduction,
    Trainee,
    User,
)
from apdesk.domain.enums import Role
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.errors import RecordNotFoundError
from apdesk.services.permissions import require_role

FORMAT_NAME = "APDesk subject access export"
FORMAT_VERSION = 1
# A password hash is a secret of the account, not information about the person; exporting
# it would hand an offline guessing attack to whoever holds the file.
NEVER_EXPORTED = frozenset({"password_hash"})
SUBJECT_ACCESS_ROLES = (Role.ADMINISTRATOR,)
DOING = "export everything held on an apprentice (subject access request)"

# The sections of the file, in order, with what each holds (also printed in the PDF).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("trainee", "The apprentice's record: personal and programme details"),
    ("account", "Their APDesk sign-in account (never the password)"),
    ("breaks_in_learning", "Breaks in learning"),
    ("rpl_reductions", "Recognition of prior learning"),
    ("otj_activities", "Off-the-job learning log"),
    ("attendance_marks", "Day-release register marks"),
    ("progress_reviews", "Progress reviews"),
    ("competency_signoffs", "Supervised practice sign-offs and revocations"),
    ("care_certificate_signoffs", "Care Certificate sign-offs and revocations"),
    ("band_history", "Band history"),
    ("portfolio_exports", "Evidence portfolios exported, with what each covered"),
    ("audit_entries", "Audit trail entries about them or their account, or made by them"),
)


@dataclass(frozen=True)
class SubjectAccessRecord:
    trainee_id: int
    name: str
    uln: str | None
    produced_at: datetime
    content: dict[str, Any]  # JSON-ready: str, int, float, bool, None, lists and dicts
    audit_entries: tuple[AuditLine, ...]  # the same entries, for the printed appendix

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.content["about"]["counts"])


@dataclass(frozen=True)
class AuditLine:
    entry_id: int
    occurred_at: datetime
    actor_name: str
    action: str
    summary: str


def json_value(value: Any) -> Any:
    """A column value as JSON: ISO 8601 dates, UTC times with their offset, plain numbers."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _columns(row: Base, **extra: Any) -> dict[str, Any]:
    values = {
        column.key: json_value(getattr(row, column.key))
        for column in row.__table__.columns
        if column.key not in NEVER_EXPORTED
    }
    values.update({key: json_value(value) for key, value in extra.items()})
    return values


def _parsed(text: str | None) -> Any:
    """Audit before/after and export facts are stored as JSON text: exported as JSON."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:  # kept as written rather than lost
        return text


def subject_access_record(
    database: Database, actor: Actor, trainee_id: int, *, now: datetime | None = None
) -> SubjectAccessRecord:
    """Gather every record held on the trainee in one read, so the parts agree."""
    require_role(actor, SUBJECT_ACCESS_ROLES, DOING)
    produced_at = now or datetime.now(UTC)
    with database.read() as session:
        trainee = session.get(Trainee, trainee_id)
        if trainee is None:
            raise RecordNotFoundError(f"No trainee with id {trainee_id}")
        names = _user_names(session)
        account = session.get(User, trainee.account_id) if trainee.account_id else None
        audit = _audit_entries(session, trainee_id, trainee.account_id)
        sections: dict[str, Any] = {
            "trainee": _trainee(trainee),
            "account": _account(account) if account is not None else None,
            "breaks_in_learning": [
                _columns(row) for row in _rows(session, LearningBreak, trainee_id)
            ],
            "rpl_reductions": [_columns(row) for row in _rows(session, RplReduction, trainee_id)],
            "otj_activities": [
                _columns(row, recorded_by_name=names.get(row.recorded_by_id))
                for row in _rows(session, OtjActivity, trainee_id)
            ],
            "attendance_marks": _attendance(session, trainee_id, names),
            "progress_reviews": [
                _columns(row) for row in _rows(session, ProgressReview, trainee_id)
            ],
            "competency_signoffs": _competency_signoffs(session, trainee_id),
            "care_certificate_signoffs": _criterion_signoffs(session, trainee_id),
            "band_history": [_columns(row) for row in _rows(session, BandChange, trainee_id)],
            "portfolio_exports": [
                {**_columns(row), "facts": _parsed(row.facts)}
                for row in _rows(session, PortfolioExport, trainee_id)
            ],
            "audit_entries": [
                {**_columns(entry), "before": _parsed(entry.before), "after": _parsed(entry.after)}
                for entry in audit
            ],
        }
        lines = tuple(
            AuditLine(entry.id, entry.occurred_at, entry.actor_name, entry.action, entry.summary)
            for entry in audit
        )
        name, uln = trainee.full_name, trainee.uln
    counts = {
        key: (len(value) if isinstance(value, list) else int(value is not None))
        for key, value in sections.items()
    }
    about = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "produced_at": json_value(produced_at),
        "produced_by": actor.name,
        "apdesk_version": __version__,
        "trainee_id": trainee_id,
        "sections": dict(SECTIONS),
        "counts": counts,
        "conventions": [
            "Dates are ISO 8601 (YYYY-MM-DD); times are ISO 8601 in UTC with their offset.",
            "Each record lists every stored field under its column name; *_id fields refer "
            "to other records, and names are given beside them where they are people.",
            "Hours and other amounts are JSON numbers; enumerations are their stored values.",
            "Password hashes are never exported.",
        ],
    }
    return SubjectAccessRecord(
        trainee_id, name, uln, produced_at, {"about": about, **sections}, lines
    )


def record_subject_access_export(
    database: Database, actor: Actor, record: SubjectAccessRecord, files: Iterable[str]
) -> None:
    """Audit the export. The entry names the trainee by id only: the audit trail cannot be
    rewritten later, so new entries keep personal details out of it."""
    require_role(actor, SUBJECT_ACCESS_ROLES, DOING)
    with database.write() as session:
        record_change(
            session,
            actor,
            action="subject_access_export",
            entity="trainee",
            entity_id=record.trainee_id,
            trainee_id=record.trainee_id,
            summary=f"Exported everything held on trainee {record.trainee_id} "
            "for a subject access request",
            after={"files": list(files), "counts": record.counts},
        )


def _user_names(session: Session) -> dict[int | None, str]:
    return dict(session.execute(select(User.id, User.full_name)).all())


def _rows(session: Session, model: type[Any], trainee_id: int) -> list[Any]:
    return list(
        session.scalars(select(model).where(model.trainee_id == trainee_id).order_by(model.id))
    )


def _trainee(trainee: Trainee) -> dict[str, Any]:
    standard = trainee.standard
    framework = trainee.competency_framework
    return _columns(
        trainee,
        employer=trainee.employer.name,
        service_area=trainee.service_area.name,
        cohort=trainee.cohort.name,
        mentor=trainee.mentor.full_name if trainee.mentor else None,
        standard=f"{standard.code} v{standard.version} {standard.title}",
        care_certificate_version=trainee.care_certificate_version.title,
        competency_framework=f"{framework.title} ({framework.code} v{framework.version})",
    )


def _account(account: User) -> dict[str, Any]:
    return _columns(account, employer=account.employer.name if account.employer else None)


def _attendance(
    session: Session, trainee_id: int, names: Mapping[int | None, str]
) -> list[dict[str, Any]]:
    rows = session.execute(
        select(AttendanceMark, DayReleaseSession)
        .join(DayReleaseSession, DayReleaseSession.id == AttendanceMark.session_id)
        .where(AttendanceMark.trainee_id == trainee_id)
        .order_by(DayReleaseSession.session_date, AttendanceMark.id)
    )
    return [
        _columns(
            mark,
            session_date=day.session_date,
            module=day.module,
            session_hours=day.hours,
            recorded_by_name=names.get(mark.recorded_by_id),
        )
        for mark, day in rows
    ]


def _competency_signoffs(session: Session, trainee_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CompetencySignoff, Competency.code, Competency.title)
        .join(Competency, Competency.id == CompetencySignoff.competency_id)
        .where(CompetencySignoff.trainee_id == trainee_id)
        .order_by(CompetencySignoff.id)
    )
    return [
        _columns(signoff, competency_code=code, competency_title=title)
        for signoff, code, title in rows
    ]


def _criterion_signoffs(session: Session, trainee_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CriterionSignoff, CareCertificateCriterion.code, CareCertificateCriterion.text)
        .join(
            CareCertificateCriterion, CareCertificateCriterion.id == CriterionSignoff.criterion_id
        )
        .where(CriterionSignoff.trainee_id == trainee_id)
        .order_by(CriterionSignoff.id)
    )
    return [
        _columns(signoff, criterion_code=code, criterion_text=text) for signoff, code, text in rows
    ]


def _audit_entries(session: Session, trainee_id: int, account_id: int | None) -> list[AuditEntry]:
    about = [AuditEntry.trainee_id == trainee_id]
    if account_id is not None:
        about += [
            (AuditEntry.entity == "user") & (AuditEntry.entity_id == account_id),
            AuditEntry.actor_id == account_id,
        ]
    return list(session.scalars(select(AuditEntry).where(or_(*about)).order_by(AuditEntry.id)))
